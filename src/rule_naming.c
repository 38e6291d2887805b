/* Naming rules: file names that follow the template, sort in order, say something. */
#include <stdio.h>
#include <string.h>
#include "mlint/check.h"
#include "mlint/rename.h"
#include "mlint/template.h"
#include "util.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int usable(const struct mlint_script *s)
{
	return s->is_migration && !s->refused && mlint_migration_revision(&s->m);
}

static int add(struct mlint_findings *out, const struct mlint_script *s, const char *rule,
	       unsigned line, const char *message)
{
	struct mlint_location at = mlint_script_at(s, line, 1);
	return mlint_findings_addf(out, mlint_rule_find(rule), &at, "%s", message);
}

static const char *origin_words(enum mlint_template_origin o)
{
	return o == MLINT_TEMPLATE_FROM_MLINT ? "[mlint] template" : "file_template in alembic.ini";
}

/* Names of the rename template's form, or of the form Alembic gives new
 * files (its own file_template): both are the project's. */
static int follows(const struct mlint_script *s, const struct mlint_template *t,
		   const struct mlint_template *own)
{
	const char *rev = mlint_migration_revision(&s->m), *name = base_name(s->path);
	return mlint_template_match(t, name, rev, NULL) ||
	       (own && mlint_template_match(own, name, rev, NULL));
}

static int check_format(const struct mlint_scriptdir *sd, const struct mlint_template *t,
			enum mlint_template_origin origin, struct mlint_findings *out)
{
	struct mlint_template own;
	char msg[1024];
	int found = 0, error = 0;

	if (origin == MLINT_TEMPLATE_FROM_DEFAULT)
		return 0; /* only a configured template is a policy */
	mlint_template_init(&own);
	if (mlint_rename_alembic_form(&own, sd->config, &found) < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < sd->nr_scripts && error == 0; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		if (!usable(s) || follows(s, t, found ? &own : NULL))
			continue;
		snprintf(msg, sizeof(msg), "file name '%.300s' does not follow the template '%.200s' "
			 "(%s); run 'mlint rename' to fix every name at once", base_name(s->path),
			 t->spec, origin_words(origin));
		error = add(out, s, "filename-format", 1, msg);
	}
	mlint_template_release(&own);
	return error < 0 ? MLINT_ERROR : 0;
}

/* The date fields of a file name, compared most significant first. */
static int older(const struct mlint_template_values *a, const struct mlint_template_values *b)
{
	const long long ka[] = {a->year, a->month, a->day, a->hour, a->minute, a->second, a->epoch};
	const long long kb[] = {b->year, b->month, b->day, b->hour, b->minute, b->second, b->epoch};
	for (size_t i = 0; i < sizeof(ka) / sizeof(ka[0]); i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i];
	return 0;
}

/* Whether file a is listed before file b (byte order, as `ls` in C locale). */
static int sorts_before(const char *a, const char *b)
{
	return strcmp(base_name(a), base_name(b)) < 0;
}

static int dated_name(const struct mlint_template *t, const struct mlint_script *s,
		      struct mlint_template_values *v)
{
	memset(v, 0, sizeof(*v));
	return usable(s) && mlint_template_match(t, base_name(s->path),
						 mlint_migration_revision(&s->m), v);
}

/* Each node's dated name, matched once: a node is its children's parent
 * too, and matching is most of this rule's time. */
struct dated {
	int known, ok;
	struct mlint_template_values v;
};

static const struct mlint_template_values *dated_node(const struct mlint_scriptdir *sd,
						      const struct mlint_template *t,
						      struct dated *cache, size_t n)
{
	struct dated *d = &cache[n];
	if (!d->known) {
		d->ok = dated_name(t, mlint_scriptdir_node_script(sd, n), &d->v);
		d->known = 1;
	}
	return d->ok ? &d->v : NULL;
}

static int check_order(const struct mlint_scriptdir *sd, const struct mlint_template *t,
		       struct mlint_findings *out)
{
	struct dated *cache;
	char msg[1024];
	int error = 0;

