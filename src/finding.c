#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/finding.h"
#include "mlint/rules.h"
#include "util.h"

#define EXCERPT_MAX 400

void mlint_findings_init(struct mlint_findings *f)
{
	memset(f, 0, sizeof(*f));
}

void mlint_finding_release(struct mlint_finding *x)
{
	free(x->path);
	free(x->message);
	free(x->revision);
	free(x->excerpt);
	free(x->section);
}

void mlint_findings_release(struct mlint_findings *f)
{
	for (size_t i = 0; i < f->nr; i++)
		mlint_finding_release(&f->items[i]);
	free(f->items);
	mlint_findings_init(f);
}

/* Length of a valid UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
		     : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 0 || len > n || (len == 2 && p[0] < 0xC2))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/*
 * The source line for display: up to its line end, control bytes and bytes
 * that are not UTF-8 shown as '?' (one column each, so the caret still
 * lines up), and never a terminal escape sequence from the file.
 */
static char *excerpt_copy(const char *p, size_t n)
{
	size_t end = 0, i = 0;
	char *out;

	while (end < n && end < EXCERPT_MAX && p[end] != '\n' && p[end] != '\r')
		end++;
	if (!(out = mlint_strndup(p, end)))
		return NULL;
	while (i < end) {
		unsigned char c = (unsigned char)out[i];
		size_t len = utf8_len((const unsigned char *)out + i, end - i);
		if (len == 0 || (c < 0x20 && c != '\t') || c == 0x7F) {
			out[i++] = '?';
			continue;
		}
		i += len;
	}
	return out;
}

static int findings_vadd(struct mlint_findings *f, const struct mlint_rule *rule,
			 const char *path, unsigned line, unsigned col, const char *revision,
			 const char *excerpt, size_t excerpt_len, const char *fmt, va_list ap)
{
	struct mlint_finding x;
	struct mlint_buf msg;
	int error;

	memset(&x, 0, sizeof(x));
	x.rule = rule->id;
	x.severity = rule->severity;
	x.line = line ? line : 1;
	x.col = col ? col : 1;
	mlint_buf_init(&msg, 0);
	if (strcmp(fmt, "%s") == 0) { /* formatted already: the common case */
		x.message = mlint_strdup(va_arg(ap, const char *));
	} else {
		error = mlint_buf_vprintf(&msg, fmt, ap);
		x.message = error < 0 ? NULL : mlint_buf_detach(&msg, NULL);
	}
	x.path = mlint_strdup(path);
	x.revision = revision ? mlint_strdup(revision) : NULL;
	x.excerpt = excerpt ? excerpt_copy(excerpt, excerpt_len) : NULL;
	if (!x.message || !x.path || (revision && !x.revision) || (excerpt && !x.excerpt) ||
	    MLINT_ARRAY_GROW(f->items, f->alloc, f->nr + 1) < 0) {
		mlint_buf_release(&msg);
		mlint_finding_release(&x);
		return MLINT_ERROR;
	}
	f->items[f->nr++] = x;
	return 0;
}

int mlint_findings_addf(struct mlint_findings *f, const struct mlint_rule *rule,
			const struct mlint_location *at, const char *fmt, ...)
{
	va_list ap;
	int error;

	if (!rule)
		return mlint_error_set("internal: a finding without its rule");
	va_start(ap, fmt);
	error = mlint_findings_vaddf(f, rule, at, fmt, ap);
	va_end(ap);
	return error;
}

int mlint_findings_vaddf(struct mlint_findings *f, const struct mlint_rule *rule,
			 const struct mlint_location *at, const char *fmt, va_list ap)
{
	if (!rule)
		return mlint_error_set("internal: a finding without its rule");
	return findings_vadd(f, rule, at->path, at->line, at->col, at->revision, at->excerpt,
			     at->excerpt_len, fmt, ap);
}

void mlint_findings_filter(struct mlint_findings *f,
			   int (*keep)(void *ctx, const struct mlint_finding *x), void *ctx)
{
	size_t out = 0;
	for (size_t i = 0; i < f->nr; i++) {
		if (keep(ctx, &f->items[i]))
			f->items[out++] = f->items[i];
		else
			mlint_finding_release(&f->items[i]);
	}
	f->nr = out;
}

int mlint_findings_move(struct mlint_findings *to, struct mlint_findings *from)
{
	if (from->nr && MLINT_ARRAY_GROW(to->items, to->alloc, to->nr + from->nr) < 0)
		return MLINT_ERROR;
	if (from->nr)
		memcpy(to->items + to->nr, from->items, from->nr * sizeof(*from->items));
	to->nr += from->nr;
	free(from->items);
	mlint_findings_init(from);
	return 0;
}

static int compare_findings(const void *a, const void *b)
{
	const struct mlint_finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	return strcmp(x->message, y->message);
}

void mlint_findings_sort(struct mlint_findings *f)
{
	if (f->nr > 1)
		qsort(f->items, f->nr, sizeof(*f->items), compare_findings);
}

void mlint_findings_count(const struct mlint_findings *f, struct mlint_summary *s)
{
	s->errors = s->warnings = s->infos = 0;
	for (size_t i = 0; i < f->nr; i++) {
		switch (f->items[i].severity) {
		case MLINT_SEV_ERROR: s->errors++; break;
		case MLINT_SEV_WARNING: s->warnings++; break;
		case MLINT_SEV_INFO: s->infos++; break;
		}
	}
}

int mlint_findings_fail(const struct mlint_findings *f, enum mlint_severity threshold)
{
	for (size_t i = 0; i < f->nr; i++)
		if (f->items[i].severity >= threshold)
			return 1;
	return 0;
}


int mlint_findings_set_section(struct mlint_findings *f, size_t from, const char *section)
{
	for (size_t i = from; section && i < f->nr; i++) {
		free(f->items[i].section);
		if (!(f->items[i].section = mlint_strdup(section)))
			return MLINT_ERROR;
	}
	return 0;
}
