/*
 * Unit tests for the migration extractor (include/mlint/migration.h).
 *
 * Each source is copied into a heap buffer of its exact length, scanned, then
 * overwritten and freed before anything is checked: every string the struct
 * holds must be its own (ASan reports a borrowed one), and no read may go
 * past `len`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlint/common.h"
#include "mlint/migration.h"

#define NR_OF(a) (sizeof(a) / sizeof((a)[0]))

static int setup(void **state)
{
	struct mlint_migration *m = malloc(sizeof(*m));

	if (!m)
		return -1;
	mlint_migration_init(m);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct mlint_migration *m = *state;

	mlint_migration_release(m);
	free(m);
	return 0;
}

/* Scans `len` bytes of `src` into the fixture's struct (released first). */
static struct mlint_migration *scan_bytes(void **state, const char *src, size_t len)
{
	struct mlint_migration *m = *state;
	char *buf = malloc(len ? len : 1);

	assert_non_null(buf);
	if (len)
		memcpy(buf, src, len);
	mlint_migration_release(m);
	assert_int_equal(mlint_migration_scan(m, buf, len), 0);
	memset(buf, '?', len);
	free(buf);
	return m;
}

#define SCAN(src) scan_bytes(state, (src), strlen(src))
/* For sources with NUL bytes: a string literal only. */
#define SCAN_LITERAL(src) scan_bytes(state, (src), sizeof(src) - 1)

static const char *kind_name(enum mlint_value_kind k)
{
	switch (k) {
	case MLINT_VAL_ABSENT: return "ABSENT";
	case MLINT_VAL_NONE: return "NONE";
	case MLINT_VAL_STR: return "STR";
	case MLINT_VAL_SEQ: return "SEQ";
	case MLINT_VAL_EXPR: return "EXPR";
	}
	return "?";
}

static void check_value(int at, const struct mlint_value *v, enum mlint_value_kind kind,
			unsigned line, unsigned col, size_t nr, const char *const *items)
{
	if (v->kind != kind || v->nr != nr)
		fail_msg("line %d: expected %s with %zu items, got %s with %zu items (first '%s')",
			 at, kind_name(kind), nr, kind_name(v->kind), v->nr,
			 v->nr && v->items ? v->items[0] : "");
	for (size_t i = 0; i < nr; i++)
		if (strcmp(v->items[i], items[i]) != 0)
			fail_msg("line %d: item %zu: expected '%s', got '%s'", at, i, items[i],
				 v->items[i]);
	if (kind != MLINT_VAL_ABSENT && (v->line != line || v->col != col))
		fail_msg("line %d: expected the value at %u:%u, got %u:%u", at, line, col,
			 v->line, v->col);
}

#define VAL_ABSENT(v) check_value(__LINE__, &(v), MLINT_VAL_ABSENT, 0, 0, 0, NULL)
#define VAL_NONE(v, line, col) check_value(__LINE__, &(v), MLINT_VAL_NONE, line, col, 0, NULL)
#define VAL_STR(v, s, line, col) \
	check_value(__LINE__, &(v), MLINT_VAL_STR, line, col, 1, (const char *const[]){s})
#define VAL_EXPR(v, s, line, col) \
	check_value(__LINE__, &(v), MLINT_VAL_EXPR, line, col, 1, (const char *const[]){s})
#define VAL_SEQ(v, line, col, ...)                                                     \
	check_value(__LINE__, &(v), MLINT_VAL_SEQ, line, col,                           \
		    sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *),  \
		    (const char *const[]){__VA_ARGS__})

static void check_function(int at, const struct mlint_migration *m, size_t i, const char *name,
			   int is_upgrade, int has_params, unsigned line, unsigned def_line,
			   unsigned end_line, enum mlint_body_kind body)
{
	const struct mlint_function *f;

	if (i >= m->nr_functions)
		fail_msg("line %d: no function %zu (%zu functions)", at, i, m->nr_functions);
	f = &m->functions[i];
	if (strcmp(f->name, name) != 0)
		fail_msg("line %d: function %zu: expected '%s', got '%s'", at, i, name, f->name);
	if (f->is_upgrade != is_upgrade || f->has_params != has_params || f->line != line ||
	    f->def_line != def_line || f->end_line != end_line || f->body != body)
		fail_msg("line %d: %s: expected is_upgrade=%d has_params=%d line=%u def_line=%u "
			 "end_line=%u body=%d, got %d %d %u %u %u %d",
			 at, name, is_upgrade, has_params, line, def_line, end_line, (int)body,
			 f->is_upgrade, f->has_params, f->line, f->def_line, f->end_line,
			 (int)f->body);
}

#define FUNC(i, name, up, params, line, def_line, end_line, body) \
	check_function(__LINE__, m, i, name, up, params, line, def_line, end_line, body)

static void check_call(int at, const struct mlint_migration *m, size_t i, const char *name,
		       const char *first_arg, unsigned line, unsigned col, size_t function)
{
	const struct mlint_call *c;

	if (i >= m->nr_calls)
		fail_msg("line %d: no call %zu (%zu calls)", at, i, m->nr_calls);
	c = &m->calls[i];
	if (strcmp(c->name, name) != 0)
		fail_msg("line %d: call %zu: expected '%s', got '%s'", at, i, name, c->name);
	if ((first_arg == NULL) != (c->first_arg == NULL) ||
	    (first_arg && strcmp(first_arg, c->first_arg) != 0))
		fail_msg("line %d: call %zu (%s): expected first_arg %s%s%s, got %s%s%s", at, i,
			 name, first_arg ? "'" : "", first_arg ? first_arg : "NULL",
			 first_arg ? "'" : "", c->first_arg ? "'" : "",
			 c->first_arg ? c->first_arg : "NULL", c->first_arg ? "'" : "");
	if (c->line != line || c->col != col || c->function != function)
		fail_msg("line %d: call %zu (%s): expected %u:%u in function %zu, got %u:%u in %zu",
			 at, i, name, line, col, function, c->line, c->col, c->function);
}

#define CALL(i, name, arg, line, col, fn) check_call(__LINE__, m, i, name, arg, line, col, fn)

static void check_header(int at, const struct mlint_header *h, unsigned line,
			 const char *message, const char *id, unsigned id_line,
			 const char *revises, unsigned revises_line, const char *date,
			 unsigned date_line)
{
	const char *got[4] = {h->message, h->revision_id, h->revises, h->create_date};
	const char *want[4] = {message, id, revises, date};
	static const char *const what[4] = {"message", "revision_id", "revises", "create_date"};

	for (int i = 0; i < 4; i++)
		if ((got[i] == NULL) != (want[i] == NULL) ||
		    (want[i] && strcmp(got[i], want[i]) != 0))
			fail_msg("line %d: header %s: expected '%s', got '%s'", at, what[i],
				 want[i] ? want[i] : "(NULL)", got[i] ? got[i] : "(NULL)");
	if (h->line != line || h->revision_id_line != id_line ||
	    h->revises_line != revises_line || h->create_date_line != date_line)
		fail_msg("line %d: header lines: expected %u/%u/%u/%u, got %u/%u/%u/%u", at, line,
			 id_line, revises_line, date_line, h->line, h->revision_id_line,
			 h->revises_line, h->create_date_line);
}

#define HEADER(line, msg, id, id_line, revises, revises_line, date, date_line) \
	check_header(__LINE__, &m->header, line, msg, id, id_line, revises, revises_line, date, \
		     date_line)

/* ---- down_revision --------------------------------------------------- */

static void test_migration_down_revision_none(void **state)
{
	struct mlint_migration *m = SCAN("revision = 'a1'\ndown_revision = None\n");

	VAL_STR(m->revision, "a1", 1, 12);
	VAL_NONE(m->down_revision, 2, 17);
	VAL_ABSENT(m->branch_labels);
	VAL_ABSENT(m->depends_on);
	assert_true(mlint_migration_has_revision(m));
	assert_string_equal(mlint_migration_revision(m), "a1");
	assert_true(mlint_migration_looks_like_migration(m));
	assert_int_equal(m->nr_problems, 0);
}

