/*
 * config.h: mlint's own settings, from the `[mlint]` section of the
 * alembic.ini mlint reads (Flask-Migrate: migrations/alembic.ini) or of
 * `.mlint.ini` at the repository root, and from the command line:
 *
 *   select    = id, id, ...    only these rules (default: all)
 *   ignore    = id, id, ...    never these rules
 *   fail-on   = error | warning | info   exit 1 at this severity or above
 *   downgrade = require | allow-raise | off   what missing-downgrade asks for
 *   new-only  = true | false   content rules only on the change's migrations
 *   exclude   = glob, glob, ...   no findings in files matching a glob
 *   per-path-ignores = glob:id,id; glob:id   these rules never in those files
 *   dialect   = postgresql | sqlite | mysql | generic   the database (else
 *               detected from sqlalchemy.url, else assumed PostgreSQL)
 *   enable    = id, id, ...    rules that are off by default, switched on
 *
 * Globs are fnmatch(3) patterns over the repository path; `*` also crosses
 * `/`; a glob without `/` is matched against the file name.
 *
 * Later sources override earlier ones key by key: .mlint.ini, then
 * alembic.ini, then the command line. An unknown key is a warning naming the
 * file and line; a bad value is an error naming them.
 *
 * Ownership: the struct owns its lists and strings (init/release).
 */
#ifndef MLINT_CONFIG_H
#define MLINT_CONFIG_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/common.h"
#include "mlint/discover.h"
#include "mlint/ini.h"

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

struct mlint_id_list {
	char **ids;
	size_t nr, alloc;
	char *where; /* "'alembic.ini':12" or "--select": for messages; NULL when unset */
};

struct mlint_config {
	struct mlint_id_list select, ignore;
	int has_fail_on;
	enum mlint_severity fail_on;
	int has_downgrade;
	enum mlint_downgrade_policy downgrade;
	/* Where fail-on, downgrade and new-only were set ("'f.ini':3",
	 * "--fail-on"); NULL: the default. */
	char *fail_on_where, *downgrade_where, *new_only_where;
	int has_new_only, new_only;
	struct mlint_id_list exclude;          /* globs; where as for select */
	struct mlint_id_list path_globs;       /* per-path-ignores: the globs, */
	struct mlint_id_list path_rules;       /* and for each "id,id" */
	/* Read before the project is linted: the base to compare with, refs
	 * production already ran, team rule directories (relative to the
	 * repository root). `template` and `models` are read by rename and
	 * model-without-migration from the ini itself. */
	struct mlint_id_list base;       /* one item */
	struct mlint_id_list applied;
	struct mlint_id_list rules_dirs;
	/* dialect: where it was set or detected ("'alembic.ini':3",
	 * "sqlalchemy.url in 'alembic.ini':5"); NULL: not known (assumed). */
	int has_dialect;
	enum mlint_dialect dialect;
	char *dialect_where;
	struct mlint_id_list enable;
	/* cache = false: no cache under .git/mlint (docs/cache.md) */
	int has_cache, cache;
};

void mlint_config_init(struct mlint_config *cfg);
void mlint_config_release(struct mlint_config *cfg);

/*
 * Sets one key. `where` names its source for messages ("'alembic.ini':12",
 * "--fail-on"). A bad value is MLINT_EUSAGE with a message; an unknown key
 * returns MLINT_ENOTFOUND (no message: the caller decides).
 */
int mlint_config_set(struct mlint_config *cfg, const char *key, const char *value,
		     const char *where);

/* Applies the [mlint] section of `ini`; `display` names the file. Unknown
 * keys become warnings in `notes`. */
int mlint_config_read_ini(struct mlint_config *cfg, const struct mlint_ini *ini,
			  const char *display, struct mlint_notes *notes);

/* When no dialect is set, takes it from sqlalchemy.url of `ini`'s
 * [alembic] section (`display` names the file). */
int mlint_config_detect_dialect(struct mlint_config *cfg, const struct mlint_ini *ini,
				const char *display);

struct mlint_check_opts;

/* The mlint_check_opts for this config: downgrade, dialect, optional rules
 * (enabled by `enable`, or named in `select`). */
void mlint_config_check_opts(const struct mlint_config *cfg, struct mlint_check_opts *opts);

/* Whether `script_location`/env.py holds `word` (1), or not or cannot be
 * read (0). */
int mlint_env_mentions(const char *script_location, const char *word);

/* Reads `path` (display name `display`) when it exists, then as above. */
int mlint_config_read_file(struct mlint_config *cfg, const char *path, const char *display,
			   struct mlint_notes *notes);

/* Reads `.mlint.ini` at the project's repository root (else its base
 * directory), when there is one. */
int mlint_config_read_project(struct mlint_config *cfg, const struct mlint_project *p,
			      struct mlint_notes *notes);

/* Copies every key `from` sets over `to`. */
int mlint_config_merge(struct mlint_config *to, const struct mlint_config *from);

/* Whether findings of `rule_id` are kept (select and ignore). */
int mlint_config_enabled(const struct mlint_config *cfg, const char *rule_id);

/* Whether a finding of `rule_id` in repository path `path` is kept
 * (select, ignore, exclude and per-path-ignores). */
int mlint_config_keeps(const struct mlint_config *cfg, const char *rule_id, const char *path);

/*
 * The effective settings, one `key = value` line each, padded, then
 * `; SOURCE` (the file and line, the option, or "default"). Values as the
 * config file takes them.
 */
int mlint_config_show(struct mlint_buf *out, const struct mlint_config *cfg);

#endif
