/*
 * snapshot.h: the files of one script directory, and their bytes.
 *
 * One interface over where content comes from. Today: the working tree.
 * Listing follows Alembic: every `*.py` file in each version location that
 * does not start with `.#` or `__init__`; subdirectories only with
 * recursive_version_locations. Everything else is listed as skipped, with
 * the reason, so nothing is passed over silently. A symlink that leaves the
 * repository is listed but never read.
 *
 * Ownership: the snapshot owns its entries and their strings.
 */
#ifndef MLINT_SNAPSHOT_H
#define MLINT_SNAPSHOT_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/discover.h"

struct mlint_snapshot_entry {
	char *path;    /* for people: relative to the repository root */
	char *abs;     /* absolute path to read */
	char *refused; /* why it is not read (symlink out of the repo), or NULL */
};

struct mlint_snapshot {
	struct mlint_snapshot_entry *entries;
	size_t nr, alloc;
};

void mlint_snapshot_init(struct mlint_snapshot *s);
void mlint_snapshot_release(struct mlint_snapshot *s);

/*
 * Lists the candidate migration files of script directory `d`, sorted by
 * path; skipped entries are described in `notes` (verbose level).
 */
int mlint_snapshot_list_worktree(struct mlint_snapshot *out, const struct mlint_project *p,
				 const struct mlint_scriptdir_config *d, struct mlint_notes *notes);

/* Reads entry i into buf (cleared first). Errors name the path. */
int mlint_snapshot_read(const struct mlint_snapshot *s, size_t i, struct mlint_buf *buf);

#endif
