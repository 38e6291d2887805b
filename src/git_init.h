/*
 * git_init.h (private): libgit2's start-up as mlint wants it, for the
 * modules that open a repository (git, history, hook, rename_apply).
 */
#ifndef MLINT_GIT_INIT_H
#define MLINT_GIT_INIT_H

/*
 * git_libgit2_init() as mlint wants libgit2: objects read without
 * re-hashing each one (git reads them that way too; libgit2's default
 * check costs a SHA-1 per blob and tree, a quarter of `check --staged`).
 * Pair with git_libgit2_shutdown().
 */
void mlint_libgit2_init(void);

#endif
