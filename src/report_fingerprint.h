/* Private: a finding's identity across commits, shared by the SARIF and
 * GitLab Code Quality writers. */
#ifndef MLINT_REPORT_FINGERPRINT_H
#define MLINT_REPORT_FINGERPRINT_H

#include <stddef.h>
#include "mlint/finding.h"

#define MLINT_FINGERPRINT_SIZE 17 /* 16 hex digits and a NUL */

/*
 * The fingerprint of finding i of `f` (sorted by path): a hash of the rule,
 * the file's revision id (else its path: a rename keeps the revision), the
 * source line without blanks, and which of the identical ones before it in
 * the same file it is. The line number is left out, so edits above it do
 * not change it.
 */
void mlint_report_fingerprint(char out[MLINT_FINGERPRINT_SIZE], const struct mlint_findings *f,
			      size_t i);

#endif
