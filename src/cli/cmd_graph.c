#include <stdlib.h>
#include <string.h>
#include "mlint/report.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum { OPT_FORMAT = 1 };

static const struct cli_opt graph_opts[] = {
	{OPT_FORMAT, 'f', "format", "FORMAT", "text (default), json, dot or mermaid"},
	CLI_VERBOSE_OPT(CLI_VERBOSE_HELP),
	CLI_CONFIG_OPT,
	CLI_NAME_OPT,
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec graph_spec = {
	"graph", "[PATH...] [options]",
	"Print the revision graph of each script directory.\n"
	"  text     what `alembic history` prints, in its order: parents\n"
	"           (depends_on) -> revision (labels), with (head), (branchpoint),\n"
	"           (mergepoint) and the message\n"
	"  json     every revision with its parents, labels and flags, plus the\n"
	"           heads, bases, branch points and merge points\n"
	"  dot      Graphviz: mlint graph -f dot | dot -Tsvg > graph.svg\n"
	"  mermaid  a Mermaid flowchart for Markdown",
	"examples:\n"
	"  mlint graph\n"
	"  mlint graph --format mermaid > docs/migrations.md\n",
	graph_opts,
};

struct graph_args {
	enum mlint_graph_format format;
	struct cli_project_opts project;
};

static int graph_option(void *ctx, int id, const char *value)
{
	static const char *const names[] = {"text", "json", "dot", "mermaid"};
	struct graph_args *a = ctx;

	if (cli_project_option(&a->project, id, value) == 0)
		return 0;
	switch (id) {
	case OPT_FORMAT:
		for (size_t i = 0; i < 4; i++) {
			if (strcmp(value, names[i]) == 0) {
				a->format = (enum mlint_graph_format)i;
				return 0;
			}
		}
		return cli_error("unknown format '%s' for graph: use text, json, dot or mermaid",
				 value);
	}
	return MLINT_EXIT_USAGE;
}

int cmd_graph(int argc, char **argv)
{
	struct graph_args args = {MLINT_GRAPH_TEXT, {NULL, 0, NULL, 0, 0}};
	struct cli_loaded loaded;
	struct mlint_buf out;
	char **paths = NULL;
	size_t nr_paths = 0;
	int code;

	if ((code = cli_parse(&graph_spec, argc, argv, graph_option, &args, &paths, &nr_paths)) != 0)
		return code == CLI_HELP ? MLINT_EXIT_OK : code;
	mlint_buf_init(&out, 0);
	if ((code = cli_load(&loaded, paths, nr_paths, &args.project, MLINT_LOAD_GRAPH_ONLY)) != 0)
		goto done;
	if (mlint_report_graph(&out, loaded.dirs, loaded.nr_dirs, args.format) < 0) {
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
