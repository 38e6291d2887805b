/*
 * Content rules written in C: what the upgrade and downgrade functions do,
 * read from the operation model (ops.h), so op.X, batch_op.X and the SQL
 * given to op.execute are judged alike. What each operation costs on
 * PostgreSQL comes from the lock model (pg_cost.c); the PostgreSQL rules
 * run when the dialect is PostgreSQL or not known.
 *
 * A table created earlier in the same upgrade holds no rows: what would
 * lock, scan or fail on an existing table is fine on it. So does one that
 * an earlier migration of the same change created (opts->empty_tables).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "mlint/check.h"
#include "mlint/ops.h"
#include "mlint/scriptdir.h"
#include "check_files.h"
#include "pg_cost.h"
#include "strmap.h"
#include "util.h"

struct ctx {
	const struct mlint_script *s;
	const struct mlint_check_opts *opts;
	struct mlint_findings *out;
	const struct mlint_ops *ops; /* the upgrade function's operations */
	struct mlint_content_scratch *scratch; /* ops arrays reused across functions */
	int pg;                      /* the PostgreSQL rules run */
	struct mlint_strmap facts;   /* see build_facts() */
	int facts_built;
	size_t first_exclusive;      /* see holds_exclusive(); NOT_FOUND */
	struct line_cache *lines;
	int sql_opaque;              /* the function runs SQL mlint cannot read */
	int has_types;               /* the function creates an enum type */
};

static const char UPGRADE[] = "upgrade";
static const char DOWNGRADE[] = "downgrade";

/* ---- findings ------------------------------------------------------------ */

/* Where the last line looked up starts: findings of one function come in
 * line order, so 100,000 of them in one file cost linear time. */
struct line_cache {
	unsigned line;
	const char *start;
};

