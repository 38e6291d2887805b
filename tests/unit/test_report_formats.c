/* The SARIF, GitHub and Markdown renderers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "mlint/report.h"

static void add_finding(struct mlint_findings *f, const char *path, const char *msg)
{
	struct mlint_location at = {path, 3, 7, "ab12", "x = 1", 5};
	assert_int_equal(mlint_findings_addf(f, mlint_rule_find("multiple-heads"), &at, "%s", msg),
			 0);
}

static void test_report_github_escaping(void **state)
{
	struct mlint_findings f;
	struct mlint_summary s = {0};
	struct mlint_buf out;
	(void)state;

	mlint_findings_init(&f);
	mlint_buf_init(&out, 0);
	add_finding(&f, "db/a,b:c%.py", "100% sure\r\nnext: line, here");
	mlint_findings_count(&f, &s);
	s.migrations = s.files = 1;
	assert_int_equal(mlint_report_github(&out, &f, &s), 0);
	assert_string_equal(out.ptr,
			    "::error file=db/a%2Cb%3Ac%25.py,line=3,col=7,title=mlint multiple-heads"
			    "::100%25 sure%0D%0Anext: line, here\n"
			    "1 error, 0 warnings, 0 info, 0 suppressed in 1 migration\n");
	mlint_buf_release(&out);
	mlint_findings_release(&f);
}

static void test_report_markdown_escaping(void **state)
{
	struct mlint_findings f;
	struct mlint_summary s = {0};
	struct mlint_markdown_opts opts = {1, NULL, NULL};
	struct mlint_buf out;
	(void)state;

	mlint_findings_init(&f);
	mlint_buf_init(&out, 0);
	add_finding(&f, "db/a|b.py", "a | b\nc <d> & e");
	mlint_findings_count(&f, &s);
	s.migrations = s.files = 1;
	assert_int_equal(mlint_report_markdown(&out, &f, &s, NULL, 0, &opts), 0);
	assert_string_equal(out.ptr,
			    "## mlint: failed\n\n"
			    "1 error, 0 warnings, 0 info, 0 suppressed in 1 migration\n\n"
			    "| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n"
			    "| error | `multiple-heads` | db/a\\|b.py:3 | "
			    "a \\| b c &lt;d&gt; &amp; e |\n");
	mlint_buf_release(&out);
	mlint_findings_release(&f);
}

static void test_report_sarif_fields(void **state)
{
	struct mlint_findings f;
	struct mlint_ruleset rs;
	struct mlint_buf out;
	json_t *root, *run, *res, *loc;
	json_error_t err;
	(void)state;

	mlint_findings_init(&f);
	mlint_ruleset_init(&rs);
	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_ruleset_load_builtin(&rs), 0);
	add_finding(&f, "migrations/versions/my file.py", "two heads");
	assert_int_equal(mlint_report_sarif(&out, &f, &rs, "9.9"), 0);
	root = json_loads(out.ptr, 0, &err);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "version")), "2.1.0");
	run = json_array_get(json_object_get(root, "runs"), 0);
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(json_object_get(run, "tool"), "driver"), "name")), "mlint");
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(
		run, "tool"), "driver"), "rules")), rs.nr);
	res = json_array_get(json_object_get(run, "results"), 0);
	assert_string_equal(json_string_value(json_object_get(res, "ruleId")), "multiple-heads");
	assert_string_equal(json_string_value(json_object_get(res, "level")), "error");
	loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0), "physicalLocation");
	assert_string_equal(json_string_value(json_object_get(json_object_get(loc, "artifactLocation"),
							      "uri")),
			    "migrations/versions/my%20file.py");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(loc, "region"),
							    "startLine")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(loc, "region"),
							    "startColumn")), 7);
	assert_int_equal(strlen(json_string_value(json_object_get(
		json_object_get(res, "partialFingerprints"), "mlint/v1"))), 16);
	json_decref(root);
	mlint_buf_release(&out);
	mlint_ruleset_release(&rs);
	mlint_findings_release(&f);
}

/* The jansson tree the JSON report was built from before it was written
 * directly: the report must keep exactly these bytes. */
static json_t *reference_string(const char *s)
{
	char copy[256];
	json_t *j;
	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	assert_true(strlen(s) < sizeof(copy));
	strcpy(copy, s);
	for (unsigned char *p = (unsigned char *)copy; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	return json_string(copy);
}

static char *reference_json(const struct mlint_findings *f, const struct mlint_summary *s)
{
	json_t *list = json_array();
	char *text;
	for (size_t i = 0; i < f->nr; i++) {
		const struct mlint_finding *x = &f->items[i];
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o, s:o}", "rule", x->rule,
					"severity", mlint_severity_name(x->severity), "path",
					reference_string(x->path), "line", (json_int_t)x->line,
					"column", (json_int_t)x->col, "message",
					reference_string(x->message), "revision",
					reference_string(x->revision), "section",
					reference_string(x->section)));
	}
	json_t *root = json_pack(
		"{s:i, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "version", 1, "findings", list,
		"summary", "errors", (json_int_t)s->errors, "warnings", (json_int_t)s->warnings,
		"infos", (json_int_t)s->infos, "files", (json_int_t)s->files, "migrations",
		(json_int_t)s->migrations, "suppressed", (json_int_t)s->suppressed);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}

static void assert_json_like_jansson(const struct mlint_findings *f, const struct mlint_summary *s)
{
	struct mlint_buf out;
	char *want = reference_json(f, s);
	assert_non_null(want);
	mlint_buf_init(&out, 0);
	assert_int_equal(mlint_report_json(&out, f, s), 0);
	assert_int_equal(out.ptr[out.len - 1], '\n');
	out.ptr[--out.len] = '\0';
	assert_string_equal(out.ptr, want);
	free(want);
	mlint_buf_release(&out);
}

static void test_report_json_bytes(void **state)
{
	static const char *const odd[] = {
		"plain", "q\"uote and back\\slash / slash", "\b\f\n\r\t\x01\x1f\x7f end",
		"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x90\x8d utf-8", "bad \xe9 byte\x01",
		"",
	};
	struct mlint_findings f;
	struct mlint_summary s = {0};
	(void)state;

	mlint_findings_init(&f);
	assert_json_like_jansson(&f, &s); /* "findings": [] */
	for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++)
		for (size_t j = 0; j < sizeof(odd) / sizeof(*odd); j++) {
			struct mlint_location at = {odd[i], (unsigned)i, 4000000000u,
						    j % 2 ? NULL : odd[j], NULL, 0};
			assert_int_equal(mlint_findings_addf(&f, mlint_rule_find("multiple-heads"),
							     &at, "%s", odd[j]), 0);
		}
	mlint_findings_count(&f, &s);
	s.files = 12345678901ull;
	s.suppressed = 3;
	assert_json_like_jansson(&f, &s);
	mlint_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_github_escaping),
		cmocka_unit_test(test_report_sarif_fields),
		cmocka_unit_test(test_report_markdown_escaping),
		cmocka_unit_test(test_report_json_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
