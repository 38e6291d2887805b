/* The operation model: op.* / batch_op.* calls and SQL strings read into
 * one ordered list per function. */
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

static void read_model(struct model *x, const char *src, size_t function)
{
	mlint_migration_init(&x->m);
	mlint_ops_init(&x->ops);
	assert_int_equal(mlint_migration_scan(&x->m, src, strlen(src)), 0);
	assert_int_equal(mlint_ops_read(&x->ops, &x->m, src, strlen(src), function), 0);
}

static void release_model(struct model *x)
{
	mlint_ops_release(&x->ops);
	mlint_migration_release(&x->m);
}

static const char CALLS[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"def upgrade():\n"
	"    op.create_table('t', sa.Column('id', sa.Integer(), nullable=False))\n"
	"    op.add_column('u', sa.Column('c', sa.String(length=50), nullable=False,\n"
	"                  server_default=sa.text('gen_random_uuid()')))\n"
	"    with op.batch_alter_table('v', schema=None) as b:\n"
	"        b.alter_column('d', existing_type=sa.VARCHAR(length=50),\n"
	"                       type_=sa.String(length=100), nullable=False)\n"
	"        b.drop_index(b.f('ix_v_d'))\n"
	"    with op.get_context().autocommit_block():\n"
	"        op.create_index('ix_u_c', 'u', ['c'], unique=True,\n"
	"                        postgresql_concurrently=True)\n"
	"    op.create_foreign_key('fk', 'u', 'v', ['c'], ['d'], postgresql_not_valid=True)\n"
	"    op.alter_column('u', 'c', new_column_name='c2')\n"
	"    op.add_column('w', sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False))\n"
	"    op.execute(\"ALTER TABLE u ALTER COLUMN c SET NOT NULL; \"\n"
	"               \"CREATE INDEX ix ON u (c)\")\n"
	"    op.execute(sa.text('''\n"
	"        UPDATE u SET c = 'x';\n"
	"        COMMIT;\n"
	"    '''))\n"
	"    op.add_column('u', sa.Column('e', sa.DateTime(), server_default=sa.text('now()')))\n"
	"    op.execute('this is not SQL')\n";

static void test_ops_calls(void **state)
{
	struct model x;
	const struct mlint_op *o;
	(void)state;

	read_model(&x, CALLS, 0);
	assert_int_equal(x.ops.nr, 14);
	o = &x.ops.items[0];
	assert_int_equal(o->kind, MLINT_OP_CREATE_TABLE);
	assert_string_equal(o->table, "t");
	o = &x.ops.items[1];
	assert_int_equal(o->kind, MLINT_OP_ADD_COLUMN);
	assert_string_equal(o->table, "u");
	assert_string_equal(o->column, "c");
	assert_string_equal(o->type, "sa.String(length=50)");
	assert_int_equal(o->nullable, MLINT_TRI_NO);
	assert_true(o->has_default);
	assert_true(o->default_volatile);
	assert_int_equal(o->line, 5);
	o = &x.ops.items[2];
	assert_int_equal(o->kind, MLINT_OP_ALTER_COLUMN);
	assert_true(o->in_batch);
	assert_string_equal(o->table, "v");
	assert_string_equal(o->column, "d");
	assert_string_equal(o->existing_type, "sa.VARCHAR(length=50)");
	assert_string_equal(o->type, "sa.String(length=100)");
	assert_int_equal(o->nullable, MLINT_TRI_NO);
	o = &x.ops.items[3];
	assert_int_equal(o->kind, MLINT_OP_DROP_INDEX);
	assert_string_equal(o->name, "ix_v_d");
	assert_string_equal(o->table, "v");
	assert_int_equal(o->concurrently, MLINT_TRI_UNSET);
	o = &x.ops.items[4];
	assert_int_equal(o->kind, MLINT_OP_CREATE_INDEX);
	assert_true(o->in_autocommit);
	assert_int_equal(o->concurrently, MLINT_TRI_YES);
	assert_int_equal(o->unique, MLINT_TRI_YES);
	assert_string_equal(o->column, "c");
	o = &x.ops.items[5];
	assert_int_equal(o->kind, MLINT_OP_CREATE_CONSTRAINT);
	assert_int_equal(o->constraint, MLINT_CONSTRAINT_FOREIGN_KEY);
	assert_int_equal(o->not_valid, MLINT_TRI_YES);
	assert_string_equal(o->table, "u");
	assert_false(o->in_autocommit);
	o = &x.ops.items[6];
	assert_int_equal(o->kind, MLINT_OP_RENAME_COLUMN);
	assert_string_equal(o->new_name, "c2");
	o = &x.ops.items[7];
	assert_true(o->identity);
	/* SQL: two statements of one implicitly concatenated string */
	o = &x.ops.items[8];
	assert_int_equal(o->source, MLINT_FROM_SQL);
	assert_int_equal(o->kind, MLINT_OP_ALTER_COLUMN);
	assert_int_equal(o->nullable, MLINT_TRI_NO);
	assert_string_equal(o->table, "u");
	assert_int_equal(o->line, 17);
	o = &x.ops.items[9];
	assert_int_equal(o->kind, MLINT_OP_CREATE_INDEX);
	assert_int_equal(o->concurrently, MLINT_TRI_NO);
	/* a triple-quoted string: statements on their own lines */
	o = &x.ops.items[10];
	assert_int_equal(o->kind, MLINT_OP_EXECUTE_DML);
	assert_int_equal(o->dml, MLINT_DML_UPDATE);
	assert_false(o->has_where);
	assert_int_equal(o->line, 20);
	o = &x.ops.items[11];
	assert_int_equal(o->kind, MLINT_OP_TRANSACTION);
	assert_string_equal(o->name, "COMMIT");
	assert_int_equal(o->line, 21);
	o = &x.ops.items[12];
	assert_int_equal(o->kind, MLINT_OP_ADD_COLUMN); /* the server_default text() is not SQL */
	assert_false(o->default_volatile);
	o = &x.ops.items[13];
	assert_int_equal(o->kind, MLINT_OP_EXECUTE_UNPARSED);
	assert_int_equal(x.ops.nr_sql_unparsed, 1);
	release_model(&x);
}

static void check_sql(const char *sql, enum mlint_op_kind kind, struct mlint_ops *ops)
{
	struct mlint_op proto;
	memset(&proto, 0, sizeof(proto));
	proto.line = 1;
	proto.col = 1;
	mlint_ops_init(ops);
	assert_int_equal(mlint_ops_read_sql(ops, sql, strlen(sql), &proto), 0);
	assert_true(ops->nr >= 1);
	assert_int_equal(ops->items[0].kind, kind);
}

static void test_ops_sql(void **state)
{
	struct mlint_ops ops;
	(void)state;

	check_sql("ALTER TABLE t ADD COLUMN id bigserial PRIMARY KEY", MLINT_OP_ADD_COLUMN, &ops);
	assert_true(ops.items[0].serial);
	assert_true(ops.items[0].primary_key);
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()", MLINT_OP_ADD_COLUMN,
		  &ops);
	assert_true(ops.items[0].default_volatile);
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE t ADD COLUMN u timestamptz DEFAULT now() NOT NULL",
		  MLINT_OP_ADD_COLUMN, &ops);
	assert_false(ops.items[0].default_volatile);
	assert_int_equal(ops.items[0].nullable, MLINT_TRI_NO);
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID",
		  MLINT_OP_CREATE_CONSTRAINT, &ops);
	assert_int_equal(ops.items[0].constraint, MLINT_CONSTRAINT_FOREIGN_KEY);
	assert_int_equal(ops.items[0].not_valid, MLINT_TRI_YES);
	assert_string_equal(ops.items[0].referenced, "u");
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE t ADD CONSTRAINT uq UNIQUE USING INDEX ix", MLINT_OP_CREATE_CONSTRAINT,
		  &ops);
	assert_true(ops.items[0].using_index);
	assert_string_equal(ops.items[0].index, "ix");
	mlint_ops_release(&ops);
	check_sql("DROP INDEX CONCURRENTLY IF EXISTS ix", MLINT_OP_DROP_INDEX, &ops);
	assert_int_equal(ops.items[0].concurrently, MLINT_TRI_YES);
	mlint_ops_release(&ops);
	check_sql("REINDEX TABLE CONCURRENTLY t", MLINT_OP_MAINTENANCE, &ops);
	assert_int_equal(ops.items[0].maintenance, MLINT_MAINT_REINDEX);
	assert_int_equal(ops.items[0].concurrently, MLINT_TRI_YES);
	mlint_ops_release(&ops);
	check_sql("VACUUM FULL t", MLINT_OP_MAINTENANCE, &ops);
	assert_int_equal(ops.items[0].maintenance, MLINT_MAINT_VACUUM_FULL);
	mlint_ops_release(&ops);
	check_sql("CLUSTER t USING ix", MLINT_OP_MAINTENANCE, &ops);
	assert_int_equal(ops.items[0].maintenance, MLINT_MAINT_CLUSTER);
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE p DETACH PARTITION c", MLINT_OP_DETACH_PARTITION, &ops);
	assert_int_equal(ops.items[0].concurrently, MLINT_TRI_NO);
	assert_string_equal(ops.items[0].name, "c");
	mlint_ops_release(&ops);
	check_sql("ALTER TYPE mood ADD VALUE 'meh'", MLINT_OP_ALTER_TYPE_ADD_VALUE, &ops);
	assert_string_equal(ops.items[0].table, "mood");
	assert_string_equal(ops.items[0].value, "meh");
	mlint_ops_release(&ops);
	check_sql("SET LOCAL lock_timeout = '2s'", MLINT_OP_SET_SETTING, &ops);
	assert_string_equal(ops.items[0].name, "lock_timeout");
	assert_string_equal(ops.items[0].value, "2s");
	assert_true(ops.items[0].local);
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE t RENAME COLUMN a TO b", MLINT_OP_RENAME_COLUMN, &ops);
	assert_string_equal(ops.items[0].column, "a");
	assert_string_equal(ops.items[0].new_name, "b");
	mlint_ops_release(&ops);
	check_sql("ALTER TABLE t ALTER COLUMN a TYPE bigint", MLINT_OP_ALTER_COLUMN, &ops);
	assert_string_equal(ops.items[0].type, "int8");
	mlint_ops_release(&ops);
	check_sql("DELETE FROM t WHERE a = 1", MLINT_OP_EXECUTE_DML, &ops);
	assert_true(ops.items[0].has_where);
	mlint_ops_release(&ops);
	check_sql("SELEC nonsense", MLINT_OP_EXECUTE_UNPARSED, &ops);
	mlint_ops_release(&ops);
}

