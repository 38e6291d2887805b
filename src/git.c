/* The repository through libgit2: head, base, applied set, base config. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <git2.h>
#include "mlint/buf.h"
#include "mlint/git.h"
#include "mlint/snapshot.h"
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
	char *base_name;
	git_commit *base_tip;
	git_tree *base_tip_tree;
	git_oid merge_base;
	struct applied *applied;  /* [0]: the merge base */
	size_t nr_applied, alloc_applied;
	char **changed;           /* sorted */
	size_t nr_changed, alloc_changed;
	size_t new_migrations;
	pthread_t prefetcher;     /* running while `prefetching` */
	int prefetching;
	char **prefetch_paths;
	size_t nr_prefetch_paths;
};

static int git_failed(const char *fmt, const char *subject)
{
	const git_error *e = git_error_last();
	return mlint_error_set("%s '%s': %s", fmt, subject,
			       e && e->message ? e->message : "unknown error");
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
	mlint_git_prefetch_wait(g);
	for (size_t i = 0; i < g->nr_applied; i++) {
		free(g->applied[i].name);
		git_tree_free(g->applied[i].tree);
	}
	free(g->applied);
	for (size_t i = 0; i < g->nr_changed; i++)
		free(g->changed[i]);
	free(g->changed);
	git_tree_free(g->base_tip_tree);
	git_commit_free(g->base_tip);
	free(g->base_name);
	git_tree_free(g->head_tree);
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

/* HEAD's branch short name, or NULL (detached, unborn handled by caller). */
static char *head_branch(git_repository *repo)
{
	git_reference *head = NULL;
	char *out = NULL;

	if (git_repository_head(&head, repo) == 0 && git_reference_is_branch(head))
		out = mlint_strdup(git_reference_shorthand(head));
	git_reference_free(head);
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

static int use_base(struct mlint_git *g, const char *name, struct mlint_notes *notes,
		    const char *why)
{
	int rc;

	if (!(g->base_name = mlint_strdup(name)))
		return MLINT_ERROR;
	if ((rc = lookup_commit(&g->base_tip, g->repo, name)) == MLINT_ENOTFOUND)
		return mlint_error_setc(MLINT_EUSAGE, "base '%s' does not exist in '%s': check "
					"the name, or fetch it ('git fetch origin %s')", name,
					g->root, name);
	if (rc < 0)
		return git_failed("cannot read base", name);
	return finish_base(g, notes, why);
}

static int base_is_head(struct mlint_git *g, struct mlint_notes *notes, const char *branch)
{
	char why[256];
	if (!(g->base_name = mlint_strdup("HEAD")))
		return MLINT_ERROR;
	if (git_commit_dup(&g->base_tip, g->head_commit) < 0)
		return MLINT_ERROR;
	snprintf(why, sizeof(why), "HEAD is on the base branch '%s' itself, so committed "
		 "migrations are the applied set", branch);
	return finish_base(g, notes, why);
}

static int default_base(struct mlint_git *g, struct mlint_notes *notes)
{
	static const char *const candidates[] = {
		"origin/HEAD", "origin/main", "origin/master", "main", "master", NULL,
	};
	char *mine = head_branch(g->repo);
	int error = MLINT_ENOTFOUND;

	for (size_t i = 0; candidates[i] && error == MLINT_ENOTFOUND; i++) {
		git_commit *c = NULL;
		char *branch = NULL, why[256];
		if (lookup_commit(&c, g->repo, candidates[i]) < 0)
			continue;
		git_commit_free(c);
		if (!(branch = candidate_branch(g->repo, candidates[i])))
			error = MLINT_ERROR;
		else if (mine && strcmp(branch, mine) == 0)
			error = base_is_head(g, notes, mine);
		else {
			snprintf(why, sizeof(why), "the first of origin/HEAD, origin/main, "
				 "origin/master, main, master that exists");
			error = use_base(g, candidates[i], notes, why);
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

int mlint_git_choose_base(struct mlint_git *g, const char *ref, struct mlint_notes *notes)
{
	const char *gh = getenv("GITHUB_BASE_REF");

	if (!g->head_commit) {
		mlint_notes_add(notes, MLINT_NOTE_WARNING, "'%s' has no commit yet: git rules "
				"skipped", g->root);
		return MLINT_ENOTFOUND;
	}
	if (ref)
		return use_base(g, ref, notes, "--base");
	if (gh && *gh) {
		char name[512];
		snprintf(name, sizeof(name), "origin/%s", gh);
		return use_base(g, name, notes, "GITHUB_BASE_REF is set");
	}
	return default_base(g, notes);
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

int mlint_git_read_base_file(struct mlint_buf *out, const struct mlint_git *g, const char *rel)
{
	return read_tree_file(out, g->repo, g->base_tip_tree, rel);
}

static int base_config_one(const struct mlint_git *g, struct mlint_project *p,
			   struct mlint_scriptdir_config *d, struct mlint_notes *notes)
{
	struct mlint_buf text = MLINT_BUF_INIT;
	struct mlint_ini ini;
	char *rel = mlint_snapshot_repo_path(p, d->ini_path);
	int error;

	mlint_buf_init(&text, 0);
	mlint_ini_init(&ini);
	if (!rel) {
		error = mlint_notes_add(notes, MLINT_NOTE_WARNING, "CI: '%s' is outside the "
					"repository; config read from the working tree",
					d->ini_path);
		goto done;
	}
	if ((error = mlint_git_read_base_file(&text, g, rel)) == MLINT_ENOTFOUND) {
		error = mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "CI: '%s' is not in the base "
					"'%s'; config read from the working tree", rel,
					g->base_name);
		goto done;
	}
	if (error < 0 || (error = mlint_ini_parse(&ini, d->ini_path, text.ptr, text.len)) < 0)
		goto done;
	mlint_ini_release(&d->ini);
	d->ini = ini;
	mlint_ini_init(&ini);
	error = mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "CI: config read from the base: "
				"'%s:%s' (a pull request cannot loosen its own gate)",
				g->base_name, rel);
done:
	mlint_ini_release(&ini);
	mlint_buf_release(&text);
	free(rel);
	return error;
}

int mlint_git_use_base_config(const struct mlint_git *g, struct mlint_project *p,
			      struct mlint_notes *notes)
{
	int error = 0;
	for (size_t i = 0; i < p->nr_dirs && error == 0; i++)
		if (p->dirs[i].ini_path)
			error = base_config_one(g, p, &p->dirs[i], notes);
	return error;
}

/* ---- changed paths ------------------------------------------------------ */

static size_t changed_slot(const struct mlint_git *g, const char *path, int *found)
{
	size_t lo = 0, hi = g->nr_changed;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->changed[mid], path);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mlint_git_mark_changed(struct mlint_git *g, const char *path)
{
	int found;
	size_t at = changed_slot(g, path, &found);
	char *copy;

	if (found)
		return 0;
	if (!(copy = mlint_strdup(path)) ||
	    MLINT_ARRAY_GROW(g->changed, g->alloc_changed, g->nr_changed + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	memmove(g->changed + at + 1, g->changed + at, (g->nr_changed - at) * sizeof(char *));
	g->changed[at] = copy;
	g->nr_changed++;
	return 0;
}

int mlint_git_is_changed(const struct mlint_git *g, const char *path)
{
	int found;
	changed_slot(g, path, &found);
	return found;
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

static int tree_ini(struct mlint_ini *ini, char **dir_out, const struct mlint_git *g,
		    struct mlint_buf *text)
{
	static const char *const places[] = {"alembic.ini", "migrations/alembic.ini", NULL};
	static const char *const dirs[] = {"", "migrations"};

	for (size_t i = 0; places[i]; i++) {
		int error = read_tree_file(text, g->repo, g->head_tree, places[i]);
		if (error == MLINT_ENOTFOUND)
			continue;
		if (error < 0 || (error = mlint_ini_parse(ini, places[i], text->ptr, text->len)) < 0)
			return error;
		*dir_out = mlint_strdup(dirs[i]);
		return *dir_out ? 0 : MLINT_ERROR;
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
	const struct mlint_ini_entry *sl = mlint_ini_get(&d->ini, "alembic", "script_location");
	const struct mlint_ini_entry *vl = mlint_ini_get(&d->ini, "alembic", "version_locations");
	char *here = ini_dir[0] ? mlint_path_join(g->root, ini_dir) : mlint_strdup(g->root);
	int error = MLINT_ERROR;

	if (!here)
		return MLINT_ERROR;
	d->script_location = sl && sl->value[0] && strcmp(sl->value, "%(here)s") != 0
				     ? mlint_path_join(here, sl->value) : mlint_strdup(here);
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
			mlint_ini_get(&d->ini, "alembic", "recursive_version_locations");
		d->recursive = rec && strcmp(rec->value, "true") == 0;
	}
	error = 0;
done:
	free(here);
	return error;
}

int mlint_git_discover_tree(struct mlint_project *out, const struct mlint_git *g)
{
	struct mlint_scriptdir_config *d;
	struct mlint_buf text;
	char *ini_dir = NULL;
	int error;

	if (!g->head_tree)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' is a bare repository: pass --head REV",
					g->root);
	if (!(out->repo_root = mlint_strdup(g->root)) || !(out->base_dir = mlint_strdup(g->root)))
		return MLINT_ERROR;
	if (MLINT_ARRAY_GROW(out->dirs, out->alloc_dirs, 1) < 0)
		return MLINT_ERROR;
	d = &out->dirs[out->nr_dirs++];
	memset(d, 0, sizeof(*d));
	mlint_ini_init(&d->ini);
	mlint_buf_init(&text, 0);
	error = tree_ini(&d->ini, &ini_dir, g, &text);
	if (error == MLINT_ENOTFOUND) {
		mlint_ini_release(&d->ini);
		mlint_ini_init(&d->ini);
		error = (ini_dir = mlint_strdup("migrations")) ? 0 : MLINT_ERROR;
	} else if (error == 0) {
		d->ini_path = ini_dir[0] ? mlint_path_join(g->root, "migrations/alembic.ini")
					 : mlint_path_join(g->root, "alembic.ini");
	}
	if (error == 0)
		error = tree_locations(d, g, ini_dir);
	if (error == 0)
		d->display = mlint_project_display_path(out, d->script_location);
	mlint_buf_release(&text);
	free(ini_dir);
	return error;
}

void mlint_git_add_new_migrations(struct mlint_git *g, size_t n)
{
	g->new_migrations += n;
}

size_t mlint_git_new_migrations(const struct mlint_git *g)
{
	return g->new_migrations;
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

static void *prefetch_run(void *arg)
{
	struct mlint_git *g = arg;
	mlint_git_read_ahead(g, g->prefetch_paths, g->nr_prefetch_paths);
	return NULL;
}

static void free_prefetch_paths(struct mlint_git *g)
{
	for (size_t k = 0; k < g->nr_prefetch_paths; k++)
		free(g->prefetch_paths[k]);
	free(g->prefetch_paths);
	g->prefetch_paths = NULL;
	g->nr_prefetch_paths = 0;
}

void mlint_git_prefetch(struct mlint_git *g, char *const *locations, size_t nr)
{
	if (!g || g->prefetching || g->head != MLINT_GIT_HEAD_WORKTREE || !g->nr_applied ||
	    !(g->prefetch_paths = calloc(nr + 1, sizeof(char *))))
		return;
	for (size_t k = 0; k < nr; k++)
		if ((g->prefetch_paths[g->nr_prefetch_paths] = mlint_strdup(locations[k])) != NULL)
			g->nr_prefetch_paths++;
	if (pthread_create(&g->prefetcher, NULL, prefetch_run, g) == 0)
		g->prefetching = 1;
	else
		free_prefetch_paths(g);
}

void mlint_git_prefetch_wait(struct mlint_git *g)
{
	if (!g || !g->prefetching)
		return;
	pthread_join(g->prefetcher, NULL);
	g->prefetching = 0;
	free_prefetch_paths(g);
}
