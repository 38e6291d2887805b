/*
 * The operation model, from calls: each op.X / batch_op.X call of a
 * function becomes one operation (two for an alter_column that renames and
 * changes), its span tokenized again to read the arguments that decide the
 * risk. The SQL strings given to op.execute / text() / sa.text() go to
 * ops_sql.c. Context (autocommit_block, batch, loop) comes from the
 * extractor's blocks and aliases.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "mlint/migration.h"
#include "mlint/ops.h"
#include "mlint/pyscan.h"
#include "arena.h"
#include "util.h"

void mlint_ops_init(struct mlint_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
}

void mlint_ops_release(struct mlint_ops *ops)
{
	free(ops->items);
	mlint_arena_release(&ops->strings);
	mlint_ops_init(ops);
}

void mlint_ops_clear(struct mlint_ops *ops)
{
	ops->nr = 0;
	ops->nr_sql_unparsed = 0;
	mlint_arena_reset(&ops->strings);
}

static const char *const kind_names[] = {
	[MLINT_OP_OTHER] = "other",
	[MLINT_OP_CREATE_TABLE] = "create_table",
	[MLINT_OP_DROP_TABLE] = "drop_table",
	[MLINT_OP_RENAME_TABLE] = "rename_table",
	[MLINT_OP_ADD_COLUMN] = "add_column",
	[MLINT_OP_DROP_COLUMN] = "drop_column",
	[MLINT_OP_ALTER_COLUMN] = "alter_column",
	[MLINT_OP_RENAME_COLUMN] = "rename_column",
	[MLINT_OP_CREATE_INDEX] = "create_index",
	[MLINT_OP_DROP_INDEX] = "drop_index",
	[MLINT_OP_CREATE_CONSTRAINT] = "create_constraint",
	[MLINT_OP_DROP_CONSTRAINT] = "drop_constraint",
	[MLINT_OP_VALIDATE_CONSTRAINT] = "validate_constraint",
	[MLINT_OP_EXECUTE_DDL] = "execute_ddl",
	[MLINT_OP_EXECUTE_DML] = "execute_dml",
	[MLINT_OP_BULK_INSERT] = "bulk_insert",
	[MLINT_OP_MAINTENANCE] = "maintenance",
	[MLINT_OP_TRANSACTION] = "transaction",
	[MLINT_OP_ALTER_TYPE_ADD_VALUE] = "alter_type_add_value",
	[MLINT_OP_DETACH_PARTITION] = "detach_partition",
	[MLINT_OP_ATTACH_PARTITION] = "attach_partition",
	[MLINT_OP_SET_SETTING] = "set",
	[MLINT_OP_EXECUTE_UNPARSED] = "execute_unparsed",
	[MLINT_OP_LOOP_DML] = "loop_dml",
	[MLINT_OP_CREATE_TYPE] = "create_type",
	[MLINT_OP_ALTER_TYPE_RENAME_VALUE] = "alter_type_rename_value",
};

const char *mlint_op_kind_name(enum mlint_op_kind kind)
{
	if ((size_t)kind < sizeof(kind_names) / sizeof(kind_names[0]) && kind_names[kind])
		return kind_names[kind];
	return "other";
}

/* ---- volatility of a default ------------------------------------------- */

/* Functions PostgreSQL marks volatile that people put in defaults. now(),
 * CURRENT_TIMESTAMP and friends are stable: one value per statement, so
 * PostgreSQL 11+ stores it once without a rewrite. */
static const char *const volatile_functions[] = {
	"random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
	"uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "txid_current",
	"statement_timestamp_volatile", "gen_random_bytes", "setseed",
};

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int mlint_sql_default_is_volatile(const char *text)
{
	if (!text)
		return 0;
	for (size_t i = 0; i < sizeof(volatile_functions) / sizeof(volatile_functions[0]); i++) {
		const char *w = volatile_functions[i], *p = text;
		size_t n = strlen(w);
		while ((p = strstr(p, w)) != NULL) {
			const char *q = p + n;
			int starts = p == text || !is_ident(p[-1]);
			while (*q == ' ' || *q == '\t')
				q++;
			if (starts && *q == '(')
				return 1;
			p += n;
		}
	}
	return 0;
}

/* ---- a call's arguments ------------------------------------------------ */

#define MAX_ARGS 32
#define NO_TOKEN ((size_t)-1)
#define NO_OP ((size_t)-1)

struct arg {
	size_t kw;   /* token index of the keyword, or NO_TOKEN */
	size_t a, b; /* value tokens [a, b) */
};

struct reader {
	const struct mlint_migration *m;
	const char *src;
	size_t src_len;
	struct mlint_ops *out;
	/* the call being read: its text and tokens */
	const char *text;
	struct mlint_token *toks;
	size_t nr, alloc;
	unsigned flags; /* mlint_ops_flags */
	/* span_words() of the call last asked about */
	const struct mlint_call *words_of;
	uint32_t words;
};

static int tokenize(struct reader *r, const char *text, size_t len)
{
	struct mlint_pyscan ps;
	struct mlint_token t;
	int error;

	r->text = text;
	r->nr = 0;
	mlint_pyscan_init(&ps, text, len);
	while ((error = mlint_pyscan_next(&ps, &t)) == 0 && t.kind != MLINT_TOK_ENDMARKER) {
		if (t.kind == MLINT_TOK_COMMENT || t.kind == MLINT_TOK_NL ||
		    t.kind == MLINT_TOK_NEWLINE || t.kind == MLINT_TOK_INDENT ||
		    t.kind == MLINT_TOK_DEDENT)
			continue;
		if ((error = MLINT_ARRAY_GROW(r->toks, r->alloc, r->nr + 1)) < 0)
			break;
		r->toks[r->nr++] = t;
	}
	mlint_pyscan_release(&ps);
	return error;
}

static int tok_eq(const struct reader *r, size_t i, const char *text)
{
	size_t n = strlen(text);
	return i < r->nr && r->toks[i].len == n && memcmp(r->text + r->toks[i].off, text, n) == 0;
}

static size_t closing(const struct reader *r, size_t open)
{
	unsigned depth = 0;
	for (size_t i = open; i < r->nr; i++) {
		int k = r->toks[i].kind;
		if (k == '(' || k == '[' || k == '{')
			depth++;
		else if ((k == ')' || k == ']' || k == '}') && --depth == 0)
			return i;
	}
	return r->nr;
}

/* The arguments of the call whose '(' is token `open`. */
/* Argument tokens [start, end): `NAME = value` is a keyword argument. */
static void set_arg(const struct reader *r, struct arg *a, size_t start, size_t end)
{
	a->kw = NO_TOKEN;
	a->a = start;
	a->b = end;
	if (end > start + 2 && r->toks[start].kind == MLINT_TOK_NAME &&
	    r->toks[start + 1].kind == '=') {
		a->kw = start;
		a->a = start + 2;
	}
}

static size_t split_args(const struct reader *r, size_t open, struct arg *args)
{
	size_t close = closing(r, open), start = open + 1, nr = 0;
	unsigned depth = 0;

	for (size_t i = open + 1; i <= close && i <= r->nr; i++) {
		int k = i < close ? r->toks[i].kind : ',';
		if (k == '(' || k == '[' || k == '{') depth++;
		if ((k == ')' || k == ']' || k == '}') && depth) depth--;
		if (k != ',' || depth)
			continue;
		if (i > start && nr < MAX_ARGS)
			set_arg(r, &args[nr++], start, i);
		start = i + 1;
	}
	return nr;
}

