/* The rename plan as text and as JSON. */
#include <jansson.h>
#include "mlint/rename.h"
#include "report_json.h"
#include "util.h"

int mlint_report_rename_text(struct mlint_buf *out, const struct mlint_rename_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		const struct mlint_rename *r = &plan->items[i];
		if (mlint_buf_printf(out, "%s -> %s (%04d-%02d-%02d from %s)\n", r->from, r->to,
				     r->date.year, r->date.month, r->date.day,
				     mlint_date_source_name(r->source)) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static json_t *rename_json(const struct mlint_rename *r)
{
	char date[32];
	snprintf(date, sizeof(date), "%04d-%02d-%02d", r->date.year, r->date.month, r->date.day);
	return json_pack("{s:o, s:o, s:o, s:s, s:s}", "from", mlint_json_string(r->from), "to",
			 mlint_json_string(r->to), "revision", mlint_json_string(r->revision),
			 "date", date, "date_source", mlint_date_source_name(r->source));
}

int mlint_report_rename_json(struct mlint_buf *out, const struct mlint_rename_plan *plan)
{
	json_t *list = json_array(), *doc = NULL;
	char *text = NULL;
	int error = 0;

	if (!list)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < plan->nr; i++)
		if (json_array_append_new(list, rename_json(&plan->items[i])) < 0) {
			json_decref(list);
			return mlint_error_set("out of memory");
		}
	if (!(doc = json_pack("{s:o}", "renames", list)) ||
	    !(text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		error = mlint_error_set("out of memory");
	else if ((error = mlint_buf_puts(out, text)) == 0)
		error = mlint_buf_putc(out, '\n');
	free(text);
	json_decref(doc);
	return error;
}
