/*
 * Git rules: edited-applied, cosmetic-edit, deleted-applied (a diff of each
 * applied tree against the head, restricted to the version locations: only
 * the files it names are read from the base) and stale-base (the graph of
 * the base tip's migrations plus the head's).
 */
#include <stdio.h>
#include <string.h>
#include <git2.h>
#include "mlint/buf.h"
#include "mlint/check.h"
#include "mlint/change_set.h"
#include "mlint/git.h"
#include "mlint/pyscan.h"
#include "mlint/rules.h"
#include "mlint/snapshot.h"
#include "diff_hint.h"
#include "util.h"

#define COMMITS_MAX 3

/* A migration as it is in a base tree. */
struct old_file {
	char *path;
	char *bytes;
	size_t len;
	struct mlint_migration m;
};

struct git_run {
	const struct mlint_git *g;
	struct mlint_change_set *change;
	const struct mlint_project *p;
	const struct mlint_scriptdir *sd;
	struct mlint_findings *out;
	char **locations; /* relative to the repository root */
	size_t nr_locations;
	const char *applied_name;
	struct old_file *olds; /* old sides of the merge base's diff */
	size_t nr_olds, alloc_olds;
	char **done_revs;      /* revisions already judged */
	size_t nr_done, alloc_done;
};

static void old_file_release(struct old_file *o)
{
	free(o->path);
	free(o->bytes);
	mlint_migration_release(&o->m);
}

static void run_release(struct git_run *r)
{
	for (size_t i = 0; i < r->nr_locations; i++)
		free(r->locations[i]);
	free(r->locations);
	for (size_t i = 0; i < r->nr_olds; i++)
		old_file_release(&r->olds[i]);
	free(r->olds);
	for (size_t i = 0; i < r->nr_done; i++)
		free(r->done_revs[i]);
	free(r->done_revs);
}

static int git_error_here(const char *what)
{
	const git_error *e = git_error_last();
	return mlint_error_set("%s: %s", what, e && e->message ? e->message : "unknown error");
}

static int run_locations(struct git_run *r)
{
	const struct mlint_scriptdir_config *d = r->sd->config;

	if (!(r->locations = calloc(d->nr_locations + 1, sizeof(char *))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < d->nr_locations; i++) {
		char *rel = mlint_snapshot_repo_path(r->p, d->version_locations[i]);
		if (!rel)
			return MLINT_ERROR;
		r->locations[r->nr_locations++] = rel;
	}
	return 0;
}

/* ---- diffs ------------------------------------------------------------- */

/* Diff of `from` against what is linted, limited to `specs` (NULL: all). */
static int diff_head(git_diff **out, const struct mlint_git *g, const git_tree *from,
		     char **specs, size_t nr, int literal)
{
	git_diff_options o;
	git_repository *repo = mlint_git_repository(g);
	int rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.pathspec.strings = specs;
	o.pathspec.count = nr;
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		  GIT_DIFF_INCLUDE_IGNORED | GIT_DIFF_SKIP_BINARY_CHECK;
	if (literal)
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	switch (mlint_git_head_kind(g)) {
	case MLINT_GIT_HEAD_REV:
		rc = git_diff_tree_to_tree(out, repo, (git_tree *)from,
					   (git_tree *)mlint_git_head_tree(g), &o);
		break;
	case MLINT_GIT_HEAD_INDEX:
		rc = git_diff_tree_to_index(out, repo, (git_tree *)from, NULL, &o);
		break;
	default:
		rc = git_diff_tree_to_workdir_with_index(out, repo, (git_tree *)from, &o);
		break;
	}
	return rc < 0 ? git_error_here("cannot compare with the base") : 0;
}

/* The version locations as literal directory pathspecs ("dir/"). */
static int location_specs(char ***out, size_t *nr, const struct git_run *r)
{
	*nr = 0;
	if (!(*out = calloc(r->nr_locations + 1, sizeof(char *))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < r->nr_locations; i++) {
		if (!r->locations[i][0]) { /* the root: no restriction */
			*nr = 0;
			return 0;
		}
		if (!((*out)[(*nr)++] = mlint_path_join(r->locations[i], "")))
			return MLINT_ERROR;
	}
	return 0;
}

static void free_specs(char **specs)
{
	for (size_t i = 0; specs && specs[i]; i++)
		free(specs[i]);
	free(specs);
}

static int has_old_side(git_delta_t s)
{
	return s == GIT_DELTA_MODIFIED || s == GIT_DELTA_DELETED || s == GIT_DELTA_RENAMED ||
	       s == GIT_DELTA_TYPECHANGE;
}

static int has_new_side(git_delta_t s)
{
	return s != GIT_DELTA_DELETED && s != GIT_DELTA_UNMODIFIED && s != GIT_DELTA_UNREADABLE;
}

static int in_run(const struct git_run *r, const char *path)
{
	return mlint_snapshot_in_locations(path, r->locations, r->nr_locations,
					   r->sd->config->recursive);
}

static int read_blob(char **bytes, size_t *len, git_repository *repo, const git_oid *id)
{
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, repo, id) < 0)
		return git_error_here("cannot read a blob of the base");
	*len = (size_t)git_blob_rawsize(blob);
	if ((*bytes = malloc(*len + 1))) {
		memcpy(*bytes, git_blob_rawcontent(blob), *len);
		(*bytes)[*len] = '\0';
	}
	git_blob_free(blob);
	return *bytes ? 0 : mlint_error_set("out of memory");
}

