#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mlint/buf.h"
#include "mlint/cache.h"
#include "mlint/check.h"
#include "mlint/scriptdir.h"
#include "mlint/snapshot.h"
#include "arena.h"
#include "diff_hint.h"
#include "util.h"

/* One arena of kept sources per scanning thread: no locking, and big blocks
 * instead of a malloc per file (with two threads, glibc grew each thread's
 * heap a page at a time: ~2,500 mprotect calls for 10,000 files). */
#define SOURCE_BLOCK (1024 * 1024)
_Static_assert(MLINT_SCAN_SLOTS >= MLINT_MAX_THREADS, "one source arena per thread");

/* Deferred blobs of a git load (snapshot.h): read from the repository
 * when a rule asks for a script's bytes, until the run lets it go. */
struct mlint_blob_source {
	struct git_repository *repo;    /* borrowed; NULL once forgotten */
	const struct mlint_script *first; /* sd->scripts */
	unsigned char (*ids)[20];         /* per script */
};

static void blob_source_free(struct mlint_blob_source *b)
{
	if (b)
		free(b->ids);
	free(b);
}

void mlint_scriptdir_forget_repository(struct mlint_scriptdir *sd)
{
	if (sd->blobs)
		sd->blobs->repo = NULL;
}

void mlint_scriptdir_init(struct mlint_scriptdir *sd)
{
	memset(sd, 0, sizeof(*sd));
	mlint_graph_init(&sd->graph);
}

void mlint_scriptdir_release(struct mlint_scriptdir *sd)
{
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		free(sd->scripts[i].path);
		free(sd->scripts[i].refused);
		free(sd->scripts[i].abs);
		if (sd->scripts[i].own_source)
			free((char *)sd->scripts[i].source);
		mlint_import_stmts_free(sd->scripts[i].imports, sd->scripts[i].nr_imports);
		mlint_migration_release(&sd->scripts[i].m);
	}
	free(sd->scripts);
	for (size_t t = 0; t < sizeof(sd->sources) / sizeof(sd->sources[0]); t++)
		mlint_arena_release(&sd->sources[t]);
	mlint_graph_release(&sd->graph);
	free(sd->inputs);
	free(sd->root);
	mlint_diff_hint_free(sd->diff_hint);
	blob_source_free(sd->blobs);
	mlint_scriptdir_init(sd);
}

/* A copy of the file's bytes in the thread's arena (NUL-terminated). */
static int keep_source(struct mlint_script *s, const struct mlint_buf *buf,
		       struct mlint_arena_block **arena)
{
	char *copy = mlint_arena_alloc_in(arena, buf->len + 1, SOURCE_BLOCK);
	if (!copy)
		return MLINT_ERROR;
	memcpy(copy, buf->ptr, buf->len + 1);
	s->source = copy;
	s->source_len = buf->len;
	return 0;
}

/* Entry i's bytes; for a file on disk also its fstat (else st is zeroed). */
static int read_entry(const struct mlint_snapshot *snap, size_t i, struct mlint_buf *buf,
		      struct stat *st)
{
	const struct mlint_snapshot_entry *e = &snap->entries[i];

	if (st)
		memset(st, 0, sizeof(*st));
	if (e->data || e->has_id)
		return mlint_snapshot_read(snap, i, buf);
	mlint_buf_clear(buf);
	if (e->dir_fd >= 0 && !st) /* openat: no walk of the directory's path per file */
		return mlint_buf_read_listed_at(buf, e->dir_fd, e->abs + e->name_off, e->abs);
	if (e->dir_fd >= 0)
		return mlint_buf_read_file_at(buf, e->dir_fd, e->abs + e->name_off, e->abs, st);
	return mlint_buf_read_file_stat(buf, e->abs, st);
}

/* A private load flag: a cache records what is read (it keeps the hash). */
#define LOAD_CACHED (1u << 30)

static int read_and_scan(struct mlint_script *s, const struct mlint_snapshot *snap, size_t i,
			 struct mlint_buf *buf, unsigned flags, struct mlint_arena_block **arena,
			 struct stat *st)
{
	int error;

