/*
 * imports-application: a migration that imports the application's own code
 * (`from app.models import User`, `from config import settings`), a module
 * that resolves inside the repository, outside the migrations directory.
 * Such a migration changes when the application changes.
 *
 * Candidates are found line by line while the file is read (an import
 * statement starts a line; mlint_imports_extract, kept with the script),
 * with the tokenizer telling code from text in a string; after the load
 * the rule resolves their modules against the project's layout.
 * Where Python looks: the repository root, the directory of alembic.ini
 * (where `alembic` runs), its prepend_sys_path entries, and src/.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "mlint/check.h"
#include "mlint/pyscan.h"
#include "util.h"

#define MAX_ROOTS 8
#define MAX_CACHE 64

struct resolver {
	char *roots[MAX_ROOTS];
	size_t nr_roots;
	const char *script_location;
	struct { char name[64]; char *found; } cache[MAX_CACHE]; /* found: NULL = not ours */
	size_t nr_cache;
};

static void resolver_release(struct resolver *r)
{
	for (size_t i = 0; i < r->nr_roots; i++)
		free(r->roots[i]);
	for (size_t i = 0; i < r->nr_cache; i++)
		free(r->cache[i].found);
}

static int add_root(struct resolver *r, const char *dir, const char *sub)
{
	char *path;
	if (!dir || r->nr_roots == MAX_ROOTS)
		return 0;
	if (!(path = sub ? mlint_path_join(dir, sub) : mlint_strdup(dir)))
		return MLINT_ERROR;
	for (size_t i = 0; i < r->nr_roots; i++)
		if (strcmp(r->roots[i], path) == 0) {
			free(path);
			return 0;
		}
	r->roots[r->nr_roots++] = path;
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? mlint_strndup(path, (size_t)(slash - path)) : mlint_strdup(".");
}

/* prepend_sys_path = . src (space, comma or os.pathsep separated). */
static int add_sys_paths(struct resolver *r, const struct mlint_scriptdir_config *d,
			 const char *ini_dir)
{
	const struct mlint_ini_entry *e = mlint_ini_get(&d->ini, "alembic", "prepend_sys_path");
	const char *p = e ? e->value : NULL;
	int error = 0;

	while (p && *p && error == 0) {
		size_t n;
		char item[512];
		p += strspn(p, " ,:;\t");
		n = strcspn(p, " ,:;\t");
		if (n && n < sizeof(item)) {
			memcpy(item, p, n);
			item[n] = '\0';
			error = item[0] == '/' ? add_root(r, item, NULL)
					       : strcmp(item, ".") == 0 ? add_root(r, ini_dir, NULL)
					       : add_root(r, ini_dir, item);
		}
		p += n;
	}
	return error;
}

static int resolver_init(struct resolver *r, const struct mlint_project *p,
			 const struct mlint_scriptdir_config *d)
{
	char *ini_dir = NULL;
	int error = 0;

	memset(r, 0, sizeof(*r));
	r->script_location = d->script_location;
	if (d->ini_path && !(ini_dir = dir_of(d->ini_path)))
		return MLINT_ERROR;
	if (add_root(r, p->repo_root, NULL) < 0 || add_root(r, p->base_dir, NULL) < 0 ||
	    add_root(r, ini_dir, NULL) < 0 || (ini_dir && add_sys_paths(r, d, ini_dir) < 0) ||
	    add_root(r, p->repo_root, "src") < 0)
		error = MLINT_ERROR;
	free(ini_dir);
	return error;
}

