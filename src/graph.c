#include <stdint.h>
#include <string.h>
#include "mlint/graph.h"
#include "util.h"

#define NO_NODE ((size_t)-1)

void mlint_graph_init(struct mlint_graph *g)
{
	memset(g, 0, sizeof(*g));
}

void mlint_graph_release(struct mlint_graph *g)
{

	for (size_t i = 0; i < g->nr_nodes; i++) {
		free(g->nodes[i].parents);
		free(g->nodes[i].deps);
		free(g->nodes[i].labels);
	}
	free(g->nodes);
	free(g->heads);
	free(g->bases);
	free(g->order);
	free(g->missing);
	free(g->label_parents);
	free(g->duplicates);
	for (size_t i = 0; i < g->nr_cycles; i++)
		free(g->cycles[i].nodes);
	free(g->cycles);
	free(g->slots);
	free(g->label_decls);
	mlint_graph_init(g);
}

/* FNV-1a */
static uint64_t hash_string(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int index_init(struct mlint_graph *g, size_t capacity)
{
	size_t n = 16;
	while (n < capacity * 2)
		n *= 2;
	g->slots = malloc(n * sizeof(*g->slots));
	if (!g->slots)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < n; i++)
		g->slots[i] = NO_NODE;
	g->nr_slots = n;
	return 0;
}

/* Inserts node i under its revision; returns the node that already had it. */
static size_t index_insert(struct mlint_graph *g, size_t node)
{
	size_t mask = g->nr_slots - 1;
	size_t at = (size_t)hash_string(g->nodes[node].revision) & mask;

	while (g->slots[at] != NO_NODE) {
		if (strcmp(g->nodes[g->slots[at]].revision, g->nodes[node].revision) == 0)
			return g->slots[at];
		at = (at + 1) & mask;
	}
	g->slots[at] = node;
	return NO_NODE;
}

size_t mlint_graph_find(const struct mlint_graph *g, const char *revision)
{
	size_t mask, at;
	if (!g->nr_slots)
		return NO_NODE;
	mask = g->nr_slots - 1;
	at = (size_t)hash_string(revision) & mask;
	while (g->slots[at] != NO_NODE) {
		if (strcmp(g->nodes[g->slots[at]].revision, revision) == 0)
			return g->slots[at];
		at = (at + 1) & mask;
	}
	return NO_NODE;
}

static int compare_labels(const void *a, const void *b)
{
	const struct mlint_graph_label *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->node > y->node) - (x->node < y->node);
}

static int compare_label_names(const void *a, const void *b)
{
	return strcmp(((const struct mlint_graph_label *)a)->name,
		      ((const struct mlint_graph_label *)b)->name);
}

/* A name in down_revision/depends_on: a revision id, else a branch label
 * (*by_label then set). */
static size_t resolve(const struct mlint_graph *g, const char *name, int *by_label)
{
	size_t n = mlint_graph_find(g, name);
	*by_label = 0;
	if (n != NO_NODE)
		return n;
	struct mlint_graph_label key = {name, 0}, *hit;
	if (!g->nr_label_decls)
		return NO_NODE;
	hit = bsearch(&key, g->label_decls, g->nr_label_decls, sizeof(key), compare_label_names);
	if (!hit)
		return NO_NODE;
	while (hit > g->label_decls && strcmp(hit[-1].name, name) == 0)
		hit--; /* the first declaration wins, deterministically */
	*by_label = 1;
	return hit->node;
}

static int note_label_parent(struct mlint_graph *g, size_t node, const char *name, size_t target)
{
	if (MLINT_ARRAY_GROW(g->label_parents, g->alloc_label_parents, g->nr_label_parents + 1) < 0)
		return MLINT_ERROR;
	g->label_parents[g->nr_label_parents].node = node;
	g->label_parents[g->nr_label_parents].name = name;
	g->label_parents[g->nr_label_parents++].target = target;
	return 0;
}

static int loads_later(const struct mlint_graph *g, const struct mlint_graph_input *in,
		       size_t a, size_t b)
{
	if (!g->loads_later)
		return a > b;
	return g->loads_later(g->loads_later_ctx, in[a].tag, in[b].tag);
}

