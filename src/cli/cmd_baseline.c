#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/baseline.h"
#include "mlint/check_run.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

static const struct cli_opt baseline_opts[] = {
	CLI_VERBOSE_OPT(CLI_VERBOSE_HELP),
	CLI_CONFIG_OPT,
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec baseline_spec = {
	"baseline", "[PATH...] [options]",
	"Write .mlint-baseline at the repository root: every finding `mlint check`\n"
	"reports now (the working tree, against its base), so that from then on\n"
	"check reports only new ones. Review and commit the file.",
	"The file holds one finding a line: its fingerprint (the SARIF\n"
	"partialFingerprints \"mlint/v1\" hash: it survives line moves and file\n"
	"renames), then the rule, path and line as a comment. check reads it from\n"
	"the snapshot it checks (with CI=true from the base), hides what it holds,\n"
	"and warns about entries that no longer match; `check --no-baseline` shows\n"
	"everything.\n\n"
	"examples:\n"
	"  mlint baseline && git add .mlint-baseline\n",
	baseline_opts,
};

static int baseline_option(void *ctx, int id, const char *value)
{
	return cli_project_option(ctx, id, value) == 0 ? 0 : MLINT_EXIT_USAGE;
}

static int write_file(const char *path, const struct mlint_buf *text)
{
	FILE *f = fopen(path, "w");
	int ok = f && fwrite(text->ptr, 1, text->len, f) == text->len;

	if (f && fclose(f) != 0)
		ok = 0;
	return ok ? 0 : cli_error("cannot write '%s': %s", path, strerror(errno));
}

int cmd_baseline(int argc, char **argv)
{
	struct cli_project_opts opts = {0};
	struct mlint_check_request req;
	struct mlint_check_result res;
	struct mlint_config everything;
	struct mlint_buf text;
	char **paths = NULL, *path = NULL;
	size_t nr_paths = 0;
	int code;

	memset(&req, 0, sizeof(req));
	mlint_check_result_init(&res);
	mlint_config_init(&everything);
	mlint_buf_init(&text, 0);
	if ((code = cli_parse(&baseline_spec, argc, argv, baseline_option, &opts, &paths,
			      &nr_paths)) != 0) {
		code = code == CLI_HELP ? MLINT_EXIT_OK : code;
		goto done;
	}
	/* every finding: the old baseline and new-only set aside */
	req.paths = (const char *const *)paths;
	req.nr_paths = nr_paths;
	req.config = opts.config;
	req.no_baseline = 1;
	req.overrides = &everything;
	if (mlint_config_set(&everything, "new-only", "false", "mlint baseline") < 0 ||
	    mlint_check_run(&res, &req) < 0) {
		cli_print_notes(&res.notes, opts.verbose);
		code = cli_library_error();
		goto done;
	}
	cli_print_notes(&res.notes, opts.verbose);
	{
		const char *root = res.project.repo_root ? res.project.repo_root
							 : res.project.base_dir;
		size_t n = strlen(root) + sizeof(MLINT_BASELINE_FILE) + 1;
		if (mlint_baseline_write(&text, &res.findings) < 0 || !(path = malloc(n))) {
			code = cli_library_error();
			goto done;
		}
		snprintf(path, n, "%s/%s", root, MLINT_BASELINE_FILE);
	}
	if ((code = write_file(path, &text)) == 0)
		fprintf(stderr, "mlint: wrote '%s': %zu finding%s\n", path, res.findings.nr,
			res.findings.nr == 1 ? "" : "s");
done:
	free(path);
	free(paths);
	mlint_buf_release(&text);
	mlint_config_release(&everything);
	mlint_check_result_release(&res);
	return code;
}
