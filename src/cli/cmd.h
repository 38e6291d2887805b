/*
 * cmd.h: the subcommands.
 *
 * To add a command:
 *   1. write src/cli/cmd_<name>.c with `int cmd_<name>(int argc, char **argv)`
 *      and a `static const struct cli_spec` option table for it;
 *   2. declare it below;
 *   3. add a row to the command table in src/cli/main.c;
 *   4. add the file to the mlint executable in CMakeLists.txt;
 *   5. add an end-to-end test in tests/cli/.
 */
#ifndef MLINT_CLI_CMD_H
#define MLINT_CLI_CMD_H

#include <stdio.h>
#include "mlint/discover.h"
#include "mlint/scriptdir.h"

int cmd_heads(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_install_hook(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_rename(int argc, char **argv);

/* A row of the command table (src/cli/main.c). */
struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Shared by commands that read a project. */
struct cli_project_opts {
	const char *config;
	int verbose;
	const char *name; /* --name SECTION */
	int use_cache;    /* the command reads facts through .git/mlint (heads) */
	int no_cache;     /* --no-cache */
};

/* --verbose and --config, which every command that reads a project has:
 * the same ids (above a command's own, below the git options' 100+), the
 * same rows in each option table, one handler. */
enum { CLI_OPT_VERBOSE = 200, CLI_OPT_CONFIG, CLI_OPT_NAME };
#define CLI_VERBOSE_HELP "say what was read and what was skipped, and why"
#define CLI_VERBOSE_OPT(help) {CLI_OPT_VERBOSE, 'v', "verbose", NULL, help}
#define CLI_CONFIG_OPT \
	{CLI_OPT_CONFIG, 'c', "config", "FILE", "the alembic.ini to read (default: found from PATH)"}
#define CLI_NAME_OPT \
	{CLI_OPT_NAME, 'n', "name", "SECTION", "read only this section of the alembic.ini, as " \
					     "alembic -n (default: every section with a " \
					     "script_location)"}

/* Handles --verbose, --config and --name: 0 when `id` was one of them, else 1. */
int cli_project_option(struct cli_project_opts *o, int id, const char *value);

/* Discovers and loads every script directory; on failure prints and returns 2. */
struct cli_loaded {
	struct mlint_project project;
	struct mlint_scriptdir *dirs;
	size_t nr_dirs;
};

int cli_load(struct cli_loaded *out, char **paths, size_t nr_paths,
	     const struct cli_project_opts *opts, unsigned load_flags);
void cli_loaded_release(struct cli_loaded *l);

/*
 * The end of a command that exits next: what it loaded is freed only in
 * builds that look for leaks (MLINT_FREE_AT_EXIT: the sanitizer builds, or
 * -DMLINT_FREE_AT_EXIT=ON for valgrind). Otherwise it stays reachable until
 * the process exits and the kernel takes the pages back at once: freeing
 * 10,000 migrations one by one cost `heads` 4 ms, a tenth of reading them.
 * Once per process.
 */
struct mlint_check_result;
void cli_loaded_finish(struct cli_loaded *l);
void cli_check_result_finish(struct mlint_check_result *res);

/* Prints the project's notes: warnings always, the rest with --verbose. */
void cli_print_notes(const struct mlint_notes *notes, int verbose);

/* Writes a whole buffer to stdout; returns 2 on a write error. */
int cli_write_stdout(const char *data, size_t len);

/* At exit: `code`, or 2 with a message when anything written to stdout
 * (printf included) could not be written. */
int cli_finish_stdout(int code);

/* --color=WHEN of the commands that colour. */
enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };
#define CLI_COLOR_HELP "colour: auto (default: on a terminal, unless NO_COLOR is set and " \
		       "not empty or TERM=dumb), always or never"

/* Parses auto, always or never; else prints and returns 2. */
int cli_parse_color(enum cli_color *out, const char *value);

/* Whether to use colour on stdout. */
int cli_use_color(enum cli_color when);

#endif
