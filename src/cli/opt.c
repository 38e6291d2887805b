#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "opt.h"

static const struct cli_spec **spec_sink;

void cli_capture_spec(const struct cli_spec **sink)
{
	spec_sink = sink;
}

/* Whether s[0..n) is a value word: lower-case letters, digits and '-'. */
static int is_value_word(const char *s, size_t n)
{
	if (n == 0 || n >= 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

size_t cli_opt_values(const struct cli_opt *o, char (*words)[32], size_t max)
{
	const char *p = o->help, *colon;
	size_t nr = 0;

	if (!o->value_name)
		return 0;
	while ((colon = strstr(p, ": ")) != NULL)
		p = colon + 2;
	while (*p) {
		size_t n = strcspn(p, " ,");
		if (!is_value_word(p, n) || nr == max)
			return 0;
		memcpy(words[nr], p, n);
		words[nr++][n] = '\0';
		p += n;
		if (strncmp(p, " (default)", 10) == 0)
			p += 10;
		if (strncmp(p, ", ", 2) == 0)
			p += 2;
		else if (strncmp(p, " or ", 4) == 0)
			p += 4;
		else if (*p)
			return 0;
	}
	return nr >= 2 ? nr : 0;
}

void cli_print_help(FILE *out, const struct cli_spec *spec)
{
	fprintf(out, "usage: mlint %s %s\n\n%s\n\noptions:\n", spec->name, spec->usage,
		spec->summary);
	for (const struct cli_opt *o = spec->opts; o->long_name; o++) {
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->long_name,
				 o->value_name ? " " : "", o->value_name ? o->value_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->long_name,
				 o->value_name ? " " : "", o->value_name ? o->value_name : "");
		fprintf(out, "  %-26s %s\n", left, o->help);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", "show this help and exit");
	if (spec->details)
		fprintf(out, "\n%s", spec->details);
}

static const struct cli_opt *find_long(const struct cli_spec *spec, const char *name, size_t n)
{
	for (const struct cli_opt *o = spec->opts; o->long_name; o++)
		if (strlen(o->long_name) == n && strncmp(o->long_name, name, n) == 0)
			return o;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_spec *spec, char c)
{
	for (const struct cli_opt *o = spec->opts; o->long_name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int usage_error(const struct cli_spec *spec, const char *what, const char *arg)
{
	cli_error("%s '%s'; see 'mlint %s --help'", what, arg, spec->name);
	return MLINT_EXIT_USAGE;
}

/* Handles argv[*i]; may consume argv[*i + 1] as the value. */
static int parse_one(const struct cli_spec *spec, int argc, char **argv, int *i, cli_opt_fn fn,
		     void *ctx)
{
	const char *arg = argv[*i], *value = NULL;
	const struct cli_opt *o;

	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		if (!(o = find_long(spec, arg + 2, n)))
			return usage_error(spec, "unknown option", arg);
		if (eq && !o->value_name)
			return usage_error(spec, "option takes no value", arg);
		value = eq ? eq + 1 : NULL;
	} else {
		if (!(o = find_short(spec, arg[1])))
			return usage_error(spec, "unknown option", arg);
		if (arg[2] && o->value_name)
			value = arg + 2;
		else if (arg[2])
			return usage_error(spec, "unknown option", arg);
	}
	if (o->value_name && !value) {
		if (*i + 1 >= argc)
			return usage_error(spec, "option needs a value:", arg);
		value = argv[++*i];
	}
	return fn(ctx, o->id, value);
}

int cli_parse(const struct cli_spec *spec, int argc, char **argv, cli_opt_fn fn, void *ctx,
	      char ***positionals, size_t *nr_positionals)
{
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	size_t nr = 0;
	int only_positionals = 0;

	if (!pos)
		return cli_error("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int code;
		if (only_positionals || arg[0] != '-' || arg[1] == '\0') {
			pos[nr++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positionals = 1;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			if (spec_sink)
				*spec_sink = spec;
			else
				cli_print_help(stdout, spec);
			free(pos);
			return CLI_HELP;
		}
		if ((code = parse_one(spec, argc, argv, &i, fn, ctx)) != 0) {
			free(pos);
			return code;
		}
	}
	*positionals = pos;
	*nr_positionals = nr;
	return 0;
}
