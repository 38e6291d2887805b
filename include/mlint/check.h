/*
 * check.h: the checks mlint runs over a loaded script directory.
 *
 * Each function appends findings; none prints or fails on bad input. They
 * return 0, or MLINT_ERROR when out of memory.
 */
#ifndef MLINT_CHECK_H
#define MLINT_CHECK_H

#include "mlint/finding.h"
#include "mlint/scriptdir.h"

/* parse-error, invalid-source, non-literal-value, header-mismatch */
int mlint_check_scan(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* multiple-heads, duplicate-revision, missing-parent, revision-cycle */
int mlint_check_graph(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* filename-format, out-of-order, missing-message */
int mlint_check_naming(const struct mlint_scriptdir *sd, struct mlint_findings *out);

/* What missing-downgrade asks for (config key `downgrade`). */
enum mlint_downgrade_policy {
	MLINT_DOWNGRADE_REQUIRE = 0, /* a downgrade that does something */
	MLINT_DOWNGRADE_ALLOW_RAISE, /* ... or an explicit raise (declared irreversible) */
	MLINT_DOWNGRADE_OFF,         /* no downgrades wanted: no missing/asymmetric findings */
};

/* The database the migrations run on ([mlint] dialect, else the scheme of
 * sqlalchemy.url in alembic.ini). PostgreSQL lock rules run for
 * POSTGRESQL and UNKNOWN (assumed PostgreSQL), not for the others. */
enum mlint_dialect {
	MLINT_DIALECT_UNKNOWN = 0,
	MLINT_DIALECT_POSTGRESQL,
	MLINT_DIALECT_SQLITE,
	MLINT_DIALECT_MYSQL,
	MLINT_DIALECT_GENERIC,
};

/* "postgresql", "sqlite", "mysql", "generic"; "unknown" */
const char *mlint_dialect_name(enum mlint_dialect d);

/* Parses a dialect name (also "postgres", "mariadb"); -1 when unknown. */
int mlint_dialect_parse(enum mlint_dialect *out, const char *name);

/* The dialect of a SQLAlchemy URL ("postgresql+psycopg2://..."): its
 * scheme before '+' and ':'; MLINT_DIALECT_UNKNOWN when it names none of
 * them (or is Alembic's "driver://" placeholder). */
enum mlint_dialect mlint_dialect_of_url(const char *url);

/* Rules that are off unless switched on (`enable = ...` in [mlint]). */
enum mlint_optional_rule {
	MLINT_OPTIONAL_MISSING_LOCK_TIMEOUT = 1 << 0,
};

struct mlint_check_opts {
	enum mlint_downgrade_policy downgrade;
	enum mlint_dialect dialect;
	unsigned optional_rules;  /* mlint_optional_rule bits switched on */
	int env_sets_lock_timeout; /* env.py mentions lock_timeout */
};

struct mlint_ruleset;

/*
 * The rules about each file's content, on several threads when there are
 * many files: the C content rules (missing-downgrade, empty-upgrade,
 * asymmetric-downgrade and the rules on the operation model: ops.h,
 * rules.c) and the pattern rules of `rs`. Needs the sources
 * (MLINT_LOAD_KEEP_SOURCE) and the call lists. Findings come in file order
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

/* committed-credentials: the script directory's alembic.ini. Paths are
 * shown relative to the project's base directory. */
int mlint_check_config(const struct mlint_project *p, const struct mlint_scriptdir *sd,
		       struct mlint_findings *out);

/* Project policy said once: when no migration of the directory has a
 * downgrade, its missing-downgrade findings in `f` (this directory's)
 * become one warning that names `downgrade = off`. */
int mlint_check_policy(const struct mlint_scriptdir *sd, struct mlint_findings *f);

/* imports-application: migrations that import a module of the project
 * outside the migrations directory (the application). Needs the sources
 * (MLINT_LOAD_KEEP_SOURCE). */
int mlint_check_imports(const struct mlint_project *p, const struct mlint_scriptdir *sd,
			struct mlint_findings *out);

#endif
