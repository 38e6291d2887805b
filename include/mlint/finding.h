/*
 * finding.h: a finding is a result about the user's files, never an error.
 *
 * Ownership: the list owns every finding and its strings; `rule` points at
 * the static registry entry's id.
 */
#ifndef MLINT_FINDING_H
#define MLINT_FINDING_H

#include <stdarg.h>
#include <stddef.h>
#include "mlint/common.h"
#include "mlint/rules.h"

struct mlint_finding {
	const char *rule;
	enum mlint_severity severity;
	char *path;     /* relative to the repository root */
	unsigned line;  /* 1-based */
	unsigned col;   /* 1-based, in characters */
	char *message;
	char *revision; /* the file's revision id, or NULL */
	char *excerpt;  /* the source line, or NULL */
	unsigned call_line; /* the line that opens the call it is about, or 0 */
	char *section;  /* the alembic.ini section of its script directory, or NULL */
};

struct mlint_findings {
	struct mlint_finding *items;
	size_t nr, alloc;
};

struct mlint_summary {
	size_t errors, warnings, infos;
	size_t files, migrations, suppressed;
};

void mlint_findings_init(struct mlint_findings *f);
/* Frees the strings of one finding (not the finding itself). */
void mlint_finding_release(struct mlint_finding *x);
void mlint_findings_release(struct mlint_findings *f);

/* Where a finding is: the file, the position, the revision and the source
 * line to show under it (all but path may be 0/NULL). Borrowed: copied by
 * the add. */
struct mlint_location {
	const char *path;     /* relative to the repository root */
	unsigned line, col;   /* 1-based; 0 means 1 */
	const char *revision; /* the file's revision id, or NULL */
	const char *excerpt;  /* the source line (up to its end is copied), or NULL */
	size_t excerpt_len;
};

/*
 * Adds a finding of `rule` at `at`, the message formatted from `fmt` with no
 * length limit. `rule` is a registry entry (mlint_rule_find) or a pattern
 * rule's, which must outlive the list.
 */
int mlint_findings_addf(struct mlint_findings *f, const struct mlint_rule *rule,
			const struct mlint_location *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* mlint_findings_addf with the arguments in a va_list. */
int mlint_findings_vaddf(struct mlint_findings *f, const struct mlint_rule *rule,
			 const struct mlint_location *at, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 0)))
#endif
	;

/* Keeps the findings for which keep(ctx, x) is true, in order. */
void mlint_findings_filter(struct mlint_findings *f,
			   int (*keep)(void *ctx, const struct mlint_finding *x), void *ctx);

/* Moves every finding of `from` to the end of `to`; `from` is left empty. */
int mlint_findings_move(struct mlint_findings *to, struct mlint_findings *from);

/* Tags findings [from, nr) with the ini section of their script directory
 * (`section` may be NULL: nothing to tag). */
int mlint_findings_set_section(struct mlint_findings *f, size_t from, const char *section);

/* Sorts by path, line, column, rule. */
void mlint_findings_sort(struct mlint_findings *f);

/* Counts findings by severity into the summary. */
void mlint_findings_count(const struct mlint_findings *f, struct mlint_summary *s);

/* True when a finding is at or above `threshold`. */
int mlint_findings_fail(const struct mlint_findings *f, enum mlint_severity threshold);

#endif
