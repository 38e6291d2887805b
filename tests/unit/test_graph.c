/* Unit tests for the revision graph (include/mlint/graph.h), with Alembic's
 * semantics (alembic/script/revision.py). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mlint/graph.h"

#define NO_NODE ((size_t)-1)
#define MAXV 4

/* One revision written as a literal: NULL ends each list. */
struct rev {
	const char *id;
	const char *down[MAXV];
	const char *deps[MAXV];
	const char *labels[MAXV];
};

struct fixture {
	struct mlint_graph g;
	struct mlint_graph_input *inputs;
	/* storage for generated graphs */
	char (*ids)[16];
	const char **downs;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	mlint_graph_init(&f->g);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	mlint_graph_release(&f->g);
	free(f->inputs);
	free(f->ids);
	free(f->downs);
	free(f);
	return 0;
}

static size_t count(const char *const *v)
{
	size_t n = 0;
	while (n < MAXV && v[n])
		n++;
	return n;
}

/* Builds f->g from `revs`; the revs must outlive the graph. */
static void build(struct fixture *f, const struct rev *revs, size_t nr)
{
	f->inputs = calloc(nr + 1, sizeof(*f->inputs));
	assert_non_null(f->inputs);
	for (size_t i = 0; i < nr; i++) {
		f->inputs[i].revision = revs[i].id;
		f->inputs[i].down = revs[i].down;
		f->inputs[i].nr_down = count(revs[i].down);
		f->inputs[i].depends = revs[i].deps;
		f->inputs[i].nr_depends = count(revs[i].deps);
		f->inputs[i].labels = revs[i].labels;
		f->inputs[i].nr_labels = count(revs[i].labels);
		f->inputs[i].tag = i;
	}
	assert_int_equal(mlint_graph_build(&f->g, f->inputs, nr), 0);
}

static size_t node(const struct fixture *f, const char *id)
{
	size_t n = mlint_graph_find(&f->g, id);
	if (n == NO_NODE)
		fail_msg("no node '%s'", id);
	return n;
}

static const struct mlint_graph_node *N(const struct fixture *f, const char *id)
{
	return &f->g.nodes[node(f, id)];
}

/* Asserts the list of node indices names exactly `want` (NULL-ended), in order. */
static void assert_ids(const struct fixture *f, const size_t *list, size_t nr,
		       const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	if (nr != n)
		fail_msg("%zu nodes, want %zu", nr, n);
	for (size_t i = 0; i < nr; i++)
		assert_string_equal(f->g.nodes[list[i]].revision, want[i]);
}

static void assert_labels(const struct fixture *f, const char *id, const char *const *want)
{
	const struct mlint_graph_node *n = N(f, id);
	size_t nr = 0;
	while (want[nr])
		nr++;
	if (n->nr_labels != nr)
		fail_msg("'%s' has %zu labels, want %zu", id, n->nr_labels, nr);
	for (size_t i = 0; i < nr; i++)
		assert_string_equal(n->labels[i], want[i]);
}

static int has_parent(const struct mlint_graph_node *n, size_t p)
{
	for (size_t k = 0; k < n->nr_parents; k++)
		if (n->parents[k] == p)
			return 1;
	return 0;
}

static int has_dep(const struct mlint_graph_node *n, size_t p)
{
	for (size_t k = 0; k < n->nr_deps; k++)
		if (n->deps[k] == p)
			return 1;
	return 0;
}

/* Every node is in the order once, after each parent and dependency. */
static void assert_topological(const struct fixture *f)
{
	const struct mlint_graph *g = &f->g;
	size_t *pos = malloc((g->nr_nodes + 1) * sizeof(*pos));

	assert_non_null(pos);
	assert_int_equal(g->nr_order, g->nr_nodes);
	for (size_t i = 0; i < g->nr_nodes; i++)
		pos[i] = NO_NODE;
	for (size_t i = 0; i < g->nr_order; i++) {
		assert_true(g->order[i] < g->nr_nodes);
		assert_true(pos[g->order[i]] == NO_NODE);
		pos[g->order[i]] = i;
	}
	for (size_t i = 0; i < g->nr_nodes; i++) {
		const struct mlint_graph_node *n = &g->nodes[i];
		for (size_t k = 0; k < n->nr_parents; k++)
			if (pos[n->parents[k]] >= pos[i])
				fail_msg("'%s' comes before its parent", n->revision);
		for (size_t k = 0; k < n->nr_deps; k++)
			if (pos[n->deps[k]] >= pos[i])
				fail_msg("'%s' comes before its dependency", n->revision);
	}
	free(pos);
}

