/*
 * Unit tests: treediff.c, on trees that real git writes (git write-tree in a
 * temporary repository): nested directories, whole subtrees added, a
 * directory replaced by a file, git's tree order, symlinks and submodules,
 * malformed trees and a callback that stops the walk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <git2.h>
#include "mlint/buf.h"
#include "mlint/common.h"
#include "testutil.h"
#include "treediff.h"

#define GIT_ENV "GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent git"

struct fixture {
	char dir[64];
	git_repository *repo;
	git_odb *odb;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char cmd[256];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/mlint-unit-treediff.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "cd %s && " GIT_ENV " init -q", f->dir);
	if (system(cmd) != 0)
		return -1;
	git_libgit2_init();
	if (git_repository_open(&f->repo, f->dir) < 0 || git_repository_odb(&f->odb, f->repo) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	git_odb_free(f->odb);
	git_repository_free(f->repo);
	git_libgit2_shutdown();
	test_remove_tree(f->dir);
	free(f);
	return 0;
}

/* Runs `script` in the work tree (after emptying it), stages everything and
 * returns the tree git writes for it. */
static git_oid tree_of(struct fixture *f, const char *script)
{
	char cmd[2048], hex[128] = "";
	git_oid id;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cd %s && find . -mindepth 1 -maxdepth 1 ! -name .git "
		 "-exec rm -rf {} + && %s && " GIT_ENV " add -A && " GIT_ENV " write-tree",
		 f->dir, script);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(hex, sizeof(hex), p));
	assert_int_equal(pclose(p), 0);
	hex[strcspn(hex, "\n")] = '\0';
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	return id;
}

/* Collects "+path" and "-path", one a line, in the order reported. */
static int collect(void *ctx, const char *path, const git_oid *id, int added)
{
	(void)id;
	return mlint_buf_printf(ctx, "%c%s\n", added ? '+' : '-', path);
}

/* Diffs new against old (NULL: the empty tree) under `prefix`; returns the
 * report, which the caller frees. */
static char *diff(struct fixture *f, const git_oid *new_id, const git_oid *old_id,
		  const char *prefix)
{
	git_odb_object *no = NULL, *oo = NULL;
	struct mlint_buf out;

	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_buf_puts(&out, ""), 0);
	if (new_id)
		assert_int_equal(git_odb_read(&no, f->odb, new_id), 0);
	if (old_id)
		assert_int_equal(git_odb_read(&oo, f->odb, old_id), 0);
	assert_int_equal(mlint_treediff(f->odb, prefix, no ? git_odb_object_data(no) : NULL,
					no ? git_odb_object_size(no) : 0,
					oo ? git_odb_object_data(oo) : NULL,
					oo ? git_odb_object_size(oo) : 0, collect, &out), 0);
	git_odb_object_free(no);
	git_odb_object_free(oo);
	return mlint_buf_detach(&out, NULL);
}

static void assert_diff(struct fixture *f, const git_oid *new_id, const git_oid *old_id,
			const char *prefix, const char *expected)
{
	char *got = diff(f, new_id, old_id, prefix);
	assert_string_equal(got, expected);
	free(got);
}

/* Changes three levels down, a new nested subtree, a deleted file deep in
 * an unchanged-looking branch, and a modified file (not reported: only
 * files added or deleted are). */
static void test_nested_directories(void **state)
{
	struct fixture *f = *state;
	git_oid old_id = tree_of(f, "mkdir -p v/sub/deep && echo a > a.txt && echo x > v/x.py && "
				    "echo y > v/sub/deep/y.py && echo z > v/sub/z.py");
	git_oid new_id = tree_of(f, "mkdir -p v/sub/deep v/new/two && echo A > a.txt && "
				    "echo x > v/x.py && echo w > v/sub/deep/w.py && "
				    "echo z > v/sub/z.py && echo 1 > v/new/one.py && "
				    "echo 3 > v/new/two/three.py && echo b > b.txt");

	assert_diff(f, &new_id, &old_id, "",
		    "+b.txt\n+v/new/one.py\n+v/new/two/three.py\n+v/sub/deep/w.py\n"
		    "-v/sub/deep/y.py\n");
	assert_diff(f, &old_id, &new_id, "",
		    "-b.txt\n-v/new/one.py\n-v/new/two/three.py\n-v/sub/deep/w.py\n"
		    "+v/sub/deep/y.py\n");
}

/* Against the empty tree every file is added, paths under the prefix. */
static void test_against_empty_tree(void **state)
{
	struct fixture *f = *state;
	git_oid id = tree_of(f, "mkdir -p a/b/c && echo 1 > top.py && echo 2 > a/one.py && "
				"echo 3 > a/b/c/deep.py");

	assert_diff(f, &id, NULL, "versions",
		    "+versions/a/b/c/deep.py\n+versions/a/one.py\n+versions/top.py\n");
	assert_diff(f, NULL, &id, "", "-a/b/c/deep.py\n-a/one.py\n-top.py\n");
	assert_diff(f, &id, &id, "", "");
}

/* A directory that becomes a file (and back): the file on one side, every
 * file of the directory on the other. */