/* Reads and scans the blob of a base file into a new old_file. */
static int load_old(struct old_file *o, git_repository *repo, const char *path,
		    const git_oid *id)
{
	memset(o, 0, sizeof(*o));
	mlint_migration_init(&o->m);
	if (!(o->path = mlint_strdup(path)) || read_blob(&o->bytes, &o->len, repo, id) < 0)
		return MLINT_ERROR;
	return mlint_migration_scan_with(&o->m, o->bytes, o->len, MLINT_SCAN_NO_CALLS);
}

/* ---- comparisons --------------------------------------------------------- */

/* Next token that is not a comment or a non-logical line end. */
static int next_code_token(struct mlint_pyscan *s, struct mlint_token *t)
{
	do {
		if (mlint_pyscan_next(s, t) < 0)
			return MLINT_ERROR;
	} while (t->kind == MLINT_TOK_COMMENT || t->kind == MLINT_TOK_NL);
	return 0;
}

static int same_token(const char *a, const struct mlint_token *x, const char *b,
		      const struct mlint_token *y)
{
	char *va, *vb;
	int same;
	const unsigned kinds = MLINT_STR_BYTES | MLINT_STR_FORMAT;

	if (x->kind != y->kind)
		return 0;
	if (x->kind == MLINT_TOK_INDENT || x->kind == MLINT_TOK_DEDENT ||
	    x->kind == MLINT_TOK_NEWLINE || x->kind == MLINT_TOK_ENDMARKER)
		return 1;
	if (x->kind != MLINT_TOK_STRING)
		return x->len == y->len && memcmp(a + x->off, b + y->off, x->len) == 0;
	if ((x->flags & kinds) != (y->flags & kinds))
		return 0;
	va = mlint_pyscan_string_value(a, x);
	vb = mlint_pyscan_string_value(b, y);
	same = va && vb && strcmp(va, vb) == 0;
	free(va);
	free(vb);
	return same;
}

/* The tokens that make a file's code: no comments or non-logical line ends,
 * and no statement that is only a string (a docstring, or a string used
 * as a comment; not an f-string, whose fields run): it does nothing when
 * the migration runs. */
struct code_tokens {
	struct mlint_token *items;
	size_t nr, alloc;
	size_t line_start; /* where the current logical line's tokens begin */
};

static int all_strings(const struct code_tokens *c)
{
	if (c->line_start == c->nr)
		return 0;
	for (size_t i = c->line_start; i < c->nr; i++)
		if (c->items[i].kind != MLINT_TOK_STRING ||
		    (c->items[i].flags & MLINT_STR_FORMAT)) /* f"{call()}" runs the call */
			return 0;
	return 1;
}

static int read_code_tokens(struct code_tokens *c, const char *src, size_t len)
{
	struct mlint_pyscan s;
	struct mlint_token t;
	int error = 0;

	mlint_pyscan_init(&s, src, len);
	do {
		if ((error = next_code_token(&s, &t)) < 0)
			break;
		if (t.kind == MLINT_TOK_NEWLINE && all_strings(c)) {
			c->nr = c->line_start; /* a string statement: dropped */
			continue;
		}
		if (MLINT_ARRAY_GROW(c->items, c->alloc, c->nr + 1) < 0) {
			error = MLINT_ERROR;
			break;
		}
		c->items[c->nr++] = t;
		if (t.kind == MLINT_TOK_NEWLINE || t.kind == MLINT_TOK_INDENT ||
		    t.kind == MLINT_TOK_DEDENT)
			c->line_start = c->nr;
	} while (t.kind != MLINT_TOK_ENDMARKER);
	mlint_pyscan_release(&s);
	return error;
}

/* 1 when both run the same code (quote style, comments, line breaks and
 * docstrings aside), 0 when not, -1 when out of memory. */