static int add_nodes(struct mlint_graph *g, const struct mlint_graph_input *in, size_t nr)
{
	if (nr && !(g->nodes = calloc(nr, sizeof(*g->nodes))))
		return mlint_error_set("out of memory");
	if (index_init(g, nr) < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < nr; i++) {
		struct mlint_graph_node *n = &g->nodes[g->nr_nodes];
		size_t first;
		n->revision = in[i].revision;
		n->input = i;
		if ((first = index_insert(g, g->nr_nodes)) != NO_NODE) {
			size_t dropped = i;
			if (MLINT_ARRAY_GROW(g->duplicates, g->alloc_duplicates, g->nr_duplicates + 1) < 0)
				return MLINT_ERROR;
			if (loads_later(g, in, i, g->nodes[first].input)) {
				/* Alembic's map keeps the revision it loads last */
				dropped = g->nodes[first].input;
				g->nodes[first].input = i;
				g->nodes[first].revision = in[i].revision;
			}
			g->duplicates[g->nr_duplicates].input = dropped;
			g->duplicates[g->nr_duplicates++].first_node = first;
			memset(n, 0, sizeof(*n));
			continue;
		}
		g->nr_nodes++;
	}
	return 0;
}

static int add_label_decls(struct mlint_graph *g, const struct mlint_graph_input *in)
{
	for (size_t i = 0; i < g->nr_nodes; i++) {
		const struct mlint_graph_input *x = &in[g->nodes[i].input];
		for (size_t k = 0; k < x->nr_labels; k++) {
			if (MLINT_ARRAY_GROW(g->label_decls, g->alloc_label_decls,
					     g->nr_label_decls + 1) < 0)
				return MLINT_ERROR;
			g->label_decls[g->nr_label_decls].name = x->labels[k];
			g->label_decls[g->nr_label_decls++].node = i;
		}
	}
	if (g->nr_label_decls)
		qsort(g->label_decls, g->nr_label_decls, sizeof(*g->label_decls), compare_labels);
	return 0;
}

static int note_missing(struct mlint_graph *g, size_t node, const char *name, int dep)
{
	if (MLINT_ARRAY_GROW(g->missing, g->alloc_missing, g->nr_missing + 1) < 0)
		return MLINT_ERROR;
	g->missing[g->nr_missing].node = node;
	g->missing[g->nr_missing].name = name;
	g->missing[g->nr_missing++].is_dependency = dep;
	return 0;
}

/* Resolves names into `out` (deduplicated, as Alembic's dedupe_tuple). */
static int resolve_all(struct mlint_graph *g, size_t node, const char *const *names, size_t nr,
		       size_t **out, size_t *nr_out, int dep)
{
	if (nr && !(*out = malloc(nr * sizeof(**out))))
		return mlint_error_set("out of memory");
	for (size_t k = 0; k < nr; k++) {
		int by_label;
		size_t target = resolve(g, names[k], &by_label), j;
		if (target == NO_NODE) {
			if (note_missing(g, node, names[k], dep) < 0)
				return MLINT_ERROR;
			continue;
		}
		/* depends_on may name a label (Alembic resolves it there) */
		if (by_label && !dep && note_label_parent(g, node, names[k], target) < 0)
			return MLINT_ERROR;
		for (j = 0; j < *nr_out && (*out)[j] != target; j++)
			;
		if (j == *nr_out)
			(*out)[(*nr_out)++] = target;
	}
	return 0;
}

static int link_nodes(struct mlint_graph *g, const struct mlint_graph_input *in)
{
	for (size_t i = 0; i < g->nr_nodes; i++) {
		struct mlint_graph_node *n = &g->nodes[i];
		const struct mlint_graph_input *x = &in[n->input];
		if (resolve_all(g, i, x->down, x->nr_down, &n->parents, &n->nr_parents, 0) < 0 ||
		    resolve_all(g, i, x->depends, x->nr_depends, &n->deps, &n->nr_deps, 1) < 0)
			return MLINT_ERROR;
		n->is_base = x->nr_down == 0 && !x->unknown_parent;
		g->nr_unknown_parents += !!x->unknown_parent;
		n->is_merge_point = x->nr_down > 1;
	}
	for (size_t i = 0; i < g->nr_nodes; i++) {
		struct mlint_graph_node *n = &g->nodes[i];
		for (size_t k = 0; k < n->nr_parents; k++)
			g->nodes[n->parents[k]].nr_children++;
		for (size_t k = 0; k < n->nr_deps; k++)
			g->nodes[n->deps[k]].nr_dep_children++;
	}
	return 0;
}

