/* `mlint rename`: the template, the dates and the plan. Nothing changes here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "mlint/history.h"
#include "mlint/rename.h"
#include "strmap.h"
#include "util.h"

/* ---- which template ------------------------------------------------------ */

/* "%%" -> "%", for values written in ini syntax but read raw. */
static void undouble_percent(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		*w++ = *r;
		if (r[0] == '%' && r[1] == '%')
			r++;
	}
	*w = '\0';
}

static int parse_configured(struct mlint_template *out, const char *value, const char *where,
			    unsigned line)
{
	int error = mlint_template_parse(out, value);
	if (error < 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", mlint_error_last());
		return mlint_error_setc(error, "'%s':%u: %s", where, line, msg);
	}
	return 0;
}

/* Alembic's file_template as Alembic reads it (interpolated), when it has dates. */
static int alembic_template(struct mlint_template *out, const struct mlint_scriptdir_config *d,
			    int *found)
{
	const struct mlint_ini_entry *e = mlint_ini_get(&d->ini, "alembic", "file_template");
	const char *defaults[] = {"here", d->ini_path ? d->ini_path : ".", NULL};
	char *value = NULL;
	int error = 0;

	*found = 0;
	if (!e)
		return 0;
	if (mlint_ini_get_interpolated(&value, &d->ini, "alembic", "file_template", defaults) < 0) {
		if (!(value = mlint_strdup(e->value)))
			return MLINT_ERROR;
		undouble_percent(value);
	}
	if (value && strstr(value, "%(")) {
		struct mlint_template t;
		mlint_template_init(&t);
		/* A template Alembic reads but mlint cannot is not the default. */
		if (mlint_template_parse(&t, value) == 0 && mlint_template_has_date(&t)) {
			mlint_template_release(out);
			*out = t;
			*found = 1;
		} else {
			mlint_template_release(&t);
		}
	}
	free(value);
	return error;
}

int mlint_rename_template(struct mlint_template *out, enum mlint_template_origin *origin,
			  const struct mlint_scriptdir_config *d, const char *override)
{
	const struct mlint_ini_entry *e;
	int found, error;

	if (override) {
		*origin = MLINT_TEMPLATE_FROM_OPTION;
		return mlint_template_parse(out, override);
	}
	if ((e = mlint_ini_get(&d->ini, "mlint", "template")) != NULL) {
		char *value = mlint_strdup(e->value);
		if (!value)
			return MLINT_ERROR;
		if (strstr(value, "%%("))
			undouble_percent(value);
		*origin = MLINT_TEMPLATE_FROM_MLINT;
		error = parse_configured(out, value, d->ini_path ? d->ini_path : "alembic.ini",
					 e->line);
		free(value);
		return error;
	}
	if ((error = alembic_template(out, d, &found)) < 0 || found) {
		*origin = MLINT_TEMPLATE_FROM_ALEMBIC;
		return error;
	}
	*origin = MLINT_TEMPLATE_FROM_DEFAULT;
	return mlint_template_parse(out, MLINT_TEMPLATE_DEFAULT);
}

const char *mlint_date_source_name(enum mlint_date_source s)
{
	switch (s) {
	case MLINT_DATE_HEADER: return "header";
	case MLINT_DATE_GIT: return "git";
	default: return "mtime";
	}
}

/* ---- the plan ------------------------------------------------------------ */

