/* `mlint rename`: applying a plan all or nothing, and writing file_template. */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include "mlint/git.h"
#include "mlint/buf.h"
#include "mlint/rename.h"
#include "git_init.h"
#include "util.h"

/*
 * Test hook (see rename.h): true when MLINT_FAULT_RENAME_STEP names `step`.
 * Sets errno to EIO, as a failing disk would.
 */
static int fault_at(size_t step)
{
	const char *v = getenv("MLINT_FAULT_RENAME_STEP");
	char *end;
	unsigned long k;

	if (!v || !*v)
		return 0;
	errno = 0;
	k = strtoul(v, &end, 10);
	if (errno || *end || k != step)
		return 0;
	errno = EIO;
	return 1;
}

/* rename(2) that never replaces an existing file. */
static int move_file(const char *from, const char *to)
{
	struct stat st;
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

static int validate(const struct mlint_rename_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const struct mlint_rename *r = &plan->items[i];
		struct stat st;
		if (lstat(r->to_abs, &st) == 0)
			return mlint_error_setc(MLINT_EUSAGE, "cannot rename '%s': '%s' already exists; "
						"move it away and run again (nothing was renamed)",
						r->from, r->to);
		if (lstat(r->from_abs, &st) < 0)
			return mlint_error_set("cannot rename '%s': %s (nothing was renamed)", r->from,
					       strerror(errno));
	}
	return 0;
}

/* Moves the first n files back; says in the error which could not be. */
static void undo_moves(const struct mlint_rename_plan *plan, size_t n)
{
	char first[1024];
	snprintf(first, sizeof(first), "%s", mlint_error_last());
	while (n-- > 0) {
		const struct mlint_rename *r = &plan->items[n];
		if (rename(r->to_abs, r->from_abs) < 0) {
			mlint_error_set("%s; and '%s' could not be moved back to '%s': %s", first,
					r->to, r->from, strerror(errno));
			return;
		}
	}
	mlint_error_set("%s (nothing was renamed)", first);
}

static int move_all(const struct mlint_rename_plan *plan, size_t *done_out)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const struct mlint_rename *r = &plan->items[i];
		if (fault_at(i + 1) || move_file(r->from_abs, r->to_abs) < 0) {
			mlint_error_set("cannot rename '%s' to '%s': %s", r->from, r->to,
					strerror(errno));
			*done_out = i;
			return MLINT_ERROR;
		}
	}
	*done_out = plan->nr;
	return 0;
}

/* ---- the index ------------------------------------------------------------ */

struct repo {
	const char *root;
	git_repository *repo;
	git_index *index;
};

static int git_fail(const struct repo *g, const char *what)
{
	const git_error *e = git_error_last();
	return mlint_error_set("cannot %s in '%s': %s", what, g->root,
			       e && e->message ? e->message : "unknown git error");
}

static const char *relative(const struct repo *g, const char *abs)
{
	size_t n = strlen(g->root);
	if (strncmp(abs, g->root, n) != 0 || abs[n] != '/')
		return NULL;
	return abs + n + 1;
}

static int open_index(struct repo *g)
{
	mlint_libgit2_init();
	if (mlint_git_refuse_unreadable(g->root) < 0)
		return MLINT_EUSAGE;
	if (git_repository_open_ext(&g->repo, g->root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return git_fail(g, "open the git repository");
	if (git_repository_index(&g->index, g->repo) < 0)
		return git_fail(g, "read the git index");
	return 0;
}

static int check_conflicts(const struct repo *g, const struct mlint_rename_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const char *rel = relative(g, plan->items[i].from_abs);
		for (int stage = 1; rel && stage <= 3; stage++)
			if (git_index_get_bypath(g->index, rel, stage))
				return mlint_error_setc(MLINT_EUSAGE, "cannot rename '%s': it has a merge "
							"conflict; resolve it first (nothing was "
							"renamed)", plan->items[i].from);
	}
	return 0;
}

/* Moves each tracked file's entry: same blob id, mode and stat data. */
static int stage_moves(const struct repo *g, const struct mlint_rename_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const char *from = relative(g, plan->items[i].from_abs);
		const char *to = relative(g, plan->items[i].to_abs);
		const git_index_entry *e;
		git_index_entry moved;
		if (!from || !to || !(e = git_index_get_bypath(g->index, from, 0)))
			continue; /* untracked: the file system rename is all */
		moved = *e;
		moved.path = to;
		if (git_index_add(g->index, &moved) < 0 || git_index_remove_bypath(g->index, from) < 0)
			return git_fail(g, "update the git index");
	}
	if (fault_at(plan->nr + 1))
		return mlint_error_set("cannot write the git index in '%s': %s", g->root,
				       strerror(errno));
	if (git_index_write(g->index) < 0)
		return git_fail(g, "write the git index");
	return 0;
}

