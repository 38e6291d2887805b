/*
 * The rules of one run: the static C registry, the shipped pattern rules
 * (embedded at build time) and a team's rule files, with the parser of the
 * rule file format (rules/README.md).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "ruleset.h"
#include "util.h"

void mlint_ruleset_init(struct mlint_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void mlint_pattern_rule_free(struct mlint_pattern_rule *p)
{
	if (!p)
		return;
	free((char *)p->rule.id);
	free((char *)p->rule.summary);
	free((char *)p->rule.explain);
	free((char *)p->rule.fix);
	free(p->origin);
	free(p->message);
	for (size_t i = 0; i < p->nr_patterns; i++) {
		pcre2_code_free(p->patterns[i].code);
		free(p->patterns[i].source);
	}
	free(p->patterns);
	free(p->sources);
	for (size_t i = 0; i < p->nr_unless; i++) {
		pcre2_code_free(p->unless[i].code);
		free(p->unless[i].source);
	}
	free(p->unless);
	free(p);
}

void mlint_ruleset_release(struct mlint_ruleset *rs)
{
	for (size_t i = 0; i < rs->nr; i++)
		mlint_pattern_rule_free(rs->entries[i].pattern);
	free(rs->entries);
	mlint_ruleset_init(rs);
}

const struct mlint_ruleset_entry *mlint_ruleset_find(const struct mlint_ruleset *rs,
						     const char *id)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (strcmp(rs->entries[i].rule->id, id) == 0)
			return &rs->entries[i];
	return NULL;
}

/* Edit distance (insert, delete, substitute one character), capped: ids
 * are short, so a row of 64 is enough and longer input is simply far. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65];
	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *mlint_ruleset_closest(const struct mlint_ruleset *rs, const char *id)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < rs->nr; i++) {
		size_t d = distance(id, rs->entries[i].rule->id);
		if (d < best_d) {
			best_d = d;
			best = rs->entries[i].rule->id;
		}
	}
	return best;
}

static int add_entry(struct mlint_ruleset *rs, const struct mlint_rule *rule, const char *origin,
		     struct mlint_pattern_rule *pattern)
{
	if (MLINT_ARRAY_GROW(rs->entries, rs->alloc, rs->nr + 1) < 0)
		return MLINT_ERROR;
	rs->entries[rs->nr].rule = rule;
	rs->entries[rs->nr].origin = origin;
	rs->entries[rs->nr].pattern = pattern;
	rs->nr++;
	return 0;
}

/* ---- the rule file parser ------------------------------------------- */

enum key {
	KEY_ID, KEY_SEVERITY, KEY_SCOPE, KEY_TARGET, KEY_SUMMARY, KEY_MESSAGE, KEY_FIX,
	KEY_EXPLAIN, KEY_PATTERN, KEY_UNLESS, KEY_NR
};

static const char *const key_names[KEY_NR] = {
	"id", "severity", "scope", "target", "summary", "message", "fix", "explain",
	"pattern", "unless",
};

struct parser {
	const char *origin;
	struct mlint_pattern_rule *p;
	struct mlint_buf values[KEY_NR]; /* text of the single-valued keys */
	unsigned key_line[KEY_NR];        /* where each key was given; 0 = not given */
	int cur;                          /* key an indented line continues, or -1 */
	size_t indent;                    /* indentation of its first continuation */
	int continued;
};

static int parse_error(const struct parser *ps, unsigned line, const char *what, const char *arg)
{
	return mlint_error_setc(MLINT_EUSAGE, "'%s':%u: %s%s%s%s", ps->origin, line, what,
				arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
}

static int lookup_key(const char *s, size_t n)
{
	for (int k = 0; k < KEY_NR; k++)
		if (strlen(key_names[k]) == n && memcmp(key_names[k], s, n) == 0)
			return k;
	return -1;
}

static int is_text_key(int k)
{
	return k == KEY_SUMMARY || k == KEY_MESSAGE || k == KEY_FIX || k == KEY_EXPLAIN;
}

static int compile_pattern(struct parser *ps, unsigned line, const char *src, size_t n,
			   pcre2_code **out, int *jit)
{
	int code;
	PCRE2_SIZE at;
	PCRE2_UCHAR msg[256];

	if (n == 0)
		return parse_error(ps, line, "empty pattern", NULL);
	*out = pcre2_compile((PCRE2_SPTR)src, n, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &at,
			     NULL);
	if (!*out) {
		char text[400];
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(text, sizeof(text), "pattern does not compile at offset %zu: %s",
			 (size_t)at, (const char *)msg);
		return parse_error(ps, line, text, NULL);
	}
	/* the interpreter when JIT is missing */
	*jit = pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE) == 0;
	return 0;
}