/* The cycle is a closed walk over parent (or dependency) edges. */
static void assert_cycle_shape(const struct fixture *f, const struct mlint_graph_cycle *c)
{
	assert_true(c->nr > 0);
	for (size_t i = 0; i < c->nr; i++) {
		const struct mlint_graph_node *n = &f->g.nodes[c->nodes[i]];
		size_t next = c->nodes[(i + 1) % c->nr];
		assert_true(n->in_cycle);
		if (!has_parent(n, next) && !has_dep(n, next))
			fail_msg("cycle step %zu: '%s' -> '%s' is no edge", i, n->revision,
				 f->g.nodes[next].revision);
	}
}

/* Generated ids "r0", "r1", ... */
static void make_ids(struct fixture *f, size_t nr)
{
	f->ids = calloc(nr, sizeof(*f->ids));
	f->downs = calloc(nr, sizeof(*f->downs));
	f->inputs = calloc(nr, sizeof(*f->inputs));
	assert_non_null(f->ids);
	assert_non_null(f->downs);
	assert_non_null(f->inputs);
	for (size_t i = 0; i < nr; i++)
		snprintf(f->ids[i], sizeof(f->ids[i]), "r%u", (unsigned)(i % 10000000u));
}

/* ---- shape ----------------------------------------------------------- */

static void test_graph_empty(void **state)
{
	struct fixture *f = *state;

	build(f, NULL, 0);
	assert_int_equal(f->g.nr_nodes, 0);
	assert_int_equal(f->g.nr_heads, 0);
	assert_int_equal(f->g.nr_bases, 0);
	assert_int_equal(f->g.nr_order, 0);
	assert_int_equal(f->g.nr_cycles, 0);
	assert_true(mlint_graph_find(&f->g, "a") == NO_NODE);
}

static void test_graph_linear(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"c", {"b"}, {0}, {0}},
		{"a", {0}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
	};

	build(f, revs, 3);
	assert_int_equal(f->g.nr_nodes, 3);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"c", NULL});
	assert_ids(f, f->g.bases, f->g.nr_bases, (const char *[]){"a", NULL});
	assert_ids(f, f->g.order, f->g.nr_order, (const char *[]){"a", "b", "c", NULL});
	assert_true(N(f, "c")->is_head);
	assert_true(N(f, "c")->is_real_head);
	assert_false(N(f, "b")->is_head);
	assert_true(N(f, "a")->is_base);
	assert_false(N(f, "b")->is_base);
	assert_false(N(f, "a")->is_branch_point);
	assert_false(N(f, "c")->is_merge_point);
	assert_int_equal(N(f, "b")->nr_parents, 1);
	assert_true(has_parent(N(f, "b"), node(f, "a")));
	assert_int_equal(N(f, "a")->nr_children, 1);
	assert_int_equal(f->g.nr_missing, 0);
	assert_int_equal(f->g.nr_duplicates, 0);
	assert_int_equal(f->g.nr_cycles, 0);
	/* node.input is the index of the input; find works for all. */
	assert_int_equal(N(f, "c")->input, 0);
	assert_int_equal(N(f, "a")->input, 1);
	assert_true(mlint_graph_find(&f->g, "d") == NO_NODE);
}

