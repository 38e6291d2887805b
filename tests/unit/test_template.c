#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mlint/common.h"
#include "mlint/template.h"

static struct mlint_template_values day(const char *rev, const char *slug)
{
	struct mlint_template_values v = {2025, 8, 3, 7, 5, 9, 1754204709LL, rev, slug};
	return v;
}

static void render(const char *spec, const struct mlint_template_values *v, const char *want)
{
	struct mlint_template t;
	struct mlint_buf out;
	mlint_template_init(&t);
	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_template_parse(&t, spec), 0);
	assert_int_equal(mlint_template_render(&out, &t, v), 0);
	assert_string_equal(out.ptr, want);
	mlint_buf_release(&out);
	mlint_template_release(&t);
}

static void test_template_default(void **state)
{
	struct mlint_template_values v = day("ab55d9ddb915", "add_name_column");
	(void)state;
	render(MLINT_TEMPLATE_DEFAULT, &v, "20250803_add_name_column.py");
	render("%Y-%m-%d_%H%M%S_%rev_%slug", &v, "2025-08-03_070509_ab55d9ddb915_add_name_column.py");
	render("100%%_%slug", &v, "100%_add_name_column.py");
}

static void test_template_alembic_syntax(void **state)
{
	struct mlint_template_values v = day("ab55d9ddb915", "add_name_column");
	(void)state;
	/* as Alembic sees file_template after ConfigParser's interpolation */
	render("%(year)d%(month).2d%(day).2d_%(slug)s", &v, "20250803_add_name_column.py");
	render("%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s", &v,
	       "2025_08_03_0705-ab55d9ddb915_add_name_column.py");
	render("%(rev)s_%(slug)s", &v, "ab55d9ddb915_add_name_column.py");
	render("%(epoch)s_%(slug).5s", &v, "1754204709_add_n.py");
	render("%(month)d-%(day)02d-%(second)3d_%(slug)s", &v, "8-03-  9_add_name_column.py");
}

static void test_template_to_alembic_ini(void **state)
{
	struct mlint_template t;
	struct mlint_buf out;
	(void)state;
	mlint_template_init(&t);
	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_template_parse(&t, "%Y%m%d_%H%M_%rev_%slug"), 0);
	assert_int_equal(mlint_template_to_alembic_ini(&out, &t), 0);
	assert_string_equal(out.ptr, "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_"
				     "%%(rev)s_%%(slug)s");
	mlint_buf_clear(&out);
	assert_int_equal(mlint_template_parse(&t, "%(year)d%(month).2d_%(slug)s"), 0);
	assert_int_equal(mlint_template_to_alembic_ini(&out, &t), 0);
	assert_string_equal(out.ptr, "%%(year)d%%(month).2d_%%(slug)s");
	mlint_buf_release(&out);
	mlint_template_release(&t);
}

static void test_template_bad(void **state)
{
	struct mlint_template t;
	static const char *const bad[] = {
		"%Y%m%d",          /* no slug, no rev: every file the same name */
		"%Y/%slug",        /* a directory */
		".%slug",          /* hidden file */
		"%q_%slug",        /* unknown token */
		"%(year)d_%(nope)s", "%(year_%(slug)s", "%(year)x_%(slug)s", "%(slug)d",
		"%(year)d%_%(slug)s",
	};
	(void)state;
	mlint_template_init(&t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mlint_template_parse(&t, bad[i]), MLINT_EUSAGE);
		assert_non_null(strstr(mlint_error_last(), "bad file name template"));
	}
	mlint_template_release(&t);
}

static void test_template_match(void **state)
{
	struct mlint_template t;
	struct mlint_template_values v;
	(void)state;
	mlint_template_init(&t);
	assert_int_equal(mlint_template_parse(&t, MLINT_TEMPLATE_DEFAULT), 0);
	memset(&v, 0, sizeof(v));
	assert_true(mlint_template_match(&t, "20250823_add_name.py", "ab12", &v));
	assert_int_equal(v.year, 2025);
	assert_int_equal(v.month, 8);
	assert_int_equal(v.day, 23);
	assert_true(mlint_template_match(&t, "20250823_add_name_2.py", "ab12", NULL));
	assert_false(mlint_template_match(&t, "ab12_add_name.py", "ab12", NULL));
	assert_false(mlint_template_match(&t, "20251323_add_name.py", "ab12", NULL)); /* month 13 */
	assert_false(mlint_template_match(&t, "2025082_add_name.py", "ab12", NULL));
	assert_false(mlint_template_match(&t, "20250823_.py", "ab12", NULL));
	assert_false(mlint_template_match(&t, "20250823_Add.py", "ab12", NULL));
	assert_false(mlint_template_match(&t, "20250823_add.pyc", "ab12", NULL));

	assert_int_equal(mlint_template_parse(&t, "%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s"), 0);
	assert_true(mlint_template_match(&t, "20250823_ab12_x.py", "ab12", NULL));
	assert_false(mlint_template_match(&t, "20250823_cd34_x.py", "ab12", NULL));
	/* unpadded fields: backtracking finds the split */
	assert_int_equal(mlint_template_parse(&t, "%(year)d%(month)d%(day)d_%(slug)s"), 0);
	assert_true(mlint_template_match(&t, "2025123_x.py", "r", NULL));
	assert_true(mlint_template_match(&t, "2025812_x.py", "r", NULL));
	mlint_template_release(&t);
}

