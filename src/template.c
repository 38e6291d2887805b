/* File name templates (mlint's and Alembic's syntax) and slugs. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "mlint/template.h"
#include "util.h"

void mlint_template_init(struct mlint_template *t)
{
	memset(t, 0, sizeof(*t));
}

void mlint_template_release(struct mlint_template *t)
{
	for (size_t i = 0; i < t->nr_parts; i++)
		free(t->parts[i].text);
	free(t->parts);
	free(t->spec);
	mlint_template_init(t);
}

static struct mlint_template_part *new_part(struct mlint_template *t,
					    enum mlint_template_field field)
{
	struct mlint_template_part *p;
	if (MLINT_ARRAY_GROW(t->parts, t->alloc_parts, t->nr_parts + 1) < 0)
		return NULL;
	p = &t->parts[t->nr_parts++];
	memset(p, 0, sizeof(*p));
	p->field = field;
	p->precision = -1;
	p->conv = 'd';
	return p;
}

/* Appends literal bytes, merging with a literal part just before. */
static int add_literal(struct mlint_template *t, const char *s, size_t n)
{
	struct mlint_template_part *p = t->nr_parts ? &t->parts[t->nr_parts - 1] : NULL;
	size_t old = 0;
	char *text;

	if (!p || p->field != MLINT_TF_LITERAL) {
		if (!(p = new_part(t, MLINT_TF_LITERAL)))
			return MLINT_ERROR;
	}
	old = p->text ? strlen(p->text) : 0;
	if (!(text = realloc(p->text, old + n + 1)))
		return mlint_error_set("out of memory");
	memcpy(text + old, s, n);
	text[old + n] = '\0';
	p->text = text;
	return 0;
}

static const struct {
	const char *name;
	enum mlint_template_field field;
} field_names[] = {
	{"year", MLINT_TF_YEAR},     {"month", MLINT_TF_MONTH}, {"day", MLINT_TF_DAY},
	{"hour", MLINT_TF_HOUR},     {"minute", MLINT_TF_MINUTE}, {"second", MLINT_TF_SECOND},
	{"epoch", MLINT_TF_EPOCH},   {"rev", MLINT_TF_REV},     {"slug", MLINT_TF_SLUG},
};

static int field_by_name(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (strlen(field_names[i].name) == n && memcmp(field_names[i].name, name, n) == 0)
			return (int)field_names[i].field;
	return -1;
}

static int bad_template(const struct mlint_template *t, const char *what, const char *at)
{
	return mlint_error_setc(MLINT_EUSAGE, "bad file name template '%s': %s at '%.20s'",
				t->spec, what, at);
}

static int read_number(const char **p)
{
	int n = 0;
	while (isdigit((unsigned char)**p) && n < 1000)
		n = n * 10 + (*(*p)++ - '0');
	return n;
}

/* "%(name)[flags][width][.precision][hlL]conv" at *p (just after "%("). */
static int parse_alembic_field(struct mlint_template *t, const char **p)
{
	const char *start = *p - 2, *close = strchr(*p, ')');
	struct mlint_template_part *part;
	int field;

	if (!close)
		return bad_template(t, "'%(' without ')'", start);
	if ((field = field_by_name(*p, (size_t)(close - *p))) < 0)
		return bad_template(t, "unknown field", start);
	if (!(part = new_part(t, (enum mlint_template_field)field)))
		return MLINT_ERROR;
	*p = close + 1;
	for (; **p == '0' || **p == '-' || **p == '#' || **p == ' ' || **p == '+'; (*p)++) {
		part->zero |= **p == '0';
		part->left |= **p == '-';
	}
	part->width = read_number(p);
	if (**p == '.') {
		(*p)++;
		part->precision = read_number(p);
	}
	while (**p == 'h' || **p == 'l' || **p == 'L')
		(*p)++;
	if (**p == 'd' || **p == 'i' || **p == 'u')
		part->conv = 'd';
	else if (**p == 's')
		part->conv = 's';
	else
		return bad_template(t, "unsupported conversion (use d or s)", start);
	if (part->conv == 'd' && (field == MLINT_TF_REV || field == MLINT_TF_SLUG))
		return bad_template(t, "a text field needs the 's' conversion", start);
	(*p)++;
	return 0;
}

