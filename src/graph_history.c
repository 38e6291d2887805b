/*
 * The order `alembic history` prints revisions in: Alembic's topological
 * sort (RevisionMap._topological_sort, Alembic 1.8), re-done here step by
 * step so that `mlint graph` lists siblings as Alembic does.
 *
 * Alembic walks down from the heads that nothing depends on, taken in the order the revisions were
 * loaded, one branch at a time: a revision is printed once no other branch
 * still being walked has it as an ancestor; a revision with several parents
 * (or a dependency) adds the extra parents as new branches to walk, after
 * the others. "Parents" here are Alembic's normalized down revisions: the
 * down_revision entries, then the depends_on targets that no versioned
 * ancestor already depends on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/graph.h"
#include "util.h"

/* Ancestor sets are bitsets over the nodes; past this many bytes in all,
 * the plain topological order is used instead (10,000 heads over 10,000
 * revisions take 12.5 MB). */
#define HISTORY_MAX_BITS_BYTES ((size_t)256 << 20)

struct history {
	const struct mlint_graph *g;
	size_t words;          /* per bitset */
	size_t **down;         /* normalized down revisions, per node */
	size_t *nr_down;
	size_t *stack;         /* for the walks: at most one entry per edge */
	size_t nr_edges;
	unsigned char *todo;
	size_t *heads;         /* current heads */
	uint64_t **ancestors;  /* per current head */
	size_t nr_heads, alloc_heads, alloc_ancestors;
};

static int bit(const uint64_t *set, size_t i)
{
	return (int)((set[i / 64] >> (i % 64)) & 1);
}