static int same_tokens(const char *a, size_t al, const char *b, size_t bl)
{
	struct code_tokens ta = {NULL, 0, 0, 0}, tb = {NULL, 0, 0, 0};
	int same = 0, error;

	if ((error = read_code_tokens(&ta, a, al)) == 0 &&
	    (error = read_code_tokens(&tb, b, bl)) == 0 && ta.nr == tb.nr) {
		same = 1;
		for (size_t i = 0; same && i < ta.nr; i++)
			same = same_token(a, &ta.items[i], b, &tb.items[i]);
	}
	free(ta.items);
	free(tb.items);
	return error < 0 ? error : same;
}

struct line_stats {
	unsigned first;
	size_t added, deleted;
};

static int count_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
		      void *payload)
{
	struct line_stats *st = payload;
	(void)d;
	if (l->origin == GIT_DIFF_LINE_ADDITION) {
		st->added++;
		if (!st->first)
			st->first = (unsigned)l->new_lineno;
	} else if (l->origin == GIT_DIFF_LINE_DELETION) {
		st->deleted++;
		if (!st->first)
			st->first = (unsigned)(h->new_start + (h->new_lines == 0 ? 1 : 0));
	}
	return 0;
}

static int line_stats(struct line_stats *st, const struct old_file *o,
		      const struct mlint_script *s)
{
	git_diff_options opts;
	size_t len;
	const char *src = mlint_script_source(s, &len);

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	memset(st, 0, sizeof(*st));
	opts.context_lines = 0;
	opts.flags = GIT_DIFF_FORCE_TEXT;
	if (git_diff_buffers(o->bytes, o->len, o->path, src, len, s->path, &opts,
			     NULL, NULL, NULL, count_line, st) < 0)
		return git_error_here("cannot compare two versions of a migration");
	if (!st->first)
		st->first = 1;
	return 0;
}

/* ---- edited-applied, cosmetic-edit, deleted-applied --------------------- */

/* Line `line` of `s`, the caret under its first character, not its indentation. */
static struct mlint_location line_of(const struct mlint_script *s, unsigned line)
{
	struct mlint_location loc = {s->path, line, 1, mlint_migration_revision(&s->m), NULL, 0};
	size_t indent = 0, len = 0;
	const char *text = mlint_script_line(s, line, &len);

	while (text && indent < len && (text[indent] == ' ' || text[indent] == '\t'))
		indent++;
	if (text && (indent == len || text[indent] == '\n' || text[indent] == '\r'))
		indent = 0;
	loc.col = (unsigned)indent + 1;
	loc.excerpt = text;
	loc.excerpt_len = len;
	return loc;
}

static int add_finding_at(struct git_run *r, const char *rule, const struct mlint_script *s,
			  unsigned line, const char *message)
{
	struct mlint_location loc = line_of(s, line);
	return mlint_findings_addf(r->out, mlint_rule_find(rule), &loc, "%s", message);
}

static int report_deleted(struct git_run *r, const struct old_file *o, const char *rev)
{
	const char *line = o->bytes;
	struct mlint_location loc = {o->path, o->m.revision.line ? o->m.revision.line : 1,
				     o->m.revision.col, rev, NULL, 0};

	for (unsigned l = 1; l < loc.line && line; l++)
		if ((line = strchr(line, '\n')))
			line++;
	loc.excerpt = line;
	loc.excerpt_len = line ? strcspn(line, "\n") : 0;
	return mlint_findings_addf(r->out, mlint_rule_find("deleted-applied"), &loc,
				   "migration '%s' is applied (present in '%s') but was deleted: "
				   "databases that ran it still record it and Alembic will fail on "
				   "them with \"Can't locate revision\"; restore the file "
				   "(git checkout %s -- %s)", rev, r->applied_name, r->applied_name,
				   o->path);
}

static int report_edited(struct git_run *r, const struct old_file *o,
			 const struct mlint_script *s, const char *rev)
{
	struct line_stats st;
	struct mlint_buf msg, commits;
	size_t len;
	const char *src = mlint_script_source(s, &len);
	int error;

	mlint_buf_init(&msg, 0);
	mlint_buf_init(&commits, 0);
	if ((error = line_stats(&st, o, s)) < 0)
		goto done;
	error = mlint_git_describe_changes(&commits, r->g, s->path,
					   strcmp(o->path, s->path) ? o->path : NULL, src, len,
					   COMMITS_MAX);
	if (error < 0)
		goto done;
	mlint_buf_printf(&msg, "migration '%s' is applied (present in '%s') but its code "
			 "changed: %zu line%s changed (+%zu -%zu)", rev, r->applied_name,
			 st.added > st.deleted ? st.added : st.deleted,
			 (st.added > st.deleted ? st.added : st.deleted) == 1 ? "" : "s",
			 st.added, st.deleted);
	if (strcmp(o->path, s->path) != 0)
		mlint_buf_printf(&msg, ", renamed from '%s'", o->path);
	if (commits.len)
		mlint_buf_printf(&msg, ", in %s", commits.ptr);
	mlint_buf_puts(&msg, "; databases that ran it never run the new code: revert the edit "
			 "and put the change in a new migration");
	error = msg.len ? add_finding_at(r, "edited-applied", s, st.first, msg.ptr) : MLINT_ERROR;
done:
	mlint_buf_release(&msg);
	mlint_buf_release(&commits);
	return error;
}

