/*
 * mlint check as one call: discovery, the policy read from one snapshot,
 * the base, the files, every rule, and the result as a value.
 *
 * The steps, in order (mlint_check_run reads like this list):
 *   1. discover the project (from the working tree, or REV's tree);
 *   2. open the repository and read the policy -- .mlint.ini, each
 *      alembic.ini's [mlint], the rules-dir files -- from the snapshot
 *      being checked; choose the base; with CI=true read the policy again,
 *      from the base commit;
 *   3. load the rules and each script directory's settings;
 *   4. read and scan the files, the per-file rules running as each is read
 *      (with a working-tree head and no CI, the repository is opened and
 *      the base chosen on a thread of its own meanwhile: libgit2's start-up
 *      costs a sixth of scanning 10,000 files);
 *   5. the directory rules, the git rules, suppressions and filters.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlint/baseline.h"
#include "mlint/cache.h"
#include "mlint/check.h"
#include "mlint/check_run.h"
#include "mlint/git.h"
#include "mlint/pycompile.h"
#include "mlint/snapshot.h"
#include "mlint/suppress.h"
#include "check_files.h"
#include "diff_hint.h"
#include "util.h"

void mlint_check_result_init(struct mlint_check_result *r)
{
	memset(r, 0, sizeof(*r));
	mlint_project_init(&r->project);
	mlint_config_init(&r->project_config);
	mlint_ruleset_init(&r->rules);
	mlint_findings_init(&r->findings);
	mlint_change_set_init(&r->change);
}

void mlint_check_result_release(struct mlint_check_result *r)
{
	for (size_t i = 0; i < r->nr_dirs; i++) {
		mlint_scriptdir_release(&r->dirs[i]);
		mlint_config_release(&r->configs[i]);
	}
	free(r->dirs);
	free(r->configs);
	mlint_findings_release(&r->findings);
	mlint_ruleset_release(&r->rules);
	mlint_config_release(&r->project_config);
	mlint_project_release(&r->project);
	mlint_notes_release(&r->notes);
	mlint_change_set_release(&r->change);
	free(r->base);
	free(r->base_row);
	for (size_t i = 0; i < r->nr_applied; i++)
		free(r->applied[i]);
	free(r->applied);
	mlint_check_result_init(r);
}

/* ---- one run ------------------------------------------------------------------ */

struct opener;

struct run {
	const struct mlint_check_request *req;
	struct mlint_check_result *res;
	struct mlint_project *p;          /* res->project */
	struct mlint_notes *notes;        /* res->notes */
	struct mlint_git *g;              /* NULL: no git rules */
	int ci;                           /* CI=true: the policy comes from the base */
	int outside;                      /* not in (or not opening) a repository */
	struct mlint_ini project_ini;     /* .mlint.ini as the policy snapshot has it */
	char *project_ini_display;        /* NULL: there is none */
	const char *base;                 /* --base, else [mlint] base (in refs) */
	const char **applied;             /* --applied, else [mlint] applied (in refs) */
	struct mlint_config refs;         /* the policy base and applied were taken from:
					   * kept while CI reads the policy again */
	size_t nr_applied;
	struct mlint_config policy;       /* .mlint.ini and every [mlint], merged */
	struct mlint_baseline baseline;   /* .mlint-baseline, as the policy snapshot has it */
	int has_baseline;
	struct mlint_file_checker **checkers;
	const struct mlint_scan_visitor **visitors;
	struct opener *opening;           /* the repository opened in the background */
};

static int is_ci(void)
{
	const char *ci = getenv("CI");
	return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
}

static enum mlint_git_head head_kind(const struct mlint_check_request *req)
{
	return req->source == MLINT_CHECK_COMMIT ? MLINT_GIT_HEAD_REV
	       : req->source == MLINT_CHECK_INDEX ? MLINT_GIT_HEAD_INDEX : MLINT_GIT_HEAD_WORKTREE;
}

static const char *source_option(const struct mlint_check_request *req)
{
	return req->source == MLINT_CHECK_INDEX ? "--staged" : "--head";
}

/* ---- 1. discovery ---- */

/* `path` (given relative to the current directory) relative to the
 * repository root, for a path the working tree does not have. */
static char *repo_relative(const struct mlint_git *g, const char *path)
{
	const char *root = mlint_git_root(g);
	size_t n = strlen(root);
	char *cwd, *abs, *out = NULL;

	if (path[0] == '/')
		abs = mlint_strdup(path);
	else if (!(cwd = getcwd(NULL, 0)))
		return NULL;
	else {
		abs = mlint_path_join(cwd, path);
		free(cwd);
	}
	if (!abs)
		return NULL;
	if (strncmp(abs, root, n) == 0 && (abs[n] == '/' || !abs[n])) {
		const char *rel = abs[n] ? abs + n + 1 : "";
		size_t len = strlen(rel);
		while (len && rel[len - 1] == '/')
			len--;
		out = mlint_strndup(rel, len);
	} else {
		mlint_error_setc(MLINT_EUSAGE, "'%s' is outside the repository '%s'", path, root);
	}
	free(abs);
	return out;
}

static int open_git(struct run *r, const char *path)
{
	int error = mlint_git_open(&r->g, path);
	if (error == 0)
		error = mlint_git_set_head(r->g, head_kind(r->req), r->req->head);
	return error;
}

/* The nearest directory above `path` that exists ("." for a relative path
 * none of whose parents does): where its repository is found. */
static char *existing_parent(const char *path)
{
	char *dir = mlint_strdup(path), *slash;

	while (dir && access(dir, F_OK) != 0) {
		if (!(slash = strrchr(dir, '/'))) {
			free(dir);
			return mlint_strdup(".");
		}
		if (slash == dir) {
			slash[1] = '\0';
			break;
		}
		*slash = '\0';
	}
	return dir;
}

/* --head REV: a bare repository, or a path the working tree does not have,
 * is discovered in REV's tree. */