int mlint_rename_plan_apply(const struct mlint_rename_plan *plan, const struct mlint_project *p)
{
	struct repo g = {p->repo_root, NULL, NULL};
	size_t moved = 0;
	int error;

	if ((error = validate(plan)) < 0)
		return error;
	if (g.root && (error = open_index(&g)) < 0) {
		undo_moves(plan, 0); /* only says "(nothing was renamed)" */
		goto done;
	}
	if (g.root && (error = check_conflicts(&g, plan)) < 0)
		goto done;
	if ((error = move_all(plan, &moved)) < 0 || (g.root && (error = stage_moves(&g, plan)) < 0))
		undo_moves(plan, moved);
done:
	git_index_free(g.index);
	git_repository_free(g.repo);
	if (g.root)
		git_libgit2_shutdown();
	return error;
}

/* ---- file_template in alembic.ini ------------------------------------------ */

static int is_key_line(const char *line, size_t n, int commented)
{
	size_t i = 0;
	if (commented) {
		if (n == 0 || (line[0] != '#' && line[0] != ';'))
			return 0;
		for (i = 1; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
			;
	}
	if (n - i < 13 || strncasecmp(line + i, "file_template", 13) != 0)
		return 0;
	for (i += 13; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	return i < n && (line[i] == '=' || line[i] == ':');
}

/* Where the line goes: [*start, *end) is replaced (empty to insert). */
static int find_spot(const char *text, size_t len, size_t *start, size_t *end)
{
	size_t pos = 0, after_header = (size_t)-1, after_comment = (size_t)-1;
	int in_section = 0;

	while (pos < len) {
		size_t n = strcspn(text + pos, "\n"), next = pos + n + (pos + n < len);
		size_t trimmed = n && text[pos + n - 1] == '\r' ? n - 1 : n;
		if (trimmed && text[pos] == '[') {
			in_section = trimmed == 9 && strncmp(text + pos, "[alembic]", 9) == 0;
			if (in_section)
				after_header = next;
		} else if (in_section && is_key_line(text + pos, trimmed, 0)) {
			*start = pos;
			*end = pos + trimmed;
			return 0;
		} else if (in_section && after_comment == (size_t)-1 &&
			   is_key_line(text + pos, trimmed, 1)) {
			after_comment = next;
		}
		pos = next;
	}
	if (after_header == (size_t)-1)
		return MLINT_ENOTFOUND;
	*start = *end = after_comment != (size_t)-1 ? after_comment : after_header;
	return 0;
}

static int write_replacing(const char *path, const struct mlint_buf *text)
{
	struct mlint_buf tmp;
	struct stat st;
	FILE *f = NULL;
	int error = 0;

	mlint_buf_init(&tmp, 0);
	if (stat(path, &st) < 0 || mlint_buf_printf(&tmp, "%s.mlint-tmp", path) < 0) {
		error = mlint_error_set("cannot write '%s': %s", path, strerror(errno));
		goto done;
	}
	if (!(f = fopen(tmp.ptr, "wb")) || fwrite(text->ptr, 1, text->len, f) != text->len ||
	    fchmod(fileno(f), st.st_mode & 07777) < 0 || fclose(f) != 0) {
		error = mlint_error_set("cannot write '%s': %s", tmp.ptr, strerror(errno));
		if (f)
			fclose(f);
		unlink(tmp.ptr);
		goto done;
	}
	if (rename(tmp.ptr, path) < 0) {
		error = mlint_error_set("cannot replace '%s': %s", path, strerror(errno));
		unlink(tmp.ptr);
	}
done:
	mlint_buf_release(&tmp);
	return error;
}

int mlint_rename_write_config(const char *ini_path, const char *value)
{
	struct mlint_buf in, out;
	size_t start, end;
	int error;

	mlint_buf_init(&in, 0);
	mlint_buf_init(&out, 0);
	if ((error = mlint_buf_read_file(&in, ini_path)) < 0)
		goto done;
	if ((error = find_spot(in.ptr, in.len, &start, &end)) < 0) {
		error = mlint_error_setc(MLINT_EUSAGE, "'%s' has no [alembic] section to write "
					 "file_template into", ini_path);
		goto done;
	}
	if ((error = mlint_buf_put(&out, in.ptr, start)) < 0 ||
	    (start > 0 && in.ptr[start - 1] != '\n' && start == end &&
	     (error = mlint_buf_puts(&out, strstr(in.ptr, "\r\n") ? "\r\n" : "\n")) < 0) ||
	    (error = mlint_buf_printf(&out, "file_template = %s", value)) < 0 ||
	    (start == end && (error = mlint_buf_puts(&out, strstr(in.ptr, "\r\n") ? "\r\n" : "\n")) < 0) ||
	    (error = mlint_buf_put(&out, in.ptr + end, in.len - end)) < 0)
		goto done;
	error = write_replacing(ini_path, &out);
done:
	mlint_buf_release(&in);
	mlint_buf_release(&out);
	return error;
}
