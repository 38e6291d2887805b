/* One history walk that finds the commit adding each wanted file. */
#include <stdio.h>
#include <string.h>
#include <git2.h>
#include "mlint/git.h"
#include "mlint/history.h"
#include "strmap.h"
#include "topowalk.h"
#include "treediff.h"
#include "git_init.h"
#include "util.h"

/* Paths a commit adds or deletes under the version directories. */
struct change {
	char *path;
	git_oid id;
};

struct changes {
	struct change *items;
	size_t nr, alloc;
};

struct walk {
	git_repository *repo;
	git_odb *odb;
	struct mlint_history_entry *entries;
	struct mlint_strmap want; /* wanted path -> entry; renames add rows */
	const char *const *dirs;
	size_t nr_dirs;
	const char *root;
	struct changes adds, dels;
	struct tree_cache *cache; /* trees down to each version directory, this commit and the last */
	size_t nr_cache;
	unsigned generation;      /* of the commit being visited */
};

/*
 * The trees down to a version directory are read for a commit and again for
 * its child (as the parent's), and libgit2 does not cache trees over 4 KiB:
 * a few slots keep them raw, so each is inflated once. A slot used by the
 * commit being visited is never evicted.
 */
struct tree_cache {
	git_oid id;
	git_odb_object *tree; /* raw */
	unsigned used;
};

static int git_fail(const struct walk *w, const char *what)
{
	const git_error *e = git_error_last();
	return mlint_error_set("cannot %s in '%s': %s", what, w->root,
			       e && e->message ? e->message : "unknown git error");
}

static void changes_clear(struct changes *c)
{
	for (size_t i = 0; i < c->nr; i++)
		free(c->items[i].path);
	c->nr = 0;
}