static int report_cosmetic(struct git_run *r, const struct old_file *o,
			   const struct mlint_script *s, const char *rev)
{
	struct line_stats st;
	struct mlint_location loc;
	size_t n;

	if (line_stats(&st, o, s) < 0)
		return MLINT_ERROR;
	loc = line_of(s, st.first);
	n = st.added > st.deleted ? st.added : st.deleted;
	return mlint_findings_addf(r->out, mlint_rule_find("cosmetic-edit"), &loc,
				   "migration '%s' is applied (present in '%s') and changed only in "
				   "comments, whitespace, line breaks or quote style (%zu line%s): "
				   "harmless to the database", rev, r->applied_name, n,
				   n == 1 ? "" : "s");
}

static int judged_before(struct git_run *r, const char *rev)
{
	char *copy;
	for (size_t i = 0; i < r->nr_done; i++)
		if (strcmp(r->done_revs[i], rev) == 0)
			return 1;
	if (!(copy = mlint_strdup(rev)) ||
	    MLINT_ARRAY_GROW(r->done_revs, r->alloc_done, r->nr_done + 1) < 0) {
		free(copy);
		return -1;
	}
	r->done_revs[r->nr_done++] = copy;
	return 0;
}

/* A base file that the head changed, renamed or deleted: judge it by revision. */
static int judge_old(struct git_run *r, const struct old_file *o)
{
	const char *rev = mlint_migration_revision(&o->m);
	const struct mlint_script *s;
	const char *src;
	size_t len;
	size_t node;
	int seen, same;

	if (!rev || (seen = judged_before(r, rev)) > 0)
		return 0;
	if (seen < 0)
		return MLINT_ERROR;
	if ((node = mlint_graph_find(&r->sd->graph, rev)) == (size_t)-1) {
		if (mlint_git_other_parent_lacks(r->g, o->path))
			return 0; /* the merged branch removed it */
		if (mlint_path_list_add(&r->change->deleted, o->path) < 0)
			return MLINT_ERROR;
		return report_deleted(r, o, rev);
	}
	s = mlint_scriptdir_node_script(r->sd, node);
	if (strcmp(s->path, o->path) != 0 &&
	    mlint_change_set_add_rename(r->change, o->path, s->path) < 0)
		return MLINT_ERROR;
	if (!(src = mlint_script_source(s, &len)) ||
	    (len == o->len && memcmp(src, o->bytes, o->len) == 0))
		return 0; /* a pure rename (or a file that changed since: an error later) */
	if (mlint_git_other_parent_has(r->g, s->path, src, len))
		return 0; /* as the merged branch has it: not this change's edit */
	if ((same = same_tokens(o->bytes, o->len, src, len)) < 0 ||
	    mlint_path_list_add(&r->change->changed, s->path) < 0)
		return MLINT_ERROR;
	if (!same)
		return report_edited(r, o, s, rev);
	/* It runs as before: not part of the change for --new-only (a
	 * reformat of every migration must not judge them all again). */
	mlint_path_list_remove(&r->change->paths, s->path);
	return report_cosmetic(r, o, s, rev);
}

static int keep_old(struct git_run *r, struct old_file *o)
{
	if (MLINT_ARRAY_GROW(r->olds, r->alloc_olds, r->nr_olds + 1) < 0)
		return MLINT_ERROR;
	r->olds[r->nr_olds++] = *o;
	return 0;
}

static const struct mlint_script *script_at(const struct mlint_scriptdir *sd, const char *path)
{
	size_t i = mlint_scriptdir_find(sd, path);
	return i == (size_t)-1 ? NULL : &sd->scripts[i];
}

/* A merge in progress: the file is as MERGE_HEAD has it, so the merged
 * branch brought it; it is not this change's. */
static int brought_by_merge(const struct git_run *r, const char *path)
{
	const struct mlint_script *s = script_at(r->sd, path);
	size_t len;
	const char *src = s ? mlint_script_source(s, &len) : NULL;
	return src && mlint_git_other_parent_has(r->g, path, src, len);
}

static int is_changed(const struct git_run *r, const char *path)
{
	return mlint_path_list_has(&r->change->paths, path);
}

