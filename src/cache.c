/*
 * The cache of one script directory (cache.h, docs/cache.md).
 *
 * File: a header (magic, format version, byte order, the facts and rules
 * fingerprints, the payload's length and hash) and a payload of entries,
 * each prefixed with its length. The whole file is read into memory; an
 * index by path points into it; an entry is decoded only when its file is
 * asked for and its key matches. Entries restored unchanged are written
 * back as their bytes; new ones are encoded per scanning slot.
 *
 * Building mlint_migration values from entries, and reading them, is done
 * in put_migration/get_migration only: the one place to follow changes of
 * how a migration holds its strings.
 */
#define _GNU_SOURCE 1 /* dl_iterate_phdr */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "mlint/buf.h"
#include "mlint/cache.h"
#include "mlint/ini.h"
#include "mlint/snapshot.h"
#include "check_files.h"
#include "diff_hint.h"
#include "ruleset.h"
#include "util.h"

/* The library is built without the version (the CLI has it); the binary's
 * identity below tells builds apart anyway. */
#ifndef MLINT_VERSION
#define MLINT_VERSION "0.0.0"
#endif

#define CACHE_MAGIC "MLINTCA\x1a"
/* 2: staged entries hold their blob's size and hash (format 1 had 0) */
#define CACHE_FORMAT 2u
#define CACHE_ENDIAN 0x01020304u
#define HEADER_LEN 48
#define NO_STRING 0xFFFFFFFFu
/* Files changed this close to the run's start are not remembered: a later
 * change in the same timestamp tick would look unchanged (git's racy
 * index problem). */
#define RACY_NS 2000000000LL

enum { KEY_STAT = 0, KEY_BLOB = 1 };
enum { ENTRY_FULL = 1, ENTRY_FINDINGS = 2 };
enum { STATE_NONE = 0, STATE_HIT, STATE_NEW };

struct index_slot {
	const unsigned char *path; /* into the old payload; NULL: free slot */
	uint32_t path_len;
	const unsigned char *entry; /* the entry's bytes, with its length prefix */
	uint32_t entry_len;         /* with the prefix */
};

struct script_state {
	int state;
	const unsigned char *bytes; /* HIT: the old entry; NEW: offset into the slot's buffer */
	size_t off, len;
	size_t slot;
};

struct mlint_cache {
	char *dir;  /* .git/mlint */
	char *file; /* .git/mlint/<hash>.<kind> */
	char *shown;
	enum mlint_cache_kind kind;
	int full;   /* a check load: facts in full, and findings */
	uint64_t facts_fp, rules_fp, old_rules_fp;
	long long start_ns, file_mtime_ns;
	unsigned char *old;  /* the old file, or NULL */
	size_t old_len;
	size_t old_entries;
	struct index_slot *index;
	size_t nr_index; /* a power of two */
	struct script_state *scripts;
	size_t nr_scripts;
	struct mlint_buf fresh[MLINT_SCAN_SLOTS]; /* new entries, per slot */
	struct mlint_file_checker *fc;
	const struct mlint_ruleset *rs;
	int broken; /* out of memory while recording: write nothing */
	uint64_t old_sum;  /* payload checksum of the old file, when it was taken */
	uint64_t disk_sum; /* ... of the file on disk after the save (0: none) */
	char **others;     /* the listing's other entries (snapshot.h), taken */
	size_t nr_others;
};

/* ---- hashing ------------------------------------------------------------ */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
	return h ^ (h >> 32);
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	return s ? mix(h, mlint_source_hash(s, strlen(s))) : mix(h, 0x5A5A);
}

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* Each shared library loaded (libpg_query, PCRE2, libgit2, libc, ...): an
 * upgraded library may parse SQL or match patterns differently. */
static int mix_library(struct dl_phdr_info *info, size_t size, void *ctx)
{
	uint64_t *h = ctx;
	struct stat st;

	(void)size;
	if (!info->dlpi_name || !info->dlpi_name[0])
		return 0;
	*h = mix_str(*h, info->dlpi_name);
	if (stat(info->dlpi_name, &st) == 0)
		*h = mix(mix(mix(*h, (uint64_t)st.st_size), (uint64_t)ns_of(&st.st_mtim)),
			 (uint64_t)st.st_ino);
	return 0;
}

/* The binary that runs, its libraries, and the shape of what it extracts:
 * facts and findings written by another build are not read. */
/*
 * The libraries the process started with, taken before main: libraries
 * loaded later (libgit2 on the thread that opens the repository, libpython
 * for a suspect file) would make the fingerprint depend on which thread got
 * there first. Neither extracts facts or makes per-file findings.
 */
static uint64_t startup_libraries = 0x11B5;

#if defined(__GNUC__)
__attribute__((constructor))
#endif
static void note_startup_libraries(void)
{
	dl_iterate_phdr(mix_library, &startup_libraries);
}

static int facts_fingerprint(uint64_t *out)
{
	struct stat st;
	uint64_t h;

	if (stat("/proc/self/exe", &st) != 0)
		return -1;
	h = mix(mix(mix(mix(mix_str(0xC0FFEE, MLINT_VERSION), (uint64_t)st.st_size),
			(uint64_t)ns_of(&st.st_mtim)),
		    (uint64_t)st.st_ino),
		(uint64_t)(sizeof(struct mlint_migration) * 131 + sizeof(struct mlint_function)));
	*out = mix(h, startup_libraries);
	return 0;
}

static uint64_t mix_patterns(uint64_t h, const struct mlint_pattern *p, size_t nr)
{
	h = mix(h, nr);
	for (size_t i = 0; i < nr; i++)
		h = mix_str(h, p[i].source);
	return h;
}

