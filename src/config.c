/* mlint's settings: [mlint] in alembic.ini or .mlint.ini, and the command line. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "mlint/check.h"
#include "mlint/config.h"
#include "util.h"

static void release_paths(struct mlint_config *cfg);
static int set_paths(struct mlint_config *cfg, const char *key, const char *value,
		     const char *where);
static int merge_paths(struct mlint_config *to, const struct mlint_config *from);
static int copy_where(char **to, const char *from);

void mlint_config_init(struct mlint_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fail_on = MLINT_SEV_ERROR;
	cfg->downgrade = MLINT_DOWNGRADE_REQUIRE;
}

static void list_release(struct mlint_id_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->ids[i]);
	free(l->ids);
	free(l->where);
	memset(l, 0, sizeof(*l));
}

void mlint_config_release(struct mlint_config *cfg)
{
	list_release(&cfg->select);
	list_release(&cfg->ignore);
	free(cfg->fail_on_where);
	free(cfg->downgrade_where);
	free(cfg->dialect_where);
	list_release(&cfg->enable);
	release_paths(cfg);
	mlint_config_init(cfg);
}

static int list_push(struct mlint_id_list *l, const char *id, size_t n)
{
	char *copy = mlint_strndup(id, n);
	if (!copy || MLINT_ARRAY_GROW(l->ids, l->alloc, l->nr + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	l->ids[l->nr++] = copy;
	return 0;
}

/* "a, b,c" (commas, blanks or newlines between ids) replaces the list. */
static int list_set(struct mlint_id_list *l, const char *value, const char *where)
{
	list_release(l);
	if (!(l->where = mlint_strdup(where)))
		return MLINT_ERROR;
	for (const char *p = value; *p;) {
		size_t n;
		p += strspn(p, ", \t\r\n");
		n = strcspn(p, ", \t\r\n");
		if (n && list_push(l, p, n) < 0)
			return MLINT_ERROR;
		p += n;
	}
	return 0;
}

static int list_copy(struct mlint_id_list *to, const struct mlint_id_list *from)
{
	list_release(to);
	if (!(to->where = mlint_strdup(from->where)))
		return MLINT_ERROR;
	for (size_t i = 0; i < from->nr; i++)
		if (list_push(to, from->ids[i], strlen(from->ids[i])) < 0)
			return MLINT_ERROR;
	return 0;
}

static int set_downgrade(struct mlint_config *cfg, const char *value, const char *where)
{
	if (strcmp(value, "require") == 0)
		cfg->downgrade = MLINT_DOWNGRADE_REQUIRE;
	else if (strcmp(value, "allow-raise") == 0)
		cfg->downgrade = MLINT_DOWNGRADE_ALLOW_RAISE;
	else if (strcmp(value, "off") == 0)
		cfg->downgrade = MLINT_DOWNGRADE_OFF;
	else
		return mlint_error_setc(MLINT_EUSAGE, "%s: unknown downgrade policy '%s': use "
					"require, allow-raise or off", where, value);
	cfg->has_downgrade = 1;
	free(cfg->downgrade_where);
	return (cfg->downgrade_where = mlint_strdup(where)) ? 0 : MLINT_ERROR;
}

int mlint_config_set(struct mlint_config *cfg, const char *key, const char *value,
		     const char *where)
{
	if (strcmp(key, "select") == 0)
		return list_set(&cfg->select, value, where);
	if (strcmp(key, "version-locations") == 0)
		return 0; /* read by discovery (discover.h), not a rule setting */
	if (strcmp(key, "ignore") == 0)
		return list_set(&cfg->ignore, value, where);
	if (strcmp(key, "downgrade") == 0)
		return set_downgrade(cfg, value, where);
	if (strcmp(key, "dialect") == 0) {
		if (mlint_dialect_parse(&cfg->dialect, value) < 0 ||
		    cfg->dialect == MLINT_DIALECT_UNKNOWN)
			return mlint_error_setc(MLINT_EUSAGE, "%s: unknown dialect '%s': use "
						"postgresql, sqlite, mysql or generic", where, value);
		cfg->has_dialect = 1;
		return copy_where(&cfg->dialect_where, where);
	}
	if (strcmp(key, "enable") == 0)
		return list_set(&cfg->enable, value, where);
	if (strcmp(key, "fail-on") == 0 || strcmp(key, "fail_on") == 0) {
		if (mlint_severity_parse(&cfg->fail_on, value) < 0)
			return mlint_error_setc(MLINT_EUSAGE, "%s: unknown severity '%s' for fail-on: "
						"use error, warning or info", where, value);
		cfg->has_fail_on = 1;
		free(cfg->fail_on_where);
		return (cfg->fail_on_where = mlint_strdup(where)) ? 0 : MLINT_ERROR;
	}
	return set_paths(cfg, key, value, where);
}

