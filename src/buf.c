#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mlint/buf.h"
#include "util.h"

char mlint_buf_slop[1];

void mlint_buf_init(struct mlint_buf *buf, size_t max)
{
	buf->ptr = mlint_buf_slop;
	buf->len = 0;
	buf->cap = 0;
	buf->max = max;
}

void mlint_buf_release(struct mlint_buf *buf)
{
	size_t max = buf->max;
	if (buf->cap)
		free(buf->ptr);
	mlint_buf_init(buf, max);
}

void mlint_buf_clear(struct mlint_buf *buf)
{
	buf->len = 0;
	if (buf->cap)
		buf->ptr[0] = '\0';
	else
		buf->ptr = mlint_buf_slop; /* shared by every thread: never written */
}

void mlint_buf_truncate(struct mlint_buf *buf, size_t len)
{
	if (len >= buf->len)
		return;
	buf->len = len;
	if (buf->cap)
		buf->ptr[len] = '\0';
}

int mlint_buf_grow(struct mlint_buf *buf, size_t extra)
{
	size_t want, cap;
	char *p;

	if (extra > ((size_t)-1) / 2 - buf->len)
		return mlint_error_set("buffer size overflow");
	want = buf->len + extra + 1;
	if (buf->max && buf->len + extra > buf->max)
		return mlint_error_set("more than %zu bytes", buf->max);
	if (want <= buf->cap)
		return 0;
	cap = buf->cap ? buf->cap : 64;
	while (cap < want)
		cap = cap + cap / 2 + 64;
	p = buf->cap ? realloc(buf->ptr, cap) : malloc(cap);
	if (!p)
		return mlint_error_set("out of memory");
	if (!buf->cap)
		p[0] = '\0';
	buf->ptr = p;
	buf->cap = cap;
	return 0;
}

int mlint_buf_put(struct mlint_buf *buf, const char *data, size_t len)
{
	if (mlint_buf_grow(buf, len) < 0)
		return MLINT_ERROR;
	memmove(buf->ptr + buf->len, data, len);
	buf->len += len;
	buf->ptr[buf->len] = '\0';
	return 0;
}

int mlint_buf_puts(struct mlint_buf *buf, const char *s)
{
	return mlint_buf_put(buf, s, strlen(s));
}

int mlint_buf_puts_escaped(struct mlint_buf *buf, const char *s)
{
	for (const char *p = s;; p++) {
		size_t run = 0;
		unsigned char c;
		while (p[run] && (unsigned char)p[run] >= 0x20 && p[run] != 0x7f)
			run++;
		if (run && mlint_buf_put(buf, p, run) < 0)
			return MLINT_ERROR;
		p += run;
		if (!*p)
			return 0;
		c = (unsigned char)*p;
		if ((c == '\n' ? mlint_buf_puts(buf, "\\n") : c == '\r' ? mlint_buf_puts(buf, "\\r")
		     : c == '\t' ? mlint_buf_puts(buf, "\\t")
				 : mlint_buf_printf(buf, "\\x%02x", c)) < 0)
			return MLINT_ERROR;
	}
}

int mlint_buf_putc(struct mlint_buf *buf, char c)
{
	return mlint_buf_put(buf, &c, 1);
}

/*
 * Formats into the spare capacity first: glibc's vsnprintf(NULL, 0, ...)
 * that only measures is as slow as the real thing, so measuring first
 * would format everything twice.
 */
int mlint_buf_vprintf(struct mlint_buf *buf, const char *fmt, va_list ap)
{
	va_list cp;
	size_t room;
	int n;

	if (!buf->cap && mlint_buf_grow(buf, 0) < 0)
		return MLINT_ERROR;
	room = buf->cap - buf->len;
	va_copy(cp, ap);
	n = vsnprintf(buf->ptr + buf->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		buf->ptr[buf->len] = '\0';
		return mlint_error_set("bad format string");
	}
	if ((size_t)n >= room || (buf->max && buf->len + (size_t)n > buf->max)) {
		if (mlint_buf_grow(buf, (size_t)n) < 0) { /* also enforces max */
			buf->ptr[buf->len] = '\0';
			return MLINT_ERROR;
		}
		vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
	}
	buf->len += (size_t)n;
	return 0;
}

