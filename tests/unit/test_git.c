/* Unit tests: git.c (open, head, base) and snapshot_git.c (index and tree listings). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <git2.h>
#include "mlint/check_run.h"
#include "mlint/git.h"
#include "mlint/scriptdir.h"
#include "mlint/snapshot.h"

struct fixture {
	char dir[256];
	struct mlint_project p;
	struct mlint_notes notes;
};

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

#define GIT_ENV "GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@b " \
		"GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@b GIT_AUTHOR_DATE=2025-01-01T00:00:00Z " \
		"GIT_COMMITTER_DATE=2025-01-01T00:00:00Z git -c commit.gpgsign=false"

/* A repository: main has a1 (and helpers that are not read); index and disk differ. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mlint_discover_opts o = {NULL};
	const char *paths[1];

	snprintf(f->dir, sizeof(f->dir), "/tmp/mlint-unit-git.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (sh("cd %s && " GIT_ENV " init -q -b main && mkdir -p migrations/versions/sub && "
	       "printf 'revision = \"a1\"\\ndown_revision = None\\n' > migrations/versions/a1.py && "
	       "printf 'x = 1\\n' > migrations/versions/__init__.py && "
	       "printf 'revision = \"s1\"\\n' > migrations/versions/sub/s1.py && "
	       "printf 'notes' > migrations/versions/README && "
	       GIT_ENV " add -A && " GIT_ENV " commit -q -m one && "
	       "printf 'revision = \"b2\"\\ndown_revision = \"a1\"\\n' > migrations/versions/b2.py && "
	       GIT_ENV " add migrations/versions/b2.py && "
	       "printf 'revision = \"b3\"\\ndown_revision = \"a1\"\\n' > migrations/versions/b2.py",
	       f->dir) != 0)
		return -1;
	mlint_project_init(&f->p);
	paths[0] = f->dir;
	if (mlint_discover(&f->p, paths, 1, &o) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sh("rm -rf %s", f->dir);
	mlint_project_release(&f->p);
	mlint_notes_release(&f->notes);
	free(f);
	return 0;
}

static void test_git_in_locations(void **state)
{
	char *locs[] = {(char *)"migrations/versions", (char *)""};
	(void)state;
	assert_true(mlint_snapshot_in_locations("migrations/versions/a.py", locs, 1, 0));
	assert_false(mlint_snapshot_in_locations("migrations/versions/sub/a.py", locs, 1, 0));
	assert_true(mlint_snapshot_in_locations("migrations/versions/sub/a.py", locs, 1, 1));
	assert_false(mlint_snapshot_in_locations("migrations/versions/__pycache__/a.py", locs, 1, 1));
	assert_false(mlint_snapshot_in_locations("migrations/versions/__init__.py", locs, 1, 0));
	assert_false(mlint_snapshot_in_locations("migrations/versions/.#a.py", locs, 1, 0));
	assert_false(mlint_snapshot_in_locations("migrations/versionsx/a.py", locs, 1, 0));
	assert_false(mlint_snapshot_in_locations("migrations/versions/README", locs, 1, 0));
	assert_true(mlint_snapshot_in_locations("a.py", locs + 1, 1, 0));
}

static void test_git_open_outside(void **state)
{
	struct mlint_git *g = NULL;
	(void)state;
	assert_int_equal(mlint_git_open(&g, "/"), MLINT_ENOTFOUND);
	mlint_git_free(g);
}

static int find(const struct mlint_snapshot *s, const char *suffix)
{
	for (size_t i = 0; i < s->nr; i++) {
		size_t n = strlen(s->entries[i].path), k = strlen(suffix);
		if (n >= k && strcmp(s->entries[i].path + n - k, suffix) == 0)
			return (int)i;
	}
	return -1;
}

static void test_git_list_index_and_tree(void **state)
{
	struct fixture *f = *state;
	struct mlint_git *g = NULL;
	struct mlint_snapshot idx, tree;
	struct mlint_buf buf;
	int at;

	mlint_snapshot_init(&idx);
	mlint_snapshot_init(&tree);
	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_git_open(&g, f->dir), 0);
	assert_int_equal(mlint_snapshot_list_index(&idx, mlint_git_repository(g), &f->p,
						   &f->p.dirs[0], &f->notes), 0);
	/* a1 and the staged b2; not __init__, README or sub/ (not recursive) */
	assert_int_equal(idx.nr, 2);
	assert_int_equal(find(&idx, "/__init__.py"), -1);
	at = find(&idx, "versions/b2.py");
	assert_true(at >= 0);
	assert_true(idx.entries[at].has_id);
	assert_int_equal(mlint_snapshot_read(&idx, (size_t)at, &buf), 0);
	assert_non_null(strstr(buf.ptr, "\"b2\"")); /* the staged blob, not the disk's b3 */

	assert_int_equal(mlint_git_set_head(g, MLINT_GIT_HEAD_REV, "main"), 0);
	assert_int_equal(mlint_snapshot_list_tree(&tree, mlint_git_repository(g),
						  mlint_git_head_tree(g), &f->p, &f->p.dirs[0],
						  &f->notes), 0);
	assert_int_equal(tree.nr, 1); /* b2 is not committed */
	assert_true(find(&tree, "versions/a1.py") >= 0);
	f->p.dirs[0].recursive = 1;
	mlint_snapshot_release(&tree);
	assert_int_equal(mlint_snapshot_list_tree(&tree, mlint_git_repository(g),
						  mlint_git_head_tree(g), &f->p, &f->p.dirs[0],
						  &f->notes), 0);
	assert_int_equal(tree.nr, 2); /* sub/s1.py too */
	f->p.dirs[0].recursive = 0;

	mlint_buf_release(&buf);
	mlint_snapshot_release(&idx);
	mlint_snapshot_release(&tree);
	mlint_git_free(g);
}