static void test_graph_branch_and_merge(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
		{"c", {"a"}, {0}, {0}},
		{"d", {"b", "c"}, {0}, {0}},
		{"e", {"d"}, {0}, {0}},
	};

	build(f, revs, 5);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"e", NULL});
	assert_true(N(f, "a")->is_branch_point);
	assert_int_equal(N(f, "a")->nr_children, 2);
	assert_false(N(f, "b")->is_branch_point);
	assert_true(N(f, "d")->is_merge_point);
	assert_int_equal(N(f, "d")->nr_parents, 2);
	assert_false(N(f, "e")->is_merge_point);
	assert_false(N(f, "a")->is_merge_point);
	assert_topological(f);
}

static void test_graph_two_heads_in_input_order(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"z", {"a"}, {0}, {0}},
		{"a", {0}, {0}, {0}},
		{"m", {"a"}, {0}, {0}},
	};

	build(f, revs, 3);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"z", "m", NULL});
	assert_true(N(f, "z")->is_real_head);
	assert_true(N(f, "m")->is_real_head);
	assert_true(N(f, "a")->is_branch_point);
}

static void test_graph_multiple_bases(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {0}},
		{"x", {0}, {0}, {0}},
		{"m", {"a", "x"}, {0}, {0}},
	};

	build(f, revs, 3);
	assert_ids(f, f->g.bases, f->g.nr_bases, (const char *[]){"a", "x", NULL});
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"m", NULL});
	assert_true(N(f, "m")->is_merge_point);
}

static void test_graph_depends_on_keeps_head(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
		{"c", {0}, {"b"}, {0}},
	};

	build(f, revs, 3);
	/* b is named only by depends_on: still a head, but not a real one. */
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"b", "c", NULL});
	assert_true(N(f, "b")->is_head);
	assert_false(N(f, "b")->is_real_head);
	assert_true(N(f, "c")->is_real_head);
	assert_int_equal(N(f, "b")->nr_children, 0);
	assert_int_equal(N(f, "b")->nr_dep_children, 1);
	assert_int_equal(N(f, "c")->nr_deps, 1);
	assert_true(has_dep(N(f, "c"), node(f, "b")));
	assert_int_equal(N(f, "c")->nr_parents, 0);
	/* c has no down_revision: a base. */
	assert_ids(f, f->g.bases, f->g.nr_bases, (const char *[]){"a", "c", NULL});
	assert_topological(f);
	assert_int_equal(f->g.nr_missing, 0);
}

static void test_graph_topological_order(void **state)
{
	struct fixture *f = *state;
	/* Children before parents in the input, a dependency across branches. */
	static const struct rev revs[] = {
		{"h", {"f", "g"}, {0}, {0}},
		{"g", {"e"}, {"f"}, {0}},
		{"f", {"d"}, {0}, {0}},
		{"e", {"b"}, {0}, {0}},
		{"d", {"c"}, {0}, {0}},
		{"c", {"b"}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
		{"a", {0}, {0}, {0}},
	};

	build(f, revs, 8);
	assert_topological(f);
	assert_int_equal(f->g.order[0], node(f, "a"));
	assert_int_equal(f->g.order[7], node(f, "h"));
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"h", NULL});
}

static void test_graph_duplicate_parent_names_once(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {0}},
		{"b", {"a", "a"}, {"a"}, {0}},
	};

	build(f, revs, 2);
	assert_int_equal(N(f, "b")->nr_parents, 1);
	assert_int_equal(N(f, "a")->nr_children, 1);
	assert_false(N(f, "a")->is_branch_point);
	assert_topological(f);
}

/* ---- branch labels --------------------------------------------------- */

static void test_graph_labels_propagate_to_descendants(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
		{"c", {"a"}, {0}, {"feature"}},
		{"d", {"c"}, {0}, {0}},
		{"e", {"d"}, {0}, {0}},
	};

	build(f, revs, 5);
	assert_labels(f, "c", (const char *[]){"feature", NULL});
	assert_labels(f, "d", (const char *[]){"feature", NULL});
	assert_labels(f, "e", (const char *[]){"feature", NULL});
	/* Not to the ancestor above the branch point, nor to the sibling. */
	assert_labels(f, "a", (const char *[]){NULL});
	assert_labels(f, "b", (const char *[]){NULL});
}

