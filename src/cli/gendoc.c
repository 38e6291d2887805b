/*
 * gendoc.c: `mlint __generate KIND`, the reference documents and shell
 * completions, built from the command table, the option tables and the rule
 * registry (see gendoc.h). Everything is written into one buffer, then to
 * stdout, so a failed write is exit 2.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/ruleset.h"
#include "error.h"
#include "gendoc.h"
#include "opt.h"

#ifndef MLINT_VERSION
#define MLINT_VERSION "0.0.0"
#endif

#define MAX_COMMANDS 32
#define MAX_VALUES 16

/* Text the option tables do not hold: what mlint is, its environment and
 * exit status. */
static const char description[] =
	"mlint reads the migration scripts of an Alembic or Flask-Migrate project as\n"
	"text, through a Python tokenizer, and never imports or executes them. It\n"
	"builds the revision graph with Alembic's semantics and reports multiple\n"
	"heads, duplicate revision ids, missing parents and cycles, what upgrades and\n"
	"downgrades do (data loss, missing downgrades, risky DDL), and, compared with\n"
	"the base branch through libgit2, applied migrations that were edited or\n"
	"deleted and branches whose merge would create a second head.\n";

struct doc_entry {
	const char *name;
	const char *text;
};

static const struct doc_entry environment[] = {
	{"NO_COLOR", "present and not empty: text output is never coloured (no-color.org); "
		     "colour is otherwise used only when standard output is a terminal"},
	{"CI", "\"true\": check reads each script directory's alembic.ini, its [mlint] "
	       "section included, from the base's tip, so a pull request cannot loosen its "
	       "own gate"},
	{"GITHUB_BASE_REF", "set: the default base of check is origin/$GITHUB_BASE_REF"},
	{"MLINT_THREADS", "threads that read and check the migration files. Unset: one when "
			  "a script directory has fewer than 512 files, else one per online "
			  "core, at most 8. Set to N: N threads whatever the number of files "
			  "(at least 1, at most 8, at most one per file). The output is the "
			  "same with any number"},
	{NULL, NULL},
};

static const struct doc_entry exit_status[] = {
	{"0", "success: for check, no finding at or above --fail-on"},
	{"1", "check: findings at or above --fail-on; rename --check: a file would be renamed"},
	{"2", "usage, configuration or I/O error (the message on stderr names the file, the "
	      "line when there is one, and what to do), or a rename that could not be done "
	      "(nothing is left renamed)"},
	{NULL, NULL},
};

struct doc {
	struct mlint_buf out;
	int failed;
	const struct cli_command *commands;
	const struct cli_spec *specs[MAX_COMMANDS];
	size_t nr;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (mlint_buf_vprintf(&d->out, fmt, ap) < 0)
		d->failed = 1;
	va_end(ap);
}

static void putn(struct doc *d, const char *s, size_t n)
{
	if (mlint_buf_put(&d->out, s, n) < 0)
		d->failed = 1;
}

/* Each command's spec, as its --help would print it. */
static int collect_specs(struct doc *d)
{
	for (const struct cli_command *c = d->commands; c->name; c++) {
		const struct cli_spec *spec = NULL;
		char *argv[] = {(char *)c->name, (char *)"--help", NULL};
		if (d->nr == MAX_COMMANDS)
			return cli_error("too many commands for the generator");
		cli_capture_spec(&spec);
		c->fn(2, argv);
		cli_capture_spec(NULL);
		if (!spec)
			return cli_error("command '%s' has no option table", c->name);
		d->specs[d->nr++] = spec;
	}
	return 0;
}

/* What an option's value is, for completions. */
enum value_kind { VALUE_NONE, VALUE_WORDS, VALUE_FILE, VALUE_DIR, VALUE_REF, VALUE_RULES };

static enum value_kind value_kind(const struct cli_opt *o, char (*words)[32], size_t *nr)
{
	static const struct { const char *name; enum value_kind kind; } by_name[] = {
		{"FILE", VALUE_FILE}, {"DIR", VALUE_DIR}, {"REF", VALUE_REF},
		{"REV", VALUE_REF}, {"IDS", VALUE_RULES},
	};
	*nr = cli_opt_values(o, words, MAX_VALUES);
	if (*nr)
		return VALUE_WORDS;
	for (size_t i = 0; o->value_name && i < sizeof(by_name) / sizeof(by_name[0]); i++)
		if (strcmp(o->value_name, by_name[i].name) == 0)
			return by_name[i].kind;
	return VALUE_NONE;
}