int mlint_config_read_ini(struct mlint_config *cfg, const struct mlint_ini *ini,
			  const char *display, struct mlint_notes *notes)
{
	for (size_t i = 0; i < ini->nr; i++) {
		const struct mlint_ini_entry *e = &ini->entries[i];
		char where[512];
		int error;
		if (strcmp(e->section, "mlint") != 0)
			continue;
		snprintf(where, sizeof(where), "'%s':%u", display, e->line);
		error = mlint_config_set(cfg, e->key, e->value, where);
		if (error == MLINT_ENOTFOUND)
			error = mlint_notes_add(notes, MLINT_NOTE_WARNING,
						"%s: unknown key '%s' in [mlint] (known: select, "
						"ignore, fail-on, downgrade, new-only, exclude, "
						"per-path-ignores, base, applied, rules-dir, "
						"template, models, dialect, enable, version-locations, cache); ignored",
						where, e->key);
		if (error < 0)
			return error;
	}
	return 0;
}

int mlint_config_read_file(struct mlint_config *cfg, const char *path, const char *display,
			   struct mlint_notes *notes)
{
	struct mlint_ini ini;
	struct stat st;
	int error;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : mlint_error_set("cannot read '%s': %s", display,
							     strerror(errno));
	mlint_ini_init(&ini);
	if ((error = mlint_ini_parse_file(&ini, path)) == 0)
		error = mlint_config_read_ini(cfg, &ini, display, notes);
	mlint_ini_release(&ini);
	return error;
}

int mlint_config_read_project(struct mlint_config *cfg, const struct mlint_project *p,
			      struct mlint_notes *notes)
{
	const char *root = p->repo_root ? p->repo_root : p->base_dir;
	char *path, *display;
	int error;

	if (!root)
		return 0;
	if (!(path = mlint_path_join(root, ".mlint.ini")))
		return MLINT_ERROR;
	if (!(display = mlint_project_display_path(p, path))) {
		free(path);
		return MLINT_ERROR;
	}
	error = mlint_config_read_file(cfg, path, display, notes);
	free(display);
	free(path);
	return error;
}

int mlint_config_merge(struct mlint_config *to, const struct mlint_config *from)
{
	if (from->select.where && list_copy(&to->select, &from->select) < 0)
		return MLINT_ERROR;
	if (from->ignore.where && list_copy(&to->ignore, &from->ignore) < 0)
		return MLINT_ERROR;
	if (from->has_fail_on) {
		to->fail_on = from->fail_on;
		to->has_fail_on = 1;
		if (copy_where(&to->fail_on_where, from->fail_on_where) < 0)
			return MLINT_ERROR;
	}
	if (from->has_downgrade) {
		to->downgrade = from->downgrade;
		to->has_downgrade = 1;
		if (copy_where(&to->downgrade_where, from->downgrade_where) < 0)
			return MLINT_ERROR;
	}
	if (from->has_dialect) {
		to->dialect = from->dialect;
		to->has_dialect = 1;
		if (copy_where(&to->dialect_where, from->dialect_where) < 0)
			return MLINT_ERROR;
	}
	if (from->enable.where && list_copy(&to->enable, &from->enable) < 0)
		return MLINT_ERROR;
	return merge_paths(to, from);
}

static int listed(const struct mlint_id_list *l, const char *id)
{
	for (size_t i = 0; i < l->nr; i++)
		if (strcmp(l->ids[i], id) == 0 || strcmp(l->ids[i], "all") == 0)
			return 1;
	return 0;
}

int mlint_config_enabled(const struct mlint_config *cfg, const char *rule_id)
{
	if (cfg->select.where && !listed(&cfg->select, rule_id))
		return 0;
	return !listed(&cfg->ignore, rule_id);
}

/* ---- dialect ------------------------------------------------------------ */

static const struct {
	const char *name;
	enum mlint_dialect dialect;
} dialects[] = {
	{"postgresql", MLINT_DIALECT_POSTGRESQL}, {"postgres", MLINT_DIALECT_POSTGRESQL},
	{"sqlite", MLINT_DIALECT_SQLITE}, {"mysql", MLINT_DIALECT_MYSQL},
	{"mariadb", MLINT_DIALECT_MYSQL}, {"generic", MLINT_DIALECT_GENERIC},
};

const char *mlint_dialect_name(enum mlint_dialect d)
{
	switch (d) {
	case MLINT_DIALECT_POSTGRESQL: return "postgresql";
	case MLINT_DIALECT_SQLITE: return "sqlite";
	case MLINT_DIALECT_MYSQL: return "mysql";
	case MLINT_DIALECT_GENERIC: return "generic";
	default: return "unknown";
	}
}

