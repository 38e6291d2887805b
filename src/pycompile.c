/*
 * CPython's compiler through libpython3.11, loaded on first use. No
 * Python headers are needed: the few functions used are declared here with
 * the types of the 3.11 ABI (PyObject * as void *; PyStatus by value).
 */
#include <dlfcn.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "mlint/pycompile.h"
#include "util.h"

#define PY_FILE_INPUT 257 /* Py_file_input */
#define PY_CONFIG_BYTES 4096 /* sizeof(PyConfig) is 424 in 3.11 */

typedef struct {
	int type; /* 0 ok, 1 error, 2 exit */
	const char *func;
	const char *err_msg;
	int exitcode;
} py_status;

struct python {
	void (*config_init_isolated)(void *config);
	py_status (*initialize_from_config)(const void *config);
	void (*config_clear)(void *config);
	void *(*save_thread)(void);
	int (*gil_ensure)(void);
	void (*gil_release)(int state);
	void *(*compile)(const char *src, const char *filename, int start, void *flags,
			 int optimize);
	void (*err_fetch)(void **type, void **value, void **tb);
	void (*err_normalize)(void **type, void **value, void **tb);
	void (*err_clear)(void);
	void *(*getattr)(void *o, const char *name);
	const char *(*as_utf8)(void *o);
	long (*as_long)(void *o);
	void *(*str)(void *o);
	void (*decref)(void *o);
	int (*run_string)(const char *code, void *flags);
	const char *(*version)(void);
};

static struct python py;
static int py_ready;
static char py_why[512];
static char py_version[32];
static pthread_once_t py_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t py_lock = PTHREAD_MUTEX_INITIALIZER;

static int resolve(void *lib)
{
	static const struct { const char *name; size_t off; } syms[] = {
#define SYM(n, f) {n, offsetof(struct python, f)}
		SYM("PyConfig_InitIsolatedConfig", config_init_isolated),
		SYM("Py_InitializeFromConfig", initialize_from_config),
		SYM("PyConfig_Clear", config_clear),
		SYM("PyEval_SaveThread", save_thread),
		SYM("PyGILState_Ensure", gil_ensure),
		SYM("PyGILState_Release", gil_release),
		SYM("Py_CompileStringExFlags", compile),
		SYM("PyErr_Fetch", err_fetch),
		SYM("PyErr_NormalizeException", err_normalize),
		SYM("PyErr_Clear", err_clear),
		SYM("PyObject_GetAttrString", getattr),
		SYM("PyUnicode_AsUTF8", as_utf8),
		SYM("PyLong_AsLong", as_long),
		SYM("PyObject_Str", str),
		SYM("Py_DecRef", decref),
		SYM("PyRun_SimpleStringFlags", run_string),
		SYM("Py_GetVersion", version),
#undef SYM
	};
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(lib, syms[i].name);
		if (!f) {
			snprintf(py_why, sizeof(py_why), "libpython has no '%s'", syms[i].name);
			return -1;
		}
		/* POSIX: a function pointer converts through void * */
		memcpy((char *)&py + syms[i].off, &f, sizeof(f));
	}
	return 0;
}

/* Starts an isolated interpreter: no environment, no user site, no signal
 * handlers; warnings (SyntaxWarning, ...) never reach our stderr. The
 * locale Python sets up is given back to mlint. */
static int start_interpreter(void)
{
	_Alignas(16) unsigned char config[PY_CONFIG_BYTES];
	const char *loc = setlocale(LC_CTYPE, NULL);
	char saved[128];
	py_status st;

	snprintf(saved, sizeof(saved), "%s", loc ? loc : "C");
	memset(config, 0, sizeof(config));
	py.config_init_isolated(config);
	st = py.initialize_from_config(config);
	py.config_clear(config);
	setlocale(LC_CTYPE, saved);
	if (st.type != 0) {
		snprintf(py_why, sizeof(py_why), "Python does not start: %s%s%s",
			 st.func ? st.func : "", st.func ? ": " : "",
			 st.err_msg ? st.err_msg : "unknown error");
		return -1;
	}
	py.run_string("import warnings\nwarnings.simplefilter('ignore')\n", NULL);
	snprintf(py_version, sizeof(py_version), "%.*s", (int)strcspn(py.version(), " "),
		 py.version());
	py.save_thread(); /* the GIL is taken per call */
	return 0;
}

