/*
 * Markdown for a GitHub job summary or a pull-request comment: a verdict,
 * a table of findings and the revision graph as a Mermaid block (the graph
 * renderer's, with the change's migrations highlighted).
 */
#include <string.h>
#include "mlint/report.h"
#include "util.h"

/* A table cell: `|` escaped, line ends as spaces, HTML's specials as
 * entities (GitHub renders inline HTML). */
static int put_cell(struct mlint_buf *out, const char *s)
{
	for (; *s; s++) {
		int e;
		switch (*s) {
		case '|': e = mlint_buf_puts(out, "\\|"); break;
		case '\r': case '\n': e = mlint_buf_putc(out, ' '); break;
		case '&': e = mlint_buf_puts(out, "&amp;"); break;
		case '<': e = mlint_buf_puts(out, "&lt;"); break;
		case '>': e = mlint_buf_puts(out, "&gt;"); break;
		default: e = mlint_buf_putc(out, *s);
		}
		if (e < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static int put_row(struct mlint_buf *out, const struct mlint_finding *x)
{
	if (mlint_buf_printf(out, "| %s | `", mlint_severity_name(x->severity)) < 0 ||
	    put_cell(out, x->rule) < 0 || mlint_buf_puts(out, "` | ") < 0 ||
	    put_cell(out, x->path) < 0 || mlint_buf_printf(out, ":%u | ", x->line) < 0 ||
	    put_cell(out, x->message) < 0 || mlint_buf_puts(out, " |\n") < 0)
		return MLINT_ERROR;
	return 0;
}

static int put_table(struct mlint_buf *out, const struct mlint_findings *f)
{
	if (f->nr == 0)
		return 0;
	if (mlint_buf_puts(out, "\n| Severity | Rule | Location | Message |\n"
				"| --- | --- | --- | --- |\n") < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < f->nr; i++)
		if (put_row(out, &f->items[i]) < 0)
			return MLINT_ERROR;
	return 0;
}

static int put_graph(struct mlint_buf *out, const struct mlint_scriptdir *dirs, size_t nr,
		     const struct mlint_markdown_opts *opts)
{
	const struct mlint_graph_marks *marks = opts->base ? opts->marks : NULL;
	size_t nodes = 0;

	for (size_t d = 0; d < nr; d++)
		nodes += dirs[d].graph.nr_nodes;
	if (nodes == 0)
		return 0;
	if (mlint_buf_puts(out, "\n### Revision graph\n\nHeads are yellow") < 0 ||
	    (marks && (mlint_buf_puts(out, "; migrations added or changed since `") < 0 ||
		       put_cell(out, opts->base) < 0 ||
		       mlint_buf_puts(out, "` have a green outline") < 0)) ||
	    mlint_buf_puts(out, ".\n\n```mermaid\n") < 0 ||
	    mlint_report_graph_marked(out, dirs, nr, MLINT_GRAPH_MERMAID, marks) < 0)
		return MLINT_ERROR;
	return mlint_buf_puts(out, "```\n");
}

int mlint_report_markdown(struct mlint_buf *out, const struct mlint_findings *f,
			  const struct mlint_summary *s, const struct mlint_scriptdir *dirs,
			  size_t nr, const struct mlint_markdown_opts *opts)
{
	if (mlint_buf_printf(out, "## mlint: %s\n\n", opts->failed ? "failed" : "passed") < 0 ||
	    mlint_report_summary_line(out, f, s) < 0 || put_table(out, f) < 0 ||
	    put_graph(out, dirs, nr, opts) < 0)
		return MLINT_ERROR;
	return 0;
}