static int discover_head(struct run *r, const struct mlint_discover_opts *dopts)
{
	const char *path = r->req->nr_paths ? r->req->paths[0] : ".";
	int on_disk = access(path, F_OK) == 0;
	char *from = on_disk ? mlint_strdup(path) : existing_parent(path), *prefix;
	int error = from ? open_git(r, from) : MLINT_ERROR;

	free(from);
	if (error < 0)
		return error;
	if (on_disk && !mlint_git_is_bare(r->g))
		return mlint_discover(r->p, r->req->paths, r->req->nr_paths, dopts);
	if (!(prefix = on_disk ? mlint_strdup("") : repo_relative(r->g, path)))
		return MLINT_ERROR;
	error = mlint_git_discover_tree(r->p, r->g, prefix, r->req->name);
	free(prefix);
	return error;
}

/* A version location REV does not have: not a silent pass over nothing. */
static int check_head_has(const struct run *r, const struct mlint_scriptdir_config *d)
{
	for (size_t i = 0; i < d->nr_locations; i++) {
		char *rel = mlint_snapshot_repo_path(r->p, d->version_locations[i]);
		int has = !rel || mlint_git_head_has_path(r->g, rel);
		if (!has) {
			mlint_error_setc(MLINT_EUSAGE, "version location '%s' does not exist in "
					 "revision '%s': nothing to check; pass the project's path "
					 "as it is in '%s'", rel, r->req->head, r->req->head);
			free(rel);
			return MLINT_EUSAGE;
		}
		free(rel);
		mlint_error_clear();
	}
	return 0;
}

static int discover(struct run *r)
{
	struct mlint_discover_opts dopts = {r->req->config, r->req->name};
	int error;

	if (!r->req->no_git && r->req->source == MLINT_CHECK_COMMIT)
		error = discover_head(r, &dopts);
	else
		error = mlint_discover(r->p, r->req->paths, r->req->nr_paths, &dopts);
	for (size_t i = 0; error == 0 && r->g && i < r->p->nr_dirs; i++)
		error = check_head_has(r, &r->p->dirs[i]);
	if (error == 0)
		error = mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "repository root: %s",
					r->p->repo_root ? r->p->repo_root
							: "(not a git repository)");
	return error;
}

/* ---- 2. the policy ---- */

static enum mlint_git_side policy_side(const struct run *r)
{
	return r->ci && r->g && mlint_git_has_base(r->g) ? MLINT_GIT_SIDE_BASE
							  : MLINT_GIT_SIDE_HEAD;
}

/* Where policy files come from, for the notes. */
static const char *side_name(const struct run *r, enum mlint_git_side side)
{
	if (side == MLINT_GIT_SIDE_BASE)
		return mlint_git_base_name(r->g);
	return r->req->source == MLINT_CHECK_INDEX ? "the index"
	       : r->req->source == MLINT_CHECK_COMMIT ? r->req->head : "the working tree";
}

/* Reads repository path `rel` as the policy snapshot has it; the working
 * tree (or no repository) is read from disk. MLINT_ENOTFOUND: not there. */
static int read_policy_file(struct mlint_buf *out, const struct run *r, const char *rel)
{
	const char *root = r->p->repo_root ? r->p->repo_root : r->p->base_dir;
	char *abs;
	int error;

	if (r->g && (policy_side(r) == MLINT_GIT_SIDE_BASE ||
		     r->req->source != MLINT_CHECK_WORKTREE))
		return mlint_git_read_path(out, r->g, policy_side(r), rel);
	if (!root || !(abs = mlint_path_join(root, rel)))
		return root ? MLINT_ERROR : MLINT_ENOTFOUND;
	error = access(abs, F_OK) != 0 ? MLINT_ENOTFOUND : mlint_buf_read_file(out, abs);
	free(abs);
	return error;
}

static int read_project_ini(struct run *r)
{
	struct mlint_buf text;
	int error;

	mlint_ini_release(&r->project_ini);
	mlint_ini_init(&r->project_ini);
	free(r->project_ini_display);
	r->project_ini_display = NULL;
	mlint_buf_init(&text, 1u << 24);
	if ((error = read_policy_file(&text, r, ".mlint.ini")) == MLINT_ENOTFOUND)
		error = 0;
	else if (error == 0 && (error = mlint_ini_parse(&r->project_ini, ".mlint.ini", text.ptr,
							 text.len)) == 0)
		error = (r->project_ini_display = mlint_strdup(".mlint.ini")) ? 0 : MLINT_ERROR;
	mlint_buf_release(&text);
	return error;
}

/* Replaces a script directory's parsed alembic.ini by the policy
 * snapshot's, when that is not the working tree. */
static int read_dir_ini(struct run *r, struct mlint_scriptdir_config *d)
{
	enum mlint_git_side side = policy_side(r);
	struct mlint_buf text;
	struct mlint_ini ini;
	char *rel;
	int error;

	if (!d->ini_path || !r->g ||
	    (side == MLINT_GIT_SIDE_HEAD && r->req->source == MLINT_CHECK_WORKTREE))
		return 0;
	if (!(rel = mlint_snapshot_repo_path(r->p, d->ini_path)))
		return mlint_notes_add(r->notes, MLINT_NOTE_WARNING, "'%s' is outside the "
				       "repository; its config is read from the working tree",
				       d->ini_path);
	mlint_buf_init(&text, 1u << 24);
	mlint_ini_init(&ini);
	if ((error = mlint_git_read_path(&text, r->g, side, rel)) == MLINT_ENOTFOUND) {
		error = mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "%s'%s' is not in '%s'; its "
					"config is read from the working tree",
					side == MLINT_GIT_SIDE_BASE ? "CI: " : "", rel,
					side_name(r, side));
	} else if (error == 0 && (error = mlint_ini_parse(&ini, d->ini_path, text.ptr,
							   text.len)) == 0) {
		mlint_ini_release(&d->ini);
		d->ini = ini;
		mlint_ini_init(&ini);
		error = side == MLINT_GIT_SIDE_BASE
			? mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "CI: config read from the "
					  "base: '%s:%s' (a pull request cannot loosen its own "
					  "gate)", side_name(r, side), rel)
			: mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "config read from %s: '%s'",
					  side_name(r, side), rel);
	}
	mlint_ini_release(&ini);
	mlint_buf_release(&text);
	free(rel);
	return error;
}

/* The policy, merged: .mlint.ini, then every alembic.ini's [mlint] (the
 * keys read before the rules: base, applied, rules-dir). Warnings wait for
 * the per-directory read. */