uint64_t mlint_cache_rules_fingerprint(const struct mlint_ruleset *rs,
				       const struct mlint_check_opts *o)
{
	uint64_t h = mix(mix(mix(mix(0x4D4C494E54ULL, (uint64_t)o->downgrade), (uint64_t)o->dialect),
			     (uint64_t)o->optional_rules),
			 (uint64_t)o->env_sets_lock_timeout);

	h = mix(h, rs->nr);
	for (size_t i = 0; i < rs->nr; i++) {
		const struct mlint_ruleset_entry *e = &rs->entries[i];
		const struct mlint_pattern_rule *p = e->pattern;
		h = mix_str(mix_str(mix_str(h, e->rule->id), e->rule->scope), e->origin);
		h = mix_str(mix_str(mix(h, (uint64_t)e->rule->severity), e->rule->summary),
			    e->rule->fix);
		if (!p)
			continue;
		h = mix(mix(mix_str(h, p->message), (uint64_t)p->target), (uint64_t)p->scope);
		h = mix_patterns(mix_patterns(h, p->patterns, p->nr_patterns), p->unless, p->nr_unless);
	}
	return h ? h : 1;
}

/* ---- encoding ----------------------------------------------------------- */

static int put_u8(struct mlint_buf *b, unsigned v)
{
	return mlint_buf_putc(b, (char)(unsigned char)v);
}

static int put_u32(struct mlint_buf *b, uint32_t v)
{
	return mlint_buf_put(b, (const char *)&v, sizeof(v));
}

static int put_u64(struct mlint_buf *b, uint64_t v)
{
	return mlint_buf_put(b, (const char *)&v, sizeof(v));
}

static int put_str(struct mlint_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!s)
		return put_u32(b, NO_STRING);
	if (n >= NO_STRING)
		return mlint_error_set("string too long for the cache");
	return put_u32(b, (uint32_t)n) < 0 ? MLINT_ERROR : mlint_buf_put(b, s, n);
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

