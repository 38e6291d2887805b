#include <stdio.h>
#include <string.h>
#include "mlint/pyscan.h"
#include "util.h"

#define TAB_SIZE 8

static inline int at_eof(const struct mlint_pyscan *s)
{
	return s->pos >= s->len;
}

static inline unsigned char peek(const struct mlint_pyscan *s)
{
	return s->pos < s->len ? (unsigned char)s->src[s->pos] : 0;
}

static inline unsigned char peek_at(const struct mlint_pyscan *s, size_t ahead)
{
	return s->pos + ahead < s->len ? (unsigned char)s->src[s->pos + ahead] : 0;
}

/* Bytes of names: ASCII letters, digits, '_' and every non-ASCII byte (a
 * UTF-8 identifier; bad sequences are reported by the extractor). Bit 1:
 * may start a name; bit 2: may continue one. A table: the tokenizer asks
 * for every byte of every name. */
#define NAME_START 1
#define NAME_CHAR 2
static const unsigned char name_class[256] = {
#define L3(c) [c] = 3
#define R10(a) L3(a), L3(a + 1), L3(a + 2), L3(a + 3), L3(a + 4), L3(a + 5), L3(a + 6), L3(a + 7), L3(a + 8), L3(a + 9)
	R10('a'), R10('a' + 10), L3('u'), L3('v'), L3('w'), L3('x'), L3('y'), L3('z'),
	R10('A'), R10('A' + 10), L3('U'), L3('V'), L3('W'), L3('X'), L3('Y'), L3('Z'), L3('_'),
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2,
	['8'] = 2, ['9'] = 2,
	R10(0x80), R10(0x8a), R10(0x94), R10(0x9e), R10(0xa8), R10(0xb2), R10(0xbc), R10(0xc6),
	R10(0xd0), R10(0xda), R10(0xe4), R10(0xee), L3(0xf8), L3(0xf9), L3(0xfa), L3(0xfb),
	L3(0xfc), L3(0xfd), L3(0xfe), L3(0xff),
#undef R10
#undef L3
};

static inline int is_name_start(unsigned char c)
{
	return name_class[c] & NAME_START;
}

static inline int is_name_char(unsigned char c)
{
	return name_class[c] & NAME_CHAR;
}

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the line end at the cursor: 2 for CRLF, 1 for LF or CR, else 0. */
static inline size_t newline_len(const struct mlint_pyscan *s)
{
	unsigned char c = peek(s);
	if (c == '\n')
		return 1;
	if (c == '\r')
		return peek_at(s, 1) == '\n' ? 2 : 1;
	return 0;
}

static void advance_newline(struct mlint_pyscan *s, size_t n)
{
	s->pos += n;
	s->line++;
	s->line_off = s->pos;
}

static void note_problem(struct mlint_pyscan *s, enum mlint_pyscan_problem p,
			 size_t off, unsigned line, size_t line_off)
{
	if (s->problem != MLINT_PYSCAN_OK)
		return;
	s->problem = p;
	s->problem_off = off;
	s->problem_line = line;
	s->problem_line_off = line_off;
}

void mlint_pyscan_init(struct mlint_pyscan *s, const char *src, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
	s->len = len;
	s->line = 1;
	s->at_line_start = 1;
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		s->pos = s->line_off = 3;
}

void mlint_pyscan_release(struct mlint_pyscan *s)
{
	free(s->indents);
	s->indents = NULL;
	s->nr_indents = s->alloc_indents = 0;
}

static void start_token(const struct mlint_pyscan *s, struct mlint_token *t, int kind)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->off = s->pos;
	t->line = s->line;
	t->line_off = s->line_off;
}

static void end_token(const struct mlint_pyscan *s, struct mlint_token *t)
{
	t->len = s->pos - t->off;
}

/*
 * Measures the indentation of a new line. Returns 1 when the line is blank
 * or holds only a comment (such lines make no INDENT/DEDENT), else 0.
 */