static int merge_policy(struct run *r)
{
	struct mlint_notes quiet = {0};
	int error = 0;

	mlint_config_release(&r->policy);
	mlint_config_init(&r->policy);
	if (r->project_ini_display)
		error = mlint_config_read_ini(&r->policy, &r->project_ini, r->project_ini_display,
					      &quiet);
	for (size_t i = 0; error == 0 && i < r->p->nr_dirs; i++)
		if (r->p->dirs[i].ini_path)
			error = mlint_config_read_ini(&r->policy, &r->p->dirs[i].ini,
						      r->p->dirs[i].ini_path, &quiet);
	mlint_notes_release(&quiet);
	return error;
}

static int read_baseline(struct run *r)
{
	struct mlint_buf text;
	int error;

	mlint_baseline_release(&r->baseline);
	r->has_baseline = 0;
	if (r->req->no_baseline)
		return 0;
	mlint_buf_init(&text, 1u << 26);
	if ((error = read_policy_file(&text, r, MLINT_BASELINE_FILE)) == MLINT_ENOTFOUND)
		error = 0;
	else if (error == 0 && (error = mlint_baseline_parse(&r->baseline, text.ptr, text.len,
							      MLINT_BASELINE_FILE)) == 0)
		r->has_baseline = 1;
	mlint_buf_release(&text);
	return error;
}

static int read_policy(struct run *r)
{
	int error = read_baseline(r);
	if (error == 0)
		error = read_project_ini(r);
	for (size_t i = 0; error == 0 && i < r->p->nr_dirs; i++)
		error = read_dir_ini(r, &r->p->dirs[i]);
	return error ? error : merge_policy(r);
}

/* base and applied: the options, else the policy's. */
static int policy_refs(struct run *r)
{
	const struct mlint_config *c = &r->refs;

	if (mlint_config_merge(&r->refs, &r->policy) < 0)
		return MLINT_ERROR;
	r->base = r->req->base;
	r->applied = (const char **)r->req->applied;
	r->nr_applied = r->req->nr_applied;
	if (!r->base && c->base.nr > 0) {
		r->base = c->base.ids[0];
		if (mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "base '%s' from %s", r->base,
				    c->base.where) < 0)
			return MLINT_ERROR;
	}
	if (!r->nr_applied && c->applied.nr > 0) {
		r->applied = (const char **)c->applied.ids;
		r->nr_applied = c->applied.nr;
	}
	return 0;
}

/* The base and the applied refs, chosen in g. */
static int pick_base(struct mlint_git *g, const char *base, const char *const *applied,
		     size_t nr_applied, struct mlint_notes *notes)
{
	int error = mlint_git_choose_base(g, base, notes);

	if (error == MLINT_ENOTFOUND)
		error = 0; /* no base: a note says the git rules are skipped */
	for (size_t i = 0; i < nr_applied && error == 0; i++)
		error = mlint_git_add_applied(g, applied[i], notes);
	return error;
}

/* The repository paths of the version locations (those outside left out). */
static char **repo_locations(const struct mlint_project *p, size_t *nr)
{
	size_t n = 0;
	char **out;

	*nr = 0;
	for (size_t i = 0; i < p->nr_dirs; i++)
		n += p->dirs[i].nr_locations;
	if (!(out = calloc(n + 1, sizeof(*out))))
		return NULL;
	for (size_t i = 0; i < p->nr_dirs; i++)
		for (size_t k = 0; k < p->dirs[i].nr_locations; k++)
			if ((out[*nr] = mlint_snapshot_repo_path(p, p->dirs[i].version_locations[k])))
				(*nr)++;
	mlint_error_clear();
	return out;
}

static void free_locations(char **v, size_t nr)
{
	for (size_t k = 0; k < nr; k++)
		free(v[k]);
	free(v);
}

/*
 * The one read-ahead path: a thread that opens the repository (when not
 * open yet), chooses the base, and reads what the comparison will need
 * (mlint_git_read_ahead) while the files are scanned, which uses no git.
 * Its notes and errors are taken when it is joined.
 */
struct opener {
	pthread_t thread;
	struct mlint_git *g;       /* NULL: open it */
	char *root;
	const char *base;          /* borrowed from the run */
	const char *const *applied;
	size_t nr_applied;
	int choose;                /* choose the base too */
	char **locations;
	size_t nr_locations;
	struct mlint_notes notes;
	int opened;
	int error;
	char message[1024];
};

static void *open_in_background(void *arg)
{
	struct opener *o = arg;
	int error = 0;

	if (!o->g && (error = mlint_git_open(&o->g, o->root)) == 0)
		error = mlint_git_set_head(o->g, MLINT_GIT_HEAD_WORKTREE, NULL);
	o->opened = error == 0 || error == MLINT_EUSAGE;
	if (error == 0 && o->choose)
		error = pick_base(o->g, o->base, o->applied, o->nr_applied, &o->notes);
	if (error == 0)
		mlint_git_read_ahead(o->g, o->locations, o->nr_locations);
	o->error = error;
	if (error < 0)
		snprintf(o->message, sizeof(o->message), "%s", mlint_error_last());
	return NULL;
}

static void opener_free(struct opener *o)
{
	free_locations(o->locations, o->nr_locations);
	free(o->root);
	mlint_git_free(o->g);
	mlint_notes_release(&o->notes);
	free(o);
}

/* 1 when the thread runs (it owns `r->g` until joined), 0 when it could
 * not start (then the caller does the work itself). */
static int start_opener(struct run *r, int choose)
{
	struct opener *o = calloc(1, sizeof(*o));

	if (!o || !(o->root = mlint_strdup(r->p->repo_root)) ||
	    !(o->locations = repo_locations(r->p, &o->nr_locations)))
		goto fail;
	o->g = r->g;
	o->base = r->base;
	o->applied = r->applied;
	o->nr_applied = r->nr_applied;
	o->choose = choose;
	if (pthread_create(&o->thread, NULL, open_in_background, o) != 0)
		goto fail;
	r->g = NULL;
	r->opening = o;
	return 1;
fail:
	if (o) {
		o->g = NULL;
		opener_free(o);
	}
	return 0;
}

