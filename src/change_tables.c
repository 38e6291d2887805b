/*
 * Tables the change itself creates hold no rows. A pull request often adds
 * one migration that creates a table and another, later in the same
 * history, that adds a NOT NULL column to it, indexes it or renames it: on
 * its own the later one looks like an ALTER of a table in production, but
 * when the change deploys, `alembic upgrade head` runs both in a row and
 * the table is empty (and no running code knows it yet).
 *
 * So for each migration the change adds, the tables created by the added
 * migrations it descends from (its ancestors in the revision graph that
 * are not applied on the base) count as empty at the start of its upgrade,
 * unless one of those migrations also writes rows into them. Its content
 * rules are run again with those tables, and the findings that no longer
 * hold are dropped: the same judgement the rules give a table created
 * earlier in the same upgrade.
 *
 * Only migrations with a finding of a rule that depends on the table's
 * rows are looked at, and each added ancestor is scanned again at most
 * once (check frees the call lists after the per-file rules).
 */
#include <stdlib.h>
#include <string.h>
#include "mlint/change_set.h"
#include "mlint/check.h"
#include "mlint/ops.h"
#include "mlint/scriptdir.h"
#include "check_files.h"
#include "util.h"

/* The rules whose findings depend on whether the table has rows (or on
 * whether running code knows its name). */
static int depends_on_rows(const char *rule)
{
	static const char *const rules[] = {
		"not-null-without-default", "set-not-null", "add-column-rewrite",
		"alter-column-type", "create-index-not-concurrently",
		"drop-index-not-concurrently", "add-unique-constraint", "add-primary-key",
		"constraint-not-valid", "update-under-lock", "rename-table", "rename-column",
		NULL,
	};
	for (size_t i = 0; rules[i]; i++)
		if (strcmp(rule, rules[i]) == 0)
			return 1;
	return 0;
}

struct names {
	char **items;
	size_t nr, alloc;
};

static int names_has(const struct names *n, const char *name)
{
	for (size_t i = 0; i < n->nr; i++)
		if (strcmp(n->items[i], name) == 0)
			return 1;
	return 0;
}

static int names_add(struct names *n, const char *name)
{
	if (!name || names_has(n, name))
		return 0;
	if (MLINT_ARRAY_GROW(n->items, n->alloc, n->nr + 1) < 0)
		return MLINT_ERROR;
	if (!(n->items[n->nr] = mlint_strdup(name)))
		return MLINT_ERROR;
	n->nr++;
	return 0;
}

static void names_release(struct names *n)
{
	for (size_t i = 0; i < n->nr; i++)
		free(n->items[i]);
	free(n->items);
	memset(n, 0, sizeof(*n));
}

/* What one added migration's upgrade does to tables. */
struct effect {
	int read;             /* computed */
	int writes_elsewhere; /* writes rows into a table mlint cannot name */
	struct names created; /* CREATE TABLE */
	struct names written; /* rows inserted or updated */
};

/* `s` scanned again with its call lists, into `full` (which borrows the
 * source): check dropped them after the per-file rules. */
static int rescan(struct mlint_script *full, const struct mlint_script *s)
{
	memset(full, 0, sizeof(*full));
	mlint_migration_init(&full->m);
	full->path = s->path;
	full->is_migration = s->is_migration;
	if (!(full->source = mlint_script_source(s, &full->source_len)))
		return MLINT_ENOTFOUND;
	return mlint_migration_scan(&full->m, full->source, full->source_len);
}

static int is_write(const struct mlint_op *o)
{
	return o->kind == MLINT_OP_EXECUTE_DML || o->kind == MLINT_OP_BULK_INSERT ||
	       o->kind == MLINT_OP_LOOP_DML;
}