static int parse_alembic(struct mlint_template *t)
{
	const char *p = t->spec;
	while (*p) {
		int error;
		if (*p != '%') {
			size_t n = strcspn(p, "%");
			if ((error = add_literal(t, p, n)) < 0)
				return error;
			p += n;
		} else if (p[1] == '%') {
			if ((error = add_literal(t, "%", 1)) < 0)
				return error;
			p += 2;
		} else if (p[1] == '(') {
			p += 2;
			if ((error = parse_alembic_field(t, &p)) < 0)
				return error;
		} else {
			return bad_template(t, "'%' without a field (write '%%' for a percent sign)", p);
		}
	}
	return 0;
}

static const struct {
	const char *token;
	enum mlint_template_field field;
	int width;
} mlint_tokens[] = {
	{"%slug", MLINT_TF_SLUG, 0}, {"%rev", MLINT_TF_REV, 0},   {"%Y", MLINT_TF_YEAR, 4},
	{"%m", MLINT_TF_MONTH, 2},   {"%d", MLINT_TF_DAY, 2},     {"%H", MLINT_TF_HOUR, 2},
	{"%M", MLINT_TF_MINUTE, 2},  {"%S", MLINT_TF_SECOND, 2},
};

static int parse_mlint_token(struct mlint_template *t, const char **p)
{
	for (size_t i = 0; i < sizeof(mlint_tokens) / sizeof(mlint_tokens[0]); i++) {
		struct mlint_template_part *part;
		if (!mlint_starts_with(*p, mlint_tokens[i].token))
			continue;
		if (!(part = new_part(t, mlint_tokens[i].field)))
			return MLINT_ERROR;
		part->width = mlint_tokens[i].width;
		part->zero = 1;
		part->conv = part->width ? 'd' : 's';
		*p += strlen(mlint_tokens[i].token);
		return 0;
	}
	if ((*p)[1] == '%') {
		*p += 2;
		return add_literal(t, "%", 1);
	}
	return bad_template(t, "unknown token (use %Y %m %d %H %M %S %rev %slug or %%)", *p);
}

static int parse_mlint(struct mlint_template *t)
{
	const char *p = t->spec;
	while (*p) {
		int error;
		if (*p != '%') {
			size_t n = strcspn(p, "%");
			error = add_literal(t, p, n);
			p += n;
		} else {
			error = parse_mlint_token(t, &p);
		}
		if (error < 0)
			return error;
	}
	return 0;
}

static int check_parts(const struct mlint_template *t)
{
	int named = 0;
	for (size_t i = 0; i < t->nr_parts; i++) {
		const struct mlint_template_part *p = &t->parts[i];
		if (p->field == MLINT_TF_REV || p->field == MLINT_TF_SLUG)
			named = 1;
		if (p->field == MLINT_TF_LITERAL && strchr(p->text, '/'))
			return bad_template(t, "'/' in a file name", strchr(p->text, '/'));
	}
	if (!named)
		return mlint_error_setc(MLINT_EUSAGE, "bad file name template '%s': it needs "
					"%%slug or %%rev, or every file gets the same name", t->spec);
	if (t->parts[0].field == MLINT_TF_LITERAL && t->parts[0].text[0] == '.')
		return bad_template(t, "a file name cannot start with '.'", t->spec);
	return 0;
}

int mlint_template_parse(struct mlint_template *t, const char *spec)
{
	int error;

	mlint_template_release(t);
	if (strlen(spec) > MLINT_TEMPLATE_MAX)
		return mlint_error_setc(MLINT_EUSAGE, "bad file name template '%.40s...': longer "
					"than %d bytes", spec, MLINT_TEMPLATE_MAX);
	if (!(t->spec = mlint_strdup(spec)))
		return MLINT_ERROR;
	t->alembic_syntax = strstr(spec, "%(") != NULL;
	if ((error = t->alembic_syntax ? parse_alembic(t) : parse_mlint(t)) < 0 ||
	    (error = check_parts(t)) < 0)
		mlint_template_release(t);
	return error;
}

static int is_date_field(enum mlint_template_field f)
{
	return f >= MLINT_TF_YEAR && f <= MLINT_TF_EPOCH;
}

int mlint_template_has_date(const struct mlint_template *t)
{
	for (size_t i = 0; i < t->nr_parts; i++)
		if (is_date_field(t->parts[i].field))
			return 1;
	return 0;
}

int mlint_template_has_time(const struct mlint_template *t)
{
	for (size_t i = 0; i < t->nr_parts; i++)
		if (t->parts[i].field >= MLINT_TF_HOUR && t->parts[i].field <= MLINT_TF_EPOCH)
			return 1;
	return 0;
}

