#include <stdio.h>
#include <string.h>
#include <git2.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <jansson.h>
#include "cmd.h"
#include "error.h"
#include "gendoc.h"

#ifndef MLINT_VERSION
#define MLINT_VERSION "0.0.0"
#endif

static const struct cli_command commands[] = {
	{"baseline", cmd_baseline, "write .mlint-baseline: accept today's findings, report new ones"},
	{"check", cmd_check, "lint the migrations: graph, content and git rules"},
	{"graph", cmd_graph, "print the revision graph: text, json, dot or mermaid"},
	{"heads", cmd_heads, "print the heads, like `alembic heads`, without importing anything"},
	{"install-hook", cmd_install_hook, "write a git pre-commit hook that runs mlint"},
	{"rename", cmd_rename, "give migrations date-prefixed names, as `git mv` would"},
	{"rules", cmd_rules, "list the rules, or explain one"},
	{NULL, NULL, NULL},
};

static void print_usage(FILE *out)
{
	fputs("usage: mlint <command> [PATH...] [options]\n\n"
	      "A Git-aware linter for Alembic / Flask-Migrate migrations. It reads\n"
	      "migration files as text and never imports or runs them.\n\ncommands:\n", out);
	for (const struct cli_command *c = commands; c->name; c++)
		fprintf(out, "  %-13s %s\n", c->name, c->summary);
	fputs("\nRun 'mlint <command> --help' (or 'mlint help <command>') for its options.\n"
	      "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error.\n",
	      out);
}

static int print_version(void)
{
	int major, minor, rev;
	char pcre[64] = "?", git[32] = "not loaded";

	/* libgit2 is loaded when first needed (src/git_dl.c): this loads it */
	if (git_libgit2_version(&major, &minor, &rev) == 0)
		snprintf(git, sizeof(git), "%d.%d.%d", major, minor, rev);
	pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	printf("mlint %s (libgit2 %s, PCRE2 %s, jansson %s)\n", MLINT_VERSION, git, pcre,
	       jansson_version_str());
	return MLINT_EXIT_OK;
}

static const struct cli_command *find_command(const char *name)
{
	for (const struct cli_command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int print_help_help(void)
{
	fputs("usage: mlint help [COMMAND]\n\n"
	      "Without COMMAND, list the commands; with one, print its help, as\n"
	      "'mlint COMMAND --help' does.\n", stdout);
	return MLINT_EXIT_OK;
}

static int run(int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		print_usage(stderr);
		return MLINT_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		print_usage(stdout);
		return MLINT_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
		return print_version();
	if (strcmp(argv[1], "__generate") == 0) /* hidden: the docs build */
		return cli_generate(argc - 1, argv + 1, commands);
	if (strcmp(argv[1], "help") == 0) {
		char *help_argv[3];
		if (argc < 3) {
			print_usage(stdout);
			return MLINT_EXIT_OK;
		}
		if (strcmp(argv[2], "help") == 0)
			return print_help_help();
		if (!(c = find_command(argv[2])))
			return cli_error("unknown command '%s'; run 'mlint --help'", argv[2]);
		help_argv[0] = argv[2];
		help_argv[1] = (char *)"--help";
		help_argv[2] = NULL;
		return c->fn(2, help_argv);
	}
	if (!(c = find_command(argv[1])))
		return cli_error("unknown command '%s'; run 'mlint --help'", argv[1]);
	return c->fn(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv));
}
