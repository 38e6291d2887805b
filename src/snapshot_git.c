/* Snapshots from git: the index and a commit's tree, listed as Alembic would. */
#include <stdio.h>
#include <pthread.h>
#include <string.h>
#include <git2.h>
#include "mlint/scriptdir.h"
#include "mlint/snapshot.h"
#include "strmap.h"
#include "util.h"

char *mlint_snapshot_repo_path(const struct mlint_project *p, const char *abs)
{
	size_t rl = p->repo_root ? strlen(p->repo_root) : 0;
	char *rel;

	if (!rl || strncmp(abs, p->repo_root, rl) != 0 || (abs[rl] != '/' && abs[rl] != '\0')) {
		mlint_error_setc(MLINT_ENOTFOUND, "'%s' is outside the repository '%s'", abs,
				 p->repo_root ? p->repo_root : "(none)");
		return NULL;
	}
	rel = mlint_strdup(abs[rl] == '/' ? abs + rl + 1 : "");
	/* "versions/" names the directory "versions": index paths have no
	 * trailing slash to match it */
	for (size_t n = rel ? strlen(rel) : 0; n > 0 && rel[n - 1] == '/'; n--)
		rel[n - 1] = '\0';
	return rel;
}

/* Whether `path` lies in directory `dir` ("" is the root); sets *rest. */
static int under_dir(const char *path, const char *dir, const char **rest)
{
	size_t dl = strlen(dir);
	if (dl == 0) {
		*rest = path;
		return 1;
	}
	if (strncmp(path, dir, dl) != 0 || path[dl] != '/')
		return 0;
	*rest = path + dl + 1;
	return 1;
}

int mlint_snapshot_in_locations(const char *path, char *const *rel_locations, size_t nr,
				int recursive)
{
	const char *base = strrchr(path, '/');

	if (!mlint_snapshot_alembic_reads(base ? base + 1 : path))
		return 0;
	for (size_t i = 0; i < nr; i++) {
		const char *rest;
		if (!under_dir(path, rel_locations[i], &rest))
			continue;
		if (!strchr(rest, '/'))
			return 1;
		if (recursive && !strstr(rest, "__pycache__/"))
			return 1;
	}
	return 0;
}

struct git_lister {
	struct mlint_snapshot *out;
	git_repository *repo;
	const struct mlint_project *p;
	const struct mlint_scriptdir_config *d;
	struct mlint_notes *notes;
	struct mlint_strmap seen; /* absolute paths listed so far ... */
	int overlap;              /* ... when several locations may list one path */
};

static int git_fail(const char *what, const char *path)
{
	const git_error *e = git_error_last();
	return mlint_error_set("cannot read %s '%s': %s", what, path,
			       e && e->message ? e->message : "unknown error");
}

static int skip_git_note(struct git_lister *l, const char *rel, const char *why)
{
	return mlint_snapshot_skip_note(l->notes, rel, why);
}


static int load_blob(struct mlint_snapshot_entry *e, git_repository *repo, const git_oid *id)
{
	git_blob *blob = NULL;
	int error = 0;

	memcpy(e->id, id->id, sizeof(e->id));
	e->has_id = 1;
	if (git_blob_lookup(&blob, repo, id) < 0)
		return git_fail("blob of", e->path);
	if (git_blob_rawsize(blob) > MLINT_MAX_FILE_BYTES) {
		e->refused = mlint_strdup("file is larger than 64 MiB; not read");
		error = e->refused ? 0 : MLINT_ERROR;
	} else {
		e->len = (size_t)git_blob_rawsize(blob);
		if (!(e->data = malloc(e->len + 1)))
			error = mlint_error_set("out of memory");
		else {
			memcpy(e->data, git_blob_rawcontent(blob), e->len);
			e->data[e->len] = '\0';
		}
	}
	git_blob_free(blob);
	return error;
}

