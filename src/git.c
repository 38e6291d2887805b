/* The repository through libgit2: head, base, applied set, base config. */
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <git2.h>
#include "mlint/buf.h"
#include "mlint/git.h"
#include "mlint/snapshot.h"
#include "git_init.h"
#include "util.h"

void mlint_libgit2_init(void)
{
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Trees larger than libgit2's default 4 KiB are not cached, and a
	 * version directory of 10,000 files is a 500 KiB tree that the diff
	 * and the history of an edited file look up several times. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)(16u << 20));
}

struct applied {
	char *name;
	git_tree *tree;
};

struct mlint_git {
	git_repository *repo;
	char *root;
	enum mlint_git_head head;
	git_commit *head_commit;  /* --head REV, or HEAD (NULL when unborn) */
	git_tree *head_tree;      /* --head REV only */
	char *head_rev;           /* --head REV as given */
	char *base_name;
	git_commit *base_tip;
	git_tree *base_tip_tree;
	git_oid merge_base;
	struct applied *applied;  /* [0]: the merge base */
	size_t nr_applied, alloc_applied;
	git_tree *other_parent;   /* a merge in progress: MERGE_HEAD's tree */
	char row[160];            /* the row of the base table used */
};

static int git_failed(const char *fmt, const char *subject)
{
	const git_error *e = git_error_last();
	return mlint_error_set("%s '%s': %s", fmt, subject,
			       e && e->message ? e->message : "unknown error");
}

/* libgit2 1.5 reports a repository another user owns (and no
 * safe.directory names) as not found; finding it without opening it tells
 * the two apart. */
static int discoverable(const char *path)
{
	git_buf dir = GIT_BUF_INIT;
	int found = git_repository_discover(&dir, path, 0, NULL) == 0;
	git_buf_dispose(&dir);
	return found;
}

/* What git itself advises about a repository another user owns. */
static int not_owned(const char *path)
{
	return mlint_error_setc(MLINT_EUSAGE, "'%s' is in a git repository owned by someone "
				"else, which git does not trust: to trust it, run 'git config "
				"--global --add safe.directory %s' (git's own advice), or run mlint "
				"as its owner", path, path);
}

/* The repository's own config: in a linked worktree's git directory,
 * `commondir` names the main one, which holds it. */
static char *config_file(const char *gitdir)
{
	char *commondir = mlint_path_join(gitdir, "commondir"), *config = NULL;
	struct mlint_buf common;

	mlint_buf_init(&common, 4096);
	if (commondir && mlint_buf_read_file(&common, commondir) == 0 && common.len > 0) {
		char *dir;
		while (common.len > 0 && (common.ptr[common.len - 1] == '\n' ||
					  common.ptr[common.len - 1] == '\r'))
			common.ptr[--common.len] = '\0';
		dir = common.ptr[0] == '/' ? mlint_strdup(common.ptr)
					   : mlint_path_join(gitdir, common.ptr);
		config = dir ? mlint_path_join(dir, "config") : NULL;
		free(dir);
	} else {
		config = mlint_path_join(gitdir, "config");
	}
	mlint_buf_release(&common);
	free(commondir);
	return config;
}

/* The object format in the config of the repository holding `path`:
 * "sha1" (the default) or what extensions.objectformat says. */
static int object_format(char *out, size_t size, const char *path)
{
	git_buf gitdir = {0}, value = {0};
	git_config *cfg = NULL;
	char *config_path = NULL;
	int found = 0;

	snprintf(out, size, "sha1");
	if (git_repository_discover(&gitdir, path, 0, NULL) == 0 &&
	    (config_path = config_file(gitdir.ptr)) != NULL &&
	    git_config_open_ondisk(&cfg, config_path) == 0 &&
	    git_config_get_string_buf(&value, cfg, "extensions.objectformat") == 0 && value.ptr) {
		snprintf(out, size, "%s", value.ptr);
		found = 1;
	}
	git_buf_dispose(&value);
	git_config_free(cfg);
	free(config_path);
	git_buf_dispose(&gitdir);
	git_error_clear();
	return found;
}

int mlint_git_refuse_unreadable(const char *path)
{
	char format[64];

	if (!object_format(format, sizeof(format), path) || strcasecmp(format, "sha1") == 0)
		return 0;
	return mlint_error_setc(MLINT_EUSAGE, "'%s' is in a git repository with %s object ids "
				"(extensions.objectformat = %s), which libgit2, and so mlint, cannot "
				"read ('mlint check --no-git' lints the files without the git "
				"rules)", path, format, format);
}

int mlint_git_open(struct mlint_git **out, const char *path)
{
	struct mlint_git *g;
	const char *root;
	size_t n;
	int rc;

	*out = NULL;
	mlint_libgit2_init();
	if (!(g = calloc(1, sizeof(*g)))) {
		git_libgit2_shutdown();
		return mlint_error_set("out of memory");
	}
	*out = g;
	/* before libgit2 tries: its failed open of such a repository leaks */
	if ((rc = mlint_git_refuse_unreadable(path)) < 0)
		return rc;
	if ((rc = git_repository_open_ext(&g->repo, path, 0, NULL)) < 0) {
		if (rc == GIT_EOWNER || (rc == GIT_ENOTFOUND && discoverable(path)))
			return not_owned(path);
		if (rc == GIT_ENOTFOUND)
			return mlint_error_setc(MLINT_ENOTFOUND, "'%s' is not in a git repository",
						path);
		return git_failed("cannot open the git repository at", path);
	}
	root = git_repository_is_bare(g->repo) ? git_repository_path(g->repo)
					       : git_repository_workdir(g->repo);
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	return (g->root = mlint_strndup(root, n)) ? 0 : MLINT_ERROR;
}

void mlint_git_free(struct mlint_git *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nr_applied; i++) {
		free(g->applied[i].name);
		git_tree_free(g->applied[i].tree);
	}
	free(g->applied);
	git_tree_free(g->other_parent);
	git_tree_free(g->base_tip_tree);
	git_commit_free(g->base_tip);
	free(g->base_name);
	git_tree_free(g->head_tree);
	free(g->head_rev);
	git_commit_free(g->head_commit);
	free(g->root);
	git_repository_free(g->repo);
	free(g);
	git_libgit2_shutdown();
}