static void test_migration_down_revision_empty_string(void **state)
{
	struct mlint_migration *m;

	/* Alembic takes '' for a base revision, as None. */
	m = SCAN("revision = 'a1'\ndown_revision = ''\n");
	VAL_NONE(m->down_revision, 2, 17);
	m = SCAN("down_revision = \"\"\n");
	VAL_NONE(m->down_revision, 1, 17);
	m = SCAN("down_revision = u''\n");
	VAL_NONE(m->down_revision, 1, 17);
	assert_false(mlint_migration_looks_like_migration(m));
}

static void test_migration_down_revision_string(void **state)
{
	struct mlint_migration *m = SCAN("revision = '1975ea83b712'\ndown_revision = \"ae1027a6acf\"\n");

	VAL_STR(m->revision, "1975ea83b712", 1, 12);
	VAL_STR(m->down_revision, "ae1027a6acf", 2, 17);
}

static void test_migration_down_revision_tuple(void **state)
{
	struct mlint_migration *m;

	m = SCAN("down_revision = ('a', \"b\")\n");
	VAL_SEQ(m->down_revision, 1, 17, "a", "b");
	m = SCAN("down_revision = 'a', 'b'\n");
	VAL_SEQ(m->down_revision, 1, 17, "a", "b");
	m = SCAN("down_revision = ('a', 'b',)\n");
	VAL_SEQ(m->down_revision, 1, 17, "a", "b");
	m = SCAN("x = 1\ndown_revision = (\n    'a',\n    'b',\n    'c',\n)\ny = 2\n");
	VAL_SEQ(m->down_revision, 2, 17, "a", "b", "c");
}

static void test_migration_down_revision_list(void **state)
{
	struct mlint_migration *m;

	m = SCAN("down_revision = ['a', 'b']\n");
	VAL_SEQ(m->down_revision, 1, 17, "a", "b");
	m = SCAN("down_revision = ['a']\n");
	VAL_SEQ(m->down_revision, 1, 17, "a");
	m = SCAN("down_revision = [\n    \"a\",\n]\n");
	VAL_SEQ(m->down_revision, 1, 17, "a");
}

static void test_migration_down_revision_one_element_tuple(void **state)
{
	struct mlint_migration *m;

	m = SCAN("down_revision = ('a',)\n");
	VAL_SEQ(m->down_revision, 1, 17, "a");
	m = SCAN("down_revision = 'a',\n");
	VAL_SEQ(m->down_revision, 1, 17, "a");
}

static void test_migration_down_revision_parenthesised_string(void **state)
{
	struct mlint_migration *m;

	/* Parentheses without a comma make no tuple. */
	m = SCAN("down_revision = (\"a\")\n");
	VAL_STR(m->down_revision, "a", 1, 17);
	m = SCAN("down_revision = ((\"a\"))\n");
	VAL_STR(m->down_revision, "a", 1, 17);
	m = SCAN("down_revision = (\n    'a'\n)\n");
	VAL_STR(m->down_revision, "a", 1, 17);
}

static void test_migration_down_revision_empty_sequence(void **state)
{
	struct mlint_migration *m;

	m = SCAN("down_revision = ()\n");
	VAL_NONE(m->down_revision, 1, 17);
	m = SCAN("down_revision = []\n");
	VAL_NONE(m->down_revision, 1, 17);
	m = SCAN("down_revision = ( )\n");
	VAL_NONE(m->down_revision, 1, 17);
}

/* ---- annotated assignments ------------------------------------------- */

static void test_migration_annotated_assignments(void **state)
{
	struct mlint_migration *m;

	/* As Alembic's current templates write them. */
	m = SCAN("from typing import Sequence, Union\n"
		 "\n"
		 "# revision identifiers, used by Alembic.\n"
		 "revision: str = \"x\"\n"
		 "down_revision: Union[str, Sequence[str], None] = \"y\"\n"
		 "branch_labels: Union[str, Sequence[str], None] = None\n"
		 "depends_on: Union[str, Sequence[str], None] = None\n");
	VAL_STR(m->revision, "x", 4, 17);
	VAL_STR(m->down_revision, "y", 5, 50);
	VAL_NONE(m->branch_labels, 6, 50);
	VAL_NONE(m->depends_on, 7, 47);
	assert_true(mlint_migration_looks_like_migration(m));

	m = SCAN("revision: str = 'x'\ndown_revision: str | None = None\n");
	VAL_STR(m->revision, "x", 1, 17);
	VAL_NONE(m->down_revision, 2, 29);

	m = SCAN("down_revision: Union[str, None] = ('a', 'b')\n"
		 "branch_labels: Union[str, Sequence[str], None] = ('x',)\n"
		 "depends_on: Union[str, Sequence[str], None] = 'c'\n");
	VAL_SEQ(m->down_revision, 1, 35, "a", "b");
	VAL_SEQ(m->branch_labels, 2, 50, "x");
	VAL_STR(m->depends_on, "c", 3, 47);

	/* An annotation without a value assigns nothing. */
	m = SCAN("revision: str\ndown_revision: Optional[str]\n");
	VAL_ABSENT(m->revision);
	VAL_ABSENT(m->down_revision);
}

/* ---- branch_labels and depends_on ------------------------------------ */

static void test_migration_branch_labels_and_depends_on(void **state)
{
	struct mlint_migration *m;

	m = SCAN("branch_labels = None\ndepends_on = None\n");
	VAL_NONE(m->branch_labels, 1, 17);
	VAL_NONE(m->depends_on, 2, 14);
	m = SCAN("branch_labels = 'feature'\ndepends_on = \"abc\"\n");
	VAL_STR(m->branch_labels, "feature", 1, 17);
	VAL_STR(m->depends_on, "abc", 2, 14);
	m = SCAN("branch_labels = ('feature', 'other')\ndepends_on = ('abc', 'def')\n");
	VAL_SEQ(m->branch_labels, 1, 17, "feature", "other");
	VAL_SEQ(m->depends_on, 2, 14, "abc", "def");
	m = SCAN("branch_labels = ['feature']\ndepends_on = ['abc', 'def']\n");
	VAL_SEQ(m->branch_labels, 1, 17, "feature");
	VAL_SEQ(m->depends_on, 2, 14, "abc", "def");
	m = SCAN("branch_labels = ('feature',)\ndepends_on = ('abc',)\n");
	VAL_SEQ(m->branch_labels, 1, 17, "feature");
	VAL_SEQ(m->depends_on, 2, 14, "abc");
	m = SCAN("branch_labels = ()\ndepends_on = ''\n");
	VAL_NONE(m->branch_labels, 1, 17);
	VAL_NONE(m->depends_on, 2, 14);
	VAL_ABSENT(m->revision);
	VAL_ABSENT(m->down_revision);
}

/* ---- values ---------------------------------------------------------- */

static void test_migration_implicit_concatenation(void **state)
{
	struct mlint_migration *m;

	m = SCAN("revision = 'ab' \"cd\"\n");
	VAL_STR(m->revision, "abcd", 1, 12);
	m = SCAN("revision = u'ab' r'c\\d'\n");
	VAL_STR(m->revision, "abc\\d", 1, 12);
	m = SCAN("down_revision = ('a' 'b', 'c')\n");
	VAL_SEQ(m->down_revision, 1, 17, "ab", "c");
	m = SCAN("depends_on = (\n    'x'\n    'y'\n)\n");
	VAL_STR(m->depends_on, "xy", 1, 14);
	m = SCAN("revision = 'a' \\\n    'b'\n");
	VAL_STR(m->revision, "ab", 1, 12);
}

static void test_migration_last_assignment_wins(void **state)
{
	struct mlint_migration *m;

	m = SCAN("revision = 'a'\n"
		 "down_revision = 'x'\n"
		 "branch_labels = OTHER\n"
		 "revision = 'b'\n"
		 "down_revision = None\n"
		 "branch_labels = ('l',)\n");
	VAL_STR(m->revision, "b", 4, 12);
	VAL_NONE(m->down_revision, 5, 17);
	VAL_SEQ(m->branch_labels, 6, 17, "l");

	m = SCAN("down_revision = None\ndown_revision = ('a', 'b')\ndown_revision = 'c'\n");
	VAL_STR(m->down_revision, "c", 3, 17);

	/* Chained targets all take the value. */
	m = SCAN("revision = down_revision = 'c'\n");
	VAL_STR(m->revision, "c", 1, 28);
	VAL_STR(m->down_revision, "c", 1, 28);
}