/* mlint_script_line(), going on from the cache when it can. */
static const char *line_text(const struct mlint_script *s, struct line_cache *lc, unsigned line,
			     size_t *len)
{
	const char *p = s->source, *end;
	unsigned l = 1;

	if (!p || line == 0)
		return NULL;
	end = p + s->source_len;
	if (lc && lc->start && line >= lc->line) {
		p = lc->start;
		l = lc->line;
	}
	for (; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	if (lc) {
		lc->line = l;
		lc->start = p;
	}
	if (l == 1 && s->source_len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	*len = (size_t)(end - p);
	return p;
}

static int vadd_at(struct mlint_findings *out, const struct mlint_script *s,
		   struct line_cache *lc, const char *rule, unsigned line, unsigned col,
		   unsigned call_line, const char *fmt, va_list ap)
{
	struct mlint_location at = {s->path, line, col, mlint_migration_revision(&s->m), NULL, 0};

	at.excerpt = line_text(s, lc, line, &at.excerpt_len);
	if (mlint_findings_vaddf(out, mlint_rule_find(rule), &at, fmt, ap) < 0)
		return MLINT_ERROR;
	out->items[out->nr - 1].call_line = call_line;
	return 0;
}

static int add_at(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
		  unsigned line, unsigned col, unsigned call_line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;

static int add_at(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
		  unsigned line, unsigned col, unsigned call_line, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = vadd_at(out, s, NULL, rule, line, col, call_line, fmt, ap);
	va_end(ap);
	return error;
}

struct ctx;
static int report(const struct ctx *c, const char *rule, const struct mlint_op *o,
		  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

#define REPORT report

static int report(const struct ctx *c, const char *rule, const struct mlint_op *o,
		  const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = vadd_at(c->out, c->s, c->lines, rule, o->line, o->col,
			o->call ? o->call->line : 0, fmt, ap);
	va_end(ap);
	return error;
}

static const char *or_q(const char *s)
{
	return s ? s : "?";
}

/* ---- what the upgrade did before operation i ---------------------------- */

/*
 * Facts are "the first operation that created table T / index I / column
 * T.C, validated a constraint on T": an operation i then asks whether that
 * index is below i. Up to SMALL_OPS operations they are found by a scan;
 * above, from a map built once, so 100,000 statements in one string cost
 * linear time.
 */
#define SMALL_OPS 32
#define NOT_FOUND ((size_t)-1)

static int same_name(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

enum fact { FACT_TABLE = 't', FACT_INDEX = 'i', FACT_COLUMN = 'c', FACT_VALIDATED = 'v' };

static int op_gives(const struct mlint_op *o, enum fact f, const char *a, const char *b)
{
	switch (f) {
	case FACT_TABLE:
		return o->kind == MLINT_OP_CREATE_TABLE && same_name(o->table, a);
	case FACT_INDEX:
		return o->kind == MLINT_OP_CREATE_INDEX && same_name(o->name, a);
	case FACT_COLUMN:
		return o->kind == MLINT_OP_ADD_COLUMN && same_name(o->column, b) &&
		       (!o->table || !a || strcmp(o->table, a) == 0);
	default:
		return o->kind == MLINT_OP_VALIDATE_CONSTRAINT && same_name(o->table, a);
	}
}

/* The map key of a fact: its letter, then the names. 0 when too long. */
static int fact_key(char *key, size_t n, enum fact f, const char *a, const char *b)
{
	int len = snprintf(key, n, "%c%s\x1f%s", (char)f, a ? a : "", b ? b : "");
	return len > 0 && (size_t)len < n;
}

static int fact_of(const struct mlint_op *o, enum fact *f, const char **a, const char **b)
{
	*b = NULL;
	switch (o->kind) {
	case MLINT_OP_CREATE_TABLE: *f = FACT_TABLE; *a = o->table; return o->table != NULL;
	case MLINT_OP_CREATE_INDEX: *f = FACT_INDEX; *a = o->name; return o->name != NULL;
	case MLINT_OP_ADD_COLUMN: *f = FACT_COLUMN; *a = o->table; *b = o->column;
		return o->column != NULL;
	case MLINT_OP_VALIDATE_CONSTRAINT: *f = FACT_VALIDATED; *a = o->table;
		return o->table != NULL;
	default: return 0;
	}
}

static int build_facts(struct ctx *c)
{
	char key[1024];

	if (c->ops->nr <= SMALL_OPS)
		return 0;
	for (size_t i = 0; i < c->ops->nr; i++) {
		enum fact f;
		const char *a, *b;
		if (fact_of(&c->ops->items[i], &f, &a, &b) && fact_key(key, sizeof(key), f, a, b) &&
		    mlint_strmap_add(&c->facts, key, i) < 0)
			return MLINT_ERROR;
	}
	c->facts_built = 1;
	return 0;
}

/* Whether an operation before i gave the fact. */
static int fact_before(const struct ctx *c, size_t i, enum fact f, const char *a, const char *b)
{
	char key[1024];
	const size_t *at;

	if (!a && f != FACT_COLUMN)
		return 0;
	if (c->facts_built && fact_key(key, sizeof(key), f, a, b) &&
	    (f != FACT_COLUMN || a)) {
		at = mlint_strmap_find(&c->facts, key);
		return at && *at < i;
	}
	for (size_t j = 0; j < i; j++)
		if (op_gives(&c->ops->items[j], f, a, b))
			return 1;
	return 0;
}

/* Created by an earlier migration of the change, not yet applied anywhere. */
static int table_is_empty_at_start(const struct ctx *c, const char *table)
{
	for (size_t k = 0; table && k < c->opts->nr_empty_tables; k++)
		if (strcmp(c->opts->empty_tables[k], table) == 0)
			return 1;
	return 0;
}

/* Created earlier in this upgrade, or in the change (so empty). */
static int table_is_new(const struct ctx *c, size_t i, const char *table)
{
	return fact_before(c, i, FACT_TABLE, table, NULL) || table_is_empty_at_start(c, table);
}

static int column_is_new(const struct ctx *c, size_t i, const char *table, const char *column)
{
	return column && fact_before(c, i, FACT_COLUMN, table, column);
}

static int index_is_new(const struct ctx *c, size_t i, const char *name)
{
	return fact_before(c, i, FACT_INDEX, name, NULL);
}

/* The operation is on a table this upgrade did not create. */
static int on_existing(const struct ctx *c, size_t i)
{
	return !table_is_new(c, i, c->ops->items[i].table);
}

/* ---- rules for every dialect ---------------------------------------------- */

static int check_not_null(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	/* MySQL fills the existing rows with the type's implicit default ('',
	 * 0), strict mode or not: the statement does not fail there. */
	if (o->kind != MLINT_OP_ADD_COLUMN || o->nullable != MLINT_TRI_NO || o->has_default ||
	    o->identity || o->serial || o->generated_stored || !on_existing(c, i) ||
	    c->opts->dialect == MLINT_DIALECT_MYSQL)
		return 0;
	return REPORT(c, "not-null-without-default", o,
		      "column '%s' is added to '%s' as NOT NULL without a server_default: this "
		      "fails on a table that has rows", or_q(o->column), or_q(o->table));
}

static int check_alter_type(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind != MLINT_OP_ALTER_COLUMN || !o->type || !on_existing(c, i) ||
	    column_is_new(c, i, o->table, o->column))
		return 0;
	/* VARCHAR(50) -> VARCHAR(100), VARCHAR -> TEXT, an enum to itself: no
	 * rewrite on PostgreSQL */
	if (c->pg && (pg_type_change_is_binary(o->existing_type, o->type) || pg_keeps_enum(o)))
		return 0;
	return REPORT(c, "alter-column-type", o,
		      "the type of column '%s' of '%s' changes%s%s: the database may rewrite (and "
		      "lock) the whole table%s", or_q(o->column), or_q(o->table),
		      o->existing_type ? " from " : "", o->existing_type ? o->existing_type : "",
		      c->pg ? " (on PostgreSQL: a rewrite under an ACCESS EXCLUSIVE lock)" : "");
}

static int check_rename(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind == MLINT_OP_RENAME_TABLE && !table_is_new(c, i, o->name))
		return REPORT(c, "rename-table", o, "table '%s' is renamed to '%s': code still "
			      "running during the deploy uses the old name", or_q(o->name),
			      or_q(o->new_name));
	if (o->kind == MLINT_OP_RENAME_COLUMN && on_existing(c, i) &&
	    !column_is_new(c, i, o->table, o->column))
		return REPORT(c, "rename-column", o, "column '%s' of '%s' is renamed to '%s': code "
			      "still running during the deploy uses the old name", or_q(o->column),
			      or_q(o->table), or_q(o->new_name));
	return 0;
}

static int check_commit(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind != MLINT_OP_TRANSACTION || o->in_autocommit)
		return 0;
	return REPORT(c, "commit-in-migration", o,
		      "%s inside a migration ends the transaction Alembic opened: what ran before "
		      "is committed even if a later step fails, and the version table no longer "
		      "says where the schema is", or_q(o->name));
}

/* ---- PostgreSQL lock rules ---------------------------------------------------- */

static const char *rewrite_reason(const struct mlint_op *o, char *buf, size_t n)
{
	if (o->default_volatile)
		snprintf(buf, n, "with the volatile default %s",
			 o->server_default ? o->server_default : "(a function evaluated per row)");
	else if (o->serial)
		snprintf(buf, n, "as %s", o->type ? o->type : "SERIAL");
	else if (o->identity)
		snprintf(buf, n, "as an identity column");
	else
		snprintf(buf, n, "as a stored generated column");
	return buf;
}

static int check_add_column(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];
	char why[160];

	if (o->kind != MLINT_OP_ADD_COLUMN || !on_existing(c, i))
		return 0;
	if (pg_cost_of(o)->rewrite &&
	    REPORT(c, "add-column-rewrite", o, "column '%s' is added to '%s' %s: on PostgreSQL "
		   "this rewrites the whole table under an ACCESS EXCLUSIVE lock (reads and writes "
		   "wait until it is done)", or_q(o->column), or_q(o->table),
		   rewrite_reason(o, why, sizeof(why))) < 0)
		return MLINT_ERROR;
	if (o->primary_key)
		return REPORT(c, "add-primary-key", o, "column '%s' is added to '%s' as its primary "
			      "key: on PostgreSQL the unique index is built under an ACCESS "
			      "EXCLUSIVE lock", or_q(o->column), or_q(o->table));
	return 0;
}

/* A VALIDATE CONSTRAINT earlier on the table: the CHECK (col IS NOT NULL)
 * recipe, after which SET NOT NULL does not scan. */
static int validated_before(const struct ctx *c, size_t i, const char *table)
{
	return fact_before(c, i, FACT_VALIDATED, table, NULL);
}

static int check_set_not_null(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	/* already NOT NULL (existing_nullable=False): PostgreSQL does nothing */
	if (o->kind != MLINT_OP_ALTER_COLUMN || o->nullable != MLINT_TRI_NO ||
	    o->existing_nullable == MLINT_TRI_NO ||
	    !on_existing(c, i) || column_is_new(c, i, o->table, o->column) ||
	    validated_before(c, i, o->table))
		return 0;
	return REPORT(c, "set-not-null", o,
		      "column '%s' of '%s' is set NOT NULL: on PostgreSQL this scans the whole "
		      "table under an ACCESS EXCLUSIVE lock (reads and writes wait)",
		      or_q(o->column), or_q(o->table));
}

static int check_index(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];
	int sql = o->source == MLINT_FROM_SQL;

	if (o->concurrently == MLINT_TRI_YES)
		return 0;
	if (o->kind == MLINT_OP_CREATE_INDEX && on_existing(c, i))
		return REPORT(c, "create-index-not-concurrently", o,
			      "index '%s' on existing table '%s' is built without %s: on "
			      "PostgreSQL it blocks writes to the table until it is built",
			      or_q(o->name), or_q(o->table),
			      sql ? "CONCURRENTLY" : "postgresql_concurrently=True");
	if (o->kind == MLINT_OP_DROP_INDEX && on_existing(c, i) && !index_is_new(c, i, o->name))
		return REPORT(c, "drop-index-not-concurrently", o,
			      "index '%s' is dropped without %s: on PostgreSQL DROP INDEX takes an "
			      "ACCESS EXCLUSIVE lock on %s%s%s, queued behind every running query "
			      "and blocking every new one", or_q(o->name),
			      sql ? "CONCURRENTLY" : "postgresql_concurrently=True",
			      o->table ? "'" : "its table", o->table ? o->table : "",
			      o->table ? "'" : "");
	return 0;
}

static int check_in_transaction(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];
	const struct pg_cost *cost = pg_cost_of(o);

	if (!cost->no_transaction || o->in_autocommit)
		return 0;
	return REPORT(c, "concurrently-in-transaction", o,
		      "%s cannot run inside a transaction block: on PostgreSQL this migration "
		      "fails at deploy (Alembic runs it in a transaction; put it inside `with "
		      "op.get_context().autocommit_block():`)", cost->what);
}

