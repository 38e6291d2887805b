/*
 * gendoc.h: the reference documents and shell completions, generated from
 * the command table, each command's option table (the same one that parses
 * its options and prints its --help) and the rule registry, so that none of
 * them can drift from what mlint does.
 *
 *   mlint __generate KIND     (hidden; run by CMake's `docs` target)
 *
 * KIND: man (docs/mlint.1), cli-md (docs/cli.md), rules-md (docs/rules.md),
 * bash, zsh, fish (completion/), options (one "COMMAND --LONG -S" line per
 * option, for tests/cli/t_docs.sh).
 */
#ifndef MLINT_CLI_GENDOC_H
#define MLINT_CLI_GENDOC_H

#include "cmd.h"

int cli_generate(int argc, char **argv, const struct cli_command *commands);

#endif