static void test_graph_labels_merge_sorted_unique(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {"zeta"}},
		{"b", {"a"}, {0}, {0}},
		{"c", {"a"}, {0}, {0}},
		{"d", {"b", "c"}, {0}, {0}},   /* zeta from both sides: once */
		{"x", {0}, {0}, {"mid", "alpha", "mid"}},
		{"m", {"d", "x"}, {0}, {"beta"}},
		{"n", {"m"}, {0}, {0}},
	};

	build(f, revs, 7);
	assert_labels(f, "x", (const char *[]){"alpha", "mid", NULL});
	assert_labels(f, "d", (const char *[]){"zeta", NULL});
	assert_labels(f, "m", (const char *[]){"alpha", "beta", "mid", "zeta", NULL});
	assert_labels(f, "n", (const char *[]){"alpha", "beta", "mid", "zeta", NULL});
}

static void test_graph_labels_not_through_depends_on(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {"core"}},
		{"x", {0}, {"a"}, {"other"}},
	};

	build(f, revs, 2);
	assert_labels(f, "x", (const char *[]){"other", NULL});
	assert_labels(f, "a", (const char *[]){"core", NULL});
}

static void test_graph_parent_by_branch_label(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a1", {0}, {0}, {"core"}},
		{"b1", {"core"}, {0}, {0}},
		{"c1", {0}, {"core"}, {0}},
	};

	build(f, revs, 3);
	assert_int_equal(f->g.nr_missing, 0);
	assert_int_equal(N(f, "b1")->nr_parents, 1);
	assert_true(has_parent(N(f, "b1"), node(f, "a1")));
	assert_true(has_dep(N(f, "c1"), node(f, "a1")));
	assert_false(N(f, "a1")->is_head);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"b1", "c1", NULL});
	assert_labels(f, "b1", (const char *[]){"core", NULL});
	/* A label is not a revision id. */
	assert_true(mlint_graph_find(&f->g, "core") == NO_NODE);
}

static void test_graph_revision_id_before_label(void **state)
{
	struct fixture *f = *state;
	/* "core" is both a revision id and another revision's label: ids win. */
	static const struct rev revs[] = {
		{"core", {0}, {0}, {0}},
		{"lab", {0}, {0}, {"core"}},
		{"child", {"core"}, {0}, {0}},
	};

	build(f, revs, 3);
	assert_true(has_parent(N(f, "child"), node(f, "core")));
	assert_true(N(f, "lab")->is_head);
}

/* ---- recorded problems ----------------------------------------------- */

static void test_graph_duplicate_ids(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {"b"}, {0}, {0}},
		{"b", {0}, {0}, {0}},
		{"a", {0}, {0}, {0}},
		{"c", {"a"}, {0}, {0}},
	};

	build(f, revs, 4);
	assert_int_equal(f->g.nr_nodes, 3);
	assert_int_equal(f->g.nr_duplicates, 1);
	assert_int_equal(f->g.duplicates[0].input, 0);
	assert_int_equal(f->g.duplicates[0].first_node, node(f, "a"));
	/* As in Alembic's revision map, the input loaded last keeps the id; the
	 * dropped one's edges are not used (no cycle through a -> b). */
	assert_int_equal(N(f, "a")->input, 2);
	assert_true(N(f, "a")->is_base);
	assert_int_equal(N(f, "a")->nr_parents, 0);
	assert_int_equal(f->g.nr_cycles, 0);
	assert_true(has_parent(N(f, "c"), node(f, "a")));
	/* Nothing kept names b as a parent: b is a head again. */
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"b", "c", NULL});
	assert_topological(f);
	for (size_t i = 0; i < f->g.nr_nodes; i++)
		assert_true(f->g.nodes[i].input != 0);
}

