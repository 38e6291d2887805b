/* Rules about the revision graph: heads, duplicates, parents, cycles. */
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/check.h"
#include "util.h"

#define LIST_MAX 4 /* revisions named in one message before "and N more" */

/* Where a finding in script `s` is, with its source line. */
static int add_at(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
		  unsigned line, unsigned col, const char *message)
{
	struct mlint_location loc = mlint_script_at(s, line, col);
	return mlint_findings_addf(out, mlint_rule_find(rule), &loc, "%s", message);
}

/* ---- multiple-heads -------------------------------------------------- */

struct head_label {
	const char *label; /* NULL: unlabelled */
	size_t node;
};

static int compare_head_labels(const void *a, const void *b)
{
	const struct head_label *x = a, *y = b;
	if (!x->label || !y->label) {
		if (x->label != y->label)
			return x->label ? 1 : -1;
	} else {
		int c = strcmp(x->label, y->label);
		if (c)
			return c;
	}
	return (x->node > y->node) - (x->node < y->node);
}

/* Create Date as written ("2024-05-01 10:00:00.123456": ISO sorts as text);
 * "" when a file has none. */
static const char *create_date(const struct mlint_scriptdir *sd, size_t node)
{
	const char *d = mlint_scriptdir_node_script(sd, node)->m.header.create_date;
	return d ? d : "";
}

/* The head a group's finding is located at: the newest Create Date, then
 * the path that sorts last (the most recent file by naming convention). */
static size_t newest_head(const struct mlint_scriptdir *sd, const struct head_label *group,
			  size_t nr)
{
	size_t best = 0;
	for (size_t i = 1; i < nr; i++) {
		int c = strcmp(create_date(sd, group[i].node), create_date(sd, group[best].node));
		if (c > 0 || (c == 0 && strcmp(mlint_scriptdir_node_script(sd, group[i].node)->path,
					       mlint_scriptdir_node_script(sd, group[best].node)->path) > 0))
			best = i;
	}
	return best;
}

/* Which migrations could not be placed (an expression as down_revision,
 * or below one): named so a reader knows what the heads leave out. */
static void put_unplaced(struct mlint_buf *msg, const struct mlint_scriptdir *sd,
			 const unsigned char *unplaced)
{
	size_t listed = 0, total = 0;

	for (size_t n = 0; n < sd->graph.nr_nodes; n++) {
		if (!unplaced[n] || !sd->inputs[sd->graph.nodes[n].input].unknown_parent)
			continue;
		if (listed < LIST_MAX)
			mlint_buf_printf(msg, "%s'%s'", listed++ ? ", " : "; heads computed without ",
					 sd->graph.nodes[n].revision);
		total++;
	}
	if (total > listed)
		mlint_buf_printf(msg, " and %zu more", total - listed);
	if (total)
		mlint_buf_puts(msg, " (down_revision is an expression: they could not be placed)");
}

static int heads_message(struct mlint_buf *msg, const struct mlint_scriptdir *sd,
			 const struct head_label *group, size_t nr, size_t self,
			 const unsigned char *unplaced)
{
	const struct mlint_graph_node *me = &sd->graph.nodes[group[self].node];
	size_t listed = 0;

	mlint_buf_clear(msg);
	if (group[0].label)
		mlint_buf_printf(msg, "branch '%s' has %zu heads: '%s' (the newest) and ",
				 group[0].label, nr, me->revision);
	else
		mlint_buf_printf(msg, "%zu heads: '%s' (the newest) and ", nr, me->revision);
	for (size_t i = 0; i < nr && listed < LIST_MAX; i++) {
		const struct mlint_graph_node *n = &sd->graph.nodes[group[i].node];
		if (i == self)
			continue;
		mlint_buf_printf(msg, "%s'%s' (%s)", listed ? ", " : "", n->revision,
				 mlint_scriptdir_node_script(sd, group[i].node)->path);
		listed++;
	}
	if (nr - 1 > listed)
		mlint_buf_printf(msg, " and %zu more", nr - 1 - listed);
	mlint_buf_printf(msg, "; merge them: %s -m \"merge heads\"",
			 sd->config && mlint_scriptdir_is_flask(sd->config) ? "flask db merge"
									    : "alembic merge");
	if (nr <= LIST_MAX + 1) {
		for (size_t i = 0; i < nr; i++)
			mlint_buf_printf(msg, " %s", sd->graph.nodes[group[i].node].revision);
	} else {
		mlint_buf_puts(msg, " heads");
	}
	put_unplaced(msg, sd, unplaced);
	return msg->len ? 0 : MLINT_ERROR;
}

