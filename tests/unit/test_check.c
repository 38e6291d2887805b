/* Unit tests for the checks (include/mlint/check.h) over real script
 * directories written to temp dirs, loaded with mlint_discover and
 * mlint_scriptdir_load as the CLI does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlint/check.h"
#include "mlint/common.h"
#include "testutil.h"
#include "mlint/discover.h"
#include "mlint/finding.h"
#include "mlint/scriptdir.h"

struct fixture {
	char root[PATH_MAX];
	struct mlint_project p;
	struct mlint_scriptdir sd;
	struct mlint_notes notes;
	struct mlint_findings out;
};

/*
 * Writes migrations/versions/<name> declaring `rev` with the given Python
 * expressions (NULL: the line is left out).
 */
static void migration(const struct fixture *f, const char *name, const char *rev,
		      const char *down, const char *labels, const char *depends)
{
	char rel[PATH_MAX], text[2048];
	int n = 0;

	n += snprintf(text + n, sizeof(text) - (size_t)n, "\"\"\"%s\"\"\"\n", name);
	if (rev)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "revision = %s\n", rev);
	if (down)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "down_revision = %s\n", down);
	n += snprintf(text + n, sizeof(text) - (size_t)n, "branch_labels = %s\n",
		      labels ? labels : "None");
	n += snprintf(text + n, sizeof(text) - (size_t)n, "depends_on = %s\n",
		      depends ? depends : "None");
	snprintf(text + n, sizeof(text) - (size_t)n,
		 "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n");
	test_fmt_path(rel, "migrations/versions/%s", name);
	test_write_file(f->root, rel, text);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char tmpl[] = "/tmp/mlint-test-check-XXXXXX";
	char *real;

	if (!f || !mkdtemp(tmpl)) {
		free(f);
		return -1;
	}
	if (!(real = realpath(tmpl, NULL))) {
		rmdir(tmpl);
		free(f);
		return -1;
	}
	snprintf(f->root, sizeof(f->root), "%s", real);
	free(real);
	mlint_project_init(&f->p);
	mlint_scriptdir_init(&f->sd);
	mlint_findings_init(&f->out);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	test_write_file(f->root, "migrations/env.py", "# env\n");
	test_make_dirs(f->root, "migrations/versions");
	mlint_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	mlint_findings_release(&f->out);
	mlint_scriptdir_release(&f->sd);
	mlint_notes_release(&f->notes);
	mlint_project_release(&f->p);
	test_remove_tree(f->root);
	free(f);
	return 0;
}

/* Discovers, loads and checks the project; prints the findings on failure. */
static void run(struct fixture *f)
{
	const char *paths[1] = {f->root};

	if (mlint_discover(&f->p, paths, 1, NULL) < 0)
		fail_msg("discover: %s", mlint_error_last());
	assert_int_equal(f->p.nr_dirs, 1);
	if (mlint_scriptdir_load(&f->sd, &f->p, &f->p.dirs[0], MLINT_LOAD_KEEP_SOURCE, &f->notes) < 0)
		fail_msg("load: %s", mlint_error_last());
	assert_int_equal(mlint_check_scan(&f->sd, &f->out), 0);
	assert_int_equal(mlint_check_graph(&f->sd, &f->out), 0);
	mlint_findings_sort(&f->out);
	for (size_t i = 0; i < f->out.nr; i++)
		print_message("  %s:%u:%u: %s[%s]: %s\n", f->out.items[i].path, f->out.items[i].line,
			      f->out.items[i].col, mlint_severity_name(f->out.items[i].severity),
			      f->out.items[i].rule, f->out.items[i].message);
}

/* Findings of `rule` whose path ends with `file` (NULL: any). */
static size_t count(const struct fixture *f, const char *rule, const char *file)
{
	size_t n = 0;
	for (size_t i = 0; i < f->out.nr; i++) {
		const struct mlint_finding *x = &f->out.items[i];
		size_t pl = strlen(x->path), fl = file ? strlen(file) : 0;
		if (strcmp(x->rule, rule) != 0)
			continue;
		if (file && (pl < fl || strcmp(x->path + pl - fl, file) != 0))
			continue;
		n++;
	}
	return n;
}

