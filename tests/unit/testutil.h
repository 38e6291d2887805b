/*
 * testutil.h: temp-tree helpers shared by the unit tests that write real
 * files (discover, check). Each failure fails the running cmocka test.
 */
#ifndef MLINT_TESTUTIL_H
#define MLINT_TESTUTIL_H

#include <stddef.h>

/* snprintf into a PATH_MAX buffer; a path that does not fit fails the test. */
void test_fmt_path(char *out, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* rm -rf, without following symlinks. */
void test_remove_tree(const char *path);

/* mkdir -p root/rel. */
void test_make_dirs(const char *root, const char *rel);

/* Writes `len` bytes to root/rel, making its directories. */
void test_write_bytes(const char *root, const char *rel, const char *data, size_t len);

/* Writes a string to root/rel, making its directories. */
void test_write_file(const char *root, const char *rel, const char *text);

#endif