static int dialect_named(enum mlint_dialect *out, const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
		if (strlen(dialects[i].name) == n && strncasecmp(name, dialects[i].name, n) == 0) {
			*out = dialects[i].dialect;
			return 0;
		}
	return -1;
}

int mlint_dialect_parse(enum mlint_dialect *out, const char *name)
{
	return dialect_named(out, name, strlen(name));
}

enum mlint_dialect mlint_dialect_of_url(const char *url)
{
	enum mlint_dialect d = MLINT_DIALECT_UNKNOWN;
	size_t n;

	if (!url)
		return d;
	url += strspn(url, " \t");
	n = strcspn(url, "+:");
	if (url[n] == '\0' || dialect_named(&d, url, n) < 0 || d == MLINT_DIALECT_GENERIC)
		return MLINT_DIALECT_UNKNOWN;
	return d;
}

int mlint_config_detect_dialect(struct mlint_config *cfg, const struct mlint_ini *ini,
				const char *display)
{
	char where[600];

	if (cfg->has_dialect)
		return 0;
	for (size_t i = 0; i < ini->nr; i++) {
		const struct mlint_ini_entry *e = &ini->entries[i];
		enum mlint_dialect d;
		if (strcmp(e->key, "sqlalchemy.url") != 0 || strcmp(e->section, "alembic") != 0 ||
		    (d = mlint_dialect_of_url(e->value)) == MLINT_DIALECT_UNKNOWN)
			continue;
		snprintf(where, sizeof(where), "from sqlalchemy.url in '%s':%u", display, e->line);
		cfg->dialect = d;
		cfg->has_dialect = 1;
		return copy_where(&cfg->dialect_where, where);
	}
	return 0;
}

void mlint_config_check_opts(const struct mlint_config *cfg, struct mlint_check_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->downgrade = cfg->downgrade;
	opts->dialect = cfg->has_dialect ? cfg->dialect : MLINT_DIALECT_UNKNOWN;
	for (size_t i = 0; i < cfg->enable.nr; i++)
		if (strcmp(cfg->enable.ids[i], "missing-lock-timeout") == 0 ||
		    strcmp(cfg->enable.ids[i], "all") == 0)
			opts->optional_rules |= MLINT_OPTIONAL_MISSING_LOCK_TIMEOUT;
	for (size_t i = 0; cfg->select.where && i < cfg->select.nr; i++)
		if (strcmp(cfg->select.ids[i], "missing-lock-timeout") == 0)
			opts->optional_rules |= MLINT_OPTIONAL_MISSING_LOCK_TIMEOUT;
}

int mlint_env_mentions(const char *script_location, const char *word)
{
	struct mlint_buf text;
	char *path;
	int found = 0;

	if (!script_location || !(path = mlint_path_join(script_location, "env.py")))
		return 0;
	mlint_buf_init(&text, 0);
	if (mlint_buf_read_file(&text, path) == 0 && text.ptr)
		found = strstr(text.ptr, word) != NULL;
	mlint_buf_release(&text);
	free(path);
	return found;
}

/* ---- new-only, exclude, per-path-ignores -------------------------------- */

static int copy_where(char **to, const char *from)
{
	free(*to);
	*to = NULL;
	return from && !(*to = mlint_strdup(from)) ? MLINT_ERROR : 0;
}

static void release_paths(struct mlint_config *cfg)
{
	free(cfg->new_only_where);
	list_release(&cfg->exclude);
	list_release(&cfg->path_globs);
	list_release(&cfg->path_rules);
	list_release(&cfg->base);
	list_release(&cfg->applied);
	list_release(&cfg->rules_dirs);
}

static int set_bool(int *out, const char *value, const char *key, const char *where)
{
	static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no",
										       "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(value, yes[i]) == 0 || strcmp(value, no[i]) == 0) {
			*out = strcmp(value, yes[i]) == 0;
			return 0;
		}
	}
	return mlint_error_setc(MLINT_EUSAGE, "%s: '%s' is not a boolean for %s: use true or "
				"false", where, value, key);
}

