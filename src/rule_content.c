/*
 * Content rules written in C: what the upgrade and downgrade functions do.
 * Each call of interest is re-tokenized (only its own span) to read its
 * arguments; op.X and batch_op.X (any alias of `with op.batch_alter_table(...)
 * as NAME`) are one operation, the batch's table filled in.
 */
#include <stdio.h>
#include <string.h>
#include "mlint/check.h"
#include "mlint/pyscan.h"
#include "arena.h"
#include "check_files.h"
#include "util.h"

enum op_kind {
	OP_OTHER, OP_CREATE_TABLE, OP_DROP_TABLE, OP_ADD_COLUMN, OP_DROP_COLUMN,
	OP_CREATE_INDEX, OP_DROP_INDEX, OP_CREATE_CONSTRAINT, OP_DROP_CONSTRAINT,
	OP_RENAME_TABLE, OP_ALTER_COLUMN,
};

struct op {
	enum op_kind kind;
	const struct mlint_call *call;
	/* new_name: the rename target. Borrowed from the call list, or in the
	 * ops' arena when read from the call's text. */
	const char *table, *name, *new_name;
	unsigned not_null_no_default : 1, concurrently : 1, has_type : 1;
};

struct ops {
	struct op *items;
	size_t nr, alloc;
	struct mlint_arena_block *strings; /* names read from the calls' text */
};

static void ops_release(struct ops *o)
{
	free(o->items);
	mlint_arena_release(&o->strings);
	memset(o, 0, sizeof(*o));
}

/* ---- reading a call's arguments ---------------------------------------- */

#define MAX_ARGS 32

struct arg {
	size_t kw;   /* token index of the keyword, or (size_t)-1 */
	size_t a, b; /* value tokens [a, b) */
};

struct call_tokens {
	const char *src; /* the call's text (borrowed) */
	struct mlint_arena_block **strings; /* where values read go */
	struct mlint_token *toks;
	size_t nr, alloc;
};

static int tokenize(struct call_tokens *ct, const char *src, size_t len)
{
	struct mlint_pyscan ps;
	struct mlint_token t;
	int error;

	ct->src = src;
	ct->nr = 0;
	mlint_pyscan_init(&ps, src, len);
	while ((error = mlint_pyscan_next(&ps, &t)) == 0 && t.kind != MLINT_TOK_ENDMARKER) {
		if (t.kind == MLINT_TOK_COMMENT || t.kind == MLINT_TOK_NL ||
		    t.kind == MLINT_TOK_NEWLINE || t.kind == MLINT_TOK_INDENT ||
		    t.kind == MLINT_TOK_DEDENT)
			continue;
		if ((error = MLINT_ARRAY_GROW(ct->toks, ct->alloc, ct->nr + 1)) < 0)
			break;
		ct->toks[ct->nr++] = t;
	}
	mlint_pyscan_release(&ps);
	return error;
}

static int tok_eq(const struct call_tokens *ct, size_t i, const char *text)
{
	size_t n = strlen(text);
	return i < ct->nr && ct->toks[i].len == n && memcmp(ct->src + ct->toks[i].off, text, n) == 0;
}

static size_t closing(const struct call_tokens *ct, size_t open)
{
	unsigned depth = 0;
	for (size_t i = open; i < ct->nr; i++) {
		int k = ct->toks[i].kind;
		if (k == '(' || k == '[' || k == '{')
			depth++;
		else if ((k == ')' || k == ']' || k == '}') && --depth == 0)
			return i;
	}
	return ct->nr;
}

/* The arguments of the call whose '(' is token `open`. */
static size_t split_args(const struct call_tokens *ct, size_t open, struct arg *args)
{
	size_t close = closing(ct, open), start = open + 1, nr = 0;
	unsigned depth = 0;

	for (size_t i = open + 1; i <= close && i < ct->nr + 1; i++) {
		int k = i < close ? ct->toks[i].kind : ',';
		if (k == '(' || k == '[' || k == '{') depth++;
		if ((k == ')' || k == ']' || k == '}') && depth) depth--;
		if (k != ',' || depth)
			continue;
		if (i > start && nr < MAX_ARGS) {
			struct arg *a = &args[nr++];
			a->kw = (size_t)-1;
			a->a = start;
			a->b = i;
			if (i > start + 2 && ct->toks[start].kind == MLINT_TOK_NAME &&
			    ct->toks[start + 1].kind == '=') {
				a->kw = start;
				a->a = start + 2;
			}
		}
		start = i + 1;
	}
	return nr;
}

