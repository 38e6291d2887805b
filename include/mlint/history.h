/*
 * history.h: when each file was first added to a git repository, found in
 * ONE walk of the history for all files (never one walk per file).
 *
 * The walk starts at HEAD and visits every commit once, newest first, in
 * topological order. Each commit is compared with its first parent (the
 * empty tree for a root commit) over the given directories only; a file
 * counts as added by a merge commit only when none of its parents has it.
 * Renames are followed: when a commit renames old -> new and `new` is
 * wanted, `old` is wanted from then on, for the same file. The oldest
 * commit that adds a wanted path wins.
 *
 * Ownership: the caller owns the entries; `path` is borrowed for the call.
 */
#ifndef MLINT_HISTORY_H
#define MLINT_HISTORY_H

#include <stddef.h>

struct mlint_history_entry {
	const char *path; /* in:  relative to the repository root, '/'-separated */
	int found;        /* out: an adding commit was found */
	long long time;   /* out: its author time, seconds since the epoch */
	int offset;       /* out: the author's UTC offset, in minutes */
};

/*
 * Fills `entries` from the history of the repository at `repo_root`,
 * looking only under the directories `dirs` (relative to the root; NULL or
 * none: the whole tree). A repository without commits finds nothing.
 * Returns 0, or MLINT_ERROR naming the repository when git fails.
 */
int mlint_history_first_added(struct mlint_history_entry *entries, size_t nr,
			      const char *repo_root, const char *const *dirs, size_t nr_dirs);

#endif
