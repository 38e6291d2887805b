/*
 * The pattern rule engine: builds each rule target's subjects from a scanned
 * migration and matches the compiled patterns against them.
 *
 *   call  the source text of each call in scope, its callee normalised: a
 *         name bound by `with op.batch_alter_table(...) as NAME:` reads as
 *         batch_op; comments inside a multi-line call are blanked
 *   sql   the decoded string literal given to op.execute / text() / sa.text()
 *   code  each line of the functions in scope, strings and comments blanked
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "mlint/buf.h"
#include "mlint/pyscan.h"
#include "ruleset.h"
#include "check_files.h"
#include "util.h"

struct mlint_pattern_engine {
	const struct mlint_ruleset *rs;
	const struct mlint_script *s;
	struct mlint_findings *out;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	struct mlint_buf subject, message;
	int has[3]; /* some rule has this target */
	/* rules[t] lists the pattern rules of target t; wants[t][1] when one of
	 * them looks at upgrades, wants[t][0] at downgrades */
	const struct mlint_pattern_rule **rules[3];
	size_t nr_rules[3];
	int wants[3][2];
	/* the bytes a call subject may start with for some call rule to match
	 * (from anchored patterns); all of them when that is not known */
	unsigned char call_first[256];
};

/* What a message template may name. For a call, `call` and `args` are
 * cut from `subject` only when a message needs them. */
struct vars {
	const char *call, *args, *table, *arg;
	const char *match;
	size_t match_len;
	const struct mlint_buf *subject;
	char *owned_call, *owned_args;
};

static char *call_args(const struct mlint_buf *subj);

static int fill_call_vars(struct vars *v)
{
	if (!v->subject || v->owned_call)
		return 0;
	if (!(v->owned_call = mlint_strndup(v->subject->ptr, strcspn(v->subject->ptr, "("))) ||
	    !(v->owned_args = call_args(v->subject)))
		return MLINT_ERROR;
	v->call = v->owned_call;
	v->args = v->owned_args;
	return 0;
}

static int in_scope(const struct mlint_migration *m, size_t function, enum pattern_scope scope)
{
	if (function >= m->nr_functions)
		return 0;
	if (scope == SCOPE_ANY)
		return 1;
	return m->functions[function].is_upgrade == (scope == SCOPE_UPGRADE);
}

/* Appends text for a message: whitespace runs collapsed, control bytes as '?'. */
static int put_clean(struct mlint_buf *b, const char *p, size_t n, size_t max)
{
	int space = 0;
	size_t start = b->len;

	for (size_t i = 0; i < n && b->len - start < max; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && b->len > start && mlint_buf_putc(b, ' ') < 0)
			return MLINT_ERROR;
		space = 0;
		if (mlint_buf_putc(b, c < 0x20 || c == 0x7F ? '?' : (char)c) < 0)
			return MLINT_ERROR;
	}
	if (b->len - start >= max && mlint_buf_puts(b, "...") < 0)
		return MLINT_ERROR;
	return 0;
}

static int expand_one(struct mlint_buf *b, const char *name, size_t n, const struct vars *v)
{
	const char *val = NULL;
	size_t len = 0;

	if (n == 4 && memcmp(name, "call", 4) == 0) val = v->call;
	else if (n == 4 && memcmp(name, "args", 4) == 0) val = v->args;
	else if (n == 5 && memcmp(name, "table", 5) == 0) val = v->table;
	else if (n == 3 && memcmp(name, "arg", 3) == 0) val = v->arg;
	else if (n == 5 && memcmp(name, "match", 5) == 0) {
		val = v->match;
		len = v->match_len;
	} else {
		return mlint_buf_printf(b, "{%.*s}", (int)n, name);
	}
	if (!val)
		return mlint_buf_putc(b, '?');
	return put_clean(b, val, len ? len : strlen(val), 120);
}

