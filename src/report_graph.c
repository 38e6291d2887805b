#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/report.h"
#include "report_json.h"
#include "util.h"

static const char *script_location(const struct mlint_scriptdir *sd)
{
	return sd->config && sd->config->display ? sd->config->display : ".";
}

/* ---- text, as `alembic history` ------------------------------------- */

static void put_parents(struct mlint_buf *out, const struct mlint_scriptdir *sd,
			const struct mlint_graph_node *n)
{
	const struct mlint_script *s = mlint_scriptdir_node_script(sd, (size_t)(n - sd->graph.nodes));
	const struct mlint_value *down = &s->m.down_revision;

	if (down->kind == MLINT_VAL_EXPR) {
		mlint_buf_printf(out, "%s", down->items[0]);
		return;
	}
	if (down->nr == 0) {
		mlint_buf_puts(out, "<base>");
		return;
	}
	for (size_t k = 0; k < down->nr; k++)
		mlint_buf_printf(out, "%s%s", k ? ", " : "", down->items[k]);
}

/* depends_on as written, in parentheses, as Alembic prints it. */
static void put_dependencies(struct mlint_buf *out, const struct mlint_value *deps)
{
	if (deps->nr == 0)
		return;
	mlint_buf_puts(out, " (");
	for (size_t k = 0; k < deps->nr; k++)
		mlint_buf_printf(out, "%s%s", k ? ", " : "", deps->items[k]);
	mlint_buf_putc(out, ')');
}

static int graph_text(struct mlint_buf *out, const struct mlint_scriptdir *sd)
{
	const struct mlint_graph *g = &sd->graph;
	size_t *order, nr;

	if (mlint_graph_history_order(g, &order, &nr) < 0)
		return MLINT_ERROR;
	for (size_t o = 0; o < nr; o++) {
		const struct mlint_graph_node *n = &g->nodes[order[o]];
		const struct mlint_script *s = mlint_scriptdir_node_script(sd, order[o]);
		put_parents(out, sd, n);
		put_dependencies(out, &s->m.depends_on);
		mlint_buf_printf(out, " -> %s", n->revision);
		if (n->nr_labels) {
			mlint_buf_puts(out, " (");
			for (size_t k = 0; k < n->nr_labels; k++)
				mlint_buf_printf(out, "%s%s", k ? ", " : "", n->labels[k]);
			mlint_buf_putc(out, ')');
		}
		mlint_buf_printf(out, "%s%s%s%s, %s\n",
				 n->is_real_head ? " (head)" : "",
				 n->is_head && !n->is_real_head ? " (effective head)" : "",
				 n->is_branch_point ? " (branchpoint)" : "",
				 n->is_merge_point ? " (mergepoint)" : "",
				 s->m.header.message ? s->m.header.message : "");
	}
	free(order);
	return 0;
}

/* ---- JSON ------------------------------------------------------------ */

static json_t *string_array(const char *const *items, size_t nr)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < nr; i++)
		json_array_append_new(a, mlint_json_string(items[i]));
	return a;
}

static json_t *value_array(const struct mlint_value *v)
{
	if (v->kind == MLINT_VAL_STR || v->kind == MLINT_VAL_SEQ || v->kind == MLINT_VAL_EXPR)
		return string_array((const char *const *)v->items, v->nr);
	return json_array();
}

static json_t *node_ids(const struct mlint_graph *g, const size_t *idx, size_t nr)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < nr; i++)
		json_array_append_new(a, mlint_json_string(g->nodes[idx[i]].revision));
	return a;
}

static json_t *flagged_ids(const struct mlint_graph *g, int branch)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < g->nr_nodes; i++)
		if (branch ? g->nodes[i].is_branch_point : g->nodes[i].is_merge_point)
			json_array_append_new(a, mlint_json_string(g->nodes[i].revision));
	return a;
}

static json_t *revision_json(const struct mlint_scriptdir *sd, size_t node)
{
	const struct mlint_graph_node *n = &sd->graph.nodes[node];
	const struct mlint_script *s = mlint_scriptdir_node_script(sd, node);

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:b}",
			 "revision", mlint_json_string(n->revision), "path",
			 mlint_json_string(s->path), "down_revision",
			 value_array(&s->m.down_revision), "depends_on",
			 value_array(&s->m.depends_on), "branch_labels",
			 string_array(n->labels, n->nr_labels), "head", n->is_head, "base",
			 n->is_base, "branch_point", n->is_branch_point, "merge_point",
			 n->is_merge_point);
}

static json_t *scriptdir_json(const struct mlint_scriptdir *sd)
{
	const struct mlint_graph *g = &sd->graph;
	json_t *revs = json_array();

	for (size_t o = 0; revs && o < g->nr_order; o++)
		json_array_append_new(revs, revision_json(sd, g->order[o]));
	/* Revisions on or below a cycle have no place in the order: last. */
	if (revs && g->nr_order < g->nr_nodes) {
		unsigned char *ordered = calloc(g->nr_nodes, 1);
		for (size_t o = 0; ordered && o < g->nr_order; o++)
			ordered[g->order[o]] = 1;
		for (size_t i = 0; ordered && i < g->nr_nodes; i++)
			if (!ordered[i])
				json_array_append_new(revs, revision_json(sd, i));
		free(ordered);
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "script_location",
			 mlint_json_string(script_location(sd)), "heads",
			 node_ids(g, g->heads, g->nr_heads), "bases",
			 node_ids(g, g->bases, g->nr_bases), "branch_points", flagged_ids(g, 1),
			 "merge_points", flagged_ids(g, 0), "revisions", revs);
}

