#!/usr/bin/env bash
# What a migration does as a whole (issue 14), on migrations written with
# the alembic CLI: copy-swap and SQLite rebuilds are not data loss, a drop of
# what the upgrade created is nothing, a data-only upgrade is a data
# migration (info), a maintenance-only upgrade needs no downgrade. Recall: a
# plain drop is still an error, a schema change without downgrade too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

p=$TMP/proj; mkdir -p "$p"; git_init "$p"
al "$p" init migrations
# body FILE: replace the template's upgrade/downgrade with stdin
body() { sed -i '/^def upgrade/,$d' "$1"; cat >>"$1"; }
count() { printf '%s\n' "$OUT" | grep "$(basename "$1"):" | grep -c "$2"; }

rev r "$p" -m "create users"; users=$AL_FILE
body "$users" <<'EOF2'
def upgrade():
    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('email', sa.String(120)), sa.Column('fullname', sa.String(80)),
                    sa.PrimaryKeyConstraint('id'))


def downgrade():
    op.drop_table('users')
EOF2

# Copy-swap of a column: add, copy, drop the old one.
rev r "$p" -m "widen email"; swap=$AL_FILE
body "$swap" <<'EOF2'
def upgrade():
    op.add_column('users', sa.Column('email_new', sa.String(255), nullable=True))
    op.execute("UPDATE users SET email_new = email")
    op.drop_column('users', 'email')


def downgrade():
    op.add_column('users', sa.Column('email', sa.String(120), nullable=True))
    op.execute("UPDATE users SET email = email_new")
    op.drop_column('users', 'email_new')
EOF2

# The SQLite rebuild (securedrop style): rename, create, copy, drop the old.
rev r "$p" -m "rebuild users"; rebuild=$AL_FILE
body "$rebuild" <<'EOF2'
def upgrade():
    op.rename_table('users', 'users_tmp')
    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('email_new', sa.String(255)), sa.Column('fullname', sa.String(80)),
                    sa.PrimaryKeyConstraint('id'))
    conn = op.get_bind()
    conn.execute(sa.text("INSERT INTO users (id, email_new, fullname) "
                         "SELECT id, email_new, fullname FROM users_tmp"))
    op.drop_table('users_tmp')


def downgrade():
    op.rename_table('users', 'users_tmp')
    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('email_new', sa.String(255)), sa.Column('fullname', sa.String(80)),
                    sa.PrimaryKeyConstraint('id'))
    op.execute("INSERT INTO users SELECT * FROM users_tmp")
    op.drop_table('users_tmp')
EOF2

# A scratch table created and dropped in the same upgrade.
rev r "$p" -m "dedupe users"; scratch=$AL_FILE
body "$scratch" <<'EOF2'
def upgrade():
    op.create_table('user_ids_seen', sa.Column('id', sa.Integer(), nullable=False))
    op.execute("INSERT INTO user_ids_seen (id) SELECT min(id) FROM users GROUP BY email_new")
    op.execute("DELETE FROM users WHERE id NOT IN (SELECT id FROM user_ids_seen)")
    op.drop_table('user_ids_seen')


def downgrade():
    pass
EOF2

# A data-only upgrade, and a maintenance-only one.
rev r "$p" -m "backfill fullname"; data=$AL_FILE
body "$data" <<'EOF2'
def upgrade():
    op.execute("UPDATE users SET fullname = '' WHERE fullname IS NULL")


def downgrade():
    pass
EOF2
rev r "$p" -m "reindex users"; maint=$AL_FILE
body "$maint" <<'EOF2'
def upgrade():
    op.execute("ANALYZE users")


def downgrade():
    pass
EOF2

# Settings only (securedrop's "enable security pragmas"): nothing to undo.
rev r "$p" -m "enable pragmas"; pragmas=$AL_FILE
body "$pragmas" <<'EOF2'
def upgrade():
    conn = op.get_bind()
    conn.execute(sa.text("PRAGMA secure_delete = ON"))
    conn.execute(sa.text("PRAGMA auto_vacuum = FULL"))