static int read_effect(struct effect *e, const struct mlint_script *s)
{
	struct mlint_script full;
	struct mlint_ops ops;
	int error;

	e->read = 1;
	mlint_ops_init(&ops);
	if ((error = rescan(&full, s)) == MLINT_ENOTFOUND)
		error = 0; /* nothing known: nothing counts as empty */
	for (size_t f = 0; error == 0 && f < full.m.nr_functions; f++) {
		if (!full.m.functions[f].is_upgrade)
			continue;
		mlint_ops_clear(&ops);
		error = mlint_ops_read(&ops, &full.m, full.source, full.source_len, f);
		for (size_t i = 0; error == 0 && i < ops.nr; i++) {
			const struct mlint_op *o = &ops.items[i];
			if (o->kind == MLINT_OP_CREATE_TABLE)
				error = names_add(&e->created, o->table);
			else if (is_write(o) && o->table)
				error = names_add(&e->written, o->table);
			else if (is_write(o))
				e->writes_elsewhere = 1; /* rows into a table it does not name */
		}
	}
	mlint_ops_release(&ops);
	mlint_migration_release(&full.m);
	return error;
}

struct walk {
	const struct mlint_scriptdir *sd;
	const struct mlint_change_set *change;
	struct effect *effects; /* per graph node, read on demand */
	unsigned char *added;   /* per graph node: 1 added, 2 not, 0 not known yet */
	size_t *seen;           /* per graph node: the walk that last visited it, + 1 */
	size_t *stack;
};

static int is_added(struct walk *w, size_t node)
{
	if (!w->added[node]) {
		const struct mlint_script *s = mlint_scriptdir_node_script(w->sd, node);
		w->added[node] = mlint_path_list_has(&w->change->added, s->path) ? 1 : 2;
	}
	return w->added[node] == 1;
}

