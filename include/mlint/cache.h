/*
 * cache.h: what mlint learned about each file, kept between runs.
 *
 * One cache file per script directory under the repository's git dir
 * (.git/mlint/, docs/cache.md): for each file its extracted facts (the
 * scanned migration without its call lists, the import statements) and,
 * for check, the findings the per-file rules made. A working-tree file is
 * known again by path, size, mtime, ctime, inode and device, as git's
 * index knows it; a staged file by its blob id. Findings are used only
 * under the same rules and options (a fingerprint); facts only from the
 * same binary. A cache that is corrupt, truncated, foreign or of another
 * format is ignored and rewritten; a cache that cannot be written is
 * skipped. Nothing here is ever an error of the run.
 *
 * Ownership: the caller owns the cache; a scriptdir borrows it during its
 * load (sd->cache), the checker and ruleset are borrowed until the save.
 */
#ifndef MLINT_CACHE_H
#define MLINT_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "mlint/discover.h"
#include "mlint/scriptdir.h"

struct stat;
struct mlint_snapshot_entry;
struct mlint_file_checker;
struct mlint_ruleset;
struct mlint_check_opts;

enum mlint_cache_kind {
	MLINT_CACHE_WORKTREE, /* files on disk: keyed by their stat fields */
	MLINT_CACHE_INDEX,    /* staged blobs: keyed by blob id */
};

struct mlint_cache;

/*
 * The cache of script directory `d` for one load with `load_flags`
 * (MLINT_LOAD_DROP_CALLS with a checker: facts and findings;
 * MLINT_LOAD_GRAPH_ONLY: facts). `rules_fp` fingerprints what the per-file
 * rules depend on (mlint_cache_rules_fingerprint; 0 without rules). NULL,
 * with a verbose note saying why, when there is no cache to use: outside a
 * git repository, another load, or out of memory.
 */
struct mlint_cache *mlint_cache_open(const struct mlint_project *p,
				     const struct mlint_scriptdir_config *d,
				     enum mlint_cache_kind kind, unsigned load_flags,
				     uint64_t rules_fp, struct mlint_notes *notes);

/* The checker whose per-slot findings the cache restores and records, and
 * the ruleset its findings' rule ids point into. */
void mlint_cache_set_checker(struct mlint_cache *c, struct mlint_file_checker *fc,
			     const struct mlint_ruleset *rs);

/* Writes the cache anew when the load learned something (atomically: a
 * temporary file renamed over it); says hits and misses in a verbose note.
 * A cache that cannot be written is a verbose note, never an error. */
void mlint_cache_save(struct mlint_cache *c, const struct mlint_scriptdir *sd,
		      struct mlint_notes *notes);

void mlint_cache_free(struct mlint_cache *c);

/* Takes the listing's other entries (snapshot.h `others`) for the hint. */
struct mlint_snapshot;
void mlint_cache_take_others(struct mlint_cache *c, struct mlint_snapshot *snap);

/*
 * After the save of a working-tree cache for check: the hint for the
 * comparison with the base (src/diff_hint.h), which the scriptdir owns
 * (sd->diff_hint). NULL when there is none to give: no cache file on disk,
 * another kind of load, out of memory.
 */
struct mlint_diff_hint;
struct mlint_diff_hint *mlint_cache_diff_hint(const struct mlint_cache *c,
					      const struct mlint_scriptdir *sd);

/* A fingerprint of the rules and options the per-file rules run with. */
uint64_t mlint_cache_rules_fingerprint(const struct mlint_ruleset *rs,
				       const struct mlint_check_opts *opts);

/*
 * mlint_scriptdir_load through the working tree's cache (facts only: for
 * MLINT_LOAD_GRAPH_ONLY loads such as heads), unless `no_cache`, CI=true,
 * or `cache = false` in the [mlint] section of the directory's alembic.ini
 * or of .mlint.ini at the repository root.
 */
int mlint_scriptdir_load_cached(struct mlint_scriptdir *sd, const struct mlint_project *p,
				const struct mlint_scriptdir_config *d, unsigned flags,
				int no_cache, struct mlint_notes *notes);

/* ---- for the load (scriptdir.c) ------------------------------------------ */

/* Before the scan: room for `nr` scripts. */
int mlint_cache_begin(struct mlint_cache *c, size_t nr);

/* 1 when script i was restored (its facts, and its findings into the
 * checker's `slot`), 0 when it must be read, <0 out of memory. Thread-safe
 * for distinct i and slots. */
int mlint_cache_restore(struct mlint_cache *c, size_t slot, size_t i, struct mlint_script *s,
			const struct mlint_snapshot_entry *e);

/* For a staged listing (snapshot.h `known`, ctx: the cache): 1 when the
 * cache holds what blob `id` at `path` says, so its bytes need not be
 * read unless asked for. */
int mlint_cache_knows_blob(void *ctx, const char *path, const unsigned char id[20]);

/* The number of findings in the checker's slot (before a file's visit). */
size_t mlint_cache_mark(const struct mlint_cache *c, size_t slot);

/* After reading script i (stat: of the bytes read; NULL for a blob) and
 * its visit: remembers its facts and the findings after `mark`. */
int mlint_cache_record(struct mlint_cache *c, size_t slot, size_t i,
		       const struct mlint_script *s, const struct mlint_snapshot_entry *e,
		       const struct stat *st, size_t mark);

#endif