def downgrade():
    pass
EOF2
# SQL the parser rejects may change anything: still asked for a downgrade,
# without calling it a schema change.
rev r "$p" -m "vendor sql"; vendor=$AL_FILE
body "$vendor" <<'EOF2'
def upgrade():
    op.execute("CREATE VIRTUAL TABLE users_fts USING fts5(fullname)")


def downgrade():
    pass
EOF2

# Recall: a plain drop of a column the upgrade did not copy.
rev r "$p" -m "drop fullname"; plain=$AL_FILE
body "$plain" <<'EOF2'
def upgrade():
    op.drop_column('users', 'fullname')


def downgrade():
    op.add_column('users', sa.Column('fullname', sa.String(80), nullable=True))
EOF2
# Alembic itself runs them all on SQLite (the migrations are real).
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' "$p/alembic.ini"
(cd "$p" && $ALEMBIC upgrade head >"$TMP/.al" 2>&1) || { cat "$TMP/.al" >&2; fail "setup: alembic upgrade head"; }
rm -f "$p/app.db"
# PostgreSQL's spelling (SQLite has no REINDEX TABLE).
sed -i 's/^    op.execute("ANALYZE users")/    op.execute("REINDEX TABLE users")\n    op.execute("ANALYZE users")/' "$maint"
grep -q 'REINDEX TABLE' "$maint" || setup_fail "reindex"
git_commit_all "$p" "migrations"
cd "$p"
run_mlint check --no-excerpt

assert_eq "copy-swap: no drop-column error" 0 "$(count "$swap" 'error\[drop-column\]')"
assert_contains "copy-swap: info naming where the data went" "$OUT" \
  "$(basename "$swap"):$(grep -n "op.drop_column('users', 'email')" "$swap" | cut -d: -f1):5: info[drop-column]: column 'email' of 'users' is dropped after an UPDATE copied its values (line $(grep -n "UPDATE users SET email_new" "$swap" | cut -d: -f1))"
assert_eq "rebuild: no drop-table error" 0 "$(count "$rebuild" 'error\[drop-table\]')"
assert_contains "rebuild: info naming the new table" "$OUT" \
  "info[drop-table]: table 'users_tmp' is dropped after its rows were copied to 'users'"
assert_eq "scratch table: nothing about its drop" 0 "$(count "$scratch" 'drop-table')"
assert_eq "data-only: no missing-downgrade" 0 "$(count "$data" 'missing-downgrade')"
assert_contains "data-only: said to be a data migration, as info" "$OUT" \
  "$(basename "$data"):$(grep -n '^def downgrade' "$data" | cut -d: -f1):1: info[irreversible-data-migration]: upgrade() is a data migration (it changes rows, not the schema) and its downgrade does nothing"
assert_eq "maintenance-only: nothing about the downgrade" 0 "$(count "$maint" 'downgrade')"
assert_eq "settings-only (PRAGMA): nothing about the downgrade" 0 "$(count "$pragmas" 'downgrade')"
assert_contains "unparsed SQL: still asked for a downgrade, as code it runs" "$OUT" \
  "$(basename "$vendor"):$(grep -n '^def downgrade' "$vendor" | cut -d: -f1):1: error[missing-downgrade]: downgrade() does nothing while upgrade() runs code"
# Recall.
assert_contains "recall: a plain drop is an error" "$OUT" "$(basename "$plain"):$(grep -n "op.drop_column('users', 'fullname')" "$plain" | cut -d: -f1):5: error[drop-column]"
sed -i "s/op.execute(\"UPDATE users SET email_new = email\")/pass/" "$swap"
run_mlint check --no-excerpt
assert_contains "recall: without the copy, the copy-swap drop is an error" "$OUT" "$(basename "$swap"):$(grep -n "op.drop_column('users', 'email')" "$swap" | cut -d: -f1):5: error[drop-column]"
git checkout -q -- .
sed -i "s/op.execute(\"REINDEX TABLE users\")/op.add_column('users', sa.Column('x', sa.Integer()))/" "$maint"
run_mlint check --no-excerpt
assert_contains "recall: a schema change without downgrade" "$OUT" "$(basename "$maint"):$(grep -n '^def downgrade' "$maint" | cut -d: -f1):1: error[missing-downgrade]: downgrade() does nothing while upgrade() changes the schema"

