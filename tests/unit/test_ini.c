/* Unit tests for the INI reader (include/mlint/ini.h), against ConfigParser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mlint/common.h"
#include "mlint/ini.h"

static int setup(void **state)
{
	struct mlint_ini *ini = malloc(sizeof(*ini));
	if (!ini)
		return -1;
	mlint_ini_init(ini);
	mlint_error_clear();
	*state = ini;
	return 0;
}

static int teardown(void **state)
{
	mlint_ini_release(*state);
	free(*state);
	return 0;
}

static int parse(struct mlint_ini *ini, const char *text)
{
	return mlint_ini_parse(ini, "test.ini", text, strlen(text));
}

/* The raw value of section/key; fails the test when absent. */
static const char *raw(const struct mlint_ini *ini, const char *section, const char *key)
{
	const struct mlint_ini_entry *e = mlint_ini_get(ini, section, key);
	if (!e)
		fail_msg("no [%s] %s", section, key);
	return e ? e->value : "";
}

/* Asserts the interpolated value of section/key. */
static void assert_interpolated(const struct mlint_ini *ini, const char *section,
				const char *key, const char *const *defaults, const char *want)
{
	char *got = NULL;
	assert_int_equal(mlint_ini_get_interpolated(&got, ini, section, key, defaults), 0);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Asserts the last error names `path` and `line`, as path:N or 'path':N. */
static void assert_error_at(const char *path, unsigned line)
{
	char plain[300], quoted[300];
	const char *msg = mlint_error_last();

	snprintf(plain, sizeof(plain), "%s:%u", path, line);
	snprintf(quoted, sizeof(quoted), "'%s':%u", path, line);
	if (!strstr(msg, plain) && !strstr(msg, quoted))
		fail_msg("error does not name %s: \"%s\"", plain, msg);
}

static void assert_no_cr(const struct mlint_ini *ini)
{
	for (size_t i = 0; i < ini->nr; i++) {
		if (strchr(ini->entries[i].key, '\r'))
			fail_msg("key '%s' keeps a '\\r'", ini->entries[i].key);
		if (strchr(ini->entries[i].value, '\r'))
			fail_msg("value of '%s' keeps a '\\r'", ini->entries[i].key);
	}
	for (size_t i = 0; i < ini->nr_sections; i++)
		if (strchr(ini->sections[i], '\r'))
			fail_msg("section '%s' keeps a '\\r'", ini->sections[i]);
}

static void test_ini_equals_and_colon(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[alembic]\n"
				    "script_location = migrations\n"
				    "file_template: %%(rev)s_%%(slug)s\n"
				    "sqlalchemy.url = driver://user:pass@localhost/db\n"
				    "tight=value\n"
				    "empty =\n"),
			 0);
	assert_true(mlint_ini_has_section(ini, "alembic"));
	assert_false(mlint_ini_has_section(ini, "Alembic"));
	assert_string_equal(raw(ini, "alembic", "script_location"), "migrations");
	assert_string_equal(raw(ini, "alembic", "file_template"), "%%(rev)s_%%(slug)s");
	/* The first delimiter splits: ':' after '=' stays in the value. */
	assert_string_equal(raw(ini, "alembic", "sqlalchemy.url"), "driver://user:pass@localhost/db");
	assert_string_equal(raw(ini, "alembic", "tight"), "value");
	assert_string_equal(raw(ini, "alembic", "empty"), "");
	assert_null(mlint_ini_get(ini, "alembic", "nothere"));
	assert_null(mlint_ini_get(ini, "other", "script_location"));
}

static void test_ini_line_numbers(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "# top\n\n[alembic]\na = 1\n\nb = 2\n"), 0);
	assert_int_equal(mlint_ini_get(ini, "alembic", "a")->line, 4);
	assert_int_equal(mlint_ini_get(ini, "alembic", "b")->line, 6);
}

