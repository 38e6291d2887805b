/* Unit tests for discovery (include/mlint/discover.h): from paths to script
 * directories, as Alembic reads alembic.ini. Temp dirs are outside git. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlint/common.h"
#include "testutil.h"
#include "mlint/discover.h"

struct fixture {
	char root[PATH_MAX];
	struct mlint_project p;
};

static const char migration_text[] =
	"revision = 'a1'\n"
	"down_revision = None\n"
	"branch_labels = None\n"
	"depends_on = None\n"
	"\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";

static const char flask_ini[] =
	"# A generic, single database configuration.\n"
	"\n"
	"[alembic]\n"
	"# template used to generate migration files\n"
	"# file_template = %%(rev)s_%%(slug)s\n"
	"\n"
	"# set to 'true' to run the environment during\n"
	"# the 'revision' command, regardless of autogenerate\n"
	"# revision_environment = false\n"
	"\n\n"
	"# Logging configuration\n"
	"[loggers]\n"
	"keys = root,sqlalchemy,alembic,flask_migrate\n"
	"\n"
	"[formatter_generic]\n"
	"format = %(levelname)-5.5s [%(name)s] %(message)s\n"
	"datefmt = %H:%M:%S\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char tmpl[] = "/tmp/mlint-test-discover-XXXXXX";
	char *real;

	if (!f || !mkdtemp(tmpl)) {
		free(f);
		return -1;
	}
	/* Compare against canonical paths, as discovery reports them. */
	if (!(real = realpath(tmpl, NULL))) {
		rmdir(tmpl);
		free(f);
		return -1;
	}
	snprintf(f->root, sizeof(f->root), "%s", real);
	free(real);
	mlint_project_init(&f->p);
	mlint_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	mlint_project_release(&f->p);
	test_remove_tree(f->root);
	free(f);
	return 0;
}

/* root/rel, in a static buffer that each call overwrites in turn (4 slots). */
static const char *at(const struct fixture *f, const char *rel)
{
	static char slots[4][PATH_MAX];
	static unsigned next;
	char *out = slots[next++ % 4];
	if (rel && *rel)
		test_fmt_path(out, "%s/%s", f->root, rel);
	else
		test_fmt_path(out, "%s", f->root);
	return out;
}

/* A standard script directory below rel ("" = root): env.py and versions/. */
static void make_script_dir(const struct fixture *f, const char *rel)
{
	char path[PATH_MAX];
	test_fmt_path(path, "%s%senv.py", rel, *rel ? "/" : "");
	test_write_file(f->root, path, "# env\n");
	test_fmt_path(path, "%s%sversions/0001_a1.py", rel, *rel ? "/" : "");
	test_write_file(f->root, path, migration_text);
}

static int discover_one(struct fixture *f, const char *path)
{
	const char *paths[1] = {path};
	return mlint_discover(&f->p, paths, 1, NULL);
}

static void assert_ok(int error)
{
	if (error < 0)
		fail_msg("mlint_discover: %d: %s", error, mlint_error_last());
}

static void assert_locations(const struct mlint_scriptdir_config *d, const char *const *want,
			     size_t nr)
{
	if (d->nr_locations != nr) {
		for (size_t i = 0; i < d->nr_locations; i++)
			print_message("location %zu: %s\n", i, d->version_locations[i]);
		fail_msg("%zu version locations, want %zu", d->nr_locations, nr);
	}
	for (size_t i = 0; i < nr; i++)
		assert_string_equal(d->version_locations[i], want[i]);
}

static size_t count_notes(const struct mlint_project *p, enum mlint_note_level level,
			  const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < p->notes.nr; i++)
		if (p->notes.items[i].level == level && strstr(p->notes.items[i].text, needle))
			n++;
	return n;
}

/* ---- alembic.ini ----------------------------------------------------- */