/* The tables the added ancestors of `node` create and do not fill. */
static int empty_tables_of(struct walk *w, size_t node, struct names *out)
{
	const struct mlint_graph *g = &w->sd->graph;
	struct names written = {NULL, 0, 0};
	size_t top = 0;
	int error = 0, elsewhere = 0;

	w->seen[node] = node + 1;
	w->stack[top++] = node;
	while (top > 0 && error == 0) {
		const struct mlint_graph_node *n = &g->nodes[w->stack[--top]];
		for (size_t k = 0; k < n->nr_parents && error == 0; k++) {
			size_t p = n->parents[k];
			struct effect *e = &w->effects[p];
			if (w->seen[p] == node + 1 || !is_added(w, p))
				continue;
			w->seen[p] = node + 1;
			w->stack[top++] = p;
			if (!e->read)
				error = read_effect(e, mlint_scriptdir_node_script(w->sd, p));
			elsewhere |= e->writes_elsewhere;
			for (size_t i = 0; error == 0 && i < e->created.nr; i++)
				error = names_add(out, e->created.items[i]);
			for (size_t i = 0; error == 0 && i < e->written.nr; i++)
				error = names_add(&written, e->written.items[i]);
		}
	}
	/* rows an added migration wrote (a seed) make the table not empty */
	for (size_t i = 0; i < out->nr;) {
		if (elsewhere || names_has(&written, out->items[i])) {
			free(out->items[i]);
			out->items[i] = out->items[--out->nr];
		} else {
			i++;
		}
	}
	names_release(&written);
	return error;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The paths (copies: dropping findings frees theirs; sorted, once each) of
 * the files with a finding that depends on rows. */
static int rows_finding_paths(const struct mlint_findings *f, char ***out, size_t *nr)
{
	size_t kept = 0;

	*nr = 0;
	if (!(*out = malloc((f->nr ? f->nr : 1) * sizeof(**out))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < f->nr; i++)
		if (depends_on_rows(f->items[i].rule))
			(*out)[(*nr)++] = f->items[i].path;
	qsort(*out, *nr, sizeof(**out), by_string);
	for (size_t i = 0; i < *nr; i++) {
		if (kept && strcmp((*out)[kept - 1], (*out)[i]) == 0)
			continue;
		if (!((*out)[kept] = mlint_strdup((*out)[i]))) {
			*nr = kept;
			return MLINT_ERROR;
		}
		kept++;
	}
	*nr = kept;
	return 0;
}

static int has_path(char *const *paths, size_t nr, const char *path)
{
	return nr && bsearch(&path, paths, nr, sizeof(*paths), by_string) != NULL;
}

struct forget {
	const char *path;
	const struct mlint_findings *before, *after;
};

static int same_place(const struct mlint_finding *a, const struct mlint_finding *b)
{
	return strcmp(a->rule, b->rule) == 0 && a->line == b->line && a->col == b->col;
}

static int listed(const struct mlint_findings *f, const struct mlint_finding *x)
{
	for (size_t i = 0; i < f->nr; i++)
		if (same_place(&f->items[i], x))
			return 1;
	return 0;
}

/* Keeps what the content rules still say with the empty tables known. */
static int keep_still_true(void *ctx, const struct mlint_finding *x)
{
	const struct forget *fg = ctx;
	return strcmp(x->path, fg->path) != 0 || !depends_on_rows(x->rule) ||
	       !listed(fg->before, x) || listed(fg->after, x);
}

static int forget_for(const struct mlint_script *s, const struct names *empty,
		      const struct mlint_check_opts *opts, struct mlint_findings *out)
{
	struct mlint_check_opts with = *opts;
	struct mlint_findings before, after;
	struct mlint_content_scratch scratch;
	struct mlint_script full;
	struct forget fg;
	int error;

	mlint_findings_init(&before);
	mlint_findings_init(&after);
	mlint_content_scratch_init(&scratch);
	with.empty_tables = (const char *const *)empty->items;
	with.nr_empty_tables = empty->nr;
	if ((error = rescan(&full, s)) == 0 &&
	    (error = mlint_check_content_script_in(&full, opts, &before, &scratch)) == 0 &&
	    (error = mlint_check_content_script_in(&full, &with, &after, &scratch)) == 0) {
		fg.path = s->path;
		fg.before = &before;
		fg.after = &after;
		mlint_findings_filter(out, keep_still_true, &fg);
	}
	if (error == MLINT_ENOTFOUND)
		error = 0;
	mlint_content_scratch_release(&scratch);
	mlint_migration_release(&full.m);
	mlint_findings_release(&before);
	mlint_findings_release(&after);
	return error;
}

static int walk_init(struct walk *w, const struct mlint_scriptdir *sd,
		     const struct mlint_change_set *change)
{
	size_t n = sd->graph.nr_nodes;

	memset(w, 0, sizeof(*w));
	w->sd = sd;
	w->change = change;
	w->effects = calloc(n, sizeof(*w->effects));
	w->added = calloc(n, 1);
	w->seen = calloc(n, sizeof(*w->seen));
	w->stack = calloc(n, sizeof(*w->stack));
	if (!w->effects || !w->added || !w->seen || !w->stack)
		return mlint_error_set("out of memory");
	return 0;
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; w->effects && i < w->sd->graph.nr_nodes; i++) {
		names_release(&w->effects[i].created);
		names_release(&w->effects[i].written);
	}
	free(w->effects);
	free(w->added);
	free(w->seen);
	free(w->stack);
}

int mlint_check_change_tables(const struct mlint_scriptdir *sd,
			      const struct mlint_change_set *change,
			      const struct mlint_check_opts *opts, struct mlint_findings *out)
{
	struct walk w;
	char **paths = NULL;
	size_t nr_paths = 0;
	int error;

	if (!change->known || change->added.nr < 2 || sd->graph.nr_nodes == 0)
		return 0;
	error = walk_init(&w, sd, change);
	if (error == 0)
		error = rows_finding_paths(out, &paths, &nr_paths);
	for (size_t node = 0; error == 0 && node < sd->graph.nr_nodes; node++) {
		const struct mlint_script *s = mlint_scriptdir_node_script(sd, node);
		struct names empty = {NULL, 0, 0};
		if (!has_path(paths, nr_paths, s->path) || !is_added(&w, node))
			continue;
		error = empty_tables_of(&w, node, &empty);
		if (error == 0 && empty.nr > 0)
			error = forget_for(s, &empty, opts, out);
		names_release(&empty);
	}
	for (size_t i = 0; i < nr_paths; i++)
		free(paths[i]);
	free(paths);
	walk_release(&w);
	return error;
}
