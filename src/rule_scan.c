/* Rules about one file as scanned: can mlint (and Alembic) read it? */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/check.h"
#include "mlint/pycompile.h"
#include "check_files.h"
#include "util.h"

static int add(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
	       unsigned line, unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

static int add(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
	       unsigned line, unsigned col, const char *fmt, ...)
{
	struct mlint_location at = mlint_script_at(s, line, col);
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = mlint_findings_vaddf(out, mlint_rule_find(rule), &at, fmt, ap);
	va_end(ap);
	return error;
}

static int check_source(const struct mlint_script *s, struct mlint_findings *out)
{
	if (s->refused)
		return add(out, s, "invalid-source", 1, 1, "%s", s->refused);
	/* Python judged the file with the per-file rules (rule_syntax.c). */
	if (mlint_script_wants_compiler(s) && mlint_pycompile_version())
		return 0;
	for (size_t i = 0; i < s->m.nr_problems; i++) {
		const struct mlint_source_problem *p = &s->m.problems[i];
		if (add(out, s, "invalid-source", p->line, p->col, "%s", p->message) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static const char *kind_words(enum mlint_value_kind k)
{
	switch (k) {
	case MLINT_VAL_NONE: return "None or empty";
	case MLINT_VAL_SEQ: return "a tuple or list";
	case MLINT_VAL_EXPR: return "an expression";
	default: return "missing";
	}
}

static int check_revision(const struct mlint_script *s, struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;
	int expr = m->revision.kind == MLINT_VAL_EXPR;

	if (!s->is_migration || s->refused)
		return 0;
	if (m->revision.kind == MLINT_VAL_ABSENT)
		return add(out, s, "parse-error", m->down_revision.line, m->down_revision.col,
			   "assigns down_revision but no 'revision': Alembic cannot load this "
			   "migration");
	if (m->revision.kind != MLINT_VAL_STR)
		return add(out, s, "parse-error", m->revision.line, m->revision.col,
			   "'revision' is %s%s%.300s%s, not a string literal: its id cannot be "
			   "known without running the file", kind_words(m->revision.kind),
			   expr ? " ('" : "", expr ? m->revision.items[0] : "", expr ? "')" : "");
	if (m->down_revision.kind == MLINT_VAL_ABSENT)
		return add(out, s, "parse-error", m->revision.line, m->revision.col,
			   "no 'down_revision' at module level: Alembic cannot load this "
			   "migration (write down_revision = None for a base)");
	return 0;
}

static int check_expression(const struct mlint_script *s, const char *name,
			    const struct mlint_value *v, const char *consequence,
			    struct mlint_findings *out)
{
	if (v->kind != MLINT_VAL_EXPR)
		return 0;
	return add(out, s, "non-literal-value", v->line, v->col, "%s is '%.300s', not a literal: %s",
		   name, v->items[0], consequence);
}

static int check_expressions(const struct mlint_script *s, struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;
	if (!s->is_migration || !mlint_migration_has_revision(m))
		return 0;
	if (check_expression(s, "down_revision", &m->down_revision,
			     "its parent cannot be linked, so heads are not checked in this "
			     "script directory", out) < 0 ||
	    check_expression(s, "depends_on", &m->depends_on,
			     "the dependency cannot be linked", out) < 0 ||
	    check_expression(s, "branch_labels", &m->branch_labels,
			     "it is kept as written; heads with the same text share the label", out) < 0)
		return MLINT_ERROR;
	return 0;
}

/* Revises: with nothing: empty, "None" (Alembic's template for a base),
 * "(none)". */
static int revises_is_empty(const char *p, size_t n)
{
	return n == 0 || (n == 4 && memcmp(p, "None", 4) == 0) ||
	       (n == 6 && memcmp(p, "(none)", 6) == 0);
}

static void trim(const char **p, size_t *n, const char *chars)
{
	while (*n && strchr(chars, **p)) { (*p)++; (*n)--; }
	while (*n && strchr(chars, (*p)[*n - 1])) (*n)--;
}

/*
 * Revises: as Alembic writes it ("a, b"), or as older templates printed a
 * merge's tuple ("('a', 'b')"), against the down_revision items.
 */
static int revises_matches(const char *revises, const struct mlint_value *down)
{
	size_t matched = 0, len = strlen(revises);
	const char *p = revises, *end;

	if (down->kind != MLINT_VAL_NONE && down->kind != MLINT_VAL_STR &&
	    down->kind != MLINT_VAL_SEQ)
		return 1; /* nothing literal to compare with */
	trim(&p, &len, " \t");
	if (len >= 2 && ((p[0] == '(' && p[len - 1] == ')') || (p[0] == '[' && p[len - 1] == ']')) &&
	    !revises_is_empty(p, len)) {
		p++;
		len -= 2;
	}
	if (revises_is_empty(p, len))
		return down->kind == MLINT_VAL_NONE;
	if (down->kind == MLINT_VAL_NONE)
		return 0;
	for (end = p + len; p < end;) {
		size_t n = strcspn(p, ","), k;
		const char *a = p;
		if (a + n > end)
			n = (size_t)(end - a);
		p = a + n + (a + n < end);
		trim(&a, &n, " \t'\"");
		if (n == 0)
			continue;
		for (k = 0; k < down->nr; k++)
			if (strlen(down->items[k]) == n && memcmp(down->items[k], a, n) == 0)
				break;
		if (k == down->nr)
			return 0;
		matched++;
	}
	return matched == down->nr;
}

static int check_header(const struct mlint_script *s, struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;
	const struct mlint_header *h = &m->header;
	const char *rev = mlint_migration_revision(m);

	if (!rev)
		return 0;
	if (h->revision_id && strcmp(h->revision_id, rev) != 0 &&
	    add(out, s, "header-mismatch", h->revision_id_line, 1,
		"header says 'Revision ID: %.200s' but revision is '%.200s'", h->revision_id,
		rev) < 0)
		return MLINT_ERROR;
	if (h->revises && !revises_matches(h->revises, &m->down_revision) &&
	    add(out, s, "header-mismatch", h->revises_line, 1,
		"header says 'Revises: %.200s' but down_revision differs", h->revises) < 0)
		return MLINT_ERROR;
	return 0;
}

int mlint_check_scan(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		if (check_source(s, out) < 0 || check_revision(s, out) < 0 ||
		    check_expressions(s, out) < 0 || check_header(s, out) < 0)
			return MLINT_ERROR;
	}
	return 0;
}