/* n bytes into `out`, or r->bad (and `out` left zero) when fewer are left. */
static void get_fixed(struct reader *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t get_u32(struct reader *r)
{
	uint32_t v = 0;
	get_fixed(r, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t v = 0;
	get_fixed(r, &v, sizeof(v));
	return v;
}

static unsigned get_u8(struct reader *r)
{
	if (r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

/* A string of the entry: borrowed bytes and length; NULL for none. */
static const unsigned char *get_bytes(struct reader *r, uint32_t *len)
{
	const unsigned char *at;
	*len = get_u32(r);
	if (r->bad || *len == NO_STRING)
		return NULL;
	if ((size_t)(r->end - r->p) < *len) {
		r->bad = 1;
		return NULL;
	}
	at = r->p;
	r->p += *len;
	return at;
}

/* A string of the entry as a new string (NULL for none, or on failure:
 * r->bad is set then). */
static char *get_str(struct reader *r)
{
	uint32_t n;
	const unsigned char *at = get_bytes(r, &n);
	char *s;
	if (!at)
		return NULL;
	if (memchr(at, '\0', n) || !(s = mlint_strndup((const char *)at, n))) {
		r->bad = 1;
		return NULL;
	}
	return s;
}

/* ---- a migration's facts: the one place that knows how it holds them --- */

static int put_value(struct mlint_buf *b, const struct mlint_value *v)
{
	int error = put_u32(b, (uint32_t)v->kind) | put_u32(b, v->line) | put_u32(b, v->col) |
		    put_u32(b, (uint32_t)v->nr);
	for (size_t i = 0; i < v->nr && error == 0; i++)
		error = put_str(b, v->items[i]);
	return error ? MLINT_ERROR : 0;
}

static int put_migration(struct mlint_buf *b, const struct mlint_migration *m)
{
	const struct mlint_header *h = &m->header;
	int error = put_value(b, &m->revision) | put_value(b, &m->down_revision) |
		    put_value(b, &m->branch_labels) | put_value(b, &m->depends_on) |
		    put_str(b, h->message) | put_str(b, h->revision_id) | put_str(b, h->revises) |
		    put_str(b, h->create_date) | put_u32(b, h->line) |
		    put_u32(b, h->revision_id_line) | put_u32(b, h->revises_line) |
		    put_u32(b, h->create_date_line) | put_u32(b, m->nr_lines) |
		    put_u32(b, m->suspect_line) | put_u32(b, m->conflict_line);

	error |= put_u32(b, (uint32_t)m->nr_functions);
	for (size_t i = 0; i < m->nr_functions; i++) {
		const struct mlint_function *f = &m->functions[i];
		error |= put_str(b, f->name) | put_u32(b, (uint32_t)f->is_upgrade) |
			 put_u32(b, (uint32_t)f->has_params) | put_u32(b, f->line) |
			 put_u32(b, f->def_line) | put_u32(b, f->end_line) |
			 put_u64(b, f->start_off) | put_u64(b, f->end_off) |
			 put_u32(b, (uint32_t)f->body) | put_str(b, f->raises);
	}
	error |= put_u32(b, (uint32_t)m->nr_problems);
	for (size_t i = 0; i < m->nr_problems; i++)
		error |= put_str(b, m->problems[i].message) | put_u32(b, m->problems[i].line) |
			 put_u32(b, m->problems[i].col);
	error |= put_u32(b, (uint32_t)m->nr_directives);
	for (size_t i = 0; i < m->nr_directives; i++)
		error |= put_str(b, m->directives[i].text) | put_u32(b, m->directives[i].line) |
			 put_u32(b, m->directives[i].col) |
			 put_u32(b, (uint32_t)m->directives[i].own_line);
	return error ? MLINT_ERROR : 0;
}

/* Counts read from a file are bounded by the bytes left: a corrupt count
 * cannot ask for a huge allocation. */
static size_t get_count(struct reader *r, size_t min_item)
{
	uint32_t n = get_u32(r);
	if (r->bad || (size_t)n > (size_t)(r->end - r->p) / min_item) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/*
 * A migration is decoded straight into one block, as a scan leaves it
 * (migration.h `kept`): a first pass over the entry only counts the sizes
 * of its arrays and strings, the second places them. Both passes walk the
 * same code (`fill` tells them apart), so they cannot disagree.
 */
struct sink {
	int fill;             /* 0: count; 1: place into the block */
	size_t arrays, bytes; /* counted: arrays (pointer-aligned) and string bytes */
	char *array_at, *byte_at;
};

/* The next string: NULL when absent (or counting, or r->bad). */
static char *sink_str(struct reader *r, struct sink *k)
{
	uint32_t n;
	const unsigned char *at = get_bytes(r, &n);
	char *str;

	if (!at)
		return NULL;
	if (memchr(at, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	if (!k->fill) {
		k->bytes += (size_t)n + 1;
		return NULL;
	}
	str = k->byte_at;
	memcpy(str, at, n);
	str[n] = '\0';
	k->byte_at += (size_t)n + 1;
	return str;
}

/* Room for `n` items of `size` bytes (size a multiple of a pointer's). */
static void *sink_array(struct sink *k, size_t n, size_t size)
{
	void *at;

	if (!k->fill) {
		k->arrays += n * size;
		return NULL;
	}
	at = k->array_at;
	k->array_at += n * size;
	return at;
}

static void get_value(struct reader *r, struct sink *k, struct mlint_value *v)
{
	size_t n;
	char **items;

	v->kind = (enum mlint_value_kind)get_u32(r);
	v->line = get_u32(r);
	v->col = get_u32(r);
	v->items = NULL;
	v->nr = 0;
	if (v->kind > MLINT_VAL_EXPR)
		r->bad = 1;
	if ((n = get_count(r, 4)) == 0 || r->bad)
		return;
	items = sink_array(k, n, sizeof(char *));
	for (size_t i = 0; i < n && !r->bad; i++) {
		char *str = sink_str(r, k);
		if (items)
			items[i] = str;
	}
	if (items) {
		v->items = items;
		v->nr = (unsigned)n;
	}
}

static void get_function(struct reader *r, struct sink *k, struct mlint_function *f)
{
	f->name = sink_str(r, k);
	f->is_upgrade = (int)get_u32(r);
	f->has_params = (int)get_u32(r);
	f->line = get_u32(r);
	f->def_line = get_u32(r);
	f->end_line = get_u32(r);
	f->start_off = (size_t)get_u64(r);
	f->end_off = (size_t)get_u64(r);
	f->body = (enum mlint_body_kind)get_u32(r);
	f->raises = sink_str(r, k);
}

/* One pass over the entry's migration (see struct sink). */
static void walk_migration(struct reader *r, struct sink *k, struct mlint_migration *m)
{
	struct mlint_header *h = &m->header;
	struct mlint_function scratch_f;
	struct mlint_source_problem scratch_p;
	struct mlint_directive scratch_d;
	size_t n;

	_Static_assert(sizeof(struct mlint_function) % sizeof(char *) == 0, "aligned");
	_Static_assert(sizeof(struct mlint_source_problem) % sizeof(char *) == 0, "aligned");
	_Static_assert(sizeof(struct mlint_directive) % sizeof(char *) == 0, "aligned");
	get_value(r, k, &m->revision);
	get_value(r, k, &m->down_revision);
	get_value(r, k, &m->branch_labels);
	get_value(r, k, &m->depends_on);
	h->message = sink_str(r, k);
	h->revision_id = sink_str(r, k);
	h->revises = sink_str(r, k);
	h->create_date = sink_str(r, k);
	h->line = get_u32(r);
	h->revision_id_line = get_u32(r);
	h->revises_line = get_u32(r);
	h->create_date_line = get_u32(r);
	m->nr_lines = get_u32(r);
	m->suspect_line = get_u32(r);
	m->conflict_line = get_u32(r);
	n = get_count(r, 40);
	m->functions = sink_array(k, n, sizeof(*m->functions));
	m->nr_functions = k->fill ? n : 0;
	for (size_t i = 0; i < n && !r->bad; i++)
		get_function(r, k, k->fill ? &m->functions[i] : &scratch_f);
	n = r->bad ? 0 : get_count(r, 12);
	m->problems = sink_array(k, n, sizeof(*m->problems));
	m->nr_problems = k->fill ? n : 0;
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct mlint_source_problem *p = k->fill ? &m->problems[i] : &scratch_p;
		p->message = sink_str(r, k);
		p->line = get_u32(r);
		p->col = get_u32(r);
	}
	n = r->bad ? 0 : get_count(r, 16);
	m->directives = sink_array(k, n, sizeof(*m->directives));
	m->nr_directives = k->fill ? n : 0;
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct mlint_directive *d = k->fill ? &m->directives[i] : &scratch_d;
		d->text = sink_str(r, k);
		d->line = get_u32(r);
		d->col = get_u32(r);
		d->own_line = (int)get_u32(r);
	}
}

/* Fills `m` (initialised) from an entry, its arrays and strings in one
 * block (m->kept); r->bad on any inconsistency, `m` blank again then. */
static void get_migration(struct reader *r, struct mlint_migration *m)
{
	struct reader again = *r;
	struct sink k = {0, 0, 0, NULL, NULL};

	walk_migration(r, &k, m); /* sizes only: nothing is kept */
	if (r->bad)
		goto blank;
	if (k.arrays + k.bytes == 0)
		return; /* nothing to keep: the struct holds it all */
	if (!(m->kept = malloc(k.arrays + k.bytes))) {
		r->bad = 1;
		goto blank;
	}
	k.fill = 1;
	k.array_at = m->kept;
	k.byte_at = (char *)m->kept + k.arrays;
	*r = again;
	walk_migration(r, &k, m);
	if (!r->bad)
		return;
blank:
	mlint_migration_release(m);
	mlint_migration_init(m);
	r->bad = 1;
}

static int put_imports(struct mlint_buf *b, const struct mlint_script *s)
{
	int error = put_u32(b, (uint32_t)s->nr_imports);
	for (size_t i = 0; i < s->nr_imports; i++) {
		const struct mlint_import_stmt *st = &s->imports[i];
		error |= put_u32(b, st->line) | put_u32(b, st->col) | put_u32(b, (uint32_t)st->code) |
			 put_u32(b, (uint32_t)st->nr_modules);
		for (size_t k = 0; k < st->nr_modules; k++)
			error |= put_str(b, st->modules[k]);
	}
	return error ? MLINT_ERROR : 0;
}

static void get_imports(struct reader *r, struct mlint_script *s)
{
	size_t n = get_count(r, 16);

	if (r->bad || !n)
		return;
	if (!(s->imports = calloc(n, sizeof(*s->imports)))) {
		r->bad = 1;
		return;
	}
	for (size_t i = 0; i < n && !r->bad; i++, s->nr_imports++) {
		struct mlint_import_stmt *st = &s->imports[i];
		size_t k;
		st->line = get_u32(r);
		st->col = get_u32(r);
		st->code = (int)get_u32(r);
		if ((k = get_count(r, 4)) == 0 || r->bad)
			continue;
		if (!(st->modules = calloc(k, sizeof(*st->modules)))) {
			r->bad = 1;
			break;
		}
		for (size_t j = 0; j < k && !r->bad; j++, st->nr_modules++)
			st->modules[j] = get_str(r);
	}
}

/* ---- findings ----------------------------------------------------------- */

static int put_findings(struct mlint_buf *b, const struct mlint_findings *f, size_t from)
{
	int error = put_u32(b, (uint32_t)(f->nr - from));
	for (size_t i = from; i < f->nr; i++) {
		const struct mlint_finding *x = &f->items[i];
		error |= put_str(b, x->rule) | put_u32(b, (uint32_t)x->severity) |
			 put_str(b, x->path) | put_u32(b, x->line) | put_u32(b, x->col) |
			 put_str(b, x->message) | put_str(b, x->revision) | put_str(b, x->excerpt) |
			 put_u32(b, x->call_line) | put_str(b, x->section);
	}
	return error ? MLINT_ERROR : 0;
}

/* The findings of an entry, appended to `out` as they were made; a rule id
 * the ruleset does not hold makes the entry unusable. */
static void get_findings(struct reader *r, const struct mlint_ruleset *rs,
			 struct mlint_findings *out)
{
	size_t n = get_count(r, 40), start = out->nr;

	if (r->bad || !n)
		return;
	if (MLINT_ARRAY_GROW(out->items, out->alloc, out->nr + n) < 0) {
		r->bad = 1;
		return;
	}
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct mlint_finding x;
		const struct mlint_ruleset_entry *e;
		char *id = get_str(r);
		memset(&x, 0, sizeof(x));
		e = id ? mlint_ruleset_find(rs, id) : NULL;
		free(id);
		if (!e) {
			r->bad = 1;
			break;
		}
		x.rule = e->rule->id;
		x.severity = (enum mlint_severity)get_u32(r);
		x.path = get_str(r);
		x.line = get_u32(r);
		x.col = get_u32(r);
		x.message = get_str(r);
		x.revision = get_str(r);
		x.excerpt = get_str(r);
		x.call_line = get_u32(r);
		x.section = get_str(r);
		if (r->bad || !x.path || !x.message) {
			r->bad = 1;
			mlint_finding_release(&x);
			break;
		}
		out->items[out->nr++] = x;
	}
	if (r->bad) { /* none of this entry's findings */
		for (size_t i = start; i < out->nr; i++)
			mlint_finding_release(&out->items[i]);
		out->nr = start;
	}
}

/* ---- the file ----------------------------------------------------------- */

static uint64_t path_hash(const void *p, size_t n)
{
	return mlint_source_hash(p, n);
}

static void index_add(struct mlint_cache *c, const unsigned char *path, uint32_t path_len,
		      const unsigned char *entry, uint32_t entry_len)
{
	size_t mask = c->nr_index - 1, at = (size_t)path_hash(path, path_len) & mask;

	for (; c->index[at].path; at = (at + 1) & mask)
		if (c->index[at].path_len == path_len && memcmp(c->index[at].path, path, path_len) == 0)
			return; /* a path twice: keep the first */
	c->index[at] = (struct index_slot){path, path_len, entry, entry_len};
}

static const struct index_slot *index_find(const struct mlint_cache *c, const char *path)
{
	size_t n = strlen(path), mask = c->nr_index - 1, at;

	if (!c->nr_index)
		return NULL;
	for (at = (size_t)path_hash(path, n) & mask; c->index[at].path; at = (at + 1) & mask)
		if (c->index[at].path_len == n && memcmp(c->index[at].path, path, n) == 0)
			return &c->index[at];
	return NULL;
}

/* Checks the header and indexes the entries; any doubt drops the file
 * (returns the reason). */
static const char *take_file(struct mlint_cache *c)
{
	struct reader r;
	uint32_t format, endian;
	uint64_t facts, len, sum;
	size_t n;

	if (c->old_len < HEADER_LEN || memcmp(c->old, CACHE_MAGIC, 8) != 0)
		return "not an mlint cache";
	r = (struct reader){c->old + 8, c->old + HEADER_LEN, 0};
	format = get_u32(&r);
	endian = get_u32(&r);
	facts = get_u64(&r);
	c->old_rules_fp = get_u64(&r);
	len = get_u64(&r);
	sum = get_u64(&r);
	if (format != CACHE_FORMAT || endian != CACHE_ENDIAN)
		return "another format";
	if (facts != c->facts_fp)
		return "written by another mlint binary";
	if (len != c->old_len - HEADER_LEN)
		return "truncated";
	if (mlint_source_hash((const char *)c->old + HEADER_LEN, (size_t)len) != sum)
		return "checksum mismatch";
	r = (struct reader){c->old + HEADER_LEN, c->old + c->old_len, 0};
	n = get_count(&r, 8);
	if (r.bad)
		return "corrupt";
	for (c->nr_index = 16; c->nr_index < n * 2; c->nr_index *= 2)
		;
	if (!(c->index = calloc(c->nr_index, sizeof(*c->index))))
		return "out of memory";
	for (size_t i = 0; i < n; i++) {
		const unsigned char *at = r.p, *path;
		uint32_t elen = get_u32(&r), plen;
		struct reader e;
		if (r.bad || elen > (size_t)(r.end - r.p))
			return "corrupt";
		e = (struct reader){r.p, r.p + elen, 0};
		path = get_bytes(&e, &plen);
		if (e.bad || !path)
			return "corrupt";
		index_add(c, path, plen, at, elen + 4);
		r.p += elen;
	}
	if (r.p != r.end)
		return "corrupt";
	c->old_entries = n;
	c->old_sum = sum;
	return NULL;
}

static void read_old(struct mlint_cache *c, struct mlint_notes *notes)
{
	struct mlint_buf b;
	struct stat st;
	const char *why;

	mlint_buf_init(&b, 1u << 30);
	if (mlint_buf_read_file_stat(&b, c->file, &st) < 0) {
		mlint_buf_release(&b);
		return; /* none yet */
	}
	c->file_mtime_ns = ns_of(&st.st_mtim);
	c->old = (unsigned char *)mlint_buf_detach(&b, &c->old_len);
	mlint_buf_release(&b);
	if (c->old && (why = take_file(c)) != NULL) {
		mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "cache '%s' ignored (%s): rewritten",
				c->shown, why);
		free(c->index);
		c->index = NULL;
		c->nr_index = 0;
		c->old_entries = 0;
		c->old_sum = 0;
	}
}

/* The repository's git dir: `.git`, or where a `.git` file points (a
 * linked worktree's own git dir). New string, or NULL. */
static char *git_dir_of(const char *repo_root)
{
	char *dotgit = mlint_path_join(repo_root, ".git"), *dir = NULL;
	struct mlint_buf b;
	struct stat st;

	if (!dotgit || stat(dotgit, &st) != 0)
		goto done;
	if (S_ISDIR(st.st_mode)) {
		dir = dotgit;
		dotgit = NULL;
		goto done;
	}
	mlint_buf_init(&b, 4096);
	if (S_ISREG(st.st_mode) && mlint_buf_read_file(&b, dotgit) == 0 &&
	    strncmp(b.ptr, "gitdir: ", 8) == 0) {
		char *v = b.ptr + 8;
		v[strcspn(v, "\r\n")] = '\0';
		dir = v[0] == '/' ? mlint_strdup(v) : mlint_path_join(repo_root, v);
	}
	mlint_buf_release(&b);
done:
	free(dotgit);
	return dir;
}

static uint64_t dir_key(const struct mlint_scriptdir_config *d)
{
	uint64_t h = mix(mix_str(mix_str(0xD1, d->script_location), d->section),
			 (uint64_t)d->recursive);
	for (size_t i = 0; i < d->nr_locations; i++)
		h = mix_str(h, d->version_locations[i]);
	return h;
}

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return ns_of(&t);
}

struct mlint_cache *mlint_cache_open(const struct mlint_project *p,
				     const struct mlint_scriptdir_config *d,
				     enum mlint_cache_kind kind, unsigned load_flags,
				     uint64_t rules_fp, struct mlint_notes *notes)
{
	struct mlint_cache *c;
	char name[64];

	if (!p->repo_root || !(load_flags & (MLINT_LOAD_DROP_CALLS | MLINT_LOAD_GRAPH_ONLY)) ||
	    (load_flags & MLINT_LOAD_KEEP_SOURCE))
		return NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return NULL;
	c->kind = kind;
	c->full = !(load_flags & MLINT_LOAD_GRAPH_ONLY);
	c->rules_fp = c->full ? rules_fp : 0;
	c->start_ns = now_ns();
	for (size_t t = 0; t < MLINT_SCAN_SLOTS; t++)
		mlint_buf_init(&c->fresh[t], 0);
	snprintf(name, sizeof(name), "%016llx.%s", (unsigned long long)dir_key(d),
		 kind == MLINT_CACHE_INDEX ? "index" : "worktree");
	if (facts_fingerprint(&c->facts_fp) < 0 || !(c->dir = git_dir_of(p->repo_root))) {
		mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "cache: not used (no git dir, or no "
				"/proc/self/exe to tell this binary)");
		mlint_cache_free(c);
		return NULL;
	}
	{
		char *dir = mlint_path_join(c->dir, "mlint");
		free(c->dir);
		c->dir = dir;
	}
	if (!c->dir || !(c->file = mlint_path_join(c->dir, name)) ||
	    !(c->shown = mlint_project_display_path(p, c->file))) {
		mlint_cache_free(c);
		return NULL;
	}
	read_old(c, notes);
	return c;
}

void mlint_cache_set_checker(struct mlint_cache *c, struct mlint_file_checker *fc,
			     const struct mlint_ruleset *rs)
{
	if (c) {
		c->fc = fc;
		c->rs = rs;
	}
}

void mlint_cache_free(struct mlint_cache *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c->file);
	free(c->shown);
	free(c->old);
	free(c->index);
	free(c->scripts);
	for (size_t t = 0; t < MLINT_SCAN_SLOTS; t++)
		mlint_buf_release(&c->fresh[t]);
	for (size_t i = 0; i < c->nr_others; i++)
		free(c->others[i]);
	free(c->others);
	free(c);
}