	memset(st, 0, sizeof(*st));
	if (snap->entries[i].refused)
		return (s->refused = mlint_strdup(snap->entries[i].refused)) ? 0 : MLINT_ERROR;
	/* the stat of what was read only for the cache's key: a fstat costs
	 * about a tenth of reading a migration */
	if ((error = read_entry(snap, i, buf, (flags & LOAD_CACHED) ? st : NULL)) < 0) {
		/* Too large is the file's problem, not an I/O failure. */
		if (strstr(mlint_error_last(), "larger than"))
			return (s->refused = mlint_strdup("file is larger than 64 MiB; not read"))
				       ? 0 : MLINT_ERROR;
		return error;
	}
	if ((error = mlint_migration_scan_with(&s->m, buf->ptr, buf->len,
						 (flags & MLINT_LOAD_GRAPH_ONLY) ? MLINT_SCAN_NO_CALLS : 0)) < 0)
		return error;
	s->is_migration = s->m.revision.kind != MLINT_VAL_ABSENT ||
			  s->m.down_revision.kind != MLINT_VAL_ABSENT;
	if (s->is_migration && !(flags & MLINT_LOAD_GRAPH_ONLY)) {
		if ((error = mlint_imports_extract(buf->ptr, buf->len, &s->imports,
						   &s->nr_imports)) < 0)
			return error;
		s->imports_read = 1;
	}
	if (snap->entries[i].data || snap->entries[i].has_id) {
		/* a blob: its bytes are handed over after the load, unless they
		 * are read from the repository when asked for (a cache's, or
		 * deferred), and then known by these */
		s->size = buf->len;
		if ((flags & LOAD_CACHED) || snap->entries[i].deferred)
			s->hash = mlint_source_hash(buf->ptr, buf->len);
		return 0;
	}
	if (flags & MLINT_LOAD_KEEP_SOURCE)
		return keep_source(s, buf, arena);
	/* to know the bytes when a rule reads them again (heads without a
	 * cache never does: the graph needs no bytes after the load) */
	s->size = buf->len;
	if (!(flags & MLINT_LOAD_GRAPH_ONLY) || (flags & LOAD_CACHED))
		s->hash = mlint_source_hash(buf->ptr, buf->len);
	return 0;
}

uint64_t mlint_source_hash(const char *p, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len, tail = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	memcpy(&tail, p + i, len - i);
	h = (h ^ tail) * 0xC4CEB9FE1A85EC53ULL;
	return h ^ (h >> 29);
}

/* After the scan: a blob's bytes move into its script (no copy), a file
 * keeps its path to be read again. */
/* root + '/' + path is abs: the path need not be kept twice (100,000
 * absolute paths are ~12 MB). */
static int under_root(const char *root, const char *path, const char *abs)
{
	size_t rl = root ? strlen(root) : 0;
	return rl && strncmp(abs, root, rl) == 0 && abs[rl] == '/' && strcmp(abs + rl + 1, path) == 0;
}

/* Once a file is read, its absolute path goes when root/path names it:
 * the load's peak holds every script, so not every path twice. */
static void drop_path_early(const struct mlint_scriptdir *sd, struct mlint_script *s,
			    struct mlint_snapshot_entry *e)
{
	if (e->data || e->has_id || !e->abs || !under_root(sd->root, s->path, e->abs))
		return;
	free(e->abs);
	e->abs = NULL;
	s->root = sd->root;
}

/* The blob source of a load with deferred entries whose bytes were not
 * read during the scan (restored from the cache). */
static int blob_source_for(struct mlint_scriptdir *sd, const struct mlint_snapshot *snap)
{
	size_t i = 0;

	while (i < snap->nr && !(snap->entries[i].deferred && !sd->scripts[i].source))
		i++;
	if (i == snap->nr)
		return 0;
	if (!(sd->blobs = calloc(1, sizeof(*sd->blobs))) ||
	    !(sd->blobs->ids = calloc(sd->nr_scripts, sizeof(*sd->blobs->ids))))
		return mlint_error_set("out of memory");
	sd->blobs->repo = snap->repo;
	sd->blobs->first = sd->scripts;
	return 0;
}

