/*
 * check.h: the checks mlint runs over a loaded script directory.
 *
 * Each function appends findings; none prints or fails on bad input. They
 * return 0, or MLINT_ERROR when out of memory.
 */
#ifndef MLINT_CHECK_H
#define MLINT_CHECK_H

#include "mlint/finding.h"
#include "mlint/scriptdir.h"

/* parse-error, invalid-source, non-literal-value, header-mismatch */
int mlint_check_scan(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* multiple-heads, duplicate-revision, missing-parent, revision-cycle */
int mlint_check_graph(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* filename-format, out-of-order, missing-message */
int mlint_check_naming(const struct mlint_scriptdir *sd, struct mlint_findings *out);

#endif
