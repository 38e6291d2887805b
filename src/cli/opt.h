/*
 * opt.h: one option table per command drives both parsing and --help, so
 * help can never drift from behaviour.
 */
#ifndef MLINT_CLI_OPT_H
#define MLINT_CLI_OPT_H

#include <stdio.h>

struct cli_opt {
	int id;
	char short_name;        /* 0: none */
	const char *long_name;  /* without "--" */
	const char *value_name; /* NULL for a flag */
	const char *help;
};

struct cli_spec {
	const char *name;     /* "check" */
	const char *usage;    /* "[PATH...] [options]" */
	const char *summary;  /* one line */
	const char *details;  /* paragraphs after the options (examples, exit codes) */
	const struct cli_opt *opts; /* terminated by {0} */
};

/* Called for each option; returns 0, or non-zero to stop with that code. */
typedef int (*cli_opt_fn)(void *ctx, int id, const char *value);

/*
 * Parses argv[1..]: options through `fn`, the rest into `positionals` (a
 * NULL-terminated array the caller frees, pointing into argv). Returns 0,
 * CLI_HELP when --help was asked (help already printed), or the exit code of
 * a usage error (already reported).
 */
#define CLI_HELP (-100)
int cli_parse(const struct cli_spec *spec, int argc, char **argv, cli_opt_fn fn, void *ctx,
	      char ***positionals, size_t *nr_positionals);

void cli_print_help(FILE *out, const struct cli_spec *spec);

/*
 * For the generators (gendoc.c): while a sink is set, --help stores the
 * command's spec there instead of printing it. NULL turns capture off.
 */
void cli_capture_spec(const struct cli_spec **sink);

/*
 * The values an option takes, when its help lists them: the text after its
 * last ": " (or all of it) is "word (default), word, word or word". Writes
 * up to `max` words (each at most 31 bytes) and returns how many, 0 when the
 * help lists none. Completions and the man page use it, so a new option's
 * values are offered as soon as its help names them that way.
 */
size_t cli_opt_values(const struct cli_opt *o, char (*words)[32], size_t max);

#endif