static const struct mlint_finding *first(const struct fixture *f, const char *rule)
{
	for (size_t i = 0; i < f->out.nr; i++)
		if (strcmp(f->out.items[i].rule, rule) == 0)
			return &f->out.items[i];
	fail_msg("no %s finding", rule);
	return NULL;
}

static const struct mlint_script *script(const struct fixture *f, const char *file)
{
	for (size_t i = 0; i < f->sd.nr_scripts; i++) {
		const char *p = f->sd.scripts[i].path;
		size_t pl = strlen(p), fl = strlen(file);
		if (pl >= fl && strcmp(p + pl - fl, file) == 0 && (pl == fl || p[pl - fl - 1] == '/'))
			return &f->sd.scripts[i];
	}
	return NULL;
}

/* ---- clean ------------------------------------------------------------- */

static void test_check_clean_history(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_c.py", "'c'", "'b'", NULL, NULL);
	run(f);
	assert_int_equal(f->out.nr, 0);
	assert_int_equal(f->sd.nr_migrations, 3);
	assert_int_equal(f->sd.graph.nr_heads, 1);
}

/* ---- multiple-heads ---------------------------------------------------- */

static void test_check_multiple_heads_unlabelled(void **state)
{
	struct fixture *f = *state;
	const struct mlint_finding *x;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_c.py", "'c'", "'a'", NULL, NULL);
	run(f);
	/* One finding per set of heads, at the newest (no Create Date: the
	 * path that sorts last), naming the others. */
	assert_int_equal(count(f, "multiple-heads", NULL), 1);
	assert_int_equal(count(f, "multiple-heads", "0003_c.py"), 1);
	assert_int_equal(f->out.nr, 1);
	x = first(f, "multiple-heads");
	assert_int_equal(x->severity, MLINT_SEV_ERROR);
	assert_int_equal(x->line, 2); /* the revision line */
	assert_non_null(x->revision);
	assert_string_equal(x->revision, "c");
	assert_non_null(strstr(x->message, "'b' ("));
	assert_non_null(x->excerpt);
	assert_string_equal(x->excerpt, "revision = 'c'");
}

static void test_check_multiple_heads_three(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_c.py", "'c'", "'a'", NULL, NULL);
	migration(f, "0004_d.py", "'d'", "None", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "multiple-heads", NULL), 1);
	assert_int_equal(count(f, "multiple-heads", "0004_d.py"), 1);
	assert_non_null(strstr(first(f, "multiple-heads")->message, "3 heads"));
}

