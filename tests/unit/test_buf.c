/* Unit tests for the growable buffer (include/mlint/buf.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlint/buf.h"
#include "mlint/common.h"

struct fixture {
	char dir[64];
	char file[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	FILE *fp;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/mlint-test-buf-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->file, sizeof(f->file), "%s/data.txt", f->dir);
	if (!(fp = fopen(f->file, "wb"))) {
		rmdir(f->dir);
		free(f);
		return -1;
	}
	fputs("line one\nline two\n", fp);
	fclose(fp);
	mlint_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->file);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_buf_init_is_empty_string(void **state)
{
	struct mlint_buf buf;
	(void)state;

	mlint_buf_init(&buf, 0);
	assert_non_null(buf.ptr);
	assert_string_equal(buf.ptr, "");
	assert_int_equal(buf.len, 0);
	mlint_buf_release(&buf);
	assert_non_null(buf.ptr);
	assert_string_equal(buf.ptr, "");
}

static void test_buf_put_grows(void **state)
{
	struct mlint_buf buf;
	char chunk[37];
	(void)state;

	memset(chunk, 'x', sizeof(chunk));
	mlint_buf_init(&buf, 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mlint_buf_put(&buf, chunk, sizeof(chunk)), 0);
	assert_int_equal(buf.len, 37000);
	assert_true(buf.cap > buf.len);
	assert_int_equal(buf.ptr[buf.len], '\0');
	assert_int_equal(strlen(buf.ptr), 37000);
	for (size_t i = 0; i < buf.len; i++)
		if (buf.ptr[i] != 'x')
			fail_msg("byte %zu is %d", i, buf.ptr[i]);
	mlint_buf_release(&buf);
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.ptr, "");
}

static void test_buf_puts_putc(void **state)
{
	struct mlint_buf buf;
	(void)state;

	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_buf_puts(&buf, "abc"), 0);
	assert_int_equal(mlint_buf_putc(&buf, '-'), 0);
	assert_int_equal(mlint_buf_puts(&buf, ""), 0);
	assert_int_equal(mlint_buf_put(&buf, "defXYZ", 3), 0);
	assert_string_equal(buf.ptr, "abc-def");
	assert_int_equal(buf.len, 7);
	mlint_buf_release(&buf);
}

static void test_buf_put_embedded_nul(void **state)
{
	struct mlint_buf buf;
	(void)state;

	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_buf_put(&buf, "a\0b", 3), 0);
	assert_int_equal(buf.len, 3);
	assert_memory_equal(buf.ptr, "a\0b", 4);
	mlint_buf_release(&buf);
}

static void test_buf_printf_appends_and_grows(void **state)
{
	struct mlint_buf buf;
	char *big = malloc(5001);
	(void)state;

	assert_non_null(big);
	memset(big, 'q', 5000);
	big[5000] = '\0';
	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_buf_printf(&buf, "%d-%s", 42, "x"), 0);
	assert_string_equal(buf.ptr, "42-x");
	assert_int_equal(mlint_buf_printf(&buf, "[%s]", big), 0);
	assert_int_equal(buf.len, 4 + 5002);
	assert_int_equal(strlen(buf.ptr), buf.len);
	assert_int_equal(buf.ptr[4], '[');
	assert_int_equal(buf.ptr[buf.len - 1], ']');
	assert_int_equal(mlint_buf_printf(&buf, "%s", ""), 0);
	assert_int_equal(buf.len, 4 + 5002);
	mlint_buf_release(&buf);
	free(big);
}

static void test_buf_clear_keeps_usable(void **state)
{
	struct mlint_buf buf;
	(void)state;

	mlint_buf_init(&buf, 0);
	mlint_buf_clear(&buf); /* clear of a fresh buffer */
	assert_string_equal(buf.ptr, "");
	assert_int_equal(mlint_buf_puts(&buf, "hello"), 0);
	mlint_buf_clear(&buf);
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.ptr, "");
	assert_int_equal(mlint_buf_puts(&buf, "again"), 0);
	assert_string_equal(buf.ptr, "again");
	mlint_buf_release(&buf);
}