/* Kahn's algorithm over parent and dependency edges. */
static int topological_order(struct mlint_graph *g)
{
	size_t *pending = NULL, *child_start = NULL, *children = NULL, head = 0, edges = 0;
	int error = MLINT_ERROR;

	for (size_t i = 0; i < g->nr_nodes; i++)
		edges += g->nodes[i].nr_parents + g->nodes[i].nr_deps;
	pending = calloc(g->nr_nodes + 1, sizeof(*pending));
	child_start = calloc(g->nr_nodes + 1, sizeof(*child_start));
	children = malloc((edges + 1) * sizeof(*children));
	g->order = malloc((g->nr_nodes + 1) * sizeof(*g->order));
	if (!pending || !child_start || !children || !g->order) {
		mlint_error_set("out of memory");
		goto done;
	}
	/* Child lists in one array (counting sort by parent). */
	for (size_t i = 0; i < g->nr_nodes; i++) {
		const struct mlint_graph_node *n = &g->nodes[i];
		pending[i] = n->nr_parents + n->nr_deps;
		for (size_t k = 0; k < n->nr_parents; k++)
			child_start[n->parents[k] + 1]++;
		for (size_t k = 0; k < n->nr_deps; k++)
			child_start[n->deps[k] + 1]++;
	}
	for (size_t i = 0; i < g->nr_nodes; i++)
		child_start[i + 1] += child_start[i];
	{
		size_t *fill = calloc(g->nr_nodes + 1, sizeof(*fill));
		if (!fill) {
			mlint_error_set("out of memory");
			goto done;
		}
		for (size_t i = 0; i < g->nr_nodes; i++) {
			const struct mlint_graph_node *n = &g->nodes[i];
			for (size_t k = 0; k < n->nr_parents; k++)
				children[child_start[n->parents[k]] + fill[n->parents[k]]++] = i;
			for (size_t k = 0; k < n->nr_deps; k++)
				children[child_start[n->deps[k]] + fill[n->deps[k]]++] = i;
		}
		free(fill);
	}
	for (size_t i = 0; i < g->nr_nodes; i++)
		if (pending[i] == 0)
			g->order[g->nr_order++] = i;
	for (head = 0; head < g->nr_order; head++) {
		size_t n = g->order[head];
		for (size_t k = child_start[n]; k < child_start[n + 1]; k++)
			if (--pending[children[k]] == 0)
				g->order[g->nr_order++] = children[k];
	}
	error = 0;
done:
	free(pending);
	free(child_start);
	free(children);
	return error;
}

static int add_cycle(struct mlint_graph *g, const size_t *path, size_t nr)
{
	struct mlint_graph_cycle *c;
	if (MLINT_ARRAY_GROW(g->cycles, g->alloc_cycles, g->nr_cycles + 1) < 0)
		return MLINT_ERROR;
	c = &g->cycles[g->nr_cycles];
	if (!(c->nodes = malloc(nr * sizeof(*c->nodes))))
		return mlint_error_set("out of memory");
	memcpy(c->nodes, path, nr * sizeof(*path));
	c->nr = nr;
	g->nr_cycles++;
	return 0;
}

/* A parent (or dependency) of n that Kahn's order left out, if any. */
static size_t leftover_parent(const struct mlint_graph *g, const unsigned char *ordered, size_t n)
{
	const struct mlint_graph_node *node = &g->nodes[n];
	for (size_t k = 0; k < node->nr_parents; k++)
		if (!ordered[node->parents[k]])
			return node->parents[k];
	for (size_t k = 0; k < node->nr_deps; k++)
		if (!ordered[node->deps[k]])
			return node->deps[k];
	return NO_NODE;
}

/*
 * Nodes outside the order are on a cycle or below one, and each has a
 * left-out parent; walking those parents must come back to a node of the
 * current walk: that loop is a cycle, found once.
 */
