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
finish