static void test_discover_root_ini(void **state)
{
	struct fixture *f = *state;
	const struct mlint_scriptdir_config *d;

	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "sqlalchemy.url = driver://user:pass@localhost/dbname\n");
	make_script_dir(f, "migrations");
	assert_ok(discover_one(f, at(f, "")));
	assert_int_equal(f->p.nr_dirs, 1);
	d = &f->p.dirs[0];
	assert_string_equal(d->script_location, at(f, "migrations"));
	assert_non_null(d->ini_path);
	assert_string_equal(d->ini_path, at(f, "alembic.ini"));
	assert_locations(d, (const char *[]){at(f, "migrations/versions")}, 1);
	assert_false(d->recursive);
	assert_non_null(d->display);
	assert_null(f->p.repo_root);
	assert_non_null(f->p.base_dir);
	assert_int_equal(count_notes(&f->p, MLINT_NOTE_WARNING, ""), 0);
}

static void test_discover_ini_file_given(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	make_script_dir(f, "migrations");
	assert_ok(discover_one(f, at(f, "alembic.ini")));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "migrations"));
	assert_string_equal(f->p.dirs[0].ini_path, at(f, "alembic.ini"));
}

static void test_discover_config_option(void **state)
{
	struct fixture *f = *state;
	struct mlint_discover_opts opts = {NULL};
	const char *paths[1];

	test_write_file(f->root, "conf/custom.ini", "[alembic]\nscript_location = %(here)s/../db\n");
	make_script_dir(f, "db");
	opts.config = at(f, "conf/custom.ini");
	paths[0] = at(f, "");
	assert_ok(mlint_discover(&f->p, paths, 1, &opts));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "db"));
	assert_string_equal(f->p.dirs[0].ini_path, at(f, "conf/custom.ini"));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "db/versions")}, 1);
}

static void test_discover_flask_migrate(void **state)
{
	struct fixture *f = *state;
	const struct mlint_scriptdir_config *d;

	test_write_file(f->root, "migrations/alembic.ini", flask_ini);
	make_script_dir(f, "migrations");
	assert_ok(discover_one(f, at(f, "")));
	assert_int_equal(f->p.nr_dirs, 1);
	d = &f->p.dirs[0];
	assert_string_equal(d->script_location, at(f, "migrations"));
	assert_string_equal(d->ini_path, at(f, "migrations/alembic.ini"));
	assert_locations(d, (const char *[]){at(f, "migrations/versions")}, 1);
}

static void test_discover_flask_migrate_dir_given(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "migrations/alembic.ini", flask_ini);
	make_script_dir(f, "migrations");
	assert_ok(discover_one(f, at(f, "migrations")));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "migrations"));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "migrations/versions")}, 1);
}

static void test_discover_here_interpolation(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = %(here)s/db/migrations\n");
	make_script_dir(f, "db/migrations");
	assert_ok(discover_one(f, at(f, "")));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "db/migrations"));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "db/migrations/versions")}, 1);
}

static void test_discover_recursive_flag(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "recursive_version_locations = true\n");
	make_script_dir(f, "migrations");
	assert_ok(discover_one(f, at(f, "")));
	assert_true(f->p.dirs[0].recursive);
}

/* ---- version_locations ------------------------------------------------ */

static void make_version_dirs(const struct fixture *f)
{
	make_script_dir(f, "migrations");
	test_make_dirs(f->root, "v1");
	test_make_dirs(f->root, "v2");
	test_make_dirs(f->root, "v3");
}

static void test_discover_locations_space(void **state)
{
	struct fixture *f = *state;

	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_path_separator = space\n"
				     "version_locations = %(here)s/v1 %(here)s/v2  %(here)s/v3\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2"), at(f, "v3")}, 3);
}

static void test_discover_locations_os(void **state)
{
	struct fixture *f = *state;

	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_path_separator = os\n"
				     "version_locations = %(here)s/v1:%(here)s/v2:%(here)s/v3\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2"), at(f, "v3")}, 3);
}

static void test_discover_locations_semicolon(void **state)
{
	struct fixture *f = *state;

	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_path_separator = ;\n"
				     "version_locations = %(here)s/v1;%(here)s/v2;%(here)s/v3\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2"), at(f, "v3")}, 3);
}

static void test_discover_locations_legacy(void **state)
{
	struct fixture *f = *state;

	/* No separator: Alembic splits on ", *| +". */
	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_locations = %(here)s/v1, %(here)s/v2,%(here)s/v3\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2"), at(f, "v3")}, 3);
}