static void test_check_multiple_heads_different_labels(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", "('feature_x',)", NULL);
	migration(f, "0003_c.py", "'c'", "'a'", "('feature_y',)", NULL);
	migration(f, "0004_d.py", "'d'", "'c'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "multiple-heads", NULL), 0);
	assert_int_equal(f->out.nr, 0);
	assert_int_equal(f->sd.graph.nr_heads, 2);
}

static void test_check_multiple_heads_independent_bases(void **state)
{
	struct fixture *f = *state;

	/* Alembic's multi-base layout: one label per base. */
	migration(f, "0001_a.py", "'a'", "()", "'app'", NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_x.py", "'x'", "None", "'audit'", NULL);
	run(f);
	assert_int_equal(count(f, "multiple-heads", NULL), 0);
	assert_int_equal(f->out.nr, 0);
}

static void test_check_multiple_heads_shared_label(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", "('core',)", NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_c.py", "'c'", "'a'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "multiple-heads", NULL), 1);
	assert_int_equal(count(f, "multiple-heads", "0003_c.py"), 1);
	assert_non_null(strstr(first(f, "multiple-heads")->message, "core"));
}

static void test_check_multiple_heads_depends_on_keeps_head(void **state)
{
	struct fixture *f = *state;

	/* Alembic: heads == ('b', 'c'); depends_on does not consume b. */
	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_c.py", "'c'", "None", NULL, "'b'");
	run(f);
	assert_int_equal(count(f, "multiple-heads", "0003_c.py"), 1);
	assert_non_null(strstr(first(f, "multiple-heads")->message, "'b' ("));
	assert_int_equal(f->out.nr, 1);
}

static void test_check_merged_heads_are_clean(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	migration(f, "0003_c.py", "'c'", "'a'", NULL, NULL);
	migration(f, "0004_m.py", "'m'", "('b', 'c')", NULL, NULL);
	run(f);
	assert_int_equal(f->out.nr, 0);
}

/* ---- duplicate-revision, missing-parent, revision-cycle ---------------- */

static void test_check_duplicate_revision(void **state)
{
	struct fixture *f = *state;
	const struct mlint_finding *x;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_a_again.py", "'a'", "None", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "duplicate-revision", NULL), 1);
	/* Reported at the file Alembic drops: the one it loads first. */
	assert_int_equal(count(f, "duplicate-revision", "0001_a.py"), 1);
	x = first(f, "duplicate-revision");
	assert_non_null(strstr(x->message, "0002_a_again.py"));
	assert_string_equal(x->revision, "a");
	assert_int_equal(f->sd.nr_migrations, 2);
}

static void test_check_duplicate_revision_walk_order(void **state)
{
	struct fixture *f = *state;

	/* Recursive locations are walked as os.walk with sorted names: a
	 * directory's files, then its subdirectories. versions/z.py loads
	 * before versions/sub/0.py, though it sorts after it as a path. */
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
			"recursive_version_locations = true\n");
	test_make_dirs(f->root, "migrations/versions/sub");
	migration(f, "z.py", "'x'", "None", NULL, NULL);
	migration(f, "sub/0.py", "'x'", "None", NULL, NULL);
	migration(f, "sub/1.py", "'y'", "'x'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "duplicate-revision", "z.py"), 1);
	assert_int_equal(count(f, "duplicate-revision", NULL), 1);
	assert_non_null(strstr(first(f, "duplicate-revision")->message, "sub/0.py"));
}

static void test_check_missing_parent(void **state)
{
	struct fixture *f = *state;
	const struct mlint_finding *x;

	migration(f, "0001_a.py", "'a'", "'zzz'", NULL, "'yyy'");
	run(f);
	assert_int_equal(count(f, "missing-parent", "0001_a.py"), 2);
	assert_int_equal(f->out.nr, 2);
	x = first(f, "missing-parent");
	assert_int_equal(x->severity, MLINT_SEV_ERROR);
	{
		int down = 0, dep = 0;
		for (size_t i = 0; i < f->out.nr; i++) {
			const char *m = f->out.items[i].message;
			if (strstr(m, "'zzz'") && strstr(m, "down_revision")) {
				down++;
				assert_int_equal(f->out.items[i].line, 3);
			}
			if (strstr(m, "'yyy'") && strstr(m, "depends_on")) {
				dep++;
				assert_int_equal(f->out.items[i].line, 5);
			}
		}
		assert_int_equal(down, 1);
		assert_int_equal(dep, 1);
	}
}

/* A label is found (not missing), but only depends_on may name one:
 * Alembic fails with KeyError on a label in down_revision. */
static void test_check_parent_by_label_is_not_missing(void **state)
{
	struct fixture *f = *state;
	const struct mlint_finding *x;

	migration(f, "0001_a.py", "'a'", "None", "'core'", NULL);
	migration(f, "0002_b.py", "'b'", "'core'", NULL, NULL);
	migration(f, "0003_x.py", "'x'", "None", "'other'", "'core'");
	run(f);
	assert_int_equal(count(f, "missing-parent", NULL), 0);
	assert_int_equal(count(f, "parent-is-label", "0002_b.py"), 1);
	assert_int_equal(f->out.nr, 1);
	x = first(f, "parent-is-label");
	assert_int_equal(x->severity, MLINT_SEV_ERROR);
	assert_int_equal(x->line, 3);
	assert_non_null(strstr(x->message, "'core'"));
	assert_non_null(strstr(x->message, "declared by 'a'"));
}

static void test_check_revision_cycle(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "'b'", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "revision-cycle", NULL), 1);
	assert_int_equal(count(f, "missing-parent", NULL), 0);
	assert_int_equal(count(f, "multiple-heads", NULL), 0);
	assert_non_null(strstr(first(f, "revision-cycle")->message, "'a'"));
	assert_non_null(strstr(first(f, "revision-cycle")->message, "'b'"));
}