static void test_migration_nested_assignments_ignored(void **state)
{
	struct mlint_migration *m = SCAN(
		"revision = 'a'\n"
		"down_revision = None\n"
		"def helper():\n"
		"    revision = 'x'\n"
		"    down_revision = 'y'\n"
		"if True:\n"
		"    revision = 'z'\n"
		"else:\n"
		"    branch_labels = 'w'\n"
		"class C:\n"
		"    depends_on = 'q'\n"
		"    revision = 'v'\n"
		"if x: revision = 'z2'\n"
		"for i in range(3): depends_on = 'q2'\n"
		"try:\n"
		"    down_revision = 'e'\n"
		"except ImportError:\n"
		"    pass\n"
		"def upgrade():\n"
		"    revision = 'u'\n"
		"    global depends_on\n"
		"    depends_on = 'g'\n");

	VAL_STR(m->revision, "a", 1, 12);
	VAL_NONE(m->down_revision, 2, 17);
	VAL_ABSENT(m->branch_labels);
	VAL_ABSENT(m->depends_on);
}

static void test_migration_non_literal_values(void **state)
{
	struct mlint_migration *m;

	m = SCAN("revision = 'a'\n"
		 "down_revision = OTHER\n"
		 "branch_labels = (cli.EXPAND_BRANCH,)\n"
		 "depends_on = 'a' + 'b'\n");
	VAL_STR(m->revision, "a", 1, 12);
	VAL_EXPR(m->down_revision, "OTHER", 2, 17);
	VAL_EXPR(m->branch_labels, "(cli.EXPAND_BRANCH,)", 3, 17);
	VAL_EXPR(m->depends_on, "'a' + 'b'", 4, 14);
	assert_true(mlint_migration_looks_like_migration(m));

	m = SCAN("revision = f'{x}'\n"
		 "down_revision = b'abc'\n"
		 "branch_labels = os.environ[\"X\"]\n"
		 "depends_on = ('a', OTHER)\n");
	VAL_EXPR(m->revision, "f'{x}'", 1, 12);
	VAL_EXPR(m->down_revision, "b'abc'", 2, 17);
	VAL_EXPR(m->branch_labels, "os.environ[\"X\"]", 3, 17);
	VAL_EXPR(m->depends_on, "('a', OTHER)", 4, 14);
	assert_false(mlint_migration_has_revision(m));
	assert_null(mlint_migration_revision(m));
	assert_true(mlint_migration_looks_like_migration(m));
}

static void test_migration_value_position(void **state)
{
	struct mlint_migration *m;

	m = SCAN("revision   =   'a'  # the id\n");
	VAL_STR(m->revision, "a", 1, 16);
	m = SCAN("\n\n\ndown_revision = \\\n    'b'\n");
	VAL_STR(m->down_revision, "b", 5, 5);
	/* After a BOM, columns count from the first character. */
	m = SCAN("\xEF\xBB\xBFrevision = 'a'\n");
	VAL_STR(m->revision, "a", 1, 12);
	assert_int_equal(m->nr_problems, 0);
	/* Columns count characters, not bytes. */
	m = SCAN("revision: '\xC3\xA9' = 'a'\n");
	VAL_STR(m->revision, "a", 1, 17);
	/* Long runs: ASCII is counted eight bytes at a time, up to the first
	 * non-ASCII byte; from there byte by byte. */
	m = SCAN("revision: 'abcdefghijklmnop\xC3\xA9qrstuvwxyz\xE2\x82\xAC" "abcdefgh' = 'a'\n");
	VAL_STR(m->revision, "a", 1, 52);
	m = SCAN("revision: '\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9' = 'a'\n");
	VAL_STR(m->revision, "a", 1, 20);
}

static void test_migration_semicolon_statements(void **state)
{
	struct mlint_migration *m = SCAN("revision = 'a'; down_revision = 'b'\n");

	VAL_STR(m->revision, "a", 1, 12);
	VAL_STR(m->down_revision, "b", 1, 33);
}

/* ---- header ---------------------------------------------------------- */

static void test_migration_header_module_docstring(void **state)
{
	struct mlint_migration *m = SCAN(
		"\"\"\"create account table\n"
		"\n"
		"Revision ID: 1975ea83b712\n"
		"Revises: ae1027a6acf\n"
		"Create Date: 2022-08-23 10:12:31.812843\n"
		"\n"
		"\"\"\"\n"
		"revision = '1975ea83b712'\n");

	HEADER(1, "create account table", "1975ea83b712", 3, "ae1027a6acf", 4,
	       "2022-08-23 10:12:31.812843", 5);

	/* The message on the docstring's second line. */
	m = SCAN("\"\"\"\nAdd users\n\nRevision ID: abc\nRevises: a, b\n\"\"\"\n");
	HEADER(1, "Add users", "abc", 4, "a, b", 5, NULL, 0);

	/* After a UTF-8 BOM, as a docstring and as a comment block. */
	m = SCAN("\xEF\xBB\xBF\"\"\"Msg\n\nRevision ID: abc\n\"\"\"\nrevision = 'abc'\n");
	HEADER(1, "Msg", "abc", 3, NULL, 0, NULL, 0);
	assert_int_equal(m->nr_problems, 0);
	m = SCAN("\xEF\xBB\xBF# Msg\n# Revision ID: abc\nrevision = 'abc'\n");
	HEADER(1, "Msg", "abc", 2, NULL, 0, NULL, 0);
	assert_int_equal(m->nr_problems, 0);
}

static void test_migration_header_after_licence_comment(void **state)
{
	struct mlint_migration *m = SCAN(
		"# Copyright 2020 Example Corp.\n"
		"# Licensed under the Apache License, Version 2.0\n"
		"\"\"\"Add users\n"
		"\n"
		"Revision ID: abc\n"
		"Revises: def\n"
		"Create Date: 2020-01-01 00:00:00\n"
		"\n"
		"\"\"\"\n"
		"revision = 'abc'\n"
		"down_revision = 'def'\n");

	HEADER(3, "Add users", "abc", 5, "def", 6, "2020-01-01 00:00:00", 7);
	VAL_STR(m->revision, "abc", 10, 12);
}

static void test_migration_header_after_imports(void **state)
{
	struct mlint_migration *m = SCAN(
		"from alembic import op\n"
		"import sqlalchemy as sa\n"
		"\n"
		"\"\"\"Add users\n"
		"\n"
		"Revision ID: abc\n"
		"Revises: def\n"
		"Create Date: 2020-01-01 00:00:00\n"
		"\"\"\"\n"
		"\n"
		"revision = 'abc'\n"
		"down_revision = 'def'\n");

	HEADER(4, "Add users", "abc", 6, "def", 7, "2020-01-01 00:00:00", 8);
}

static void test_migration_header_comment_block(void **state)
{
	struct mlint_migration *m = SCAN(
		"# Copyright 2020 Example Corp.\n"
		"# SPDX-License-Identifier: MIT\n"
		"\n"
		"# Add users table\n"
		"#\n"
		"# Revision ID: abc123\n"
		"# Revises: def456\n"
		"# Create Date: 2020-01-01 10:00:00\n"
		"\n"
		"from alembic import op\n"
		"revision = 'abc123'\n"
		"down_revision = 'def456'\n");

	HEADER(4, "Add users table", "abc123", 6, "def456", 7, "2020-01-01 10:00:00", 8);

	m = SCAN("# Revision ID: x1\n# Revises:\nrevision = 'x1'\n");
	HEADER(1, NULL, "x1", 1, "", 2, NULL, 0);
}

