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

/* Resolves a path from alembic.ini: absolute, relative to the ini's
 * directory, or Alembic's "package:resource" form. */
static char *resolve_ini_path(const char *here, const char *value)
{
	char *joined, *colon;

	if (value[0] == '/')
		return mlint_strdup(value);
	if (!(joined = mlint_path_join(here, value)))
		return NULL;
	colon = strchr(joined + strlen(here), ':');
	if (colon && !is_dir(joined)) {
		/* "myapp.db:migrations" -> myapp/db/migrations */
		for (char *c = joined + strlen(here) + 1; c < colon; c++)
			if (*c == '.')
				*c = '/';
		*colon = '/';
	}
	return joined;
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

static int read_version_locations(struct mlint_project *p, struct mlint_scriptdir_config *d,
				  const char *here, const char *const *defaults)
{
	char *value = NULL, **items = NULL;
	size_t nr = 0;
	int error;

	if ((error = mlint_ini_get_interpolated(&value, &d->ini, "alembic", "version_locations",
						defaults)) < 0)
		return error;
	if (!value || !*value) {
		char *versions = mlint_path_join(d->script_location, "versions");
		free(value);
		if (!versions)
			return MLINT_ERROR;
		error = add_location(d, versions);
		free(versions);
		return error;
	}
	error = split_locations(mlint_ini_get(&d->ini, "alembic", "version_path_separator"),
				value, &items, &nr, d->ini_path);
	for (size_t i = 0; error == 0 && i < nr; i++) {
		char *abs = resolve_ini_path(here, items[i]);
		if (!abs) {
			error = MLINT_ERROR;
			break;
		}
		if (!is_dir(abs))
			error = mlint_notes_add(&p->notes, MLINT_NOTE_WARNING,
						"version location '%s' in '%s' does not exist "
						"(Alembic skips it too)", items[i], d->ini_path);
		else
			error = add_location(d, abs);
		free(abs);
	}
	free_strings(items, nr);
	free(value);
	return error;
}

/* Flask-Migrate's alembic.ini has no script_location: the app sets it to
 * the ini's own directory at run time. */
static int is_flask_migrate_dir(const char *here)
{
	char *versions = mlint_path_join(here, "versions");
	char *env = mlint_path_join(here, "env.py");
	int yes = versions && env && is_dir(versions) && is_file(env);
	free(versions);
	free(env);
	return yes;
}

static int resolve_script_location(struct mlint_scriptdir_config *d, const char *here,
				   const char *const *defaults)
{
	char *value = NULL, *abs;
	int error;

	if ((error = mlint_ini_get_interpolated(&value, &d->ini, "alembic", "script_location",
						defaults)) < 0)
		return error;
	if (!value || !*value) {
		free(value);
		if (is_flask_migrate_dir(here))
			return (d->script_location = mlint_strdup(here)) ? 0 : MLINT_ERROR;
		return mlint_error_setc(MLINT_EUSAGE,
					"'%s' has no 'script_location' in [alembic]: add "
					"'script_location = migrations' (the directory holding env.py "
					"and versions/), or pass the versions directory to mlint",
					d->ini_path);
	}
	abs = resolve_ini_path(here, value);
	free(value);
	if (!abs)
		return MLINT_ERROR;
	if (!is_dir(abs)) {
		const struct mlint_ini_entry *e = mlint_ini_get(&d->ini, "alembic", "script_location");
		error = mlint_error_setc(MLINT_EUSAGE,
					 "'%s':%u: script_location '%s' is not a directory",
					 d->ini_path, e ? e->line : 0, abs);
		free(abs);
		return error;
	}
	d->script_location = realpath(abs, NULL);
	free(abs);
	return d->script_location ? 0 : mlint_error_set("cannot resolve script_location: %s",
							 strerror(errno));
}

static int add_ini_project(struct mlint_project *p, const char *ini_path)
{
	struct mlint_scriptdir_config *d;
	char *here = NULL;
	int error = MLINT_ERROR;
	const char *defaults[3] = {"here", NULL, NULL};
	const struct mlint_ini_entry *rec;

	{
		/* The same project reached twice (a root and its ini) is read once. */
		char *real = real_path(ini_path);
		if (!real)
			return MLINT_ERROR;
		for (size_t i = 0; i < p->nr_dirs; i++) {
			if (p->dirs[i].ini_path && strcmp(p->dirs[i].ini_path, real) == 0) {
				free(real);
				return 0;
			}
		}
		free(real);
	}
	if (!(d = new_dir(p)))
		return MLINT_ERROR;
	if (!(d->ini_path = real_path(ini_path)) || !(here = dir_name(d->ini_path)))
		goto done;
	defaults[1] = here;
	if ((error = mlint_ini_parse_file(&d->ini, d->ini_path)) < 0)
		goto done;
	if (!mlint_ini_has_section(&d->ini, "alembic")) {
		error = mlint_error_setc(MLINT_EUSAGE, "'%s' has no [alembic] section: is it "
					 "Alembic's configuration file?", d->ini_path);
		goto done;
	}
	if ((error = resolve_script_location(d, here, defaults)) < 0)
		goto done;
	if ((error = read_version_locations(p, d, here, defaults)) < 0)
		goto done;
	rec = mlint_ini_get(&d->ini, "alembic", "recursive_version_locations");
	d->recursive = rec && strcmp(rec->value, "true") == 0;
	error = 0;
done:
	free(here);
	if (error < 0) {
		scriptdir_config_release(d);
		p->nr_dirs--;
	}
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
				error = add_ini_project(s->p, full);
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

static int search_below(struct mlint_project *p, const char *dir)
{
	struct search s = {p, 0, NULL, 0, 0};
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

static int discover_dir(struct mlint_project *p, const char *abs, char ***version_dirs,
			size_t *nr_version_dirs, size_t *alloc_version_dirs)
{
	char *ini = mlint_path_join(abs, "alembic.ini");
	char *flask = mlint_path_join(abs, "migrations/alembic.ini");
	char *versions = mlint_path_join(abs, "migrations/versions");
	int error;

	if (!ini || !flask || !versions)
		error = MLINT_ERROR;
	else if (is_file(ini))
		error = add_ini_project(p, ini);
	else if (is_file(flask))
		error = add_ini_project(p, flask);
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
		error = search_below(p, abs);
	free(ini);
	free(flask);
	free(versions);
	return error;
}

static int discover_path(struct mlint_project *p, const char *path, char ***version_dirs,
			 size_t *nr, size_t *alloc)
{
	char *abs = real_path(path);
	int error;

	if (!abs && errno == ENOENT)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' does not exist", path);
	if (!abs)
		return MLINT_EUSAGE;
	if (is_dir(abs))
		error = discover_dir(p, abs, version_dirs, nr, alloc);
	else if (has_suffix(abs, ".ini"))
		error = add_ini_project(p, abs);
	else
		error = mlint_error_setc(MLINT_EUSAGE,
					 "'%s' is a file: pass the project directory, a versions "
					 "directory, or an alembic.ini", path);
	free(abs);
	return error;
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
		error = add_ini_project(out, opts->config);
		goto done;
	}
	for (size_t i = 0; i < nr && error == 0; i++)
		error = discover_path(out, paths[i], &version_dirs, &nr_version_dirs,
				      &alloc_version_dirs);
	if (error == 0 && nr_version_dirs > 0)
		error = add_versions_project(out, (const char *const *)version_dirs, nr_version_dirs);
done:
	if (error == 0)
		fill_display(out);
	free_strings(version_dirs, nr_version_dirs);
	return error;
}

int mlint_scriptdir_is_flask(const struct mlint_scriptdir_config *d)
{
	/* discovery accepts an ini without script_location only from Flask-Migrate */
	return d->ini_path && !mlint_ini_get(&d->ini, "alembic", "script_location");
}
