/* mlint's settings: [mlint] in alembic.ini or .mlint.ini, and the command line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "mlint/config.h"
#include "util.h"

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
	return 0;
}

int mlint_config_set(struct mlint_config *cfg, const char *key, const char *value,
		     const char *where)
{
	if (strcmp(key, "select") == 0)
		return list_set(&cfg->select, value, where);
	if (strcmp(key, "ignore") == 0)
		return list_set(&cfg->ignore, value, where);
	if (strcmp(key, "downgrade") == 0)
		return set_downgrade(cfg, value, where);
	if (strcmp(key, "fail-on") == 0 || strcmp(key, "fail_on") == 0) {
		if (mlint_severity_parse(&cfg->fail_on, value) < 0)
			return mlint_error_setc(MLINT_EUSAGE, "%s: unknown severity '%s' for fail-on: "
						"use error, warning or info", where, value);
		cfg->has_fail_on = 1;
		return 0;
	}
	return MLINT_ENOTFOUND;
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
						"ignore, fail-on, downgrade); ignored", where, e->key);
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
	}
	if (from->has_downgrade) {
		to->downgrade = from->downgrade;
		to->has_downgrade = 1;
	}
	return 0;
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
