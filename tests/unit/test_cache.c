/* Unit tests for the cache (include/mlint/cache.h): what a load restores
 * from it is what a load that reads the files makes (facts and per-file
 * findings), racy files are not kept, and the rules fingerprint follows
 * every input of the per-file rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mlint/cache.h"
#include "mlint/check.h"
#include "mlint/discover.h"
#include "mlint/ruleset.h"
#include "testutil.h"

#define RICH "\"\"\"add things\n\nRevision ID: a1\nRevises: \nCreate Date: 2024-01-01\n\"\"\"\n" \
	"from alembic import op\nimport sqlalchemy as sa\nfrom app.models import User\n\n" \
	"revision = 'a1'\ndown_revision = None\nbranch_labels = (cli.X,)\n" \
	"depends_on = ('z9', 'y8')\n\n\n" \
	"def upgrade():\n    op.drop_table('users')  # mlint: ignore[drop-table] -- gone\n" \
	"    # mlint: ignore[create-index-not-concurrently] -- small\n" \
	"    op.create_index('ix', 't', ['c'])\n\n\n" \
	"def downgrade():\n    raise NotImplementedError()\n"
#define PLAIN "revision = 'b2'\ndown_revision = 'a1'\n\n\ndef upgrade():\n" \
	"    op.drop_column('t', 'c')\n\n\ndef downgrade_engine1(x):\n    pass\n"

static char root[PATH_MAX];

static int group_setup(void **state)
{
	char tmpl[] = "/tmp/mlint-test-cache-XXXXXX";
	char *real;

	(void)state;
	if (!mkdtemp(tmpl) || !(real = realpath(tmpl, NULL)))
		return -1;
	snprintf(root, sizeof(root), "%s", real);
	free(real);
	test_make_dirs(root, ".git");
	test_write_file(root, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	test_write_file(root, "migrations/env.py", "# env\n");
	test_write_file(root, "migrations/versions/a1_rich.py", RICH);
	test_write_file(root, "migrations/versions/b2_plain.py", PLAIN);
	test_write_file(root, "migrations/versions/notes.py", "x = 1\n");
	sleep(3); /* older than the racy window */
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_remove_tree(root);
	return 0;
}

struct run {
	struct mlint_project p;
	struct mlint_scriptdir sd;
	struct mlint_notes notes;
	struct mlint_ruleset rs;
	struct mlint_file_checker *fc;
	struct mlint_findings found;
	size_t known; /* from the verbose note */
};

/* One load of the project through the cache, as check (full) or heads. */
static void load(struct run *r, int full)
{
	const char *paths[1] = {root};
	struct mlint_check_opts opts = {MLINT_DOWNGRADE_REQUIRE, MLINT_DIALECT_POSTGRESQL, 0, 0, NULL, 0};
	unsigned flags = full ? MLINT_LOAD_DROP_CALLS : MLINT_LOAD_GRAPH_ONLY;
	struct mlint_cache *c;

	memset(r, 0, sizeof(*r));
	mlint_project_init(&r->p);
	mlint_scriptdir_init(&r->sd);
	mlint_ruleset_init(&r->rs);
	mlint_findings_init(&r->found);
	assert_int_equal(mlint_discover(&r->p, paths, 1, NULL), 0);
	assert_int_equal(mlint_ruleset_load_builtin(&r->rs), 0);
	if (full) {
		assert_non_null(r->fc = mlint_file_checker_new(&r->rs, &opts));
		r->sd.visitor = mlint_file_checker_visitor(r->fc);
	}
	c = mlint_cache_open(&r->p, &r->p.dirs[0], MLINT_CACHE_WORKTREE, flags,
			     full ? mlint_cache_rules_fingerprint(&r->rs, &opts) : 0, &r->notes);
	assert_non_null(c);
	mlint_cache_set_checker(c, r->fc, &r->rs);
	r->sd.cache = c;
	assert_int_equal(mlint_scriptdir_load(&r->sd, &r->p, &r->p.dirs[0], flags, &r->notes), 0);
	mlint_cache_save(c, &r->sd, &r->notes);
	mlint_cache_free(c);
	r->sd.cache = NULL;
	if (full)
		assert_int_equal(mlint_file_checker_take(r->fc, &r->found), 0);
	for (size_t i = 0; i < r->notes.nr; i++) {
		unsigned long k;
		const char *at = strstr(r->notes.items[i].text, "': ");
		if (at && sscanf(at + 3, "%lu of", &k) == 1)
			r->known = k;
	}
}

static void run_release(struct run *r)
{
	mlint_file_checker_free(r->fc);
	mlint_findings_release(&r->found);
	mlint_scriptdir_release(&r->sd);
	mlint_ruleset_release(&r->rs);
	mlint_notes_release(&r->notes);
	mlint_project_release(&r->p);
}

static void same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_value(const struct mlint_value *a, const struct mlint_value *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	assert_int_equal(a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++)
		assert_string_equal(a->items[i], b->items[i]);
}

