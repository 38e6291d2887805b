/* libFuzzer harness: the tokenizer and the extractor on any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/migration.h"
#include "mlint/pyscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void tokenize(const char *src, size_t len)
{
	struct mlint_pyscan s;
	struct mlint_token t;
	size_t steps = 0;

	mlint_pyscan_init(&s, src, len);
	do {
		if (mlint_pyscan_next(&s, &t) < 0)
			break;
		/* Every token lies inside the input. */
		if (t.off > len || t.len > len - t.off)
			abort();
		if (t.kind == MLINT_TOK_STRING)
			free(mlint_pyscan_string_value(src, &t));
		/* Progress: never more tokens than bytes, plus the closing ones. */
		if (++steps > 4 * len + 1024)
			abort();
	} while (t.kind != MLINT_TOK_ENDMARKER);
	mlint_pyscan_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reading one byte past the end is caught. */
	char *src = malloc(size ? size : 1);
	struct mlint_migration m;

	if (!src)
		return 0;
	memcpy(src, data, size);
	tokenize(src, size);
	mlint_migration_init(&m);
	mlint_migration_scan(&m, src, size);
	/* Results outlive the input. */
	free(src);
	for (size_t i = 0; i < m.nr_calls; i++)
		if (m.calls[i].name && strlen(m.calls[i].name) > size)
			abort();
	mlint_migration_release(&m);
	return 0;
}
