#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/check_run.h"
#include "mlint/report.h"
#include "check_git.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum {
	OPT_FORMAT = 1, OPT_FAIL_ON, OPT_NO_EXCERPT, OPT_RULES_DIR,
	OPT_SELECT, OPT_IGNORE, OPT_DOWNGRADE, OPT_SHOW_CONFIG, OPT_QUIET, OPT_NO_BASELINE,
	OPT_SUMMARY, OPT_COLOR, OPT_NO_CACHE,
};

static const struct cli_opt check_opts[] = {
	{OPT_FORMAT, 'f', "format", "FORMAT", "text (default), json, sarif, github, markdown, "
						  "gitlab or junit"},
	{OPT_FAIL_ON, 0, "fail-on", "SEVERITY", "exit 1 at findings of this severity or above: "
						"error (default), warning, info"},
	{OPT_SELECT, 0, "select", "IDS", "only these rules (comma-separated ids)"},
	{OPT_IGNORE, 0, "ignore", "IDS", "never these rules (comma-separated ids)"},
	{OPT_DOWNGRADE, 0, "downgrade", "POLICY", "what missing-downgrade asks for: require "
						  "(default), allow-raise, off"},
	{OPT_RULES_DIR, 0, "rules-dir", "DIR", "add the pattern rules of DIR/*.rule (repeatable)"},
	CLI_VERBOSE_OPT(CLI_VERBOSE_HELP),
	CLI_CONFIG_OPT,
	CLI_NAME_OPT,
	{OPT_NO_EXCERPT, 0, "no-excerpt", NULL, "text: do not show the source line under a finding"},
	{OPT_COLOR, 0, "color", "WHEN", CLI_COLOR_HELP},
	{OPT_SHOW_CONFIG, 0, "show-config", NULL, "print the effective settings and where each "
						  "came from, then exit"},
	{OPT_QUIET, 'q', "quiet", NULL, "text: print nothing when there is no finding (hooks)"},
	{OPT_NO_BASELINE, 0, "no-baseline", NULL, "report the findings .mlint-baseline accepts "
						  "too (see mlint baseline)"},
	{OPT_SUMMARY, 0, "summary", NULL, "text: counts by rule and severity and the five "
					  "noisiest files, instead of each finding"},
	{OPT_NO_CACHE, 0, "no-cache", NULL, "read every file: no cache under .git/mlint "
					    "(see docs/cache.md)"},
	CLI_GIT_OPTS,
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec check_spec = {
	"check", "[PATH...] [options]",
	"Lint the migrations of each script directory: the revision graph (multiple\n"
	"heads, duplicate ids, missing parents, cycles), whether each file can be\n"
	"read, and what the upgrades and downgrades do (data loss, missing or\n"
	"incomplete downgrades, risky DDL), with the built-in rules, the pattern\n"
	"rules of rules/ and those of --rules-dir. Nothing is imported or executed.",
	"PATH is the project root (holding alembic.ini or migrations/alembic.ini),\n"
	"the directory of an alembic.ini, or one or more versions directories.\n"
	"Default: the current directory.\n\n"
	"output:\n"
	"  text  path:line:col: severity[rule-id]: message, then the line and a caret;\n"
	"        colour on a terminal only, never with NO_COLOR set (and not empty)\n"
	"        or TERM=dumb; --color=always|never decides instead\n"
	"  json  {\"version\": 1, \"findings\": [{\"rule\", \"severity\", \"path\", \"line\",\n"
	"        \"column\", \"message\", \"revision\", \"section\"}], \"summary\": {...}}\n"
	"        (section: the alembic.ini section, as alembic -n; see docs/discovery.md)\n"
	"  sarif SARIF 2.1.0, for GitHub code scanning (upload-sarif)\n"
	"  github workflow commands: ::error file=...,line=...,col=...,title=...::message\n"
	"  markdown  a job summary or PR comment: verdict, table of findings, and a\n"
	"        Mermaid graph with the heads and the change's new migrations\n"
	"  gitlab  GitLab Code Quality JSON (artifacts:reports:codequality)\n"
	"  junit   JUnit XML: a failed test case per finding, a passed one per rule\n"
	"        that ran and found nothing\n\n"
	"config: select, ignore, fail-on, downgrade, new-only, exclude (globs) and\n"
	"per-path-ignores (glob:rule,rule; glob:rule) in an [mlint] section of the\n"
	"alembic.ini, or of .mlint.ini at the repository root; options override them;\n"
	"--show-config prints what is in force and where it came from.\n"
	"suppress: # mlint: ignore[RULE-ID, ...] -- reason   (on the line)\n"
	"          # mlint: ignore-file[RULE-ID, ...]       (anywhere in the file)\n\n"
	"git: in a git repository the head (working tree, --staged index, or --head\n"
	"commit) is compared with the base: edited-applied, cosmetic-edit,\n"
	"deleted-applied, stale-base, model-without-migration. The base, for every\n"
	"mode (relative to REV with --head): --base REF; a merge in progress: both\n"
	"parents; a CI pull request: origin/$GITHUB_BASE_REF (GitLab:\n"
	"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME); a CI push to the base branch: the commit\n"
	"before the push ($GITHUB_EVENT_BEFORE, $CI_COMMIT_BEFORE_SHA), else the first\n"
	"parent; a feature branch: the first of origin/HEAD, origin/main, origin/master,\n"
	"main, master; the base branch itself: its upstream, else HEAD. --verbose names\n"
	"the row used (docs/base.md). The config, .mlint.ini and rules-dir are read\n"
	"from what is checked (the index with --staged, REV with --head); with CI=true\n"
	"from the base. Outside git the git rules are skipped with a notice.\n\n"
	"exit status: 0 nothing at or above --fail-on; 1 findings; 2 usage or I/O error\n\n"
	"examples:\n"
	"  mlint check\n"
	"  mlint check migrations/ --format json\n"
	"  mlint rules multiple-heads      # what a rule means and how to fix it\n",
	check_opts,
};

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_GITHUB, FORMAT_MARKDOWN,
	FORMAT_GITLAB, FORMAT_JUNIT };