void mlint_rename_plan_init(struct mlint_rename_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void mlint_rename_plan_release(struct mlint_rename_plan *plan)
{
	for (size_t i = 0; i < plan->nr; i++) {
		struct mlint_rename *r = &plan->items[i];
		free(r->from);
		free(r->to);
		free(r->from_abs);
		free(r->to_abs);
		free(r->revision);
	}
	free(plan->items);
	mlint_notes_release(&plan->notes);
	mlint_rename_plan_init(plan);
}

/* What the planner keeps per item until names are given. */
struct pending {
	const struct mlint_script *script;
	const struct mlint_template *template;
	int dated;
};

struct planner {
	struct mlint_rename_plan *plan;
	const struct mlint_project *p;
	struct pending *pending;
	size_t alloc_pending;
	struct mlint_strmap taken; /* absolute paths that exist or are targets */
};

static char *abs_path(const struct mlint_project *p, const char *path)
{
	if (path[0] == '/' || !p->base_dir)
		return mlint_strdup(path);
	return mlint_path_join(p->base_dir, path);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void header_date(struct planner *pl, struct mlint_rename *r, struct pending *pd)
{
	const struct mlint_header *h = &pd->script->m.header;
	if (!h->create_date)
		return;
	if (mlint_date_parse(&r->date, h->create_date) == 0) {
		r->source = MLINT_DATE_HEADER;
		pd->dated = 1;
		return;
	}
	mlint_notes_add(&pl->plan->notes, MLINT_NOTE_WARNING,
			"'%s':%u: Create Date %s; the date comes from git or the file's "
			"modification time instead", pd->script->path, h->create_date_line,
			mlint_error_last());
}

static int add_item(struct planner *pl, const struct mlint_script *s,
		    const struct mlint_template *t)
{
	struct mlint_rename_plan *plan = pl->plan;
	struct mlint_rename *r;
	struct pending *pd;

	if (MLINT_ARRAY_GROW(plan->items, plan->alloc, plan->nr + 1) < 0 ||
	    MLINT_ARRAY_GROW(pl->pending, pl->alloc_pending, plan->nr + 1) < 0)
		return MLINT_ERROR;
	r = &plan->items[plan->nr];
	pd = &pl->pending[plan->nr];
	memset(r, 0, sizeof(*r));
	memset(pd, 0, sizeof(*pd));
	plan->nr++;
	pd->script = s;
	pd->template = t;
	if (!(r->from = mlint_strdup(s->path)) || !(r->from_abs = abs_path(pl->p, s->path)) ||
	    !(r->revision = mlint_strdup(mlint_migration_revision(&s->m))))
		return MLINT_ERROR;
	header_date(pl, r, pd);
	return 0;
}

static int wants_rename(const struct mlint_script *s, const struct mlint_template *t)
{
	const char *rev = mlint_migration_revision(&s->m);
	if (!s->is_migration || s->refused || !rev)
		return 0;
	return !mlint_template_match(t, base_name(s->path), rev, NULL);
}

/* Every script that needs a new name, parents before children. */
static int collect_dir(struct planner *pl, const struct mlint_scriptdir *sd,
		       const struct mlint_template *t)
{
	char *seen = calloc(sd->nr_scripts + 1, 1);
	int error = 0;

	if (!seen)
		return mlint_error_set("out of memory");
	for (size_t k = 0; k < sd->graph.nr_order && error == 0; k++) {
		size_t node = sd->graph.order[k];
		size_t script = sd->inputs[sd->graph.nodes[node].input].tag;
		seen[script] = 1;
		if (wants_rename(&sd->scripts[script], t))
			error = add_item(pl, &sd->scripts[script], t);
	}
	for (size_t i = 0; i < sd->nr_scripts && error == 0; i++)
		if (!seen[i] && wants_rename(&sd->scripts[i], t))
			error = add_item(pl, &sd->scripts[i], t);
	for (size_t i = 0; i < sd->nr_scripts && error == 0; i++) {
		char *abs = abs_path(pl->p, sd->scripts[i].path);
		error = abs ? mlint_strmap_add(&pl->taken, abs, 0) : MLINT_ERROR;
		free(abs);
	}
	free(seen);
	return error;
}

/* Paths relative to the repository root, or NULL outside it. */
static const char *repo_relative(const struct mlint_project *p, const char *abs)
{
	size_t n = p->repo_root ? strlen(p->repo_root) : 0;
	if (!n || strncmp(abs, p->repo_root, n) != 0 || abs[n] != '/')
		return NULL;
	return abs + n + 1;
}

static int location_specs(const struct mlint_project *p, const char ***out, size_t *nr)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < p->nr_dirs; i++)
		total += p->dirs[i].nr_locations;
	if (!(*out = calloc(total + 1, sizeof(**out))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < p->nr_dirs; i++)
		for (size_t j = 0; j < p->dirs[i].nr_locations; j++) {
			const char *rel = repo_relative(p, p->dirs[i].version_locations[j]);
			if (rel)
				(*out)[k++] = rel;
		}
	*nr = k;
	return 0;
}

/* One history walk for every file the header did not date. */
static int git_dates(struct planner *pl)
{
	struct mlint_history_entry *entries = NULL;
	size_t *items = NULL, nr = 0, nr_specs = 0;
	const char **specs = NULL;
	int error = 0;

	if (!pl->p->repo_root)
		return 0;
	entries = calloc(pl->plan->nr + 1, sizeof(*entries));
	items = calloc(pl->plan->nr + 1, sizeof(*items));
	if (!entries || !items) {
		error = mlint_error_set("out of memory");
		goto done;
	}
	for (size_t i = 0; i < pl->plan->nr; i++) {
		const char *rel = repo_relative(pl->p, pl->plan->items[i].from_abs);
		if (pl->pending[i].dated || !rel)
			continue;
		entries[nr].path = rel;
		items[nr++] = i;
	}
	if (nr == 0 || (error = location_specs(pl->p, &specs, &nr_specs)) < 0 ||
	    (error = mlint_history_first_added(entries, nr, pl->p->repo_root, specs,
					       nr_specs)) < 0)
		goto done;
	for (size_t k = 0; k < nr; k++) {
		struct mlint_rename *r = &pl->plan->items[items[k]];
		if (!entries[k].found)
			continue;
		mlint_date_from_epoch(&r->date, entries[k].time, entries[k].offset);
		r->source = MLINT_DATE_GIT;
		pl->pending[items[k]].dated = 1;
	}
done:
	free(specs);
	free(items);
	free(entries);
	return error;
}

static int mtime_dates(struct planner *pl)
{
	for (size_t i = 0; i < pl->plan->nr; i++) {
		struct mlint_rename *r = &pl->plan->items[i];
		struct stat st;
		if (pl->pending[i].dated)
			continue;
		if (stat(r->from_abs, &st) < 0)
			return mlint_error_set("cannot read the modification time of '%s': %s",
					       r->from, strerror(errno));
		mlint_date_from_epoch(&r->date, (long long)st.st_mtime, 0);
		r->source = MLINT_DATE_MTIME;
	}
	return 0;
}

static int target_in_dir(struct mlint_buf *out, const char *from_abs, const char *name)
{
	const char *slash = strrchr(from_abs, '/');
	mlint_buf_clear(out);
	if (slash && mlint_buf_put(out, from_abs, (size_t)(slash - from_abs + 1)) < 0)
		return MLINT_ERROR;
	return mlint_buf_puts(out, name);
}

/* The target of item i: the template's name, suffixed while it is taken. */
static int name_item(struct planner *pl, size_t i, struct mlint_buf *name, struct mlint_buf *path)
{
	struct mlint_rename *r = &pl->plan->items[i];
	const struct pending *pd = &pl->pending[i];
	struct mlint_buf slug = MLINT_BUF_INIT, suffixed = MLINT_BUF_INIT;
	struct mlint_template_values v;
	int error;

	mlint_buf_init(&slug, 0);
	mlint_buf_init(&suffixed, 0);
	mlint_buf_clear(name);
	if ((error = mlint_slug_for_file(&slug, base_name(r->from), r->revision,
					 pd->script->m.header.message)) < 0)
		goto done;
	v = (struct mlint_template_values){r->date.year, r->date.month, r->date.day, r->date.hour,
					   r->date.minute, r->date.second, r->date.epoch,
					   r->revision, slug.ptr};
	if ((error = mlint_template_render(name, pd->template, &v)) < 0 ||
	    (error = target_in_dir(path, r->from_abs, name->ptr)) < 0)
		goto done;
	for (unsigned n = 2; mlint_strmap_find(&pl->taken, path->ptr); n++) {
		mlint_buf_clear(&suffixed);
		if ((error = mlint_template_suffixed(&suffixed, name->ptr, n)) < 0 ||
		    (error = target_in_dir(path, r->from_abs, suffixed.ptr)) < 0)
			goto done;
	}
	if ((error = mlint_strmap_add(&pl->taken, path->ptr, i)) < 0 ||
	    !(r->to_abs = mlint_strdup(path->ptr)) ||
	    !(r->to = mlint_project_display_path(pl->p, path->ptr)))
		error = error < 0 ? error : MLINT_ERROR;
done:
	mlint_buf_release(&slug);
	mlint_buf_release(&suffixed);
	return error;
}

static int name_all(struct planner *pl)
{
	struct mlint_buf name, path;
	int error = 0;
	mlint_buf_init(&name, 0);
	mlint_buf_init(&path, 0);
	for (size_t i = 0; i < pl->plan->nr && error == 0; i++)
		error = name_item(pl, i, &name, &path);
	mlint_buf_release(&name);
	mlint_buf_release(&path);
	return error;
}

int mlint_rename_plan_build(struct mlint_rename_plan *plan, const struct mlint_project *p,
			    const struct mlint_scriptdir *dirs, size_t nr,
			    const struct mlint_rename_opts *opts)
{
	struct planner pl;
	struct mlint_template *templates = calloc(nr + 1, sizeof(*templates));
	int error = 0;

	memset(&pl, 0, sizeof(pl));
	pl.plan = plan;
	pl.p = p;
	if (!templates)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < nr && error == 0; i++) {
		enum mlint_template_origin origin;
		mlint_template_init(&templates[i]);
		if ((error = mlint_rename_template(&templates[i], &origin, dirs[i].config,
						   opts ? opts->template : NULL)) == 0)
			error = collect_dir(&pl, &dirs[i], &templates[i]);
	}
	if (error == 0 && (error = git_dates(&pl)) == 0 && (error = mtime_dates(&pl)) == 0)
		error = name_all(&pl);
	for (size_t i = 0; i < nr; i++)
		mlint_template_release(&templates[i]);
	free(templates);
	free(pl.pending);
	mlint_strmap_release(&pl.taken);
	return error;
}
