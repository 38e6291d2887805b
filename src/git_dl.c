/*
 * libgit2, loaded when mlint first needs it (dlopen), not when it starts.
 *
 * Loading libgit2 loads libssh2, OpenSSL's libcrypto, Kerberos and
 * mbedTLS with it: 2 ms of every start, a twentieth of `mlint heads` at
 * 10,000 migrations, which never calls libgit2 outside a git comparison.
 * So mlint is not linked with libgit2: this file defines each libgit2
 * function it calls (git_api.h), with <git2.h>'s own prototype, as a call
 * through a table filled once from the library (MLINT_LIBGIT2_SONAME, the
 * soname found at build time). `check` loads it on its opener thread,
 * while the files are read.
 *
 * Without the library (removed after the build), each function returns its
 * failure value (-1, NULL, 0) and git_error_last() says why, so git rules
 * fail with that message instead of crashing.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "git_api.h"

#ifndef MLINT_LIBGIT2_SONAME
#error "MLINT_LIBGIT2_SONAME names the libgit2 to load (CMakeLists.txt finds it)"
#endif

struct git_api {
#define F(ret, name, params, args, fail) ret (*name) params;
#define V(name, params, args) void (*name) params;
	MLINT_GIT_FUNCS(F)
	MLINT_GIT_VOIDS(V)
#undef F
#undef V
	int (*git_libgit2_opts)(int option, ...);
	const git_error *(*git_error_last)(void);
};

static struct git_api api;
static int loaded; /* every symbol found */
static char why[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Each symbol of the table, or the first that is missing. */
static int resolve(void *lib)
{
	const char *missing = NULL;

#define F(ret, name, params, args, fail)                                   \
	if (!missing && !(*(void **)&api.name = dlsym(lib, #name)))        \
		missing = #name;
#define V(name, params, args) F(void, name, params, args, 0)
	MLINT_GIT_FUNCS(F)
	MLINT_GIT_VOIDS(V)
	F(int, git_libgit2_opts, (int option, ...), (option), -1)
	F(const git_error *, git_error_last, (void), (), NULL)
#undef F
#undef V
	if (missing)
		snprintf(why, sizeof(why), "libgit2 (%s) lacks %s", MLINT_LIBGIT2_SONAME, missing);
	return missing ? -1 : 0;
}

/* MLINT_LIBGIT2 names another file to load (tests use it to see mlint
 * without libgit2). */
static void load(void)
{
	const char *name = getenv("MLINT_LIBGIT2");
	void *lib = dlopen(name && *name ? name : MLINT_LIBGIT2_SONAME, RTLD_LAZY | RTLD_LOCAL);

	if (!lib) {
		const char *e = dlerror();
		snprintf(why, sizeof(why), "cannot load libgit2: %s", e ? e : MLINT_LIBGIT2_SONAME);
		return;
	}
	loaded = resolve(lib) == 0; /* the library stays loaded until exit */
}

static const struct git_api *the_api(void)
{
	pthread_once(&once, load);
	return loaded ? &api : NULL;
}

/* (the table's local is named so that no parameter can shadow it) */
#define F(ret, name, params, args, fail)                         \
	ret name params                                           \
	{                                                         \
		const struct git_api *git_api_ = the_api();       \
		return git_api_ ? git_api_->name args : fail;     \
	}
#define V(name, params, args)                                    \
	void name params                                          \
	{                                                         \
		const struct git_api *git_api_ = the_api();       \
		if (git_api_)                                     \
			git_api_->name args;                      \
	}
MLINT_GIT_FUNCS(F)
MLINT_GIT_VOIDS(V)
#undef F
#undef V

/* Variadic: the options mlint sets, each with its own arguments. */
int git_libgit2_opts(int option, ...)
{
	const struct git_api *a = the_api();
	va_list ap;
	int rc = -1;

	if (!a)
		return -1;
	va_start(ap, option);
	switch (option) {
	case GIT_OPT_ENABLE_CACHING:
	case GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION:
		rc = a->git_libgit2_opts(option, va_arg(ap, int));
		break;
	case GIT_OPT_SET_CACHE_OBJECT_LIMIT: {
		int type = va_arg(ap, int); /* git_object_t, promoted */
		rc = a->git_libgit2_opts(option, type, va_arg(ap, size_t));
		break;
	}
	default: /* not one mlint sets: add its arguments above */
		break;
	}
	va_end(ap);
	return rc;
}

const git_error *git_error_last(void)
{
	static const git_error unloaded = {why, GIT_ERROR_OS};
	const struct git_api *a = the_api();
	return a ? a->git_error_last() : &unloaded;
}
