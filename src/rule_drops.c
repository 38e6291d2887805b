/*
 * What a drop loses, judged by the whole upgrade (issue 14). The pattern
 * rules drop-table, drop-column and destructive-sql see one call; with the
 * upgrade's operations (ops.h):
 *   - a table or column created earlier in the same upgrade holds nothing
 *     the database had (CREATE TEMPORARY TABLE ... DROP, a scratch column):
 *     no finding;
 *   - a table whose rows an earlier INSERT ... SELECT copied elsewhere (the
 *     SQLite rebuild: rename to x_tmp, create x, INSERT INTO x SELECT ...
 *     FROM x_tmp, drop x_tmp), or a column whose values an earlier UPDATE
 *     of the same table copied (the copy-swap), loses no data: info that
 *     names where the data went;
 *   - so does a column whose values Python code copied first: a write
 *     (an UPDATE / INSERT string, or NAME.update() / NAME.insert() of a
 *     table() definition) that reads the column itself, or runs in a loop
 *     over a read that names it (SELECT ... col ... FROM t, NAME.select() of
 *     a table() that lists it, NAME.c.col);
 *   - a copy-swap that renames the new column to the old name is one safe
 *     change: its add, drop and rename owe no downgrade and the rename is
 *     no rename for running code (asymmetric-downgrade / rename-column);
 *   - a lock finding on a table the upgrade drops afterwards (an index
 *     dropped in a batch, then the table) says nothing DROP TABLE does not.
 * Only files with such a finding have their operations read.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "mlint/ops.h"
#include "check_files.h"
#include "util.h"

static int is_drop_rule(const char *rule)
{
	return strcmp(rule, "drop-table") == 0 || strcmp(rule, "drop-column") == 0 ||
	       strcmp(rule, "destructive-sql") == 0;
}

static int same(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static int word_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* `word` in `text` as a whole word, any case. */
static int has_word(const char *text, const char *word)
{
	size_t n = word ? strlen(word) : 0;
	if (!text || !n)
		return 0;
	for (const char *p = text; *p; p++)
		if (strncasecmp(p, word, n) == 0 && (p == text || !word_char(p[-1])) &&
		    !word_char(p[n]))
			return 1;
	return 0;
}

/* `word` as a whole word in [p, end), any case. */
static int has_word_in(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	for (const char *q = p; n && q + n <= end; q++)
		if (strncasecmp(q, word, n) == 0 && (q == p || !word_char(q[-1])) &&
		    (q + n == end || !word_char(q[n])))
			return 1;
	return 0;
}

static const char *find_in(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (; n && p + n <= end; p++)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\'))
		p++;
	return p;
}

