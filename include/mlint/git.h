/*
 * git.h: the repository through libgit2: where the linted content comes
 * from (the working tree, the index or a commit), the base it is compared
 * with, and the applied set.
 *
 * The applied set is the tree of the merge base of the base ref and the
 * head, plus the tree of every `--applied` ref. Default base: the ref
 * origin/$GITHUB_BASE_REF when that variable is set, else the first of
 * origin/HEAD, origin/main, origin/master, main, master that exists; when
 * that is HEAD's own branch, HEAD is the base (so uncommitted edits to
 * committed migrations are caught).
 *
 * The repository is opened only when a git feature is used: libgit2's
 * start-up costs milliseconds.
 *
 * Ownership: struct mlint_git is opaque; the caller owns it (mlint_git_free).
 * Strings it returns are borrowed until then.
 */
#ifndef MLINT_GIT_H
#define MLINT_GIT_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/common.h"
#include "mlint/discover.h"

struct git_repository;
struct git_tree;
struct mlint_git;

enum mlint_git_head {
	MLINT_GIT_HEAD_WORKTREE = 0, /* the files on disk (default) */
	MLINT_GIT_HEAD_INDEX,        /* --staged */
	MLINT_GIT_HEAD_REV,          /* --head REV */
};

/*
 * Opens the repository holding `path` (searching upward; a linked worktree,
 * a submodule and a bare repository all work). MLINT_ENOTFOUND when `path`
 * is in no repository; MLINT_EUSAGE for a repository mlint cannot read (see
 * mlint_git_refuse_unreadable).
 */
int mlint_git_open(struct mlint_git **out, const char *path);

/*
 * Before opening the repository holding `path` with libgit2: when it is one
 * mlint cannot read at all (SHA-256 object ids, `extensions.objectformat
 * = sha256`: libgit2 1.5 reads SHA-1 repositories only), sets an MLINT_EUSAGE
 * error saying so and what to do, and returns it; otherwise returns 0
 * (also when there is no repository: the open then says so).
 */
int mlint_git_refuse_unreadable(const char *path);
void mlint_git_free(struct mlint_git *g);

struct git_repository *mlint_git_repository(const struct mlint_git *g);
int mlint_git_is_bare(const struct mlint_git *g);
/* The work tree root (no trailing slash), or the git directory when bare. */
const char *mlint_git_root(const struct mlint_git *g);

/*
 * Chooses what is linted: the working tree, the index, or commit `rev`
 * (MLINT_EUSAGE naming it when it does not exist).
 */
int mlint_git_set_head(struct mlint_git *g, enum mlint_git_head kind, const char *rev);
enum mlint_git_head mlint_git_head_kind(const struct mlint_git *g);

/*
 * Reads what comparing the working tree with the applied set will need: the
 * index (its stat cache) and, in each applied tree, the trees of
 * `locations` (repository paths of the version directories), so that the
 * comparison finds them in libgit2's cache. Meant for a thread of its own
 * while the files are scanned (mlint_check_run does that); nothing else
 * may use `g` meanwhile. Only for a working-tree head; failures are ignored:
 * the real read reports them.
 */
void mlint_git_read_ahead(struct mlint_git *g, char *const *locations, size_t nr);
/* The tree of --head REV (NULL for the others). */
const struct git_tree *mlint_git_head_tree(const struct mlint_git *g);

/*
 * Chooses the base: `ref`, or else the first row of this table that applies
 * (docs/base.md); with --head REV "the checked branch" is REV's:
 *
 *   merge in progress (MERGE_HEAD)   HEAD, and nothing MERGE_HEAD brings is new
 *   CI pull request ($GITHUB_BASE_REF, $CI_MERGE_REQUEST_TARGET_BRANCH_NAME)
 *                                    merge base with origin/<branch>
 *   CI=true, on the base branch      $GITHUB_EVENT_BEFORE / $CI_COMMIT_BEFORE_SHA,
 *                                    else the first parent
 *   a feature branch                 merge base with the first of origin/HEAD,
 *                                    origin/main, origin/master, main, master
 *   the base branch, with upstream   the upstream (unpushed commits are new)
 *   the base branch, no upstream     HEAD
 *
 * Notes say which and why (verbose level; "base row: ..." names the row). Returns 0 with a base; MLINT_ENOTFOUND when there is none
 * (no candidate exists, or HEAD has no commit yet: a note says so and the git
 * rules are skipped); MLINT_EUSAGE when `ref` (or origin/$GITHUB_BASE_REF)
 * does not exist; MLINT_ERROR when the merge base cannot be found (a shallow
 * clone: the message says to fetch more history).
 */
int mlint_git_choose_base(struct mlint_git *g, const char *ref, struct mlint_notes *notes);
int mlint_git_has_base(const struct mlint_git *g);
/* The row of the table used ("local feature branch: ..."), or NULL. */
const char *mlint_git_base_row(const struct mlint_git *g);
/* The base as named ("main", "origin/main", "HEAD"). */
const char *mlint_git_base_name(const struct mlint_git *g);

