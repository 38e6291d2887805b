/*
 * strmap.h (private): an open-addressing map from strings to indices, for
 * path sets that grow while they are used (history walks, rename targets).
 * The map owns copies of its keys.
 */
#ifndef MLINT_STRMAP_H
#define MLINT_STRMAP_H

#include <stddef.h>

struct mlint_strmap {
	char **keys;
	size_t *values;
	size_t nr, cap; /* cap is 0 or a power of two */
};

#define MLINT_STRMAP_INIT {0}

/* Adds key -> value unless key is present (then nothing changes). */
int mlint_strmap_add(struct mlint_strmap *m, const char *key, size_t value);

/* The value of key, or NULL. Valid until the next add. */
const size_t *mlint_strmap_find(const struct mlint_strmap *m, const char *key);

void mlint_strmap_release(struct mlint_strmap *m);

#endif
