/*
 * buf.h: a growable byte buffer.
 *
 * Invariants: after mlint_buf_init, `ptr` is never NULL and always
 * NUL-terminated; `len` excludes the terminator; `len` never exceeds `max`
 * (0 = no limit): a write past it fails with MLINT_ERROR and a message, so a
 * 50 MB one-line file is a clear error instead of an out-of-memory.
 * The buffer owns `ptr`; mlint_buf_detach is the only way to take it.
 */
#ifndef MLINT_BUF_H
#define MLINT_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct mlint_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
};

/* The empty string every buffer points at before its first write; never
 * written (shared by every thread). */
extern char mlint_buf_slop[1];

/* A static initialiser that keeps the invariants: mlint_buf_init(buf, 0)
 * as a value. */
#define MLINT_BUF_INIT {mlint_buf_slop, 0, 0, 0}

void mlint_buf_init(struct mlint_buf *buf, size_t max);
void mlint_buf_release(struct mlint_buf *buf);
void mlint_buf_clear(struct mlint_buf *buf);
/* Shortens the contents to `len` bytes (no-op when already shorter). */
void mlint_buf_truncate(struct mlint_buf *buf, size_t len);

/* Makes room for `extra` more bytes. */
int mlint_buf_grow(struct mlint_buf *buf, size_t extra);
int mlint_buf_put(struct mlint_buf *buf, const char *data, size_t len);
int mlint_buf_puts(struct mlint_buf *buf, const char *s);

/* Appends `s` with each control character written as an escape (\n, \r,
 * \t, \xHH), so that a file name cannot break a line of output. */
int mlint_buf_puts_escaped(struct mlint_buf *buf, const char *s);
int mlint_buf_putc(struct mlint_buf *buf, char c);
int mlint_buf_printf(struct mlint_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
int mlint_buf_vprintf(struct mlint_buf *buf, const char *fmt, va_list ap);

/* Hands the memory to the caller (who frees it) and re-inits the buffer. */
char *mlint_buf_detach(struct mlint_buf *buf, size_t *len_out);

/* Reads a whole file into `buf` (appending). Errors name the path. */
int mlint_buf_read_file(struct mlint_buf *buf, const char *path);
struct stat;
/* The same for `name` in the directory open as `dir_fd` (openat: the
 * kernel does not walk the directory's path again; AT_FDCWD for a path);
 * errors name `path`. With `st`, the fstat() of the descriptor read. */
int mlint_buf_read_file_at(struct mlint_buf *buf, int dir_fd, const char *name, const char *path,
			   struct stat *st);

/* The same, with the file's fstat() (of the descriptor read) in *st. */
int mlint_buf_read_file_stat(struct mlint_buf *buf, const char *path, struct stat *st);

/*
 * mlint_buf_read_file_at for a file a listing found regular, when nothing
 * needs its stat: read to its end without fstat() (what a fstat costs is
 * a tenth of a migration's read). It never blocks: a FIFO put in its place
 * reads empty or fails, a directory fails ("Is a directory"), a device is
 * cut at buf->max ("larger than").
 */
int mlint_buf_read_listed_at(struct mlint_buf *buf, int dir_fd, const char *name,
			     const char *path);

#endif
