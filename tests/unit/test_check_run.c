/* A whole check through the public header alone: what a library user
 * writes instead of copying src/cli/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "mlint/check_run.h"
#include "testutil.h"

#define A1 "revision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n" \
	   "    op.create_table('t')\n\n\ndef downgrade():\n    op.drop_table('t')\n"
#define B2 "revision = 'b2'\ndown_revision = 'a1'\n\n\ndef upgrade():\n" \
	   "    op.drop_table('t')\n\n\ndef downgrade():\n    pass\n"

struct fixture {
	char dir[PATH_MAX];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char tmpl[] = "/tmp/mlint-check-run.XXXXXX";

	if (!f || !mkdtemp(tmpl))
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", tmpl);
	test_write_file(f->dir, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	test_write_file(f->dir, "migrations/versions/a1_t.py", A1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* Outside git paths are relative to the current directory: compare the end. */
static int has_finding(const struct mlint_check_result *r, const char *rule, const char *path)
{
	for (size_t i = 0; i < r->findings.nr; i++) {
		const char *p = r->findings.items[i].path;
		size_t n = strlen(p), k = strlen(path);
		if (strcmp(r->findings.items[i].rule, rule) == 0 && n >= k &&
		    strcmp(p + n - k, path) == 0)
			return 1;
	}
	return 0;
}

static void git(const struct fixture *f, const char *args)
{
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "cd '%s' && GIT_CONFIG_NOSYSTEM=1 HOME='%s' git -c "
		 "user.name=T -c user.email=t@example.com -c commit.gpgsign=false %s "
		 ">/dev/null 2>&1", f->dir, f->dir, args);
	assert_int_equal(system(cmd), 0);
}

/* The working tree without git: findings, summary, settings per directory. */
static void test_check_run_no_git(void **state)
{
	struct fixture *f = *state;
	const char *paths[] = {f->dir};
	struct mlint_check_request req = {0};
	struct mlint_check_result res;

	test_write_file(f->dir, "migrations/versions/b2_drop.py", B2);
	req.paths = paths;
	req.nr_paths = 1;
	req.no_git = 1;
	mlint_check_result_init(&res);
	assert_int_equal(mlint_check_run(&res, &req), 0);
	assert_int_equal(res.nr_dirs, 1);
	assert_int_equal(res.summary.migrations, 2);
	assert_true(has_finding(&res, "drop-table", "migrations/versions/b2_drop.py"));
	assert_true(res.fail);
	assert_null(res.base);
	assert_false(res.change.known);
	mlint_check_result_release(&res);
}

/* In git: the base table, the git rules, and the change set as a value. */
static void test_check_run_git_change_set(void **state)
{
	struct fixture *f = *state;
	const char *paths[] = {f->dir};
	struct mlint_check_request req = {0};
	struct mlint_check_result res;
	struct mlint_config overrides;

	git(f, "init -q -b main . && git add -A && git -c user.name=T -c "
	       "user.email=t@example.com commit -q -m a1");
	test_write_file(f->dir, "migrations/versions/a1_t.py", A1 "# edited\nx = 1\n");
	test_write_file(f->dir, "migrations/versions/b2_drop.py", B2);
	mlint_config_init(&overrides);
	assert_int_equal(mlint_config_set(&overrides, "new-only", "true", "--new-only"), 0);
	req.paths = paths;
	req.nr_paths = 1;
	req.overrides = &overrides;
	mlint_check_result_init(&res);
	assert_int_equal(mlint_check_run(&res, &req), 0);
	assert_string_equal(res.base, "HEAD");
	assert_non_null(res.base_row);
	assert_true(res.change.known);
	assert_int_equal(res.change.added.nr, 1);
	assert_string_equal(res.change.added.items[0], "migrations/versions/b2_drop.py");
	assert_int_equal(res.change.changed.nr, 1);
	assert_string_equal(res.change.changed.items[0], "migrations/versions/a1_t.py");
	assert_true(has_finding(&res, "edited-applied", "migrations/versions/a1_t.py"));
	assert_true(has_finding(&res, "drop-table", "migrations/versions/b2_drop.py"));
	mlint_check_result_release(&res);
	mlint_config_release(&overrides);
}

/* A path that does not exist: a usage error, with nothing half-built left. */
static void test_check_run_missing_path(void **state)
{
	struct fixture *f = *state;
	char missing[PATH_MAX];
	const char *paths[] = {missing};
	struct mlint_check_request req = {0};
	struct mlint_check_result res;

	test_fmt_path(missing, "%s/nope", f->dir);
	req.paths = paths;
	req.nr_paths = 1;
	mlint_check_result_init(&res);
	assert_int_equal(mlint_check_run(&res, &req), MLINT_EUSAGE);
	mlint_check_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_run_no_git, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_run_git_change_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_run_missing_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
