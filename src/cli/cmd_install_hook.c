#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlint/hook.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum { OPT_FORCE = 1, OPT_UNINSTALL, OPT_PRINT };

static const struct cli_opt hook_opts[] = {
	{OPT_FORCE, 0, "force", NULL, "replace a pre-commit hook that mlint did not write"},
	{OPT_UNINSTALL, 0, "uninstall", NULL, "remove the hook (only one that mlint wrote)"},
	{OPT_PRINT, 0, "print-path", NULL, "print where the hook goes, change nothing"},
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec hook_spec = {
	"install-hook", "[options]",
	"Write a git pre-commit hook that runs `mlint check --staged --new-only`:\n"
	"every commit is linted as it will be committed (the staged content, not\n"
	"the files on disk), and only migrations the commit adds or changes get\n"
	"the content rules. Honours core.hooksPath. Never overwrites a hook mlint\n"
	"did not write unless --force. With the pre-commit framework, use the\n"
	"hooks in .pre-commit-hooks.yaml instead.",
	"examples:\n"
	"  mlint install-hook\n"
	"  mlint install-hook --uninstall\n",
	hook_opts,
};

struct hook_args {
	int force, uninstall, print;
};

static int hook_option(void *ctx, int id, const char *value)
{
	struct hook_args *a = ctx;
	(void)value;
	if (id == OPT_FORCE)
		a->force = 1;
	else if (id == OPT_UNINSTALL)
		a->uninstall = 1;
	else if (id == OPT_PRINT)
		a->print = 1;
	return 0;
}

/* The running binary, so the hook runs this mlint even when not on PATH. */
static char *self_path(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		return strdup(buf);
	}
	return strdup(argv0);
}

int cmd_install_hook(int argc, char **argv)
{
	struct hook_args args = {0, 0, 0};
	char **pos = NULL, *path = NULL, *exe = NULL;
	size_t nr = 0;
	int code;

	if ((code = cli_parse(&hook_spec, argc, argv, hook_option, &args, &pos, &nr)) != 0)
		return code == CLI_HELP ? MLINT_EXIT_OK : code;
	if (nr > 0) {
		code = cli_error("install-hook takes no path; run it inside the repository");
		goto done;
	}
	if (mlint_hook_path(&path, ".") < 0) {
		code = cli_library_error();
		goto done;
	}
	if (args.print) {
		printf("%s\n", path);
		goto done;
	}
	if (args.uninstall) {
		int error = mlint_hook_uninstall(path);
		if (error == MLINT_HOOK_ABSENT) /* nothing to do is success */
			fprintf(stderr, "mlint: no pre-commit hook at '%s': nothing to remove\n", path);
		else if (error < 0)
			code = cli_library_error();
		else
			fprintf(stderr, "mlint: removed '%s'\n", path);
		goto done;
	}
	if (!(exe = self_path(argv[0])) || mlint_hook_install(path, exe, args.force) < 0) {
		code = cli_library_error();
		goto done;
	}
	fprintf(stderr, "mlint: wrote '%s': commits now run 'mlint check --staged --new-only'\n",
		path);
done:
	free(exe);
	free(path);
	free(pos);
	return code;
}