/* The end of the bracket opened at `open` (strings skipped), or `end`. */
static const char *close_of(const char *open, const char *end)
{
	int depth = 0;
	char quote = 0;

	for (const char *p = open; p < end; p++) {
		if (quote) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(' || *p == '[') {
			depth++;
		} else if ((*p == ')' || *p == ']') && --depth == 0) {
			return p + 1;
		}
	}
	return end;
}

/* A table() definition: `NAME = sa.table('t', sa.column('c'), ...)` (also
 * table(), sa.Table(), sqlalchemy.sql.table()), anywhere in the file. */
struct table_def {
	char table[128];
	const char *args, *end; /* its argument list */
};

static int table_def_at(const struct mlint_script *s, const char *p, const char *name, size_t n,
			struct table_def *def);

/* The definition of `name` that binds it at `use`: the last one before
 * it, else the first in the file (module level, below the function). */
static int table_def_of(const struct mlint_script *s, const char *name, size_t n,
			const char *use, struct table_def *def)
{
	const char *src = s->source, *end = src + s->source_len;
	struct table_def d;
	int found = 0;

	for (const char *p = src; n && p + n < end; p++) {
		if (!table_def_at(s, p, name, n, &d))
			continue;
		if (p < use || !found)
			*def = d;
		found = 1;
		if (p >= use)
			break;
	}
	return found;
}

/* A definition of `name` starting at p. */
static int table_def_at(const struct mlint_script *s, const char *p, const char *name, size_t n,
			struct table_def *def)
{
	const char *src = s->source, *end = src + s->source_len, *q, *callee, *t;
	char quote;

	if (p + n >= end || (p != src && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n') ||
	    memcmp(p, name, n) != 0 || word_char(p[n]))
		return 0;
	q = p + n;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q + 1 >= end || *q != '=' || q[1] == '=')
		return 0;
	for (callee = q = skip_blank(q + 1, end); q < end && (word_char(*q) || *q == '.');)
		q++;
	if (q - callee < 5 || strncasecmp(q - 5, "table", 5) != 0 || q >= end || *q != '(')
		return 0;
	def->args = q;
	q = skip_blank(q + 1, end);
	if (q >= end || (*q != '\'' && *q != '"'))
		return 0;
	quote = *q++;
	for (t = q; q < end && *q != quote && *q != '\n';)
		q++;
	if (q >= end || *q != quote || q == t || (size_t)(q - t) >= sizeof(def->table))
		return 0;
	memcpy(def->table, t, (size_t)(q - t));
	def->table[q - t] = '\0';
	def->end = close_of(def->args, end);
	return 1;
}

/* Whether the definition lists column `column` ('column' or "column"). */
static int def_lists(const struct table_def *def, const char *column)
{
	size_t n = strlen(column);
	for (const char *p = def->args; p + n + 2 <= def->end; p++)
		if ((*p == '\'' || *p == '"') && p[n + 1] == *p &&
		    strncmp(p + 1, column, n) == 0)
			return 1;
	return 0;
}

/* The table() definition of the name just before an occurrence of
 * `suffix` (".update(", ".select(", ".c.") in [p, end); `after` then
 * points past the suffix. Goes on from `*from` (updated). */
static int named_def(const struct mlint_script *s, const char **from, const char *end,
		     const char *suffix, struct table_def *def, const char **after)
{
	const char *hit;

	while ((hit = find_in(*from, end, suffix)) != NULL) {
		const char *id = hit;
		*from = hit + 1;
		while (id > s->source && word_char(id[-1]))
			id--;
		if (id < hit && table_def_of(s, id, (size_t)(hit - id), hit, def)) {
			*after = hit + strlen(suffix);
			return 1;
		}
	}
	return 0;
}

/* Whether the text [p, end) reads column `column` of `table`: SQL naming
 * both with SELECT, NAME.select() of a table() of it that lists the
 * column, or NAME.c.column. */
static int reads_column(const struct mlint_script *s, const char *p, const char *end,
			const char *table, const char *column)
{
	struct table_def def;
	const char *from = p, *after;

	if (has_word_in(p, end, "select") && has_word_in(p, end, table) &&
	    has_word_in(p, end, column))
		return 1;
	while (named_def(s, &from, end, ".select(", &def, &after))
		if (same(def.table, table) && def_lists(&def, column))
			return 1;
	for (from = p; named_def(s, &from, end, ".c.", &def, &after);)
		if (same(def.table, table) && after + strlen(column) <= end &&
		    strncmp(after, column, strlen(column)) == 0 &&
		    (after + strlen(column) == end || !word_char(after[strlen(column)])))
			return 1;
	return 0;
}

/* Where a copy went, for the message. */
struct copy {
	unsigned line;
	const char *how;  /* "a loop", "an UPDATE", "an INSERT" */
	char into[128];   /* the table written */
};

static const char *method_of(const struct mlint_call *c)
{
	const char *dot = strrchr(c->name, '.');
	return dot ? dot + 1 : c->name;
}

static int is_execute(const struct mlint_call *c)
{
	return strcmp(method_of(c), "execute") == 0 || strcmp(method_of(c), "exec_driver_sql") == 0;
}

/* Calls that may read rows: execute(), text(), select(). */
static int may_read(const struct mlint_call *c)
{
	return is_execute(c) || strcmp(method_of(c), "text") == 0 ||
	       strcmp(method_of(c), "select") == 0;
}

/* The table an execute() call writes: its UPDATE / INSERT string (from
 * the operations), or NAME.update() / NAME.insert() of a table(). */
static int written_table(const struct mlint_script *s, const struct mlint_ops *ops,
			 const struct mlint_call *c, struct copy *cp)
{
	const char *p = s->source + c->off, *end = s->source + c->end, *from, *after;
	struct table_def def;

	for (size_t j = 0; j < ops->nr; j++) {
		const struct mlint_op *o = &ops->items[j];
		if (o->kind == MLINT_OP_EXECUTE_DML && o->call && o->call->off >= c->off &&
		    o->call->end <= c->end && o->table &&
		    (o->dml == MLINT_DML_UPDATE || o->dml == MLINT_DML_INSERT)) {
			cp->how = o->dml == MLINT_DML_UPDATE ? "an UPDATE" : "an INSERT";
			snprintf(cp->into, sizeof(cp->into), "%s", o->table);
			return 1;
		}
	}
	for (int k = 0; k < 2; k++) {
		from = p;
		if (named_def(s, &from, end, k ? ".insert(" : ".update(", &def, &after)) {
			cp->how = k ? "an INSERT" : "an UPDATE";
			snprintf(cp->into, sizeof(cp->into), "%s", def.table);
			return 1;
		}
	}
	return 0;
}

/* A copy of column d->column by Python code of function `f` before the
 * drop: a write that reads the column itself, or a write in a loop after
 * a read of the column (issue 14: redash's encrypted_options). */
static int copied_by_code(const struct mlint_script *s, size_t f, const struct mlint_ops *ops,
			  const struct mlint_op *d, struct copy *cp)
{
	const struct mlint_migration *m = &s->m;
	const struct mlint_function *fn = &m->functions[f];
	size_t first = fn->first_call, last = fn->first_call + fn->nr_calls;

	for (size_t w = first; w < last; w++) {
		const struct mlint_call *c = &m->calls[w];
		int in_loop;
		if (c->end > s->source_len || c->off >= c->end || c->end > d->call->off ||
		    !is_execute(c) || !written_table(s, ops, c, cp))
			continue;
		in_loop = mlint_migration_block_at(m, f, c->line, MLINT_BLOCK_LOOP, NULL) != NULL;
		cp->line = c->line;
		if (reads_column(s, s->source + c->off, s->source + c->end, d->table, d->column)) {
			if (in_loop)
				cp->how = "a loop";
			return 1;
		}
		for (size_t r = first; in_loop && r < last; r++) {
			const struct mlint_call *rc = &m->calls[r];
			if (rc->off < c->off && rc->end <= s->source_len && rc->off < rc->end &&
			    may_read(rc) &&
			    reads_column(s, s->source + rc->off, s->source + rc->end, d->table,
					 d->column)) {
				cp->how = "a loop";
				return 1;
			}
		}
	}
	return 0;
}

/* The table op.bulk_insert(NAME, rows) writes: NAME's table() or
 * create_table() definition. */
static int bulk_target(const struct mlint_script *s, const struct mlint_call *c, struct copy *cp)
{
	const char *p = s->source + c->off, *end = s->source + c->end, *open, *id;
	struct table_def def;

	if (!(open = memchr(p, '(', (size_t)(end - p))))
		return 0;
	id = skip_blank(open + 1, end);
	for (p = id; p < end && word_char(*p);)
		p++;
	if (p == id || !table_def_of(s, id, (size_t)(p - id), id, &def))
		return 0;
	cp->how = "a bulk_insert";
	snprintf(cp->into, sizeof(cp->into), "%s", def.table);
	return 1;
}

/* Whether call c reads what drop d takes away: its table (SELECT ... FROM
 * it), or, for a column, that column of it. */
static int reads_dropped(const struct mlint_script *s, const struct mlint_call *c,
			 const struct mlint_op *d)
{
	const char *p = s->source + c->off, *end = s->source + c->end;

	if (d->kind == MLINT_OP_DROP_COLUMN)
		return reads_column(s, p, end, d->table, d->column);
	return has_word_in(p, end, "select") && has_word_in(p, end, d->table);
}

/* A copy by op.bulk_insert() before drop `d` (index i): rows an execute()
 * or select() read from d's table (its column) before the insert, written
 * into another table (the same table, for a column). */
static int copied_by_bulk(const struct mlint_script *s, size_t f, const struct mlint_ops *ops,
			  size_t i, struct copy *cp)
{
	const struct mlint_op *d = &ops->items[i];
	const struct mlint_function *fn = &s->m.functions[f];
	size_t first = fn->first_call, last = fn->first_call + fn->nr_calls;

	for (size_t j = 0; j < i; j++) {
		const struct mlint_op *o = &ops->items[j];
		if (o->kind != MLINT_OP_BULK_INSERT || !o->call || !d->table ||
		    !bulk_target(s, o->call, cp) ||
		    (d->kind == MLINT_OP_DROP_TABLE && same(cp->into, d->table)))
			continue;
		for (size_t r = first; r < last; r++) {
			const struct mlint_call *rc = &s->m.calls[r];
			if (rc->off < o->call->off && rc->end <= s->source_len && rc->off < rc->end &&
			    may_read(rc) && reads_dropped(s, rc, d)) {
				cp->line = o->line;
				return 1;
			}
		}
	}
	return 0;
}

static const char *sql_of(const struct mlint_op *o)
{
	return o->call ? o->call->first_arg : NULL;
}

enum verdict { KEEP, NOTHING_LOST, COPIED };

static void copy_from_op(struct copy *cp, const struct mlint_op *o, const char *how,
			 const char *into)
{
	cp->line = o->line;
	cp->how = how;
	snprintf(cp->into, sizeof(cp->into), "%s", into ? into : "");
}

/* Drop `d` (index i of the ops of function f): was its table or column
 * made or copied before? */
static enum verdict judge(const struct mlint_script *s, size_t f, const struct mlint_ops *ops,
			  size_t i, struct copy *cp)
{
	const struct mlint_op *d = &ops->items[i];
	int column = d->kind == MLINT_OP_DROP_COLUMN;

	for (size_t j = 0; j < i; j++) {
		const struct mlint_op *o = &ops->items[j];
		if (o->kind == MLINT_OP_CREATE_TABLE && same(o->table, d->table))
			return NOTHING_LOST;
		if (column && o->kind == MLINT_OP_ADD_COLUMN && same(o->table, d->table) &&
		    same(o->column, d->column))
			return NOTHING_LOST;
	}
	for (size_t j = i; j-- > 0;) {
		const struct mlint_op *o = &ops->items[j];
		if (o->kind != MLINT_OP_EXECUTE_DML)
			continue;
		if (!column && o->dml == MLINT_DML_INSERT && !same(o->table, d->table) &&
		    has_word(sql_of(o), "select") && has_word(sql_of(o), d->table)) {
			copy_from_op(cp, o, "an INSERT", o->table);
			return COPIED;
		}
		if (column && o->dml == MLINT_DML_UPDATE && same(o->table, d->table) &&
		    has_word(sql_of(o), d->column)) {
			copy_from_op(cp, o, "an UPDATE", NULL);
			return COPIED;
		}
	}
	if (column && d->call && copied_by_code(s, f, ops, d, cp))
		return COPIED;
	if (copied_by_bulk(s, f, ops, i, cp))
		return COPIED;
	return KEEP;
}

/* The drop operation a finding at `line` of function `f` is about. */
static size_t drop_at(const struct mlint_ops *ops, unsigned line)
{
	for (size_t i = 0; i < ops->nr; i++) {
		const struct mlint_op *o = &ops->items[i];
		if ((o->kind == MLINT_OP_DROP_TABLE || o->kind == MLINT_OP_DROP_COLUMN) &&
		    (o->line == line || (o->call && o->call->line == line)) && o->table &&
		    (o->kind == MLINT_OP_DROP_TABLE || o->column))
			return i;
	}
	return (size_t)-1;
}

static int to_info(struct mlint_finding *x, const struct mlint_op *d, const struct copy *cp)
{
	char msg[600];
	char *copy;

	if (d->kind == MLINT_OP_DROP_TABLE)
		snprintf(msg, sizeof(msg), "table '%.100s' is dropped after its rows were copied "
			 "to '%.100s' (line %u): the data moved, nothing is lost", d->table,
			 cp->into[0] ? cp->into : "?", cp->line);
	else if (!cp->into[0])
		snprintf(msg, sizeof(msg), "column '%.100s' of '%.100s' is dropped after %s "
			 "copied its values (line %u): the data moved, nothing is lost", d->column,
			 d->table, cp->how, cp->line);
	else
		snprintf(msg, sizeof(msg), "column '%.100s' of '%.100s' is dropped after %s "
			 "copied its values into '%.100s' (line %u): the data moved, nothing is "
			 "lost", d->column, d->table, cp->how, cp->into, cp->line);
	if (!(copy = mlint_strdup(msg)))
		return MLINT_ERROR;
	free(x->message);
	x->message = copy;
	x->severity = MLINT_SEV_INFO;
	return 0;
}

/* Findings at the line of operation o (its statement or its call). */
static int at_op(const struct mlint_finding *x, const struct mlint_op *o)
{
	return x->line == o->line || (o->call && x->line == o->call->line);
}

static int is_rule(const char *rule, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(rule, *list) == 0)
			return 1;
	return 0;
}