static int check_constraint(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind != MLINT_OP_CREATE_CONSTRAINT || o->using_index || !on_existing(c, i))
		return 0;
	switch (o->constraint) {
	case MLINT_CONSTRAINT_FOREIGN_KEY:
		if (o->not_valid == MLINT_TRI_YES)
			return 0;
		return REPORT(c, "constraint-not-valid", o,
			      "foreign key '%s' on '%s' is added without NOT VALID "
			      "(postgresql_not_valid=True): on PostgreSQL every row is checked while "
			      "a SHARE ROW EXCLUSIVE lock blocks writes to '%s'%s%s%s", or_q(o->name),
			      or_q(o->table), or_q(o->table), o->referenced ? " and '" : "",
			      o->referenced ? o->referenced : "", o->referenced ? "'" : "");
	case MLINT_CONSTRAINT_CHECK:
		if (o->not_valid == MLINT_TRI_YES)
			return 0;
		return REPORT(c, "constraint-not-valid", o,
			      "check constraint '%s' on '%s' is added without NOT VALID "
			      "(postgresql_not_valid=True): on PostgreSQL every row is checked under "
			      "an ACCESS EXCLUSIVE lock (reads and writes wait)", or_q(o->name),
			      or_q(o->table));
	case MLINT_CONSTRAINT_UNIQUE:
		return REPORT(c, "add-unique-constraint", o,
			      "unique constraint '%s' is added to '%s': on PostgreSQL its index is "
			      "built under an ACCESS EXCLUSIVE lock (reads and writes wait)",
			      or_q(o->name), or_q(o->table));
	case MLINT_CONSTRAINT_PRIMARY_KEY:
		return REPORT(c, "add-primary-key", o,
			      "primary key '%s' is added to '%s': on PostgreSQL its index is built "
			      "(and the columns checked for NULLs) under an ACCESS EXCLUSIVE lock",
			      or_q(o->name), or_q(o->table));
	default:
		return 0;
	}
}

static int check_maintenance(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind == MLINT_OP_MAINTENANCE && o->maintenance == MLINT_MAINT_REINDEX &&
	    o->concurrently != MLINT_TRI_YES)
		return REPORT(c, "reindex-not-concurrently", o,
			      "REINDEX of %s '%s' without CONCURRENTLY: on PostgreSQL it blocks "
			      "writes to the table and reads through the index being rebuilt",
			      o->table ? "table" : "index", o->table ? o->table : or_q(o->name));
	if (o->kind == MLINT_OP_MAINTENANCE && (o->maintenance == MLINT_MAINT_VACUUM_FULL ||
						o->maintenance == MLINT_MAINT_CLUSTER))
		return REPORT(c, "vacuum-full-or-cluster", o,
			      "%s rewrites '%s' under an ACCESS EXCLUSIVE lock on PostgreSQL: reads "
			      "and writes wait for the whole rewrite",
			      o->maintenance == MLINT_MAINT_CLUSTER ? "CLUSTER" : "VACUUM FULL",
			      or_q(o->table));
	if (o->kind == MLINT_OP_DETACH_PARTITION && o->concurrently != MLINT_TRI_YES)
		return REPORT(c, "detach-partition-not-concurrently", o,
			      "partition '%s' is detached from '%s' without CONCURRENTLY: on "
			      "PostgreSQL that takes an ACCESS EXCLUSIVE lock on '%s'", or_q(o->name),
			      or_q(o->table), or_q(o->table));
	return 0;
}

static int check_enum(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind != MLINT_OP_ALTER_TYPE_ADD_VALUE || o->in_autocommit)
		return 0;
	return REPORT(c, "enum-add-value", o,
		      "value '%s' is added to type '%s' inside the migration's transaction: on "
		      "PostgreSQL it cannot be used until that transaction commits (a later "
		      "statement using it fails), and before PostgreSQL 12 ALTER TYPE ... ADD "
		      "VALUE fails in a transaction", or_q(o->value), or_q(o->table));
}

/* ---- enum types changed through sa.Enum / postgresql.ENUM ----------------- *
 *
 * Alembic renders alter_column(type_=Enum(...)) on PostgreSQL as ALTER
 * COLUMN ... TYPE <name> (no ALTER TYPE), and add_column creates no type:
 * only create_table emits CREATE TYPE for its Enum columns (tests/pg proves
 * each claim below).
 */

static int enum_has(const struct mlint_enum_type *e, const char *v)
{
	for (size_t i = 0; i < e->nr_values; i++)
		if (strcmp(e->values[i], v) == 0)
			return 1;
	return 0;
}

static int same_values(const struct mlint_enum_type *a, const struct mlint_enum_type *b)
{
	if (a->nr_values != b->nr_values)
		return 0;
	for (size_t i = 0; i < a->nr_values; i++)
		if (!enum_has(b, a->values[i]))
			return 0;
	return 1;
}

/* SQL of the upgrade that gives type `type` value v (ADD VALUE v, RENAME
 * VALUE ... TO v) or, `gone`, renames v away. */
static int sql_changes_value(const struct ctx *c, const char *type, const char *v, int gone)
{
	for (size_t j = 0; j < c->ops->nr; j++) {
		const struct mlint_op *o = &c->ops->items[j];
		if (!same_name(o->table, type))
			continue;
		if (o->kind == MLINT_OP_ALTER_TYPE_ADD_VALUE && !gone && same_name(o->value, v))
			return 1;
		if (o->kind == MLINT_OP_ALTER_TYPE_RENAME_VALUE &&
		    same_name(gone ? o->name : o->value, v))
			return 1;
	}
	return 0;
}

/* A type created before operation i under that name (or under a name not
 * known); `like`: only one whose values are like e's or not known. */
static const struct mlint_op *type_created_before(const struct ctx *c, size_t i,
						  const struct mlint_enum_type *e, int like)
{
	for (size_t j = 0; c->has_types && j < i; j++) {
		const struct mlint_op *o = &c->ops->items[j];
		const struct mlint_enum_type *t = o->enum_type;
		if (o->kind != MLINT_OP_CREATE_TYPE || (o->name && !same_name(o->name, e->name)))
			continue;
		if (!like || !t || !t->values_known || same_values(t, e))
			return o;
	}
	return NULL;
}

/* `name` is `word` or ends in `.word`. */
static int ends_with_word(const char *name, const char *word)
{
	size_t n = strlen(name), w = strlen(word);
	return n >= w && strcmp(name + n - w, word) == 0 && (n == w || name[n - w - 1] == '.');
}

/* An op.execute of the function whose SQL mlint cannot read (not a
 * literal, or rejected by the parser): it may create or change any type. */
static int opaque_sql(const struct ctx *c, size_t function)
{
	const struct mlint_migration *m = &c->s->m;
	const struct mlint_function *f = &m->functions[function];

	if (c->ops->nr_sql_unparsed)
		return 1;
	for (size_t k = f->first_call; k < f->first_call + f->nr_calls; k++) {
		const struct mlint_call *call = &m->calls[k], *n = call + 1;
		const char *dot = strrchr(call->name, '.');
		if (call->first_arg || strcmp(dot ? dot + 1 : call->name, "execute") != 0)
			continue;
		/* op.execute(sa.text('...')): the text is read as SQL */
		if (k + 1 < m->nr_calls && n->off < call->end && n->first_arg &&
		    ends_with_word(n->name, "text"))
			continue;
		return 1;
	}
	return 0;
}

/* The values of `a` missing from `b` (and not given by SQL): quoted, in
 * `buf`; the count. */
static size_t missing_values(const struct ctx *c, const struct mlint_enum_type *a,
			     const struct mlint_enum_type *b, int gone, char *buf, size_t n)
{
	size_t nr = 0, len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < a->nr_values; i++) {
		const char *v = a->values[i];
		if (enum_has(b, v) || sql_changes_value(c, a->name, v, gone))
			continue;
		if (len < n) {
			int w = snprintf(buf + len, n - len, "%s'%s'", nr ? ", " : "", v);
			len = w < 0 ? n : len + (size_t)w;
			if (len >= n && n > 4)
				memcpy(buf + n - 4, "...", 4);
		}
		nr++;
	}
	return nr;
}

