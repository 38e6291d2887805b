/*
 * scriptdir.h: one script directory read and scanned: every candidate file
 * of its version locations, the migrations among them, and their graph.
 *
 * Ownership: the scriptdir owns its scripts (paths, migrations, sources) and
 * its graph; it borrows the config it was loaded from, which must outlive it.
 */
#ifndef MLINT_SCRIPTDIR_H
#define MLINT_SCRIPTDIR_H

#include <stddef.h>
#include <stdint.h>
#include "mlint/discover.h"
#include "mlint/finding.h"
#include "mlint/graph.h"
#include "mlint/migration.h"

/* Files larger than this are refused with a finding, not read. */
#define MLINT_MAX_FILE_BYTES (64u << 20)

enum mlint_load_flags {
	MLINT_LOAD_KEEP_SOURCE = 1 << 0, /* keep each file's bytes in memory (else a rule
					  * that needs them reads them again) */
	MLINT_LOAD_GRAPH_ONLY = 1 << 1,  /* no call lists: what `heads` needs (and,
					  * without a cache, no mlint_script_source) */
	MLINT_LOAD_DROP_CALLS = 1 << 2,  /* free call lists once the visitor saw them */
};

/* Threads a load scans with, at most. */
#define MLINT_SCAN_SLOTS 8

struct mlint_script;

/*
 * Runs in the scanning thread on each file right after its scan, with the
 * file's bytes in s->source (also without MLINT_LOAD_KEEP_SOURCE, then only
 * during the call): the per-file rules run there while the file is in
 * cache, and the call lists can be dropped after (MLINT_LOAD_DROP_CALLS).
 * `slot` (below MLINT_SCAN_SLOTS) numbers the thread: two calls with one
 * slot never overlap, and slot t sees files before those of slot t + 1.
 * A negative return stops the load with that error.
 */
struct mlint_scan_visitor {
	int (*visit)(void *ctx, size_t slot, const struct mlint_script *s);
	void *ctx;
};

struct mlint_arena_block;

/* Why a script's bytes could not be had again (mlint_script_source). */
enum mlint_source_state {
	MLINT_SOURCE_OK = 0,
	MLINT_SOURCE_CHANGED,    /* other bytes than the scanned ones */
	MLINT_SOURCE_UNREADABLE, /* gone, or unreadable, since the scan */
};

/*
 * An import statement of a migration that names modules outside Python's
 * and the migration tools' own (imports-application resolves them after
 * the load, when the project's layout is known): facts read with the file.
 */
struct mlint_import_stmt {
	unsigned line, col;
	int code;          /* the statement is code (not text inside a string) */
	char **modules;    /* dotted names, in the order Python imports them */
	size_t nr_modules;
};

struct mlint_script {
	char *path;      /* relative to the repository root */
	char *refused;   /* why it was not read, or NULL */
	int is_migration; /* assigns revision or down_revision at module level */
	int imports_read; /* `imports` below were read while the bytes were at hand */
	struct mlint_migration m;
	/* The bytes, when at hand: during the visitor, with
	 * MLINT_LOAD_KEEP_SOURCE, for git snapshots (their blobs), or once
	 * mlint_script_source read them again. Rules that run after the load
	 * ask mlint_script_source, never these fields. */
	const char *source;
	size_t source_len;
	/* The import statements imports-application looks at, once read
	 * (imports_read) while the bytes were at hand. */
	struct mlint_import_stmt *imports;
	size_t nr_imports;
	/* Private to scriptdir.c: how to read the bytes again and know them. */
	char *abs;            /* the file (working tree entries), or NULL ... */
	const char *root;     /* ... or root/path names it (the scriptdir's root) ... */
	const struct mlint_blob_source *blobs; /* ... or a blob of the repository */
	uint64_t hash;        /* of the scanned bytes */
	size_t size;          /* of the scanned bytes */
	unsigned char own_source; /* `source` is malloc'ed by the script */
	unsigned char source_state; /* enum mlint_source_state */
};

struct mlint_cache;