static void same_script(const struct mlint_script *x, const struct mlint_script *y)
{
	const struct mlint_migration *a = &x->m, *b = &y->m;

	assert_string_equal(x->path, y->path);
	assert_int_equal(x->is_migration, y->is_migration);
	assert_int_equal(x->size, y->size);
	assert_true(x->hash == y->hash);
	same_value(&a->revision, &b->revision);
	same_value(&a->down_revision, &b->down_revision);
	same_value(&a->branch_labels, &b->branch_labels);
	same_value(&a->depends_on, &b->depends_on);
	same_str(a->header.message, b->header.message);
	same_str(a->header.revision_id, b->header.revision_id);
	same_str(a->header.revises, b->header.revises);
	same_str(a->header.create_date, b->header.create_date);
	assert_int_equal(a->header.line, b->header.line);
	assert_int_equal(a->header.create_date_line, b->header.create_date_line);
	assert_int_equal(a->nr_lines, b->nr_lines);
	assert_int_equal(a->nr_functions, b->nr_functions);
	for (size_t i = 0; i < a->nr_functions; i++) {
		const struct mlint_function *f = &a->functions[i], *g = &b->functions[i];
		assert_string_equal(f->name, g->name);
		assert_int_equal(f->is_upgrade, g->is_upgrade);
		assert_int_equal(f->has_params, g->has_params);
		assert_int_equal(f->def_line, g->def_line);
		assert_int_equal(f->end_line, g->end_line);
		assert_int_equal(f->body, g->body);
		same_str(f->raises, g->raises);
		assert_int_equal(f->start_off, g->start_off);
		assert_int_equal(f->end_off, g->end_off);
	}
	assert_int_equal(a->nr_directives, b->nr_directives);
	for (size_t i = 0; i < a->nr_directives; i++) {
		assert_string_equal(a->directives[i].text, b->directives[i].text);
		assert_int_equal(a->directives[i].line, b->directives[i].line);
		assert_int_equal(a->directives[i].own_line, b->directives[i].own_line);
	}
	assert_int_equal(x->nr_imports, y->nr_imports);
	for (size_t i = 0; i < x->nr_imports; i++) {
		assert_int_equal(x->imports[i].line, y->imports[i].line);
		assert_int_equal(x->imports[i].code, y->imports[i].code);
		assert_int_equal(x->imports[i].nr_modules, y->imports[i].nr_modules);
		for (size_t k = 0; k < x->imports[i].nr_modules; k++)
			assert_string_equal(x->imports[i].modules[k], y->imports[i].modules[k]);
	}
}

static void remove_cache(void)
{
	char dir[PATH_MAX];
	test_fmt_path(dir, "%s/.git/mlint", root);
	test_remove_tree(dir);
}

/* check: cold, then warm: the same facts and findings, none of it read */
static void test_cache_check_restores_what_a_read_makes(void **state)
{
	struct run cold, warm;

	(void)state;
	remove_cache();
	load(&cold, 1);
	assert_int_equal(cold.known, 0);
	load(&warm, 1);
	assert_int_equal(warm.known, 3);
	assert_int_equal(warm.sd.nr_scripts, 3);
	for (size_t i = 0; i < 3; i++)
		same_script(&cold.sd.scripts[i], &warm.sd.scripts[i]);
	assert_int_equal(cold.sd.scripts[0].nr_imports, 1); /* app.models */
	assert_int_equal(cold.sd.scripts[0].m.nr_directives, 2);
	assert_int_equal(cold.sd.scripts[0].m.directives[1].own_line, 1);
	assert_true(cold.found.nr > 0);
	assert_int_equal(warm.found.nr, cold.found.nr);
	for (size_t i = 0; i < cold.found.nr; i++) {
		const struct mlint_finding *a = &cold.found.items[i], *b = &warm.found.items[i];
		assert_string_equal(a->rule, b->rule);
		assert_int_equal(a->severity, b->severity);
		assert_string_equal(a->path, b->path);
		assert_int_equal(a->line, b->line);
		assert_int_equal(a->col, b->col);
		assert_string_equal(a->message, b->message);
		same_str(a->excerpt, b->excerpt);
		same_str(a->revision, b->revision);
		assert_int_equal(a->call_line, b->call_line);
	}
	/* the graph of the restored facts is the same */
	assert_int_equal(warm.sd.nr_migrations, cold.sd.nr_migrations);
	assert_int_equal(warm.sd.graph.nr_nodes, cold.sd.graph.nr_nodes);
	/* a restored file is read again on demand, and checked */
	{
		size_t len;
		assert_null(warm.sd.scripts[0].source);
		assert_non_null(mlint_script_source(&warm.sd.scripts[0], &len));
		assert_int_equal(len, strlen(RICH));
	}
	run_release(&cold);
	run_release(&warm);
}