/* Positional argument `pos` (NO_TOKEN: none), else keyword `kw`. */
static const struct arg *get_arg(const struct reader *r, const struct arg *args, size_t nr,
				 size_t pos, const char *kw)
{
	size_t seen = 0;
	for (size_t i = 0; i < nr; i++) {
		if (args[i].kw == NO_TOKEN) {
			if (pos != NO_TOKEN && seen++ == pos)
				return &args[i];
		} else if (kw && tok_eq(r, args[i].kw, kw)) {
			return &args[i];
		}
	}
	return NULL;
}

/* '(' of a value that is NAME(.NAME)*(...), or NO_TOKEN. */
static size_t value_call_open(const struct reader *r, const struct arg *a)
{
	size_t i = a->a;
	if (i >= a->b || r->toks[i].kind != MLINT_TOK_NAME)
		return NO_TOKEN;
	while (i + 2 < a->b && r->toks[i + 1].kind == '.' && r->toks[i + 2].kind == MLINT_TOK_NAME)
		i += 2;
	if (i + 1 < a->b && r->toks[i + 1].kind == '(' && closing(r, i + 1) == a->b - 1)
		return i + 1;
	return NO_TOKEN;
}

static int is_plain_string(const struct mlint_token *t)
{
	return t->kind == MLINT_TOK_STRING &&
	       !(t->flags & (MLINT_STR_FORMAT | MLINT_STR_BYTES | MLINT_STR_UNTERMINATED));
}

/* Adjacent plain strings [a, b): their decoded value in the arena. */
static int decode_run(struct reader *r, size_t a, size_t b, const char **out)
{
	size_t max = 1, n = 0;
	char *v;

	for (size_t i = a; i < b; i++)
		max += mlint_pyscan_string_value_max(&r->toks[i]);
	if (!(v = mlint_arena_alloc(&r->out->strings, max)))
		return MLINT_ERROR;
	v[0] = '\0';
	for (size_t i = a; i < b; i++)
		n += mlint_pyscan_string_decode(r->text, &r->toks[i], v + n);
	mlint_arena_trim(&r->out->strings, v, n + 1);
	*out = v;
	return 0;
}

static int all_plain(const struct reader *r, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (!is_plain_string(&r->toks[i]))
			return 0;
	return a < b;
}

/* A string value: 'x' (or implicit concatenation), or f('x') / op.f('x')
 * (the naming convention). *out stays NULL otherwise. */
static int string_of(struct reader *r, const struct arg *a, const char **out)
{
	size_t open;

	*out = NULL;
	if (!a)
		return 0;
	if (all_plain(r, a->a, a->b))
		return decode_run(r, a->a, a->b, out);
	open = value_call_open(r, a);
	if (open != NO_TOKEN && tok_eq(r, open - 1, "f") && open + 2 < r->nr &&
	    is_plain_string(&r->toks[open + 1]) && r->toks[open + 2].kind == ')')
		return decode_run(r, open + 1, open + 2, out);
	return 0;
}

/* The value's source text, blanks folded, in the arena. */
static int source_of(struct reader *r, const struct arg *a, const char **out)
{
	size_t n = 0, max = 1;
	char *v;

	*out = NULL;
	if (!a || a->a >= a->b)
		return 0;
	for (size_t i = a->a; i < a->b; i++)
		max += r->toks[i].len + 1;
	if (!(v = mlint_arena_alloc(&r->out->strings, max)))
		return MLINT_ERROR;
	for (size_t i = a->a; i < a->b; i++) {
		if (i > a->a && r->toks[i].off > r->toks[i - 1].off + r->toks[i - 1].len &&
		    r->toks[i].kind != ')' && r->toks[i].kind != ']' && r->toks[i].kind != ',')
			v[n++] = ' ';
		memcpy(v + n, r->text + r->toks[i].off, r->toks[i].len);
		n += r->toks[i].len;
	}
	v[n] = '\0';
	mlint_arena_trim(&r->out->strings, v, n + 1);
	*out = v;
	return 0;
}

static enum mlint_tri tri_of(const struct reader *r, const struct arg *a)
{
	if (!a)
		return MLINT_TRI_UNSET;
	if (a->b == a->a + 1 && tok_eq(r, a->a, "True"))
		return MLINT_TRI_YES;
	if (a->b == a->a + 1 && tok_eq(r, a->a, "False"))
		return MLINT_TRI_NO;
	return MLINT_TRI_UNKNOWN;
}

static int value_is(const struct reader *r, const struct arg *a, const char *text)
{
	return a && a->b == a->a + 1 && tok_eq(r, a->a, text);
}

/* ---- calls into operations --------------------------------------------- */

enum method_shape {
	SHAPE_TABLE,          /* create_table / drop_table(name, ...) */
	SHAPE_RENAME_TABLE,
	SHAPE_ADD_COLUMN,
	SHAPE_COLUMN,         /* drop_column / alter_column(table, column) */
	SHAPE_INDEX,          /* create_index / drop_index(name, table, ...) */
	SHAPE_CONSTRAINT,     /* create_*(name, table, ...), drop_constraint */
	SHAPE_BULK,
	SHAPE_NONE,
};

static const struct method {
	const char *name;
	enum mlint_op_kind kind;
	enum method_shape shape;
	enum mlint_constraint_kind constraint;
} methods[] = {
	{"create_table", MLINT_OP_CREATE_TABLE, SHAPE_TABLE, MLINT_CONSTRAINT_UNKNOWN},
	{"drop_table", MLINT_OP_DROP_TABLE, SHAPE_TABLE, MLINT_CONSTRAINT_UNKNOWN},
	{"rename_table", MLINT_OP_RENAME_TABLE, SHAPE_RENAME_TABLE, MLINT_CONSTRAINT_UNKNOWN},
	{"add_column", MLINT_OP_ADD_COLUMN, SHAPE_ADD_COLUMN, MLINT_CONSTRAINT_UNKNOWN},
	{"drop_column", MLINT_OP_DROP_COLUMN, SHAPE_COLUMN, MLINT_CONSTRAINT_UNKNOWN},
	{"alter_column", MLINT_OP_ALTER_COLUMN, SHAPE_COLUMN, MLINT_CONSTRAINT_UNKNOWN},
	{"create_index", MLINT_OP_CREATE_INDEX, SHAPE_INDEX, MLINT_CONSTRAINT_UNKNOWN},
	{"drop_index", MLINT_OP_DROP_INDEX, SHAPE_INDEX, MLINT_CONSTRAINT_UNKNOWN},
	{"create_foreign_key", MLINT_OP_CREATE_CONSTRAINT, SHAPE_CONSTRAINT,
	 MLINT_CONSTRAINT_FOREIGN_KEY},
	{"create_unique_constraint", MLINT_OP_CREATE_CONSTRAINT, SHAPE_CONSTRAINT,
	 MLINT_CONSTRAINT_UNIQUE},
	{"create_check_constraint", MLINT_OP_CREATE_CONSTRAINT, SHAPE_CONSTRAINT,
	 MLINT_CONSTRAINT_CHECK},
	{"create_primary_key", MLINT_OP_CREATE_CONSTRAINT, SHAPE_CONSTRAINT,
	 MLINT_CONSTRAINT_PRIMARY_KEY},
	{"create_exclude_constraint", MLINT_OP_CREATE_CONSTRAINT, SHAPE_CONSTRAINT,
	 MLINT_CONSTRAINT_EXCLUDE},
	{"drop_constraint", MLINT_OP_DROP_CONSTRAINT, SHAPE_CONSTRAINT, MLINT_CONSTRAINT_UNKNOWN},
	{"bulk_insert", MLINT_OP_BULK_INSERT, SHAPE_BULK, MLINT_CONSTRAINT_UNKNOWN},
};