/* What a command's positional arguments are. */
static enum value_kind positional_kind(const struct cli_spec *spec)
{
	if (strstr(spec->usage, "RULE-ID"))
		return VALUE_RULES;
	if (strstr(spec->usage, "PATH"))
		return VALUE_FILE;
	return VALUE_NONE;
}

static int repeatable(const struct cli_opt *o)
{
	return strstr(o->help, "repeatable") != NULL;
}

/* --- roff (docs/mlint.1) ------------------------------------------------ */

static void roff_text(struct doc *d, const char *s)
{
	int line_start = 1;
	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			put(d, "\\&");
		line_start = *s == '\n';
		if (*s == '\\')
			put(d, "\\e");
		else if (*s == '-')
			put(d, "\\-");
		else
			putn(d, s, 1);
	}
}

static void roff_paragraphs(struct doc *d, const char *text)
{
	put(d, ".PP\n.nf\n");
	roff_text(d, text);
	if (*text && text[strlen(text) - 1] != '\n')
		put(d, "\n");
	put(d, ".fi\n");
}

static void roff_option(struct doc *d, const struct cli_opt *o)
{
	put(d, ".TP\n");
	if (o->short_name)
		put(d, "\\fB\\-%c\\fR, ", o->short_name);
	put(d, "\\fB\\-\\-");
	roff_text(d, o->long_name);
	put(d, "\\fR");
	if (o->value_name) {
		put(d, " \\fI");
		roff_text(d, o->value_name);
		put(d, "\\fR");
	}
	put(d, "\n");
	roff_text(d, o->help);
	put(d, "\n");
}

static void roff_entries(struct doc *d, const struct doc_entry *e, int bold)
{
	for (; e->name; e++) {
		put(d, ".TP\n%s", bold ? "\\fB" : "");
		roff_text(d, e->name);
		put(d, "%s\n", bold ? "\\fR" : "");
		roff_text(d, e->text);
		put(d, ".\n");
	}
}

static void gen_man(struct doc *d)
{
	put(d, ".\\\" Generated by `mlint __generate man` from the option tables; do not edit.\n"
	       ".\\\" Regenerate: cmake --build build --target docs\n"
	       ".TH MLINT 1 \"\" \"mlint %s\" \"User Commands\"\n"
	       ".SH NAME\nmlint \\- Git\\-aware linter for Alembic and Flask\\-Migrate migrations\n"
	       ".SH SYNOPSIS\n", MLINT_VERSION);
	for (size_t i = 0; i < d->nr; i++) {
		put(d, ".B mlint %s\n", d->specs[i]->name);
		roff_text(d, d->specs[i]->usage);
		put(d, "\n.br\n");
	}
	put(d, ".B mlint help\n.I COMMAND\n.br\n.B mlint \\-\\-version\n.SH DESCRIPTION\n");
	roff_text(d, description);
	put(d, ".SH COMMANDS\n");
	for (size_t i = 0; i < d->nr; i++) {
		const struct cli_spec *s = d->specs[i];
		put(d, ".SS \"mlint %s\"\n", s->name);
		roff_paragraphs(d, s->summary);
		put(d, ".PP\nOptions:\n");
		for (const struct cli_opt *o = s->opts; o->long_name; o++)
			roff_option(d, o);
		put(d, ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow this help and exit\n");
		if (s->details)
			roff_paragraphs(d, s->details);
	}
	put(d, ".SH ENVIRONMENT\n");
	roff_entries(d, environment, 1);
	put(d, ".SH \"EXIT STATUS\"\n");
	roff_entries(d, exit_status, 0);
	put(d, ".SH FILES\n.TP\n.I .mlint.ini\n[mlint] settings for the repository "
	       "(see docs/configuration.md).\n.TP\n.I alembic.ini\nAlembic's configuration; "
	       "its [mlint] section overrides .mlint.ini.\n"
	       ".SH \"SEE ALSO\"\n.BR alembic (1),\n.BR git (1).\n"
	       "The reference documents in docs/ of the source tree: cli.md, rules.md,\n"
	       "configuration.md, formats.md, git.md.\n");
}

/* --- Markdown (docs/cli.md, docs/rules.md) ---------------------------------- */

/* Escapes what Markdown would read as markup, outside `code spans`. */
static void md_text(struct doc *d, const char *s, size_t n, int in_table)
{
	int code = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '`')
			code = !code;
		if (c == '|' && in_table)
			put(d, "\\|");
		else if (c == '\n' && in_table)
			put(d, " ");
		else if (!code && (c == '*' || c == '_' || c == '\\' || c == '[' || c == ']'))
			put(d, "\\%c", c);
		else if (!code && c == '<')
			put(d, "&lt;");
		else
			putn(d, &c, 1);
	}
}

