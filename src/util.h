/* Private helpers shared by libmlint's modules. */
#ifndef MLINT_UTIL_H
#define MLINT_UTIL_H

#include <stdlib.h>
#include <string.h>
#include "mlint/common.h"
#include "banned.h"

/*
 * Grows a heap array `ptr` of `nr` used items to hold at least `want` items;
 * `alloc` is its capacity. Evaluates to 0 or MLINT_ERROR (out of memory).
 * `want` is evaluated twice: the common case (room left) costs no call.
 */
#define MLINT_ARRAY_GROW(ptr, alloc, want) \
	((want) <= (alloc) ? 0 : mlint_array_grow((void **)&(ptr), &(alloc), (want), \
						   sizeof(*(ptr))))

int mlint_array_grow(void **ptr, size_t *alloc, size_t want, size_t item);

/* Most threads a parallel pass uses, and the fewest files worth a second one. */
#define MLINT_MAX_THREADS 8
#define MLINT_PARALLEL_MIN_FILES 512

/*
 * Threads for a pass over `files` files: the number of cores, at most
 * MLINT_MAX_THREADS and never more than the files; one below
 * MLINT_PARALLEL_MIN_FILES. MLINT_THREADS overrides (for benchmarks).
 */
size_t mlint_thread_count(size_t files);

/* strdup/strndup that record an error on failure. */
char *mlint_strdup(const char *s);
char *mlint_strndup(const char *s, size_t len);

/* Joins a directory and a name with one '/'; caller frees. */
char *mlint_path_join(const char *dir, const char *name);

/* True when `s` starts with `prefix`. */
static inline int mlint_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#endif
