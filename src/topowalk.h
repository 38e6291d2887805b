/*
 * topowalk.h (private): every commit reachable from a tip, each read from
 * the object database once (its root tree, its parents, its committer
 * time), and an order that visits children before parents, newest first
 * among those ready, as `git log --topo-order` does. libgit2's revwalk reads
 * every commit up front for a topological sort too, but keeps no tree id, so
 * a history walk that diffs each commit against its parent would read each
 * commit again: this reads it once.
 *
 * A parent that is not in the object database (a shallow clone) is left
 * out: its child is then a root, as git shows it.
 *
 * Ownership: the walk owns its arrays (init/release).
 */
#ifndef MLINT_TOPOWALK_H
#define MLINT_TOPOWALK_H

#include <stddef.h>
#include <git2.h>

#define MLINT_TOPO_NONE ((size_t)-1)

struct mlint_topo_commit {
	git_oid id, tree;
	long long time;      /* committer time */
	size_t first_parent; /* index, or MLINT_TOPO_NONE for a root */
	size_t parents, nr_parents; /* range of the walk's `parent_index` */
	size_t pending;      /* children not yet visited (while ordering) */
};

struct mlint_topowalk {
	struct mlint_topo_commit *commits;
	size_t nr, alloc;
	size_t *parent_index; /* every commit's parents, by index */
	size_t nr_parent_index, alloc_parent_index;
	size_t *order;        /* indices of `commits`, children before parents */
	size_t nr_order;      /* the commits that are there (a shallow clone lacks some) */
	size_t *slots;        /* open addressing: id -> index + 1, 0 for empty */
	size_t nr_slots;
};

void mlint_topowalk_init(struct mlint_topowalk *w);
void mlint_topowalk_release(struct mlint_topowalk *w);

/* Reads every commit reachable from `tip` and orders them (w->order,
 * w->nr_order entries). A malformed commit is MLINT_ERROR naming it. */
int mlint_topowalk_load(struct mlint_topowalk *w, git_odb *odb, const git_oid *tip);

#endif