static void test_migration_header_absent(void **state)
{
	struct mlint_migration *m = SCAN("# just a comment\nrevision = 'a'\ndown_revision = None\n");

	HEADER(0, NULL, NULL, 0, NULL, 0, NULL, 0);
}

/* ---- strings and comments are never code ----------------------------- */

static void test_migration_docstring_is_not_assignment(void **state)
{
	struct mlint_migration *m = SCAN(
		"\"\"\"Notes\n"
		"\n"
		"revision = 'x'\n"
		"down_revision = 'y'\n"
		"\"\"\"\n"
		"# revision = 'z'\n"
		"s = '''\n"
		"depends_on = 'w'\n"
		"def upgrade(): pass\n"
		"'''\n");

	VAL_ABSENT(m->revision);
	VAL_ABSENT(m->down_revision);
	VAL_ABSENT(m->depends_on);
	assert_int_equal(m->nr_functions, 0);
	assert_string_equal(m->header.message, "Notes");
	assert_int_equal(m->header.line, 1);
}

static void test_migration_strings_and_comments_are_not_calls(void **state)
{
	struct mlint_migration *m = SCAN(
		"# def downgrade(): op.drop_table('q')\n"
		"x = \"def downgrade(): op.drop_table('q')\"\n"
		"def upgrade():\n"
		"    \"\"\"op.drop_table('x')\"\"\"\n"
		"    # op.drop_table('y')\n"
		"    op.execute(\"op.drop_table('z')\")  # op.drop_table('w')\n"
		"    s = '''\n"
		"    op.drop_column('t', 'c')\n"
		"    '''\n");

	assert_int_equal(m->nr_calls, 1);
	CALL(0, "op.execute", "op.drop_table('z')", 6, 5, 0);
	assert_int_equal(m->nr_functions, 1);
	/* The body ends where the last string ends, on line 9. */
	FUNC(0, "upgrade", 1, 0, 3, 3, 9, MLINT_BODY_CODE);
}

/* ---- functions ------------------------------------------------------- */

static void test_migration_function_spans(void **state)
{
	static const char src[] =
		"revision = 'a'\n"
		"down_revision = None\n"
		"\n"
		"\n"
		"def upgrade():\n"
		"    op.create_table(\n"
		"        'account',\n"
		"    )\n"
		"    # trailing comment\n"
		"\n"
		"\n"
		"def downgrade() -> None:\n"
		"    op.drop_table('account')\n";
	struct mlint_migration *m = SCAN(src);
	const char *down_call = strstr(src, "op.drop_table('account')");

	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 5, 5, 8, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 0, 12, 12, 13, MLINT_BODY_CODE);
	assert_int_equal(m->functions[0].start_off, strstr(src, "def upgrade") - src);
	assert_int_equal(m->functions[0].end_off, strstr(src, "    )\n") - src + 5);
	assert_int_equal(m->functions[1].start_off, strstr(src, "def downgrade") - src);
	assert_int_equal(m->functions[1].end_off, down_call - src + strlen("op.drop_table('account')"));
	assert_int_equal(m->functions[0].first_call, 0);
	assert_int_equal(m->functions[0].nr_calls, 1);
	assert_int_equal(m->functions[1].first_call, 1);
	assert_int_equal(m->functions[1].nr_calls, 1);
	assert_ptr_equal(mlint_migration_function(m, "downgrade"), &m->functions[1]);
	assert_ptr_equal(mlint_migration_function(m, "upgrade"), &m->functions[0]);
	assert_null(mlint_migration_function(m, "upgrade_x"));
}

static void test_migration_function_end_line_multiline_string(void **state)
{
	/* A body that ends in a multi-line string ends where the string does. */
	struct mlint_migration *m = SCAN(
		"def upgrade():\n"
		"    op.execute(\"x\")\n"
		"\n"
		"\n"
		"def downgrade():\n"
		"    \"\"\"Irreversible.\n"
		"\n"
		"    Nothing to undo.\n"
		"    \"\"\"\n"
		"\n"
		"\n"
		"revision = 'a'\n");

	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 1, 1, 2, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 0, 5, 5, 9, MLINT_BODY_EMPTY);
	VAL_STR(m->revision, "a", 12, 12);
}

static void test_migration_function_multidb(void **state)
{
	struct mlint_migration *m = SCAN(
		"def upgrade(engine_name: str) -> None:\n"          /* 1 */
		"    globals()[\"upgrade_%s\" % engine_name]()\n"
		"\n"
		"\n"
		"def downgrade(engine_name: str) -> None:\n"        /* 5 */
		"    globals()[\"downgrade_%s\" % engine_name]()\n"
		"\n"
		"\n"
		"def upgrade_engine1() -> None:\n"                  /* 9 */
		"    op.create_table('a')\n"
		"\n"
		"\n"
		"def downgrade_engine1() -> None:\n"                /* 13 */
		"    op.drop_table('a')\n"
		"\n"
		"\n"
		"def upgrade_engine2() -> None:\n"                  /* 17 */
		"    pass\n"
		"\n"
		"\n"
		"def downgrade_engine2() -> None:\n"                /* 21 */
		"    pass\n"
		"\n"
		"def upgraded():\n"
		"    op.drop_table('no')\n"
		"\n"
		"def _upgrade():\n"
		"    op.drop_table('no')\n"
		"\n"
		"def downgrades():\n"
		"    op.drop_table('no')\n");

	assert_int_equal(m->nr_functions, 6);
	FUNC(0, "upgrade", 1, 1, 1, 1, 2, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 1, 5, 5, 6, MLINT_BODY_CODE);
	FUNC(2, "upgrade_engine1", 1, 0, 9, 9, 10, MLINT_BODY_CODE);
	FUNC(3, "downgrade_engine1", 0, 0, 13, 13, 14, MLINT_BODY_CODE);
	FUNC(4, "upgrade_engine2", 1, 0, 17, 17, 18, MLINT_BODY_EMPTY);
	FUNC(5, "downgrade_engine2", 0, 0, 21, 21, 22, MLINT_BODY_EMPTY);
	assert_int_equal(m->nr_calls, 4);
	CALL(0, "globals", NULL, 2, 5, 0);
	CALL(1, "globals", NULL, 6, 5, 1);
	CALL(2, "op.create_table", "a", 10, 5, 2);
	CALL(3, "op.drop_table", "a", 14, 5, 3);
	assert_int_equal(m->functions[4].nr_calls, 0);
}

static void test_migration_function_params(void **state)
{
	struct mlint_migration *m = SCAN(
		"def upgrade(op, tables):\n"
		"    pass\n"
		"def downgrade():\n"
		"    pass\n"
		"def upgrade_x( ) -> None:\n"
		"    pass\n"
		"def downgrade_x(*args, **kw):\n"
		"    pass\n"
		"def upgrade_y(\n"
		"    op,\n"
		"):\n"
		"    pass\n");

	assert_int_equal(m->nr_functions, 5);
	FUNC(0, "upgrade", 1, 1, 1, 1, 2, MLINT_BODY_EMPTY);
	FUNC(1, "downgrade", 0, 0, 3, 3, 4, MLINT_BODY_EMPTY);
	FUNC(2, "upgrade_x", 1, 0, 5, 5, 6, MLINT_BODY_EMPTY);
	FUNC(3, "downgrade_x", 0, 1, 7, 7, 8, MLINT_BODY_EMPTY);
	FUNC(4, "upgrade_y", 1, 1, 9, 9, 12, MLINT_BODY_EMPTY);
}

static void test_migration_function_decorators(void **state)
{
	static const char src[] =
		"import x\n"
		"\n"
		"@some.decorator\n"
		"@other(arg,\n"
		"       'x')\n"
		"def upgrade():\n"
		"    op.drop_table('t')\n"
		"\n"
		"@decorated\n"
		"def helper():\n"
		"    pass\n"
		"\n"
		"def downgrade():\n"
		"    pass\n";
	struct mlint_migration *m = SCAN(src);

	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 3, 6, 7, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 0, 13, 13, 14, MLINT_BODY_EMPTY);
	assert_int_equal(m->functions[0].start_off, strstr(src, "@some") - src);
	assert_int_equal(m->functions[1].start_off, strstr(src, "def downgrade") - src);
	/* The decorator's own call is outside any function. */
	assert_int_equal(m->nr_calls, 1);
	CALL(0, "op.drop_table", "t", 7, 5, 0);
}

