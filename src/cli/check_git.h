/*
 * check_git.h: the git options of `mlint check` (--base, --applied,
 * --staged, --head, --new-only, --no-git), turned into a check request.
 */
#ifndef MLINT_CLI_CHECK_GIT_H
#define MLINT_CLI_CHECK_GIT_H

#include <stddef.h>

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
	int staged, new_only, no_git;
};

/* Handles one of the options above; returns 0 or an exit code. */
int cli_git_option(struct cli_git *a, int id, const char *value);

/* Fills the request's git part; returns 0 or an exit code (a usage error
 * printed). */
struct mlint_check_request;
int cli_git_request(struct mlint_check_request *req, const struct cli_git *a);

void cli_git_release(struct cli_git *a);

#endif
