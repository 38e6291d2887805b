/*
 * diff_hint.h: what the last comparison of the working tree with the base
 * found, kept so that the next one need look only where something may have
 * changed (docs/cache.md, "The comparison with the base").
 *
 * `mlint check` compares every file of the version locations with the
 * applied tree (libgit2's tree-to-workdir diff), which costs a stat of each
 * file, again, after the cache has just stat'ed them all. The hint file
 * (<cache file>.diff) keeps, per applied tree, the paths that differed from
 * it. A file the cache restored has not changed since the cache file was
 * written (same inode, size, mtime and ctime), so it differs from that tree
 * now exactly when it did then. The next run therefore compares only:
 * the paths that differed, the files the cache did not restore (edited,
 * new, racy, refused), the files the cache knew that are gone, and every
 * entry of the locations that is not a script (snapshot.h `others`).
 *
 * The hint is used only next to the cache file it was made with (the
 * payload checksum of that file is in it); any doubt means the full
 * comparison, as without a cache.
 *
 * Ownership: a scriptdir owns its hint (sd->diff_hint).
 */
#ifndef MLINT_DIFF_HINT_H
#define MLINT_DIFF_HINT_H

#include <stddef.h>
#include <stdint.h>
#include "mlint/change_set.h"

struct hint_record {
	char *key;                   /* the applied tree and the locations compared */
	struct mlint_path_list paths; /* the paths that differed */
};

struct mlint_diff_hint {
	char *file;           /* .git/mlint/<hash>.worktree.diff */
	uint64_t read_sum;    /* the cache file the load read: its payload checksum (0: none) */
	uint64_t disk_sum;    /* the cache file on disk after the save (0: none) */
	struct mlint_path_list maybe; /* may differ from what that cache file knew */
	int loaded;           /* the hint file was read (or found unusable) */
	struct hint_record *old; /* read from the hint file, when it matches read_sum */
	size_t nr_old;
	struct hint_record *found; /* this run's comparisons */
	size_t nr_found, alloc_found;
	size_t nr_hinted, nr_compared; /* comparisons the hint narrowed, and their paths */
};

/* A new hint for `cache_file`; NULL when out of memory. */
struct mlint_diff_hint *mlint_diff_hint_new(const char *cache_file, uint64_t read_sum,
					    uint64_t disk_sum);
void mlint_diff_hint_free(struct mlint_diff_hint *h);

/*
 * The paths to compare for `key` (a sorted list the caller releases with
 * mlint_path_list_release): 1 when the hint holds `key` for this cache
 * file, 0 when the comparison must be full, <0 out of memory.
 */
int mlint_diff_hint_paths(struct mlint_diff_hint *h, const char *key,
			  struct mlint_path_list *out);

/* Starts this run's record for `key`; then each path that differed. */
int mlint_diff_hint_begin(struct mlint_diff_hint *h, const char *key);
int mlint_diff_hint_differs(struct mlint_diff_hint *h, const char *path);

/* Writes this run's records next to the cache file on disk (atomically),
 * unless they are what the file already holds. Never an error. */
void mlint_diff_hint_save(struct mlint_diff_hint *h);

#endif
