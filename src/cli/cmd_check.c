#include <stdlib.h>
#include <string.h>
#include "mlint/check.h"
#include "mlint/report.h"
#include "mlint/ruleset.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum { OPT_FORMAT = 1, OPT_VERBOSE, OPT_CONFIG, OPT_FAIL_ON, OPT_NO_EXCERPT, OPT_RULES_DIR };

static const struct cli_opt check_opts[] = {
	{OPT_FORMAT, 'f', "format", "FORMAT", "text (default) or json"},
	{OPT_FAIL_ON, 0, "fail-on", "SEVERITY", "exit 1 at findings of this severity or above: "
						"error (default), warning, info"},
	{OPT_VERBOSE, 'v', "verbose", NULL, "say what was read and what was skipped, and why"},
	{OPT_CONFIG, 'c', "config", "FILE", "the alembic.ini to read (default: found from PATH)"},
	{OPT_NO_EXCERPT, 0, "no-excerpt", NULL, "text: do not show the source line under a finding"},
	{OPT_RULES_DIR, 0, "rules-dir", "DIR", "add the pattern rules of DIR/*.rule (repeatable)"},
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
	"exit status: 0 nothing at or above --fail-on; 1 findings; 2 usage or I/O error\n\n"
	"examples:\n"
	"  mlint check\n"
	"  mlint check migrations/ --format json\n"
	"  mlint rules multiple-heads      # what a rule means and how to fix it\n",
	check_opts,
};

struct check_args {
	int json, no_excerpt;
	const char **rules_dirs;
	size_t nr_rules_dirs;
	enum mlint_severity fail_on;
	struct cli_project_opts project;
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
	case OPT_RULES_DIR:
		a->rules_dirs[a->nr_rules_dirs++] = value;
		return 0;
	}
	return MLINT_EXIT_USAGE;
}

static int run_checks(const struct cli_loaded *loaded, const struct mlint_ruleset *rs,
		      struct mlint_findings *findings, struct mlint_summary *summary)
{
	memset(summary, 0, sizeof(*summary));
	for (size_t i = 0; i < loaded->nr_dirs; i++) {
		const struct mlint_scriptdir *sd = &loaded->dirs[i];
		summary->files += sd->nr_scripts;
		summary->migrations += sd->nr_migrations;
		struct mlint_check_opts copts = {MLINT_DOWNGRADE_REQUIRE};
		if (mlint_check_scan(sd, findings) < 0 || mlint_check_graph(sd, findings) < 0 ||
		    mlint_check_content(sd, &copts, findings) < 0 ||
		    mlint_check_config(&loaded->project, sd, findings) < 0 ||
		    mlint_ruleset_check(rs, sd, findings) < 0)
			return MLINT_ERROR;
	}
	mlint_findings_sort(findings);
	mlint_findings_count(findings, summary);
	return 0;
}

static int load_rules(struct mlint_ruleset *rs, const struct check_args *a)
{
	if (mlint_ruleset_load_builtin(rs) < 0)
		return cli_library_error();
	for (size_t i = 0; i < a->nr_rules_dirs; i++)
		if (mlint_ruleset_load_dir(rs, a->rules_dirs[i]) < 0)
			return cli_library_error();
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
	struct mlint_ruleset rs;
	char **paths = NULL;
	size_t nr_paths = 0;
	int code;

	args.fail_on = MLINT_SEV_ERROR;
	memset(&loaded, 0, sizeof(loaded));
	mlint_buf_init(&out, 0);
	mlint_findings_init(&findings);
	mlint_ruleset_init(&rs);
	if (!(args.rules_dirs = calloc((size_t)argc + 1, sizeof(*args.rules_dirs)))) {
		code = cli_error("out of memory");
		goto done;
	}
	if ((code = cli_parse(&check_spec, argc, argv, check_option, &args, &paths, &nr_paths)) != 0) {
		code = code == CLI_HELP ? MLINT_EXIT_OK : code;
		goto done;
	}
	if ((code = load_rules(&rs, &args)) != 0)
		goto done;
	if ((code = cli_load(&loaded, paths, nr_paths, &args.project, MLINT_LOAD_KEEP_SOURCE)) != 0)
		goto done;
	if (run_checks(&loaded, &rs, &findings, &summary) < 0) {
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
	mlint_findings_release(&findings);
	mlint_ruleset_release(&rs);
	mlint_buf_release(&out);
	free(args.rules_dirs);
	free(paths);
	return code;
}
