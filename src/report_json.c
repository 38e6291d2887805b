#include <jansson.h>
#include "mlint/report.h"
#include "report_json.h"
#include "util.h"

/* A JSON string even from bytes that are not UTF-8 (they become '?'). */
static json_t *lossy_string(const char *s)
{
	json_t *j = json_string(s);
	char *copy;
	if (j)
		return j;
	if (!(copy = mlint_strdup(s)))
		return NULL;
	for (unsigned char *p = (unsigned char *)copy; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

json_t *mlint_json_string(const char *s)
{
	return s ? lossy_string(s) : json_null();
}

int mlint_json_write(struct mlint_buf *out, json_t *root)
{
	char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	int error = 0;

	json_decref(root);
	if (!text)
		return mlint_error_set("out of memory while writing JSON");
	if (mlint_buf_puts(out, text) < 0 || mlint_buf_putc(out, '\n') < 0)
		error = MLINT_ERROR;
	free(text);
	return error;
}

static json_t *finding_json(const struct mlint_finding *x)
{
	return json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o, s:o}", "rule", x->rule, "severity",
			 mlint_severity_name(x->severity), "path", lossy_string(x->path), "line",
			 (json_int_t)x->line, "column", (json_int_t)x->col, "message",
			 lossy_string(x->message), "revision", mlint_json_string(x->revision),
			 "section", mlint_json_string(x->section));
}

static json_t *summary_json(const struct mlint_summary *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "errors", (json_int_t)s->errors,
			 "warnings", (json_int_t)s->warnings, "infos", (json_int_t)s->infos,
			 "files", (json_int_t)s->files, "migrations", (json_int_t)s->migrations,
			 "suppressed", (json_int_t)s->suppressed);
}

int mlint_report_json(struct mlint_buf *out, const struct mlint_findings *f,
		      const struct mlint_summary *s)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < f->nr; i++) {
		if (json_array_append_new(list, finding_json(&f->items[i])) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return mlint_json_write(out, list ? json_pack("{s:i, s:o, s:o}", "version", 1,
						      "findings", list, "summary",
						      summary_json(s))
					  : NULL);
}