/* Positional argument `pos`, else keyword `kw`; NULL when absent. */
static const struct arg *get_arg(const struct call_tokens *ct, const struct arg *args, size_t nr,
				 size_t pos, const char *kw)
{
	size_t seen = 0;
	for (size_t i = 0; i < nr; i++) {
		if (args[i].kw == (size_t)-1) {
			if (seen++ == pos && pos != (size_t)-1)
				return &args[i];
		} else if (kw && tok_eq(ct, args[i].kw, kw)) {
			return &args[i];
		}
	}
	return NULL;
}

/* '(' of a value that is NAME(.NAME)*(...), or (size_t)-1. */
static size_t value_call_open(const struct call_tokens *ct, const struct arg *a)
{
	size_t i = a->a;
	if (i >= a->b || ct->toks[i].kind != MLINT_TOK_NAME)
		return (size_t)-1;
	while (i + 2 < a->b && ct->toks[i + 1].kind == '.' && ct->toks[i + 2].kind == MLINT_TOK_NAME)
		i += 2;
	if (i + 1 < a->b && ct->toks[i + 1].kind == '(' && closing(ct, i + 1) == a->b - 1)
		return i + 1;
	return (size_t)-1;
}

static int is_plain_string(const struct mlint_token *t)
{
	return t->kind == MLINT_TOK_STRING &&
	       !(t->flags & (MLINT_STR_FORMAT | MLINT_STR_BYTES | MLINT_STR_UNTERMINATED));
}

/* A string value: 'x', or op.f('x') / batch_op.f('x') (naming convention).
 * Sets *out to a new string or leaves it NULL. */
/* A string token's value, in the arena. */
static int decode_kept(const struct call_tokens *ct, const struct mlint_token *t,
		       const char **out)
{
	char *v = mlint_arena_alloc(ct->strings, mlint_pyscan_string_value_max(t));
	if (!v)
		return MLINT_ERROR;
	mlint_arena_trim(ct->strings, v, mlint_pyscan_string_decode(ct->src, t, v) + 1);
	*out = v;
	return 0;
}

static int string_of(const struct call_tokens *ct, const struct arg *a, const char **out)
{
	size_t open;
	*out = NULL;
	if (!a)
		return 0;
	if (a->b == a->a + 1 && is_plain_string(&ct->toks[a->a]))
		return decode_kept(ct, &ct->toks[a->a], out);
	open = value_call_open(ct, a);
	if (open != (size_t)-1 && tok_eq(ct, open - 1, "f") && open + 2 < ct->nr &&
	    is_plain_string(&ct->toks[open + 1]) && ct->toks[open + 2].kind == ')')
		return decode_kept(ct, &ct->toks[open + 1], out);
	return 0;
}

static int value_is(const struct call_tokens *ct, const struct arg *a, const char *text)
{
	return a && a->b == a->a + 1 && tok_eq(ct, a->a, text);
}

/* ---- from calls to operations ------------------------------------------ */

static const struct {
	const char *method;
	enum op_kind kind;
} methods[] = {
	{"create_table", OP_CREATE_TABLE}, {"drop_table", OP_DROP_TABLE},
	{"add_column", OP_ADD_COLUMN}, {"drop_column", OP_DROP_COLUMN},
	{"create_index", OP_CREATE_INDEX}, {"drop_index", OP_DROP_INDEX},
	{"create_foreign_key", OP_CREATE_CONSTRAINT},
	{"create_unique_constraint", OP_CREATE_CONSTRAINT},
	{"create_check_constraint", OP_CREATE_CONSTRAINT},
	{"create_primary_key", OP_CREATE_CONSTRAINT},
	{"create_exclude_constraint", OP_CREATE_CONSTRAINT},
	{"drop_constraint", OP_DROP_CONSTRAINT}, {"rename_table", OP_RENAME_TABLE},
	{"alter_column", OP_ALTER_COLUMN},
};

/* op.M, batch_op.M or ALIAS.M: the kind, and the batch table when batched. */
static enum op_kind classify(const struct mlint_migration *m, const struct mlint_call *c,
			     int *batch, const char **batch_table)
{
	const char *dot = strchr(c->name, '.');
	const struct mlint_alias *al;
	size_t seg;

	*batch = 0;
	*batch_table = NULL;
	/* most calls are sa.Column(...), sa.String(...), op.f(...): out early */
	if (!dot || !strchr("cdar", dot[1]) || strchr(dot + 1, '.'))
		return OP_OTHER;
	seg = (size_t)(dot - c->name);
	al = mlint_migration_alias(m, c->function, c->name, seg, c->line);
	if (al) {
		size_t n = strlen(al->callee);
		if (n < 17 || strcmp(al->callee + n - 17, "batch_alter_table") != 0)
			return OP_OTHER;
		*batch = 1;
		*batch_table = al->first_arg;
	} else if (seg == 8 && memcmp(c->name, "batch_op", 8) == 0) {
		*batch = 1;
	} else if (!(seg == 2 && memcmp(c->name, "op", 2) == 0)) {
		return OP_OTHER;
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(dot + 1, methods[i].method) == 0)
			return methods[i].kind;
	return OP_OTHER;
}

