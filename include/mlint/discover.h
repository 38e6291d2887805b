/*
 * discover.h: from the paths a user gives to the script directories to read.
 *
 * A path may be a project root (holding alembic.ini or Flask-Migrate's
 * migrations/alembic.ini), the directory of an alembic.ini, an .ini file, or
 * a version directory; several version directories given together are one
 * script directory's locations. With no config at all, migrations/versions,
 * else every "versions" directory holding migrations, is used.
 * alembic.ini is read as Alembic reads it: script_location (relative to the
 * ini's directory, with %(here)s), version_locations split by
 * version_path_separator, recursive_version_locations.
 *
 * Sections: every section of an alembic.ini that sets script_location is a
 * script directory of its own ([alembic] first, then the others in file
 * order, as `alembic -n NAME` would read each); opts->name reads only that
 * one. [alembic] without script_location is Flask-Migrate's layout: the
 * ini's own directory, else a migrations/ beside it (env.py + versions/).
 * "package:path" locations are found on disk as Python would import the
 * package from the ini's directory: ./package, ./src/package (and the same
 * from the repository root). `[mlint] version-locations` replaces
 * version_locations for projects whose env.py sets them in code.
 *
 * Ownership: struct mlint_project owns everything in it (init/release).
 * Paths in it are absolute and canonical; `display` strings are relative to
 * the repository root (or the current directory outside git).
 */
#ifndef MLINT_DISCOVER_H
#define MLINT_DISCOVER_H

#include <stddef.h>
#include "mlint/ini.h"

enum mlint_note_level { MLINT_NOTE_VERBOSE, MLINT_NOTE_WARNING };

struct mlint_note {
	enum mlint_note_level level;
	char *text;
};

struct mlint_notes {
	struct mlint_note *items;
	size_t nr, alloc;
};

void mlint_notes_release(struct mlint_notes *notes);
int mlint_notes_add(struct mlint_notes *notes, enum mlint_note_level level, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

struct mlint_scriptdir_config {
	char *script_location;    /* absolute */
	char *display;            /* script_location for people ("migrations") */
	char *ini_path;           /* absolute, or NULL when none was used */
	char *section;            /* the ini section read ("alembic", "tenant"), or NULL */
	char **version_locations; /* absolute */
	size_t nr_locations, alloc_locations;
	int recursive;            /* recursive_version_locations = true */
	struct mlint_ini ini;     /* the parsed ini (empty when none) */
};

struct mlint_project {
	char *repo_root;  /* absolute work tree root, or NULL outside git */
	char *base_dir;   /* what display paths are relative to */
	struct mlint_scriptdir_config *dirs;
	size_t nr_dirs, alloc_dirs;
	struct mlint_notes notes;
};

struct mlint_discover_opts {
	const char *config; /* --config FILE, or NULL */
	const char *name;   /* --name SECTION (Alembic's -n), or NULL: every section */
};

void mlint_project_init(struct mlint_project *p);
void mlint_project_release(struct mlint_project *p);

/*
 * Finds the script directories for `paths` (nr == 0 means "."). A path that
 * does not exist, a broken alembic.ini or nothing found is an error
 * (MLINT_EUSAGE for what the user must fix) whose message says what to do.
 */
int mlint_discover(struct mlint_project *out, const char *const *paths, size_t nr,
		   const struct mlint_discover_opts *opts);

/* Whether `d` is a Flask-Migrate project: an alembic.ini without a
 * script_location (`flask db merge` works there, `alembic merge` does not). */
int mlint_scriptdir_is_flask(const struct mlint_scriptdir_config *d);

/* `abs` relative to the project's base directory (new string). */
char *mlint_project_display_path(const struct mlint_project *p, const char *abs);

#endif