/* Joins the opener. An unopenable repository is a warning (lint what is on
 * disk) unless a base or applied ref was asked for, or git refused it
 * (safe.directory); any other failure is the error it was. */
static int finish_opener(struct run *r)
{
	struct opener *o = r->opening;
	int error = 0;

	if (!o)
		return 0;
	pthread_join(o->thread, NULL);
	r->opening = NULL;
	for (size_t i = 0; i < o->notes.nr && error == 0; i++)
		error = mlint_notes_add(r->notes, o->notes.items[i].level, "%s",
					o->notes.items[i].text);
	if (error == 0 && o->error == 0) {
		r->g = o->g;
		o->g = NULL;
	} else if (error == 0 && !o->opened && !r->base && !r->nr_applied) {
		r->outside = 1;
		error = mlint_notes_add(r->notes, MLINT_NOTE_WARNING, "%s: git rules skipped",
					o->message);
	} else if (error == 0) {
		error = mlint_error_setc(o->error, "%s", o->message);
	}
	opener_free(o);
	return error;
}

static void drop_opener(struct run *r)
{
	if (r->opening) {
		pthread_join(r->opening->thread, NULL);
		opener_free(r->opening);
		r->opening = NULL;
	}
}

static int outside_repository(struct run *r)
{
	/* the script directory, not the current one, which may well be in a
	 * repository of its own */
	const char *where = r->p->nr_dirs ? r->p->dirs[0].script_location
			    : r->p->base_dir ? r->p->base_dir : ".";

	if (r->req->source != MLINT_CHECK_WORKTREE)
		return mlint_error_setc(MLINT_EUSAGE, "%s needs a git repository, and '%s' is not "
					"in one", source_option(r->req), where);
	r->outside = 1;
	return mlint_notes_add(r->notes, MLINT_NOTE_WARNING, "'%s' is not in a git repository: "
			       "git rules skipped", where);
}

/* Opens the repository now (--staged, --head, CI). */
static int open_now(struct run *r)
{
	int error;

	if (r->g || (error = open_git(r, r->p->repo_root)) == 0)
		return 0;
	if (r->req->source != MLINT_CHECK_WORKTREE || r->req->base || r->req->nr_applied ||
	    error == MLINT_EUSAGE)
		return error;
	/* Unopenable for another reason: lint what is on disk. */
	mlint_git_free(r->g);
	r->g = NULL;
	r->outside = 1;
	return mlint_notes_add(r->notes, MLINT_NOTE_WARNING, "%s: git rules skipped",
			       mlint_error_last());
}

/* With CI=true and a base, the whole policy again, from the base commit. */
static int policy_from_base(struct run *r)
{
	if (!r->ci)
		return 0;
	if (!r->g || !mlint_git_has_base(r->g))
		return mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "CI: no base, so the config "
				       "is read from the checked snapshot");
	return read_policy(r);
}

static int prepare_git(struct run *r)
{
	int error;

	if (r->req->no_git)
		return read_policy(r);
	if (!r->p->repo_root)
		return (error = outside_repository(r)) < 0 ? error : read_policy(r);
	if (r->req->source == MLINT_CHECK_WORKTREE && !r->ci && !r->g) {
		/* the policy is on disk; the repository opens, and the base is
		 * chosen, while the rules load and the files are scanned */
		if ((error = read_policy(r)) < 0 || (error = policy_refs(r)) < 0)
			return error;
		start_opener(r, 1);
		return 0;
	}
	if ((error = open_now(r)) < 0 || (error = read_policy(r)) < 0 ||
	    (error = policy_refs(r)) < 0)
		return error;
	if (!r->g)
		return 0;
	if ((error = pick_base(r->g, r->base, (const char *const *)r->applied, r->nr_applied,
			       r->notes)) < 0)
		return error;
	return policy_from_base(r);
}

/* ---- 3. rules and settings ---- */

/* The rule files of `dir` (repository-relative) in the policy snapshot. */
static int load_snapshot_rules(struct mlint_ruleset *rs, const struct run *r, const char *dir)
{
	struct mlint_path_names names = {0};
	struct mlint_buf text;
	int error = mlint_git_list_path(&names, r->g, policy_side(r), dir);

	if (error == MLINT_ENOTFOUND)
		error = mlint_error_setc(MLINT_EUSAGE, "rules-dir '%s' is not in '%s'", dir,
					 side_name(r, policy_side(r)));
	mlint_buf_init(&text, 1u << 24);
	for (size_t i = 0; error == 0 && i < names.nr; i++) {
		size_t n = strlen(names.items[i]);
		char *rel;
		if (n < 6 || strcmp(names.items[i] + n - 5, ".rule") != 0)
			continue;
		if (!(rel = mlint_path_join(dir, names.items[i])))
			error = MLINT_ERROR;
		mlint_buf_clear(&text);
		if (error == 0 && (error = mlint_git_read_path(&text, r->g, policy_side(r), rel)) == 0)
			error = mlint_ruleset_add_text(rs, rel, text.ptr, text.len);
		free(rel);
	}
	mlint_buf_release(&text);
	for (size_t i = 0; i < names.nr; i++)
		free(names.items[i]);
	free(names.items);
	return error;
}

/* rules-dir from the policy, relative to the repository root. */
static int load_policy_rules(struct mlint_ruleset *rs, const struct run *r)
{
	const char *root = r->p->repo_root ? r->p->repo_root : r->p->base_dir;
	int error = 0;

	for (size_t i = 0; error == 0 && i < r->policy.rules_dirs.nr; i++) {
		const char *dir = r->policy.rules_dirs.ids[i];
		char *abs;
		if (r->g && dir[0] != '/' && (policy_side(r) == MLINT_GIT_SIDE_BASE ||
					      r->req->source != MLINT_CHECK_WORKTREE)) {
			error = load_snapshot_rules(rs, r, dir);
			continue;
		}
		if (!(abs = dir[0] == '/' || !root ? mlint_strdup(dir) : mlint_path_join(root, dir)))
			return MLINT_ERROR;
		error = mlint_ruleset_load_dir(rs, abs);
		free(abs);
	}
	return error;
}