struct git_repository *mlint_git_repository(const struct mlint_git *g)
{
	return g->repo;
}

int mlint_git_is_bare(const struct mlint_git *g)
{
	return git_repository_is_bare(g->repo);
}

const char *mlint_git_root(const struct mlint_git *g)
{
	return g->root;
}

/* Resolves a revision to a commit: revparse, then peel (tags too). */
static int lookup_commit(git_commit **out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	*out = NULL;
	if ((rc = git_revparse_single(&obj, repo, spec)) < 0)
		return rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC
			       ? MLINT_ENOTFOUND : MLINT_ERROR;
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return MLINT_ENOTFOUND;
	*out = (git_commit *)peeled;
	return 0;
}

int mlint_git_set_head(struct mlint_git *g, enum mlint_git_head kind, const char *rev)
{
	int rc;

	g->head = kind;
	if (kind == MLINT_GIT_HEAD_REV) {
		if (!(g->head_rev = mlint_strdup(rev)))
			return MLINT_ERROR;
		if ((rc = lookup_commit(&g->head_commit, g->repo, rev)) == MLINT_ENOTFOUND)
			return mlint_error_setc(MLINT_EUSAGE, "head revision '%s' does not exist "
						"in '%s'", rev, g->root);
		if (rc < 0)
			return git_failed("cannot read revision", rev);
		if (git_commit_tree(&g->head_tree, g->head_commit) < 0)
			return git_failed("cannot read the tree of", rev);
		return 0;
	}
	if (git_repository_is_bare(g->repo))
		return mlint_error_setc(MLINT_EUSAGE, "'%s' is a bare repository: it has no "
					"working tree or index; pass --head REV", g->root);
	rc = lookup_commit(&g->head_commit, g->repo, "HEAD");
	return rc == MLINT_ENOTFOUND ? 0 : rc; /* unborn: no commit yet */
}

enum mlint_git_head mlint_git_head_kind(const struct mlint_git *g)
{
	return g->head;
}

const struct git_tree *mlint_git_head_tree(const struct mlint_git *g)
{
	return g->head_tree;
}

/* ---- base ------------------------------------------------------------- */

static int add_applied_tree(struct mlint_git *g, const char *name, git_commit *c)
{
	struct applied *a;
	if (MLINT_ARRAY_GROW(g->applied, g->alloc_applied, g->nr_applied + 1) < 0)
		return MLINT_ERROR;
	a = &g->applied[g->nr_applied];
	if (!(a->name = mlint_strdup(name)))
		return MLINT_ERROR;
	if (git_commit_tree(&a->tree, c) < 0) {
		free(a->name);
		return git_failed("cannot read the tree of", name);
	}
	g->nr_applied++;
	return 0;
}

/* The branch a candidate names: "origin/HEAD" -> its target's, "origin/x" -> "x". */
static char *candidate_branch(git_repository *repo, const char *candidate)
{
	git_reference *ref = NULL, *resolved = NULL;
	const char *name = candidate, *slash;
	char *out;

	if (strcmp(candidate, "origin/HEAD") == 0 &&
	    git_reference_lookup(&ref, repo, "refs/remotes/origin/HEAD") == 0 &&
	    git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC)
		name = git_reference_symbolic_target(ref);
	if (mlint_starts_with(name, "refs/remotes/"))
		name += strlen("refs/remotes/");
	if (mlint_starts_with(name, "origin/") && (slash = strchr(name, '/')))
		name = slash + 1;
	out = mlint_strdup(name);
	git_reference_free(resolved);
	git_reference_free(ref);
	return out;
}

static int merge_base_error(const struct mlint_git *g)
{
	if (git_repository_is_shallow(g->repo))
		return mlint_error_set("cannot find the merge base of '%s' and the head: '%s' is "
				       "a shallow clone without it; fetch more history (GitHub "
				       "Actions: actions/checkout with 'fetch-depth: 0'; else "
				       "'git fetch --unshallow')", g->base_name, g->root);
	return mlint_error_set("'%s' and the head have no common history: nothing in '%s' "
			       "can be compared; pass another --base", g->base_name, g->root);
}

/*
 * Merge base in a shallow clone, where history stops at grafted commits:
 * libgit2 1.5 cannot walk past them. The ancestors of the base tip that are
 * present are collected; the first ancestor of the head found among them,
 * breadth first, is the merge base. MLINT_ENOTFOUND when there is none.
 */
struct oid_list {
	git_oid *ids;
	size_t nr, alloc;
};

static int oid_list_has(const struct oid_list *l, const git_oid *id)
{
	for (size_t i = 0; i < l->nr; i++)
		if (git_oid_equal(&l->ids[i], id))
			return 1;
	return 0;
}

static int oid_list_add(struct oid_list *l, const git_oid *id)
{
	if (MLINT_ARRAY_GROW(l->ids, l->alloc, l->nr + 1) < 0)
		return MLINT_ERROR;
	git_oid_cpy(&l->ids[l->nr++], id);
	return 0;
}

/* Every present ancestor of `from` (itself included), breadth first. */
static int present_ancestors(struct oid_list *out, git_repository *repo, const git_oid *from)
{
	int error = oid_list_add(out, from);

	for (size_t at = 0; at < out->nr && error == 0; at++) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo, &out->ids[at]) < 0)
			continue; /* beyond the shallow boundary */
		for (unsigned i = 0; i < git_commit_parentcount(c) && error == 0; i++) {
			const git_oid *p = git_commit_parent_id(c, i);
			if (p && !oid_list_has(out, p))
				error = oid_list_add(out, p);
		}
		git_commit_free(c);
	}
	return error;
}