static int check_enum_values(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];
	const struct mlint_enum_type *e = o->enum_type, *x = o->existing_enum;
	char added[160], removed[160];
	size_t nr_added, nr_removed;

	if (o->kind != MLINT_OP_ALTER_COLUMN || !e || !x || !e->name || !same_name(e->name, x->name) ||
	    !e->values_known || !x->values_known || c->sql_opaque ||
	    type_created_before(c, i, e, 1))
		return 0;
	nr_added = missing_values(c, e, x, 0, added, sizeof(added));
	nr_removed = missing_values(c, x, e, 1, removed, sizeof(removed));
	if (nr_added && REPORT(c, "enum-values-not-added", o,
			       "column '%s' of '%s' gets enum type '%s' with the new value%s %s, "
			       "but Alembic only emits ALTER COLUMN ... TYPE %s: on PostgreSQL the "
			       "type keeps its old values, so writing %s fails (invalid input value "
			       "for enum %s)", or_q(o->column), or_q(o->table), e->name,
			       nr_added > 1 ? "s" : "", added, e->name, added, e->name) < 0)
		return MLINT_ERROR;
	if (nr_removed)
		return REPORT(c, "enum-values-not-removed", o,
			      "column '%s' of '%s' gets enum type '%s' without the value%s %s, but "
			      "Alembic only emits ALTER COLUMN ... TYPE %s: on PostgreSQL the type "
			      "keeps %s (a value goes away only when the type is recreated; a "
			      "rename is ALTER TYPE ... RENAME VALUE)", or_q(o->column),
			      or_q(o->table), e->name, nr_removed > 1 ? "s" : "", removed, e->name,
			      nr_removed > 1 ? "them" : "it");
	return 0;
}

/* The column gets an enum type other than the one it has (existing_type
 * says what it has; without it nothing is known). */
static int gets_other_enum(const struct mlint_op *o)
{
	const struct mlint_enum_type *e = o->enum_type, *x = o->existing_enum;

	if (!e || !e->name)
		return 0;
	if (o->kind == MLINT_OP_ADD_COLUMN)
		return 1;
	return o->kind == MLINT_OP_ALTER_COLUMN && o->existing_type &&
	       (!x || (x->name && strcmp(x->name, e->name) != 0));
}

static int check_enum_created(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];
	const struct mlint_enum_type *e = o->enum_type;

	if (!gets_other_enum(o) || e->no_create || c->sql_opaque ||
	    type_created_before(c, i, e, 0))
		return 0;
	return REPORT(c, "enum-type-not-created", o,
		      "%s uses enum type '%s' but does not create it (Alembic creates the enum "
		      "types of op.create_table only), and no migration before it does: unless "
		      "the database has it from elsewhere, PostgreSQL fails here with: type "
		      "\"%s\" does not exist",
		      o->kind == MLINT_OP_ADD_COLUMN ? "add_column" : "alter_column", e->name,
		      e->name);
}

static int check_enum_cast(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i];

	if (o->kind != MLINT_OP_ALTER_COLUMN || o->has_using || !gets_other_enum(o))
		return 0;
	return REPORT(c, "enum-cast-without-using", o,
		      "column '%s' of '%s' changes from %s to enum type '%s' without "
		      "postgresql_using: PostgreSQL has no automatic cast to an enum type and "
		      "fails (column \"%s\" cannot be cast automatically to type %s)",
		      or_q(o->column), or_q(o->table), o->existing_type, o->enum_type->name,
		      or_q(o->column), o->enum_type->name);
}

static int report_created_twice(const struct ctx *c, const struct mlint_op *o,
				const struct mlint_op *first)
{
	return REPORT(c, "enum-type-created-twice", o,
		      "%s creates enum type '%s' again (line %u created it): PostgreSQL fails "
		      "with: type \"%s\" already exists", o->by_create_table
		      ? "op.create_table" : o->source == MLINT_FROM_SQL ? "CREATE TYPE"
		      : ".create(bind) without checkfirst=True", o->name, first->line, o->name);
}

/* Enum types created again, in one pass: op.create_table and CREATE TYPE
 * create a type unconditionally, .create(bind) unless checkfirst=True. The
 * create_tables of one migration share a memo in Alembic: the second one
 * skips a type the first one created. SQL in between (a DROP TYPE, a
 * rename) may make room again, and so may a type of unknown name. */
static int check_enum_created_twice(const struct ctx *c)
{
	struct mlint_strmap made = MLINT_STRMAP_INIT;
	int error = 0;

	if (!c->has_types || c->sql_opaque)
		return 0;
	for (size_t i = 0; i < c->ops->nr && error == 0; i++) {
		const struct mlint_op *o = &c->ops->items[i], *first;
		const size_t *at;
		if (o->kind == MLINT_OP_EXECUTE_DDL ||
		    (o->kind == MLINT_OP_CREATE_TYPE && !o->name)) {
			mlint_strmap_release(&made);
			continue;
		}
		if (o->kind != MLINT_OP_CREATE_TYPE)
			continue;
		if (!(at = mlint_strmap_find(&made, o->name))) {
			if (mlint_strmap_add(&made, o->name, i) < 0)
				error = MLINT_ERROR;
			continue;
		}
		first = &c->ops->items[*at];
		if (o->if_exists != MLINT_TRI_YES && !(first->by_create_table && o->by_create_table))
			error = report_created_twice(c, o, first);
	}
	mlint_strmap_release(&made);
	return error;
}

/* Whether operation j holds ACCESS EXCLUSIVE on an existing table until
 * the migration commits. */
static int holds_exclusive(const struct ctx *c, size_t j)
{
	const struct mlint_op *o = &c->ops->items[j];
	return !o->in_autocommit && pg_cost_of(o)->lock == PG_LOCK_ACCESS_EXCLUSIVE && o->table &&
	       o->kind != MLINT_OP_DROP_TABLE && on_existing(c, j);
}

/* The first operation before i that holds ACCESS EXCLUSIVE, or NULL. */
static const struct mlint_op *exclusive_before(const struct ctx *c, size_t i)
{
	return c->first_exclusive < i ? &c->ops->items[c->first_exclusive] : NULL;
}

static int is_large_update(const struct mlint_op *o)
{
	if (o->kind == MLINT_OP_LOOP_DML)
		return 1;
	if (o->kind != MLINT_OP_EXECUTE_DML)
		return 0;
	return o->in_loop || ((o->dml == MLINT_DML_UPDATE || o->dml == MLINT_DML_DELETE) &&
			      !o->has_where);
}

static int check_update_under_lock(const struct ctx *c, size_t i)
{
	const struct mlint_op *o = &c->ops->items[i], *lock;

	if (!is_large_update(o) || o->in_autocommit || !on_existing(c, i) ||
	    !(lock = exclusive_before(c, i)))
		return 0;
	if (o->kind == MLINT_OP_LOOP_DML)
		return REPORT(c, "update-under-lock", o,
			      "a backfill loop (%s() in a loop) runs in the same transaction as line "
			      "%u, which took an ACCESS EXCLUSIVE lock on '%s': on PostgreSQL that "
			      "lock is held until the migration commits, so '%s' is blocked for the "
			      "whole loop", o->call ? o->call->name : "execute", lock->line,
			      lock->table, lock->table);
	return REPORT(c, "update-under-lock", o,
		      "%s of '%s'%s runs in the same transaction as line %u, which took an ACCESS "
		      "EXCLUSIVE lock on '%s': on PostgreSQL that lock is held until the migration "
		      "commits, so '%s' is blocked for the whole update",
		      o->dml == MLINT_DML_DELETE ? "DELETE" : o->dml == MLINT_DML_INSERT ? "INSERT"
		      : "UPDATE", or_q(o->table),
		      o->in_loop ? " in a loop" : o->has_where ? "" : " without WHERE", lock->line,
		      lock->table, lock->table);
}

static int sets_lock_timeout(const struct mlint_op *o)
{
	return o->kind == MLINT_OP_SET_SETTING && same_name(o->name, "lock_timeout");
}

/* missing-lock-timeout (off by default): once per upgrade function, at the
 * first ACCESS EXCLUSIVE operation on an existing table. */