struct check_args {
	enum format format;
	int no_excerpt, show_config, quiet, no_baseline, summary, no_cache;
	enum cli_color color;
	const char **rules_dirs;
	size_t nr_rules_dirs;
	struct mlint_config cli; /* --select, --ignore, --fail-on, --downgrade */
	struct cli_project_opts project;
	struct cli_git git;      /* --base, --applied, --staged, --head, --new-only, --no-git */
};

static int set_format(struct check_args *a, const char *value)
{
	static const char *const names[] = {"text", "json", "sarif", "github", "markdown",
					     "gitlab", "junit"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i]) == 0) {
			a->format = (enum format)i;
			return 0;
		}
	return cli_error("unknown format '%s' for check: use text, json, sarif, github, "
			 "markdown, gitlab or junit", value);
}

static int check_option(void *ctx, int id, const char *value)
{
	static const char *const keys[] = {
		[OPT_FAIL_ON] = "fail-on", [OPT_SELECT] = "select", [OPT_IGNORE] = "ignore",
		[OPT_DOWNGRADE] = "downgrade",
	};
	struct check_args *a = ctx;
	char where[32];
	if (cli_project_option(&a->project, id, value) == 0)
		return 0;
	switch (id) {
	case OPT_FORMAT:
		return set_format(a, value);
	case OPT_FAIL_ON: case OPT_SELECT: case OPT_IGNORE: case OPT_DOWNGRADE:
		snprintf(where, sizeof(where), "--%s", keys[id]);
		return mlint_config_set(&a->cli, keys[id], value, where) < 0 ? cli_library_error() : 0;
	case OPT_NO_EXCERPT:
		a->no_excerpt = 1;
		return 0;
	case OPT_COLOR:
		return cli_parse_color(&a->color, value);
	case OPT_SHOW_CONFIG:
		a->show_config = 1;
		return 0;
	case OPT_QUIET:
		a->quiet = 1;
		return 0;
	case OPT_NO_BASELINE:
		a->no_baseline = 1;
		return 0;
	case OPT_NO_CACHE:
		a->no_cache = 1;
		return 0;
	case OPT_SUMMARY:
		a->summary = 1;
		return 0;
	case CLI_GIT_OPT_NEW_ONLY:
		if (mlint_config_set(&a->cli, "new-only", "true", "--new-only") < 0)
			return cli_library_error();
		break;
	case OPT_RULES_DIR:
		a->rules_dirs[a->nr_rules_dirs++] = value;
		return 0;
	}
	return cli_git_option(&a->git, id, value);
}

static int is_changed(const void *ctx, const char *path)
{
	return mlint_path_list_has(ctx, path);
}

static int render_markdown(struct mlint_buf *out, const struct mlint_check_result *res)
{
	struct mlint_graph_marks marks = {is_changed, &res->change.paths};
	struct mlint_markdown_opts mopts = {res->fail, res->base, &marks};
	return mlint_report_markdown(out, &res->findings, &res->summary, res->dirs, res->nr_dirs,
				     &mopts);
}

/* JUnit: the rules that ran (the project's select and ignore, and the
 * options') pass when they found nothing. */