/* The copy-swap's other half: a later rename of a column the upgrade
 * added to the dropped column's name (add new, copy, drop old, rename new
 * to old). Its add, drop and rename are one change: the downgrade owes no
 * single undo of each, and running code sees the same name. */
static void forget_swap(const struct mlint_ops *ops, size_t i, const struct mlint_findings *out,
			unsigned char *gone, unsigned first, unsigned last)
{
	static const char *const swap_rules[] = {"asymmetric-downgrade", "rename-column", NULL};
	const struct mlint_op *d = &ops->items[i], *rename = NULL, *add = NULL;

	for (size_t j = i + 1; j < ops->nr && !rename; j++) {
		const struct mlint_op *o = &ops->items[j];
		if (o->kind == MLINT_OP_RENAME_COLUMN && same(o->table, d->table) &&
		    same(o->new_name, d->column) && o->column)
			rename = o;
	}
	for (size_t j = 0; rename && j < i && !add; j++) {
		const struct mlint_op *o = &ops->items[j];
		if (o->kind == MLINT_OP_ADD_COLUMN && same(o->table, d->table) &&
		    same(o->column, rename->column))
			add = o;
	}
	for (size_t k = 0; add && k < out->nr; k++) {
		const struct mlint_finding *x = &out->items[k];
		if (x->line >= first && x->line <= last && is_rule(x->rule, swap_rules) &&
		    (at_op(x, d) || at_op(x, rename) || at_op(x, add)))
			gone[k] = 1;
	}
}

