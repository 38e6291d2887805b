/*
 * Unit tests for the Python tokenizer (include/mlint/pyscan.h).
 *
 * Every expected token is written out with its kind, byte offset, length and
 * line (and, for strings, flags and prefix length); a test fails on the first
 * token that differs. Inputs are copied into heap buffers of their exact
 * length so that ASan catches any read past `len`.
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
#include "mlint/pyscan.h"

#define K_END MLINT_TOK_ENDMARKER
#define K_NAME MLINT_TOK_NAME
#define K_NUM MLINT_TOK_NUMBER
#define K_STR MLINT_TOK_STRING
#define K_NEWLINE MLINT_TOK_NEWLINE
#define K_NL MLINT_TOK_NL
#define K_INDENT MLINT_TOK_INDENT
#define K_DEDENT MLINT_TOK_DEDENT
#define K_COMMENT MLINT_TOK_COMMENT
#define K_OP MLINT_TOK_OP
#define K_ERR MLINT_TOK_ERRORTOKEN

#define F_RAW MLINT_STR_RAW
#define F_BYTES MLINT_STR_BYTES
#define F_FMT MLINT_STR_FORMAT
#define F_TRIPLE MLINT_STR_TRIPLE
#define F_UNTERM MLINT_STR_UNTERMINATED

struct texp {
	int kind;
	size_t off, len;
	unsigned line;
	unsigned flags;  /* checked for strings */
	unsigned prefix; /* checked for strings */
};

/* A token that is not a string. */
#define T(k, o, l, ln) {(k), (o), (l), (ln), 0, 0}
/* A string token with its flags and prefix length. */
#define S(o, l, ln, fl, pre) {K_STR, (o), (l), (ln), (fl), (pre)}

#define NR_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Checks the whole token stream of a string literal `src`. */
#define TOKENS(src, ...)                                                        \
	check_tokens(__LINE__, (src), sizeof(src) - 1, (const struct texp[]){__VA_ARGS__}, \
		     sizeof((const struct texp[]){__VA_ARGS__}) / sizeof(struct texp))

static char *exact_copy(const char *src, size_t len)
{
	char *p = malloc(len ? len : 1);
	assert_non_null(p);
	if (len)
		memcpy(p, src, len);
	return p;
}

static const char *kind_name(int kind, char tmp[8])
{
	return mlint_tok_kind_name(kind, tmp);
}

static int token_matches(const struct mlint_token *t, const struct texp *e)
{
	if (t->kind != e->kind || t->off != e->off || t->len != e->len || t->line != e->line)
		return 0;
	if (t->kind == K_STR && (t->flags != e->flags || t->prefix_len != e->prefix))
		return 0;
	return 1;
}

/*
 * Scans `src` and compares every token with `exp` (which ends with the
 * ENDMARKER). Returns the scanner's first problem.
 */
static enum mlint_pyscan_problem check_tokens(int at, const char *src, size_t len,
					      const struct texp *exp, size_t n)
{
	char *buf = exact_copy(src, len);
	struct mlint_pyscan s;
	struct mlint_token t;
	enum mlint_pyscan_problem problem;
	char msg[512] = "";

	mlint_pyscan_init(&s, buf, len);
	for (size_t i = 0; i < n; i++) {
		char a[8], b[8];
		if (mlint_pyscan_next(&s, &t) < 0) {
			snprintf(msg, sizeof(msg), "line %d: token %zu: mlint_pyscan_next failed", at, i);
			break;
		}
		if (!token_matches(&t, &exp[i])) {
			snprintf(msg, sizeof(msg),
				 "line %d: token %zu: expected %s off=%zu len=%zu line=%u flags=%u prefix=%u, "
				 "got %s off=%zu len=%zu line=%u flags=%u prefix=%u",
				 at, i, kind_name(exp[i].kind, a), exp[i].off, exp[i].len, exp[i].line,
				 exp[i].flags, exp[i].prefix, kind_name(t.kind, b), t.off, t.len, t.line,
				 t.flags, t.prefix_len);
			break;
		}
	}
	problem = s.problem;
	mlint_pyscan_release(&s);
	free(buf);
	if (msg[0])
		fail_msg("%s", msg);
	return problem;
}

/* Scans `src` up to its first STRING token; returns it in `out`. */
static void first_string(const char *src, struct mlint_token *out)
{
	struct mlint_pyscan s;

	mlint_pyscan_init(&s, src, strlen(src));
	for (int i = 0; i < 100; i++) {
		assert_int_equal(mlint_pyscan_next(&s, out), 0);
		if (out->kind == K_STR || out->kind == K_END)
			break;
	}
	mlint_pyscan_release(&s);
	assert_int_equal(out->kind, K_STR);
}

/* ---- string prefixes ------------------------------------------------- */

static void test_pyscan_string_prefixes(void **state)
{
	static const struct {
		const char *prefix;
		unsigned flags;
	} prefixes[] = {
		{"", 0},
		{"r", F_RAW}, {"R", F_RAW},
		{"b", F_BYTES}, {"B", F_BYTES},
		{"u", 0}, {"U", 0},
		{"f", F_FMT}, {"F", F_FMT},
		{"rb", F_RAW | F_BYTES}, {"rB", F_RAW | F_BYTES},
		{"Rb", F_RAW | F_BYTES}, {"RB", F_RAW | F_BYTES},
		{"br", F_RAW | F_BYTES}, {"bR", F_RAW | F_BYTES},
		{"Br", F_RAW | F_BYTES}, {"BR", F_RAW | F_BYTES},
		{"fr", F_RAW | F_FMT}, {"fR", F_RAW | F_FMT},
		{"Fr", F_RAW | F_FMT}, {"FR", F_RAW | F_FMT},
		{"rf", F_RAW | F_FMT}, {"rF", F_RAW | F_FMT},
		{"Rf", F_RAW | F_FMT}, {"RF", F_RAW | F_FMT},
	};
	static const struct {
		const char *text;
		unsigned flags;
	} quotes[] = {
		{"'x'", 0}, {"\"x\"", 0}, {"'''x'''", F_TRIPLE}, {"\"\"\"x\"\"\"", F_TRIPLE},
	};
	(void)state;

	for (size_t p = 0; p < NR_OF(prefixes); p++) {
		for (size_t q = 0; q < NR_OF(quotes); q++) {
			char src[32];
			size_t pl = strlen(prefixes[p].prefix), ql = strlen(quotes[q].text);
			struct texp exp[4] = {
				T(K_NAME, 0, 1, 1),
				S(2, pl + ql, 1, prefixes[p].flags | quotes[q].flags, (unsigned)pl),
				T(K_NEWLINE, 2 + pl + ql, 1, 1),
				T(K_END, 3 + pl + ql, 0, 2),
			};
			struct mlint_token t;
			char *value;
			int n = snprintf(src, sizeof(src), "x %s%s\n", prefixes[p].prefix, quotes[q].text);

			print_message("prefix '%s' quote %s\n", prefixes[p].prefix, quotes[q].text);
			assert_int_equal(check_tokens(__LINE__, src, (size_t)n, exp, 4), MLINT_PYSCAN_OK);
			first_string(src, &t);
			value = mlint_pyscan_string_value(src, &t);
			assert_non_null(value);
			assert_string_equal(value, "x");
			free(value);
		}
	}
}