static void test_check_revision_cycle_self(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_s.py", "'s'", "'s'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "revision-cycle", "0002_s.py"), 1);
	assert_int_equal(count(f, "revision-cycle", NULL), 1);
}

/* ---- parse-error, invalid-source, non-literal-value --------------------- */

static void test_check_parse_error_no_revision(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_norev.py", NULL, "'a'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "parse-error", "0002_norev.py"), 1);
	assert_int_equal(count(f, "parse-error", NULL), 1);
	assert_int_equal(first(f, "parse-error")->line, 2);
	assert_int_equal(f->sd.nr_migrations, 2);
}

static void test_check_parse_error_computed_revision(void **state)
{
	struct fixture *f = *state;
	const struct mlint_finding *x;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_fn.py", "make_id()", "'a'", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "parse-error", "0002_fn.py"), 1);
	assert_int_equal(count(f, "parse-error", NULL), 1);
	x = first(f, "parse-error");
	assert_non_null(strstr(x->message, "make_id()"));
	assert_int_equal(x->line, 2);
	assert_int_equal(count(f, "non-literal-value", NULL), 0);
}

static void test_check_parse_error_no_down_revision(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", NULL, NULL, NULL);
	run(f);
	assert_int_equal(count(f, "parse-error", "0001_a.py"), 1);
}

static void test_check_invalid_source_nul(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "revision = 'n1'\ndown_revision = None\n# a \0 byte\n"
				   "\n\ndef upgrade():\n    pass\n";

	test_write_bytes(f->root, "migrations/versions/0001_nul.py", text, sizeof(text) - 1);
	run(f);
	assert_true(count(f, "invalid-source", "0001_nul.py") >= 1);
	assert_int_equal(count(f, "invalid-source", NULL), count(f, "invalid-source", "0001_nul.py"));
	assert_int_equal(first(f, "invalid-source")->line, 3);
	assert_int_equal(first(f, "invalid-source")->severity, MLINT_SEV_ERROR);
}

static void test_check_invalid_source_unterminated_string(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "migrations/versions/0001_str.py",
		   "revision = 'u1'\ndown_revision = None\n\n\ndef upgrade():\n"
		   "    op.execute('unterminated)\n");
	run(f);
	assert_int_equal(count(f, "invalid-source", "0001_str.py"), 1);
	assert_int_equal(first(f, "invalid-source")->line, 6);
}

static void test_check_non_literal_value(void **state)
{
	struct fixture *f = *state;
	const struct mlint_finding *x;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_e.py", "'e'", "PREVIOUS", NULL, NULL);
	run(f);
	assert_int_equal(count(f, "non-literal-value", "0002_e.py"), 1);
	assert_int_equal(count(f, "non-literal-value", NULL), 1);
	x = first(f, "non-literal-value");
	assert_int_equal(x->severity, MLINT_SEV_WARNING);
	assert_non_null(strstr(x->message, "PREVIOUS"));
	assert_int_equal(x->line, 3);
}

static void test_check_non_literal_labels_and_depends(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", "labels_for('a')", "deps()");
	run(f);
	assert_int_equal(count(f, "non-literal-value", "0001_a.py"), 2);
}

/* ---- what is not a migration ------------------------------------------- */