/* ---- rendering --------------------------------------------------------- */

static long long number_of(const struct mlint_template_values *v, enum mlint_template_field f)
{
	switch (f) {
	case MLINT_TF_YEAR: return v->year;
	case MLINT_TF_MONTH: return v->month;
	case MLINT_TF_DAY: return v->day;
	case MLINT_TF_HOUR: return v->hour;
	case MLINT_TF_MINUTE: return v->minute;
	case MLINT_TF_SECOND: return v->second;
	case MLINT_TF_EPOCH: return v->epoch;
	default: return 0;
	}
}

/* Python's "%<flags><width>.<precision>d" for a non-negative number. */
static int render_number(struct mlint_buf *out, const struct mlint_template_part *p,
			 long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%lld", n);
	int prec = p->conv == 'd' && p->precision > len ? p->precision : len;
	int pad = p->width > prec ? p->width - prec : 0;
	int zero_pad = p->zero && !p->left;

	if (!p->left && !zero_pad && pad && mlint_buf_printf(out, "%*s", pad, "") < 0)
		return MLINT_ERROR;
	for (int i = len; i < prec + (zero_pad ? pad : 0); i++)
		if (mlint_buf_putc(out, '0') < 0)
			return MLINT_ERROR;
	if (mlint_buf_put(out, digits, (size_t)len) < 0)
		return MLINT_ERROR;
	if (p->left && pad && mlint_buf_printf(out, "%*s", pad, "") < 0)
		return MLINT_ERROR;
	return 0;
}

static int render_text(struct mlint_buf *out, const struct mlint_template_part *p,
		       const char *s)
{
	size_t n = strlen(s);
	size_t width = p->width > 0 ? (size_t)p->width : 0;
	if (p->precision >= 0 && (size_t)p->precision < n)
		n = (size_t)p->precision;
	if (!p->left && width > n && mlint_buf_printf(out, "%*s", (int)(width - n), "") < 0)
		return MLINT_ERROR;
	if (mlint_buf_put(out, s, n) < 0)
		return MLINT_ERROR;
	if (p->left && width > n && mlint_buf_printf(out, "%*s", (int)(width - n), "") < 0)
		return MLINT_ERROR;
	return 0;
}

/* A revision id as it may appear in a file name. */
static void sanitize_rev(char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			*s = '_';
}

static int render_part(struct mlint_buf *out, const struct mlint_template_part *p,
		       const struct mlint_template_values *v)
{
	char *rev;
	int error;

	switch (p->field) {
	case MLINT_TF_LITERAL:
		return mlint_buf_puts(out, p->text);
	case MLINT_TF_SLUG:
		return render_text(out, p, v->slug ? v->slug : "");
	case MLINT_TF_REV:
		if (!(rev = mlint_strdup(v->rev ? v->rev : "")))
			return MLINT_ERROR;
		sanitize_rev(rev);
		error = render_text(out, p, rev);
		free(rev);
		return error;
	default:
		return render_number(out, p, number_of(v, p->field));
	}
}

/* Index of the last date or time part, or nr_parts when there is none. */
static size_t last_date_part(const struct mlint_template *t)
{
	size_t last = t->nr_parts;
	for (size_t i = 0; i < t->nr_parts; i++)
		if (is_date_field(t->parts[i].field))
			last = i;
	return last;
}

int mlint_template_render_ordered(struct mlint_buf *out, const struct mlint_template *t,
				  const struct mlint_template_values *v, const char *infix)
{
	size_t start = out->len, after = last_date_part(t);
	for (size_t i = 0; i < t->nr_parts; i++)
		if (render_part(out, &t->parts[i], v) < 0 ||
		    (i == after && infix && mlint_buf_puts(out, infix) < 0))
			return MLINT_ERROR;
	if (out->len == start || out->ptr[start] == '.' || strchr(out->ptr + start, '/'))
		return mlint_error_setc(MLINT_EUSAGE, "template '%s' gives the file name '%s', "
					"which is not safe", t->spec, out->ptr + start);
	return mlint_buf_puts(out, ".py");
}

int mlint_template_render(struct mlint_buf *out, const struct mlint_template *t,
			  const struct mlint_template_values *v)
{
	return mlint_template_render_ordered(out, t, v, NULL);
}

