/*
 * SARIF 2.1.0, as GitHub code scanning reads it: tool.driver.rules with
 * help text, results with ruleId/ruleIndex/level/message, one physical
 * location (URI relative to the repository root, region with startLine and
 * startColumn in code points) and partialFingerprints.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "mlint/report.h"
#include "report_fingerprint.h"
#include "report_json.h"
#include "util.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const char *level_of(enum mlint_severity sev)
{
	return sev == MLINT_SEV_ERROR ? "error" : sev == MLINT_SEV_WARNING ? "warning" : "note";
}

static json_t *text_object(const char *text)
{
	return json_pack("{s:o}", "text", mlint_json_string(text));
}

static json_t *rule_json(const struct mlint_ruleset_entry *e)
{
	const struct mlint_rule *r = e->rule;
	struct mlint_buf help;
	json_t *j;

	mlint_buf_init(&help, 0);
	if (mlint_buf_printf(&help, "%s\n\n%s\n\nFix:\n%s\n\nSuppress: # mlint: ignore[%s] -- reason",
			     r->summary, r->explain, r->fix, r->id) < 0)
		return NULL;
	j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s}, s:{s:[s], s:o}}", "id", r->id, "name",
		      r->id, "shortDescription", text_object(r->summary), "fullDescription",
		      text_object(r->explain), "help", text_object(help.ptr),
		      "defaultConfiguration", "level", level_of(r->severity), "properties", "tags",
		      r->scope, "origin", mlint_json_string(e->origin));
	mlint_buf_release(&help);
	return j;
}

/* Percent-encodes what is not allowed as is in a relative URI path. */
static char *uri_of(const char *path)
{
	struct mlint_buf b;
	mlint_buf_init(&b, 0);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~/", *p);
		if ((plain ? mlint_buf_putc(&b, (char)*p) : mlint_buf_printf(&b, "%%%02X", *p)) < 0) {
			mlint_buf_release(&b);
			return NULL;
		}
	}
	return mlint_buf_detach(&b, NULL);
}

static size_t rule_index(const struct mlint_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (strcmp(rs->entries[i].rule->id, id) == 0)
			return i;
	return (size_t)-1;
}

static json_t *result_json(const struct mlint_findings *f, size_t i,
			   const struct mlint_ruleset *rs)
{
	const struct mlint_finding *x = &f->items[i];
	char fp[MLINT_FINGERPRINT_SIZE], *uri = uri_of(x->path);
	size_t idx = rule_index(rs, x->rule);
	json_t *j;

	if (!uri)
		return NULL;
	mlint_report_fingerprint(fp, f, i);
	j = json_pack("{s:s, s:s, s:o, s:[{s:{s:{s:s, s:s}, s:{s:I, s:I}}}], s:{s:s}}",
		      "ruleId", x->rule, "level", level_of(x->severity), "message",
		      text_object(x->message), "locations", "physicalLocation", "artifactLocation",
		      "uri", uri, "uriBaseId", "%SRCROOT%", "region", "startLine",
		      (json_int_t)x->line, "startColumn", (json_int_t)x->col,
		      "partialFingerprints", "mlint/v1", fp);
	if (j && idx != (size_t)-1)
		json_object_set_new(j, "ruleIndex", json_integer((json_int_t)idx));
	if (j && x->section) /* which alembic.ini section (alembic -n) the file belongs to */
		json_object_set_new(j, "properties", json_pack("{s:s}", "section", x->section));
	free(uri);
	return j;
}

static json_t *driver_json(const struct mlint_ruleset *rs, const char *version)
{
	json_t *rules = json_array(), *driver;
	if (!rules)
		return NULL;
	for (size_t i = 0; i < rs->nr; i++)
		if (json_array_append_new(rules, rule_json(&rs->entries[i])) < 0) {
			json_decref(rules);
			return NULL;
		}
	driver = json_pack("{s:s, s:s, s:o}", "name", "mlint", "version", version, "rules", rules);
	return driver;
}

int mlint_report_sarif(struct mlint_buf *out, const struct mlint_findings *f,
		       const struct mlint_ruleset *rs, const char *version)
{
	json_t *results = json_array(), *root = NULL;
	char *text = NULL;
	int error = MLINT_ERROR;

	if (!results)
		goto done;
	for (size_t i = 0; i < f->nr; i++)
		if (json_array_append_new(results, result_json(f, i, rs)) < 0)
			goto done;
	/* originalUriBaseIds values are artifactLocations: description is a message. */
	root = json_pack("{s:s, s:s, s:[{s:{s:o}, s:s, s:{s:{s:{s:s}}}, s:O}]}", "$schema",
			 SARIF_SCHEMA, "version", "2.1.0", "runs", "tool", "driver",
			 driver_json(rs, version), "columnKind", "unicodeCodePoints",
			 "originalUriBaseIds", "%SRCROOT%", "description", "text",
			 "the repository root", "results", results);
	if (!root || !(text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		goto done;
	error = mlint_buf_puts(out, text) < 0 || mlint_buf_putc(out, '\n') < 0 ? MLINT_ERROR : 0;
done:
	if (error < 0 && !*mlint_error_last())
		mlint_error_set("out of memory while writing SARIF");
	free(text);
	json_decref(results);
	json_decref(root);
	return error;
}