static int measure_indent(struct mlint_pyscan *s, unsigned *col_out)
{
	unsigned col = 0;

	for (;;) {
		unsigned char c = peek(s);
		if (c == ' ')
			col++;
		else if (c == '\t')
			col = (col / TAB_SIZE + 1) * TAB_SIZE;
		else if (c == '\f')
			col = 0;
		else
			break;
		s->pos++;
	}
	*col_out = col;
	return at_eof(s) || peek(s) == '#' || newline_len(s) > 0;
}

static int push_indent(struct mlint_pyscan *s, unsigned col)
{
	if (MLINT_ARRAY_GROW(s->indents, s->alloc_indents, s->nr_indents + 1) < 0)
		return MLINT_ERROR;
	s->indents[s->nr_indents++] = col;
	return 0;
}

static inline unsigned current_indent(const struct mlint_pyscan *s)
{
	return s->nr_indents ? s->indents[s->nr_indents - 1] : 0;
}

/* Compares a new line's indentation with the stack: INDENT, DEDENTs or none. */
static int handle_indent(struct mlint_pyscan *s, struct mlint_token *out, int *emitted)
{
	unsigned col;

	*emitted = 0;
	if (measure_indent(s, &col))
		return 0;
	s->at_line_start = 0;
	if (col > current_indent(s)) {
		if (push_indent(s, col) < 0)
			return MLINT_ERROR;
		start_token(s, out, MLINT_TOK_INDENT);
		out->off = s->line_off;
		out->len = s->pos - s->line_off;
		*emitted = 1;
		return 0;
	}
	while (col < current_indent(s)) {
		s->nr_indents--;
		s->pending_dedents++;
	}
	if (col != current_indent(s))
		note_problem(s, MLINT_PYSCAN_BAD_DEDENT, s->pos, s->line, s->line_off);
	return 0;
}

static size_t string_prefix_len(const struct mlint_pyscan *s)
{
	size_t i = 0;
	int seen_r = 0, seen_other = 0;

	while (i < 3) {
		unsigned char c = peek_at(s, i) | 0x20;
		if (c == 'r' && !seen_r)
			seen_r = 1;
		else if ((c == 'b' || c == 'u' || c == 'f' || c == 't') && !seen_other)
			seen_other = c;
		else
			break;
		i++;
	}
	if (i == 0 || (peek_at(s, i) != '\'' && peek_at(s, i) != '"'))
		return 0;
	if (seen_other == 'u' && seen_r)
		return 0; /* "ur" is not a prefix in Python 3 */
	return i;
}

static unsigned prefix_flags(const char *p, size_t n)
{
	unsigned flags = 0;
	for (size_t i = 0; i < n; i++) {
		switch (p[i] | 0x20) {
		case 'r': flags |= MLINT_STR_RAW; break;
		case 'b': flags |= MLINT_STR_BYTES; break;
		case 'f': case 't': flags |= MLINT_STR_FORMAT; break;
		default: break;
		}
	}
	return flags;
}

static int scan_string_body(struct mlint_pyscan *s, unsigned char q, int triple, int format);

/* Skips a string literal nested in an f-string field; stays on one line
 * unless triple-quoted. */
static void skip_nested_string(struct mlint_pyscan *s)
{
	unsigned char q = peek(s);
	int triple = peek_at(s, 1) == q && peek_at(s, 2) == q;

	s->pos += triple ? 3 : 1;
	scan_string_body(s, q, triple, 0);
}

/*
 * Skips an f-string replacement field from its '{' to the matching '}'.
 * Nested brackets and strings (Python 3.12 allows any quote there) are
 * skipped whole. Returns 0, or -1 when a line end ends a one-line string.
 */
static int skip_format_field(struct mlint_pyscan *s, int triple)
{
	unsigned depth = 0;

	while (!at_eof(s)) {
		unsigned char c = peek(s);
		size_t nl = newline_len(s);
		if (nl) {
			if (!triple)
				return -1;
			advance_newline(s, nl);
			continue;
		}
		if (c == '\'' || c == '"') {
			skip_nested_string(s);
			continue;
		}
		s->pos++;
		if (c == '{' || c == '[' || c == '(')
			depth++;
		else if (c == '}' || c == ']' || c == ')') {
			if (depth == 0)
				return 0; /* the field's own closing brace */
			depth--;
		}
	}
	return 0;
}

