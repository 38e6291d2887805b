/*
 * template.h: file name templates for `mlint rename` and the naming rules,
 * and the slugs that go into them.
 *
 * Two syntaxes are read:
 *
 *   mlint's own (the default is "%Y%m%d_%slug"):
 *     %Y year (4 digits)  %m month  %d day  %H hour  %M minute  %S second
 *     (2 digits each), %rev the revision id, %slug the slug, %% a percent sign.
 *
 *   Alembic's file_template, as Alembic sees it after ConfigParser has turned
 *   the ini's "%%" into "%": "%(year)d%(month).2d%(day).2d_%(slug)s",
 *   "%(rev)s", "%(epoch)s", ... (Python %-formatting: fields year, month,
 *   day, hour, minute, second, epoch, rev, slug; conversions d, i, u, s with
 *   the flags 0 and -, a width and a precision).
 *
 * A template containing "%(" is Alembic syntax. ".py" is always appended.
 * A template whose literal text holds '/' or NUL, or that has no %slug and
 * no %rev (every file would get the same name), or that is longer than
 * MLINT_TEMPLATE_MAX bytes, is refused.
 *
 * Ownership: struct mlint_template owns its parts (init/release). Rendered
 * names go into caller-owned buffers.
 */
#ifndef MLINT_TEMPLATE_H
#define MLINT_TEMPLATE_H

#include <stddef.h>
#include "mlint/buf.h"

#define MLINT_TEMPLATE_DEFAULT "%Y%m%d_%slug"
/* The longest template read: a file name is at most 255 bytes anyway. */
#define MLINT_TEMPLATE_MAX 255
/* mlint_template_match: a longer name (past NAME_MAX) never matches. */
#define MLINT_TEMPLATE_NAME_MAX 255
/* Alembic cuts slugs at this many characters (truncate_slug_length). */
#define MLINT_SLUG_MAX 40

enum mlint_template_field {
	MLINT_TF_LITERAL = 0,
	MLINT_TF_YEAR,
	MLINT_TF_MONTH,
	MLINT_TF_DAY,
	MLINT_TF_HOUR,
	MLINT_TF_MINUTE,
	MLINT_TF_SECOND,
	MLINT_TF_EPOCH,
	MLINT_TF_REV,
	MLINT_TF_SLUG,
};

struct mlint_template_part {
	enum mlint_template_field field;
	char *text;     /* MLINT_TF_LITERAL: the text */
	int width;      /* minimum width, 0 for none */
	int precision;  /* -1 for none: minimum digits (d) or maximum length (s) */
	int zero, left; /* flags '0' and '-' */
	char conv;      /* 'd' or 's' */
};

struct mlint_template {
	char *spec; /* as given */
	int alembic_syntax;
	struct mlint_template_part *parts;
	size_t nr_parts, alloc_parts;
};

/* What a template is rendered with; strings are borrowed. */
struct mlint_template_values {
	int year, month, day, hour, minute, second;
	long long epoch;
	const char *rev;
	const char *slug; /* already sanitised */
};

void mlint_template_init(struct mlint_template *t);
void mlint_template_release(struct mlint_template *t);

/*
 * Parses `spec` in either syntax. A bad template is MLINT_EUSAGE with a
 * message that names it and the token at fault.
 */
int mlint_template_parse(struct mlint_template *t, const char *spec);

/* True when the template uses a date or time field. */
int mlint_template_has_date(const struct mlint_template *t);

/* True when the template uses an hour, minute or second field. */
int mlint_template_has_time(const struct mlint_template *t);

/*
 * Appends the file name (with ".py") for `v` to `out`. The revision id is
 * sanitised as in mlint_slug_sanitize, keeping '-' and upper case.
 */
int mlint_template_render(struct mlint_buf *out, const struct mlint_template *t,
			  const struct mlint_template_values *v);

/*
 * As mlint_template_render, with `infix` (when not NULL) written right after
 * the last date or time field: "_1432" or "_02" orders files of one day.
 */
int mlint_template_render_ordered(struct mlint_buf *out, const struct mlint_template *t,
				  const struct mlint_template_values *v, const char *infix);

/* True when the template has a date field and no slug or revision before
 * its last one: its names sort by date first. */
int mlint_template_date_leads(const struct mlint_template *t);

/* Appends what the template renders up to and including its last date or
 * time field ("20250823" for "%Y%m%d_%slug"). */
int mlint_template_render_date_prefix(struct mlint_buf *out, const struct mlint_template *t,
				      const struct mlint_template_values *v);

/* True when the template uses the revision id. */
int mlint_template_has_rev(const struct mlint_template *t);

/*
 * Appends, in alembic.ini's syntax, the file_template for files Alembic
 * writes from now on: `t` plus the time to the second after its date when
 * it has no time, and the revision id before the slug when it has none, so
 * that no two new files can get the same name (Alembic overwrites a file of
 * the same name without a word): "%Y%m%d_%slug" gives
 * "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d%%(second).2d_%%(rev)s_%%(slug)s".
 */
int mlint_template_new_files_ini(struct mlint_buf *out, const struct mlint_template *t);

/*
 * True when `name` (a file name with ".py") has the template's form for a
 * file of revision `rev`: literal text as written, numbers that are real
 * dates/times, the revision id itself, and a non-empty [a-z0-9_] slug.
 * When it matches and `out` is not NULL, the date fields found are stored
 * there (fields the template lacks are left as they were). Time and memory
 * are O(parts x name length): each part is tried at each offset once.
 */
int mlint_template_match(const struct mlint_template *t, const char *name, const char *rev,
			 struct mlint_template_values *out);

/*
 * Appends the template in Alembic's syntax as it must be written in
 * alembic.ini (each '%' doubled): "%%(year)d%%(month).2d%%(day).2d_%%(slug)s".
 */
int mlint_template_to_alembic_ini(struct mlint_buf *out, const struct mlint_template *t);

/*
 * Alembic's slug of a message: its words (runs of letters, digits and '_')
 * joined by '_', lower case, and when longer than `max` characters cut at
 * `max` back to the last '_', which is kept ("add_a_very_long_" ...).
 * Appends to `out` (nothing for an empty message).
 */
int mlint_slug_from_message(struct mlint_buf *out, const char *message, size_t max);

/*
 * Makes `s` safe as part of a file name, in place: ASCII upper case is
 * lowered and every character (UTF-8 sequence) outside [a-z0-9_] becomes
 * one '_'. The result can never hold '/', '.', or be longer than `s`.
 */
void mlint_slug_sanitize(char *s);

/*
 * The slug of a migration file: the file name after "<rev>_" (without
 * ".py"); when that is empty or the name does not start with the revision,
 * Alembic's slug of the header message (unless it is Flask-Migrate's
 * "empty message"); else the revision id. Always sanitised and never empty
 * ("migration" when even the revision id has nothing left).
 */
int mlint_slug_for_file(struct mlint_buf *out, const char *basename, const char *rev,
			const char *message);

/* "name.py" with a collision suffix n >= 2 before ".py": "name_2.py". */
int mlint_template_suffixed(struct mlint_buf *out, const char *name, unsigned n);

#endif
