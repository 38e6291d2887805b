/* What the extractor adds for the rules: `with ... as NAME` aliases and
 * `# mlint:` comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mlint/migration.h"

static const char SRC[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"# mlint: ignore-file[drop-table]\n"
	"def upgrade():\n"
	"    with op.batch_alter_table('species', schema=None) as b, open('x') as fh:\n"
	"        b.drop_column('name')  # mlint: ignore[drop-column]\n"
	"    s = \"with op.batch_alter_table('t') as fake:\"\n"
	"def downgrade():\n"
	"    with op.batch_alter_table(\n"
	"            'genes') as batch_op:\n"
	"        batch_op.add_column(sa.Column('name', sa.Text()))\n";

static void test_migration_aliases(void **state)
{
	struct mlint_migration m;
	const struct mlint_alias *a;
	(void)state;

	mlint_migration_init(&m);
	assert_int_equal(mlint_migration_scan(&m, SRC, strlen(SRC)), 0);
	assert_int_equal(m.nr_aliases, 3);
	a = mlint_migration_alias(&m, 0, "b", 1, 6);
	assert_non_null(a);
	assert_string_equal(a->callee, "op.batch_alter_table");
	assert_string_equal(a->first_arg, "species");
	assert_int_equal(a->line, 5);
	a = mlint_migration_alias(&m, 0, "fh", 2, 6);
	assert_non_null(a);
	assert_string_equal(a->callee, "open");
	assert_null(mlint_migration_alias(&m, 0, "fake", 4, 7)); /* in a string */
	assert_null(mlint_migration_alias(&m, 1, "b", 1, 11));   /* another function */
	a = mlint_migration_alias(&m, 1, "batch_op", 8, 11);
	assert_non_null(a);
	assert_string_equal(a->first_arg, "genes");
	/* existing fields keep their meaning */
	assert_int_equal(m.nr_calls, 7);
	assert_string_equal(m.calls[2].name, "b.drop_column");
	assert_string_equal(m.calls[2].first_arg, "name");
	mlint_migration_release(&m);
}

static void test_migration_directives(void **state)
{
	struct mlint_migration m;
	(void)state;

	mlint_migration_init(&m);
	assert_int_equal(mlint_migration_scan(&m, SRC, strlen(SRC)), 0);
	assert_int_equal(m.nr_directives, 2);
	assert_string_equal(m.directives[0].text, "# mlint: ignore-file[drop-table]");
	assert_int_equal(m.directives[0].line, 3);
	assert_true(m.directives[0].own_line);
	assert_int_equal(m.directives[1].line, 6);
	assert_int_equal(m.directives[1].col, 32);
	assert_false(m.directives[1].own_line);
	mlint_migration_release(&m);
	/* heads does not need them */
	mlint_migration_init(&m);
	assert_int_equal(mlint_migration_scan_with(&m, SRC, strlen(SRC), MLINT_SCAN_NO_CALLS), 0);
	assert_int_equal(m.nr_directives, 0);
	assert_int_equal(m.nr_aliases, 0);
	mlint_migration_release(&m);
}

/* "mlint:" anywhere in a comment, also at its very end; near misses are
 * plain comments. */
static void test_migration_directive_positions(void **state)
{
	static const char src[] = "# mlint:\n#mlint\n# mmlint:x\n# mlint\n# ml\n#\n";
	struct mlint_migration m;
	(void)state;

	mlint_migration_init(&m);
	assert_int_equal(mlint_migration_scan(&m, src, strlen(src)), 0);
	assert_int_equal(m.nr_directives, 2);
	assert_string_equal(m.directives[0].text, "# mlint:");
	assert_string_equal(m.directives[1].text, "# mmlint:x");
	mlint_migration_release(&m);
}

static const char BLOCKS[] =
	"revision = 'a'\n"
	"down_revision = None\n"
	"def upgrade():\n"
	"    op.add_column('t', sa.Column('a', sa.Integer()))\n"
	"    with op.get_context().autocommit_block():\n"
	"        op.create_index('ix', 't', ['a'],\n"
	"                        postgresql_concurrently=True)\n"
	"        for i in range(3):\n"
	"            op.execute('UPDATE t SET a = 1')\n"
	"\n"
	"    op.create_index('ix2', 't', ['a'])\n"
	"    with ctx(): pass\n"
	"def downgrade():\n"
	"    while True:\n"
	"        op.execute('x')\n";

static void test_migration_blocks(void **state)
{
	struct mlint_migration m;
	const struct mlint_block *b;
	(void)state;

	mlint_migration_init(&m);
	assert_int_equal(mlint_migration_scan(&m, BLOCKS, strlen(BLOCKS)), 0);
	assert_int_equal(m.nr_blocks, 4);
	assert_string_equal(m.blocks[0].expr, "op.get_context().autocommit_block()");
	assert_int_equal(m.blocks[0].line, 5);
	assert_int_equal(m.blocks[0].end_line, 9);
	assert_int_equal(m.blocks[1].kind, MLINT_BLOCK_LOOP);
	assert_int_equal(m.blocks[1].end_line, 9);
	assert_int_equal(m.blocks[2].line, 12);
	assert_int_equal(m.blocks[2].end_line, 12);
	assert_int_equal(m.blocks[3].function, 1);
	assert_int_equal(m.blocks[3].end_line, 15);
	b = mlint_migration_block_at(&m, 0, 7, MLINT_BLOCK_WITH, "autocommit_block");
	assert_non_null(b);
	assert_null(mlint_migration_block_at(&m, 0, 11, MLINT_BLOCK_WITH, "autocommit_block"));
	assert_non_null(mlint_migration_block_at(&m, 0, 9, MLINT_BLOCK_LOOP, NULL));
	assert_null(mlint_migration_block_at(&m, 0, 6, MLINT_BLOCK_LOOP, NULL));
	assert_null(mlint_migration_block_at(&m, 1, 7, MLINT_BLOCK_WITH, NULL));
	mlint_migration_drop_calls(&m);
	assert_int_equal(m.nr_blocks, 0);
	mlint_migration_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migration_aliases),
		cmocka_unit_test(test_migration_blocks),
		cmocka_unit_test(test_migration_directives),
		cmocka_unit_test(test_migration_directive_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