static int shallow_merge_base(git_oid *out, git_repository *repo, const git_oid *a,
			      const git_oid *b)
{
	struct oid_list base = {0}, head = {0};
	int error;

	if ((error = present_ancestors(&base, repo, a)) == 0 &&
	    (error = present_ancestors(&head, repo, b)) == 0) {
		error = MLINT_ENOTFOUND;
		for (size_t i = 0; i < head.nr && error == MLINT_ENOTFOUND; i++) {
			git_commit *c = NULL;
			if (!oid_list_has(&base, &head.ids[i]) ||
			    git_commit_lookup(&c, repo, &head.ids[i]) < 0)
				continue;
			git_commit_free(c);
			git_oid_cpy(out, &head.ids[i]);
			error = 0;
		}
	}
	free(base.ids);
	free(head.ids);
	return error;
}

/* With base_tip and head_commit set: finds the merge base, adds its tree. */
static int finish_base(struct mlint_git *g, struct mlint_notes *notes, const char *why)
{
	git_commit *mb = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	if (git_commit_tree(&g->base_tip_tree, g->base_tip) < 0)
		return git_failed("cannot read the tree of", g->base_name);
	if (git_repository_is_shallow(g->repo)) {
		if ((error = shallow_merge_base(&g->merge_base, g->repo, git_commit_id(g->base_tip),
						git_commit_id(g->head_commit))) < 0)
			return error == MLINT_ENOTFOUND ? merge_base_error(g) : error;
	} else if (git_merge_base(&g->merge_base, g->repo, git_commit_id(g->base_tip),
				  git_commit_id(g->head_commit)) < 0) {
		return merge_base_error(g);
	}
	if (git_commit_lookup(&mb, g->repo, &g->merge_base) < 0)
		return merge_base_error(g);
	git_oid_tostr(hex, sizeof(hex), &g->merge_base);
	error = add_applied_tree(g, g->base_name, mb);
	git_commit_free(mb);
	if (error == 0)
		error = mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "base: '%s' (%s); applied set: "
					"the tree of merge base %.12s", g->base_name, why, hex);
	return error;
}

/* ---- the base table --------------------------------------------------------
 *
 * One function decides the applied set for every mode (docs/base.md):
 *
 *   --base REF (or [mlint] base)      merge base of REF and the checked commit
 *   merge in progress (MERGE_HEAD)    both parents: HEAD's tree is applied, and
 *                                     what MERGE_HEAD brings is not the change's
 *   CI pull request (GITHUB_BASE_REF, merge base with origin/<branch>
 *     CI_MERGE_REQUEST_TARGET_BRANCH_NAME)
 *   CI push to the base branch        the commit before the push
 *                                     (GITHUB_EVENT_BEFORE, CI_COMMIT_BEFORE_SHA),
 *                                     else the first parent
 *   local feature branch              merge base with the first of origin/HEAD,
 *                                     origin/main, origin/master, main, master
 *   local base branch with upstream   the upstream: unpushed commits are not applied
 *   local base branch, no upstream    HEAD: uncommitted edits are edits
 *
 * With --head REV "the checked branch" is REV's (when REV names a local
 * branch), never HEAD's. */