/* A Column(...) argument: its name and whether it is NOT NULL without a default. */
static int read_column(const struct call_tokens *ct, const struct arg *col, struct op *o)
{
	struct arg inner[MAX_ARGS];
	size_t open = col ? value_call_open(ct, col) : (size_t)-1, nr;
	const struct arg *nullable, *dflt;

	if (open == (size_t)-1)
		return 0;
	nr = split_args(ct, open, inner);
	nullable = get_arg(ct, inner, nr, (size_t)-1, "nullable");
	dflt = get_arg(ct, inner, nr, (size_t)-1, "server_default");
	o->not_null_no_default = value_is(ct, nullable, "False") && (!dflt || value_is(ct, dflt, "None"));
	return string_of(ct, get_arg(ct, inner, nr, 0, "name"), &o->name);
}

/* Fills table / name / new_name from the arguments; `b` = batched (no table argument). */
static int read_op(const struct call_tokens *ct, const struct arg *args, size_t nr, int b,
		   struct op *o)
{
	size_t t = b ? (size_t)-1 : 0, n = b ? 0 : 1; /* positions of table and name */
	int error = 0;

	switch (o->kind) {
	case OP_CREATE_TABLE: case OP_DROP_TABLE:
		return string_of(ct, get_arg(ct, args, nr, 0, "table_name"), &o->table);
	case OP_RENAME_TABLE:
		if ((error = string_of(ct, get_arg(ct, args, nr, 0, "old_table_name"), &o->name)) < 0)
			return error;
		return string_of(ct, get_arg(ct, args, nr, 1, "new_table_name"), &o->new_name);
	case OP_ADD_COLUMN:
		if (!b && (error = string_of(ct, get_arg(ct, args, nr, 0, "table_name"), &o->table)) < 0)
			return error;
		return read_column(ct, get_arg(ct, args, nr, n, "column"), o);
	case OP_DROP_COLUMN: case OP_ALTER_COLUMN:
		if (!b && (error = string_of(ct, get_arg(ct, args, nr, t, "table_name"), &o->table)) < 0)
			return error;
		if ((error = string_of(ct, get_arg(ct, args, nr, n, "column_name"), &o->name)) < 0)
			return error;
		o->has_type = get_arg(ct, args, nr, (size_t)-1, "type_") != NULL;
		return string_of(ct, get_arg(ct, args, nr, (size_t)-1, "new_column_name"), &o->new_name);
	case OP_CREATE_INDEX: case OP_DROP_INDEX:
	case OP_CREATE_CONSTRAINT: case OP_DROP_CONSTRAINT:
		o->concurrently = value_is(ct, get_arg(ct, args, nr, (size_t)-1,
							"postgresql_concurrently"), "True");
		if ((error = string_of(ct, get_arg(ct, args, nr, 0, o->kind == OP_CREATE_INDEX ||
						   o->kind == OP_DROP_INDEX ? "index_name"
						   : "constraint_name"), &o->name)) < 0)
			return error;
		if (b)
			return 0;
		if ((error = string_of(ct, get_arg(ct, args, nr, 1, "table_name"), &o->table)) < 0)
			return error;
		if (!o->table)
			error = string_of(ct, get_arg(ct, args, nr, (size_t)-1, "source_table"),
					  &o->table);
		return error;
	default:
		return 0;
	}
}