static void test_buf_max_refuses(void **state)
{
	struct mlint_buf buf;
	(void)state;

	mlint_buf_init(&buf, 10);
	assert_int_equal(mlint_buf_put(&buf, "12345678", 8), 0);
	mlint_error_clear();
	assert_int_equal(mlint_buf_put(&buf, "abc", 3), MLINT_ERROR);
	assert_true(strlen(mlint_error_last()) > 0);
	assert_non_null(strstr(mlint_error_last(), "10"));
	/* A refused write leaves the buffer as it was. */
	assert_int_equal(buf.len, 8);
	assert_string_equal(buf.ptr, "12345678");
	/* Exactly up to the limit is allowed. */
	assert_int_equal(mlint_buf_put(&buf, "90", 2), 0);
	assert_int_equal(buf.len, 10);
	assert_string_equal(buf.ptr, "1234567890");
	assert_int_equal(mlint_buf_putc(&buf, '!'), MLINT_ERROR);
	assert_int_equal(mlint_buf_printf(&buf, "%d", 1), MLINT_ERROR);
	assert_int_equal(buf.len, 10);
	/* The limit survives a release. */
	mlint_buf_release(&buf);
	assert_int_equal(buf.max, 10);
	assert_int_equal(mlint_buf_printf(&buf, "%s", "this is too long"), MLINT_ERROR);
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.ptr, "");
	mlint_buf_release(&buf);
}

static void test_buf_grow_overflow(void **state)
{
	struct mlint_buf buf;
	(void)state;

	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_buf_puts(&buf, "x"), 0);
	assert_int_equal(mlint_buf_grow(&buf, SIZE_MAX), MLINT_ERROR);
	assert_int_equal(mlint_buf_grow(&buf, SIZE_MAX - 1), MLINT_ERROR);
	assert_string_equal(buf.ptr, "x");
	mlint_buf_release(&buf);
}

static void test_buf_detach_hands_over(void **state)
{
	struct mlint_buf buf;
	size_t len = 99;
	char *p;
	(void)state;

	mlint_buf_init(&buf, 100);
	assert_int_equal(mlint_buf_puts(&buf, "owned text"), 0);
	p = mlint_buf_detach(&buf, &len);
	assert_non_null(p);
	assert_string_equal(p, "owned text");
	assert_int_equal(len, 10);
	/* The buffer is re-initialised and independent of p. */
	assert_non_null(buf.ptr);
	assert_true(buf.ptr != p);
	assert_string_equal(buf.ptr, "");
	assert_int_equal(buf.len, 0);
	assert_int_equal(mlint_buf_puts(&buf, "new"), 0);
	assert_string_equal(p, "owned text");
	free(p);
	mlint_buf_release(&buf);
}

static void test_buf_detach_empty_is_freeable(void **state)
{
	struct mlint_buf buf;
	size_t len = 99;
	char *p;
	(void)state;

	mlint_buf_init(&buf, 0);
	p = mlint_buf_detach(&buf, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p); /* must be heap memory, not the shared empty string */
	p = mlint_buf_detach(&buf, NULL);
	assert_non_null(p);
	free(p);
	mlint_buf_release(&buf);
}

static void test_buf_read_file(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;

	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_buf_puts(&buf, ">"), 0);
	assert_int_equal(mlint_buf_read_file(&buf, f->file), 0);
	assert_string_equal(buf.ptr, ">line one\nline two\n"); /* appends */
	assert_int_equal(buf.len, 19);
	mlint_buf_release(&buf);
}

static void test_buf_read_file_empty(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/empty", f->dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fclose(fp);
	mlint_buf_init(&buf, 0);
	assert_int_equal(mlint_buf_read_file(&buf, path), 0);
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.ptr, "");
	mlint_buf_release(&buf);
	unlink(path);
}