static int load_rules(struct mlint_ruleset *rs, const struct run *r)
{
	int error = mlint_ruleset_load_builtin(rs);

	for (size_t i = 0; error == 0 && i < r->req->nr_rules_dirs; i++)
		error = mlint_ruleset_load_dir(rs, r->req->rules_dirs[i]);
	if (error == 0 && r->req->nr_rules_dirs == 0)
		error = load_policy_rules(rs, r);
	return error;
}

/* One rule id of select, ignore or per-path-ignores: a known one (those of
 * --rules-dir included), or "all". */
static int check_id(const char *id, size_t len, const char *where, const struct mlint_ruleset *rs)
{
	char name[128];
	const char *closest;

	snprintf(name, sizeof(name), "%.*s", (int)(len < 127 ? len : 127), id);
	if (strcmp(name, "all") == 0 || mlint_ruleset_find(rs, name))
		return 0;
	closest = mlint_ruleset_closest(rs, name);
	return mlint_error_setc(MLINT_EUSAGE, "%s: unknown rule '%s'%s%s%s; run 'mlint rules' "
				"for the list", where, name, closest ? " (did you mean '" : "",
				closest ? closest : "", closest ? "'?)" : "");
}

/* Rule ids in select, ignore and per-path-ignores, in a file or an option,
 * must exist: a typo would silently run no rule, or ignore none. */
static int check_ids(const struct mlint_id_list *l, const struct mlint_ruleset *rs)
{
	for (size_t i = 0; l->where && i < l->nr; i++) {
		const char *p = l->ids[i];
		int error;
		/* per-path-ignores keeps "id,id" per glob */
		for (;;) {
			size_t n = strcspn(p, ","), lead = strspn(p, " \t"), len = n - lead;
			while (len && (p[lead + len - 1] == ' ' || p[lead + len - 1] == '\t'))
				len--;
			if (len && (error = check_id(p + lead, len, l->where, rs)) < 0)
				return error;
			if (!p[n])
				break;
			p += n + 1;
		}
	}
	return 0;
}

/* .mlint.ini, then the script directory's alembic.ini, then the options. */
static int dir_config(struct mlint_config *cfg, const struct run *r,
		      const struct mlint_scriptdir_config *d)
{
	const struct mlint_ruleset *rs = &r->res->rules;
	char *display;
	int error;

	if (mlint_config_merge(cfg, &r->res->project_config) < 0)
		return MLINT_ERROR;
	if (d->ini_path) {
		if (!(display = mlint_project_display_path(r->p, d->ini_path)))
			return MLINT_ERROR;
		error = mlint_config_read_ini(cfg, &d->ini, display, r->notes);
		/* no dialect set: the one sqlalchemy.url names */
		if (error == 0)
			error = mlint_config_detect_dialect(cfg, &d->ini, display);
		free(display);
		if (error < 0)
			return error;
	}
	if ((error = check_ids(&cfg->select, rs)) < 0 || (error = check_ids(&cfg->ignore, rs)) < 0 ||
	    (error = check_ids(&cfg->path_rules, rs)) < 0 || (error = check_ids(&cfg->enable, rs)) < 0)
		return error;
	return r->req->overrides ? mlint_config_merge(cfg, r->req->overrides) : 0;
}

/* Whether the checked snapshot's env.py (the working tree's, the index's,
 * REV's: it deploys with the migrations) mentions `word`. */
static int env_mentions(const struct run *r, const struct mlint_scriptdir_config *d,
			const char *word)
{
	struct mlint_buf text;
	char *dir, *rel;
	int found = 0;

	if (!r->g || r->req->source == MLINT_CHECK_WORKTREE)
		return mlint_env_mentions(d->script_location, word);
	if (!(dir = mlint_snapshot_repo_path(r->p, d->script_location)))
		return 0;
	rel = dir[0] ? mlint_path_join(dir, "env.py") : mlint_strdup("env.py");
	mlint_buf_init(&text, 0);
	if (rel && mlint_git_read_path(&text, r->g, MLINT_GIT_SIDE_HEAD, rel) == 0 && text.ptr)
		found = strstr(text.ptr, word) != NULL;
	mlint_buf_release(&text);
	free(rel);
	free(dir);
	return found;
}

static int plan_dirs(struct run *r)
{
	struct mlint_check_result *res = r->res;
	size_t n = r->p->nr_dirs;
	int error = 0;

	res->dirs = calloc(n + 1, sizeof(*res->dirs));
	res->configs = calloc(n + 1, sizeof(*res->configs));
	r->checkers = calloc(n + 1, sizeof(*r->checkers));
	r->visitors = calloc(n + 1, sizeof(*r->visitors));
	if (!res->dirs || !res->configs || !r->checkers || !r->visitors)
		return mlint_error_set("out of memory");
	if (r->project_ini_display &&
	    (error = mlint_config_read_ini(&res->project_config, &r->project_ini,
					   r->project_ini_display, r->notes)) < 0)
		return error;
	for (size_t i = 0; i < n && error == 0; i++) {
		struct mlint_check_opts copts;
		mlint_scriptdir_init(&res->dirs[i]);
		mlint_config_init(&res->configs[i]);
		res->nr_dirs++;
		if ((error = dir_config(&res->configs[i], r, &r->p->dirs[i])) < 0)
			break;
		mlint_config_check_opts(&res->configs[i], &copts);
		/* env.py is read only for the rule that asks (off by default) */
		if (copts.optional_rules & MLINT_OPTIONAL_MISSING_LOCK_TIMEOUT)
			copts.env_sets_lock_timeout = env_mentions(r, &r->p->dirs[i], "lock_timeout");
		if (!(r->checkers[i] = mlint_file_checker_new(&res->rules, &copts)))
			return MLINT_ERROR;
		r->visitors[i] = mlint_file_checker_visitor(r->checkers[i]);
	}
	if (error == 0 && r->req->overrides)
		error = mlint_config_merge(&res->project_config, r->req->overrides);
	return error;
}

/* ---- 4. the files ---- */