/* Plain lines become paragraphs (a blank line between paragraphs), runs of
 * indented lines a text block, as --help lays them out. */
static void md_paragraphs(struct doc *d, const char *text)
{
	const char *p = text;
	int in_block = 0;
	while (*p) {
		size_t n = strcspn(p, "\n");
		int indented = p[0] == ' ';
		if (indented && !in_block)
			put(d, "\n```text\n");
		else if (!indented && in_block)
			put(d, "```\n\n");
		in_block = indented;
		if (in_block)
			putn(d, p, n);
		else
			md_text(d, p, n, 0);
		put(d, "\n");
		p += n + (p[n] == '\n');
	}
	if (in_block)
		put(d, "```\n");
}

static void md_option_row(struct doc *d, const struct cli_opt *o)
{
	char words[MAX_VALUES][32];
	size_t nr = 0;
	put(d, "| ");
	if (o->short_name)
		put(d, "`-%c`, ", o->short_name);
	put(d, "`--%s` | %s%s%s | ", o->long_name, o->value_name ? "`" : "",
	    o->value_name ? o->value_name : "", o->value_name ? "`" : "");
	md_text(d, o->help, strlen(o->help), 1);
	if (value_kind(o, words, &nr) == VALUE_WORDS) {
		put(d, " (values:");
		for (size_t i = 0; i < nr; i++)
			put(d, " `%s`", words[i]);
		put(d, ")");
	}
	put(d, " |\n");
}

static void md_entries(struct doc *d, const char *title, const struct doc_entry *e,
		       const char *header)
{
	put(d, "\n## %s\n\n%s\n|---|---|\n", title, header);
	for (; e->name; e++) {
		put(d, "| `%s` | ", e->name);
		md_text(d, e->text, strlen(e->text), 1);
		put(d, " |\n");
	}
}

static void gen_cli_md(struct doc *d)
{
	put(d, "<!-- Generated by `mlint __generate cli-md` from the command and option tables\n"
	       "     (the ones that parse the options and print --help); do not edit.\n"
	       "     Regenerate: cmake --build build --target docs -->\n"
	       "# Command reference\n\n"
	       "`mlint COMMAND [PATH...] [options]`; `mlint help COMMAND` is "
	       "`mlint COMMAND --help`; `mlint --version` prints the version and the "
	       "libraries'.\n\n| command | what it does |\n|---|---|\n");
	for (size_t i = 0; i < d->nr; i++) {
		put(d, "| [`%s`](#mlint-%s) | ", d->specs[i]->name, d->specs[i]->name);
		md_text(d, d->commands[i].summary, strlen(d->commands[i].summary), 1);
		put(d, " |\n");
	}
	for (size_t i = 0; i < d->nr; i++) {
		const struct cli_spec *s = d->specs[i];
		put(d, "\n## mlint %s\n\n`mlint %s %s`\n\n", s->name, s->name, s->usage);
		md_paragraphs(d, s->summary);
		put(d, "\n| option | value | meaning |\n|---|---|---|\n");
		for (const struct cli_opt *o = s->opts; o->long_name; o++)
			md_option_row(d, o);
		put(d, "| `-h`, `--help` | | show this help and exit |\n");
		if (s->details) {
			put(d, "\n");
			md_paragraphs(d, s->details);
		}
	}
	md_entries(d, "Environment", environment, "| variable | effect |");
	md_entries(d, "Exit status", exit_status, "| status | meaning |");
}

