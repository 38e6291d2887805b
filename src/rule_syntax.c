/* Rules about one file as scanned: can Python compile it? */
#include <stdio.h>
#include <string.h>
#include "mlint/pycompile.h"
#include "check_files.h"
#include "util.h"

static int add(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
	       unsigned line, unsigned col, const char *message)
{
	struct mlint_location at = mlint_script_at(s, line, col);
	return mlint_findings_addf(out, mlint_rule_find(rule), &at, "%s", message);
}

/* Worth Python's compiler: a sign of a syntax error, a conflict marker, or
 * a problem of the tokenizer's (then Python's message is the better one). A
 * NUL byte stops here: Python reads the text only up to it. */
int mlint_script_wants_compiler(const struct mlint_script *s)
{
	const struct mlint_migration *m = &s->m;
	const char *src;
	size_t len;

	if (!s->is_migration || s->refused || !(m->suspect_line || m->conflict_line || m->nr_problems))
		return 0;
	/* also asked after the load (rule_scan.c): then the file is read again */
	src = mlint_script_source(s, &len);
	return src && !memchr(src, '\0', len);
}

/* Syntax only a newer Python accepts: nested quotes or backslashes in an
 * f-string (3.12), type parameters and the type statement (3.12). */
static int newer_syntax(const struct mlint_script *s, const struct mlint_pycompile_result *r)
{
	size_t len = 0, i = 0;
	const char *text = mlint_script_line(s, r->line, &len);

	if (mlint_starts_with(r->message, "f-string"))
		return 1;
	if (!text)
		return 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (len - i > 5 && memcmp(text + i, "type ", 5) == 0 && memchr(text + i, '=', len - i))
		return 1;
	for (const char *p = text + i; (p = memchr(p, '[', (size_t)(text + len - p))) != NULL; p++) {
		const char *q = p;
		while (q > text && (q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
				    (q[-1] >= 'A' && q[-1] <= 'Z') || (q[-1] >= '0' && q[-1] <= '9')))
			q--;
		if (q > text + i + 4 && (memcmp(q - 4, "def ", 4) == 0 ||
					 (q - 6 >= text && memcmp(q - 6, "class ", 6) == 0)))
			return 1;
	}
	return 0;
}

static int add_compiled(const struct mlint_script *s, const struct mlint_pycompile_result *r,
			struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;
	const char *version = mlint_pycompile_version();
	int newer = newer_syntax(s, r);
	unsigned line = m->conflict_line ? m->conflict_line
					 : r->line ? r->line : m->suspect_line ? m->suspect_line : 1;
	unsigned col = m->conflict_line || !r->line ? 1 : r->col ? r->col : 1;
	char msg[700];

	snprintf(msg, sizeof(msg), "%sPython %s cannot compile this file: %s: %.400s%s",
		 m->conflict_line ? "unresolved merge conflict marker: " : "",
		 version ? version : "3", r->kind, r->message,
		 newer ? " (a newer Python accepts some of this syntax: the migration runs only "
			 "where that Python deploys it)" : "");
	if (m->conflict_line && r->line && r->line != line)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " (line %u)", r->line);
	if (add(out, s, "invalid-source", line, col, msg) < 0)
		return MLINT_ERROR;
	if (newer)
		out->items[out->nr - 1].severity = MLINT_SEV_WARNING;
	return 0;
}

int mlint_check_syntax_script(const struct mlint_script *s, struct mlint_findings *out,
			      int *rejected)
{
	struct mlint_pycompile_result r;
	const char *src;
	size_t len;
	int error;

	*rejected = 0;
	if (!mlint_script_wants_compiler(s) || !(src = mlint_script_source(s, &len)))
		return 0;
	if ((error = mlint_pycompile(&r, src, len, s->path)) < 0)
		return error;
	if (r.verdict == MLINT_PYCOMPILE_REJECTED) {
		*rejected = 1;
		error = add_compiled(s, &r, out);
	}
	mlint_pycompile_result_release(&r);
	return error;
}