struct mlint_scriptdir {
	const struct mlint_scriptdir_config *config;
	char *root; /* what the scripts' paths are relative to (working tree loads) */
	struct mlint_script *scripts; /* sorted by path */
	size_t nr_scripts;
	size_t nr_migrations;
	struct mlint_graph graph;     /* node .input indexes inputs; input .tag indexes scripts */
	struct mlint_graph_input *inputs;
	size_t nr_inputs;
	/* Set between init and load to run a visitor on each file. */
	const struct mlint_scan_visitor *visitor;
	/* Set between init and load to restore unchanged files from a cache
	 * (cache.h) instead of reading them; borrowed. */
	struct mlint_cache *cache;
	/* Owned: what the cache knows for the comparison with the base
	 * (private: src/diff_hint.h), or NULL. */
	struct mlint_diff_hint *diff_hint;
	/* Owned: where scripts restored from the cache of staged files read
	 * their blobs when asked (private: scriptdir.c), or NULL. */
	struct mlint_blob_source *blobs;
	/* The kept sources, in big blocks, one arena per scanning thread
	 * (private: src/arena.h). */
	struct mlint_arena_block *sources[MLINT_SCAN_SLOTS];
};

void mlint_scriptdir_init(struct mlint_scriptdir *sd);
/* Before the repository a load read blobs from is freed: blobs not read
 * yet cannot be read any more (mlint_script_source returns NULL). */
void mlint_scriptdir_forget_repository(struct mlint_scriptdir *sd);
void mlint_scriptdir_release(struct mlint_scriptdir *sd);

/*
 * Lists, reads and scans every candidate file of `d`, then builds the graph.
 * Non-migration files are described in `notes`. An unreadable file is an
 * error naming it; a file with bad content is kept and reported by the rules.
 */
int mlint_scriptdir_load(struct mlint_scriptdir *sd, const struct mlint_project *p,
			 const struct mlint_scriptdir_config *d, unsigned flags,
			 struct mlint_notes *notes);

struct mlint_snapshot;

/*
 * The same over an already listed snapshot (the index, a commit's tree):
 * entries' paths and bytes are moved out of `snap`, and the rest of it is
 * freed once the files are read; the caller still releases it.
 */
int mlint_scriptdir_load_snapshot(struct mlint_scriptdir *sd,
				  const struct mlint_scriptdir_config *d, struct mlint_snapshot *snap,
				  unsigned flags, struct mlint_notes *notes);

/*
 * The bytes of script `s` (NUL-terminated), read again from the file when
 * they were not kept, and then kept until the scriptdir is released; NULL
 * (length 0) for a refused file, or when the file no longer holds the
 * scanned bytes: the script then records why (source_state) and
 * mlint_scriptdir_sources_ok() reports it. Not thread-safe for one script;
 * the post-load rules run on one thread.
 */
const char *mlint_script_source(const struct mlint_script *s, size_t *len);

/* 0, or an error naming the first file whose bytes changed (or vanished)
 * between the scan and a later read by mlint_script_source: the findings
 * of such a run would not describe one version of the file. */
int mlint_scriptdir_sources_ok(const struct mlint_scriptdir *sd);

/* A cheap 64-bit hash of bytes (not cryptographic: it tells a changed file
 * from the one scanned). */
uint64_t mlint_source_hash(const char *p, size_t len);

/* The text of line `line` (1-based) of the script's source, or NULL. */
const char *mlint_script_line(const struct mlint_script *s, unsigned line, size_t *len);

/* A finding's location in `s`: its path and revision, the position, and
 * that line of its source as the excerpt. */
struct mlint_location mlint_script_at(const struct mlint_script *s, unsigned line, unsigned col);

/* The index of the script at `path` (sd->scripts is sorted by path), or
 * (size_t)-1. */
size_t mlint_scriptdir_find(const struct mlint_scriptdir *sd, const char *path);

/* The script of graph node `node`. */
const struct mlint_script *mlint_scriptdir_node_script(const struct mlint_scriptdir *sd,
						       size_t node);

#endif
