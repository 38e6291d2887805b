#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "mlint/snapshot.h"
#include "util.h"

void mlint_snapshot_init(struct mlint_snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void mlint_snapshot_release(struct mlint_snapshot *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		free(s->entries[i].path);
		free(s->entries[i].abs);
		free(s->entries[i].refused);
	}
	free(s->entries);
	mlint_snapshot_init(s);
}

/* Alembic's filter: `(?!\.#|__init__)(.*\.py)$`. */
static int alembic_reads(const char *name)
{
	size_t n = strlen(name);
	if (mlint_starts_with(name, ".#") || mlint_starts_with(name, "__init__"))
		return 0;
	return n >= 3 && strcmp(name + n - 3, ".py") == 0;
}

static int inside(const char *root, const char *path)
{
	size_t rl = strlen(root);
	return strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0' ||
						(rl == 1 && root[0] == '/'));
}

struct lister {
	struct mlint_snapshot *out;
	const struct mlint_project *p;
	const struct mlint_scriptdir_config *d;
	struct mlint_notes *notes;
	char **seen; /* real paths already listed: Alembic loads each once */
	size_t nr_seen, alloc_seen;
};

static int seen_before(struct lister *l, const char *real)
{
	char *copy;
	for (size_t i = 0; i < l->nr_seen; i++)
		if (strcmp(l->seen[i], real) == 0)
			return 1;
	if (!(copy = mlint_strdup(real)) ||
	    MLINT_ARRAY_GROW(l->seen, l->alloc_seen, l->nr_seen + 1) < 0) {
		free(copy);
		return -1;
	}
	l->seen[l->nr_seen++] = copy;
	return 0;
}

static int add_entry(struct lister *l, const char *full, const char *refused)
{
	struct mlint_snapshot_entry *e;
	if (MLINT_ARRAY_GROW(l->out->entries, l->out->alloc, l->out->nr + 1) < 0)
		return MLINT_ERROR;
	e = &l->out->entries[l->out->nr];
	memset(e, 0, sizeof(*e));
	e->path = mlint_project_display_path(l->p, full);
	e->abs = mlint_strdup(full);
	e->refused = refused ? mlint_strdup(refused) : NULL;
	if (!e->path || !e->abs || (refused && !e->refused)) {
		free(e->path);
		free(e->abs);
		free(e->refused);
		return MLINT_ERROR;
	}
	l->out->nr++;
	return 0;
}

static int skip_note(struct lister *l, const char *full, const char *why)
{
	char *shown = mlint_project_display_path(l->p, full);
	int error;
	if (!shown)
		return MLINT_ERROR;
	error = mlint_notes_add(l->notes, MLINT_NOTE_VERBOSE, "skipped '%s': %s", shown, why);
	free(shown);
	return error;
}

static int list_dir(struct lister *l, const char *dir);

/* A symlink: follow it when it stays inside the repository (or project). */
static int check_link(struct lister *l, const char *full, char **real_out, const char **refused)
{
	const char *root = l->p->repo_root ? l->p->repo_root : l->d->script_location;
	*refused = NULL;
	*real_out = realpath(full, NULL);
	if (!*real_out) {
		*refused = "broken symlink";
		return 0;
	}
	if (!inside(root, *real_out))
		*refused = "symlink points outside the repository; not read";
	return 0;
}

static int visit(struct lister *l, const char *dir, const char *name)
{
	char *full = mlint_path_join(dir, name), *real = NULL;
	const char *refused = NULL;
	struct stat st;
	int error = 0, dup;

	if (!full)
		return MLINT_ERROR;
	if (lstat(full, &st) < 0) {
		error = mlint_error_set("cannot read '%s': %s", full, strerror(errno));
		goto done;
	}
	if (S_ISLNK(st.st_mode)) {
		check_link(l, full, &real, &refused);
		if (refused) {
			error = alembic_reads(name) ? add_entry(l, full, refused)
						    : skip_note(l, full, refused);
			goto done;
		}
		if (stat(full, &st) < 0) {
			error = mlint_error_set("cannot read '%s': %s", full, strerror(errno));
			goto done;
		}
	} else if (!(real = realpath(full, NULL))) {
		error = mlint_error_set("cannot resolve '%s': %s", full, strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		if (strcmp(name, "__pycache__") == 0)
			error = skip_note(l, full, "byte-code cache");
		else if (!l->d->recursive)
			error = skip_note(l, full, "directory; Alembic reads subdirectories only "
					  "with recursive_version_locations = true");
		else
			error = list_dir(l, full);
		goto done;
	}
	if (!alembic_reads(name) || !S_ISREG(st.st_mode)) {
		error = skip_note(l, full, !S_ISREG(st.st_mode) ? "not a regular file"
					   : mlint_starts_with(name, "__init__") ? "package marker"
					   : "not a .py file");
		goto done;
	}
	if ((dup = seen_before(l, real)) < 0)
		error = MLINT_ERROR;
	else if (dup)
		error = skip_note(l, full, "already read through another version location");
	else
		error = add_entry(l, full, NULL);
done:
	free(real);
	free(full);
	return error;
}

static int list_dir(struct lister *l, const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), error = 0;

	if (n < 0)
		return mlint_error_set("cannot read directory '%s': %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (error == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
			error = visit(l, dir, name);
		free(names[i]);
	}
	free(names);
	return error;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct mlint_snapshot_entry *)a)->path,
		      ((const struct mlint_snapshot_entry *)b)->path);
}

int mlint_snapshot_list_worktree(struct mlint_snapshot *out, const struct mlint_project *p,
				 const struct mlint_scriptdir_config *d, struct mlint_notes *notes)
{
	struct lister l = {out, p, d, notes, NULL, 0, 0};
	int error = 0;

	for (size_t i = 0; i < d->nr_locations && error == 0; i++)
		error = list_dir(&l, d->version_locations[i]);
	for (size_t i = 0; i < l.nr_seen; i++)
		free(l.seen[i]);
	free(l.seen);
	if (error == 0)
		qsort(out->entries, out->nr, sizeof(*out->entries), compare_entries);
	return error;
}

int mlint_snapshot_read(const struct mlint_snapshot *s, size_t i, struct mlint_buf *buf)
{
	mlint_buf_clear(buf);
	return mlint_buf_read_file(buf, s->entries[i].abs);
}