static int visit_delta(struct git_run *r, const git_diff_delta *dl, int is_merge_base)
{
	struct old_file o;
	int error;

	if (is_merge_base && (dl->status == GIT_DELTA_ADDED || dl->status == GIT_DELTA_UNTRACKED) &&
	    in_run(r, dl->new_file.path))
		r->change->added_files++;
	if (is_merge_base && has_new_side(dl->status) && in_run(r, dl->new_file.path) &&
	    !brought_by_merge(r, dl->new_file.path) &&
	    (error = mlint_path_list_add(&r->change->paths, dl->new_file.path)) < 0)
		return error;
	if (!has_old_side(dl->status) || !in_run(r, dl->old_file.path) ||
	    (dl->old_file.mode != GIT_FILEMODE_BLOB &&
	     dl->old_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE))
		return 0;
	if (dl->status == GIT_DELTA_DELETED && mlint_git_not_checked_out(r->g, dl->old_file.path))
		return 0; /* left out of a sparse checkout, not deleted */
	if ((error = load_old(&o, mlint_git_repository(r->g), dl->old_file.path,
			      &dl->old_file.id)) < 0 ||
	    (error = judge_old(r, &o)) < 0 || !is_merge_base) {
		old_file_release(&o);
		return error;
	}
	if ((error = keep_old(r, &o)) < 0)
		old_file_release(&o);
	return error;
}

/* The hint's key for comparing `tree` over the version locations `specs`. */
static int hint_key(struct mlint_buf *key, const git_tree *tree, char **specs, size_t nr)
{
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	git_oid_tostr(hex, sizeof(hex), git_tree_id(tree));
	error = mlint_buf_puts(key, hex);
	for (size_t k = 0; k < nr && error == 0; k++)
		error = mlint_buf_putc(key, '\n') | mlint_buf_puts(key, specs[k]);
	return error;
}

/* The working tree's cache knows which paths may differ from `tree`
 * (diff_hint.h): 1 and those paths in `only`, 0 when all must be compared. */
static int hinted_paths(struct git_run *r, const char *key, struct mlint_path_list *only)
{
	const struct mlint_project *p = r->p;

	memset(only, 0, sizeof(*only));
	if (!r->sd->diff_hint || mlint_git_head_kind(r->g) != MLINT_GIT_HEAD_WORKTREE ||
	    !p->repo_root || !p->base_dir || strcmp(p->repo_root, p->base_dir) != 0)
		return 0;
	return mlint_diff_hint_paths(r->sd->diff_hint, key, only);
}

/* Every path that differed goes to the hint the next run reads. */
static int note_differs(struct git_run *r, const git_diff_delta *dl)
{
	struct mlint_diff_hint *h = r->sd->diff_hint;

	if (!h || mlint_git_head_kind(r->g) != MLINT_GIT_HEAD_WORKTREE)
		return 0;
	if (dl->old_file.path && mlint_diff_hint_differs(h, dl->old_file.path) < 0)
		return MLINT_ERROR;
	return dl->new_file.path ? mlint_diff_hint_differs(h, dl->new_file.path) : 0;
}

static int compare_applied(struct git_run *r, size_t i)
{
	const git_tree *tree = mlint_git_applied_tree(r->g, i, &r->applied_name);
	struct mlint_path_list only;
	struct mlint_buf key;
	git_diff *diff = NULL;
	char **specs = NULL;
	size_t nr_specs;
	int error, hinted = 0;

	mlint_buf_init(&key, 0);
	memset(&only, 0, sizeof(only));
	if ((error = location_specs(&specs, &nr_specs, r)) < 0 ||
	    (error = hint_key(&key, tree, specs, nr_specs)) < 0 ||
	    (error = hinted = hinted_paths(r, key.ptr, &only)) < 0 ||
	    (r->sd->diff_hint && (error = mlint_diff_hint_begin(r->sd->diff_hint, key.ptr)) < 0))
		goto done;
	if (hinted && only.nr == 0)
		goto done; /* nothing can differ */
	if ((error = hinted ? diff_head(&diff, r->g, tree, only.items, only.nr, 1)
			    : diff_head(&diff, r->g, tree, specs, nr_specs, 1)) < 0)
		goto done;
	for (size_t k = 0, n = git_diff_num_deltas(diff); k < n && error == 0; k++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, k);
		if ((error = note_differs(r, dl)) == 0)
			error = visit_delta(r, dl, i == 0 && mlint_git_has_base(r->g));
	}
done:
	git_diff_free(diff);
	free_specs(specs);
	mlint_path_list_release(&only);
	mlint_buf_release(&key);
	return error;
}

/* ---- stale-base ------------------------------------------------------------ */

