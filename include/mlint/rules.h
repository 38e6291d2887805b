/*
 * rules.h: the rule registry, a static table: every rule mlint implements in
 * C, with its default severity, where it applies, a summary, an explanation
 * with a bad and a good example, and how to fix what it reports. Pattern
 * rules (rules/NAME.rule) are described by the same struct and live in a
 * struct mlint_ruleset (ruleset.h), which also holds these.
 *
 * Ownership: the static entries live for the whole program.
 */
#ifndef MLINT_RULES_H
#define MLINT_RULES_H

#include <stddef.h>
#include "mlint/common.h"

struct mlint_rule {
	const char *id;       /* kebab-case */
	enum mlint_severity severity;
	/* "graph", "scan", "upgrade", "downgrade", "git", "naming", "config" */
	const char *scope;
	const char *summary;  /* one line */
	const char *explain;  /* paragraphs, with examples */
	const char *fix;      /* what to do */
};

/* All rules, in a stable order. */
const struct mlint_rule *mlint_rules_all(size_t *nr);

/* The rule with this id, or NULL. */
const struct mlint_rule *mlint_rule_find(const char *id);

#endif