static int check_lock_timeout(const struct ctx *c)
{
	if (!(c->opts->optional_rules & MLINT_OPTIONAL_MISSING_LOCK_TIMEOUT) ||
	    c->opts->env_sets_lock_timeout)
		return 0;
	for (size_t i = 0; i < c->ops->nr; i++) {
		const struct mlint_op *o = &c->ops->items[i];
		if (sets_lock_timeout(o))
			return 0;
		if (!holds_exclusive(c, i))
			continue;
		return REPORT(c, "missing-lock-timeout", o,
			      "%s takes an ACCESS EXCLUSIVE lock on '%s' with no lock_timeout set "
			      "(in the migration or env.py): on PostgreSQL, queued behind a long "
			      "transaction, it blocks every query on '%s' while it waits",
			      pg_cost_of(o)->what, o->table, o->table);
	}
	return 0;
}

/* ---- VALIDATE in the transaction of its NOT VALID ADD --------------------- */

/*
 * Whether the migration's transaction ends at o: a step of an
 * autocommit_block (Alembic commits before the block and opens a new
 * transaction after it) or a transaction statement written in SQL (COMMIT,
 * ROLLBACK, ...; any of them counts, so a doubt means no report).
 */
static int ends_transaction(const struct mlint_op *o)
{
	return o->in_autocommit || o->kind == MLINT_OP_TRANSACTION;
}

static int adds_not_valid(const struct mlint_op *o)
{
	return o->kind == MLINT_OP_CREATE_CONSTRAINT && o->not_valid == MLINT_TRI_YES &&
	       o->name && (o->constraint == MLINT_CONSTRAINT_FOREIGN_KEY ||
			   o->constraint == MLINT_CONSTRAINT_CHECK);
}

static int report_validate_same_transaction(const struct ctx *c, const struct mlint_op *add,
					    const struct mlint_op *o)
{
	int fk = add->constraint == MLINT_CONSTRAINT_FOREIGN_KEY;

	return REPORT(c, "constraint-not-valid", o,
		      "constraint '%s' is validated in the same transaction as line %u, which "
		      "added it NOT VALID: on PostgreSQL the %s lock that ADD took on '%s' is "
		      "held through the validation scan (%s wait); validate after a commit (in a "
		      "later migration, or inside `with op.get_context().autocommit_block():`)",
		      o->name, add->line,
		      fk ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE", or_q(add->table),
		      fk ? "writes" : "reads and writes");
}

/*
 * constraint-not-valid, second form: ADD CONSTRAINT ... NOT VALID then
 * VALIDATE CONSTRAINT of the same constraint before a commit. The ADD's
 * lock (ACCESS EXCLUSIVE for a CHECK) lasts until the transaction ends, so
 * the scan NOT VALID meant to run unlocked runs under it. One pass with the
 * NOT VALID constraints of the current transaction by name: linear time.
 */
static int check_validate_same_transaction(const struct ctx *c)
{
	struct mlint_strmap added = MLINT_STRMAP_INIT;
	int error = 0;

	for (size_t i = 0; i < c->ops->nr && error == 0; i++) {
		const struct mlint_op *o = &c->ops->items[i];
		const size_t *at;
		if (ends_transaction(o)) {
			mlint_strmap_release(&added);
			continue;
		}
		if (adds_not_valid(o) && on_existing(c, i)) {
			if (mlint_strmap_add(&added, o->name, i) < 0)
				error = MLINT_ERROR;
			continue;
		}
		if (o->kind != MLINT_OP_VALIDATE_CONSTRAINT || !o->name ||
		    !(at = mlint_strmap_find(&added, o->name)))
			continue;
		const struct mlint_op *add = &c->ops->items[*at];
		if (!o->table || !add->table || strcmp(o->table, add->table) == 0)
			error = report_validate_same_transaction(c, add, o);
	}
	mlint_strmap_release(&added);
	return error;
}

/* ---- one upgrade function -------------------------------------------------- */

typedef int (*op_rule)(const struct ctx *c, size_t i);

static const op_rule every_dialect[] = {
	check_not_null, check_alter_type, check_rename, check_commit,
};

static const op_rule postgresql_only[] = {
	check_add_column, check_set_not_null, check_index, check_in_transaction,
	check_constraint, check_maintenance, check_enum, check_update_under_lock,
	check_enum_values, check_enum_created, check_enum_cast,
};

static int check_upgrade_ops(struct ctx *c)
{
	if (build_facts(c) < 0)
		return MLINT_ERROR;
	c->has_types = 0;
	for (size_t j = 0; j < c->ops->nr && !c->has_types; j++)
		c->has_types = c->ops->items[j].kind == MLINT_OP_CREATE_TYPE;
	c->sql_opaque = c->pg && c->ops->nr && opaque_sql(c, c->ops->items[0].function);
	c->first_exclusive = NOT_FOUND;
	for (size_t j = 0; c->pg && j < c->ops->nr && c->first_exclusive == NOT_FOUND; j++)
		if (holds_exclusive(c, j))
			c->first_exclusive = j;
	for (size_t i = 0; i < c->ops->nr; i++) {
		for (size_t r = 0; r < sizeof(every_dialect) / sizeof(every_dialect[0]); r++)
			if (every_dialect[r](c, i) < 0)
				return MLINT_ERROR;
		for (size_t r = 0; c->pg && r < sizeof(postgresql_only) / sizeof(postgresql_only[0]);
		     r++)
			if (postgresql_only[r](c, i) < 0)
				return MLINT_ERROR;
	}
	if (c->pg && (check_validate_same_transaction(c) < 0 || check_enum_created_twice(c) < 0))
		return MLINT_ERROR;
	return c->pg ? check_lock_timeout(c) : 0;
}

/* ---- asymmetric-downgrade ------------------------------------------------- */

static int same(const char *a, const char *b)
{
	return !a || !b || strcmp(a, b) == 0;
}

/* The constraint that took over index `name` later in the upgrade (ADD
 * CONSTRAINT ... USING INDEX renames the index to the constraint's name). */
static const char *index_taken_by(const struct mlint_ops *up, const char *name)
{
	for (size_t i = 0; name && i < up->nr; i++)
		if (up->items[i].kind == MLINT_OP_CREATE_CONSTRAINT && up->items[i].using_index &&
		    same_name(up->items[i].index, name))
			return up->items[i].name;
	return NULL;
}

static enum mlint_op_kind inverse_kind(enum mlint_op_kind k)
{
	switch (k) {
	case MLINT_OP_CREATE_TABLE: return MLINT_OP_DROP_TABLE;
	case MLINT_OP_DROP_TABLE: return MLINT_OP_CREATE_TABLE;
	case MLINT_OP_ADD_COLUMN: return MLINT_OP_DROP_COLUMN;
	case MLINT_OP_DROP_COLUMN: return MLINT_OP_ADD_COLUMN;
	case MLINT_OP_CREATE_INDEX: return MLINT_OP_DROP_INDEX;
	case MLINT_OP_DROP_INDEX: return MLINT_OP_CREATE_INDEX;
	case MLINT_OP_CREATE_CONSTRAINT: return MLINT_OP_DROP_CONSTRAINT;
	case MLINT_OP_DROP_CONSTRAINT: return MLINT_OP_CREATE_CONSTRAINT;
	default: return k;
	}
}

/* The name that pairs an operation with its inverse. */
static const char *pair_name(const struct mlint_op *o)
{
	switch (o->kind) {
	case MLINT_OP_CREATE_TABLE: case MLINT_OP_DROP_TABLE: return o->table;
	case MLINT_OP_ADD_COLUMN: case MLINT_OP_DROP_COLUMN: case MLINT_OP_RENAME_COLUMN:
		return o->column;
	default: return o->name;
	}
}