static int find_cycles(struct mlint_graph *g)
{
	unsigned char *ordered = calloc(g->nr_nodes + 1, 1);
	size_t *walk = calloc(g->nr_nodes + 1, sizeof(*walk)); /* walk id per node */
	size_t *path = malloc((g->nr_nodes + 1) * sizeof(*path));
	int error = 0;

	if (!ordered || !walk || !path) {
		error = mlint_error_set("out of memory");
		goto done;
	}
	for (size_t i = 0; i < g->nr_order; i++)
		ordered[g->order[i]] = 1;
	for (size_t start = 0; start < g->nr_nodes && error == 0; start++) {
		size_t n = start, len = 0;
		if (ordered[start] || walk[start])
			continue;
		while (n != NO_NODE && !walk[n]) {
			walk[n] = start + 1;
			path[len++] = n;
			n = leftover_parent(g, ordered, n);
		}
		if (n != NO_NODE && walk[n] == start + 1) {
			size_t from = 0;
			while (path[from] != n)
				from++;
			for (size_t k = from; k < len; k++)
				g->nodes[path[k]].in_cycle = 1;
			error = add_cycle(g, path + from, len - from);
		}
	}
done:
	free(ordered);
	free(walk);
	free(path);
	return error;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* labels(n) = declared(n) + labels(versioned parents), in topological order. */
static int propagate_labels(struct mlint_graph *g, const struct mlint_graph_input *in)
{
	for (size_t o = 0; o < g->nr_order; o++) {
		struct mlint_graph_node *n = &g->nodes[g->order[o]];
		const struct mlint_graph_input *x = &in[n->input];
		size_t total = x->nr_labels, w = 0;
		for (size_t k = 0; k < n->nr_parents; k++)
			total += g->nodes[n->parents[k]].nr_labels;
		if (total == 0)
			continue;
		if (!(n->labels = malloc(total * sizeof(*n->labels))))
			return mlint_error_set("out of memory");
		for (size_t k = 0; k < x->nr_labels; k++)
			n->labels[w++] = x->labels[k];
		for (size_t k = 0; k < n->nr_parents; k++) {
			const struct mlint_graph_node *p = &g->nodes[n->parents[k]];
			if (p->nr_labels) /* memcpy from NULL is undefined, even for 0 bytes */
				memcpy(n->labels + w, p->labels, p->nr_labels * sizeof(*p->labels));
			w += p->nr_labels;
		}
		qsort(n->labels, w, sizeof(*n->labels), compare_strings);
		n->nr_labels = 0;
		for (size_t k = 0; k < w; k++)
			if (k == 0 || strcmp(n->labels[k], n->labels[n->nr_labels - 1]) != 0)
				n->labels[n->nr_labels++] = n->labels[k];
	}
	/* Nodes on or below a cycle are outside the order: they keep what they
	 * declare. */
	for (size_t i = 0; i < g->nr_nodes; i++) {
		struct mlint_graph_node *n = &g->nodes[i];
		const struct mlint_graph_input *x = &in[n->input];
		if (x->nr_labels == 0 || n->labels)
			continue;
		if (!(n->labels = malloc(x->nr_labels * sizeof(*n->labels))))
			return mlint_error_set("out of memory");
		memcpy(n->labels, x->labels, x->nr_labels * sizeof(*n->labels));
		n->nr_labels = x->nr_labels;
	}
	return 0;
}

static int collect_heads_and_bases(struct mlint_graph *g)
{
	unsigned char *claimed = calloc(g->nr_nodes + 1, 1);

	g->heads = malloc((g->nr_nodes + 1) * sizeof(*g->heads));
	g->bases = malloc((g->nr_nodes + 1) * sizeof(*g->bases));
	if (!g->heads || !g->bases || !claimed) {
		free(claimed);
		return mlint_error_set("out of memory");
	}
	for (size_t k = 0; k < g->nr_claimed; k++) {
		int by_label;
		size_t n = resolve(g, g->claimed[k], &by_label);
		if (n != NO_NODE)
			claimed[n] = 1;
	}
	for (size_t i = 0; i < g->nr_nodes; i++) {
		struct mlint_graph_node *n = &g->nodes[i];
		n->is_head = n->nr_children == 0 && !claimed[i];
		n->is_real_head = n->is_head && n->nr_dep_children == 0;
		n->is_branch_point = n->nr_children > 1;
		if (n->is_head)
			g->heads[g->nr_heads++] = i;
		if (n->is_base)
			g->bases[g->nr_bases++] = i;
	}
	free(claimed);
	return 0;
}

int mlint_graph_build(struct mlint_graph *g, const struct mlint_graph_input *inputs, size_t nr)
{
	int error;

	if ((error = add_nodes(g, inputs, nr)) < 0 ||
	    (error = add_label_decls(g, inputs)) < 0 ||
	    (error = link_nodes(g, inputs)) < 0 ||
	    (error = topological_order(g)) < 0 ||
	    (error = find_cycles(g)) < 0 ||
	    (error = propagate_labels(g, inputs)) < 0 ||
	    (error = collect_heads_and_bases(g)) < 0)
		return error;
	return 0;
}
