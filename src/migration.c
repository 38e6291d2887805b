/*
 * The extractor: reads the token stream one logical line at a time and
 * keeps what a migration declares. Module-level statements (depth 0) give
 * the identifiers, the header and the function definitions; lines inside an
 * upgrade_*, downgrade_* function give its body kind and its calls. No
 * recursion: a value or a call list is read with flat loops over the line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "mlint/migration.h"
#include "mlint/pyscan.h"
#include "arena.h"
#include "util.h"

struct comment {
	size_t off, len;
	unsigned line;
};

struct extractor {
	struct mlint_migration *m;
	const char *src;
	size_t len;
	struct mlint_token *toks; /* the current logical line */
	size_t nr_toks, alloc_toks;
	size_t col_line_off, col_off; /* last column computed, to go on from */
	unsigned col_value;
	size_t *match; /* per token of the line: index of its matching bracket */
	size_t alloc_match;
	struct comment *comments; /* top-level comments before the first def */
	size_t nr_comments, alloc_comments;
	unsigned depth;
	long cur_func;         /* index of the open function, or -1 */
	long skip_depth;       /* inside a def/class we do not track */
	unsigned pending_decorator_line;
	size_t pending_decorator_off;
	int seen_def;
	int no_calls; /* MLINT_SCAN_NO_CALLS */
	int colon_pending; /* the last logical line ended with ':' and no INDENT came yet */
	unsigned last_line;    /* where the last logical line of a function ended */
	size_t *open;          /* indexes of the open blocks, innermost last */
	size_t nr_open, alloc_open;
	/* capacity of the migration's arrays while they grow */
	size_t alloc_functions, alloc_calls, alloc_aliases, alloc_directives, alloc_blocks;
	const struct mlint_token *header_tok; /* first top-level bare string */
	int header_has_id;
	struct mlint_token header_copy;
};

static inline int tok_is(const char *src, const struct mlint_token *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == MLINT_TOK_NAME && t->len == n && memcmp(src + t->off, word, n) == 0;
}

static inline int tok_text_is(const char *src, const struct mlint_token *t, const char *text)
{
	size_t n = strlen(text);
	return t->len == n && memcmp(src + t->off, text, n) == 0;
}

/* Column in code points, 1-based: bytes that are not UTF-8 continuation
 * bytes, counted eight at a time where all eight are ASCII. */
