/* check --summary: where the findings are, not each one. */
#include <stdlib.h>
#include <string.h>
#include "mlint/check_run.h"
#include "util.h"

#define NOISIEST 5

struct tally {
	const char *key;               /* a rule id or a path (borrowed) */
	enum mlint_severity severity;
	size_t n;
};

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Counts the findings by rule (paths = 0) or by path (paths = 1). */
static size_t tally(struct tally *out, const struct mlint_findings *f, int paths)
{
	size_t nr = 0;
	for (size_t i = 0; i < f->nr; i++) {
		const char *key = paths ? f->items[i].path : f->items[i].rule;
		size_t k = 0;
		while (k < nr && strcmp(out[k].key, key) != 0)
			k++;
		if (k == nr) {
			out[nr].key = key;
			out[nr].severity = f->items[i].severity;
			out[nr++].n = 0;
		}
		out[k].n++;
	}
	qsort(out, nr, sizeof(*out), by_count);
	return nr;
}

int mlint_check_summary(struct mlint_buf *out, const struct mlint_check_result *r)
{
	const struct mlint_summary *s = &r->summary;
	struct tally *t = calloc(r->findings.nr + 1, sizeof(*t));
	size_t nr;
	int error = 0;

	if (!t)
		return mlint_error_set("out of memory");
	nr = tally(t, &r->findings, 0);
	if (nr)
		error = mlint_buf_puts(out, "by rule:\n");
	for (size_t i = 0; i < nr && error == 0; i++)
		error = mlint_buf_printf(out, "  %6zu  %-8s %s\n", t[i].n,
					 mlint_severity_name(t[i].severity), t[i].key);
	nr = tally(t, &r->findings, 1);
	if (nr && error == 0)
		error = mlint_buf_printf(out, "noisiest file%s:\n", nr == 1 ? "" : "s");
	for (size_t i = 0; i < nr && i < NOISIEST && error == 0; i++)
		error = mlint_buf_printf(out, "  %6zu  %s\n", t[i].n, t[i].key);
	if (error == 0)
		error = mlint_buf_printf(out, "by severity: %zu error%s, %zu warning%s, %zu info, "
					 "%zu suppressed in %zu migration%s\n", s->errors,
					 s->errors == 1 ? "" : "s", s->warnings,
					 s->warnings == 1 ? "" : "s", s->infos, s->suppressed,
					 s->migrations, s->migrations == 1 ? "" : "s");
	free(t);
	return error;
}