/* Does the downgrade hold the inverse of `o`? */
static int has_inverse(const struct mlint_op *o, const struct mlint_ops *up,
		       const struct mlint_ops *down)
{
	const char *taken = o->kind == MLINT_OP_CREATE_INDEX ? index_taken_by(up, o->name) : NULL;

	for (size_t i = 0; i < down->nr; i++) {
		const struct mlint_op *d = &down->items[i];
		int table_dropped = d->kind == MLINT_OP_DROP_TABLE && same_name(o->table, d->table);
		switch (o->kind) {
		case MLINT_OP_CREATE_TABLE: case MLINT_OP_DROP_TABLE:
			if (d->kind == inverse_kind(o->kind) && same(o->table, d->table))
				return 1;
			break;
		case MLINT_OP_ADD_COLUMN: case MLINT_OP_CREATE_INDEX:
		case MLINT_OP_CREATE_CONSTRAINT:
			if (table_dropped)
				return 1;
			/* an index goes away with its column (issue 14) */
			if (o->kind != MLINT_OP_ADD_COLUMN && o->column &&
			    d->kind == MLINT_OP_DROP_COLUMN && same_name(d->column, o->column) &&
			    same(o->table, d->table))
				return 1;
			if (taken && d->kind == MLINT_OP_DROP_CONSTRAINT && same_name(d->name, taken))
				return 1;
			/* fall through */
		case MLINT_OP_DROP_COLUMN: case MLINT_OP_DROP_INDEX: case MLINT_OP_DROP_CONSTRAINT:
			if (d->kind == inverse_kind(o->kind) && same_name(pair_name(o), pair_name(d)) &&
			    same(o->table, d->table))
				return 1;
			break;
		case MLINT_OP_RENAME_TABLE:
			if (d->kind == MLINT_OP_RENAME_TABLE && same_name(d->name, o->new_name) &&
			    same_name(d->new_name, o->name))
				return 1;
			break;
		case MLINT_OP_RENAME_COLUMN:
			if (d->kind == MLINT_OP_RENAME_COLUMN && same_name(d->column, o->new_name) &&
			    same_name(d->new_name, o->column) && same(o->table, d->table))
				return 1;
			break;
		default:
			return 1;
		}
	}
	return 0;
}

static const char *inverse_words(const struct mlint_op *o, const char **what)
{
	switch (o->kind) {
	case MLINT_OP_CREATE_TABLE: *what = "creates table"; return "drop_table";
	case MLINT_OP_DROP_TABLE: *what = "drops table"; return "create_table";
	case MLINT_OP_ADD_COLUMN: *what = "adds column"; return "drop_column";
	case MLINT_OP_DROP_COLUMN: *what = "drops column"; return "add_column";
	case MLINT_OP_CREATE_INDEX: *what = "creates index"; return "drop_index";
	case MLINT_OP_DROP_INDEX: *what = "drops index"; return "create_index";
	case MLINT_OP_CREATE_CONSTRAINT: *what = "creates constraint"; return "drop_constraint";
	case MLINT_OP_DROP_CONSTRAINT: *what = "drops constraint"; return "create_*constraint";
	case MLINT_OP_RENAME_TABLE: *what = "renames table"; return "rename_table back";
	default: *what = "renames column"; return "alter_column(new_column_name=...) back";
	}
}

static int pairable(const struct mlint_op *o)
{
	switch (o->kind) {
	case MLINT_OP_CREATE_TABLE: case MLINT_OP_DROP_TABLE:
		return o->table != NULL;
	case MLINT_OP_RENAME_TABLE:
		return o->name && o->new_name;
	case MLINT_OP_RENAME_COLUMN:
		return o->column && o->new_name;
	case MLINT_OP_ADD_COLUMN: case MLINT_OP_DROP_COLUMN:
		return o->column != NULL;
	case MLINT_OP_CREATE_INDEX: case MLINT_OP_DROP_INDEX: case MLINT_OP_CREATE_CONSTRAINT:
	case MLINT_OP_DROP_CONSTRAINT:
		return o->name != NULL;
	default:
		return 0;
	}
}

/* An index or constraint the upgrade drops and creates again under the
 * same name (issue 14): it was there before and is there after, so the
 * downgrade owes neither a drop nor a create. */
static int recreated(const struct mlint_ops *up, size_t i)
{
	const struct mlint_op *o = &up->items[i];
	enum mlint_op_kind inv = inverse_kind(o->kind);

	if (o->kind != MLINT_OP_CREATE_INDEX && o->kind != MLINT_OP_DROP_INDEX &&
	    o->kind != MLINT_OP_CREATE_CONSTRAINT && o->kind != MLINT_OP_DROP_CONSTRAINT)
		return 0;
	for (size_t j = 0; j < up->nr; j++) {
		const struct mlint_op *p = &up->items[j];
		int create = o->kind == MLINT_OP_CREATE_INDEX || o->kind == MLINT_OP_CREATE_CONSTRAINT;
		if (p->kind == inv && (create ? j < i : j > i) && same_name(p->name, o->name) &&
		    same(p->table, o->table))
			return 1;
	}
	return 0;
}

/* Only calls are held to it: SQL in the upgrade may be undone in any way. */
static int check_asymmetric(const struct mlint_script *s, const struct mlint_ops *up,
			    const struct mlint_ops *down, const char *down_name,
			    struct mlint_findings *out)
{
	for (size_t i = 0; i < up->nr; i++) {
		const struct mlint_op *o = &up->items[i];
		const char *what, *inv;
		int table_part;
		if (o->source != MLINT_FROM_CALL || !pairable(o) || recreated(up, i) ||
		    has_inverse(o, up, down))
			continue;
		inv = inverse_words(o, &what);
		table_part = o->table && o->kind != MLINT_OP_CREATE_TABLE &&
			     o->kind != MLINT_OP_DROP_TABLE;
		if (add_at(out, s, "asymmetric-downgrade", o->line, o->col, o->line,
			   "%s() %s '%s'%s%s%s but %s() has no %s to undo it",
			   s->m.functions[o->function].name, what,
			   or_q(pair_name(o)),
			   table_part ? " on '" : "", table_part ? o->table : "",
			   table_part ? "'" : "", down_name, inv) < 0)
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
	const char *suffix = up->name + strlen(UPGRADE);
	for (size_t i = 0; i < m->nr_functions; i++) {
		const struct mlint_function *f = &m->functions[i];
		if (!f->is_upgrade && strcmp(f->name + strlen(DOWNGRADE), suffix) == 0)
			return f;
	}
	return NULL;
}

/* What an upgrade does, from its operations (issue 14): a schema change, only
 * rows (a data migration), only maintenance, only settings (SET, SQLite's
 * PRAGMA), or nothing mlint can read (code it cannot follow, SQL the parser
 * rejected: it may change anything, so it is not called a schema change). */
enum upgrade_kind {
	UPGRADE_UNREAD, UPGRADE_SCHEMA, UPGRADE_DATA, UPGRADE_MAINTENANCE, UPGRADE_SETTINGS
};

static enum upgrade_kind upgrade_kind_of(const struct mlint_ops *ops)
{
	int data = 0, maintenance = 0, settings = 0, unknown = 0;
	for (size_t i = 0; i < ops->nr; i++)
		switch (ops->items[i].kind) {
		case MLINT_OP_EXECUTE_DML: case MLINT_OP_BULK_INSERT: case MLINT_OP_LOOP_DML:
			data = 1;
			break;
		case MLINT_OP_MAINTENANCE: case MLINT_OP_VALIDATE_CONSTRAINT:
			maintenance = 1;
			break;
		case MLINT_OP_SET_SETTING:
			settings = 1;
			break;
		case MLINT_OP_TRANSACTION:
			break;
		case MLINT_OP_EXECUTE_UNPARSED:
			unknown = 1;
			break;
		default:
			return UPGRADE_SCHEMA;
		}
	if (unknown)
		return UPGRADE_UNREAD;
	return data ? UPGRADE_DATA : maintenance ? UPGRADE_MAINTENANCE
		    : settings ? UPGRADE_SETTINGS : UPGRADE_UNREAD;
}

/* A data-only upgrade without a working downgrade: its own rule, lower. */
static int report_data_migration(const struct mlint_script *s, const struct mlint_function *up,
				 const struct mlint_function *down, struct mlint_findings *out)
{
	return add_at(out, s, "irreversible-data-migration", down ? down->def_line : up->def_line,
		      1, 0, "%s() is a data migration (it changes rows, not the schema) and %s: "
		      "a rollback leaves the rows as the upgrade made them",
		      up->name, !down ? "there is no downgrade()" : down->body == MLINT_BODY_RAISE
		      ? "its downgrade only raises" : "its downgrade does nothing");
}

static int check_downgrade(const struct mlint_script *s, const struct mlint_function *up,
			   const struct mlint_function *down, const struct mlint_ops *ops,
			   enum mlint_downgrade_policy policy, struct mlint_findings *out)
{
	enum upgrade_kind kind = upgrade_kind_of(ops);
	const char *does = kind == UPGRADE_UNREAD ? "runs code" : "changes the schema";
	int missing = !down || down->body == MLINT_BODY_EMPTY ||
		      (down->body == MLINT_BODY_RAISE && policy == MLINT_DOWNGRADE_REQUIRE);

