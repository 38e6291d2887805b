/* Inline suppressions: `# mlint: ignore[id, ...]` and `# mlint: ignore-file[id, ...]`. */
#include <stdio.h>
#include <string.h>
#include "mlint/suppress.h"
#include "util.h"

void mlint_suppression_release(struct mlint_suppression *s)
{
	for (size_t i = 0; i < s->nr_ids; i++)
		free(s->ids[i]);
	free(s->ids);
	memset(s, 0, sizeof(*s));
}

static int push_id(struct mlint_suppression *s, const char *p, size_t n, size_t *alloc)
{
	char *id = mlint_strndup(p, n);
	if (!id || MLINT_ARRAY_GROW(s->ids, *alloc, s->nr_ids + 1) < 0) {
		free(id);
		return MLINT_ERROR;
	}
	s->ids[s->nr_ids++] = id;
	return 0;
}

/* "#  mlint:" at the start of the comment or after another comment's '#'. */
static const char *find_directive(const char *comment)
{
	for (const char *p = strchr(comment, '#'); p; p = strchr(p + 1, '#')) {
		const char *q = p + 1;
		q += strspn(q, " \t");
		if (strncmp(q, "mlint:", 6) == 0)
			return q + 6;
	}
	return NULL;
}

static int parse_bad(struct mlint_suppression *out, const char *what, size_t *alloc)
{
	out->bad = 1;
	return push_id(out, what, strlen(what), alloc) < 0 ? MLINT_ERROR : 1;
}

int mlint_suppression_parse(struct mlint_suppression *out, const char *comment)
{
	const char *p = find_directive(comment), *close;
	size_t alloc = 0;

	memset(out, 0, sizeof(*out));
	if (!p)
		return 0;
	p += strspn(p, " \t");
	if (strncmp(p, "ignore-file", 11) == 0) {
		out->file_wide = 1;
		p += 11;
	} else if (strncmp(p, "ignore", 6) == 0) {
		p += 6;
	} else {
		return parse_bad(out, "expected 'ignore[RULE-ID, ...]' or 'ignore-file[RULE-ID, ...]'",
				 &alloc);
	}
	if (*p != '[' || !(close = strchr(p, ']')))
		return parse_bad(out, "expected '[RULE-ID, ...]' after 'ignore'", &alloc);
	for (p++; p < close;) {
		size_t n;
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t]");
		if (n && push_id(out, p, n, &alloc) < 0)
			return MLINT_ERROR;
		p += n;
	}
	if (out->nr_ids == 0)
		return parse_bad(out, "names no rule: write ignore[RULE-ID]", &alloc);
	return 1;
}

/* ---- applying them ---------------------------------------------------- */

struct file_sup {
	const struct mlint_script *s;
	struct mlint_suppression *items;
	unsigned char **used; /* per item, per id */
	size_t nr;
};

struct applier {
	struct file_sup *files; /* sorted by path, as the scripts are */
	size_t nr_files;
	size_t suppressed;
};

static void applier_release(struct applier *a)
{
	for (size_t i = 0; i < a->nr_files; i++) {
		for (size_t k = 0; k < a->files[i].nr; k++) {
			mlint_suppression_release(&a->files[i].items[k]);
			free(a->files[i].used[k]);
		}
		free(a->files[i].items);
		free(a->files[i].used);
	}
	free(a->files);
}