static void test_ini_keys_lower_cased(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[Mixed]\nScript_Location = Migrations\n"), 0);
	/* Keys fold to lower case; section names and values do not. */
	assert_true(mlint_ini_has_section(ini, "Mixed"));
	assert_string_equal(raw(ini, "Mixed", "script_location"), "Migrations");
	assert_null(mlint_ini_get(ini, "mixed", "script_location"));
}

static void test_ini_comment_lines(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "# a comment\n"
				    "; another\n"
				    "[alembic]\n"
				    "# key = commented\n"
				    "; other = commented\n"
				    "   # indented comment\n"
				    "key = value # not an inline comment\n"),
			 0);
	assert_null(mlint_ini_get(ini, "alembic", "# key"));
	assert_null(mlint_ini_get(ini, "alembic", "; other"));
	assert_int_equal(ini->nr, 1);
	/* ConfigParser has no inline comments by default. */
	assert_string_equal(raw(ini, "alembic", "key"), "value # not an inline comment");
}

static void test_ini_continuation_lines(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[alembic]\n"
				    "version_locations = a\n"
				    "    b\n"
				    "\tc\n"
				    "# comment inside the value\n"
				    "  d  \n"
				    "next = 1\n"),
			 0);
	assert_string_equal(raw(ini, "alembic", "version_locations"), "a\nb\nc\nd");
	assert_string_equal(raw(ini, "alembic", "next"), "1");
	assert_int_equal(mlint_ini_get(ini, "alembic", "version_locations")->line, 2);
}

static void test_ini_default_section(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[DEFAULT]\nshared = from-default\nover = default\n"
				    "[alembic]\nover = section\n"),
			 0);
	assert_string_equal(raw(ini, "alembic", "shared"), "from-default");
	assert_string_equal(raw(ini, "alembic", "over"), "section");
	assert_string_equal(raw(ini, "nosuch", "shared"), "from-default");
}

static void test_ini_interpolate_here(void **state)
{
	struct mlint_ini *ini = *state;
	const char *const defaults[] = {"here", "/srv/app", NULL};

	assert_int_equal(parse(ini, "[alembic]\nscript_location = %(here)s/migrations\n"
				    "upper = %(HERE)s\n"),
			 0);
	assert_interpolated(ini, "alembic", "script_location", defaults, "/srv/app/migrations");
	/* Names fold to lower case, as option names do. */
	assert_interpolated(ini, "alembic", "upper", defaults, "/srv/app");
	/* The raw value is kept as written. */
	assert_string_equal(raw(ini, "alembic", "script_location"), "%(here)s/migrations");
}

static void test_ini_interpolate_same_section(void **state)
{
	struct mlint_ini *ini = *state;
	const char *const defaults[] = {"here", "/srv/app", NULL};

	assert_int_equal(parse(ini, "[DEFAULT]\nroot = %(here)s/db\n"
				    "[alembic]\n"
				    "base = %(root)s/migrations\n"
				    "script_location = %(base)s\n"
				    "version_locations = %(base)s/versions %(here)s/extra\n"),
			 0);
	assert_interpolated(ini, "alembic", "script_location", defaults, "/srv/app/db/migrations");
	assert_interpolated(ini, "alembic", "version_locations", defaults,
			    "/srv/app/db/migrations/versions /srv/app/extra");
}

static void test_ini_interpolate_file_overrides_defaults(void **state)
{
	struct mlint_ini *ini = *state;
	const char *const defaults[] = {"here", "/srv/app", NULL};

	/* The file's own value wins over the extra defaults (ConfigParser's
	 * defaults go into DEFAULT, which the file then overrides). */
	assert_int_equal(parse(ini, "[alembic]\nhere = /elsewhere\nloc = %(here)s/m\n"), 0);
	assert_interpolated(ini, "alembic", "loc", defaults, "/elsewhere/m");
}

static void test_ini_interpolate_percent(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[alembic]\n"
				    "file_template = %%(year)d_%%(rev)s\n"
				    "pct = 100%%\n"),
			 0);
	assert_interpolated(ini, "alembic", "file_template", NULL, "%(year)d_%(rev)s");
	assert_interpolated(ini, "alembic", "pct", NULL, "100%");
}

