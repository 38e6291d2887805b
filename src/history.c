/* One history walk that finds the commit adding each wanted file. */
#include <string.h>
#include <git2.h>
#include "mlint/history.h"
#include "strmap.h"
#include "util.h"

struct walk {
	git_repository *repo;
	struct mlint_history_entry *entries;
	struct mlint_strmap want; /* wanted path -> entry; renames add rows */
	git_diff_options diff_opts;
	const char *root;
};

static int git_fail(const struct walk *w, const char *what)
{
	const git_error *e = git_error_last();
	return mlint_error_set("cannot %s in '%s': %s", what, w->root,
			       e && e->message ? e->message : "unknown git error");
}

/* True when a merge's other parents (1..n) all lack `path`. */
static int absent_from_other_parents(const git_commit *c, const char *path)
{
	unsigned n = git_commit_parentcount(c);
	for (unsigned i = 1; i < n; i++) {
		git_commit *parent = NULL;
		git_tree *tree = NULL;
		git_tree_entry *te = NULL;
		int has;
		if (git_commit_parent(&parent, c, i) < 0 || git_commit_tree(&tree, parent) < 0) {
			git_commit_free(parent);
			return 0;
		}
		has = git_tree_entry_bypath(&te, tree, path) == 0;
		git_tree_entry_free(te);
		git_tree_free(tree);
		git_commit_free(parent);
		if (has)
			return 0;
	}
	return 1;
}

static int note_delta(struct walk *w, const git_commit *c, const git_diff_delta *d)
{
	const git_signature *author = git_commit_author(c);
	const size_t *entry;

	if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_RENAMED)
		return 0;
	if (!(entry = mlint_strmap_find(&w->want, d->new_file.path)))
		return 0;
	if (git_commit_parentcount(c) > 1 && !absent_from_other_parents(c, d->new_file.path))
		return 0;
	w->entries[*entry].found = 1;
	w->entries[*entry].time = (long long)author->when.time;
	w->entries[*entry].offset = author->when.offset;
	if (d->status == GIT_DELTA_RENAMED)
		return mlint_strmap_add(&w->want, d->old_file.path, *entry);
	return 0;
}

/* Rename detection costs blob reads: only when a commit adds and deletes. */
static int needs_renames(git_diff *diff)
{
	int added = 0, deleted = 0;
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n && !(added && deleted); i++) {
		git_delta_t s = git_diff_get_delta(diff, i)->status;
		added |= s == GIT_DELTA_ADDED;
		deleted |= s == GIT_DELTA_DELETED;
	}
	return added && deleted;
}

static int visit_commit(struct walk *w, const git_oid *id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	git_diff *diff = NULL;
	int error = 0;

	if (git_commit_lookup(&c, w->repo, id) < 0 || git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	     (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&parent_tree, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, w->repo, parent_tree, tree, &w->diff_opts) < 0) {
		error = git_fail(w, "read a commit");
		goto done;
	}
	if (needs_renames(diff) && git_diff_find_similar(diff, NULL) < 0) {
		error = git_fail(w, "find renames");
		goto done;
	}
	for (size_t i = 0, n = git_diff_num_deltas(diff); i < n && error == 0; i++)
		error = note_delta(w, c, git_diff_get_delta(diff, i));
done:
	git_diff_free(diff);
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	return error;
}

static int walk_history(struct walk *w)
{
	git_revwalk *rw = NULL;
	git_oid id;
	int error, rc;

	if (git_revwalk_new(&rw, w->repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0) {
		error = git_fail(w, "walk the history");
		goto done;
	}
	/* An unborn HEAD has no history: nothing is found. */
	if ((rc = git_repository_head_unborn(w->repo)) != 0) {
		error = rc == 1 ? 0 : git_fail(w, "read HEAD");
		goto done;
	}
	if (git_revwalk_push_head(rw) < 0) {
		error = git_fail(w, "read HEAD");
		goto done;
	}
	while ((rc = git_revwalk_next(&id, rw)) == 0)
		if ((error = visit_commit(w, &id)) < 0)
			goto done;
	error = rc == GIT_ITEROVER ? 0 : git_fail(w, "walk the history");
done:
	git_revwalk_free(rw);
	return error;
}

int mlint_history_first_added(struct mlint_history_entry *entries, size_t nr,
			      const char *repo_root, const char *const *dirs, size_t nr_dirs)
{
	struct walk w;
	int error = 0;

	memset(&w, 0, sizeof(w));
	w.entries = entries;
	w.root = repo_root;
	for (size_t i = 0; i < nr; i++) {
		entries[i].found = 0;
		if ((error = mlint_strmap_add(&w.want, entries[i].path, i)) < 0)
			goto done;
	}
	if (nr == 0)
		goto done;
	git_libgit2_init();
	git_diff_options_init(&w.diff_opts, GIT_DIFF_OPTIONS_VERSION);
	w.diff_opts.pathspec.strings = (char **)dirs;
	w.diff_opts.pathspec.count = dirs ? nr_dirs : 0;
	if (git_repository_open_ext(&w.repo, repo_root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		error = git_fail(&w, "open the git repository");
	else
		error = walk_history(&w);
	git_repository_free(w.repo);
	git_libgit2_shutdown();
done:
	mlint_strmap_release(&w.want);
	return error;
}
