/* libFuzzer harness: the rule file parser (and PCRE2 compile) on any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inspect(const struct mlint_ruleset *rs)
{
	for (size_t i = 0; i < rs->nr; i++) {
		const struct mlint_ruleset_entry *e = &rs->entries[i];
		const char *const *sources;
		size_t n;

		/* A parsed rule has an id, and every pattern kept its text. */
		if (!e->rule->id || !e->rule->id[0] || !e->pattern)
			abort();
		if (!mlint_pattern_rule_target(e->pattern))
			abort();
		n = mlint_pattern_rule_patterns(e->pattern, &sources);
		for (size_t k = 0; k < n; k++)
			if (!sources[k])
				abort();
		if (mlint_ruleset_find(rs, e->rule->id) != e)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reading one byte past the end is caught. */
	char *text = malloc(size ? size : 1);
	struct mlint_ruleset rs;

	if (!text)
		return 0;
	memcpy(text, data, size);
	mlint_ruleset_init(&rs);
	if (mlint_ruleset_add_text(&rs, "fuzz.rule", text, size) == 0) {
		/* The same text again: its id is taken now, an error, nothing leaks. */
		if (mlint_ruleset_add_text(&rs, "again.rule", text, size) == 0)
			abort();
		if (rs.nr != 1)
			abort();
	}
	free(text);
	inspect(&rs);
	mlint_ruleset_release(&rs);
	return 0;
}