static void test_buf_read_file_missing(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;
	char path[160];

	snprintf(path, sizeof(path), "%s/no-such-file.py", f->dir);
	mlint_buf_init(&buf, 0);
	mlint_error_clear();
	assert_true(mlint_buf_read_file(&buf, path) < 0);
	assert_non_null(strstr(mlint_error_last(), path));
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.ptr, "");
	mlint_buf_release(&buf);
}

static void test_buf_read_file_directory(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;

	mlint_buf_init(&buf, 0);
	mlint_error_clear();
	assert_true(mlint_buf_read_file(&buf, f->dir) < 0);
	assert_non_null(strstr(mlint_error_last(), f->dir));
	assert_non_null(strstr(mlint_error_last(), "directory"));
	assert_int_equal(buf.len, 0);
	mlint_buf_release(&buf);
}

static void test_buf_read_file_over_max(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;

	mlint_buf_init(&buf, 5);
	mlint_error_clear();
	assert_true(mlint_buf_read_file(&buf, f->file) < 0);
	assert_non_null(strstr(mlint_error_last(), f->file));
	assert_non_null(strstr(mlint_error_last(), "larger than"));
	assert_true(buf.len <= 5);
	mlint_buf_release(&buf);
}

/* A listed file, read without fstat: many reads into one buffer keep its
 * size (a growth per read would reach the cap and refuse every file). */
static void test_buf_read_listed_reuses_room(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;
	int dir = open(f->dir, O_RDONLY | O_DIRECTORY);
	size_t cap = 0;

	assert_true(dir >= 0);
	mlint_buf_init(&buf, 4096);
	for (int i = 0; i < 1000; i++) {
		mlint_buf_clear(&buf);
		assert_int_equal(mlint_buf_read_listed_at(&buf, dir, "data.txt", f->file), 0);
		assert_string_equal(buf.ptr, "line one\nline two\n");
		if (i == 0)
			cap = buf.cap;
		assert_int_equal(buf.cap, cap);
	}
	mlint_buf_release(&buf);
	close(dir);
}

/* A FIFO where a listed file was never blocks the read, and a directory or
 * a file over the cap fails naming the path. */
static void test_buf_read_listed_odd_files(void **state)
{
	struct fixture *f = *state;
	struct mlint_buf buf;
	char fifo[160];
	int dir = open(f->dir, O_RDONLY | O_DIRECTORY);

	assert_true(dir >= 0);
	assert_int_equal(mkdir(strcat(strcpy(fifo, f->dir), "/sub"), 0700), 0);
	snprintf(fifo, sizeof(fifo), "%s/fifo.py", f->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	mlint_buf_init(&buf, 5);
	assert_true(mlint_buf_read_listed_at(&buf, dir, "fifo.py", fifo) >= 0 || /* empty */
		    strstr(mlint_error_last(), "not a regular file"));
	mlint_buf_clear(&buf);
	assert_true(mlint_buf_read_listed_at(&buf, dir, "sub", "sub") < 0);
	assert_non_null(strstr(mlint_error_last(), "directory"));
	mlint_buf_clear(&buf);
	assert_true(mlint_buf_read_listed_at(&buf, dir, "data.txt", f->file) < 0);
	assert_non_null(strstr(mlint_error_last(), f->file));
	assert_non_null(strstr(mlint_error_last(), "larger than"));
	mlint_buf_release(&buf);
	unlink(fifo);
	snprintf(fifo, sizeof(fifo), "%s/sub", f->dir);
	rmdir(fifo);
	close(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_is_empty_string),
		cmocka_unit_test(test_buf_put_grows),
		cmocka_unit_test(test_buf_puts_putc),
		cmocka_unit_test(test_buf_put_embedded_nul),
		cmocka_unit_test(test_buf_printf_appends_and_grows),
		cmocka_unit_test(test_buf_clear_keeps_usable),
		cmocka_unit_test(test_buf_max_refuses),
		cmocka_unit_test(test_buf_grow_overflow),
		cmocka_unit_test(test_buf_detach_hands_over),
		cmocka_unit_test(test_buf_detach_empty_is_freeable),
		cmocka_unit_test_setup_teardown(test_buf_read_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_listed_reuses_room, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_listed_odd_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file_over_max, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