static void test_ini_interpolate_absent_key(void **state)
{
	struct mlint_ini *ini = *state;
	char *got = (char *)"sentinel";

	assert_int_equal(parse(ini, "[alembic]\na = 1\n"), 0);
	assert_int_equal(mlint_ini_get_interpolated(&got, ini, "alembic", "b", NULL), 0);
	assert_null(got);
}

static void test_ini_interpolate_unknown_is_error(void **state)
{
	struct mlint_ini *ini = *state;
	const char *const defaults[] = {"here", "/srv/app", NULL};
	char *got = NULL;

	assert_int_equal(parse(ini, "[alembic]\n\nscript_location = %(nothere)s/m\n"), 0);
	mlint_error_clear();
	assert_true(mlint_ini_get_interpolated(&got, ini, "alembic", "script_location", defaults) < 0);
	assert_null(got);
	assert_error_at("test.ini", 3);
	assert_non_null(strstr(mlint_error_last(), "nothere"));
}

static void test_ini_interpolate_bad_percent_is_error(void **state)
{
	struct mlint_ini *ini = *state;
	char *got = NULL;

	assert_int_equal(parse(ini, "[alembic]\nx = 50% off\n"), 0);
	mlint_error_clear();
	assert_true(mlint_ini_get_interpolated(&got, ini, "alembic", "x", NULL) < 0);
	assert_null(got);
	assert_error_at("test.ini", 2);
}

static void test_ini_interpolate_loop_is_error(void **state)
{
	struct mlint_ini *ini = *state;
	char *got = NULL;

	assert_int_equal(parse(ini, "[alembic]\na = %(b)s\nb = %(a)s\n"), 0);
	assert_true(mlint_ini_get_interpolated(&got, ini, "alembic", "a", NULL) < 0);
	assert_null(got);
	assert_non_null(strstr(mlint_error_last(), "test.ini"));
}

static void test_ini_malformed_line_is_error(void **state)
{
	struct mlint_ini *ini = *state;

	assert_true(parse(ini, "[alembic]\nok = 1\nthis line has no delimiter\n") < 0);
	assert_error_at("test.ini", 3);
}

static void test_ini_unclosed_section_is_error(void **state)
{
	struct mlint_ini *ini = *state;

	assert_true(parse(ini, "[alembic]\n[broken\n") < 0);
	assert_error_at("test.ini", 2);
}

static void test_ini_empty_key_is_error(void **state)
{
	struct mlint_ini *ini = *state;

	/* ConfigParser: ParsingError "[line  2]: '= x'". */
	assert_true(parse(ini, "[alembic]\n= x\n") < 0);
	assert_error_at("test.ini", 2);
}

static void test_ini_key_before_section_is_error(void **state)
{
	struct mlint_ini *ini = *state;

	assert_true(parse(ini, "# leading comment\nscript_location = migrations\n[alembic]\n") < 0);
	assert_error_at("test.ini", 2);
}

static void test_ini_bom(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "\xEF\xBB\xBF[alembic]\nscript_location = migrations\n"), 0);
	assert_true(mlint_ini_has_section(ini, "alembic"));
	assert_string_equal(raw(ini, "alembic", "script_location"), "migrations");
}

static void test_ini_crlf(void **state)
{
	struct mlint_ini *ini = *state;
	const char *const defaults[] = {"here", "/srv/app", NULL};

	assert_int_equal(parse(ini, "\xEF\xBB\xBF# comment\r\n"
				    "[alembic]\r\n"
				    "script_location = %(here)s/migrations\r\n"
				    "version_locations = a\r\n"
				    "  b\r\n"
				    "\r\n"
				    "empty =\r\n"
				    "colon: x\r\n"),
			 0);
	assert_no_cr(ini);
	assert_true(mlint_ini_has_section(ini, "alembic"));
	assert_string_equal(raw(ini, "alembic", "version_locations"), "a\nb");
	assert_string_equal(raw(ini, "alembic", "empty"), "");
	assert_string_equal(raw(ini, "alembic", "colon"), "x");
	assert_interpolated(ini, "alembic", "script_location", defaults, "/srv/app/migrations");
	assert_int_equal(mlint_ini_get(ini, "alembic", "colon")->line, 8);
}

