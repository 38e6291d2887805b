/* Private to the rule engine: compiled pattern rules and the embedded files. */
#ifndef MLINT_SRC_RULESET_H
#define MLINT_SRC_RULESET_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "mlint/ruleset.h"

enum pattern_target { TARGET_CALL, TARGET_SQL, TARGET_CODE };
enum pattern_scope { SCOPE_UPGRADE, SCOPE_DOWNGRADE, SCOPE_ANY };

struct mlint_pattern {
	pcre2_code *code;
	char *source;
	unsigned line; /* in the rule file */
	int jit;       /* JIT-compiled: matched with pcre2_jit_match */
};

struct mlint_pattern_rule {
	struct mlint_rule rule; /* every string owned */
	char *origin;
	char *message;          /* template: {call} {args} {table} {match}; NULL = summary */
	enum pattern_target target;
	enum pattern_scope scope;
	struct mlint_pattern *patterns; /* any of them matching makes a finding ... */
	size_t nr_patterns, alloc_patterns;
	struct mlint_pattern *unless;   /* ... unless one of these matches the same subject */
	size_t nr_unless, alloc_unless;
	char **sources;                 /* the patterns' text, for mlint_pattern_rule_patterns */
};

/* A rule file built into the binary (generated from rules/NAME.rule). */
struct mlint_embedded_rule {
	const char *name; /* "rules/drop-table.rule" */
	const char *text;
	size_t len;
};

extern const struct mlint_embedded_rule mlint_embedded_rules[];
extern const size_t mlint_embedded_rules_nr;

/* Limits for every match: a pattern that needs more gives up. */
#define MLINT_PATTERN_MATCH_LIMIT 1000000u
#define MLINT_PATTERN_DEPTH_LIMIT 10000u

void mlint_pattern_rule_free(struct mlint_pattern_rule *p);

#endif
