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

/* Whether an ini value is the file_template mlint recommends for the default. */
static int is_recommended(const char *ini_value)
{
	struct mlint_template t;
	struct mlint_buf line;
	int same = 0;

	mlint_template_init(&t);
	mlint_buf_init(&line, 0);
	if (mlint_template_parse(&t, MLINT_TEMPLATE_DEFAULT) == 0 &&
	    mlint_template_new_files_ini(&line, &t) == 0)
		same = strcmp(line.ptr, ini_value) == 0;
	mlint_buf_release(&line);
	mlint_template_release(&t);
	return same;
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
		if (is_recommended(e->value)) {
			/* New files get the time and revision; renamed ones keep the
			 * guide's form. */
			error = mlint_template_parse(&t, MLINT_TEMPLATE_DEFAULT);
			mlint_template_release(out);
			*out = t;
			*found = error == 0;
		} else if (mlint_template_parse(&t, value) == 0 && mlint_template_has_date(&t)) {
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

int mlint_rename_alembic_form(struct mlint_template *out, const struct mlint_scriptdir_config *d,
			      int *found)
{
	const char *defaults[] = {"here", d->ini_path ? d->ini_path : ".", NULL};
	char *value = NULL;

	*found = 0;
	if (!mlint_ini_get(&d->ini, "alembic", "file_template") ||
	    mlint_ini_get_interpolated(&value, &d->ini, "alembic", "file_template", defaults) < 0)
		return 0;
	if (strstr(value, "%(") && mlint_template_parse(out, value) == 0)
		*found = 1;
	free(value);
	return 0;
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

/* The templates of one script directory. */
struct dir_forms {
	const struct mlint_template *t;   /* what renamed files get */
	const struct mlint_template *own; /* Alembic's file_template, or NULL */
	int orders_days;                  /* t starts with a date and has no time */
};

/* What the planner keeps per item until names are given. A candidate has
 * the template's form already: it is renamed only to order a day shared
 * with other migrations (its date fields, from its name, in `named`). */
struct pending {
	const struct mlint_script *script;
	const struct mlint_template *template;
	int dated, candidate, drop;
	int orders; /* its template starts with a date and has no time */
	struct mlint_template_values named;
	char infix[32]; /* "_1432" or "_02" when the day is shared, else "" */
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
		    const struct dir_forms *f, const struct mlint_template_values *named)
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
	pd->template = f->t;
	pd->orders = f->orders_days;
	if (named) {
		pd->candidate = 1;
		pd->named = *named;
	}
	if (!(r->from = mlint_strdup(s->path)) || !(r->from_abs = abs_path(pl->p, s->path)) ||
	    !(r->revision = mlint_strdup(mlint_migration_revision(&s->m))))
		return MLINT_ERROR;
	header_date(pl, r, pd);
	return 0;
}


/* Adds script s when it needs a new name, or as a candidate when its name
 * has the form but another migration of its day may need ordering. */
static int consider(struct planner *pl, const struct mlint_script *s,
		    const struct dir_forms *f)
{
	const char *rev = mlint_migration_revision(&s->m), *name = base_name(s->path);
	struct mlint_template_values named;

	if (!s->is_migration || s->refused || !rev)
		return 0;
	if (f->own && mlint_template_match(f->own, name, rev, NULL))
		return 0; /* Alembic's own name for it: unique, leave it */
	memset(&named, 0, sizeof(named));
	if (!mlint_template_match(f->t, name, rev, &named))
		return add_item(pl, s, f, NULL);
	return f->orders_days ? add_item(pl, s, f, &named) : 0;
}

/* Every script that needs a new name, parents before children. */
static int collect_dir(struct planner *pl, const struct mlint_scriptdir *sd,
		       const struct dir_forms *t)
{
	char *seen = calloc(sd->nr_scripts + 1, 1);
	int error = 0;

	if (!seen)
		return mlint_error_set("out of memory");
	for (size_t k = 0; k < sd->graph.nr_order && error == 0; k++) {
		size_t node = sd->graph.order[k];
		size_t script = sd->inputs[sd->graph.nodes[node].input].tag;
		seen[script] = 1;
		error = consider(pl, &sd->scripts[script], t);
	}
	for (size_t i = 0; i < sd->nr_scripts && error == 0; i++)
		if (!seen[i])
			error = consider(pl, &sd->scripts[i], t);
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

/* ---- ordering the files of one day --------------------------------------- */

static void day_of(const struct planner *pl, size_t i, int out[3])
{
	const struct pending *pd = &pl->pending[i];
	const struct mlint_date *d = &pl->plan->items[i].date;
	out[0] = pd->candidate ? pd->named.year : d->year;
	out[1] = pd->candidate ? pd->named.month : d->month;
	out[2] = pd->candidate ? pd->named.day : d->day;
}

static _Thread_local const struct planner *sorting; /* qsort has no context argument */

/* Which directory holds item i: `ls` orders each directory alone. */
static int dir_cmp(const struct planner *pl, size_t i, size_t j)
{
	const char *a = pl->plan->items[i].from_abs, *b = pl->plan->items[j].from_abs;
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
	int c = memcmp(a, b, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

/* By directory, day, then plan order (graph order). */
static int by_dir_day(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int dx[3], dy[3], c;

	if ((c = dir_cmp(sorting, i, j)) != 0)
		return c;
	day_of(sorting, i, dx);
	day_of(sorting, j, dy);
	for (int k = 0; k < 3; k++)
		if (dx[k] != dy[k])
			return dx[k] < dy[k] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int same_day(const struct planner *pl, size_t i, size_t j)
{
	int a[3], b[3];
	day_of(pl, i, a);
	day_of(pl, j, b);
	return dir_cmp(pl, i, j) == 0 && a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/* A time that orders member k of a day: written, of that day, later than
 * the one before it (to the minute, as the name shows it). */
static int time_orders(const struct planner *pl, const size_t *m, size_t k)
{
	const struct mlint_date *d = &pl->plan->items[m[k]].date, *prev;
	int day[3];

	day_of(pl, m[k], day);
	if (!d->has_time || d->year != day[0] || d->month != day[1] || d->day != day[2])
		return 0;
	if (k == 0)
		return 1;
	prev = &pl->plan->items[m[k - 1]].date;
	return d->hour * 60 + d->minute > prev->hour * 60 + prev->minute;
}

/* Members m[0..n) share a day: their times when those order them, else
 * 01, 02, ... in graph order. A day of one keeps the plain form. */
static void order_day(struct planner *pl, const size_t *m, size_t n)
{
	int times = 1;
	if (n < 2) {
		pl->pending[m[0]].drop = pl->pending[m[0]].candidate;
		return;
	}
	for (size_t k = 0; k < n && times; k++)
		times = time_orders(pl, m, k);
	for (size_t k = 0; k < n; k++) {
		const struct mlint_date *d = &pl->plan->items[m[k]].date;
		struct pending *pd = &pl->pending[m[k]];
		if (times)
			snprintf(pd->infix, sizeof(pd->infix), "_%02d%02d", d->hour, d->minute);
		else
			snprintf(pd->infix, sizeof(pd->infix), "_%02zu", k + 1);
	}
}

static int order_days(struct planner *pl)
{
	size_t *idx = calloc(pl->plan->nr + 1, sizeof(*idx)), nr = 0;

	if (!idx)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < pl->plan->nr; i++)
		if (pl->pending[i].orders)
			idx[nr++] = i;
	sorting = pl;
	qsort(idx, nr, sizeof(*idx), by_dir_day);
	sorting = NULL;
	for (size_t start = 0, end; start < nr; start = end) {
		for (end = start + 1; end < nr && same_day(pl, idx[start], idx[end]); end++)
			;
		order_day(pl, idx + start, end - start);
	}
	free(idx);
	return 0;
}

/* ---- names ----------------------------------------------------------------- */

/* A candidate's name with the day's infix in place of any it had:
 * 20250823_add_x.py -> 20250823_1432_add_x.py. */
static int reorder_name(struct mlint_buf *name, const struct pending *pd, const char *from)
{
	const char *rest;
	size_t digits;

	if (mlint_template_render_date_prefix(name, pd->template, &pd->named) < 0)
		return MLINT_ERROR;
	if (strncmp(from, name->ptr, name->len) != 0)
		return mlint_error_set("'%s' does not start with its date '%s'", from, name->ptr);
	rest = from + name->len;
	digits = rest[0] == '_' ? strspn(rest + 1, "0123456789") : 0;
	if ((digits == 2 || digits == 4) && rest[1 + digits] == '_')
		rest += 1 + digits;
	if (mlint_buf_puts(name, pd->infix) < 0 || mlint_buf_puts(name, rest) < 0)
		return MLINT_ERROR;
	return 0;
}

static int render_item(struct mlint_buf *name, const struct mlint_rename *r,
		       const struct pending *pd)
{
	struct mlint_buf slug;
	struct mlint_template_values v;
	int error;

	if (pd->candidate)
		return reorder_name(name, pd, base_name(r->from));
	mlint_buf_init(&slug, 0);
	if ((error = mlint_slug_for_file(&slug, base_name(r->from), r->revision,
					 pd->script->m.header.message)) == 0) {
		v = (struct mlint_template_values){r->date.year, r->date.month, r->date.day,
						   r->date.hour, r->date.minute, r->date.second,
						   r->date.epoch, r->revision, slug.ptr};
		error = mlint_template_render_ordered(name, pd->template, &v,
						      pd->infix[0] ? pd->infix : NULL);
	}
	mlint_buf_release(&slug);
	return error;
}

/* The target of item i: the template's name, suffixed while it is taken. */
static int name_item(struct planner *pl, size_t i, struct mlint_buf *name, struct mlint_buf *path)
{
	struct mlint_rename *r = &pl->plan->items[i];
	struct pending *pd = &pl->pending[i];
	struct mlint_buf suffixed = MLINT_BUF_INIT;
	int error;

	mlint_buf_init(&suffixed, 0);
	mlint_buf_clear(name);
	if (pd->drop)
		return 0;
	if ((error = render_item(name, r, pd)) < 0 ||
	    (error = target_in_dir(path, r->from_abs, name->ptr)) < 0)
		goto done;
	if (pd->candidate && strcmp(path->ptr, r->from_abs) == 0) {
		pd->drop = 1; /* ordered already */
		goto done;
	}
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
	mlint_buf_release(&suffixed);
	return error;
}

/* Removes the candidates that keep their names. */
static void drop_unchanged(struct planner *pl)
{
	struct mlint_rename_plan *plan = pl->plan;
	size_t w = 0;
	for (size_t i = 0; i < plan->nr; i++) {
		struct mlint_rename *r = &plan->items[i];
		if (!pl->pending[i].drop) {
			plan->items[w++] = *r;
			continue;
		}
		free(r->from);
		free(r->to);
		free(r->from_abs);
		free(r->to_abs);
		free(r->revision);
	}
	plan->nr = w;
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

/* Reads the templates of a script directory into t[0] (rename) and t[1]
 * (Alembic's own), then collects its files. */
static int dir_templates(struct planner *pl, const struct mlint_scriptdir *sd,
			 struct mlint_template *t, const struct mlint_rename_opts *opts)
{
	enum mlint_template_origin origin;
	struct dir_forms f = {&t[0], NULL, 0};
	int found = 0, error;

	mlint_template_init(&t[0]);
	mlint_template_init(&t[1]);
	if ((error = mlint_rename_template(&t[0], &origin, sd->config,
					   opts ? opts->template : NULL)) < 0 ||
	    (error = mlint_rename_alembic_form(&t[1], sd->config, &found)) < 0)
		return error;
	f.own = found ? &t[1] : NULL;
	f.orders_days = mlint_template_date_leads(&t[0]) && !mlint_template_has_time(&t[0]);
	return collect_dir(pl, sd, &f);
}

int mlint_rename_plan_build(struct mlint_rename_plan *plan, const struct mlint_project *p,
			    const struct mlint_scriptdir *dirs, size_t nr,
			    const struct mlint_rename_opts *opts)
{
	struct planner pl;
	struct mlint_template *templates = calloc(2 * nr + 1, sizeof(*templates));
	int error = 0;

	memset(&pl, 0, sizeof(pl));
	pl.plan = plan;
	pl.p = p;
	if (!templates)
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < nr && error == 0; i++)
		error = dir_templates(&pl, &dirs[i], &templates[2 * i], opts);
	if (error == 0 && (error = git_dates(&pl)) == 0 && (error = mtime_dates(&pl)) == 0 &&
	    (error = order_days(&pl)) == 0 && (error = name_all(&pl)) == 0)
		drop_unchanged(&pl);
	for (size_t i = 0; i < 2 * nr; i++)
		mlint_template_release(&templates[i]);
	free(templates);
	free(pl.pending);
	mlint_strmap_release(&pl.taken);
	return error;
}