static void test_migration_function_async(void **state)
{
	struct mlint_migration *m = SCAN(
		"async def upgrade():\n"
		"    await op.run_async(x)\n"
		"@dec\n"
		"async def downgrade() -> None:\n"
		"    pass\n");

	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 1, 1, 2, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 0, 3, 4, 5, MLINT_BODY_EMPTY);
	assert_int_equal(m->nr_calls, 1);
	CALL(0, "op.run_async", NULL, 2, 11, 0);
}

static void test_migration_body_kinds(void **state)
{
	static const struct {
		const char *name;
		enum mlint_body_kind body;
		const char *raises;
	} want[] = {
		{"upgrade_pass", MLINT_BODY_EMPTY, NULL},
		{"upgrade_ellipsis", MLINT_BODY_EMPTY, NULL},
		{"upgrade_doc", MLINT_BODY_EMPTY, NULL},
		{"upgrade_doc_pass", MLINT_BODY_EMPTY, NULL},
		{"upgrade_comments", MLINT_BODY_EMPTY, NULL},
		{"upgrade_raise_call", MLINT_BODY_RAISE, "NotImplementedError"},
		{"upgrade_raise_name", MLINT_BODY_RAISE, "NotImplementedError"},
		{"upgrade_raise_msg", MLINT_BODY_RAISE, "NotImplementedError"},
		{"upgrade_raise_dotted", MLINT_BODY_RAISE, "exc.CommandError"},
		{"upgrade_code", MLINT_BODY_CODE, NULL},
		{"upgrade_pass_code", MLINT_BODY_CODE, NULL},
		{"upgrade_raise_after_code", MLINT_BODY_CODE, NULL},
		{"upgrade_if", MLINT_BODY_CODE, NULL},
		{"downgrade", MLINT_BODY_RAISE, "NotImplementedError"},
	};
	struct mlint_migration *m = SCAN(
		"def upgrade_pass():\n"
		"    pass\n"
		"def upgrade_ellipsis():\n"
		"    ...\n"
		"def upgrade_doc():\n"
		"    \"\"\"Nothing to do.\"\"\"\n"
		"def upgrade_doc_pass():\n"
		"    \"\"\"Nothing to do.\"\"\"\n"
		"    pass\n"
		"def upgrade_comments():\n"
		"    # nothing here\n"
		"    # really nothing\n"
		"    pass  # still nothing\n"
		"def upgrade_raise_call():\n"
		"    raise NotImplementedError()\n"
		"def upgrade_raise_name():\n"
		"    raise NotImplementedError\n"
		"def upgrade_raise_msg():\n"
		"    \"\"\"Irreversible.\"\"\"\n"
		"    raise NotImplementedError(\"cannot downgrade\")\n"
		"def upgrade_raise_dotted():\n"
		"    raise exc.CommandError(\"no\")\n"
		"def upgrade_code():\n"
		"    op.drop_table('t')\n"
		"def upgrade_pass_code():\n"
		"    pass\n"
		"    x = 1\n"
		"def upgrade_raise_after_code():\n"
		"    op.execute(\"x\")\n"
		"    raise NotImplementedError()\n"
		"def upgrade_if():\n"
		"    if False:\n"
		"        pass\n"
		"def downgrade() -> None:\n"
		"    \"\"\"Irreversible.\"\"\"\n"
		"    # comment\n"
		"    pass\n"
		"    raise NotImplementedError()\n");

	assert_int_equal(m->nr_functions, NR_OF(want));
	for (size_t i = 0; i < NR_OF(want); i++) {
		const struct mlint_function *f = mlint_migration_function(m, want[i].name);
		print_message("%s\n", want[i].name);
		assert_non_null(f);
		assert_int_equal(f->body, want[i].body);
		if (want[i].body == MLINT_BODY_RAISE) {
			assert_non_null(f->raises);
			assert_string_equal(f->raises, want[i].raises);
		} else if (want[i].body == MLINT_BODY_EMPTY) {
			assert_null(f->raises);
		}
	}
}

static void test_migration_one_line_bodies(void **state)
{
	struct mlint_migration *m = SCAN(
		"def downgrade(): pass\n"
		"def upgrade(): op.drop_table('t')\n"
		"def downgrade_x(): raise NotImplementedError()\n"
		"def upgrade_x() -> None: ...\n"
		"def upgrade_y(): pass; op.execute('y')\n"
		"def downgrade_y(): \"\"\"doc\"\"\"\n"
		"revision = 'r'\n");

	assert_int_equal(m->nr_functions, 6);
	FUNC(0, "downgrade", 0, 0, 1, 1, 1, MLINT_BODY_EMPTY);
	FUNC(1, "upgrade", 1, 0, 2, 2, 2, MLINT_BODY_CODE);
	FUNC(2, "downgrade_x", 0, 0, 3, 3, 3, MLINT_BODY_RAISE);
	FUNC(3, "upgrade_x", 1, 0, 4, 4, 4, MLINT_BODY_EMPTY);
	FUNC(4, "upgrade_y", 1, 0, 5, 5, 5, MLINT_BODY_CODE);
	FUNC(5, "downgrade_y", 0, 0, 6, 6, 6, MLINT_BODY_EMPTY);
	assert_string_equal(m->functions[2].raises, "NotImplementedError");
	assert_int_equal(m->nr_calls, 3);
	CALL(0, "op.drop_table", "t", 2, 16, 1);
	CALL(1, "NotImplementedError", NULL, 3, 26, 2);
	CALL(2, "op.execute", "y", 5, 24, 4);
	VAL_STR(m->revision, "r", 7, 12);
}

/* ---- calls ----------------------------------------------------------- */

static void test_migration_calls(void **state)
{
	static const char src[] =
		"def upgrade():\n"
		"    op.create_table(\n"
		"        'account',\n"
		"        sa.Column('id', sa.Integer(), primary_key=True),\n"
		"        sa.Column(\"name\", sa.String(50)),\n"
		"    )\n"
		"    with op.batch_alter_table('user') as batch_op:\n"
		"        batch_op.drop_column('email')\n"
		"    op.execute(sa.text(\"UPDATE t SET x = 1\"))\n"
		"    op.add_column('t', sa.Column(name='c'))\n"
		"\n"
		"\n"
		"def downgrade():\n"
		"    op.drop_table(\"account\")\n";
	struct mlint_migration *m = SCAN(src);

	assert_int_equal(m->nr_calls, 12);
	CALL(0, "op.create_table", "account", 2, 5, 0);
	CALL(1, "sa.Column", "id", 4, 9, 0);
	CALL(2, "sa.Integer", NULL, 4, 25, 0);
	CALL(3, "sa.Column", "name", 5, 9, 0);
	CALL(4, "sa.String", NULL, 5, 27, 0);
	CALL(5, "op.batch_alter_table", "user", 7, 10, 0);
	CALL(6, "batch_op.drop_column", "email", 8, 9, 0);
	CALL(7, "op.execute", NULL, 9, 5, 0);
	CALL(8, "sa.text", "UPDATE t SET x = 1", 9, 16, 0);
	CALL(9, "op.add_column", "t", 10, 5, 0);
	CALL(10, "sa.Column", NULL, 10, 24, 0);
	CALL(11, "op.drop_table", "account", 14, 5, 1);
	assert_int_equal(m->functions[0].first_call, 0);
	assert_int_equal(m->functions[0].nr_calls, 11);
	assert_int_equal(m->functions[1].first_call, 11);
	assert_int_equal(m->functions[1].nr_calls, 1);
	/* The byte span runs from the callee to its closing bracket. */
	assert_int_equal(m->calls[0].off, strstr(src, "op.create_table") - src);
	assert_int_equal(m->calls[0].end, strstr(src, "    )\n") - src + 5);
	assert_int_equal(m->calls[6].off, strstr(src, "batch_op.drop_column") - src);
	assert_int_equal(m->calls[6].end,
			 strstr(src, "batch_op.drop_column('email')") - src +
				 strlen("batch_op.drop_column('email')"));
}