/* One finding per set of heads, at the newest. */
static int report_head_group(const struct mlint_scriptdir *sd, const struct head_label *group,
			     size_t nr, const unsigned char *unplaced, struct mlint_findings *out)
{
	struct mlint_buf msg;
	size_t self = newest_head(sd, group, nr);
	const struct mlint_script *s = mlint_scriptdir_node_script(sd, group[self].node);
	int error;

	mlint_buf_init(&msg, 0);
	if ((error = heads_message(&msg, sd, group, nr, self, unplaced)) == 0)
		error = add_at(out, s, "multiple-heads", s->m.revision.line, s->m.revision.col,
			       msg.ptr);
	mlint_buf_release(&msg);
	return error;
}

/*
 * A down_revision written as an expression: that migration and everything
 * below it cannot be placed in the history (its real parent may look like
 * a head). Marked in topological order, so one pass suffices.
 */
static unsigned char *mark_unplaced(const struct mlint_scriptdir *sd)
{
	const struct mlint_graph *g = &sd->graph;
	unsigned char *unplaced = calloc(g->nr_nodes + 1, 1);

	if (!unplaced)
		return NULL;
	for (size_t o = 0; o < g->nr_order; o++) {
		size_t n = g->order[o];
		const struct mlint_graph_node *x = &g->nodes[n];
		unplaced[n] = (unsigned char)sd->inputs[x->input].unknown_parent;
		for (size_t k = 0; k < x->nr_parents && !unplaced[n]; k++)
			unplaced[n] = unplaced[x->parents[k]];
	}
	return unplaced;
}

static int heads_placed(const struct mlint_scriptdir *sd, const unsigned char *unplaced,
			struct head_label **out, size_t *nr)
{
	const struct mlint_graph *g = &sd->graph;
	size_t total = 0;