static int add_table_op(const struct mlint_call *c, enum op_kind kind, struct ops *out)
{
	struct op *o;
	if (MLINT_ARRAY_GROW(out->items, out->alloc, out->nr + 1) < 0)
		return MLINT_ERROR;
	o = &out->items[out->nr++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->call = c;
	o->table = c->first_arg;
	return 0;
}

static int span_has(const struct mlint_script *s, const struct mlint_call *c, const char *word)
{
	const char *p = s->source + c->off, *end = s->source + c->end;
	size_t n = strlen(word);
	for (; (p = memchr(p, word[0], (size_t)(end - p))) != NULL && (size_t)(end - p) >= n; p++)
		if (memcmp(p, word, n) == 0)
			return 1;
	return 0;
}

/*
 * The name a batch operation's first argument gives, from what the
 * extractor recorded: a string literal, or a nested call opening the
 * argument list (X.f('ix_name'), or any call for a Column). NULL when that
 * is not enough and the call must be read.
 */
static const char *quick_name(const struct mlint_script *s, const struct mlint_call *c,
			      int any_callee)
{
	const struct mlint_call *n = c + 1;
	const char *p, *dot;

	if (c->first_arg)
		return c->first_arg;
	if ((size_t)(n - s->m.calls) >= s->m.nr_calls || n->off >= c->end || !n->first_arg)
		return NULL;
	dot = strrchr(n->name, '.');
	if (!any_callee && strcmp(dot ? dot + 1 : n->name, "f") != 0)
		return NULL;
	if (!(p = memchr(s->source + c->off, '(', n->off - c->off)))
		return NULL;
	for (p++; p < s->source + n->off; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return NULL;
	return n->first_arg;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* A plain one-line literal 'x' or "x" at p (no prefix, no escapes): sets
 * value and len to its text and returns the byte after it, else NULL. */
static const char *simple_string(const char *p, const char *end, const char **value, size_t *len)
{
	const char *q;
	if (p >= end || (*p != '\'' && *p != '"'))
		return NULL;
	for (q = p + 1; q < end && *q != *p; q++)
		if (*q == '\\' || *q == '\n')
			return NULL;
	if (q >= end || (q == p + 2 && p[1] == *p))
		return NULL;
	*value = p + 1;
	*len = (size_t)(q - p - 1);
	return q + 1;
}

/* After the first argument, `, 'string'` as the second: its text (new), else NULL
 * in *out (not an error). */
static int second_literal(const char *p, const char *end, struct mlint_arena_block **strings,
			  const char **out)
{
	const char *v;
	size_t n;

	*out = NULL;
	p = skip_blanks(p, end);
	if (p >= end || *p != ',')
		return 0;
	p = skip_blanks(p + 1, end);
	if (!simple_string(p, end, &v, &n))
		return 0;
	return (*out = mlint_arena_strndup(strings, v, n)) ? 0 : MLINT_ERROR;
}

/* Where the first argument ends when it is the literal or the nested call
 * quick_name read; NULL when not known. */
static const char *after_first(const struct mlint_script *s, const struct mlint_call *c)
{
	const char *end = s->source + c->end, *p = memchr(s->source + c->off, '(', c->end - c->off);
	const char *v;
	size_t n;

	if (!p)
		return NULL;
	p = skip_blanks(p + 1, end);
	if (c->first_arg)
		return simple_string(p, end, &v, &n);
	if (c + 1 < s->m.calls + s->m.nr_calls && s->source + c[1].off == p)
		return s->source + c[1].end;
	return NULL;
}

/* op.add_column('t', Column('c', ...)): the nested call is the second argument. */
static const char *quick_added_column(const struct mlint_script *s, const struct mlint_call *c)
{
	const char *end = s->source + c->end, *after;

	if (!c->first_arg || !(after = after_first(s, c)) || c + 1 >= s->m.calls + s->m.nr_calls ||
	    !c[1].first_arg)
		return NULL;
	after = skip_blanks(after, end);
	if (after >= end || *after != ',' || skip_blanks(after + 1, end) != s->source + c[1].off)
		return NULL;
	return c[1].first_arg;
}

/* Whether `word` ends just before `at` / starts at `at`, within [from, end). */
static int word_before(const char *from, const char *at, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(at - from) >= n && memcmp(at - n, word, n) == 0;
}

static int word_after(const char *at, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - at) >= n && memcmp(at, word, n) == 0;
}

/* An underscore keyword that needs the full reading: column_name,
 * index_name, constraint_name (also new_column_name, ...), source_table,
 * and type_ for alter_column. One walk over the call's underscores. */
static int has_underscore_keyword(const char *p, const char *end, enum op_kind kind)
{
	for (const char *u = p; (u = memchr(u, '_', (size_t)(end - u))) != NULL; u++) {
		if (word_after(u + 1, end, "name") &&
		    (word_before(p, u, "column") || word_before(p, u, "index") ||
		     word_before(p, u, "constraint")))
			return 1;
		if (word_after(u + 1, end, "table") && word_before(p, u, "source"))
			return 1;
		if (kind == OP_ALTER_COLUMN && word_before(p, u, "type"))
			return 1;
	}
	return 0;
}

/* Keywords and text that need the full reading of a call. */
static int needs_reading(const struct mlint_script *s, const struct mlint_call *c,
			 enum op_kind kind)
{
	const char *p = s->source + c->off, *end = s->source + c->end;
	return kind == OP_RENAME_TABLE ||
	       memchr(p, '#', (size_t)(end - p)) || memchr(p, '\\', (size_t)(end - p)) ||
	       has_underscore_keyword(p, end, kind) || span_has(s, c, "concurrently") ||
	       (kind == OP_ADD_COLUMN && span_has(s, c, "nullable") &&
		!span_has(s, c, "nullable=True"));
}

/* `table_name='t'` in the call: its text (new) in *out, NULL when absent or
 * not that simple (then 0: read the call). */
static int quick_table_kw(const struct mlint_script *s, const struct mlint_call *c,
			  struct mlint_arena_block **strings, const char **out)
{
	const char *p = s->source + c->off, *end = s->source + c->end, *v;
	size_t n;

	*out = NULL;
	for (; (p = memchr(p, 't', (size_t)(end - p))) != NULL; p++)
		if ((size_t)(end - p) > 11 && memcmp(p, "table_name=", 11) == 0)
			break;
	if (!p || !simple_string(p + 11, end, &v, &n))
		return 0;
	return (*out = mlint_arena_strndup(strings, v, n)) ? 1 : MLINT_ERROR;
}

/* Table and name of an operation as autogenerate writes it, into new
 * strings. 1 when read, 0 when the call must be read in full. */
static int quick_fields(const struct mlint_script *s, const struct mlint_call *c,
			enum op_kind kind, int batch, const char *batch_table,
			struct mlint_arena_block **strings, const char **table, const char **name)
{
	const char *n, *after = NULL;

	*table = *name = NULL;
	if (needs_reading(s, c, kind))
		return 0;
	if (batch) {
		if (!(n = quick_name(s, c, kind == OP_ADD_COLUMN)))
			return 0;
		*table = batch_table;
	} else if (kind == OP_ADD_COLUMN) {
		if (!(n = quick_added_column(s, c)))
			return 0;
		*table = c->first_arg;
	} else if (kind == OP_DROP_COLUMN || kind == OP_ALTER_COLUMN) {
		/* op.drop_column('t', 'c'), op.alter_column('t', 'c', nullable=...) */
		if (!c->first_arg || !(after = after_first(s, c)) ||
		    second_literal(after, s->source + c->end, strings, name) < 0)
			return after ? MLINT_ERROR : 0;
		if (!*name)
			return 0;
		*table = c->first_arg;
		return 1;
	} else {
		/* create_index(name, 'table', ...), drop_index(name, table_name='t') */
		if (!(n = quick_name(s, c, 0)) || !(after = after_first(s, c)))
			return 0;
		if (second_literal(after, s->source + c->end, strings, table) < 0)
			return MLINT_ERROR;
		if (!*table && span_has(s, c, "table_name")) {
			int r = quick_table_kw(s, c, strings, table);
			if (r <= 0)
				return r;
		}
	}
	*name = n;
	return 1;
}

/* What autogenerate writes, without tokenizing the call again. 1 when
 * added, 0 when the call must be read, <0 on OOM. */
static int add_quick_op(const struct mlint_script *s, const struct mlint_call *c,
			enum op_kind kind, int batch, const char *batch_table, struct ops *out)
{
	const char *table, *name;
	int r = quick_fields(s, c, kind, batch, batch_table, &out->strings, &table, &name);
	struct op *o;

	if (r <= 0 || MLINT_ARRAY_GROW(out->items, out->alloc, out->nr + 1) < 0)
		return r <= 0 ? r : MLINT_ERROR;
	o = &out->items[out->nr++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->call = c;
	o->table = table;
	o->name = name;
	return 1;
}

static int add_op(const struct mlint_script *s, const struct mlint_call *c, struct ops *out,
		  struct call_tokens *ct)
{
	struct arg args[MAX_ARGS];
	const char *batch_table;
	int batch, error;
	enum op_kind kind = classify(&s->m, c, &batch, &batch_table);
	struct op *o;
	size_t open = 0, nr;

	if (kind == OP_OTHER || !s->source || c->end > s->source_len || c->end <= c->off)
		return 0;
	if ((kind == OP_CREATE_TABLE || kind == OP_DROP_TABLE) && c->first_arg)
		return add_table_op(c, kind, out); /* a create_table can be long: not re-read */
	if ((error = add_quick_op(s, c, kind, batch, batch_table, out)) != 0)
		return error < 0 ? error : 0;
	if ((error = tokenize(ct, s->source + c->off, c->end - c->off)) < 0)
		return error;
	while (open < ct->nr && ct->toks[open].kind != '(')
		open++;
	if (open == ct->nr || MLINT_ARRAY_GROW(out->items, out->alloc, out->nr + 1) < 0)
		return open == ct->nr ? 0 : MLINT_ERROR;
	o = &out->items[out->nr++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->call = c;
	nr = split_args(ct, open, args);
	if ((error = read_op(ct, args, nr, batch, o)) < 0)
		return error;
	if (batch && batch_table && !o->table)
		o->table = batch_table;
	return 0;
}

/* The operations of function f, in order. */
static int read_ops(const struct mlint_script *s, size_t f, struct ops *out)
{
	const struct mlint_function *fn = &s->m.functions[f];
	struct call_tokens ct = {0};
	int error = 0;

	ct.strings = &out->strings;
	for (size_t i = fn->first_call; i < fn->first_call + fn->nr_calls && error == 0; i++)
		error = add_op(s, &s->m.calls[i], out, &ct);
	free(ct.toks);
	return error;
}

/* ---- findings ------------------------------------------------------------ */

static int add_at(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
		  unsigned line, unsigned col, unsigned call_line, const char *fmt, const char *a,
		  const char *b, const char *c)
{
	size_t len = 0;
	const char *text = mlint_script_line(s, line, &len);
	char msg[1024];

	snprintf(msg, sizeof(msg), fmt, a ? a : "?", b ? b : "?", c ? c : "?");
	if (mlint_findings_add(out, rule, s->path, line, col, mlint_migration_revision(&s->m),
			       text, len, "%s", msg) < 0)
		return MLINT_ERROR;
	out->items[out->nr - 1].call_line = call_line;
	return 0;
}

static int add_for_op(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
		      const struct op *o, const char *fmt, const char *a, const char *b,
		      const char *c)
{
	return add_at(out, s, rule, o->call->line, o->call->col, o->call->line, fmt, a, b, c);
}

static int created_here(const struct ops *up, const char *table)
{
	for (size_t i = 0; table && i < up->nr; i++)
		if (up->items[i].kind == OP_CREATE_TABLE && up->items[i].table &&
		    strcmp(up->items[i].table, table) == 0)
			return 1;
	return 0;
}

/* not-null-without-default, create-index-not-concurrently, rename-*, alter-column-type */
static int check_risky(const struct mlint_script *s, const struct ops *up,
		       const struct ops *all_up, struct mlint_findings *out)
{
	for (size_t i = 0; i < up->nr; i++) {
		const struct op *o = &up->items[i];
		int e = 0;
		if (o->kind == OP_ADD_COLUMN && o->not_null_no_default)
			e = add_for_op(out, s, "not-null-without-default", o,
				       "column '%s' is added to '%s' as NOT NULL without a "
				       "server_default: this fails on a table that has rows%s",
				       o->name, o->table, "");
		else if (o->kind == OP_CREATE_INDEX && !o->concurrently &&
			 !created_here(all_up, o->table))
			e = add_for_op(out, s, "create-index-not-concurrently", o,
				       "index '%s' on existing table '%s' is built without "
				       "postgresql_concurrently=True: on PostgreSQL it blocks writes "
				       "to the table until it is built%s", o->name, o->table, "");
		else if (o->kind == OP_RENAME_TABLE)
			e = add_for_op(out, s, "rename-table", o,
				       "table '%s' is renamed to '%s': code still running during "
				       "the deploy uses the old name%s", o->name, o->new_name, "");
		if (e < 0)
			return e;
		if (o->kind == OP_ALTER_COLUMN && o->new_name &&
		    add_for_op(out, s, "rename-column", o, "column '%s' of '%s' is renamed to "
			       "'%s': code still running during the deploy uses the old name",
			       o->name, o->table, o->new_name) < 0)
			return MLINT_ERROR;
		if (o->kind == OP_ALTER_COLUMN && o->has_type &&
		    add_for_op(out, s, "alter-column-type", o, "the type of column '%s' of '%s' "
			       "changes: the database may rewrite (and lock) the whole table%s",
			       o->name, o->table, "") < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static int same(const char *a, const char *b)
{
	return !a || !b || strcmp(a, b) == 0;
}

/* Does the downgrade hold the inverse of `o`? */
static int has_inverse(const struct op *o, const struct ops *down)
{
	for (size_t i = 0; i < down->nr; i++) {
		const struct op *d = &down->items[i];
		int table_dropped = d->kind == OP_DROP_TABLE && o->table && d->table &&
				    strcmp(o->table, d->table) == 0;
		switch (o->kind) {
		case OP_CREATE_TABLE:
			if (table_dropped) return 1;
			break;
		case OP_DROP_TABLE:
			if (d->kind == OP_CREATE_TABLE && same(o->table, d->table)) return 1;
			break;
		case OP_ADD_COLUMN: case OP_CREATE_INDEX: case OP_CREATE_CONSTRAINT:
			if (table_dropped) return 1;
			if (d->kind == (o->kind == OP_ADD_COLUMN ? OP_DROP_COLUMN : o->kind ==
					OP_CREATE_INDEX ? OP_DROP_INDEX : OP_DROP_CONSTRAINT) &&
			    d->name && strcmp(o->name, d->name) == 0 && same(o->table, d->table))
				return 1;
			break;
		case OP_DROP_COLUMN: case OP_DROP_INDEX: case OP_DROP_CONSTRAINT:
			if (d->kind == (o->kind == OP_DROP_COLUMN ? OP_ADD_COLUMN : o->kind ==
					OP_DROP_INDEX ? OP_CREATE_INDEX : OP_CREATE_CONSTRAINT) &&
			    d->name && strcmp(o->name, d->name) == 0 && same(o->table, d->table))
				return 1;
			break;
		case OP_RENAME_TABLE:
			if (d->kind == OP_RENAME_TABLE && d->name && d->new_name &&
			    strcmp(d->name, o->new_name) == 0 && strcmp(d->new_name, o->name) == 0)
				return 1;
			break;
		case OP_ALTER_COLUMN:
			if (d->kind == OP_ALTER_COLUMN && d->name && d->new_name &&
			    strcmp(d->name, o->new_name) == 0 && strcmp(d->new_name, o->name) == 0 &&
			    same(o->table, d->table))
				return 1;
			break;
		default:
			return 1;
		}
	}
	return 0;
}

static const char *inverse_words(const struct op *o, const char **what)
{
	switch (o->kind) {
	case OP_CREATE_TABLE: *what = "creates table"; return "drop_table";
	case OP_DROP_TABLE: *what = "drops table"; return "create_table";
	case OP_ADD_COLUMN: *what = "adds column"; return "drop_column";
	case OP_DROP_COLUMN: *what = "drops column"; return "add_column";
	case OP_CREATE_INDEX: *what = "creates index"; return "drop_index";
	case OP_DROP_INDEX: *what = "drops index"; return "create_index";
	case OP_CREATE_CONSTRAINT: *what = "creates constraint"; return "drop_constraint";
	case OP_DROP_CONSTRAINT: *what = "drops constraint"; return "create_*constraint";
	case OP_RENAME_TABLE: *what = "renames table"; return "rename_table back";
	default: *what = "renames column"; return "alter_column(new_column_name=...) back";
	}
}

static int check_asymmetric(const struct mlint_script *s, const struct ops *up,
			    const struct ops *down, const char *down_name,
			    struct mlint_findings *out)
{
	char msg[300];
	for (size_t i = 0; i < up->nr; i++) {
		const struct op *o = &up->items[i];
		const char *what, *inv;
		int known = o->kind == OP_CREATE_TABLE || o->kind == OP_DROP_TABLE
				    ? o->table != NULL
				    : o->kind == OP_ALTER_COLUMN ? o->name && o->new_name
				    : o->kind == OP_RENAME_TABLE ? o->name && o->new_name
				    : o->name != NULL;
		if (!known || has_inverse(o, down))
			continue;
		inv = inverse_words(o, &what);
		snprintf(msg, sizeof(msg), "%%s() %s '%%s'%s%s%s but %s() has no %s to undo it",
			 what, o->table && o->kind != OP_CREATE_TABLE && o->kind != OP_DROP_TABLE
				       ? " on '" : "",
			 o->table && o->kind != OP_CREATE_TABLE && o->kind != OP_DROP_TABLE
				 ? o->table : "",
			 o->table && o->kind != OP_CREATE_TABLE && o->kind != OP_DROP_TABLE
				 ? "'" : "",
			 down_name, inv);
		if (add_for_op(out, s, "asymmetric-downgrade", o, msg,
			       s->m.functions[o->call->function].name,
			       o->kind == OP_CREATE_TABLE || o->kind == OP_DROP_TABLE ? o->table
										    : o->name,
			       NULL) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- missing-downgrade, empty-upgrade -------------------------------------- */

static int is_merge(const struct mlint_migration *m)
{
	return m->down_revision.kind == MLINT_VAL_SEQ && m->down_revision.nr > 1;
}

/* downgrade<suffix> for upgrade<suffix>, or NULL. */
static const struct mlint_function *partner(const struct mlint_migration *m,
					    const struct mlint_function *up)
{
	const char *suffix = up->name + strlen("upgrade");
	for (size_t i = 0; i < m->nr_functions; i++) {
		const struct mlint_function *f = &m->functions[i];
		if (!f->is_upgrade && strcmp(f->name + strlen("downgrade"), suffix) == 0)
			return f;
	}
	return NULL;
}

static int check_downgrade(const struct mlint_script *s, const struct mlint_function *up,
			   const struct mlint_function *down, enum mlint_downgrade_policy policy,
			   struct mlint_findings *out)
{
	if (policy == MLINT_DOWNGRADE_OFF || up->body != MLINT_BODY_CODE || is_merge(&s->m))
		return 0;
	if (!down)
		return add_at(out, s, "missing-downgrade", up->def_line, 1, 0,
			      "%s() changes the schema but there is no %s(): this migration "
			      "cannot be rolled back%s", up->name, "downgrade", "");
	if (down->body == MLINT_BODY_EMPTY)
		return add_at(out, s, "missing-downgrade", down->def_line, 1, 0,
			      "%s() does nothing while %s() changes the schema: `alembic downgrade` "
			      "would not revert it%s", down->name, up->name, "");
	if (down->body == MLINT_BODY_RAISE && policy == MLINT_DOWNGRADE_REQUIRE)
		return add_at(out, s, "missing-downgrade", down->def_line, 1, 0,
			      "%s() only raises %s: this migration cannot be rolled back (set "
			      "`downgrade = allow-raise` in [mlint] if that is deliberate)%s",
			      down->name, down->raises && *down->raises ? down->raises : "", "");
	return 0;
}

/* A file without any upgrade() is left alone: helper modules and test
 * fixtures often are; Alembic itself reports it when it runs it. */
static int check_empty_upgrade(const struct mlint_script *s, struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;

	if (is_merge(m) || !mlint_migration_has_revision(m))
		return 0;
	for (size_t i = 0; i < m->nr_functions; i++) {
		const struct mlint_function *f = &m->functions[i];
		if (f->is_upgrade && f->body == MLINT_BODY_EMPTY &&
		    add_at(out, s, "empty-upgrade", f->def_line, 1, 0, "%s() does nothing: "
			   "autogenerate found no change, or the model change was not imported%s%s",
			   f->name, "", "") < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static int check_pair(const struct mlint_script *s, size_t f, const struct ops *uo,
		      const struct ops *all_up, const struct mlint_check_opts *opts,
		      struct mlint_findings *out)
{
	const struct mlint_function *up = &s->m.functions[f], *down = partner(&s->m, up);
	struct ops dn = {0};
	int error;

	if ((error = check_risky(s, uo, all_up, out)) < 0 ||
	    (error = check_downgrade(s, up, down, opts->downgrade, out)) < 0)
		return error;
	if (down && down->body == MLINT_BODY_CODE && opts->downgrade != MLINT_DOWNGRADE_OFF &&
	    !is_merge(&s->m)) {
		if ((error = read_ops(s, (size_t)(down - s->m.functions), &dn)) == 0)
			error = check_asymmetric(s, uo, &dn, down->name, out);
	}
	ops_release(&dn);
	return error;
}

/* Adds the ops of `from` to `to`, which borrows their strings. */
static int append_ops(struct ops *to, const struct ops *from)
{
	if (!from->nr)
		return 0;
	if (MLINT_ARRAY_GROW(to->items, to->alloc, to->nr + from->nr) < 0)
		return MLINT_ERROR;
	memcpy(to->items + to->nr, from->items, from->nr * sizeof(*to->items));
	to->nr += from->nr;
	return 0;
}

/* The upgrade functions' operations: per function (`per`, one struct ops
 * each), and all of them together (`all`, borrowing per's strings). */
int mlint_check_content_script(const struct mlint_script *s, const struct mlint_check_opts *opts,
			       struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;
	struct ops few[4] = {{0}}, *per = few, all = {0}; /* few: upgrade, downgrade */
	int error = 0;

	if (!s->is_migration || s->refused || !mlint_migration_has_revision(m))
		return 0;
	if (m->nr_functions > 4 && !(per = calloc(m->nr_functions, sizeof(*per))))
		return mlint_error_set("out of memory");
	for (size_t f = 0; f < m->nr_functions && error == 0; f++)
		if (m->functions[f].is_upgrade && (error = read_ops(s, f, &per[f])) == 0)
			error = append_ops(&all, &per[f]);
	for (size_t f = 0; f < m->nr_functions && error == 0; f++)
		if (m->functions[f].is_upgrade)
			error = check_pair(s, f, &per[f], &all, opts, out);
	if (error == 0)
		error = check_empty_upgrade(s, out);
	for (size_t f = 0; f < m->nr_functions; f++)
		ops_release(&per[f]);
	if (per != few)
		free(per);
	free(all.items);
	return error;
}