void mlint_cache_take_others(struct mlint_cache *c, struct mlint_snapshot *snap)
{
	if (!c || c->others)
		return;
	c->others = snap->others;
	c->nr_others = snap->nr_others;
	snap->others = NULL;
	snap->nr_others = snap->alloc_others = 0;
}

/* ---- the load ----------------------------------------------------------- */

int mlint_cache_begin(struct mlint_cache *c, size_t nr)
{
	free(c->scripts);
	c->nr_scripts = 0;
	if (nr && !(c->scripts = calloc(nr, sizeof(*c->scripts))))
		return mlint_error_set("out of memory");
	c->nr_scripts = nr;
	return 0;
}

struct key {
	int kind;
	uint64_t size, ino, dev;
	long long mtime_ns, ctime_ns;
	unsigned char id[20];
};

static int key_of(struct key *k, const struct mlint_snapshot_entry *e, const struct stat *st)
{
	memset(k, 0, sizeof(*k));
	if (e->has_id) {
		k->kind = KEY_BLOB;
		memcpy(k->id, e->id, sizeof(k->id));
		return 0;
	}
	if (!st || !S_ISREG(st->st_mode))
		return -1;
	k->kind = KEY_STAT;
	k->size = (uint64_t)st->st_size;
	k->ino = (uint64_t)st->st_ino;
	k->dev = (uint64_t)st->st_dev;
	k->mtime_ns = ns_of(&st->st_mtim);
	k->ctime_ns = ns_of(&st->st_ctim);
	return 0;
}

