#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mlint/buf.h"
#include "mlint/discover.h"
#include "util.h"

#define SEARCH_DEPTH 6
#define PROBE_BYTES 65536

/* ---- notes ----------------------------------------------------------- */

void mlint_notes_release(struct mlint_notes *notes)
{
	for (size_t i = 0; i < notes->nr; i++)
		free(notes->items[i].text);
	free(notes->items);
	memset(notes, 0, sizeof(*notes));
}

int mlint_notes_add(struct mlint_notes *notes, enum mlint_note_level level, const char *fmt, ...)
{
	struct mlint_buf buf;
	va_list ap;

	if (MLINT_ARRAY_GROW(notes->items, notes->alloc, notes->nr + 1) < 0)
		return MLINT_ERROR;
	mlint_buf_init(&buf, 0);
	va_start(ap, fmt);
	if (mlint_buf_vprintf(&buf, fmt, ap) < 0) {
		va_end(ap);
		mlint_buf_release(&buf);
		return MLINT_ERROR;
	}
	va_end(ap);
	notes->items[notes->nr].level = level;
	if (!(notes->items[notes->nr].text = mlint_buf_detach(&buf, NULL)))
		return MLINT_ERROR;
	notes->nr++;
	return 0;
}

/* ---- project --------------------------------------------------------- */

void mlint_project_init(struct mlint_project *p)
{
	memset(p, 0, sizeof(*p));
}

static void scriptdir_config_release(struct mlint_scriptdir_config *d)
{
	free(d->script_location);
	free(d->display);
	free(d->ini_path);
	free(d->section);
	for (size_t i = 0; i < d->nr_locations; i++)
		free(d->version_locations[i]);
	free(d->version_locations);
	mlint_ini_release(&d->ini);
}

void mlint_project_release(struct mlint_project *p)
{
	for (size_t i = 0; i < p->nr_dirs; i++)
		scriptdir_config_release(&p->dirs[i]);
	free(p->dirs);
	free(p->repo_root);
	free(p->base_dir);
	mlint_notes_release(&p->notes);
	mlint_project_init(p);
}

char *mlint_project_display_path(const struct mlint_project *p, const char *abs)
{
	size_t bl = p->base_dir ? strlen(p->base_dir) : 0;

	if (bl && strncmp(abs, p->base_dir, bl) == 0) {
		if (abs[bl] == '\0')
			return mlint_strdup(".");
		if (abs[bl] == '/')
			return mlint_strdup(abs + bl + 1);
		if (bl == 1 && p->base_dir[0] == '/')
			return mlint_strdup(abs + 1);
	}
	return mlint_strdup(abs);
}

/* ---- file system helpers --------------------------------------------- */

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The absolute path of `path`. NULL with the error set (and errno: ENOENT
 * when it does not exist): every file mlint opens is named by an absolute
 * path, which the system refuses past PATH_MAX, so a longer one is an
 * error here that says so, not a puzzling one later. */
static char *real_path(const char *path)
{
	char *r = realpath(path, NULL);
	if (r && strlen(r) >= PATH_MAX) {
		free(r);
		r = NULL;
		errno = ENAMETOOLONG;
	}
	if (!r && errno == ENAMETOOLONG)
		mlint_error_setc(MLINT_EUSAGE, "cannot use '%s': its absolute path is longer than "
				 "the system allows (PATH_MAX, %d bytes); move the project to a "
				 "shorter path", path, PATH_MAX);
	else if (!r)
		mlint_error_setc(errno == ENOENT ? MLINT_EUSAGE : MLINT_ERROR,
				 "cannot use '%s': %s", path, strerror(errno));
	return r;
}

static char *dir_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return mlint_strdup(".");
	if (slash == path)
		return mlint_strdup("/");
	return mlint_strndup(path, (size_t)(slash - path));
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t sl = strlen(s), xl = strlen(suffix);
	return sl >= xl && strcmp(s + sl - xl, suffix) == 0;
}

/* True when `file` reads like a migration: it assigns down_revision. */
static int file_looks_like_migration(const char *file)
{
	char buf[PROBE_BYTES];
	FILE *f = fopen(file, "rb");
	size_t n;
	int hit = 0;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (const char *p = buf; (p = strstr(p, "down_revision")) != NULL; p++) {
		if (p == buf || p[-1] == '\n') {
			hit = 1;
			break;
		}
	}
	return hit;
}

/* A version directory holds at least one .py file that reads like a migration. */
static int is_version_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		char *full;
		if (!has_suffix(e->d_name, ".py") || mlint_starts_with(e->d_name, "__init__"))
			continue;
		if (!(full = mlint_path_join(dir, e->d_name)))
			break;
		found = is_file(full) && file_looks_like_migration(full);
		free(full);
	}
	closedir(d);
	return found;
}