static int env_is_true(const char *name)
{
	const char *v = getenv(name);
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static const char *env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static void set_row(struct mlint_git *g, const char *row)
{
	snprintf(g->row, sizeof(g->row), "%s", row);
}

/* The branch being checked: REV's with --head, else HEAD's; in CI a detached
 * HEAD is on the branch the CI names. NULL when none. */
static char *checked_branch(const struct mlint_git *g)
{
	git_reference *ref = NULL;
	char *out = NULL;
	const char *ci;

	if (g->head == MLINT_GIT_HEAD_REV) {
		if (g->head_rev && git_branch_lookup(&ref, g->repo, g->head_rev,
						     GIT_BRANCH_LOCAL) == 0)
			out = mlint_strdup(git_reference_shorthand(ref));
		git_reference_free(ref);
		return out;
	}
	if (git_repository_head(&ref, g->repo) == 0 && git_reference_is_branch(ref))
		out = mlint_strdup(git_reference_shorthand(ref));
	git_reference_free(ref);
	if (!out && env_is_true("CI") &&
	    ((ci = env_set("CI_COMMIT_BRANCH")) ||
	     ((ci = env_set("GITHUB_REF")) && mlint_starts_with(ci, "refs/heads/") &&
	      (ci += strlen("refs/heads/")))))
		out = mlint_strdup(ci);
	return out;
}

static int missing_base(const struct mlint_git *g, const char *name, const char *why)
{
	const char *branch = mlint_starts_with(name, "origin/") ? name + strlen("origin/") : NULL;

	if (why && branch)
		return mlint_error_setc(MLINT_EUSAGE, "%s names the base branch '%s', but '%s' does "
					"not exist in '%s': check the variable, or fetch the branch "
					"('git fetch origin %s'; GitHub Actions: actions/checkout "
					"with 'fetch-depth: 0')", why, branch, name, g->root, branch);
	if (branch)
		return mlint_error_setc(MLINT_EUSAGE, "base '%s' does not exist in '%s': check the "
					"name, or fetch it ('git fetch origin %s')", name, g->root,
					branch);
	return mlint_error_setc(MLINT_EUSAGE, "base '%s' does not exist in '%s': check the name "
				"(a branch, tag or commit)", name, g->root);
}

/* `env_why` names the variable the name came from, for the message. */
static int use_base_from(struct mlint_git *g, const char *name, struct mlint_notes *notes,
			 const char *why, const char *env_why)
{
	int rc;

	if (!(g->base_name = mlint_strdup(name)))
		return MLINT_ERROR;
	if ((rc = lookup_commit(&g->base_tip, g->repo, name)) == MLINT_ENOTFOUND)
		return missing_base(g, name, env_why);
	if (rc < 0)
		return git_failed("cannot read base", name);
	return finish_base(g, notes, why);
}

static int use_base(struct mlint_git *g, const char *name, struct mlint_notes *notes,
		    const char *why)
{
	return use_base_from(g, name, notes, why, NULL);
}

/* The base is `tip` itself (a commit already looked up; taken over). */
static int base_is_commit(struct mlint_git *g, struct mlint_notes *notes, const char *name,
			  git_commit *tip, const char *why)
{
	if (!(g->base_name = mlint_strdup(name))) {
		git_commit_free(tip);
		return MLINT_ERROR;
	}
	g->base_tip = tip;
	return finish_base(g, notes, why);
}

static int base_is_head(struct mlint_git *g, struct mlint_notes *notes, const char *branch)
{
	git_commit *tip = NULL;
	char why[256];

	if (git_commit_dup(&tip, g->head_commit) < 0)
		return MLINT_ERROR;
	snprintf(why, sizeof(why), "HEAD is on the base branch '%s' itself, so committed "
		 "migrations are the applied set", branch);
	set_row(g, "local base branch without an upstream: HEAD");
	return base_is_commit(g, notes, "HEAD", tip, why);
}

static int is_zero_sha(const char *s)
{
	return strspn(s, "0") == strlen(s);
}

/* CI push to the base branch: the commit before the push, else the first parent. */
static int ci_push_base(struct mlint_git *g, struct mlint_notes *notes, const char *branch)
{
	const char *before = env_set("GITHUB_EVENT_BEFORE");
	const char *var = "GITHUB_EVENT_BEFORE";
	git_commit *tip = NULL;
	char why[256];

	if (!before) {
		before = env_set("CI_COMMIT_BEFORE_SHA");
		var = "CI_COMMIT_BEFORE_SHA";
	}
	if (before && !is_zero_sha(before) && lookup_commit(&tip, g->repo, before) == 0) {
		snprintf(why, sizeof(why), "CI push to the base branch '%s': %s, the commit before "
			 "the push", branch, var);
		set_row(g, "CI push to the base branch: the commit before the push");
		return base_is_commit(g, notes, before, tip, why);
	}
	if (before && !is_zero_sha(before))
		mlint_notes_add(notes, MLINT_NOTE_WARNING, "%s is '%s', which is not in '%s' (fetch "
				"more history): comparing with the first parent", var, before, g->root);
	if (git_commit_parentcount(g->head_commit) == 0)
		return base_is_head(g, notes, branch);
	if (git_commit_parent(&tip, g->head_commit, 0) < 0)
		return git_failed("cannot read the first parent of", "HEAD");
	snprintf(why, sizeof(why), "CI push to the base branch '%s': the first parent", branch);
	set_row(g, "CI push to the base branch: the first parent");
	return base_is_commit(g, notes, "HEAD^1", tip, why);
}

/*
 * The remote-tracking branch `branch` follows (branch.B.remote and
 * branch.B.merge, under the default refspec), when it exists; else NULL.
 * Read from the config directly: libgit2 1.5's git_branch_upstream() leaks
 * the regular expressions it matches the remote's refspecs with.
 */
static char *upstream_of(const struct mlint_git *g, const char *branch)
{
	git_config *cfg = NULL;
	git_buf remote = GIT_BUF_INIT, merge = GIT_BUF_INIT;
	git_commit *c = NULL;
	char key[512], name[1024], *out = NULL;

	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return NULL;
	snprintf(key, sizeof(key), "branch.%s.remote", branch);
	if (git_config_get_string_buf(&remote, cfg, key) == 0 && strcmp(remote.ptr, ".") != 0) {
		snprintf(key, sizeof(key), "branch.%s.merge", branch);
		if (git_config_get_string_buf(&merge, cfg, key) == 0 &&
		    mlint_starts_with(merge.ptr, "refs/heads/")) {
			snprintf(name, sizeof(name), "%s/%s", remote.ptr,
				 merge.ptr + strlen("refs/heads/"));
			if (lookup_commit(&c, g->repo, name) == 0)
				out = mlint_strdup(name);
		}
	}
	git_commit_free(c);
	git_buf_dispose(&merge);
	git_buf_dispose(&remote);
	git_config_free(cfg);
	git_error_clear();
	return out;
}

/* The checked branch is the base branch: CI push, the upstream, or HEAD. */
static int on_base_branch(struct mlint_git *g, struct mlint_notes *notes, const char *branch)
{
	char why[256], *name = NULL;
	int error;

	if (env_is_true("CI"))
		return ci_push_base(g, notes, branch);
	if (!(name = upstream_of(g, branch)))
		return base_is_head(g, notes, branch);
	snprintf(why, sizeof(why), "on the base branch '%s', which has the upstream '%s': "
		 "commits not pushed yet are not applied", branch, name);
	set_row(g, "local base branch with an upstream: the upstream");
	error = use_base(g, name, notes, why);
	free(name);
	return error;
}

static int default_base(struct mlint_git *g, struct mlint_notes *notes)
{
	static const char *const candidates[] = {
		"origin/HEAD", "origin/main", "origin/master", "main", "master", NULL,
	};
	char *mine = checked_branch(g);
	int error = MLINT_ENOTFOUND;

	for (size_t i = 0; candidates[i] && error == MLINT_ENOTFOUND; i++) {
		git_commit *c = NULL;
		char *branch = NULL;
		if (lookup_commit(&c, g->repo, candidates[i]) < 0)
			continue;
		git_commit_free(c);
		if (!(branch = candidate_branch(g->repo, candidates[i])))
			error = MLINT_ERROR;
		else if (mine && strcmp(branch, mine) == 0)
			error = on_base_branch(g, notes, mine);
		else {
			set_row(g, "local feature branch: merge base with the base branch");
			error = use_base(g, candidates[i], notes, "the first of origin/HEAD, "
					 "origin/main, origin/master, main, master that exists");
		}
		free(branch);
	}
	if (error == MLINT_ENOTFOUND)
		mlint_notes_add(notes, MLINT_NOTE_WARNING, "no base branch found (none of "
				"origin/HEAD, origin/main, origin/master, main, master exists): "
				"git rules skipped; pass --base REF");
	free(mine);
	return error;
}

/* A merge being committed: HEAD is the base; MERGE_HEAD's tree is kept so
 * that nothing the merged branch brings counts as the change's. */
static int merge_base_row(struct mlint_git *g, struct mlint_notes *notes)
{
	git_commit *other = NULL, *tip = NULL;
	int error;

	if (lookup_commit(&other, g->repo, "MERGE_HEAD") < 0)
		return MLINT_ENOTFOUND;
	error = git_commit_tree(&g->other_parent, other);
	git_commit_free(other);
	if (error < 0)
		return git_failed("cannot read the tree of", "MERGE_HEAD");
	if (git_commit_dup(&tip, g->head_commit) < 0)
		return MLINT_ERROR;
	set_row(g, "merge in progress: both parents");
	return base_is_commit(g, notes, "HEAD", tip, "a merge is in progress: the migrations of "
			      "both parents (HEAD and MERGE_HEAD) are not this change's");
}

/* The CI's pull/merge request target: origin/<branch>. */
static int ci_request_base(struct mlint_git *g, struct mlint_notes *notes, int *found)
{
	const char *gh = env_set("GITHUB_BASE_REF");
	const char *gl = env_set("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
	const char *var = gh ? "GITHUB_BASE_REF" : "CI_MERGE_REQUEST_TARGET_BRANCH_NAME";
	char name[512], why[128];

	*found = gh || gl;
	if (!*found)
		return 0;
	snprintf(name, sizeof(name), "origin/%s", gh ? gh : gl);
	snprintf(why, sizeof(why), "%s is set", var);
	set_row(g, "CI pull request: merge base with origin/<base branch>");
	return use_base_from(g, name, notes, why, var);
}

int mlint_git_choose_base(struct mlint_git *g, const char *ref, struct mlint_notes *notes)
{
	int found = 0, error;

	if (!g->head_commit) {
		mlint_notes_add(notes, MLINT_NOTE_WARNING, "'%s' has no commit yet: git rules "
				"skipped", g->root);
		return MLINT_ENOTFOUND;
	}
	if (ref) {
		set_row(g, "--base REF: merge base of REF and the checked commit");
		error = use_base(g, ref, notes, "--base");
	} else if (g->head != MLINT_GIT_HEAD_REV &&
		   git_repository_state(g->repo) == GIT_REPOSITORY_STATE_MERGE &&
		   (error = merge_base_row(g, notes)) != MLINT_ENOTFOUND) {
		/* decided */
	} else if ((error = ci_request_base(g, notes, &found)) < 0 || found) {
		/* decided */
	} else {
		error = default_base(g, notes);
	}
	if (error == 0 && g->row[0])
		error = mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "base row: %s", g->row);
	return error;
}

const char *mlint_git_base_row(const struct mlint_git *g)
{
	return g->row[0] ? g->row : NULL;
}
int mlint_git_has_base(const struct mlint_git *g)
{
	return g->base_tip != NULL;
}

const char *mlint_git_base_name(const struct mlint_git *g)
{
	return g->base_name;
}

struct glob_ctx {
	struct mlint_git *g;
	size_t matched;
	int error;
};

static int applied_ref(const char *name, void *payload)
{
	struct glob_ctx *ctx = payload;
	git_commit *c = NULL;

	if (lookup_commit(&c, ctx->g->repo, name) < 0)
		return 0; /* a ref to a blob or tree: not a release */
	ctx->error = add_applied_tree(ctx->g, name, c);
	git_commit_free(c);
	ctx->matched++;
	return ctx->error < 0 ? -1 : 0;
}

int mlint_git_add_applied(struct mlint_git *g, const char *pattern, struct mlint_notes *notes)
{
	struct glob_ctx ctx = {g, 0, 0};

	if (strpbrk(pattern, "*?[")) {
		if (git_reference_foreach_glob(g->repo, pattern, applied_ref, &ctx) < 0 &&
		    ctx.error < 0)
			return ctx.error;
		if (ctx.matched == 0)
			return mlint_notes_add(notes, MLINT_NOTE_WARNING, "--applied '%s' matches no "
					       "reference", pattern);
		return mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "applied: %zu reference(s) "
				       "matching '%s'", ctx.matched, pattern);
	}
	if (applied_ref(pattern, &ctx) < 0 || ctx.error < 0)
		return ctx.error < 0 ? ctx.error : MLINT_ERROR;
	if (!ctx.matched)
		return mlint_error_setc(MLINT_EUSAGE, "--applied '%s' does not exist in '%s'",
					pattern, g->root);
	return mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "applied: the tree of '%s'", pattern);
}

