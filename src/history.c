/* One history walk that finds the commit adding each wanted file. */
#include <string.h>
#include <git2.h>
#include "mlint/git.h"
#include "mlint/history.h"
#include "strmap.h"
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
	struct tree_cache *cache; /* version directory trees of this and the last commit */
	size_t nr_cache;
	unsigned generation;      /* of the commit being visited */
};

/*
 * A version directory's tree is read for a commit and again for its child
 * (as the parent's), and libgit2 does not cache trees over 4 KiB: a few
 * slots keep them, so each is inflated once. A slot used by the commit being
 * visited is never evicted.
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

/* The id of the tree at `dir` in `root`; 0 when there is none. */
static int subtree_id(git_oid *out, git_tree *root, const char *dir)
{
	git_tree_entry *e = NULL;
	int found;
	if (!root)
		return 0;
	if (!*dir) {
		git_oid_cpy(out, git_tree_id(root));
		return 1;
	}
	if (git_tree_entry_bypath(&e, root, dir) < 0)
		return 0;
	found = git_tree_entry_type(e) == GIT_OBJECT_TREE;
	if (found)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return found;
}

static int collect_changes(struct walk *w, git_tree *tree, git_tree *parent_tree)
{
	static const char *const whole[] = {""};
	const char *const *dirs = w->nr_dirs ? w->dirs : whole;
	size_t nr = w->nr_dirs ? w->nr_dirs : 1;

	changes_clear(&w->adds);
	changes_clear(&w->dels);
	w->generation++;
	for (size_t d = 0; d < nr; d++) {
		git_oid nid, oid;
		int has_new = subtree_id(&nid, tree, dirs[d]);
		int has_old = subtree_id(&oid, parent_tree, dirs[d]);
		if ((has_new && has_old && git_oid_equal(&nid, &oid)) || (!has_new && !has_old))
			continue;
		git_odb_object *nt = NULL, *ot = NULL;
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

static int visit_commit(struct walk *w, const git_oid *id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	int error = 0;

	if (git_commit_lookup(&c, w->repo, id) < 0 || git_commit_tree(&tree, c) < 0 ||
	    (git_commit_parentcount(c) > 0 &&
	     (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&parent_tree, parent) < 0))) {
		error = git_fail(w, "read a commit");
		goto done;
	}
	if ((error = collect_changes(w, tree, parent_tree)) < 0)
		goto done;
	for (size_t i = 0; i < w->adds.nr && error == 0; i++)
		error = note_add(w, c, tree, parent_tree, &w->adds.items[i]);
done:
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
	w.dirs = dirs;
	w.nr_dirs = dirs ? nr_dirs : 0;
	for (size_t i = 0; i < nr; i++) {
		entries[i].found = 0;
		if ((error = mlint_strmap_add(&w.want, entries[i].path, i)) < 0)
			goto done;
	}
	if (nr == 0)
		goto done;
	w.nr_cache = 2 * (w.nr_dirs ? w.nr_dirs : 1) + 2;
	if (!(w.cache = calloc(w.nr_cache, sizeof(*w.cache)))) {
		error = mlint_error_set("out of memory");
		goto done;
	}
	mlint_libgit2_init();
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
	git_libgit2_shutdown();
done:
	free(w.cache);
	changes_release(&w.adds);
	changes_release(&w.dels);
	mlint_strmap_release(&w.want);
	return error;
}
