/*
 * treediff.h (private): the blobs added and deleted between two git trees,
 * read from their raw bytes ("<mode> <name>\0<20-byte id>" entries, sorted
 * as git sorts them). Runs of identical entries are skipped with memcmp and
 * nothing is allocated per entry, which is what makes one history walk over
 * thousands of commits to a large directory cheap. Subtrees that differ are
 * read from the object database and compared in turn.
 *
 * Object ids are SHA-1 (GIT_OID_RAWSZ, 20 bytes), all libgit2 1.5 reads:
 * SHA-256 repositories are refused when opened (mlint_git_refuse_unreadable).
 *
 * Ownership: everything is borrowed for the call; `path` passed to the
 * callback is valid during the callback only.
 */
#ifndef MLINT_TREEDIFF_H
#define MLINT_TREEDIFF_H

#include <stddef.h>
#include <git2.h>

/* added: 1 for a blob only in the new tree, 0 for one only in the old. */
typedef int (*mlint_treediff_fn)(void *ctx, const char *path, const git_oid *id, int added);

/*
 * Compares raw tree `new_data` with `old_data` (either may be NULL, an empty
 * tree) under `prefix` ("" for the root). Returns 0, the callback's
 * negative value, or MLINT_ERROR for a tree that cannot be read or parsed.
 */
int mlint_treediff(git_odb *odb, const char *prefix, const unsigned char *new_data,
		   size_t new_len, const unsigned char *old_data, size_t old_len,
		   mlint_treediff_fn fn, void *ctx);

/*
 * Looks up `name` (name_len bytes) in raw tree `data`: 1 and its id in
 * `out` when it is a subtree; 0 when there is no such entry or it is not a
 * tree; MLINT_ERROR for a malformed tree.
 */
int mlint_treediff_subtree(git_oid *out, const unsigned char *data, size_t len, const char *name,
			   size_t name_len);

#endif