static void changes_release(struct changes *c)
{
	changes_clear(c);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static int record(void *ctx, const char *path, const git_oid *id, int added)
{
	struct walk *w = ctx;
	struct changes *c = added ? &w->adds : &w->dels;
	struct change *ch;
	if (MLINT_ARRAY_GROW(c->items, c->alloc, c->nr + 1) < 0)
		return MLINT_ERROR;
	ch = &c->items[c->nr];
	if (!(ch->path = mlint_strdup(path)))
		return MLINT_ERROR;
	git_oid_cpy(&ch->id, id);
	c->nr++;
	return 0;
}

/* The raw tree `id` from the cache (borrowed), reading it into a free slot. */
static int cached_tree(git_odb_object **out, struct walk *w, const git_oid *id)
{
	struct tree_cache *slot = NULL;
	for (size_t i = 0; i < w->nr_cache; i++) {
		struct tree_cache *c = &w->cache[i];
		if (c->tree && git_oid_equal(&c->id, id)) {
			c->used = w->generation;
			*out = c->tree;
			return 0;
		}
		if (c->used != w->generation && (!slot || c->used < slot->used || !c->tree))
			slot = c;
	}
	/* the cache holds two slots per directory and two more: one is free */
	git_odb_object_free(slot->tree);
	slot->tree = NULL;
	if (git_odb_read(&slot->tree, w->odb, id) < 0)
		return git_fail(w, "read a tree");
	git_oid_cpy(&slot->id, id);
	slot->used = w->generation;
	*out = slot->tree;
	return 0;
}

/*
 * Steps down `dir` from the root trees of a commit and of its parent at
 * once, as `git log -- dir` does: where the two ids meet, nothing below
 * changed and no further tree is read (most commits stop at the root or one
 * level down). Sets *changed, and the ids of `dir` on each side that has it.
 */
static int dir_pair(struct walk *w, const git_oid *new_root, const git_oid *old_root,
		    const char *dir, int *changed, git_oid *nid, int *has_new, git_oid *oid,
		    int *has_old)
{
	int hn = new_root != NULL, ho = old_root != NULL;
	const char *p = dir;

	if (hn)
		git_oid_cpy(nid, new_root);
	if (ho)
		git_oid_cpy(oid, old_root);
	for (;;) {
		git_odb_object *t = NULL;
		size_t len;
		if ((hn && ho && git_oid_equal(nid, oid)) || (!hn && !ho)) {
			*changed = 0;
			return 0;
		}
		if (!*p)
			break;
		len = strcspn(p, "/");
		if (hn && ((cached_tree(&t, w, nid)) < 0 ||
			   (hn = mlint_treediff_subtree(nid, git_odb_object_data(t),
							git_odb_object_size(t), p, len)) < 0))
			return MLINT_ERROR;
		if (ho && ((cached_tree(&t, w, oid)) < 0 ||
			   (ho = mlint_treediff_subtree(oid, git_odb_object_data(t),
							git_odb_object_size(t), p, len)) < 0))
			return MLINT_ERROR;
		p += len + (p[len] == '/');
	}
	*changed = 1;
	*has_new = hn;
	*has_old = ho;
	return 0;
}

static int collect_changes(struct walk *w, const git_oid *tree, const git_oid *parent_tree)
{
	static const char *const whole[] = {""};
	const char *const *dirs = w->nr_dirs ? w->dirs : whole;
	size_t nr = w->nr_dirs ? w->nr_dirs : 1;

	changes_clear(&w->adds);
	changes_clear(&w->dels);
	w->generation++;
	for (size_t d = 0; d < nr; d++) {
		git_oid nid, oid;
		int changed = 0, has_new = 0, has_old = 0;
		git_odb_object *nt = NULL, *ot = NULL;
		if (dir_pair(w, tree, parent_tree, dirs[d], &changed, &nid, &has_new, &oid,
			     &has_old) < 0)
			return MLINT_ERROR;
		if (!changed)
			continue;
		if ((has_new && cached_tree(&nt, w, &nid) < 0) ||
		    (has_old && cached_tree(&ot, w, &oid) < 0) ||
		    mlint_treediff(w->odb, dirs[d], nt ? git_odb_object_data(nt) : NULL,
				   nt ? git_odb_object_size(nt) : 0, ot ? git_odb_object_data(ot) : NULL,
				   ot ? git_odb_object_size(ot) : 0, record, w) < 0)
			return MLINT_ERROR;
	}
	return 0;
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

/*
 * Where `path`, added by this commit, was renamed from: a deleted file with
 * the same blob, else git's similarity detection over the version
 * directories (only when the commit also deletes files). NULL when none.
 */
static char *rename_source(struct walk *w, git_tree *tree, git_tree *parent_tree,
			   const struct change *add)
{
	git_diff_options opts;
	git_diff *diff = NULL;
	char *source = NULL;

	for (size_t i = 0; i < w->dels.nr; i++)
		if (git_oid_equal(&w->dels.items[i].id, &add->id))
			return mlint_strdup(w->dels.items[i].path);
	if (w->dels.nr == 0)
		return NULL;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.pathspec.strings = (char **)w->dirs;
	opts.pathspec.count = w->nr_dirs;
	if (git_diff_tree_to_tree(&diff, w->repo, parent_tree, tree, &opts) == 0 &&
	    git_diff_find_similar(diff, NULL) == 0) {
		for (size_t i = 0, n = git_diff_num_deltas(diff); i < n && !source; i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			if (d->status == GIT_DELTA_RENAMED && strcmp(d->new_file.path, add->path) == 0)
				source = mlint_strdup(d->old_file.path);
		}
	}
	git_diff_free(diff);
	return source;
}

static int note_add(struct walk *w, const git_commit *c, git_tree *tree, git_tree *parent_tree,
		    const struct change *add)
{
	const git_signature *author = git_commit_author(c);
	const size_t *found = mlint_strmap_find(&w->want, add->path);
	size_t entry;
	char *source;
	int error = 0;

	if (!found)
		return 0;
	entry = *found;
	if (git_commit_parentcount(c) > 1 && !absent_from_other_parents(c, add->path))
		return 0; /* it came in from a merged branch: its add is further down */
	w->entries[entry].found = 1;
	w->entries[entry].time = (long long)author->when.time;
	w->entries[entry].offset = author->when.offset;
	if ((source = rename_source(w, tree, parent_tree, add)) != NULL)
		error = mlint_strmap_add(&w->want, source, entry);
	free(source);
	return error;
}

static int any_wanted(const struct walk *w)
{
	for (size_t i = 0; i < w->adds.nr; i++)
		if (mlint_strmap_find(&w->want, w->adds.items[i].path))
			return 1;
	return 0;
}

/* The root tree ids are all it takes to find what changed: commits are
 * parsed (and cached by libgit2) only when a wanted file was added, which
 * is rare. */
static int visit_commit(struct walk *w, const struct mlint_topo_commit *tc,
			const git_oid *parent_tree_id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	int error = 0;

	if ((error = collect_changes(w, &tc->tree, parent_tree_id)) < 0 || w->adds.nr == 0 ||
	    !any_wanted(w))
		goto done;
	/* a shallow clone's boundary commit has parents that are not there */
	if (git_commit_lookup(&c, w->repo, &tc->id) < 0 ||
	    (parent_tree_id && git_commit_parent(&parent, c, 0) < 0) ||
	    git_commit_tree(&tree, c) < 0 || (parent && git_commit_tree(&parent_tree, parent) < 0)) {
		error = git_fail(w, "read a commit");
		goto done;
	}
	for (size_t i = 0; i < w->adds.nr && error == 0; i++)
		error = note_add(w, c, tree, parent_tree, &w->adds.items[i]);
done:
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	return error;
}

/* Every commit reachable from HEAD, children before parents (the last add
 * seen of a path is its first), each diffed against its first parent. */
static int walk_history(struct walk *w)
{
	struct mlint_topowalk tw;
	git_oid head;
	int error = 0, rc;

	/* An unborn HEAD has no history: nothing is found. */
	if ((rc = git_repository_head_unborn(w->repo)) != 0)
		return rc == 1 ? 0 : git_fail(w, "read HEAD");
	if (git_reference_name_to_id(&head, w->repo, "HEAD") < 0)
		return git_fail(w, "read HEAD");
	mlint_topowalk_init(&tw);
	if ((error = mlint_topowalk_load(&tw, w->odb, &head)) < 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", mlint_error_last());
		error = mlint_error_set("cannot walk the history in '%s': %s", w->root, msg);
	}
	for (size_t k = 0; k < tw.nr_order && error == 0; k++) {
		const struct mlint_topo_commit *c = &tw.commits[tw.order[k]];
		error = visit_commit(w, c, c->first_parent != MLINT_TOPO_NONE
					   ? &tw.commits[c->first_parent].tree : NULL);
	}
	mlint_topowalk_release(&tw);
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
	w.dirs = dirs;
	w.nr_dirs = dirs ? nr_dirs : 0;
	for (size_t i = 0; i < nr; i++) {
		entries[i].found = 0;
		if ((error = mlint_strmap_add(&w.want, entries[i].path, i)) < 0)
			goto done;
	}
	if (nr == 0)
		goto done;
	/* every tree on the way down to each directory, on both sides, and one */
	w.nr_cache = 2;
	for (size_t d = 0; d < w.nr_dirs || (d == 0 && w.nr_dirs == 0); d++) {
		const char *dir = w.nr_dirs ? dirs[d] : "";
		size_t levels = 1;
		for (const char *p = dir; *p; p++)
			levels += *p == '/';
		w.nr_cache += 2 * (levels + 1);
	}
	if (!(w.cache = calloc(w.nr_cache, sizeof(*w.cache)))) {
		error = mlint_error_set("out of memory");
		goto done;
	}
	mlint_libgit2_init();
	/* Each commit and tree is read once (trees twice, from our own slots):
	 * libgit2's object cache would only grow, and cost as much to empty. */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	if ((error = mlint_git_refuse_unreadable(repo_root)) == 0) {
		if (git_repository_open_ext(&w.repo, repo_root, GIT_REPOSITORY_OPEN_NO_SEARCH,
					    NULL) < 0)
			error = git_fail(&w, "open the git repository");
		else if (git_repository_odb(&w.odb, w.repo) < 0)
			error = git_fail(&w, "open the object database");
		else
			error = walk_history(&w);
	}
	for (size_t i = 0; i < w.nr_cache; i++)
		git_odb_object_free(w.cache[i].tree);
	git_odb_free(w.odb);
	git_repository_free(w.repo);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	git_libgit2_shutdown();
done:
	free(w.cache);
	changes_release(&w.adds);
	changes_release(&w.dels);
	mlint_strmap_release(&w.want);
	return error;
}