/*
 * The body of a string after its opening quotes, up to and past its closing
 * ones: 1 when it closed; 0 when a line end ended a one-line string (the
 * position is left on that line end) or the input ended. With `format`,
 * replacement fields are skipped whole ("{{" is a literal brace).
 */
/* Bytes a string body must look at besides its quote; '{' only in f-strings. */
static const unsigned char string_stop[2][256] = {
	{['\\'] = 1, ['\n'] = 1, ['\r'] = 1},
	{['\\'] = 1, ['\n'] = 1, ['\r'] = 1, ['{'] = 1},
};

static int scan_string_body(struct mlint_pyscan *s, unsigned char q, int triple, int format)
{
	const unsigned char *src = (const unsigned char *)s->src;
	const unsigned char *stop = string_stop[format != 0];

	while (!at_eof(s)) {
		unsigned char c;
		size_t nl, pos = s->pos;
		const size_t len = s->len;
		/* most bytes of a string are none of those: skip them in a tight
		 * loop, on locals (a store through `s` could alias the bytes) */
		while (pos < len && src[pos] != q && !stop[src[pos]])
			pos++;
		s->pos = pos;
		if (at_eof(s))
			break;
		c = src[s->pos];
		nl = newline_len(s);
		if (c == '\\') {
			s->pos++;
			if ((nl = newline_len(s)) > 0)
				advance_newline(s, nl);
			else if (!at_eof(s))
				s->pos++;
			continue;
		}
		if (c == q && (!triple || (peek_at(s, 1) == q && peek_at(s, 2) == q))) {
			s->pos += triple ? 3 : 1;
			return 1;
		}
		if (nl) {
			if (!triple)
				return 0; /* unterminated: ends at its line */
			advance_newline(s, nl);
			continue;
		}
		s->pos++;
		if (c == '{' && format) {
			if (peek(s) == '{')
				s->pos++;
			else if (skip_format_field(s, triple) < 0)
				return 0;
		}
	}
	return 0;
}

static void scan_string(struct mlint_pyscan *s, struct mlint_token *t, size_t prefix)
{
	unsigned char q;
	int triple;

	start_token(s, t, MLINT_TOK_STRING);
	t->flags = prefix_flags(s->src + s->pos, prefix);
	t->prefix_len = (unsigned)prefix;
	s->pos += prefix;
	q = peek(s);
	triple = peek_at(s, 1) == q && peek_at(s, 2) == q;
	if (triple)
		t->flags |= MLINT_STR_TRIPLE;
	s->pos += triple ? 3 : 1;
	if (scan_string_body(s, q, triple, (t->flags & MLINT_STR_FORMAT) != 0)) {
		end_token(s, t);
		return;
	}
	t->flags |= MLINT_STR_UNTERMINATED;
	end_token(s, t);
	note_problem(s, triple ? MLINT_PYSCAN_UNTERMINATED_TRIPLE : MLINT_PYSCAN_UNTERMINATED_STRING,
		     t->off, t->line, t->line_off);
}

static void scan_number(struct mlint_pyscan *s, struct mlint_token *t)
{
	start_token(s, t, MLINT_TOK_NUMBER);
	while (!at_eof(s)) {
		unsigned char c = peek(s);
		if (is_name_char(c) || c == '.') {
			int exp = (c | 0x20) == 'e';
			s->pos++;
			if (exp && (peek(s) == '+' || peek(s) == '-'))
				s->pos++;
		} else {
			break;
		}
	}
	end_token(s, t);
}

static void scan_name(struct mlint_pyscan *s, struct mlint_token *t)
{
	start_token(s, t, MLINT_TOK_NAME);
	const unsigned char *p = (const unsigned char *)s->src + s->pos,
			    *end = (const unsigned char *)s->src + s->len;
	while (p < end && is_name_char(*p))
		p++;
	s->pos = (size_t)(p - (const unsigned char *)s->src);
	end_token(s, t);
}

