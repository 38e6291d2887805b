/*
 * The rule registry. Adding a rule: add a row here (kept sorted by scope,
 * then id), then emit it from the module that checks it with
 * mlint_findings_addf(). `mlint rules ID` prints the row.
 */
#include <string.h>
#include "mlint/rules.h"

static const struct mlint_rule rules[] = {
	{"multiple-heads", MLINT_SEV_ERROR, "graph",
	 "more than one head on the same branch label",
	 "Alembic's `upgrade head` refuses to run when a branch has two heads:\n"
	 "two migrations were written on the same parent, usually on two git\n"
	 "branches that were merged. Unlabelled heads count as one branch.\n"
	 "One finding per set of heads, at the head with the newest Create Date,\n"
	 "naming the others. A migration whose down_revision is an expression\n"
	 "cannot be placed: heads are computed over the others, and the message\n"
	 "names it.\n"
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
	 "migration and its `revision` was not changed. Current Alembic (1.19)\n"
	 "lists each version location in sorted name order, so the file that sorts\n"
	 "last wins; mlint's heads and edited-applied follow that file, and the\n"
	 "finding is on the one dropped. Older Alembic (Debian's 1.8.1) lists in\n"
	 "directory order, which differs between file systems: it may keep the\n"
	 "other file.\n"
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
	{"parent-is-label", MLINT_SEV_ERROR, "graph",
	 "a down_revision names a branch label instead of a revision id",
	 "Alembic looks down_revision entries up by revision id only: a branch\n"
	 "label there makes every command fail with KeyError (depends_on may name\n"
	 "a label; down_revision may not). mlint resolves the label to the\n"
	 "revision that declares it, so the rest of the report still makes sense.\n"
	 "\n"
	 "Bad:   down_revision = 'billing'   (a branch label)\n"
	 "Good:  down_revision = '3f2a9c1d7e45'\n",
	 "Write the revision id of the parent you mean: the head of that branch\n"
	 "(`mlint heads` lists heads with their labels)."},
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
	 "an applied migration changed only in comments, docstrings, whitespace or quote style",
	 "The token stream is the same as in the base (comments, blank lines,\n"
	 "line breaks inside brackets, indentation width, quote style and\n"
	 "statements that are only a string, such as the docstring, aside), so\n"
	 "the database sees no difference. Reported for information; with\n"
	 "--new-only the file is not part of the change (a reformat of every\n"
	 "migration does not judge them all again).\n",
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
	 "but after the merge Alembic sees two and `upgrade head` stops. Also\n"
	 "reported: a migration whose parent the base has since removed or\n"
	 "renamed, which the merge would leave pointing at nothing. What is new\n"
	 "on the branch is decided by revision id, so renaming a file of the base\n"
	 "does not hide it.\n"
	 "\n"
	 "Bad:   main: a1 <- b2        branch: a1 <- c3\n"
	 "Good:  branch rebased:       a1 <- b2 <- c3\n",
	 "First merge or rebase on the base branch (git rebase main), then set\n"
	 "down_revision of the branch's first migration (and its Revises: line)\n"
	 "to the base's head (the message names it); or add a merge migration:\n"
	 "alembic merge -m \"merge heads\" HEAD1 HEAD2 (Flask-Migrate: flask db\n"
	 "merge)."},
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
	 "resolution) are compared by the rest of their names, as `ls` lists\n"
	 "them: without a time, 20250823_add_z.py sorts after its child\n"
	 "20250823_add_a.py.\n"
	 "\n"
	 "Bad:   20250801_add_index.py  (down_revision: 20250815_add_table's id)\n"
	 "Bad:   20250823_change_10.py  (down_revision: 20250823_change_2's id)\n",
	 "Rename the file with a date after its parent's, and update its\n"
	 "Create Date header to match. `mlint rename` orders the files of one\n"
	 "day: 20250823_1432_add_x.py from the Create Date's time, or\n"
	 "20250823_02_add_x.py in graph order when the times are missing or equal."},

	{"missing-downgrade", MLINT_SEV_ERROR, "downgrade",
	 "the upgrade changes the schema but there is no downgrade that reverts it",
	 "`alembic downgrade` is how a bad deploy is rolled back. A migration whose\n"
	 "downgrade() is missing, or only `pass`, `...`, a docstring, comments or a\n"
	 "`raise NotImplementedError` (or RuntimeError, Exception, ...), cannot be\n"
	 "rolled back: `alembic downgrade -1` either fails or silently leaves the\n"
	 "schema as it was. Merge migrations (a tuple down_revision, made by\n"
	 "`alembic merge`) are exempt: their `pass` bodies are by design, and so\n"
	 "are upgrades that only run maintenance (VACUUM, ANALYZE, REINDEX) or\n"
	 "change settings (SET, SQLite's PRAGMA): there is no schema to revert.\n"
	 "SQL mlint cannot parse is taken as code that may change anything.\n"
	 "The `downgrade` key of the [mlint] config section sets the policy:\n"
	 "`require` (default), `allow-raise` (an explicit raise is accepted: the\n"
	 "migration is declared irreversible) or `off` (no downgrades wanted).\n"
	 "\n"
	 "Bad:   def upgrade():                       def downgrade():\n"
	 "           op.drop_table('legacy_sequence')     pass\n"
	 "Good:  def downgrade():\n"
	 "           op.create_table('legacy_sequence', sa.Column('id', sa.Integer(), ...))\n",
	 "Write the inverse operations in downgrade(), in reverse order (autogenerate\n"
	 "writes them for you). If the change really cannot be undone, say so with\n"
	 "`raise NotImplementedError('...why...')` and set `downgrade = allow-raise`."},
	{"empty-upgrade", MLINT_SEV_WARNING, "upgrade",
	 "an upgrade that does nothing (autogenerate found no change)",
	 "`alembic revision --autogenerate` writes `pass` when it finds no\n"
	 "difference between the models and the database: usually the model change\n"
	 "was not imported, or the database was already up to date. The empty\n"
	 "migration still becomes a head everyone must apply. Merge migrations are\n"
	 "exempt.\n"
	 "\n"
	 "Bad:   def upgrade():\n"
	 "           pass\n",
	 "Delete the file (and regenerate once the models are imported in env.py),\n"
	 "or write the operations by hand."},
	{"asymmetric-downgrade", MLINT_SEV_WARNING, "downgrade",
	 "an upgrade operation has no inverse in the downgrade",
	 "downgrade() should undo every operation of upgrade(). mlint pairs them by\n"
	 "table and column, index or constraint name: create_table/drop_table,\n"
	 "add_column/drop_column, create_index/drop_index, create_foreign_key and\n"
	 "create_unique_constraint/drop_constraint, rename_table and alter_column\n"
	 "with new_column_name both ways. Dropping a table in the downgrade also\n"
	 "undoes the columns, indexes and constraints added to it. Only reported\n"
	 "when the downgrade does something (an empty one is missing-downgrade).\n"
	 "\n"
	 "Bad:   upgrade:   batch_op.add_column(sa.Column('a', ...))\n"
	 "                  batch_op.create_index('ix_t_a', ['a'])\n"
	 "       downgrade: batch_op.drop_column('a')      # the index is left\n"
	 "Good:  downgrade: batch_op.drop_index('ix_t_a')\n"
	 "                  batch_op.drop_column('a')\n",
	 "Add the missing inverse operation to downgrade(), in reverse order."},
	{"alter-column-type", MLINT_SEV_WARNING, "upgrade",
	 "alter_column(..., type_=...): the database may rewrite the whole table",
	 "Changing a column's type makes PostgreSQL rewrite the table and its\n"
	 "indexes under an ACCESS EXCLUSIVE lock, and MySQL copies the table. When\n"
	 "existing_type= says the change is binary coercible on PostgreSQL\n"
	 "(VARCHAR(50) -> VARCHAR(100), VARCHAR -> TEXT, NUMERIC(10,2) ->\n"
	 "NUMERIC(12,2)) it is not reported: no rewrite, though ACCESS EXCLUSIVE is\n"
	 "still taken briefly for the catalogue update (queued behind running\n"
	 "queries, see missing-lock-timeout). ALTER COLUMN ... TYPE in op.execute\n"
	 "SQL is reported too.\n"
	 "On a large table that is minutes of downtime; values that do not convert\n"
	 "make the migration fail halfway.\n"
	 "\n"
	 "Bad:   op.alter_column('species', 'code', type_=sa.Integer())\n"
	 "Good:  add a new column, backfill it in batches, switch the code, drop the\n"
	 "       old column in a later release\n",
	 "Check the change is safe for the table's size (or binary compatible), or\n"
	 "use an expand/contract migration; suppress with\n"
	 "`# mlint: ignore[alter-column-type] -- reason` once reviewed."},
	{"create-index-not-concurrently", MLINT_SEV_WARNING, "upgrade",
	 "create_index on an existing table without postgresql_concurrently=True",
	 "On PostgreSQL, CREATE INDEX takes a SHARE lock: every write to the table\n"
	 "waits until the index is built. On a table the same migration creates that\n"
	 "does not matter (it is empty) and is not reported; on an existing, large\n"
	 "table it is an outage. Also reported for CREATE INDEX in op.execute SQL.\n"
	 "CONCURRENTLY builds it under SHARE UPDATE EXCLUSIVE (writes go on) but\n"
	 "cannot run in a transaction: hence the autocommit_block.\n"
	 "\n"
	 "Bad:   op.create_index('ix_sequences_name', 'sequences', ['name'])\n"
	 "Good:  with op.get_context().autocommit_block():\n"
	 "           op.create_index('ix_sequences_name', 'sequences', ['name'],\n"
	 "                           postgresql_concurrently=True)\n",
	 "Pass postgresql_concurrently=True (outside a transaction: an\n"
	 "autocommit_block), or accept the lock for a small table."},
	{"not-null-without-default", MLINT_SEV_ERROR, "upgrade",
	 "add_column of a NOT NULL column without a server_default",
	 "Adding a `nullable=False` column to a table that has rows fails: the\n"
	 "existing rows have no value for it. It works on the empty development\n"
	 "database and fails in production. Not reported on a table the same\n"
	 "upgrade creates, nor for identity, SERIAL or generated columns (they get\n"
	 "values; see add-column-rewrite), nor on a table an earlier migration of\n"
	 "the same change creates. Also reported for ADD COLUMN ... NOT NULL in\n"
	 "op.execute SQL. PostgreSQL fails on a table with rows, SQLite refuses it\n"
	 "on any table; MySQL fills the rows with the type's implicit default\n"
	 "('' or 0), so with `dialect = mysql` it is not reported.\n"
	 "\n"
	 "Bad:   op.add_column('species', sa.Column('code', sa.String(50), nullable=False))\n"
	 "Good:  op.add_column('species', sa.Column('code', sa.String(50), nullable=False,\n"
	 "                                         server_default=''))\n",
	 "Give the column a server_default, or add it nullable, backfill it, then\n"
	 "alter it to nullable=False in a later migration."},
	{"rename-column", MLINT_SEV_WARNING, "upgrade",
	 "alter_column(..., new_column_name=...): breaks code still running during a deploy",
	 "While a deploy rolls out, the old version of the application keeps\n"
	 "running against the migrated database; it still uses the old column\n"
	 "name and fails until it is replaced.\n"
	 "\n"
	 "Bad:   op.alter_column('species', 'name', new_column_name='label')\n"
	 "Good:  add 'label', write both, backfill, switch reads, drop 'name' later\n",
	 "Rename in steps (expand/contract), or accept the errors during the\n"
	 "deploy and suppress with `# mlint: ignore[rename-column] -- reason`."},
	{"rename-table", MLINT_SEV_WARNING, "upgrade",
	 "rename_table: breaks code still running during a deploy",
	 "While a deploy rolls out, the old version of the application still\n"
	 "queries the old table name and fails until it is replaced.\n"
	 "\n"
	 "Bad:   op.rename_table('species', 'organisms')\n"
	 "Good:  create the new table (or a view under the old name), migrate the\n"
	 "       code, drop the old name in a later release\n",
	 "Rename in steps (a view under the old name bridges the deploy), or\n"
	 "suppress with `# mlint: ignore[rename-table] -- reason`."},
	{"committed-credentials", MLINT_SEV_ERROR, "config",
	 "the alembic.ini mlint reads has a sqlalchemy.url with a password in it",
	 "The workflow guide puts the database URL in alembic.ini, but that file\n"
	 "is committed: a password in it is readable by everyone with the\n"
	 "repository, forever (it stays in the history). mlint never prints the\n"
	 "password itself.\n"
	 "\n"
	 "Bad:   sqlalchemy.url = postgresql://app:s3cret@db.example.com/app\n"
	 "Good:  sqlalchemy.url = postgresql://app@db.example.com/app\n"
	 "Alembic's template placeholder (driver://user:pass@localhost/dbname) is\n"
	 "not reported.\n"
	 "       # env.py: config.set_main_option('sqlalchemy.url', os.environ['DATABASE_URL'])\n",
	 "Remove the password from the URL, read the URL from an environment\n"
	 "variable in env.py, and rotate the password: it is in the git history."},
	{"unused-suppression", MLINT_SEV_WARNING, "scan",
	 "a `# mlint: ignore[...]` that suppresses nothing, or names an unknown rule",
	 "A suppression that matches no finding is stale (the code it excused was\n"
	 "fixed or moved) or mistyped, and would silently hide a future finding.\n"
	 "`ignore[id]` applies to findings on its own line, or on the line that\n"
	 "opens the call a finding is about; `ignore-file[id]` to the whole file.\n"
	 "\n"
	 "Bad:   op.create_table('t', ...)  # mlint: ignore[drop-table]\n"
	 "Good:  op.drop_table('t')  # mlint: ignore[drop-table] -- emptied in 2024\n",
	 "Remove the suppression, or fix the rule id (`mlint rules` lists them)."},
	/* PostgreSQL lock rules (rule_content.c, lock model in pg_cost.c):
	 * silent when the dialect is sqlite, mysql or generic. */
	{"add-column-rewrite", MLINT_SEV_WARNING, "upgrade",
	 "ADD COLUMN with a volatile default, SERIAL, identity or stored generated: a full rewrite",
	 "Lock: ACCESS EXCLUSIVE, table rewritten. Since PostgreSQL 11 a column\n"
	 "with a constant (or now()) default is added instantly, but a default\n"
	 "PostgreSQL must compute per row (gen_random_uuid(), random(),\n"
	 "clock_timestamp(), nextval()), a SERIAL / BIGSERIAL, an identity\n"
	 "(sa.Identity()) or a stored generated column (sa.Computed()) makes it\n"
	 "rewrite the whole table and its indexes while every read and write waits.\n"
	 "\n"
	 "Bad:   op.add_column('orders', sa.Column('uid', sa.Uuid(),\n"
	 "                     server_default=sa.text('gen_random_uuid()')))\n"
	 "       op.execute('ALTER TABLE orders ADD COLUMN id2 BIGSERIAL')\n",
	 "Add the column without the default, set the default for new rows, then\n"
	 "backfill existing rows in batches (a later migration or a script):\n"
	 "    op.add_column('orders', sa.Column('uid', sa.Uuid(), nullable=True))\n"
	 "    op.alter_column('orders', 'uid', server_default=sa.text('gen_random_uuid()'))\n"
	 "    # backfill: UPDATE orders SET uid = gen_random_uuid() WHERE id BETWEEN ...\n"},
	{"concurrently-in-transaction", MLINT_SEV_ERROR, "upgrade",
	 "CONCURRENTLY (or VACUUM) outside autocommit_block(): fails at deploy",
	 "CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY,\n"
	 "DETACH PARTITION CONCURRENTLY and VACUUM cannot run inside a transaction\n"
	 "block, and Alembic runs each migration in one: PostgreSQL raises\n"
	 "\"cannot run inside a transaction block\" and the deploy stops.\n"
	 "\n"
	 "Bad:   op.create_index('ix_orders_user', 'orders', ['user_id'],\n"
	 "                       postgresql_concurrently=True)\n",
	 "Run it in an autocommit block (Alembic commits the migration's\n"
	 "transaction before and opens a new one after):\n"
	 "    with op.get_context().autocommit_block():\n"
	 "        op.create_index('ix_orders_user', 'orders', ['user_id'],\n"
	 "                        postgresql_concurrently=True)\n"},
	{"drop-index-not-concurrently", MLINT_SEV_WARNING, "upgrade",
	 "drop_index without postgresql_concurrently=True",
	 "Lock: ACCESS EXCLUSIVE on the index's table. DROP INDEX is quick once it\n"
	 "has its lock, but it queues behind every running query on the table and\n"
	 "every new query queues behind it: one long report stalls the table.\n"
	 "Not reported for an index the same upgrade created, or on a table it\n"
	 "created.\n"
	 "\n"
	 "Bad:   op.drop_index('ix_orders_user', table_name='orders')\n",
	 "    with op.get_context().autocommit_block():\n"
	 "        op.drop_index('ix_orders_user', table_name='orders',\n"
	 "                      postgresql_concurrently=True)\n"},
	{"set-not-null", MLINT_SEV_WARNING, "upgrade",
	 "alter_column(nullable=False) / SET NOT NULL on an existing table: a full scan",
	 "Lock: ACCESS EXCLUSIVE while PostgreSQL reads every row to prove there is\n"
	 "no NULL: reads and writes wait for the whole scan. PostgreSQL 12+ skips\n"
	 "the scan when a validated CHECK (col IS NOT NULL) constraint proves it.\n"
	 "Not reported for a column or table the same upgrade added.\n"
	 "\n"
	 "Bad:   op.alter_column('orders', 'user_id', nullable=False)\n",
	 "Prove it with a NOT VALID check first, validate it after a commit (SHARE\n"
	 "UPDATE EXCLUSIVE: reads and writes go on), then set NOT NULL without a\n"
	 "scan. The VALIDATE must not share the ADD's transaction: the ADD's ACCESS\n"
	 "EXCLUSIVE lock would be held through the scan. An autocommit block\n"
	 "commits before it (or put the VALIDATE and what follows in a later\n"
	 "migration):\n"
	 "    op.create_check_constraint('ck_orders_user_nn', 'orders',\n"
	 "                               'user_id IS NOT NULL', postgresql_not_valid=True)\n"
	 "    with op.get_context().autocommit_block():\n"
	 "        op.execute('ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_user_nn')\n"
	 "    op.alter_column('orders', 'user_id', nullable=False)\n"
	 "    op.drop_constraint('ck_orders_user_nn', 'orders', type_='check')\n"},
	{"constraint-not-valid", MLINT_SEV_WARNING, "upgrade",
	 "a foreign key or CHECK added to an existing table without NOT VALID, or validated "
	 "before a commit",
	 "Lock: SHARE ROW EXCLUSIVE on both tables for a foreign key (writes wait),\n"
	 "ACCESS EXCLUSIVE for a CHECK (reads and writes wait), held while every\n"
	 "row is checked. Added NOT VALID, the constraint applies to new rows at\n"
	 "once and the existing rows are checked later by VALIDATE CONSTRAINT,\n"
	 "which takes only SHARE UPDATE EXCLUSIVE. Later means after a commit: a\n"
	 "lock is held until its transaction ends, so a VALIDATE in the same\n"
	 "transaction as its NOT VALID ADD (same upgrade, outside an autocommit\n"
	 "block) scans under the ADD's lock; that is reported too.\n"
	 "\n"
	 "Bad:   op.create_foreign_key('fk_orders_user', 'orders', 'users',\n"
	 "                             ['user_id'], ['id'])\n"
	 "Bad:   op.create_foreign_key(..., postgresql_not_valid=True)\n"
	 "       op.execute('ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user')\n",
	 "    op.create_foreign_key('fk_orders_user', 'orders', 'users', ['user_id'], ['id'],\n"
	 "                          postgresql_not_valid=True)\n"
	 "    with op.get_context().autocommit_block():  # or in the next migration\n"
	 "        op.execute('ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user')\n"},
	{"add-unique-constraint", MLINT_SEV_WARNING, "upgrade",
	 "create_unique_constraint on an existing table: its index is built under ACCESS EXCLUSIVE",
	 "Lock: ACCESS EXCLUSIVE for the whole index build: reads and writes wait\n"
	 "(unlike CREATE INDEX, whose SHARE lock lets reads go on).\n"
	 "\n"
	 "Bad:   op.create_unique_constraint('uq_users_email', 'users', ['email'])\n",
	 "Build the unique index concurrently, then attach it (a catalogue update):\n"
	 "    with op.get_context().autocommit_block():\n"
	 "        op.create_index('uq_users_email', 'users', ['email'], unique=True,\n"
	 "                        postgresql_concurrently=True)\n"
	 "    op.execute('ALTER TABLE users ADD CONSTRAINT uq_users_email '\n"
	 "               'UNIQUE USING INDEX uq_users_email')\n"},
	{"add-primary-key", MLINT_SEV_WARNING, "upgrade",
	 "a primary key added to an existing table: its index is built under ACCESS EXCLUSIVE",
	 "Lock: ACCESS EXCLUSIVE while the unique index is built and the columns\n"
	 "are checked for NULLs: reads and writes wait (unlike CREATE INDEX, whose\n"
	 "SHARE lock lets reads go on). Also reported for\n"
	 "add_column(Column(..., primary_key=True)) and ADD COLUMN ... PRIMARY KEY.\n"
	 "\n"
	 "Bad:   op.create_primary_key('pk_events', 'events', ['id'])\n",
	 "    with op.get_context().autocommit_block():\n"
	 "        op.create_index('pk_events', 'events', ['id'], unique=True,\n"
	 "                        postgresql_concurrently=True)\n"
	 "    op.execute('ALTER TABLE events ADD CONSTRAINT pk_events '\n"
	 "               'PRIMARY KEY USING INDEX pk_events')\n"
	 "(set the columns NOT NULL first, see set-not-null)\n"},
	{"reindex-not-concurrently", MLINT_SEV_WARNING, "upgrade",
	 "REINDEX without CONCURRENTLY",
	 "Lock: SHARE on the table (writes wait) and ACCESS EXCLUSIVE on the index\n"
	 "being rebuilt (queries that would use it wait) for the whole rebuild.\n"
	 "\n"
	 "Bad:   op.execute('REINDEX INDEX ix_orders_user')\n",
	 "    with op.get_context().autocommit_block():\n"
	 "        op.execute('REINDEX INDEX CONCURRENTLY ix_orders_user')\n"},
	{"detach-partition-not-concurrently", MLINT_SEV_WARNING, "upgrade",
	 "DETACH PARTITION without CONCURRENTLY",
	 "Lock: ACCESS EXCLUSIVE on the partitioned table: every query on any\n"
	 "partition waits. CONCURRENTLY (PostgreSQL 14+) takes SHARE UPDATE\n"
	 "EXCLUSIVE instead.\n"
	 "\n"
	 "Bad:   op.execute('ALTER TABLE events DETACH PARTITION events_2020')\n",
	 "    with op.get_context().autocommit_block():\n"
	 "        op.execute('ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY')\n"},
	{"vacuum-full-or-cluster", MLINT_SEV_WARNING, "upgrade",
	 "VACUUM FULL or CLUSTER in a migration: a full rewrite under ACCESS EXCLUSIVE",
	 "Lock: ACCESS EXCLUSIVE while the whole table and its indexes are written\n"
	 "anew: reads and writes wait, and the disk must hold a second copy.\n"
	 "And VACUUM FULL outside `with op.get_context().autocommit_block():` fails\n"
	 "at deploy (\"cannot run inside a transaction block\", reported as\n"
	 "concurrently-in-transaction).\n"
	 "\n"
	 "Bad:   op.execute('VACUUM FULL orders')\n",
	 "Do not compact tables in a migration: run it in a maintenance window, or\n"
	 "use an online tool (pg_repack). A plain VACUUM / ANALYZE, if needed, in\n"
	 "`with op.get_context().autocommit_block():`."},
	{"commit-in-migration", MLINT_SEV_WARNING, "upgrade",
	 "COMMIT (or BEGIN / ROLLBACK) in op.execute: breaks the migration's transaction",
	 "Alembic runs a migration in a transaction and records the new revision\n"
	 "at its end. op.execute('COMMIT') commits what ran so far: if a later step\n"
	 "fails, the schema is half-changed and the version table still names the\n"
	 "old revision, so a retry fails on what already exists.\n"
	 "\n"
	 "Bad:   op.execute('COMMIT')\n"
	 "       op.create_index(..., postgresql_concurrently=True)\n",
	 "Use Alembic's own way out of the transaction:\n"
	 "    with op.get_context().autocommit_block():\n"
	 "        op.create_index(..., postgresql_concurrently=True)\n"},
	{"enum-add-value", MLINT_SEV_WARNING, "upgrade",
	 "ALTER TYPE ... ADD VALUE inside the migration's transaction",
	 "Since PostgreSQL 12 ALTER TYPE ... ADD VALUE may run in a transaction,\n"
	 "but the new value cannot be used until it commits: an UPDATE or INSERT\n"
	 "of it later in the same migration fails (\"unsafe use of new value\").\n"
	 "Before 12 the statement itself fails in a transaction.\n"
	 "\n"
	 "Bad:   op.execute(\"ALTER TYPE status ADD VALUE 'archived'\")\n"
	 "       op.execute(\"UPDATE orders SET status = 'archived' WHERE ...\")\n",
	 "    with op.get_context().autocommit_block():\n"
	 "        op.execute(\"ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived'\")\n"},
	{"update-under-lock", MLINT_SEV_WARNING, "upgrade",
	 "a large data update in the same transaction as ACCESS EXCLUSIVE DDL",
	 "A lock is held until the transaction ends. An UPDATE or DELETE without\n"
	 "WHERE (or DML in a backfill loop) after DDL that took ACCESS EXCLUSIVE\n"
	 "on an existing table keeps that table blocked for the whole update.\n"
	 "\n"
	 "Bad:   op.add_column('orders', sa.Column('total', sa.Numeric()))\n"
	 "       op.execute('UPDATE orders SET total = price * qty')\n",
	 "Commit the DDL first, then backfill in batches outside it:\n"
	 "    op.add_column('orders', sa.Column('total', sa.Numeric()))\n"
	 "    with op.get_context().autocommit_block():\n"
	 "        op.execute('UPDATE orders SET total = price * qty WHERE id < 100000')\n"
	 "        # ... next batches\n"
	 "or move the backfill to its own migration or a script."},
	{"missing-lock-timeout", MLINT_SEV_WARNING, "upgrade",
	 "ACCESS EXCLUSIVE taken with no lock_timeout (off by default: `enable = missing-lock-timeout`)",
	 "A statement waiting for ACCESS EXCLUSIVE (queued behind a long query or\n"
	 "an idle transaction) blocks every later query on the table while it\n"
	 "waits, even if its own work takes a millisecond. A lock_timeout makes\n"
	 "it give up instead, so the deploy can be retried. Satisfied by SET\n"
	 "lock_timeout in the migration before the statement, or by any mention of\n"
	 "lock_timeout in env.py. Off unless `enable = missing-lock-timeout` in\n"
	 "[mlint] (or the rule is named in `select`).\n"
	 "\n"
	 "Bad:   op.add_column('orders', sa.Column('note', sa.Text()))\n",
	 "    op.execute(\"SET lock_timeout = '5s'\")\n"
	 "    op.add_column('orders', sa.Column('note', sa.Text()))\n"
	 "or once for every migration, in env.py's run_migrations_online():\n"
	 "    connection.execute(sa.text(\"SET lock_timeout = '5s'\"))\n"},
	{"file-template-not-unique", MLINT_SEV_WARNING, "config",
	 "alembic.ini's file_template can give two new migrations the same name",
	 "`alembic revision -m MSG` (and `flask db migrate`, `flask db merge`)\n"
	 "writes the file the file_template names without looking whether it\n"
	 "exists. A template without %%(rev)s gives two migrations with the same\n"
	 "message, written on the same day (or minute, or second), the same name:\n"
	 "the second silently replaces the first, and `alembic heads` then fails\n"
	 "with KeyError on the lost revision.\n"
	 "\n"
	 "Bad:   file_template = %%(year)d%%(month).2d%%(day).2d_%%(slug)s\n"
	 "Good:  file_template = %%(year)d%%(month).2d%%(day).2d_"
	 "%%(hour).2d%%(minute).2d%%(second).2d_%%(rev)s_%%(slug)s\n",
	 "Add %%(rev)s to the file_template; `mlint rename --write-config` writes\n"
	 "the line above (the time to the second and the revision id) and renames\n"
	 "nothing. Files already named keep their names."},
	/* ---- issue 14: trust at the pull request ---- */
	{"undefined-name", MLINT_SEV_ERROR, "scan",
	 "a migration calls through a name nothing in the file defines: NameError at deploy",
	 "An upgrade or downgrade that calls `sa.Column(...)` without `import\n"
	 "sqlalchemy as sa`, `sqlalchemy.text(...)` without `import sqlalchemy`, or\n"
	 "`postgresql.UUID()` without importing the dialect fails with NameError\n"
	 "the moment it runs: at deploy for an upgrade, at the worst moment for a\n"
	 "downgrade. Usually an import lost while editing a generated file, or code\n"
	 "pasted from another migration.\n"
	 "\n"
	 "Only certain cases are reported: every occurrence of the name in the file\n"
	 "is a use (`NAME.attr`, `NAME(...)`), none could bind it (import,\n"
	 "assignment, def, class, parameter, for, with-as, except-as, global), and\n"
	 "the file has no star import, exec(), globals() or setattr(), and it has\n"
	 "at least one import (a file without any is a fragment, not a migration\n"
	 "Alembic generated).\n"
	 "\n"
	 "Bad:   import sqlalchemy as sa\n"
	 "       def upgrade():\n"
	 "           op.execute(sqlalchemy.text('UPDATE users SET active = true'))\n"
	 "Good:  op.execute(sa.text('UPDATE users SET active = true'))\n",
	 "Add the import the message names at the top of the migration, or use the\n"
	 "name the file already imports (sa.text instead of sqlalchemy.text)."},
	{"irreversible-data-migration", MLINT_SEV_INFO, "downgrade",
	 "a data migration (rows only, no schema change) whose downgrade does not undo it",
	 "An upgrade that only inserts, updates or deletes rows (op.execute with\n"
	 "INSERT / UPDATE / DELETE, op.bulk_insert, a loop of connection.execute)\n"
	 "changes no schema, so missing-downgrade does not ask for one; often the\n"
	 "old values cannot be brought back at all. This says what the migration\n"
	 "is, so a reviewer can decide whether a rollback needs the old rows.\n"
	 "Upgrades that only run maintenance (VACUUM, ANALYZE, REINDEX, VALIDATE\n"
	 "CONSTRAINT) need no downgrade and get no finding.\n"
	 "\n"
	 "Example: def upgrade(): op.execute(\"UPDATE users SET active = true\")\n"
	 "         def downgrade(): pass\n",
	 "Write the inverse in downgrade() when the old rows matter (keep them in\n"
	 "a column or table the upgrade leaves), else leave a comment saying the\n"
	 "data change is not reverted."},
	{"imports-application", MLINT_SEV_WARNING, "scan",
	 "a migration imports the application's own code: it changes when the app changes",
	 "A migration is a snapshot of the schema at one point in history; it must\n"
	 "run the same way in five years. `from app.models import User` or `from\n"
	 "config import settings` import the application as it is the day the\n"
	 "migration runs, not as it was when it was written: once the model\n"
	 "changes (a column renamed, a class deleted, a module moved), old\n"
	 "migrations fail or, worse, do something else on a fresh database.\n"
	 "Reported for imports of modules that resolve inside the repository,\n"
	 "outside the migrations directory (a helper module next to the\n"
	 "migrations is fine).\n"
	 "\n"
	 "Bad:   from app.models import User\n"
	 "       op.bulk_insert(User.__table__, rows)\n"
	 "Good:  users = sa.table('users', sa.column('id', sa.Integer),\n"
	 "                        sa.column('name', sa.String))\n"
	 "       op.bulk_insert(users, rows)\n",
	 "Copy the table definition the migration needs into the migration\n"
	 "(`sa.table('users', sa.column('id'), ...)` names only the columns it\n"
	 "touches), and constants as literals; then drop the import."},
	/* ---- issue 13: enum types changed through sa.Enum / postgresql.ENUM ---- */
	{"enum-values-not-added", MLINT_SEV_ERROR, "upgrade",
	 "alter_column to an Enum with new values: on PostgreSQL the values are not added",
	 "On PostgreSQL an Enum column has a type of its own. Alembic renders\n"
	 "alter_column(type_=sa.Enum(..., name='status'), existing_type=...) with\n"
	 "the same type name as `ALTER TABLE t ALTER COLUMN c TYPE status`, and\n"
	 "nothing else: no ALTER TYPE ... ADD VALUE. The migration runs, the type\n"
	 "keeps its old values, and the first write of a new value fails with\n"
	 "`invalid input value for enum status` (proven in tests/pg: the same for\n"
	 "postgresql.ENUM and batch_op.alter_column). Reported unless the upgrade\n"
	 "adds the value in SQL (ADD VALUE, RENAME VALUE ... TO) or creates the\n"
	 "type anew with these values, or a migration it comes after adds it.\n"
	 "\n"
	 "Bad:   op.alter_column('orders', 'status',\n"
	 "           type_=sa.Enum('new', 'paid', 'shipped', name='status'),\n"
	 "           existing_type=sa.Enum('new', 'paid', name='status'))\n",
	 "Add the value with ALTER TYPE, outside the migration's transaction (a\n"
	 "value added inside it cannot be used before it commits):\n"
	 "    with op.get_context().autocommit_block():\n"
	 "        op.execute(\"ALTER TYPE status ADD VALUE IF NOT EXISTS 'shipped'\")\n"
	 "The alter_column can stay (it changes nothing on PostgreSQL) or go."},
	{"enum-values-not-removed", MLINT_SEV_WARNING, "upgrade",
	 "alter_column to an Enum without some values: on PostgreSQL they are not removed",
	 "Alembic renders alter_column(type_=sa.Enum(...)) with the type's own\n"
	 "name as `ALTER COLUMN c TYPE status`: the type keeps every value, so the\n"
	 "database still accepts what the migration meant to remove (nothing\n"
	 "fails; the schema and the model disagree). PostgreSQL cannot drop a\n"
	 "value from an enum type: it is recreated, and the column converted with\n"
	 "a rewrite of the table under an ACCESS EXCLUSIVE lock (proven in\n"
	 "tests/pg). A renamed value needs no rewrite: ALTER TYPE ... RENAME VALUE\n"
	 "changes only the catalogue.\n"
	 "\n"
	 "Bad:   op.alter_column('orders', 'status',\n"
	 "           type_=sa.Enum('new', 'paid', name='status'),\n"
	 "           existing_type=sa.Enum('new', 'paid', 'lost', name='status'))\n",
	 "A rename:\n"
	 "    op.execute(\"ALTER TYPE status RENAME VALUE 'lost' TO 'missing'\")\n"
	 "A removal (rows holding the value must be changed first):\n"
	 "    op.execute(\"ALTER TYPE status RENAME TO status_old\")\n"
	 "    sa.Enum('new', 'paid', name='status').create(op.get_bind())\n"
	 "    op.alter_column('orders', 'status',\n"
	 "        type_=sa.Enum('new', 'paid', name='status'),\n"
	 "        existing_type=sa.Enum('new', 'paid', 'lost', name='status_old'),\n"
	 "        postgresql_using='status::text::status')\n"
	 "    op.execute('DROP TYPE status_old')\n"
	 "The ALTER COLUMN rewrites the table: run it when a lock is acceptable."},
	{"enum-type-not-created", MLINT_SEV_ERROR, "upgrade",
	 "add_column / alter_column with an Enum type nothing in the migration creates",
	 "Alembic creates the PostgreSQL type of an Enum column in\n"
	 "op.create_table only. op.add_column(..., sa.Column('c', sa.Enum(...,\n"
	 "name='mood'))) renders `ALTER TABLE t ADD COLUMN c mood` and\n"
	 "alter_column(type_=sa.Enum(..., name='mood')) renders `ALTER COLUMN c\n"
	 "TYPE mood`, with no CREATE TYPE: unless the type already exists, the\n"
	 "deploy fails with `type \"mood\" does not exist` (proven in tests/pg).\n"
	 "Not reported when the upgrade creates the type before (CREATE TYPE,\n"
	 "sa.Enum(...).create(op.get_bind()), a create_table with that Enum), when\n"
	 "a migration it comes after (down_revision, depends_on) creates it, when\n"
	 "the type is declared existing\n"
	 "(postgresql.ENUM(..., create_type=False)), or when the upgrade runs SQL\n"
	 "mlint cannot read.\n"
	 "\n"
	 "Bad:   op.add_column('users', sa.Column('mood',\n"
	 "           sa.Enum('calm', 'angry', name='mood'), nullable=True))\n",
	 "Create the type first:\n"
	 "    mood = postgresql.ENUM('calm', 'angry', name='mood')\n"
	 "    mood.create(op.get_bind(), checkfirst=True)\n"
	 "    op.add_column('users', sa.Column('mood', mood, nullable=True))\n"
	 "and drop it in downgrade() after the column (mood.drop(op.get_bind())).\n"
	 "If an earlier migration created it, say so:\n"
	 "    postgresql.ENUM('calm', 'angry', name='mood', create_type=False)"},
	{"enum-cast-without-using", MLINT_SEV_ERROR, "upgrade",
	 "alter_column to another Enum type without postgresql_using: fails on PostgreSQL",
	 "PostgreSQL has no automatic cast from a string type or from another\n"
	 "enum type to an enum type. alter_column(type_=sa.Enum(..., name='b'),\n"
	 "existing_type=...) without postgresql_using renders `ALTER COLUMN c\n"
	 "TYPE b` and fails with `column \"c\" cannot be cast automatically to\n"
	 "type b` (proven in tests/pg). Reported when existing_type says the\n"
	 "column's type is another one.\n"
	 "\n"
	 "Bad:   op.alter_column('orders', 'status',\n"
	 "           type_=sa.Enum('new', 'paid', name='order_status'),\n"
	 "           existing_type=sa.String(20))\n",
	 "Say how to convert, through text:\n"
	 "    op.alter_column('orders', 'status',\n"
	 "        type_=sa.Enum('new', 'paid', name='order_status'),\n"
	 "        existing_type=sa.String(20),\n"
	 "        postgresql_using='status::text::order_status')\n"
	 "This rewrites the table under an ACCESS EXCLUSIVE lock (alter-column-type)."},
	{"enum-type-created-twice", MLINT_SEV_ERROR, "upgrade",
	 "an enum type created, then created again by op.create_table: fails on PostgreSQL",
	 "op.create_table emits CREATE TYPE for each sa.Enum column, whatever\n"
	 "created the type before: after sa.Enum(..., name='mood').create(\n"
	 "op.get_bind()) (or CREATE TYPE mood in SQL) the create_table fails with\n"
	 "`type \"mood\" already exists` (proven in tests/pg). sa.Enum ignores\n"
	 "create_type=False; only postgresql.ENUM honours it. Two create_tables\n"
	 "of one migration sharing an Enum are fine (Alembic creates it once), and\n"
	 "so is .create(bind, checkfirst=True).\n"
	 "\n"
	 "Bad:   sa.Enum('calm', 'angry', name='mood').create(op.get_bind())\n"
	 "       op.create_table('users', ...,\n"
	 "           sa.Column('mood', sa.Enum('calm', 'angry', name='mood')))\n",
	 "Let create_table create it (drop the .create() line), or keep the\n"
	 "explicit create and say the column's type exists:\n"
	 "    sa.Column('mood', postgresql.ENUM('calm', 'angry', name='mood',\n"
	 "                                      create_type=False))"},
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