static void test_discover_locations_legacy_spaces(void **state)
{
	struct fixture *f = *state;

	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_locations = %(here)s/v1   %(here)s/v2 %(here)s/v3\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2"), at(f, "v3")}, 3);
}

static void test_discover_crlf_bom_ini(void **state)
{
	struct fixture *f = *state;

	/* An alembic.ini saved on Windows: no '\r' may reach a path. */
	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "\xEF\xBB\xBF[alembic]\r\n"
				     "script_location = migrations\r\n"
				     "version_path_separator = space\r\n"
				     "version_locations = %(here)s/v1 %(here)s/v2\r\n"
				     "recursive_version_locations = true\r\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "migrations"));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2")}, 2);
	assert_true(f->p.dirs[0].recursive);
	assert_int_equal(count_notes(&f->p, MLINT_NOTE_WARNING, "does not exist"), 0);
	/* migrations/versions is no version location here: its file is named */
	assert_int_equal(count_notes(&f->p, MLINT_NOTE_WARNING, "1 file that declares a "
				     "revision lies below script directory"), 1);
}

static void test_discover_location_missing_is_warning(void **state)
{
	struct fixture *f = *state;

	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_path_separator = space\n"
				     "version_locations = %(here)s/v1 %(here)s/nope %(here)s/v2\n");
	assert_ok(discover_one(f, at(f, "")));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "v1"), at(f, "v2")}, 2);
	assert_int_equal(count_notes(&f->p, MLINT_NOTE_WARNING, "nope"), 1);
}

static void test_discover_bad_separator_is_error(void **state)
{
	struct fixture *f = *state;

	make_version_dirs(f);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n"
				     "version_path_separator = comma\n"
				     "version_locations = %(here)s/v1\n");
	assert_int_equal(discover_one(f, at(f, "")), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "version_path_separator"));
}

/* ---- errors ------------------------------------------------------------ */

static void test_discover_missing_script_location(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n");
	assert_int_equal(discover_one(f, at(f, "")), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "script_location"));
	assert_non_null(strstr(mlint_error_last(), at(f, "alembic.ini")));
}

static void test_discover_script_location_not_a_dir(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = nothere\n");
	assert_int_equal(discover_one(f, at(f, "")), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "nothere"));
}

static void test_discover_no_alembic_section(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[loggers]\nkeys = root\n");
	assert_int_equal(discover_one(f, at(f, "")), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "[alembic]"));
}

static void test_discover_broken_ini(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\nnot a line\n");
	make_script_dir(f, "migrations");
	assert_true(discover_one(f, at(f, "")) < 0);
	assert_non_null(strstr(mlint_error_last(), "alembic.ini"));
	assert_non_null(strstr(mlint_error_last(), ":3"));
}

static void test_discover_path_does_not_exist(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(discover_one(f, at(f, "no/such/dir")), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "no/such/dir"));
}

static void test_discover_nothing_found(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "src/app.py", "print('hello')\n");
	assert_int_equal(discover_one(f, at(f, "")), MLINT_EUSAGE);
	assert_int_equal(f->p.nr_dirs, 0);
}

/* ---- without alembic.ini ---------------------------------------------- */

static void test_discover_bare_versions_dir(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "db/versions/0001_a1.py", migration_text);
	assert_ok(discover_one(f, at(f, "db/versions")));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_null(f->p.dirs[0].ini_path);
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "db/versions")}, 1);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "db"));
}

static void test_discover_two_versions_dirs_one_project(void **state)
{
	struct fixture *f = *state;
	const char *paths[2];

	test_write_file(f->root, "a/versions/0001_a1.py", migration_text);
	test_write_file(f->root, "b/versions/0002_b1.py", migration_text);
	paths[0] = at(f, "a/versions");
	paths[1] = at(f, "b/versions");
	assert_ok(mlint_discover(&f->p, paths, 2, NULL));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "a/versions"), at(f, "b/versions")}, 2);
}

static void test_discover_migrations_versions_without_ini(void **state)
{
	struct fixture *f = *state;

	make_script_dir(f, "migrations");
	assert_ok(discover_one(f, at(f, "")));
	assert_int_equal(f->p.nr_dirs, 1);
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "migrations/versions")}, 1);
}