/* Adds the file at repository path `rel` (mode, blob id). */
static int add_git_entry(struct git_lister *l, const char *rel, unsigned mode, const git_oid *id)
{
	struct mlint_snapshot_entry *e;
	char *abs = mlint_path_join(l->p->repo_root, rel);
	int error;

	if (!abs)
		return MLINT_ERROR;
	/* A path once only, even when version locations overlap (a set: a
	 * linear search here made --staged quadratic, 1.3G instructions at
	 * 10,000 files). One location lists each path of the tree or index
	 * once: no set needed. */
	if (l->overlap && mlint_strmap_find(&l->seen, abs)) {
		free(abs);
		return skip_git_note(l, rel, "already read through another version location");
	}
	if ((l->overlap && mlint_strmap_add(&l->seen, abs, l->out->nr) < 0) ||
	    MLINT_ARRAY_GROW(l->out->entries, l->out->alloc, l->out->nr + 1) < 0) {
		free(abs);
		return MLINT_ERROR;
	}
	e = &l->out->entries[l->out->nr++];
	memset(e, 0, sizeof(*e));
	e->dir_fd = -1; /* read from git, never from disk */
	e->abs = abs;
	if (!(e->path = mlint_project_display_path(l->p, abs)))
		return MLINT_ERROR;
	if (mode == GIT_FILEMODE_LINK)
		return (e->refused = mlint_strdup("a symlink in git; not read")) ? 0 : MLINT_ERROR;
	if (mode == GIT_FILEMODE_COMMIT)
		return (e->refused = mlint_strdup("a submodule, not a file")) ? 0 : MLINT_ERROR;
	if (l->out->known && l->out->known(l->out->known_ctx, e->path, id->id)) {
		memcpy(e->id, id->id, sizeof(e->id));
		e->has_id = e->deferred = 1; /* read only if the cache cannot restore it */
		l->out->repo = l->repo;
		return 0;
	}
	error = load_blob(e, l->repo, id);
	return error;
}

static pthread_mutex_t blob_lock = PTHREAD_MUTEX_INITIALIZER;

int mlint_snapshot_read_blob(struct git_repository *repo, const unsigned char id[20],
			     struct mlint_buf *out)
{
	git_blob *blob = NULL;
	git_oid oid;
	int error;

	mlint_buf_clear(out);
	if (!repo)
		return mlint_error_set("the repository is closed: a staged file cannot be read");
	memcpy(oid.id, id, sizeof(oid.id));
	pthread_mutex_lock(&blob_lock);
	if (git_blob_lookup(&blob, repo, &oid) < 0) {
		const git_error *e = git_error_last();
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &oid);
		error = mlint_error_set("cannot read blob %s: %s", hex,
					e && e->message ? e->message : "unknown error");
	} else {
		error = mlint_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	}
	git_blob_free(blob);
	pthread_mutex_unlock(&blob_lock);
	return error;
}

/* ---- tree ------------------------------------------------------------ */

static int list_subtree(struct git_lister *l, const git_tree *tree, const char *rel);

static int visit_tree_entry(struct git_lister *l, const git_tree_entry *te, const char *rel)
{
	const char *name = git_tree_entry_name(te);
	char *path = rel[0] ? mlint_path_join(rel, name) : mlint_strdup(name);
	git_tree *sub = NULL;
	int error = 0;

	if (!path)
		return MLINT_ERROR;
	if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
		if (strcmp(name, "__pycache__") == 0)
			error = skip_git_note(l, path, "byte-code cache");
		else if (!l->d->recursive)
			error = skip_git_note(l, path, "directory; Alembic reads subdirectories only "
					      "with recursive_version_locations = true");
		else if (git_tree_lookup(&sub, l->repo, git_tree_entry_id(te)) < 0)
			error = git_fail("tree", path);
		else
			error = list_subtree(l, sub, path);
	} else if (!mlint_snapshot_alembic_reads(name)) {
		error = skip_git_note(l, path, mlint_snapshot_skip_reason(name));
	} else {
		error = add_git_entry(l, path, (unsigned)git_tree_entry_filemode(te),
				      git_tree_entry_id(te));
	}
	git_tree_free(sub);
	free(path);
	return error;
}

