/*
 * check_run.h: a whole `mlint check` as one call over one snapshot.
 *
 * The request says what to read (the working tree, the index or a commit),
 * against which base, and with which overrides; mlint_check_run() discovers
 * the project, reads its policy (the [mlint] sections, .mlint.ini, the
 * rules-dir rule files) from the snapshot being checked -- from the base
 * commit when CI=true, so a pull request cannot loosen its own gate --,
 * chooses the base by the table documented at mlint_git_choose_base()
 * (docs/base.md), loads and scans every script directory, runs every rule,
 * and returns findings, summary, notes and the change set as values.
 *
 * Ownership: the request and everything it points at are borrowed for the
 * call. The result owns everything in it (mlint_check_result_release);
 * findings point at rule ids of `result->rules`, so keep the result whole.
 */
#ifndef MLINT_CHECK_RUN_H
#define MLINT_CHECK_RUN_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/change_set.h"
#include "mlint/config.h"
#include "mlint/discover.h"
#include "mlint/finding.h"
#include "mlint/ruleset.h"
#include "mlint/scriptdir.h"

/* What is checked. */
enum mlint_check_source {
	MLINT_CHECK_WORKTREE = 0, /* the files on disk */
	MLINT_CHECK_INDEX,        /* the staged blobs (a pre-commit hook) */
	MLINT_CHECK_COMMIT,       /* the tree of request.head (no checkout; bare too) */
};

struct mlint_check_request {
	const char *const *paths;     /* project roots, ini files or version dirs */
	size_t nr_paths;              /* 0: the current directory */
	const char *config;           /* the alembic.ini to read, or NULL: found */
	const char *name;             /* only this alembic.ini section (alembic -n), or NULL */
	enum mlint_check_source source;
	const char *head;             /* the revision with MLINT_CHECK_COMMIT */
	const char *base;             /* compare with REF, or NULL: the base table */
	const char *const *applied;   /* also applied: revisions or ref globs */
	size_t nr_applied;
	const char *const *rules_dirs; /* instead of the config's rules-dir */
	size_t nr_rules_dirs;
	int no_git;                   /* no git rules, no libgit2 */
	int no_baseline;              /* report the findings .mlint-baseline holds too */
	int no_cache;                 /* no cache under .git/mlint (cache.h) */
	int plan_only;                /* discover, read the policy and choose the
				       * base, but read no migration (--show-config) */
	/* The command line's settings (select, ignore, fail-on, downgrade,
	 * new-only, ...), applied last; NULL for none. */
	const struct mlint_config *overrides;
};

struct mlint_check_result {
	struct mlint_project project;      /* what was discovered */
	struct mlint_scriptdir *dirs;      /* one per project.dirs[i] */
	struct mlint_config *configs;      /* the settings in force for dirs[i] */
	size_t nr_dirs;
	struct mlint_config project_config; /* .mlint.ini and the overrides */
	struct mlint_ruleset rules;        /* the rules that ran */
	struct mlint_findings findings;    /* sorted */
	struct mlint_summary summary;
	/* Warnings and verbose notes, in order, also when the run failed:
	 * print them before the error. */
	struct mlint_notes notes;
	int fail;                 /* a finding reached its directory's fail-on */
	char *base;               /* the base as named ("origin/main"), or NULL */
	char *base_row;           /* the row of the base table used, or NULL */
	const char *base_source;  /* "--base", "config", "default", "--no-git", ... */
	char **applied;           /* the --applied refs in force */
	size_t nr_applied;
	struct mlint_change_set change;
	/* .mlint-baseline (read from the policy snapshot): findings it hid,
	 * and its entries that matched no finding (stale). */
	int has_baseline;
	size_t baseline_hidden, baseline_unused;
};

void mlint_check_result_init(struct mlint_check_result *r);
void mlint_check_result_release(struct mlint_check_result *r);

/*
 * Runs the check. Returns 0 (the findings may be many), or a negative error
 * (MLINT_EUSAGE for what the user must fix; mlint_error_last() says what):
 * a missing path, a bad config, a base or head that does not exist, a
 * repository git refuses to open (safe.directory). Notes are in
 * out->notes either way.
 */
int mlint_check_run(struct mlint_check_result *out, const struct mlint_check_request *req);

/*
 * The rules `check` would run for `req` (built-in, shipped, --rules-dir, or
 * else the rules-dir of the policy, read as check reads it); for `mlint
 * rules`. Where no project is found: the built-in rules and --rules-dir.
 * `out` is initialised and empty.
 */
int mlint_check_rules(struct mlint_ruleset *out, const struct mlint_check_request *req);

/* --show-config: the base, the applied refs, then each script directory's
 * settings and where each came from. Needs a plan_only (or full) run. */
int mlint_check_show_config(struct mlint_buf *out, const struct mlint_check_result *r);

/* check --summary: the findings counted by rule (with its severity), the
 * five files with the most findings, and the counts by severity. */
int mlint_check_summary(struct mlint_buf *out, const struct mlint_check_result *r);

#endif
