/*
 * hook.h: the git pre-commit hook that `mlint install-hook` writes.
 *
 * The hook runs `mlint check --staged --new-only` on what is about to be
 * committed. mlint recognises its own hook by a marker line and never
 * overwrites or removes a hook it did not write unless forced. The hooks
 * directory honours core.hooksPath (relative to the work tree root), else it
 * is the repository's common git directory's hooks/ (shared by worktrees).
 *
 * Ownership: *out strings are new; the caller frees them.
 */
#ifndef MLINT_HOOK_H
#define MLINT_HOOK_H

enum {
	MLINT_HOOK_FOREIGN = -10, /* a pre-commit hook mlint did not write is there */
	MLINT_HOOK_ABSENT = -11,  /* no mlint hook to remove */
};

/* The marker line every hook mlint writes carries. */
#define MLINT_HOOK_MARKER "# mlint-pre-commit-hook"

/* Finds the pre-commit hook path of the repository containing `start`. */
int mlint_hook_path(char **out, const char *start);

/*
 * Writes the hook at `path`, running the mlint binary `exe` (an absolute
 * path; the hook falls back to `mlint` on PATH when it is gone). Refuses with
 * MLINT_HOOK_FOREIGN when another hook is there, unless `force`.
 */
int mlint_hook_install(const char *path, const char *exe, int force);

/* Removes the hook at `path` when mlint wrote it. */
int mlint_hook_uninstall(const char *path);

#endif