static unsigned column_of(const char *src, size_t line_off, size_t off)
{
	unsigned col = 1;
	size_t i = line_off;

	for (; i + 8 <= off; i += 8) {
		uint64_t w;
		memcpy(&w, src + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
		col += 8;
	}
	for (; i < off; i++)
		if (((unsigned char)src[i] & 0xC0) != 0x80)
			col++;
	return col;
}

void mlint_migration_init(struct mlint_migration *m)
{
	memset(m, 0, sizeof(*m));
}

static void value_release(struct mlint_value *v)
{
	for (size_t i = 0; i < v->nr; i++)
		free(v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* The strings a scan leaves in the struct, each its own allocation until
 * compact_kept() moves them into one block. */
static void release_kept_strings(struct mlint_migration *m)
{
	value_release(&m->revision);
	value_release(&m->down_revision);
	value_release(&m->branch_labels);
	value_release(&m->depends_on);
	free(m->header.message);
	free(m->header.revision_id);
	free(m->header.revises);
	free(m->header.create_date);
	for (size_t i = 0; i < m->nr_functions; i++) {
		free(m->functions[i].name);
		free(m->functions[i].raises);
	}
	for (size_t i = 0; i < m->nr_problems; i++)
		free(m->problems[i].message);
	for (size_t i = 0; i < m->nr_directives; i++)
		free(m->directives[i].text);
}

void mlint_migration_release(struct mlint_migration *m)
{
	if (m->kept) {
		free(m->kept);
	} else {
		release_kept_strings(m);
		free(m->functions);
		free(m->problems);
		free(m->directives);
	}
	free(m->calls);
	free(m->aliases);
	free(m->blocks);
	mlint_arena_release(&m->strings);
	mlint_migration_init(m);
}

/* ---- one block for what a migration keeps ------------------------------ */

/*
 * A scan leaves a dozen small strings per file (values, header, function
 * names): 10,000 migrations are in memory at once, and as separate
 * allocations each string costs a malloc, a free and up to 24 bytes of
 * allocator overhead. compact_kept() copies them into one block of their
 * exact size, item arrays first (pointer-aligned), then the bytes.
 */
struct kept_sizes {
	size_t arrays, bytes;
};

static void size_str(struct kept_sizes *k, const char *s)
{
	if (s)
		k->bytes += strlen(s) + 1;
}

static void size_value(struct kept_sizes *k, const struct mlint_value *v)
{
	k->arrays += v->nr * sizeof(char *);
	for (size_t i = 0; i < v->nr; i++)
		size_str(k, v->items[i]);
}

static void move_str(char **field, char **at)
{
	size_t n;
	if (!*field)
		return;
	n = strlen(*field) + 1;
	memcpy(*at, *field, n);
	free(*field);
	*field = *at;
	*at += n;
}

static void move_value(struct mlint_value *v, char ***arrays, char **bytes)
{
	char **items = *arrays;
	if (!v->items)
		return;
	for (size_t i = 0; i < v->nr; i++) {
		items[i] = v->items[i];
		move_str(&items[i], bytes);
	}
	free(v->items);
	v->items = items;
	*arrays += v->nr;
}

static void compact_kept(struct mlint_migration *m);

/* Copies array `*items` (nr of `size` bytes) to *at and frees the old one. */
static void move_array(void *items_field, size_t nr, size_t size, char **at)
{
	void **items = items_field;
	if (!*items)
		return;
	memcpy(*at, *items, nr * size);
	free(*items);
	*items = *at;
	*at += nr * size;
}

void mlint_migration_compact(struct mlint_migration *m)
{
	if (!m->kept)
		compact_kept(m);
}

static void compact_kept(struct mlint_migration *m)
{
	struct mlint_value *values[] = {&m->revision, &m->down_revision, &m->branch_labels,
					&m->depends_on};
	struct kept_sizes k = {0, 0};
	size_t structs = m->nr_functions * sizeof(*m->functions) +
			 m->nr_problems * sizeof(*m->problems) +
			 m->nr_directives * sizeof(*m->directives);
	char **arrays, *bytes, *at;

	/* the structs first: their sizes keep what follows pointer-aligned */
	_Static_assert(sizeof(struct mlint_function) % sizeof(char *) == 0, "aligned");
	_Static_assert(sizeof(struct mlint_source_problem) % sizeof(char *) == 0, "aligned");
	_Static_assert(sizeof(struct mlint_directive) % sizeof(char *) == 0, "aligned");
	k.arrays = structs;
	for (size_t i = 0; i < 4; i++)
		size_value(&k, values[i]);
	size_str(&k, m->header.message);
	size_str(&k, m->header.revision_id);
	size_str(&k, m->header.revises);
	size_str(&k, m->header.create_date);
	for (size_t i = 0; i < m->nr_functions; i++) {
		size_str(&k, m->functions[i].name);
		size_str(&k, m->functions[i].raises);
	}
	for (size_t i = 0; i < m->nr_problems; i++)
		size_str(&k, m->problems[i].message);
	for (size_t i = 0; i < m->nr_directives; i++)
		size_str(&k, m->directives[i].text);
	if (k.arrays + k.bytes == 0 || !(m->kept = malloc(k.arrays + k.bytes)))
		return; /* nothing to keep, or no memory: the strings stay as they are */
	at = m->kept;
	move_array(&m->functions, m->nr_functions, sizeof(*m->functions), &at);
	move_array(&m->problems, m->nr_problems, sizeof(*m->problems), &at);
	move_array(&m->directives, m->nr_directives, sizeof(*m->directives), &at);
	arrays = (char **)(void *)at;
	bytes = (char *)m->kept + k.arrays;
	for (size_t i = 0; i < 4; i++)
		move_value(values[i], &arrays, &bytes);
	move_str(&m->header.message, &bytes);
	move_str(&m->header.revision_id, &bytes);
	move_str(&m->header.revises, &bytes);
	move_str(&m->header.create_date, &bytes);
	for (size_t i = 0; i < m->nr_functions; i++) {
		move_str(&m->functions[i].name, &bytes);
		move_str(&m->functions[i].raises, &bytes);
	}
	for (size_t i = 0; i < m->nr_problems; i++)
		move_str(&m->problems[i].message, &bytes);
	for (size_t i = 0; i < m->nr_directives; i++)
		move_str(&m->directives[i].text, &bytes);
}

void mlint_migration_drop_calls(struct mlint_migration *m)
{
	free(m->calls);
	m->calls = NULL;
	m->nr_calls = 0;
	free(m->aliases);
	m->aliases = NULL;
	m->nr_aliases = 0;
	free(m->blocks);
	m->blocks = NULL;
	m->nr_blocks = 0;
	mlint_arena_release(&m->strings);
	for (size_t i = 0; i < m->nr_functions; i++)
		m->functions[i].first_call = m->functions[i].nr_calls = 0;
}

static int add_problem(struct mlint_migration *m, unsigned line, unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int add_problem(struct mlint_migration *m, unsigned line, unsigned col, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* a file has one or two problems at most: grown one at a time */
	void *grown = realloc(m->problems, (m->nr_problems + 1) * sizeof(*m->problems));
	if (!grown)
		return mlint_error_set("out of memory");
	m->problems = grown;
	if (!(m->problems[m->nr_problems].message = mlint_strdup(text)))
		return MLINT_ERROR;
	m->problems[m->nr_problems].line = line;
	m->problems[m->nr_problems].col = col;
	m->nr_problems++;
	return 0;
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_sequence_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned long cp;

	if (p[0] < 0x80) return 1;
	if ((p[0] & 0xE0) == 0xC0) { len = 2; cp = p[0] & 0x1F; }
	else if ((p[0] & 0xF0) == 0xE0) { len = 3; cp = p[0] & 0x0F; }
	else if ((p[0] & 0xF8) == 0xF0) { len = 4; cp = p[0] & 0x07; }
	else return 0;
	if (len > n) return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80) return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Line (1-based) and line start of byte `off`: counted only when a
 * problem is found, so clean files pay nothing for it. */
static unsigned line_of(const char *src, size_t off, size_t *line_off)
{
	unsigned line = 1;
	*line_off = 0;
	for (size_t i = 0; i < off; i++) {
		if (src[i] == '\n' || (src[i] == '\r' && src[i + 1] != '\n')) {
			line++;
			*line_off = i + 1;
		}
	}
	return line;
}

/* Offset of the first byte that is not valid UTF-8, or len. ASCII runs are
 * skipped eight bytes at a time. */
static size_t first_invalid_utf8(const unsigned char *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint64_t word;
		if (i + 8 <= len) {
			memcpy(&word, p + i, 8);
			if (!(word & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence_len(p + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

static int add_byte_problem(struct mlint_migration *m, const char *src, size_t off,
			    const char *what)
{
	size_t line_off;
	unsigned line = line_of(src, off, &line_off);
	return add_problem(m, line, column_of(src, line_off, off), "%s", what);
}

/* The boundary check: NUL bytes and invalid UTF-8, first of each. */
static int check_bytes(struct mlint_migration *m, const char *src, size_t len)
{
	const char *nul = memchr(src, '\0', len);
	size_t bad = first_invalid_utf8((const unsigned char *)src, len);
	char what[96];

	if (nul && add_byte_problem(m, src, (size_t)(nul - src),
				    "NUL byte in source: Python cannot import this file") < 0)
		return MLINT_ERROR;
	if (bad < len) {
		snprintf(what, sizeof(what),
			 "invalid UTF-8 byte 0x%02X: Python cannot import this file",
			 (unsigned char)src[bad]);
		if (add_byte_problem(m, src, bad, what) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- values ---------------------------------------------------------- */

/* The source text of tokens [a, b) into `out` (room for the span and a
 * NUL), whitespace runs (also line breaks inside brackets) collapsed to one
 * space; returns its length. */
static size_t span_copy(const struct extractor *x, size_t a, size_t b, char *out)
{
	size_t from = x->toks[a].off, to = x->toks[b - 1].off + x->toks[b - 1].len;
	size_t n = 0;
	int space = 0;

	for (size_t i = from; i < to; i++) {
		char c = x->src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\' || c == '\f') {
			space = 1;
			continue;
		}
		if (space && n > 0)
			out[n++] = ' ';
		space = 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

static size_t span_size(const struct extractor *x, size_t a, size_t b)
{
	return x->toks[b - 1].off + x->toks[b - 1].len - x->toks[a].off + 1;
}

/* n bytes from malloc, or NULL with the error set. */
static char *new_bytes(size_t n)
{
	char *p = malloc(n);
	if (!p)
		mlint_error_set("out of memory");
	return p;
}

/* span_copy into a new string. */
static char *span_text(const struct extractor *x, size_t a, size_t b)
{
	char *out = new_bytes(span_size(x, a, b));
	if (out)
		span_copy(x, a, b, out);
	return out;
}

/* Whether tokens [a, b) touch, with nothing between them: "op.drop_table",
 * the usual callee, then needs no whitespace folding. */
static int span_is_tight(const struct extractor *x, size_t a, size_t b)
{
	for (size_t i = a + 1; i < b; i++)
		if (x->toks[i].off != x->toks[i - 1].off + x->toks[i - 1].len)
			return 0;
	return 1;
}

/* span_copy into the migration's arena (calls and aliases). */
static char *span_text_kept(const struct extractor *x, size_t a, size_t b)
{
	char *out;

	if (span_is_tight(x, a, b))
		return mlint_arena_strndup(&x->m->strings, x->src + x->toks[a].off,
					   span_size(x, a, b) - 1);
	if ((out = mlint_arena_alloc(&x->m->strings, span_size(x, a, b))) != NULL)
		mlint_arena_trim(&x->m->strings, out, span_copy(x, a, b, out) + 1);
	return out;
}

/* Index of the bracket closing the one at `open`, within [open, end), or end. */
static size_t matching_bracket(const struct extractor *x, size_t open, size_t end)
{
	unsigned depth = 0;
	for (size_t i = open; i < end; i++) {
		int k = x->toks[i].kind;
		if (k == '(' || k == '[' || k == '{')
			depth++;
		else if ((k == ')' || k == ']' || k == '}') && --depth == 0)
			return i;
	}
	return end;
}

static int is_plain_string(const struct mlint_token *t)
{
	return t->kind == MLINT_TOK_STRING &&
	       !(t->flags & (MLINT_STR_FORMAT | MLINT_STR_BYTES | MLINT_STR_UNTERMINATED));
}

/* A run of adjacent plain strings [a, b) is one literal (implicit
 * concatenation): the most bytes it decodes to, and the decoding into `out`. */
static size_t string_run_size(const struct extractor *x, size_t a, size_t b)
{
	size_t max = 1;
	for (size_t i = a; i < b; i++)
		max += mlint_pyscan_string_value_max(&x->toks[i]);
	return max;
}

static size_t string_run_decode(const struct extractor *x, size_t a, size_t b, char *out)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = a; i < b; i++)
		n += mlint_pyscan_string_decode(x->src, &x->toks[i], out + n);
	return n;
}

static char *string_run_value(const struct extractor *x, size_t a, size_t b)
{
	char *out = new_bytes(string_run_size(x, a, b));
	if (out)
		string_run_decode(x, a, b, out);
	return out;
}

/* string_run_value in the migration's arena (calls and aliases). */
static char *string_run_kept(const struct extractor *x, size_t a, size_t b)
{
	char *out = mlint_arena_alloc(&x->m->strings, string_run_size(x, a, b));
	if (out)
		mlint_arena_trim(&x->m->strings, out, string_run_decode(x, a, b, out) + 1);
	return out;
}

static int all_plain_strings(const struct extractor *x, size_t a, size_t b)
{
	if (a >= b)
		return 0;
	for (size_t i = a; i < b; i++)
		if (!is_plain_string(&x->toks[i]))
			return 0;
	return 1;
}

static int value_push(struct mlint_value *v, char *item, size_t *alloc)
{
	if (!item)
		return MLINT_ERROR;
	if (MLINT_ARRAY_GROW(v->items, *alloc, v->nr + 1) < 0) {
		free(item);
		return MLINT_ERROR;
	}
	v->items[v->nr++] = item;
	return 0;
}

/* Splits [a, b) on top-level commas into elements; each must be a string
 * literal. Returns 1 when all are, 0 when not (v untouched), -1 on OOM. */
static int parse_string_elements(const struct extractor *x, size_t a, size_t b,
				 struct mlint_value *v, int *had_comma)
{
	size_t alloc = 0, start = a;
	long depth = 0;
	struct mlint_value tmp = {0};

	*had_comma = 0;
	for (size_t i = a; i <= b; i++) {
		int k = i < b ? x->toks[i].kind : ',';
		if (k == '(' || k == '[' || k == '{') depth++;
		if (k == ')' || k == ']' || k == '}') depth--;
		if (k != ',' || depth != 0)
			continue;
		if (i < b)
			*had_comma = 1;
		if (start == i && i == b)
			break; /* trailing comma or empty */
		if (!all_plain_strings(x, start, i)) {
			value_release(&tmp);
			return 0;
		}
		if (value_push(&tmp, string_run_value(x, start, i), &alloc) < 0) {
			value_release(&tmp);
			return -1;
		}
		start = i + 1;
	}
	if (depth != 0 || tmp.nr == 0) {
		value_release(&tmp); /* unbalanced brackets: not a literal */
		return 0;
	}
	v->items = tmp.items;
	v->nr = tmp.nr;
	return 1;
}

static int set_expression(const struct extractor *x, size_t a, size_t b, struct mlint_value *v)
{
	size_t alloc = 0;
	v->kind = MLINT_VAL_EXPR;
	return value_push(v, a < b ? span_text(x, a, b) : mlint_strdup(""), &alloc);
}

/*
 * Reads a literal value from tokens [a, b): None, a string, a tuple or list
 * of strings, each possibly parenthesised. '' and empty sequences are None,
 * as Alembic treats them. Anything else is kept as an expression.
 */
static int parse_value(const struct extractor *x, size_t a, size_t b, struct mlint_value *v)
{
	size_t ea = a, eb = b;
	int bracket = 0, had_comma, r;

	value_release(v);
	if (a < b) {
		v->line = x->toks[a].line;
		v->col = column_of(x->src, x->toks[a].line_off, x->toks[a].off);
	}
	if (b == a + 1 && tok_is(x->src, &x->toks[a], "None")) {
		v->kind = MLINT_VAL_NONE;
		return 0;
	}
	/* Unwrap (x) and take [..] / (.., ..) as sequences. */
	while (eb > ea + 1 && (x->toks[ea].kind == '(' || x->toks[ea].kind == '[') &&
	       matching_bracket(x, ea, eb) == eb - 1) {
		bracket = x->toks[ea].kind;
		ea++;
		eb--;
		if (bracket == '[')
			break;
		if (eb > ea && x->toks[ea].kind == '(' && matching_bracket(x, ea, eb) == eb - 1)
			continue;
		break;
	}
	if (eb == ea && bracket) {
		v->kind = MLINT_VAL_NONE; /* () or [] */
		return 0;
	}
	r = parse_string_elements(x, ea, eb, v, &had_comma);
	if (r < 0)
		return MLINT_ERROR;
	if (r == 0)
		return set_expression(x, a, b, v);
	if (bracket == '[' || had_comma) {
		v->kind = v->nr ? MLINT_VAL_SEQ : MLINT_VAL_NONE;
		return 0;
	}
	v->kind = v->items[0][0] ? MLINT_VAL_STR : MLINT_VAL_NONE;
	if (v->kind == MLINT_VAL_NONE) {
		free(v->items[0]);
		free(v->items);
		v->items = NULL;
		v->nr = 0;
	}
	return 0;
}

static struct mlint_value *identifier_slot(struct mlint_migration *m, const char *src,
					   const struct mlint_token *t)
{
	if (tok_is(src, t, "revision")) return &m->revision;
	if (tok_is(src, t, "down_revision")) return &m->down_revision;
	if (tok_is(src, t, "branch_labels")) return &m->branch_labels;
	if (tok_is(src, t, "depends_on")) return &m->depends_on;
	return NULL;
}

/* `NAME = ... = value` or `NAME: annotation = value` at module level. */
static int handle_assignment(struct extractor *x, size_t n)
{
	size_t eqs[16], nr_eq = 0;
	unsigned depth = 0;

	for (size_t i = 0; i < n && nr_eq < 16; i++) {
		int k = x->toks[i].kind;
		if (k == '(' || k == '[' || k == '{') depth++;
		else if ((k == ')' || k == ']' || k == '}') && depth) depth--;
		else if (k == '=' && depth == 0) eqs[nr_eq++] = i;
	}
	if (nr_eq == 0)
		return 0;
	for (size_t t = 0; t < nr_eq; t++) {
		size_t start = t == 0 ? 0 : eqs[t - 1] + 1;
		size_t end = eqs[t];
		struct mlint_value *slot;
		/* A target is NAME, or NAME ':' annotation for the first one. */
		if (end == start || x->toks[start].kind != MLINT_TOK_NAME)
			continue;
		if (end != start + 1 && !(t == 0 && x->toks[start + 1].kind == ':'))
			continue;
		slot = identifier_slot(x->m, x->src, &x->toks[start]);
		if (slot && parse_value(x, eqs[nr_eq - 1] + 1, n, slot) < 0)
			return MLINT_ERROR;
	}
	return 1;
}

/* ---- header ---------------------------------------------------------- */

static char *trimmed_copy(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
	return mlint_strndup(p, n);
}

/* Reads "Key: value" lines and the message from header text; `line` is the
 * file line of the text's first line. Comment markers are stripped first. */
static int parse_header_text(struct mlint_header *h, const char *text, size_t len,
			     unsigned line, int comments)
{
	static const struct { const char *key; size_t field; size_t line_field; } keys[] = {
		{"Revision ID:", offsetof(struct mlint_header, revision_id),
		 offsetof(struct mlint_header, revision_id_line)},
		{"Revises:", offsetof(struct mlint_header, revises),
		 offsetof(struct mlint_header, revises_line)},
		{"Create Date:", offsetof(struct mlint_header, create_date),
		 offsetof(struct mlint_header, create_date_line)},
	};
	size_t pos = 0;

	h->line = line;
	while (pos < len) {
		size_t eol = pos, s, n;
		int matched = 0;
		while (eol < len && text[eol] != '\n' && text[eol] != '\r') eol++;
		s = pos;
		if (comments) {
			while (s < eol && (text[s] == ' ' || text[s] == '\t')) s++;
			if (s < eol && text[s] == '#') s++;
		}
		while (s < eol && (text[s] == ' ' || text[s] == '\t')) s++;
		n = eol - s;
		for (size_t k = 0; k < 3; k++) {
			size_t kl = strlen(keys[k].key);
			char **field = (char **)((char *)h + keys[k].field);
			if (n >= kl && memcmp(text + s, keys[k].key, kl) == 0) {
				matched = 1;
				if (!*field) {
					if (!(*field = trimmed_copy(text + s + kl, n - kl)))
						return MLINT_ERROR;
					*(unsigned *)((char *)h + keys[k].line_field) = line;
				}
			}
		}
		if (!matched && !h->message && !h->revision_id && n > 0 &&
		    (n > 1 || text[s] != '\r')) {
			if (!(h->message = trimmed_copy(text + s, n)))
				return MLINT_ERROR;
		}
		pos = eol + (eol + 1 < len && text[eol] == '\r' && text[eol + 1] == '\n' ? 2 : 1);
		line++;
	}
	return 0;
}

static int header_from_string(struct extractor *x, const struct mlint_token *t)
{
	size_t a, b;
	mlint_pyscan_string_body(t, &a, &b);
	return parse_header_text(&x->m->header, x->src + a, b - a, t->line, 0);
}

static int contains(const char *p, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	const char *end = p + n, *at = p;

	while (nl && (size_t)(end - at) >= nl && (at = memchr(at, needle[0], (size_t)(end - at) - nl + 1)))
		if (memcmp(at++, needle, nl) == 0)
			return 1;
	return 0;
}

static int note_bare_string(struct extractor *x, size_t n)
{
	const struct mlint_token *t = &x->toks[0];
	int has_id;

	if (!all_plain_strings(x, 0, n) && !(n == 1 && t->kind == MLINT_TOK_STRING))
		return 0;
	has_id = contains(x->src + t->off, t->len, "Revision ID:");
	if (x->header_tok && (x->header_has_id || !has_id))
		return 0;
	if (x->seen_def && !has_id)
		return 0;
	x->header_copy = *t;
	x->header_tok = &x->header_copy;
	x->header_has_id = has_id;
	return 0;
}

/* A comment block that holds "Revision ID:" serves when no string does. */
static int header_from_comments(struct extractor *x)
{
	size_t i, first = 0, last;

	for (i = 0; i < x->nr_comments; i++)
		if (contains(x->src + x->comments[i].off, x->comments[i].len, "Revision ID:"))
			break;
	if (i == x->nr_comments)
		return 0;
	/* Widen to the block of consecutive comment lines around it. */
	first = last = i;
	while (first > 0 && x->comments[first - 1].line + 1 == x->comments[first].line)
		first--;
	while (last + 1 < x->nr_comments && x->comments[last + 1].line == x->comments[last].line + 1)
		last++;
	{
		size_t a = x->comments[first].off;
		size_t b = x->comments[last].off + x->comments[last].len;
		return parse_header_text(&x->m->header, x->src + a, b - a,
					 x->comments[first].line, 1);
	}
}

/* ---- functions and calls --------------------------------------------- */

static int is_migration_function(const char *name, size_t n, int *is_upgrade)
{
	if (n >= 7 && memcmp(name, "upgrade", 7) == 0 && (n == 7 || name[7] == '_')) {
		*is_upgrade = 1;
		return 1;
	}
	if (n >= 9 && memcmp(name, "downgrade", 9) == 0 && (n == 9 || name[9] == '_')) {
		*is_upgrade = 0;
		return 1;
	}
	return 0;
}

/* Names before '(' that are not callees (print is one in Python 3). */
static const struct {
	const char *word;
	size_t len;
} not_callees[] = {
#define KW(w) {w, sizeof(w) - 1}
	KW("if"), KW("elif"), KW("while"), KW("for"), KW("return"), KW("and"), KW("or"),
	KW("not"), KW("in"), KW("is"), KW("lambda"), KW("yield"), KW("assert"), KW("del"),
	KW("await"), KW("with"), KW("except"), KW("raise"), KW("else"), KW("from"),
	KW("import"), KW("as"),
#undef KW
};

static int is_keyword_callee(const char *src, const struct mlint_token *t)
{
	/* longer than every keyword above, or not starting like one */
	if (t->len > 6 || !strchr("adefilnorwy", src[t->off]))
		return 0;
	for (size_t i = 0; i < sizeof(not_callees) / sizeof(not_callees[0]); i++)
		if (t->len == not_callees[i].len &&
		    memcmp(src + t->off, not_callees[i].word, t->len) == 0)
			return 1;
	return 0;
}

/* column_of, going on from the previous answer on the same line: calls come
 * in source order, so a line of 100,000 calls costs linear time. */
static unsigned call_column(struct extractor *x, size_t line_off, size_t off)
{
	if (x->col_line_off != line_off || x->col_off > off || x->col_value == 0) {
		x->col_line_off = line_off;
		x->col_off = line_off;
		x->col_value = 1;
	}
	x->col_value += column_of(x->src, x->col_off, off) - 1;
	x->col_off = off;
	return x->col_value;
}

/* The call's first argument, when it is a string literal (or implicit
 * concatenation): a string in the arena in *out, else *out stays NULL. */
static int first_string_arg(const struct extractor *x, size_t open, size_t close, char **out)
{
	size_t i = open + 1;
	while (i < close && is_plain_string(&x->toks[i]))
		i++;
	if (i > open + 1 && i <= close && (i == close || x->toks[i].kind == ',')) {
		if (!(*out = string_run_kept(x, open + 1, i)))
			return MLINT_ERROR;
	}
	return 0;
}

/* Records the call whose '(' is at index `open` in the current line. */
static int record_call(struct extractor *x, size_t open, size_t n)
{
	struct mlint_call *c;
	size_t first = open - 1, close;
	char *name;

	if (x->no_calls || x->toks[first].kind != MLINT_TOK_NAME ||
	    is_keyword_callee(x->src, &x->toks[first]))
		return 0;
	if (first > 0 && (tok_is(x->src, &x->toks[first - 1], "def") ||
			  tok_is(x->src, &x->toks[first - 1], "class")))
		return 0;
	while (first >= 2 && x->toks[first - 1].kind == '.' &&
	       x->toks[first - 2].kind == MLINT_TOK_NAME)
		first -= 2;
	close = x->match[open];
	if (!(name = span_text_kept(x, first, open)) ||
	    MLINT_ARRAY_GROW(x->m->calls, x->alloc_calls, x->m->nr_calls + 1) < 0)
		return MLINT_ERROR;
	c = &x->m->calls[x->m->nr_calls];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->line = x->toks[first].line;
	c->col = call_column(x, x->toks[first].line_off, x->toks[first].off);
	c->off = x->toks[first].off;
	c->end = close < n ? x->toks[close].off + 1 : x->toks[n - 1].off + x->toks[n - 1].len;
	c->function = (size_t)x->cur_func;
	c->on_value = first > 0 && x->toks[first - 1].kind == '.';
	x->m->nr_calls++;
	return first_string_arg(x, open, close, &c->first_arg);
}

/* Tokens [a, b) are NAME(.NAME)* followed by one bracketed call. */
static int is_simple_call(const struct extractor *x, size_t a, size_t b, size_t *open)
{
	size_t i = a;
	if (i >= b || x->toks[i].kind != MLINT_TOK_NAME)
		return 0;
	while (i + 2 < b && x->toks[i + 1].kind == '.' && x->toks[i + 2].kind == MLINT_TOK_NAME)
		i += 2;
	*open = i + 1;
	return *open < b && x->toks[*open].kind == '(' && matching_bracket(x, *open, b) == b - 1;
}

static int add_alias(struct extractor *x, size_t a, size_t as_at)
{
	struct mlint_alias *al;
	size_t open;

	if (!is_simple_call(x, a, as_at, &open))
		return 0;
	if (MLINT_ARRAY_GROW(x->m->aliases, x->alloc_aliases, x->m->nr_aliases + 1) < 0)
		return MLINT_ERROR;
	al = &x->m->aliases[x->m->nr_aliases];
	memset(al, 0, sizeof(*al));
	x->m->nr_aliases++;
	al->line = x->toks[a].line;
	al->function = (size_t)x->cur_func;
	if (!(al->name = span_text_kept(x, as_at + 1, as_at + 2)) ||
	    !(al->callee = span_text_kept(x, a, open)))
		return MLINT_ERROR;
	return first_string_arg(x, open, as_at - 1, &al->first_arg);
}

/* `with A(...) as a, B(...) as b:` records a and b. */
static int record_with(struct extractor *x, size_t a, size_t n)
{
	size_t start = a + 1;
	unsigned depth = 0;

	for (size_t i = start; i < n; i++) {
		int k = x->toks[i].kind;
		if (k == '(' || k == '[' || k == '{') depth++;
		if ((k == ')' || k == ']' || k == '}') && depth) depth--;
		if (depth)
			continue;
		if (tok_is(x->src, &x->toks[i], "as") && i + 1 < n &&
		    x->toks[i + 1].kind == MLINT_TOK_NAME && add_alias(x, start, i) < 0)
			return MLINT_ERROR;
		if (k == ',')
			start = i + 1;
		if (k == ':')
			break;
	}
	return 0;
}

/* Pairs every bracket of tokens [a, n) in one pass (a stack in `match`
 * itself): a call's closing bracket is then found in O(1), so 100,000
 * nested calls cost linear time. Unclosed brackets match `n`. */
/* Also counts the ';' outside brackets (*semis) and says whether every
 * bracket closed (*balanced): what splitting the line into statements needs. */
static int match_brackets(struct extractor *x, size_t a, size_t n, size_t *semis, int *balanced)
{
	size_t top = (size_t)-1; /* index of the innermost open bracket */

	*semis = 0;
	if (MLINT_ARRAY_GROW(x->match, x->alloc_match, n + 1) < 0)
		return MLINT_ERROR;
	for (size_t i = a; i < n; i++) {
		int k = x->toks[i].kind;
		x->match[i] = n;
		if (k == ';' && top == (size_t)-1)
			(*semis)++;
		if (k == '(' || k == '[' || k == '{') {
			x->match[i] = top; /* remember the enclosing one for now */
			top = i;
		} else if ((k == ')' || k == ']' || k == '}') && top != (size_t)-1) {
			size_t open = top;
			top = x->match[open];
			x->match[open] = i;
			x->match[i] = open;
		}
	}
	*balanced = top == (size_t)-1;
	while (top != (size_t)-1) { /* still open at the end of the line */
		size_t open = top;
		top = x->match[open];
		x->match[open] = n;
	}
	return 0;
}

static int record_with(struct extractor *x, size_t a, size_t n);

static unsigned last_line_of(const char *src, const struct mlint_token *t);

/* Closes the open blocks a line at `depth` is no longer inside: the stack
 * holds the open ones, innermost last. */
static void close_blocks(struct extractor *x, unsigned depth)
{
	while (x->nr_open) {
		struct mlint_block *b = &x->m->blocks[x->open[x->nr_open - 1]];
		if (b->depth < depth)
			return;
		b->end_line = x->last_line > b->line ? x->last_line : b->line;
		x->nr_open--;
	}
}

/* `with ...:`, `for ...:`, `while ...:` starting at token w of a body line:
 * a block until a line at the same depth or less. */
static int open_block(struct extractor *x, size_t w, size_t n)
{
	struct mlint_block *b;
	size_t end = w + 1;
	const struct mlint_token *t = &x->toks[w];
	int is_with;

	/* most body lines start with a name that is none of them: one byte says */
	if (t->kind != MLINT_TOK_NAME || (x->src[t->off] != 'w' && x->src[t->off] != 'f'))
		return 0;
	is_with = tok_is(x->src, t, "with");
	if (!is_with && !tok_is(x->src, t, "for") && !tok_is(x->src, t, "while"))
		return 0;
	if (MLINT_ARRAY_GROW(x->m->blocks, x->alloc_blocks, x->m->nr_blocks + 1) < 0)
		return MLINT_ERROR;
	if (MLINT_ARRAY_GROW(x->open, x->alloc_open, x->nr_open + 1) < 0)
		return MLINT_ERROR;
	x->open[x->nr_open++] = x->m->nr_blocks;
	b = &x->m->blocks[x->m->nr_blocks++];
	memset(b, 0, sizeof(*b));
	b->kind = is_with ? MLINT_BLOCK_WITH : MLINT_BLOCK_LOOP;
	b->line = x->toks[w].line;
	b->function = (size_t)x->cur_func;
	b->depth = x->depth;
	if (!is_with)
		return 0;
	while (end < n && x->toks[end].kind != ':' && !tok_is(x->src, &x->toks[end], "as"))
		end = x->toks[end].kind == '(' ? x->match[end] + 1 : end + 1;
	if (end > n)
		end = n;
	return end > w + 1 && !(b->expr = span_text_kept(x, w + 1, end)) ? MLINT_ERROR : 0;
}

/* After match_brackets(x, a, n). */
static int collect_calls(struct extractor *x, size_t a, size_t n)
{
	size_t w = a < n && tok_is(x->src, &x->toks[a], "async") ? a + 1 : a;
	if (a == 0)
		close_blocks(x, x->depth);
	if (w < n && tok_is(x->src, &x->toks[w], "with") && record_with(x, w, n) < 0)
		return MLINT_ERROR;
	if (a == 0 && w < n && open_block(x, w, n) < 0)
		return MLINT_ERROR;
	if (n > a)
		x->last_line = last_line_of(x->src, &x->toks[n - 1]);
	for (size_t i = a + 1; i < n; i++)
		if (x->toks[i].kind == '(' && record_call(x, i, n) < 0)
			return MLINT_ERROR;
	return 0;
}

/* The line a token ends on: strings may span lines. */
static unsigned last_line_of(const char *src, const struct mlint_token *t)
{
	unsigned line = t->line;
	for (size_t i = t->off; i < t->off + t->len; i++)
		if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == t->off + t->len || src[i + 1] != '\n')))
			line++;
	return line;
}

/* Classifies one simple statement [a, b) of a body. */
static enum mlint_body_kind statement_kind(const struct extractor *x, size_t a, size_t b,
					   size_t *raise_name)
{
	if (a >= b)
		return MLINT_BODY_EMPTY;
	if (b == a + 1 && (tok_is(x->src, &x->toks[a], "pass") ||
			   tok_text_is(x->src, &x->toks[a], "...")))
		return MLINT_BODY_EMPTY;
	if (x->toks[a].kind == MLINT_TOK_STRING) {
		size_t i = a;
		while (i < b && x->toks[i].kind == MLINT_TOK_STRING)
			i++;
		if (i == b)
			return MLINT_BODY_EMPTY;
	}
	if (tok_is(x->src, &x->toks[a], "raise")) {
		*raise_name = a + 1;
		return MLINT_BODY_RAISE;
	}
	return MLINT_BODY_CODE;
}

/* One simple statement [a, b) of the function's body: what kind of body. */
static int note_statement(struct extractor *x, struct mlint_function *f, size_t a, size_t b)
{
	size_t raise_at = 0;
	enum mlint_body_kind kind = statement_kind(x, a, b, &raise_at);

	if (kind > f->body)
		f->body = kind;
	if (kind == MLINT_BODY_RAISE && !f->raises) {
		size_t e = raise_at;
		while (e < b && (x->toks[e].kind == MLINT_TOK_NAME || x->toks[e].kind == '.'))
			e++;
		f->raises = e > raise_at ? span_text(x, raise_at, e) : mlint_strdup("");
		if (!f->raises)
			return MLINT_ERROR;
	}
	return 0;
}

/* The function's end so far, and the line's calls (brackets matched). */
static int end_body_line(struct extractor *x, struct mlint_function *f, size_t a, size_t n)
{
	if (n > a) {
		f->end_line = last_line_of(x->src, &x->toks[n - 1]);
		f->end_off = x->toks[n - 1].off + x->toks[n - 1].len;
	}
	return x->no_calls ? 0 : collect_calls(x, a, n);
}

static int note_body_statements(struct extractor *x, size_t a, size_t n)
{
	struct mlint_function *f = &x->m->functions[x->cur_func];
	size_t start = a, semis = 1;
	unsigned depth = 0;
	int balanced = 0;

	/* With the calls, the bracket pass they need also says whether the
	 * line is one statement (no ';' outside brackets): most are. */
	if (!x->no_calls && match_brackets(x, a, n, &semis, &balanced) < 0)
		return MLINT_ERROR;
	if (semis == 0) {
		if (balanced && note_statement(x, f, a, n) < 0)
			return MLINT_ERROR;
		return end_body_line(x, f, a, n);
	}
	for (size_t i = a; i <= n; i++) {
		int k = i < n ? x->toks[i].kind : ';';
		if (k == '(' || k == '[' || k == '{') depth++;
		if ((k == ')' || k == ']' || k == '}') && depth) depth--;
		if (k != ';' || depth)
			continue;
		if (note_statement(x, f, start, i) < 0)
			return MLINT_ERROR;
		start = i + 1;
	}
	return end_body_line(x, f, a, n);
}

static int open_function(struct extractor *x, size_t def_at, size_t n)
{
	const struct mlint_token *name = &x->toks[def_at + 1];
	struct mlint_function *f;
	int is_upgrade;
	size_t open = def_at + 2, close, colon;

	x->seen_def = 1;
	if (!is_migration_function(x->src + name->off, name->len, &is_upgrade)) {
		x->skip_depth = 1;
		return 0;
	}
	if (MLINT_ARRAY_GROW(x->m->functions, x->alloc_functions, x->m->nr_functions + 1) < 0)
		return MLINT_ERROR;
	f = &x->m->functions[x->m->nr_functions];
	memset(f, 0, sizeof(*f));
	if (!(f->name = mlint_strndup(x->src + name->off, name->len)))
		return MLINT_ERROR;
	x->m->nr_functions++;
	f->is_upgrade = is_upgrade;
	f->def_line = x->toks[def_at].line;
	f->line = x->pending_decorator_line ? x->pending_decorator_line : f->def_line;
	f->start_off = x->pending_decorator_line ? x->pending_decorator_off
						 : x->toks[x->toks[0].kind == MLINT_TOK_NAME ? 0 : def_at].off;
	f->end_line = f->def_line;
	f->end_off = x->toks[n - 1].off + x->toks[n - 1].len;
	f->first_call = x->m->nr_calls;
	f->body = MLINT_BODY_EMPTY;
	x->cur_func = (long)(x->m->nr_functions - 1);
	close = open < n && x->toks[open].kind == '(' ? matching_bracket(x, open, n) : n;
	f->has_params = close < n && close > open + 1;
	/* The header ends at the first top-level ':' after the parameters;
	 * a one-line body follows it on the same line. */
	for (colon = close < n ? close + 1 : n; colon < n && x->toks[colon].kind != ':'; colon++)
		;
	if (colon + 1 < n)
		return note_body_statements(x, colon + 1, n);
	return 0;
}

static void close_function(struct extractor *x)
{
	close_blocks(x, 0);
	if (x->cur_func >= 0) {
		struct mlint_function *f = &x->m->functions[x->cur_func];
		f->nr_calls = x->m->nr_calls - f->first_call;
	}
	x->cur_func = -1;
}

static int handle_top_level(struct extractor *x, size_t n)
{
	const struct mlint_token *t = &x->toks[0];
	size_t def_at = tok_is(x->src, t, "async") && n > 1 ? 1 : 0;

	close_function(x);
	x->skip_depth = 0;
	if (t->kind == '@') {
		if (!x->pending_decorator_line) {
			x->pending_decorator_line = t->line;
			x->pending_decorator_off = t->off;
		}
		return 0;
	}
	if (tok_is(x->src, &x->toks[def_at], "def") && def_at + 1 < n &&
	    x->toks[def_at + 1].kind == MLINT_TOK_NAME) {
		int error = open_function(x, def_at, n);
		x->pending_decorator_line = 0;
		return error;
	}
	x->pending_decorator_line = 0;
	if (tok_is(x->src, t, "class")) {
		x->seen_def = 1;
		x->skip_depth = 1;
		return 0;
	}
	if (t->kind == MLINT_TOK_STRING)
		return note_bare_string(x, n);
	return handle_assignment(x, n) < 0 ? MLINT_ERROR : 0;
}

/*
 * Module level: `a = 1; b = 2` is two statements. Each is handled as a line
 * of its own by pointing the token array at it for the call.
 */
static int handle_module_line(struct extractor *x, size_t n)
{
	struct mlint_token *all = x->toks;
	size_t start = 0;
	long depth = 0;
	int error = 0;

	for (size_t i = 0; i <= n && error == 0; i++) {
		int k = i < n ? all[i].kind : ';';
		if (k == '(' || k == '[' || k == '{') depth++;
		if (k == ')' || k == ']' || k == '}') depth--;
		if (i < n && (k != ';' || depth > 0))
			continue; /* an unclosed bracket still ends at the line's end */
		/* A compound statement (def, class, ...) takes the rest of the line. */
		if (i < n && start == 0 && (tok_is(x->src, &all[0], "def") ||
					    tok_is(x->src, &all[0], "async") ||
					    tok_is(x->src, &all[0], "class")))
			continue;
		if (i > start) {
			x->toks = all + start;
			error = handle_top_level(x, i - start);
			x->toks = all;
		}
		start = i + 1;
	}
	return error;
}

static int handle_line(struct extractor *x, size_t n)
{
	if (n == 0)
		return 0;
	if (x->depth == 0)
		return handle_module_line(x, n);
	/* Without calls (heads, graph, rename) the bodies are not looked at. */
	if (x->cur_func >= 0 && !x->no_calls)
		return note_body_statements(x, 0, n);
	return 0;
}

static int add_comment(struct extractor *x, const struct mlint_token *t)
{
	if (x->depth != 0 || x->seen_def)
		return 0;
	if (MLINT_ARRAY_GROW(x->comments, x->alloc_comments, x->nr_comments + 1) < 0)
		return MLINT_ERROR;
	x->comments[x->nr_comments].off = t->off;
	x->comments[x->nr_comments].len = t->len;
	x->comments[x->nr_comments].line = t->line;
	x->nr_comments++;
	return 0;
}

/* Comments that say "mlint:" are kept for the suppressions. */
static int add_directive(struct extractor *x, const struct mlint_token *t)
{
	struct mlint_directive *d;
	int own_line = 1;

	if (x->no_calls || !contains(x->src + t->off, t->len, "mlint:"))
		return 0;
	for (size_t i = t->line_off; i < t->off; i++)
		if (x->src[i] != ' ' && x->src[i] != '\t' && x->src[i] != '\f')
			own_line = 0;
	if (MLINT_ARRAY_GROW(x->m->directives, x->alloc_directives, x->m->nr_directives + 1) < 0)
		return MLINT_ERROR;
	d = &x->m->directives[x->m->nr_directives];
	if (!(d->text = mlint_strndup(x->src + t->off, t->len)))
		return MLINT_ERROR;
	d->line = t->line;
	d->col = column_of(x->src, t->line_off, t->off);
	d->own_line = own_line;
	x->m->nr_directives++;
	return 0;
}

static int scan_problem(struct extractor *x, const struct mlint_pyscan *s)
{
	if (s->problem == MLINT_PYSCAN_OK)
		return 0;
	if (s->problem == MLINT_PYSCAN_BAD_CHARACTER && x->m->nr_problems > 0)
		return 0; /* a NUL or bad UTF-8 byte already reported */
	return add_problem(x->m, s->problem_line,
			   column_of(x->src, s->problem_line_off, s->problem_off),
			   "%s: Python cannot import this file",
			   mlint_pyscan_problem_text(s->problem));
}

/* ---- signs of a syntax error ------------------------------------------ */

/* Python's keywords, hard and soft: a name beside them is no anomaly.
 * Called for most names of a file: by length first, then a few compares. */
static int is_keyword(const char *p, size_t n)
{
	static const char *const by_len[9] = {
		NULL, NULL, "as if in is or ", "and def del for not try ",
		"None True case elif else from pass type with ",
		"False async await break class match raise while yield ",
		"assert except global import lambda return ", "finally ", "continue nonlocal ",
	};
	const char *w;

	if (n < 2 || n > 8)
		return 0;
	for (w = by_len[n]; *w; w += n + 1)
		if (w[0] == p[0] && memcmp(w, p, n) == 0)
			return 1;
	return 0;
}

static int is_name(const struct extractor *x, const struct mlint_token *t)
{
	return t->kind == MLINT_TOK_NAME && !is_keyword(x->src + t->off, t->len);
}

/* A token an expression can start with (names of every kind included). */
static int starts_expression(const struct extractor *x, const struct mlint_token *t)
{
	switch (t->kind) {
	case MLINT_TOK_NAME: case MLINT_TOK_NUMBER: case MLINT_TOK_STRING:
	case '(': case '[': case '{': case '-': case '+': case '~': case '*':
		return 1;
	case MLINT_TOK_OP:
		return t->len == 3 && memcmp(x->src + t->off, "...", 3) == 0;
	default:
		return 0;
	}
}

/* An operator that needs an operand after it. */
static int needs_operand(const struct extractor *x, const struct mlint_token *t)
{
	switch (t->kind) {
	case '=': case '+': case '-': case '/': case '%': case '<': case '>': case '&':
	case '|': case '^': case '~': case '@':
		return 1;
	case MLINT_TOK_OP:
		return !(t->len == 3 && memcmp(x->src + t->off, "...", 3) == 0);
	default:
		return 0;
	}
}

/* A token that ends an operand: a name, a literal or a closing bracket. */
static int ends_operand(const struct extractor *x, const struct mlint_token *t)
{
	return t->kind == MLINT_TOK_NUMBER || t->kind == MLINT_TOK_STRING || t->kind == ')' ||
	       t->kind == ']' || t->kind == '}' || is_name(x, t);
}

/* Two tokens that cannot follow each other in Python. Runs on every pair
 * of a file: the kind of the second decides which test is needed. */
static int bad_pair(const struct extractor *x, const struct mlint_token *a,
		    const struct mlint_token *b)
{
	switch (b->kind) {
	case MLINT_TOK_NAME:
		/* two operands in a row: `print x`, `'a' sa.Integer` */
		return ends_operand(x, a) && !is_keyword(x->src + b->off, b->len);
	case MLINT_TOK_NUMBER:
		return ends_operand(x, a);
	case MLINT_TOK_STRING:
		return a->kind != MLINT_TOK_STRING && ends_operand(x, a); /* 'a' 'b' is one */
	default:
		break;
	}
	switch (a->kind) {
	case MLINT_TOK_NAME: case MLINT_TOK_NUMBER: case MLINT_TOK_STRING:
	case ')': case ']': case '}': case '(': case '[': case '{': case ',': case ':': case '.':
		return 0;
	case '*': /* def f(a, *, b), import * */
		return !(b->kind == ',' || b->kind == ')' || starts_expression(x, b));
	case '/': /* def f(a, /, b), lambda a, /: a */
		return !(b->kind == ',' || b->kind == ')' || b->kind == ':' ||
			 starts_expression(x, b));
	default:
		return needs_operand(x, a) && !starts_expression(x, b);
	}
}

/* <<<<<<<, =======, >>>>>>> or ||||||| and a blank or the line's end. */
static int conflict_marker_at(const struct extractor *x, size_t off)
{
	char c = x->src[off];
	size_t i = 1;
	if (c != '<' && c != '=' && c != '>' && c != '|')
		return 0;
	while (off + i < x->len && i < 7 && x->src[off + i] == c)
		i++;
	return i == 7 && (off + 7 == x->len || x->src[off + 7] == ' ' || x->src[off + 7] == '\n' ||
			  x->src[off + 7] == '\r' || x->src[off + 7] == '\t');
}

/* f"{d["k"]}": the string's own quote inside it, which only Python 3.12
 * and later read as one string. */
static int fstring_reuses_quote(const struct extractor *x, const struct mlint_token *t)
{
	const char *p, *end;
	if ((t->flags & (MLINT_STR_TRIPLE | MLINT_STR_UNTERMINATED)) || t->len < t->prefix_len + 2)
		return 0;
	p = x->src + t->off + t->prefix_len;
	end = x->src + t->off + t->len - 1;
	for (const char *q = p + 1; (q = memchr(q, *p, (size_t)(end - q))) != NULL; q++)
		if (q[-1] != '\\')
			return 1; /* f'it\'s' is no sign */
	return 0;
}

static void suspect(struct extractor *x, const struct mlint_token *t)
{
	if (!x->m->suspect_line)
		x->m->suspect_line = t->line;
	if (!x->m->conflict_line && t->off == t->line_off && conflict_marker_at(x, t->off))
		x->m->conflict_line = t->line;
}

/*
 * Looks for the cheap signs of a syntax error in one logical line: an
 * operator without its operand, two operands without an operator, a
 * closing bracket or an operator that starts the line, an error token,
 * "<>". Only a sign: the file then goes to Python's compiler, which judges.
 */
static void note_anomalies(struct extractor *x, size_t n)
{
	const struct mlint_token *t = x->toks;
	long depth = 0;

	if (x->colon_pending) { /* `if x:` and no indented block */
		suspect(x, &t[0]);
		x->colon_pending = 0;
	}
	if (t[0].kind == ')' || t[0].kind == ']' || t[0].kind == '}' || t[0].kind == ',' ||
	    t[0].kind == '=' || t[0].kind == ':' || t[0].kind == '.' ||
	    (t[0].kind != '*' && t[0].kind != '-' && t[0].kind != '+' && t[0].kind != '~' &&
	     t[0].kind != '@' && needs_operand(x, &t[0])))
		suspect(x, &t[0]);
	for (size_t i = 0; i < n; i++) {
		int k = t[i].kind;
		if (k == '(' || k == '[' || k == '{') depth++;
		if ((k == ')' || k == ']' || k == '}') && --depth < 0)
			suspect(x, &t[i]);
		if (k == MLINT_TOK_ERRORTOKEN || (k == MLINT_TOK_OP && t[i].len == 2 &&
						  memcmp(x->src + t[i].off, "<>", 2) == 0) ||
		    (k == MLINT_TOK_STRING && (t[i].flags & MLINT_STR_FORMAT) &&
		     fstring_reuses_quote(x, &t[i])))
			suspect(x, &t[i]);
		if (i + 1 < n ? bad_pair(x, &t[i], &t[i + 1])
			      : needs_operand(x, &t[i]) && k != '*')
			suspect(x, &t[i]);
	}
	x->colon_pending = t[n - 1].kind == ':';
}

static int run_extractor(struct extractor *x, struct mlint_pyscan *s)
{
	struct mlint_token t;

	for (;;) {
		if (mlint_pyscan_next(s, &t) < 0)
			return MLINT_ERROR;
		switch (t.kind) {
		case MLINT_TOK_INDENT:
			if (!x->no_calls && !x->colon_pending)
				suspect(x, &t); /* an unexpected indent */
			x->colon_pending = 0;
			/* Without calls nothing inside a block is read (only
			 * module-level assignments place a migration): skim it. */
			if (x->no_calls && x->depth == 0 && mlint_pyscan_skip_block(s) < 0)
				return MLINT_ERROR;
			x->depth++;
			continue;
		case MLINT_TOK_DEDENT:
			if (x->depth)
				x->depth--;
			continue;
		case MLINT_TOK_NL:
			continue;
		case MLINT_TOK_COMMENT:
			if (add_comment(x, &t) < 0 || add_directive(x, &t) < 0)
				return MLINT_ERROR;
			continue;
		case MLINT_TOK_NEWLINE:
		case MLINT_TOK_ENDMARKER:
			if (!x->no_calls && x->nr_toks)
				note_anomalies(x, x->nr_toks);
			else if (!x->no_calls && x->colon_pending && t.kind == MLINT_TOK_ENDMARKER)
				suspect(x, &t);
			if (handle_line(x, x->nr_toks) < 0)
				return MLINT_ERROR;
			x->nr_toks = 0;
			if (t.kind == MLINT_TOK_ENDMARKER) {
				x->m->nr_lines = t.line;
				return 0;
			}
			continue;
		default:
			if (MLINT_ARRAY_GROW(x->toks, x->alloc_toks, x->nr_toks + 1) < 0)
				return MLINT_ERROR;
			x->toks[x->nr_toks++] = t;
		}
	}
}

/* Gives back the slack of the growth arrays: 10,000 migrations keep their
 * results in memory at once. */
#define SHRINK(ptr, nr, alloc)                                                    \
	do {                                                                      \
		if ((nr) == 0) {                                                  \
			free(ptr);                                                \
			(ptr) = NULL;                                             \
			(alloc) = 0;                                              \
		} else if ((nr) < (alloc)) {                                      \
			void *p_ = realloc((ptr), (nr) * sizeof(*(ptr)));         \
			if (p_) {                                                 \
				(ptr) = p_;                                       \
				(alloc) = (nr);                                   \
			}                                                         \
		}                                                                 \
	} while (0)

static void shrink_to_fit(struct extractor *x, struct mlint_migration *m)
{
	SHRINK(m->calls, m->nr_calls, x->alloc_calls);
	SHRINK(m->aliases, m->nr_aliases, x->alloc_aliases);
	SHRINK(m->blocks, m->nr_blocks, x->alloc_blocks);
}

int mlint_migration_scan(struct mlint_migration *m, const char *src, size_t len)
{
	return mlint_migration_scan_with(m, src, len, 0);
}

int mlint_migration_scan_with(struct mlint_migration *m, const char *src, size_t len,
			      unsigned flags)
{
	struct extractor x;
	struct mlint_pyscan s;
	int error;

	if (m->kept)
		mlint_migration_release(m); /* a used struct: its strings are in one block */
	memset(&x, 0, sizeof(x));
	x.m = m;
	x.src = src;
	x.len = len;
	x.cur_func = -1;
	x.no_calls = !!(flags & MLINT_SCAN_NO_CALLS);
	mlint_pyscan_init(&s, src, len);

	if ((error = check_bytes(m, src, len)) < 0)
		goto done;
	if ((error = run_extractor(&x, &s)) < 0)
		goto done;
	close_function(&x);
	if ((error = scan_problem(&x, &s)) < 0)
		goto done;
	if (x.header_tok && (error = header_from_string(&x, x.header_tok)) < 0)
		goto done;
	if (!m->header.revision_id && (error = header_from_comments(&x)) < 0)
		goto done;
done:
	shrink_to_fit(&x, m);
	if (error == 0 && !m->kept)
		compact_kept(m);
	mlint_pyscan_release(&s);
	free(x.toks);
	free(x.match);
	free(x.open);
	free(x.comments);
	return error;
}

int mlint_migration_has_revision(const struct mlint_migration *m)
{
	return m->revision.kind == MLINT_VAL_STR;
}

const char *mlint_migration_revision(const struct mlint_migration *m)
{
	return m->revision.kind == MLINT_VAL_STR ? m->revision.items[0] : NULL;
}

int mlint_migration_looks_like_migration(const struct mlint_migration *m)
{
	return m->revision.kind != MLINT_VAL_ABSENT && m->down_revision.kind != MLINT_VAL_ABSENT;
}

const struct mlint_function *mlint_migration_function(const struct mlint_migration *m,
						      const char *name)
{
	for (size_t i = 0; i < m->nr_functions; i++)
		if (strcmp(m->functions[i].name, name) == 0)
			return &m->functions[i];
	return NULL;
}

const struct mlint_alias *mlint_migration_alias(const struct mlint_migration *m,
						size_t function, const char *name, size_t name_len,
						unsigned line)
{
	const struct mlint_alias *found = NULL;
	for (size_t i = 0; i < m->nr_aliases; i++) {
		const struct mlint_alias *a = &m->aliases[i];
		if (a->function == function && a->line <= line && strlen(a->name) == name_len &&
		    memcmp(a->name, name, name_len) == 0)
			found = a;
	}
	return found;
}

const struct mlint_block *mlint_migration_block_at(const struct mlint_migration *m,
						   size_t function, unsigned line,
						   enum mlint_block_kind kind, const char *word)
{
	for (size_t i = 0; i < m->nr_blocks; i++) {
		const struct mlint_block *b = &m->blocks[i];
		if (b->function == function && b->kind == kind && line > b->line &&
		    line <= b->end_line && (!word || (b->expr && strstr(b->expr, word))))
			return b;
	}
	return NULL;
}