/* The length of s[0..n) without trailing blanks. */
static size_t trimmed(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* One "glob:id,id" item of per-path-ignores. */
static int add_path_ignore(struct mlint_config *cfg, const char *item, size_t n,
			   const char *where)
{
	const char *colon = memchr(item, ':', n);
	size_t glen;

	if (!colon)
		return mlint_error_setc(MLINT_EUSAGE, "%s: per-path-ignores item '%.*s' has no "
					"':': write glob:rule,rule", where, (int)n, item);
	glen = trimmed(item, (size_t)(colon - item));
	colon++;
	colon += strspn(colon, " \t");
	if (list_push(&cfg->path_globs, item, glen) < 0 ||
	    list_push(&cfg->path_rules, colon, trimmed(colon, n - (size_t)(colon - item))) < 0)
		return MLINT_ERROR;
	return 0;
}

/* "glob:id,id; glob:id" (items split at ';' or line ends) replaces the list. */
static int set_path_ignores(struct mlint_config *cfg, const char *value, const char *where)
{
	list_release(&cfg->path_globs);
	list_release(&cfg->path_rules);
	if (!(cfg->path_globs.where = mlint_strdup(where)) ||
	    !(cfg->path_rules.where = mlint_strdup(where)))
		return MLINT_ERROR;
	for (const char *p = value; *p;) {
		size_t n;
		p += strspn(p, "; \t\r\n");
		n = strcspn(p, ";\r\n");
		if (n && add_path_ignore(cfg, p, n, where) < 0)
			return MLINT_ERROR;
		p += n;
	}
	return 0;
}

static int set_paths(struct mlint_config *cfg, const char *key, const char *value,
		     const char *where)
{
	if (strcmp(key, "new-only") == 0 || strcmp(key, "new_only") == 0) {
		if (set_bool(&cfg->new_only, value, "new-only", where) < 0)
			return MLINT_EUSAGE;
		cfg->has_new_only = 1;
		return copy_where(&cfg->new_only_where, where);
	}
	if (strcmp(key, "cache") == 0) {
		if (set_bool(&cfg->cache, value, "cache", where) < 0)
			return MLINT_EUSAGE;
		cfg->has_cache = 1;
		return 0;
	}
	if (strcmp(key, "exclude") == 0)
		return list_set(&cfg->exclude, value, where);
	if (strcmp(key, "base") == 0)
		return list_set(&cfg->base, value, where);
	if (strcmp(key, "applied") == 0)
		return list_set(&cfg->applied, value, where);
	if (strcmp(key, "rules-dir") == 0 || strcmp(key, "rules_dir") == 0)
		return list_set(&cfg->rules_dirs, value, where);
	if (strcmp(key, "template") == 0 || strcmp(key, "models") == 0)
		return 0; /* read where they are used: rename, model-without-migration */
	if (strcmp(key, "per-path-ignores") == 0 || strcmp(key, "per_path_ignores") == 0)
		return set_path_ignores(cfg, value, where);
	return MLINT_ENOTFOUND;
}

static int merge_paths(struct mlint_config *to, const struct mlint_config *from)
{
	if (from->has_new_only) {
		to->new_only = from->new_only;
		to->has_new_only = 1;
		if (copy_where(&to->new_only_where, from->new_only_where) < 0)
			return MLINT_ERROR;
	}
	if (from->has_cache) {
		to->cache = from->cache;
		to->has_cache = 1;
	}
	if (from->exclude.where && list_copy(&to->exclude, &from->exclude) < 0)
		return MLINT_ERROR;
	if (from->base.where && list_copy(&to->base, &from->base) < 0)
		return MLINT_ERROR;
	if (from->applied.where && list_copy(&to->applied, &from->applied) < 0)
		return MLINT_ERROR;
	if (from->rules_dirs.where && list_copy(&to->rules_dirs, &from->rules_dirs) < 0)
		return MLINT_ERROR;
	if (from->path_globs.where && (list_copy(&to->path_globs, &from->path_globs) < 0 ||
				       list_copy(&to->path_rules, &from->path_rules) < 0))
		return MLINT_ERROR;
	return 0;
}

static int glob_match(const char *glob, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (fnmatch(glob, path, 0) == 0)
		return 1;
	return !strchr(glob, '/') && slash && fnmatch(glob, slash + 1, 0) == 0;
}

/* Whether `id` is in the "id, id" list `rules`. */
static int in_rule_list(const char *rules, const char *id)
{
	size_t len = strlen(id);
	for (const char *p = rules; *p;) {
		size_t n;
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if ((n == len && strncmp(p, id, n) == 0) || (n == 3 && strncmp(p, "all", 3) == 0))
			return 1;
		p += n;
	}
	return 0;
}

int mlint_config_keeps(const struct mlint_config *cfg, const char *rule_id, const char *path)
{
	if (!mlint_config_enabled(cfg, rule_id))
		return 0;
	for (size_t i = 0; i < cfg->exclude.nr; i++)
		if (glob_match(cfg->exclude.ids[i], path))
			return 0;
	for (size_t i = 0; i < cfg->path_globs.nr; i++)
		if (glob_match(cfg->path_globs.ids[i], path) &&
		    in_rule_list(cfg->path_rules.ids[i], rule_id))
			return 0;
	return 1;
}
