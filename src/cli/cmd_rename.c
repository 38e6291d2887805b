#include <stdlib.h>
#include <string.h>
#include "mlint/rename.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum {
	OPT_TEMPLATE = 1, OPT_DRY_RUN, OPT_CHECK, OPT_FORMAT, OPT_WRITE_CONFIG,
};

static const struct cli_opt rename_opts[] = {
	{OPT_DRY_RUN, 'n', "dry-run", NULL, "print the plan (old name, new name, where the date "
					    "came from); change nothing"},
	{OPT_CHECK, 0, "check", NULL, "change nothing; exit 1 when a file would be renamed"},
	{OPT_TEMPLATE, 't', "template", "TEMPLATE", "file name template (default: [mlint] template, "
						    "else alembic.ini's file_template when it has "
						    "dates, else %Y%m%d_%slug)"},
	{OPT_FORMAT, 'f', "format", "FORMAT", "text (default) or json"},
	{OPT_WRITE_CONFIG, 0, "write-config", NULL, "write the matching file_template into "
						    "alembic.ini, keeping its comments and layout"},
	CLI_VERBOSE_OPT(CLI_VERBOSE_HELP),
	CLI_CONFIG_OPT,
	CLI_NAME_OPT,
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec rename_spec = {
	"rename", "[PATH...] [options]",
	"Give every migration a date-prefixed name, 20250823_add_name_column.py,\n"
	"so that the files sort in the order they were written. The date is the\n"
	"'Create Date:' header, else the author date of the commit that added the\n"
	"file, else its modification time. Only migrations in the version\n"
	"directories are renamed; in a git repository the index follows, as with\n"
	"`git mv`. All or nothing: when a step fails, nothing stays renamed.",
	"PATH is the project root (holding alembic.ini or migrations/alembic.ini),\n"
	"the directory of an alembic.ini, or one or more versions directories.\n"
	"Default: the current directory.\n\n"
	"template tokens:\n"
	"  %Y year  %m month  %d day  %H hour  %M minute  %S second (zero-padded)\n"
	"  %rev revision id  %slug the message, as Alembic slugs it  %% a percent sign\n"
	"  Alembic's syntax is read too: %(year)d%(month).2d%(day).2d_%(slug)s\n\n"
	"output:\n"
	"  text  <from> -> <to> (<YYYY-MM-DD> from header|git|mtime), one per file\n"
	"  json  {\"renames\": [{\"from\", \"to\", \"revision\", \"date\", \"date_source\"}]}\n\n"
	"exit status: 0 done (or nothing to do); 1 with --check when a file would be\n"
	"renamed; 2 usage or I/O error, or a rename that could not be done\n\n"
	"examples:\n"
	"  mlint rename --dry-run\n"
	"  mlint rename --template '%Y%m%d_%H%M_%slug'\n"
	"  mlint rename --check            # in pre-commit or CI\n",
	rename_opts,
};

struct rename_args {
	int dry_run, check, json, write_config;
	const char *template;
	struct cli_project_opts project;
};

static int rename_option(void *ctx, int id, const char *value)
{
	struct rename_args *a = ctx;
	if (cli_project_option(&a->project, id, value) == 0)
		return 0;
	switch (id) {
	case OPT_DRY_RUN: a->dry_run = 1; return 0;
	case OPT_CHECK: a->check = 1; return 0;
	case OPT_TEMPLATE: a->template = value; return 0;
	case OPT_WRITE_CONFIG: a->write_config = 1; return 0;
	case OPT_FORMAT:
		if (strcmp(value, "json") == 0)
			a->json = 1;
		else if (strcmp(value, "text") != 0)
			return cli_error("unknown format '%s' for rename: use text or json", value);
		return 0;
	}
	return MLINT_EXIT_USAGE;
}

/* Says (or, with --write-config, writes) the file_template new files need. */
static int file_template_hint(const struct mlint_scriptdir_config *d,
			      const struct mlint_project *p, const struct rename_args *a)
{
	struct mlint_template t;
	struct mlint_buf value;
	enum mlint_template_origin origin;
	char *ini = NULL;
	int code = 0;

	if (!d->ini_path)
		return 0;
	mlint_template_init(&t);
	mlint_buf_init(&value, 0);
	if (mlint_rename_template(&t, &origin, d, a->template) < 0) {
		code = cli_library_error();
		goto done;
	}
	if (origin == MLINT_TEMPLATE_FROM_ALEMBIC || mlint_template_to_alembic_ini(&value, &t) < 0)
		goto done;
	ini = mlint_project_display_path(p, d->ini_path);
	if (a->write_config) {
		if (mlint_rename_write_config(d->ini_path, value.ptr) < 0)
			code = cli_library_error();
		else
			fprintf(stderr, "mlint: wrote 'file_template = %s' into [alembic] of '%s'\n",
				value.ptr, ini ? ini : d->ini_path);
	} else if (!a->check) {
		fprintf(stderr, "mlint: hint: so that new migrations get matching names, put this "
			"line in the [alembic] section of '%s' (or run 'mlint rename "
			"--write-config'):\nfile_template = %s\n", ini ? ini : d->ini_path, value.ptr);
	}
done:
	free(ini);
	mlint_buf_release(&value);
	mlint_template_release(&t);
	return code;
}

static int print_plan(const struct mlint_rename_plan *plan, const struct rename_args *a)
{
	struct mlint_buf out;
	int code;

	mlint_buf_init(&out, 0);
	if ((a->json ? mlint_report_rename_json(&out, plan) : mlint_report_rename_text(&out, plan)) < 0)
		code = cli_library_error();
	else
		code = cli_write_stdout(out.ptr, out.len);
	mlint_buf_release(&out);
	return code;
}

static int run(const struct cli_loaded *loaded, const struct rename_args *a)
{
	struct mlint_rename_plan plan;
	struct mlint_rename_opts opts = {a->template};
	int code = 0;

	mlint_rename_plan_init(&plan);
	if (mlint_rename_plan_build(&plan, &loaded->project, loaded->dirs, loaded->nr_dirs,
				    &opts) < 0) {
		cli_print_notes(&plan.notes, a->project.verbose);
		code = cli_library_error();
		goto done;
	}
	cli_print_notes(&plan.notes, a->project.verbose);
	if (!a->dry_run && !a->check && mlint_rename_plan_apply(&plan, &loaded->project) < 0) {
		code = cli_library_error();
		goto done;
	}
	if ((code = print_plan(&plan, a)) != 0)
		goto done;
	for (size_t i = 0; i < loaded->project.nr_dirs && code == 0; i++)
		code = file_template_hint(&loaded->project.dirs[i], &loaded->project, a);
	if (code == 0 && a->check && plan.nr > 0)
		code = MLINT_EXIT_FINDINGS;
	if (code == 0 && !a->json && !a->check && plan.nr == 0)
		fprintf(stderr, "mlint: nothing to rename\n");
	else if (code == 0 && !a->json && !a->check)
		fprintf(stderr, "mlint: %s %zu file%s\n", a->dry_run ? "would rename" : "renamed",
			plan.nr, plan.nr == 1 ? "" : "s");
done:
	mlint_rename_plan_release(&plan);
	return code;
}

int cmd_rename(int argc, char **argv)
{
	struct rename_args args = {0};
	struct cli_loaded loaded;
	char **paths = NULL;
	size_t nr_paths = 0;
	int code;

	if ((code = cli_parse(&rename_spec, argc, argv, rename_option, &args, &paths,
			      &nr_paths)) != 0)
		return code == CLI_HELP ? MLINT_EXIT_OK : code;
	memset(&loaded, 0, sizeof(loaded));
	if (args.write_config && (args.dry_run || args.check)) {
		code = cli_error("--write-config changes alembic.ini: it cannot go with --dry-run "
				 "or --check; see 'mlint rename --help'");
		goto done;
	}
	if ((code = cli_load(&loaded, paths, nr_paths, &args.project, MLINT_LOAD_GRAPH_ONLY)) == 0)
		code = run(&loaded, &args);
done:
	cli_loaded_release(&loaded);
	free(paths);
	return code;
}