/*
 * Adds the tree of `pattern` to the applied set: a revision, or a glob over
 * reference names (`refs/tags/release-*`). A glob that matches nothing is a
 * warning note; a revision that does not exist is MLINT_EUSAGE.
 */
int mlint_git_add_applied(struct mlint_git *g, const char *pattern, struct mlint_notes *notes);

/* The applied trees: [0] is the merge base's; then one per --applied ref. */
size_t mlint_git_applied_count(const struct mlint_git *g);
const struct git_tree *mlint_git_applied_tree(const struct mlint_git *g, size_t i,
					      const char **name);
/* The tree at the tip of the base (not the merge base). */
const struct git_tree *mlint_git_base_tip_tree(const struct mlint_git *g);

enum mlint_git_side {
	MLINT_GIT_SIDE_HEAD, /* what is checked: the working tree, the index or REV */
	MLINT_GIT_SIDE_BASE, /* the tree at the base's tip */
};

/* Reads repository path `rel` as `side` has it into `out` (appended).
 * MLINT_ENOTFOUND when it is not there. */
int mlint_git_read_path(struct mlint_buf *out, const struct mlint_git *g,
			enum mlint_git_side side, const char *rel);

/* The names of the files directly in directory `rel` ("" the root) of
 * `side` (not the working tree), in name order; the caller frees them.
 * MLINT_ENOTFOUND when there is no such directory. */
struct mlint_path_names {
	char **items;
	size_t nr, alloc;
};
int mlint_git_list_path(struct mlint_path_names *out, const struct mlint_git *g,
			enum mlint_git_side side, const char *rel);

/* With --head REV: whether REV's tree has `rel` (1 for the other heads). */
int mlint_git_head_has_path(const struct mlint_git *g, const char *rel);
/* --head REV as given, or NULL. */
const char *mlint_git_head_rev(const struct mlint_git *g);

/* A merge in progress: whether MERGE_HEAD's tree has these bytes at `rel`,
 * and whether it lacks `rel` (both 0 when no merge is in progress). */
int mlint_git_other_parent_has(const struct mlint_git *g, const char *rel, const char *bytes,
			       size_t len);
int mlint_git_other_parent_lacks(const struct mlint_git *g, const char *rel);

/* Whether the working tree lacks `rel` by design: the index marks it
 * skip-worktree (a sparse checkout), so it is not deleted. */
int mlint_git_not_checked_out(const struct mlint_git *g, const char *rel);

/*
 * With --head REV, when the files are not on disk (a bare repository, or a
 * path the working tree no longer has): finds the script directory in REV's
 * tree under repository path `prefix` ("" the root): prefix/alembic.ini or
 * prefix/migrations/alembic.ini (script_location and version_locations),
 * else prefix/migrations/versions. The ini's sections are read as the
 * working-tree discovery reads them: `name` (--name) alone, else [alembic]
 * and every other section with a script_location. MLINT_EUSAGE naming both
 * when REV has no `prefix`. Paths are under the repository root (the git directory when
 * bare).
 */
int mlint_git_discover_tree(struct mlint_project *out, const struct mlint_git *g,
			    const char *prefix, const char *name);

/*
 * The commits between the merge base and the head that change `path_a` or
 * `path_b` (either may be NULL), as "abc1234 (subject)" items joined with
 * ", ", at most `max`; "uncommitted" or "staged" changes are named too when
 * `head_bytes` differ from the path's blob at HEAD. Appends to `out`.
 */
int mlint_git_describe_changes(struct mlint_buf *out, const struct mlint_git *g,
			       const char *path_a, const char *path_b, const char *head_bytes,
			       size_t head_len, size_t max);

/*
 * The tree "the change" is measured from: HEAD's with --staged (NULL when
 * HEAD is unborn: everything staged is new), else the merge base's.
 * MLINT_ENOTFOUND without a base. The caller frees the tree.
 */
int mlint_git_change_from(struct git_tree **out, const struct mlint_git *g);

/* ---- the git rules (src/rule_git.c) ---- */
struct mlint_findings;
struct mlint_scriptdir;
struct mlint_change_set;

/* edited-applied, cosmetic-edit, deleted-applied, stale-base for one script
 * directory; adds what the head added, changed, renamed and deleted there
 * to `change` (check_run.h). */
int mlint_check_git(const struct mlint_git *g, const struct mlint_project *p,
		    const struct mlint_scriptdir *sd, struct mlint_change_set *change,
		    struct mlint_findings *out);

/* model-without-migration, once for the project, after mlint_check_git:
 * adds the changed model files to `change`. */
int mlint_check_git_models(const struct mlint_git *g, const struct mlint_project *p,
			   struct mlint_change_set *change, struct mlint_findings *out);

/* --new-only: drops findings of rules outside the graph and git scopes in
 * files the change did not add or change. */
void mlint_check_new_only(const struct mlint_change_set *change, struct mlint_findings *f);

#endif
