#include <stdlib.h>
#include <string.h>
#include "mlint/report.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum { OPT_FORMAT = 1, OPT_NO_CACHE };

static const struct cli_opt heads_opts[] = {
	{OPT_FORMAT, 'f', "format", "FORMAT", "text (default) or json"},
	CLI_VERBOSE_OPT("add each head's file and message; say what was read"),
	CLI_CONFIG_OPT,
	CLI_NAME_OPT,
	{OPT_NO_CACHE, 0, "no-cache", NULL, "read every file: no cache under .git/mlint "
					    "(see docs/cache.md)"},
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec heads_spec = {
	"heads", "[PATH...] [options]",
	"Print the current heads of each script directory, one per line, as\n"
	"`alembic heads` prints them: `<revision> (<branch labels>) (head)`.\n"
	"Nothing is imported or executed.",
	"PATH is the project root (holding alembic.ini or migrations/alembic.ini),\n"
	"the directory of an alembic.ini, or one or more versions directories.\n"
	"Default: the current directory.\n\n"
	"examples:\n"
	"  mlint heads\n"
	"  mlint heads migrations/versions --format json\n",
	heads_opts,
};

struct heads_args {
	int json;
	struct cli_project_opts project;
};

static int heads_option(void *ctx, int id, const char *value)
{
	struct heads_args *a = ctx;
	if (cli_project_option(&a->project, id, value) == 0)
		return 0;
	switch (id) {
	case OPT_FORMAT:
		if (strcmp(value, "json") == 0)
			a->json = 1;
		else if (strcmp(value, "text") != 0)
			return cli_error("unknown format '%s' for heads: use text or json", value);
		return 0;
	case OPT_NO_CACHE:
		a->project.no_cache = 1;
		return 0;
	}
	return MLINT_EXIT_USAGE;
}

int cmd_heads(int argc, char **argv)
{
	struct heads_args args = {0};
	struct cli_loaded loaded;
	struct mlint_buf out;
	char **paths = NULL;
	size_t nr_paths = 0;
	int code;

	if ((code = cli_parse(&heads_spec, argc, argv, heads_option, &args, &paths, &nr_paths)) != 0)
		return code == CLI_HELP ? MLINT_EXIT_OK : code;
	mlint_buf_init(&out, 0);
	args.project.use_cache = 1;
	if ((code = cli_load(&loaded, paths, nr_paths, &args.project, MLINT_LOAD_GRAPH_ONLY)) != 0)
		goto done;
	if ((args.json ? mlint_report_heads_json(&out, loaded.dirs, loaded.nr_dirs)
		       : mlint_report_heads_text(&out, loaded.dirs, loaded.nr_dirs,
						 args.project.verbose)) < 0) {
		code = cli_library_error();
		goto done;
	}
	code = cli_write_stdout(out.ptr, out.len);
done:
	cli_loaded_finish(&loaded);
	mlint_buf_release(&out);
	free(paths);
	return code;
}