int mlint_buf_printf(struct mlint_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;
	va_start(ap, fmt);
	error = mlint_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

char *mlint_buf_detach(struct mlint_buf *buf, size_t *len_out)
{
	char *p = buf->cap ? buf->ptr : calloc(1, 1);
	if (len_out)
		*len_out = buf->len;
	buf->ptr = mlint_buf_slop;
	buf->len = buf->cap = 0;
	if (!p)
		mlint_error_set("out of memory");
	return p;
}

/*
 * Reads to EOF, or up to `size` bytes when the size is known (a regular
 * file): stopping there spares the read that would only say EOF.
 */
static int read_fd(struct mlint_buf *buf, int fd, const char *path, size_t hint, size_t size)
{
	size_t start = buf->len;
	ssize_t n;

	if (mlint_buf_grow(buf, hint ? hint : 4096) < 0)
		return mlint_error_set("cannot read '%s': file is larger than %zu bytes",
				       path, buf->max);
	for (;;) {
		if (buf->cap - buf->len - 1 == 0 && mlint_buf_grow(buf, 65536) < 0)
			return mlint_error_set("cannot read '%s': file is larger than %zu bytes",
					       path, buf->max);
		n = read(fd, buf->ptr + buf->len, buf->cap - buf->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) /* O_NONBLOCK: a FIFO */
			return mlint_error_set("cannot read '%s': not a regular file", path);
		if (n < 0)
			return mlint_error_set("cannot read '%s': %s", path, strerror(errno));
		if (n == 0)
			break;
		buf->len += (size_t)n;
		if (size && buf->len - start == size)
			break;
	}
	buf->ptr[buf->len] = '\0';
	return 0;
}

int mlint_buf_read_listed_at(struct mlint_buf *buf, int dir_fd, const char *name,
			     const char *path)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), error;
	/* the buffer's room first (it is reused per thread): most files fit */
	size_t room = buf->cap > buf->len + 1 ? buf->cap - buf->len - 1 : 4096;

	if (fd < 0)
		return mlint_error_set("cannot read '%s': %s", path, strerror(errno));
	if (buf->max && room > buf->max - buf->len)
		room = buf->max - buf->len;
	error = read_fd(buf, fd, path, room, 0);
	close(fd);
	if (error == 0 && buf->max && buf->len > buf->max) /* the room was larger */
		return mlint_error_set("cannot read '%s': file is larger than %zu bytes", path,
				       buf->max);
	return error;
}

int mlint_buf_read_file(struct mlint_buf *buf, const char *path)
{
	return mlint_buf_read_file_at(buf, AT_FDCWD, path, path, NULL);
}

int mlint_buf_read_file_stat(struct mlint_buf *buf, const char *path, struct stat *out)
{
	return mlint_buf_read_file_at(buf, AT_FDCWD, path, path, out);
}

int mlint_buf_read_file_at(struct mlint_buf *buf, int dir_fd, const char *name, const char *path,
			   struct stat *out)
{
	struct stat st;
	int fd, error;

	fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mlint_error_set("cannot read '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return mlint_error_set("cannot read '%s': %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return mlint_error_set("cannot read '%s': %s", path,
				       S_ISDIR(st.st_mode) ? "Is a directory" : "not a regular file");
	}
	if (buf->max && (size_t)st.st_size > buf->max) {
		close(fd);
		return mlint_error_set("cannot read '%s': file is larger than %zu bytes",
				       path, buf->max);
	}
	/* One extra byte so a file read to its size needs no second grow. */
	error = read_fd(buf, fd, path, (size_t)st.st_size + 1, (size_t)st.st_size);
	close(fd);
	if (out)
		*out = st;
	return error;
}