static int describe_dir(const struct run *r, const struct mlint_scriptdir_config *d)
{
	char *ini = d->ini_path ? mlint_project_display_path(r->p, d->ini_path) : NULL;
	int error = mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "script directory '%s'%s%s%s",
				    d->display ? d->display : "?", ini ? " (from '" : "",
				    ini ? ini : "", ini ? "')" : "");
	free(ini);
	for (size_t i = 0; error == 0 && i < d->nr_locations; i++) {
		char *loc = mlint_project_display_path(r->p, d->version_locations[i]);
		error = mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "  version location '%s'%s",
					loc ? loc : "?", d->recursive ? " (recursive)" : "");
		free(loc);
	}
	return error;
}

static int list_dir(struct mlint_snapshot *snap, const struct run *r,
		    const struct mlint_scriptdir_config *d)
{
	switch (r->g && !r->req->no_git ? mlint_git_head_kind(r->g) : MLINT_GIT_HEAD_WORKTREE) {
	case MLINT_GIT_HEAD_INDEX:
		return mlint_snapshot_list_index(snap, mlint_git_repository(r->g), r->p, d, r->notes);
	case MLINT_GIT_HEAD_REV:
		return mlint_snapshot_list_tree(snap, mlint_git_repository(r->g),
						mlint_git_head_tree(r->g), r->p, d, r->notes);
	default:
		return mlint_snapshot_list_worktree(snap, r->p, d, r->notes);
	}
}

/* The cache of directory i (docs/cache.md): for the working tree and the
 * index, unless switched off (--no-cache, [mlint] cache = false) or in CI,
 * where a fresh clone has nothing to gain. NULL: none. */
static struct mlint_cache *open_cache(struct run *r, size_t i, int index, unsigned flags)
{
	const struct mlint_config *cfg = &r->res->configs[i];
	struct mlint_file_checker *fc = r->checkers[i];
	struct mlint_cache *c;

	if (r->req->no_cache || r->ci || is_ci() || (cfg->has_cache && !cfg->cache) ||
	    r->req->source == MLINT_CHECK_COMMIT || !fc)
		return NULL;
	c = mlint_cache_open(r->p, &r->p->dirs[i], index ? MLINT_CACHE_INDEX : MLINT_CACHE_WORKTREE,
			     flags, mlint_cache_rules_fingerprint(&r->res->rules,
								  mlint_file_checker_opts(fc)),
			     r->notes);
	mlint_cache_set_checker(c, fc, &r->res->rules);
	return c;
}

/* Loads with the cache the caller opened (sd->cache, or none), and saves
 * it when the load went through. */
static int load_cached(struct run *r, size_t i, struct mlint_snapshot *snap, unsigned flags)
{
	const struct mlint_scriptdir_config *d = &r->p->dirs[i];
	struct mlint_scriptdir *sd = &r->res->dirs[i];
	int error;

	error = snap ? mlint_scriptdir_load_snapshot(sd, d, snap, flags, r->notes)
		     : mlint_scriptdir_load(sd, r->p, d, flags, r->notes);
	if (error == 0) {
		mlint_cache_save(sd->cache, sd, r->notes);
		sd->diff_hint = mlint_cache_diff_hint(sd->cache, sd);
	}
	mlint_cache_free(sd->cache);
	sd->cache = NULL;
	return error;
}

static int load_dir(struct run *r, size_t i, unsigned flags)
{
	const struct mlint_scriptdir_config *d = &r->p->dirs[i];
	struct mlint_scriptdir *sd = &r->res->dirs[i];
	struct mlint_snapshot snap;
	int error, index;

	sd->visitor = r->visitors[i];
	if ((error = describe_dir(r, d)) < 0)
		return error;
	index = r->g && !r->opening && !r->req->no_git &&
		mlint_git_head_kind(r->g) == MLINT_GIT_HEAD_INDEX;
	sd->cache = open_cache(r, i, index, flags);
	if (r->opening || !r->g) {
		error = load_cached(r, i, NULL, flags);
		goto done;
	}
	mlint_snapshot_init(&snap);
	/* blobs the cache knows are read only if asked for; an index load has
	 * no opener thread, so those reads are then libgit2's only user */
	if (index && sd->cache) {
		snap.known = mlint_cache_knows_blob;
		snap.known_ctx = sd->cache;
	}
	if ((error = list_dir(&snap, r, d)) == 0)
		error = load_cached(r, i, &snap, flags);
	mlint_snapshot_release(&snap);
done:
	mlint_cache_free(sd->cache); /* load_cached's, unless the listing failed */
	sd->cache = NULL;
	return error;
}

static int may_open_later(const struct run *r)
{
	return !r->req->no_git && !r->outside && r->p->repo_root &&
	       r->req->source == MLINT_CHECK_WORKTREE;
}

static int load_files(struct run *r)
{
	/* No kept sources: the per-file rules run while each file is read, and
	 * the few later readers (excerpts, git comparisons) read it again. */
	const unsigned flags = MLINT_LOAD_DROP_CALLS;
	int error = 0;

	/* the working tree: the repository opens (or reads ahead) meanwhile */
	if (may_open_later(r) && !r->opening && !start_opener(r, !r->g) && !r->g &&
	    ((error = open_now(r)) < 0 ||
	     (r->g && (error = pick_base(r->g, r->base, (const char *const *)r->applied,
					 r->nr_applied, r->notes)) < 0)))
		return error; /* no thread: the same work, now */
	for (size_t i = 0; i < r->p->nr_dirs && error == 0; i++)
		error = load_dir(r, i, flags);
	if (error < 0) {
		drop_opener(r); /* the scan's error is the one to report */
		return error;
	}
	return finish_opener(r);
}

/* ---- 5. the rules ---- */

static int keep_enabled(void *ctx, const struct mlint_finding *x)
{
	return mlint_config_keeps(ctx, x->rule, x->path);
}

static int git_ready(const struct run *r)
{
	return r->g && !r->req->no_git;
}

/* Keeps what the comparison with the base found for the next run (the
 * git rules filled sd->diff_hint), and says when the cache spared it most
 * files. */
static int save_hint(struct run *r, const struct mlint_scriptdir *sd)
{
	const struct mlint_diff_hint *h = sd->diff_hint;

	mlint_diff_hint_save(sd->diff_hint);
	if (!h || !h->nr_hinted)
		return 0;
	return mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "cache: compared %zu path(s) with "
			       "the base, the ones that may have changed since it was written "
			       "(of %zu script(s))", h->nr_compared, sd->nr_scripts);
}