static void value_items(const struct mlint_value *v, const char *const **items, size_t *nr)
{
	*items = NULL;
	*nr = 0;
	if (v->kind == MLINT_VAL_STR || v->kind == MLINT_VAL_SEQ || v->kind == MLINT_VAL_EXPR) {
		*items = (const char *const *)v->items;
		*nr = v->nr;
	}
}

static int input_of(struct mlint_graph_input *in, const struct mlint_migration *m, size_t tag)
{
	if (!mlint_migration_has_revision(m))
		return 0;
	memset(in, 0, sizeof(*in));
	in->revision = mlint_migration_revision(m);
	in->tag = tag;
	value_items(&m->down_revision, &in->down, &in->nr_down);
	if (m->down_revision.kind == MLINT_VAL_EXPR)
		in->nr_down = 0;
	value_items(&m->depends_on, &in->depends, &in->nr_depends);
	value_items(&m->branch_labels, &in->labels, &in->nr_labels);
	return 1;
}

struct tip_state {
	struct old_file *added;  /* new sides of merge base -> base tip */
	size_t nr_added, alloc_added;
	char **gone;             /* old sides of merge base -> base tip */
	size_t nr_gone, alloc_gone;
};

static void tip_release(struct tip_state *t)
{
	for (size_t i = 0; i < t->nr_added; i++)
		old_file_release(&t->added[i]);
	free(t->added);
	for (size_t i = 0; i < t->nr_gone; i++)
		free(t->gone[i]);
	free(t->gone);
}

static int tip_gone(const struct tip_state *t, const char *path)
{
	for (size_t i = 0; i < t->nr_gone; i++)
		if (strcmp(t->gone[i], path) == 0)
			return 1;
	return 0;
}

static int tip_delta(struct git_run *r, struct tip_state *t, const git_diff_delta *dl)
{
	if (has_old_side(dl->status) && in_run(r, dl->old_file.path)) {
		char *copy = mlint_strdup(dl->old_file.path);
		if (!copy || MLINT_ARRAY_GROW(t->gone, t->alloc_gone, t->nr_gone + 1) < 0) {
			free(copy);
			return MLINT_ERROR;
		}
		t->gone[t->nr_gone++] = copy;
	}
	if (has_new_side(dl->status) && in_run(r, dl->new_file.path) &&
	    dl->new_file.mode != GIT_FILEMODE_COMMIT && dl->new_file.mode != GIT_FILEMODE_LINK) {
		struct old_file o;
		if (MLINT_ARRAY_GROW(t->added, t->alloc_added, t->nr_added + 1) < 0)
			return MLINT_ERROR;
		if (load_old(&o, mlint_git_repository(r->g), dl->new_file.path,
			     &dl->new_file.id) < 0) {
			old_file_release(&o);
			return MLINT_ERROR;
		}
		t->added[t->nr_added++] = o;
	}
	return 0;
}

/* What the base branch changed in the version locations since the merge base. */
static int tip_changes(struct git_run *r, struct tip_state *t)
{
	git_diff_options o;
	git_diff *diff = NULL;
	char **specs = NULL;
	size_t nr;
	int error;

	const git_tree *from = mlint_git_applied_tree(r->g, 0, NULL);
	const git_tree *to = mlint_git_base_tip_tree(r->g);

	/* A branch made from the base's tip: the same tree, nothing to read
	 * (the version directory's tree alone can be half a megabyte). */
	if (from && to && git_oid_equal(git_tree_id(from), git_tree_id(to)))
		return 0;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if ((error = location_specs(&specs, &nr, r)) < 0)
		goto done;
	o.pathspec.strings = specs;
	o.pathspec.count = nr;
	o.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH | GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, mlint_git_repository(r->g), (git_tree *)from,
				  (git_tree *)to, &o) < 0) {
		error = git_error_here("cannot compare the base with the merge base");
		goto done;
	}
	for (size_t k = 0, n = git_diff_num_deltas(diff); k < n && error == 0; k++)
		error = tip_delta(r, t, git_diff_get_delta(diff, k));
done:
	git_diff_free(diff);
	free_specs(specs);
	return error;
}

/* Inputs of the base tip's graph: the merge base's files it kept, and its new ones. */
static int tip_inputs(struct mlint_graph_input **out, size_t *nr, const struct git_run *r,
		      const struct tip_state *t)
{
	const struct mlint_scriptdir *sd = r->sd;
	size_t n = 0;

	*out = calloc(sd->nr_scripts + r->nr_olds + t->nr_added + 1, sizeof(**out));
	if (!*out)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		if (s->is_migration && !is_changed(r, s->path) && !tip_gone(t, s->path))
			n += (size_t)input_of(&(*out)[n], &s->m, i);
	}
	for (size_t i = 0; i < r->nr_olds; i++)
		if (!tip_gone(t, r->olds[i].path))
			n += (size_t)input_of(&(*out)[n], &r->olds[i].m, (size_t)-1);
	for (size_t i = 0; i < t->nr_added; i++)
		n += (size_t)input_of(&(*out)[n], &t->added[i].m, (size_t)-1);
	*nr = n;
	return 0;
}