static int put_key(struct mlint_buf *b, const struct key *k)
{
	if (k->kind == KEY_BLOB)
		return mlint_buf_put(b, (const char *)k->id, sizeof(k->id));
	return put_u64(b, k->size) | put_u64(b, (uint64_t)k->mtime_ns) |
	       put_u64(b, (uint64_t)k->ctime_ns) | put_u64(b, k->ino) | put_u64(b, k->dev);
}

static void get_key(struct reader *r, struct key *k)
{
	if (k->kind == KEY_BLOB) {
		if ((size_t)(r->end - r->p) < sizeof(k->id)) {
			r->bad = 1;
			return;
		}
		memcpy(k->id, r->p, sizeof(k->id));
		r->p += sizeof(k->id);
		return;
	}
	k->size = get_u64(r);
	k->mtime_ns = (long long)get_u64(r);
	k->ctime_ns = (long long)get_u64(r);
	k->ino = get_u64(r);
	k->dev = get_u64(r);
}

static int same_key(const struct key *a, const struct key *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == KEY_BLOB)
		return memcmp(a->id, b->id, sizeof(a->id)) == 0;
	return a->size == b->size && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns &&
	       a->ino == b->ino && a->dev == b->dev;
}

/* A file changed too close to `than` (the run's start, or the cache
 * file's writing) to tell a later change in the same tick. */