static void test_graph_missing_parents(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {0}, {0}},
		{"b", {"a", "gone"}, {"lost"}, {0}},
		{"c", {"nowhere"}, {0}, {0}},
	};

	build(f, revs, 3);
	assert_int_equal(f->g.nr_missing, 3);
	for (size_t i = 0; i < f->g.nr_missing; i++) {
		const struct mlint_graph_missing *m = &f->g.missing[i];
		if (strcmp(m->name, "gone") == 0) {
			assert_int_equal(m->node, node(f, "b"));
			assert_false(m->is_dependency);
		} else if (strcmp(m->name, "lost") == 0) {
			assert_int_equal(m->node, node(f, "b"));
			assert_true(m->is_dependency);
		} else if (strcmp(m->name, "nowhere") == 0) {
			assert_int_equal(m->node, node(f, "c"));
			assert_false(m->is_dependency);
		} else {
			fail_msg("unexpected missing '%s'", m->name);
		}
	}
	assert_int_equal(N(f, "b")->nr_parents, 1);
	/* A revision whose parent is missing is not a base. */
	assert_false(N(f, "c")->is_base);
	assert_ids(f, f->g.bases, f->g.nr_bases, (const char *[]){"a", NULL});
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"b", "c", NULL});
	assert_int_equal(f->g.nr_cycles, 0);
	assert_topological(f);
}

/* ---- cycles ---------------------------------------------------------- */

static void test_graph_cycle_self_parent(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {"a"}, {0}, {0}},
	};

	build(f, revs, 1);
	assert_int_equal(f->g.nr_cycles, 1);
	assert_int_equal(f->g.cycles[0].nr, 1);
	assert_int_equal(f->g.cycles[0].nodes[0], node(f, "a"));
	assert_true(N(f, "a")->in_cycle);
	assert_cycle_shape(f, &f->g.cycles[0]);
	assert_int_equal(f->g.nr_heads, 0);
	assert_int_equal(f->g.nr_bases, 0);
	assert_int_equal(f->g.nr_order, 0);
	assert_int_equal(f->g.nr_missing, 0);
}

static void test_graph_cycle_of_two(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {"b"}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
	};

	build(f, revs, 2);
	assert_int_equal(f->g.nr_cycles, 1);
	assert_int_equal(f->g.cycles[0].nr, 2);
	assert_cycle_shape(f, &f->g.cycles[0]);
	assert_int_equal(f->g.nr_heads, 0);
}

static void test_graph_cycle_of_three_below_base(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"base", {0}, {0}, {0}},
		{"a", {"c", "base"}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
		{"c", {"b"}, {0}, {0}},
		{"d", {"c"}, {0}, {0}}, /* below the cycle: not on it */
		{"e", {"d"}, {0}, {0}},
	};

	build(f, revs, 6);
	assert_int_equal(f->g.nr_cycles, 1);
	assert_int_equal(f->g.cycles[0].nr, 3);
	assert_cycle_shape(f, &f->g.cycles[0]);
	assert_true(N(f, "a")->in_cycle);
	assert_true(N(f, "b")->in_cycle);
	assert_true(N(f, "c")->in_cycle);
	assert_false(N(f, "d")->in_cycle);
	assert_false(N(f, "e")->in_cycle);
	assert_false(N(f, "base")->in_cycle);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"e", NULL});
}

static void test_graph_cycle_through_depends_on(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {0}, {"b"}, {0}},
		{"b", {"a"}, {0}, {0}},
	};

	build(f, revs, 2);
	/* Alembic: DependencyCycleDetected. */
	assert_int_equal(f->g.nr_cycles, 1);
	assert_int_equal(f->g.cycles[0].nr, 2);
	assert_cycle_shape(f, &f->g.cycles[0]);
}

static void test_graph_two_disjoint_cycles(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {"b"}, {0}, {0}},
		{"b", {"a"}, {0}, {0}},
		{"ok", {0}, {0}, {0}},
		{"x", {"z"}, {0}, {0}},
		{"y", {"x"}, {0}, {0}},
		{"z", {"y"}, {0}, {0}},
		{"w", {"b", "y"}, {0}, {0}}, /* below both cycles */
	};
	size_t sizes[2];

	build(f, revs, 7);
	assert_int_equal(f->g.nr_cycles, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_cycle_shape(f, &f->g.cycles[i]);
		sizes[i] = f->g.cycles[i].nr;
	}
	assert_int_equal(sizes[0] + sizes[1], 5);
	assert_true((sizes[0] == 2 && sizes[1] == 3) || (sizes[0] == 3 && sizes[1] == 2));
	assert_false(N(f, "ok")->in_cycle);
	assert_false(N(f, "w")->in_cycle);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"ok", "w", NULL});
}

