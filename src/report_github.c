/*
 * GitHub Actions workflow commands: `::error file=...,line=...,col=...,
 * title=...::message`. GitHub's escaping: in the message % \r \n become
 * %25 %0D %0A; in property values also : and , become %3A %2C.
 */
#include <stdio.h>
#include <string.h>
#include "mlint/report.h"
#include "util.h"

static int put_escaped(struct mlint_buf *b, const char *s, int property)
{
	for (; *s; s++) {
		int e = 0;
		switch (*s) {
		case '%': e = mlint_buf_puts(b, "%25"); break;
		case '\r': e = mlint_buf_puts(b, "%0D"); break;
		case '\n': e = mlint_buf_puts(b, "%0A"); break;
		case ':': e = property ? mlint_buf_puts(b, "%3A") : mlint_buf_putc(b, ':'); break;
		case ',': e = property ? mlint_buf_puts(b, "%2C") : mlint_buf_putc(b, ','); break;
		default: e = mlint_buf_putc(b, *s);
		}
		if (e < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static const char *command_of(enum mlint_severity sev)
{
	return sev == MLINT_SEV_ERROR ? "error" : sev == MLINT_SEV_WARNING ? "warning" : "notice";
}

static int put_annotation(struct mlint_buf *b, const struct mlint_finding *x)
{
	char title[128];
	snprintf(title, sizeof(title), "mlint %s", x->rule);
	if (mlint_buf_printf(b, "::%s file=", command_of(x->severity)) < 0 ||
	    put_escaped(b, x->path, 1) < 0 ||
	    mlint_buf_printf(b, ",line=%u,col=%u,title=", x->line, x->col) < 0 ||
	    put_escaped(b, title, 1) < 0 || mlint_buf_puts(b, "::") < 0 ||
	    put_escaped(b, x->message, 0) < 0 || mlint_buf_putc(b, '\n') < 0)
		return MLINT_ERROR;
	return 0;
}

int mlint_report_github(struct mlint_buf *out, const struct mlint_findings *f,
			const struct mlint_summary *s)
{
	for (size_t i = 0; i < f->nr; i++)
		if (put_annotation(out, &f->items[i]) < 0)
			return MLINT_ERROR;
	return mlint_report_summary_line(out, f, s);
}
