/*
 * Rules about the project's policy said once per run, not once per
 * migration: a script directory where no migration has a downgrade does not
 * roll back by downgrade. Its missing-downgrade findings (one per
 * migration, 130 in one real project; irreversible-data-migration for the
 * data migrations among them) become one warning, on the newest
 * migration, that names the config line which states the policy.
 */
#include <stdio.h>
#include <string.h>
#include "mlint/check.h"
#include "util.h"

/* Fewer migrations than this without a downgrade are no policy. */
#define POLICY_MIN_MIGRATIONS 3

static int is_merge(const struct mlint_migration *m)
{
	return m->down_revision.kind == MLINT_VAL_SEQ && m->down_revision.nr > 1;
}

/* Migrations whose upgrade does something: missing-downgrade asks them all. */
static size_t asked(const struct mlint_scriptdir *sd)
{
	size_t n = 0;
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		const struct mlint_function *up = mlint_migration_function(&s->m, "upgrade");
		n += s->is_migration && !s->refused && mlint_migration_has_revision(&s->m) &&
		     !is_merge(&s->m) && up && up->body == MLINT_BODY_CODE;
	}
	return n;
}

/* Files with a missing-downgrade finding: one file's findings of a rule
 * come from one pass over it, so they are next to each other. */
static int about_downgrade(const char *rule)
{
	return strcmp(rule, "missing-downgrade") == 0 ||
	       strcmp(rule, "irreversible-data-migration") == 0;
}

static size_t files_without(const struct mlint_findings *f)
{
	const char *last = NULL;
	size_t n = 0;
	for (size_t i = 0; i < f->nr; i++) {
		if (!about_downgrade(f->items[i].rule))
			continue;
		n += !last || strcmp(last, f->items[i].path) != 0;
		last = f->items[i].path;
	}
	return n;
}

static int not_missing_downgrade(void *ctx, const struct mlint_finding *x)
{
	(void)ctx;
	return !about_downgrade(x->rule);
}

/* The head (the newest migration; a pull request's new one), else the last. */
static const struct mlint_script *newest(const struct mlint_scriptdir *sd)
{
	for (size_t n = 0; n < sd->graph.nr_nodes; n++)
		if (sd->graph.nodes[n].nr_children == 0)
			return mlint_scriptdir_node_script(sd, n);
	return sd->nr_scripts ? &sd->scripts[sd->nr_scripts - 1] : NULL;
}

int mlint_check_policy(const struct mlint_scriptdir *sd, struct mlint_findings *f)
{
	size_t n = asked(sd);
	struct mlint_location at;
	const struct mlint_script *s;
	const struct mlint_function *up;
	const char *where = sd->config && sd->config->ini_path ? "alembic.ini" : ".mlint.ini";

	if (n < POLICY_MIN_MIGRATIONS || files_without(f) != n || !(s = newest(sd)))
		return 0;
	mlint_findings_filter(f, not_missing_downgrade, NULL);
	up = mlint_migration_function(&s->m, "upgrade");
	at = mlint_script_at(s, up ? up->def_line : 1, 1);
	if (mlint_findings_addf(f, mlint_rule_find("missing-downgrade"), &at,
				"none of the %zu migrations in '%s' has a downgrade: the project "
				"does not roll back by downgrade; if that is the policy, say it once "
				"with `downgrade = off` under [mlint] in %s (this is said once per "
				"run, not per migration)", n,
				sd->config && sd->config->display ? sd->config->display : ".",
				where) < 0)
		return MLINT_ERROR;
	f->items[f->nr - 1].severity = MLINT_SEV_WARNING;
	return 0;
}