static void test_directory_replaced_by_file(void **state)
{
	struct fixture *f = *state;
	git_oid dir = tree_of(f, "mkdir -p v/in && echo 1 > v/a.py && echo 2 > v/in/b.py");
	git_oid file = tree_of(f, "echo v > v");

	assert_diff(f, &file, &dir, "", "+v\n-v/a.py\n-v/in/b.py\n");
	assert_diff(f, &dir, &file, "", "-v\n+v/a.py\n+v/in/b.py\n");
}

/* git sorts a tree's entries as if a directory's name ended in '/': "a.b"
 * < "a/" < "a0". A merge that sorted "a" first would pair the wrong
 * entries and report files that did not change. */
static void test_git_tree_order(void **state)
{
	struct fixture *f = *state;
	git_oid old_id = tree_of(f, "mkdir -p a a-b && echo 1 > a.b && echo 2 > a/x.py && "
				    "echo 3 > a0 && echo 4 > a-b/q.py");
	git_oid new_id = tree_of(f, "mkdir -p a a-b && echo 1 > a.b && echo 2 > a/x.py && "
				    "echo 5 > a/y.py && echo 3 > a0 && echo 4 > a-b/q.py");

	git_oid with_ab = tree_of(f, "mkdir -p a && echo 1 > a.b && echo 2 > a/x.py && "
				     "echo 5 > a/y.py && echo 3 > a0");
	git_oid without_ab = tree_of(f, "mkdir -p a && echo 2 > a/x.py && echo 3 > a0");

	assert_diff(f, &new_id, &old_id, "", "+a/y.py\n");
	assert_diff(f, &old_id, &new_id, "", "-a/y.py\n");
	/* "a.b" comes before the directory "a" only in git's order */
	assert_diff(f, &with_ab, &without_ab, "", "+a.b\n+a/y.py\n");
	assert_diff(f, &without_ab, &with_ab, "", "-a.b\n-a/y.py\n");
}

/* A symlink is a file; a submodule (a commit in the tree) is skipped. */
static void test_symlink_and_submodule(void **state)
{
	struct fixture *f = *state;
	git_oid old_id = tree_of(f, "echo 1 > keep.py");
	git_oid new_id = tree_of(f, "echo 1 > keep.py && ln -s keep.py link.py && " GIT_ENV
				    " update-index --add --cacheinfo "
				    "160000,1234567890123456789012345678901234567890,sub");

	assert_diff(f, &new_id, &old_id, "", "+link.py\n");
}

static int stop_at_first(void *ctx, const char *path, const git_oid *id, int added)
{
	(void)path, (void)id, (void)added;
	++*(int *)ctx;
	return -7;
}

/* The callback's negative value ends the walk and is returned. */
static void test_callback_stops(void **state)
{
	struct fixture *f = *state;
	git_oid id = tree_of(f, "mkdir d && echo 1 > d/a && echo 2 > d/b && echo 3 > c");
	git_odb_object *o;
	int calls = 0;

	assert_int_equal(git_odb_read(&o, f->odb, &id), 0);
	assert_int_equal(mlint_treediff(f->odb, "", git_odb_object_data(o), git_odb_object_size(o),
					NULL, 0, stop_at_first, &calls), -7);
	assert_int_equal(calls, 1);
	git_odb_object_free(o);
}

/* Malformed raw trees are an error, never a read past the end. */
static void test_malformed_tree(void **state)
{
	struct fixture *f = *state;
	git_oid id = tree_of(f, "echo 1 > a.py && echo 2 > b.py");
	git_odb_object *o;
	const unsigned char *data;
	size_t len;
	struct mlint_buf out;
	static const unsigned char no_space[] = "100644a.py";
	static const unsigned char no_nul[] = "100644 a.py";

	assert_int_equal(git_odb_read(&o, f->odb, &id), 0);
	data = git_odb_object_data(o);
	len = git_odb_object_size(o);
	mlint_buf_init(&out, 0);
	/* cut inside the second entry's object id */
	assert_int_equal(mlint_treediff(f->odb, "", data, len - 5, NULL, 0, collect, &out),
			 MLINT_ERROR);
	assert_int_equal(mlint_treediff(f->odb, "", no_space, sizeof(no_space) - 1, NULL, 0,
					collect, &out), MLINT_ERROR);
	assert_int_equal(mlint_treediff(f->odb, "", no_nul, sizeof(no_nul) - 1, data, len,
					collect, &out), MLINT_ERROR);
	mlint_buf_release(&out);
	git_odb_object_free(o);
}

/* A subtree id the object database does not hold is an error naming it. */
static void test_missing_subtree(void **state)
{
	struct fixture *f = *state;
	static const unsigned char entry[] = "40000 gone\0\x12\x34\x56\x78\x90\x12\x34\x56\x78\x90"
					     "\x12\x34\x56\x78\x90\x12\x34\x56\x78\x90";
	struct mlint_buf out;

	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_treediff(f->odb, "", entry, sizeof(entry) - 1, NULL, 0, collect,
					&out), MLINT_ERROR);
	mlint_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nested_directories, setup, teardown),
		cmocka_unit_test_setup_teardown(test_against_empty_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_replaced_by_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_tree_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_and_submodule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_subtree, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
