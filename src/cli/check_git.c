#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/snapshot.h"
#include "mlint/config.h"
#include "check_git.h"
#include "error.h"

int cli_git_option(struct cli_git *a, int id, const char *value)
{
	const char **grown;

	switch (id) {
	case CLI_GIT_OPT_BASE:
		a->base = value;
		return 0;
	case CLI_GIT_OPT_APPLIED:
		if (!(grown = realloc(a->applied, (a->nr_applied + 1) * sizeof(*grown))))
			return cli_error("out of memory");
		a->applied = grown;
		a->applied[a->nr_applied++] = value;
		return 0;
	case CLI_GIT_OPT_STAGED:
		a->staged = 1;
		return 0;
	case CLI_GIT_OPT_HEAD:
		a->head = value;
		return 0;
	case CLI_GIT_OPT_NEW_ONLY:
		a->new_only = 1;
		return 0;
	case CLI_GIT_OPT_NO_GIT:
		a->no_git = 1;
		return 0;
	}
	return MLINT_EXIT_USAGE;
}

static void drop_opening(struct cli_git *a);

void cli_git_release(struct cli_git *a)
{
	drop_opening(a);
	mlint_git_free(a->g);
	free(a->applied);
	free(a->config_base);
	for (size_t i = 0; i < a->nr_config_applied; i++)
		free(a->config_applied[i]);
	free(a->config_applied);
	a->g = NULL;
	a->applied = NULL;
	a->config_base = NULL;
	a->config_applied = NULL;
	a->nr_config_applied = 0;
}

static enum mlint_git_head head_kind(const struct cli_git *a)
{
	return a->head ? MLINT_GIT_HEAD_REV : a->staged ? MLINT_GIT_HEAD_INDEX
							 : MLINT_GIT_HEAD_WORKTREE;
}

static int open_git(struct cli_git *a, const char *path)
{
	int error = mlint_git_open(&a->g, path);
	if (error < 0)
		return error;
	return mlint_git_set_head(a->g, head_kind(a), a->head);
}

/* With --head: a bare repository has no files, its tree is discovered. */
static int git_discover(void *ctx, struct mlint_project *out, char **paths, size_t nr,
			const struct mlint_discover_opts *opts)
{
	struct cli_git *a = ctx;
	int error;

	if (a->head && (error = open_git(a, nr ? paths[0] : ".")) < 0 && error != MLINT_ENOTFOUND)
		return error;
	if (a->g && mlint_git_is_bare(a->g))
		return mlint_git_discover_tree(out, a->g);
	return mlint_discover(out, (const char *const *)paths, nr, opts);
}

static int is_ci(void)
{
	const char *ci = getenv("CI");
	return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
}

/* The base and the --applied refs, chosen in g. */
static int pick_base(struct mlint_git *g, const struct cli_git *a, struct mlint_notes *notes)
{
	int error = mlint_git_choose_base(g, a->base, notes);

	if (error == MLINT_ENOTFOUND)
		error = 0; /* no base: a note says the git rules are skipped */
	for (size_t i = 0; i < a->nr_applied && error == 0; i++)
		error = mlint_git_add_applied(g, a->applied[i], notes);
	return error;
}

static int choose_base(struct cli_git *a, struct mlint_project *p)
{
	int error = pick_base(a->g, a, &p->notes);

	if (error == 0 && is_ci() && mlint_git_has_base(a->g))
		error = mlint_git_use_base_config(a->g, p, &p->notes);
	else if (error == 0 && is_ci())
		error = mlint_notes_add(&p->notes, MLINT_NOTE_VERBOSE, "CI: no base, so the config "
					"is read from the working tree");
	return error;
}

/* Takes the config's applied refs (the options gave none). */
static int use_config_applied(struct cli_git *a, const struct mlint_id_list *l)
{
	const char **refs = calloc(l->nr + 1, sizeof(*refs));

	if (!refs || !(a->config_applied = calloc(l->nr + 1, sizeof(*a->config_applied)))) {
		free(refs);
		return mlint_error_set("out of memory");
	}
	for (size_t i = 0; i < l->nr; i++) {
		if (!(a->config_applied[i] = strdup(l->ids[i]))) {
			free(refs);
			return mlint_error_set("out of memory");
		}
		a->nr_config_applied++;
		refs[i] = a->config_applied[i];
	}
	free(a->applied);
	a->applied = refs;
	a->nr_applied = l->nr;
	return 0;
}

/*
 * `base` and `applied` from .mlint.ini and the [mlint] section of the
 * alembic.ini files read, for what no option set. The config is read again,
 * with its warnings, when the rules run.
 */