static void test_pyscan_string_prefix_ur_is_not_a_prefix(void **state)
{
	(void)state;
	/* Python 3 has no "ur" prefix: the letters are a name, then a string. */
	TOKENS("ur'x'\n",
	       T(K_NAME, 0, 2, 1), S(2, 3, 1, 0, 0), T(K_NEWLINE, 5, 1, 1), T(K_END, 6, 0, 2));
	TOKENS("UR\"x\"\n",
	       T(K_NAME, 0, 2, 1), S(2, 3, 1, 0, 0), T(K_NEWLINE, 5, 1, 1), T(K_END, 6, 0, 2));
	TOKENS("uR'x'\n",
	       T(K_NAME, 0, 2, 1), S(2, 3, 1, 0, 0), T(K_NEWLINE, 5, 1, 1), T(K_END, 6, 0, 2));
	TOKENS("Ur'''x'''\n",
	       T(K_NAME, 0, 2, 1), S(2, 7, 1, F_TRIPLE, 0), T(K_NEWLINE, 9, 1, 1),
	       T(K_END, 10, 0, 2));
	/* Neither are "bu", "rr", "fb" or a name that merely ends in r. */
	TOKENS("bu'x'\n",
	       T(K_NAME, 0, 2, 1), S(2, 3, 1, 0, 0), T(K_NEWLINE, 5, 1, 1), T(K_END, 6, 0, 2));
	TOKENS("rr'x'\n",
	       T(K_NAME, 0, 2, 1), S(2, 3, 1, 0, 0), T(K_NEWLINE, 5, 1, 1), T(K_END, 6, 0, 2));
	TOKENS("fb'x'\n",
	       T(K_NAME, 0, 2, 1), S(2, 3, 1, 0, 0), T(K_NEWLINE, 5, 1, 1), T(K_END, 6, 0, 2));
	TOKENS("bar'x'\n",
	       T(K_NAME, 0, 3, 1), S(3, 3, 1, 0, 0), T(K_NEWLINE, 6, 1, 1), T(K_END, 7, 0, 2));
	/* A prefix letter alone is a name. */
	TOKENS("r = b\n",
	       T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), T(K_NAME, 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
	       T(K_END, 6, 0, 2));
}

/* ---- quotes and escapes ---------------------------------------------- */

static void test_pyscan_quotes_single_double_triple(void **state)
{
	static const char src[] =
		"a = 'x\"y' + \"it's\"\n"
		"b = '''one\n"
		"\"two\" 'three'\n"
		"''' + \"\"\"four\n"
		"'''\n"
		"\"\"\"\n"
		"c\n";
	struct mlint_token t;
	char *v;
	(void)state;

	assert_int_equal(TOKENS(src,
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), S(4, 5, 1, 0, 0), T('+', 10, 1, 1),
		S(12, 6, 1, 0, 0), T(K_NEWLINE, 18, 1, 1),
		T(K_NAME, 19, 1, 2), T('=', 21, 1, 2), S(23, 24, 2, F_TRIPLE, 0),
		T('+', 48, 1, 4), S(50, 15, 4, F_TRIPLE, 0), T(K_NEWLINE, 65, 1, 6),
		T(K_NAME, 66, 1, 7), T(K_NEWLINE, 67, 1, 7), T(K_END, 68, 0, 8)),
		MLINT_PYSCAN_OK);

	first_string("'''one\n\"two\" 'three'\n'''", &t);
	assert_non_null(v = mlint_pyscan_string_value("'''one\n\"two\" 'three'\n'''", &t));
	assert_string_equal(v, "one\n\"two\" 'three'\n");
	free(v);

	/* Empty strings, and a triple-quoted one whose content ends in a quote. */
	TOKENS("x = '' + \"\"\"\"\"\"\n",
	       T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), S(4, 2, 1, 0, 0), T('+', 7, 1, 1),
	       S(9, 6, 1, F_TRIPLE, 0), T(K_NEWLINE, 15, 1, 1), T(K_END, 16, 0, 2));
	TOKENS("\"\"\"a\\\"\"\"\" x\n",
	       S(0, 9, 1, F_TRIPLE, 0), T(K_NAME, 10, 1, 1), T(K_NEWLINE, 11, 1, 1),
	       T(K_END, 12, 0, 2));
}

static void test_pyscan_escaped_quotes(void **state)
{
	static const char src[] = "'a\\'b' \"c\\\"d\" r\"\\\"\" r'\\'' '\\\\' 'e'\n";
	static const char *const values[] = {"a'b", "c\"d", "\\\"", "\\'", "\\", "e"};
	struct mlint_pyscan s;
	struct mlint_token t;
	(void)state;

	assert_int_equal(TOKENS(src,
		S(0, 6, 1, 0, 0), S(7, 6, 1, 0, 0), S(14, 5, 1, F_RAW, 1), S(20, 5, 1, F_RAW, 1),
		S(26, 4, 1, 0, 0), S(31, 3, 1, 0, 0), T(K_NEWLINE, 34, 1, 1), T(K_END, 35, 0, 2)),
		MLINT_PYSCAN_OK);

	mlint_pyscan_init(&s, src, strlen(src));
	for (size_t i = 0; i < NR_OF(values); i++) {
		char *v;
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
		assert_int_equal(t.kind, K_STR);
		assert_non_null(v = mlint_pyscan_string_value(src, &t));
		assert_string_equal(v, values[i]);
		free(v);
	}
	mlint_pyscan_release(&s);

	/* A backslash-newline inside a one-line string continues it. */
	assert_int_equal(TOKENS("'ab\\\ncd' x\n",
		S(0, 8, 1, 0, 0), T(K_NAME, 9, 1, 2), T(K_NEWLINE, 10, 1, 2), T(K_END, 11, 0, 3)),
		MLINT_PYSCAN_OK);
}

