#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/check.h"
#include "mlint/pycompile.h"
#include "mlint/config.h"
#include "mlint/suppress.h"
#include "mlint/report.h"
#include "mlint/ruleset.h"
#include "check_git.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum {
	OPT_FORMAT = 1, OPT_FAIL_ON, OPT_NO_EXCERPT, OPT_RULES_DIR,
	OPT_SELECT, OPT_IGNORE, OPT_DOWNGRADE, OPT_SHOW_CONFIG,
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
	{OPT_NO_EXCERPT, 0, "no-excerpt", NULL, "text: do not show the source line under a finding"},
	{OPT_SHOW_CONFIG, 0, "show-config", NULL, "print the effective settings and where each "
						  "came from, then exit"},
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
	"        colour on a terminal only, never with NO_COLOR set\n"
	"  json  {\"version\": 1, \"findings\": [{\"rule\", \"severity\", \"path\", \"line\",\n"
	"        \"column\", \"message\", \"revision\"}], \"summary\": {...}}\n"
	"  sarif SARIF 2.1.0, for GitHub code scanning (upload-sarif)\n"
	"  github workflow commands: ::error file=...,line=...,col=...,title=...::message\n"
	"  markdown  a job summary or PR comment: verdict, table of findings, and a\n"
	"        Mermaid graph with the heads and the change's new migrations\n"
	"  gitlab  GitLab Code Quality JSON (artifacts:reports:codequality)\n"
	"  junit   JUnit XML: a test case per rule and file, a failure per finding\n\n"
	"config: select, ignore, fail-on, downgrade, new-only, exclude (globs) and\n"
	"per-path-ignores (glob:rule,rule; glob:rule) in an [mlint] section of the\n"
	"alembic.ini, or of .mlint.ini at the repository root; options override them;\n"
	"--show-config prints what is in force and where it came from.\n"
	"suppress: # mlint: ignore[RULE-ID, ...] -- reason   (on the line)\n"
	"          # mlint: ignore-file[RULE-ID, ...]       (anywhere in the file)\n\n"
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
	"  mlint rules multiple-heads      # what a rule means and how to fix it\n",
	check_opts,
};

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_GITHUB, FORMAT_MARKDOWN,
	FORMAT_GITLAB, FORMAT_JUNIT };

struct check_args {
	enum format format;
	int no_excerpt, show_config;
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
	case OPT_SHOW_CONFIG:
		a->show_config = 1;
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

/* Rule ids in --select/--ignore must exist (an error); in a config file a
 * warning. */
static int check_ids(const struct mlint_id_list *l, const struct mlint_ruleset *rs,
		     struct mlint_notes *notes)
{
	for (size_t i = 0; l->where && i < l->nr; i++) {
		if (strcmp(l->ids[i], "all") == 0 || mlint_ruleset_find(rs, l->ids[i]))
			continue;
		if (l->where[0] == '-')
			return cli_error("unknown rule '%s' in %s; run 'mlint rules' for the list",
					 l->ids[i], l->where);
		if (mlint_notes_add(notes, MLINT_NOTE_WARNING, "%s: unknown rule '%s'; run 'mlint "
				    "rules' for the list", l->where, l->ids[i]) < 0)
			return cli_library_error();
	}
	return 0;
}

/* .mlint.ini, then the script directory's alembic.ini, then the options. */
static int dir_config(struct mlint_config *cfg, const struct mlint_config *file_cfg,
		      const struct check_args *a, const struct cli_loaded *loaded,
		      const struct mlint_scriptdir_config *d, const struct mlint_ruleset *rs,
		      struct mlint_notes *notes)
{
	char *display = NULL;
	int code = 0;

