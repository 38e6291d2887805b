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
	{OPT_WRITE_CONFIG, 0, "write-config", NULL, "only write into alembic.ini the "
						    "file_template that gives every new migration "
						    "a unique name (time and revision id), keeping "
						    "its comments and layout; renames nothing; with "
						    "--dry-run show the change, with --check exit 1 "
						    "when it is due"},
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

/* The file_template line new files need in `d`'s alembic.ini, or "" when
 * its own already makes every name unique. */
static int new_files_line(struct mlint_buf *out, const struct mlint_scriptdir_config *d,
			  const struct rename_args *a)
{
	struct mlint_template t, own;
	enum mlint_template_origin origin;
	int found = 0, error;

	mlint_template_init(&t);
	mlint_template_init(&own);
	if ((error = mlint_rename_alembic_form(&own, d, &found)) == 0 &&
	    !(found && mlint_template_has_rev(&own)) &&
	    (error = mlint_rename_template(&t, &origin, d, a->template)) == 0)
		error = mlint_template_new_files_ini(out, &t);
	mlint_template_release(&t);
	mlint_template_release(&own);
	return error;
}

/* Says the file_template new files need, after a rename. */
static int file_template_hint(const struct mlint_scriptdir_config *d,
			      const struct mlint_project *p, const struct rename_args *a)
{
	struct mlint_buf value;
	char *ini = NULL;
	int code = 0;

	if (!d->ini_path || a->check)
		return 0;
	mlint_buf_init(&value, 0);
	if (new_files_line(&value, d, a) < 0)
		code = cli_library_error();
	else if (value.len > 0 && (ini = mlint_project_display_path(p, d->ini_path)) != NULL)
		fprintf(stderr, "mlint: hint: so that every new migration gets a name of its own "
			"(Alembic overwrites a file of the same name), put this line in the "
			"[alembic] section of '%s' (or run 'mlint rename --write-config'):\n"
			"file_template = %s\n", ini, value.ptr);
	free(ini);
	mlint_buf_release(&value);
	return code;
}

/* --write-config for one alembic.ini: write the line, or with --dry-run
 * show the change, or with --check say that it is due (*due = 1). */
static int write_config(const struct mlint_scriptdir_config *d, const struct mlint_project *p,
			const struct rename_args *a, int *due)
{
	const struct mlint_ini_entry *old = mlint_ini_get(&d->ini, "alembic", "file_template");
	struct mlint_buf value, preview;
	char *ini = NULL;
	int code = 0;

	if (!d->ini_path)
		return 0;
	mlint_buf_init(&value, 0);
	mlint_buf_init(&preview, 0);
	if (new_files_line(&value, d, a) < 0 ||
	    !(ini = mlint_project_display_path(p, d->ini_path))) {
		code = cli_library_error();
		goto done;
	}
	if (value.len == 0 || (old && strcmp(old->value, value.ptr) == 0)) {
		fprintf(stderr, "mlint: '%s' already gives every new migration a name of its "
			"own\n", ini);
		goto done;
	}
	*due = 1;
	if (a->check) {
		fprintf(stderr, "mlint: '%s' needs 'file_template = %s' in [alembic]\n", ini,
			value.ptr);
	} else if (a->dry_run) {
		if (mlint_buf_printf(&preview, "%s [alembic]:\n", ini) < 0 ||
		    (old && mlint_buf_printf(&preview, "-file_template = %s\n", old->value) < 0) ||
		    mlint_buf_printf(&preview, "+file_template = %s\n", value.ptr) < 0)
			code = cli_library_error();
		else
			code = cli_write_stdout(preview.ptr, preview.len);
	} else if (mlint_rename_write_config(d->ini_path, value.ptr) < 0) {
		code = cli_library_error();
	} else {
		fprintf(stderr, "mlint: wrote 'file_template = %s' into [alembic] of '%s'\n",
			value.ptr, ini);
	}
done:
	free(ini);
	mlint_buf_release(&value);
	mlint_buf_release(&preview);
	return code;
}

static int run_write_config(const struct cli_loaded *loaded, const struct rename_args *a)
{
	int code = 0, due = 0;
	for (size_t i = 0; i < loaded->project.nr_dirs && code == 0; i++)
		code = write_config(&loaded->project.dirs[i], &loaded->project, a, &due);
	if (code == 0 && due && a->check)
		code = MLINT_EXIT_FINDINGS;
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
	if (args.dry_run && args.check) {
		code = cli_error("--dry-run and --check exclude each other: --dry-run prints the "
				 "plan, --check exits 1 when a rename is due");
		goto done;
	}
	if ((code = cli_load(&loaded, paths, nr_paths, &args.project, MLINT_LOAD_GRAPH_ONLY)) == 0)
		code = args.write_config ? run_write_config(&loaded, &args) : run(&loaded, &args);
done:
	cli_loaded_release(&loaded);
	free(paths);
	return code;
}
