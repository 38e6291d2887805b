/* All commits reachable from a tip, read once, in topological order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "topowalk.h"
#include "util.h"

void mlint_topowalk_init(struct mlint_topowalk *w)
{
	memset(w, 0, sizeof(*w));
}

void mlint_topowalk_release(struct mlint_topowalk *w)
{
	free(w->commits);
	free(w->parent_index);
	free(w->order);
	free(w->slots);
	mlint_topowalk_init(w);
}

/* ---- id -> index ------------------------------------------------------- */

static size_t hash_id(const git_oid *id)
{
	uint64_t h;
	memcpy(&h, id->id, sizeof(h)); /* object ids are uniform already */
	return (size_t)h;
}

static int grow_slots(struct mlint_topowalk *w)
{
	size_t n = w->nr_slots ? w->nr_slots * 2 : 4096;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < w->nr; i++) {
		size_t at = hash_id(&w->commits[i].id) & (n - 1);
		while (slots[at])
			at = (at + 1) & (n - 1);
		slots[at] = i + 1;
	}
	free(w->slots);
	w->slots = slots;
	w->nr_slots = n;
	return 0;
}

/* The index of commit `id`, added (not read yet) when new. */
static int index_of(struct mlint_topowalk *w, const git_oid *id, size_t *out)
{
	size_t at;

	if ((w->nr + 1) * 2 > w->nr_slots && grow_slots(w) < 0)
		return MLINT_ERROR;
	for (at = hash_id(id) & (w->nr_slots - 1); w->slots[at]; at = (at + 1) & (w->nr_slots - 1))
		if (git_oid_equal(&w->commits[w->slots[at] - 1].id, id)) {
			*out = w->slots[at] - 1;
			return 0;
		}
	if (MLINT_ARRAY_GROW(w->commits, w->alloc, w->nr + 1) < 0)
		return MLINT_ERROR;
	memset(&w->commits[w->nr], 0, sizeof(w->commits[w->nr]));
	git_oid_cpy(&w->commits[w->nr].id, id);
	w->commits[w->nr].first_parent = MLINT_TOPO_NONE;
	w->slots[at] = w->nr + 1;
	*out = w->nr++;
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

static int bad_commit(const git_oid *id)
{
	return mlint_error_set("commit %s is malformed", git_oid_tostr_s(id));
}

/* "<key> <40 hex>\n" at *p: the id, *p moved past the line. */
static int id_line(git_oid *out, const char **p, const char *end, const char *key)
{
	size_t k = strlen(key);
	if ((size_t)(end - *p) < k + 41 || memcmp(*p, key, k) != 0 || (*p)[k + 40] != '\n' ||
	    git_oid_fromstrn(out, *p + k, 40) < 0)
		return 0;
	*p += k + 41;
	return 1;
}

/* The committer line's time: the number after its last '>'. */
static long long committer_time(const char *p, const char *end)
{
	const char *line = NULL, *eol, *gt = NULL;
	long long t = 0;

	for (const char *q = p; q < end && *q != '\n'; q = eol + 1) {
		if (!(eol = memchr(q, '\n', (size_t)(end - q))))
			return 0;
		if ((size_t)(eol - q) > 10 && memcmp(q, "committer ", 10) == 0) {
			line = q;
			break;
		}
	}
	if (!line)
		return 0;
	for (const char *q = line; q < eol; q++)
		if (*q == '>')
			gt = q;
	for (const char *q = gt ? gt + 1 : eol; q < eol && *q == ' '; q++)
		gt = q;
	for (const char *q = gt ? gt + 1 : eol; q < eol && *q >= '0' && *q <= '9'; q++)
		t = t * 10 + (*q - '0');
	return t;
}

static int parse_commit(struct mlint_topowalk *w, size_t i, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	git_oid tree, parent;

	if (!id_line(&tree, &p, end, "tree "))
		return bad_commit(&w->commits[i].id);
	git_oid_cpy(&w->commits[i].tree, &tree);
	w->commits[i].parents = w->nr_parent_index;
	while (id_line(&parent, &p, end, "parent ")) {
		size_t j;
		if (index_of(w, &parent, &j) < 0 ||
		    MLINT_ARRAY_GROW(w->parent_index, w->alloc_parent_index,
				     w->nr_parent_index + 1) < 0)
			return MLINT_ERROR;
		w->parent_index[w->nr_parent_index++] = j;
		w->commits[i].nr_parents++;
	}
	w->commits[i].time = committer_time(p, end);
	return 0;
}

/* Reads commits in the order they were found; *missing[i] for those the
 * object database does not have (a shallow clone's boundary). */
static int read_all(struct mlint_topowalk *w, git_odb *odb, const git_oid *tip,
		    unsigned char **missing)
{
	size_t first;
	int error = index_of(w, tip, &first);

	for (size_t i = 0; i < w->nr && error == 0; i++) {
		git_odb_object *o = NULL;
		int rc = git_odb_read(&o, odb, &w->commits[i].id);
		unsigned char *m;
		if (!(m = realloc(*missing, w->alloc ? w->alloc : 1))) {
			git_odb_object_free(o);
			return mlint_error_set("out of memory");
		}
		*missing = m;
		m[i] = rc == GIT_ENOTFOUND;
		if (rc == 0 && git_odb_object_type(o) != GIT_OBJECT_COMMIT)
			error = bad_commit(&w->commits[i].id);
		else if (rc == 0)
			error = parse_commit(w, i, git_odb_object_data(o), git_odb_object_size(o));
		else if (rc != GIT_ENOTFOUND)
			error = mlint_error_set("cannot read commit %s",
						git_oid_tostr_s(&w->commits[i].id));
		git_odb_object_free(o);
	}
	return error;
}

/* ---- ordering ---------------------------------------------------------- */

/* Max-heap of ready commits: newest committer time first, then the one
 * found first (nearer the tip). */
static int before(const struct mlint_topowalk *w, size_t a, size_t b)
{
	const struct mlint_topo_commit *x = &w->commits[a], *y = &w->commits[b];
	return x->time != y->time ? x->time > y->time : a < b;
}

static void heap_push(const struct mlint_topowalk *w, size_t *heap, size_t *n, size_t v)
{
	size_t at = (*n)++;
	while (at > 0 && before(w, v, heap[(at - 1) / 2])) {
		heap[at] = heap[(at - 1) / 2];
		at = (at - 1) / 2;
	}
	heap[at] = v;
}

static size_t heap_pop(const struct mlint_topowalk *w, size_t *heap, size_t *n)
{
	size_t top = heap[0], last = heap[--(*n)], at = 0;
	for (;;) {
		size_t kid = 2 * at + 1;
		if (kid >= *n)
			break;
		if (kid + 1 < *n && before(w, heap[kid + 1], heap[kid]))
			kid++;
		if (!before(w, heap[kid], last))
			break;
		heap[at] = heap[kid];
		at = kid;
	}
	if (*n > 0)
		heap[at] = last;
	return top;
}

static int order_all(struct mlint_topowalk *w, const unsigned char *missing)
{
	size_t *heap = calloc(w->nr + 1, sizeof(*heap)), nr_heap = 0, nr_order = 0;

	if (!heap || !(w->order = calloc(w->nr + 1, sizeof(*w->order)))) {
		free(heap);
		return mlint_error_set("out of memory");
	}
	for (size_t i = 0; i < w->nr; i++) {
		struct mlint_topo_commit *c = &w->commits[i];
		size_t kept = 0;
		if (missing[i])
			continue;
		/* drop parents that are not there; the first one left leads */
		for (size_t k = 0; k < c->nr_parents; k++) {
			size_t p = w->parent_index[c->parents + k];
			if (!missing[p])
				w->parent_index[c->parents + kept++] = p;
		}
		if (c->nr_parents > 0 && !missing[w->parent_index[c->parents]])
			c->first_parent = w->parent_index[c->parents];
		c->nr_parents = kept;
		for (size_t k = 0; k < kept; k++)
			w->commits[w->parent_index[c->parents + k]].pending++;
	}
	for (size_t i = 0; i < w->nr; i++)
		if (!missing[i] && w->commits[i].pending == 0)
			heap_push(w, heap, &nr_heap, i);
	while (nr_heap > 0) {
		size_t i = heap_pop(w, heap, &nr_heap);
		const struct mlint_topo_commit *c = &w->commits[i];
		w->order[nr_order++] = i;
		for (size_t k = 0; k < c->nr_parents; k++) {
			size_t p = w->parent_index[c->parents + k];
			if (--w->commits[p].pending == 0)
				heap_push(w, heap, &nr_heap, p);
		}
	}
	free(heap);
	w->nr_order = nr_order;
	return 0;
}

int mlint_topowalk_load(struct mlint_topowalk *w, git_odb *odb, const git_oid *tip)
{
	unsigned char *missing = NULL;
	int error = read_all(w, odb, tip, &missing);

	if (error == 0)
		error = order_all(w, missing);
	free(missing);
	return error;
}