	*nr = 0;
	for (size_t i = 0; i < g->nr_heads; i++) {
		size_t k = g->nodes[g->heads[i]].nr_labels;
		total += k ? k : 1;
	}
	if (!(*out = malloc((total + 1) * sizeof(**out))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < g->nr_heads; i++) {
		const struct mlint_graph_node *n = &g->nodes[g->heads[i]];
		if (unplaced[g->heads[i]])
			continue;
		if (!n->nr_labels)
			(*out)[(*nr)++] = (struct head_label){NULL, g->heads[i]};
		for (size_t k = 0; k < n->nr_labels; k++)
			(*out)[(*nr)++] = (struct head_label){n->labels[k], g->heads[i]};
	}
	return 0;
}

static int same_label(const struct head_label *a, const struct head_label *b)
{
	return compare_head_labels(&(struct head_label){a->label, 0},
				   &(struct head_label){b->label, 0}) == 0;
}

/* Heads over every migration that could be placed, grouped by branch label. */
static int check_heads(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	struct head_label *pairs = NULL;
	unsigned char *unplaced = NULL;
	size_t nr = 0;
	int error = 0;

	if (sd->graph.nr_heads < 2)
		return 0;
	if (!(unplaced = mark_unplaced(sd)))
		return mlint_error_set("out of memory");
	if ((error = heads_placed(sd, unplaced, &pairs, &nr)) < 0)
		goto done;
	if (nr > 1)
		qsort(pairs, nr, sizeof(*pairs), compare_head_labels);
	for (size_t a = 0, b; a < nr && error == 0; a = b) {
		for (b = a + 1; b < nr && same_label(&pairs[a], &pairs[b]); b++)
			;
		if (b - a > 1)
			error = report_head_group(sd, pairs + a, b - a, unplaced, out);
	}
done:
	free(pairs);
	free(unplaced);
	return error;
}

/* ---- duplicate-revision, missing-parent ------------------------------ */

static int check_duplicates(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	const struct mlint_rule *rule = mlint_rule_find("duplicate-revision");
	for (size_t i = 0; i < sd->graph.nr_duplicates; i++) {
		const struct mlint_graph_duplicate *d = &sd->graph.duplicates[i];
		const struct mlint_script *s = &sd->scripts[sd->inputs[d->input].tag];
		const struct mlint_script *first = mlint_scriptdir_node_script(sd, d->first_node);
		struct mlint_location loc = mlint_script_at(s, s->m.revision.line, s->m.revision.col);
		if (mlint_findings_addf(out, rule, &loc, "revision '%s' is also declared by '%s', which "
					"Alembic loads later and keeps: this file is ignored (older "
					"Alembic, such as 1.8.1, lists files in directory order and may "
					"keep either); give one of them a new revision id",
					mlint_migration_revision(&s->m), first->path) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static int check_missing(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	const struct mlint_rule *rule = mlint_rule_find("missing-parent");
	for (size_t i = 0; i < sd->graph.nr_missing; i++) {
		const struct mlint_graph_missing *x = &sd->graph.missing[i];
		const struct mlint_script *s = mlint_scriptdir_node_script(sd, x->node);
		const struct mlint_value *v = x->is_dependency ? &s->m.depends_on : &s->m.down_revision;
		struct mlint_location loc = mlint_script_at(s, v->line, v->col);
		if (mlint_findings_addf(out, rule, &loc, "%s names '%s', which no migration in '%s' "
					"declares (as a revision or a branch label)",
					x->is_dependency ? "depends_on" : "down_revision", x->name,
					sd->config && sd->config->display ? sd->config->display
									  : ".") < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- parent-is-label ------------------------------------------------- */

static int check_label_parents(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	const struct mlint_rule *rule = mlint_rule_find("parent-is-label");
	for (size_t i = 0; i < sd->graph.nr_label_parents; i++) {
		const struct mlint_graph_label_parent *x = &sd->graph.label_parents[i];
		const struct mlint_script *s = mlint_scriptdir_node_script(sd, x->node);
		struct mlint_location loc = mlint_script_at(s, s->m.down_revision.line, s->m.down_revision.col);
		if (mlint_findings_addf(out, rule, &loc, "down_revision names '%s', a branch label, "
					"not a revision id: Alembic fails with KeyError; write the "
					"revision id of the parent (the label is declared by '%s')",
					x->name, sd->graph.nodes[x->target].revision) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- revision-cycle -------------------------------------------------- */

static int check_cycles(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	struct mlint_buf msg;
	int error = 0;

	mlint_buf_init(&msg, 0);
	for (size_t i = 0; i < sd->graph.nr_cycles && error == 0; i++) {
		const struct mlint_graph_cycle *c = &sd->graph.cycles[i];
		const struct mlint_script *at = mlint_scriptdir_node_script(sd, c->nodes[0]);
		size_t shown = c->nr < 8 ? c->nr : 8;
		/* Report at the member whose path sorts first: stable output. */
		for (size_t k = 1; k < c->nr; k++) {
			const struct mlint_script *s = mlint_scriptdir_node_script(sd, c->nodes[k]);
			if (strcmp(s->path, at->path) < 0)
				at = s;
		}
		mlint_buf_clear(&msg);
		mlint_buf_printf(&msg, "revision cycle of %zu: ", c->nr);
		for (size_t k = 0; k < shown; k++)
			mlint_buf_printf(&msg, "'%s' -> ", sd->graph.nodes[c->nodes[k]].revision);
		if (shown < c->nr)
			mlint_buf_printf(&msg, "... -> ");
		mlint_buf_printf(&msg, "'%s' (each names the next as its parent)",
				 sd->graph.nodes[c->nodes[0]].revision);
		error = add_at(out, at, "revision-cycle", at->m.down_revision.line,
			       at->m.down_revision.col, msg.ptr);
	}
	mlint_buf_release(&msg);
	return error;
}

int mlint_check_graph(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	if (check_duplicates(sd, out) < 0 || check_missing(sd, out) < 0 ||
	    check_label_parents(sd, out) < 0 ||
	    check_cycles(sd, out) < 0 || check_heads(sd, out) < 0)
		return MLINT_ERROR;
	return 0;
}