static int config_defaults(struct cli_git *a, struct mlint_project *p)
{
	struct mlint_config cfg;
	struct mlint_notes quiet = {0};
	int error;

	if (a->base && a->nr_applied)
		return 0;
	mlint_config_init(&cfg);
	error = mlint_config_read_project(&cfg, p, &quiet);
	for (size_t i = 0; error == 0 && i < p->nr_dirs; i++)
		if (p->dirs[i].ini_path)
			error = mlint_config_read_ini(&cfg, &p->dirs[i].ini, p->dirs[i].ini_path, &quiet);
	if (error == 0 && !a->base && cfg.base.nr > 0) {
		if (!(a->config_base = strdup(cfg.base.ids[0])))
			error = mlint_error_set("out of memory");
		a->base = a->config_base;
		if (error == 0)
			error = mlint_notes_add(&p->notes, MLINT_NOTE_VERBOSE, "base '%s' from %s",
						a->base, cfg.base.where);
	}
	if (error == 0 && !a->nr_applied && cfg.applied.nr > 0)
		error = use_config_applied(a, &cfg.applied);
	mlint_config_release(&cfg);
	mlint_notes_release(&quiet);
	return error;
}

/* The repository paths of the project's version locations, those outside
 * the repository left out (there is nothing of theirs to read ahead). */
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

/* ---- opening the repository while the working tree is scanned ----------- */

/*
 * With a working-tree head the scan needs nothing from git, and libgit2's
 * start-up alone (it parses the system's CA certificates) costs a sixth of
 * scanning 10,000 files. So the repository is opened, the base chosen and
 * the comparison's inputs read (mlint_git_prefetch) on a thread of its own
 * while the files are scanned; its notes and errors are taken afterwards.
 * Not with CI=true: the config then comes from the base, before the rules.
 */
struct git_opening {
	pthread_t thread;
	const struct cli_git *a; /* only base and applied are read */
	char *root;
	char **locations;        /* repository paths of the version locations */
	size_t nr_locations;
	struct mlint_git *g;
	struct mlint_notes notes;
	int opened;              /* the repository opened (a later step failed) */
	int error;
	char message[1024];
};

static void *open_in_background(void *arg)
{
	struct git_opening *o = arg;
	int error = mlint_git_open(&o->g, o->root);

	if (error == 0 && (error = mlint_git_set_head(o->g, MLINT_GIT_HEAD_WORKTREE, NULL)) == 0) {
		o->opened = 1;
		error = pick_base(o->g, o->a, &o->notes);
	}
	if (error == 0)
		mlint_git_read_ahead(o->g, o->locations, o->nr_locations);
	o->error = error;
	if (error < 0)
		snprintf(o->message, sizeof(o->message), "%s", mlint_error_last());
	return NULL;
}

static void opening_free(struct git_opening *o)
{
	free_locations(o->locations, o->nr_locations);
	free(o->root);
	mlint_git_free(o->g);
	mlint_notes_release(&o->notes);
	free(o);
}

/* 1 when the opening runs in the background, 0 when it could not start
 * (then the caller opens the repository itself). */
static int start_opening(struct cli_git *a, const struct mlint_project *p)
{
	struct git_opening *o = calloc(1, sizeof(*o));

	if (!o || !(o->root = strdup(p->repo_root)) ||
	    !(o->locations = repo_locations(p, &o->nr_locations)))
		goto fail;
	o->a = a;
	if (pthread_create(&o->thread, NULL, open_in_background, o) != 0)
		goto fail;
	a->opening = o;
	return 1;
fail:
	if (o)
		opening_free(o);
	return 0;
}

/* Waits for the opening; its notes go to `notes`. An unopenable repository
 * is a warning (lint what is on disk) unless a base or applied ref was asked
 * for; any other failure is the error it was. */
static int finish_opening(struct cli_git *a, struct mlint_notes *notes)
{
	struct git_opening *o = a->opening;
	int error = 0;

	if (!o)
		return 0;
	pthread_join(o->thread, NULL);
	a->opening = NULL;
	for (size_t i = 0; i < o->notes.nr && error == 0; i++) {
		const struct mlint_note *n = &o->notes.items[i];
		error = mlint_notes_add(notes, n->level, "%s", n->text);
	}
	if (error == 0 && o->error == 0) {
		a->g = o->g;
		o->g = NULL;
	} else if (error == 0 && !o->opened && !a->base && !a->nr_applied &&
		   o->error != MLINT_EUSAGE) {
		a->outside = 1;
		error = mlint_notes_add(notes, MLINT_NOTE_WARNING, "%s: git rules skipped",
					o->message);
	} else if (error == 0) {
		error = mlint_error_setc(o->error, "%s", o->message);
	}
	opening_free(o);
	return error;
}

static void drop_opening(struct cli_git *a)
{
	if (a->opening) {
		pthread_join(a->opening->thread, NULL);
		opening_free(a->opening);
		a->opening = NULL;
	}
}