/* Lock findings about a table the upgrade drops afterwards: DROP TABLE
 * takes the same ACCESS EXCLUSIVE lock and takes its indexes, columns and
 * constraints with it (the demo's index dropped in a batch, then its
 * table). */
static void forget_locks_on_dropped(const struct mlint_ops *ops, const struct mlint_findings *out,
				    unsigned char *gone, unsigned first, unsigned last)
{
	static const char *const lock_rules[] = {
		"drop-index-not-concurrently", "create-index-not-concurrently", "add-column-rewrite",
		"add-primary-key", "set-not-null", "alter-column-type", "constraint-not-valid",
		"add-unique-constraint", "update-under-lock", "reindex-not-concurrently",
		"rename-column", NULL};

	for (size_t t = 0; t < ops->nr; t++) {
		const struct mlint_op *dt = &ops->items[t];
		if (dt->kind != MLINT_OP_DROP_TABLE || !dt->table)
			continue;
		for (size_t j = 0; j < t; j++) {
			const struct mlint_op *o = &ops->items[j];
			if (o->kind == MLINT_OP_DROP_TABLE || !same(o->table, dt->table))
				continue;
			for (size_t k = 0; k < out->nr; k++) {
				const struct mlint_finding *x = &out->items[k];
				if (x->line >= first && x->line <= last && at_op(x, o) &&
				    is_rule(x->rule, lock_rules))
					gone[k] = 1;
			}
		}
	}
}