static int racy(const struct key *k, long long than)
{
	return k->kind == KEY_STAT &&
	       (k->mtime_ns >= than - RACY_NS || k->ctime_ns >= than - RACY_NS);
}

/* Decodes entry `at` into `s` (and its findings into the slot) when it
 * describes the same bytes. 1 restored, 0 not. */
/* stat() of a working-tree entry, relative to its open directory when the
 * listing kept one (no walk of the whole path per file). */
static int entry_stat(const struct mlint_snapshot_entry *e, struct stat *st)
{
	if (e->dir_fd >= 0)
		return fstatat(e->dir_fd, e->abs + e->name_off, st, 0);
	return stat(e->abs, st);
}

/* Entry `at` describes the bytes keyed `now`, and holds what this load
 * needs: 1 with `r` after its key, 0 not. */
static int entry_usable(const struct mlint_cache *c, const struct index_slot *at,
			const struct key *now, struct reader *r, unsigned *flags_out)
{
	struct key was;
	uint32_t plen;
	unsigned flags;

	*r = (struct reader){at->entry + 4, at->entry + at->entry_len, 0};
	(void)get_bytes(r, &plen);
	memset(&was, 0, sizeof(was));
	was.kind = (int)get_u8(r);
	*flags_out = flags = get_u8(r);
	get_key(r, &was);
	if (r->bad || !same_key(&was, now) || racy(&was, c->file_mtime_ns))
		return 0;
	return !c->full || ((flags & ENTRY_FULL) && (flags & ENTRY_FINDINGS) &&
			    c->old_rules_fp == c->rules_fp && c->fc && c->rs);
}

static int decode(struct mlint_cache *c, size_t slot, const struct index_slot *at,
		  struct mlint_script *s, const struct key *now)
{
	struct mlint_findings *out;
	struct reader r;
	unsigned flags;

	if (!entry_usable(c, at, now, &r, &flags))
		return 0;
	s->size = (size_t)get_u64(&r);
	s->hash = get_u64(&r);
	s->is_migration = (int)get_u8(&r);
	get_migration(&r, &s->m);
	if (flags & ENTRY_FULL) {
		get_imports(&r, s);
		s->imports_read = !r.bad;
	}
	if (c->full && !r.bad) {
		if ((out = mlint_file_checker_slot(c->fc, slot)) != NULL)
			get_findings(&r, c->rs, out); /* all of them, or none */
		else
			r.bad = 1;
	}
	if (r.bad) { /* back to a blank script: it will be read */
		mlint_migration_release(&s->m);
		mlint_migration_init(&s->m);
		mlint_import_stmts_free(s->imports, s->nr_imports);
		s->imports = NULL;
		s->nr_imports = 0;
		s->imports_read = 0;
		s->is_migration = 0;
		s->size = 0;
		s->hash = 0;
		return 0;
	}
	return 1; /* get_migration left it as a scan does: one block */
}