	if (mlint_config_merge(cfg, file_cfg) < 0)
		return cli_library_error();
	if (d->ini_path) {
		if (!(display = mlint_project_display_path(&loaded->project, d->ini_path)))
			return cli_library_error();
		if (mlint_config_read_ini(cfg, &d->ini, display, notes) < 0)
			code = cli_library_error();
	}
	if (code == 0 && ((code = check_ids(&cfg->select, rs, notes)) != 0 ||
			  (code = check_ids(&cfg->ignore, rs, notes)) != 0 ||
			  (code = check_ids(&cfg->enable, rs, notes)) != 0)) {
		free(display);
		return code;
	}
	if (code == 0 && mlint_config_merge(cfg, &a->cli) < 0)
		code = cli_library_error();
	/* no dialect set: the one sqlalchemy.url names */
	if (code == 0 && display && mlint_config_detect_dialect(cfg, &d->ini, display) < 0)
		code = cli_library_error();
	free(display);
	return code;
}

static int keep_enabled(void *ctx, const struct mlint_finding *x)
{
	return mlint_config_keeps(ctx, x->rule, x->path);
}

/* --new-only, or new-only = true in the config. */
static void apply_new_only(struct cli_git *git, const struct mlint_config *cfg,
			   struct mlint_findings *out)
{
	int saved = git->new_only;
	git->new_only |= cfg->new_only;
	cli_git_new_only(git, out);
	git->new_only = saved;
}

/*
 * Every rule over one script directory (the per-file rules ran while it
 * was loaded: `files` holds their findings), then suppressions, --select
 * and --ignore, and last --new-only (so a finding is kept or dropped the
 * same way whichever rule made it).
 */
static int check_dir(const struct cli_loaded *loaded, size_t i, const struct mlint_ruleset *rs,
		     struct mlint_file_checker *files, const struct mlint_config *cfg,
		     struct cli_git *git, struct mlint_findings *out, size_t *suppressed)
{
	const struct mlint_scriptdir *sd = &loaded->dirs[i];
	if (mlint_check_scan(sd, out) < 0 || mlint_check_graph(sd, out) < 0 ||
	    mlint_file_checker_take(files, out) < 0 ||
	    mlint_check_config(&loaded->project, sd, out) < 0 ||
	    mlint_check_imports(&loaded->project, sd, out) < 0 ||
	    mlint_check_naming(sd, out) < 0 || mlint_check_policy(sd, out) < 0 ||
	    cli_git_check_dir(git, loaded, i, out) < 0 ||
	    mlint_suppress_apply(out, sd, rs, cfg, suppressed) < 0)
		return MLINT_ERROR;
	mlint_findings_filter(out, keep_enabled, (void *)cfg);
	apply_new_only(git, cfg, out);
	return 0;
}

/* Findings about the whole change (model-without-migration), under the
 * project's config (.mlint.ini and the options). */
static int check_project(const struct cli_loaded *loaded, const struct mlint_config *file_cfg,
			 struct check_args *a, struct mlint_findings *out, int *fail)
{
	struct mlint_findings f;
	struct mlint_config cfg;
	int error;

	mlint_findings_init(&f);
	mlint_config_init(&cfg);
	error = mlint_config_merge(&cfg, file_cfg) < 0 || mlint_config_merge(&cfg, &a->cli) < 0 ||
		cli_git_check_project(&a->git, loaded, &f) < 0 ? MLINT_ERROR : 0;
	if (error == 0) {
		mlint_findings_filter(&f, keep_enabled, &cfg);
		*fail |= mlint_findings_fail(&f, cfg.fail_on);
		error = mlint_findings_move(out, &f);
	}
	mlint_findings_release(&f);
	mlint_config_release(&cfg);
	return error;
}

/*
 * What check runs, decided before the files are read: the project's config
 * (.mlint.ini), each script directory's config (its alembic.ini and the
 * options), and each directory's per-file rules as a scan visitor. Config
 * warnings wait in `notes` and are printed with the findings' run.
 */
struct check_plan {
	struct mlint_config file_cfg;
	struct mlint_config *cfgs;               /* per script directory */
	struct mlint_file_checker **checkers;    /* per script directory */
	const struct mlint_scan_visitor **visitors;
	size_t nr;
	struct mlint_notes notes;
};

static void plan_release(struct check_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		mlint_config_release(&plan->cfgs[i]);
		mlint_file_checker_free(plan->checkers[i]);
	}
	free(plan->cfgs);
	free(plan->checkers);
	free(plan->visitors);
	mlint_config_release(&plan->file_cfg);
	mlint_notes_release(&plan->notes);
	memset(plan, 0, sizeof(*plan));
}