static void md_rule(struct doc *d, const struct mlint_ruleset_entry *e)
{
	const struct mlint_rule *r = e->rule;
	put(d, "\n## %s\n\n**%s**, scope `%s`, %s.\n\n", r->id, mlint_severity_name(r->severity),
	    r->scope, e->origin);
	md_text(d, r->summary, strlen(r->summary), 0);
	put(d, ".\n\n```text\n%s%s```\n\n**Fix.** ", r->explain,
	    *r->explain && r->explain[strlen(r->explain) - 1] == '\n' ? "" : "\n");
	md_text(d, r->fix, strlen(r->fix), 0);
	put(d, "\n");
	if (e->pattern) {
		const char *const *pats;
		size_t nr = mlint_pattern_rule_patterns(e->pattern, &pats);
		put(d, "\nPattern rule, target `%s`, matched with PCRE2:\n\n```text\n",
		    mlint_pattern_rule_target(e->pattern));
		for (size_t i = 0; i < nr; i++)
			put(d, "%s\n", pats[i]);
		put(d, "```\n");
	}
}

static int gen_rules_md(struct doc *d)
{
	struct mlint_ruleset rs;
	mlint_ruleset_init(&rs);
	if (mlint_ruleset_load_builtin(&rs) < 0) {
		mlint_ruleset_release(&rs);
		return cli_library_error();
	}
	put(d, "<!-- Generated by `mlint __generate rules-md` from the rule registry (src/rules.c)\n"
	       "     and the shipped pattern rules (rules/*.rule); do not edit.\n"
	       "     Regenerate: cmake --build build --target docs -->\n"
	       "# Rules\n\n"
	       "Every rule mlint ships, %zu in all. `mlint rules` lists them, `mlint rules ID`\n"
	       "prints one of the sections below. Severity is the default; `select`, `ignore`\n"
	       "and `--fail-on` decide what runs and what fails (see "
	       "[configuration](configuration.md)); `# mlint: ignore[ID] -- reason` suppresses a\n"
	       "finding on its line. Pattern rules are files in `rules/` "
	       "(see [rules/README.md](../rules/README.md)); a team adds its own with "
	       "`--rules-dir`.\n\n| id | severity | scope | reports |\n|---|---|---|---|\n",
	    rs.nr);
	for (size_t i = 0; i < rs.nr; i++) {
		const struct mlint_rule *r = rs.entries[i].rule;
		put(d, "| [`%s`](#%s) | %s | %s | ", r->id, r->id, mlint_severity_name(r->severity),
		    r->scope);
		md_text(d, r->summary, strlen(r->summary), 1);
		put(d, " |\n");
	}
	for (size_t i = 0; i < rs.nr; i++)
		md_rule(d, &rs.entries[i]);
	mlint_ruleset_release(&rs);
	return 0;
}

/* --- completions ------------------------------------------------------------ */

/* Writes s inside single quotes for a POSIX shell. */
static void sh_quoted(struct doc *d, const char *s)
{
	put(d, "'");
	for (; *s; s++) {
		if (*s == '\'')
			put(d, "'\\''");
		else if (*s == '\n')
			put(d, " ");
		else
			putn(d, s, 1);
	}
	put(d, "'");
}

static void bash_values(struct doc *d, enum value_kind kind, char (*words)[32], size_t nr)
{
	switch (kind) {
	case VALUE_WORDS:
		put(d, "COMPREPLY=($(compgen -W '");
		for (size_t i = 0; i < nr; i++)
			put(d, "%s%s", i ? " " : "", words[i]);
		put(d, "' -- \"$cur\"))");
		break;
	case VALUE_FILE: put(d, "COMPREPLY=($(compgen -f -- \"$cur\"))"); break;
	case VALUE_DIR: put(d, "COMPREPLY=($(compgen -d -- \"$cur\"))"); break;
	case VALUE_REF: put(d, "COMPREPLY=($(compgen -W \"$(_mlint_refs)\" -- \"$cur\"))"); break;
	case VALUE_RULES: put(d, "COMPREPLY=($(compgen -W \"$(_mlint_rules)\" -- \"$cur\"))"); break;
	case VALUE_NONE: put(d, "COMPREPLY=()"); break;
	}
}

