/* Rules about the configuration mlint reads: committed-credentials,
 * file-template-not-unique. */
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/check.h"
#include "mlint/rename.h"
#include "mlint/template.h"
#include "util.h"

/* The password of a URL such as driver://user:secret@host/db: its offset
 * and length in `url`; 0 when there is none, or it is a placeholder. */
static int url_password(const char *url, size_t *at, size_t *len)
{
	const char *p = strstr(url, "://"), *end, *sign = NULL, *colon;

	if (!p || (p - url == 6 && strncmp(url, "driver", 6) == 0))
		return 0; /* no URL, or Alembic's template placeholder driver://user:pass@... */
	p += 3;
	end = p + strcspn(p, "/?#");
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			sign = q;
	if (!sign || !(colon = memchr(p, ':', (size_t)(sign - p))) || colon + 1 == sign)
		return 0;
	if (colon[1] == '$' || (colon[1] == '%' && colon[2] == '(') ||
	    (colon[1] == '<' && sign[-1] == '>'))
		return 0; /* ${VAR}, %(var)s, <password>: not a literal */
	*at = (size_t)(colon + 1 - url);
	*len = (size_t)(sign - colon - 1);
	return 1;
}

/* Line `line` of text (borrowed), or NULL. */
static const char *line_of(const char *text, size_t n, unsigned line, size_t *len)
{
	const char *p = text, *end = text + n, *nl;
	for (unsigned l = 1; l < line && p < end; l++) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	return p;
}

/* Reports one entry; the excerpt shows the line with the password masked. */
static int report(struct mlint_findings *out, const char *path, const struct mlint_buf *text,
		  const struct mlint_ini_entry *e, size_t pw_at, size_t pw_len)
{
	size_t len = 0, col = 1, i;
	const char *line = line_of(text->ptr, text->len, e->line, &len), *hit = NULL;
	struct mlint_buf masked;
	int error;

	mlint_buf_init(&masked, 0);
	for (i = 0; line && i + pw_len <= len && !hit; i++)
		if (memcmp(line + i, e->value + pw_at, pw_len) == 0 && i > 0 && line[i - 1] == ':')
			hit = line + i;
	if (hit) {
		for (const char *q = line; q < hit; q++)
			col += ((unsigned char)*q & 0xC0) != 0x80;
		if (mlint_buf_put(&masked, line, (size_t)(hit - line)) < 0 ||
		    mlint_buf_puts(&masked, "***") < 0 ||
		    mlint_buf_put(&masked, hit + pw_len, len - (size_t)(hit - line) - pw_len) < 0) {
			mlint_buf_release(&masked);
			return MLINT_ERROR;
		}
	}
	{
		struct mlint_location loc = {path, e->line, (unsigned)col, NULL,
					     hit ? masked.ptr : NULL, masked.len};
		error = mlint_findings_addf(out, mlint_rule_find("committed-credentials"), &loc,
					    "'%s' in [%s] holds a password (not shown): everyone "
					    "with the repository can read it; read the URL from an "
					    "environment variable in env.py, and change the password",
					    e->key, e->section);
	}
	mlint_buf_release(&masked);
	return error;
}

/* The line to write instead, from the template `rename` uses here. */
static int unique_line(struct mlint_buf *out, const struct mlint_scriptdir_config *d)
{
	struct mlint_template t;
	enum mlint_template_origin origin;
	int error;

	mlint_template_init(&t);
	if ((error = mlint_rename_template(&t, &origin, d, NULL)) < 0) {
		mlint_template_release(&t);
		mlint_template_init(&t);
		error = mlint_template_parse(&t, MLINT_TEMPLATE_DEFAULT);
	}
	if (error == 0)
		error = mlint_template_new_files_ini(out, &t);
	mlint_template_release(&t);
	return error;
}

/* Alembic writes `revision -m` to the file_template's name without looking
 * whether the file exists: without the revision id, two migrations with the
 * same message (on the same day, minute ...) overwrite each other. */
static int check_file_template(const struct mlint_project *p, const struct mlint_scriptdir *sd,
			       struct mlint_findings *out)
{
	const struct mlint_ini_entry *e =
		mlint_ini_get(&sd->config->ini, "alembic", "file_template");
	struct mlint_template own;
	struct mlint_buf text, fix;
	struct mlint_location at = {NULL, 0, 1, NULL, NULL, 0};
	const char *line = NULL;
	char *path = NULL;
	size_t len = 0;
	int found = 0, error = 0;

	if (!e || !sd->config->ini_path)
		return 0;
	mlint_template_init(&own);
	mlint_buf_init(&text, 1u << 24);
	mlint_buf_init(&fix, 0);
	if ((error = mlint_rename_alembic_form(&own, sd->config, &found)) < 0 || !found ||
	    mlint_template_has_rev(&own))
		goto done;
	if (!(path = mlint_project_display_path(p, sd->config->ini_path)) ||
	    mlint_buf_read_file(&text, sd->config->ini_path) < 0 || unique_line(&fix, sd->config) < 0) {
		error = MLINT_ERROR;
		goto done;
	}
	line = line_of(text.ptr, text.len, e->line, &len);
	at.path = path;
	at.line = e->line;
	at.excerpt = line;
	at.excerpt_len = line ? len : 0;
	error = mlint_findings_addf(out, mlint_rule_find("file-template-not-unique"), &at,
				    "file_template '%s' has no %%%%(rev)s: Alembic "
				   "gives two new migrations with the same message the same name "
				   "and the second silently replaces the first; write "
				   "'file_template = %s' (or run 'mlint rename --write-config')",
				   e->value, fix.ptr);
done:
	free(path);
	mlint_buf_release(&text);
	mlint_buf_release(&fix);
	mlint_template_release(&own);
	return error;
}

int mlint_check_config(const struct mlint_project *p, const struct mlint_scriptdir *sd,
		       struct mlint_findings *out)
{
	const struct mlint_ini *ini = &sd->config->ini;
	struct mlint_buf text;
	char *path = NULL;
	int error = 0;

	if (!sd->config->ini_path)
		return 0;
	mlint_buf_init(&text, 1u << 24);
	for (size_t i = 0; i < ini->nr && error == 0; i++) {
		const struct mlint_ini_entry *e = &ini->entries[i];
		size_t at, len;
		if (strcmp(e->key, "sqlalchemy.url") != 0 || !url_password(e->value, &at, &len))
			continue;
		if (!path && (!(path = mlint_project_display_path(p, sd->config->ini_path)) ||
			      mlint_buf_read_file(&text, sd->config->ini_path) < 0)) {
			error = MLINT_ERROR;
			break;
		}
		error = report(out, path, &text, e, at, len);
	}
	free(path);
	mlint_buf_release(&text);
	return error < 0 ? error : check_file_template(p, sd, out);
}