static void hand_over(const struct mlint_scriptdir *sd, struct mlint_script *s,
		      struct mlint_snapshot_entry *e)
{
	if (s->refused)
		return;
	if (e->data) {
		s->source = e->data;
		s->source_len = e->len;
		s->own_source = 1;
		e->data = NULL;
	} else if (e->deferred && sd->blobs) {
		size_t i = (size_t)(s - sd->scripts);
		memcpy(sd->blobs->ids[i], e->id, sizeof(sd->blobs->ids[i]));
		s->blobs = sd->blobs;
	} else if (e->has_id) {
		s->source = ""; /* the empty blob */
		s->source_len = 0;
	} else if (!s->source && !e->abs) {
		return; /* dropped after the read: s->root names it */
	} else if (!s->source && under_root(sd->root, s->path, e->abs)) {
		s->root = sd->root;
	} else if (!s->source) {
		s->abs = e->abs;
		e->abs = NULL;
	}
}

/* The visitor sees the bytes just read, kept or not. */
static int visit(struct mlint_script *s, const struct mlint_scan_visitor *v, size_t slot,
		 const struct mlint_buf *buf, unsigned flags)
{
	const char *kept = s->source;
	size_t kept_len = s->source_len;
	int error;

	if (!v || s->refused)
		return 0;
	s->source = buf->ptr;
	s->source_len = buf->len;
	error = v->visit(v->ctx, slot, s);
	s->source = kept;
	s->source_len = kept_len;
	if (flags & MLINT_LOAD_DROP_CALLS)
		mlint_migration_drop_calls(&s->m);
	return error;
}

/* Literal string items of a value (expression items count as their text). */
static void value_items(const struct mlint_value *v, const char *const **items, size_t *nr)
{
	*items = NULL;
	*nr = 0;
	if (v->kind == MLINT_VAL_STR || v->kind == MLINT_VAL_SEQ) {
		*items = (const char *const *)v->items;
		*nr = v->nr;
	}
}

/* Which version location holds `path` (relative to the repository): the
 * one whose absolute path ends with the longest directory prefix of it. */
static size_t location_of(const struct mlint_scriptdir_config *d, const char *path)
{
	size_t best = 0, best_len = 0;

	for (size_t i = 0; d && i < d->nr_locations; i++) {
		const char *loc = d->version_locations[i];
		size_t ll = strlen(loc);
		for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
			size_t n = (size_t)(s - path);
			if (n > best_len && ll > n && loc[ll - n - 1] == '/' &&
			    memcmp(loc + ll - n, path, n) == 0) {
				best = i;
				best_len = n;
			}
		}
	}
	return best;
}

/* os.walk(topdown) with sorted names, as current Alembic lists a location: a
 * directory's files, in name order, before its subdirectories. */
static int walk_order(const char *a, const char *b)
{
	for (;;) {
		const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
		size_t la, lb;
		int c;
		if (!sa || !sb)
			return !sa && !sb ? strcmp(a, b) : sa ? 1 : -1;
		la = (size_t)(sa - a);
		lb = (size_t)(sb - b);
		if ((c = memcmp(a, b, la < lb ? la : lb)) != 0 || la != lb)
			return c ? c : la < lb ? -1 : 1;
		a = sa + 1;
		b = sb + 1;
	}
}

/* Whether Alembic loads script a after script b: locations in their
 * configured order, each walked as above. Only duplicates ask. */
static int loads_later(const void *ctx, size_t a, size_t b)
{
	const struct mlint_scriptdir *sd = ctx;
	const char *pa = sd->scripts[a].path, *pb = sd->scripts[b].path;
	size_t la = location_of(sd->config, pa), lb = location_of(sd->config, pb);

	if (la != lb)
		return la > lb;
	return walk_order(pa, pb) > 0;
}

/* A header's "Revises: a1, b2" (borrowed: the names are split in place
 * into a copy kept in `keep`). */
static int header_parents(const struct mlint_migration *m, char **keep, const char ***out,
			  size_t *nr, size_t *alloc)
{
	char *p;

	if (!m->header.revises || !*m->header.revises)
		return 0;
	if (!(*keep = mlint_strdup(m->header.revises)))
		return MLINT_ERROR;
	for (p = *keep; *p;) {
		size_t n = strcspn(p, ", \t");
		if (n) {
			if (MLINT_ARRAY_GROW(*out, *alloc, *nr + 1) < 0)
				return MLINT_ERROR;
			(*out)[(*nr)++] = p;
		}
		p += n;
		if (*p)
			*p++ = '\0';
	}
	return 0;
}