int mlint_template_date_leads(const struct mlint_template *t)
{
	size_t after = last_date_part(t);
	if (after == t->nr_parts)
		return 0;
	for (size_t i = 0; i < after; i++)
		if (t->parts[i].field == MLINT_TF_SLUG || t->parts[i].field == MLINT_TF_REV)
			return 0;
	return 1;
}

int mlint_template_render_date_prefix(struct mlint_buf *out, const struct mlint_template *t,
				      const struct mlint_template_values *v)
{
	size_t after = last_date_part(t);
	for (size_t i = 0; i < t->nr_parts && i <= after; i++)
		if (render_part(out, &t->parts[i], v) < 0)
			return MLINT_ERROR;
	return 0;
}

/* ---- matching ---------------------------------------------------------- */

struct matcher {
	const struct mlint_template *t;
	const char *rev; /* sanitised */
	struct mlint_template_values found;
	const char *name;
	size_t stride;         /* strlen(name) + 1 */
	unsigned char *failed; /* bit (part, offset): no match from there */
};

/* Each (part, offset) is tried once: without this, "%slug%slug..." against a
 * long name backtracks exponentially. */
static int failed_before(struct matcher *m, size_t part, const char *s, int set)
{
	size_t bit = part * m->stride + (size_t)(s - m->name);
	unsigned char mask = (unsigned char)(1u << (bit % 8));
	int was = (m->failed[bit / 8] & mask) != 0;
	if (set)
		m->failed[bit / 8] |= mask;
	return was;
}

static int field_range_ok(enum mlint_template_field f, long long n)
{
	switch (f) {
	case MLINT_TF_MONTH: return n >= 1 && n <= 12;
	case MLINT_TF_DAY: return n >= 1 && n <= 31;
	case MLINT_TF_HOUR: return n <= 23;
	case MLINT_TF_MINUTE: return n <= 59;
	case MLINT_TF_SECOND: return n <= 60;
	default: return 1;
	}
}

static void store_number(struct mlint_template_values *v, enum mlint_template_field f,
			 long long n)
{
	switch (f) {
	case MLINT_TF_YEAR: v->year = (int)n; break;
	case MLINT_TF_MONTH: v->month = (int)n; break;
	case MLINT_TF_DAY: v->day = (int)n; break;
	case MLINT_TF_HOUR: v->hour = (int)n; break;
	case MLINT_TF_MINUTE: v->minute = (int)n; break;
	case MLINT_TF_SECOND: v->second = (int)n; break;
	default: v->epoch = n; break;
	}
}

static void digit_bounds(const struct mlint_template_part *p, size_t *lo, size_t *hi)
{
	size_t natural = p->field == MLINT_TF_YEAR ? 4 : p->field == MLINT_TF_EPOCH ? 12 : 2;
	size_t min = 1;
	if (p->conv == 'd' && p->precision > 0)
		min = (size_t)p->precision;
	if (p->zero && p->width > 0 && (size_t)p->width > min)
		min = (size_t)p->width;
	*lo = min;
	*hi = natural > min ? natural : min;
}

static int match_from(struct matcher *m, size_t part, const char *s);

static int match_number(struct matcher *m, size_t part, const char *s)
{
	const struct mlint_template_part *p = &m->t->parts[part];
	size_t lo, hi, avail = 0;

	digit_bounds(p, &lo, &hi);
	while (avail < hi && isdigit((unsigned char)s[avail]))
		avail++;
	for (size_t n = avail; n >= lo && n > 0; n--) {
		long long v = 0;
		for (size_t i = 0; i < n; i++)
			v = v * 10 + (s[i] - '0');
		if (!field_range_ok(p->field, v))
			continue;
		store_number(&m->found, p->field, v);
		if (match_from(m, part + 1, s + n))
			return 1;
	}
	return 0;
}

static int is_slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int match_slug(struct matcher *m, size_t part, const char *s)
{
	size_t avail = 0;
	while (is_slug_char(s[avail]))
		avail++;
	for (size_t n = avail; n > 0; n--)
		if (match_from(m, part + 1, s + n))
			return 1;
	return 0;
}