/*
 * Every rule over one script directory (the per-file rules ran while it
 * was loaded), then suppressions, select/ignore, and last new-only (so a
 * finding is kept or dropped the same way whichever rule made it).
 */
static int check_dir(struct run *r, size_t i, struct mlint_findings *out)
{
	struct mlint_check_result *res = r->res;
	const struct mlint_scriptdir *sd = &res->dirs[i];
	const struct mlint_config *cfg = &res->configs[i];

	if (mlint_check_scan(sd, out) < 0 || mlint_check_graph(sd, out) < 0 ||
	    mlint_file_checker_take(r->checkers[i], out) < 0 ||
	    mlint_check_enum_types(sd, out) < 0 ||
	    mlint_check_config(r->p, sd, out) < 0 || mlint_check_imports(r->p, sd, out) < 0 ||
	    mlint_check_naming(sd, out) < 0 ||
	    (git_ready(r) && mlint_check_git(r->g, r->p, sd, &res->change, out) < 0) ||
	    mlint_check_change_tables(sd, &res->change, mlint_file_checker_opts(r->checkers[i]),
				      out) < 0 ||
	    mlint_suppress_apply(out, sd, &res->rules, cfg, &res->summary.suppressed) < 0 ||
	    /* after the suppressions: a suppressed missing-downgrade is a
	     * migration that said so, not a project without downgrades */
	    mlint_check_policy(sd, out) < 0 ||
	    /* a file read again must have held the scanned bytes */
	    mlint_scriptdir_sources_ok(sd) < 0)
		return MLINT_ERROR;
	mlint_findings_filter(out, keep_enabled, (void *)cfg);
	return save_hint(r, sd);
}

/* The baseline hides what it holds (before --new-only, so that entries for
 * files outside the change still count as matched). */
static void apply_baseline(struct run *r, struct mlint_findings *f)
{
	if (!r->has_baseline)
		return;
	mlint_findings_sort(f);
	r->res->baseline_hidden += mlint_baseline_apply(&r->baseline, f);
}

/* Said once when a file needed Python's compiler and libpython was not
 * there: those files were not judged, which must not look like a pass. */
static int note_no_python(struct run *r)
{
	const char *why = mlint_pycompile_unavailable();

	if (!why)
		return 0;
	return mlint_notes_add(r->notes, MLINT_NOTE_WARNING, "Python's compiler is not "
			       "available (%s): files that look like they hold a syntax error "
			       "were not compiled; invalid-source reports only what mlint's "
			       "tokenizer sees", why);
}

/* Findings about the whole change (model-without-migration), under the
 * project's settings. */
static int check_project(struct run *r)
{
	struct mlint_check_result *res = r->res;
	struct mlint_findings f;
	int error = 0;

	if (!git_ready(r) || !mlint_git_has_base(r->g))
		return 0;
	mlint_findings_init(&f);
	error = mlint_check_git_models(r->g, r->p, &res->change, &f);
	if (error == 0) {
		mlint_findings_filter(&f, keep_enabled, &res->project_config);
		apply_baseline(r, &f);
		res->fail |= mlint_findings_fail(&f, res->project_config.fail_on);
		error = mlint_findings_move(&res->findings, &f);
	}
	mlint_findings_release(&f);
	return error;
}

static int report_baseline(struct run *r)
{
	struct mlint_check_result *res = r->res;

	if (!(res->has_baseline = r->has_baseline))
		return 0;
	res->baseline_unused = mlint_baseline_unused(&r->baseline);
	if (mlint_notes_add(r->notes, MLINT_NOTE_VERBOSE, "baseline: %zu finding(s) hidden by "
			    "'%s'", res->baseline_hidden, MLINT_BASELINE_FILE) < 0)
		return MLINT_ERROR;
	if (res->baseline_unused == 0)
		return 0;
	return mlint_notes_add(r->notes, MLINT_NOTE_WARNING, "%zu entr%s of '%s' no longer "
			       "match%s a finding: fixed, or changed; run 'mlint baseline' to "
			       "refresh it", res->baseline_unused,
			       res->baseline_unused == 1 ? "y" : "ies", MLINT_BASELINE_FILE,
			       res->baseline_unused == 1 ? "es" : "");
}

static int run_rules(struct run *r)
{
	struct mlint_check_result *res = r->res;
	int error = 0;

	for (size_t i = 0; i < res->nr_dirs && error == 0; i++) {
		struct mlint_findings dir;
		res->summary.files += res->dirs[i].nr_scripts;
		res->summary.migrations += res->dirs[i].nr_migrations;
		mlint_findings_init(&dir);
		error = check_dir(r, i, &dir);
		if (error == 0)
			error = mlint_findings_set_section(&dir, 0, r->p->dirs[i].section);
		apply_baseline(r, &dir);
		if (res->configs[i].new_only)
			mlint_check_new_only(&res->change, &dir);
		res->fail |= mlint_findings_fail(&dir, res->configs[i].fail_on);
		if (error == 0)
			error = mlint_findings_move(&res->findings, &dir);
		mlint_findings_release(&dir);
	}
	if (error == 0)
		error = check_project(r);
	if (error == 0)
		error = report_baseline(r);
	if (error == 0)
		error = note_no_python(r);
	mlint_findings_sort(&res->findings);
	mlint_findings_count(&res->findings, &res->summary);
	return error;
}

/* What the result says about the base. */
static int describe_base(struct run *r)
{
	struct mlint_check_result *res = r->res;

	res->base_source = r->req->no_git ? "--no-git" : r->req->base ? "--base"
			   : r->base ? "config" : "default";
	if (r->g && !r->req->no_git && mlint_git_has_base(r->g)) {
		const char *row = mlint_git_base_row(r->g);
		if (!(res->base = mlint_strdup(mlint_git_base_name(r->g))) ||
		    (row && !(res->base_row = mlint_strdup(row))))
			return MLINT_ERROR;
	}
	if (r->nr_applied && !(res->applied = calloc(r->nr_applied, sizeof(char *))))
		return MLINT_ERROR;
	for (size_t i = 0; i < r->nr_applied; i++) {
		if (!(res->applied[i] = mlint_strdup(r->applied[i])))
			return MLINT_ERROR;
		res->nr_applied++;
	}
	return 0;
}

