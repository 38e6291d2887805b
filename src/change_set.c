/* The change set: sorted path lists and the renames. */
#include <stdlib.h>
#include <string.h>
#include "mlint/change_set.h"
#include "util.h"

void mlint_path_list_release(struct mlint_path_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static size_t path_slot(const struct mlint_path_list *l, const char *path, int *found)
{
	size_t lo = 0, hi = l->nr;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->items[mid], path);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mlint_path_list_add(struct mlint_path_list *l, const char *path)
{
	int found;
	size_t at = path_slot(l, path, &found);
	char *copy;

	if (found)
		return 0;
	if (!(copy = mlint_strdup(path)) || MLINT_ARRAY_GROW(l->items, l->alloc, l->nr + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	memmove(l->items + at + 1, l->items + at, (l->nr - at) * sizeof(char *));
	l->items[at] = copy;
	l->nr++;
	return 0;
}

void mlint_path_list_remove(struct mlint_path_list *l, const char *path)
{
	int found;
	size_t at = path_slot(l, path, &found);

	if (!found)
		return;
	free(l->items[at]);
	memmove(l->items + at, l->items + at + 1, (l->nr - at - 1) * sizeof(char *));
	l->nr--;
}

int mlint_path_list_has(const struct mlint_path_list *l, const char *path)
{
	int found;
	path_slot(l, path, &found);
	return found;
}

void mlint_change_set_init(struct mlint_change_set *c)
{
	memset(c, 0, sizeof(*c));
}

void mlint_change_set_release(struct mlint_change_set *c)
{
	mlint_path_list_release(&c->paths);
	mlint_path_list_release(&c->added);
	mlint_path_list_release(&c->changed);
	mlint_path_list_release(&c->deleted);
	mlint_path_list_release(&c->models);
	for (size_t i = 0; i < c->nr_renamed; i++) {
		free(c->renamed[i].from);
		free(c->renamed[i].to);
	}
	free(c->renamed);
	mlint_change_set_init(c);
}

int mlint_change_set_add_rename(struct mlint_change_set *c, const char *from, const char *to)
{
	struct mlint_rename_pair *p;

	if (MLINT_ARRAY_GROW(c->renamed, c->alloc_renamed, c->nr_renamed + 1) < 0)
		return MLINT_ERROR;
	p = &c->renamed[c->nr_renamed];
	p->from = mlint_strdup(from);
	p->to = mlint_strdup(to);
	if (!p->from || !p->to) {
		free(p->from);
		free(p->to);
		return MLINT_ERROR;
	}
	c->nr_renamed++;
	return 0;
}

/* ---- the result ------------------------------------------------------------- */