int mlint_cache_restore(struct mlint_cache *c, size_t slot, size_t i, struct mlint_script *s,
			const struct mlint_snapshot_entry *e)
{
	const struct index_slot *at;
	struct stat st;
	struct key now;

	if (i >= c->nr_scripts || slot >= MLINT_SCAN_SLOTS || e->refused ||
	    !(at = index_find(c, s->path)))
		return 0;
	if (!e->has_id && (entry_stat(e, &st) != 0 || key_of(&now, e, &st) < 0))
		return 0;
	if (e->has_id)
		key_of(&now, e, NULL);
	if (!decode(c, slot, at, s, &now))
		return 0;
	c->scripts[i] = (struct script_state){STATE_HIT, at->entry, 0, at->entry_len, slot};
	return 1;
}

int mlint_cache_knows_blob(void *ctx, const char *path, const unsigned char id[20])
{
	const struct mlint_cache *c = ctx;
	const struct index_slot *at;
	struct reader r;
	struct key now;
	unsigned flags;

	if (!c || c->kind != MLINT_CACHE_INDEX || !(at = index_find(c, path)))
		return 0;
	memset(&now, 0, sizeof(now));
	now.kind = KEY_BLOB;
	memcpy(now.id, id, sizeof(now.id));
	return entry_usable(c, at, &now, &r, &flags);
}

size_t mlint_cache_mark(const struct mlint_cache *c, size_t slot)
{
	const struct mlint_findings *f = c->fc ? mlint_file_checker_slot(c->fc, slot) : NULL;
	return f ? f->nr : 0;
}

/* Files whose rules may ask Python's compiler are not kept: its verdict
 * (and whether it is there at all) belongs to the machine, not the file. */
static int worth_keeping(const struct mlint_script *s)
{
	const struct mlint_migration *m = &s->m;
	return !s->refused && !m->suspect_line && !m->conflict_line && !m->nr_problems;
}

int mlint_cache_record(struct mlint_cache *c, size_t slot, size_t i,
		       const struct mlint_script *s, const struct mlint_snapshot_entry *e,
		       const struct stat *st, size_t mark)
{
	struct mlint_buf *b = &c->fresh[slot < MLINT_SCAN_SLOTS ? slot : 0];
	const struct mlint_findings *f = NULL;
	struct key k;
	size_t start = b->len;
	uint32_t len;
	int error;

	if (i >= c->nr_scripts || slot >= MLINT_SCAN_SLOTS || !worth_keeping(s) ||
	    key_of(&k, e, st) < 0 || racy(&k, c->start_ns))
		return 0;
	if (c->full && (!c->fc || !(f = mlint_file_checker_slot(c->fc, slot)) || mark > f->nr))
		return 0;
	error = put_u32(b, 0) | put_str(b, s->path) | put_u8(b, (unsigned)k.kind) |
		put_u8(b, c->full ? ENTRY_FULL | ENTRY_FINDINGS : 0) | put_key(b, &k) |
		put_u64(b, s->size) | put_u64(b, s->hash) | put_u8(b, (unsigned)s->is_migration) |
		put_migration(b, &s->m);
	if (c->full)
		error |= put_imports(b, s) | put_findings(b, f, mark);
	if (error || b->len - start - 4 >= NO_STRING) {
		mlint_buf_truncate(b, start);
		c->broken = 1;
		return 0; /* the run goes on; the cache is not written */
	}
	len = (uint32_t)(b->len - start - 4);
	memcpy(b->ptr + start, &len, sizeof(len));
	c->scripts[i] = (struct script_state){STATE_NEW, NULL, start, b->len - start, slot};
	return 0;
}

/* ---- the save ----------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_file(struct mlint_cache *c, const struct mlint_buf *payload, const char **why)
{
	unsigned char header[HEADER_LEN];
	uint32_t format = CACHE_FORMAT, endian = CACHE_ENDIAN;
	uint64_t len = payload->len, sum = mlint_source_hash(payload->ptr, payload->len);
	uint64_t rules = c->full ? c->rules_fp : c->old_rules_fp;
	char tmp[4200];
	int fd, ok;

	memcpy(header, CACHE_MAGIC, 8);
	memcpy(header + 8, &format, 4);
	memcpy(header + 12, &endian, 4);
	memcpy(header + 16, &c->facts_fp, 8);
	memcpy(header + 24, &rules, 8);
	memcpy(header + 32, &len, 8);
	memcpy(header + 40, &sum, 8);
	if (mkdir(c->dir, 0777) != 0 && errno != EEXIST) {
		*why = strerror(errno);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", c->file, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
		*why = strerror(errno);
		return -1;
	}
	ok = write_all(fd, (const char *)header, sizeof(header)) == 0 &&
	     write_all(fd, payload->ptr, payload->len) == 0;
	if (!ok)
		*why = strerror(errno);
	if (close(fd) != 0 && ok) {
		ok = 0;
		*why = strerror(errno);
	}
	/* rename is atomic: a reader sees the old file or the new one whole */
	if (!ok || rename(tmp, c->file) != 0) {
		if (ok)
			*why = strerror(errno);
		unlink(tmp);
		return -1;
	}
	c->disk_sum = sum;
	return 0;
}

/* Only a few files of the cache were read again, each one it already
 * holds (edited, not new), and none it holds is gone. */
static int few_fresh(const struct mlint_cache *c, const struct mlint_scriptdir *sd,
		     size_t hits, size_t fresh)
{
	size_t few = c->old_entries / 100 > 16 ? c->old_entries / 100 : 16;

	if (!c->old_entries || fresh > few || hits + fresh != c->old_entries ||
	    (c->full && c->old_rules_fp != c->rules_fp))
		return 0;
	for (size_t i = 0; i < c->nr_scripts; i++)
		if (c->scripts[i].state == STATE_NEW && !index_find(c, sd->scripts[i].path))
			return 0;
	return 1;
}

void mlint_cache_save(struct mlint_cache *c, const struct mlint_scriptdir *sd,
		      struct mlint_notes *notes)
{
	struct mlint_buf payload;
	size_t hits = 0, fresh = 0, kept;
	const char *why = NULL;
	uint32_t n;

