#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include "mlint/buf.h"
#include "mlint/hook.h"
#include "git_init.h"
#include "util.h"

static int hooks_dir(char **out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf value = {0};
	const char *workdir = git_repository_workdir(repo);
	int error = 0;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_path(&value, cfg, "core.hooksPath") == 0 && value.size > 0) {
		/* A relative core.hooksPath is relative to the work tree root. */
		*out = value.ptr[0] == '/' || !workdir ? mlint_strdup(value.ptr)
						       : mlint_path_join(workdir, value.ptr);
	} else {
		*out = mlint_path_join(git_repository_commondir(repo), "hooks");
	}
	if (!*out)
		error = MLINT_ERROR;
	git_buf_dispose(&value);
	git_config_free(cfg);
	return error;
}

int mlint_hook_path(char **out, const char *start)
{
	git_repository *repo = NULL;
	char *dir = NULL;
	int error;

	*out = NULL;
	mlint_libgit2_init();
	if (git_repository_open_ext(&repo, start, 0, NULL) < 0) {
		error = mlint_error_setc(MLINT_EUSAGE, "'%s' is not in a git repository: run "
					 "'git init' first, or install the hook from inside one", start);
		goto done;
	}
	if ((error = hooks_dir(&dir, repo)) < 0)
		goto done;
	if (!(*out = mlint_path_join(dir, "pre-commit")))
		error = MLINT_ERROR;
done:
	free(dir);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}

/* 1 when the file at `path` is a hook mlint wrote, 0 when not, -1 when absent. */
static int is_ours(const char *path)
{
	struct mlint_buf buf;
	int ours;

	mlint_buf_init(&buf, 1u << 20);
	if (access(path, F_OK) != 0) {
		mlint_buf_release(&buf);
		return -1;
	}
	ours = mlint_buf_read_file(&buf, path) == 0 && strstr(buf.ptr, MLINT_HOOK_MARKER) != NULL;
	mlint_buf_release(&buf);
	return ours;
}

/* mkdir -p for the hooks directory (core.hooksPath may not exist yet). */
static int make_dirs(const char *file)
{
	char *dir = mlint_strdup(file), *slash;
	int error = 0;

	if (!dir)
		return MLINT_ERROR;
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	for (char *p = dir + 1; error == 0 && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			error = mlint_error_set("cannot create '%s': %s", dir, strerror(errno));
		*p = '/';
	}
	if (error == 0 && *dir && mkdir(dir, 0755) < 0 && errno != EEXIST)
		error = mlint_error_set("cannot create '%s': %s", dir, strerror(errno));
	free(dir);
	return error;
}

static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (fd < 0)
		return mlint_error_set("cannot write '%s': %s", path, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || fchmod(fd, 0755) < 0) {
		int e = errno;
		close(fd);
		return mlint_error_set("cannot write '%s': %s", path, strerror(e));
	}
	if (close(fd) < 0)
		return mlint_error_set("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* The exe path goes into a single-quoted shell word: quotes are escaped. */
static int put_shell_quoted(struct mlint_buf *out, const char *s)
{
	mlint_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			mlint_buf_puts(out, "'\\''");
		else
			mlint_buf_putc(out, *s);
	}
	return mlint_buf_putc(out, '\'');
}

int mlint_hook_install(const char *path, const char *exe, int force)
{
	struct mlint_buf text;
	int error, ours = is_ours(path);

	if (ours == 0 && !force)
		return mlint_error_setc(MLINT_HOOK_FOREIGN, "'%s' exists and mlint did not write "
					"it: add 'mlint check --staged --new-only' to it, or "
					"replace it with --force", path);
	mlint_buf_init(&text, 0);
	mlint_buf_puts(&text, "#!/bin/sh\n" MLINT_HOOK_MARKER "\n"
		       "# Written by 'mlint install-hook'; remove it with "
		       "'mlint install-hook --uninstall'.\n"
		       "# Lints the staged migrations; skip once with 'git commit --no-verify'.\n"
		       "mlint=");
	put_shell_quoted(&text, exe);
	mlint_buf_puts(&text, "\n[ -x \"$mlint\" ] || mlint=mlint\n"
		       "exec \"$mlint\" check --staged --new-only --quiet\n");
	error = make_dirs(path);
	if (error == 0)
		error = write_file(path, text.ptr);
	mlint_buf_release(&text);
	return error;
}

int mlint_hook_uninstall(const char *path)
{
	int ours = is_ours(path);

	if (ours < 0)
		return mlint_error_setc(MLINT_HOOK_ABSENT, "no pre-commit hook at '%s'", path);
	if (ours == 0)
		return mlint_error_setc(MLINT_HOOK_FOREIGN, "'%s' was not written by mlint: "
					"left as it is", path);
	if (unlink(path) < 0)
		return mlint_error_set("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}
