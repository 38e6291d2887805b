/*
 * baseline.h: the findings a team has accepted, so that `check` reports
 * only new ones.
 *
 * `.mlint-baseline` at the repository root holds one finding a line, sorted:
 * its fingerprint (the SARIF partialFingerprints "mlint/v1" hash of the
 * rule, the file's revision id, the source line without blanks and its
 * occurrence: it survives line moves and file renames), then `#` and the
 * rule, path and line for reviewers. Blank lines and lines starting with
 * `#` are comments.
 *
 * Ownership: the baseline owns its fingerprints (init/release).
 */
#ifndef MLINT_BASELINE_H
#define MLINT_BASELINE_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/finding.h"

#define MLINT_BASELINE_FILE ".mlint-baseline"

struct mlint_baseline {
	char **fingerprints; /* sorted */
	unsigned char *used; /* per fingerprint: a finding matched it */
	size_t nr, alloc;
};

void mlint_baseline_init(struct mlint_baseline *b);
void mlint_baseline_release(struct mlint_baseline *b);

/* Parses the text of a baseline file; `display` names it in errors
 * (MLINT_EUSAGE naming the line that is not a fingerprint). */
int mlint_baseline_parse(struct mlint_baseline *b, const char *text, size_t len,
			 const char *display);

/* Writes the baseline of `f` (sorted as mlint_findings_sort leaves it). */
int mlint_baseline_write(struct mlint_buf *out, const struct mlint_findings *f);

/* Drops the findings of `f` (sorted) that the baseline holds; returns how
 * many. Marks the entries used, so mlint_baseline_unused counts the rest. */
size_t mlint_baseline_apply(struct mlint_baseline *b, struct mlint_findings *f);
size_t mlint_baseline_unused(const struct mlint_baseline *b);

#endif