static int add_pattern(struct parser *ps, int key, unsigned line, const char *v, size_t n)
{
	struct mlint_pattern_rule *p = ps->p;
	struct mlint_pattern pat = {NULL, NULL, line, 0};
	struct mlint_pattern **list = key == KEY_UNLESS ? &p->unless : &p->patterns;
	size_t *nr = key == KEY_UNLESS ? &p->nr_unless : &p->nr_patterns;
	size_t *alloc = key == KEY_UNLESS ? &p->alloc_unless : &p->alloc_patterns;

	if (compile_pattern(ps, line, v, n, &pat.code, &pat.jit) < 0)
		return MLINT_EUSAGE;
	if (!(pat.source = mlint_strndup(v, n)) ||
	    mlint_array_grow((void **)list, alloc, *nr + 1, sizeof(**list)) < 0) {
		pcre2_code_free(pat.code);
		free(pat.source);
		return MLINT_ERROR;
	}
	(*list)[(*nr)++] = pat;
	return 0;
}

/* `key: value` */
static int parse_key_line(struct parser *ps, unsigned line, const char *s, size_t n)
{
	size_t klen = 0;
	int k;

	while (klen < n && ((s[klen] >= 'a' && s[klen] <= 'z') || s[klen] == '-'))
		klen++;
	if (klen == n || s[klen] != ':' || klen == 0) {
		char got[64];
		snprintf(got, sizeof(got), "%.*s%s", (int)(n < 40 ? n : 40), s, n > 40 ? "..." : "");
		return parse_error(ps, line, "expected 'key: value' (or an indented continuation), got",
				   got);
	}
	if ((k = lookup_key(s, klen)) < 0) {
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)(klen < 60 ? klen : 60), s);
		return parse_error(ps, line, "unknown key", key);
	}
	s += klen + 1;
	n -= klen + 1;
	while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
	ps->cur = is_text_key(k) ? k : -1;
	ps->continued = 0;
	if (k == KEY_PATTERN || k == KEY_UNLESS)
		return add_pattern(ps, k, line, s, n);
	if (ps->key_line[k])
		return parse_error(ps, line, "key given twice:", key_names[k]);
	ps->key_line[k] = line;
	return mlint_buf_put(&ps->values[k], s, n);
}

/* An indented line: more text for the key above. */
static int parse_continuation(struct parser *ps, unsigned line, const char *s, size_t n)
{
	struct mlint_buf *b;
	size_t ws = 0;

	if (ps->cur < 0)
		return parse_error(ps, line, "indented line continues no text key "
				   "(summary, message, fix, explain)", NULL);
	while (ws < n && (s[ws] == ' ' || s[ws] == '\t'))
		ws++;
	if (!ps->continued) {
		ps->indent = ws;
		ps->continued = 1;
	}
	s += ws < ps->indent ? ws : ps->indent;
	n -= ws < ps->indent ? ws : ps->indent;
	while (n && s[n - 1] == '\r')
		n--;
	b = &ps->values[ps->cur];
	if (b->len && mlint_buf_putc(b, is_text_key(ps->cur) && ps->cur >= KEY_FIX ? '\n' : ' ') < 0)
		return MLINT_ERROR;
	return mlint_buf_put(b, s, n);
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int parse_lines(struct parser *ps, const char *text, size_t len)
{
	unsigned line = 1;
	size_t pos = 0;
	int error;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		if (memchr(s, '\0', n))
			return parse_error(ps, line, "NUL byte in a rule file", NULL);
		if (is_blank(s, n)) {
			/* a blank line inside a block is kept, an indented one follows */
			if (ps->cur >= KEY_FIX && ps->continued &&
			    (error = mlint_buf_putc(&ps->values[ps->cur], '\n')) < 0)
				return error;
		} else if (s[0] == ' ' || s[0] == '\t') {
			if ((error = parse_continuation(ps, line, s, n)) < 0)
				return error;
		} else if (s[0] == '#') {
			ps->cur = -1;
		} else if ((error = parse_key_line(ps, line, s, n)) < 0) {
			return error;
		}
		pos += n + 1;
		line++;
	}
	return 0;
}