static void test_check_non_migrations_ignored(void **state)
{
	struct fixture *f = *state;

	migration(f, "0001_a.py", "'a'", "None", NULL, NULL);
	migration(f, "0002_b.py", "'b'", "'a'", NULL, NULL);
	test_write_file(f->root, "migrations/versions/helpers.py",
		   "import sqlalchemy as sa\n\n\ndef common_columns():\n"
		   "    return [sa.Column('id', sa.Integer)]\n");
	test_write_file(f->root, "migrations/versions/__init__.py", "");
	test_write_file(f->root, "migrations/versions/README", "Generic single-database configuration.\n");
	test_write_file(f->root, "migrations/versions/schema.sql", "CREATE TABLE t (id int);\n");
	test_write_bytes(f->root, "migrations/versions/__pycache__/0001_a.cpython-311.pyc", "\x00\x01\x02", 3);
	test_write_file(f->root, "migrations/versions/__pycache__/stale.py", "revision = 'zz'\n");
	run(f);
	assert_int_equal(f->out.nr, 0);
	assert_int_equal(f->sd.nr_migrations, 2);
	assert_int_equal(f->sd.graph.nr_nodes, 2);
	assert_int_equal(f->sd.graph.nr_heads, 1);
	assert_non_null(script(f, "0001_a.py"));
	assert_true(script(f, "0001_a.py")->is_migration);
	/* helpers.py is read (Alembic imports it too) but is no migration. */
	if (script(f, "helpers.py"))
		assert_false(script(f, "helpers.py")->is_migration);
	assert_null(script(f, "__init__.py"));
	assert_null(script(f, "README"));
	assert_null(script(f, "schema.sql"));
	assert_null(script(f, "0001_a.cpython-311.pyc"));
	assert_null(script(f, "stale.py"));
}

/* ---- the per-file rules as a scan visitor ------------------------------- */

#include "mlint/ruleset.h"

#define MANY 600 /* over MLINT_PARALLEL_MIN_FILES: the load uses two threads */

/* MANY migrations in a chain whose upgrades drop, create and index. */
static void write_many(const struct fixture *f)
{
	char rel[PATH_MAX], text[1024];
	for (int i = 0; i < MANY; i++) {
		char down[16] = "None";
		if (i > 0)
			snprintf(down, sizeof(down), "'r%04d'", i - 1);
		snprintf(text, sizeof(text),
			 "revision = 'r%04d'\ndown_revision = %s\n\n"
			 "def upgrade():\n"
			 "    op.%s('t%d')\n"
			 "    op.create_index('ix_%d', 'users', ['a'])\n\n"
			 "def downgrade():\n    %s\n",
			 i, down, i % 3 ? "create_table" : "drop_table", i, i,
			 i % 2 ? "pass" : "op.drop_index('ix_0')");
		test_fmt_path(rel, "migrations/versions/r%04d.py", i);
		test_write_file(f->root, rel, text);
	}
}

static void load_project(struct fixture *f, struct mlint_scriptdir *sd, unsigned flags)
{
	const char *paths[1] = {f->root};
	if (f->p.nr_dirs == 0 && mlint_discover(&f->p, paths, 1, NULL) < 0)
		fail_msg("discover: %s", mlint_error_last());
	if (mlint_scriptdir_load(sd, &f->p, &f->p.dirs[0], flags, &f->notes) < 0)
		fail_msg("load: %s", mlint_error_last());
}

static int same_finding(const struct mlint_finding *a, const struct mlint_finding *b)
{
	return strcmp(a->rule, b->rule) == 0 && strcmp(a->path, b->path) == 0 &&
	       a->line == b->line && a->col == b->col && strcmp(a->message, b->message) == 0 &&
	       (a->excerpt == NULL) == (b->excerpt == NULL) &&
	       (!a->excerpt || strcmp(a->excerpt, b->excerpt) == 0);
}

