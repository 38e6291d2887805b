/* The rule registry, the rule file parser and the pattern engine. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "mlint/ruleset.h"

#define GOOD "id: team-rule\nseverity: warning\nscope: upgrade\ntarget: call\n" \
	     "summary: a summary\npattern: ^op\\.execute\\(\n"

static int setup(void **state)
{
	struct mlint_ruleset *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -1;
	mlint_ruleset_init(rs);
	*state = rs;
	return 0;
}

static int teardown(void **state)
{
	mlint_ruleset_release(*state);
	free(*state);
	return 0;
}

static int add(struct mlint_ruleset *rs, const char *text)
{
	return mlint_ruleset_add_text(rs, "team/x.rule", text, strlen(text));
}

/* The text must fail, with a message naming the file, the line and `what`. */
static void expect_error(struct mlint_ruleset *rs, const char *text, unsigned line,
			 const char *what)
{
	char where[64];
	snprintf(where, sizeof(where), "'team/x.rule':%u: ", line);
	assert_int_equal(add(rs, text), MLINT_EUSAGE);
	if (!strstr(mlint_error_last(), where) || !strstr(mlint_error_last(), what))
		fail_msg("message '%s' lacks '%s' or '%s'", mlint_error_last(), where, what);
	assert_int_equal(rs->nr, 0);
}

static void test_ruleset_builtin(void **state)
{
	struct mlint_ruleset *rs = *state;
	const struct mlint_ruleset_entry *e;
	const char *const *pats;

	assert_int_equal(mlint_ruleset_load_builtin(rs), 0);
	assert_non_null(mlint_ruleset_find(rs, "missing-downgrade"));
	assert_string_equal(mlint_ruleset_find(rs, "multiple-heads")->origin, "built-in");
	e = mlint_ruleset_find(rs, "drop-table");
	assert_non_null(e);
	assert_non_null(e->pattern);
	assert_string_equal(e->origin, "built-in:rules/drop-table.rule");
	assert_int_equal(e->rule->severity, MLINT_SEV_ERROR);
	assert_string_equal(mlint_pattern_rule_target(e->pattern), "call");
	assert_true(mlint_pattern_rule_patterns(e->pattern, &pats) >= 1);
	assert_non_null(mlint_ruleset_find(rs, "drop-column")->pattern);
	assert_string_equal(mlint_pattern_rule_target(mlint_ruleset_find(rs, "destructive-sql")->pattern),
			    "sql");
	/* every rule has what `mlint rules ID` and SARIF print */
	for (size_t i = 0; i < rs->nr; i++) {
		const struct mlint_rule *r = rs->entries[i].rule;
		assert_true(*r->summary && *r->explain && *r->fix && *r->scope);
	}
	/* a team rule cannot take a shipped id */
	assert_int_equal(add(rs, "id: drop-table\nseverity: info\nscope: any\ntarget: code\n"
				 "summary: s\npattern: x\n"), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "'team/x.rule':1: rule id 'drop-table' is "
					      "already defined by built-in:rules/drop-table.rule"));
}

static void test_ruleset_parse_good(void **state)
{
	struct mlint_ruleset *rs = *state;
	const struct mlint_rule *r;

	assert_int_equal(add(rs, "# a comment\n" GOOD
			      "message: {call} at {args}\n"
			      "fix: first line\n  second line\n"
			      "explain:\n  para one\n    indented\n\n  para two\n\n"
			      "unless: WHERE\n"), 0);
	assert_int_equal(rs->nr, 1);
	r = rs->entries[0].rule;
	assert_string_equal(r->id, "team-rule");
	assert_int_equal(r->severity, MLINT_SEV_WARNING);
	assert_string_equal(r->scope, "upgrade");
	assert_string_equal(r->fix, "first line\nsecond line");
	assert_string_equal(r->explain, "para one\n  indented\n\npara two");
	assert_string_equal(rs->entries[0].origin, "team/x.rule");
}

static void test_ruleset_parse_malformed(void **state)
{
	struct mlint_ruleset *rs = *state;

	expect_error(rs, "severity: error\nscope: upgrade\ntarget: call\nsummary: s\npattern: x\n",
		     1, "missing 'id'");
	expect_error(rs, "id: x\nseverity: fatal\nscope: upgrade\ntarget: call\nsummary: s\n"
			 "pattern: x\n", 2, "severity must be error, warning or info, not 'fatal'");
	expect_error(rs, "id: x\nseverity: info\nscope: everywhere\ntarget: call\nsummary: s\n"
			 "pattern: x\n", 3, "scope must be upgrade, downgrade or any");
	expect_error(rs, "id: x\nseverity: info\nscope: any\ntarget: file\nsummary: s\n"
			 "pattern: x\n", 4, "target must be call, sql or code");
	expect_error(rs, "id: x\nseverity: info\nscope: any\ntarget: call\nsummary: s\n",
		     1, "no 'pattern:' line");
	expect_error(rs, GOOD "pattern: (unclosed\n", 7, "pattern does not compile at offset");
	expect_error(rs, GOOD "pattern:\n", 7, "empty pattern");
	expect_error(rs, GOOD "colour: red\n", 7, "unknown key 'colour'");
	expect_error(rs, GOOD "just some words\n", 7, "expected 'key: value'");
	expect_error(rs, "  indented first\n" GOOD, 1, "indented line continues no text key");
	expect_error(rs, GOOD "summary: again\n", 7, "key given twice: 'summary'");
	expect_error(rs, "id: Not_Kebab\nseverity: info\nscope: any\ntarget: call\nsummary: s\n"
			 "pattern: x\n", 1, "not kebab-case");
	expect_error(rs, "id: x\nseverity: info\nscope: any\ntarget: call\nsummary: s\n"
			 "pattern: x\n  continued\n", 7, "indented line continues no text key");
	assert_int_equal(mlint_ruleset_add_text(rs, "team/x.rule", "id: a\0b", 7), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "NUL byte"));
	assert_int_equal(add(rs, GOOD), 0);
	assert_int_equal(add(rs, GOOD), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "'team/x.rule':1: rule id 'team-rule' is "
					      "already defined by team/x.rule"));
	assert_int_equal(rs->nr, 1);
}

static void test_ruleset_load_dir_missing(void **state)
{
	struct mlint_ruleset *rs = *state;
	assert_int_equal(mlint_ruleset_load_dir(rs, "/nonexistent/mlint-rules"), MLINT_EUSAGE);
	assert_non_null(strstr(mlint_error_last(), "cannot open rules directory "
					      "'/nonexistent/mlint-rules'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ruleset_builtin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ruleset_parse_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ruleset_parse_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ruleset_load_dir_missing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