size_t mlint_git_applied_count(const struct mlint_git *g)
{
	return g->nr_applied;
}

const struct git_tree *mlint_git_applied_tree(const struct mlint_git *g, size_t i,
					      const char **name)
{
	if (name)
		*name = g->applied[i].name;
	return g->applied[i].tree;
}

const struct git_tree *mlint_git_base_tip_tree(const struct mlint_git *g)
{
	return g->base_tip_tree;
}

/* ---- files from trees --------------------------------------------------- */

static int read_tree_file(struct mlint_buf *out, git_repository *repo, const git_tree *tree,
			  const char *rel)
{
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	int error = MLINT_ENOTFOUND;

	if (!tree || git_tree_entry_bypath(&te, tree, rel) < 0 ||
	    git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		goto done;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(te)) < 0) {
		error = git_failed("cannot read blob", rel);
		goto done;
	}
	error = mlint_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	git_tree_entry_free(te);
	return error;
}

static int read_blob_id(struct mlint_buf *out, git_repository *repo, const git_oid *id,
			const char *rel)
{
	git_blob *blob = NULL;
	int error;

	if (git_blob_lookup(&blob, repo, id) < 0)
		return git_failed("cannot read blob", rel);
	error = mlint_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

static int read_index_file(struct mlint_buf *out, git_repository *repo, const char *rel)
{
	git_index *index = NULL;
	const git_index_entry *e;
	int error = MLINT_ENOTFOUND;

	if (git_repository_index(&index, repo) < 0)
		return git_failed("cannot read the index of", git_repository_path(repo));
	if ((e = git_index_get_bypath(index, rel, 0)) != NULL)
		error = read_blob_id(out, repo, &e->id, rel);
	git_index_free(index);
	return error;
}

int mlint_git_read_path(struct mlint_buf *out, const struct mlint_git *g,
			enum mlint_git_side side, const char *rel)
{
	if (side == MLINT_GIT_SIDE_BASE)
		return read_tree_file(out, g->repo, g->base_tip_tree, rel);
	if (g->head == MLINT_GIT_HEAD_INDEX)
		return read_index_file(out, g->repo, rel);
	if (g->head == MLINT_GIT_HEAD_REV)
		return read_tree_file(out, g->repo, g->head_tree, rel);
	{
		char *abs = mlint_path_join(g->root, rel);
		int error = !abs ? MLINT_ERROR : access(abs, F_OK) != 0 ? MLINT_ENOTFOUND
			    : mlint_buf_read_file(out, abs);
		free(abs);
		return error;
	}
}

static int names_add(struct mlint_path_names *out, const char *name, size_t n)
{
	char *copy = mlint_strndup(name, n);
	if (!copy || MLINT_ARRAY_GROW(out->items, out->alloc, out->nr + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	out->items[out->nr++] = copy;
	return 0;
}

static int list_tree_dir(struct mlint_path_names *out, const git_tree *root, git_repository *repo,
			 const char *rel)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	int error = MLINT_ENOTFOUND;

	if (!root)
		return MLINT_ENOTFOUND;
	if (!rel[0]) {
		if (git_tree_dup(&t, (git_tree *)root) < 0)
			return MLINT_ERROR;
	} else if (git_tree_entry_bypath(&e, root, rel) < 0 ||
		   git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		   git_tree_lookup(&t, repo, git_tree_entry_id(e)) < 0) {
		goto done;
	}
	error = 0;
	for (size_t i = 0, n = git_tree_entrycount(t); i < n && error == 0; i++) {
		const git_tree_entry *c = git_tree_entry_byindex(t, i);
		if (git_tree_entry_type(c) == GIT_OBJECT_BLOB)
			error = names_add(out, git_tree_entry_name(c), strlen(git_tree_entry_name(c)));
	}
done:
	git_tree_free(t);
	git_tree_entry_free(e);
	return error;
}

static int list_index_dir(struct mlint_path_names *out, git_repository *repo, const char *rel)
{
	git_index *index = NULL;
	size_t n = strlen(rel);
	int error = 0, seen = 0;

	if (git_repository_index(&index, repo) < 0)
		return git_failed("cannot read the index of", git_repository_path(repo));
	for (size_t i = 0, k = git_index_entrycount(index); i < k && error == 0; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		const char *name = e->path + n + (n ? 1 : 0);
		if (git_index_entry_stage(e) != 0 || strncmp(e->path, rel, n) != 0 ||
		    (n && e->path[n] != '/'))
			continue;
		seen = 1;
		if (!strchr(name, '/'))
			error = names_add(out, name, strlen(name));
	}
	git_index_free(index);
	return error == 0 && !seen ? MLINT_ENOTFOUND : error;
}

int mlint_git_list_path(struct mlint_path_names *out, const struct mlint_git *g,
			enum mlint_git_side side, const char *rel)
{
	if (side == MLINT_GIT_SIDE_BASE)
		return list_tree_dir(out, g->base_tip_tree, g->repo, rel);
	if (g->head == MLINT_GIT_HEAD_INDEX)
		return list_index_dir(out, g->repo, rel);
	if (g->head == MLINT_GIT_HEAD_REV)
		return list_tree_dir(out, g->head_tree, g->repo, rel);
	return mlint_error_setc(MLINT_EUSAGE, "the working tree is listed from disk");
}

int mlint_git_head_has_path(const struct mlint_git *g, const char *rel)
{
	git_tree_entry *e = NULL;
	int has;

	if (g->head != MLINT_GIT_HEAD_REV || !g->head_tree)
		return 1;
	if (!rel[0])
		return 1;
	has = git_tree_entry_bypath(&e, g->head_tree, rel) == 0;
	git_tree_entry_free(e);
	return has;
}

const char *mlint_git_head_rev(const struct mlint_git *g)
{
	return g->head_rev;
}

/* ---- a merge in progress ------------------------------------------------- */

int mlint_git_other_parent_has(const struct mlint_git *g, const char *rel, const char *bytes,
			       size_t len)
{
	git_tree_entry *e = NULL;
	git_oid id;
	int same = 0;

	if (!g->other_parent || git_tree_entry_bypath(&e, g->other_parent, rel) < 0)
		return 0;
	if (bytes && git_odb_hash(&id, bytes, len, GIT_OBJECT_BLOB) == 0)
		same = git_oid_equal(&id, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return same;
}

int mlint_git_other_parent_lacks(const struct mlint_git *g, const char *rel)
{
	git_tree_entry *e = NULL;
	int lacks;

	if (!g->other_parent)
		return 0;
	lacks = git_tree_entry_bypath(&e, g->other_parent, rel) < 0;
	git_tree_entry_free(e);
	return lacks;
}

/* ---- history ------------------------------------------------------------ */

/* Whether `path` has a different blob (or none) in `c` than in its first parent. */
static int commit_changes(git_repository *repo, git_commit *c, const char *path)
{
	git_commit *parent = NULL;
	git_tree *t = NULL, *pt = NULL;
	git_tree_entry *a = NULL, *b = NULL;
	int changed = 0, ha, hb;

	if (!path || git_commit_tree(&t, c) < 0)
		return 0;
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
		git_commit_tree(&pt, parent);
	ha = git_tree_entry_bypath(&a, t, path) == 0;
	hb = pt && git_tree_entry_bypath(&b, pt, path) == 0;
	changed = ha != hb || (ha && !git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)));
	git_tree_entry_free(a);
	git_tree_entry_free(b);
	git_tree_free(pt);
	git_tree_free(t);
	git_commit_free(parent);
	(void)repo;
	return changed;
}

static int describe_commit(struct mlint_buf *out, git_commit *c, size_t listed)
{
	char hex[8];
	const char *summary = git_commit_summary(c);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	return mlint_buf_printf(out, "%s%s (%s)", listed ? ", " : "", hex,
				summary ? summary : "");
}

/* Whether the head's bytes differ from the blob at HEAD:path. */
static int differs_from_head(const struct mlint_git *g, const char *path, const char *bytes,
			     size_t len)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid id;
	int differs = 1;

	if (!path || !bytes || !g->head_commit || git_commit_tree(&t, g->head_commit) < 0)
		return 0;
	if (git_tree_entry_bypath(&e, t, path) == 0 &&
	    git_odb_hash(&id, bytes, len, GIT_OBJECT_BLOB) == 0)
		differs = !git_oid_equal(&id, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(t);
	return differs;
}

int mlint_git_describe_changes(struct mlint_buf *out, const struct mlint_git *g,
			       const char *path_a, const char *path_b, const char *head_bytes,
			       size_t head_len, size_t max)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t listed = 0, more = 0;
	int error = 0;

	if (g->head != MLINT_GIT_HEAD_REV && differs_from_head(g, path_a, head_bytes, head_len)) {
		if (mlint_buf_puts(out, g->head == MLINT_GIT_HEAD_INDEX ? "staged changes"
									: "uncommitted changes") < 0)
			return MLINT_ERROR;
		listed = 1;
	}
	if (!g->head_commit || git_revwalk_new(&walk, g->repo) < 0)
		return 0;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (git_revwalk_push(walk, git_commit_id(g->head_commit)) < 0 ||
	    git_revwalk_hide(walk, &g->merge_base) < 0)
		goto done;
	while (error == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0)
			continue;
		if (commit_changes(g->repo, c, path_a) || commit_changes(g->repo, c, path_b)) {
			if (listed < max)
				error = describe_commit(out, c, listed++);
			else
				more++;
		}
		git_commit_free(c);
	}
	if (error == 0 && more)
		error = mlint_buf_printf(out, " and %zu more", more);