static int load_file(struct file_sup *fs, const struct mlint_script *s)
{
	const struct mlint_migration *m = &s->m;

	fs->s = s;
	if (!(fs->items = calloc(m->nr_directives, sizeof(*fs->items))) ||
	    !(fs->used = calloc(m->nr_directives, sizeof(*fs->used))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < m->nr_directives; i++) {
		struct mlint_suppression *sup = &fs->items[fs->nr];
		int r = mlint_suppression_parse(sup, m->directives[i].text);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		sup->line = m->directives[i].line;
		sup->col = m->directives[i].col;
		if (!(fs->used[fs->nr++] = calloc(sup->nr_ids + 1, 1)))
			return mlint_error_set("out of memory");
	}
	return 0;
}

static int load_all(struct applier *a, const struct mlint_scriptdir *sd)
{
	size_t n = 0;
	for (size_t i = 0; i < sd->nr_scripts; i++)
		n += sd->scripts[i].m.nr_directives > 0;
	if (n && !(a->files = calloc(n, sizeof(*a->files))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < sd->nr_scripts; i++) {
		if (!sd->scripts[i].m.nr_directives)
			continue;
		if (load_file(&a->files[a->nr_files++], &sd->scripts[i]) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

static struct file_sup *file_of(struct applier *a, const char *path)
{
	size_t lo = 0, hi = a->nr_files;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(a->files[mid].s->path, path);
		if (c == 0)
			return &a->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int covers(const struct mlint_suppression *sup, const struct mlint_finding *x)
{
	return sup->file_wide || sup->line == x->line || (x->call_line && sup->line == x->call_line);
}

/* mlint_findings_filter callback: drops (and marks) what is suppressed. */
static int keep_unsuppressed(void *ctx, const struct mlint_finding *x)
{
	struct applier *a = ctx;
	struct file_sup *fs = file_of(a, x->path);
	int hit = 0;

	for (size_t k = 0; fs && k < fs->nr; k++) {
		const struct mlint_suppression *sup = &fs->items[k];
		if (sup->bad || !covers(sup, x))
			continue;
		for (size_t i = 0; i < sup->nr_ids; i++)
			if (strcmp(sup->ids[i], x->rule) == 0) {
				fs->used[k][i] = 1;
				hit = 1;
			}
	}
	a->suppressed += hit;
	return !hit;
}

static int report_unused(struct mlint_findings *f, const struct file_sup *fs,
			 const struct mlint_suppression *sup, const char *message, const char *id)
{
	struct mlint_location loc = {fs->s->path, sup->line, sup->col,
				     mlint_migration_revision(&fs->s->m), NULL, 0};
	loc.excerpt = mlint_script_line(fs->s, sup->line, &loc.excerpt_len);
	return mlint_findings_addf(f, mlint_rule_find("unused-suppression"), &loc, message, id);
}

static int check_unused(struct applier *a, struct mlint_findings *f,
			const struct mlint_ruleset *rs, const struct mlint_config *cfg)
{
	for (size_t i = 0; i < a->nr_files; i++) {
		const struct file_sup *fs = &a->files[i];
		for (size_t k = 0; k < fs->nr; k++) {
			const struct mlint_suppression *sup = &fs->items[k];
			if (sup->bad && report_unused(f, fs, sup, "malformed suppression: %s",
						      sup->ids[0]) < 0)
				return MLINT_ERROR;
			for (size_t n = 0; !sup->bad && n < sup->nr_ids; n++) {
				const char *id = sup->ids[n];
				int e = 0;
				if (!mlint_ruleset_find(rs, id))
					e = report_unused(f, fs, sup, "suppression names unknown rule "
							  "'%s'; `mlint rules` lists them", id);
				else if (!fs->used[k][n] && mlint_config_enabled(cfg, id))
					e = report_unused(f, fs, sup, "suppression of '%s' matches no "
							  "finding here; remove it", id);
				if (e < 0)
					return MLINT_ERROR;
			}
		}
	}
	return 0;
}

int mlint_suppress_apply(struct mlint_findings *f, const struct mlint_scriptdir *sd,
			 const struct mlint_ruleset *rs, const struct mlint_config *cfg,
			 size_t *suppressed)
{
	struct applier a;
	int error;

	memset(&a, 0, sizeof(a));
	if ((error = load_all(&a, sd)) < 0)
		goto done;
	if (a.nr_files == 0)
		goto done;
	mlint_findings_filter(f, keep_unsuppressed, &a);
	*suppressed += a.suppressed;
	error = check_unused(&a, f, rs, cfg);
done:
	applier_release(&a);
	return error;
}
