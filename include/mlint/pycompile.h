/*
 * pycompile.h: CPython's own compiler, to judge a file mlint suspects of a
 * syntax error (migration.h: suspect_line, problems).
 *
 * libpython3.11 is loaded with dlopen on the first call only, so commands
 * that never judge a file (heads, graph, a clean check) never pay for it.
 * The interpreter runs isolated (no environment, no user site), compiles
 * and never executes the file. Calls may come from any thread; they are
 * serialised. MLINT_LIBPYTHON names another library to load (tests use a
 * missing one to see the "unavailable" path).
 *
 * Ownership: the caller owns the result (init/release); every string in it
 * is its own.
 */
#ifndef MLINT_PYCOMPILE_H
#define MLINT_PYCOMPILE_H

#include <stddef.h>

enum mlint_pycompile_verdict {
	MLINT_PYCOMPILE_OK = 0,      /* Python compiles it */
	MLINT_PYCOMPILE_REJECTED,    /* Python does not: message, line, col */
	MLINT_PYCOMPILE_UNAVAILABLE, /* no libpython: mlint_pycompile_unavailable() says why */
};

struct mlint_pycompile_result {
	enum mlint_pycompile_verdict verdict;
	char *kind;    /* "SyntaxError", "IndentationError", ... */
	char *message; /* Python's own message: "invalid syntax", ... */
	unsigned line, col; /* 1-based; 0 when Python gave none */
};

void mlint_pycompile_result_init(struct mlint_pycompile_result *r);
void mlint_pycompile_result_release(struct mlint_pycompile_result *r);

/*
 * Compiles `len` bytes of Python source as a module named `filename` (for
 * messages only). Returns 0 with the verdict in `out`, or MLINT_ERROR when
 * out of memory.
 */
int mlint_pycompile(struct mlint_pycompile_result *out, const char *src, size_t len,
		    const char *filename);

/* Why libpython could not be used ("cannot load 'libpython3.11.so.1.0':
 * ..."), or NULL when it could or was never needed. */
const char *mlint_pycompile_unavailable(void);

/* The Python that judged ("3.11.2"), or NULL before it was loaded. */
const char *mlint_pycompile_version(void);

#endif
