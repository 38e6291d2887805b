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

static json_t *finding_json(const struct mlint_finding *x)
{
	return json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o}", "rule", x->rule, "severity",
			 mlint_severity_name(x->severity), "path", lossy_string(x->path), "line",
			 (json_int_t)x->line, "column", (json_int_t)x->col, "message",
			 lossy_string(x->message), "revision", mlint_json_string(x->revision));
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
	json_t *root = json_object(), *list = json_array();
	char *text = NULL;
	int error = MLINT_ERROR;

	if (!root || !list)
		goto done;
	for (size_t i = 0; i < f->nr; i++) {
		json_t *item = finding_json(&f->items[i]);
		if (!item || json_array_append_new(list, item) < 0)
			goto done;
	}
	if (json_object_set_new(root, "version", json_integer(1)) < 0 ||
	    json_object_set(root, "findings", list) < 0 ||
	    json_object_set_new(root, "summary", summary_json(s)) < 0)
		goto done;
	if (!(text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		goto done;
	error = mlint_buf_puts(out, text) < 0 || mlint_buf_putc(out, '\n') < 0 ? MLINT_ERROR : 0;
done:
	if (error < 0 && !*mlint_error_last())
		mlint_error_set("out of memory while writing JSON");
	free(text);
	json_decref(list);
	json_decref(root);
	return error;
}
