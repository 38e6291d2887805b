/*
 * model-without-migration: the change edits model files but adds no
 * migration. Model files are the `[mlint] models` globs of alembic.ini
 * (matched against repository paths, and against the file name for a glob
 * without '/'), else `models.py` anywhere and `.py` files under a `models/`
 * directory that use SQLAlchemy.
 */
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <git2.h>
#include "mlint/buf.h"
#include "mlint/check.h"
#include "mlint/change_set.h"
#include "mlint/git.h"
#include "mlint/snapshot.h"
#include "util.h"

struct models_run {
	const struct mlint_git *g;
	const struct mlint_project *p;
	const char *globs;      /* [mlint] models, or NULL for the default */
	size_t added;           /* migrations added by the change */
	char **models;          /* model files changed */
	size_t nr_models, alloc_models;
};

static const char *configured_globs(const struct mlint_project *p)
{
	for (size_t i = 0; i < p->nr_dirs; i++) {
		const struct mlint_ini_entry *e = mlint_ini_get(&p->dirs[i].ini, "mlint", "models");
		if (e && e->value[0])
			return e->value;
	}
	return NULL;
}

static int glob_matches(const char *globs, const char *path)
{
	const char *base = strrchr(path, '/');
	char one[512];

	for (const char *p = globs; *p;) {
		size_t n = strcspn(p, " ,\t\n");
		if (n > 0 && n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			if (fnmatch(one, path, 0) == 0 ||
			    (!strchr(one, '/') && fnmatch(one, base ? base + 1 : path, 0) == 0))
				return 1;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* The bytes of the new side (or old, when deleted) of a delta. */
static int delta_bytes(struct mlint_buf *out, const struct models_run *m,
		       const git_diff_delta *dl)
{
	const git_diff_file *f = dl->status == GIT_DELTA_DELETED ? &dl->old_file : &dl->new_file;
	git_blob *blob = NULL;
	int error;

	if (f->flags & GIT_DIFF_FLAG_VALID_ID && !git_oid_is_zero(&f->id) &&
	    git_blob_lookup(&blob, mlint_git_repository(m->g), &f->id) == 0) {
		error = mlint_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		return error;
	}
	{
		char *abs = mlint_path_join(mlint_git_root(m->g), f->path);
		error = abs ? mlint_buf_read_file(out, abs) : MLINT_ERROR;
		free(abs);
	}
	return error < 0 ? 0 : error; /* unreadable: judged by its name alone */
}

static int uses_sqlalchemy(const char *text)
{
	return strstr(text, "sqlalchemy") || strstr(text, "SQLAlchemy") || strstr(text, "db.Model");
}

static int is_model(const struct models_run *m, const git_diff_delta *dl, const char *path)
{
	const char *base = strrchr(path, '/');
	struct mlint_buf text;
	int yes;

	if (m->globs)
		return glob_matches(m->globs, path);
	base = base ? base + 1 : path;
	if (strcmp(base, "models.py") == 0)
		return 1;
	if (!(mlint_starts_with(path, "models/") || strstr(path, "/models/")) ||
	    strlen(base) < 3 || strcmp(base + strlen(base) - 3, ".py") != 0)
		return 0;
	mlint_buf_init(&text, 1u << 24);
	yes = delta_bytes(&text, m, dl) == 0 && uses_sqlalchemy(text.ptr);
	mlint_buf_release(&text);
	return yes;
}

static int in_any_location(const struct models_run *m, const char *path)
{
	int yes = 0;
	for (size_t i = 0; i < m->p->nr_dirs && !yes; i++) {
		const struct mlint_scriptdir_config *d = &m->p->dirs[i];
		for (size_t k = 0; k < d->nr_locations && !yes; k++) {
			char *rel = mlint_snapshot_repo_path(m->p, d->version_locations[k]);
			yes = rel && mlint_snapshot_in_locations(path, &rel, 1, d->recursive);
			free(rel);
		}
	}
	return yes;
}

static int visit(struct models_run *m, const git_diff_delta *dl)
{
	const char *path = dl->status == GIT_DELTA_DELETED ? dl->old_file.path : dl->new_file.path;
	char *copy;

	if (dl->status == GIT_DELTA_DELETED && mlint_git_not_checked_out(m->g, path))
		return 0; /* outside a sparse checkout: not deleted, not changed */
	if (in_any_location(m, path)) {
		if (dl->status == GIT_DELTA_ADDED || dl->status == GIT_DELTA_UNTRACKED)
			m->added++;
		return 0;
	}
	if (!is_model(m, dl, path))
		return 0;
	if (!(copy = mlint_strdup(path)) ||
	    MLINT_ARRAY_GROW(m->models, m->alloc_models, m->nr_models + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	m->models[m->nr_models++] = copy;
	return 0;
}

/* ---- the working tree outside the version locations ---------------------- *
 *
 * The version locations were just compared with the same tree (rule_git.c:
 * change->added_files says what they add), so the working tree's comparison
 * here need not stat their 10,000 files again. A diff cannot leave out a
 * directory, so it is given the complement: every name, at the root and at
 * each directory on the way to a location, that is no location and leads
 * to none, from the working tree, the tree and the index alike (a deleted
 * model directory is in the tree only). */

struct outside {
	const struct models_run *m;
	git_tree *from;
	git_index *index;
	char **locs;        /* repository paths of the version locations */
	int *recursive;
	size_t nr_locs;
	struct mlint_path_list names; /* of one level, with "/" after directories */
	struct mlint_path_list *out;
};

/* -1: `path` is no location and leads to none; else the index of the
 * location it is (*exact) or leads to. */
static long location_of(const struct outside *o, const char *path, int *exact)
{
	size_t pl = strlen(path);
	long found = -1;

	*exact = 0;
	for (size_t i = 0; i < o->nr_locs; i++) {
		if (strcmp(o->locs[i], path) == 0) {
			*exact = 1;
			if (o->recursive[i])
				return (long)i;
			found = (long)i;
		} else if (found < 0 && strncmp(o->locs[i], path, pl) == 0 && o->locs[i][pl] == '/') {
			found = (long)i;
		}
	}
	return found;
}

static int add_name(struct outside *o, const char *prefix, const char *name, size_t len,
		    int is_dir)
{
	char *full;
	int error;

	if (len == 0 || (!prefix[0] && len == 4 && memcmp(name, ".git", 4) == 0))
		return 0;
	if (!(full = malloc(strlen(prefix) + len + 2)))
		return mlint_error_set("out of memory");
	memcpy(full, prefix, strlen(prefix));
	memcpy(full + strlen(prefix), name, len);
	full[strlen(prefix) + len] = is_dir ? '/' : '\0';
	full[strlen(prefix) + len + is_dir] = '\0';
	error = mlint_path_list_add(&o->names, full);
	free(full);
	return error;
}

/* The names at directory `prefix` ("" or "dir/") in the working tree, the
 * tree and the index; only those of directories with `dirs_only` (a
 * location's own files are its). MLINT_ENOTFOUND: a directory cannot be
 * read. */
static int level_names(struct outside *o, const char *prefix, int dirs_only)
{
	char *abs = mlint_path_join(mlint_git_root(o->m->g), prefix);
	git_tree_entry *te = NULL;
	git_tree *tree = NULL;
	const char *last;
	struct dirent *e;
	size_t pl = strlen(prefix);
	DIR *d;
	int error = 0;

	if (!abs)
		return MLINT_ERROR;
	d = opendir(abs);
	free(abs);
	if (!d)
		return MLINT_ENOTFOUND;
	while (error == 0 && (e = readdir(d)) != NULL) {
		struct stat st;
		int is_dir = e->d_type == DT_DIR;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_UNKNOWN) /* a symlink is a file to git */
			is_dir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				 S_ISDIR(st.st_mode);
		if (is_dir || !dirs_only)
			error = add_name(o, prefix, e->d_name, strlen(e->d_name), is_dir);
	}
	closedir(d);
	if (error == 0 && pl && git_tree_entry_bypath(&te, o->from, prefix) == 0 &&
	    git_tree_entry_type(te) == GIT_OBJECT_TREE)
		git_tree_lookup(&tree, mlint_git_repository(o->m->g), git_tree_entry_id(te));
	git_tree_entry_free(te);
	for (size_t i = 0, n = pl ? (tree ? git_tree_entrycount(tree) : 0)
				  : git_tree_entrycount(o->from); i < n && error == 0; i++) {
		const git_tree_entry *x = git_tree_entry_byindex(pl ? tree : o->from, i);
		const char *name = git_tree_entry_name(x);
		int is_dir = git_tree_entry_type(x) == GIT_OBJECT_TREE;
		if (is_dir || !dirs_only)
			error = add_name(o, prefix, name, strlen(name), is_dir);
	}
	git_tree_free(tree);
	/* The index is sorted: a directory's entries follow each other, and
	 * its name is added once (10,000 migrations below one name). */
	last = NULL;
	for (size_t i = 0, n = git_index_entrycount(o->index), last_len = 0; i < n && error == 0;
	     i++) {
		const char *path = git_index_get_byindex(o->index, i)->path, *slash;
		size_t len;
		if (strncmp(path, prefix, pl) != 0)
			continue;
		slash = strchr(path + pl, '/');
		len = slash ? (size_t)(slash - path - pl) : strlen(path + pl);
		if ((last && slash && len == last_len && memcmp(last, path + pl, len) == 0) ||
		    (dirs_only && !slash))
			continue;
		last = slash ? path + pl : NULL;
		last_len = len;
		error = add_name(o, prefix, path + pl, len, slash != NULL);
	}
	git_error_clear();
	return error;
}

/* Adds what lies at `prefix` outside the locations; `in_loc`: `prefix` is
 * a location whose subdirectories Alembic does not read. */
static int walk_outside(struct outside *o, const char *prefix, int in_loc)
{
	struct mlint_path_list names;
	int error;

	memset(&o->names, 0, sizeof(o->names));
	if ((error = level_names(o, prefix, in_loc)) < 0) {
		mlint_path_list_release(&o->names);
		return error;
	}
	names = o->names;
	memset(&o->names, 0, sizeof(o->names));
	for (size_t i = 0; i < names.nr && error == 0; i++) {
		char *name = names.items[i];
		size_t n = strlen(name);
		int is_dir = n && name[n - 1] == '/', exact;
		long at;
		if (is_dir)
			name[n - 1] = '\0';
		at = location_of(o, name, &exact);
		if (is_dir)
			name[n - 1] = '/';
		if (!is_dir) /* a file in a location is the location's */
			error = at >= 0 || !in_loc ? mlint_path_list_add(o->out, name) : 0;
		else if (at < 0)
			error = mlint_path_list_add(o->out, name);
		else if (!(exact && o->recursive[at]))
			error = walk_outside(o, name, exact);
	}
	mlint_path_list_release(&names);
	return error;
}

static void outside_release(struct outside *o)
{
	for (size_t i = 0; i < o->nr_locs; i++)
		free(o->locs[i]);
	free(o->locs);
	free(o->recursive);
	git_index_free(o->index);
}

/* The pathspec for what lies outside every version location: 1 and `out`,
 * or 0 when the whole working tree must be compared. */
static int outside_paths(const struct models_run *m, git_tree *from, struct mlint_path_list *out)
{
	struct outside o = {m, from, NULL, NULL, NULL, 0, {0}, out};
	size_t nr = 0;
	int error = 0;

	for (size_t i = 0; i < m->p->nr_dirs; i++)
		nr += m->p->dirs[i].nr_locations;
	if (!(o.locs = calloc(nr + 1, sizeof(char *))) ||
	    !(o.recursive = calloc(nr + 1, sizeof(int))))
		error = mlint_error_set("out of memory");
	for (size_t i = 0; i < m->p->nr_dirs && error == 0; i++) {
		const struct mlint_scriptdir_config *d = &m->p->dirs[i];
		for (size_t k = 0; k < d->nr_locations && error == 0; k++) {
			char *rel = mlint_snapshot_repo_path(m->p, d->version_locations[k]);
			if (!rel || !rel[0]) { /* outside, or the root itself */
				free(rel);
				error = MLINT_ENOTFOUND;
				break;
			}
			o.recursive[o.nr_locs] = d->recursive;
			o.locs[o.nr_locs++] = rel;
		}
	}
	if (error == 0 && git_repository_index(&o.index, mlint_git_repository(m->g)) < 0)
		error = MLINT_ENOTFOUND;
	if (error == 0)
		error = walk_outside(&o, "", 0);
	outside_release(&o);
	if (error < 0)
		mlint_path_list_release(out);
	if (error == MLINT_ENOTFOUND || error == MLINT_ERROR) {
		mlint_error_clear();
		git_error_clear();
		return error == MLINT_ERROR ? MLINT_ERROR : 0;
	}
	return 1;
}

static int diff_change(git_diff **out, const struct mlint_git *g, git_tree *from,
		       const struct mlint_path_list *only)
{
	git_diff_options o;
	git_repository *repo = mlint_git_repository(g);
	int rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		  GIT_DIFF_SKIP_BINARY_CHECK;
	if (only) {
		o.pathspec.strings = only->items;
		o.pathspec.count = only->nr;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	switch (mlint_git_head_kind(g)) {
	case MLINT_GIT_HEAD_REV:
		rc = git_diff_tree_to_tree(out, repo, from, (git_tree *)mlint_git_head_tree(g), &o);
		break;
	case MLINT_GIT_HEAD_INDEX:
		rc = git_diff_tree_to_index(out, repo, from, NULL, &o);
		break;
	default:
		rc = git_diff_tree_to_workdir_with_index(out, repo, from, &o);
		break;
	}
	if (rc < 0) {
		const git_error *e = git_error_last();
		return mlint_error_set("cannot compare with the base: %s",
				       e && e->message ? e->message : "unknown error");
	}
	return 0;
}

static int report(const struct models_run *m, struct mlint_findings *out)
{
	const char *since = mlint_git_head_kind(m->g) == MLINT_GIT_HEAD_INDEX
				    ? "is staged" : "changed";
	int error = 0;

	for (size_t i = 0; i < m->nr_models && error == 0; i++) {
		struct mlint_location loc = {m->models[i], 1, 1, NULL, NULL, 0};
		error = mlint_findings_addf(out, mlint_rule_find("model-without-migration"), &loc,
					   "model file '%s' %s%s%s but no migration is "
					   "added with it: generate one (alembic revision "
					   "--autogenerate -m \"...\", or flask db migrate), review it "
					   "and commit it together with the model change",
					   m->models[i], since,
					   mlint_git_head_kind(m->g) == MLINT_GIT_HEAD_INDEX ? ""
					   : " since ", mlint_git_head_kind(m->g) ==
					   MLINT_GIT_HEAD_INDEX ? "" : mlint_git_base_name(m->g));
	}
	return error;
}

int mlint_check_git_models(const struct mlint_git *g, const struct mlint_project *p,
			   struct mlint_change_set *change, struct mlint_findings *out)
{
	struct models_run m = {g, p, configured_globs(p), 0, NULL, 0, 0};
	struct mlint_path_list only = {0};
	git_tree *from = NULL;
	git_diff *diff = NULL;
	int error, outside = 0;

	if (mlint_git_head_kind(g) != MLINT_GIT_HEAD_INDEX && change->added.nr > 0)
		return 0; /* the change adds a migration: nothing to say */
	if ((error = mlint_git_change_from(&from, g)) < 0)
		return error == MLINT_ENOTFOUND ? 0 : error;
	if (mlint_git_head_kind(g) == MLINT_GIT_HEAD_WORKTREE) {
		m.added = change->added_files;
		if ((error = outside = outside_paths(&m, from, &only)) < 0)
			goto done;
	}
	if (outside && only.nr == 0)
		goto done; /* nothing but the version locations */
	if ((error = diff_change(&diff, g, from, outside ? &only : NULL)) < 0)
		goto done;
	for (size_t k = 0, n = git_diff_num_deltas(diff); k < n && error == 0; k++)
		error = visit(&m, git_diff_get_delta(diff, k));
	for (size_t i = 0; i < m.nr_models && error == 0; i++)
		error = mlint_path_list_add(&change->models, m.models[i]);
	if (error == 0 && m.added == 0)
		error = report(&m, out);
done:
	mlint_path_list_release(&only);
	for (size_t i = 0; i < m.nr_models; i++)
		free(m.models[i]);
	free(m.models);
	git_diff_free(diff);
	git_tree_free(from);
	return error;
}