static int expand(struct mlint_buf *b, const char *tmpl, const struct vars *v)
{
	mlint_buf_clear(b);
	for (const char *p = tmpl; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close) {
			if (expand_one(b, p + 1, (size_t)(close - p - 1), v) < 0)
				return MLINT_ERROR;
			p = close + 1;
			continue;
		}
		if (mlint_buf_putc(b, *p++) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* 1 match (span in *at, *end), 0 none, 2 PCRE2 gave up (rc in *rc). */
static int match_one(struct mlint_pattern_engine *e, const struct mlint_pattern *pat,
		     const char *subj, size_t len, size_t *at, size_t *end, int *rc)
{
	/* pcre2_jit_match skips pcre2_match's checks; it honours the match limit */
	*rc = pat->jit ? pcre2_jit_match(pat->code, (PCRE2_SPTR)subj, len, 0, 0, e->md, e->mc)
		       : pcre2_match(pat->code, (PCRE2_SPTR)subj, len, 0, 0, e->md, e->mc);
	if (*rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (*rc < 0)
		return 2;
	*at = pcre2_get_ovector_pointer(e->md)[0];
	*end = pcre2_get_ovector_pointer(e->md)[1];
	if (*end < *at)
		*end = *at; /* \K can make the end come first */
	return 1;
}

/* Does rule p fire on subject? 1 yes (span set), 0 no, 2 gave up. */
static int rule_matches(struct mlint_pattern_engine *e, const struct mlint_pattern_rule *p,
			const char *subj, size_t len, size_t *at, size_t *end, int *rc,
			unsigned *pat_line)
{
	int r = 0;
	size_t a, b;

	for (size_t i = 0; i < p->nr_patterns && r != 1; i++) {
		r = match_one(e, &p->patterns[i], subj, len, at, end, rc);
		*pat_line = p->patterns[i].line;
		if (r == 2)
			return 2;
	}
	for (size_t i = 0; i < p->nr_unless && r == 1; i++) {
		int u = match_one(e, &p->unless[i], subj, len, &a, &b, rc);
		*pat_line = p->unless[i].line;
		if (u == 2)
			return 2;
		if (u == 1)
			r = 0;
	}
	return r;
}

static int report(struct mlint_pattern_engine *e, const struct mlint_pattern_rule *p, unsigned line,
		  unsigned col, unsigned call_line, struct vars *v)
{
	struct mlint_location at = mlint_script_at(e->s, line, col);

	if (fill_call_vars(v) < 0 ||
	    expand(&e->message, p->message ? p->message : p->rule.summary, v) < 0 ||
	    mlint_findings_addf(e->out, &p->rule, &at, "%s", e->message.ptr) < 0)
		return MLINT_ERROR;
	e->out->items[e->out->nr - 1].call_line = call_line;
	return 0;
}

static int report_gave_up(struct mlint_pattern_engine *e, const struct mlint_pattern_rule *p,
			  unsigned line, unsigned col, int rc, unsigned pat_line)
{
	PCRE2_UCHAR msg[200];
	struct mlint_location at = mlint_script_at(e->s, line, col);

	pcre2_get_error_message(rc, msg, sizeof(msg));
	return mlint_findings_addf(e->out, &p->rule, &at, "could not check this: the pattern at '%s':%u gave up (%s); "
				       "simplify it", p->origin, pat_line, (const char *)msg);
}

/* Runs every rule of `target` on one subject. `where` turns a match offset
 * into line and column. */
typedef void (*locate_fn)(const void *ctx, size_t at, unsigned *line, unsigned *col);

static int run_rules(struct mlint_pattern_engine *e, enum pattern_target target, size_t function,
		     const char *subj, size_t len, locate_fn where, const void *ctx,
		     struct vars *v, unsigned call_line)
{
	for (size_t i = 0; i < e->nr_rules[target]; i++) {
		const struct mlint_pattern_rule *p = e->rules[target][i];
		size_t at = 0, end = 0;
		unsigned line, col, pat_line = 0;
		int r, rc;
		if (!in_scope(&e->s->m, function, p->scope))
			continue;
		r = rule_matches(e, p, subj, len, &at, &end, &rc, &pat_line);
		if (r == 0)
			continue;
		where(ctx, r == 1 ? at : 0, &line, &col);
		if (r == 2) {
			if (report_gave_up(e, p, line, col, rc, pat_line) < 0)
				return MLINT_ERROR;
			continue;
		}
		v->match = subj + at;
		v->match_len = end - at;
		if (report(e, p, line, col, call_line, v) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- call ------------------------------------------------------------ */

/* Does some rule of `target` look at function f? */
static int in_scope_any(const struct mlint_pattern_engine *e, enum pattern_target target,
			size_t function)
{
	const struct mlint_migration *m = &e->s->m;
	return function < m->nr_functions && e->wants[target][m->functions[function].is_upgrade];
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Blanks the comments of a multi-line call: source byte off + k is subject
 * byte k - seg + plen (the callee's first name became plen bytes). */
static int blank_call_comments(struct mlint_buf *subj, const char *src, size_t off, size_t end,
			       size_t seg, size_t plen)
{
	struct mlint_pyscan ps;
	struct mlint_token t;
	int error = 0;

	mlint_pyscan_init(&ps, src + off, end - off);
	while ((error = mlint_pyscan_next(&ps, &t)) == 0 && t.kind != MLINT_TOK_ENDMARKER) {
		if (t.kind != MLINT_TOK_COMMENT || t.off < seg || t.off - seg + plen + t.len > subj->len)
			continue;
		memset(subj->ptr + t.off - seg + plen, ' ', t.len);
	}
	mlint_pyscan_release(&ps);
	return error;
}

/* The first byte of a call's normalised subject. */
static unsigned char first_subject_byte(const struct mlint_pattern_engine *e,
					const struct mlint_call *c)
{
	const char *dot = strchr(c->name, '.');
	const struct mlint_alias *al = dot ? mlint_migration_alias(&e->s->m, c->function, c->name,
								     (size_t)(dot - c->name), c->line)
					   : NULL;
	if (al && ends_with(al->callee, "batch_alter_table"))
		return 'b';
	return (unsigned char)c->name[0];
}

/* The normalised text of a call; *table is the batch table when on an alias. */
static int call_subject(struct mlint_pattern_engine *e, const struct mlint_call *c,
			const char **table)
{
	const struct mlint_migration *m = &e->s->m;
	const char *src = e->s->source, *dot = strchr(c->name, '.');
	size_t seg = dot ? (size_t)(dot - c->name) : strlen(c->name);
	const struct mlint_alias *al = dot ? mlint_migration_alias(m, c->function, c->name, seg,
								     c->line) : NULL;
	const char *prefix = c->name;
	size_t plen = seg;

	*table = c->first_arg;
	mlint_buf_clear(&e->subject);
	if (al && ends_with(al->callee, "batch_alter_table")) {
		prefix = "batch_op";
		plen = 8;
		*table = al->first_arg;
	}
	if (c->end <= c->off + seg || c->end > e->s->source_len)
		return 0;
	if (mlint_buf_put(&e->subject, prefix, plen) < 0 ||
	    mlint_buf_put(&e->subject, src + c->off + seg, c->end - c->off - seg) < 0)
		return MLINT_ERROR;
	if (memchr(src + c->off, '#', c->end - c->off))
		return blank_call_comments(&e->subject, src, c->off, c->end, seg, plen);
	return 0;
}

struct at_call { unsigned line, col; };

static void locate_call(const void *ctx, size_t at, unsigned *line, unsigned *col)
{
	const struct at_call *a = ctx;
	(void)at;
	*line = a->line;
	*col = a->col;
}

/* The argument text between the call's outer brackets. */
static char *call_args(const struct mlint_buf *subj)
{
	const char *open = memchr(subj->ptr, '(', subj->len);
	size_t n;
	if (!open)
		return mlint_strdup("");
	n = subj->len - (size_t)(open + 1 - subj->ptr);
	if (n && subj->ptr[subj->len - 1] == ')')
		n--;
	return mlint_strndup(open + 1, n);
}

static int check_calls(struct mlint_pattern_engine *e)
{
	const struct mlint_migration *m = &e->s->m;

	for (size_t i = 0; i < m->nr_calls; i++) {
		const struct mlint_call *c = &m->calls[i];
		struct at_call at = {c->line, c->col};
		struct vars v = {0};
		int error;
		if (!in_scope_any(e, TARGET_CALL, c->function) ||
		    !e->call_first[first_subject_byte(e, c)])
			continue; /* no call rule can match: no subject to build */
		if (call_subject(e, c, &v.table) < 0)
			return MLINT_ERROR;
		if (e->subject.len == 0)
			continue;
		v.subject = &e->subject;
		v.arg = c->first_arg;
		error = run_rules(e, TARGET_CALL, c->function, e->subject.ptr, e->subject.len,
				  locate_call, &at, &v, c->line);
		free(v.owned_call);
		free(v.owned_args);
		if (error < 0)
			return error;
	}
	return 0;
}

/* ---- sql ------------------------------------------------------------- */

static int is_sql_callee(const char *name)
{
	const char *dot, *method;
	/* most callees end in neither "execute", "text" nor "exec_driver_sql" */
	size_t n = strlen(name);
	if (n < 4 || (name[n - 1] != 'e' && name[n - 1] != 't' && name[n - 1] != 'l'))
		return 0;
	dot = strrchr(name, '.');
	method = dot ? dot + 1 : name;
	return strcmp(method, "execute") == 0 || strcmp(method, "text") == 0 ||
	       (dot && strcmp(method, "exec_driver_sql") == 0);
}

struct at_string {
	const char *value;  /* decoded */
	unsigned line, col; /* where the value's first character is */
};

static void locate_string(const void *ctx, size_t at, unsigned *line, unsigned *col)
{
	const struct at_string *a = ctx;
	const char *last_nl = NULL;
	unsigned nl = 0, c = 1;

	for (size_t i = 0; i < at && a->value[i]; i++)
		if (a->value[i] == '\n') {
			nl++;
			last_nl = a->value + i;
		}
	for (const char *p = last_nl ? last_nl + 1 : a->value; p < a->value + at; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			c++;
	*line = a->line + nl;
	*col = nl ? c : a->col + c - 1;
}

/* Where the first argument's text starts: after '(', blanks and the
 * string prefix and quotes. */
static void string_start(const struct mlint_script *s, const struct mlint_call *c,
			 struct at_string *a)
{
	const char *src = s->source, *p = src + c->off, *end = src + c->end;
	const char *line_start = p;
	unsigned line = c->line;

	while (line_start > src && line_start[-1] != '\n')
		line_start--;
	while (p < end && *p != '(')
		p++;
	for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\');
	     p++)
		if (*p == '\n') {
			line++;
			line_start = p + 1;
		}
	while (p < end && strchr("rRbBuUfF", *p))
		p++;
	if (p + 2 < end && (*p == '"' || *p == '\'') && p[1] == *p && p[2] == *p)
		p += 3;
	else if (p < end)
		p++;
	a->line = line;
	a->col = 1;
	for (const char *q = line_start; q < p; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			a->col++;
}

static int check_sql(struct mlint_pattern_engine *e)
{
	const struct mlint_migration *m = &e->s->m;

	for (size_t i = 0; i < m->nr_calls; i++) {
		const struct mlint_call *c = &m->calls[i];
		struct at_string at;
		struct vars v = {0};
		if (!c->first_arg || !in_scope_any(e, TARGET_SQL, c->function) ||
		    !is_sql_callee(c->name))
			continue;
		at.value = c->first_arg;
		string_start(e->s, c, &at);
		v.call = c->name;
		v.arg = c->first_arg;
		if (run_rules(e, TARGET_SQL, c->function, c->first_arg, strlen(c->first_arg),
			      locate_string, &at, &v, c->line) < 0)
			return MLINT_ERROR;
	}
	return 0;
}

/* ---- code ------------------------------------------------------------ */

/* The source with string contents and comments replaced by spaces. */
static int blank_source(struct mlint_buf *out, const struct mlint_script *s)
{
	struct mlint_pyscan ps;
	struct mlint_token t;
	int error;

	mlint_buf_clear(out);
	if ((error = mlint_buf_put(out, s->source, s->source_len)) < 0)
		return error;
	mlint_pyscan_init(&ps, s->source, s->source_len);
	while ((error = mlint_pyscan_next(&ps, &t)) == 0 && t.kind != MLINT_TOK_ENDMARKER) {
		size_t from = t.off, to = t.off + t.len;
		if (t.kind == MLINT_TOK_STRING) {
			size_t q = (t.flags & MLINT_STR_TRIPLE) ? 3 : 1;
			from += t.prefix_len + q;
			if (!(t.flags & MLINT_STR_UNTERMINATED) && to >= from + q)
				to -= q;
		} else if (t.kind != MLINT_TOK_COMMENT) {
			continue;
		}
		for (size_t i = from; i < to && i < out->len; i++)
			if (out->ptr[i] != '\n' && out->ptr[i] != '\r')
				out->ptr[i] = ' ';
	}
	mlint_pyscan_release(&ps);
	return error;
}

struct at_line { const char *text; unsigned line; };

static void locate_line(const void *ctx, size_t at, unsigned *line, unsigned *col)
{
	const struct at_line *a = ctx;
	*line = a->line;
	*col = 1;
	for (size_t i = 0; i < at; i++)
		if (((unsigned char)a->text[i] & 0xC0) != 0x80)
			(*col)++;
}

static size_t function_at(const struct mlint_migration *m, unsigned line)
{
	for (size_t f = 0; f < m->nr_functions; f++)
		if (line >= m->functions[f].def_line && line <= m->functions[f].end_line)
			return f;
	return (size_t)-1;
}

static int check_code(struct mlint_pattern_engine *e)
{
	struct mlint_buf blank;
	const char *p, *end;
	unsigned line = 1;
	int error;

	mlint_buf_init(&blank, 0);
	if ((error = blank_source(&blank, e->s)) < 0)
		goto done;
	for (p = blank.ptr, end = blank.ptr + blank.len; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t f = function_at(&e->s->m, line);
		struct at_line at = {p, line};
		struct vars v = {0};
		if (f != (size_t)-1 &&
		    (error = run_rules(e, TARGET_CODE, f, p, n, locate_line, &at, &v, 0)) < 0)
			goto done;
		p += n + 1;
	}
done:
	mlint_buf_release(&blank);
	return error;
}

/* ---- driver ---------------------------------------------------------- */

static int check_script(struct mlint_pattern_engine *e)
{
	if (!e->s->is_migration || e->s->refused || !e->s->source)
		return 0;
	if (e->has[TARGET_CALL] && check_calls(e) < 0)
		return MLINT_ERROR;
	if (e->has[TARGET_SQL] && check_sql(e) < 0)
		return MLINT_ERROR;
	if (e->has[TARGET_CODE] && check_code(e) < 0)
		return MLINT_ERROR;
	return 0;
}

/* Marks the bytes pattern `code` can match first at the start of a subject;
 * all bytes when it is not anchored or PCRE2 does not say. */
static void first_bytes(const pcre2_code *code, unsigned char *first)
{
	uint32_t opts = 0, type = 0, unit = 0;
	const uint8_t *bitmap = NULL;

	pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type);
	if (!(opts & PCRE2_ANCHORED)) {
		memset(first, 1, 256);
	} else if (type == 1 && pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
		   unit < 128) {
		first[unit] = 1;
		if (unit >= 'a' && unit <= 'z')
			first[unit - 32] = 1; /* caseless patterns: both cases */
		if (unit >= 'A' && unit <= 'Z')
			first[unit + 32] = 1;
	} else if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
		for (unsigned b = 0; b < 256; b++)
			first[b] |= (bitmap[b / 8] >> (b % 8)) & 1;
	} else {
		memset(first, 1, 256);
	}
}

/* Groups the pattern rules by target, once per run. */
static int index_rules(struct mlint_pattern_engine *e)
{
	for (int t = 0; t < 3; t++)
		if (!(e->rules[t] = calloc(e->rs->nr + 1, sizeof(*e->rules[t]))))
			return mlint_error_set("out of memory");
	for (size_t i = 0; i < e->rs->nr; i++) {
		const struct mlint_pattern_rule *p = e->rs->entries[i].pattern;
		if (!p)
			continue;
		e->rules[p->target][e->nr_rules[p->target]++] = p;
		e->has[p->target] = 1;
		for (size_t k = 0; p->target == TARGET_CALL && k < p->nr_patterns; k++)
			first_bytes(p->patterns[k].code, e->call_first);
		e->wants[p->target][1] |= p->scope != SCOPE_DOWNGRADE;
		e->wants[p->target][0] |= p->scope != SCOPE_UPGRADE;
	}
	return 0;
}

void mlint_pattern_engine_free(struct mlint_pattern_engine *e)
{
	if (!e)
		return;
	for (int t = 0; t < 3; t++)
		free(e->rules[t]);
	pcre2_match_data_free(e->md);
	pcre2_match_context_free(e->mc);
	mlint_buf_release(&e->subject);
	mlint_buf_release(&e->message);
	free(e);
}

struct mlint_pattern_engine *mlint_pattern_engine_new(const struct mlint_ruleset *rs)
{
	struct mlint_pattern_engine *e = calloc(1, sizeof(*e));

	if (!e) {
		mlint_error_set("out of memory");
		return NULL;
	}
	e->rs = rs;
	mlint_buf_init(&e->subject, 0);
	mlint_buf_init(&e->message, 0);
	if (index_rules(e) < 0)
		goto fail;
	if (!e->has[TARGET_CALL] && !e->has[TARGET_SQL] && !e->has[TARGET_CODE])
		return e; /* nothing to match: no match data needed */
	if (!(e->md = pcre2_match_data_create(16, NULL)) ||
	    !(e->mc = pcre2_match_context_create(NULL))) {
		mlint_error_set("out of memory");
		goto fail;
	}
	pcre2_set_match_limit(e->mc, MLINT_PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(e->mc, MLINT_PATTERN_DEPTH_LIMIT);
	return e;
fail:
	mlint_pattern_engine_free(e);
	return NULL;
}

int mlint_pattern_engine_check(struct mlint_pattern_engine *e, const struct mlint_script *s,
			       struct mlint_findings *out)
{
	if (!e->has[TARGET_CALL] && !e->has[TARGET_SQL] && !e->has[TARGET_CODE])
		return 0;
	e->s = s;
	e->out = out;
	return check_script(e);
}