	if (policy == MLINT_DOWNGRADE_OFF || up->body != MLINT_BODY_CODE || is_merge(&s->m) ||
	    !missing || kind == UPGRADE_MAINTENANCE || /* VACUUM, REINDEX: nothing to undo */
	    kind == UPGRADE_SETTINGS) /* SET lock_timeout, PRAGMA auto_vacuum: no schema */
		return 0;
	if (kind == UPGRADE_DATA)
		return report_data_migration(s, up, down, out);
	if (!down)
		return add_at(out, s, "missing-downgrade", up->def_line, 1, 0,
			      "%s() %s but there is no %s(): this migration "
			      "cannot be rolled back", up->name, does, DOWNGRADE);
	if (down->body == MLINT_BODY_EMPTY)
		return add_at(out, s, "missing-downgrade", down->def_line, 1, 0,
			      "%s() does nothing while %s() %s: `alembic downgrade` "
			      "would not revert it", down->name, up->name, does);
	return add_at(out, s, "missing-downgrade", down->def_line, 1, 0,
		      "%s() only raises %s: this migration cannot be rolled back (set "
		      "`downgrade = allow-raise` in [mlint] if that is deliberate)",
		      down->name, down->raises && *down->raises ? down->raises : "");
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
			   "autogenerate found no change, or the model change was not imported",
			   f->name) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static int read_function_ops(const struct mlint_script *s, size_t f, struct mlint_ops *out)
{
	return mlint_ops_read(out, &s->m, s->source, s->source_len, f);
}

static int check_pair(struct ctx *c, size_t f)
{
	const struct mlint_script *s = c->s;
	const struct mlint_function *up = &s->m.functions[f], *down = partner(&s->m, up);
	struct mlint_ops *dn = &c->scratch->down;
	int error;

	if ((error = check_upgrade_ops(c)) < 0 ||
	    (error = check_downgrade(s, up, down, c->ops, c->opts->downgrade, c->out)) < 0)
		return error;
	if (!down || down->body != MLINT_BODY_CODE || c->opts->downgrade == MLINT_DOWNGRADE_OFF ||
	    is_merge(&s->m))
		return 0;
	mlint_ops_clear(dn);
	if ((error = mlint_ops_read_with(dn, &s->m, s->source, s->source_len,
					 (size_t)(down - s->m.functions), MLINT_OPS_NAMES)) == 0)
		error = check_asymmetric(s, c->ops, dn, down->name, c->out);
	return error;
}

static int runs_postgresql_rules(enum mlint_dialect d)
{
	return d == MLINT_DIALECT_POSTGRESQL || d == MLINT_DIALECT_UNKNOWN;
}

void mlint_content_scratch_init(struct mlint_content_scratch *scratch)
{
	mlint_ops_init(&scratch->up);
	mlint_ops_init(&scratch->down);
}

void mlint_content_scratch_release(struct mlint_content_scratch *scratch)
{
	mlint_ops_release(&scratch->up);
	mlint_ops_release(&scratch->down);
}

int mlint_check_content_script_in(const struct mlint_script *s,
				  const struct mlint_check_opts *opts, struct mlint_findings *out,
				  struct mlint_content_scratch *scratch)
{
	const struct mlint_migration *m = &s->m;
	struct line_cache lines;
	struct ctx c;
	int error = 0;