/* ---- comments -------------------------------------------------------- */

static void test_pyscan_comments(void **state)
{
	(void)state;
	assert_int_equal(TOKENS(
		"x = '#no' # c 'q \"r\n"
		"# only 'comment\n"
		"y = \"a#b\"\n",
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), S(4, 5, 1, 0, 0), T(K_COMMENT, 10, 9, 1),
		T(K_NEWLINE, 19, 1, 1),
		T(K_COMMENT, 20, 15, 2), T(K_NL, 35, 1, 2),
		T(K_NAME, 36, 1, 3), T('=', 38, 1, 3), S(40, 5, 3, 0, 0), T(K_NEWLINE, 45, 1, 3),
		T(K_END, 46, 0, 4)),
		MLINT_PYSCAN_OK);
	/* A comment at EOF without a line end. */
	TOKENS("x # c",
	       T(K_NAME, 0, 1, 1), T(K_COMMENT, 2, 3, 1), T(K_NEWLINE, 5, 0, 1), T(K_END, 5, 0, 1));
}

/* ---- line structure -------------------------------------------------- */

static void test_pyscan_backslash_continuation(void **state)
{
	static const char src[] = "x = 1 + \\\n    2\ny\n";
	struct mlint_pyscan s;
	struct mlint_token t;
	(void)state;

	assert_int_equal(TOKENS(src,
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), T(K_NUM, 4, 1, 1), T('+', 6, 1, 1),
		T(K_NUM, 14, 1, 2), T(K_NEWLINE, 15, 1, 2), T(K_NAME, 16, 1, 3),
		T(K_NEWLINE, 17, 1, 3), T(K_END, 18, 0, 4)),
		MLINT_PYSCAN_OK);

	/* The continued line's tokens know where their line starts. */
	mlint_pyscan_init(&s, src, strlen(src));
	for (int i = 0; i < 5; i++)
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	assert_int_equal(t.off, 14);
	assert_int_equal(t.line_off, 10);
	mlint_pyscan_release(&s);

	/* With CRLF. */
	TOKENS("a = \\\r\n  b\r\n",
	       T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), T(K_NAME, 9, 1, 2), T(K_NEWLINE, 10, 2, 2),
	       T(K_END, 12, 0, 3));
	/* A continuation line makes no INDENT/DEDENT, whatever its indentation. */
	assert_int_equal(TOKENS("if a:\n    b = \\\nc\n    d\n",
		T(K_NAME, 0, 2, 1), T(K_NAME, 3, 1, 1), T(':', 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
		T(K_INDENT, 6, 4, 2), T(K_NAME, 10, 1, 2), T('=', 12, 1, 2), T(K_NAME, 16, 1, 3),
		T(K_NEWLINE, 17, 1, 3), T(K_NAME, 22, 1, 4), T(K_NEWLINE, 23, 1, 4),
		T(K_DEDENT, 24, 0, 5), T(K_END, 24, 0, 5)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_brackets_across_lines(void **state)
{
	(void)state;
	assert_int_equal(TOKENS(
		"x = (1,\n"
		"        2,  # c\n"
		"\n"
		")\n"
		"y\n",
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), T('(', 4, 1, 1), T(K_NUM, 5, 1, 1),
		T(',', 6, 1, 1), T(K_NL, 7, 1, 1), T(K_NUM, 16, 1, 2), T(',', 17, 1, 2),
		T(K_COMMENT, 20, 3, 2), T(K_NL, 23, 1, 2), T(K_NL, 24, 1, 3), T(')', 25, 1, 4),
		T(K_NEWLINE, 26, 1, 4), T(K_NAME, 27, 1, 5), T(K_NEWLINE, 28, 1, 5),
		T(K_END, 29, 0, 6)),
		MLINT_PYSCAN_OK);

	/* Inside a block: lines in brackets change no indentation. */
	assert_int_equal(TOKENS(
		"def f():\n"
		"    g([\n"
		"  1,\n"
		"        {2: 3}])\n"
		"    h\n",
		T(K_NAME, 0, 3, 1), T(K_NAME, 4, 1, 1), T('(', 5, 1, 1), T(')', 6, 1, 1),
		T(':', 7, 1, 1), T(K_NEWLINE, 8, 1, 1), T(K_INDENT, 9, 4, 2), T(K_NAME, 13, 1, 2),
		T('(', 14, 1, 2), T('[', 15, 1, 2), T(K_NL, 16, 1, 2), T(K_NUM, 19, 1, 3),
		T(',', 20, 1, 3), T(K_NL, 21, 1, 3), T('{', 30, 1, 4), T(K_NUM, 31, 1, 4),
		T(':', 32, 1, 4), T(K_NUM, 34, 1, 4), T('}', 35, 1, 4), T(']', 36, 1, 4),
		T(')', 37, 1, 4), T(K_NEWLINE, 38, 1, 4), T(K_NAME, 43, 1, 5),
		T(K_NEWLINE, 44, 1, 5), T(K_DEDENT, 45, 0, 6), T(K_END, 45, 0, 6)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_crlf_and_lone_cr(void **state)
{
	static const char src[] = "a\r\nb\r\n";
	struct mlint_pyscan s;
	struct mlint_token t;
	(void)state;

	TOKENS(src,
	       T(K_NAME, 0, 1, 1), T(K_NEWLINE, 1, 2, 1), T(K_NAME, 3, 1, 2),
	       T(K_NEWLINE, 4, 2, 2), T(K_END, 6, 0, 3));
	mlint_pyscan_init(&s, src, strlen(src));
	for (int i = 0; i < 3; i++)
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	assert_int_equal(t.line_off, 3);
	mlint_pyscan_release(&s);

	TOKENS("a\rb\r",
	       T(K_NAME, 0, 1, 1), T(K_NEWLINE, 1, 1, 1), T(K_NAME, 2, 1, 2),
	       T(K_NEWLINE, 3, 1, 2), T(K_END, 4, 0, 3));
	/* Mixed line ends, with a block. */
	assert_int_equal(TOKENS("if a:\r    b\r\nc\n",
		T(K_NAME, 0, 2, 1), T(K_NAME, 3, 1, 1), T(':', 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
		T(K_INDENT, 6, 4, 2), T(K_NAME, 10, 1, 2), T(K_NEWLINE, 11, 2, 2),
		T(K_DEDENT, 13, 0, 3), T(K_NAME, 13, 1, 3), T(K_NEWLINE, 14, 1, 3),
		T(K_END, 15, 0, 4)),
		MLINT_PYSCAN_OK);
	/* Line ends inside a triple-quoted string count as lines. */
	TOKENS("\"\"\"x\r\ny\"\"\"\r\nz\r\n",
	       S(0, 10, 1, F_TRIPLE, 0), T(K_NEWLINE, 10, 2, 2), T(K_NAME, 12, 1, 3),
	       T(K_NEWLINE, 13, 2, 3), T(K_END, 15, 0, 4));
	TOKENS("'''x\ry'''\rz\r",
	       S(0, 9, 1, F_TRIPLE, 0), T(K_NEWLINE, 9, 1, 2), T(K_NAME, 10, 1, 3),
	       T(K_NEWLINE, 11, 1, 3), T(K_END, 12, 0, 4));
	/* Blank CRLF lines are NL, with no INDENT. */
	TOKENS("a\r\n\r\n  \r\nb\r\n",
	       T(K_NAME, 0, 1, 1), T(K_NEWLINE, 1, 2, 1), T(K_NL, 3, 2, 2), T(K_NL, 7, 2, 3),
	       T(K_NAME, 9, 1, 4), T(K_NEWLINE, 10, 2, 4), T(K_END, 12, 0, 5));
}

static void test_pyscan_utf8_bom(void **state)
{
	static const char src[] = "\xEF\xBB\xBFx = 1\n";
	struct mlint_pyscan s;
	struct mlint_token t;
	(void)state;

	assert_int_equal(TOKENS(src,
		T(K_NAME, 3, 1, 1), T('=', 5, 1, 1), T(K_NUM, 7, 1, 1), T(K_NEWLINE, 8, 1, 1),
		T(K_END, 9, 0, 2)),
		MLINT_PYSCAN_OK);
	mlint_pyscan_init(&s, src, strlen(src));
	assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	assert_int_equal(t.off, 3);
	assert_int_equal(t.line, 1);
	mlint_pyscan_release(&s);

	TOKENS("\xEF\xBB\xBF", T(K_END, 3, 0, 1));
	/* Only a whole BOM at the very start is skipped. */
	TOKENS("\xEF\xBB", T(K_NAME, 0, 2, 1), T(K_NEWLINE, 2, 0, 1), T(K_END, 2, 0, 1));
}

static void test_pyscan_tabs(void **state)
{
	(void)state;
	/* A tab goes to column 8: "\t", 8 spaces and "  \t" are one level. */
	assert_int_equal(TOKENS(
		"if a:\n"
		"\tif b:\n"
		"\t\tc\n"
		"        d\n"
		"  \te\n"
		"f\n",
		T(K_NAME, 0, 2, 1), T(K_NAME, 3, 1, 1), T(':', 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
		T(K_INDENT, 6, 1, 2), T(K_NAME, 7, 2, 2), T(K_NAME, 10, 1, 2), T(':', 11, 1, 2),
		T(K_NEWLINE, 12, 1, 2), T(K_INDENT, 13, 2, 3), T(K_NAME, 15, 1, 3),
		T(K_NEWLINE, 16, 1, 3), T(K_DEDENT, 25, 0, 4), T(K_NAME, 25, 1, 4),
		T(K_NEWLINE, 26, 1, 4), T(K_NAME, 30, 1, 5), T(K_NEWLINE, 31, 1, 5),
		T(K_DEDENT, 32, 0, 6), T(K_NAME, 32, 1, 6), T(K_NEWLINE, 33, 1, 6),
		T(K_END, 34, 0, 7)),
		MLINT_PYSCAN_OK);
	/* Seven spaces and a tab are column 8 too; nine spaces are deeper. */
	assert_int_equal(TOKENS(
		"if a:\n"
		"       \tb\n"
		"\t c\n",
		T(K_NAME, 0, 2, 1), T(K_NAME, 3, 1, 1), T(':', 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
		T(K_INDENT, 6, 8, 2), T(K_NAME, 14, 1, 2), T(K_NEWLINE, 15, 1, 2),
		T(K_INDENT, 16, 2, 3), T(K_NAME, 18, 1, 3), T(K_NEWLINE, 19, 1, 3),
		T(K_DEDENT, 20, 0, 4), T(K_DEDENT, 20, 0, 4), T(K_END, 20, 0, 4)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_bad_dedent(void **state)
{
	static const char src[] = "if a:\n        b\n    c\n";
	struct mlint_pyscan s;
	struct mlint_token t;
	(void)state;

	assert_int_equal(TOKENS(src,
		T(K_NAME, 0, 2, 1), T(K_NAME, 3, 1, 1), T(':', 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
		T(K_INDENT, 6, 8, 2), T(K_NAME, 14, 1, 2), T(K_NEWLINE, 15, 1, 2),
		T(K_DEDENT, 20, 0, 3), T(K_NAME, 20, 1, 3), T(K_NEWLINE, 21, 1, 3),
		T(K_END, 22, 0, 4)),
		MLINT_PYSCAN_BAD_DEDENT);
	mlint_pyscan_init(&s, src, strlen(src));
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_END);
	assert_int_equal(s.problem_line, 3);
	assert_int_equal(s.problem_line_off, 16);
	mlint_pyscan_release(&s);
}

static void test_pyscan_indent_dedent_nested(void **state)
{
	(void)state;
	assert_int_equal(TOKENS(
		"def f():\n"
		"    if x:\n"
		"        y\n"
		"    z\n"
		"class C:\n"
		"    if q:\n"
		"        r\n"
		"w\n"
		"if v:\n"
		"    if u:\n"
		"        t\n",
		T(K_NAME, 0, 3, 1), T(K_NAME, 4, 1, 1), T('(', 5, 1, 1), T(')', 6, 1, 1),
		T(':', 7, 1, 1), T(K_NEWLINE, 8, 1, 1),
		T(K_INDENT, 9, 4, 2), T(K_NAME, 13, 2, 2), T(K_NAME, 16, 1, 2), T(':', 17, 1, 2),
		T(K_NEWLINE, 18, 1, 2),
		T(K_INDENT, 19, 8, 3), T(K_NAME, 27, 1, 3), T(K_NEWLINE, 28, 1, 3),
		T(K_DEDENT, 33, 0, 4), T(K_NAME, 33, 1, 4), T(K_NEWLINE, 34, 1, 4),
		T(K_DEDENT, 35, 0, 5), T(K_NAME, 35, 5, 5), T(K_NAME, 41, 1, 5), T(':', 42, 1, 5),
		T(K_NEWLINE, 43, 1, 5),
		T(K_INDENT, 44, 4, 6), T(K_NAME, 48, 2, 6), T(K_NAME, 51, 1, 6), T(':', 52, 1, 6),
		T(K_NEWLINE, 53, 1, 6),
		T(K_INDENT, 54, 8, 7), T(K_NAME, 62, 1, 7), T(K_NEWLINE, 63, 1, 7),
		T(K_DEDENT, 64, 0, 8), T(K_DEDENT, 64, 0, 8), T(K_NAME, 64, 1, 8),
		T(K_NEWLINE, 65, 1, 8),
		T(K_NAME, 66, 2, 9), T(K_NAME, 69, 1, 9), T(':', 70, 1, 9), T(K_NEWLINE, 71, 1, 9),
		T(K_INDENT, 72, 4, 10), T(K_NAME, 76, 2, 10), T(K_NAME, 79, 1, 10),
		T(':', 80, 1, 10), T(K_NEWLINE, 81, 1, 10),
		T(K_INDENT, 82, 8, 11), T(K_NAME, 90, 1, 11), T(K_NEWLINE, 91, 1, 11),
		T(K_DEDENT, 92, 0, 12), T(K_DEDENT, 92, 0, 12), T(K_END, 92, 0, 12)),
		MLINT_PYSCAN_OK);
	/* EOF inside a block without a final line end. */
	TOKENS("if a:\n    b",
	       T(K_NAME, 0, 2, 1), T(K_NAME, 3, 1, 1), T(':', 4, 1, 1), T(K_NEWLINE, 5, 1, 1),
	       T(K_INDENT, 6, 4, 2), T(K_NAME, 10, 1, 2), T(K_NEWLINE, 11, 0, 2),
	       T(K_DEDENT, 11, 0, 2), T(K_END, 11, 0, 2));
}

static void test_pyscan_blank_and_comment_lines_no_indent(void **state)
{
	(void)state;
	assert_int_equal(TOKENS(
		"def f():\n"
		"\n"
		"        # deep\n"
		"    x\n"
		"  # shallow\n"
		"   \t \n"
		"    y\n"
		"# end\n",
		T(K_NAME, 0, 3, 1), T(K_NAME, 4, 1, 1), T('(', 5, 1, 1), T(')', 6, 1, 1),
		T(':', 7, 1, 1), T(K_NEWLINE, 8, 1, 1),
		T(K_NL, 9, 1, 2),
		T(K_COMMENT, 18, 6, 3), T(K_NL, 24, 1, 3),
		T(K_INDENT, 25, 4, 4), T(K_NAME, 29, 1, 4), T(K_NEWLINE, 30, 1, 4),
		T(K_COMMENT, 33, 9, 5), T(K_NL, 42, 1, 5),
		T(K_NL, 48, 1, 6),
		T(K_NAME, 53, 1, 7), T(K_NEWLINE, 54, 1, 7),
		T(K_COMMENT, 55, 5, 8), T(K_NL, 60, 1, 8),
		T(K_DEDENT, 61, 0, 9), T(K_END, 61, 0, 9)),
		MLINT_PYSCAN_OK);
}

/* ---- f-strings ------------------------------------------------------- */

static void test_pyscan_fstring_nested_quotes(void **state)
{
	(void)state;
	assert_int_equal(TOKENS("f\"{d['k']}\" + 1\n",
		S(0, 11, 1, F_FMT, 1), T('+', 12, 1, 1), T(K_NUM, 14, 1, 1),
		T(K_NEWLINE, 15, 1, 1), T(K_END, 16, 0, 2)),
		MLINT_PYSCAN_OK);
	/* Python 3.12: the same quote inside a replacement field. */
	assert_int_equal(TOKENS("f\"{d[\"k\"]}\" + 1\n",
		S(0, 11, 1, F_FMT, 1), T('+', 12, 1, 1), T(K_NUM, 14, 1, 1),
		T(K_NEWLINE, 15, 1, 1), T(K_END, 16, 0, 2)),
		MLINT_PYSCAN_OK);
	assert_int_equal(TOKENS("F'{d['k']}' + 1\n",
		S(0, 11, 1, F_FMT, 1), T('+', 12, 1, 1), T(K_NUM, 14, 1, 1),
		T(K_NEWLINE, 15, 1, 1), T(K_END, 16, 0, 2)),
		MLINT_PYSCAN_OK);
	/* A closing brace inside a nested string does not end the field. */
	assert_int_equal(TOKENS("f\"{'}'}\" + x\n",
		S(0, 8, 1, F_FMT, 1), T('+', 9, 1, 1), T(K_NAME, 11, 1, 1),
		T(K_NEWLINE, 12, 1, 1), T(K_END, 13, 0, 2)),
		MLINT_PYSCAN_OK);
	/* A format spec with a nested field, and a nested quoted key. */
	assert_int_equal(TOKENS("f\"{x!r:>{w}}{d[\"k\"]}\" + x\n",
		S(0, 21, 1, F_FMT, 1), T('+', 22, 1, 1), T(K_NAME, 24, 1, 1),
		T(K_NEWLINE, 25, 1, 1), T(K_END, 26, 0, 2)),
		MLINT_PYSCAN_OK);
	/* Raw f-strings. */
	assert_int_equal(TOKENS("rf\"{x}\\d\" + Fr'{y}'\n",
		S(0, 9, 1, F_FMT | F_RAW, 2), T('+', 10, 1, 1), S(12, 7, 1, F_FMT | F_RAW, 2),
		T(K_NEWLINE, 19, 1, 1), T(K_END, 20, 0, 2)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_fstring_brace_escapes(void **state)
{
	(void)state;
	/* "{{" is a literal brace: the quote after it closes the string. */
	assert_int_equal(TOKENS("f'{{' + f'}}' + F\"{{x}}\"\n",
		S(0, 5, 1, F_FMT, 1), T('+', 6, 1, 1), S(8, 5, 1, F_FMT, 1), T('+', 14, 1, 1),
		S(16, 8, 1, F_FMT, 1), T(K_NEWLINE, 24, 1, 1), T(K_END, 25, 0, 2)),
		MLINT_PYSCAN_OK);
	assert_int_equal(TOKENS("f'{{{x}}}' + y\n",
		S(0, 10, 1, F_FMT, 1), T('+', 11, 1, 1), T(K_NAME, 13, 1, 1),
		T(K_NEWLINE, 14, 1, 1), T(K_END, 15, 0, 2)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_fstring_triple_multiline_field(void **state)
{
	(void)state;
	assert_int_equal(TOKENS("f\"\"\"{\n  x\n}\"\"\"\ny\n",
		S(0, 14, 1, F_FMT | F_TRIPLE, 1), T(K_NEWLINE, 14, 1, 3), T(K_NAME, 15, 1, 4),
		T(K_NEWLINE, 16, 1, 4), T(K_END, 17, 0, 5)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_fstring_dict_in_field(void **state)
{
	(void)state;
	/* Python 3.12: a dict display inside a field, then a subscript with the
	 * string's own quote. The dict's '}' does not end the field. */
	assert_int_equal(TOKENS("f\"{ {'k': 1}[\"k\"] }\" + x\n",
		S(0, 20, 1, F_FMT, 1), T('+', 21, 1, 1), T(K_NAME, 23, 1, 1),
		T(K_NEWLINE, 24, 1, 1), T(K_END, 25, 0, 2)),
		MLINT_PYSCAN_OK);
}

/* ---- tolerant ends --------------------------------------------------- */

static void test_pyscan_unterminated_string(void **state)
{
	static const char src[] = "x = 'abc\ny = 1\n";
	struct mlint_pyscan s;
	struct mlint_token t;
	char *v;
	(void)state;

	assert_int_equal(TOKENS(src,
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), S(4, 4, 1, F_UNTERM, 0), T(K_NEWLINE, 8, 1, 1),
		T(K_NAME, 9, 1, 2), T('=', 11, 1, 2), T(K_NUM, 13, 1, 2), T(K_NEWLINE, 14, 1, 2),
		T(K_END, 15, 0, 3)),
		MLINT_PYSCAN_UNTERMINATED_STRING);

	mlint_pyscan_init(&s, src, strlen(src));
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_STR);
	assert_non_null(v = mlint_pyscan_string_value(src, &t));
	assert_string_equal(v, "abc");
	free(v);
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_END);
	assert_int_equal(s.problem, MLINT_PYSCAN_UNTERMINATED_STRING);
	assert_int_equal(s.problem_off, 4);
	assert_int_equal(s.problem_line, 1);
	assert_int_equal(s.problem_line_off, 0);
	mlint_pyscan_release(&s);

	/* On a later line; the first problem is kept. */
	mlint_pyscan_init(&s, "a\n\"x\\\"\n'y\n", 10);
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_END);
	assert_int_equal(s.problem, MLINT_PYSCAN_UNTERMINATED_STRING);
	assert_int_equal(s.problem_off, 2);
	assert_int_equal(s.problem_line, 2);
	assert_int_equal(s.problem_line_off, 2);
	mlint_pyscan_release(&s);

	/* At EOF without a line end. */
	assert_int_equal(TOKENS("'abc",
		S(0, 4, 1, F_UNTERM, 0), T(K_NEWLINE, 4, 0, 1), T(K_END, 4, 0, 1)),
		MLINT_PYSCAN_UNTERMINATED_STRING);
	/* An escaped quote does not close it. */
	assert_int_equal(TOKENS("\"ab\\\"\nc\n",
		S(0, 5, 1, F_UNTERM, 0), T(K_NEWLINE, 5, 1, 1), T(K_NAME, 6, 1, 2),
		T(K_NEWLINE, 7, 1, 2), T(K_END, 8, 0, 3)),
		MLINT_PYSCAN_UNTERMINATED_STRING);
}

static void test_pyscan_unterminated_triple(void **state)
{
	static const char src[] = "x = \"\"\"abc\ny = 1\n";
	struct mlint_pyscan s;
	struct mlint_token t;
	char *v;
	(void)state;

	assert_int_equal(TOKENS(src,
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), S(4, 13, 1, F_TRIPLE | F_UNTERM, 0),
		T(K_NEWLINE, 17, 0, 3), T(K_END, 17, 0, 3)),
		MLINT_PYSCAN_UNTERMINATED_TRIPLE);

	mlint_pyscan_init(&s, src, strlen(src));
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_STR);
	assert_non_null(v = mlint_pyscan_string_value(src, &t));
	assert_string_equal(v, "abc\ny = 1\n");
	free(v);
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_END);
	assert_int_equal(s.problem_off, 4);
	assert_int_equal(s.problem_line, 1);
	mlint_pyscan_release(&s);
}

static void test_pyscan_unclosed_bracket(void **state)
{
	struct mlint_pyscan s;
	struct mlint_token t;
	(void)state;

	assert_int_equal(TOKENS("x = f(a, [b,\n  c\n",
		T(K_NAME, 0, 1, 1), T('=', 2, 1, 1), T(K_NAME, 4, 1, 1), T('(', 5, 1, 1),
		T(K_NAME, 6, 1, 1), T(',', 7, 1, 1), T('[', 9, 1, 1), T(K_NAME, 10, 1, 1),
		T(',', 11, 1, 1), T(K_NL, 12, 1, 1), T(K_NAME, 15, 1, 2), T(K_NL, 16, 1, 2),
		T(K_NEWLINE, 17, 0, 3), T(K_END, 17, 0, 3)),
		MLINT_PYSCAN_UNCLOSED_BRACKET);

	/* The outermost open bracket is reported, not an earlier closed one. */
	mlint_pyscan_init(&s, "(a)\n[b\n", 7);
	do
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
	while (t.kind != K_END);
	assert_int_equal(s.problem, MLINT_PYSCAN_UNCLOSED_BRACKET);
	assert_int_equal(s.problem_off, 4);
	assert_int_equal(s.problem_line, 2);
	assert_int_equal(s.problem_line_off, 4);
	mlint_pyscan_release(&s);

	/* A closed bracket is no problem. */
	assert_int_equal(TOKENS("([{}])\n",
		T('(', 0, 1, 1), T('[', 1, 1, 1), T('{', 2, 1, 1), T('}', 3, 1, 1),
		T(']', 4, 1, 1), T(')', 5, 1, 1), T(K_NEWLINE, 6, 1, 1), T(K_END, 7, 0, 2)),
		MLINT_PYSCAN_OK);
}

static void test_pyscan_endmarker_forever(void **state)
{
	static const struct {
		const char *src;
		size_t len;
	} inputs[] = {
		{"", 0}, {"x", 1}, {"x\n", 2}, {"\\", 1}, {"a\\\n", 3}, {"'", 1}, {"'''", 3},
		{"\"\"\"\n", 4}, {"(", 1}, {"f(", 2}, {"if a:\n  b", 9}, {"if a:\n  if b:\n    c", 19},
		{"\xEF\xBB\xBF", 3}, {"\xEF\xBB", 2}, {"f'{", 3}, {"f'{x", 4}, {"f\"\"\"{\n", 6},
		{"f'{'", 4}, {"f'{\"", 4}, {"\r", 1}, {"\t", 1}, {"#", 1}, {"\x00", 1},
		{"b'\\", 3}, {"'''\\", 4}, {"$?`", 3}, {"  x\n y\n", 8}, {"\f\n", 2},
		{"1e", 2}, {"0x", 2}, {"...", 3}, {"**=", 3}, {")", 1}, {"]]]", 3},
	};
	(void)state;

	for (size_t i = 0; i < NR_OF(inputs); i++) {
		size_t len = inputs[i].len;
		char *buf = exact_copy(inputs[i].src, len);
		struct mlint_pyscan s;
		struct mlint_token t, end;
		size_t n = 0;

		print_message("input %zu\n", i);
		mlint_pyscan_init(&s, buf, len);
		do {
			assert_int_equal(mlint_pyscan_next(&s, &t), 0);
			assert_true(t.off <= len);
			assert_true(t.off + t.len <= len);
			assert_true(++n < 1000);
		} while (t.kind != K_END);
		end = t;
		assert_int_equal(end.len, 0);
		for (int k = 0; k < 50; k++) {
			assert_int_equal(mlint_pyscan_next(&s, &t), 0);
			assert_int_equal(t.kind, K_END);
			assert_int_equal(t.off, end.off);
			assert_int_equal(t.line, end.line);
		}
		mlint_pyscan_release(&s);
		free(buf);
	}
}

static void test_pyscan_empty_input(void **state)
{
	(void)state;
	assert_int_equal(TOKENS("", T(K_END, 0, 0, 1)), MLINT_PYSCAN_OK);
	assert_int_equal(TOKENS("\n", T(K_NL, 0, 1, 1), T(K_END, 1, 0, 2)), MLINT_PYSCAN_OK);
}

static void test_pyscan_many_unterminated_quotes(void **state)
{
	enum { N = 100000 };
	char *src = malloc(2 * N);
	struct mlint_pyscan s;
	struct mlint_token t;
	size_t strings = 0, n = 0;
	(void)state;

	assert_non_null(src);
	for (size_t i = 0; i < N; i++) {
		src[2 * i] = '\'';
		src[2 * i + 1] = '\n';
	}
	mlint_pyscan_init(&s, src, 2 * N);
	do {
		assert_int_equal(mlint_pyscan_next(&s, &t), 0);
		if (t.kind == K_STR) {
			assert_true(t.flags & F_UNTERM);
			assert_int_equal(t.len, 1);
			strings++;
		}
		assert_true(++n <= 2 * N + 2);
	} while (t.kind != K_END);
	assert_int_equal(strings, N);
	assert_int_equal(t.line, N + 1);
	assert_int_equal(s.problem, MLINT_PYSCAN_UNTERMINATED_STRING);
	assert_int_equal(s.problem_line, 1);
	mlint_pyscan_release(&s);
	free(src);
}

/* ---- other tokens ---------------------------------------------------- */

static void test_pyscan_operators_and_numbers(void **state)
{
	(void)state;
	assert_int_equal(TOKENS("def f(a) -> None: return a ** 2 != 1.5e-3\n",
		T(K_NAME, 0, 3, 1), T(K_NAME, 4, 1, 1), T('(', 5, 1, 1), T(K_NAME, 6, 1, 1),
		T(')', 7, 1, 1), T(K_OP, 9, 2, 1), T(K_NAME, 12, 4, 1), T(':', 16, 1, 1),
		T(K_NAME, 18, 6, 1), T(K_NAME, 25, 1, 1), T(K_OP, 27, 2, 1), T(K_NUM, 30, 1, 1),
		T(K_OP, 32, 2, 1), T(K_NUM, 35, 6, 1), T(K_NEWLINE, 41, 1, 1),
		T(K_END, 42, 0, 2)),
		MLINT_PYSCAN_OK);
	assert_int_equal(TOKENS("x **= ...; y := 0x1F\n",
		T(K_NAME, 0, 1, 1), T(K_OP, 2, 3, 1), T(K_OP, 6, 3, 1), T(';', 9, 1, 1),
		T(K_NAME, 11, 1, 1), T(K_OP, 13, 2, 1), T(K_NUM, 16, 4, 1),
		T(K_NEWLINE, 20, 1, 1), T(K_END, 21, 0, 2)),
		MLINT_PYSCAN_OK);
	assert_int_equal(TOKENS("a $\n",
		T(K_NAME, 0, 1, 1), T(K_ERR, 2, 1, 1), T(K_NEWLINE, 3, 1, 1), T(K_END, 4, 0, 2)),
		MLINT_PYSCAN_BAD_CHARACTER);
}

static void test_pyscan_kind_and_problem_names(void **state)
{
	char tmp[8];
	(void)state;

	assert_string_equal(mlint_tok_kind_name(K_NAME, tmp), "NAME");
	assert_string_equal(mlint_tok_kind_name(K_END, tmp), "ENDMARKER");
	assert_string_equal(mlint_tok_kind_name(K_ERR, tmp), "ERRORTOKEN");
	assert_string_equal(mlint_tok_kind_name('(', tmp), "'('");
	assert_string_equal(mlint_pyscan_problem_text(MLINT_PYSCAN_OK), "no problem");
	assert_non_null(strstr(mlint_pyscan_problem_text(MLINT_PYSCAN_UNTERMINATED_STRING),
			       "unterminated"));
	assert_non_null(strstr(mlint_pyscan_problem_text(MLINT_PYSCAN_UNCLOSED_BRACKET),
			       "never closed"));
}

static void test_pyscan_reentrant(void **state)
{
	static const char a[] = "x = 1\n";
	static const char b[] = "if y:\n    z\n";
	static const int ka[] = {K_NAME, '=', K_NUM, K_NEWLINE, K_END, K_END};
	static const int kb[] = {K_NAME, K_NAME, ':', K_NEWLINE, K_INDENT, K_NAME};
	struct mlint_pyscan sa, sb;
	struct mlint_token t;
	(void)state;

	mlint_pyscan_init(&sa, a, strlen(a));
	mlint_pyscan_init(&sb, b, strlen(b));
	for (size_t i = 0; i < NR_OF(ka); i++) {
		assert_int_equal(mlint_pyscan_next(&sa, &t), 0);
		assert_int_equal(t.kind, ka[i]);
		assert_int_equal(mlint_pyscan_next(&sb, &t), 0);
		assert_int_equal(t.kind, kb[i]);
	}
	mlint_pyscan_release(&sa);
	mlint_pyscan_release(&sb);
}

/* ---- string values --------------------------------------------------- */

static void test_pyscan_string_value_decoding(void **state)
{
	static const struct {
		const char *src, *value;
	} cases[] = {
		{"'a\\nb'", "a\nb"},
		{"'\\t'", "\t"},
		{"'\\\\'", "\\"},
		{"'\\''", "'"},
		{"\"\\\"\"", "\""},
		{"'\\a\\b\\f\\v\\r'", "\a\b\f\v\r"},
		{"'\\x41'", "A"},
		{"'\\x4a\\x4A'", "JJ"},
		{"'\\u00e9'", "\xC3\xA9"},
		{"'\\u20ac'", "\xE2\x82\xAC"},
		{"'\\U0001F600'", "\xF0\x9F\x98\x80"},
		{"u'caf\\xe9'", "caf\xC3\xA9"},
		{"'\\101\\7'", "A\a"},
		{"'\\1234'", "S4"},
		{"'\\62x'", "2x"},
		{"'\\777'", "\xC7\xBF"},
		{"r'\\n\\t'", "\\n\\t"},
		{"R\"\\x41\"", "\\x41"},
		{"rb'\\n'", "\\n"},
		{"b'\\x41'", "A"},
		{"b'\\u00e9'", "\\u00e9"},
		{"'\\q\\d'", "\\q\\d"},
		{"'\\x4g'", "\\x4g"},
		{"'a\\\nb'", "ab"},
		{"'a\\\r\nb'", "ab"},
		{"\"\"\"a\nb\"\"\"", "a\nb"},
		{"'''it's'''", "it's"},
		{"''", ""},
		{"\"\"\"\"\"\"", ""},
		{"'abc", "abc"},
		{"\"\"\"abc", "abc"},
		{"'ab\\", "ab\\"},
		{"'\xC3\xA9'", "\xC3\xA9"},
	};
	(void)state;

	for (size_t i = 0; i < NR_OF(cases); i++) {
		struct mlint_token t;
		char *v;
		print_message("case %zu: %s\n", i, cases[i].src);
		first_string(cases[i].src, &t);
		assert_int_equal(t.off + t.len, strlen(cases[i].src));
		assert_non_null(v = mlint_pyscan_string_value(cases[i].src, &t));
		assert_string_equal(v, cases[i].value);
		free(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pyscan_string_prefixes),
		cmocka_unit_test(test_pyscan_string_prefix_ur_is_not_a_prefix),
		cmocka_unit_test(test_pyscan_quotes_single_double_triple),
		cmocka_unit_test(test_pyscan_escaped_quotes),
		cmocka_unit_test(test_pyscan_comments),
		cmocka_unit_test(test_pyscan_backslash_continuation),
		cmocka_unit_test(test_pyscan_brackets_across_lines),
		cmocka_unit_test(test_pyscan_crlf_and_lone_cr),
		cmocka_unit_test(test_pyscan_utf8_bom),
		cmocka_unit_test(test_pyscan_tabs),
		cmocka_unit_test(test_pyscan_bad_dedent),
		cmocka_unit_test(test_pyscan_indent_dedent_nested),
		cmocka_unit_test(test_pyscan_blank_and_comment_lines_no_indent),
		cmocka_unit_test(test_pyscan_fstring_nested_quotes),
		cmocka_unit_test(test_pyscan_fstring_brace_escapes),
		cmocka_unit_test(test_pyscan_fstring_triple_multiline_field),
		cmocka_unit_test(test_pyscan_fstring_dict_in_field),
		cmocka_unit_test(test_pyscan_unterminated_string),
		cmocka_unit_test(test_pyscan_unterminated_triple),
		cmocka_unit_test(test_pyscan_unclosed_bracket),
		cmocka_unit_test(test_pyscan_endmarker_forever),
		cmocka_unit_test(test_pyscan_empty_input),
		cmocka_unit_test(test_pyscan_many_unterminated_quotes),
		cmocka_unit_test(test_pyscan_operators_and_numbers),
		cmocka_unit_test(test_pyscan_kind_and_problem_names),
		cmocka_unit_test(test_pyscan_reentrant),
		cmocka_unit_test(test_pyscan_string_value_decoding),
	};
	/* Selects tests by glob, e.g. one at a time under a sanitizer that
	 * aborts the process on its first report. */
	if (getenv("MLINT_TEST_FILTER"))
		cmocka_set_test_filter(getenv("MLINT_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