static int plan_dirs(struct check_plan *plan, const struct cli_loaded *loaded,
		     const struct mlint_ruleset *rs, const struct check_args *a)
{
	size_t n = loaded->nr_dirs;

	mlint_config_init(&plan->file_cfg);
	plan->cfgs = calloc(n + 1, sizeof(*plan->cfgs));
	plan->checkers = calloc(n + 1, sizeof(*plan->checkers));
	plan->visitors = calloc(n + 1, sizeof(*plan->visitors));
	if (!plan->cfgs || !plan->checkers || !plan->visitors)
		return cli_error("out of memory");
	if (mlint_config_read_project(&plan->file_cfg, &loaded->project, &plan->notes) < 0)
		return cli_library_error();
	for (size_t i = 0; i < n; i++) {
		struct mlint_check_opts copts;
		const struct mlint_scriptdir_config *d = &loaded->project.dirs[i];
		int code;
		mlint_config_init(&plan->cfgs[i]);
		plan->nr++;
		if ((code = dir_config(&plan->cfgs[i], &plan->file_cfg, a, loaded,
				       &loaded->project.dirs[i], rs, &plan->notes)) != 0)
			return code;
		mlint_config_check_opts(&plan->cfgs[i], &copts);
		copts.env_sets_lock_timeout = mlint_env_mentions(d->script_location, "lock_timeout");
		if (!(plan->checkers[i] = mlint_file_checker_new(rs, &copts)))
			return cli_library_error();
		plan->visitors[i] = mlint_file_checker_visitor(plan->checkers[i]);
	}
	return 0;
}

static int plan_checks(struct check_plan *plan, const struct cli_loaded *loaded,
		       const struct mlint_ruleset *rs, const struct check_args *a)
{
	int code = plan_dirs(plan, loaded, rs, a);
	if (code != 0) /* the warnings before the error */
		cli_print_notes(&plan->notes, a->project.verbose);
	return code;
}

/* Said once when a file needed Python's compiler and libpython was not
 * there: those files were not judged, which must not look like a pass. */
static int note_no_python(const struct check_args *a)
{
	struct mlint_notes notes = {0};
	const char *why = mlint_pycompile_unavailable();
	int code = 0;

	if (!why)
		return 0;
	if (mlint_notes_add(&notes, MLINT_NOTE_WARNING, "Python's compiler is not available "
			    "(%s): files that look like they hold a syntax error were not "
			    "compiled; invalid-source reports only what mlint's tokenizer sees",
			    why) < 0)
		code = cli_library_error();
	cli_print_notes(&notes, a->project.verbose);
	mlint_notes_release(&notes);
	return code;
}

/* Runs every rule over each script directory, with its own config; *fail
 * says whether a finding reached that config's fail-on. */
static int run_checks(const struct cli_loaded *loaded, const struct mlint_ruleset *rs,
		      const struct check_plan *plan, struct check_args *a,
		      struct mlint_findings *findings, struct mlint_summary *summary, int *fail)
{
	int code = 0;

	memset(summary, 0, sizeof(*summary));
	for (size_t i = 0; i < loaded->nr_dirs && code == 0; i++) {
		const struct mlint_scriptdir *sd = &loaded->dirs[i];
		struct mlint_findings dir;
		summary->files += sd->nr_scripts;
		summary->migrations += sd->nr_migrations;
		mlint_findings_init(&dir);
		if (check_dir(loaded, i, rs, plan->checkers[i], &plan->cfgs[i], &a->git, &dir,
			      &summary->suppressed) < 0)
			code = cli_library_error();
		*fail |= mlint_findings_fail(&dir, plan->cfgs[i].fail_on);
		if (code == 0 && mlint_findings_move(findings, &dir) < 0)
			code = cli_library_error();
		mlint_findings_release(&dir);
	}
	if (code == 0 && check_project(loaded, &plan->file_cfg, a, findings, fail) < 0)
		code = cli_library_error();
	mlint_findings_sort(findings);
	mlint_findings_count(findings, summary);
	cli_print_notes(&plan->notes, a->project.verbose);
	if (code == 0)
		code = note_no_python(a);
	return code;
}

