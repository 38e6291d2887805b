#include <stdlib.h>
#include <string.h>
#include "mlint/check.h"
#include "mlint/report.h"
#include "check_git.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum { OPT_FORMAT = 1, OPT_VERBOSE, OPT_CONFIG, OPT_FAIL_ON, OPT_NO_EXCERPT };

static const struct cli_opt check_opts[] = {
	{OPT_FORMAT, 'f', "format", "FORMAT", "text (default) or json"},
	{OPT_FAIL_ON, 0, "fail-on", "SEVERITY", "exit 1 at findings of this severity or above: "
						"error (default), warning, info"},
	{OPT_VERBOSE, 'v', "verbose", NULL, "say what was read and what was skipped, and why"},
	{OPT_CONFIG, 'c', "config", "FILE", "the alembic.ini to read (default: found from PATH)"},
	{OPT_NO_EXCERPT, 0, "no-excerpt", NULL, "text: do not show the source line under a finding"},
	CLI_GIT_OPTS,
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec check_spec = {
	"check", "[PATH...] [options]",
	"Lint the migrations of each script directory: the revision graph (multiple\n"
	"heads, duplicate ids, missing parents, cycles) and whether each file can be\n"
	"read at all. Nothing is imported or executed.",
	"PATH is the project root (holding alembic.ini or migrations/alembic.ini),\n"
	"the directory of an alembic.ini, or one or more versions directories.\n"
	"Default: the current directory.\n\n"
	"output:\n"
	"  text  path:line:col: severity[rule-id]: message, then the line and a caret;\n"
	"        colour on a terminal only, never with NO_COLOR set\n"
	"  json  {\"version\": 1, \"findings\": [{\"rule\", \"severity\", \"path\", \"line\",\n"
	"        \"column\", \"message\", \"revision\"}], \"summary\": {...}}\n\n"
	"git: in a git repository the head (working tree, --staged index, or --head\n"
	"commit) is compared with the base: edited-applied, cosmetic-edit,\n"
	"deleted-applied, stale-base, model-without-migration. Default base:\n"
	"origin/$GITHUB_BASE_REF when set, else the first of origin/HEAD, origin/main,\n"
	"origin/master, main, master that exists; on that branch itself, HEAD is the\n"
	"base. With CI=true the [mlint] config is read from the base. Outside git the\n"
	"git rules are skipped with a notice.\n\n"
	"exit status: 0 nothing at or above --fail-on; 1 findings; 2 usage or I/O error\n\n"
	"examples:\n"
	"  mlint check\n"
	"  mlint check migrations/ --format json\n"
	"  mlint check --staged --new-only        # in a pre-commit hook\n"
	"  mlint check --base origin/main --applied 'refs/tags/release-*'\n"
	"  mlint rules multiple-heads      # what a rule means and how to fix it\n",
	check_opts,
};

struct check_args {
	int json, no_excerpt;
	enum mlint_severity fail_on;
	struct cli_project_opts project;
	struct cli_git git;
};

static int check_option(void *ctx, int id, const char *value)
{
	struct check_args *a = ctx;
	switch (id) {
	case OPT_FORMAT:
		if (strcmp(value, "json") == 0)
			a->json = 1;
		else if (strcmp(value, "text") != 0)
			return cli_error("unknown format '%s' for check: use text or json", value);
		return 0;
	case OPT_FAIL_ON:
		if (mlint_severity_parse(&a->fail_on, value) < 0)
			return cli_error("unknown severity '%s' for --fail-on: use error, warning "
					 "or info", value);
		return 0;
	case OPT_VERBOSE:
		a->project.verbose = 1;
		return 0;
	case OPT_CONFIG:
		a->project.config = value;
		return 0;
	case OPT_NO_EXCERPT:
		a->no_excerpt = 1;
		return 0;
	}
	return cli_git_option(&a->git, id, value);
}

static int run_checks(const struct cli_loaded *loaded, struct cli_git *git,
		      struct mlint_findings *findings, struct mlint_summary *summary)
{
	memset(summary, 0, sizeof(*summary));
	for (size_t i = 0; i < loaded->nr_dirs; i++) {
		const struct mlint_scriptdir *sd = &loaded->dirs[i];
		summary->files += sd->nr_scripts;
		summary->migrations += sd->nr_migrations;
		if (mlint_check_scan(sd, findings) < 0 || mlint_check_graph(sd, findings) < 0 ||
		    mlint_check_naming(sd, findings) < 0)
			return MLINT_ERROR;
	}
	if (cli_git_check(git, loaded, findings) < 0)
		return MLINT_ERROR;
	mlint_findings_sort(findings);
	mlint_findings_count(findings, summary);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct check_args args = {0};
	struct cli_loaded loaded;
	struct mlint_findings findings;
	struct mlint_summary summary;
	struct mlint_report_opts ropts;
	struct mlint_buf out;
	char **paths = NULL;
	size_t nr_paths = 0;
	int code;

	args.fail_on = MLINT_SEV_ERROR;
	if ((code = cli_parse(&check_spec, argc, argv, check_option, &args, &paths, &nr_paths)) != 0)
		return code == CLI_HELP ? MLINT_EXIT_OK : code;
	mlint_buf_init(&out, 0);
	mlint_findings_init(&findings);
	if ((code = cli_git_load(&loaded, &args.git, paths, nr_paths, &args.project,
				 MLINT_LOAD_KEEP_SOURCE)) != 0)
		goto done;
	if (run_checks(&loaded, &args.git, &findings, &summary) < 0) {
		code = cli_library_error();
		goto done;
	}
	ropts.color = !args.json && cli_use_color();
	ropts.excerpt = !args.no_excerpt;
	if ((args.json ? mlint_report_json(&out, &findings, &summary)
		       : mlint_report_text(&out, &findings, &summary, &ropts)) < 0) {
		code = cli_library_error();
		goto done;
	}
	if ((code = cli_write_stdout(out.ptr, out.len)) == 0)
		code = mlint_findings_fail(&findings, args.fail_on) ? MLINT_EXIT_FINDINGS
								    : MLINT_EXIT_OK;
done:
	cli_loaded_release(&loaded);
	cli_git_release(&args.git);
	mlint_findings_release(&findings);
	mlint_buf_release(&out);
	free(paths);
	return code;
}