static void test_ops_sql_many_statements(void **state)
{
	size_t n = 3000, len = n * 32 + 1;
	char *sql = malloc(len), *p = sql;
	struct mlint_ops ops;
	(void)state;

	assert_non_null(sql);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "UPDATE t SET a = %zu;\n", i);
	check_sql(sql, MLINT_OP_EXECUTE_DML, &ops);
	assert_int_equal(ops.nr, n);
	assert_int_equal(ops.items[n - 1].line, n);
	mlint_ops_release(&ops);
	free(sql);
}

static void test_ops_volatile(void **state)
{
	(void)state;
	assert_true(mlint_sql_default_is_volatile("sa.text('gen_random_uuid()')"));
	assert_true(mlint_sql_default_is_volatile("clock_timestamp ()"));
	assert_false(mlint_sql_default_is_volatile("sa.text('now()')"));
	assert_false(mlint_sql_default_is_volatile("my_random()"));
	assert_false(mlint_sql_default_is_volatile(NULL));
}

static const char PLAIN[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"def upgrade():\n"
	"    op.add_column('t', sa.Column('c', sa.String(length=50), nullable=True))\n"
	"    op.add_column('t', sa.Column('d', sa.Integer()))\n"
	"    op.create_index(op.f('ix_t_c'), 't', ['c'], unique=False)\n"
	"    op.create_index('ix_t_d', 't', ['d', 'c'])\n"
	"    op.add_column('t', sa.Column('e', sa.Integer(), nullable=flag))\n"
	"    op.create_index('ix_t_e', 't', ['e'], unique=flag)\n"
	"    op.alter_column('t', 'c',\n"
	"               existing_type=sa.VARCHAR(length=50),\n"
	"               nullable=False)\n"
	"    op.alter_column('t', 'd', existing_type=sa.Integer(), nullable=False,\n"
	"                    existing_nullable=False)\n"
	"def downgrade():\n"
	"    op.drop_index('ix_t_e', table_name='t')\n"
	"    op.drop_index(op.f('ix_t_c'), table_name='t')\n"
	"    op.drop_column('t', 'd')\n"
	"    with op.batch_alter_table('t') as b:\n"
	"        b.drop_index(b.f('ix_t_d'))\n"
	"        b.alter_column('c', new_column_name='c0')\n"
	"    op.drop_constraint('fk', 't', type_='foreignkey')\n";

/* The plain spellings autogenerate writes, read without tokenizing the
 * call again, give what the full reading gives. */
static void test_ops_plain_forms(void **state)
{
	struct model x;
	const struct mlint_op *o;
	(void)state;

	read_model(&x, PLAIN, 0);
	assert_int_equal(x.ops.nr, 8);
	o = &x.ops.items[0];
	assert_string_equal(o->table, "t");
	assert_string_equal(o->column, "c");
	assert_string_equal(o->type, "sa.String(length=50)");
	assert_int_equal(o->nullable, MLINT_TRI_YES);
	o = &x.ops.items[1];
	assert_string_equal(o->column, "d");
	assert_string_equal(o->type, "sa.Integer()");
	assert_int_equal(o->nullable, MLINT_TRI_UNSET);
	o = &x.ops.items[2];
	assert_string_equal(o->name, "ix_t_c");
	assert_string_equal(o->table, "t");
	assert_string_equal(o->column, "c");
	assert_int_equal(o->unique, MLINT_TRI_NO);
	assert_int_equal(o->concurrently, MLINT_TRI_UNSET);
	o = &x.ops.items[3];
	assert_string_equal(o->name, "ix_t_d");
	assert_string_equal(o->column, "d");
	assert_int_equal(o->unique, MLINT_TRI_UNSET);
	assert_int_equal(x.ops.items[4].nullable, MLINT_TRI_UNKNOWN); /* read in full */
	assert_int_equal(x.ops.items[5].unique, MLINT_TRI_UNKNOWN);
	o = &x.ops.items[6];
	assert_int_equal(o->kind, MLINT_OP_ALTER_COLUMN);
	assert_string_equal(o->table, "t");
	assert_string_equal(o->column, "c");
	assert_string_equal(o->existing_type, "sa.VARCHAR(length=50)");
	assert_null(o->type);
	assert_int_equal(o->nullable, MLINT_TRI_NO);
	assert_int_equal(o->existing_nullable, MLINT_TRI_UNSET);
	o = &x.ops.items[7];
	assert_string_equal(o->existing_type, "sa.Integer()");
	assert_int_equal(o->existing_nullable, MLINT_TRI_NO);
	mlint_ops_release(&x.ops);

	/* the downgrade, names only */
	mlint_ops_init(&x.ops);
	assert_int_equal(mlint_ops_read_with(&x.ops, &x.m, PLAIN, strlen(PLAIN), 1,
					     MLINT_OPS_NAMES), 0);
	assert_int_equal(x.ops.nr, 6);
	assert_string_equal(x.ops.items[0].name, "ix_t_e");
	assert_string_equal(x.ops.items[0].table, "t");
	assert_string_equal(x.ops.items[1].name, "ix_t_c");
	assert_string_equal(x.ops.items[1].table, "t");
	assert_int_equal(x.ops.items[2].kind, MLINT_OP_DROP_COLUMN);
	assert_string_equal(x.ops.items[2].table, "t");
	assert_string_equal(x.ops.items[2].column, "d");
	assert_string_equal(x.ops.items[3].name, "ix_t_d");
	assert_string_equal(x.ops.items[3].table, "t");
	assert_int_equal(x.ops.items[4].kind, MLINT_OP_RENAME_COLUMN);
	assert_string_equal(x.ops.items[4].new_name, "c0");
	assert_int_equal(x.ops.items[5].constraint, MLINT_CONSTRAINT_FOREIGN_KEY);
	release_model(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops_calls),
		cmocka_unit_test(test_ops_sql),
		cmocka_unit_test(test_ops_sql_many_statements),
		cmocka_unit_test(test_ops_volatile),
		cmocka_unit_test(test_ops_plain_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
