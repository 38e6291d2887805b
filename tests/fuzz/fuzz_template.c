/*
 * libFuzzer harness: the file name template parser, renderer and matcher and
 * the slug functions. The input is "TEMPLATE\nNAME": the template is parsed,
 * rendered, converted to Alembic's ini syntax, and matched against NAME and
 * against its own rendering.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct mlint_template_values values = {
	2025, 6, 7, 8, 9, 10, 1749283750LL, "3a1f_c0de", "add_user_table",
};

static void slugs(const char *name)
{
	struct mlint_buf out;
	size_t len = strlen(name);
	char *copy = malloc(len + 1);

	mlint_buf_init(&out, 0);
	mlint_slug_from_message(&out, name, MLINT_SLUG_MAX);
	mlint_buf_clear(&out);
	mlint_slug_for_file(&out, name, "3a1f", name);
	if (out.len == 0 || strchr(out.ptr, '/') || strchr(out.ptr, '.'))
		abort();
	mlint_buf_release(&out);
	if (copy) {
		memcpy(copy, name, len + 1);
		mlint_slug_sanitize(copy);
		if (strlen(copy) > len || strchr(copy, '/') || strchr(copy, '.'))
			abort();
		free(copy);
	}
}

static void use(const struct mlint_template *t, const char *name)
{
	struct mlint_buf out;
	struct mlint_template_values found;

	mlint_buf_init(&out, 0);
	mlint_template_has_date(t);
	mlint_template_has_time(t);
	memset(&found, 0, sizeof(found));
	mlint_template_match(t, name, values.rev, &found);
	if (mlint_template_render(&out, t, &values) == 0) {
		if (strchr(out.ptr, '/'))
			abort();
		mlint_template_match(t, out.ptr, values.rev, &found);
	}
	mlint_buf_clear(&out);
	mlint_template_to_alembic_ini(&out, t);
	mlint_buf_clear(&out);
	mlint_template_suffixed(&out, name, 2);
	mlint_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* NUL-terminated copies: the API takes C strings. */
	char *spec = malloc(size + 1);
	const char *name;
	char *nl;
	struct mlint_template t;

	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	name = "";
	if ((nl = memchr(spec, '\n', size)) != NULL) {
		*nl = '\0';
		name = nl + 1;
	}
	mlint_template_init(&t);
	if (mlint_template_parse(&t, spec) == 0)
		use(&t, name);
	mlint_template_release(&t);
	slugs(name);
	free(spec);
	return 0;
}