static void set_bit(uint64_t *set, size_t i)
{
	set[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Marks `from` and everything below it, following `down` (the normalized
 * down revisions) or, when NULL, the versioned parents only. */
static void mark_ancestors(struct history *h, uint64_t *set, size_t from, int versioned_only)
{
	size_t top = 0;
	h->stack[top++] = from;
	while (top > 0) {
		size_t n = h->stack[--top];
		const size_t *next = versioned_only ? h->g->nodes[n].parents : h->down[n];
		size_t nr = versioned_only ? h->g->nodes[n].nr_parents : h->nr_down[n];
		if (bit(set, n))
			continue;
		set_bit(set, n);
		for (size_t k = 0; k < nr; k++)
			if (!bit(set, next[k]))
				h->stack[top++] = next[k];
	}
}

static int contains(const size_t *items, size_t nr, size_t x)
{
	for (size_t i = 0; i < nr; i++)
		if (items[i] == x)
			return 1;
	return 0;
}

/* A node's down_revision entries, then its dependencies that no versioned
 * ancestor (itself excluded) also depends on. */
static int normalize(struct history *h, size_t n, uint64_t *scratch)
{
	const struct mlint_graph_node *node = &h->g->nodes[n];
	size_t *down = malloc((node->nr_parents + node->nr_deps + 1) * sizeof(*down)), nr = 0;

	if (!down)
		return mlint_error_set("out of memory");
	for (size_t k = 0; k < node->nr_parents; k++)
		if (!contains(down, nr, node->parents[k]))
			down[nr++] = node->parents[k];
	if (node->nr_deps) {
		unsigned char *inherited = calloc(node->nr_deps, 1);
		if (!inherited) {
			free(down);
			return mlint_error_set("out of memory");
		}
		memset(scratch, 0, h->words * sizeof(*scratch));
		mark_ancestors(h, scratch, n, 1);
		for (size_t a = 0; a < h->g->nr_nodes; a++) {
			const struct mlint_graph_node *anc = &h->g->nodes[a];
			if (a == n || !bit(scratch, a))
				continue;
			for (size_t k = 0; k < node->nr_deps; k++)
				inherited[k] |= contains(anc->deps, anc->nr_deps, node->deps[k]);
		}
		for (size_t k = 0; k < node->nr_deps; k++)
			if (!inherited[k] && !contains(down, nr, node->deps[k]))
				down[nr++] = node->deps[k];
		free(inherited);
	}
	h->down[n] = down;
	h->nr_down[n] = nr;
	return 0;
}

/* Appends a current head with its ancestor set. */
static int push_head(struct history *h, size_t node)
{
	uint64_t *set;
	if (MLINT_ARRAY_GROW(h->heads, h->alloc_heads, h->nr_heads + 1) < 0 ||
	    MLINT_ARRAY_GROW(h->ancestors, h->alloc_ancestors, h->nr_heads + 1) < 0)
		return MLINT_ERROR;
	if (!(set = calloc(h->words, sizeof(*set))))
		return mlint_error_set("out of memory");
	mark_ancestors(h, set, node, 0);
	h->heads[h->nr_heads] = node;
	h->ancestors[h->nr_heads++] = set;
	return 0;
}

static void remove_head(struct history *h, size_t i)
{
	free(h->ancestors[i]);
	memmove(&h->heads[i], &h->heads[i + 1], (h->nr_heads - i - 1) * sizeof(*h->heads));
	memmove(&h->ancestors[i], &h->ancestors[i + 1],
		(h->nr_heads - i - 1) * sizeof(*h->ancestors));
	h->nr_heads--;
}

/* Alembic starts from the "real" heads: nothing names them, neither as a
 * down_revision nor in depends_on. */
static int is_real_head(const struct mlint_graph_node *n)
{
	return n->nr_children == 0 && n->nr_dep_children == 0;
}

/* Another current head that still has `candidate` below it, or `self`. */
static size_t blocking_head(const struct history *h, size_t self, size_t candidate)
{
	for (size_t j = 0; j < h->nr_heads; j++)
		if (j != self && bit(h->ancestors[j], candidate))
			return j;
	return self;
}

/* One step down from current head `i` after `candidate` was printed. */
static int step_down(struct history *h, size_t *i, size_t candidate)
{
	const struct mlint_graph_node *node = &h->g->nodes[candidate];
	size_t first = SIZE_MAX;

	for (size_t k = 0; k < h->nr_down[candidate]; k++) {
		size_t r = h->down[candidate][k];
		if (!h->todo[r] || contains(h->heads, h->nr_heads, r))
			continue;
		if (first == SIZE_MAX) {
			first = r;
			continue;
		}
		if (push_head(h, r) < 0)
			return MLINT_ERROR;
	}
	if (first == SIZE_MAX) {
		remove_head(h, *i);
		*i = *i > 0 ? *i - 1 : 0;
		return 0;
	}
	h->heads[*i] = first;
	if (h->nr_down[candidate] == 1 && node->nr_parents == 1) {
		/* a plain step down a line: the same ancestors, less this one */
		h->ancestors[*i][candidate / 64] &= ~((uint64_t)1 << (candidate % 64));
		return 0;
	}
	memset(h->ancestors[*i], 0, h->words * sizeof(uint64_t));
	mark_ancestors(h, h->ancestors[*i], first, 0);
	return 0;
}

static int walk(struct history *h, size_t *out, size_t *nr_out)
{
	size_t i = 0;
	for (size_t n = 0; n < h->g->nr_nodes; n++)
		if (is_real_head(&h->g->nodes[n]) && push_head(h, n) < 0)
			return MLINT_ERROR;
	while (h->nr_heads > 0) {
		size_t candidate = h->heads[i], j = blocking_head(h, i, candidate);
		if (j != i) {
			i = j;
			continue;
		}
		if (h->todo[candidate]) {
			out[(*nr_out)++] = candidate;
			h->todo[candidate] = 0;
		}
		if (step_down(h, &i, candidate) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static void history_release(struct history *h)
{
	for (size_t n = 0; h->down && n < h->g->nr_nodes; n++)
		free(h->down[n]);
	for (size_t i = 0; i < h->nr_heads; i++)
		free(h->ancestors[i]);
	free(h->down);
	free(h->nr_down);
	free(h->stack);
	free(h->todo);
	free(h->heads);
	free(h->ancestors);
}

static int history_init(struct history *h, const struct mlint_graph *g)
{
	uint64_t *scratch;
	int error = 0;

	memset(h, 0, sizeof(*h));
	h->g = g;
	h->words = g->nr_nodes / 64 + 1;
	for (size_t n = 0; n < g->nr_nodes; n++)
		h->nr_edges += g->nodes[n].nr_parents + g->nodes[n].nr_deps;
	h->down = calloc(g->nr_nodes + 1, sizeof(*h->down));
	h->nr_down = calloc(g->nr_nodes + 1, sizeof(*h->nr_down));
	h->stack = malloc((h->nr_edges + 1) * sizeof(*h->stack));
	h->todo = malloc(g->nr_nodes + 1);
	scratch = calloc(h->words, sizeof(*scratch));
	if (!h->down || !h->nr_down || !h->stack || !h->todo || !scratch)
		error = mlint_error_set("out of memory");
	for (size_t n = 0; error == 0 && n < g->nr_nodes; n++)
		error = normalize(h, n, scratch);
	if (error == 0)
		memset(h->todo, 1, g->nr_nodes);
	free(scratch);
	return error;
}

int mlint_graph_history_order(const struct mlint_graph *g, size_t **out, size_t *nr)
{
	struct history h;
	size_t heads = 0;
	int error;

	*out = NULL;
	*nr = 0;
	for (size_t n = 0; n < g->nr_nodes; n++)
		heads += is_real_head(&g->nodes[n]);
	/* A cycle (Alembic refuses the history), or too many heads for the
	 * bitsets: newest first in the plain topological order. */
	if (g->nr_order < g->nr_nodes ||
	    heads * (g->nr_nodes / 64 + 1) * sizeof(uint64_t) > HISTORY_MAX_BITS_BYTES) {
		if (!(*out = malloc((g->nr_order + 1) * sizeof(**out))))
			return mlint_error_set("out of memory");
		for (size_t o = 0; o < g->nr_order; o++)
			(*out)[o] = g->order[g->nr_order - 1 - o];
		*nr = g->nr_order;
		return 0;
	}
	if (!(*out = malloc((g->nr_nodes + 1) * sizeof(**out))))
		return mlint_error_set("out of memory");
	if ((error = history_init(&h, g)) == 0)
		error = walk(&h, *out, nr);
	history_release(&h);
	if (error < 0) {
		free(*out);
		*out = NULL;
		*nr = 0;
	}
	return error;
}