static void scan_comment(struct mlint_pyscan *s, struct mlint_token *t)
{
	const char *nl, *cr;

	start_token(s, t, MLINT_TOK_COMMENT);
	/* to the line end: LF, or a CR (CRLF, or a lone CR) before it */
	nl = memchr(s->src + s->pos, '\n', s->len - s->pos);
	cr = memchr(s->src + s->pos, '\r', (nl ? (size_t)(nl - s->src) : s->len) - s->pos);
	s->pos = cr ? (size_t)(cr - s->src) : nl ? (size_t)(nl - s->src) : s->len;
	end_token(s, t);
}

static const char *const multi_ops[] = {
	"**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=",
	"**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
	"@=", "<>", NULL,
};

static void scan_operator(struct mlint_pyscan *s, struct mlint_token *t)
{
	unsigned char c = peek(s);

	start_token(s, t, c);
	/* Every operator of two or three bytes has one of these second bytes. */
	static const unsigned char second[256] = {['='] = 1, ['*'] = 1, ['/'] = 1, ['<'] = 1,
						  ['>'] = 1, ['.'] = 1};
	if (!second[peek_at(s, 1)])
		goto single;
	for (size_t i = 0; multi_ops[i]; i++) {
		size_t n = strlen(multi_ops[i]);
		if (s->pos + n <= s->len && memcmp(s->src + s->pos, multi_ops[i], n) == 0) {
			t->kind = MLINT_TOK_OP;
			s->pos += n;
			end_token(s, t);
			return;
		}
	}
single:
	s->pos++;
	end_token(s, t);
	if (c == '(' || c == '[' || c == '{') {
		if (s->paren_depth++ == 0) {
			s->bracket_off = t->off;
			s->bracket_line = t->line;
			s->bracket_line_off = t->line_off;
		}
	} else if ((c == ')' || c == ']' || c == '}') && s->paren_depth > 0) {
		s->paren_depth--;
	}
}