done:
	git_revwalk_free(walk);
	return error;
}

/* ---- a bare repository ---------------------------------------------------- */

/* prefix/alembic.ini, else prefix/migrations/alembic.ini (Flask-Migrate). */
static int tree_ini(struct mlint_ini *ini, char **dir_out, const struct mlint_git *g,
		    struct mlint_buf *text, const char *prefix)
{
	static const char *const dirs[] = {"", "migrations", NULL};

	for (size_t i = 0; dirs[i]; i++) {
		char *dir = prefix[0] ? (dirs[i][0] ? mlint_path_join(prefix, dirs[i])
						    : mlint_strdup(prefix))
				      : mlint_strdup(dirs[i]);
		char *place = dir ? (dir[0] ? mlint_path_join(dir, "alembic.ini")
					    : mlint_strdup("alembic.ini")) : NULL;
		int error = place ? read_tree_file(text, g->repo, g->head_tree, place) : MLINT_ERROR;
		if (error == 0)
			error = mlint_ini_parse(ini, place, text->ptr, text->len);
		free(place);
		if (error == MLINT_ENOTFOUND) {
			free(dir);
			continue;
		}
		if (error < 0) {
			free(dir);
			return error;
		}
		*dir_out = dir;
		return 0;
	}
	return MLINT_ENOTFOUND;
}