static int match_from(struct matcher *m, size_t part, const char *s)
{
	const struct mlint_template_part *p;
	size_t n;

	int ok;

	if (part == m->t->nr_parts)
		return strcmp(s, ".py") == 0;
	if (failed_before(m, part, s, 0))
		return 0;
	p = &m->t->parts[part];
	switch (p->field) {
	case MLINT_TF_LITERAL:
		n = strlen(p->text);
		ok = strncmp(s, p->text, n) == 0 && match_from(m, part + 1, s + n);
		break;
	case MLINT_TF_REV:
		n = strlen(m->rev);
		if (p->precision >= 0 && (size_t)p->precision < n)
			n = (size_t)p->precision;
		ok = strncmp(s, m->rev, n) == 0 && match_from(m, part + 1, s + n);
		break;
	case MLINT_TF_SLUG:
		ok = match_slug(m, part, s);
		break;
	default:
		ok = match_number(m, part, s);
		break;
	}
	if (!ok)
		failed_before(m, part, s, 1);
	return ok;
}

int mlint_template_match(const struct mlint_template *t, const char *name, const char *rev,
			 struct mlint_template_values *out)
{
	struct matcher m;
	size_t len = strlen(name);
	char *clean = NULL;
	int ok = 0;

	/* No file system has names this long; it keeps the table small. */
	if (len > MLINT_TEMPLATE_NAME_MAX)
		return 0;
	memset(&m, 0, sizeof(m));
	m.t = t;
	m.name = name;
	m.stride = len + 1;
	if (!(clean = mlint_strdup(rev ? rev : "")) ||
	    !(m.failed = calloc((t->nr_parts * m.stride + 7) / 8 + 1, 1)))
		goto done;
	sanitize_rev(clean);
	m.rev = clean;
	if (out)
		m.found = *out;
	ok = match_from(&m, 0, name);
	if (ok && out)
		*out = m.found;
done:
	free(m.failed);
	free(clean);
	return ok;
}

/* ---- Alembic's syntax out ---------------------------------------------- */

static const char *field_name(enum mlint_template_field f)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (field_names[i].field == f)
			return field_names[i].name;
	return "?";
}

static int part_to_alembic(struct mlint_buf *out, const struct mlint_template_part *p,
			   int alembic_syntax)
{
	if (p->field == MLINT_TF_LITERAL) {
		for (const char *c = p->text; *c; c++)
			if ((*c == '%' ? mlint_buf_puts(out, "%%%%") : mlint_buf_putc(out, *c)) < 0)
				return MLINT_ERROR;
		return 0;
	}
	if (mlint_buf_printf(out, "%%%%(%s)", field_name(p->field)) < 0)
		return MLINT_ERROR;
	if (!alembic_syntax) /* %Y -> d, %m -> .2d, %rev -> s */
		return p->conv == 's' ? mlint_buf_putc(out, 's')
		       : p->field == MLINT_TF_YEAR ? mlint_buf_putc(out, 'd')
						     : mlint_buf_printf(out, ".%dd", p->width);
	if (mlint_buf_printf(out, "%s%s", p->left ? "-" : "", p->zero ? "0" : "") < 0 ||
	    (p->width && mlint_buf_printf(out, "%d", p->width) < 0) ||
	    (p->precision >= 0 && mlint_buf_printf(out, ".%d", p->precision) < 0))
		return MLINT_ERROR;
	return mlint_buf_putc(out, p->conv);
}

int mlint_template_to_alembic_ini(struct mlint_buf *out, const struct mlint_template *t)
{
	for (size_t i = 0; i < t->nr_parts; i++)
		if (part_to_alembic(out, &t->parts[i], t->alembic_syntax) < 0)
			return MLINT_ERROR;
	return 0;
}

int mlint_template_has_rev(const struct mlint_template *t)
{
	for (size_t i = 0; i < t->nr_parts; i++)
		if (t->parts[i].field == MLINT_TF_REV)
			return 1;
	return 0;
}

/* The time to the second, and the revision before the slug (or at the end):
 * Alembic writes a new file without looking whether the name is taken. */
int mlint_template_new_files_ini(struct mlint_buf *out, const struct mlint_template *t)
{
	size_t after = last_date_part(t);
	int add_time = after < t->nr_parts && !mlint_template_has_time(t);
	int add_rev = !mlint_template_has_rev(t), rev_done = 0;

	for (size_t i = 0; i < t->nr_parts; i++) {
		if (add_rev && !rev_done && t->parts[i].field == MLINT_TF_SLUG) {
			if (mlint_buf_puts(out, "%%(rev)s_") < 0)
				return MLINT_ERROR;
			rev_done = 1;
		}
		if (part_to_alembic(out, &t->parts[i], t->alembic_syntax) < 0)
			return MLINT_ERROR;
		if (i == after && add_time &&
		    mlint_buf_puts(out, "_%%(hour).2d%%(minute).2d%%(second).2d") < 0)
			return MLINT_ERROR;
	}
	if (add_rev && !rev_done && mlint_buf_puts(out, "_%%(rev)s") < 0)
		return MLINT_ERROR;
	return 0;
}

