/* json_tree: the small JSON reader the SQL path reads libpg_query's trees
 * with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json_tree.h"

static void test_json_tree_values(void **state)
{
	char text[] = " {\"a\": [1, -2, 3.5e2, true, false, null], \"s\": \"x\\\"y\\\\z\\n\\u00e9\\u0000\","
		      " \"o\": {\"k\": \"v\"}, \"e\": [], \"eo\": {}} ";
	struct json_tree t;
	struct json_node *a, *e;
	int oom;
	(void)state;

	assert_int_equal(json_tree_parse(&t, text, &oom), 0);
	a = json_get(t.root, "a");
	assert_non_null(a);
	assert_int_equal(json_size(a), 6);
	e = json_first(a);
	assert_int_equal(e->type, JSON_NUMBER);
	assert_int_equal(e->num, 1);
	assert_int_equal(e->next->num, -2);
	assert_int_equal(e->next->next->num, 3);
	assert_int_equal(e->next->next->next->type, JSON_TRUE);
	assert_int_equal(e->next->next->next->next->type, JSON_FALSE);
	assert_int_equal(e->next->next->next->next->next->type, JSON_NULL);
	/* escapes decoded in place; \u0000 becomes a visible '?' */
	assert_string_equal(json_str(t.root, "s"), "x\"y\\z\n\xc3\xa9?");
	assert_string_equal(json_str(json_get(t.root, "o"), "k"), "v");
	assert_null(json_str(t.root, "a"));
	assert_null(json_get(t.root, "missing"));
	assert_null(json_get(a, "a")); /* not an object */
	assert_int_equal(json_size(json_get(t.root, "e")), 0);
	assert_int_equal(json_size(json_get(t.root, "eo")), 0);
	assert_false(json_true(t.root, "o"));
	json_tree_release(&t);
}

static void test_json_tree_bad(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "\"abc", "\"\\q\"", "\"\\u12g4\"",
		"tru", "[1] 2", "{1: 2}", "-", "[\"a\" \"b\"]",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *copy = strdup(bad[i]);
		struct json_tree t;
		int oom;
		assert_non_null(copy);
		assert_int_equal(json_tree_parse(&t, copy, &oom), -1);
		assert_false(oom);
		assert_null(t.root);
		free(copy);
	}
}

static void test_json_tree_depth(void **state)
{
	size_t n = 5000;
	char *deep = malloc(2 * n + 1);
	struct json_tree t;
	int oom;
	(void)state;

	assert_non_null(deep);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	/* refused, not recursed into */
	assert_int_equal(json_tree_parse(&t, deep, &oom), -1);
	free(deep);
	/* many nodes: more than one block */
	n = 3000;
	deep = malloc(4 * n + 3);
	assert_non_null(deep);
	deep[0] = '[';
	for (size_t i = 0; i < n; i++)
		memcpy(deep + 1 + 4 * i, "[1],", 4);
	deep[4 * n] = ']';
	deep[4 * n + 1] = '\0';
	assert_int_equal(json_tree_parse(&t, deep, &oom), 0);
	assert_int_equal(json_size(t.root), n);
	json_tree_release(&t);
	free(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_tree_values),
		cmocka_unit_test(test_json_tree_bad),
		cmocka_unit_test(test_json_tree_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