static int is_kebab(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      (*s == '-' && s[1] != '-' && s[1] != '\0')))
			return 0;
	return 1;
}

static int pick(const char *value, const char *const *names, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (strcmp(value, names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const scope_names[] = {"upgrade", "downgrade", "any"};
static const char *const target_names[] = {"call", "sql", "code"};

static int require(struct parser *ps, int k)
{
	if (ps->key_line[k] && ps->values[k].len)
		return 0;
	return parse_error(ps, ps->key_line[k] ? ps->key_line[k] : 1, "missing",
			   key_names[k]);
}

/* Trailing blank lines of a block go. */
static char *take(struct mlint_buf *b)
{
	while (b->len && b->ptr[b->len - 1] == '\n')
		b->ptr[--b->len] = '\0';
	return mlint_buf_detach(b, NULL);
}

static int finish_rule(struct parser *ps)
{
	struct mlint_pattern_rule *p = ps->p;
	enum mlint_severity sev;
	int scope, target;

	if (require(ps, KEY_ID) < 0 || require(ps, KEY_SEVERITY) < 0 ||
	    require(ps, KEY_SCOPE) < 0 || require(ps, KEY_TARGET) < 0 ||
	    require(ps, KEY_SUMMARY) < 0)
		return MLINT_EUSAGE;
	if (!is_kebab(ps->values[KEY_ID].ptr))
		return parse_error(ps, ps->key_line[KEY_ID], "rule id is not kebab-case (a-z, 0-9, -):",
				   ps->values[KEY_ID].ptr);
	if (mlint_severity_parse(&sev, ps->values[KEY_SEVERITY].ptr) < 0)
		return parse_error(ps, ps->key_line[KEY_SEVERITY],
				   "severity must be error, warning or info, not",
				   ps->values[KEY_SEVERITY].ptr);
	if ((scope = pick(ps->values[KEY_SCOPE].ptr, scope_names, 3)) < 0)
		return parse_error(ps, ps->key_line[KEY_SCOPE],
				   "scope must be upgrade, downgrade or any, not",
				   ps->values[KEY_SCOPE].ptr);
	if ((target = pick(ps->values[KEY_TARGET].ptr, target_names, 3)) < 0)
		return parse_error(ps, ps->key_line[KEY_TARGET], "target must be call, sql or code, not",
				   ps->values[KEY_TARGET].ptr);
	if (p->nr_patterns == 0)
		return parse_error(ps, 1, "no 'pattern:' line; a rule needs at least one", NULL);
	p->rule.severity = sev;
	p->rule.scope = scope_names[scope];
	p->scope = (enum pattern_scope)scope;
	p->target = (enum pattern_target)target;
	p->rule.id = take(&ps->values[KEY_ID]);
	p->rule.summary = take(&ps->values[KEY_SUMMARY]);
	p->rule.explain = ps->key_line[KEY_EXPLAIN] ? take(&ps->values[KEY_EXPLAIN])
						   : mlint_strdup(p->rule.summary);
	p->rule.fix = take(&ps->values[KEY_FIX]);
	p->message = ps->key_line[KEY_MESSAGE] ? take(&ps->values[KEY_MESSAGE]) : NULL;
	if (!p->rule.id || !p->rule.summary || !p->rule.explain || !p->rule.fix ||
	    (ps->key_line[KEY_MESSAGE] && !p->message))
		return MLINT_ERROR;
	if (!(p->sources = calloc(p->nr_patterns, sizeof(*p->sources))))
		return mlint_error_set("out of memory");
	for (size_t i = 0; i < p->nr_patterns; i++)
		p->sources[i] = p->patterns[i].source;
	return 0;
}

int mlint_ruleset_add_text(struct mlint_ruleset *rs, const char *origin, const char *text,
			   size_t len)
{
	struct parser ps;
	const struct mlint_ruleset_entry *dup;
	int error;

	memset(&ps, 0, sizeof(ps));
	ps.origin = origin;
	ps.cur = -1;
	for (int k = 0; k < KEY_NR; k++)
		mlint_buf_init(&ps.values[k], 1u << 20);
	if (!(ps.p = calloc(1, sizeof(*ps.p))) || !(ps.p->origin = mlint_strdup(origin))) {
		error = mlint_error_set("out of memory");
		goto done;
	}
	if ((error = parse_lines(&ps, text, len)) < 0 || (error = finish_rule(&ps)) < 0)
		goto done;
	if ((dup = mlint_ruleset_find(rs, ps.p->rule.id)) != NULL) {
		error = mlint_error_setc(MLINT_EUSAGE, "'%s':%u: rule id '%s' is already defined by %s",
					 origin, ps.key_line[KEY_ID], ps.p->rule.id, dup->origin);
		goto done;
	}
	if ((error = add_entry(rs, &ps.p->rule, ps.p->origin, ps.p)) < 0)
		goto done;
	ps.p = NULL; /* the ruleset owns it */
done:
	for (int k = 0; k < KEY_NR; k++)
		mlint_buf_release(&ps.values[k]);
	if (ps.p) {
		/* the strings that were not taken yet are still in the buffers */
		mlint_pattern_rule_free(ps.p);
	}
	return error;
}

int mlint_ruleset_load_builtin(struct mlint_ruleset *rs)
{
	size_t nr;
	const struct mlint_rule *all = mlint_rules_all(&nr);
	char origin[300];

	for (size_t i = 0; i < nr; i++)
		if (add_entry(rs, &all[i], "built-in", NULL) < 0)
			return MLINT_ERROR;
	for (size_t i = 0; i < mlint_embedded_rules_nr; i++) {
		const struct mlint_embedded_rule *e = &mlint_embedded_rules[i];
		int error;
		snprintf(origin, sizeof(origin), "built-in:%s", e->name);
		if ((error = mlint_ruleset_add_text(rs, origin, e->text, e->len)) < 0)
			return error;
	}
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_rule_files(char ***out, size_t *nr, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t alloc = 0;

	*out = NULL;
	*nr = 0;
	if (!d)
		return mlint_error_setc(MLINT_EUSAGE, "cannot open rules directory '%s': %s", dir,
					strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char *path;
		if (n <= 5 || strcmp(e->d_name + n - 5, ".rule") != 0 || e->d_name[0] == '.')
			continue;
		if (!(path = mlint_path_join(dir, e->d_name)) ||
		    MLINT_ARRAY_GROW(*out, alloc, *nr + 1) < 0) {
			free(path);
			closedir(d);
			return MLINT_ERROR;
		}
		(*out)[(*nr)++] = path;
	}
	closedir(d);
	if (*nr > 1)
		qsort(*out, *nr, sizeof(**out), compare_names);
	return 0;
}

int mlint_ruleset_load_dir(struct mlint_ruleset *rs, const char *dir)
{
	char **files = NULL;
	size_t nr = 0;
	struct mlint_buf buf;
	int error;

	mlint_buf_init(&buf, 1u << 20);
	if ((error = list_rule_files(&files, &nr, dir)) < 0)
		goto done;
	for (size_t i = 0; i < nr; i++) {
		mlint_buf_clear(&buf);
		if ((error = mlint_buf_read_file(&buf, files[i])) < 0 ||
		    (error = mlint_ruleset_add_text(rs, files[i], buf.ptr, buf.len)) < 0)
			goto done;
	}
done:
	for (size_t i = 0; i < nr; i++)
		free(files[i]);
	free(files);
	mlint_buf_release(&buf);
	return error;
}

const char *mlint_pattern_rule_target(const struct mlint_pattern_rule *p)
{
	return target_names[p->target];
}

size_t mlint_pattern_rule_patterns(const struct mlint_pattern_rule *p, const char *const **out)
{
	*out = (const char *const *)p->sources;
	return p->nr_patterns;
}
