/*
 * rename.h: `mlint rename` as a library: which template applies, the plan
 * (every migration whose name does not have the template's form, its new
 * name, its date and where that came from), and applying it all or nothing.
 *
 * Dates: the `Create Date:` header as written; else the author date, in
 * the author's own offset, of the commit that first added the file (one
 * history walk for every file); else the file's modification time (UTC).
 * Names: the template rendered with the date, the revision id and the slug
 * (see template.h); two files with the same name get "_2", "_3", ... in
 * graph order (parents first); names already taken by files in the version
 * directory are never reused.
 *
 * Ownership: the plan owns its items and notes (init/release); it borrows
 * nothing from the scriptdirs it was built from.
 */
#ifndef MLINT_RENAME_H
#define MLINT_RENAME_H

#include <stddef.h>
#include "mlint/buf.h"
#include "mlint/date.h"
#include "mlint/discover.h"
#include "mlint/scriptdir.h"
#include "mlint/template.h"

enum mlint_template_origin {
	MLINT_TEMPLATE_FROM_DEFAULT = 0, /* MLINT_TEMPLATE_DEFAULT */
	MLINT_TEMPLATE_FROM_OPTION,      /* --template */
	MLINT_TEMPLATE_FROM_MLINT,       /* [mlint] template in alembic.ini */
	MLINT_TEMPLATE_FROM_ALEMBIC,     /* [alembic] file_template with date fields */
};

/*
 * The template for script directory `d`: `override` when not NULL, else
 * [mlint] template, else Alembic's file_template when it has date fields,
 * else the default. A bad template is MLINT_EUSAGE naming where it is.
 */
int mlint_rename_template(struct mlint_template *out, enum mlint_template_origin *origin,
			  const struct mlint_scriptdir_config *d, const char *override);

/*
 * Alembic's own file_template of `d` (interpolated), when it has one mlint
 * can read: the names Alembic gives new files. Names of that form are left
 * alone by `rename` and accepted by filename-format.
 */
int mlint_rename_alembic_form(struct mlint_template *out, const struct mlint_scriptdir_config *d,
			      int *found);

enum mlint_date_source { MLINT_DATE_HEADER, MLINT_DATE_GIT, MLINT_DATE_MTIME };

/* "header", "git", "mtime" */
const char *mlint_date_source_name(enum mlint_date_source s);

struct mlint_rename {
	char *from, *to;         /* for people: relative to the project's base directory */
	char *from_abs, *to_abs;
	char *revision;
	struct mlint_date date;
	enum mlint_date_source source;
};

struct mlint_rename_plan {
	struct mlint_rename *items; /* script directory by script directory, graph order */
	size_t nr, alloc;
	struct mlint_notes notes;   /* warnings: header dates that are not dates */
};

struct mlint_rename_opts {
	const char *template; /* --template, or NULL */
};

void mlint_rename_plan_init(struct mlint_rename_plan *plan);
void mlint_rename_plan_release(struct mlint_rename_plan *plan);

/* Plans the renames of every migration of `dirs`. Changes nothing. */
int mlint_rename_plan_build(struct mlint_rename_plan *plan, const struct mlint_project *p,
			    const struct mlint_scriptdir *dirs, size_t nr,
			    const struct mlint_rename_opts *opts);

/*
 * Checks that no target exists, then renames every file; in a git
 * repository the index follows (the old path's entry moves to the new path
 * with the same blob and mode, so unstaged edits stay unstaged). When any
 * step fails, what was done is undone and the error names the file.
 *
 * Test hook: with MLINT_FAULT_RENAME_STEP=K in the environment, step K fails
 * as if the disk returned EIO. Step i (1..nr) is the rename of plan->items[i-1];
 * step nr+1 is the index write (in a git repository). Other values change
 * nothing. For the fault-injection tests only (tests/cli/t_rename_rollback.sh).
 */
int mlint_rename_plan_apply(const struct mlint_rename_plan *plan, const struct mlint_project *p);

/*
 * Writes `file_template = <value>` into the [alembic] section of the ini at
 * `ini_path`, keeping every other line as it was: an existing file_template
 * line is replaced, else the line goes after a commented-out
 * "# file_template" line of the section, else right after the section
 * header. `value` is written as given (in ini syntax, '%' doubled).
 */
int mlint_rename_write_config(const char *ini_path, const char *value);

/*
 * The plan for people: one line per file,
 *   "<from> -> <to> (<YYYY-MM-DD> from <header|git|mtime>)".
 */
int mlint_report_rename_text(struct mlint_buf *out, const struct mlint_rename_plan *plan);

/*
 * The plan for programs (stable):
 *   {"renames": [{"from", "to", "revision", "date": "YYYY-MM-DD",
 *                 "date_source": "header" | "git" | "mtime"}]}
 */
int mlint_report_rename_json(struct mlint_buf *out, const struct mlint_rename_plan *plan);

#endif