static int is_old_revision(const struct git_run *r, const char *rev)
{
	for (size_t i = 0; i < r->nr_olds; i++) {
		const char *o = mlint_migration_revision(&r->olds[i].m);
		if (o && strcmp(o, rev) == 0)
			return 1;
	}
	return 0;
}

/* Flask-Migrate's alembic.ini has no script_location: `alembic merge` fails
 * there, `flask db merge` works. */
static const char *merge_command(const struct git_run *r)
{
	return mlint_scriptdir_is_flask(r->sd->config) ? "flask db merge" : "alembic merge";
}

/* A migration the branch adds: in a changed file, with a revision the base lacks. */
static int is_new(const struct git_run *r, const struct mlint_graph_input *in)
{
	return is_changed(r, r->sd->scripts[in->tag].path) && !is_old_revision(r, in->revision);
}

/* The graph after merging: the base tip's migrations and the branch's new ones. */
static int merged_inputs(struct mlint_graph_input **out, size_t *nr, const struct git_run *r,
			 const struct mlint_graph_input *tip, size_t nr_tip,
			 const struct mlint_graph *tipg)
{
	const struct mlint_scriptdir *sd = r->sd;
	size_t n = nr_tip;

	if (!(*out = calloc(sd->nr_inputs + nr_tip + 1, sizeof(**out))))
		return mlint_error_set("out of memory");
	memcpy(*out, tip, nr_tip * sizeof(**out));
	for (size_t i = 0; i < sd->nr_inputs; i++)
		if (is_new(r, &sd->inputs[i]) &&
		    mlint_graph_find(tipg, sd->inputs[i].revision) == (size_t)-1)
			(*out)[n++] = sd->inputs[i];
	*nr = n;
	return 0;
}

static int stale_message(struct mlint_buf *msg, const struct git_run *r, const char *rev,
			 const char *parent, const struct mlint_graph *tip)
{
	const char *head = tip->nr_heads ? tip->nodes[tip->heads[0]].revision : "?";

	const char *base = mlint_git_base_name(r->g);

	mlint_buf_printf(msg, "migration '%s' was written on '%s', but '%s' has moved on: ", rev,
			 parent, base);
	if (tip->nr_heads == 1)
		mlint_buf_printf(msg, "its head is now '%s', so merging makes two heads; first "
				 "merge or rebase on '%s' (git rebase %s), then set down_revision = "
				 "'%s' in this migration (and its Revises: line), or merge the "
				 "heads: %s -m \"merge heads\" %s %s", head, base, base, head,
				 merge_command(r), head, rev);
	else
		mlint_buf_printf(msg, "it has %zu heads (the first '%s'); merge or rebase on '%s' "
				 "and merge its heads first", tip->nr_heads, head, base);
	return msg->len ? 0 : MLINT_ERROR;
}

/* The branch's first migrations: new, with a parent that is not new. */
static int report_stale(struct git_run *r, const struct mlint_graph *tip)
{
	const struct mlint_scriptdir *sd = r->sd;
	struct mlint_buf msg;
	int error = 0;

	mlint_buf_init(&msg, 0);
	for (size_t i = 0; i < sd->nr_inputs && error == 0; i++) {
		const struct mlint_graph_input *in = &sd->inputs[i];
		const struct mlint_script *s = &sd->scripts[in->tag];
		if (!is_changed(r, s->path) || mlint_graph_find(tip, in->revision) !=
		    (size_t)-1 || is_old_revision(r, in->revision))
			continue;
		for (size_t k = 0; k < in->nr_down && error == 0; k++) {
			size_t pn = mlint_graph_find(&sd->graph, in->down[k]);
			const char *prev = pn == (size_t)-1 ? NULL
				: mlint_scriptdir_node_script(sd, pn)->path;
			if (prev && is_changed(r, prev) && !is_old_revision(r, in->down[k]))
				continue; /* its parent is new on the branch too (by revision
					   * id: a renamed file of the base is not new) */
			mlint_buf_clear(&msg);
			if ((error = stale_message(&msg, r, in->revision, in->down[k], tip)) == 0)
				error = add_finding_at(r, "stale-base", s, s->m.down_revision.line,
						       msg.ptr);
			break;
		}
	}
	mlint_buf_release(&msg);
	return error;
}

/* A new migration whose parent the head has but the merge would not: the
 * base removed or renamed it since the branch started. */
