/* The operation model and enum types: sa.Enum / postgresql.ENUM read from
 * add_column, alter_column and create_table, the types a migration creates
 * (CREATE TYPE, .create(bind), create_table's Enum columns) and ALTER TYPE
 * ... RENAME VALUE. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "mlint/migration.h"
#include "mlint/ops.h"

struct model {
	struct mlint_migration m;
	struct mlint_ops ops;
};

static void read_model(struct model *x, const char *src, size_t function, unsigned flags)
{
	mlint_migration_init(&x->m);
	mlint_ops_init(&x->ops);
	assert_int_equal(mlint_migration_scan(&x->m, src, strlen(src)), 0);
	assert_int_equal(mlint_ops_read_with(&x->ops, &x->m, src, strlen(src), function, flags),
			 0);
}

static void release_model(struct model *x)
{
	mlint_ops_release(&x->ops);
	mlint_migration_release(&x->m);
}

static void assert_values(const struct mlint_enum_type *e, size_t nr, ...)
{
	va_list ap;

	assert_non_null(e);
	assert_true(e->values_known);
	assert_int_equal(e->nr_values, nr);
	va_start(ap, nr);
	for (size_t i = 0; i < nr; i++)
		assert_string_equal(e->values[i], va_arg(ap, const char *));
	va_end(ap);
}

static const char TYPES[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"def upgrade():\n"
	"    op.alter_column('t', 'status',\n"
	"                    type_=sa.Enum('a', 'b', 'c', name='status'),\n"
	"                    existing_type=sa.Enum('a', \"b\", name='status'))\n"
	"    op.add_column('t', sa.Column('mood', postgresql.ENUM('x', 'y', name='mood',\n"
	"                  create_type=False), nullable=True))\n"
	"    op.add_column('t', sa.Column('kind', sa.Enum(Kind, name='kind'), nullable=True))\n"
	"    op.add_column('t', sa.Column('v', sa.Enum('p', 'q', native_enum=False)))\n"
	"    op.add_column('t', sa.Column('w', mysql.ENUM('p', 'q')))\n"
	"    op.add_column('t', sa.Column('f', sa.Enum('calm', 'angry', name='feel'), nullable=True))\n"
	"    with op.batch_alter_table('t') as b:\n"
	"        b.alter_column('s2', type_=Enum('a', name='s2'), existing_type=sa.String(20),\n"
	"                       postgresql_using='s2::text::s2')\n"
	"    op.alter_column('t', 'n', type_=sa.String(50), existing_type=sa.String(20))\n";

static void test_enum_types(void **state)
{
	struct model x;
	const struct mlint_op *o;
	(void)state;

	read_model(&x, TYPES, 0, 0);
	assert_int_equal(x.ops.nr, 8);
	o = &x.ops.items[0];
	assert_int_equal(o->kind, MLINT_OP_ALTER_COLUMN);
	assert_string_equal(o->enum_type->name, "status");
	assert_values(o->enum_type, 3, "a", "b", "c");
	assert_string_equal(o->existing_enum->name, "status");
	assert_values(o->existing_enum, 2, "a", "b");
	assert_false(o->enum_type->no_create);
	assert_false(o->has_using);
	o = &x.ops.items[1];
	assert_int_equal(o->kind, MLINT_OP_ADD_COLUMN);
	assert_string_equal(o->column, "mood");
	assert_string_equal(o->enum_type->name, "mood");
	assert_true(o->enum_type->no_create);
	assert_values(o->enum_type, 2, "x", "y");
	o = &x.ops.items[2];
	assert_string_equal(o->enum_type->name, "kind");
	assert_false(o->enum_type->values_known); /* a Python enum class */
	assert_null(x.ops.items[3].enum_type);    /* native_enum=False: a VARCHAR */
	assert_null(x.ops.items[4].enum_type);    /* MySQL's ENUM */
	/* the plain form autogenerate writes is read in full when it has an Enum */
	o = &x.ops.items[5];
	assert_string_equal(o->column, "f");
	assert_int_equal(o->nullable, MLINT_TRI_YES);
	assert_string_equal(o->enum_type->name, "feel");
	assert_values(o->enum_type, 2, "calm", "angry");
	o = &x.ops.items[6];
	assert_true(o->in_batch);
	assert_string_equal(o->table, "t");
	assert_string_equal(o->enum_type->name, "s2");
	assert_null(o->existing_enum);
	assert_string_equal(o->existing_type, "sa.String(20)");
	assert_true(o->has_using);
	o = &x.ops.items[7];
	assert_null(o->enum_type);
	assert_null(o->existing_enum);
	release_model(&x);
}