/* heads (facts only) uses what check wrote, and check does not use what
 * heads wrote (no findings, no call facts) */
static void test_cache_heads_and_check_share(void **state)
{
	struct run a, b, c;

	(void)state;
	remove_cache();
	load(&a, 0);
	assert_int_equal(a.known, 0);
	load(&b, 1);
	assert_int_equal(b.known, 0); /* heads' entries are not enough for check */
	load(&c, 0);
	assert_int_equal(c.known, 3); /* check's entries serve heads */
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(a.sd.scripts[i].path, c.sd.scripts[i].path);
	same_value(&a.sd.scripts[1].m.down_revision, &c.sd.scripts[1].m.down_revision);
	run_release(&a);
	run_release(&b);
	run_release(&c);
}

/* a file changed within the racy window is read, and not kept */
static void test_cache_racy_file_not_kept(void **state)
{
	struct run a, b;

	(void)state;
	remove_cache();
	test_write_file(root, "migrations/versions/b2_plain.py", PLAIN);
	load(&a, 1);
	load(&b, 1);
	assert_int_equal(b.known, 2);
	run_release(&a);
	run_release(&b);
	sleep(3);
}

static void test_cache_rules_fingerprint(void **state)
{
	struct mlint_ruleset rs, more;
	struct mlint_check_opts o = {MLINT_DOWNGRADE_REQUIRE, MLINT_DIALECT_POSTGRESQL, 0, 0, NULL, 0}, p;
	const char *rule = "id: team-x\nseverity: warning\nscope: upgrade\ntarget: call\n"
			   "summary: x\npattern: create_table\nexplain:\n  x\n";
	const char *other = "id: team-x\nseverity: warning\nscope: upgrade\ntarget: call\n"
			    "summary: x\npattern: create_index\nexplain:\n  x\n";
	uint64_t base;

	(void)state;
	mlint_ruleset_init(&rs);
	assert_int_equal(mlint_ruleset_load_builtin(&rs), 0);
	base = mlint_cache_rules_fingerprint(&rs, &o);
	assert_true(base == mlint_cache_rules_fingerprint(&rs, &o));
	p = o;
	p.downgrade = MLINT_DOWNGRADE_OFF;
	assert_true(base != mlint_cache_rules_fingerprint(&rs, &p));
	p = o;
	p.dialect = MLINT_DIALECT_SQLITE;
	assert_true(base != mlint_cache_rules_fingerprint(&rs, &p));
	p = o;
	p.optional_rules = MLINT_OPTIONAL_MISSING_LOCK_TIMEOUT;
	assert_true(base != mlint_cache_rules_fingerprint(&rs, &p));

	mlint_ruleset_init(&more);
	assert_int_equal(mlint_ruleset_load_builtin(&more), 0);
	assert_int_equal(mlint_ruleset_add_text(&more, "team/x.rule", rule, strlen(rule)), 0);
	base = mlint_cache_rules_fingerprint(&more, &o);
	assert_true(base != mlint_cache_rules_fingerprint(&rs, &o));
	mlint_ruleset_release(&more);
	mlint_ruleset_init(&more);
	assert_int_equal(mlint_ruleset_load_builtin(&more), 0);
	assert_int_equal(mlint_ruleset_add_text(&more, "team/x.rule", other, strlen(other)), 0);
	assert_true(base != mlint_cache_rules_fingerprint(&more, &o)); /* another pattern */
	mlint_ruleset_release(&more);
	mlint_ruleset_release(&rs);
}

/* outside a git repository there is no cache */
static void test_cache_needs_a_repository(void **state)
{
	struct mlint_project p;
	struct mlint_notes notes = {0};
	char tmpl[] = "/tmp/mlint-test-cache-nogit-XXXXXX";
	const char *paths[1];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	test_write_file(tmpl, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	test_make_dirs(tmpl, "migrations/versions");
	paths[0] = tmpl;
	mlint_project_init(&p);
	assert_int_equal(mlint_discover(&p, paths, 1, NULL), 0);
	if (!p.repo_root)
		assert_null(mlint_cache_open(&p, &p.dirs[0], MLINT_CACHE_WORKTREE,
					     MLINT_LOAD_GRAPH_ONLY, 0, &notes));
	/* kept sources are not a cached load */
	assert_null(mlint_cache_open(&p, &p.dirs[0], MLINT_CACHE_WORKTREE,
				     MLINT_LOAD_KEEP_SOURCE | MLINT_LOAD_DROP_CALLS, 0, &notes));
	mlint_notes_release(&notes);
	mlint_project_release(&p);
	test_remove_tree(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_check_restores_what_a_read_makes),
		cmocka_unit_test(test_cache_heads_and_check_share),
		cmocka_unit_test(test_cache_racy_file_not_kept),
		cmocka_unit_test(test_cache_rules_fingerprint),
		cmocka_unit_test(test_cache_needs_a_repository),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