/* Findings of one upgrade function about its drops, judged; `gone` marks
 * the ones to leave out. */
static int judge_function(const struct mlint_script *s, size_t f, struct mlint_findings *out,
			  unsigned char *gone)
{
	struct mlint_ops ops;
	const struct mlint_function *fn = &s->m.functions[f];
	int error;

	mlint_ops_init(&ops);
	error = mlint_ops_read(&ops, &s->m, s->source, s->source_len, f);
	for (size_t k = 0; k < out->nr && error == 0; k++) {
		struct mlint_finding *x = &out->items[k];
		struct copy cp;
		size_t i;
		if (!is_drop_rule(x->rule) || x->line < fn->def_line || x->line > fn->end_line ||
		    (i = drop_at(&ops, x->line)) == (size_t)-1)
			continue;
		memset(&cp, 0, sizeof(cp));
		switch (judge(s, f, &ops, i, &cp)) {
		case NOTHING_LOST: gone[k] = 1; break;
		case COPIED:
			error = to_info(x, &ops.items[i], &cp);
			if (ops.items[i].kind == MLINT_OP_DROP_COLUMN)
				forget_swap(&ops, i, out, gone, fn->def_line, fn->end_line);
			break;
		default: break;
		}
	}
	if (error == 0)
		forget_locks_on_dropped(&ops, out, gone, fn->def_line, fn->end_line);
	mlint_ops_release(&ops);
	return error;
}

static int keep_marked(void *ctx, const struct mlint_finding *x)
{
	const unsigned char **cursor = ctx;
	(void)x;
	return !*(*cursor)++;
}

int mlint_check_drops_script(const struct mlint_script *s, struct mlint_findings *out)
{
	unsigned char *gone;
	const unsigned char *cursor;
	int any = 0, error = 0;

	for (size_t k = 0; k < out->nr && !any; k++)
		any = is_drop_rule(out->items[k].rule);
	if (!any || !s->source)
		return 0;
	if (!(gone = calloc(out->nr, 1)))
		return mlint_error_set("out of memory");
	for (size_t f = 0; f < s->m.nr_functions && error == 0; f++)
		if (s->m.functions[f].is_upgrade)
			error = judge_function(s, f, out, gone);
	cursor = gone;
	if (error == 0)
		mlint_findings_filter(out, keep_marked, &cursor);
	free(gone);
	return error;
}