static int render_junit(struct mlint_buf *out, const struct mlint_check_result *res)
{
	const struct mlint_ruleset *rs = &res->rules;
	const char **ran = calloc(rs->nr + 1, sizeof(*ran));
	size_t nr = 0;
	int error;

	if (!ran)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < rs->nr; i++)
		if (mlint_config_enabled(&res->project_config, rs->entries[i].rule->id))
			ran[nr++] = rs->entries[i].rule->id;
	error = mlint_report_junit_rules(out, &res->findings, &res->summary, ran, nr);
	free(ran);
	return error;
}

/* A long text report goes out as it is made; a failed write is said once
 * (by cli_write_stdout) and ends the report. */
static int flush_to_stdout(void *ctx, struct mlint_buf *out)
{
	int *failed = ctx;
	if ((*failed = cli_write_stdout(out->ptr, out->len) != 0))
		return MLINT_ERROR;
	mlint_buf_clear(out);
	return 0;
}

static int render(struct mlint_buf *out, const struct check_args *a,
		  const struct mlint_check_result *res, int *write_failed)
{
	const struct mlint_findings *f = &res->findings;
	const struct mlint_summary *s = &res->summary;
	struct mlint_report_opts ropts;

	memset(&ropts, 0, sizeof(ropts));
	ropts.color = a->format == FORMAT_TEXT && cli_use_color(a->color);
	ropts.excerpt = !a->no_excerpt;
	ropts.flush = flush_to_stdout;
	ropts.flush_ctx = write_failed;
	switch (a->format) {
	case FORMAT_JSON: return mlint_report_json(out, f, s);
	case FORMAT_SARIF: return mlint_report_sarif(out, f, &res->rules, MLINT_VERSION);
	case FORMAT_GITHUB: return mlint_report_github(out, f, s);
	case FORMAT_MARKDOWN: return render_markdown(out, res);
	case FORMAT_GITLAB: return mlint_report_gitlab(out, f);
	case FORMAT_JUNIT: return render_junit(out, res);
	default:
		/* --quiet (the hook): nothing at all when all is well */
		if (a->quiet && f->nr == 0)
			return 0;
		if (a->summary)
			return mlint_check_summary(out, res);
		return mlint_report_text(out, f, s, &ropts);
	}
}

/* Runs the check and prints its notes (warnings; the rest with --verbose). */
static int run(struct mlint_check_result *res, struct check_args *a, char **paths,
	       size_t nr_paths)
{
	struct mlint_check_request req;
	int code, error;

	memset(&req, 0, sizeof(req));
	if ((code = cli_git_request(&req, &a->git)) != 0)
		return code;
	req.paths = (const char *const *)paths;
	req.nr_paths = nr_paths;
	req.config = a->project.config;
	req.name = a->project.name;
	req.rules_dirs = a->rules_dirs;
	req.nr_rules_dirs = a->nr_rules_dirs;
	req.plan_only = a->show_config;
	req.no_baseline = a->no_baseline;
	req.no_cache = a->no_cache;
	req.overrides = &a->cli;
	error = mlint_check_run(res, &req);
	cli_print_notes(&res->notes, a->project.verbose);
	return error < 0 ? cli_library_error() : 0;
}

int cmd_check(int argc, char **argv)
{
	struct check_args args;
	struct mlint_check_result res;
	struct mlint_buf out;
	char **paths = NULL;
	size_t nr_paths = 0;
	int code, write_failed = 0;

	memset(&args, 0, sizeof(args));
	mlint_config_init(&args.cli);
	mlint_buf_init(&out, 0);
	mlint_check_result_init(&res);
	if (!(args.rules_dirs = calloc((size_t)argc + 1, sizeof(*args.rules_dirs)))) {
		code = cli_error("out of memory");
		goto done;
	}
	if ((code = cli_parse(&check_spec, argc, argv, check_option, &args, &paths, &nr_paths)) != 0) {
		code = code == CLI_HELP ? MLINT_EXIT_OK : code;
		goto done;
	}
	if ((code = run(&res, &args, paths, nr_paths)) != 0)
		goto done;
	if ((args.show_config ? mlint_check_show_config(&out, &res)
			      : render(&out, &args, &res, &write_failed)) < 0) {
		code = write_failed ? MLINT_EXIT_USAGE : cli_library_error();
		goto done;
	}
	if ((code = cli_write_stdout(out.ptr, out.len)) == 0 && !args.show_config)
		code = res.fail ? MLINT_EXIT_FINDINGS : MLINT_EXIT_OK;
done:
	cli_check_result_finish(&res);
	cli_git_release(&args.git);
	mlint_config_release(&args.cli);
	mlint_buf_release(&out);
	free(args.rules_dirs);
	free(paths);
	return code;
}