static const char BATCH_CALLEE[] = "batch_alter_table";
static const char BATCH_NAME[] = "batch_op";
static const char OP_NAME[] = "op";

static int prefix_is(const char *name, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(name, word, len) == 0;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The first bytes of the modelled methods' names. Built once (with the
 * span word tables), read only. */
static unsigned char method_starts[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static void tables_init(void);

/* The modelled method called `name`, or NULL: most callees (sa.Column,
 * sa.String, op.f) are out after comparing one byte per method. */
static const struct method *find_method(const char *name)
{
	/* op.f, sa.Column, sa.String: out on their first byte */
	pthread_once(&tables_once, tables_init);
	if (!method_starts[(unsigned char)name[0]])
		return NULL;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (methods[i].name[0] == name[0] && strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

/* op.M, batch_op.M or ALIAS.M of a batch_alter_table: the method, whether
 * batched and the batch's table. NULL for every other call. */
static const struct method *classify(const struct mlint_migration *m, const struct mlint_call *c,
				     const char *dot, int *batch, const char **batch_table)
{
	const struct mlint_alias *al;
	const struct method *me;
	size_t seg;

	*batch = 0;
	*batch_table = NULL;
	if (!dot || !(me = find_method(dot + 1)) || memchr(c->name, '.', (size_t)(dot - c->name)))
		return NULL;
	seg = (size_t)(dot - c->name);
	al = mlint_migration_alias(m, c->function, c->name, seg, c->line);
	if (al) {
		if (!ends_with(al->callee, BATCH_CALLEE))
			return NULL;
		*batch = 1;
		*batch_table = al->first_arg;
	} else if (prefix_is(c->name, seg, BATCH_NAME)) {
		*batch = 1;
	} else if (!prefix_is(c->name, seg, OP_NAME)) {
		return NULL;
	}
	return me;
}

static struct mlint_op *new_op(struct reader *r, const struct mlint_call *c, enum mlint_op_kind kind)
{
	struct mlint_op *o;
	if (MLINT_ARRAY_GROW(r->out->items, r->out->alloc, r->out->nr + 1) < 0)
		return NULL;
	o = &r->out->items[r->out->nr++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->call = c;
	o->function = c->function;
	o->line = c->line;
	o->col = c->col;
	o->in_autocommit = mlint_migration_block_at(r->m, c->function, c->line, MLINT_BLOCK_WITH,
						    "autocommit_block") != NULL;
	o->in_loop = mlint_migration_block_at(r->m, c->function, c->line, MLINT_BLOCK_LOOP,
					      NULL) != NULL;
	return o;
}

/* ---- enum types ---------------------------------------------------------- */

static int span_has(const struct reader *r, const struct mlint_call *c, const char *word);
static const char *kw_value(const struct reader *r, const struct mlint_call *c, const char *word);

/* `word=True` in the call's text. */
static int kw_true(const struct reader *r, const struct mlint_call *c, const char *word)
{
	const char *v = kw_value(r, c, word), *end = r->src + c->end;
	return v && (size_t)(end - v) > 4 && memcmp(v, "True", 4) == 0 && !is_ident(v[4]);
}

/* `n` bytes aligned for any object, from the ops' arena. */
static void *arena_object(struct reader *r, size_t n)
{
	const uintptr_t align = sizeof(long double) > sizeof(void *) ? sizeof(long double)
								    : sizeof(void *);
	char *p = mlint_arena_alloc(&r->out->strings, n + align);
	return p ? (void *)(((uintptr_t)p + align - 1) & ~(align - 1)) : NULL;
}

/* Whether the callee whose last name is token `open - 1` is an enum type:
 * sa.Enum, Enum, postgresql.ENUM, ENUM (not mysql.ENUM). */
static int is_enum_callee(const struct reader *r, size_t open)
{
	if (open == 0 || !(tok_eq(r, open - 1, "Enum") || tok_eq(r, open - 1, "ENUM")))
		return 0;
	return !(open >= 3 && r->toks[open - 2].kind == '.' && tok_eq(r, open - 3, "mysql"));
}

/* The next argument of the call whose argument list ends at token `close`,
 * from token *at on: 1 with *a filled, 0 when none is left. Unlike
 * split_args() without a limit: an enum may have hundreds of values. */
static int next_arg(const struct reader *r, size_t *at, size_t close, struct arg *a)
{
	while (*at < close) {
		size_t start = *at, i;
		unsigned depth = 0;
		for (i = start; i < close; i++) {
			int k = r->toks[i].kind;
			if (k == '(' || k == '[' || k == '{')
				depth++;
			else if ((k == ')' || k == ']' || k == '}') && depth)
				depth--;
			else if (k == ',' && !depth)
				break;
		}
		*at = i + 1;
		if (i == start)
			continue; /* a trailing comma */
		set_arg(r, a, start, i);
		return 1;
	}
	return 0;
}

/* The Enum(...) call whose '(' is token `open`: its name, values and
 * create_type; NULL in *out when it is not a native enum type. */
static int enum_from_open(struct reader *r, size_t open, const struct mlint_enum_type **out)
{
	size_t close = closing(r, open), at = open + 1, nr_pos = 0;
	struct arg a, name_arg = {NO_TOKEN, 0, 0};
	struct mlint_enum_type *e;
	const char **values;
	int error;

	*out = NULL;
	if (!(e = arena_object(r, sizeof(*e))))
		return MLINT_ERROR;
	memset(e, 0, sizeof(*e));
	e->values_known = 1;
	e->postgresql = tok_eq(r, open - 1, "ENUM");
	while (next_arg(r, &at, close, &a)) {
		if (a.kw == NO_TOKEN)
			nr_pos++;
		else if (tok_eq(r, a.kw, "native_enum") && tri_of(r, &a) != MLINT_TRI_YES)
			return 0; /* native_enum=False: a VARCHAR, no type of its own */
		else if (tok_eq(r, a.kw, "create_type"))
			e->no_create = tri_of(r, &a) == MLINT_TRI_NO;
		else if (tok_eq(r, a.kw, "name"))
			name_arg = a;
	}
	if (!(values = arena_object(r, (nr_pos ? nr_pos : 1) * sizeof(*values))))
		return MLINT_ERROR;
	for (at = open + 1; next_arg(r, &at, close, &a);) {
		const char *v = NULL;
		if (a.kw != NO_TOKEN)
			continue;
		/* a Python enum class, *values, a variable: values not known */
		if (!all_plain(r, a.a, a.b)) {
			e->values_known = 0;
			continue;
		}
		if ((error = decode_run(r, a.a, a.b, &v)) < 0)
			return error;
		values[e->nr_values++] = v;
	}
	e->values = values;
	if (name_arg.kw != NO_TOKEN && (error = string_of(r, &name_arg, &e->name)) < 0)
		return error;
	*out = e;
	return 0;
}

/* A type argument that is an Enum(...) call. */
static int enum_of(struct reader *r, const struct arg *a, const struct mlint_enum_type **out)
{
	size_t open = a ? value_call_open(r, a) : NO_TOKEN;

	*out = NULL;
	if (open == NO_TOKEN || !is_enum_callee(r, open))
		return 0;
	return enum_from_open(r, open, out);
}

/* A call's text that is an Enum(...) call on its own (tokenized here). */
static int enum_of_call(struct reader *r, const struct mlint_call *c,
			const struct mlint_enum_type **out)
{
	size_t open = 0;
	int error;

	*out = NULL;
	if ((error = tokenize(r, r->src + c->off, c->end - c->off)) < 0)
		return error;
	while (open < r->nr && r->toks[open].kind != '(')
		open++;
	if (open == r->nr || !is_enum_callee(r, open))
		return 0;
	return enum_from_open(r, open, out);
}

static int is_enum_name(const char *callee)
{
	return ends_with(callee, "Enum") || ends_with(callee, "ENUM");
}

static int add_create_type(struct reader *r, const struct mlint_call *c,
			   const struct mlint_enum_type *e)
{
	struct mlint_op *o = new_op(r, c, MLINT_OP_CREATE_TYPE);

	if (!o)
		return MLINT_ERROR;
	o->name = e ? e->name : NULL;
	o->enum_type = e;
	return 0;
}

/* The enum types an op.create_table creates: one for each Enum(...) among
 * its arguments (Alembic emits CREATE TYPE before CREATE TABLE), unless
 * create_type=False. */
static int create_table_types(struct reader *r, const struct mlint_call *c)
{
	const struct mlint_call *n, *last = r->m->calls + r->m->nr_calls;
	const struct mlint_enum_type *e;
	int error;

	for (n = c + 1; n < last && n->off < c->end; n++) {
		if (!is_enum_name(n->name))
			continue;
		if ((error = enum_of_call(r, n, &e)) < 0)
			return error;
		/* sa.Enum ignores create_type=False (SQLAlchemy takes it for
		 * postgresql.ENUM only): create_table still creates the type */
		if (!e || (e->no_create && e->postgresql))
			continue;
		if ((error = add_create_type(r, c, e)) < 0)
			return error;
		/* at the Enum's line, still part of the create_table call */
		r->out->items[r->out->nr - 1].by_create_table = 1;
		r->out->items[r->out->nr - 1].line = n->line;
		r->out->items[r->out->nr - 1].col = n->col;
	}
	return 0;
}

/*
 * X.create(bind...) creating an enum type: sa.Enum(..., name='x').create(
 * op.get_bind()) (the extractor records the chained call as `create` right
 * after the Enum call) or NAME.create(...) with a bind, the type held in a
 * variable (which type is not known). 1 when it was one.
 */
static int enum_create_call(struct reader *r, const struct mlint_call *c, const char *dot)
{
	const struct mlint_function *f = &r->m->functions[c->function];
	const struct mlint_call *p = NULL, *first = r->m->calls + f->first_call;
	const struct mlint_enum_type *e;
	int error;

	if (strcmp(dot ? dot + 1 : c->name, "create") != 0)
		return 0;
	if (dot) {
		/* variable.create(bind): any type; op.X / batch_op.X are not types */
		if (memchr(c->name, '.', (size_t)(dot - c->name)) || prefix_is(c->name,
		    (size_t)(dot - c->name), OP_NAME) || !span_has(r, c, "bind"))
			return 0;
		if ((error = add_create_type(r, c, NULL)) < 0)
			return error;
		r->out->items[r->out->nr - 1].if_exists = kw_true(r, c, "checkfirst")
								  ? MLINT_TRI_YES : MLINT_TRI_UNSET;
		return 1;
	}
	if (c->off == 0 || r->src[c->off - 1] != '.')
		return 0;
	/* back over the Enum's own nested calls (a few) to the Enum */
	for (size_t back = (size_t)(c - first), seen = 0; back-- > 0 && !p && seen++ < 64;)
		if (first[back].end == c->off - 1)
			p = &first[back];
	if (!p || !is_enum_name(p->name))
		return 0;
	if ((error = enum_of_call(r, p, &e)) < 0 || (error = add_create_type(r, c, e)) < 0)
		return error;
	/* checkfirst=True: skipped when the type exists (on a live database) */
	r->out->items[r->out->nr - 1].if_exists = kw_true(r, c, "checkfirst") ? MLINT_TRI_YES
									 : MLINT_TRI_UNSET;
	return 1;
}

/* A Column(...) value: name, type, nullable, server_default and what makes
 * PostgreSQL fill it row by row. */
static int read_column(struct reader *r, const struct arg *col, struct mlint_op *o)
{
	struct arg in[MAX_ARGS];
	size_t open = col ? value_call_open(r, col) : NO_TOKEN, nr;
	const struct arg *dflt, *type;
	int error;

	if (open == NO_TOKEN)
		return 0;
	nr = split_args(r, open, in);
	o->nullable = tri_of(r, get_arg(r, in, nr, NO_TOKEN, "nullable"));
	dflt = get_arg(r, in, nr, NO_TOKEN, "server_default");
	o->has_default = dflt && !value_is(r, dflt, "None");
	o->primary_key = tri_of(r, get_arg(r, in, nr, NO_TOKEN, "primary_key")) == MLINT_TRI_YES;
	if (o->primary_key && o->nullable == MLINT_TRI_UNSET)
		o->nullable = MLINT_TRI_NO;
	if ((error = string_of(r, get_arg(r, in, nr, 0, "name"), &o->column)) < 0)
		return error;
	type = get_arg(r, in, nr, o->column ? 1 : 0, "type_");
	if (type && type->kw == NO_TOKEN && type->a < type->b &&
	    r->toks[type->a].kind == MLINT_TOK_STRING)
		type = NULL;
	if ((error = source_of(r, type, &o->type)) < 0 ||
	    (error = enum_of(r, type, &o->enum_type)) < 0 ||
	    (error = source_of(r, o->has_default ? dflt : NULL, &o->server_default)) < 0)
		return error;
	o->default_volatile = mlint_sql_default_is_volatile(o->server_default);
	/* positional extras: sa.Identity(), sa.Computed(..., persisted=True) */
	for (size_t i = 0; i < nr; i++) {
		size_t open2 = value_call_open(r, &in[i]);
		if (in[i].kw != NO_TOKEN || open2 == NO_TOKEN)
			continue;
		if (tok_eq(r, open2 - 1, "Identity"))
			o->identity = 1;
		if (tok_eq(r, open2 - 1, "Computed")) {
			struct arg cin[MAX_ARGS];
			size_t cnr = split_args(r, open2, cin);
			/* PostgreSQL only has STORED generated columns */
			if (tri_of(r, get_arg(r, cin, cnr, NO_TOKEN, "persisted")) != MLINT_TRI_NO)
				o->generated_stored = 1;
		}
	}
	if (o->type && (strstr(o->type, "SERIAL") || strstr(o->type, "Serial")))
		o->serial = 1;
	return 0;
}

/* alter_column(...): the changes; a rename is an operation of its own
 * (the alter stays too when it also changes type, nullability or default). */
static int read_alter_column(struct reader *r, const struct arg *args, size_t nr, size_t index)
{
	const struct arg *dflt = get_arg(r, args, nr, NO_TOKEN, "server_default");
	struct mlint_op *o = &r->out->items[index], *ren;
	const char *new_name;
	int error;

	o->nullable = tri_of(r, get_arg(r, args, nr, NO_TOKEN, "nullable"));
	o->existing_nullable = tri_of(r, get_arg(r, args, nr, NO_TOKEN, "existing_nullable"));
	o->has_default = dflt && !value_is(r, dflt, "None");
	o->has_using = get_arg(r, args, nr, NO_TOKEN, "postgresql_using") != NULL;
	if ((error = source_of(r, get_arg(r, args, nr, NO_TOKEN, "type_"), &o->type)) < 0 ||
	    (error = source_of(r, get_arg(r, args, nr, NO_TOKEN, "existing_type"),
			       &o->existing_type)) < 0 ||
	    (error = enum_of(r, get_arg(r, args, nr, NO_TOKEN, "type_"), &o->enum_type)) < 0 ||
	    (error = enum_of(r, get_arg(r, args, nr, NO_TOKEN, "existing_type"),
			     &o->existing_enum)) < 0 ||
	    (error = source_of(r, o->has_default ? dflt : NULL, &o->server_default)) < 0 ||
	    (error = string_of(r, get_arg(r, args, nr, NO_TOKEN, "new_column_name"),
			       &new_name)) < 0)
		return error;
	o->default_volatile = mlint_sql_default_is_volatile(o->server_default);
	if (!get_arg(r, args, nr, NO_TOKEN, "new_column_name"))
		return 0;
	if (!o->type && o->nullable == MLINT_TRI_UNSET && !dflt) {
		o->kind = MLINT_OP_RENAME_COLUMN;
		o->new_name = new_name;
		return 0;
	}
	if (!(ren = new_op(r, o->call, MLINT_OP_RENAME_COLUMN)))
		return MLINT_ERROR;
	o = &r->out->items[index]; /* the array may have moved */
	ren->table = o->table;
	ren->column = o->column;
	ren->new_name = new_name;
	ren->in_batch = o->in_batch;
	return 0;
}

/* Reads a call's arguments into o. `batch`: no table argument. */
static int read_call(struct reader *r, const struct method *me, int batch, size_t op_index)
{
	struct arg args[MAX_ARGS];
	struct mlint_op *o = &r->out->items[op_index];
	size_t open = 0, nr, pos_table = batch ? NO_TOKEN : 0, pos_name = batch ? 0 : 1;
	int error = 0;

	while (open < r->nr && r->toks[open].kind != '(')
		open++;
	if (open == r->nr)
		return 0;
	nr = split_args(r, open, args);
	o->if_exists = tri_of(r, get_arg(r, args, nr, NO_TOKEN, "if_exists"));
	switch (me->shape) {
	case SHAPE_TABLE:
		return string_of(r, get_arg(r, args, nr, 0, "table_name"), &o->table);
	case SHAPE_RENAME_TABLE:
		if ((error = string_of(r, get_arg(r, args, nr, 0, "old_table_name"), &o->table)) < 0)
			return error;
		o->name = o->table;
		return string_of(r, get_arg(r, args, nr, 1, "new_table_name"), &o->new_name);
	case SHAPE_ADD_COLUMN:
		if (!batch && (error = string_of(r, get_arg(r, args, nr, 0, "table_name"),
						 &o->table)) < 0)
			return error;
		return read_column(r, get_arg(r, args, nr, pos_name, "column"), o);
	case SHAPE_COLUMN:
		if (!batch && (error = string_of(r, get_arg(r, args, nr, pos_table, "table_name"),
						 &o->table)) < 0)
			return error;
		if ((error = string_of(r, get_arg(r, args, nr, pos_name, "column_name"),
				       &o->column)) < 0)
			return error;
		return o->kind == MLINT_OP_ALTER_COLUMN ? read_alter_column(r, args, nr, op_index) : 0;
	case SHAPE_INDEX: {
		const struct arg *cols;
		o->concurrently = tri_of(r, get_arg(r, args, nr, NO_TOKEN, "postgresql_concurrently"));
		o->unique = tri_of(r, get_arg(r, args, nr, NO_TOKEN, "unique"));
		if ((error = string_of(r, get_arg(r, args, nr, 0, "index_name"), &o->name)) < 0)
			return error;
		if (!batch && (error = string_of(r, get_arg(r, args, nr, 1, "table_name"),
						 &o->table)) < 0)
			return error;
		cols = get_arg(r, args, nr, batch ? 1 : 2, "columns");
		if (cols && cols->b > cols->a + 1 && r->toks[cols->a].kind == '[' &&
		    is_plain_string(&r->toks[cols->a + 1]))
			return decode_run(r, cols->a + 1, cols->a + 2, &o->column);
		return 0;
	}
	case SHAPE_CONSTRAINT:
		o->constraint = me->constraint;
		o->not_valid = tri_of(r, get_arg(r, args, nr, NO_TOKEN, "postgresql_not_valid"));
		if ((error = string_of(r, get_arg(r, args, nr, 0, "constraint_name"), &o->name)) < 0)
			return error;
		if (me->kind == MLINT_OP_DROP_CONSTRAINT) {
			const struct arg *t = get_arg(r, args, nr, NO_TOKEN, "type_");
			if (value_is(r, t, "'foreignkey'") || value_is(r, t, "\"foreignkey\""))
				o->constraint = MLINT_CONSTRAINT_FOREIGN_KEY;
			else if (value_is(r, t, "'unique'") || value_is(r, t, "\"unique\""))
				o->constraint = MLINT_CONSTRAINT_UNIQUE;
			else if (value_is(r, t, "'primary'") || value_is(r, t, "\"primary\""))
				o->constraint = MLINT_CONSTRAINT_PRIMARY_KEY;
			else if (value_is(r, t, "'check'") || value_is(r, t, "\"check\""))
				o->constraint = MLINT_CONSTRAINT_CHECK;
		}
		if (batch)
			return 0;
		if ((error = string_of(r, get_arg(r, args, nr, 1, me->constraint ==
						  MLINT_CONSTRAINT_FOREIGN_KEY ? "source_table"
						  : "table_name"), &o->table)) < 0)
			return error;
		if (!o->table)
			error = string_of(r, get_arg(r, args, nr, NO_TOKEN, "source_table"),
					  &o->table);
		return error;
	case SHAPE_BULK:
		return 0;
	default:
		return 0;
	}
}

/* ---- names only, without reading the call again ---------------------------- */

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* A plain one-line literal 'x' or "x" at p (no prefix, no escapes): its
 * text in value/len, and the byte after it; NULL otherwise. */
static const char *simple_string(const char *p, const char *end, const char **value, size_t *len)
{
	const char *q;
	if (p >= end || (*p != '\'' && *p != '"'))
		return NULL;
	for (q = p + 1; q < end && *q != *p; q++)
		if (*q == '\\' || *q == '\n')
			return NULL;
	if (q >= end || q == p + 1)
		return NULL;
	*value = p + 1;
	*len = (size_t)(q - p - 1);
	return q + 1;
}

/* The call's first argument as the extractor read it: a string literal, or
 * the first string of a call opening the argument list (op.f('ix'),
 * sa.Column('c', ...)). Sets *after to where that argument ends. */
static const char *quick_first(const struct reader *r, const struct mlint_call *c,
			       const char **after)
{
	const char *end = r->src + c->end, *p = memchr(r->src + c->off, '(', c->end - c->off);
	const struct mlint_call *n = c + 1;
	const char *v;
	size_t len;

	if (!p)
		return NULL;
	p = skip_blanks(p + 1, end);
	if (c->first_arg)
		return (*after = simple_string(p, end, &v, &len)) ? c->first_arg : NULL;
	if ((size_t)(n - r->m->calls) >= r->m->nr_calls || r->src + n->off != p || !n->first_arg)
		return NULL;
	*after = r->src + n->end;
	return n->first_arg;
}

static const char TABLE_KW[] = "table_name=";
#define TABLE_KW_LEN (sizeof(TABLE_KW) - 1)

/* `, 'x'` at p, or `table_name='x'` anywhere in the call: the table. */
static int quick_table(struct reader *r, const struct mlint_call *c, const char *after,
		       const char **out)
{
	const char *end = r->src + c->end, *p = skip_blanks(after, end), *v;
	size_t len;

	*out = NULL;
	if (p < end && *p == ',' && simple_string(skip_blanks(p + 1, end), end, &v, &len))
		return (*out = mlint_arena_strndup(&r->out->strings, v, len)) ? 1 : MLINT_ERROR;
	for (p = r->src + c->off; (p = memchr(p, TABLE_KW[0], (size_t)(end - p))) != NULL; p++)
		if ((size_t)(end - p) > TABLE_KW_LEN && memcmp(p, TABLE_KW, TABLE_KW_LEN) == 0 &&
		    (p == r->src + c->off || !is_ident(p[-1])))
			break;
	if (!p || !simple_string(p + TABLE_KW_LEN, end, &v, &len))
		return 0;
	return (*out = mlint_arena_strndup(&r->out->strings, v, len)) ? 1 : MLINT_ERROR;
}

static int span_has(const struct reader *r, const struct mlint_call *c, const char *word)
{
	const char *p = r->src + c->off, *end = r->src + c->end;
	size_t n = strlen(word);
	for (; (p = memchr(p, word[0], (size_t)(end - p))) != NULL && (size_t)(end - p) >= n; p++)
		if (memcmp(p, word, n) == 0)
			return 1;
	return 0;
}

/*
 * The words the quick readers look for in a call's text (what makes them
 * give up, or what they need), found in one pass over the call instead of
 * one memchr pass per word: a call is read against up to 17 of them.
 */
enum span_word {
	W_HASH, W_BACKSLASH, W_STARSTAR, W_NAME_KW, W_SERVER_DEFAULT, W_IDENTITY, W_COMPUTED,
	W_PRIMARY_KEY, W_CONCURRENTLY, W_IF, W_SERIAL_UPPER, W_SERIAL, W_NOT_NULLABLE,
	W_UNIQUE_TRUE, W_DEFAULT, W_AUTOINCREMENT, W_SCHEMA, W_TYPE_KW, W_COMMENT,
	W_SOURCE_TABLE, W_INDEX_NAME, W_TABLE_NAME_KW, W_NEW, W_EXISTING_TYPE, W_ENUM,
	W_ENUM_UPPER,
	NR_SPAN_WORDS
};

#define WORD(w) ((uint32_t)1 << (w))

static const struct {
	const char *text;
	size_t len;
} span_word_text[NR_SPAN_WORDS] = {
#define W(id, t) [id] = {t, sizeof(t) - 1}
	W(W_HASH, "#"), W(W_BACKSLASH, "\\"), W(W_STARSTAR, "**"), W(W_NAME_KW, "_name="),
	W(W_SERVER_DEFAULT, "server_default"), W(W_IDENTITY, "Identity"),
	W(W_COMPUTED, "Computed"), W(W_PRIMARY_KEY, "primary_key"),
	W(W_CONCURRENTLY, "concurrently"), W(W_IF, "if_"), W(W_SERIAL_UPPER, "SERIAL"),
	W(W_SERIAL, "Serial"), W(W_NOT_NULLABLE, "nullable=False"),
	W(W_UNIQUE_TRUE, "unique=True"), W(W_DEFAULT, "default"),
	W(W_AUTOINCREMENT, "autoincrement"), W(W_SCHEMA, "schema"), W(W_TYPE_KW, "type_="),
	W(W_COMMENT, "comment"), W(W_SOURCE_TABLE, "source_table"),
	W(W_INDEX_NAME, "index_name"), W(W_TABLE_NAME_KW, "table_name="), W(W_NEW, "new_"),
	W(W_EXISTING_TYPE, "existing_type"), W(W_ENUM, "Enum"), W(W_ENUM_UPPER, "ENUM"),
#undef W
};

/* The words whose first byte is b (starts[b]) and whose second byte is b
 * (seconds[b], with the one-byte words in every entry): a byte pair that
 * starts no word is passed over with two loads. Built once, read only. */
static uint32_t span_word_starts[256], span_word_seconds[256];

static void span_words_init(void)
{
	for (unsigned w = 0; w < NR_SPAN_WORDS; w++) {
		span_word_starts[(unsigned char)span_word_text[w].text[0]] |= WORD(w);
		if (span_word_text[w].len > 1)
			span_word_seconds[(unsigned char)span_word_text[w].text[1]] |= WORD(w);
		else
			for (unsigned b = 0; b < 256; b++)
				span_word_seconds[b] |= WORD(w);
	}
}

/* The index of the lowest bit set in x (x != 0). */
static unsigned lowest_bit(uint32_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctz(x);
#else
	unsigned i = 0;
	while (!(x & 1)) {
		x >>= 1;
		i++;
	}
	return i;
#endif
}

/* memcmp(a, b, n) == 0 for the few bytes of a span word, without a call. */
static int bytes_equal(const unsigned char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != (unsigned char)b[i])
			return 0;
	return 1;
}

/* The words of `maybe` that start at p. */
static uint32_t words_at(const unsigned char *p, const unsigned char *end, uint32_t maybe)
{
	uint32_t found = 0;
	while (maybe) {
		unsigned w = lowest_bit(maybe);
		maybe &= maybe - 1;
		if ((size_t)(end - p) >= span_word_text[w].len &&
		    bytes_equal(p, span_word_text[w].text, span_word_text[w].len))
			found |= WORD(w);
	}
	return found;
}

static void tables_init(void)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		method_starts[(unsigned char)methods[i].name[0]] = 1;
	span_words_init();
}

/* Which of the span words occur in the call's text (as span_has would
 * answer for each), computed once per call. */
static uint32_t span_words(struct reader *r, const struct mlint_call *c)
{
	const unsigned char *p = (const unsigned char *)r->src + c->off;
	const unsigned char *last = (const unsigned char *)r->src + c->end - 1;
	uint32_t found = 0, maybe;

	if (r->words_of == c)
		return r->words;
	pthread_once(&tables_once, tables_init);
	for (; p < last; p++)
		if ((maybe = span_word_starts[p[0]] & span_word_seconds[p[1]] & ~found) != 0)
			found |= words_at(p, last + 1, maybe);
	/* the last byte: only a one-byte word fits (seconds[0] has just those) */
	if (p == last)
		found |= words_at(p, last + 1, span_word_starts[p[0]] & span_word_seconds[0]);
	r->words_of = c;
	r->words = found;
	return found;
}

/* drop_index(op.f('ix'), table_name='t') and the like. */
static int quick_index_kw(struct reader *r, const struct mlint_call *c, int batch,
			  struct mlint_op *o)
{
	const char *after = NULL;
	int got;

	if (!(o->name = quick_first(r, c, &after)))
		return 0;
	if (batch)
		return 1;
	return (got = quick_table(r, c, after, &o->table)) < 0 ? got : got;
}

/*
 * MLINT_OPS_NAMES: kind, table and name of a call written the plain way
 * (what pairing an upgrade with its downgrade reads), from what the
 * extractor recorded. 1 when done, 0 when the call must be read in full.
 */
static int quick_names(struct reader *r, const struct mlint_call *c, const struct method *me,
		       int batch, struct mlint_op *o)
{
	const char *after = NULL, *first;
	const char **name;
	int got;

	uint32_t words = span_words(r, c);

	if (words & (WORD(W_HASH) | WORD(W_BACKSLASH) | WORD(W_NAME_KW) | WORD(W_SOURCE_TABLE) |
		     WORD(W_TYPE_KW)))
		return me->shape == SHAPE_INDEX &&
		       !(words & (WORD(W_HASH) | WORD(W_BACKSLASH) | WORD(W_INDEX_NAME) | WORD(W_NEW))) &&
		       (words & WORD(W_TABLE_NAME_KW)) ? quick_index_kw(r, c, batch, o) : 0;
	switch (me->shape) {
	case SHAPE_ADD_COLUMN: case SHAPE_COLUMN: name = &o->column; break;
	case SHAPE_INDEX: name = &o->name; break;
	default: return 0;
	}
	if (!(first = quick_first(r, c, &after)))
		return 0;
	if (me->shape == SHAPE_ADD_COLUMN) {
		/* op.add_column('t', sa.Column('c', ...)): the column is the nested call */
		if (!batch) {
			const struct mlint_call *n = c + 1;
			const char *p = skip_blanks(after, r->src + c->end);
			if (!c->first_arg || p >= r->src + c->end || *p != ',' ||
			    (size_t)(n - r->m->calls) >= r->m->nr_calls ||
			    skip_blanks(p + 1, r->src + c->end) != r->src + n->off || !n->first_arg)
				return 0;
			o->table = c->first_arg;
			o->column = n->first_arg;
			return 1;
		}
		o->column = first;
		return 1;
	}
	if (batch || me->shape == SHAPE_INDEX) {
		*name = first;
		if (batch)
			return 1;
		return (got = quick_table(r, c, after, &o->table)) < 0 ? got : got;
	}
	/* drop_column / alter_column('t', 'c'): table first, then the column */
	o->table = first;
	return (got = quick_table(r, c, after, name)) < 0 ? got : got;
}

/*
 * The two calls autogenerate writes most, read without tokenizing them
 * again when written the plain way (full options, not names only):
 *   op.add_column('t', sa.Column('c', sa.Type(...), nullable=True))
 *   op.create_index(op.f('ix'), 't', ['c'], unique=False)
 * Anything else in the call (a default, an identity, a keyword this does
 * not know, a comment) makes it 0: read the call in full.
 */
static const uint32_t plain_breakers =
	WORD(W_HASH) | WORD(W_BACKSLASH) | WORD(W_STARSTAR) | WORD(W_NAME_KW) |
	WORD(W_SERVER_DEFAULT) | WORD(W_IDENTITY) | WORD(W_COMPUTED) | WORD(W_PRIMARY_KEY) |
	WORD(W_CONCURRENTLY) | WORD(W_IF) | WORD(W_SERIAL_UPPER) | WORD(W_SERIAL) |
	WORD(W_NOT_NULLABLE) | WORD(W_UNIQUE_TRUE) | WORD(W_DEFAULT) | WORD(W_AUTOINCREMENT) |
	WORD(W_SCHEMA) | WORD(W_ENUM) | WORD(W_ENUM_UPPER);

static int plain_call(struct reader *r, const struct mlint_call *c)
{
	return !(span_words(r, c) & plain_breakers);
}

/* Where the value of keyword `word` (at a word boundary, "word=") starts
 * in the call, or NULL; *twice when it is there more than once. */
static const char *kw_value(const struct reader *r, const struct mlint_call *c, const char *word)
{
	const char *start = r->src + c->off, *end = r->src + c->end, *p = start, *found = NULL;
	size_t n = strlen(word);

	for (; (p = memchr(p, word[0], (size_t)(end - p))) != NULL && (size_t)(end - p) > n; p++) {
		if (memcmp(p, word, n) != 0 || p[n] != '=' || (p > start && is_ident(p[-1])))
			continue;
		if (found)
			return NULL;
		found = p + n + 1;
	}
	return found;
}

/* The keyword `word=True|False` of the call: its value, UNSET when absent,
 * UNKNOWN when written another way. */
static enum mlint_tri plain_flag(const struct reader *r, const struct mlint_call *c,
				 const char *word)
{
	const char *v = kw_value(r, c, word), *end = r->src + c->end;

	if (!v)
		return span_has(r, c, word) ? MLINT_TRI_UNKNOWN : MLINT_TRI_UNSET;
	if ((size_t)(end - v) > 4 && memcmp(v, "True", 4) == 0 && !is_ident(v[4]))
		return MLINT_TRI_YES;
	if ((size_t)(end - v) > 5 && memcmp(v, "False", 5) == 0 && !is_ident(v[5]))
		return MLINT_TRI_NO;
	return MLINT_TRI_UNKNOWN;
}

static int quick_add_column(struct reader *r, const struct mlint_call *c, struct mlint_op *o)
{
	const struct mlint_call *col = c + 1, *type = c + 2, *last = r->m->calls + r->m->nr_calls;
	const char *end = r->src + c->end, *p = NULL, *v;
	size_t len;

	if (!c->first_arg || col >= last || type >= last || !col->first_arg ||
	    type->off >= col->end || !quick_first(r, c, &p))
		return 0;
	/* , sa.Column('c', sa.Type(...) */
	if (skip_blanks(p, end) >= end || *skip_blanks(p, end) != ',' ||
	    skip_blanks(skip_blanks(p, end) + 1, end) != r->src + col->off)
		return 0;
	p = memchr(r->src + col->off, '(', col->end - col->off);
	if (!p || !(p = simple_string(skip_blanks(p + 1, end), end, &v, &len)) ||
	    (p = skip_blanks(p, end)) >= end || *p != ',' ||
	    skip_blanks(p + 1, end) != r->src + type->off)
		return 0;
	o->nullable = plain_flag(r, c, "nullable");
	if (o->nullable == MLINT_TRI_UNKNOWN)
		return 0;
	if (!(o->type = mlint_arena_strndup(&r->out->strings, r->src + type->off,
					    type->end - type->off)))
		return MLINT_ERROR;
	o->table = c->first_arg;
	o->column = col->first_arg;
	return 1;
}

static int quick_create_index(struct reader *r, const struct mlint_call *c, struct mlint_op *o)
{
	const char *after = NULL, *end = r->src + c->end, *p, *v;
	size_t len;
	int got = 0;

	if (!(o->name = quick_first(r, c, &after)) ||
	    (got = quick_table(r, c, after, &o->table)) <= 0)
		return got < 0 ? got : 0;
	/* , 't', ['c', ...] */
	if (!(p = memchr(after, ',', (size_t)(end - after))) ||
	    !(p = simple_string(skip_blanks(p + 1, end), end, &v, &len)) ||
	    (p = skip_blanks(p, end)) >= end || *p != ',' ||
	    (p = skip_blanks(p + 1, end)) >= end || *p != '[' ||
	    !simple_string(skip_blanks(p + 1, end), end, &v, &len))
		return 0;
	o->unique = plain_flag(r, c, "unique");
	if (o->unique == MLINT_TRI_UNKNOWN)
		return 0;
	return (o->column = mlint_arena_strndup(&r->out->strings, v, len)) ? 1 : MLINT_ERROR;
}

/* alter_column('t', 'c', existing_type=sa.T(...), nullable=...,
 * existing_nullable=...): what autogenerate writes for a nullability change. */
static const uint32_t alter_breakers =
	WORD(W_HASH) | WORD(W_BACKSLASH) | WORD(W_STARSTAR) | WORD(W_NAME_KW) | WORD(W_DEFAULT) |
	WORD(W_TYPE_KW) | WORD(W_COMMENT) | WORD(W_SCHEMA) | WORD(W_IF) | WORD(W_AUTOINCREMENT);

static int quick_alter_column(struct reader *r, const struct mlint_call *c, struct mlint_op *o)
{
	const char *after = NULL, *et;
	const struct mlint_call *n;
	int got = 0;

	if (span_words(r, c) & alter_breakers)
		return 0;
	if (!c->first_arg || !quick_first(r, c, &after) ||
	    (got = quick_table(r, c, after, &o->column)) <= 0)
		return got < 0 ? got : 0;
	o->table = c->first_arg;
	o->nullable = plain_flag(r, c, "nullable");
	o->existing_nullable = plain_flag(r, c, "existing_nullable");
	if (o->nullable == MLINT_TRI_UNKNOWN || o->existing_nullable == MLINT_TRI_UNKNOWN)
		return 0;
	if (!(et = kw_value(r, c, "existing_type")))
		return !(span_words(r, c) & WORD(W_EXISTING_TYPE));
	/* existing_type=sa.T(...): the nested call that starts there */
	for (n = c + 1; n < r->m->calls + r->m->nr_calls && n->off < c->end; n++)
		if (r->src + n->off == et)
			return (o->existing_type = mlint_arena_strndup(&r->out->strings, et,
								       n->end - n->off)) ? 1
									 : MLINT_ERROR;
	return 0;
}

static int quick_full(struct reader *r, const struct mlint_call *c, const struct method *me,
		      int batch, struct mlint_op *o)
{
	if (batch)
		return 0;
	if (me->kind == MLINT_OP_ALTER_COLUMN)
		return quick_alter_column(r, c, o);
	if (!plain_call(r, c))
		return 0;
	if (me->kind == MLINT_OP_ADD_COLUMN)
		return quick_add_column(r, c, o);
	if (me->kind == MLINT_OP_CREATE_INDEX)
		return quick_create_index(r, c, o);
	return 0;
}

static int add_call_op(struct reader *r, const struct mlint_call *c, const struct method *me,
		       int batch, const char *batch_table)
{
	struct mlint_op *o;
	size_t index;
	int error;

	if (!(o = new_op(r, c, me->kind)))
		return MLINT_ERROR;
	o->in_batch = batch;
	index = r->out->nr - 1;
	if (me->shape == SHAPE_TABLE && c->first_arg) {
		/* a create_table can be long: its name is enough */
		o->table = c->first_arg;
		if (me->kind == MLINT_OP_CREATE_TABLE)
			return r->flags & MLINT_OPS_NAMES ? 0 : create_table_types(r, c);
		if (!memchr(r->src + c->off, '=', c->end - c->off))
			return 0;
	}
	{
		const struct mlint_op fresh = *o; /* what a full read starts from */
		int done = r->flags & MLINT_OPS_NAMES ? quick_names(r, c, me, batch, o)
						      : quick_full(r, c, me, batch, o);
		if (done == 0)
			*o = fresh;
		if (done < 0)
			return done;
		if (done) {
			if (batch && !o->table)
				o->table = batch_table;
			return 0;
		}
	}
	if ((error = tokenize(r, r->src + c->off, c->end - c->off)) < 0 ||
	    (error = read_call(r, me, batch, index)) < 0)
		return error;
	for (size_t i = index; i < r->out->nr; i++)
		if (batch && !r->out->items[i].table)
			r->out->items[i].table = batch_table;
	/* create_table(name_in_a_variable, ...) */
	if (me->kind == MLINT_OP_CREATE_TABLE && !(r->flags & MLINT_OPS_NAMES))
		return create_table_types(r, c);
	return 0;
}

/* ---- SQL strings --------------------------------------------------------- */

/* What a callee's last part says about SQL. */
enum sql_callee { NOT_SQL, SQL_EXECUTE, SQL_TEXT };

static enum sql_callee sql_callee_of(const char *method)
{
	/* execute, exec_driver_sql, text: out early on the first byte */
	if (method[0] == 'e')
		return strcmp(method, "execute") == 0 || strcmp(method, "exec_driver_sql") == 0
			       ? SQL_EXECUTE : NOT_SQL;
	if (method[0] == 't')
		return strcmp(method, "text") == 0 ? SQL_TEXT : NOT_SQL;
	return NOT_SQL;
}

/* Line and column of the first character of the call's string argument. */
static void string_start(const char *src, const struct mlint_call *c, unsigned *line,
			 unsigned *col)
{
	const char *p = src + c->off, *end = src + c->end, *line_start = p;

	*line = c->line;
	while (line_start > src && line_start[-1] != '\n')
		line_start--;
	while (p < end && *p != '(')
		p++;
	for (p++; p < end && strchr(" \t\r\n\\", *p); p++)
		if (*p == '\n') {
			(*line)++;
			line_start = p + 1;
		}
	while (p < end && strchr("rRuU", *p))
		p++;
	p += (p + 2 < end && (*p == '"' || *p == '\'') && p[1] == *p && p[2] == *p) ? 3 : 1;
	*col = 1;
	for (const char *q = line_start; q < p && q < end; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			(*col)++;
}

static int add_sql_ops(struct reader *r, const struct mlint_call *c)
{
	struct mlint_op proto;

	memset(&proto, 0, sizeof(proto));
	proto.call = c;
	proto.function = c->function;
	proto.source = MLINT_FROM_SQL;
	string_start(r->src, c, &proto.line, &proto.col);
	proto.in_autocommit = mlint_migration_block_at(r->m, c->function, c->line,
						       MLINT_BLOCK_WITH, "autocommit_block") != NULL;
	proto.in_loop = mlint_migration_block_at(r->m, c->function, c->line, MLINT_BLOCK_LOOP,
						 NULL) != NULL;
	return mlint_ops_read_sql(r->out, c->first_arg, strlen(c->first_arg), &proto);
}

int mlint_ops_read(struct mlint_ops *out, const struct mlint_migration *m, const char *source,
		   size_t source_len, size_t function)
{
	return mlint_ops_read_with(out, m, source, source_len, function, 0);
}

int mlint_ops_read_with(struct mlint_ops *out, const struct mlint_migration *m,
			const char *source, size_t source_len, size_t function, unsigned flags)
{
	const struct mlint_function *fn;
	struct reader r;
	size_t top_end = 0, exec_end = 0, loop_exec = NO_OP;
	int error = 0;

	if (function >= m->nr_functions || !source)
		return 0;
	fn = &m->functions[function];
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.src = source;
	r.src_len = source_len;
	r.out = out;
	r.flags = flags;
	for (size_t i = fn->first_call; i < fn->first_call + fn->nr_calls && error == 0; i++) {
		const struct mlint_call *c = &m->calls[i];
		const char *dot = strrchr(c->name, '.');
		enum sql_callee sql = sql_callee_of(dot ? dot + 1 : c->name);
		const struct method *me;
		const char *batch_table;
		int batch, top = c->off >= top_end;

		if (c->end > source_len || c->end <= c->off)
			continue;
		if (top)
			top_end = c->end;
		if (sql == SQL_EXECUTE)
			exec_end = c->end;
		/* SQL: a string given to execute(), or to text() inside an
		 * execute() or on its own (stmt = sa.text(...)); not a
		 * server_default=sa.text('now()') */
		if (c->first_arg && (sql == SQL_EXECUTE ||
				     (sql == SQL_TEXT && (top || c->off < exec_end)))) {
			/* the SQL stands for the loop's execute() it is given to */
			if (loop_exec != NO_OP && loop_exec == out->nr - 1 && c->off < exec_end)
				out->nr--;
			loop_exec = NO_OP;
			error = add_sql_ops(&r, c);
			continue;
		}
		/* execute(<an expression>) in a loop: a backfill whose SQL is
		 * built at run time */
		if (sql == SQL_EXECUTE && !c->first_arg &&
		    mlint_migration_block_at(m, c->function, c->line, MLINT_BLOCK_LOOP, NULL)) {
			struct mlint_op *o = new_op(&r, c, MLINT_OP_LOOP_DML);
			if (!o)
				error = MLINT_ERROR;
			loop_exec = out->nr - 1;
			continue;
		}
		if ((me = classify(m, c, dot, &batch, &batch_table)) != NULL)
			error = add_call_op(&r, c, me, batch, batch_table);
		else if (!(flags & MLINT_OPS_NAMES) && (error = enum_create_call(&r, c, dot)) > 0)
			error = 0;
	}
	free(r.toks);
	return error;
}
