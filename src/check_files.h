/* Private: the per-file rules over a range of a script directory's files. */
#ifndef MLINT_SRC_CHECK_FILES_H
#define MLINT_SRC_CHECK_FILES_H

#include "mlint/check.h"
#include "mlint/ruleset.h"

int mlint_check_content_range(const struct mlint_scriptdir *sd, size_t from, size_t to,
			      const struct mlint_check_opts *opts, struct mlint_findings *out);
int mlint_ruleset_check_range(const struct mlint_ruleset *rs, const struct mlint_scriptdir *sd,
			      size_t from, size_t to, struct mlint_findings *out);

#endif