static void test_git_base(void **state)
{
	struct fixture *f = *state;
	struct mlint_git *g = NULL;

	assert_int_equal(mlint_git_open(&g, f->dir), 0);
	assert_int_equal(mlint_git_set_head(g, MLINT_GIT_HEAD_WORKTREE, NULL), 0);
	assert_int_equal(mlint_git_choose_base(g, "nope", &f->notes), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "base 'nope' does not exist"));
	mlint_git_free(g);

	/* default, on main itself: HEAD is the base */
	assert_int_equal(mlint_git_open(&g, f->dir), 0);
	assert_int_equal(mlint_git_set_head(g, MLINT_GIT_HEAD_WORKTREE, NULL), 0);
	assert_int_equal(mlint_git_choose_base(g, NULL, &f->notes), 0);
	assert_string_equal(mlint_git_base_name(g), "HEAD");
	assert_int_equal(mlint_git_applied_count(g), 1);
	assert_int_equal(mlint_git_add_applied(g, "refs/tags/none-*", &f->notes), 0);
	assert_int_equal(mlint_git_applied_count(g), 1);
	assert_int_equal(mlint_git_add_applied(g, "nope", &f->notes), MLINT_EUSAGE);
	mlint_git_free(g);
}

static void test_git_changed_set(void **state)
{
	struct mlint_change_set c;

	(void)state;
	mlint_change_set_init(&c);
	assert_int_equal(mlint_path_list_add(&c.paths, "b"), 0);
	assert_int_equal(mlint_path_list_add(&c.paths, "a"), 0);
	assert_int_equal(mlint_path_list_add(&c.paths, "c"), 0);
	assert_int_equal(mlint_path_list_add(&c.paths, "a"), 0);
	assert_int_equal(c.paths.nr, 3);
	assert_string_equal(c.paths.items[0], "a");
	assert_true(mlint_path_list_has(&c.paths, "a"));
	assert_true(mlint_path_list_has(&c.paths, "c"));
	assert_false(mlint_path_list_has(&c.paths, "d"));
	assert_int_equal(mlint_change_set_add_rename(&c, "x", "y"), 0);
	mlint_change_set_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_in_locations),
		cmocka_unit_test(test_git_open_outside),
		cmocka_unit_test_setup_teardown(test_git_list_index_and_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_changed_set, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
