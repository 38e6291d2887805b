#include <stdlib.h>
#include <string.h>
#include "mlint/check_run.h"
#include "mlint/ruleset.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

enum { OPT_RULES_DIR = 1 };

static const struct cli_opt rules_opts[] = {
	{OPT_RULES_DIR, 0, "rules-dir", "DIR", "also list the rules of DIR/*.rule (repeatable)"},
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec rules_spec = {
	"rules", "[RULE-ID]",
	"Without an argument, list every rule: id, default severity, where it\n"
	"applies, and what it reports. With a rule id, explain that rule: why it\n"
	"matters, a bad and a good example, and how to fix what it reports.",
	"columns: id, default severity, scope (where it applies: upgrade, downgrade,\n"
	"graph, scan, git, naming, config), origin (built-in, or the rule file),\n"
	"summary. Pattern rules are files in rules/ (see rules/README.md).\n\n"
	"examples:\n"
	"  mlint rules\n"
	"  mlint rules multiple-heads\n"
	"  mlint rules --rules-dir ci/mlint-rules\n",
	rules_opts,
};

struct rules_args {
	const char **dirs;
	size_t nr_dirs;
};

static int rules_option(void *ctx, int id, const char *value)
{
	struct rules_args *a = ctx;
	if (id != OPT_RULES_DIR)
		return MLINT_EXIT_USAGE;
	a->dirs[a->nr_dirs++] = value;
	return 0;
}

static int list_rules(const struct mlint_ruleset *rs)
{
	for (size_t i = 0; i < rs->nr; i++) {
		const struct mlint_ruleset_entry *e = &rs->entries[i];
		printf("%-30s %-8s %-9s %-36s %s\n", e->rule->id,
		       mlint_severity_name(e->rule->severity), e->rule->scope, e->origin,
		       e->rule->summary);
	}
	return MLINT_EXIT_OK;
}

static void print_patterns(const struct mlint_ruleset_entry *e)
{
	const char *const *pats;
	size_t nr;
	if (!e->pattern)
		return;
	nr = mlint_pattern_rule_patterns(e->pattern, &pats);
	printf("\nPattern rule: target '%s', matched with PCRE2:\n",
	       mlint_pattern_rule_target(e->pattern));
	for (size_t i = 0; i < nr; i++)
		printf("  %s\n", pats[i]);
}

static int explain_rule(const struct mlint_ruleset *rs, const char *id)
{
	const struct mlint_ruleset_entry *e = mlint_ruleset_find(rs, id);
	const struct mlint_rule *r;
	if (!e)
		return cli_error("unknown rule '%s'; run 'mlint rules' for the list", id);
	r = e->rule;
	printf("%s (%s, %s; %s)\n\n%s\n\n%s\n\nFix:\n%s\n", r->id,
	       mlint_severity_name(r->severity), r->scope, e->origin, r->summary, r->explain,
	       r->fix);
	print_patterns(e);
	return MLINT_EXIT_OK;
}

/* The rules check would run here: those of the project's config too
 * (rules-dir in .mlint.ini or [mlint]); outside a project the built-in ones
 * and --rules-dir. */
static int load_rules(struct mlint_ruleset *rs, const struct rules_args *a)
{
	struct mlint_check_request req;

	memset(&req, 0, sizeof(req));
	req.rules_dirs = a->dirs;
	req.nr_rules_dirs = a->nr_dirs;
	return mlint_check_rules(rs, &req) < 0 ? cli_library_error() : 0;
}

int cmd_rules(int argc, char **argv)
{
	struct rules_args args = {0};
	struct mlint_ruleset rs;
	char **pos = NULL;
	size_t nr = 0;
	int code;

	mlint_ruleset_init(&rs);
	if (!(args.dirs = calloc((size_t)argc + 1, sizeof(*args.dirs))))
		return cli_error("out of memory");
	if ((code = cli_parse(&rules_spec, argc, argv, rules_option, &args, &pos, &nr)) != 0) {
		code = code == CLI_HELP ? MLINT_EXIT_OK : code;
		goto done;
	}
	if ((code = load_rules(&rs, &args)) != 0)
		goto done;
	if (nr > 1)
		code = cli_error("'mlint rules' takes at most one rule id; see 'mlint rules --help'");
	else
		code = nr ? explain_rule(&rs, pos[0]) : list_rules(&rs);
done:
	mlint_ruleset_release(&rs);
	free(args.dirs);
	free(pos);
	return code;
}
