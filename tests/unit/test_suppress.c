/* Parsing `# mlint:` suppression comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mlint/suppress.h"

static void test_suppress_parse_ignore(void **state)
{
	struct mlint_suppression s;
	(void)state;
	assert_int_equal(mlint_suppression_parse(&s, "# mlint: ignore[drop-table, drop-column] -- ok"), 1);
	assert_false(s.file_wide);
	assert_false(s.bad);
	assert_int_equal(s.nr_ids, 2);
	assert_string_equal(s.ids[0], "drop-table");
	assert_string_equal(s.ids[1], "drop-column");
	mlint_suppression_release(&s);

	assert_int_equal(mlint_suppression_parse(&s, "#mlint:ignore-file[rename-table]"), 1);
	assert_true(s.file_wide);
	assert_int_equal(s.nr_ids, 1);
	assert_string_equal(s.ids[0], "rename-table");
	mlint_suppression_release(&s);

	/* after another tool's comment on the same line */
	assert_int_equal(mlint_suppression_parse(&s, "# noqa: E501  # mlint: ignore[x]"), 1);
	assert_string_equal(s.ids[0], "x");
	mlint_suppression_release(&s);
}

static void test_suppress_parse_not_directives(void **state)
{
	struct mlint_suppression s;
	(void)state;
	assert_int_equal(mlint_suppression_parse(&s, "# see the mlint: docs"), 0);
	assert_int_equal(mlint_suppression_parse(&s, "# plain comment"), 0);
}

static void test_suppress_parse_malformed(void **state)
{
	struct mlint_suppression s;
	(void)state;
	assert_int_equal(mlint_suppression_parse(&s, "# mlint: disable[drop-table]"), 1);
	assert_true(s.bad);
	mlint_suppression_release(&s);
	assert_int_equal(mlint_suppression_parse(&s, "# mlint: ignore drop-table"), 1);
	assert_true(s.bad);
	mlint_suppression_release(&s);
	assert_int_equal(mlint_suppression_parse(&s, "# mlint: ignore[]"), 1);
	assert_true(s.bad);
	mlint_suppression_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suppress_parse_ignore),
		cmocka_unit_test(test_suppress_parse_not_directives),
		cmocka_unit_test(test_suppress_parse_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