static void test_template_render_then_match(void **state)
{
	static const char *const specs[] = {
		MLINT_TEMPLATE_DEFAULT, "%Y%m%d_%H%M%S_%slug", "%rev_%slug",
		"%(year)d%(month).2d%(day).2d_%(slug)s", "%(epoch)s_%(rev)s",
		"%(year)d-%(month)d-%(day)d_%(hour)d_%(slug)s",
	};
	struct mlint_template_values v = day("ab-55_Z", "x_y");
	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct mlint_template t;
		struct mlint_buf out;
		mlint_template_init(&t);
		mlint_buf_init(&out, 0);
		assert_int_equal(mlint_template_parse(&t, specs[i]), 0);
		assert_int_equal(mlint_template_render(&out, &t, &v), 0);
		assert_true(mlint_template_match(&t, out.ptr, v.rev, NULL));
		mlint_buf_release(&out);
		mlint_template_release(&t);
	}
}

static void slug_msg(const char *message, const char *want)
{
	struct mlint_buf out;
	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_slug_from_message(&out, message, MLINT_SLUG_MAX), 0);
	assert_string_equal(out.ptr, want);
	mlint_buf_release(&out);
}

static void test_slug_alembic(void **state)
{
	(void)state;
	/* expected values are what alembic 1.8's _rev_path produces */
	slug_msg("Add name column to Species table", "add_name_column_to_species_table");
	slug_msg("add assembly and annotation versions to species",
		 "add_assembly_and_annotation_versions_to_");
	slug_msg("  drop  'legacy'-table!! (v2) ", "drop_legacy_table_v2");
	slug_msg("add __init__ helper", "add___init___helper");
	slug_msg("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_");
	slug_msg("exactly forty characters long message xx", "exactly_forty_characters_long_message_xx");
	slug_msg("", "");
	slug_msg(NULL, "");
	slug_msg("!!!", "");
}

static void slug_file(const char *name, const char *rev, const char *message, const char *want)
{
	struct mlint_buf out;
	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_slug_for_file(&out, name, rev, message), 0);
	assert_string_equal(out.ptr, want);
	mlint_buf_release(&out);
}

static void test_slug_for_file(void **state)
{
	(void)state;
	slug_file("ab55d9ddb915_add_name_column.py", "ab55d9ddb915", "whatever", "add_name_column");
	slug_file("ab55d9ddb915_.py", "ab55d9ddb915", "Add a column", "add_a_column");
	slug_file("ab55d9ddb915_.py", "ab55d9ddb915", "empty message", "ab55d9ddb915");
	slug_file("ab55d9ddb915_.py", "ab55d9ddb915", NULL, "ab55d9ddb915");
	slug_file("ab55_Add-Thing.v2.py", "ab55", NULL, "add_thing_v2");
	slug_file("other_name.py", "ab55", "From the header", "from_the_header");
	slug_file("ab55_caf\xc3\xa9.py", "ab55", NULL, "caf_");
	/* never a path, a dot file or empty */
	slug_file("ab55_.py", "../..", NULL, "_____");
	slug_file("ab55_.py", "..", "...", "__");
	slug_file("x.py", "", NULL, "migration");
}

static void test_slug_sanitize(void **state)
{
	char s[] = "A/b..c\xe2\x80\x94" "d e";
	(void)state;
	mlint_slug_sanitize(s);
	assert_string_equal(s, "a_b__c_d_e");
}

static void test_template_collision_suffix(void **state)
{
	struct mlint_buf out;
	struct mlint_template t;
	(void)state;
	mlint_buf_init(&out, 0);
	mlint_template_init(&t);
	assert_int_equal(mlint_template_suffixed(&out, "20250823_add.py", 2), 0);
	assert_string_equal(out.ptr, "20250823_add_2.py");
	/* a suffixed name still has the template's form: a second run leaves it */
	assert_int_equal(mlint_template_parse(&t, MLINT_TEMPLATE_DEFAULT), 0);
	assert_true(mlint_template_match(&t, out.ptr, "r", NULL));
	mlint_buf_clear(&out);
	assert_int_equal(mlint_template_suffixed(&out, "x.py", 11), 0);
	assert_string_equal(out.ptr, "x_11.py");
	mlint_template_release(&t);
	mlint_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_default),
		cmocka_unit_test(test_template_alembic_syntax),
		cmocka_unit_test(test_template_to_alembic_ini),
		cmocka_unit_test(test_template_bad),
		cmocka_unit_test(test_template_match),
		cmocka_unit_test(test_template_render_then_match),
		cmocka_unit_test(test_slug_alembic),
		cmocka_unit_test(test_slug_for_file),
		cmocka_unit_test(test_slug_sanitize),
		cmocka_unit_test(test_template_collision_suffix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