/* ---- slugs -------------------------------------------------------------- */

/* Length of the UTF-8 sequence at s (1 for a stray byte). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : *s >= 0xc0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return i;
	return n;
}

/*
 * Python's \w for one character: ASCII letters, digits and '_', and, as an
 * approximation of Unicode's letters, every non-ASCII character except the
 * Latin-1 symbols and the general punctuation block.
 */
static int is_word(const unsigned char *s, size_t n)
{
	unsigned cp;
	if (n == 1)
		return isalnum(*s) || *s == '_';
	if (n == 2) {
		cp = ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
		return !(cp < 0xc0 || cp == 0xd7 || cp == 0xf7) || cp == 0xaa || cp == 0xb5 ||
		       cp == 0xba;
	}
	if (n == 3) {
		cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
		return !(cp >= 0x2000 && cp <= 0x2bff) && !(cp >= 0x3000 && cp <= 0x303f);
	}
	return 1;
}

/* Cuts `slug` (bytes start..len of out) like Alembic: at max characters,
 * back to the last '_', which is kept. */
static void truncate_slug(struct mlint_buf *out, size_t start, size_t max)
{
	size_t chars = 0, i = start, cut;
	while (i < out->len && chars < max) {
		i += utf8_len((const unsigned char *)out->ptr + i);
		chars++;
	}
	if (i >= out->len)
		return;
	cut = i;
	while (cut > start && out->ptr[cut - 1] != '_')
		cut--;
	if (cut == start) /* no '_': Python's rsplit keeps everything, then adds '_' */
		cut = i;
	else
		cut--;
	out->len = cut;
	out->ptr[cut] = '\0';
	mlint_buf_putc(out, '_');
}

int mlint_slug_from_message(struct mlint_buf *out, const char *message, size_t max)
{
	const unsigned char *p = (const unsigned char *)(message ? message : "");
	size_t start = out->len;
	int in_word = 0;

	while (*p) {
		size_t n = utf8_len(p);
		if (is_word(p, n)) {
			if (!in_word && out->len > start && mlint_buf_putc(out, '_') < 0)
				return MLINT_ERROR;
			for (size_t i = 0; i < n; i++)
				if (mlint_buf_putc(out, (char)(n == 1 ? tolower(p[i]) : p[i])) < 0)
					return MLINT_ERROR;
			in_word = 1;
		} else {
			in_word = 0;
		}
		p += n;
	}
	if (out->len - start > 0)
		truncate_slug(out, start, max);
	return 0;
}

void mlint_slug_sanitize(char *s)
{
	char *w = s;
	const unsigned char *r = (const unsigned char *)s;
	while (*r) {
		size_t n = utf8_len(r);
		char c = n == 1 ? (char)tolower(*r) : '_';
		*w++ = is_slug_char(c) ? c : '_';
		r += n;
	}
	*w = '\0';
}

static int is_empty_message(const char *message)
{
	return !message || !*message || strcmp(message, "empty message") == 0;
}

int mlint_slug_for_file(struct mlint_buf *out, const char *basename, const char *rev,
			const char *message)
{
	size_t start = out->len, rl = rev ? strlen(rev) : 0;
	size_t bl = strlen(basename);
	int error = 0;

	if (bl > 3 && strcmp(basename + bl - 3, ".py") == 0)
		bl -= 3;
	if (rl && bl > rl + 1 && strncmp(basename, rev, rl) == 0 && basename[rl] == '_')
		error = mlint_buf_put(out, basename + rl + 1, bl - rl - 1);
	else if (!is_empty_message(message))
		error = mlint_slug_from_message(out, message, MLINT_SLUG_MAX);
	if (error == 0 && out->len == start && rl)
		error = mlint_buf_puts(out, rev);
	if (error < 0)
		return error;
	mlint_slug_sanitize(out->ptr + start);
	out->len = start + strlen(out->ptr + start);
	return out->len == start ? mlint_buf_puts(out, "migration") : 0;
}

int mlint_template_suffixed(struct mlint_buf *out, const char *name, unsigned n)
{
	size_t len = strlen(name);
	if (len > 3 && strcmp(name + len - 3, ".py") == 0)
		len -= 3;
	return mlint_buf_printf(out, "%.*s_%u.py", (int)len, name, n);
}