static void test_migration_call_first_arg(void **state)
{
	struct mlint_migration *m = SCAN(
		"def upgrade():\n"
		"    op.a('x' \"y\")\n"
		"    op.b(f'x')\n"
		"    op.c('a' + b)\n"
		"    op.d(name='x')\n"
		"    op.e(u'x', 1)\n"
		"    op.f(r'\\x')\n"
		"    op.g(b'x')\n"
		"    op.h()\n"
		"    op.i(\n"
		"        'multi'\n"
		"        'line',\n"
		"    )\n");

	assert_int_equal(m->nr_calls, 9);
	CALL(0, "op.a", "xy", 2, 5, 0);
	CALL(1, "op.b", NULL, 3, 5, 0);
	CALL(2, "op.c", NULL, 4, 5, 0);
	CALL(3, "op.d", NULL, 5, 5, 0);
	CALL(4, "op.e", "x", 6, 5, 0);
	CALL(5, "op.f", "\\x", 7, 5, 0);
	CALL(6, "op.g", NULL, 8, 5, 0);
	CALL(7, "op.h", NULL, 9, 5, 0);
	CALL(8, "op.i", "multiline", 10, 5, 0);
}

/* ---- Python 2 and bad bytes ------------------------------------------ */

static void test_migration_python2_syntax(void **state)
{
	struct mlint_migration *m = SCAN(
		"\"\"\"Old migration\n"
		"\n"
		"Revision ID: 1a2b\n"
		"Revises: None\n"
		"Create Date: 2013-01-01 00:00:00\n"
		"\n"
		"\"\"\"\n"
		"revision = '1a2b'\n"
		"down_revision = None\n"
		"print \"loading\"\n"
		"def upgrade():\n"
		"    print \"upgrading\"\n"
		"    op.create_table(u'users', sa.Column('id', sa.Integer))\n"
		"def downgrade():\n"
		"    try:\n"
		"        op.drop_table(u'users')\n"
		"    except Exception, e:\n"
		"        print >>sys.stderr, e\n");

	HEADER(1, "Old migration", "1a2b", 3, "None", 4, "2013-01-01 00:00:00", 5);
	VAL_STR(m->revision, "1a2b", 8, 12);
	VAL_NONE(m->down_revision, 9, 17);
	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 11, 11, 13, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 0, 14, 14, 18, MLINT_BODY_CODE);
	assert_int_equal(m->nr_calls, 3);
	CALL(0, "op.create_table", "users", 13, 5, 0);
	CALL(1, "sa.Column", "id", 13, 31, 0);
	CALL(2, "op.drop_table", "users", 16, 9, 1);
}

static void test_migration_nul_byte(void **state)
{
	struct mlint_migration *m = SCAN_LITERAL("revision = 'a'\ndown_revision = None\nx = 1\0\n");

	assert_int_equal(m->nr_problems, 1);
	assert_int_equal(m->problems[0].line, 3);
	assert_int_equal(m->problems[0].col, 6);
	assert_non_null(strstr(m->problems[0].message, "NUL"));
	VAL_STR(m->revision, "a", 1, 12);
	VAL_NONE(m->down_revision, 2, 17);

	m = SCAN_LITERAL("revision = 'a\0b'\n");
	assert_int_equal(m->nr_problems, 1);
	assert_int_equal(m->problems[0].line, 1);
	assert_int_equal(m->problems[0].col, 14);
}

static void test_migration_invalid_utf8(void **state)
{
	static const struct {
		const char *src;
		unsigned line, col;
		const char *byte;
	} cases[] = {
		{"revision = 'a'\n# caf\xe9" " au lait\ndown_revision = None\n", 2, 6, "0xE9"},
		{"x = 1\n\ns = '\xc3\xa9\xff'\n", 3, 7, "0xFF"},
		{"s = '\xc0\xaf'\n", 1, 6, "0xC0"},           /* overlong */
		{"s = '\xed\xa0\x80'\n", 1, 6, "0xED"},       /* surrogate */
		{"a\nb\n# \xe2\x82", 3, 3, "0xE2"},           /* truncated at EOF */
	};

	for (size_t i = 0; i < NR_OF(cases); i++) {
		struct mlint_migration *m = SCAN(cases[i].src);
		print_message("case %zu\n", i);
		assert_int_equal(m->nr_problems, 1);
		assert_int_equal(m->problems[0].line, cases[i].line);
		assert_int_equal(m->problems[0].col, cases[i].col);
		assert_non_null(strstr(m->problems[0].message, "UTF-8"));
		assert_non_null(strstr(m->problems[0].message, cases[i].byte));
	}
	/* The extraction goes on. */
	{
		struct mlint_migration *m = SCAN(cases[0].src);
		VAL_STR(m->revision, "a", 1, 12);
		VAL_NONE(m->down_revision, 3, 17);
	}
}

static void test_migration_nul_and_invalid_utf8(void **state)
{
	struct mlint_migration *m = SCAN_LITERAL("a = 1\0\n# \xff\n");

	assert_int_equal(m->nr_problems, 2);
	assert_int_equal(m->problems[0].line, 1);
	assert_int_equal(m->problems[0].col, 6);
	assert_non_null(strstr(m->problems[0].message, "NUL"));
	assert_int_equal(m->problems[1].line, 2);
	assert_int_equal(m->problems[1].col, 3);
	assert_non_null(strstr(m->problems[1].message, "UTF-8"));
}

static void test_migration_unterminated_string_problem(void **state)
{
	struct mlint_migration *m = SCAN("revision = 'abc\ndown_revision = None\n");

	assert_int_equal(m->nr_problems, 1);
	assert_int_equal(m->problems[0].line, 1);
	assert_int_equal(m->problems[0].col, 12);
	assert_non_null(strstr(m->problems[0].message, "unterminated"));
	assert_int_not_equal(m->revision.kind, MLINT_VAL_STR);
	VAL_NONE(m->down_revision, 2, 17);
}

static void test_migration_unclosed_bracket_problem(void **state)
{
	/* The value's bracket is never closed: a problem, and no literal. */
	struct mlint_migration *m = SCAN("revision = 'a'\ndown_revision = ('a',\n");

	assert_int_equal(m->nr_problems, 1);
	assert_int_equal(m->problems[0].line, 2);
	assert_int_equal(m->problems[0].col, 17);
	assert_non_null(strstr(m->problems[0].message, "never closed"));
	VAL_STR(m->revision, "a", 1, 12);
	VAL_EXPR(m->down_revision, "('a',", 2, 17);
}

static void test_migration_unbalanced_closing_bracket(void **state)
{
	/* A stray closing bracket after a string: not a literal. */
	struct mlint_migration *m = SCAN("revision = 'a'\ndown_revision = 'b')\n");

	VAL_STR(m->revision, "a", 1, 12);
	VAL_EXPR(m->down_revision, "'b')", 2, 17);
}

static void test_migration_lone_cr_nul_line(void **state)
{
	/* Python reads a lone CR as a line end: the NUL is on line 3. */
	struct mlint_migration *m = SCAN_LITERAL("revision = 'a'\rdown_revision = None\rx = 1\0\r");

	VAL_STR(m->revision, "a", 1, 12);
	VAL_NONE(m->down_revision, 2, 17);
	assert_int_equal(m->nr_problems, 1);
	assert_int_equal(m->problems[0].line, 3);
	assert_int_equal(m->problems[0].col, 6);
}

static void test_migration_lone_cr_header(void **state)
{
	struct mlint_migration *m = SCAN(
		"\"\"\"Add users\r"
		"\r"
		"Revision ID: abc\r"
		"Revises: def\r"
		"Create Date: 2020-01-01 00:00:00\r"
		"\r"
		"\"\"\"\r"
		"revision = 'abc'\r"
		"down_revision = 'def'\r");

	VAL_STR(m->revision, "abc", 8, 12);
	VAL_STR(m->down_revision, "def", 9, 17);
	HEADER(1, "Add users", "abc", 3, "def", 4, "2020-01-01 00:00:00", 5);
}