static int inside(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The file or package directory top-level module `name` resolves to inside
 * the project (not the migrations directory), or NULL. Borrowed. */
static const char *resolve(struct resolver *r, const char *name, int *error)
{
	static const char *const suffixes[] = {".py", "/__init__.py", ""};
	struct stat st;
	char path[4096];

	for (size_t i = 0; i < r->nr_cache; i++)
		if (strcmp(r->cache[i].name, name) == 0)
			return r->cache[i].found;
	if (r->nr_cache == MAX_CACHE || strlen(name) >= sizeof(r->cache[0].name))
		return NULL;
	snprintf(r->cache[r->nr_cache].name, sizeof(r->cache[0].name), "%s", name);
	r->cache[r->nr_cache].found = NULL;
	for (size_t i = 0; i < r->nr_roots && !r->cache[r->nr_cache].found; i++)
		for (size_t k = 0; k < 3; k++) {
			snprintf(path, sizeof(path), "%s/%s%s", r->roots[i], name, suffixes[k]);
			if (stat(path, &st) != 0 || (k == 2 && !S_ISDIR(st.st_mode)) ||
			    inside(path, r->script_location))
				continue;
			if (!(r->cache[r->nr_cache].found = mlint_strdup(path)))
				*error = MLINT_ERROR;
			break;
		}
	return r->cache[r->nr_cache++].found;
}

/* Python's own modules and the migration's tools, never the application. */
static int known_library(const char *name)
{
	static const char *const names[] = {"alembic", "sqlalchemy", "__future__", "typing",
					    "datetime", "uuid", "json", "os", "sys", "re",
					    "logging", "enum", "decimal", NULL};
	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static int report(const struct mlint_project *p, const struct mlint_script *s, unsigned line,
		  unsigned col, const char *module, const char *where, struct mlint_findings *out)
{
	struct mlint_location at = mlint_script_at(s, line, col);
	char *shown = mlint_project_display_path(p, where);
	int error;

	if (!shown)
		return MLINT_ERROR;
	error = mlint_findings_addf(out, mlint_rule_find("imports-application"), &at,
				    "the migration imports the application: '%s' is '%s' in this "
				   "repository, so the migration changes when the application does; "
				   "copy the table definition it needs into the migration "
				   "(sa.table('name', sa.column(...))) and drop the import",
				   module, shown);
	free(shown);
	return error;
}

/* ---- the facts: read with the file ------------------------------------- */

static void free_modules(char **modules, size_t nr)
{
	for (size_t k = 0; k < nr; k++)
		free(modules[k]);
	free(modules);
}

void mlint_import_stmts_free(struct mlint_import_stmt *stmts, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free_modules(stmts[i].modules, stmts[i].nr_modules);
	free(stmts);
}

struct extract {
	struct mlint_import_stmt *stmts;
	size_t nr, alloc;
	size_t *offs; /* where each statement starts in the file */
	size_t alloc_offs;
};

static int add_module(struct mlint_import_stmt *st, const char *q, size_t n)
{
	char **grown = realloc(st->modules, (st->nr_modules + 1) * sizeof(*grown));

	if (!grown)
		return mlint_error_set("out of memory");
	st->modules = grown;
	if (!(st->modules[st->nr_modules] = mlint_strndup(q, n)))
		return MLINT_ERROR;
	st->nr_modules++;
	return 0;
}

/* One import statement at `p` (the line's first word): the modules Python
 * would import, as far as they are names, without the known libraries. */
static int read_statement(struct extract *x, const char *src, const char *p, const char *eol,
			  unsigned line, unsigned col)
{
	int from = *p == 'f', error = 0;
	const char *q = p + (from ? 4 : 6);
	struct mlint_import_stmt st = {line, col, 0, NULL, 0};

	while (q < eol && error == 0) {
		char top[64];
		size_t n, t;
		while (q < eol && (*q == ' ' || *q == '\t' || *q == '(' || *q == ','))
			q++;
		n = strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
		if (n == 0 || (size_t)(eol - q) < n || q[0] == '.' || n >= 256)
			break; /* relative import, or not a module name */
		t = memchr(q, '.', n) ? (size_t)((const char *)memchr(q, '.', n) - q) : n;
		if (t < sizeof(top)) {
			memcpy(top, q, t);
			top[t] = '\0';
			if (!known_library(top))
				error = add_module(&st, q, n);
		}
		if (from)
			break;
		q += n; /* import a, b as c */
		while (q < eol && *q != ',')
			q++;
	}
	if (error == 0 && st.nr_modules &&
	    (MLINT_ARRAY_GROW(x->stmts, x->alloc, x->nr + 1) < 0 ||
	     MLINT_ARRAY_GROW(x->offs, x->alloc_offs, x->nr + 1) < 0))
		error = MLINT_ERROR;
	if (error < 0 || !st.nr_modules) {
		free_modules(st.modules, st.nr_modules);
		return error;
	}
	x->offs[x->nr] = (size_t)(p - src);
	x->stmts[x->nr++] = st;
	return 0;
}

/* Which statements start with a NAME token (code, not text in a string):
 * one tokenizer pass, up to the last statement. */
static void mark_code(struct extract *x, const char *src, size_t len)
{
	struct mlint_pyscan ps;
	struct mlint_token t;
	size_t k = 0;

	mlint_pyscan_init(&ps, src, len);
	while (k < x->nr && mlint_pyscan_next(&ps, &t) == 0 && t.kind != MLINT_TOK_ENDMARKER) {
		while (k < x->nr && x->offs[k] < t.off)
			k++;
		if (k < x->nr && x->offs[k] == t.off)
			x->stmts[k].code = t.kind == MLINT_TOK_NAME;
	}
	mlint_pyscan_release(&ps);
}

int mlint_imports_extract(const char *src, size_t len, struct mlint_import_stmt **out,
			  size_t *nr)
{
	struct extract x = {NULL, 0, 0, NULL, 0};
	const char *p = src, *end = src + len;
	unsigned line = 1;
	int error = 0;

	while (p < end && error == 0) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *w = p;
		if (!eol)
			eol = end;
		while (w < eol && (*w == ' ' || *w == '\t'))
			w++;
		if ((eol - w > 5 && memcmp(w, "from ", 5) == 0) ||
		    (eol - w > 7 && memcmp(w, "import ", 7) == 0))
			error = read_statement(&x, src, w, eol, line, (unsigned)(w - p) + 1);
		p = eol + 1;
		line++;
	}
	if (error == 0 && x.nr)
		mark_code(&x, src, len);
	free(x.offs);
	if (error < 0) {
		mlint_import_stmts_free(x.stmts, x.nr);
		x.stmts = NULL;
		x.nr = 0;
	}
	*out = x.stmts;
	*nr = x.nr;
	return error;
}

/* ---- the rule: the facts against the project's layout ------------------ */

/* The first module of the statement that resolves in the project, when the
 * statement is code. Every module is resolved in order, code or not, as
 * before the facts were split out: the resolver's bounded cache fills the
 * same way. */
static int check_statement(const struct mlint_project *proj, struct resolver *r,
			   const struct mlint_script *s, const struct mlint_import_stmt *st,
			   struct mlint_findings *out)
{
	int error = 0;

	for (size_t k = 0; k < st->nr_modules && error == 0; k++) {
		const char *module = st->modules[k], *where;
		char top[64];
		size_t t = strcspn(module, ".");
		if (t >= sizeof(top))
			continue;
		memcpy(top, module, t);
		top[t] = '\0';
		if ((where = resolve(r, top, &error)) != NULL && st->code)
			return report(proj, s, st->line, st->col, module, where, out);
	}
	return error;
}

static int check_script(const struct mlint_project *proj, struct resolver *r,
			const struct mlint_script *s, struct mlint_findings *out)
{
	struct mlint_import_stmt *stmts = s->imports;
	size_t nr = s->nr_imports;
	int error = 0;

	if (!s->imports_read) { /* not read with the file: from its bytes now */
		size_t len;
		const char *src = mlint_script_source(s, &len);
		if (!src)
			return 0;
		if (mlint_imports_extract(src, len, &stmts, &nr) < 0)
			return MLINT_ERROR;
	}
	for (size_t i = 0; i < nr && error == 0; i++)
		error = check_statement(proj, r, s, &stmts[i], out);
	if (!s->imports_read)
		mlint_import_stmts_free(stmts, nr);
	return error;
}

int mlint_check_imports(const struct mlint_project *p, const struct mlint_scriptdir *sd,
			struct mlint_findings *out)
{
	struct resolver r;
	int error;

	if (!sd->config || resolver_init(&r, p, sd->config) < 0)
		return sd->config ? MLINT_ERROR : 0;
	error = 0;
	for (size_t i = 0; i < sd->nr_scripts && error == 0; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		if (s->is_migration && !s->refused)
			error = check_script(p, &r, s, out);
	}
	resolver_release(&r);
	return error;
}
