/*
 * check_git.h: the git options of `mlint check` (--base, --applied,
 * --staged, --head, --new-only, --no-git) and the glue that loads the head
 * from git and runs the git rules.
 */
#ifndef MLINT_CLI_CHECK_GIT_H
#define MLINT_CLI_CHECK_GIT_H

#include "mlint/finding.h"
#include "mlint/git.h"
#include "cmd.h"

enum {
	CLI_GIT_OPT_BASE = 100,
	CLI_GIT_OPT_APPLIED,
	CLI_GIT_OPT_STAGED,
	CLI_GIT_OPT_HEAD,
	CLI_GIT_OPT_NEW_ONLY,
	CLI_GIT_OPT_NO_GIT,
};

#define CLI_GIT_OPTS \
	{CLI_GIT_OPT_BASE, 0, "base", "REF", "compare with REF: the applied set is the tree of " \
					     "the merge base of REF and the head (default: see below)"}, \
	{CLI_GIT_OPT_APPLIED, 0, "applied", "REF", "also count REF's migrations as applied; " \
						   "repeatable; globs: refs/tags/release-*"}, \
	{CLI_GIT_OPT_STAGED, 0, "staged", NULL, "lint the index (what a pre-commit hook checks), " \
						"not the working tree"}, \
	{CLI_GIT_OPT_HEAD, 0, "head", "REV", "lint commit REV's tree (no checkout; bare " \
					     "repositories too)"}, \
	{CLI_GIT_OPT_NEW_ONLY, 0, "new-only", NULL, "content rules only on migrations added or " \
						    "changed relative to the base"}, \
	{CLI_GIT_OPT_NO_GIT, 0, "no-git", NULL, "skip the git rules (and libgit2)"}

struct cli_git {
	const char *base, *head;
	const char **applied;
	size_t nr_applied;
	int staged, new_only, no_git, verbose;
	int outside;         /* not in a git repository: git rules skipped */
	struct mlint_git *g; /* opened when a git feature is used */
	struct git_opening *opening; /* g being opened in the background */
	/* base and applied from the [mlint] config when no option gave them
	 * (owned; base/applied above then point at them). */
	char *config_base;
	char **config_applied;
	size_t nr_config_applied;
};

/* Handles one of the options above; returns 0 or an exit code. */
int cli_git_option(struct cli_git *a, int id, const char *value);

/* cli_load_project and cli_load_dirs with the head taken from where the
 * options say. */
int cli_git_load_project(struct cli_loaded *out, struct cli_git *a, char **paths,
			 size_t nr_paths, const struct cli_project_opts *opts);
int cli_git_load_dirs(struct cli_loaded *out, struct cli_git *a,
		      const struct cli_project_opts *opts, unsigned load_flags,
		      const struct mlint_scan_visitor *const *visitors);

/* The git rules for script directory i (needs a base). */
int cli_git_check_dir(struct cli_git *a, const struct cli_loaded *l, size_t i,
		      struct mlint_findings *f);

/* model-without-migration, once for the whole change. */
int cli_git_check_project(struct cli_git *a, const struct cli_loaded *l,
			  struct mlint_findings *f);

/* With --new-only and a base: drops content findings in files the change
 * did not add or edit. */
void cli_git_new_only(struct cli_git *a, struct mlint_findings *f);

void cli_git_release(struct cli_git *a);

#endif
