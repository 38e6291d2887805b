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
 *     names where the data went.
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

static const char *sql_of(const struct mlint_op *o)
{
	return o->call ? o->call->first_arg : NULL;
}

enum verdict { KEEP, NOTHING_LOST, COPIED };

/* Drop `d` (index i of ops): was its table or column made or copied before? */
static enum verdict judge(const struct mlint_ops *ops, size_t i, const struct mlint_op **from)
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
			*from = o;
			return COPIED;
		}
		if (column && o->dml == MLINT_DML_UPDATE && same(o->table, d->table) &&
		    has_word(sql_of(o), d->column)) {
			*from = o;
			return COPIED;
		}
	}
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

static int to_info(struct mlint_finding *x, const struct mlint_op *d, const struct mlint_op *o)
{
	char msg[600];
	char *copy;

	if (d->kind == MLINT_OP_DROP_TABLE)
		snprintf(msg, sizeof(msg), "table '%.100s' is dropped after its rows were copied "
			 "to '%.100s' (line %u): the data moved, nothing is lost", d->table,
			 o->table ? o->table : "?", o->line);
	else
		snprintf(msg, sizeof(msg), "column '%.100s' of '%.100s' is dropped after an UPDATE "
			 "copied its values (line %u): the data moved, nothing is lost", d->column,
			 d->table, o->line);
	if (!(copy = mlint_strdup(msg)))
		return MLINT_ERROR;
	free(x->message);
	x->message = copy;
	x->severity = MLINT_SEV_INFO;
	return 0;
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
		const struct mlint_op *from = NULL;
		size_t i;
		if (!is_drop_rule(x->rule) || x->line < fn->def_line || x->line > fn->end_line ||
		    (i = drop_at(&ops, x->line)) == (size_t)-1)
			continue;
		switch (judge(&ops, i, &from)) {
		case NOTHING_LOST: gone[k] = 1; break;
		case COPIED: error = to_info(x, &ops.items[i], from); break;
		default: break;
		}
	}
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
