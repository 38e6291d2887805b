#include <string.h>
#include "arena.h"
#include "util.h"

struct mlint_arena_block {
	struct mlint_arena_block *next;
	size_t used, cap;
	size_t last; /* offset of the newest allocation, the one trim may shrink */
	char data[];
};

/* The first block fits a typical migration's call names and arguments; the
 * next ones double up to LARGEST_BLOCK, so a file with 100,000 calls takes
 * a few dozen blocks. A larger string gets a block of its own size. */
#define FIRST_BLOCK 512
#define LARGEST_BLOCK 65536

void mlint_arena_release(struct mlint_arena_block **arena)
{
	struct mlint_arena_block *b = *arena;
	while (b) {
		struct mlint_arena_block *next = b->next;
		free(b);
		b = next;
	}
	*arena = NULL;
}

void mlint_arena_reset(struct mlint_arena_block **arena)
{
	struct mlint_arena_block *keep = *arena;

	if (!keep)
		return;
	mlint_arena_release(&keep->next);
	keep->used = keep->last = 0;
}

static struct mlint_arena_block *new_block(struct mlint_arena_block **arena, size_t n,
					   size_t cap)
{
	struct mlint_arena_block *b, *head = *arena;

	if (cap < n)
		cap = n;
	if (cap > ((size_t)-1) - sizeof(*b)) {
		mlint_error_set("out of memory");
		return NULL;
	}
	if (!(b = malloc(sizeof(*b) + cap))) {
		mlint_error_set("out of memory");
		return NULL;
	}
	b->next = head;
	b->used = b->last = 0;
	b->cap = cap;
	*arena = b;
	return b;
}

char *mlint_arena_alloc_in(struct mlint_arena_block **arena, size_t n, size_t block)
{
	struct mlint_arena_block *b = *arena;
	char *p;

	if (!b || b->cap - b->used < n) {
		if (!(b = new_block(arena, n, block)))
			return NULL;
	}
	p = b->data + b->used;
	b->last = b->used;
	b->used += n;
	return p;
}

char *mlint_arena_alloc(struct mlint_arena_block **arena, size_t n)
{
	const struct mlint_arena_block *head = *arena;
	size_t block = !head ? FIRST_BLOCK : head->cap >= LARGEST_BLOCK ? LARGEST_BLOCK
									  : head->cap * 2;
	return mlint_arena_alloc_in(arena, n, block);
}

void mlint_arena_trim(struct mlint_arena_block **arena, const char *p, size_t used)
{
	struct mlint_arena_block *b = *arena;
	if (b && p == b->data + b->last && b->last + used <= b->used)
		b->used = b->last + used;
}

char *mlint_arena_strndup(struct mlint_arena_block **arena, const char *s, size_t n)
{
	char *p;
	if (n == (size_t)-1) {
		mlint_error_set("out of memory");
		return NULL;
	}
	if (!(p = mlint_arena_alloc(arena, n + 1)))
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
