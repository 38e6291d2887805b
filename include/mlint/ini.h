/*
 * ini.h: an INI reader that behaves like Python's ConfigParser where
 * alembic.ini depends on it: `key = value` and `key: value`, keys folded to
 * lower case, whole-line `#`/`;` comments, indented continuation lines,
 * a DEFAULT section, and BasicInterpolation (`%(name)s`, `%%`) with extra
 * defaults such as Alembic's `here`. Every entry keeps its line number so
 * messages can name it.
 *
 * Ownership: the struct owns every string in it; release with
 * mlint_ini_release(). Returned entries are borrowed until then.
 */
#ifndef MLINT_INI_H
#define MLINT_INI_H

#include <stddef.h>

struct mlint_ini_entry {
	char *section;
	char *key;
	char *value; /* raw, before interpolation */
	unsigned line;
};

struct mlint_ini {
	char *path;
	struct mlint_ini_entry *entries;
	size_t nr, alloc;
	char **sections; /* every section header seen, in order */
	size_t nr_sections, alloc_sections;
};

void mlint_ini_init(struct mlint_ini *ini);
void mlint_ini_release(struct mlint_ini *ini);

/* Parses text; `path` names it in messages. A malformed line is an error
 * naming path and line. */
int mlint_ini_parse(struct mlint_ini *ini, const char *path, const char *text, size_t len);
int mlint_ini_parse_file(struct mlint_ini *ini, const char *path);

int mlint_ini_has_section(const struct mlint_ini *ini, const char *section);

/* The last entry for section/key (falling back to DEFAULT), or NULL. */
const struct mlint_ini_entry *mlint_ini_get(const struct mlint_ini *ini, const char *section,
					    const char *key);

/*
 * The value of section/key with %(name)s interpolated from the same
 * section, DEFAULT, then `defaults` (NULL-terminated name, value pairs).
 * Sets *out to a new string (caller frees) or NULL when the key is absent.
 */
int mlint_ini_get_interpolated(char **out, const struct mlint_ini *ini, const char *section,
			       const char *key, const char *const *defaults);

#endif
