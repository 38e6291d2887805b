/*
 * arena.h: many small strings with one owner, freed together.
 *
 * A scanned migration holds a name and often a string argument for each of
 * its calls: tens of small strings per file, all freed when the migration
 * is. Taking them from blocks instead of one malloc each halves the cost of
 * extracting calls and of freeing them (bench/: 10,000 files, ~90,000 calls).
 * Pointers stay valid until mlint_arena_release(); nothing is freed alone.
 */
#ifndef MLINT_ARENA_H
#define MLINT_ARENA_H

#include <stddef.h>

/*
 * An arena is a pointer to its newest block, NULL when empty: a struct that
 * owns one declares `struct mlint_arena_block *strings;` (migration.h does,
 * without knowing more) and hands its address to these functions.
 */
struct mlint_arena_block;

void mlint_arena_release(struct mlint_arena_block **arena);

/* Empties the arena but keeps its newest (largest) block for the next
 * strings: an owner that is filled and emptied again and again (one
 * function's operations after another) allocates once instead of each
 * time. Every pointer taken from it before is invalid. */
void mlint_arena_reset(struct mlint_arena_block **arena);

/* `n` bytes of char data (no alignment); NULL and an error set when out of
 * memory. */
char *mlint_arena_alloc(struct mlint_arena_block **arena, size_t n);

/* The same, taking a new block of at least `block` bytes when the newest
 * one is full: for big contents (whole files) with fewer, larger blocks. */
char *mlint_arena_alloc_in(struct mlint_arena_block **arena, size_t n, size_t block);

/* Gives back the tail of the last allocation `p`, keeping `used` bytes:
 * for callers that reserve the most they might need. */
void mlint_arena_trim(struct mlint_arena_block **arena, const char *p, size_t used);

/* A NUL-terminated copy of `n` bytes of `s`. */
char *mlint_arena_strndup(struct mlint_arena_block **arena, const char *s, size_t n);

#endif