static void test_check_files_visitor_matches_a_separate_pass(void **state)
{
	struct fixture *f = *state;
	struct mlint_ruleset rs;
	struct mlint_check_opts opts = {MLINT_DOWNGRADE_REQUIRE};
	struct mlint_file_checker *fc;
	struct mlint_scriptdir fused;
	struct mlint_findings during;

	setenv("MLINT_THREADS", "2", 1);
	write_many(f);
	mlint_ruleset_init(&rs);
	assert_int_equal(mlint_ruleset_load_builtin(&rs), 0);

	/* After the load, over kept sources and call lists. */
	load_project(f, &f->sd, MLINT_LOAD_KEEP_SOURCE);
	assert_int_equal(mlint_check_files(&f->sd, &rs, &opts, &f->out), 0);

	/* During the load, sources not kept, call lists dropped after. */
	mlint_scriptdir_init(&fused);
	mlint_findings_init(&during);
	assert_non_null(fc = mlint_file_checker_new(&rs, &opts));
	fused.visitor = mlint_file_checker_visitor(fc);
	load_project(f, &fused, MLINT_LOAD_DROP_CALLS);
	assert_int_equal(mlint_file_checker_take(fc, &during), 0);

	assert_int_equal(fused.nr_scripts, MANY);
	for (size_t i = 0; i < fused.nr_scripts; i++) {
		assert_null(fused.scripts[i].source);
		assert_int_equal(fused.scripts[i].m.nr_calls, 0);
		assert_int_equal(fused.scripts[i].m.nr_aliases, 0);
	}
	/* drop-table (every third), missing-downgrade (odd), asymmetric, indexes */
	assert_true(during.nr > MANY);
	/* Taken in file order: slot 0's files come before slot 1's. */
	for (size_t i = 1; i < during.nr; i++)
		assert_true(strcmp(during.items[i - 1].path, during.items[i].path) <= 0);
	assert_int_equal(during.nr, f->out.nr);
	mlint_findings_sort(&during);
	mlint_findings_sort(&f->out);
	for (size_t i = 0; i < during.nr; i++)
		if (!same_finding(&during.items[i], &f->out.items[i]))
			fail_msg("finding %zu differs: %s %s:%u vs %s %s:%u", i, during.items[i].rule,
				 during.items[i].path, during.items[i].line, f->out.items[i].rule,
				 f->out.items[i].path, f->out.items[i].line);
	mlint_findings_release(&during);
	mlint_file_checker_free(fc);
	mlint_scriptdir_release(&fused);
	mlint_ruleset_release(&rs);
	unsetenv("MLINT_THREADS");
}

struct failing_visitor {
	size_t seen[MLINT_SCAN_SLOTS];
	const char *fail_on; /* path suffix */
};

static int fail_on_file(void *ctx, size_t slot, const struct mlint_script *s)
{
	struct failing_visitor *v = ctx;
	size_t pl = strlen(s->path), fl = strlen(v->fail_on);
	assert_true(slot < MLINT_SCAN_SLOTS);
	assert_non_null(s->source); /* in place during the call */
	v->seen[slot]++;
	if (pl >= fl && strcmp(s->path + pl - fl, v->fail_on) == 0)
		return mlint_error_set("visitor refused %s", s->path);
	return 0;
}

static void test_check_visitor_error_stops_the_load(void **state)
{
	struct fixture *f = *state;
	struct failing_visitor fv = {{0}, "r0450.py"};
	struct mlint_scan_visitor v = {fail_on_file, &fv};
	const char *paths[1] = {f->root};

	setenv("MLINT_THREADS", "2", 1);
	write_many(f);
	assert_int_equal(mlint_discover(&f->p, paths, 1, NULL), 0);
	f->sd.visitor = &v;
	assert_int_equal(mlint_scriptdir_load(&f->sd, &f->p, &f->p.dirs[0], 0, &f->notes),
			 MLINT_ERROR);
	assert_non_null(strstr(mlint_error_last(), "visitor refused"));
	assert_non_null(strstr(mlint_error_last(), "r0450.py"));
	/* Both threads ran; the failing one stopped at its file. */
	assert_true(fv.seen[0] > 0 && fv.seen[1] > 0);
	assert_true(fv.seen[1] <= MANY / 2);
	unsetenv("MLINT_THREADS");
}

