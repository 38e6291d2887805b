#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/ini.h"
#include "util.h"

#define INI_MAX_BYTES (4u << 20)
#define INTERPOLATION_DEPTH 10 /* as ConfigParser's MAX_INTERPOLATION_DEPTH */

void mlint_ini_init(struct mlint_ini *ini)
{
	memset(ini, 0, sizeof(*ini));
}

void mlint_ini_release(struct mlint_ini *ini)
{
	for (size_t i = 0; i < ini->nr; i++) {
		free(ini->entries[i].key);
		free(ini->entries[i].value);
	}
	free(ini->entries);
	for (size_t i = 0; i < ini->nr_sections; i++)
		free(ini->sections[i]);
	free(ini->sections);
	free(ini->path);
	mlint_ini_init(ini);
}

static char *trim_copy(const char *p, size_t n, int lower)
{
	char *s;
	while (n && isspace((unsigned char)*p)) { p++; n--; }
	while (n && isspace((unsigned char)p[n - 1])) n--;
	if (!(s = mlint_strndup(p, n)))
		return NULL;
	if (lower)
		for (char *c = s; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	return s;
}

static int add_section(struct mlint_ini *ini, const char *p, size_t n)
{
	char *name;
	if (!(name = mlint_strndup(p, n)))
		return MLINT_ERROR;
	if (MLINT_ARRAY_GROW(ini->sections, ini->alloc_sections, ini->nr_sections + 1) < 0) {
		free(name);
		return MLINT_ERROR;
	}
	ini->sections[ini->nr_sections++] = name;
	return 0;
}

static int add_entry(struct mlint_ini *ini, const char *key, size_t kn, const char *val,
		     size_t vn, unsigned line)
{
	struct mlint_ini_entry *e;
	if (MLINT_ARRAY_GROW(ini->entries, ini->alloc, ini->nr + 1) < 0)
		return MLINT_ERROR;
	e = &ini->entries[ini->nr];
	e->section = ini->sections[ini->nr_sections - 1];
	e->line = line;
	if (!(e->key = trim_copy(key, kn, 1)))
		return MLINT_ERROR;
	if (!(e->value = trim_copy(val, vn, 0))) {
		free(e->key);
		return MLINT_ERROR;
	}
	ini->nr++;
	return 0;
}

/* Appends a continuation line to the last entry's value. */
static int continue_value(struct mlint_ini *ini, const char *p, size_t n)
{
	struct mlint_ini_entry *e = &ini->entries[ini->nr - 1];
	char *part = trim_copy(p, n, 0), *joined;
	size_t ol;
	if (!part)
		return MLINT_ERROR;
	ol = strlen(e->value);
	joined = realloc(e->value, ol + strlen(part) + 2);
	if (!joined) {
		free(part);
		return mlint_error_set("out of memory");
	}
	joined[ol] = '\n';
	memcpy(joined + ol + 1, part, strlen(part) + 1);
	if (ol == 0)
		memmove(joined, joined + 1, strlen(joined + 1) + 1);
	e->value = joined;
	free(part);
	return 0;
}

/* Parser state between lines, as ConfigParser keeps it. */
struct line_state {
	int in_value;          /* the last key's value may continue */
	size_t key_indent;     /* indentation of that key's line */
	unsigned blank_lines;  /* blank lines seen inside the value so far */
};

static int continue_after_blanks(struct mlint_ini *ini, struct line_state *st, const char *p,
				 size_t n)
{
	for (; st->blank_lines > 0; st->blank_lines--)
		if (continue_value(ini, "", 0) < 0)
			return MLINT_ERROR;
	return continue_value(ini, p, n);
}

static int parse_line(struct mlint_ini *ini, const char *p, size_t n, unsigned line,
		      struct line_state *st)
{
	size_t i = 0, sep;

	if (n && p[n - 1] == '\r')
		n--;
	while (i < n && isspace((unsigned char)p[i]))
		i++;
	if (i == n) {
		st->blank_lines += st->in_value;
		return 0;
	}
	if (p[i] == '#' || p[i] == ';')
		return 0;
	/* A line indented deeper than its key continues the key's value. */
	if (st->in_value && i > st->key_indent && ini->nr > 0)
		return continue_after_blanks(ini, st, p + i, n - i);
	st->in_value = 0;
	st->blank_lines = 0;
	if (p[i] == '[') {
		const char *close = memchr(p + i, ']', n - i);
		if (!close)
			return mlint_error_set("'%s':%u: section header without ']'", ini->path, line);
		return add_section(ini, p + i + 1, (size_t)(close - p - i - 1));
	}
	for (sep = i; sep < n && p[sep] != '=' && p[sep] != ':'; sep++)
		;
	if (sep == n)
		return mlint_error_set("'%s':%u: expected 'key = value' or '[section]'", ini->path, line);
	if (sep == i)
		return mlint_error_set("'%s':%u: a value without a key", ini->path, line);
	if (ini->nr_sections == 0)
		return mlint_error_set("'%s':%u: key before the first [section]", ini->path, line);
	st->in_value = 1;
	st->key_indent = i;
	return add_entry(ini, p + i, sep - i, p + sep + 1, n - sep - 1, line);
}

int mlint_ini_parse(struct mlint_ini *ini, const char *path, const char *text, size_t len)
{
	size_t pos = 0;
	unsigned line = 1;
	struct line_state st = {0, 0, 0};

	if (!(ini->path = mlint_strdup(path)))
		return MLINT_ERROR;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	if (memchr(text, '\0', len))
		return mlint_error_set("'%s': binary file (NUL byte), not an INI file", path);
	while (pos < len) {
		size_t eol = pos;
		while (eol < len && text[eol] != '\n')
			eol++;
		if (parse_line(ini, text + pos, eol - pos, line, &st) < 0)
			return MLINT_ERROR;
		pos = eol + 1;
		line++;
	}
	return 0;
}

int mlint_ini_parse_file(struct mlint_ini *ini, const char *path)
{
	struct mlint_buf buf;
	int error;

	mlint_buf_init(&buf, INI_MAX_BYTES);
	if ((error = mlint_buf_read_file(&buf, path)) == 0)
		error = mlint_ini_parse(ini, path, buf.ptr, buf.len);
	mlint_buf_release(&buf);
	return error;
}

int mlint_ini_has_section(const struct mlint_ini *ini, const char *section)
{
	for (size_t i = 0; i < ini->nr_sections; i++)
		if (strcmp(ini->sections[i], section) == 0)
			return 1;
	return 0;
}

static const struct mlint_ini_entry *find(const struct mlint_ini *ini, const char *section,
					  const char *key)
{
	for (size_t i = ini->nr; i-- > 0;)
		if (strcmp(ini->entries[i].section, section) == 0 &&
		    strcmp(ini->entries[i].key, key) == 0)
			return &ini->entries[i];
	return NULL;
}

const struct mlint_ini_entry *mlint_ini_get(const struct mlint_ini *ini, const char *section,
					    const char *key)
{
	const struct mlint_ini_entry *e = find(ini, section, key);
	return e ? e : find(ini, "DEFAULT", key);
}

static const char *lookup_default(const char *const *defaults, const char *name)
{
	for (size_t i = 0; defaults && defaults[i]; i += 2)
		if (strcmp(defaults[i], name) == 0)
			return defaults[i + 1];
	return NULL;
}

static int interpolate(struct mlint_buf *out, const struct mlint_ini *ini, const char *section,
		       const struct mlint_ini_entry *e, const char *value,
		       const char *const *defaults, int depth)
{
	if (depth > INTERPOLATION_DEPTH)
		return mlint_error_set("'%s':%u: interpolation of '%s' is nested too deeply",
				       ini->path, e->line, e->key);
	for (const char *p = value; *p;) {
		const char *close, *sub;
		char name[128];
		const struct mlint_ini_entry *ref;
		size_t n;

		if (p[0] != '%') {
			if (mlint_buf_putc(out, *p++) < 0)
				return MLINT_ERROR;
			continue;
		}
		if (p[1] == '%') {
			if (mlint_buf_putc(out, '%') < 0)
				return MLINT_ERROR;
			p += 2;
			continue;
		}
		if (p[1] != '(' || !(close = strstr(p, ")s")) || (n = (size_t)(close - p - 2)) >= sizeof(name))
			return mlint_error_set("'%s':%u: bad '%%' in '%s': write '%%%%' for a percent sign",
					       ini->path, e->line, e->key);
		memcpy(name, p + 2, n);
		name[n] = '\0';
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		p = close + 2;
		if ((ref = mlint_ini_get(ini, section, name)) != NULL) {
			if (interpolate(out, ini, section, ref, ref->value, defaults, depth + 1) < 0)
				return MLINT_ERROR;
		} else if ((sub = lookup_default(defaults, name)) != NULL) {
			if (mlint_buf_puts(out, sub) < 0)
				return MLINT_ERROR;
		} else {
			return mlint_error_set("'%s':%u: '%s' refers to '%%(%s)s', which is not set",
					       ini->path, e->line, e->key, name);
		}
	}
	return 0;
}

int mlint_ini_get_interpolated(char **out, const struct mlint_ini *ini, const char *section,
			       const char *key, const char *const *defaults)
{
	const struct mlint_ini_entry *e = mlint_ini_get(ini, section, key);
	struct mlint_buf buf;

	*out = NULL;
	if (!e)
		return 0;
	mlint_buf_init(&buf, INI_MAX_BYTES);
	if (interpolate(&buf, ini, section, e, e->value, defaults, 0) < 0) {
		mlint_buf_release(&buf);
		return MLINT_ERROR;
	}
	*out = mlint_buf_detach(&buf, NULL);
	return *out ? 0 : MLINT_ERROR;
}