/* The literal parents of migrations whose revision could not be read (the
 * header's Revises: when down_revision is unreadable too). */
static int claim_parents(const struct mlint_scriptdir *sd, const char ***out, size_t *nr,
			 char ***keep, size_t *nr_keep)
{
	size_t alloc = 0, alloc_keep = 0;

	*out = NULL;
	*nr = 0;
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_migration *m = &sd->scripts[i].m;
		const char *const *items;
		size_t n;
		if (!sd->scripts[i].is_migration || mlint_migration_has_revision(m))
			continue;
		value_items(&m->down_revision, &items, &n);
		if (m->down_revision.kind == MLINT_VAL_ABSENT) {
			if (MLINT_ARRAY_GROW(*keep, alloc_keep, *nr_keep + 1) < 0)
				return MLINT_ERROR;
			(*keep)[*nr_keep] = NULL;
			if (header_parents(m, &(*keep)[(*nr_keep)++], out, nr, &alloc) < 0)
				return MLINT_ERROR;
		}
		for (size_t k = 0; k < n; k++) {
			if (MLINT_ARRAY_GROW(*out, alloc, *nr + 1) < 0)
				return MLINT_ERROR;
			(*out)[(*nr)++] = items[k];
		}
	}
	return 0;
}

static int build_graph(struct mlint_scriptdir *sd)
{
	const char **claimed = NULL;
	char **keep = NULL;
	size_t nr_keep = 0;
	int error;

	if (sd->nr_scripts && !(sd->inputs = calloc(sd->nr_scripts, sizeof(*sd->inputs))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_migration *m = &sd->scripts[i].m;
		struct mlint_graph_input *in;
		if (!sd->scripts[i].is_migration)
			continue;
		sd->nr_migrations++;
		if (!mlint_migration_has_revision(m))
			continue;
		in = &sd->inputs[sd->nr_inputs++];
		in->revision = mlint_migration_revision(m);
		in->tag = i;
		value_items(&m->down_revision, &in->down, &in->nr_down);
		in->unknown_parent = m->down_revision.kind == MLINT_VAL_EXPR;
		value_items(&m->depends_on, &in->depends, &in->nr_depends);
		if (m->branch_labels.kind == MLINT_VAL_EXPR) {
			in->labels = (const char *const *)m->branch_labels.items;
			in->nr_labels = m->branch_labels.nr;
		} else {
			value_items(&m->branch_labels, &in->labels, &in->nr_labels);
		}
	}
	sd->graph.loads_later = loads_later;
	sd->graph.loads_later_ctx = sd;
	if ((error = claim_parents(sd, &claimed, &sd->graph.nr_claimed, &keep, &nr_keep)) == 0) {
		sd->graph.claimed = (const char *const *)claimed;
		error = mlint_graph_build(&sd->graph, sd->inputs, sd->nr_inputs);
	}
	sd->graph.claimed = NULL;
	sd->graph.nr_claimed = 0;
	free(claimed);
	for (size_t i = 0; i < nr_keep; i++)
		free(keep[i]);
	free(keep);
	return error;
}

static int note_skipped(struct mlint_notes *notes, const struct mlint_script *s)
{
	if (s->is_migration || s->refused)
		return 0;
	return mlint_notes_add(notes, MLINT_NOTE_VERBOSE,
			       "skipped '%s': not a migration (no revision or down_revision)",
			       s->path);
}


struct scan_job {
	struct mlint_scriptdir *sd;
	const struct mlint_snapshot *snap;
	unsigned flags;
	size_t slot;
	struct mlint_arena_block **sources; /* this thread's */
	size_t from, to;   /* files [from, to) */
	size_t failed_at;  /* first file that failed, or to */
	int error;
	char message[1024]; /* its error, copied out of this thread's slot */
};

static void *scan_range(void *arg)
{
	struct scan_job *job = arg;
	struct mlint_buf buf;

	mlint_buf_init(&buf, MLINT_MAX_FILE_BYTES);
	job->failed_at = job->to;
	for (size_t i = job->from; i < job->to; i++) {
		job->sd->scripts[i].path = job->snap->entries[i].path;
		job->snap->entries[i].path = NULL; /* moved */
	}
	for (size_t i = job->from; i < job->to; i++) {
		struct mlint_script *s = &job->sd->scripts[i];
		struct mlint_cache *cache = job->sd->cache;
		struct stat st;
		size_t mark = 0;
		if (cache) {
			int hit = mlint_cache_restore(cache, job->slot, i, s, &job->snap->entries[i]);
			if (hit > 0) { /* facts and findings as the cache kept them */
				drop_path_early(job->sd, s, &job->snap->entries[i]);
				continue;
			}
			mark = mlint_cache_mark(cache, job->slot);
		}
		if ((job->error = read_and_scan(s, job->snap, i, &buf,
						job->flags | (cache ? LOAD_CACHED : 0),
						job->sources, &st)) < 0 ||
		    (job->error = visit(s, job->sd->visitor, job->slot, &buf, job->flags)) < 0 ||
		    (cache && (job->error = mlint_cache_record(cache, job->slot, i, s,
							       &job->snap->entries[i], &st,
							       mark)) < 0)) {
			job->failed_at = i;
			snprintf(job->message, sizeof(job->message), "%s", mlint_error_last());
			break;
		}
		drop_path_early(job->sd, s, &job->snap->entries[i]);
	}
	mlint_buf_release(&buf);
	return NULL;
}

/* Reads and scans every file, in parallel when there are many. */
static int scan_all(struct mlint_scriptdir *sd, const struct mlint_snapshot *snap,
		    unsigned flags)
{
	struct scan_job jobs[MLINT_MAX_THREADS];
	pthread_t threads[MLINT_MAX_THREADS];
	size_t n = mlint_thread_count(snap->nr), started = 0, per;
	int error = 0;

	per = (snap->nr + n - 1) / n;
	for (size_t t = 0; t < n; t++) {
		jobs[t] = (struct scan_job){sd, snap, flags, t, &sd->sources[t], t * per,
					    (t + 1) * per, 0, 0, ""};
		if (jobs[t].from > snap->nr)
			jobs[t].from = snap->nr;
		if (jobs[t].to > snap->nr)
			jobs[t].to = snap->nr;
	}
	for (size_t t = 1; t < n; t++) {
		if (pthread_create(&threads[t], NULL, scan_range, &jobs[t]) != 0)
			break;
		started = t;
	}
	scan_range(&jobs[0]);
	for (size_t t = started + 1; t < n; t++)
		scan_range(&jobs[t]); /* threads that could not start: run them here */
	for (size_t t = 1; t <= started; t++)
		pthread_join(threads[t], NULL);
	/* Report the first failure in file order, as a serial scan would. */
	for (size_t t = 0; t < n && error == 0; t++) {
		if (jobs[t].error < 0)
			error = mlint_error_setc(jobs[t].error, "%s", jobs[t].message);
	}
	return error;
}

int mlint_scriptdir_load_snapshot(struct mlint_scriptdir *sd,
				  const struct mlint_scriptdir_config *d, struct mlint_snapshot *snap,
				  unsigned flags, struct mlint_notes *notes)
{
	int error = 0;

	sd->config = d;
	/* zeroed: each script is blank (mlint_migration_init), and each scan
	 * thread moves its own range's paths in (scan_range: the first touch
	 * of 4 MB at 10,000 files, in parallel) */
	if (snap->nr && !(sd->scripts = calloc(snap->nr, sizeof(*sd->scripts))))
		return mlint_error_set("out of memory");
	sd->nr_scripts = snap->nr;
	if (sd->cache && (error = mlint_cache_begin(sd->cache, snap->nr)) < 0)
		return error;
	mlint_cache_take_others(sd->cache, snap);
	if ((error = scan_all(sd, snap, flags)) < 0)
		return error;
	if ((error = blob_source_for(sd, snap)) < 0)
		return error;
	for (size_t i = 0; i < sd->nr_scripts; i++)
		hand_over(sd, &sd->scripts[i], &snap->entries[i]);
	/* What the scripts did not take is not needed again: freed before the
	 * graph is built, the load's peak (10 MB at 100,000 files) */
	mlint_snapshot_release(snap);
	for (size_t i = 0; i < sd->nr_scripts; i++)
		if ((error = note_skipped(notes, &sd->scripts[i])) < 0)
			return error;
	return build_graph(sd);
}

int mlint_scriptdir_load(struct mlint_scriptdir *sd, const struct mlint_project *p,
			 const struct mlint_scriptdir_config *d, unsigned flags,
			 struct mlint_notes *notes)
{
	struct mlint_snapshot snap;
	int error;

	sd->config = d;
	if (p->base_dir && !(sd->root = mlint_strdup(p->base_dir)))
		return MLINT_ERROR;
	mlint_snapshot_init(&snap);
	if ((error = mlint_snapshot_list_worktree(&snap, p, d, notes)) == 0)
		error = mlint_scriptdir_load_snapshot(sd, d, &snap, flags, notes);
	mlint_snapshot_release(&snap);
	return error;
}

struct mlint_location mlint_script_at(const struct mlint_script *s, unsigned line, unsigned col)
{
	struct mlint_location loc = {s->path, line, col, mlint_migration_revision(&s->m), NULL, 0};
	loc.excerpt = mlint_script_line(s, line, &loc.excerpt_len);
	return loc;
}

const char *mlint_script_source(const struct mlint_script *s, size_t *len)
{
	/* The scriptdir owns its scripts; reading the bytes again only fills
	 * in what a const script could have held from the start. */
	struct mlint_script *w = (struct mlint_script *)s;
	struct mlint_buf buf;

	char *joined = NULL;
	const char *abs = s->abs;

	*len = s->source_len;
	if (s->source || s->refused || (!s->abs && !s->root && !s->blobs) ||
	    s->source_state != MLINT_SOURCE_OK)
		return s->source;
	if (!s->blobs && !abs && !(abs = joined = mlint_path_join(s->root, s->path))) {
		w->source_state = MLINT_SOURCE_UNREADABLE; /* out of memory */
		return NULL;
	}
	mlint_buf_init(&buf, MLINT_MAX_FILE_BYTES);
	if (s->blobs ? mlint_snapshot_read_blob(s->blobs->repo,
						s->blobs->ids[s - s->blobs->first], &buf) < 0
		     : mlint_buf_read_file(&buf, abs) < 0) {
		w->source_state = MLINT_SOURCE_UNREADABLE;
	} else if (buf.len != s->size || mlint_source_hash(buf.ptr, buf.len) != s->hash) {
		w->source_state = MLINT_SOURCE_CHANGED;
	} else {
		w->source = mlint_buf_detach(&buf, &w->source_len);
		w->own_source = w->source != NULL;
		if (!w->source) /* out of memory for an empty file's copy */
			w->source = "";
	}
	mlint_buf_release(&buf);
	free(joined);
	*len = s->source_len;
	return s->source;
}

int mlint_scriptdir_sources_ok(const struct mlint_scriptdir *sd)
{
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		if (s->source_state == MLINT_SOURCE_CHANGED)
			return mlint_error_set("'%s' changed while mlint read it; run mlint again "
					       "(its findings would mix two versions of the file)",
					       s->path);
		if (s->source_state == MLINT_SOURCE_UNREADABLE)
			return mlint_error_set("'%s' could not be read again: it was removed or "
					       "became unreadable while mlint ran; run mlint again",
					       s->path);
	}
	return 0;
}

const char *mlint_script_line(const struct mlint_script *s, unsigned line, size_t *len)
{
	size_t source_len;
	const char *p = mlint_script_source(s, &source_len), *end;
	if (!p || line == 0)
		return NULL;
	end = p + source_len;
	for (unsigned l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	if (p == s->source && source_len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	*len = (size_t)(end - p);
	return p;
}

size_t mlint_scriptdir_find(const struct mlint_scriptdir *sd, const char *path)
{
	size_t lo = 0, hi = sd->nr_scripts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sd->scripts[mid].path, path);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

const struct mlint_script *mlint_scriptdir_node_script(const struct mlint_scriptdir *sd,
						       size_t node)
{
	return &sd->scripts[sd->inputs[sd->graph.nodes[node].input].tag];
}