	if (!c || !c->scripts || c->nr_scripts != sd->nr_scripts)
		return;
	c->disk_sum = c->old_sum; /* unless written anew below */
	for (size_t i = 0; i < c->nr_scripts; i++) {
		hits += c->scripts[i].state == STATE_HIT;
		fresh += c->scripts[i].state == STATE_NEW;
	}
	kept = hits + fresh;
	mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "cache '%s': %zu of %zu file(s) known, %zu read",
			c->shown, hits, sd->nr_scripts, sd->nr_scripts - hits);
	/* nothing new, nothing gone, same rules: the file on disk says it all */
	if (c->broken || (fresh == 0 && hits == c->old_entries &&
			  (!c->full || c->old_rules_fp == c->rules_fp) && c->old_entries))
		return;
	/* The pre-commit hook's case: a few files edited since the cache was
	 * written. Reading those few again next time costs less than writing
	 * the whole file now (5 MB at 10,000 migrations), so it is kept as it
	 * is until more have changed (or some are gone, or the rules moved). */
	if (few_fresh(c, sd, hits, fresh))
		return;
	mlint_buf_init(&payload, 0);
	n = (uint32_t)kept;
	if (put_u32(&payload, n) < 0)
		goto done;
	for (size_t i = 0; i < c->nr_scripts; i++) {
		const struct script_state *st = &c->scripts[i];
		int error = 0;
		if (st->state == STATE_HIT)
			error = mlint_buf_put(&payload, (const char *)st->bytes, st->len);
		else if (st->state == STATE_NEW)
			error = mlint_buf_put(&payload, c->fresh[st->slot].ptr + st->off, st->len);
		if (error < 0)
			goto done;
	}
	if (write_file(c, &payload, &why) < 0)
		mlint_notes_add(notes, MLINT_NOTE_VERBOSE, "cache '%s' not written: %s", c->shown,
				why ? why : "?");
done:
	mlint_buf_release(&payload);
}

/* ---- the comparison with the base (diff_hint.h) --------------------------- */

/* Paths of the old file's entries that the listing no longer has. */
static int add_gone(struct mlint_path_list *out, const struct mlint_cache *c,
		    const struct mlint_scriptdir *sd, size_t hits)
{
	char path[4097];

	if (hits == c->old_entries)
		return 0; /* each hit is one old entry: none is gone */
	for (size_t i = 0; i < c->nr_index; i++) {
		const struct index_slot *at = &c->index[i];
		if (!at->path)
			continue;
		if (at->path_len >= sizeof(path))
			return MLINT_ENOTFOUND; /* cannot say: no hint */
		memcpy(path, at->path, at->path_len);
		path[at->path_len] = '\0';
		if (mlint_scriptdir_find(sd, path) == (size_t)-1 &&
		    mlint_path_list_add(out, path) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

struct mlint_diff_hint *mlint_cache_diff_hint(const struct mlint_cache *c,
					      const struct mlint_scriptdir *sd)
{
	struct mlint_diff_hint *h;
	size_t hits = 0;
	int error = 0;

	if (!c || c->kind != MLINT_CACHE_WORKTREE || !c->full || !c->disk_sum ||
	    !c->scripts || c->nr_scripts != sd->nr_scripts ||
	    !(h = mlint_diff_hint_new(c->file, c->old_sum, c->disk_sum)))
		return NULL;
	for (size_t i = 0; i < c->nr_scripts && error == 0; i++) {
		if (c->scripts[i].state == STATE_HIT)
			hits++;
		else
			error = mlint_path_list_add(&h->maybe, sd->scripts[i].path);
	}
	for (size_t i = 0; i < c->nr_others && error == 0; i++)
		error = mlint_path_list_add(&h->maybe, c->others[i]);
	if (error == 0)
		error = add_gone(&h->maybe, c, sd, hits);
	if (error < 0) {
		mlint_error_clear();
		mlint_diff_hint_free(h);
		return NULL;
	}
	return h;
}

/* ---- loads that want facts only ------------------------------------------ */

/* `cache = false` (or no, off, 0) in [mlint] of `ini`. */
static int switched_off(const struct mlint_ini *ini)
{
	const struct mlint_ini_entry *e = mlint_ini_get(ini, "mlint", "cache");
	static const char *const no[] = {"false", "no", "off", "0"};

	for (size_t i = 0; e && i < 4; i++)
		if (strcmp(e->value, no[i]) == 0)
			return 1;
	return 0;
}

static int wanted(const struct mlint_project *p, const struct mlint_scriptdir_config *d)
{
	const char *ci = getenv("CI");
	struct mlint_ini project;
	char *path;
	int off = 0;

	if ((ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0)) || !p->repo_root ||
	    switched_off(&d->ini))
		return 0;
	if (!(path = mlint_path_join(p->repo_root, ".mlint.ini")))
		return 0;
	mlint_ini_init(&project);
	if (access(path, F_OK) == 0)
		off = mlint_ini_parse_file(&project, path) < 0 || switched_off(&project);
	mlint_ini_release(&project);
	free(path);
	return !off;
}

int mlint_scriptdir_load_cached(struct mlint_scriptdir *sd, const struct mlint_project *p,
				const struct mlint_scriptdir_config *d, unsigned flags,
				int no_cache, struct mlint_notes *notes)
{
	int error;

	sd->cache = !no_cache && (flags & MLINT_LOAD_GRAPH_ONLY) && wanted(p, d)
			    ? mlint_cache_open(p, d, MLINT_CACHE_WORKTREE, flags, 0, notes)
			    : NULL;
	error = mlint_scriptdir_load(sd, p, d, flags, notes);
	if (error == 0)
		mlint_cache_save(sd->cache, sd, notes);
	mlint_cache_free(sd->cache);
	sd->cache = NULL;
	return error;
}