static int report_dangling(struct git_run *r, const struct mlint_graph *merged,
			   const struct mlint_graph *tip)
{
	const struct mlint_scriptdir *sd = r->sd;
	const char *base = mlint_git_base_name(r->g);
	const char *head = tip->nr_heads ? tip->nodes[tip->heads[0]].revision : "?";
	struct mlint_buf msg;
	int error = 0;

	mlint_buf_init(&msg, 0);
	for (size_t i = 0; i < sd->nr_inputs && error == 0; i++) {
		const struct mlint_graph_input *in = &sd->inputs[i];
		const struct mlint_script *s = &sd->scripts[in->tag];
		if (!is_new(r, in))
			continue;
		for (size_t k = 0; k < in->nr_down && error == 0; k++) {
			if (mlint_graph_find(merged, in->down[k]) != (size_t)-1 ||
			    mlint_graph_find(&sd->graph, in->down[k]) == (size_t)-1)
				continue; /* there after the merge, or missing-parent already */
			mlint_buf_clear(&msg);
			mlint_buf_printf(&msg, "migration '%s' revises '%s', which '%s' no longer has "
					 "(removed or renamed since this branch started): after the "
					 "merge its down_revision points at nothing; merge or rebase on "
					 "'%s' first, then set down_revision = '%s'", in->revision,
					 in->down[k], base, base, head);
			error = msg.len ? add_finding_at(r, "stale-base", s, s->m.down_revision.line,
							 msg.ptr) : MLINT_ERROR;
		}
	}
	mlint_buf_release(&msg);
	return error;
}

static int check_stale(struct git_run *r)
{
	struct tip_state t = {0};
	struct mlint_graph_input *tip_in = NULL, *all_in = NULL;
	struct mlint_graph tip, all;
	size_t nr_tip = 0, nr_all = 0;
	int error;

	mlint_graph_init(&tip);
	mlint_graph_init(&all);
	if ((error = tip_changes(r, &t)) < 0 || (t.nr_added == 0 && t.nr_gone == 0))
		goto done; /* the base did not move: nothing can go stale */
	if ((error = tip_inputs(&tip_in, &nr_tip, r, &t)) < 0 ||
	    (error = mlint_graph_build(&tip, tip_in, nr_tip)) < 0 ||
	    (error = merged_inputs(&all_in, &nr_all, r, tip_in, nr_tip, &tip)) < 0 ||
	    (error = mlint_graph_build(&all, all_in, nr_all)) < 0)
		goto done;
	if (all.nr_heads > tip.nr_heads)
		error = report_stale(r, &tip);
	if (error == 0)
		error = report_dangling(r, &all, &tip);
done:
	mlint_graph_release(&tip);
	mlint_graph_release(&all);
	free(tip_in);
	free(all_in);
	tip_release(&t);
	return error;
}

/* Head migrations in changed files whose revision the merge base lacks. */
static int list_added(struct git_run *r)
{
	int error = 0;
	for (size_t i = 0; i < r->sd->nr_inputs && error == 0; i++)
		if (is_new(r, &r->sd->inputs[i]))
			error = mlint_path_list_add(&r->change->added,
						    r->sd->scripts[r->sd->inputs[i].tag].path);
	return error;
}

int mlint_check_git(const struct mlint_git *g, const struct mlint_project *p,
		    const struct mlint_scriptdir *sd, struct mlint_change_set *change,
		    struct mlint_findings *out)
{
	struct git_run r;
	int error;

	memset(&r, 0, sizeof(r));
	r.g = g;
	r.p = p;
	r.sd = sd;
	r.change = change;
	r.out = out;
	if (!mlint_git_has_base(g) && mlint_git_applied_count(g) == 0)
		return 0;
	if ((error = run_locations(&r)) < 0)
		goto done;
	for (size_t i = 0; i < mlint_git_applied_count(g) && error == 0; i++)
		error = compare_applied(&r, i);
	if (error == 0 && mlint_git_has_base(g))
		error = check_stale(&r);
	if (error == 0 && mlint_git_has_base(g))
		error = list_added(&r);
	if (mlint_git_has_base(g))
		change->known = 1;
done:
	run_release(&r);
	return error;
}

/* ---- --new-only ----------------------------------------------------------- */

static int keep_new(void *ctx, const struct mlint_finding *x)
{
	const struct mlint_change_set *change = ctx;
	const struct mlint_rule *rule = mlint_rule_find(x->rule);
	if (rule && (strcmp(rule->scope, "graph") == 0 || strcmp(rule->scope, "git") == 0))
		return 1;
	return mlint_path_list_has(&change->paths, x->path);
}

void mlint_check_new_only(const struct mlint_change_set *change, struct mlint_findings *f)
{
	if (change->known)
		mlint_findings_filter(f, keep_new, (void *)change);
}