static void load_python(void)
{
	const char *env = getenv("MLINT_LIBPYTHON");
	const char *names[] = {env && *env ? env : "libpython3.11.so.1.0", "libpython3.11.so"};
	void *lib = NULL;

	for (size_t i = 0; i < (env && *env ? 1u : 2u) && !lib; i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *e = dlerror();
		snprintf(py_why, sizeof(py_why), "cannot load '%s': %s (install Debian's "
			 "libpython3.11)", names[0], e ? e : "not found");
		return;
	}
	/* Never dlclose'd: an interpreter cannot be unloaded. */
	if (resolve(lib) == 0 && start_interpreter() == 0)
		py_ready = 1;
}

void mlint_pycompile_result_init(struct mlint_pycompile_result *r)
{
	memset(r, 0, sizeof(*r));
}

void mlint_pycompile_result_release(struct mlint_pycompile_result *r)
{
	free(r->kind);
	free(r->message);
	mlint_pycompile_result_init(r);
}

/* attribute `name` of `o` as text (str() of it), or NULL. */
static char *attr_text(void *o, const char *name)
{
	void *a = name ? py.getattr(o, name) : o, *s;
	const char *u;
	char *copy = NULL;

	if (!a)
		return NULL;
	if ((s = py.str(a)) && (u = py.as_utf8(s)))
		copy = mlint_strdup(u);
	if (s)
		py.decref(s);
	if (name)
		py.decref(a);
	return copy;
}

static unsigned attr_number(void *o, const char *name)
{
	void *a = py.getattr(o, name);
	long v = a ? py.as_long(a) : -1;
	if (a)
		py.decref(a);
	return v > 0 && v < (long)(~0u >> 1) ? (unsigned)v : 0;
}

/* The raised exception, read and cleared. */
static int read_error(struct mlint_pycompile_result *out)
{
	void *type = NULL, *value = NULL, *tb = NULL;
	int error = 0;

	py.err_fetch(&type, &value, &tb);
	py.err_normalize(&type, &value, &tb);
	out->verdict = MLINT_PYCOMPILE_REJECTED;
	out->kind = type ? attr_text(type, "__name__") : NULL;
	if (value) {
		void *is_syntax = py.getattr(value, "msg");
		if (is_syntax) {
			py.decref(is_syntax);
			out->message = attr_text(value, "msg");
			out->line = attr_number(value, "lineno");
			out->col = attr_number(value, "offset");
		} else {
			out->message = attr_text(value, NULL);
		}
	}
	py.err_clear();
	if (!out->kind && !(out->kind = mlint_strdup("SyntaxError")))
		error = MLINT_ERROR;
	if (!out->message && !(out->message = mlint_strdup("cannot compile")))
		error = MLINT_ERROR;
	if (type) py.decref(type);
	if (value) py.decref(value);
	if (tb) py.decref(tb);
	return error;
}

int mlint_pycompile(struct mlint_pycompile_result *out, const char *src, size_t len,
		    const char *filename)
{
	char *text;
	void *code;
	int state, error = 0;

	mlint_pycompile_result_init(out);
	pthread_once(&py_once, load_python);
	if (!py_ready) {
		out->verdict = MLINT_PYCOMPILE_UNAVAILABLE;
		return 0;
	}
	if (!(text = malloc(len + 1)))
		return mlint_error_set("out of memory");
	memcpy(text, src, len);
	text[len] = '\0';
	pthread_mutex_lock(&py_lock);
	state = py.gil_ensure();
	if ((code = py.compile(text, filename, PY_FILE_INPUT, NULL, 0)) != NULL)
		py.decref(code);
	else
		error = read_error(out);
	py.gil_release(state);
	pthread_mutex_unlock(&py_lock);
	free(text);
	return error;
}

const char *mlint_pycompile_unavailable(void)
{
	return py_why[0] && !py_ready ? py_why : NULL;
}

const char *mlint_pycompile_version(void)
{
	return py_ready ? py_version : NULL;
}

/*
 * The interpreter lives until the process ends and is never finalized (its
 * objects sit in Python's own arenas, which LeakSanitizer does not scan):
 * under ASan its allocations are not mlint's leaks.
 */
#if defined(__SANITIZE_ADDRESS__)
#define MLINT_PYCOMPILE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLINT_PYCOMPILE_ASAN 1
#endif
#endif
#ifdef MLINT_PYCOMPILE_ASAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libpython3.11.so\n";
}
#endif
