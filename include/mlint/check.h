/*
 * check.h: the checks mlint runs over a loaded script directory.
 *
 * Each function appends findings; none prints or fails on bad input. They
 * return 0, or MLINT_ERROR when out of memory.
 */
#ifndef MLINT_CHECK_H
#define MLINT_CHECK_H

#include "mlint/config.h"
#include "mlint/finding.h"
#include "mlint/scriptdir.h"

/* parse-error, invalid-source, non-literal-value, header-mismatch */
int mlint_check_scan(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* multiple-heads, duplicate-revision, missing-parent, revision-cycle */
int mlint_check_graph(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* filename-format, out-of-order, missing-message */
int mlint_check_naming(const struct mlint_scriptdir *sd, struct mlint_findings *out);
/* enum-type-not-created across the directory (after the per-file rules):
 * drops the findings for a type another migration of `sd` creates. Reads
 * the files that mention an enum only, and only when there is such a
 * finding. */
int mlint_check_enum_types(const struct mlint_scriptdir *sd, struct mlint_findings *out);

struct mlint_check_opts {
	enum mlint_downgrade_policy downgrade;
	enum mlint_dialect dialect;
	unsigned optional_rules;  /* mlint_optional_rule bits switched on */
	int env_sets_lock_timeout; /* env.py mentions lock_timeout */
	/* Tables that exist but hold no rows when the upgrade starts: created
	 * by a migration earlier in the same change (see change_tables.c). */
	const char *const *empty_tables;
	size_t nr_empty_tables;
};

struct mlint_ruleset;

/*
 * The rules about each file's content, on several threads when there are
 * many files: the C content rules (missing-downgrade, empty-upgrade,
 * asymmetric-downgrade and the rules on the operation model: ops.h,
 * rules.c) and the pattern rules of `rs`. Needs the call lists; the
 * sources are read again when not kept. Findings come in file order
 * (sort them for output).
 */
int mlint_check_files(const struct mlint_scriptdir *sd, const struct mlint_ruleset *rs,
		      const struct mlint_check_opts *opts, struct mlint_findings *out);

/*
 * The same rules run while the files are loaded: a scan visitor
 * (scriptdir.h) that checks each file in its scanning thread as soon as it
 * is read, so the bytes are still in cache and the call lists can be freed
 * straight after (MLINT_LOAD_DROP_CALLS). Set sd->visitor to the visitor
 * from mlint_file_checker_visitor() before the load, then take the findings.
 * `rs` must outlive the checker; `opts` is copied.
 */
struct mlint_file_checker;
struct mlint_file_checker *mlint_file_checker_new(const struct mlint_ruleset *rs,
						  const struct mlint_check_opts *opts);
void mlint_file_checker_free(struct mlint_file_checker *fc);
const struct mlint_scan_visitor *mlint_file_checker_visitor(struct mlint_file_checker *fc);
/* Moves the findings gathered so far to `out`, in file order. */
int mlint_file_checker_take(struct mlint_file_checker *fc, struct mlint_findings *out);
/* The options the checker runs the content rules with. */
const struct mlint_check_opts *mlint_file_checker_opts(const struct mlint_file_checker *fc);

struct mlint_change_set;

/*
 * A table that an earlier migration of the change creates holds no rows
 * when a later one of the change alters it: findings in `out` (this
 * directory's) of the rules that depend on a table's rows are dropped for
 * the change's added migrations where they no longer hold. Needs the
 * sources (src/change_tables.c).
 */
int mlint_check_change_tables(const struct mlint_scriptdir *sd,
			      const struct mlint_change_set *change,
			      const struct mlint_check_opts *opts, struct mlint_findings *out);

/* committed-credentials: the script directory's alembic.ini. Paths are
 * shown relative to the project's base directory. */
int mlint_check_config(const struct mlint_project *p, const struct mlint_scriptdir *sd,
		       struct mlint_findings *out);

/* Project policy said once: when no migration of the directory has a
 * downgrade, its missing-downgrade findings in `f` (this directory's)
 * become one warning that names `downgrade = off`. */
int mlint_check_policy(const struct mlint_scriptdir *sd, struct mlint_findings *f);

/* The import statements of a file imports-application asks about (the
 * facts of struct mlint_import_stmt), in file order; free them with
 * mlint_import_stmts_free. */
int mlint_imports_extract(const char *src, size_t len, struct mlint_import_stmt **out,
			  size_t *nr);
void mlint_import_stmts_free(struct mlint_import_stmt *stmts, size_t nr);

/* imports-application: migrations that import a module of the project
 * outside the migrations directory (the application). Uses the import
 * statements read with each file (or reads the file again). */
int mlint_check_imports(const struct mlint_project *p, const struct mlint_scriptdir *sd,
			struct mlint_findings *out);

#endif
