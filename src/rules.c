/*
 * The rule registry. Adding a rule: add a row here (kept sorted by scope,
 * then id), then emit it from the module that checks it with
 * mlint_findings_add(). `mlint rules ID` prints the row.
 */
#include <string.h>
#include "mlint/rules.h"

static const struct mlint_rule rules[] = {
	{"multiple-heads", MLINT_SEV_ERROR, "graph",
	 "more than one head on the same branch label",
	 "Alembic's `upgrade head` refuses to run when a branch has two heads:\n"
	 "two migrations were written on the same parent, usually on two git\n"
	 "branches that were merged. Unlabelled heads count as one branch.\n"
	 "\n"
	 "Bad:   a1 <- b2 (head)      Good:   a1 <- b2 <- c3 (merge of b2, d4)\n"
	 "       a1 <- d4 (head)              a1 <- d4 <-'\n",
	 "Merge the heads with `alembic merge -m \"merge heads\" REV1 REV2` (or\n"
	 "`flask db merge`), or, when the branch is not shared yet, rebase it and\n"
	 "set its first migration's down_revision to the current head."},
	{"duplicate-revision", MLINT_SEV_ERROR, "graph",
	 "two files declare the same revision id",
	 "Alembic keeps only one of the files (whichever it lists last), so one\n"
	 "migration silently never runs. Usually a file was copied to start a new\n"
	 "migration and its `revision` was not changed.\n"
	 "\n"
	 "Bad:   x.py: revision = 'ab12'   y.py: revision = 'ab12'\n",
	 "Give the newer file a fresh id (`alembic revision` generates one) and\n"
	 "update every down_revision that should point to it."},
	{"missing-parent", MLINT_SEV_ERROR, "graph",
	 "a down_revision or depends_on names no known revision",
	 "The parent is not in any version location: it was deleted, mistyped,\n"
	 "or lives in a version directory Alembic is not told about. Alembic\n"
	 "fails with KeyError on every command.\n"
	 "\n"
	 "Bad:   down_revision = 'ab12'   (no file declares revision 'ab12')\n",
	 "Point down_revision at an existing revision (see `mlint heads`), restore\n"
	 "the deleted migration, or add its directory to version_locations."},
	{"revision-cycle", MLINT_SEV_ERROR, "graph",
	 "the parent links form a cycle",
	 "A migration is (indirectly) its own ancestor, so there is no order in\n"
	 "which to apply them. Alembic stops with 'Cycle is detected'.\n"
	 "\n"
	 "Bad:   a: down_revision = 'b'    b: down_revision = 'a'\n",
	 "Break the cycle: one of the revisions in it must name an older parent."},
	{"edited-applied", MLINT_SEV_ERROR, "git",
	 "a migration already in the base has different code in the head",
	 "A migration present in the base (the merge base of --base and the\n"
	 "head, or an --applied ref) has already run on shared databases: they\n"
	 "record its revision and will never run it again. Editing it changes\n"
	 "only fresh databases, so environments drift apart. Migrations are\n"
	 "matched by revision id: a pure rename is fine, a rename with an edit\n"
	 "is not. The finding points at the first changed line and names the\n"
	 "commits that changed it.\n"
	 "\n"
	 "Bad:   edit 95cae7519570_add_name.py (on main) to widen a column\n"
	 "Good:  a new migration that alters the column\n",
	 "Revert the file to the base's version (git checkout BASE -- FILE) and\n"
	 "put the change in a new migration (alembic revision -m \"...\")."},
	{"cosmetic-edit", MLINT_SEV_INFO, "git",
	 "an applied migration changed only in comments, whitespace or quote style",
	 "The token stream is the same as in the base (comments, blank lines,\n"
	 "line breaks inside brackets, indentation width and quote style aside),\n"
	 "so the database sees no difference. Reported for information.\n",
	 "Nothing to do; revert it to keep the history of applied files clean."},
	{"deleted-applied", MLINT_SEV_ERROR, "git",
	 "a migration in the base is gone from the head",
	 "Databases that ran the migration record its revision; without the file\n"
	 "Alembic fails on them with \"Can't locate revision\", and the chain of\n"
	 "down_revision links breaks.\n",
	 "Restore the file (git checkout BASE -- FILE). To squash old history,\n"
	 "do it deliberately, with every database stamped to the new base."},
	{"model-without-migration", MLINT_SEV_WARNING, "git",
	 "model files changed but no migration was added",
	 "The change (what is staged, or the branch against its base) edits model\n"
	 "files but adds no migration: the database schema and the models drift\n"
	 "apart. Model files are the [mlint] models globs of alembic.ini\n"
	 "(`models = app/models/*.py`), by default models.py anywhere and .py\n"
	 "files under a models/ directory that use SQLAlchemy.\n",
	 "Generate the migration (alembic revision --autogenerate -m \"...\" or\n"
	 "flask db migrate), review it, and commit it with the model change."},
	{"stale-base", MLINT_SEV_ERROR, "git",
	 "merging the branch into its base would create multiple heads",
	 "The branch's first migration revises an old head: the base branch has\n"
	 "gained migrations since the branch was forked. Each side has one head,\n"
	 "but after the merge Alembic sees two and `upgrade head` stops.\n"
	 "\n"
	 "Bad:   main: a1 <- b2        branch: a1 <- c3\n"
	 "Good:  branch rebased:       a1 <- b2 <- c3\n",
	 "Rebase on the base and set down_revision of the branch's first\n"
	 "migration to the base's head (the message names it), or add a merge\n"
	 "migration: alembic merge -m \"merge heads\" HEAD1 HEAD2."},
	{"parse-error", MLINT_SEV_ERROR, "scan",
	 "a file that looks like a migration has no readable revision",
	 "The file assigns down_revision (or revision) but mlint cannot read a\n"
	 "literal `revision = '...'` at module level. Alembic would refuse it or\n"
	 "take its id from somewhere unexpected.\n"
	 "\n"
	 "Bad:   revision = make_id()      Good:   revision = 'ab12cd34ef56'\n",
	 "Write revision (and down_revision) as plain string literals, as\n"
	 "`alembic revision` generates them."},
	{"invalid-source", MLINT_SEV_ERROR, "scan",
	 "a migration Python cannot import (bad bytes, unterminated string, ...)",
	 "NUL bytes, invalid UTF-8, an unterminated string or an unclosed bracket\n"
	 "make the file unimportable: Alembic would fail on it at deploy time.\n"
	 "Files mlint refuses to read (a symlink out of the repository, a file\n"
	 "over the size limit) are reported here too.\n",
	 "Fix the line shown; re-save the file as UTF-8."},
	{"non-literal-value", MLINT_SEV_WARNING, "scan",
	 "revision identifiers that are expressions, not literals",
	 "mlint never imports a migration, so `down_revision = OTHER` or\n"
	 "`branch_labels = (cli.EXPAND_BRANCH,)` is kept as its source text and\n"
	 "never guessed. A parent given as an expression cannot be linked, so the\n"
	 "heads reported may be incomplete; two labels written as the same\n"
	 "expression are treated as the same label.\n"
	 "\n"
	 "Bad:   down_revision = PREVIOUS  Good:   down_revision = 'ab12cd34ef56'\n",
	 "Write the identifiers as string literals."},
	{"header-mismatch", MLINT_SEV_INFO, "scan",
	 "the header's Revision ID / Revises disagree with the variables",
	 "The docstring header says one thing, the code another: usually a\n"
	 "down_revision changed by hand during a rebase. Alembic reads only the\n"
	 "variables; people read the header.\n"
	 "\n"
	 "Bad:   Revises: ab12 ... down_revision = 'cd34'\n",
	 "Update the header lines to match revision and down_revision."},
	{"filename-format", MLINT_SEV_WARNING, "naming",
	 "a migration's file name does not follow the configured template",
	 "On only when a template is configured: [mlint] template in alembic.ini,\n"
	 "or an Alembic file_template with date fields. Date-prefixed names list\n"
	 "the migrations in the order they were written; a hash-named file among\n"
	 "them hides where it belongs.\n"
	 "\n"
	 "Bad:   ab55d9ddb915_add_name_column.py\n"
	 "Good:  20250823_add_name_column.py      (template %Y%m%d_%slug)\n",
	 "Run `mlint rename` (see --dry-run first): it renames every migration,\n"
	 "stages the renames like `git mv`, and leaves well-named files alone."},
	{"missing-message", MLINT_SEV_WARNING, "naming",
	 "a migration without a message (<rev>_.py, or \"empty message\")",
	 "The message names the file and the history (`alembic history`). A\n"
	 "migration generated without -m gets the file name <rev>_.py, or\n"
	 "Flask-Migrate's default docstring \"empty message\".\n"
	 "\n"
	 "Bad:   ab55d9ddb915_.py  \"\"\"empty message\"\"\"\n"
	 "Good:  ab55d9ddb915_add_name_column.py  \"\"\"add name column\"\"\"\n",
	 "Write what the migration does in the first docstring line and in the\n"
	 "file name (`alembic revision -m \"add name column\"` next time); `mlint\n"
	 "rename` takes the slug from the docstring for a <rev>_.py file."},
	{"out-of-order", MLINT_SEV_WARNING, "naming",
	 "sorted by file name, a migration comes before its parent",
	 "With date-prefixed names (files that follow the rename template), the\n"
	 "directory listing should be the order the migrations run in. A file\n"
	 "whose date is older than its parent's was usually rebased onto a newer\n"
	 "head without being renamed. Files of the same date (at the template's\n"
	 "resolution) are not compared.\n"
	 "\n"
	 "Bad:   20250801_add_index.py  (down_revision: 20250815_add_table's id)\n",
	 "Rename the file with a date after its parent's, and update its\n"
	 "Create Date header to match."},
};

const struct mlint_rule *mlint_rules_all(size_t *nr)
{
	*nr = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const struct mlint_rule *mlint_rule_find(const char *id)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}