static void test_graph_labels_on_and_below_cycle(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {"b"}, {0}, {"loop"}},
		{"b", {"a"}, {0}, {0}},
		{"c", {"a"}, {0}, {"below"}},
	};

	build(f, revs, 3);
	assert_int_equal(f->g.nr_cycles, 1);
	assert_false(N(f, "c")->in_cycle);
	/* Whatever is inherited, a revision always carries what it declares. */
	assert_true(N(f, "a")->nr_labels >= 1);
	assert_true(N(f, "c")->nr_labels >= 1);
	{
		int found = 0;
		for (size_t i = 0; i < N(f, "c")->nr_labels; i++)
			found |= strcmp(N(f, "c")->labels[i], "below") == 0;
		assert_true(found);
	}
}

static void test_graph_cycle_of_5000(void **state)
{
	struct fixture *f = *state;
	const size_t nr = 5000;

	make_ids(f, nr);
	for (size_t i = 0; i < nr; i++) {
		f->downs[i] = f->ids[(i + 1) % nr];
		f->inputs[i].revision = f->ids[i];
		f->inputs[i].down = &f->downs[i];
		f->inputs[i].nr_down = 1;
		f->inputs[i].tag = i;
	}
	assert_int_equal(mlint_graph_build(&f->g, f->inputs, nr), 0);
	assert_int_equal(f->g.nr_nodes, nr);
	assert_int_equal(f->g.nr_cycles, 1);
	assert_int_equal(f->g.cycles[0].nr, nr);
	assert_cycle_shape(f, &f->g.cycles[0]);
	assert_int_equal(f->g.nr_heads, 0);
	assert_int_equal(f->g.nr_bases, 0);
}

/* ---- size ------------------------------------------------------------ */

static void test_graph_chain_100000(void **state)
{
	struct fixture *f = *state;
	const size_t nr = 100000;
	clock_t start;
	double secs;

	make_ids(f, nr);
	/* Newest first, as a directory listing might give them. */
	for (size_t i = 0; i < nr; i++) {
		size_t r = nr - 1 - i;
		f->inputs[i].revision = f->ids[r];
		if (r > 0) {
			f->downs[i] = f->ids[r - 1];
			f->inputs[i].down = &f->downs[i];
			f->inputs[i].nr_down = 1;
		}
		f->inputs[i].tag = i;
	}
	start = clock();
	assert_int_equal(mlint_graph_build(&f->g, f->inputs, nr), 0);
	secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	if (secs > 2.0)
		fail_msg("building a 100000-node chain took %.2f s", secs);
	assert_int_equal(f->g.nr_nodes, nr);
	assert_ids(f, f->g.heads, f->g.nr_heads, (const char *[]){"r99999", NULL});
	assert_ids(f, f->g.bases, f->g.nr_bases, (const char *[]){"r0", NULL});
	assert_int_equal(f->g.nr_cycles, 0);
	assert_int_equal(f->g.nr_missing, 0);
	assert_topological(f);
	for (size_t i = 0; i < nr; i++)
		assert_ptr_equal(f->g.nodes[f->g.order[i]].revision, f->ids[i]);
}

/* alembic history's order: after a merge, Alembic walks its first parent's
 * line until another branch still needs a revision, then the next. */
static void history(struct fixture *f, const char *const *want)
{
	size_t *order, nr;
	assert_int_equal(mlint_graph_history_order(&f->g, &order, &nr), 0);
	assert_ids(f, order, nr, want);
	free(order);
}

