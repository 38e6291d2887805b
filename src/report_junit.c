/*
 * JUnit XML for CI systems that read test reports: one <testsuite>, one
 * <testcase> per rule and file with a <failure> per finding; one passing
 * test case when there is no finding.
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

static int same_case(const struct mlint_finding *x, const struct mlint_finding *y)
{
	return strcmp(x->path, y->path) == 0 && strcmp(x->rule, y->rule) == 0;
}

/* Whether an earlier finding opened the test case of finding i. */
static int case_seen(const struct mlint_findings *f, size_t i)
{
	for (size_t k = i; k-- > 0 && strcmp(f->items[k].path, f->items[i].path) == 0;)
		if (same_case(&f->items[k], &f->items[i]))
			return 1;
	return 0;
}

static size_t count_cases(const struct mlint_findings *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nr; i++)
		n += !case_seen(f, i);
	return n;
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

/* The test case of finding i: every finding of its rule in its file. */
static int put_case(struct mlint_buf *out, const struct mlint_findings *f, size_t i)
{
	const struct mlint_finding *x = &f->items[i];

	if (mlint_buf_puts(out, "  <testcase classname=\"") < 0 || put_xml(out, x->path) < 0 ||
	    mlint_buf_puts(out, "\" name=\"") < 0 || put_xml(out, x->rule) < 0 ||
	    mlint_buf_puts(out, "\" file=\"") < 0 || put_xml(out, x->path) < 0 ||
	    mlint_buf_puts(out, "\">\n") < 0)
		return MLINT_ERROR;
	for (size_t k = i; k < f->nr && strcmp(f->items[k].path, x->path) == 0; k++)
		if (same_case(&f->items[k], x) && put_failure(out, &f->items[k]) < 0)
			return MLINT_ERROR;
	return mlint_buf_puts(out, "  </testcase>\n");
}

int mlint_report_junit(struct mlint_buf *out, const struct mlint_findings *f,
		       const struct mlint_summary *s)
{
	size_t cases = count_cases(f);

	if (mlint_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				  "<testsuite name=\"mlint\" tests=\"%zu\" failures=\"%zu\" "
				  "errors=\"0\" skipped=\"0\">\n",
			     cases ? cases : 1, cases) < 0)
		return MLINT_ERROR;
	if (cases == 0 && mlint_buf_printf(out, "  <testcase classname=\"mlint\" name=\"check "
						"(%zu migrations)\"/>\n", s->migrations) < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < f->nr; i++)
		if (!case_seen(f, i) && put_case(out, f, i) < 0)
			return MLINT_ERROR;
	return mlint_buf_puts(out, "</testsuite>\n");
}
