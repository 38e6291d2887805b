#include <stdio.h>
#include <string.h>
#include "report_fingerprint.h"

static unsigned long long fnv1a(unsigned long long h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ 0xFF; /* separator */
}

static int same_excerpt(const struct mlint_finding *x, const struct mlint_finding *y)
{
	if (!x->excerpt || !y->excerpt)
		return !x->excerpt && !y->excerpt;
	return strcmp(x->excerpt, y->excerpt) == 0;
}

/* How many findings before i have the same rule, file and line text. */
static unsigned occurrence_of(const struct mlint_findings *f, size_t i)
{
	unsigned n = 0;
	const struct mlint_finding *x = &f->items[i];
	for (size_t k = i; k-- > 0;) {
		const struct mlint_finding *y = &f->items[k];
		if (strcmp(y->path, x->path) != 0)
			break;
		if (strcmp(y->rule, x->rule) == 0 && same_excerpt(x, y))
			n++;
	}
	return n;
}

void mlint_report_fingerprint(char out[MLINT_FINGERPRINT_SIZE], const struct mlint_findings *f,
			      size_t i)
{
	const struct mlint_finding *x = &f->items[i];
	unsigned long long h = 14695981039346656037ULL;
	char line[512], n[16];
	size_t k = 0;

	for (const char *p = x->excerpt ? x->excerpt : x->message; *p && k + 1 < sizeof(line); p++)
		if (*p != ' ' && *p != '\t')
			line[k++] = *p;
	line[k] = '\0';
	snprintf(n, sizeof(n), "%u", occurrence_of(f, i));
	h = fnv1a(fnv1a(fnv1a(fnv1a(h, x->rule), x->revision ? x->revision : x->path), line), n);
	snprintf(out, MLINT_FINGERPRINT_SIZE, "%016llx", h);
}
