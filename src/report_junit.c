/*
 * JUnit XML for CI systems that read test reports (valid against Jenkins'
 * junit-4.xsd): one <testsuite>, one failed <testcase> per finding, one
 * passed <testcase> per rule that ran and found nothing.
 */
#include <string.h>
#include "mlint/report.h"
#include "util.h"

/* Attribute or text content: the five specials as entities, control
 * characters XML 1.0 cannot hold as '?'. */
static int put_xml(struct mlint_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int e;
		switch (c) {
		case '&': e = mlint_buf_puts(out, "&amp;"); break;
		case '<': e = mlint_buf_puts(out, "&lt;"); break;
		case '>': e = mlint_buf_puts(out, "&gt;"); break;
		case '"': e = mlint_buf_puts(out, "&quot;"); break;
		case '\'': e = mlint_buf_puts(out, "&apos;"); break;
		case '\n': e = mlint_buf_puts(out, "&#10;"); break;
		case '\t': e = mlint_buf_puts(out, "&#9;"); break;
		default: e = mlint_buf_putc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
		}
		if (e < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static int put_failure(struct mlint_buf *out, const struct mlint_finding *x)
{
	if (mlint_buf_printf(out, "    <failure type=\"%s\" message=\"",
			     mlint_severity_name(x->severity)) < 0 ||
	    put_xml(out, x->message) < 0 || mlint_buf_puts(out, "\">") < 0 ||
	    put_xml(out, x->path) < 0 ||
	    mlint_buf_printf(out, ":%u:%u: %s[%s]: ", x->line, x->col,
			     mlint_severity_name(x->severity), x->rule) < 0 ||
	    put_xml(out, x->message) < 0 || mlint_buf_puts(out, "</failure>\n") < 0)
		return MLINT_ERROR;
	return 0;
}

/* One failed test case per finding: CI counts each one. */
static int put_finding(struct mlint_buf *out, const struct mlint_finding *x)
{
	if (mlint_buf_puts(out, "  <testcase classname=\"") < 0 || put_xml(out, x->path) < 0 ||
	    mlint_buf_puts(out, "\" name=\"") < 0 || put_xml(out, x->rule) < 0 ||
	    mlint_buf_puts(out, "\">\n") < 0 || put_failure(out, x) < 0)
		return MLINT_ERROR;
	return mlint_buf_puts(out, "  </testcase>\n");
}

static int has_finding(const struct mlint_findings *f, const char *rule)
{
	for (size_t i = 0; i < f->nr; i++)
		if (strcmp(f->items[i].rule, rule) == 0)
			return 1;
	return 0;
}

static int put_passed(struct mlint_buf *out, const char *rule)
{
	if (mlint_buf_puts(out, "  <testcase classname=\"mlint\" name=\"") < 0 ||
	    put_xml(out, rule) < 0)
		return MLINT_ERROR;
	return mlint_buf_puts(out, "\"/>\n");
}

int mlint_report_junit_rules(struct mlint_buf *out, const struct mlint_findings *f,
			     const struct mlint_summary *s, const char *const *rules, size_t nr)
{
	size_t passed = 0;

	for (size_t i = 0; i < nr; i++)
		passed += !has_finding(f, rules[i]);
	if (!rules && f->nr == 0)
		passed = 1; /* one case for the whole check */
	if (mlint_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				  "<testsuite name=\"mlint\" tests=\"%zu\" failures=\"%zu\" "
				  "errors=\"0\" skipped=\"0\">\n",
			     f->nr + passed, f->nr) < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < f->nr; i++)
		if (put_finding(out, &f->items[i]) < 0)
			return MLINT_ERROR;
	for (size_t i = 0; i < nr; i++)
		if (!has_finding(f, rules[i]) && put_passed(out, rules[i]) < 0)
			return MLINT_ERROR;
	if (!rules && f->nr == 0 &&
	    mlint_buf_printf(out, "  <testcase classname=\"mlint\" name=\"check "
				  "(%zu migrations)\"/>\n", s->migrations) < 0)
		return MLINT_ERROR;
	return mlint_buf_puts(out, "</testsuite>\n");
}

int mlint_report_junit(struct mlint_buf *out, const struct mlint_findings *f,
		       const struct mlint_summary *s)
{
	return mlint_report_junit_rules(out, f, s, NULL, 0);
}