	if (!mlint_template_has_date(t) || sd->graph.nr_nodes == 0)
		return 0;
	if (!(cache = calloc(sd->graph.nr_nodes, sizeof(*cache))))
		return mlint_error_set("out of memory");
	for (size_t n = 0; n < sd->graph.nr_nodes && error == 0; n++) {
		const struct mlint_graph_node *node = &sd->graph.nodes[n];
		const struct mlint_template_values *mine = dated_node(sd, t, cache, n), *theirs;
		const struct mlint_script *s = mlint_scriptdir_node_script(sd, n), *ps;
		for (size_t k = 0; mine && k < node->nr_parents && error == 0; k++) {
			if (!(theirs = dated_node(sd, t, cache, node->parents[k])))
				continue;
			ps = mlint_scriptdir_node_script(sd, node->parents[k]);
			/* Same date: `ls` orders them by the rest of the name. */
			if (!older(mine, theirs) &&
			    (older(theirs, mine) || !sorts_before(s->path, ps->path)))
				continue;
			snprintf(msg, sizeof(msg), "'%.300s' sorts before its parent '%.300s': listed "
				 "by name, the files no longer show the order they run in; give it "
				 "a later date (or run 'mlint rename', which orders the files of "
				 "one day by time or sequence)", base_name(s->path),
				 base_name(ps->path));
			error = add(out, s, "out-of-order", 1, msg);
		}
	}
	free(cache);
	return error < 0 ? MLINT_ERROR : 0;
}

/* Alembic's and Flask-Migrate's placeholder, or nothing: the docstring's
 * first line is the message unless it is one of these (a header that starts
 * with "Revision ID:" leaves the message NULL). */
static int default_message(const char *message)
{
	return !message || !*message || strcmp(message, "empty message") == 0;
}

static int check_message(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	char msg[512];
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		const struct mlint_script *s = &sd->scripts[i];
		const char *rev = mlint_migration_revision(&s->m), *name = base_name(s->path);
		const char *message = s->m.header.message;
		int empty_name, placeholder;
		if (!usable(s))
			continue;
		empty_name = strncmp(name, rev, strlen(rev)) == 0 &&
			     strcmp(name + strlen(rev), "_.py") == 0;
		placeholder = message && strcmp(message, "empty message") == 0;
		/* A descriptive docstring is the message, whatever the file is called;
		 * a file renamed by hand without a docstring message says it by name. */
		if (!default_message(message) || (!placeholder && !empty_name))
			continue;
		if (empty_name)
			snprintf(msg, sizeof(msg), "migration '%.100s' has no message (%s and file "
				 "name '<rev>_.py'): write what it does in the first docstring line, "
				 "then run 'mlint rename' to put it in the file name", rev,
				 placeholder ? "\"empty message\"" : "no docstring message");
		else
			snprintf(msg, sizeof(msg), "migration '%.100s' has no message (\"empty "
				 "message\"): it names the history; write what it does in the first "
				 "docstring line", rev);
		if (add(out, s, "missing-message", placeholder && s->m.header.line
			? s->m.header.line : 1, msg) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

int mlint_check_naming(const struct mlint_scriptdir *sd, struct mlint_findings *out)
{
	struct mlint_template t;
	enum mlint_template_origin origin;
	int error;

	mlint_template_init(&t);
	/* A broken template is the config's problem, reported by `rename`. */
	if (mlint_rename_template(&t, &origin, sd->config, NULL) < 0) {
		origin = MLINT_TEMPLATE_FROM_DEFAULT;
		if ((error = mlint_template_parse(&t, MLINT_TEMPLATE_DEFAULT)) < 0)
			goto done;
	}
	if ((error = check_format(sd, &t, origin, out)) == 0 &&
	    (error = check_order(sd, &t, out)) == 0)
		error = check_message(sd, out);
done:
	mlint_template_release(&t);
	return error;
}