static int add_tree_location(struct mlint_scriptdir_config *d, const char *here,
			     const char *item, size_t n)
{
	char *rel = mlint_strndup(item, n), *abs;
	if (!rel)
		return MLINT_ERROR;
	abs = mlint_path_join(here, mlint_starts_with(rel, "%(here)s/") ? rel + 9 : rel);
	free(rel);
	if (!abs || MLINT_ARRAY_GROW(d->version_locations, d->alloc_locations,
				     d->nr_locations + 1) < 0) {
		free(abs);
		return MLINT_ERROR;
	}
	d->version_locations[d->nr_locations++] = abs;
	return 0;
}

/* script_location and version_locations, relative to the ini's directory. */
static int tree_locations(struct mlint_scriptdir_config *d, const struct mlint_git *g,
			  const char *ini_dir)
{
	const char *section = d->section ? d->section : "alembic";
	const struct mlint_ini_entry *sl = mlint_ini_get(&d->ini, section, "script_location");
	const struct mlint_ini_entry *vl = mlint_ini_get(&d->ini, section, "version_locations");
	char *here = ini_dir[0] ? mlint_path_join(g->root, ini_dir) : mlint_strdup(g->root);
	int error = MLINT_ERROR;

	if (!here)
		return MLINT_ERROR;
	/* Alembic's %(here)s is the ini's directory, as a prefix or alone */
	d->script_location = !sl || !sl->value[0] || strcmp(sl->value, "%(here)s") == 0
				     ? mlint_strdup(here)
				     : mlint_path_join(here, mlint_starts_with(sl->value, "%(here)s/")
								? sl->value + 9 : sl->value);
	if (!d->script_location)
		goto done;
	if (vl && vl->value[0]) {
		const char *p = vl->value;
		while (*p) {
			size_t n = strcspn(p, " ,;:\n");
			if (n > 0 && (error = add_tree_location(d, here, p, n)) < 0)
				goto done;
			p += n;
			if (*p)
				p++;
		}
		error = MLINT_ERROR;
	}
	if (d->nr_locations == 0) {
		char *v = mlint_path_join(d->script_location, "versions");
		if (!v || MLINT_ARRAY_GROW(d->version_locations, d->alloc_locations, 1) < 0) {
			free(v);
			goto done;
		}
		d->version_locations[d->nr_locations++] = v;
	}
	{
		const struct mlint_ini_entry *rec =
			mlint_ini_get(&d->ini, section, "recursive_version_locations");
		d->recursive = rec && strcmp(rec->value, "true") == 0;
	}
	error = 0;
done:
	free(here);
	return error;
}

/* True when `section` itself sets script_location. */
static int sets_location(const struct mlint_ini *ini, const char *section)
{
	for (size_t i = 0; i < ini->nr; i++)
		if (strcmp(ini->entries[i].section, section) == 0 &&
		    strcmp(ini->entries[i].key, "script_location") == 0)
			return 1;
	return 0;
}

/* One script directory of the ini found in the tree: `section` (NULL for
 * the defaults without an ini) read from `text`. */