	if (!s->is_migration || s->refused || !mlint_migration_has_revision(m))
		return 0;
	memset(&c, 0, sizeof(c));
	memset(&lines, 0, sizeof(lines));
	c.lines = &lines;
	c.s = s;
	c.opts = opts;
	c.out = out;
	c.pg = runs_postgresql_rules(opts->dialect);
	c.scratch = scratch;
	c.ops = &scratch->up;
	for (size_t f = 0; f < m->nr_functions && error == 0; f++) {
		if (!m->functions[f].is_upgrade)
			continue;
		mlint_ops_clear(&scratch->up);
		if ((error = read_function_ops(s, f, &scratch->up)) == 0)
			error = check_pair(&c, f);
		mlint_strmap_release(&c.facts);
		c.facts_built = 0;
	}
	if (error == 0)
		error = check_empty_upgrade(s, out);
	return error;
}

/* ---- enum types and values across the directory ------------------------- *
 *
 * enum-type-not-created and enum-values-not-added judge one file; a type an
 * earlier migration creates, or a value an earlier migration adds, is there
 * when this one runs. After the per-file rules, the findings of those two
 * rules are held against what the migrations this one comes after (its
 * ancestors by down_revision and depends_on) do, read again from the files
 * that mention a type, and only when there is such a finding.
 */

static const char NOT_CREATED[] = "enum-type-not-created";
static const char NOT_ADDED[] = "enum-values-not-added";
#define NO_SCRIPT ((size_t)-1)

/* `word` occurs in the bytes. */
static int mentions(const char *p, size_t len, const char *word)
{
	const char *end = p + len;
	size_t n = strlen(word);
	for (; (p = memchr(p, word[0], (size_t)(end - p))) != NULL && (size_t)(end - p) >= n; p++)
		if (memcmp(p, word, n) == 0)
			return 1;
	return 0;
}

/* Which scripts give a fact: the map's key -> the first of a list. */
struct fact_giver {
	size_t script, next;
};

struct enum_facts {
	struct mlint_strmap first;   /* key -> index into givers */
	struct fact_giver *givers;
	size_t nr, alloc;
};

/* Map keys: "t" TYPE for a type created, "v" TYPE "\x1f" VALUE for a value
 * added (ADD VALUE, RENAME VALUE ... TO). 0 when too long. */
static int enum_key(char *key, size_t n, char kind, const char *type, const char *value)
{
	int len = snprintf(key, n, "%c%s%s%s", kind, type, value ? "\x1f" : "", value ? value : "");
	return len > 0 && (size_t)len < n;
}

static int note_fact(struct enum_facts *facts, const char *key, size_t k)
{
	/* the map's own value, found through its const lookup */
	size_t *head = (size_t *)mlint_strmap_find(&facts->first, key);

	if (head && facts->givers[*head].script == k)
		return 0;
	if (MLINT_ARRAY_GROW(facts->givers, facts->alloc, facts->nr + 1) < 0)
		return MLINT_ERROR;
	facts->givers[facts->nr].script = k;
	facts->givers[facts->nr].next = head ? *head : NO_SCRIPT;
	if (head) {
		*head = facts->nr++;
		return 0;
	}
	return mlint_strmap_add(&facts->first, key, facts->nr++);
}

/* What the upgrades of script k do to enum types. `m` is the script
 * scanned again (the load dropped its call lists). */
static int add_enum_facts(struct enum_facts *facts, struct mlint_ops *ops, const char *src,
			  size_t len, const struct mlint_migration *m, size_t k)
{
	char key[1024];

	for (size_t f = 0; f < m->nr_functions; f++) {
		if (!m->functions[f].is_upgrade)
			continue;
		mlint_ops_clear(ops);
		if (mlint_ops_read(ops, m, src, len, f) < 0)
			return MLINT_ERROR;
		for (size_t i = 0; i < ops->nr; i++) {
			const struct mlint_op *o = &ops->items[i];
			int ok = 0;
			if (o->kind == MLINT_OP_CREATE_TYPE && o->name)
				ok = enum_key(key, sizeof(key), 't', o->name, NULL);
			else if ((o->kind == MLINT_OP_ALTER_TYPE_ADD_VALUE ||
				  o->kind == MLINT_OP_ALTER_TYPE_RENAME_VALUE) && o->table && o->value)
				ok = enum_key(key, sizeof(key), 'v', o->table, o->value);
			if (ok && note_fact(facts, key, k) < 0)
				return MLINT_ERROR;
		}
	}
	return 0;
}

/* The facts of sd's migrations, from the files that mention an enum or a
 * type (scanned again: the load dropped the call lists once the per-file
 * rules had read them). */
static int read_enum_facts(const struct mlint_scriptdir *sd, struct enum_facts *facts)
{
	struct mlint_ops ops;
	int error = 0;

	mlint_ops_init(&ops);
	for (size_t k = 0; k < sd->nr_scripts && error == 0; k++) {
		const struct mlint_script *s = &sd->scripts[k];
		struct mlint_migration m;
		const char *src;
		size_t len;
		/* the bytes are read again: check keeps no sources */
		if (!s->is_migration || s->refused || !(src = mlint_script_source(s, &len)) ||
		    !(mentions(src, len, "Enum") || mentions(src, len, "ENUM") ||
		      mentions(src, len, "TYPE") || mentions(src, len, "type")))
			continue;
		mlint_migration_init(&m);
		if ((error = mlint_migration_scan(&m, src, len)) == 0)
			error = add_enum_facts(facts, &ops, src, len, &m, k);
		mlint_migration_release(&m);
	}
	mlint_ops_release(&ops);
	return error;
}

struct enum_filter {
	const struct mlint_scriptdir *sd;
	struct enum_facts facts;
	size_t *node_of;       /* script -> graph node, NO_SCRIPT */
	unsigned char *before; /* scripts that run before `of` (its ancestors) */
	size_t *queue;
	size_t of;             /* the script `before` is for, NO_SCRIPT */
	int error;
};

/* ef->before = the scripts of the ancestors of script k's node (parents
 * and depends_on, transitively). A script without a node (its revision
 * unread): every other script, as mlint cannot tell. */
static void mark_before(struct enum_filter *ef, size_t k)
{
	const struct mlint_graph *g = &ef->sd->graph;
	size_t head = 0, tail = 0, node = k < ef->sd->nr_scripts ? ef->node_of[k] : NO_SCRIPT;

	ef->of = k;
	memset(ef->before, node == NO_SCRIPT, ef->sd->nr_scripts);
	if (node == NO_SCRIPT)
		return;
	ef->queue[tail++] = node;
	while (head < tail) {
		const struct mlint_graph_node *n = &g->nodes[ef->queue[head++]];
		for (size_t j = 0; j < n->nr_parents + n->nr_deps; j++) {
			size_t p = j < n->nr_parents ? n->parents[j] : n->deps[j - n->nr_parents];
			size_t script = ef->sd->inputs[g->nodes[p].input].tag;
			if (script >= ef->sd->nr_scripts || ef->before[script])
				continue;
			ef->before[script] = 1;
			ef->queue[tail++] = p;
		}
	}
}

/* A migration that runs before x's gives `key`. */
static int given_before(struct enum_filter *ef, const struct mlint_finding *x, const char *key)
{
	const size_t *head = mlint_strmap_find(&ef->facts.first, key);
	size_t k = mlint_scriptdir_find(ef->sd, x->path);

	if (!head || k == NO_SCRIPT)
		return 0;
	if (ef->of != k)
		mark_before(ef, k);
	for (size_t g = *head; g != NO_SCRIPT; g = ef->facts.givers[g].next)
		if (ef->facts.givers[g].script != k && ef->before[ef->facts.givers[g].script])
			return 1;
	return 0;
}

/* The text of `message` between `before` and `after` (the rule's own
 * wording, written by check_enum_created() / check_enum_values()). */
static int between(const char *message, const char *before, const char *after, char *out,
		   size_t n)
{
	const char *p = strstr(message, before), *q;
	if (!p)
		return 0;
	p += strlen(before);
	if (!(q = strstr(p, after)) || (size_t)(q - p) >= n)
		return 0;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return 1;
}

/* Every value the enum-values-not-added message lists ('a', 'b') is added
 * by a migration that runs before. A list cut short ("...") is not known
 * in full. */
static int values_given_before(struct enum_filter *ef, const struct mlint_finding *x,
			       const char *type)
{
	char list[512], key[1024];
	char *p, *q;
	size_t n;

	if ((!between(x->message, "with the new values ", ", but Alembic", list, sizeof(list)) &&
	     !between(x->message, "with the new value ", ", but Alembic", list, sizeof(list))) ||
	    (n = strlen(list)) < 2 || list[0] != '\'' || list[n - 1] != '\'')
		return 0;
	list[n - 1] = '\0';
	for (p = list + 1; p; p = q) {
		if ((q = strstr(p, "', '")) != NULL) {
			*q = '\0';
			q += 4;
		}
		if (!enum_key(key, sizeof(key), 'v', type, p) || !given_before(ef, x, key))
			return 0;
	}
	return 1;
}

static int keep_enum_finding(void *ctx, const struct mlint_finding *x)
{
	struct enum_filter *ef = ctx;
	char type[512], key[1024];

	if (strcmp(x->rule, NOT_CREATED) == 0)
		return !between(x->message, "enum type '", "' but ", type, sizeof(type)) ||
		       !enum_key(key, sizeof(key), 't', type, NULL) || !given_before(ef, x, key);
	if (strcmp(x->rule, NOT_ADDED) == 0)
		return !between(x->message, "enum type '", "' with the new value", type,
				sizeof(type)) || !values_given_before(ef, x, type);
	return 1;
}

static int wants_enum_pass(const struct mlint_findings *out)
{
	for (size_t i = 0; i < out->nr; i++)
		if (strcmp(out->items[i].rule, NOT_CREATED) == 0 ||
		    strcmp(out->items[i].rule, NOT_ADDED) == 0)
			return 1;
	return 0;
}

int mlint_check_enum_types(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	struct enum_filter ef;
	size_t n = sd->nr_scripts ? sd->nr_scripts : 1;
	int error;

	if (!wants_enum_pass(out))
		return 0;
	memset(&ef, 0, sizeof(ef));
	ef.sd = sd;
	ef.of = NO_SCRIPT;
	if (!(ef.node_of = malloc(n * sizeof(*ef.node_of))) || !(ef.before = malloc(n)) ||
	    !(ef.queue = malloc((sd->graph.nr_nodes + 1) * sizeof(*ef.queue)))) {
		error = mlint_error_set("out of memory");
		goto done;
	}
	for (size_t k = 0; k < sd->nr_scripts; k++)
		ef.node_of[k] = NO_SCRIPT;
	for (size_t i = 0; i < sd->graph.nr_nodes; i++) {
		size_t script = sd->inputs[sd->graph.nodes[i].input].tag;
		if (script < sd->nr_scripts)
			ef.node_of[script] = i;
	}
	if ((error = read_enum_facts(sd, &ef.facts)) == 0)
		mlint_findings_filter(out, keep_enum_finding, &ef);
done:
	mlint_strmap_release(&ef.facts.first);
	free(ef.facts.givers);
	free(ef.node_of);
	free(ef.before);
	free(ef.queue);
	return error;
}