static int graph_json(struct mlint_buf *out, const struct mlint_scriptdir *dirs, size_t nr)
{
	json_t *list = json_array();

	for (size_t d = 0; list && d < nr; d++) {
		if (json_array_append_new(list, scriptdir_json(&dirs[d])) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return mlint_json_write(out, list ? json_pack("{s:o}", "script_directories", list) : NULL);
}

/* ---- DOT and Mermaid ------------------------------------------------- */

/* A node label without quotes or brackets that would break either syntax. */
static void put_safe(struct mlint_buf *out, const char *s)
{
	for (; *s; s++)
		mlint_buf_putc(out, strchr("\"[](){}<>|\\`#;", *s) ? '_' : *s);
}

static int is_new(const struct mlint_scriptdir *sd, size_t i, const struct mlint_graph_marks *m)
{
	return m && m->is_new && m->is_new(m->ctx, mlint_scriptdir_node_script(sd, i)->path);
}

/* Mermaid allows one class per node: a new head has its own. */
static const char *mermaid_class(const struct mlint_graph_node *n, int fresh)
{
	if (fresh)
		return n->is_head ? ":::newhead" : ":::new";
	return n->is_head ? ":::head" : n->is_base ? ":::base" : "";
}

static void put_node(struct mlint_buf *out, const struct mlint_scriptdir *sd, size_t d,
		     size_t i, int mermaid, const struct mlint_graph_marks *marks)
{
	const struct mlint_graph_node *n = &sd->graph.nodes[i];
	int fresh = is_new(sd, i, marks);
	mlint_buf_printf(out, mermaid ? "  d%zun%zu[\"" : "  d%zun%zu [label=\"", d, i);
	put_safe(out, n->revision);
	for (size_t k = 0; k < n->nr_labels; k++) {
		mlint_buf_puts(out, k ? ", " : mermaid ? "<br/>" : "\\n");
		put_safe(out, n->labels[k]);
	}
	if (mermaid)
		mlint_buf_printf(out, "\"]%s\n", mermaid_class(n, fresh));
	else
		mlint_buf_printf(out, "\"%s%s];\n", n->is_head ? ", style=filled, fillcolor=\"#ffd966\""
						 : n->is_base ? ", shape=box" : "",
				 fresh ? ", color=\"#38761d\", penwidth=2" : "");
}

static void put_edges(struct mlint_buf *out, const struct mlint_graph *g, size_t d, size_t i,
		      int mermaid)
{
	const struct mlint_graph_node *n = &g->nodes[i];
	for (size_t k = 0; k < n->nr_parents; k++)
		mlint_buf_printf(out, mermaid ? "  d%zun%zu --> d%zun%zu\n" : "  d%zun%zu -> d%zun%zu;\n",
				 d, n->parents[k], d, i);
	for (size_t k = 0; k < n->nr_deps; k++)
		mlint_buf_printf(out, mermaid ? "  d%zun%zu -.-> d%zun%zu\n"
					      : "  d%zun%zu -> d%zun%zu [style=dashed];\n",
				 d, n->deps[k], d, i);
}

static int graph_diagram(struct mlint_buf *out, const struct mlint_scriptdir *dirs, size_t nr,
			 int mermaid, const struct mlint_graph_marks *marks)
{
	mlint_buf_puts(out, mermaid ? "flowchart BT\n" : "digraph migrations {\n  rankdir=BT;\n");
	for (size_t d = 0; d < nr; d++) {
		const struct mlint_graph *g = &dirs[d].graph;
		if (!mermaid) {
			mlint_buf_printf(out, "  subgraph cluster_%zu {\n  label=\"", d);
			put_safe(out, script_location(&dirs[d]));
			mlint_buf_puts(out, "\";\n");
		}
		for (size_t i = 0; i < g->nr_nodes; i++)
			put_node(out, &dirs[d], d, i, mermaid, marks);
		for (size_t i = 0; i < g->nr_nodes; i++)
			put_edges(out, g, d, i, mermaid);
		if (!mermaid)
			mlint_buf_puts(out, "  }\n");
	}
	if (mermaid)
		return mlint_buf_puts(out, "  classDef head fill:#ffd966,stroke:#b45f06\n"
					   "  classDef base stroke-dasharray: 4 2\n"
					   "  classDef new fill:#d9ead3,stroke:#38761d,stroke-width:2px\n"
					   "  classDef newhead fill:#ffd966,stroke:#38761d,stroke-width:3px\n");
	return mlint_buf_puts(out, "}\n");
}

int mlint_report_graph(struct mlint_buf *out, const struct mlint_scriptdir *dirs, size_t nr,
		       enum mlint_graph_format format)
{
	return mlint_report_graph_marked(out, dirs, nr, format, NULL);
}

int mlint_report_graph_marked(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			      size_t nr, enum mlint_graph_format format,
			      const struct mlint_graph_marks *marks)
{
	switch (format) {
	case MLINT_GRAPH_JSON:
		return graph_json(out, dirs, nr);
	case MLINT_GRAPH_DOT:
		return graph_diagram(out, dirs, nr, 0, marks);
	case MLINT_GRAPH_MERMAID:
		return graph_diagram(out, dirs, nr, 1, marks);
	case MLINT_GRAPH_TEXT:
		break;
	}
	for (size_t d = 0; d < nr; d++) {
		const struct mlint_scriptdir_config *c = dirs[d].config;
		/* Several directories: a header line over each one's history. */
		if (nr > 1) {
			mlint_buf_printf(out, "%s# script directory %s", d ? "\n" : "",
					 script_location(&dirs[d]));
			if (c && c->section && strcmp(c->section, "alembic") != 0)
				mlint_buf_printf(out, " [section %s]", c->section);
			mlint_buf_putc(out, '\n');
		}
		if (graph_text(out, &dirs[d]) < 0)
			return MLINT_ERROR;
	}
	return 0;
}