static void bash_command(struct doc *d, const struct cli_spec *s)
{
	char words[MAX_VALUES][32];
	size_t nr = 0;
	enum value_kind kind;
	for (const struct cli_opt *o = s->opts; o->long_name; o++) {
		if (!o->value_name)
			continue;
		put(d, "    \"%s --%s\"", s->name, o->long_name);
		if (o->short_name)
			put(d, "|\"%s -%c\"", s->name, o->short_name);
		put(d, ")\n      ");
		kind = value_kind(o, words, &nr);
		bash_values(d, kind, words, nr);
		put(d, "; return ;;\n");
	}
}

static void gen_bash(struct doc *d)
{
	put(d, "# bash completion for mlint.\n"
	       "# Generated by `mlint __generate bash` from the option tables; do not edit.\n"
	       "# shellcheck disable=SC2207  # compgen's words, split as completion wants\n"
	       "_mlint_rules() { mlint rules 2>/dev/null | awk '{print $1}'; }\n"
	       "_mlint_refs() { git for-each-ref --format='%%(refname:short)' 2>/dev/null; }\n"
	       "_mlint() {\n"
	       "  local cur prev cmd opts\n"
	       "  cur=${COMP_WORDS[COMP_CWORD]}\n"
	       "  prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	       "  cmd=${COMP_WORDS[1]:-}\n"
	       "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	       "    COMPREPLY=($(compgen -W '");
	for (size_t i = 0; i < d->nr; i++)
		put(d, "%s ", d->specs[i]->name);
	put(d, "help --help --version' -- \"$cur\"))\n    return\n  fi\n  case \"$cmd $prev\" in\n");
	for (size_t i = 0; i < d->nr; i++)
		bash_command(d, d->specs[i]);
	put(d, "  esac\n  case $cmd in\n");
	for (size_t i = 0; i < d->nr; i++) {
		const struct cli_spec *s = d->specs[i];
		put(d, "    %s) opts='", s->name);
		for (const struct cli_opt *o = s->opts; o->long_name; o++)
			put(d, "--%s ", o->long_name);
		put(d, "--help'\n      if [[ $cur == -* ]]; then\n"
		       "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n      else\n        ");
		bash_values(d, positional_kind(s), NULL, 0);
		put(d, "\n      fi ;;\n");
	}
	put(d, "    help) COMPREPLY=($(compgen -W '");
	for (size_t i = 0; i < d->nr; i++)
		put(d, "%s%s", i ? " " : "", d->specs[i]->name);
	put(d, "' -- \"$cur\")) ;;\n  esac\n}\ncomplete -F _mlint mlint\n");
}

/* zsh: an _arguments description, with what it treats as syntax replaced. */
static void zsh_description(struct doc *d, const char *s)
{
	put(d, "[");
	for (; *s; s++) {
		char c = *s == '[' ? '(' : *s == ']' ? ')' : *s == '\n' ? ' ' : *s;
		if (c == '\'')
			put(d, "'\\''");
		else if (c == ':' || c == '\\')
			put(d, "\\%c", c);
		else
			putn(d, &c, 1);
	}
	put(d, "]");
}

static void zsh_action(struct doc *d, enum value_kind kind, char (*words)[32], size_t nr)
{
	switch (kind) {
	case VALUE_WORDS:
		put(d, "(");
		for (size_t i = 0; i < nr; i++)
			put(d, "%s%s", i ? " " : "", words[i]);
		put(d, ")");
		break;
	case VALUE_FILE: put(d, "_files"); break;
	case VALUE_DIR: put(d, "_files -/"); break;
	case VALUE_REF: put(d, "_mlint_refs"); break;
	case VALUE_RULES: put(d, "_mlint_rules"); break;
	case VALUE_NONE: put(d, " "); break;
	}
}

static void zsh_option(struct doc *d, const struct cli_opt *o, int is_short)
{
	char words[MAX_VALUES][32];
	size_t nr = 0;
	enum value_kind kind = value_kind(o, words, &nr);
	put(d, "      '");
	if (repeatable(o))
		put(d, "*");
	else if (o->short_name)
		put(d, "(-%c --%s)", o->short_name, o->long_name);
	if (is_short)
		put(d, "-%c%s", o->short_name, o->value_name ? "+" : "");
	else
		put(d, "--%s%s", o->long_name, o->value_name ? "=" : "");
	zsh_description(d, o->help);
	if (o->value_name) {
		put(d, ":%s:", o->value_name);
		zsh_action(d, kind, words, nr);
	}
	put(d, "' \\\n");
}

static void zsh_command(struct doc *d, const struct cli_spec *s)
{
	enum value_kind pos = positional_kind(s);
	put(d, "    %s)\n      _arguments -s \\\n", s->name);
	for (const struct cli_opt *o = s->opts; o->long_name; o++) {
		if (o->short_name)
			zsh_option(d, o, 1);
		zsh_option(d, o, 0);
	}
	put(d, "      '(- *)'{-h,--help}'[show this help and exit]'");
	if (pos == VALUE_RULES)
		put(d, " \\\n      '1:rule id:_mlint_rules'");
	else if (pos != VALUE_NONE)
		put(d, " \\\n      '*:path:_files'");
	put(d, " ;;\n");
}

static void gen_zsh(struct doc *d)
{
	put(d, "#compdef mlint\n"
	       "# zsh completion for mlint.\n"
	       "# Generated by `mlint __generate zsh` from the option tables; do not edit.\n"
	       "_mlint_rules() { local -a ids; ids=(${(f)\"$(mlint rules 2>/dev/null | "
	       "awk '{print $1}')\"}); compadd -a ids; }\n"
	       "_mlint_refs() { local -a refs; refs=(${(f)\"$(git for-each-ref "
	       "--format='%%(refname:short)' 2>/dev/null)\"}); compadd -a refs; }\n"
	       "_mlint() {\n"
	       "  local -a mlint_commands\n"
	       "  mlint_commands=(\n");
	for (size_t i = 0; i < d->nr; i++) {
		char entry[256];
		snprintf(entry, sizeof(entry), "%s:%s", d->commands[i].name, d->commands[i].summary);
		put(d, "    ");
		sh_quoted(d, entry);
		put(d, "\n");
	}
	put(d, "    'help:show the help of a command'\n  )\n"
	       "  if (( CURRENT == 2 )); then\n"
	       "    _describe -t commands 'mlint command' mlint_commands\n"
	       "    _arguments '(- *)'{-h,--help}'[show the help]' '(- *)--version[show the version]'\n"
	       "    return\n  fi\n"
	       "  local cmd=$words[2]\n"
	       "  shift words\n  (( CURRENT-- ))\n"
	       "  case $cmd in\n");
	for (size_t i = 0; i < d->nr; i++)
		zsh_command(d, d->specs[i]);
	put(d, "    help) _describe -t commands 'mlint command' mlint_commands ;;\n"
	       "  esac\n}\n_mlint \"$@\"\n");
}

/* fish: a single-quoted string. */
static void fish_quoted(struct doc *d, const char *s)
{
	put(d, "'");
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			put(d, "\\%c", *s);
		else if (*s == '\n')
			put(d, " ");
		else
			putn(d, s, 1);
	}
	put(d, "'");
}

static void fish_values(struct doc *d, enum value_kind kind, char (*words)[32], size_t nr)
{
	switch (kind) {
	case VALUE_WORDS:
		put(d, " -x -a '");
		for (size_t i = 0; i < nr; i++)
			put(d, "%s%s", i ? " " : "", words[i]);
		put(d, "'");
		break;
	case VALUE_FILE: put(d, " -r -F"); break;
	case VALUE_DIR: put(d, " -x -a '(__fish_complete_directories)'"); break;
	case VALUE_REF: put(d, " -x -a '(__mlint_refs)'"); break;
	case VALUE_RULES: put(d, " -x -a '(__mlint_rules)'"); break;
	case VALUE_NONE: put(d, " -x"); break;
	}
}

static void fish_command(struct doc *d, const struct cli_spec *s)
{
	char words[MAX_VALUES][32];
	size_t nr = 0;
	enum value_kind pos = positional_kind(s);
	for (const struct cli_opt *o = s->opts; o->long_name; o++) {
		put(d, "complete -c mlint -n '__fish_seen_subcommand_from %s'", s->name);
		if (o->short_name)
			put(d, " -s %c", o->short_name);
		put(d, " -l %s", o->long_name);
		if (o->value_name) {
			enum value_kind kind = value_kind(o, words, &nr);
			fish_values(d, kind, words, nr);
		}
		put(d, " -d ");
		fish_quoted(d, o->help);
		put(d, "\n");
	}
	put(d, "complete -c mlint -n '__fish_seen_subcommand_from %s' -s h -l help "
	       "-d 'show this help and exit'\n", s->name);
	if (pos == VALUE_RULES)
		put(d, "complete -c mlint -n '__fish_seen_subcommand_from %s' -a '(__mlint_rules)'\n",
		    s->name);
	else if (pos != VALUE_NONE)
		put(d, "complete -c mlint -n '__fish_seen_subcommand_from %s' -F\n", s->name);
}

static void gen_fish(struct doc *d)
{
	put(d, "# fish completion for mlint.\n"
	       "# Generated by `mlint __generate fish` from the option tables; do not edit.\n"
	       "function __mlint_rules\n    mlint rules 2>/dev/null | string replace -r '\\s.*' ''\n"
	       "end\n"
	       "function __mlint_refs\n    git for-each-ref --format='%%(refname:short)' "
	       "2>/dev/null\nend\n"
	       "complete -c mlint -f\n"
	       "complete -c mlint -n __fish_use_subcommand -l version -d 'show the version'\n"
	       "complete -c mlint -n __fish_use_subcommand -s h -l help -d 'show the help'\n");
	for (size_t i = 0; i < d->nr; i++) {
		put(d, "complete -c mlint -n __fish_use_subcommand -a %s -d ", d->commands[i].name);
		fish_quoted(d, d->commands[i].summary);
		put(d, "\n");
	}
	put(d, "complete -c mlint -n __fish_use_subcommand -a help -d 'show the help of a "
	       "command'\ncomplete -c mlint -n '__fish_seen_subcommand_from help' -a '");
	for (size_t i = 0; i < d->nr; i++)
		put(d, "%s%s", i ? " " : "", d->commands[i].name);
	put(d, "'\n");
	for (size_t i = 0; i < d->nr; i++)
		fish_command(d, d->specs[i]);
}

/* One "COMMAND --LONG [-S]" line per option, for the docs test. */
static void gen_options(struct doc *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		const struct cli_spec *s = d->specs[i];
		for (const struct cli_opt *o = s->opts; o->long_name; o++) {
			put(d, "%s --%s", s->name, o->long_name);
			if (o->short_name)
				put(d, " -%c", o->short_name);
			put(d, "\n");
		}
	}
}

int cli_generate(int argc, char **argv, const struct cli_command *commands)
{
	static const char *const kinds[] = {"man", "cli-md", "rules-md", "bash", "zsh", "fish",
					     "options"};
	struct doc d;
	size_t k = 0;
	int code;

	while (argc == 2 && k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(argv[1], kinds[k]))
		k++;
	if (argc != 2 || k == sizeof(kinds) / sizeof(kinds[0]))
		return cli_error("usage: mlint __generate man|cli-md|rules-md|bash|zsh|fish|options");
	memset(&d, 0, sizeof(d));
	mlint_buf_init(&d.out, 0);
	d.commands = commands;
	if ((code = collect_specs(&d)) != 0)
		goto done;
	switch (k) {
	case 0: gen_man(&d); break;
	case 1: gen_cli_md(&d); break;
	case 2: code = gen_rules_md(&d); break;
	case 3: gen_bash(&d); break;
	case 4: gen_zsh(&d); break;
	case 5: gen_fish(&d); break;
	default: gen_options(&d); break;
	}
	if (code == 0)
		code = d.failed ? cli_error("out of memory") : cli_write_stdout(d.out.ptr, d.out.len);
done:
	mlint_buf_release(&d.out);
	return code;
}
