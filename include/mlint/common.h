/*
 * common.h: error values, the error slot and severities shared by every
 * libmlint module.
 *
 * Functions return 0 on success and a negative value on failure; the text of
 * the last failure is kept per thread in one slot, read with
 * mlint_error_last(). The slot's string is owned by the library and valid
 * until the next failure on the same thread.
 */
#ifndef MLINT_COMMON_H
#define MLINT_COMMON_H

#include <stddef.h>

enum {
	MLINT_OK = 0,
	MLINT_ERROR = -1,     /* any failure the caller does not handle apart */
	MLINT_ENOTFOUND = -3, /* the thing looked up does not exist */
	MLINT_EUSAGE = -4,    /* the caller (user) asked for something invalid */
};

enum mlint_severity {
	MLINT_SEV_INFO = 0,
	MLINT_SEV_WARNING = 1,
	MLINT_SEV_ERROR = 2,
};

/* Records a failure; printf-style. Returns MLINT_ERROR for `return`. */
int mlint_error_set(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Same, with an explicit return code. */
int mlint_error_setc(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* The last failure's message ("" when none). Borrowed. */
const char *mlint_error_last(void);

void mlint_error_clear(void);

const char *mlint_severity_name(enum mlint_severity sev);

/* Parses "error", "warning", "info"; returns -1 for anything else. */
int mlint_severity_parse(enum mlint_severity *out, const char *name);

#endif
