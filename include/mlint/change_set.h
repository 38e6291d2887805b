/*
 * What a change (the checked snapshot against its base) adds, edits and
 * removes: the value mlint_check_run fills and the git rules, --new-only
 * and the reports read.
 */
#ifndef MLINT_CHANGE_SET_H
#define MLINT_CHANGE_SET_H

#include <stddef.h>

/* What the change (the snapshot against its base) adds, edits and removes.
 * Paths are repository paths, each list sorted. */
struct mlint_path_list {
	char **items;
	size_t nr, alloc;
};

struct mlint_rename_pair {
	char *from, *to;
};

struct mlint_change_set {
	int known;                       /* there was a base to compare with */
	struct mlint_path_list paths;    /* every file of the version locations added
					  * or changed (what --new-only keeps) */
	struct mlint_path_list added;    /* migrations whose revision is new */
	struct mlint_path_list changed;  /* migrations whose code changed */
	struct mlint_path_list deleted;  /* migrations gone (their base path) */
	struct mlint_rename_pair *renamed; /* same revision, another path */
	size_t nr_renamed, alloc_renamed;
	struct mlint_path_list models;   /* model files changed */
	size_t added_files;              /* files of any kind the change adds to the
					  * version locations (new, or untracked) */
};

void mlint_change_set_init(struct mlint_change_set *c);
void mlint_change_set_release(struct mlint_change_set *c);
/* Adds `path` to `l` (kept sorted, no duplicates). */
int mlint_path_list_add(struct mlint_path_list *l, const char *path);
int mlint_path_list_has(const struct mlint_path_list *l, const char *path);
/* Frees the paths; `l` is empty again. */
void mlint_path_list_release(struct mlint_path_list *l);
/* Takes `path` out of `l` when it is there. */
void mlint_path_list_remove(struct mlint_path_list *l, const char *path);
int mlint_change_set_add_rename(struct mlint_change_set *c, const char *from, const char *to);

#endif