/* ---- real files ------------------------------------------------------ */

/* Alembic 1.8's generic script.py.mako, rendered with autogenerated ops. */
static const char alembic_1_8_generic[] =
	"\"\"\"add account table\n"
	"\n"
	"Revision ID: 1975ea83b712\n"
	"Revises: ae1027a6acf\n"
	"Create Date: 2022-08-23 10:12:31.812843\n"
	"\n"
	"\"\"\"\n"
	"from alembic import op\n"
	"import sqlalchemy as sa\n"
	"\n"
	"\n"
	"# revision identifiers, used by Alembic.\n"
	"revision = '1975ea83b712'\n"
	"down_revision = 'ae1027a6acf'\n"
	"branch_labels = None\n"
	"depends_on = None\n"
	"\n"
	"\n"
	"def upgrade() -> None:\n"
	"    # ### commands auto generated by Alembic - please adjust! ###\n"
	"    op.create_table('account',\n"
	"    sa.Column('id', sa.Integer(), nullable=False),\n"
	"    sa.Column('name', sa.String(length=50), nullable=False),\n"
	"    sa.PrimaryKeyConstraint('id')\n"
	"    )\n"
	"    # ### end Alembic commands ###\n"
	"\n"
	"\n"
	"def downgrade() -> None:\n"
	"    # ### commands auto generated by Alembic - please adjust! ###\n"
	"    op.drop_table('account')\n"
	"    # ### end Alembic commands ###\n";

static void check_alembic_1_8_generic(const struct mlint_migration *m)
{
	HEADER(1, "add account table", "1975ea83b712", 3, "ae1027a6acf", 4,
	       "2022-08-23 10:12:31.812843", 5);
	VAL_STR(m->revision, "1975ea83b712", 13, 12);
	VAL_STR(m->down_revision, "ae1027a6acf", 14, 17);
	VAL_NONE(m->branch_labels, 15, 17);
	VAL_NONE(m->depends_on, 16, 14);
	assert_true(mlint_migration_has_revision(m));
	assert_true(mlint_migration_looks_like_migration(m));
	assert_string_equal(mlint_migration_revision(m), "1975ea83b712");
	assert_int_equal(m->nr_problems, 0);

	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 19, 19, 25, MLINT_BODY_CODE);
	FUNC(1, "downgrade", 0, 0, 29, 29, 31, MLINT_BODY_CODE);
	assert_int_equal(m->nr_calls, 7);
	CALL(0, "op.create_table", "account", 21, 5, 0);
	CALL(1, "sa.Column", "id", 22, 5, 0);
	CALL(2, "sa.Integer", NULL, 22, 21, 0);
	CALL(3, "sa.Column", "name", 23, 5, 0);
	CALL(4, "sa.String", NULL, 23, 23, 0);
	CALL(5, "sa.PrimaryKeyConstraint", "id", 24, 5, 0);
	CALL(6, "op.drop_table", "account", 31, 5, 1);
	assert_int_equal(m->functions[0].nr_calls, 6);
	assert_int_equal(m->functions[1].first_call, 6);
	assert_int_equal(m->functions[1].nr_calls, 1);
}

static void test_migration_alembic_1_8_generic(void **state)
{
	check_alembic_1_8_generic(SCAN(alembic_1_8_generic));
}

