/*
 * graph.h: the revision graph of one script directory, with Alembic's
 * semantics.
 *
 * Heads are revisions that no other revision names in down_revision (a
 * depends_on edge does not make its target a non-head; such a head is an
 * "effective head"). Bases have an empty down_revision. A branch label
 * applies to the revision that declares it and to its descendants.
 * down_revision and depends_on entries resolve against revision ids, then
 * branch labels. Duplicate ids, missing parents and cycles are recorded, never
 * fatal. Everything is iterative: no recursion grows with the history.
 *
 * Ownership: the graph owns its arrays; node `revision` and `labels` strings
 * are borrowed from the inputs, which must outlive the graph.
 */
#ifndef MLINT_GRAPH_H
#define MLINT_GRAPH_H

#include <stddef.h>

/* One revision as a file declares it (all strings borrowed). */
struct mlint_graph_input {
	const char *revision;
	const char *const *down;    /* versioned parents */
	size_t nr_down;
	const char *const *depends; /* depends_on */
	size_t nr_depends;
	const char *const *labels;  /* declared branch labels */
	size_t nr_labels;
	int unknown_parent; /* down_revision is an expression: parents unknown */
	size_t tag; /* caller's index, e.g. of the script */
};

struct mlint_graph_node {
	const char *revision;
	size_t input; /* index into the inputs */
	size_t *parents;  /* resolved versioned parents (node indices) */
	size_t nr_parents;
	size_t *deps;     /* resolved dependencies */
	size_t nr_deps;
	size_t nr_children, nr_dep_children;
	const char **labels; /* declared and inherited, sorted, unique */
	size_t nr_labels;
	unsigned is_head : 1, is_real_head : 1, is_base : 1, is_branch_point : 1,
		is_merge_point : 1, in_cycle : 1;
};

/* A down_revision/depends_on entry that names nothing. */
struct mlint_graph_missing {
	size_t node;
	const char *name;
	int is_dependency;
};

/* A down_revision entry that names a branch label, not a revision id:
 * resolved here (to the label's first declaring revision, `target`), but
 * Alembic itself stops with KeyError on it. */
struct mlint_graph_label_parent {
	size_t node;
	const char *name;
	size_t target;
};

/* An input whose revision id another input also declares: Alembic keeps
 * the one it loads last (mlint_graph.loads_later), this one is dropped. */
struct mlint_graph_duplicate {
	size_t input;     /* index into the inputs: the dropped one */
	size_t first_node; /* the node that kept the id (the file loaded last) */
};

struct mlint_graph_cycle {
	size_t *nodes; /* in parent order: nodes[i+1] is a parent of nodes[i] */
	size_t nr;
};

/* A branch label and the node that declares it. */
struct mlint_graph_label {
	const char *name;
	size_t node;
};

struct mlint_graph {
	struct mlint_graph_node *nodes;
	size_t nr_nodes;
	size_t *heads, nr_heads;  /* in input order */
	size_t *bases, nr_bases;
	size_t *order, nr_order;  /* topological: parents before children */
	struct mlint_graph_missing *missing;
	size_t nr_missing, alloc_missing;
	struct mlint_graph_label_parent *label_parents;
	size_t nr_label_parents, alloc_label_parents;
	struct mlint_graph_duplicate *duplicates;
	size_t nr_duplicates, alloc_duplicates;
	struct mlint_graph_cycle *cycles;
	size_t nr_cycles, alloc_cycles;
	size_t nr_unknown_parents; /* inputs whose parents are unknown */
	/* Set before mlint_graph_build: whether Alembic loads input `a` after
	 * input `b` (by their tags); the later one keeps a duplicated id. NULL:
	 * input order is load order. */
	int (*loads_later)(const void *ctx, size_t tag_a, size_t tag_b);
	const void *loads_later_ctx;
	/* Set before mlint_graph_build (borrowed for the call): the parents
	 * named by migrations whose own revision id could not be read. They
	 * have a child, so they are no heads (a broken file must not make its
	 * parent look like a second head). */
	const char *const *claimed;
	size_t nr_claimed;
	/* open-addressing index: revision id and label -> node */
	size_t *slots, nr_slots;
	struct mlint_graph_label *label_decls; /* sorted by name */
	size_t nr_label_decls, alloc_label_decls;
};

void mlint_graph_init(struct mlint_graph *g);
void mlint_graph_release(struct mlint_graph *g);

int mlint_graph_build(struct mlint_graph *g, const struct mlint_graph_input *inputs, size_t nr);

/* Node index of a revision id, or (size_t)-1. */
size_t mlint_graph_find(const struct mlint_graph *g, const char *revision);

/*
 * The nodes in the order `alembic history` prints them, newest first
 * (Alembic 1.8's topological sort, heads taken in input order): *out (owned
 * by the caller) holds *nr node indices. With a cycle, which Alembic
 * refuses, or with more heads than the ancestor sets can hold in 256 MB,
 * the reverse of `order`.
 */
int mlint_graph_history_order(const struct mlint_graph *g, size_t **out, size_t *nr);

#endif
