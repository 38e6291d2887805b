#include <jansson.h>
#include <string.h>
#include "mlint/report.h"
#include "report_json.h"
#include "util.h"

/* " in DIR [section NAME]": which script directory a head belongs to, when
 * several are printed together (two directories are not two heads). */
static void put_dir_label(struct mlint_buf *out, const struct mlint_scriptdir *sd)
{
	const struct mlint_scriptdir_config *d = sd->config;
	mlint_buf_printf(out, " in %s", d && d->display ? d->display : ".");
	if (d && d->section && strcmp(d->section, "alembic") != 0)
		mlint_buf_printf(out, " [section %s]", d->section);
}

static int put_head_line(struct mlint_buf *out, const struct mlint_scriptdir *sd, size_t node,
			 int verbose, int label_dir)
{
	const struct mlint_graph_node *n = &sd->graph.nodes[node];
	const struct mlint_script *s = mlint_scriptdir_node_script(sd, node);

	if (mlint_buf_puts(out, n->revision) < 0)
		return MLINT_ERROR;
	if (n->nr_labels) {
		mlint_buf_puts(out, " (");
		for (size_t k = 0; k < n->nr_labels; k++)
			mlint_buf_printf(out, "%s%s", k ? ", " : "", n->labels[k]);
		mlint_buf_putc(out, ')');
	}
	mlint_buf_puts(out, n->is_real_head ? " (head)" : " (effective head)");
	if (label_dir)
		put_dir_label(out, sd);
	if (verbose)
		mlint_buf_printf(out, " %s%s%s", s->path, s->m.header.message ? ": " : "",
				 s->m.header.message ? s->m.header.message : "");
	return mlint_buf_putc(out, '\n');
}

int mlint_report_heads_text(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			    size_t nr, int verbose)
{
	for (size_t d = 0; d < nr; d++)
		for (size_t h = 0; h < dirs[d].graph.nr_heads; h++)
			if (put_head_line(out, &dirs[d], dirs[d].graph.heads[h], verbose, nr > 1) < 0)
				return MLINT_ERROR;
	return 0;
}

static json_t *head_json(const struct mlint_scriptdir *sd, size_t node)
{
	const struct mlint_graph_node *n = &sd->graph.nodes[node];
	json_t *labels = json_array();

	for (size_t k = 0; labels && k < n->nr_labels; k++)
		json_array_append_new(labels, mlint_json_string(n->labels[k]));
	return json_pack("{s:o, s:o, s:o, s:o, s:b}", "revision", mlint_json_string(n->revision),
			 "path", mlint_json_string(mlint_scriptdir_node_script(sd, node)->path),
			 "branch_labels", labels, "script_location",
			 mlint_json_string(sd->config && sd->config->display ? sd->config->display : "."),
			 "effective", !n->is_real_head);
}

int mlint_report_heads_json(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			    size_t nr)
{
	json_t *heads = json_array();

	for (size_t d = 0; heads && d < nr; d++) {
		for (size_t h = 0; heads && h < dirs[d].graph.nr_heads; h++) {
			if (json_array_append_new(heads, head_json(&dirs[d], dirs[d].graph.heads[h])) < 0) {
				json_decref(heads);
				heads = NULL;
			}
		}
	}
	return mlint_json_write(out, heads ? json_pack("{s:o}", "heads", heads) : NULL);
}