static void test_discover_two_projects_below_root(void **state)
{
	struct fixture *f = *state;

	test_write_file(f->root, "svc_b/alembic.ini", "[alembic]\nscript_location = migrations\n");
	make_script_dir(f, "svc_b/migrations");
	test_write_file(f->root, "svc_a/alembic.ini", "[alembic]\nscript_location = %(here)s/alembic\n");
	make_script_dir(f, "svc_a/alembic");
	assert_ok(discover_one(f, at(f, "")));
	assert_int_equal(f->p.nr_dirs, 2);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "svc_a/alembic"));
	assert_string_equal(f->p.dirs[0].ini_path, at(f, "svc_a/alembic.ini"));
	assert_locations(&f->p.dirs[0], (const char *[]){at(f, "svc_a/alembic/versions")}, 1);
	assert_string_equal(f->p.dirs[1].script_location, at(f, "svc_b/migrations"));
	assert_string_equal(f->p.dirs[1].ini_path, at(f, "svc_b/alembic.ini"));
	assert_locations(&f->p.dirs[1], (const char *[]){at(f, "svc_b/migrations/versions")}, 1);
}

static void test_discover_same_project_twice(void **state)
{
	struct fixture *f = *state;
	const char *paths[3];

	/* One project named three ways is linted once, not three times. */
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	make_script_dir(f, "migrations");
	paths[0] = at(f, "");
	paths[1] = at(f, "alembic.ini");
	paths[2] = at(f, "");
	assert_ok(mlint_discover(&f->p, paths, 3, NULL));
	assert_int_equal(f->p.nr_dirs, 1);
}

static void test_discover_current_directory(void **state)
{
	struct fixture *f = *state;
	char *cwd = getcwd(NULL, 0);
	int error;

	assert_non_null(cwd);
	test_write_file(f->root, "alembic.ini", "[alembic]\nscript_location = migrations\n");
	make_script_dir(f, "migrations");
	assert_int_equal(chdir(f->root), 0);
	error = mlint_discover(&f->p, NULL, 0, NULL); /* nr == 0 means "." */
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	assert_ok(error);
	assert_int_equal(f->p.nr_dirs, 1);
	assert_string_equal(f->p.base_dir, f->root);
	assert_string_equal(f->p.dirs[0].script_location, at(f, "migrations"));
	assert_string_equal(f->p.dirs[0].display, "migrations");
}

static void test_discover_display_path(void **state)
{
	struct fixture *f = *state;
	struct mlint_project p;
	char *shown;

	mlint_project_init(&p);
	p.base_dir = strdup(f->root);
	assert_non_null(p.base_dir);
	shown = mlint_project_display_path(&p, at(f, "migrations/versions"));
	assert_string_equal(shown, "migrations/versions");
	free(shown);
	shown = mlint_project_display_path(&p, f->root);
	assert_string_equal(shown, ".");
	free(shown);
	shown = mlint_project_display_path(&p, "/elsewhere/x");
	assert_string_equal(shown, "/elsewhere/x");
	free(shown);
	mlint_project_release(&p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_discover_root_ini),
		T(test_discover_ini_file_given),
		T(test_discover_config_option),
		T(test_discover_flask_migrate),
		T(test_discover_flask_migrate_dir_given),
		T(test_discover_here_interpolation),
		T(test_discover_recursive_flag),
		T(test_discover_locations_space),
		T(test_discover_locations_os),
		T(test_discover_locations_semicolon),
		T(test_discover_locations_legacy),
		T(test_discover_locations_legacy_spaces),
		T(test_discover_crlf_bom_ini),
		T(test_discover_location_missing_is_warning),
		T(test_discover_bad_separator_is_error),
		T(test_discover_missing_script_location),
		T(test_discover_script_location_not_a_dir),
		T(test_discover_no_alembic_section),
		T(test_discover_broken_ini),
		T(test_discover_path_does_not_exist),
		T(test_discover_nothing_found),
		T(test_discover_bare_versions_dir),
		T(test_discover_two_versions_dirs_one_project),
		T(test_discover_migrations_versions_without_ini),
		T(test_discover_two_projects_below_root),
		T(test_discover_same_project_twice),
		T(test_discover_current_directory),
		T(test_discover_display_path),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