# asymmetric-downgrade: an index goes away with its column; an index dropped
# and created again in the same upgrade is not created by it.
git checkout -q -- .
rev r "$p" -m "index email"; idx=$AL_FILE
body "$idx" <<'EOF2'
def upgrade():
    op.add_column('users', sa.Column('nickname', sa.String(40), nullable=True))
    op.create_index(op.f('ix_users_nickname'), 'users', ['nickname'], unique=False)
    op.drop_index('ix_users_fullname', table_name='users')
    op.create_index('ix_users_fullname', 'users', ['fullname', 'id'], unique=False)
    op.create_index('ix_users_id_email', 'users', ['id', 'email_new'], unique=False)


def downgrade():
    op.drop_column('users', 'nickname')
EOF2
run_mlint check --no-excerpt
assert_not_contains "asymmetric: the index goes with its column" "$OUT" "creates index 'ix_users_nickname'"
assert_not_contains "asymmetric: a recreated index is not created by the upgrade" "$OUT" "index 'ix_users_fullname'"
assert_contains "asymmetric: recall, an index the downgrade leaves" "$OUT" \
  "$(basename "$idx"):$(grep -n "ix_users_id_email" "$idx" | cut -d: -f1):5: warning[asymmetric-downgrade]: upgrade() creates index 'ix_users_id_email' on 'users' but downgrade() has no drop_index to undo it"

