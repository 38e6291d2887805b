/* Unit tests for the string arena (src/arena.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "mlint/common.h"

static void test_arena_strings_stay_valid_across_blocks(void **state)
{
	struct mlint_arena_block *arena = NULL;
	char *kept[2000];
	char want[32];
	(void)state;

	/* Far more than one block: earlier strings must not move. */
	for (int i = 0; i < 2000; i++) {
		int n = snprintf(want, sizeof(want), "op.call_%d", i);
		assert_non_null(kept[i] = mlint_arena_strndup(&arena, want, (size_t)n));
	}
	for (int i = 0; i < 2000; i++) {
		snprintf(want, sizeof(want), "op.call_%d", i);
		assert_string_equal(kept[i], want);
	}
	mlint_arena_release(&arena);
	assert_null(arena);
	mlint_arena_release(&arena); /* twice is harmless */
}

static void test_arena_strndup_copies_n_bytes(void **state)
{
	struct mlint_arena_block *arena = NULL;
	char *p;
	(void)state;

	assert_non_null(p = mlint_arena_strndup(&arena, "drop_table(x)", 10));
	assert_string_equal(p, "drop_table");
	assert_non_null(p = mlint_arena_strndup(&arena, "", 0));
	assert_string_equal(p, "");
	mlint_arena_release(&arena);
}

static void test_arena_trim_gives_back_the_tail(void **state)
{
	struct mlint_arena_block *arena = NULL;
	char *a, *b;
	(void)state;

	assert_non_null(a = mlint_arena_alloc(&arena, 100));
	memcpy(a, "abc", 4);
	mlint_arena_trim(&arena, a, 4);
	assert_non_null(b = mlint_arena_alloc(&arena, 8));
	assert_ptr_equal(b, a + 4); /* the next allocation reuses the tail */
	assert_string_equal(a, "abc");
	/* Trimming an older allocation, or growing, changes nothing. */
	mlint_arena_trim(&arena, a, 2);
	mlint_arena_trim(&arena, b, 1000);
	assert_ptr_equal(mlint_arena_alloc(&arena, 1), b + 8);
	mlint_arena_release(&arena);
}

static void test_arena_large_allocation_gets_its_own_block(void **state)
{
	struct mlint_arena_block *arena = NULL;
	char *small, *big, *after;
	(void)state;

	assert_non_null(small = mlint_arena_strndup(&arena, "x", 1));
	assert_non_null(big = mlint_arena_alloc(&arena, 1 << 20));
	memset(big, 'y', 1 << 20);
	assert_non_null(after = mlint_arena_strndup(&arena, "z", 1));
	assert_string_equal(small, "x");
	assert_string_equal(after, "z");
	assert_int_equal(big[(1 << 20) - 1], 'y');
	mlint_arena_release(&arena);
}

static void test_arena_refuses_impossible_sizes(void **state)
{
	struct mlint_arena_block *arena = NULL;
	(void)state;

	mlint_error_clear();
	assert_null(mlint_arena_alloc(&arena, (size_t)-1));
	assert_true(strlen(mlint_error_last()) > 0);
	assert_null(mlint_arena_strndup(&arena, "", (size_t)-1));
	mlint_arena_release(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_strings_stay_valid_across_blocks),
		cmocka_unit_test(test_arena_strndup_copies_n_bytes),
		cmocka_unit_test(test_arena_trim_gives_back_the_tail),
		cmocka_unit_test(test_arena_large_allocation_gets_its_own_block),
		cmocka_unit_test(test_arena_refuses_impossible_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
