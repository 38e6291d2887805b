#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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
		free(s->entries[i].data);
	}
	free(s->entries);
	for (size_t i = 0; i < s->nr_dir_fds; i++)
		close(s->dir_fds[i]);
	free(s->dir_fds);
	for (size_t i = 0; i < s->nr_others; i++)
		free(s->others[i]);
	free(s->others);
	mlint_snapshot_init(s);
}

/* Alembic's filter: `(?!\.#|__init__)(.*\.py)$`. Python's `.` stops at a
 * line break, so a name holding one is never loaded ("a\nb.py" does not
 * match; for "a.py\n" the match is "a.py", a file that is not there). */
int mlint_snapshot_alembic_reads(const char *name)
{
	size_t n = strlen(name);
	if (mlint_starts_with(name, ".#") || mlint_starts_with(name, "__init__") ||
	    strchr(name, '\n'))
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
	/* Files already listed, by (device, inode): Alembic loads each real
	 * file once even when version locations overlap. Open addressing. */
	struct file_id { dev_t dev; ino_t ino; int used; } *seen;
	size_t nr_seen, nr_slots;
};

static size_t file_id_hash(dev_t dev, ino_t ino)
{
	return (size_t)(((unsigned long long)ino * 0x9E3779B97F4A7C15ULL) ^ (unsigned long long)dev);
}

static int grow_seen(struct lister *l)
{
	size_t n = l->nr_slots ? l->nr_slots * 2 : 1024;
	struct file_id *old = l->seen, *fresh = calloc(n, sizeof(*fresh));

	if (!fresh)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < l->nr_slots; i++) {
		size_t at;
		if (!old[i].used)
			continue;
		for (at = file_id_hash(old[i].dev, old[i].ino) & (n - 1); fresh[at].used;
		     at = (at + 1) & (n - 1))
			;
		fresh[at] = old[i];
	}
	free(old);
	l->seen = fresh;
	l->nr_slots = n;
	return 0;
}

/* 1 when the file was listed before, 0 when new (now remembered), -1 on OOM. */
static int seen_before(struct lister *l, const struct stat *st)
{
	size_t at;

	if ((l->nr_seen + 1) * 2 > l->nr_slots && grow_seen(l) < 0)
		return -1;
	for (at = file_id_hash(st->st_dev, st->st_ino) & (l->nr_slots - 1); l->seen[at].used;
	     at = (at + 1) & (l->nr_slots - 1))
		if (l->seen[at].dev == st->st_dev && l->seen[at].ino == st->st_ino)
			return 1;
	l->seen[at].dev = st->st_dev;
	l->seen[at].ino = st->st_ino;
	l->seen[at].used = 1;
	l->nr_seen++;
	return 0;
}

/* Lists the file `*full` (taken: it becomes the entry's abs). */
static int add_entry(struct lister *l, char **full, const char *refused, int dir_fd,
		     const char *name)
{
	struct mlint_snapshot_entry *e;
	if (MLINT_ARRAY_GROW(l->out->entries, l->out->alloc, l->out->nr + 1) < 0)
		return MLINT_ERROR;
	e = &l->out->entries[l->out->nr];
	memset(e, 0, sizeof(*e));
	e->dir_fd = dir_fd;
	e->name_off = strlen(*full) - strlen(name);
	e->path = mlint_project_display_path(l->p, *full);
	e->refused = refused ? mlint_strdup(refused) : NULL;
	if (!e->path || (refused && !e->refused)) {
		free(e->path);
		free(e->refused);
		return MLINT_ERROR;
	}
	e->abs = *full;
	*full = NULL;
	l->out->nr++;
	return 0;
}

static int skip_note(struct lister *l, const char *full, const char *why)
{
	char *shown = mlint_project_display_path(l->p, full);
	int error;
	if (!shown)
		return MLINT_ERROR;
	error = mlint_snapshot_skip_note(l->notes, shown, why);
	free(shown);
	return error;
}

int mlint_snapshot_skip_note(struct mlint_notes *notes, const char *path, const char *why)
{
	struct mlint_buf shown;
	int error;

	mlint_buf_init(&shown, 0);
	if ((error = mlint_buf_puts_escaped(&shown, path)) == 0)
		error = mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "skipped '%s': %s", shown.ptr, why);
	mlint_buf_release(&shown);
	return error;
}