static const unsigned char operator_byte[256] = {
	['('] = 1, [')'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [':'] = 1, [';'] = 1,
	[','] = 1, ['.'] = 1, ['='] = 1, ['+'] = 1, ['-'] = 1, ['*'] = 1, ['/'] = 1, ['%'] = 1,
	['&'] = 1, ['|'] = 1, ['^'] = 1, ['~'] = 1, ['<'] = 1, ['>'] = 1, ['!'] = 1, ['@'] = 1,
};

static inline int is_operator_byte(unsigned char c)
{
	return operator_byte[c];
}

/* The letters a string prefix starts with. */
static const unsigned char may_prefix[256] = {
	['r'] = 1, ['R'] = 1, ['b'] = 1, ['B'] = 1, ['u'] = 1, ['U'] = 1,
	['f'] = 1, ['F'] = 1, ['t'] = 1, ['T'] = 1,
};

/* Tokens at end of input: NEWLINE, the DEDENTs, then ENDMARKER forever. */
static void scan_eof(struct mlint_pyscan *s, struct mlint_token *out)
{
	if (s->paren_depth > 0) {
		note_problem(s, MLINT_PYSCAN_UNCLOSED_BRACKET, s->bracket_off,
			     s->bracket_line, s->bracket_line_off);
		s->paren_depth = 0;
	}
	if (s->line_has_tokens) {
		start_token(s, out, MLINT_TOK_NEWLINE);
		s->line_has_tokens = 0;
		return;
	}
	if (s->nr_indents > 0) {
		s->nr_indents--;
		start_token(s, out, MLINT_TOK_DEDENT);
		return;
	}
	s->done = 1;
	start_token(s, out, MLINT_TOK_ENDMARKER);
}

static void scan_newline(struct mlint_pyscan *s, struct mlint_token *out, size_t nl)
{
	int logical = s->line_has_tokens && s->paren_depth == 0;

	start_token(s, out, logical ? MLINT_TOK_NEWLINE : MLINT_TOK_NL);
	s->pos += nl;
	end_token(s, out);
	s->line++;
	s->line_off = s->pos;
	if (s->paren_depth == 0) {
		s->at_line_start = 1;
		s->line_has_tokens = 0;
	}
}

int mlint_pyscan_next(struct mlint_pyscan *s, struct mlint_token *out)
{
	for (;;) {
		unsigned char c;
		size_t nl, prefix;

		if (s->pending_dedents > 0) {
			s->pending_dedents--;
			start_token(s, out, MLINT_TOK_DEDENT);
			return 0;
		}
		if (s->at_line_start && s->paren_depth == 0) {
			int emitted;
			if (handle_indent(s, out, &emitted) < 0)
				return MLINT_ERROR;
			if (emitted)
				return 0;
			if (s->pending_dedents > 0)
				continue;
		}
		if (at_eof(s)) {
			scan_eof(s, out);
			return 0;
		}
		c = peek(s);
		if (c == ' ' || c == '\t' || c == '\f') {
			do
				s->pos++;
			while (s->pos < s->len && (s->src[s->pos] == ' ' || s->src[s->pos] == '\t'));
			continue;
		}
		if ((nl = newline_len(s)) > 0) {
			scan_newline(s, out, nl);
			return 0;
		}
		if (c == '#') {
			scan_comment(s, out);
			return 0;
		}
		if (c == '\\' && (s->pos + 1 >= s->len || peek_at(s, 1) == '\n' || peek_at(s, 1) == '\r')) {
			/* Line continuation: join with the next line. */
			s->pos++;
			if ((nl = newline_len(s)) > 0)
				advance_newline(s, nl);
			continue;
		}
		s->at_line_start = 0;
		s->line_has_tokens = 1;
		prefix = may_prefix[c] ? string_prefix_len(s) : 0;
		if (prefix > 0 || c == '\'' || c == '"') {
			scan_string(s, out, prefix);
		} else if (is_name_start(c)) {
			scan_name(s, out);
		} else if (is_digit(c) || (c == '.' && is_digit(peek_at(s, 1)))) {
			scan_number(s, out);
		} else if (is_operator_byte(c)) {
			scan_operator(s, out);
		} else {
			start_token(s, out, MLINT_TOK_ERRORTOKEN);
			s->pos++;
			end_token(s, out);
			note_problem(s, MLINT_PYSCAN_BAD_CHARACTER, out->off, out->line, out->line_off);
		}
		return 0;
	}
}

/* ---- skimming a block ---------------------------------------------------- */

/* Bytes the skim must look at; every other byte is skipped in a tight loop. */
static const unsigned char skim_stop[256] = {
	['\n'] = 1, ['\r'] = 1, ['#'] = 1, ['\''] = 1, ['"'] = 1, ['\\'] = 1,
	['('] = 1, ['['] = 1, ['{'] = 1, [')'] = 1, [']'] = 1, ['}'] = 1,
};

/* The prefix of the string whose quote is at `q` (0 when none): up to three
 * prefix letters right before it, not glued to a longer name. */
static size_t prefix_before(const struct mlint_pyscan *s, size_t q)
{
	size_t n = 0;
	while (n < 3 && q > n && s->src[q - n - 1] != '\0' &&
	       strchr("rRbBuUfFtT", s->src[q - n - 1]))
		n++;
	while (n > 0) {
		size_t start = q - n;
		if (start == 0 || !is_name_char((unsigned char)s->src[start - 1])) {
			struct mlint_pyscan probe = *s;
			probe.pos = start;
			if (string_prefix_len(&probe) == n)
				return n;
		}
		n--;
	}
	return 0;
}

/* Skips the string whose quote is at the cursor, as scan_string would. */
static void skim_string(struct mlint_pyscan *s)
{
	size_t prefix = prefix_before(s, s->pos), off = s->pos - prefix, line_off = s->line_off;
	unsigned line = s->line;
	unsigned char q = peek(s);
	int triple = peek_at(s, 1) == q && peek_at(s, 2) == q;
	int format = (prefix_flags(s->src + off, prefix) & MLINT_STR_FORMAT) != 0;

	s->pos += triple ? 3 : 1;
	if (!scan_string_body(s, q, triple, format))
		note_problem(s, triple ? MLINT_PYSCAN_UNTERMINATED_TRIPLE
				       : MLINT_PYSCAN_UNTERMINATED_STRING, off, line, line_off);
}

/* After a line end outside brackets: 1 when the line at the cursor starts a
 * logical line indented less than `block` (the block ends there). */
static int ends_block(const struct mlint_pyscan *s, unsigned block)
{
	struct mlint_pyscan probe = *s;
	unsigned col;
	return !measure_indent(&probe, &col) && col < block;
}

int mlint_pyscan_skip_block(struct mlint_pyscan *s)
{
	const unsigned block = current_indent(s);
	const unsigned char *src = (const unsigned char *)s->src;

	while (!at_eof(s)) {
		unsigned char c;
		size_t nl, pos = s->pos;
		const size_t len = s->len;
		/* the bytes that matter are few: the rest in a tight loop, on
		 * locals (a store through `s` could alias the bytes) */
		while (pos < len && !skim_stop[src[pos]])
			pos++;
		s->pos = pos;
		if (pos >= len)
			break;
		c = src[pos];
		if ((nl = newline_len(s)) > 0) {
			advance_newline(s, nl);
			if (s->paren_depth == 0 && ends_block(s, block))
				break;
		} else if (c == '#') {
			while (pos < len && src[pos] != '\n' && src[pos] != '\r')
				pos++;
			s->pos = pos;
		} else if (c == '\'' || c == '"') {
			skim_string(s);
		} else if (c == '\\') {
			s->pos++;
			if ((nl = newline_len(s)) > 0)
				advance_newline(s, nl); /* a continued line: not a new statement */
		} else if (c == '(' || c == '[' || c == '{') {
			if (s->paren_depth++ == 0) {
				s->bracket_off = s->pos;
				s->bracket_line = s->line;
				s->bracket_line_off = s->line_off;
			}
			s->pos++;
		} else {
			if (s->paren_depth > 0)
				s->paren_depth--;
			s->pos++;
		}
	}
	s->at_line_start = 1;
	s->line_has_tokens = 0;
	return 0;
}

const char *mlint_pyscan_problem_text(enum mlint_pyscan_problem p)
{
	switch (p) {
	case MLINT_PYSCAN_OK: return "no problem";
	case MLINT_PYSCAN_UNTERMINATED_STRING: return "unterminated string literal";
	case MLINT_PYSCAN_UNTERMINATED_TRIPLE: return "unterminated triple-quoted string";
	case MLINT_PYSCAN_UNCLOSED_BRACKET: return "bracket is never closed";
	case MLINT_PYSCAN_BAD_DEDENT: return "unindent does not match any outer indentation level";
	case MLINT_PYSCAN_BAD_CHARACTER: return "invalid character in Python source";
	}
	return "?";
}

const char *mlint_tok_kind_name(int kind, char tmp[8])
{
	static const char *const names[] = {
		"ENDMARKER", "NAME", "NUMBER", "STRING", "NEWLINE", "NL", "INDENT",
		"DEDENT", "COMMENT", "OP", "ERRORTOKEN",
	};
	if (kind >= MLINT_TOK_ENDMARKER && kind <= MLINT_TOK_ERRORTOKEN)
		return names[kind - MLINT_TOK_ENDMARKER];
	snprintf(tmp, 8, "'%c'", (char)kind);
	return tmp;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

/* Output of the string decoder; sized by the caller for the worst case. */
struct out_bytes {
	char *p;
	size_t n;
};

static void put_utf8(struct out_bytes *b, unsigned long cp)
{
	if (cp < 0x80) {
		b->p[b->n++] = (char)cp;
	} else if (cp < 0x800) {
		b->p[b->n++] = (char)(0xC0 | (cp >> 6));
		b->p[b->n++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		b->p[b->n++] = (char)(0xE0 | (cp >> 12));
		b->p[b->n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b->p[b->n++] = (char)(0x80 | (cp & 0x3F));
	} else {
		b->p[b->n++] = (char)(0xF0 | (cp >> 18));
		b->p[b->n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b->p[b->n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b->p[b->n++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* Decodes \xhh, \uhhhh, \Uhhhhhhhh; returns bytes consumed after '\\' or 0. */
static size_t decode_hex_escape(const char *p, size_t n, struct out_bytes *b)
{
	size_t digits = p[0] == 'x' ? 2 : p[0] == 'u' ? 4 : 8;
	unsigned long cp = 0;

	if (n < digits + 1)
		return 0;
	for (size_t i = 1; i <= digits; i++) {
		int v = hex_value((unsigned char)p[i]);
		if (v < 0)
			return 0;
		cp = cp * 16 + (unsigned long)v;
	}
	if (cp > 0x10FFFF)
		return 0;
	put_utf8(b, cp);
	return digits + 1;
}

static size_t decode_escape(const char *p, size_t n, struct out_bytes *b, int bytes)
{
	static const char simple_in[] = "\\'\"abfnrtv";
	static const char simple_out[] = "\\'\"\a\b\f\n\r\t\v";
	const char *hit;

	if (n == 0)
		return 0;
	if (p[0] == '\n')
		return 1;
	if (p[0] == '\r')
		return n > 1 && p[1] == '\n' ? 2 : 1;
	if ((hit = strchr(simple_in, p[0])) != NULL && p[0]) {
		b->p[b->n++] = simple_out[hit - simple_in];
		return 1;
	}
	if (p[0] >= '0' && p[0] <= '7') {
		unsigned v = 0;
		size_t i = 0;
		while (i < 3 && i < n && p[i] >= '0' && p[i] <= '7')
			v = v * 8 + (unsigned)(p[i++] - '0');
		put_utf8(b, v & 0x1FF);
		return i;
	}
	if (p[0] == 'x' || (!bytes && (p[0] == 'u' || p[0] == 'U')))
		return decode_hex_escape(p, n, b);
	return 0;
}

void mlint_pyscan_string_body(const struct mlint_token *tok, size_t *start, size_t *end)
{
	size_t quote = (tok->flags & MLINT_STR_TRIPLE) ? 3 : 1;
	*start = tok->off + tok->prefix_len + quote;
	*end = tok->off + tok->len;
	if (!(tok->flags & MLINT_STR_UNTERMINATED) && *end >= *start + quote)
		*end -= quote;
	if (*end < *start)
		*end = *start;
}

size_t mlint_pyscan_string_value_max(const struct mlint_token *tok)
{
	size_t start, end;
	mlint_pyscan_string_body(tok, &start, &end);
	/* A decoded escape is never longer than 4 bytes of output for the
	 * at-least-2 input bytes it takes, so 2x input is enough. */
	return (end - start) * 2 + 1;
}

size_t mlint_pyscan_string_decode(const char *src, const struct mlint_token *tok, char *out)
{
	size_t start, end;
	struct out_bytes b;

	mlint_pyscan_string_body(tok, &start, &end);
	if ((tok->flags & MLINT_STR_RAW) || !memchr(src + start, '\\', end - start)) {
		memcpy(out, src + start, end - start); /* nothing to decode */
		out[end - start] = '\0';
		return end - start;
	}
	b.p = out;
	b.n = 0;
	for (size_t i = start; i < end;) {
		if (src[i] == '\\' && !(tok->flags & MLINT_STR_RAW)) {
			size_t used = decode_escape(src + i + 1, end - i - 1, &b,
						    !!(tok->flags & MLINT_STR_BYTES));
			if (used) {
				i += 1 + used;
				continue;
			}
		}
		b.p[b.n++] = src[i++];
	}
	b.p[b.n] = '\0';
	return b.n;
}

char *mlint_pyscan_string_value(const char *src, const struct mlint_token *tok)
{
	char *out = malloc(mlint_pyscan_string_value_max(tok));
	if (!out) {
		mlint_error_set("out of memory");
		return NULL;
	}
	mlint_pyscan_string_decode(src, tok, out);
	return out;
}