/* Without MLINT_LOAD_KEEP_SOURCE a script's bytes are read again when a
 * rule asks, and only when they are still the scanned ones. */
static void test_check_sources_read_again(void **state)
{
	struct fixture *f = *state;
	const char *paths[1] = {f->root};
	const struct mlint_script *a, *b;
	struct mlint_location at;
	size_t len;
	char rel[PATH_MAX];

	migration(f, "a.py", "'a1'", "None", NULL, NULL);
	migration(f, "b.py", "'b1'", "'a1'", NULL, NULL);
	migration(f, "c.py", "'c1'", "'b1'", NULL, NULL);
	assert_int_equal(mlint_discover(&f->p, paths, 1, NULL), 0);
	assert_int_equal(mlint_scriptdir_load(&f->sd, &f->p, &f->p.dirs[0], 0, &f->notes), 0);
	assert_int_equal(f->sd.nr_scripts, 3);
	a = &f->sd.scripts[0];
	b = &f->sd.scripts[1];
	assert_null(a->source);
	assert_null(b->source);
	/* an excerpt reads the file again */
	at = mlint_script_at(a, 2, 1);
	assert_non_null(at.excerpt);
	assert_memory_equal(at.excerpt, "revision = 'a1'\n", 16);
	assert_non_null(a->source);
	assert_non_null(mlint_script_source(a, &len));
	assert_int_equal(mlint_scriptdir_sources_ok(&f->sd), 0);

	/* b changes after the scan (same size): no excerpt, and an error */
	test_fmt_path(rel, "migrations/versions/%s", "b.py");
	test_write_file(f->root, rel, "\"\"\"b.py\"\"\"\nrevision = 'b2'\ndown_revision = 'a1'\n"
			"branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n"
			"\n\ndef downgrade():\n    pass\n");
	assert_null(mlint_script_line(b, 2, &len));
	assert_null(mlint_script_source(b, &len));
	assert_int_equal(mlint_scriptdir_sources_ok(&f->sd), MLINT_ERROR);
	assert_non_null(strstr(mlint_error_last(), "b.py"));
	assert_non_null(strstr(mlint_error_last(), "changed"));

	/* c is gone */
	test_fmt_path(rel, "%s/migrations/versions/c.py", f->root);
	assert_int_equal(unlink(rel), 0);
	assert_null(mlint_script_source(&f->sd.scripts[2], &len));
	assert_int_equal(f->sd.scripts[2].source_state, MLINT_SOURCE_UNREADABLE);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_check_clean_history),
		T(test_check_multiple_heads_unlabelled),
		T(test_check_multiple_heads_three),
		T(test_check_multiple_heads_different_labels),
		T(test_check_multiple_heads_independent_bases),
		T(test_check_multiple_heads_shared_label),
		T(test_check_multiple_heads_depends_on_keeps_head),
		T(test_check_merged_heads_are_clean),
		T(test_check_duplicate_revision),
		T(test_check_duplicate_revision_walk_order),
		T(test_check_missing_parent),
		T(test_check_parent_by_label_is_not_missing),
		T(test_check_revision_cycle),
		T(test_check_revision_cycle_self),
		T(test_check_parse_error_no_revision),
		T(test_check_parse_error_computed_revision),
		T(test_check_parse_error_no_down_revision),
		T(test_check_invalid_source_nul),
		T(test_check_invalid_source_unterminated_string),
		T(test_check_non_literal_value),
		T(test_check_non_literal_labels_and_depends),
		T(test_check_non_migrations_ignored),
		T(test_check_files_visitor_matches_a_separate_pass),
		T(test_check_visitor_error_stops_the_load),
		T(test_check_sources_read_again),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