static int add_tree_dir(struct mlint_project *out, const struct mlint_git *g,
			const struct mlint_buf *text, const char *ini_rel, const char *ini_dir,
			const char *section)
{
	struct mlint_scriptdir_config *d;
	int error = 0;

	if (MLINT_ARRAY_GROW(out->dirs, out->alloc_dirs, out->nr_dirs + 1) < 0)
		return MLINT_ERROR;
	d = &out->dirs[out->nr_dirs++];
	memset(d, 0, sizeof(*d));
	mlint_ini_init(&d->ini);
	if (ini_rel) {
		if ((section && strcmp(section, "alembic") != 0 &&
		     !(d->section = mlint_strdup(section))) ||
		    !(d->ini_path = mlint_path_join(g->root, ini_rel)))
			return MLINT_ERROR;
		error = mlint_ini_parse(&d->ini, ini_rel, text->ptr, text->len);
	}
	if (error == 0)
		error = tree_locations(d, g, ini_dir);
	if (error == 0)
		d->display = mlint_project_display_path(out, d->script_location);
	return error;
}

/* The sections to read, as the working-tree discovery does: --name, else
 * [alembic] (unless it only holds shared settings) and every other section
 * that sets script_location. */
static int add_tree_sections(struct mlint_project *out, const struct mlint_git *g,
			     const struct mlint_buf *text, const char *ini_rel,
			     const char *ini_dir, const char *name)
{
	struct mlint_ini ini;
	int error, others = 0;

	mlint_ini_init(&ini);
	if ((error = mlint_ini_parse(&ini, ini_rel, text->ptr, text->len)) < 0)
		goto done;
	if (name) {
		error = mlint_ini_has_section(&ini, name)
				? add_tree_dir(out, g, text, ini_rel, ini_dir, name)
				: mlint_error_setc(MLINT_EUSAGE, "'%s' in revision '%s' has no [%s] "
						   "section (--name)", ini_rel, g->head_rev, name);
		goto done;
	}
	for (size_t i = 0; i < ini.nr_sections; i++)
		others |= strcmp(ini.sections[i], "alembic") != 0 &&
			  sets_location(&ini, ini.sections[i]);
	if (!others || sets_location(&ini, "alembic"))
		error = add_tree_dir(out, g, text, ini_rel, ini_dir, "alembic");
	for (size_t i = 0; error == 0 && i < ini.nr_sections; i++)
		if (strcmp(ini.sections[i], "alembic") != 0 && sets_location(&ini, ini.sections[i]))
			error = add_tree_dir(out, g, text, ini_rel, ini_dir, ini.sections[i]);
done:
	mlint_ini_release(&ini);
	return error;
}

int mlint_git_discover_tree(struct mlint_project *out, const struct mlint_git *g,
			    const char *prefix, const char *name)
{
	struct mlint_buf text;
	struct mlint_ini probe;
	char *ini_dir = NULL, *ini_rel = NULL;
	int error;

	if (!g->head_tree)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' is a bare repository: pass --head REV",
					g->root);
	if (!mlint_git_head_has_path(g, prefix))
		return mlint_error_setc(MLINT_EUSAGE, "'%s' does not exist in revision '%s' (nor in "
					"the working tree): pass a path as it is in '%s'", prefix,
					g->head_rev, g->head_rev);
	if (!(out->repo_root = mlint_strdup(g->root)) || !(out->base_dir = mlint_strdup(g->root)))
		return MLINT_ERROR;
	mlint_buf_init(&text, 0);
	mlint_ini_init(&probe);
	error = tree_ini(&probe, &ini_dir, g, &text, prefix);
	mlint_ini_release(&probe);
	if (error == MLINT_ENOTFOUND) {
		/* no ini: migrations/versions below the path, as without git */
		ini_dir = prefix[0] ? mlint_path_join(prefix, "migrations") : mlint_strdup("migrations");
		error = ini_dir ? add_tree_dir(out, g, &text, NULL, ini_dir, NULL) : MLINT_ERROR;
	} else if (error == 0) {
		ini_rel = ini_dir[0] ? mlint_path_join(ini_dir, "alembic.ini")
				     : mlint_strdup("alembic.ini");
		error = ini_rel ? add_tree_sections(out, g, &text, ini_rel, ini_dir, name)
				: MLINT_ERROR;
	}
	mlint_buf_release(&text);
	free(ini_rel);
	free(ini_dir);
	return error;
}

int mlint_git_change_from(struct git_tree **out, const struct mlint_git *g)
{
	*out = NULL;
	if (g->head == MLINT_GIT_HEAD_INDEX) {
		if (g->head_commit && git_commit_tree(out, g->head_commit) < 0)
			return git_failed("cannot read the tree of", "HEAD");
		return 0;
	}
	if (!g->nr_applied || !g->base_tip)
		return MLINT_ENOTFOUND;
	return git_tree_dup(out, g->applied[0].tree) < 0 ? MLINT_ERROR : 0;
}

/* ---- prefetch --------------------------------------------------------------- */

static void prefetch_tree(git_repository *repo, const git_tree *root, const char *path)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;

	if (!path[0] || git_tree_entry_bypath(&e, root, path) < 0)
		return;
	/* freed at once: libgit2's object cache keeps it for the diff */
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&t, repo, git_tree_entry_id(e)) == 0)
		git_tree_free(t);
	git_tree_entry_free(e);
}

int mlint_git_not_checked_out(const struct mlint_git *g, const char *rel)
{
	git_index *index = NULL;
	const git_index_entry *e;
	int skipped = 0;

	if (!g || g->head != MLINT_GIT_HEAD_WORKTREE || git_repository_index(&index, g->repo) < 0) {
		git_error_clear();
		return 0;
	}
	e = git_index_get_bypath(index, rel, 0);
	skipped = e && (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE);
	git_index_free(index);
	return skipped;
}

void mlint_git_read_ahead(struct mlint_git *g, char *const *locations, size_t nr)
{
	git_index *index = NULL;

	if (!g || g->head != MLINT_GIT_HEAD_WORKTREE)
		return;
	/* the repository keeps the index it loaded, and the diff finds it read */
	if (git_repository_index(&index, g->repo) == 0)
		git_index_free(index);
	for (size_t i = 0; i < g->nr_applied; i++)
		for (size_t k = 0; k < nr; k++)
			prefetch_tree(g->repo, g->applied[i].tree, locations[k]);
	git_error_clear();
}
