/*
 * ruleset.h: every rule of one run. The C rules of the static registry
 * (rules.h), the pattern rules shipped in rules/NAME.rule (embedded in the
 * binary at build time) and a team's own rule files (--rules-dir).
 *
 * A rule file is a few `key: value` lines (id, severity, scope, target,
 * summary, message, fix), one or more `pattern:` lines (PCRE2) and an
 * indented `explain:` block; rules/README.md documents the format. Patterns
 * are compiled once, JIT-compiled where PCRE2 can, and matched with a match
 * limit and a depth limit, so a pattern that backtracks without end cannot
 * hang a run: the subject it gave up on is reported, and the run goes on.
 *
 * Ownership: the ruleset owns its pattern rules, their strings and their
 * compiled patterns; the C rules are static. Rules and origins returned are
 * borrowed until mlint_ruleset_release(). Findings of pattern rules point at
 * the ruleset's strings (their `rule` id), so the ruleset must outlive them.
 */
#ifndef MLINT_RULESET_H
#define MLINT_RULESET_H

#include <stddef.h>
#include "mlint/finding.h"
#include "mlint/rules.h"
#include "mlint/scriptdir.h"

/* A pattern rule, compiled (opaque). */
struct mlint_pattern_rule;

struct mlint_ruleset_entry {
	const struct mlint_rule *rule;
	const char *origin;                 /* "built-in", or the rule file's path */
	struct mlint_pattern_rule *pattern; /* NULL for a rule written in C */
};

struct mlint_ruleset {
	struct mlint_ruleset_entry *entries;
	size_t nr, alloc;
};

void mlint_ruleset_init(struct mlint_ruleset *rs);
void mlint_ruleset_release(struct mlint_ruleset *rs);

/* Adds the C rules and the shipped pattern rules. */
int mlint_ruleset_load_builtin(struct mlint_ruleset *rs);

/*
 * Adds every `*.rule` file of `dir` (sorted by name). A file that does not
 * parse or a pattern that does not compile is an error naming the file and
 * its line; an id already taken is one too.
 */
int mlint_ruleset_load_dir(struct mlint_ruleset *rs, const char *dir);

/* Adds one rule from the text of a rule file; `origin` names it. */
int mlint_ruleset_add_text(struct mlint_ruleset *rs, const char *origin, const char *text,
			   size_t len);

/* The entry of rule `id`, or NULL. */
const struct mlint_ruleset_entry *mlint_ruleset_find(const struct mlint_ruleset *rs,
						     const char *id);

/* The id of `rs` nearest to `id` (fewest one-character edits; the first
 * in the ruleset's order on a tie), for "did you mean"; NULL when empty. */
const char *mlint_ruleset_closest(const struct mlint_ruleset *rs, const char *id);

/* For a pattern rule: its target ("call", "sql", "code") and its patterns. */
const char *mlint_pattern_rule_target(const struct mlint_pattern_rule *p);
size_t mlint_pattern_rule_patterns(const struct mlint_pattern_rule *p, const char *const **out);

#endif
