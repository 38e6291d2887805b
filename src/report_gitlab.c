/*
 * GitLab Code Quality: a JSON array of issues with description, check_name,
 * fingerprint (unique per issue: GitLab shows one issue per fingerprint),
 * severity and location.path / location.lines.begin.
 */
#include <jansson.h>
#include "mlint/report.h"
#include "report_fingerprint.h"
#include "report_json.h"
#include "util.h"

static const char *severity_of(enum mlint_severity sev)
{
	return sev == MLINT_SEV_ERROR ? "critical" : sev == MLINT_SEV_WARNING ? "major" : "info";
}

static json_t *issue_json(const struct mlint_findings *f, size_t i)
{
	const struct mlint_finding *x = &f->items[i];
	char fp[MLINT_FINGERPRINT_SIZE];

	mlint_report_fingerprint(fp, f, i);
	return json_pack("{s:o, s:s, s:s, s:s, s:{s:o, s:{s:I}}}", "description",
			 mlint_json_string(x->message), "check_name", x->rule, "fingerprint", fp,
			 "severity", severity_of(x->severity), "location", "path",
			 mlint_json_string(x->path), "lines", "begin", (json_int_t)x->line);
}

int mlint_report_gitlab(struct mlint_buf *out, const struct mlint_findings *f)
{
	json_t *issues = json_array();

	for (size_t i = 0; issues && i < f->nr; i++)
		if (json_array_append_new(issues, issue_json(f, i)) < 0) {
			json_decref(issues);
			issues = NULL;
		}
	return mlint_json_write(out, issues);
}