static int skip_in_search(const char *name)
{
	static const char *const skipped[] = {
		"node_modules", "__pycache__", "site-packages", "venv", "env", "build", "dist", NULL,
	};
	if (name[0] == '.')
		return 1;
	for (size_t i = 0; skipped[i]; i++)
		if (strcmp(name, skipped[i]) == 0)
			return 1;
	return 0;
}

/* ---- script directories ---------------------------------------------- */

static struct mlint_scriptdir_config *new_dir(struct mlint_project *p)
{
	struct mlint_scriptdir_config *d;
	if (MLINT_ARRAY_GROW(p->dirs, p->alloc_dirs, p->nr_dirs + 1) < 0)
		return NULL;
	d = &p->dirs[p->nr_dirs++];
	memset(d, 0, sizeof(*d));
	mlint_ini_init(&d->ini);
	return d;
}

static int add_location(struct mlint_scriptdir_config *d, const char *abs)
{
	char *copy;
	for (size_t i = 0; i < d->nr_locations; i++)
		if (strcmp(d->version_locations[i], abs) == 0)
			return 0;
	if (!(copy = mlint_strdup(abs)))
		return MLINT_ERROR;
	if (MLINT_ARRAY_GROW(d->version_locations, d->alloc_locations, d->nr_locations + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	d->version_locations[d->nr_locations++] = copy;
	return 0;
}

static int already_known(const struct mlint_project *p, const char *script_location)
{
	for (size_t i = 0; i < p->nr_dirs; i++)
		if (strcmp(p->dirs[i].script_location, script_location) == 0)
			return 1;
	return 0;
}

/* Alembic's name for the section a script directory was read from. */
static const char *section_of(const struct mlint_scriptdir_config *d)
{
	return d->section ? d->section : "alembic";
}

/* "myapp.db:migrations:x" -> "myapp/db/migrations/x", as importlib finds it. */
static char *package_relative_path(const char *value)
{
	char *rel = mlint_strdup(value), *colon;

	if (!rel)
		return NULL;
	colon = strchr(rel, ':');
	for (char *c = rel; c < colon; c++)
		if (*c == '.')
			*c = '/';
	for (char *c = colon; *c; c++)
		if (*c == ':')
			*c = '/';
	return rel;
}

/*
 * "package:path": Python imports the package from sys.path, which for a
 * project run from its root holds the root itself or src/ (a src layout
 * installed with pip install -e). mlint looks in the same places below the
 * ini's directory and the repository root, and names each one it tried.
 */
static int resolve_package(char **out, const struct mlint_project *p, const char *here,
			   const char *value, const char *where, const char *key)
{
	const char *bases[4] = {here, "src", p->repo_root, "src"};
	struct mlint_buf tried;
	char *rel = package_relative_path(value);
	int error = 0;

	*out = NULL;
	if (!rel)
		return MLINT_ERROR;
	mlint_buf_init(&tried, 0);
	for (size_t i = 0; i < 4 && !*out && error == 0; i++) {
		const char *base = i % 2 ? bases[i - 1] : bases[i];
		char *dir, *cand, *shown;
		if (!base || (i >= 2 && strcmp(base, here) == 0))
			continue;
		dir = i % 2 ? mlint_path_join(base, "src") : mlint_strdup(base);
		cand = dir ? mlint_path_join(dir, rel) : NULL;
		free(dir);
		if (!cand) {
			error = MLINT_ERROR;
			break;
		}
		if (is_dir(cand)) {
			*out = realpath(cand, NULL);
		} else if ((shown = mlint_project_display_path(p, cand)) != NULL) {
			mlint_buf_printf(&tried, "%s'%s'", tried.len ? ", " : "", shown);
			free(shown);
		}
		free(cand);
	}
	if (error == 0 && !*out)
		error = mlint_error_setc(MLINT_EUSAGE,
					 "%s: %s '%s' names the Python package '%.*s': tried %s and "
					 "none is a directory; run mlint from the project that holds "
					 "the package, or write the directory's path instead",
					 where, key, value, (int)strcspn(value, ":"), value,
					 tried.len ? tried.ptr : "nothing");
	mlint_buf_release(&tried);
	free(rel);
	return error;
}

/* A path from alembic.ini: absolute, relative to the ini's directory, or
 * Alembic's "package:resource" form. *out may name nothing on disk, except
 * for the package form, which fails when it is not found. */
static int resolve_ini_path(char **out, const struct mlint_project *p, const char *here,
			    const char *value, const char *where, const char *key)
{
	*out = value[0] == '/' ? mlint_strdup(value) : mlint_path_join(here, value);
	if (!*out)
		return MLINT_ERROR;
	if (value[0] == '/' || !strchr(value, ':') || is_dir(*out))
		return 0;
	free(*out);
	return resolve_package(out, p, here, value, where, key);
}

/* Splits version_locations as Alembic does for each version_path_separator. */
static int split_locations(const struct mlint_ini_entry *sep_entry, const char *value,
			   char ***out, size_t *nr, const char *ini_path)
{
	const char *sep = sep_entry ? sep_entry->value : NULL;
	const char *chars;
	size_t alloc = 0;

	*out = NULL;
	*nr = 0;
	if (!sep)
		chars = ", \t\n"; /* legacy: split on spaces and commas */
	else if (strcmp(sep, "space") == 0)
		chars = " ";
	else if (strcmp(sep, "os") == 0 || strcmp(sep, ":") == 0)
		chars = ":";
	else if (strcmp(sep, ";") == 0)
		chars = ";";
	else if (strcmp(sep, "newline") == 0)
		chars = "\n";
	else
		return mlint_error_setc(MLINT_EUSAGE,
					"'%s':%u: version_path_separator '%s' is not one of "
					"space, os, ':', ';', newline",
					ini_path, sep_entry->line, sep);
	for (const char *p = value; *p;) {
		size_t n = strcspn(p, chars);
		if (n > 0) {
			char *item = mlint_strndup(p, n);
			if (!item || MLINT_ARRAY_GROW(*out, alloc, *nr + 1) < 0) {
				free(item);
				return MLINT_ERROR;
			}
			(*out)[(*nr)++] = item;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int add_default_location(struct mlint_scriptdir_config *d)
{
	char *versions = mlint_path_join(d->script_location, "versions");
	int error = versions ? add_location(d, versions) : MLINT_ERROR;
	free(versions);
	return error;
}

/*
 * version_locations of the section, or `[mlint] version-locations` when a
 * project's env.py sets them in code (Alembic's separators either way).
 */
static int read_version_locations(struct mlint_project *p, struct mlint_scriptdir_config *d,
				  const char *here, const char *const *defaults)
{
	const char *section = section_of(d), *key = "version_locations";
	const struct mlint_ini_entry *e;
	char *value = NULL, **items = NULL, where[600];
	size_t nr = 0;
	int error;

	if (mlint_ini_has_section(&d->ini, "mlint") &&
	    mlint_ini_get(&d->ini, "mlint", "version-locations")) {
		section = "mlint";
		key = "version-locations";
	}
	if ((error = mlint_ini_get_interpolated(&value, &d->ini, section, key, defaults)) < 0)
		return error;
	if (!value || !*value) {
		free(value);
		return add_default_location(d);
	}
	e = mlint_ini_get(&d->ini, section, key);
	snprintf(where, sizeof(where), "'%s':%u", d->ini_path, e ? e->line : 0);
	if (strcmp(section, "mlint") == 0 &&
	    (error = mlint_notes_add(&p->notes, MLINT_NOTE_VERBOSE, "%s: version locations "
				     "from [mlint] version-locations: %s", where, value)) < 0)
		goto done;
	/* [mlint] version-locations splits on spaces and commas (newlines too),
	 * whatever version_path_separator says: it is mlint's own key. */
	error = split_locations(strcmp(section, "mlint") == 0 ? NULL
				: mlint_ini_get(&d->ini, section, "version_path_separator"),
				value, &items, &nr, d->ini_path);
	for (size_t i = 0; error == 0 && i < nr; i++) {
		char *abs = NULL;
		if ((error = resolve_ini_path(&abs, p, here, items[i], where, key)) < 0)
			break;
		if (!is_dir(abs))
			error = mlint_notes_add(&p->notes, MLINT_NOTE_WARNING,
						"version location '%s' in '%s' does not exist "
						"(Alembic skips it too)", items[i], d->ini_path);
		else
			error = add_location(d, abs);
		free(abs);
	}
	if (error == 0 && d->nr_locations == 0 && strcmp(section, "mlint") == 0)
		error = mlint_error_setc(MLINT_EUSAGE, "%s: no directory in [mlint] "
					 "version-locations '%s' exists", where, value);
done:
	free_strings(items, nr);
	free(value);
	return error;
}

/* A script directory: env.py and versions/. */
static int is_script_dir(const char *dir)
{
	char *versions = mlint_path_join(dir, "versions");
	char *env = mlint_path_join(dir, "env.py");
	int yes = versions && env && is_dir(versions) && is_file(env);
	free(versions);
	free(env);
	return yes;
}

/*
 * [alembic] without script_location: Flask-Migrate's alembic.ini lives in
 * the script directory (the app sets script_location at run time); pytest-
 * alembic and Flask-Migrate projects with the ini at the root use the
 * migrations/ beside it.
 */
static int default_script_location(struct mlint_project *p, struct mlint_scriptdir_config *d,
				   const char *here)
{
	char *beside;

	if (is_script_dir(here))
		return (d->script_location = mlint_strdup(here)) ? 0 : MLINT_ERROR;
	if (!(beside = mlint_path_join(here, "migrations")))
		return MLINT_ERROR;
	if (is_script_dir(beside)) {
		d->script_location = realpath(beside, NULL);
		free(beside);
		if (!d->script_location)
			return mlint_error_set("cannot resolve script_location: %s", strerror(errno));
		return mlint_notes_add(&p->notes, MLINT_NOTE_VERBOSE,
				       "'%s' has no script_location in [%s]: using 'migrations' "
				       "beside it (it holds env.py and versions/), as Flask-Migrate "
				       "and pytest-alembic do", d->ini_path, section_of(d));
	}
	free(beside);
	return mlint_error_setc(MLINT_EUSAGE,
				"'%s' has no 'script_location' in [%s]: add "
				"'script_location = migrations' (the directory holding env.py "
				"and versions/), or pass the versions directory to mlint",
				d->ini_path, section_of(d));
}

static int resolve_script_location(struct mlint_project *p, struct mlint_scriptdir_config *d,
				   const char *here, const char *const *defaults)
{
	const struct mlint_ini_entry *e = mlint_ini_get(&d->ini, section_of(d), "script_location");
	char *value = NULL, *abs = NULL, where[600];
	int error;

	if ((error = mlint_ini_get_interpolated(&value, &d->ini, section_of(d), "script_location",
						defaults)) < 0)
		return error;
	if (!value || !*value) {
		free(value);
		return default_script_location(p, d, here);
	}
	snprintf(where, sizeof(where), "'%s':%u", d->ini_path, e ? e->line : 0);
	error = resolve_ini_path(&abs, p, here, value, where, "script_location");
	free(value);
	if (error < 0)
		return error;
	if (!is_dir(abs)) {
		error = mlint_error_setc(MLINT_EUSAGE, "%s: script_location '%s' is not a directory",
					 where, abs);
		free(abs);
		return error;
	}
	d->script_location = realpath(abs, NULL);
	free(abs);
	return d->script_location ? 0 : mlint_error_set("cannot resolve script_location: %s",
							 strerror(errno));
}

/* Two sections that name one script directory (one database per section
 * over shared migrations) are read once. */
static int same_dir_known(const struct mlint_project *p, const struct mlint_scriptdir_config *d)
{
	for (const struct mlint_scriptdir_config *o = p->dirs; o < d; o++) {
		if (strcmp(o->script_location, d->script_location) != 0 ||
		    o->nr_locations != d->nr_locations)
			continue;
		for (size_t k = 0; k < d->nr_locations; k++)
			if (strcmp(o->version_locations[k], d->version_locations[k]) != 0)
				return 0;
		return 1;
	}
	return 0;
}

/* One section of an alembic.ini as a script directory. */
static int add_ini_section(struct mlint_project *p, const char *real, const char *here,
			   const char *section)
{
	struct mlint_scriptdir_config *d;
	const char *defaults[3] = {"here", here, NULL};
	const struct mlint_ini_entry *rec;
	int error = MLINT_ERROR;

	if (!(d = new_dir(p)))
		return MLINT_ERROR;
	if (!(d->ini_path = mlint_strdup(real)) || !(d->section = mlint_strdup(section)))
		goto done;
	if ((error = mlint_ini_parse_file(&d->ini, d->ini_path)) < 0 ||
	    (error = resolve_script_location(p, d, here, defaults)) < 0 ||
	    (error = read_version_locations(p, d, here, defaults)) < 0)
		goto done;
	rec = mlint_ini_get(&d->ini, section, "recursive_version_locations");
	d->recursive = rec && strcmp(rec->value, "true") == 0;
	if (same_dir_known(p, d)) {
		error = mlint_notes_add(&p->notes, MLINT_NOTE_VERBOSE, "[%s] of '%s' names a script "
					"directory already read; read once", section, real);
		scriptdir_config_release(d);
		p->nr_dirs--;
		return error;
	}
	error = 0;
done:
	if (error < 0) {
		scriptdir_config_release(d);
		p->nr_dirs--;
	}
	return error;
}

/* True when `section` itself (not DEFAULT) sets script_location. */
static int section_sets_location(const struct mlint_ini *ini, const char *section)
{
	for (size_t i = 0; i < ini->nr; i++)
		if (strcmp(ini->entries[i].section, section) == 0 &&
		    strcmp(ini->entries[i].key, "script_location") == 0)
			return 1;
	return 0;
}

/* "[core], [tenant]": the sections that could be passed to --name. */
static void list_sections(struct mlint_buf *out, const struct mlint_ini *ini)
{
	for (size_t i = 0; i < ini->nr_sections; i++)
		if (section_sets_location(ini, ini->sections[i]))
			mlint_buf_printf(out, "%s[%s]", out->len ? ", " : "", ini->sections[i]);
}

/* [alembic] names a script directory: its script_location (or DEFAULT's),
 * or the env.py and versions/ that one without it stands for (see
 * default_script_location). */
static int alembic_has_location(const struct mlint_ini *ini, const char *here)
{
	const struct mlint_ini_entry *e = mlint_ini_get(ini, "alembic", "script_location");
	char *beside;
	int yes;

	if ((e && e->value[0]) || is_script_dir(here))
		return 1;
	beside = mlint_path_join(here, "migrations");
	yes = beside && is_script_dir(beside);
	free(beside);
	return yes;
}

/* The sections to read: --name, else [alembic] and every other section
 * that sets script_location. */
static int add_ini_sections(struct mlint_project *p, const struct mlint_ini *ini,
			    const char *real, const char *here, const char *name)
{
	struct mlint_buf known;
	int error = 0;

	mlint_buf_init(&known, 0);
	list_sections(&known, ini);
	if (name && !mlint_ini_has_section(ini, name))
		error = mlint_error_setc(MLINT_EUSAGE, "'%s' has no [%s] section (--name); its "
					 "sections with a script_location: %s", real, name,
					 known.len ? known.ptr : "none");
	else if (name)
		error = add_ini_section(p, real, here, name);
	else if (!mlint_ini_has_section(ini, "alembic") && !known.len)
		error = mlint_error_setc(MLINT_EUSAGE, "'%s' has no [alembic] section and no section "
					 "with a script_location: is it Alembic's configuration "
					 "file?", real);
	else if (mlint_ini_has_section(ini, "alembic") && known.len &&
		 !alembic_has_location(ini, here))
		/* [alembic] holds only shared settings (Netflix's dispatch:
		 * file_template there, script_location in [core] and [tenant],
		 * run as `alembic -n tenant`): Alembic without -n fails there */
		error = mlint_notes_add(&p->notes, MLINT_NOTE_VERBOSE, "'%s': [alembic] has no "
					"script_location; reading the sections that set one: %s",
					real, known.ptr);
	else if (mlint_ini_has_section(ini, "alembic"))
		error = add_ini_section(p, real, here, "alembic");
	for (size_t i = 0; !name && error == 0 && i < ini->nr_sections; i++)
		if (strcmp(ini->sections[i], "alembic") != 0 &&
		    section_sets_location(ini, ini->sections[i]))
			error = add_ini_section(p, real, here, ini->sections[i]);
	mlint_buf_release(&known);
	return error;
}

static int add_ini_project(struct mlint_project *p, const char *ini_path, const char *name)
{
	struct mlint_ini ini;
	char *real = real_path(ini_path), *here = NULL;
	int error = 0;

	if (!real)
		return MLINT_ERROR;
	/* The same project reached twice (a root and its ini) is read once. */
	for (size_t i = 0; i < p->nr_dirs; i++)
		if (p->dirs[i].ini_path && strcmp(p->dirs[i].ini_path, real) == 0) {
			free(real);
			return 0;
		}
	mlint_ini_init(&ini);
	if (!(here = dir_name(real)))
		error = MLINT_ERROR;
	else if ((error = mlint_ini_parse_file(&ini, real)) == 0)
		error = add_ini_sections(p, &ini, real, here, name);
	mlint_ini_release(&ini);
	free(here);
	free(real);
	return error;
}

static int add_versions_project(struct mlint_project *p, const char *const *dirs, size_t nr)
{
	struct mlint_scriptdir_config *d;
	int error = 0;

	for (size_t i = 0; i < p->nr_dirs; i++)
		for (size_t k = 0; k < p->dirs[i].nr_locations; k++)
			if (nr == 1 && strcmp(p->dirs[i].version_locations[k], dirs[0]) == 0)
				return 0; /* already read as part of a project */

	if (!(d = new_dir(p)))
		return MLINT_ERROR;
	d->script_location = dir_name(dirs[0]);
	if (!d->script_location)
		error = MLINT_ERROR;
	for (size_t i = 0; error == 0 && i < nr; i++)
		error = add_location(d, dirs[i]);
	if (error < 0) {
		scriptdir_config_release(d);
		p->nr_dirs--;
	}
	return error;
}

/* ---- searching below a directory ------------------------------------- */

struct search {
	struct mlint_project *p;
	const char *name; /* --name */
	int found_ini;
	char **versions; /* version dirs found when no ini is */
	size_t nr_versions, alloc_versions;
};

static int search_dir(struct search *s, const char *dir, int depth)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), error = 0;

	if (n < 0)
		return 0; /* unreadable directories below a root are not ours */
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *full = NULL;
		if (error == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		    (full = mlint_path_join(dir, name)) != NULL) {
			if (strcmp(name, "alembic.ini") == 0 && is_file(full)) {
				error = add_ini_project(s->p, full, s->name);
				s->found_ini = 1;
			} else if (strcmp(name, "versions") == 0 && is_dir(full) &&
				   is_version_dir(full)) {
				char *copy = real_path(full);
				if (!copy || MLINT_ARRAY_GROW(s->versions, s->alloc_versions,
							       s->nr_versions + 1) < 0) {
					free(copy);
					error = MLINT_ERROR;
				} else {
					s->versions[s->nr_versions++] = copy;
				}
			} else if (depth < SEARCH_DEPTH && !skip_in_search(name) && is_dir(full)) {
				error = search_dir(s, full, depth + 1);
			}
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return error;
}

static int search_below(struct mlint_project *p, const char *dir, const char *name)
{
	struct search s = {p, name, 0, NULL, 0, 0};
	int error = search_dir(&s, dir, 0);

	for (size_t i = 0; error == 0 && !s.found_ini && i < s.nr_versions; i++) {
		char *parent = dir_name(s.versions[i]);
		const char *one[1] = {s.versions[i]};
		if (!parent)
			error = MLINT_ERROR;
		else if (!already_known(p, parent))
			error = add_versions_project(p, one, 1);
		free(parent);
	}
	free_strings(s.versions, s.nr_versions);
	if (error == 0 && p->nr_dirs == 0)
		return mlint_error_setc(MLINT_EUSAGE,
					"no Alembic project found in '%s': expected alembic.ini, "
					"migrations/alembic.ini or a versions/ directory of "
					"migrations; pass the versions directory or --config FILE",
					dir);
	return error;
}

/* ---- one path --------------------------------------------------------- */

static int discover_dir(struct mlint_project *p, const char *abs, const char *name,
			char ***version_dirs, size_t *nr_version_dirs, size_t *alloc_version_dirs)
{
	char *ini = mlint_path_join(abs, "alembic.ini");
	char *flask = mlint_path_join(abs, "migrations/alembic.ini");
	char *versions = mlint_path_join(abs, "migrations/versions");
	int error;

	if (!ini || !flask || !versions)
		error = MLINT_ERROR;
	else if (is_file(ini))
		error = add_ini_project(p, ini, name);
	else if (is_file(flask))
		error = add_ini_project(p, flask, name);
	else if (is_version_dir(abs) || has_suffix(abs, "/versions")) {
		char *copy = mlint_strdup(abs);
		error = copy && MLINT_ARRAY_GROW(*version_dirs, *alloc_version_dirs,
						 *nr_version_dirs + 1) == 0 ? 0 : MLINT_ERROR;
		if (error == 0)
			(*version_dirs)[(*nr_version_dirs)++] = copy;
		else
			free(copy);
	} else if (is_dir(versions)) {
		const char *one[1] = {versions};
		error = add_versions_project(p, one, 1);
	} else
		error = search_below(p, abs, name);
	free(ini);
	free(flask);
	free(versions);
	return error;
}

static int discover_path(struct mlint_project *p, const char *path, const char *name,
			 char ***version_dirs, size_t *nr, size_t *alloc)
{
	char *abs = real_path(path);
	int error;

	if (!abs && errno == ENOENT)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' does not exist", path);
	if (!abs)
		return MLINT_EUSAGE;
	if (is_dir(abs))
		error = discover_dir(p, abs, name, version_dirs, nr, alloc);
	else if (has_suffix(abs, ".ini"))
		error = add_ini_project(p, abs, name);
	else
		error = mlint_error_setc(MLINT_EUSAGE,
					 "'%s' is a file: pass the project directory, a versions "
					 "directory, or an alembic.ini", path);
	free(abs);
	return error;
}

/* ---- migrations outside every version location ------------------------ */

#define OUTSIDE_DEPTH 4

/* True when `file` assigns `revision` at the start of a line (plain or
 * annotated): what Alembic would load as a migration. */
static int file_declares_revision(const char *file)
{
	char buf[PROBE_BYTES];
	FILE *f = fopen(file, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (const char *p = buf; (p = strstr(p, "revision")) != NULL; p++) {
		const char *q = p + 8;
		if (p != buf && p[-1] != '\n')
			continue;
		q += strspn(q, " \t");
		if (*q == '=' || *q == ':')
			return 1;
	}
	return 0;
}

static int is_location(const struct mlint_scriptdir_config *d, const char *dir)
{
	for (size_t i = 0; i < d->nr_locations; i++)
		if (strcmp(d->version_locations[i], dir) == 0)
			return 1;
	return 0;
}

struct outside {
	const struct mlint_project *p;
	const struct mlint_scriptdir_config *d;
	char **where; /* "'dir' (N)", sorted before printing */
	size_t nr_where, alloc_where;
	size_t total;
};

static int walk_outside(struct outside *o, const char *dir, int depth, int in_location);

/* In a version location only its subdirectories matter here, and its
 * thousands of files are listed again by the load: a directory whose link
 * count is exactly 2 has none (ext4, xfs, tmpfs keep the count; btrfs says
 * 1, and then it is read). */
static int may_have_subdirs(const char *dir)
{
	struct stat st;
	return stat(dir, &st) != 0 || st.st_nlink != 2;
}

static int compare_cstrings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One entry of a walk: a directory to descend into, or a file to probe. */
static int outside_entry(struct outside *o, const char *dir, const struct dirent *e, int depth,
			 int in_location, size_t *count)
{
	char *full;
	int error = 0, isdir;

	if (e->d_name[0] == '.' || skip_in_search(e->d_name) ||
	    (in_location && e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
		return 0; /* a version location's own files are read by the scan */
	if (!(full = mlint_path_join(dir, e->d_name)))
		return MLINT_ERROR;
	isdir = e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN && is_dir(full));
	if (isdir && is_location(o->d, full)) {
		if (!o->d->recursive && may_have_subdirs(full))
			error = walk_outside(o, full, depth + 1, 1);
	} else if (isdir && depth < OUTSIDE_DEPTH && strcmp(e->d_name, "__pycache__") != 0) {
		error = walk_outside(o, full, depth + 1, 0);
	} else if (!isdir && !in_location && has_suffix(e->d_name, ".py") &&
		   file_declares_revision(full)) {
		(*count)++;
	}
	free(full);
	return error;
}

static int walk_outside(struct outside *o, const char *dir, int depth, int in_location)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	size_t count = 0;
	int error = 0;

	if (!dh)
		return 0; /* unreadable: Alembic could not read it either */
	while (error == 0 && (e = readdir(dh)) != NULL)
		error = outside_entry(o, dir, e, depth, in_location, &count);
	closedir(dh);
	if (error == 0 && count) {
		char *shown = mlint_project_display_path(o->p, dir);
		struct mlint_buf item;
		mlint_buf_init(&item, 0);
		if (!shown || mlint_buf_printf(&item, "'%s' (%zu)", shown, count) < 0 ||
		    MLINT_ARRAY_GROW(o->where, o->alloc_where, o->nr_where + 1) < 0)
			error = MLINT_ERROR;
		else
			o->where[o->nr_where++] = mlint_buf_detach(&item, NULL);
		mlint_buf_release(&item);
		o->total += count;
		free(shown);
	}
	return error;
}

/*
 * Migrations that no version location holds are invisible to Alembic's
 * command line unless env.py adds them at run time (an expand/contract tree,
 * version_locations built in code). Reading only some of a history
 * silently is the worst outcome: say how many, where, and how to configure.
 */
static int note_outside_locations(struct mlint_project *p, const struct mlint_scriptdir_config *d)
{
	struct outside o = {p, d, NULL, 0, 0, 0};
	const char *root = p->repo_root ? p->repo_root : p->base_dir;
	struct mlint_buf where;
	int error;

	if (root && strcmp(root, d->script_location) == 0)
		return 0; /* the whole repository: not a script directory's tree */
	mlint_buf_init(&where, 0);
	error = is_location(d, d->script_location) && !may_have_subdirs(d->script_location)
			? 0 : walk_outside(&o, d->script_location, 0, is_location(d, d->script_location));
	if (o.nr_where > 1)
		qsort(o.where, o.nr_where, sizeof(*o.where), compare_cstrings);
	for (size_t i = 0; error == 0 && i < o.nr_where; i++)
		error = mlint_buf_printf(&where, "%s%s", i ? ", " : "", o.where[i]);
	if (error == 0 && o.total)
		error = mlint_notes_add(&p->notes, MLINT_NOTE_WARNING,
					"%zu file%s that declare%s a revision lie%s below script "
					"directory '%s' but outside its version locations, so "
					"neither Alembic's command line nor mlint reads them: %s; if "
					"env.py adds them at run time, tell mlint: list them in "
					"version_locations, set recursive_version_locations = true "
					"(subdirectories), or set '[mlint] version-locations' in the "
					"alembic.ini", o.total, o.total == 1 ? "" : "s",
					o.total == 1 ? "s" : "", o.total == 1 ? "s" : "", d->display,
					where.ptr);
	mlint_buf_release(&where);
	free_strings(o.where, o.nr_where);
	return error < 0 ? error : 0;
}

/* ---- repository ------------------------------------------------------- */

/*
 * The work tree root is the nearest directory upward holding a `.git`
 * entry (a directory, or a file for linked worktrees and submodules). Found
 * without libgit2, whose start-up (TLS certificates) costs more than reading
 * a small project.
 */
static int find_repo_root(struct mlint_project *p, const char *start)
{
	char *dir = mlint_strdup(start);
	int error = 0;

	while (dir) {
		char *dotgit = mlint_path_join(dir, ".git");
		struct stat st;
		int found;
		if (!dotgit) {
			error = MLINT_ERROR;
			break;
		}
		found = lstat(dotgit, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
		free(dotgit);
		if (found) {
			p->repo_root = dir;
			return 0;
		}
		if (strcmp(dir, "/") == 0)
			break;
		{
			char *parent = dir_name(dir);
			free(dir);
			dir = parent;
		}
	}
	free(dir);
	return error;
}

static int set_base_dir(struct mlint_project *p, const char *first_path)
{
	char *abs = real_path(first_path);
	char *start;
	int error;

	if (!abs && errno == ENOENT)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' does not exist", first_path);
	if (!abs)
		return MLINT_EUSAGE;
	start = is_dir(abs) ? abs : dir_name(abs);
	error = start ? find_repo_root(p, start) : MLINT_ERROR;
	if (start != abs)
		free(start);
	free(abs);
	if (error < 0)
		return error;
	p->base_dir = p->repo_root ? mlint_strdup(p->repo_root) : getcwd(NULL, 0);
	return p->base_dir ? 0 : mlint_error_set("cannot read the current directory");
}

static void fill_display(struct mlint_project *p)
{
	for (size_t i = 0; i < p->nr_dirs; i++)
		if (!p->dirs[i].display)
			p->dirs[i].display = mlint_project_display_path(p, p->dirs[i].script_location);
}

/* --name picks a section of an alembic.ini: a path without one is a
 * mistake, not a silent full run. */
static int check_name_used(const struct mlint_project *p, const char *name)
{
	for (size_t i = 0; i < p->nr_dirs; i++)
		if (p->dirs[i].section && strcmp(p->dirs[i].section, name) == 0)
			return 0;
	return mlint_error_setc(MLINT_EUSAGE, "--name %s: no alembic.ini was read (only version "
				"directories); pass the project root or --config FILE", name);
}

int mlint_discover(struct mlint_project *out, const char *const *paths, size_t nr,
		   const struct mlint_discover_opts *opts)
{
	static const char *const here[1] = {"."};
	char **version_dirs = NULL;
	size_t nr_version_dirs = 0, alloc_version_dirs = 0;
	int error;

	if (nr == 0) {
		paths = here;
		nr = 1;
	}
	if ((error = set_base_dir(out, paths[0])) < 0)
		goto done;
	if (opts && opts->config) {
		error = add_ini_project(out, opts->config, opts->name);
		goto done;
	}
	for (size_t i = 0; i < nr && error == 0; i++)
		error = discover_path(out, paths[i], opts ? opts->name : NULL, &version_dirs,
				      &nr_version_dirs, &alloc_version_dirs);
	if (error == 0 && nr_version_dirs > 0)
		error = add_versions_project(out, (const char *const *)version_dirs, nr_version_dirs);
	if (error == 0 && opts && opts->name)
		error = check_name_used(out, opts->name);
done:
	if (error == 0)
		fill_display(out);
	for (size_t i = 0; error == 0 && i < out->nr_dirs; i++)
		error = note_outside_locations(out, &out->dirs[i]);
	free_strings(version_dirs, nr_version_dirs);
	return error;
}

int mlint_scriptdir_is_flask(const struct mlint_scriptdir_config *d)
{
	/* discovery accepts an ini without script_location only from Flask-Migrate */
	return d->ini_path && !mlint_ini_get(&d->ini, "alembic", "script_location");
}
