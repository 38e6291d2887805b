#include <stdio.h>
#include <string.h>
#include "mlint/report.h"
#include "util.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"
#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"
#define GREEN "\033[1;32m"

static const char *severity_color(enum mlint_severity sev)
{
	return sev == MLINT_SEV_ERROR ? RED : sev == MLINT_SEV_WARNING ? YELLOW : CYAN;
}

/* The caret line: the excerpt's own tabs kept so the caret lines up. */
static int put_caret(struct mlint_buf *out, const char *excerpt, unsigned col, int color)
{
	const char *p = excerpt;
	for (unsigned c = 1; c < col && *p; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		if (mlint_buf_putc(out, *p == '\t' ? '\t' : ' ') < 0)
			return MLINT_ERROR;
		c++;
	}
	return mlint_buf_puts(out, color ? GREEN "^" RESET "\n" : "^\n");
}

/* Pieces one after another: this runs once per finding, and printf costs
 * more than the rest of the report together. */
static int put_strs(struct mlint_buf *out, const char *const *parts, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (mlint_buf_puts(out, parts[i]) < 0)
			return MLINT_ERROR;
	return 0;
}

/* The decimal digits of v at p; returns the byte after them. */
static char *put_unsigned(char *p, unsigned v)
{
	char digits[12];
	size_t n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = digits[--n];
	return p;
}

/* ":LINE:COL:" into where (at least 2 * 10 + 4 bytes): what snprintf
 * would write, without its cost on every finding. */
static void put_where(char *where, unsigned line, unsigned col)
{
	char *p = where;
	*p++ = ':';
	p = put_unsigned(p, line);
	*p++ = ':';
	p = put_unsigned(p, col);
	*p++ = ':';
	*p = '\0';
}

static int put_finding(struct mlint_buf *out, const struct mlint_finding *x,
		       const struct mlint_report_opts *o)
{
	int c = o->color;
	char where[48], section[160] = "";
	const char *parts[] = {
		where, c ? RESET : "", " ",
		c ? severity_color(x->severity) : "", mlint_severity_name(x->severity),
		c ? RESET : "", "[", x->rule, "]: ",
	};

	put_where(where, x->line, x->col);
	/* Alembic's default section goes without saying; others are named. */
	if (x->section && strcmp(x->section, "alembic") != 0)
		snprintf(section, sizeof(section), " [section %.120s]", x->section);
	/* one finding, one line, whatever the files are called */
	if ((c && mlint_buf_puts(out, BOLD) < 0) || mlint_buf_puts_escaped(out, x->path) < 0 ||
	    put_strs(out, parts, sizeof(parts) / sizeof(parts[0])) < 0 ||
	    mlint_buf_puts_escaped(out, x->message) < 0 || mlint_buf_puts(out, section) < 0 ||
	    mlint_buf_putc(out, '\n') < 0)
		return MLINT_ERROR;
	if (!o->excerpt || !x->excerpt)
		return 0;
	if (mlint_buf_puts(out, x->excerpt) < 0 || mlint_buf_putc(out, '\n') < 0)
		return MLINT_ERROR;
	return put_caret(out, x->excerpt, x->col, c);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int mlint_report_text(struct mlint_buf *out, const struct mlint_findings *f,
		      const struct mlint_summary *s, const struct mlint_report_opts *opts)
{
	for (size_t i = 0; i < f->nr; i++) {
		if (put_finding(out, &f->items[i], opts) < 0)
			return MLINT_ERROR;
		if (opts->flush && out->len >= MLINT_REPORT_CHUNK && opts->flush(opts->flush_ctx, out) < 0)
			return MLINT_ERROR;
	}
	return mlint_report_summary_line(out, f, s);
}

int mlint_report_summary_line(struct mlint_buf *out, const struct mlint_findings *f,
			      const struct mlint_summary *s)
{
	char tail[96] = "";
	if (s->files != s->migrations)
		snprintf(tail, sizeof(tail), " (%zu %s read)", s->files,
			 plural(s->files, "file", "files"));
	if (f->nr == 0 && s->suppressed == 0)
		return mlint_buf_printf(out, "no findings in %zu %s\n", s->migrations,
					plural(s->migrations, "migration", "migrations"));
	if (f->nr == 0)
		return mlint_buf_printf(out, "no findings in %zu %s, %zu suppressed\n",
					s->migrations, plural(s->migrations, "migration", "migrations"),
					s->suppressed);
	return mlint_buf_printf(out, "%zu %s, %zu %s, %zu info, %zu suppressed in %zu %s%s\n",
				s->errors, plural(s->errors, "error", "errors"), s->warnings,
				plural(s->warnings, "warning", "warnings"), s->infos, s->suppressed,
				s->migrations, plural(s->migrations, "migration", "migrations"), tail);
}