static int show_git(struct mlint_buf *out, const struct check_args *a)
{
	const struct cli_git *git = &a->git;
	const char *base = git->g && !git->no_git && mlint_git_has_base(git->g)
			   ? mlint_git_base_name(git->g) : NULL;

	if (mlint_buf_puts(out, "# git\n") < 0 ||
	    mlint_buf_printf(out, "%-16s = %-32s ; %s\n", "base", base ? base : "(none)",
			     git->no_git ? "--no-git" : git->base ? "--base"
			     : base ? "default (origin/$GITHUB_BASE_REF, origin/HEAD, origin/main, "
				      "origin/master, main, master)"
			     : "no base: git rules skipped") < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < git->nr_applied; i++)
		if (mlint_buf_printf(out, "%-16s = %-32s ; --applied\n", "applied",
				     git->applied[i]) < 0)
			return MLINT_ERROR;
	return 0;
}

/* --show-config: the git settings, then each script directory's [mlint]
 * settings after .mlint.ini, its alembic.ini and the options. */
static int show_config(struct mlint_buf *out, const struct cli_loaded *loaded,
		       const struct mlint_ruleset *rs, struct check_args *a)
{
	struct mlint_config file_cfg;
	struct mlint_notes notes = {0};
	int code = 0;

	mlint_config_init(&file_cfg);
	if (show_git(out, a) < 0 ||
	    mlint_config_read_project(&file_cfg, &loaded->project, &notes) < 0)
		code = cli_library_error();
	for (size_t i = 0; i < loaded->nr_dirs && code == 0; i++) {
		const struct mlint_scriptdir *sd = &loaded->dirs[i];
		struct mlint_config cfg;
		mlint_config_init(&cfg);
		if ((code = dir_config(&cfg, &file_cfg, a, loaded, sd->config, rs, &notes)) == 0 &&
		    (mlint_buf_printf(out, "\n[mlint]  # script directory %s\n",
				      sd->config && sd->config->display ? sd->config->display
									: ".") < 0 ||
		     mlint_config_show(out, &cfg) < 0))
			code = cli_library_error();
		mlint_config_release(&cfg);
	}
	cli_print_notes(&notes, a->project.verbose);
	mlint_notes_release(&notes);
	mlint_config_release(&file_cfg);
	return code;
}

/* rules-dir from .mlint.ini and [mlint] (relative to the repository root),
 * when no --rules-dir was given. */
static int load_config_rules(struct mlint_ruleset *rs, const struct cli_loaded *l)
{
	const struct mlint_project *p = &l->project;
	const char *root = p->repo_root ? p->repo_root : p->base_dir;
	struct mlint_config cfg;
	struct mlint_notes quiet = {0};
	int error;

	mlint_config_init(&cfg);
	error = mlint_config_read_project(&cfg, p, &quiet);
	for (size_t i = 0; error == 0 && i < p->nr_dirs; i++)
		if (p->dirs[i].ini_path)
			error = mlint_config_read_ini(&cfg, &p->dirs[i].ini, p->dirs[i].ini_path, &quiet);
	for (size_t i = 0; error == 0 && i < cfg.rules_dirs.nr; i++) {
		const char *dir = cfg.rules_dirs.ids[i];
		size_t n = (root ? strlen(root) : 0) + strlen(dir) + 2;
		char *abs = malloc(n);
		if (!abs) {
			error = mlint_error_set("out of memory");
			break;
		}
		if (dir[0] == '/' || !root)
			snprintf(abs, n, "%s", dir);
		else
			snprintf(abs, n, "%s/%s", root, dir);
		error = mlint_ruleset_load_dir(rs, abs);
		free(abs);
	}
	mlint_config_release(&cfg);
	mlint_notes_release(&quiet);
	return error;
}

static int load_rules(struct mlint_ruleset *rs, const struct check_args *a,
		      const struct cli_loaded *loaded)
{
	if (mlint_ruleset_load_builtin(rs) < 0)
		return cli_library_error();
	for (size_t i = 0; i < a->nr_rules_dirs; i++)
		if (mlint_ruleset_load_dir(rs, a->rules_dirs[i]) < 0)
			return cli_library_error();
	if (a->nr_rules_dirs == 0 && load_config_rules(rs, loaded) < 0)
		return cli_library_error();
	return 0;
}