static void test_migration_alembic_1_8_generic_crlf(void **state)
{
	char *crlf = malloc(2 * sizeof(alembic_1_8_generic));
	size_t n = 0;

	assert_non_null(crlf);
	for (size_t i = 0; alembic_1_8_generic[i]; i++) {
		if (alembic_1_8_generic[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = alembic_1_8_generic[i];
	}
	check_alembic_1_8_generic(scan_bytes(state, crlf, n));
	free(crlf);
}

static void test_migration_alembic_1_8_merge(void **state)
{
	/* "alembic merge heads -m 'merge heads'" */
	struct mlint_migration *m = SCAN(
		"\"\"\"merge heads\n"
		"\n"
		"Revision ID: b14329547db3\n"
		"Revises: b0b97ccd23bb, c920acc90330\n"
		"Create Date: 2026-11-27 16:30:22.529987\n"
		"\n"
		"\"\"\"\n"
		"from alembic import op\n"
		"import sqlalchemy as sa\n"
		"\n"
		"\n"
		"# revision identifiers, used by Alembic.\n"
		"revision = 'b14329547db3'\n"
		"down_revision = ('b0b97ccd23bb', 'c920acc90330')\n"
		"branch_labels = None\n"
		"depends_on = None\n"
		"\n"
		"\n"
		"def upgrade() -> None:\n"
		"    pass\n"
		"\n"
		"\n"
		"def downgrade() -> None:\n"
		"    pass\n");

	HEADER(1, "merge heads", "b14329547db3", 3, "b0b97ccd23bb, c920acc90330", 4,
	       "2026-11-27 16:30:22.529987", 5);
	VAL_STR(m->revision, "b14329547db3", 13, 12);
	VAL_SEQ(m->down_revision, 14, 17, "b0b97ccd23bb", "c920acc90330");
	assert_int_equal(m->nr_functions, 2);
	FUNC(0, "upgrade", 1, 0, 19, 19, 20, MLINT_BODY_EMPTY);
	FUNC(1, "downgrade", 0, 0, 23, 23, 24, MLINT_BODY_EMPTY);
	assert_int_equal(m->nr_calls, 0);
	assert_int_equal(m->nr_problems, 0);
}

static void test_migration_alembic_1_8_branch_label(void **state)
{
	/* "alembic revision -m 'second head' --head base --branch-label feature" */
	struct mlint_migration *m = SCAN(
		"\"\"\"second head\n"
		"\n"
		"Revision ID: b0b97ccd23bb\n"
		"Revises: \n"
		"Create Date: 2026-11-27 16:30:22.149564\n"
		"\n"
		"\"\"\"\n"
		"from alembic import op\n"
		"import sqlalchemy as sa\n"
		"\n"
		"\n"
		"# revision identifiers, used by Alembic.\n"
		"revision = 'b0b97ccd23bb'\n"
		"down_revision = None\n"
		"branch_labels = ('feature',)\n"
		"depends_on = None\n"
		"\n"
		"\n"
		"def upgrade() -> None:\n"
		"    pass\n"
		"\n"
		"\n"
		"def downgrade() -> None:\n"
		"    pass\n");

	HEADER(1, "second head", "b0b97ccd23bb", 3, "", 4, "2026-11-27 16:30:22.149564", 5);
	VAL_STR(m->revision, "b0b97ccd23bb", 13, 12);
	VAL_NONE(m->down_revision, 14, 17);
	VAL_SEQ(m->branch_labels, 15, 17, "feature");
	VAL_NONE(m->depends_on, 16, 14);
}

static void test_migration_call_on_value(void **state)
{
	struct mlint_migration *m = SCAN("def upgrade():\n    row = (conn.execute(q)\n           .first())\n"
					  "    rows = conn.execute(q) \\\n        . fetchall()\n    first()\n");

	assert_int_equal(m->nr_calls, 5);
	assert_string_equal(m->calls[0].name, "conn.execute");
	assert_false(m->calls[0].on_value);
	assert_string_equal(m->calls[1].name, "first");
	assert_true(m->calls[1].on_value);
	assert_string_equal(m->calls[3].name, "fetchall");
	assert_true(m->calls[3].on_value);
	assert_string_equal(m->calls[4].name, "first");
	assert_false(m->calls[4].on_value);
}

static void test_migration_release_and_reuse(void **state)
{
	struct mlint_migration *m = SCAN(alembic_1_8_generic);

	mlint_migration_release(m);
	assert_int_equal(m->nr_functions, 0);
	assert_int_equal(m->nr_calls, 0);
	assert_null(m->header.message);
	VAL_ABSENT(m->revision);
	mlint_migration_release(m);
	m = SCAN("");
	VAL_ABSENT(m->revision);
	assert_int_equal(m->nr_functions, 0);
	assert_int_equal(m->header.line, 0);
	assert_false(mlint_migration_looks_like_migration(m));
}

/* ---- the skim: MLINT_SCAN_NO_CALLS reads module level as a full scan does */

static void assert_same_value(const struct mlint_value *a, const struct mlint_value *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->nr, b->nr);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	for (size_t i = 0; i < a->nr; i++)
		assert_string_equal(a->items[i], b->items[i]);
}

static void assert_same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Scans `src` both ways and compares what the graph reads; the skimmed
 * revision must be `want_revision` (NULL: no literal revision). */
static void assert_skim_agrees(const char *src, const char *want_revision)
{
	struct mlint_migration full, skim;

	mlint_migration_init(&full);
	mlint_migration_init(&skim);
	assert_int_equal(mlint_migration_scan(&full, src, strlen(src)), 0);
	assert_int_equal(mlint_migration_scan_with(&skim, src, strlen(src), MLINT_SCAN_NO_CALLS), 0);
	assert_same_value(&full.revision, &skim.revision);
	assert_same_value(&full.down_revision, &skim.down_revision);
	assert_same_value(&full.branch_labels, &skim.branch_labels);
	assert_same_value(&full.depends_on, &skim.depends_on);
	assert_same_str(full.header.message, skim.header.message);
	assert_same_str(full.header.revision_id, skim.header.revision_id);
	assert_same_str(full.header.create_date, skim.header.create_date);
	assert_int_equal(full.header.line, skim.header.line);
	assert_int_equal(full.nr_lines, skim.nr_lines);
	assert_int_equal(full.nr_functions, skim.nr_functions);
	if (want_revision) {
		assert_int_equal(skim.revision.kind, MLINT_VAL_STR);
		assert_string_equal(skim.revision.items[0], want_revision);
	} else {
		assert_int_not_equal(skim.revision.kind, MLINT_VAL_STR);
	}
	mlint_migration_release(&full);
	mlint_migration_release(&skim);
}

static void test_migration_skim_agrees_with_full_scan(void **state)
{
	static const struct {
		const char *src, *revision;
	} cases[] = {
		/* a line at column 0 inside a triple-quoted string in a body */
		{"def upgrade():\n    op.execute(\"\"\"\nrevision = 'evil'\n\"\"\")\nrevision = 'good'\n", "good"},
		{"def upgrade():\n    x = '''\nrevision = 'evil'\n'''\n", NULL},
		/* inside brackets, after a backslash */
		{"def upgrade():\n    f(\nrevision,\n)\nrevision = 'a1'\n", "a1"},
		{"def upgrade():\n    x = 1 + \\\n2\nrevision = 'a2'\n", "a2"},
		{"def upgrade():\n    x = 1 + \\\nrevision = 'evil'\n", NULL},
		/* a comment at column 0 does not end the body */
		{"def upgrade():\n    pass\n# note\n    revision = 'inner'\nrevision = 'a3'\n", "a3"},
		/* f-strings with nested quotes and a brace field over lines */
		{"def upgrade():\n    x = f\"\"\"{ {'k': \"v\"}['k'] }\nrevision = 'no'\n\"\"\"\nrevision = 'a4'\n", "a4"},
		{"def upgrade():\n    x = f\"\"\"{'\"\"\"'}\nrevision = 'evil'\n\"\"\"\n", NULL},
		{"def upgrade():\n    x = rb'\\''\n    y = Rb\"\\\"\"\nrevision = 'a5'\n", "a5"},
		/* CRLF, lone CR, tabs, form feed, no final newline */
		{"def upgrade():\r\n\tpass\r\nrevision = 'a6'\r\n", "a6"},
		{"def upgrade():\r    pass\rrevision = 'a7'", "a7"},
		{"def upgrade():\n\f    pass\n\frevision = 'a8'\n", "a8"},
		{"revision = 'a9'\ndef upgrade():\n    pass", "a9"},
		/* nested blocks, classes, decorators, a module-level if */
		{"class A:\n    def f(self):\n        if x:\n            return '''\n'''\nrevision = 'b1'\n", "b1"},
		{"@dec\ndef upgrade():\n    pass\n@dec\ndef downgrade():\n    pass\nrevision = 'b2'\n", "b2"},
		{"if True:\n    revision = 'inner'\nrevision = 'b3'\n", "b3"},
		/* broken bodies: unterminated strings, an unclosed bracket, a bad dedent */
		{"def upgrade():\n    x = 'abc\nrevision = 'b4'\n", "b4"},
		{"def upgrade():\n    x = '''abc\nrevision = 'no'\n", NULL},
		{"def upgrade():\n    f(1,\nrevision = 'no'\n", NULL},
		{"def upgrade():\n        pass\n    pass\nrevision = 'b5'\n", "b5"},
		/* a docstring inside a body is not the header */
		{"\"\"\"msg\n\nRevision ID: c1\nCreate Date: 2024-01-01\n\"\"\"\ndef upgrade():\n    \"\"\"doc\n\"\"\"\nrevision = 'c1'\n", "c1"},
		/* prefix letters glued to a name are a name */
		{"def upgrade():\n    xr'''\nrevision = 'no'\n'''\nrevision = 'c2'\n", "c2"},
	};
	(void)state;
	for (size_t i = 0; i < NR_OF(cases); i++) {
		print_message("case %zu\n", i);
		assert_skim_agrees(cases[i].src, cases[i].revision);
	}
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_migration_down_revision_none),
		TEST(test_migration_down_revision_empty_string),
		TEST(test_migration_down_revision_string),
		TEST(test_migration_down_revision_tuple),
		TEST(test_migration_down_revision_list),
		TEST(test_migration_down_revision_one_element_tuple),
		TEST(test_migration_down_revision_parenthesised_string),
		TEST(test_migration_down_revision_empty_sequence),
		TEST(test_migration_annotated_assignments),
		TEST(test_migration_branch_labels_and_depends_on),
		TEST(test_migration_implicit_concatenation),
		TEST(test_migration_last_assignment_wins),
		TEST(test_migration_nested_assignments_ignored),
		TEST(test_migration_non_literal_values),
		TEST(test_migration_value_position),
		TEST(test_migration_semicolon_statements),
		TEST(test_migration_header_module_docstring),
		TEST(test_migration_header_after_licence_comment),
		TEST(test_migration_header_after_imports),
		TEST(test_migration_header_comment_block),
		TEST(test_migration_header_absent),
		TEST(test_migration_docstring_is_not_assignment),
		TEST(test_migration_strings_and_comments_are_not_calls),
		TEST(test_migration_function_spans),
		TEST(test_migration_function_end_line_multiline_string),
		TEST(test_migration_function_multidb),
		TEST(test_migration_function_params),
		TEST(test_migration_function_decorators),
		TEST(test_migration_function_async),
		TEST(test_migration_body_kinds),
		TEST(test_migration_one_line_bodies),
		TEST(test_migration_calls),
		TEST(test_migration_call_first_arg),
		TEST(test_migration_python2_syntax),
		TEST(test_migration_nul_byte),
		TEST(test_migration_invalid_utf8),
		TEST(test_migration_nul_and_invalid_utf8),
		TEST(test_migration_unterminated_string_problem),
		TEST(test_migration_unclosed_bracket_problem),
		TEST(test_migration_unbalanced_closing_bracket),
		TEST(test_migration_lone_cr_nul_line),
		TEST(test_migration_lone_cr_header),
		TEST(test_migration_alembic_1_8_generic),
		TEST(test_migration_alembic_1_8_generic_crlf),
		TEST(test_migration_alembic_1_8_merge),
		TEST(test_migration_alembic_1_8_branch_label),
		TEST(test_migration_release_and_reuse),
		TEST(test_migration_call_on_value),
		TEST(test_migration_skim_agrees_with_full_scan),
	};
	/* Selects tests by glob, e.g. one at a time under a sanitizer that
	 * aborts the process on its first report. */
	if (getenv("MLINT_TEST_FILTER"))
		cmocka_set_test_filter(getenv("MLINT_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
