/* Private: the per-file rules, one script at a time. */
#ifndef MLINT_SRC_CHECK_FILES_H
#define MLINT_SRC_CHECK_FILES_H

#include "mlint/check.h"
#include "mlint/ruleset.h"

/* The C content rules on one script. */
int mlint_check_content_script(const struct mlint_script *s, const struct mlint_check_opts *opts,
			       struct mlint_findings *out);

/* The pattern rules of a ruleset, compiled state and match buffers for one
 * thread: check one script after another with it. */
struct mlint_pattern_engine;
struct mlint_pattern_engine *mlint_pattern_engine_new(const struct mlint_ruleset *rs);
void mlint_pattern_engine_free(struct mlint_pattern_engine *e);
int mlint_pattern_engine_check(struct mlint_pattern_engine *e, const struct mlint_script *s,
			       struct mlint_findings *out);

#endif
