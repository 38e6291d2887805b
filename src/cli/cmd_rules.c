#include <stdlib.h>
#include <string.h>
#include "mlint/rules.h"
#include "cmd.h"
#include "error.h"
#include "opt.h"

static const struct cli_opt rules_opts[] = {
	{0, 0, NULL, NULL, NULL},
};

static const struct cli_spec rules_spec = {
	"rules", "[RULE-ID]",
	"Without an argument, list every rule: id, default severity, where it\n"
	"applies, and what it reports. With a rule id, explain that rule: why it\n"
	"matters, a bad and a good example, and how to fix what it reports.",
	"examples:\n"
	"  mlint rules\n"
	"  mlint rules multiple-heads\n",
	rules_opts,
};

static int no_options(void *ctx, int id, const char *value)
{
	(void)ctx;
	(void)id;
	(void)value;
	return MLINT_EXIT_USAGE;
}

static int list_rules(void)
{
	size_t nr;
	const struct mlint_rule *all = mlint_rules_all(&nr);
	for (size_t i = 0; i < nr; i++)
		printf("%-22s %-8s %-7s %s\n", all[i].id, mlint_severity_name(all[i].severity),
		       all[i].scope, all[i].summary);
	return MLINT_EXIT_OK;
}

static int explain_rule(const char *id)
{
	const struct mlint_rule *r = mlint_rule_find(id);
	if (!r)
		return cli_error("unknown rule '%s'; run 'mlint rules' for the list", id);
	printf("%s (%s, %s)\n\n%s\n\n%s\n\nFix:\n%s\n", r->id, mlint_severity_name(r->severity),
	       r->scope, r->summary, r->explain, r->fix);
	return MLINT_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
	char **pos = NULL;
	size_t nr = 0;
	int code;

	if ((code = cli_parse(&rules_spec, argc, argv, no_options, NULL, &pos, &nr)) != 0)
		return code == CLI_HELP ? MLINT_EXIT_OK : code;
	if (nr > 1)
		code = cli_error("'mlint rules' takes at most one rule id; see 'mlint rules --help'");
	else
		code = nr ? explain_rule(pos[0]) : list_rules();
	free(pos);
	return code;
}
