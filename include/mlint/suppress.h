/*
 * suppress.h: inline suppressions in migration files.
 *
 *   op.drop_table('t')  # mlint: ignore[drop-table] -- emptied in 2024
 *   # mlint: ignore-file[create-index-not-concurrently]
 *
 * `ignore[id, ...]` suppresses findings of those rules on its own line, or
 * about a call that opens on its line; `ignore-file[id, ...]` anywhere in a
 * file suppresses them in the whole file. Text after `--` is the reason. A
 * suppression that matches nothing, or names a rule mlint does not know, is an
 * unused-suppression finding (only for rules that ran: those `cfg` enables).
 */
#ifndef MLINT_SUPPRESS_H
#define MLINT_SUPPRESS_H

#include <stddef.h>
#include "mlint/config.h"
#include "mlint/finding.h"
#include "mlint/ruleset.h"
#include "mlint/scriptdir.h"

/* One parsed `# mlint:` comment. */
struct mlint_suppression {
	unsigned line, col;
	int file_wide;  /* ignore-file */
	char **ids;
	size_t nr_ids;
	int bad;        /* not a directive mlint knows (message in ids[0]) */
};

/*
 * Parses the text of one comment. Returns 1 and fills `out` (caller
 * releases) when it holds a `mlint:` directive, 0 when not, <0 on OOM.
 */
int mlint_suppression_parse(struct mlint_suppression *out, const char *comment);
void mlint_suppression_release(struct mlint_suppression *s);

/*
 * Removes the findings of `f` that the comments of sd's scripts suppress
 * (adding their number to *suppressed), then adds unused-suppression
 * findings.
 */
int mlint_suppress_apply(struct mlint_findings *f, const struct mlint_scriptdir *sd,
			 const struct mlint_ruleset *rs, const struct mlint_config *cfg,
			 size_t *suppressed);

#endif