# Copies written the way real migrations write them (issue 14): a Python
# loop over the rows, SQLAlchemy table() expressions, and the copy-swap that
# renames the new column to the old name. A second project, so that Alembic
# runs each on SQLite.
q=$TMP/proj2; mkdir -p "$q"; git_init "$q"
al "$q" init migrations
rev r "$q" -m "create accounts"; accounts=$AL_FILE
body "$accounts" <<'EOF2'
def upgrade():
    op.create_table('accounts', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('email', sa.String(120)), sa.Column('nickname', sa.String(40)),
                    sa.Column('name', sa.String(80)), sa.Column('balance', sa.Integer()),
                    sa.Column('notes', sa.Text()), sa.Column('code', sa.String(8)),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_accounts_code', 'accounts', ['code'])


def downgrade():
    op.drop_index('ix_accounts_code', table_name='accounts')
    op.drop_table('accounts')
EOF2

# A loop over fetched rows writes the new column (redash style, with text()).
rev r "$q" -m "lowercase emails"; loop=$AL_FILE
body "$loop" <<'EOF2'
def upgrade():
    op.add_column('accounts', sa.Column('email_lower', sa.String(255), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, email FROM accounts")).fetchall()
    for r in rows:
        conn.execute(sa.text("UPDATE accounts SET email_lower = :v WHERE id = :id"),
                     {"v": (r[1] or "").lower(), "id": r[0]})
    op.drop_column('accounts', 'email')


def downgrade():
    op.add_column('accounts', sa.Column('email', sa.String(120), nullable=True))
    op.execute("UPDATE accounts SET email = email_lower")
    op.drop_column('accounts', 'email_lower')
EOF2

# A loop over op.get_bind().execute(t.select()) inserting into another
# table, with sa.table() definitions at module level.
rev r "$q" -m "move nicknames to profiles"; moved=$AL_FILE
sed -i '/^def upgrade/,$d' "$moved"
cat >>"$moved" <<'EOF2'
accounts = sa.table('accounts', sa.column('id', sa.Integer), sa.column('nickname', sa.String))
profiles = sa.table('profiles', sa.column('account_id', sa.Integer),
                    sa.column('nickname', sa.String))


def upgrade():
    op.create_table('profiles', sa.Column('account_id', sa.Integer(), nullable=False),
                    sa.Column('nickname', sa.String(40)))
    for row in op.get_bind().execute(accounts.select()):
        op.get_bind().execute(
            profiles.insert().values(account_id=row.id, nickname=row.nickname))
    op.drop_column('accounts', 'nickname')


def downgrade():
    op.add_column('accounts', sa.Column('nickname', sa.String(40), nullable=True))
    op.drop_table('profiles')
EOF2

# One UPDATE built with table(): op.execute(t.update().values(new=t.c.old)).
rev r "$q" -m "display name"; expr=$AL_FILE
sed -i '/^def upgrade/,$d' "$expr"
cat >>"$expr" <<'EOF2'
def upgrade():
    op.add_column('accounts', sa.Column('display_name', sa.String(80), nullable=True))
    t = sa.table('accounts', sa.column('name', sa.String), sa.column('display_name', sa.String))
    op.execute(t.update().values(display_name=t.c.name))
    op.drop_column('accounts', 'name')


def downgrade():
    op.add_column('accounts', sa.Column('name', sa.String(80), nullable=True))
    op.drop_column('accounts', 'display_name')
EOF2

# The whole copy-swap: add, copy, drop the old, rename the new to the old name.
rev r "$q" -m "balance to bigint"; swap2=$AL_FILE
body "$swap2" <<'EOF2'
def upgrade():
    op.add_column('accounts', sa.Column('balance_new', sa.BigInteger(), nullable=True))
    op.execute("UPDATE accounts SET balance_new = balance")
    op.drop_column('accounts', 'balance')
    op.alter_column('accounts', 'balance_new', new_column_name='balance')


def downgrade():
    op.add_column('accounts', sa.Column('balance_old', sa.Integer(), nullable=True))
    op.execute("UPDATE accounts SET balance_old = balance")
    op.drop_column('accounts', 'balance')
    op.alter_column('accounts', 'balance_old', new_column_name='balance')
EOF2

# Recall: a loop that reads other columns, not the dropped one.
rev r "$q" -m "drop notes"; notread=$AL_FILE
body "$notread" <<'EOF2'
def upgrade():
    conn = op.get_bind()
    for r in conn.execute(sa.text("SELECT id, balance FROM accounts")).fetchall():
        conn.execute(sa.text("UPDATE accounts SET balance = :b WHERE id = :id"),
                     {"b": r[1] or 0, "id": r[0]})
    op.drop_column('accounts', 'notes')


def downgrade():
    op.add_column('accounts', sa.Column('notes', sa.Text(), nullable=True))
EOF2

# The demo's noise: an index dropped in a batch, then its table.
rev r "$q" -m "add tags"; tags=$AL_FILE
body "$tags" <<'EOF2'
def upgrade():
    op.create_table('tags', sa.Column('id', sa.Integer(), primary_key=True),
                    sa.Column('name', sa.String(50)))
    op.create_table('flags', sa.Column('id', sa.Integer(), primary_key=True),
                    sa.Column('name', sa.String(50)))


def downgrade():
    op.drop_table('flags')
    op.drop_table('tags')
EOF2
rev r "$q" -m "tags become labels"; bulk=$AL_FILE
body "$bulk" <<'EOF2'
def upgrade():
    labels = op.create_table('labels', sa.Column('id', sa.Integer(), primary_key=True),
                             sa.Column('name', sa.String(50)))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM tags")).fetchall()
    op.bulk_insert(labels, [{'id': r.id, 'name': r.name} for r in rows])
    op.drop_table('tags')
    seeds = sa.table('seeds', sa.column('name', sa.String))
    op.create_table('seeds', sa.Column('name', sa.String(50)))
    op.bulk_insert(seeds, [{'name': 'a'}, {'name': 'b'}])
    op.drop_table('flags')


def downgrade():
    pass
EOF2
rev r "$q" -m "drop accounts"; gone=$AL_FILE
body "$gone" <<'EOF2'
def upgrade():
    op.drop_table('profiles')
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_index('ix_accounts_code')
    op.drop_table('accounts')


def downgrade():
    pass
EOF2
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' "$q/alembic.ini"
(cd "$q" && $ALEMBIC upgrade head >"$TMP/.al" 2>&1) || { cat "$TMP/.al" >&2; fail "setup: alembic upgrade head (proj2)"; }
rm -f "$q/app.db"
# PostgreSQL's lock rules judge the index drop.
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql://localhost/app|' "$q/alembic.ini"
git_commit_all "$q" "migrations"
cd "$q"
run_mlint check --no-excerpt
line_of() { grep -n "$2" "$1" | head -1 | cut -d: -f1; }

assert_eq "loop copy: no drop-column error" 0 "$(count "$loop" 'error\[drop-column\]')"
assert_contains "loop copy: info naming the loop's table and line" "$OUT" \
  "$(basename "$loop"):$(line_of "$loop" "op.drop_column('accounts', 'email')"):5: info[drop-column]: column 'email' of 'accounts' is dropped after a loop copied its values into 'accounts' (line $(line_of "$loop" 'conn.execute(sa.text("UPDATE'))"
assert_contains "loop insert into another table: info naming it" "$OUT" \
  "$(basename "$moved"):$(line_of "$moved" "op.drop_column('accounts', 'nickname')"):5: info[drop-column]: column 'nickname' of 'accounts' is dropped after a loop copied its values into 'profiles' (line $(line_of "$moved" 'op.get_bind().execute($'))"
assert_contains "table() update: info" "$OUT" \
  "$(basename "$expr"):$(line_of "$expr" "op.drop_column('accounts', 'name')"):5: info[drop-column]: column 'name' of 'accounts' is dropped after an UPDATE copied its values into 'accounts' (line $(line_of "$expr" 'op.execute(t.update'))"
# (update-under-lock stays: on PostgreSQL the ADD COLUMN's lock is held for
# the whole UPDATE, which is true of the swap too)
assert_eq "copy-swap with rename: no rename-column / asymmetric-downgrade" 0 \
  "$(count "$swap2" 'rename-column\|asymmetric-downgrade')"
assert_eq "copy-swap with rename: one drop-column finding" 1 "$(count "$swap2" 'drop-column')"
assert_contains "copy-swap with rename: the info" "$OUT" \
  "$(basename "$swap2"):$(line_of "$swap2" "op.drop_column('accounts', 'balance')"):5: info[drop-column]: column 'balance' of 'accounts' is dropped after an UPDATE copied its values (line"
assert_contains "recall: a loop that does not read the column" "$OUT" \
  "$(basename "$notread"):$(line_of "$notread" "op.drop_column('accounts', 'notes')"):5: error[drop-column]"
assert_contains "bulk_insert of rows read from the table: info naming where they went" "$OUT" \
  "$(basename "$bulk"):$(line_of "$bulk" "op.drop_table('tags')"):5: info[drop-table]: table 'tags' is dropped after its rows were copied to 'labels' (line $(line_of "$bulk" 'op.bulk_insert(labels'))"
assert_contains "recall: a bulk_insert of literal rows is no copy of the dropped table" "$OUT" \
  "$(basename "$bulk"):$(line_of "$bulk" "op.drop_table('flags')"):5: error[drop-table]"
assert_eq "table dropped after: nothing about its index" 0 "$(count "$gone" 'ix_accounts_code')"
assert_contains "table dropped after: the drop is still an error" "$OUT" \
  "$(basename "$gone"):$(line_of "$gone" "op.drop_table('accounts')"):5: error[drop-table]"
finish
