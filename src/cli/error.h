/* Exit codes, in one place. */
#ifndef MLINT_CLI_ERROR_H
#define MLINT_CLI_ERROR_H

#define MLINT_EXIT_OK 0       /* nothing at or above --fail-on */
#define MLINT_EXIT_FINDINGS 1 /* findings at or above --fail-on */
#define MLINT_EXIT_USAGE 2    /* usage, configuration or I/O error */

/* Prints "mlint: <message>" to stderr; returns MLINT_EXIT_USAGE. */
int cli_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Prints "mlint: warning: <message>" to stderr. */
void cli_warning(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Reports the library's last error; returns MLINT_EXIT_USAGE. */
int cli_library_error(void);

#endif
