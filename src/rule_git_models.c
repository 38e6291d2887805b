/*
 * model-without-migration: the change edits model files but adds no
 * migration. Model files are the `[mlint] models` globs of alembic.ini
 * (matched against repository paths, and against the file name for a glob
 * without '/'), else `models.py` anywhere and `.py` files under a `models/`
 * directory that use SQLAlchemy.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
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

static int diff_change(git_diff **out, const struct mlint_git *g, git_tree *from)
{
	git_diff_options o;
	git_repository *repo = mlint_git_repository(g);
	int rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		  GIT_DIFF_SKIP_BINARY_CHECK;
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
	git_tree *from = NULL;
	git_diff *diff = NULL;
	int error;

	if (mlint_git_head_kind(g) != MLINT_GIT_HEAD_INDEX && change->added.nr > 0)
		return 0; /* the change adds a migration: nothing to say */
	if ((error = mlint_git_change_from(&from, g)) < 0)
		return error == MLINT_ENOTFOUND ? 0 : error;
	if ((error = diff_change(&diff, g, from)) < 0)
		goto done;
	for (size_t k = 0, n = git_diff_num_deltas(diff); k < n && error == 0; k++)
		error = visit(&m, git_diff_get_delta(diff, k));
	for (size_t i = 0; i < m.nr_models && error == 0; i++)
		error = mlint_path_list_add(&change->models, m.models[i]);
	if (error == 0 && m.added == 0)
		error = report(&m, out);
done:
	for (size_t i = 0; i < m.nr_models; i++)
		free(m.models[i]);
	free(m.models);
	git_diff_free(diff);
	git_tree_free(from);
	return error;
}
