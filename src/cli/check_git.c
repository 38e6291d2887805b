#include <stdlib.h>
#include "mlint/check_run.h"
#include "check_git.h"
#include "cmd.h"
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

int cli_git_request(struct mlint_check_request *req, const struct cli_git *a)
{
	if (a->no_git && (a->staged || a->head || a->base || a->nr_applied || a->new_only))
		return cli_error("--no-git cannot be combined with --base, --applied, --staged, "
				 "--head or --new-only");
	if (a->staged && a->head)
		return cli_error("--staged and --head cannot be combined: pick one");
	req->source = a->head ? MLINT_CHECK_COMMIT : a->staged ? MLINT_CHECK_INDEX
							     : MLINT_CHECK_WORKTREE;
	req->head = a->head;
	req->base = a->base;
	req->applied = a->applied;
	req->nr_applied = a->nr_applied;
	req->no_git = a->no_git;
	return 0;
}

void cli_git_release(struct cli_git *a)
{
	free(a->applied);
	a->applied = NULL;
}