/* --select and --ignore name rules that exist. */
static int check_options(const struct run *r)
{
	const struct mlint_config *o = r->req->overrides;
	int error;

	if (!o)
		return 0;
	if ((error = check_ids(&o->select, &r->res->rules)) < 0 ||
	    (error = check_ids(&o->ignore, &r->res->rules)) < 0)
		return error;
	return check_ids(&o->path_rules, &r->res->rules);
}

static void run_release(struct run *r)
{
	drop_opener(r);
	for (size_t i = 0; r->checkers && i < r->p->nr_dirs; i++)
		mlint_file_checker_free(r->checkers[i]);
	free(r->checkers);
	free(r->visitors);
	/* the result outlives the repository: staged blobs not read by now
	 * cannot be read later */
	for (size_t i = 0; r->res && r->res->dirs && r->p && i < r->p->nr_dirs; i++)
		mlint_scriptdir_forget_repository(&r->res->dirs[i]);
	mlint_git_free(r->g);
	mlint_ini_release(&r->project_ini);
	free(r->project_ini_display);
	mlint_config_release(&r->policy);
	mlint_config_release(&r->refs);
	mlint_baseline_release(&r->baseline);
}

static int validate(const struct mlint_check_request *req)
{
	if (req->no_git && (req->source != MLINT_CHECK_WORKTREE || req->base || req->nr_applied ||
			    (req->overrides && req->overrides->new_only_where &&
			     req->overrides->new_only_where[0] == '-')))
		return mlint_error_setc(MLINT_EUSAGE, "--no-git cannot be combined with --base, "
					"--applied, --staged, --head or --new-only");
	if (req->source == MLINT_CHECK_COMMIT && !req->head)
		return mlint_error_setc(MLINT_EUSAGE, "a commit check needs a revision");
	return 0;
}

int mlint_check_run(struct mlint_check_result *out, const struct mlint_check_request *req)
{
	struct run r;
	int error;

	memset(&r, 0, sizeof(r));
	r.req = req;
	r.res = out;
	r.p = &out->project;
	r.notes = &out->notes;
	r.ci = is_ci();
	mlint_ini_init(&r.project_ini);
	mlint_config_init(&r.policy);
	mlint_config_init(&r.refs);
	mlint_baseline_init(&r.baseline);
	if ((error = validate(req)) < 0 || (error = discover(&r)) < 0 ||
	    (error = prepare_git(&r)) < 0 || (error = load_rules(&out->rules, &r)) < 0 ||
	    (error = check_options(&r)) < 0 || (error = plan_dirs(&r)) < 0)
		goto done;
	if (req->plan_only) {
		error = finish_opener(&r);
		goto done;
	}
	if ((error = load_files(&r)) < 0 || (error = run_rules(&r)) < 0)
		goto done;
done:
	if (error == 0 || out->base == NULL)
		if (describe_base(&r) < 0 && error == 0)
			error = MLINT_ERROR;
	/* the notes of the project's discovery and listing come first */
	if (r.p->notes.nr) {
		struct mlint_notes all = r.p->notes;
		memset(&r.p->notes, 0, sizeof(r.p->notes));
		for (size_t i = 0; i < out->notes.nr; i++)
			if (mlint_notes_add(&all, out->notes.items[i].level, "%s",
					    out->notes.items[i].text) < 0 && error == 0)
				error = MLINT_ERROR;
		mlint_notes_release(&out->notes);
		out->notes = all;
	}
	run_release(&r);
	return error;
}

/* ---- --show-config ---- */

static const char *base_source_text(const struct mlint_check_result *r)
{
	if (strcmp(r->base_source, "--no-git") == 0)
		return "--no-git";
	if (strcmp(r->base_source, "default") != 0)
		return r->base_source[0] == '-' ? "--base" : "[mlint] base";
	return r->base ? "default (the base table: docs/base.md)" : "no base: git rules skipped";
}

int mlint_check_show_config(struct mlint_buf *out, const struct mlint_check_result *r)
{
	if (mlint_buf_puts(out, "# git\n") < 0 ||
	    mlint_buf_printf(out, "%-16s = %-32s ; %s\n", "base", r->base ? r->base : "(none)",
			     base_source_text(r)) < 0 ||
	    (r->base_row && mlint_buf_printf(out, "%-16s = %s\n", "# row", r->base_row) < 0))
		return MLINT_ERROR;
	for (size_t i = 0; i < r->nr_applied; i++)
		if (mlint_buf_printf(out, "%-16s = %-32s ; --applied\n", "applied",
				     r->applied[i]) < 0)
			return MLINT_ERROR;
	for (size_t i = 0; i < r->nr_dirs; i++) {
		const struct mlint_scriptdir_config *d = &r->project.dirs[i];
		if (mlint_buf_printf(out, "\n[mlint]  # script directory %s\n",
				     d->display ? d->display : ".") < 0 ||
		    mlint_config_show(out, &r->configs[i]) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- mlint rules ---- */

int mlint_check_rules(struct mlint_ruleset *out, const struct mlint_check_request *req)
{
	struct mlint_check_result res;
	struct mlint_check_request plan = *req;
	int error;

	plan.plan_only = 1;
	/* git is needed only where the policy comes from the base */
	plan.no_git = plan.no_git || !is_ci();
	if (plan.no_git) {
		plan.source = MLINT_CHECK_WORKTREE;
		plan.base = NULL;
		plan.nr_applied = 0;
	}
	mlint_check_result_init(&res);
	error = mlint_check_run(&res, &plan);
	if (error == 0) {
		*out = res.rules;
		mlint_ruleset_init(&res.rules);
	} else if (res.project.nr_dirs == 0) {
		/* no project here: the rules check would run anywhere */
		error = mlint_ruleset_load_builtin(out);
		for (size_t i = 0; error == 0 && i < req->nr_rules_dirs; i++)
			error = mlint_ruleset_load_dir(out, req->rules_dirs[i]);
	}
	mlint_check_result_release(&res);
	return error;
}
