#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include "util.h"

static _Thread_local char error_text[1024];

/* Marks where the middle of a message too long for the slot was cut. */
#define CUT_MARK "[...]"

/*
 * A message longer than the slot (a path past PATH_MAX, say) keeps its
 * beginning and its end, where the reason is, and loses the middle: cut at
 * the end, "cannot read '/a/b/c/...'" would not say what failed.
 */
static int set_error(int code, const char *fmt, va_list ap)
{
	va_list again;
	int n;
	char *full;
	size_t head = 256, tail = sizeof(error_text) - head - sizeof(CUT_MARK);

	va_copy(again, ap);
	n = vsnprintf(error_text, sizeof(error_text), fmt, ap);
	if (n >= (int)sizeof(error_text) && (full = malloc((size_t)n + 1)) != NULL) {
		vsnprintf(full, (size_t)n + 1, fmt, again);
		memcpy(error_text + head, CUT_MARK, sizeof(CUT_MARK) - 1);
		memcpy(error_text + head + sizeof(CUT_MARK) - 1, full + n - tail, tail + 1);
		free(full);
	}
	va_end(again);
	return code;
}

int mlint_error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(MLINT_ERROR, fmt, ap);
	va_end(ap);
	return MLINT_ERROR;
}

int mlint_error_setc(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(code, fmt, ap);
	va_end(ap);
	return code;
}

const char *mlint_error_last(void)
{
	return error_text;
}

void mlint_error_clear(void)
{
	error_text[0] = '\0';
}

static const char *const severity_names[] = {"info", "warning", "error"};

const char *mlint_severity_name(enum mlint_severity sev)
{
	if ((unsigned)sev > MLINT_SEV_ERROR)
		return "?";
	return severity_names[sev];
}

int mlint_severity_parse(enum mlint_severity *out, const char *name)
{
	for (int i = 0; i <= MLINT_SEV_ERROR; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum mlint_severity)i;
			return 0;
		}
	}
	return -1;
}

int mlint_array_grow(void **ptr, size_t *alloc, size_t want, size_t item)
{
	size_t n = *alloc ? *alloc : 8;
	void *p;

	if (want <= *alloc)
		return 0;
	while (n < want) {
		if (n > ((size_t)-1) / 2 / item)
			return mlint_error_set("out of memory");
		n *= 2;
	}
	p = realloc(*ptr, n * item);
	if (!p)
		return mlint_error_set("out of memory");
	*ptr = p;
	*alloc = n;
	return 0;
}

char *mlint_strndup(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	if (!p) {
		mlint_error_set("out of memory");
		return NULL;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *mlint_strdup(const char *s)
{
	return mlint_strndup(s, strlen(s));
}

char *mlint_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] != '/';
	char *p;

	if (dl == 0 || strcmp(dir, ".") == 0)
		return mlint_strdup(name);
	p = malloc(dl + slash + nl + 1);
	if (!p) {
		mlint_error_set("out of memory");
		return NULL;
	}
	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, name, nl + 1);
	return p;
}

size_t mlint_thread_count(size_t files)
{
	const char *env = getenv("MLINT_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	if (files < MLINT_PARALLEL_MIN_FILES && !(env && *env))
		return 1;
	if (n < 1)
		n = 1;
	if (n > MLINT_MAX_THREADS)
		n = MLINT_MAX_THREADS;
	return files && (size_t)n > files ? files : (size_t)n;
}
