/* The accepted findings: .mlint-baseline read, applied and written. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/baseline.h"
#include "report_fingerprint.h"
#include "util.h"

void mlint_baseline_init(struct mlint_baseline *b)
{
	memset(b, 0, sizeof(*b));
}

void mlint_baseline_release(struct mlint_baseline *b)
{
	for (size_t i = 0; i < b->nr; i++)
		free(b->fingerprints[i]);
	free(b->fingerprints);
	free(b->used);
	mlint_baseline_init(b);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_fingerprint(const char *p, size_t n)
{
	if (n != MLINT_FINGERPRINT_SIZE - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

static int add(struct mlint_baseline *b, const char *p, size_t n)
{
	char *copy = mlint_strndup(p, n);
	if (!copy || MLINT_ARRAY_GROW(b->fingerprints, b->alloc, b->nr + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	b->fingerprints[b->nr++] = copy;
	return 0;
}

int mlint_baseline_parse(struct mlint_baseline *b, const char *text, size_t len,
			 const char *display)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	int error = 0;

	while (p < end && error == 0) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end;
		size_t n;
		line++;
		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		n = strcspn(p, " \t#\r\n");
		if (p + n > stop)
			n = (size_t)(stop - p);
		if (n > 0 && *p != '#') {
			if (!is_fingerprint(p, n))
				return mlint_error_setc(MLINT_EUSAGE, "'%s':%u: not a finding's "
							"fingerprint (16 hex digits); run 'mlint "
							"baseline' to write the file again", display,
							line);
			error = add(b, p, n);
		}
		p = eol ? eol + 1 : end;
	}
	if (error == 0 && b->nr) {
		qsort(b->fingerprints, b->nr, sizeof(char *), compare_strings);
		if (!(b->used = calloc(b->nr, 1)))
			error = mlint_error_set("out of memory");
	}
	return error;
}

struct entry {
	char fp[MLINT_FINGERPRINT_SIZE];
	size_t index;
};

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->fp, ((const struct entry *)b)->fp);
}

int mlint_baseline_write(struct mlint_buf *out, const struct mlint_findings *f)
{
	struct entry *e = calloc(f->nr + 1, sizeof(*e));
	int error = 0;

	if (!e)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < f->nr; i++) {
		mlint_report_fingerprint(e[i].fp, f, i);
		e[i].index = i;
	}
	qsort(e, f->nr, sizeof(*e), compare_entries);
	error = mlint_buf_puts(out, "# mlint baseline: findings accepted as they are; 'mlint check' "
			       "reports only others.\n# Written by 'mlint baseline'; one "
			       "fingerprint a line, then the rule, path and line.\n");
	for (size_t i = 0; i < f->nr && error == 0; i++) {
		const struct mlint_finding *x = &f->items[e[i].index];
		error = mlint_buf_printf(out, "%s  # %s %s:%u\n", e[i].fp, x->rule, x->path, x->line);
	}
	free(e);
	return error;
}

static long find(const struct mlint_baseline *b, const char *fp)
{
	size_t lo = 0, hi = b->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->fingerprints[mid], fp);
		if (c == 0) {
			/* the first of equal ones not used yet: each entry hides one finding */
			while (mid > 0 && strcmp(b->fingerprints[mid - 1], fp) == 0)
				mid--;
			while (mid < b->nr && b->used[mid] && strcmp(b->fingerprints[mid], fp) == 0)
				mid++;
			return mid < b->nr && strcmp(b->fingerprints[mid], fp) == 0 ? (long)mid : -1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct dropping {
	const struct mlint_finding *first;
	const unsigned char *drop;
};

static int keep_unlisted(void *ctx, const struct mlint_finding *x)
{
	const struct dropping *d = ctx;
	return !d->drop[x - d->first];
}

size_t mlint_baseline_apply(struct mlint_baseline *b, struct mlint_findings *f)
{
	struct dropping d;
	unsigned char *drop;
	size_t before = f->nr;

	if (!b->nr || !f->nr || !(drop = calloc(f->nr, 1)))
		return 0;
	/* every fingerprint first: each reads the findings before it */
	for (size_t i = 0; i < f->nr; i++) {
		char fp[MLINT_FINGERPRINT_SIZE];
		long at;
		mlint_report_fingerprint(fp, f, i);
		if ((at = find(b, fp)) >= 0) {
			b->used[at] = 1;
			drop[i] = 1;
		}
	}
	d.first = f->items;
	d.drop = drop;
	mlint_findings_filter(f, keep_unlisted, &d);
	free(drop);
	return before - f->nr;
}

size_t mlint_baseline_unused(const struct mlint_baseline *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->nr; i++)
		n += !b->used[i];
	return n;
}