static int is_changed(const void *ctx, const char *path)
{
	return mlint_git_is_changed(ctx, path);
}

static int render_markdown(struct mlint_buf *out, const struct check_args *a,
			   const struct cli_loaded *l, const struct mlint_findings *f,
			   const struct mlint_summary *s, int fail)
{
	struct mlint_graph_marks marks = {is_changed, a->git.g};
	struct mlint_markdown_opts mopts = {fail, NULL, &marks};
	if (a->git.g && !a->git.no_git && mlint_git_has_base(a->git.g))
		mopts.base = mlint_git_base_name(a->git.g);
	return mlint_report_markdown(out, f, s, l->dirs, l->nr_dirs, &mopts);
}

static int render(struct mlint_buf *out, const struct check_args *a, const struct cli_loaded *l,
		  const struct mlint_findings *f, const struct mlint_summary *s,
		  const struct mlint_ruleset *rs, int fail)
{
	struct mlint_report_opts ropts;
	ropts.color = a->format == FORMAT_TEXT && cli_use_color();
	ropts.excerpt = !a->no_excerpt;
	switch (a->format) {
	case FORMAT_JSON: return mlint_report_json(out, f, s);
	case FORMAT_SARIF: return mlint_report_sarif(out, f, rs, MLINT_VERSION);
	case FORMAT_GITHUB: return mlint_report_github(out, f, s);
	case FORMAT_MARKDOWN: return render_markdown(out, a, l, f, s, fail);
	case FORMAT_GITLAB: return mlint_report_gitlab(out, f);
	case FORMAT_JUNIT: return mlint_report_junit(out, f, s);
	default: return mlint_report_text(out, f, s, &ropts);
	}
}

int cmd_check(int argc, char **argv)
{
	struct check_args args;
	struct cli_loaded loaded;
	struct mlint_findings findings;
	struct mlint_summary summary;
	struct mlint_buf out;
	struct mlint_ruleset rs;
	struct check_plan plan;
	char **paths = NULL;
	size_t nr_paths = 0;
	unsigned load_flags;
	int code, fail = 0;

	memset(&args, 0, sizeof(args));
	memset(&plan, 0, sizeof(plan));
	memset(&loaded, 0, sizeof(loaded));
	mlint_config_init(&args.cli);
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
	if ((code = cli_git_load_project(&loaded, &args.git, paths, nr_paths, &args.project)) != 0)
		goto done;
	/* The rules come after discovery: the project's config may name rule
	 * dirs; and before the files are read: they run as each is read. */
	if ((code = load_rules(&rs, &args, &loaded)) != 0 ||
	    (code = check_ids(&args.cli.select, &rs, NULL)) != 0 ||
	    (code = check_ids(&args.cli.ignore, &rs, NULL)) != 0)
		goto done;
	if (args.show_config) {
		if ((code = cli_git_load_dirs(&loaded, &args.git, &args.project, 0, NULL)) == 0 &&
		    (code = show_config(&out, &loaded, &rs, &args)) == 0)
			code = cli_write_stdout(out.ptr, out.len);
		goto done;
	}
	load_flags = MLINT_LOAD_KEEP_SOURCE | MLINT_LOAD_DROP_CALLS;
	if ((code = plan_checks(&plan, &loaded, &rs, &args)) != 0 ||
	    (code = cli_git_load_dirs(&loaded, &args.git, &args.project, load_flags,
				      plan.visitors)) != 0 ||
	    (code = run_checks(&loaded, &rs, &plan, &args, &findings, &summary, &fail)) != 0)
		goto done;
	if (render(&out, &args, &loaded, &findings, &summary, &rs, fail) < 0) {
		code = cli_library_error();
		goto done;
	}
	if ((code = cli_write_stdout(out.ptr, out.len)) == 0)
		code = fail ? MLINT_EXIT_FINDINGS : MLINT_EXIT_OK;
done:
	plan_release(&plan);
	cli_loaded_release(&loaded);
	cli_git_release(&args.git);
	mlint_findings_release(&findings);
	mlint_ruleset_release(&rs);
	mlint_config_release(&args.cli);
	mlint_buf_release(&out);
	free(args.rules_dirs);
	free(paths);
	return code;
}