static const char CREATED[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"def upgrade():\n"
	"    sa.Enum('x', 'y', name='feel').create(op.get_bind())\n"
	"    postgresql.ENUM('x', name='f2').create(op.get_bind(), checkfirst=True)\n"
	"    e = sa.Enum('a', name='f3')\n"
	"    e.create(op.get_bind())\n"
	"    op.create_table('u', sa.Column('id', sa.Integer()),\n"
	"                    sa.Column('f', sa.Enum('a', 'b', name='f4')),\n"
	"                    sa.Column('g', postgresql.ENUM('c', name='f5', create_type=False)),\n"
	"                    sa.Column('h', sa.Enum('d', name='f8', create_type=False)))\n"
	"    sa.Table('v', sa.MetaData()).create(op.get_bind())\n"
	"    op.create_table(NAME, sa.Column('f', sa.Enum('a', name='f9')))\n"
	"    op.execute(\"CREATE TYPE f6 AS ENUM ('a'); ALTER TYPE f6 RENAME VALUE 'a' TO 'b'\")\n"
	"def downgrade():\n"
	"    op.create_table('w', sa.Column('f', sa.Enum('a', name='f7')))\n"
	"    sa.Enum(name='feel').drop(op.get_bind())\n";

static void test_enum_created(void **state)
{
	struct model x;
	const struct mlint_op *o;
	(void)state;

	read_model(&x, CREATED, 0, 0);
	assert_int_equal(x.ops.nr, 10);
	o = &x.ops.items[0];
	assert_int_equal(o->kind, MLINT_OP_CREATE_TYPE);
	assert_string_equal(o->name, "feel");
	assert_values(o->enum_type, 2, "x", "y");
	assert_false(o->enum_type->postgresql);
	assert_int_equal(o->line, 4);
	assert_int_equal(o->if_exists, MLINT_TRI_UNSET);
	assert_false(o->by_create_table);
	o = &x.ops.items[1];
	assert_int_equal(o->kind, MLINT_OP_CREATE_TYPE);
	assert_string_equal(o->name, "f2");
	assert_true(o->enum_type->postgresql);
	assert_int_equal(o->if_exists, MLINT_TRI_YES); /* checkfirst=True */
	o = &x.ops.items[2]; /* e.create(bind): some type, which is not known */
	assert_int_equal(o->kind, MLINT_OP_CREATE_TYPE);
	assert_null(o->name);
	assert_int_equal(x.ops.items[3].kind, MLINT_OP_CREATE_TABLE);
	o = &x.ops.items[4]; /* f4; f5 is a postgresql.ENUM with create_type=False */
	assert_int_equal(o->kind, MLINT_OP_CREATE_TYPE);
	assert_string_equal(o->name, "f4");
	assert_values(o->enum_type, 2, "a", "b");
	assert_true(o->by_create_table);
	assert_int_equal(o->line, 9); /* the Enum's line */
	assert_int_equal(o->call->line, 8);
	o = &x.ops.items[5]; /* sa.Enum ignores create_type=False */
	assert_int_equal(o->kind, MLINT_OP_CREATE_TYPE);
	assert_string_equal(o->name, "f8");
	assert_true(o->enum_type->no_create);
	assert_true(o->by_create_table);
	/* sa.Table(...).create(bind) is not a type; a create_table's name in a
	 * variable */
	assert_int_equal(x.ops.items[6].kind, MLINT_OP_CREATE_TABLE);
	assert_null(x.ops.items[6].table);
	assert_string_equal(x.ops.items[7].name, "f9");
	o = &x.ops.items[8];
	assert_int_equal(o->kind, MLINT_OP_CREATE_TYPE);
	assert_string_equal(o->name, "f6");
	assert_int_equal(o->source, MLINT_FROM_SQL);
	o = &x.ops.items[9];
	assert_int_equal(o->kind, MLINT_OP_ALTER_TYPE_RENAME_VALUE);
	assert_string_equal(o->table, "f6");
	assert_string_equal(o->name, "a");
	assert_string_equal(o->value, "b");
	assert_string_equal(mlint_op_kind_name(x.ops.items[8].kind), "create_type");
	assert_string_equal(mlint_op_kind_name(o->kind), "alter_type_rename_value");
	mlint_ops_release(&x.ops);

	/* names only (pairing an upgrade with its downgrade): no types */
	mlint_ops_init(&x.ops);
	assert_int_equal(mlint_ops_read_with(&x.ops, &x.m, CREATED, strlen(CREATED), 1,
					     MLINT_OPS_NAMES), 0);
	assert_int_equal(x.ops.nr, 1);
	assert_int_equal(x.ops.items[0].kind, MLINT_OP_CREATE_TABLE);
	release_model(&x);
}

/* Half-written or odd Enum calls: never a crash, no values made up. */
static const char ODD[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"def upgrade():\n"
	"    op.alter_column('t', 'c', type_=sa.Enum(*VALUES, name=NAME),\n"
	"                    existing_type=sa.Enum())\n"
	"    op.alter_column('t', 'd', type_=sa.Enum('a' 'b', f'{x}', name='e'))\n"
	"    op.alter_column('t', 'e', type_=sa.Enum\n"
	"    create(op.get_bind())\n"
	"    .create(op.get_bind())\n";

static void test_enum_odd(void **state)
{
	struct model x;
	const struct mlint_op *o;
	(void)state;

	read_model(&x, ODD, 0, 0);
	assert_true(x.ops.nr >= 2);
	o = &x.ops.items[0];
	assert_non_null(o->enum_type);
	assert_null(o->enum_type->name);
	assert_false(o->enum_type->values_known);
	assert_non_null(o->existing_enum);
	assert_int_equal(o->existing_enum->nr_values, 0);
	o = &x.ops.items[1];
	assert_string_equal(o->enum_type->name, "e");
	assert_false(o->enum_type->values_known); /* the f-string */
	assert_int_equal(o->enum_type->nr_values, 1);
	assert_string_equal(o->enum_type->values[0], "ab"); /* implicit concatenation */
	for (size_t i = 0; i < x.ops.nr; i++)
		if (x.ops.items[i].kind == MLINT_OP_CREATE_TYPE)
			assert_null(x.ops.items[i].name);
	release_model(&x);
}

/* More values than a call has room for elsewhere (an enum of countries):
 * all read, and the name written after them too. */
static void test_enum_many_values(void **state)
{
	static const char head[] = "revision = 'a'\ndown_revision = None\ndef upgrade():\n"
				   "    op.alter_column('t', 'c', existing_type=sa.Enum('v0', name='big'),\n"
				   "                    type_=sa.Enum(";
	size_t n = 300, len = sizeof(head) + n * 10 + 64;
	char *src = malloc(len), *p = src;
	struct model x;
	const struct mlint_enum_type *e;
	(void)state;

	assert_non_null(src);
	p += sprintf(p, "%s", head);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "'v%zu', ", i);
	sprintf(p, "name='big'))\n");
	read_model(&x, src, 0, 0);
	assert_int_equal(x.ops.nr, 1);
	e = x.ops.items[0].enum_type;
	assert_non_null(e);
	assert_string_equal(e->name, "big");
	assert_true(e->values_known);
	assert_int_equal(e->nr_values, n);
	assert_string_equal(e->values[n - 1], "v299");
	release_model(&x);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enum_types),
		cmocka_unit_test(test_enum_created),
		cmocka_unit_test(test_enum_odd),
		cmocka_unit_test(test_enum_many_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