static int list_subtree(struct git_lister *l, const git_tree *tree, const char *rel)
{
	size_t n = git_tree_entrycount(tree);
	int error = 0;

	for (size_t i = 0; i < n && error == 0; i++)
		error = visit_tree_entry(l, git_tree_entry_byindex(tree, i), rel);
	return error;
}

static int list_tree_location(struct git_lister *l, const git_tree *root, const char *abs)
{
	char *rel = mlint_snapshot_repo_path(l->p, abs);
	git_tree_entry *te = NULL;
	git_tree *sub = NULL;
	int error = 0;

	if (!rel)
		return MLINT_ERROR;
	if (!rel[0]) {
		error = list_subtree(l, root, rel);
	} else if (git_tree_entry_bypath(&te, root, rel) < 0 ||
		   git_tree_entry_type(te) != GIT_OBJECT_TREE) {
		error = mlint_notes_add(l->notes, MLINT_NOTE_VERBOSE,
					"version location '%s' is not in this tree", rel);
	} else if (git_tree_lookup(&sub, l->repo, git_tree_entry_id(te)) < 0) {
		error = git_fail("tree", rel);
	} else {
		error = list_subtree(l, sub, rel);
	}
	git_tree_free(sub);
	git_tree_entry_free(te);
	free(rel);
	return error;
}

int mlint_snapshot_list_tree(struct mlint_snapshot *out, struct git_repository *repo,
			     const struct git_tree *tree, const struct mlint_project *p,
			     const struct mlint_scriptdir_config *d, struct mlint_notes *notes)
{
	struct git_lister l = {out, repo, p, d, notes, MLINT_STRMAP_INIT, d->nr_locations > 1};
	int error = 0;

	for (size_t i = 0; i < d->nr_locations && error == 0; i++)
		error = list_tree_location(&l, tree, d->version_locations[i]);
	mlint_strmap_release(&l.seen);
	if (error == 0)
		mlint_snapshot_sort(out);
	return error;
}

/* ---- index ----------------------------------------------------------- */

static int list_index_location(struct git_lister *l, git_index *index, const char *abs)
{
	char *rel = mlint_snapshot_repo_path(l->p, abs);
	char *locs[1];
	size_t at = 0, n = git_index_entrycount(index);
	int error = 0;

	if (!rel)
		return MLINT_ERROR;
	locs[0] = rel;
	if (rel[0] && git_index_find_prefix(&at, index, rel) < 0)
		at = n;
	for (size_t i = at; i < n && error == 0; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		const char *rest;
		if (!under_dir(e->path, rel, &rest)) {
			if (rel[0] && strncmp(e->path, rel, strlen(rel)) > 0)
				break;
			continue;
		}
		if (!mlint_snapshot_in_locations(e->path, locs, 1, l->d->recursive))
			error = skip_git_note(l, e->path, "not a file Alembic reads here");
		else if (git_index_entry_stage(e) != 0)
			error = mlint_notes_add(l->notes, MLINT_NOTE_WARNING,
						"'%s' has a merge conflict in the index; not read",
						e->path);
		else
			error = add_git_entry(l, e->path, e->mode, &e->id);
	}
	free(rel);
	return error;
}

int mlint_snapshot_list_index(struct mlint_snapshot *out, struct git_repository *repo,
			      const struct mlint_project *p, const struct mlint_scriptdir_config *d,
			      struct mlint_notes *notes)
{
	struct git_lister l = {out, repo, p, d, notes, MLINT_STRMAP_INIT, d->nr_locations > 1};
	git_index *index = NULL;
	int error = 0;

	if (git_repository_index(&index, repo) < 0)
		return git_fail("the index of", p->repo_root ? p->repo_root : "?");
	for (size_t i = 0; i < d->nr_locations && error == 0; i++)
		error = list_index_location(&l, index, d->version_locations[i]);
	mlint_strmap_release(&l.seen);
	git_index_free(index);
	if (error == 0)
		mlint_snapshot_sort(out);
	return error;
}