const char *mlint_snapshot_skip_reason(const char *name)
{
	if (strchr(name, '\n'))
		return "its name holds a line break, and Alembic does not load such a file";
	return mlint_starts_with(name, "__init__") ? "package marker" : "not a .py file";
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

static int visit_file(struct lister *l, char **full, const char *name,
		      const struct stat *st, int dir_fd)
{
	int dup;

	if (!mlint_snapshot_alembic_reads(name) || !S_ISREG(st->st_mode))
		return skip_note(l, *full, !S_ISREG(st->st_mode) ? "not a regular file"
				 : mlint_snapshot_skip_reason(name));
	if ((dup = seen_before(l, st)) < 0)
		return MLINT_ERROR;
	if (dup)
		return skip_note(l, *full, "already read through another version location");
	return add_entry(l, full, NULL, dir_fd, name);
}

static int visit_dir(struct lister *l, const char *full, const char *name)
{
	if (strcmp(name, "__pycache__") == 0)
		return skip_note(l, full, "byte-code cache");
	if (!l->d->recursive)
		return skip_note(l, full, "directory; Alembic reads subdirectories only "
				 "with recursive_version_locations = true");
	return list_dir(l, full);
}

/* An entry listed as no script: "dir/" for a directory. */
static int add_other(struct lister *l, const char *full, int is_dir)
{
	char *shown = mlint_project_display_path(l->p, full), *path;

	if (!shown)
		return MLINT_ERROR;
	path = is_dir ? mlint_path_join(shown, "") : shown;
	if (is_dir)
		free(shown);
	if (!path || MLINT_ARRAY_GROW(l->out->others, l->out->alloc_others,
				      l->out->nr_others + 1) < 0) {
		free(path);
		return MLINT_ERROR;
	}
	l->out->others[l->out->nr_others++] = path;
	return 0;
}

/*
 * One directory entry. A regular file is known from readdir alone (its
 * inode, and the directory's device), which spares a stat per migration;
 * anything else is looked at with lstat.
 */
static int visit(struct lister *l, const char *dir, dev_t dir_dev, int dir_fd,
		 const struct dirent *e)
{
	char *full = mlint_path_join(dir, e->d_name), *real = NULL;
	const char *refused = NULL;
	size_t listed = l->out->nr;
	struct stat st;
	int error = 0, link = 0, recursed = 0;

	if (!full)
		return MLINT_ERROR;
	if (e->d_type == DT_REG) {
		memset(&st, 0, sizeof(st));
		st.st_mode = S_IFREG;
		st.st_dev = dir_dev;
		st.st_ino = e->d_ino;
	} else if (lstat(full, &st) < 0) {
		error = mlint_error_set("cannot read '%s': %s", full, strerror(errno));
		goto done;
	}
	if (S_ISLNK(st.st_mode)) {
		link = 1;
		check_link(l, full, &real, &refused);
		if (refused) {
			error = mlint_snapshot_alembic_reads(e->d_name)
					? add_entry(l, &full, refused, dir_fd, e->d_name)
					: skip_note(l, full, refused);
			goto done;
		}
		if (stat(full, &st) < 0) {
			error = mlint_error_set("cannot read '%s': %s", full, strerror(errno));
			goto done;
		}
	}
	recursed = S_ISDIR(st.st_mode) && l->d->recursive && strcmp(e->d_name, "__pycache__") != 0;
	error = S_ISDIR(st.st_mode) ? visit_dir(l, full, e->d_name)
				    : visit_file(l, &full, e->d_name, &st, dir_fd);
done:
	/* git sees a symlink as one file, whatever it points to */
	if (error == 0 && (link || (!recursed && l->out->nr == listed)))
		error = add_other(l, full ? full : l->out->entries[l->out->nr - 1].abs,
				  !link && S_ISDIR(st.st_mode));
	free(real);
	free(full);
	return error;
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The directory open for the snapshot's reads (openat), or -1: then its
 * files are read by their whole path. */
static int keep_dir_open(struct lister *l, const char *dir)
{
	struct mlint_snapshot *s = l->out;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (MLINT_ARRAY_GROW(s->dir_fds, s->alloc_dir_fds, s->nr_dir_fds + 1) < 0) {
		close(fd);
		mlint_error_clear();
		return -1;
	}
	s->dir_fds[s->nr_dir_fds++] = fd;
	return fd;
}

static int list_dir(struct lister *l, const char *dir)
{
	struct dirent **names = NULL;
	struct stat dst;
	int n, dir_fd, error = 0;

	if (stat(dir, &dst) < 0)
		return mlint_error_set("cannot read directory '%s': %s", dir, strerror(errno));
	n = scandir(dir, &names, NULL, byte_order);
	if (n < 0)
		return mlint_error_set("cannot read directory '%s': %s", dir, strerror(errno));
	dir_fd = keep_dir_open(l, dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (error == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
			error = visit(l, dir, dst.st_dev, dir_fd, names[i]);
		free(names[i]);
	}
	free(names);
	return error;
}

static int sorted(const struct mlint_snapshot *s)
{
	for (size_t i = 1; i < s->nr; i++)
		if (strcmp(s->entries[i - 1].path, s->entries[i].path) > 0)
			return 0;
	return 1;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct mlint_snapshot_entry *)a)->path,
		      ((const struct mlint_snapshot_entry *)b)->path);
}

/* One version directory comes from scandir in name order, and one index
 * range in index order, both path order: a merge sort would still compare
 * every path log n times. */
void mlint_snapshot_sort(struct mlint_snapshot *s)
{
	if (s->nr > 1 && !sorted(s)) /* qsort(NULL, 0) is undefined */
		qsort(s->entries, s->nr, sizeof(*s->entries), compare_entries);
}

int mlint_snapshot_list_worktree(struct mlint_snapshot *out, const struct mlint_project *p,
				 const struct mlint_scriptdir_config *d, struct mlint_notes *notes)
{
	struct lister l = {out, p, d, notes, NULL, 0, 0};
	int error = 0;

	for (size_t i = 0; i < d->nr_locations && error == 0; i++)
		error = list_dir(&l, d->version_locations[i]);
	free(l.seen);
	if (error == 0)
		mlint_snapshot_sort(out);
	return error;
}

int mlint_snapshot_read(const struct mlint_snapshot *s, size_t i, struct mlint_buf *buf)
{
	mlint_buf_clear(buf);
	if (s->entries[i].data)
		return mlint_buf_put(buf, s->entries[i].data, s->entries[i].len);
	if (s->entries[i].deferred) {
		char why[512];
		if (mlint_snapshot_read_blob(s->repo, s->entries[i].id, buf) == 0)
			return 0;
		snprintf(why, sizeof(why), "%s", mlint_error_last());
		return mlint_error_set("cannot read the staged '%s': %s", s->entries[i].path, why);
	}
	if (s->entries[i].has_id)
		return 0; /* an empty blob */
	if (s->entries[i].dir_fd >= 0)
		return mlint_buf_read_file_at(buf, s->entries[i].dir_fd,
					      s->entries[i].abs + s->entries[i].name_off,
					      s->entries[i].abs, NULL);
	return mlint_buf_read_file(buf, s->entries[i].abs);
}