static void test_ini_last_duplicate_wins(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[alembic]\nkey = first\nKEY = second\n"
				    "[other]\nkey = elsewhere\n"
				    "[alembic]\nkey = third\n"),
			 0);
	assert_string_equal(raw(ini, "alembic", "key"), "third");
	assert_int_equal(mlint_ini_get(ini, "alembic", "key")->line, 7);
	assert_string_equal(raw(ini, "other", "key"), "elsewhere");
}

static void test_ini_nul_byte_is_error(void **state)
{
	struct mlint_ini *ini = *state;
	static const char text[] = "[alembic]\nx = a\0b\n";

	assert_true(mlint_ini_parse(ini, "test.ini", text, sizeof(text) - 1) < 0);
	assert_non_null(strstr(mlint_error_last(), "test.ini"));
}

static void test_ini_empty_input(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, ""), 0);
	assert_int_equal(ini->nr, 0);
	assert_int_equal(ini->nr_sections, 0);
	assert_false(mlint_ini_has_section(ini, "alembic"));
	assert_null(mlint_ini_get(ini, "alembic", "x"));
}

static void test_ini_no_trailing_newline(void **state)
{
	struct mlint_ini *ini = *state;

	assert_int_equal(parse(ini, "[alembic]\nscript_location = migrations"), 0);
	assert_string_equal(raw(ini, "alembic", "script_location"), "migrations");
}

static void test_ini_parse_file(void **state)
{
	struct mlint_ini *ini = *state;
	char dir[] = "/tmp/mlint-test-ini-XXXXXX", path[96];
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/alembic.ini", dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("[alembic]\r\nscript_location = migrations\r\nbad line\r\n", fp);
	fclose(fp);
	assert_true(mlint_ini_parse_file(ini, path) < 0);
	assert_error_at(path, 3);
	mlint_ini_release(ini);

	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("[alembic]\r\nscript_location = migrations\r\n", fp);
	fclose(fp);
	assert_int_equal(mlint_ini_parse_file(ini, path), 0);
	assert_no_cr(ini);
	assert_string_equal(raw(ini, "alembic", "script_location"), "migrations");
	assert_string_equal(ini->path, path);
	unlink(path);
	mlint_ini_release(ini);

	/* A missing file is an error naming it. */
	assert_true(mlint_ini_parse_file(ini, path) < 0);
	assert_non_null(strstr(mlint_error_last(), path));
	rmdir(dir);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ini_equals_and_colon),
		T(test_ini_line_numbers),
		T(test_ini_keys_lower_cased),
		T(test_ini_comment_lines),
		T(test_ini_continuation_lines),
		T(test_ini_default_section),
		T(test_ini_interpolate_here),
		T(test_ini_interpolate_same_section),
		T(test_ini_interpolate_file_overrides_defaults),
		T(test_ini_interpolate_percent),
		T(test_ini_interpolate_absent_key),
		T(test_ini_interpolate_unknown_is_error),
		T(test_ini_interpolate_bad_percent_is_error),
		T(test_ini_interpolate_loop_is_error),
		T(test_ini_malformed_line_is_error),
		T(test_ini_unclosed_section_is_error),
		T(test_ini_empty_key_is_error),
		T(test_ini_key_before_section_is_error),
		T(test_ini_bom),
		T(test_ini_crlf),
		T(test_ini_last_duplicate_wins),
		T(test_ini_nul_byte_is_error),
		T(test_ini_empty_input),
		T(test_ini_no_trailing_newline),
		T(test_ini_parse_file),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