static int git_prepare(void *ctx, struct mlint_project *p)
{
	struct cli_git *a = ctx;
	int error;

	if (!p->repo_root) {
		/* the script directory, not the current one, which may well be
		 * in a repository of its own */
		const char *where = p->nr_dirs ? p->dirs[0].script_location
				    : p->base_dir ? p->base_dir : ".";
		if (a->staged || a->head)
			return mlint_error_setc(MLINT_EUSAGE, "--%s needs a git repository, and '%s' "
						"is not in one", a->staged ? "staged" : "head", where);
		a->outside = 1;
		return mlint_notes_add(&p->notes, MLINT_NOTE_WARNING, "'%s' is not in a git "
				       "repository: git rules skipped", where);
	}
	if (!a->g && head_kind(a) == MLINT_GIT_HEAD_WORKTREE && !is_ci()) {
		if ((error = config_defaults(a, p)) < 0)
			return error;
		if (start_opening(a, p))
			return 0;
	}
	if (!a->g && (error = open_git(a, p->repo_root)) < 0) {
		/* MLINT_EUSAGE: a repository mlint cannot read (SHA-256) */
		if (a->staged || a->head || a->base || a->nr_applied || error == MLINT_EUSAGE)
			return error;
		/* Unopenable (another owner, say): lint what is on disk. */
		mlint_git_free(a->g);
		a->g = NULL;
		a->outside = 1;
		return mlint_notes_add(&p->notes, MLINT_NOTE_WARNING, "%s: git rules skipped",
				       mlint_error_last());
	}
	if ((error = config_defaults(a, p)) < 0)
		return error;
	return choose_base(a, p);
}

static int git_list(void *ctx, struct mlint_snapshot *out, const struct mlint_project *p,
		    const struct mlint_scriptdir_config *d, struct mlint_notes *notes)
{
	struct cli_git *a = ctx;

	switch (a->g ? mlint_git_head_kind(a->g) : MLINT_GIT_HEAD_WORKTREE) {
	case MLINT_GIT_HEAD_INDEX:
		return mlint_snapshot_list_index(out, mlint_git_repository(a->g), p, d, notes);
	case MLINT_GIT_HEAD_REV:
		return mlint_snapshot_list_tree(out, mlint_git_repository(a->g),
						mlint_git_head_tree(a->g), p, d, notes);
	default:
		return mlint_snapshot_list_worktree(out, p, d, notes);
	}
}

int cli_git_load_project(struct cli_loaded *out, struct cli_git *a, char **paths,
			 size_t nr_paths, const struct cli_project_opts *opts)
{
	struct cli_source src = {git_discover, git_prepare, git_list, a};

	a->verbose = opts->verbose;
	if (a->no_git) {
		if (a->staged || a->head || a->base || a->nr_applied || a->new_only)
			return cli_error("--no-git cannot be combined with --base, --applied, "
					 "--staged, --head or --new-only");
		return cli_load_project(out, paths, nr_paths, opts, NULL);
	}
	if (a->staged && a->head)
		return cli_error("--staged and --head cannot be combined: pick one");
	return cli_load_project(out, paths, nr_paths, opts, &src);
}

/* While the working tree is listed and scanned, libgit2 reads the index and
 * the applied trees the comparison will need (on a second thread). */
static void start_prefetch(struct cli_git *a, const struct mlint_project *p)
{
	char **paths;
	size_t nr;

	if (!a->g || a->no_git || mlint_git_head_kind(a->g) != MLINT_GIT_HEAD_WORKTREE ||
	    !(paths = repo_locations(p, &nr)))
		return; /* out of memory: only the read-ahead is lost */
	mlint_git_prefetch(a->g, paths, nr);
	free_locations(paths, nr);
}

int cli_git_load_dirs(struct cli_loaded *out, struct cli_git *a,
		      const struct cli_project_opts *opts, unsigned load_flags,
		      const struct mlint_scan_visitor *const *visitors)
{
	struct cli_source src = {git_discover, git_prepare, git_list, a};
	struct mlint_notes notes = {0};
	int code;

	start_prefetch(a, &out->project);
	code = cli_load_dirs(out, opts, load_flags, a->no_git ? NULL : &src, visitors);
	mlint_git_prefetch_wait(a->g);
	if (finish_opening(a, &notes) < 0 && code == 0)
		code = cli_library_error();
	cli_print_notes(&notes, opts->verbose);
	mlint_notes_release(&notes);
	return code;
}

int cli_git_check_dir(struct cli_git *a, const struct cli_loaded *l, size_t i,
		      struct mlint_findings *f)
{
	if (!a->g || a->no_git)
		return 0;
	return mlint_check_git(a->g, &l->project, &l->dirs[i], f);
}

int cli_git_check_project(struct cli_git *a, const struct cli_loaded *l,
			  struct mlint_findings *f)
{
	if (!a->g || a->no_git || !mlint_git_has_base(a->g))
		return 0;
	return mlint_check_git_models(a->g, &l->project, f);
}

void cli_git_new_only(struct cli_git *a, struct mlint_findings *f)
{
	if (a->g && !a->no_git && a->new_only && mlint_git_has_base(a->g))
		mlint_check_new_only(a->g, f);
}
