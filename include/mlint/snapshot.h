/*
 * snapshot.h: the files of one script directory, and their bytes.
 *
 * One interface over where content comes from: the working tree, the git
 * index (what `--staged` checks: the staged blob, not the file on disk) or a
 * commit's tree (read from the object database, no checkout; works on a
 * bare repository). Git entries carry their blob id and their bytes, read
 * once while listing (libgit2 objects are not shared between threads).
 * Listing follows Alembic: every `*.py` file in each version location that
 * does not start with `.#` or `__init__`; subdirectories only with
 * recursive_version_locations. Everything else is listed as skipped, with
 * the reason, so nothing is passed over silently. A symlink that leaves the
 * repository is listed but never read.
 *
 * Ownership: the snapshot owns its entries, their strings and bytes. The
 * repository passed to a git lister is borrowed only during the call.
 */
#ifndef MLINT_SNAPSHOT_H
#define MLINT_SNAPSHOT_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/discover.h"

struct git_repository;
struct git_tree;

struct mlint_snapshot_entry {
	char *path;    /* for people: relative to the repository root */
	char *abs;     /* absolute path to read (worktree), or where it would be */
	char *refused; /* why it is not read (symlink out of the repo), or NULL */
	char *data;    /* git entries: the blob's bytes (NUL-terminated), else NULL */
	size_t len;
	unsigned char id[20]; /* git entries: the blob id */
	int has_id;
	int deferred;  /* git entries: `data` not read; mlint_snapshot_read reads it */
	int dir_fd;      /* worktree entries: its directory, open (or -1) ... */
	size_t name_off; /* ... and where its name starts in `abs` */
};

struct mlint_snapshot {
	struct mlint_snapshot_entry *entries;
	size_t nr, alloc;
	int *dir_fds; /* the listed directories, open while the snapshot is */
	size_t nr_dir_fds, alloc_dir_fds;
	/* Working-tree listings: every other entry of the version locations
	 * (a skipped file, a symlink, a directory not read: "dir/"), relative
	 * like `path`. Git compares them too; the cache's shortcut for that
	 * comparison (diff_hint.h) must not pass over them. */
	char **others;
	size_t nr_others, alloc_others;
	/* Git listings: an entry `known` says it knows (the cache holds what
	 * its blob says) is listed without its bytes (`deferred`), read from
	 * `repo` (borrowed) only if asked for. */
	int (*known)(void *ctx, const char *path, const unsigned char id[20]);
	void *known_ctx;
	struct git_repository *repo;
};

void mlint_snapshot_init(struct mlint_snapshot *s);
void mlint_snapshot_release(struct mlint_snapshot *s);

/*
 * Lists the candidate migration files of script directory `d`, sorted by
 * path; skipped entries are described in `notes` (verbose level).
 */
int mlint_snapshot_list_worktree(struct mlint_snapshot *out, const struct mlint_project *p,
				 const struct mlint_scriptdir_config *d, struct mlint_notes *notes);

/*
 * The same listing over the index (stage 0; conflicted paths are noted and
 * skipped) or over a commit's tree. Version locations must lie inside the
 * repository root `p->repo_root`.
 */
int mlint_snapshot_list_index(struct mlint_snapshot *out, struct git_repository *repo,
			      const struct mlint_project *p, const struct mlint_scriptdir_config *d,
			      struct mlint_notes *notes);
int mlint_snapshot_list_tree(struct mlint_snapshot *out, struct git_repository *repo,
			     const struct git_tree *tree, const struct mlint_project *p,
			     const struct mlint_scriptdir_config *d, struct mlint_notes *notes);

/* A version location relative to the repository root ("" for the root),
 * or NULL (MLINT_ENOTFOUND set) when it lies outside. New string. */
char *mlint_snapshot_repo_path(const struct mlint_project *p, const char *abs);

/* Whether Alembic reads a file of this name (`*.py`, not `.#*`, `__init__*`). */
int mlint_snapshot_alembic_reads(const char *name);

/* Why Alembic skips a file name mlint_snapshot_alembic_reads refuses. */
const char *mlint_snapshot_skip_reason(const char *name);

/* Adds the verbose note "skipped 'PATH': WHY", PATH escaped to one line. */
int mlint_snapshot_skip_note(struct mlint_notes *notes, const char *path, const char *why);

/*
 * Whether repository-relative `path` is a file Alembic would read from one
 * of the version locations of `d` (given relative, as by
 * mlint_snapshot_repo_path): directly inside one, or below one when `d` is
 * recursive (never through `__pycache__`).
 */
int mlint_snapshot_in_locations(const char *path, char *const *rel_locations, size_t nr,
				int recursive);

/* Sorts the entries by path (at once when they already are, as one
 * directory or one range of the index lists them). */
void mlint_snapshot_sort(struct mlint_snapshot *s);

/* The bytes of blob `id` (a git entry's, deferred) into `out`; serialized
 * across threads, as a repository cannot be read from two at once. */
int mlint_snapshot_read_blob(struct git_repository *repo, const unsigned char id[20],
			     struct mlint_buf *out);

/* Reads entry i into buf (cleared first). Errors name the path. */
int mlint_snapshot_read(const struct mlint_snapshot *s, size_t i, struct mlint_buf *buf);

#endif