static void test_graph_history_order_merge(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {NULL}, {NULL}, {NULL}},
		{"b", {"a", NULL}, {NULL}, {NULL}},
		{"c", {"a", NULL}, {NULL}, {NULL}},
		{"b2", {"b", NULL}, {NULL}, {NULL}},
		{"m", {"b2", "c", NULL}, {NULL}, {NULL}},
	};
	build(f, revs, 5);
	history(f, (const char *[]){"m", "b2", "b", "c", "a", NULL});
}

/* Two heads in input order; the shared base comes once, after both. */
static void test_graph_history_order_heads(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"z", {"a", NULL}, {NULL}, {NULL}},
		{"a", {NULL}, {NULL}, {NULL}},
		{"y", {"a", NULL}, {NULL}, {NULL}},
	};
	build(f, revs, 3);
	history(f, (const char *[]){"z", "y", "a", NULL});
}

/* A head that only depends_on names (an effective head) is reached through
 * the dependency, not walked from first. */
static void test_graph_history_order_depends_on(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {NULL}, {NULL}, {NULL}},
		{"b", {"a", NULL}, {NULL}, {NULL}},
		{"x", {NULL}, {"b", NULL}, {NULL}},
		{"c", {"a", NULL}, {NULL}, {NULL}},
	};
	build(f, revs, 4);
	history(f, (const char *[]){"x", "b", "c", "a", NULL});
}

/* Alembic refuses a cycle; mlint still prints what is not on it. */
static void test_graph_history_order_cycle(void **state)
{
	struct fixture *f = *state;
	static const struct rev revs[] = {
		{"a", {NULL}, {NULL}, {NULL}},
		{"b", {"a", "c", NULL}, {NULL}, {NULL}},
		{"c", {"b", NULL}, {NULL}, {NULL}},
	};
	build(f, revs, 3);
	history(f, (const char *[]){"a", NULL});
}

static void test_graph_10000_heads(void **state)
{
	struct fixture *f = *state;
	const size_t nr = 10001;
	size_t root;

	make_ids(f, nr);
	for (size_t i = 0; i < nr; i++) {
		f->inputs[i].revision = f->ids[i];
		if (i > 0) {
			f->downs[i] = f->ids[0];
			f->inputs[i].down = &f->downs[i];
			f->inputs[i].nr_down = 1;
		}
	}
	assert_int_equal(mlint_graph_build(&f->g, f->inputs, nr), 0);
	root = node(f, "r0");
	assert_int_equal(f->g.nr_heads, 10000);
	for (size_t i = 0; i < f->g.nr_heads; i++)
		assert_string_equal(f->g.nodes[f->g.heads[i]].revision, f->ids[i + 1]);
	assert_true(f->g.nodes[root].is_branch_point);
	assert_int_equal(f->g.nodes[root].nr_children, 10000);
	assert_topological(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_graph_empty),
		T(test_graph_linear),
		T(test_graph_branch_and_merge),
		T(test_graph_two_heads_in_input_order),
		T(test_graph_multiple_bases),
		T(test_graph_depends_on_keeps_head),
		T(test_graph_topological_order),
		T(test_graph_duplicate_parent_names_once),
		T(test_graph_labels_propagate_to_descendants),
		T(test_graph_labels_merge_sorted_unique),
		T(test_graph_labels_not_through_depends_on),
		T(test_graph_parent_by_branch_label),
		T(test_graph_revision_id_before_label),
		T(test_graph_duplicate_ids),
		T(test_graph_missing_parents),
		T(test_graph_cycle_self_parent),
		T(test_graph_cycle_of_two),
		T(test_graph_cycle_of_three_below_base),
		T(test_graph_cycle_through_depends_on),
		T(test_graph_two_disjoint_cycles),
		T(test_graph_labels_on_and_below_cycle),
		T(test_graph_cycle_of_5000),
		T(test_graph_chain_100000),
		T(test_graph_10000_heads),
		T(test_graph_history_order_merge),
		T(test_graph_history_order_heads),
		T(test_graph_history_order_depends_on),
		T(test_graph_history_order_cycle),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
