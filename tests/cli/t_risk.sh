#!/usr/bin/env bash
# The PostgreSQL risk rules on a project made with the real Alembic CLI:
# `alembic init`, `alembic revision -m`, bodies written the way autogenerate
# (and people, for op.execute) write them. Each risky migration is reported
# at its line with the right rule; the same operation on a table created in
# the same upgrade, the safe recipes and a SQLite project are not.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

P=$TMP/proj
init_project "$P"
ini_set "$P/alembic.ini" sqlalchemy.url "postgresql+psycopg2://app@db.example.com/app"

# migration VAR MESSAGE: a new revision whose upgrade and downgrade bodies are
# read from stdin, separated by a line `--`. Sets VAR to the file's path.
prev=""
migration() {
  local var=$1 msg=$2 id
  cat > "$TMP/.body"
  rev id "$P" -m "$msg"
  $PY - "$AL_FILE" "$TMP/.body" <<'EOF' || setup_fail "bodies for $AL_FILE"
import sys
path = sys.argv[1]
up, _, down = open(sys.argv[2]).read().partition("--\n")
text = open(path).read()
text = text.replace("def upgrade() -> None:\n    pass\n", "def upgrade() -> None:\n" + up, 1)
text = text.replace("def downgrade() -> None:\n    pass\n", "def downgrade() -> None:\n" + (down or "    pass\n"), 1)
open(path, "w").write(text)
EOF
  printf -v "$var" '%s' "$AL_FILE"
}

# at FILE TEXT: "versions/NAME.py:LINE:" of the first line holding TEXT.
at() {
  local n
  n=$(grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1)
  [ -n "$n" ] || setup_fail "'$2' not in $1"
  printf 'versions/%s:%s:' "$(basename "$1")" "$n"
}
# reported WHAT FILE TEXT RULE: a finding of RULE on the line holding TEXT.
reported() {
  local where; where=$(at "$2" "$3")
  case "$OUT" in *"$where"*"[$4]"*) ;; *) fail "$1: no $4 at $where"; printf '%s\n' "$OUT" >&2; return ;; esac
  printf '%s\n' "$OUT" | grep -F -- "$where" | grep -qF "[$4]" && pass "$1" ||
    { fail "$1: no $4 at $where"; printf '%s\n' "$OUT" >&2; }
}
# not_reported WHAT FILE RULE: no finding of RULE anywhere in FILE.
not_reported() {
  local f; f="versions/$(basename "$2"):"
  if printf '%s\n' "$OUT" | grep -F -- "$f" | grep -qF "[$3]"; then
    fail "$1: $3 reported in $f"; printf '%s\n' "$OUT" | grep -F -- "$f" >&2
  else pass "$1"; fi
}

migration base "create tables" <<'PY'
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=50), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.VARCHAR(length=50), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    # the same risky operations on tables created just above: empty, fine
    op.add_column('orders', sa.Column('code', sa.String(length=10), nullable=False))
    op.add_column('orders', sa.Column('uid', sa.Uuid(), server_default=sa.text('gen_random_uuid()')))
    op.create_index(op.f('ix_orders_user_id'), 'orders', ['user_id'], unique=False)
    op.create_foreign_key('fk_orders_user', 'orders', 'users', ['user_id'], ['id'])
    op.create_unique_constraint('uq_users_email', 'users', ['email'])
    op.alter_column('orders', 'user_id', existing_type=sa.Integer(), nullable=False)
    op.execute("ALTER TABLE orders ALTER COLUMN note SET NOT NULL")
    op.execute("CREATE INDEX ix_orders_note ON orders (note)")
--
    op.drop_table('orders')
    op.drop_table('users')
PY

migration m_volatile "volatile defaults" <<'PY'
    op.add_column('orders', sa.Column('uid2', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=True))
    op.add_column('orders', sa.Column('seen', sa.DateTime(), server_default=sa.text('clock_timestamp()'), nullable=True))
    op.add_column('orders', sa.Column('r', sa.Float(), server_default=sa.text('random()'), nullable=True))
    op.add_column('orders', sa.Column('created', sa.DateTime(), server_default=sa.text('now()'), nullable=False))
    op.add_column('orders', sa.Column('big', sa.BigInteger(), sa.Identity(), nullable=False))
    op.execute("ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()")
    op.execute("ALTER TABLE orders ADD COLUMN seq SERIAL PRIMARY KEY")
--
    op.drop_column('orders', 'seq')
    op.drop_column('orders', 'token')
    op.drop_column('orders', 'big')
    op.drop_column('orders', 'created')
    op.drop_column('orders', 'r')
    op.drop_column('orders', 'seen')
    op.drop_column('orders', 'uid2')
PY

migration m_index "indexes" <<'PY'
    op.create_index('ix_orders_created', 'orders', ['created'], unique=False, postgresql_concurrently=True)
    op.drop_index('ix_orders_note', table_name='orders')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_old')
    op.execute("CREATE INDEX ix_orders_uid2 ON orders (uid2)")
    op.execute("DROP INDEX ix_orders_r")
    op.create_index(op.f('ix_orders_seen'), 'orders', ['seen'], unique=False)
--
    op.drop_index(op.f('ix_orders_seen'), table_name='orders')
    op.execute("DROP INDEX ix_orders_uid2")
    op.create_index('ix_orders_r', 'orders', ['r'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_old', ['email'])
    op.create_index('ix_orders_note', 'orders', ['note'])
    op.drop_index('ix_orders_created', table_name='orders', postgresql_concurrently=True)
PY

migration m_notnull "not null" <<'PY'
    op.alter_column('orders', 'created', existing_type=sa.DateTime(), nullable=False)
    with op.batch_alter_table('users', schema=None) as b:
        b.alter_column('email', existing_type=sa.VARCHAR(length=50), nullable=False)
    op.execute("ALTER TABLE orders ALTER COLUMN r SET NOT NULL")
    op.add_column('users', sa.Column('name', sa.String(), nullable=False))
--
    op.drop_column('users', 'name')
    op.execute("ALTER TABLE orders ALTER COLUMN r DROP NOT NULL")
    with op.batch_alter_table('users', schema=None) as b:
        b.alter_column('email', existing_type=sa.VARCHAR(length=50), nullable=True)
    op.alter_column('orders', 'created', existing_type=sa.DateTime(), nullable=True)
PY

migration m_constraints "constraints" <<'PY'
    op.create_foreign_key('fk_orders_user2', 'orders', 'users', ['user_id'], ['id'])
    op.create_check_constraint('ck_orders_r', 'orders', 'r >= 0')
    op.create_unique_constraint('uq_orders_uid2', 'orders', ['uid2'])
    op.create_primary_key('pk_orders2', 'orders', ['id'])
    op.execute("ALTER TABLE orders ADD CONSTRAINT fk_x FOREIGN KEY (user_id) REFERENCES users (id)")
    op.execute("ALTER TABLE orders ADD CONSTRAINT uq_x UNIQUE (seen)")
    op.execute("ALTER TABLE orders ADD CONSTRAINT ck_x CHECK (r < 10)")
--
    op.execute("ALTER TABLE orders DROP CONSTRAINT ck_x")
    op.execute("ALTER TABLE orders DROP CONSTRAINT uq_x")
    op.execute("ALTER TABLE orders DROP CONSTRAINT fk_x")
    op.drop_constraint('pk_orders2', 'orders', type_='primary')
    op.drop_constraint('uq_orders_uid2', 'orders', type_='unique')
    op.drop_constraint('ck_orders_r', 'orders', type_='check')
    op.drop_constraint('fk_orders_user2', 'orders', type_='foreignkey')
PY

migration m_sql "raw sql" <<'PY'
    op.execute("ALTER TABLE orders ALTER COLUMN note TYPE text USING note::text")
    op.execute("ALTER TABLE orders RENAME COLUMN note TO remark")
    op.execute("REINDEX INDEX ix_orders_seen")
    op.execute("ALTER TABLE events DETACH PARTITION events_2020")
    op.execute("VACUUM FULL orders")
    op.execute("CLUSTER orders USING ix_orders_seen")
    op.execute(sa.text("""
        ALTER TYPE status ADD VALUE 'archived';
    """))
    op.execute("COMMIT")
    op.execute("CREATE INDEX CONCURRENTLY ix_orders_remark ON orders (remark)")
--
    op.execute("ALTER TABLE orders RENAME COLUMN remark TO note")
PY

migration m_backfill "backfill" <<'PY'
    op.add_column('orders', sa.Column('total', sa.Numeric(), nullable=True))
    op.execute("UPDATE orders SET total = 0")
    for start in range(0, 1000000, 10000):
        op.execute(sa.text("UPDATE users SET name = 'x' WHERE id >= :s").bindparams(s=start))
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT id FROM users")).fetchall():
        conn.execute(users.update().where(users.c.id == row.id).values(name='y'))
--
    op.drop_column('orders', 'total')
PY

migration m_safe "safe recipes and false alarms" <<'PY'
    with op.get_context().autocommit_block():
        op.create_index('ix_orders_total', 'orders', ['total'], unique=False, postgresql_concurrently=True)
        op.drop_index('ix_orders_uid2', table_name='orders', postgresql_concurrently=True)
        op.execute("REINDEX INDEX CONCURRENTLY ix_orders_seen")
        op.execute("ALTER TABLE events DETACH PARTITION events_2021 CONCURRENTLY")
        op.execute("ALTER TYPE status ADD VALUE IF NOT EXISTS 'gone'")
    op.create_foreign_key('fk_orders_user3', 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)
    op.create_check_constraint('ck_orders_total_nn', 'orders', 'total IS NOT NULL', postgresql_not_valid=True)
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_total_nn")
    op.alter_column('orders', 'total', existing_type=sa.Numeric(), nullable=False)
    op.alter_column('users', 'email', existing_type=sa.VARCHAR(length=50), nullable=False, existing_nullable=False, comment='already NOT NULL')
    op.add_column('orders', sa.Column('flag', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.alter_column('orders', 'remark', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=100), existing_nullable=True)
    op.alter_column('users', 'email', existing_type=sa.VARCHAR(length=50), type_=sa.Text(), existing_nullable=False)
    with op.get_context().autocommit_block():
        op.create_index('ix_orders_flag_uq', 'orders', ['flag'], unique=True, postgresql_concurrently=True)
    # the index becomes the constraint: dropping the constraint undoes both
    op.execute("ALTER TABLE orders ADD CONSTRAINT uq_orders_flag UNIQUE USING INDEX ix_orders_flag_uq")
--
    op.drop_constraint('uq_orders_flag', 'orders', type_='unique')
    op.alter_column('users', 'email', existing_type=sa.Text(), type_=sa.VARCHAR(length=50), existing_nullable=False)
    op.alter_column('orders', 'remark', existing_type=sa.String(length=100), type_=sa.VARCHAR(length=50), existing_nullable=True)
    op.drop_column('orders', 'flag')
    op.alter_column('orders', 'total', existing_type=sa.Numeric(), nullable=True)
    op.drop_constraint('ck_orders_total_nn', 'orders', type_='check')
    op.drop_constraint('fk_orders_user3', 'orders', type_='foreignkey')
    with op.get_context().autocommit_block():
        op.create_index('ix_orders_uid2', 'orders', ['uid2'], postgresql_concurrently=True)
        op.drop_index('ix_orders_total', table_name='orders', postgresql_concurrently=True)
PY

# VALIDATE CONSTRAINT in the transaction of its NOT VALID ADD: the ADD's lock
# is held through the scan (proven in tests/pg, set-not-null--fix-in-one-transaction)
migration m_validate "validate in one transaction" <<'PY'
    op.create_check_constraint('ck_orders_r_nn', 'orders', 'r IS NOT NULL', postgresql_not_valid=True)
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_r_nn")
    op.create_foreign_key('fk_orders_user4', 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)
    op.execute(sa.text("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user4"))
    op.execute("ALTER TABLE orders ADD CONSTRAINT ck_sql CHECK (r < 100) NOT VALID")
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_sql")
    op.alter_column('orders', 'r', existing_type=sa.Float(), nullable=False)
    # added NOT VALID here, validated after a commit (autocommit_block) or
    # in the next migration: fine
    op.create_check_constraint('ck_orders_seen_nn', 'orders', 'seen IS NOT NULL', postgresql_not_valid=True)
    op.create_foreign_key('fk_orders_user5', 'orders', 'users', ['user_id'], ['id'], postgresql_not_valid=True)
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_seen_nn")
--
    op.drop_constraint('fk_orders_user5', 'orders', type_='foreignkey')
    op.drop_constraint('ck_orders_seen_nn', 'orders', type_='check')
    op.alter_column('orders', 'r', existing_type=sa.Float(), nullable=True)
    op.execute("ALTER TABLE orders DROP CONSTRAINT ck_sql")
    op.drop_constraint('fk_orders_user4', 'orders', type_='foreignkey')
    op.drop_constraint('ck_orders_r_nn', 'orders', type_='check')
PY
migration m_validate_later "validate in a later migration" <<'PY'
    # mlint: ignore-file[missing-downgrade] -- a validation has nothing to undo
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user5")
--
    pass
PY
migration m_validate_edges "validate: commit between, new table" <<'PY'
    # a COMMIT between ADD and VALIDATE ends the ADD's transaction (itself
    # reported as commit-in-migration)
    op.create_check_constraint('ck_orders_big_nn', 'orders', 'big IS NOT NULL', postgresql_not_valid=True)
    op.execute("COMMIT")
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT ck_orders_big_nn")
    # a table created in this upgrade holds no rows: nobody waits on it
    op.create_table('notes', sa.Column('id', sa.Integer(), nullable=True))
    op.create_check_constraint('ck_notes_id', 'notes', 'id > 0', postgresql_not_valid=True)
    op.execute("ALTER TABLE notes VALIDATE CONSTRAINT ck_notes_id")
--
    op.drop_table('notes')
    op.drop_constraint('ck_orders_big_nn', 'orders', type_='check')
PY

# the project is Alembic's own: its CLI sees one head
al "$P" heads
assert_contains "alembic: one head" "$AL_OUT" "(head)"

cd "$P"
run_mlint check --no-git
V=$m_volatile
reported "volatile gen_random_uuid()" "$V" "'uid2'" add-column-rewrite
reported "volatile clock_timestamp()" "$V" "'seen'" add-column-rewrite
reported "volatile random()" "$V" "'r'" add-column-rewrite
not_reported "now() is not volatile" "$V" not-null-without-default
reported "sa.Identity(): a rewrite" "$V" "sa.Identity()" add-column-rewrite
reported "SQL: ADD COLUMN DEFAULT volatile" "$V" "ADD COLUMN token" add-column-rewrite
reported "SQL: ADD COLUMN SERIAL PRIMARY KEY rewrites" "$V" "SERIAL PRIMARY KEY" add-column-rewrite
reported "SQL: ADD COLUMN SERIAL PRIMARY KEY builds a pk" "$V" "SERIAL PRIMARY KEY" add-primary-key
assert_contains "message says on PostgreSQL" "$OUT" "on PostgreSQL this rewrites the whole table"
assert_not_contains "now(): no rewrite" "$OUT" "'created' is added to 'orders' with"

I=$m_index
reported "concurrently outside autocommit_block" "$I" "ix_orders_created" concurrently-in-transaction
reported "op.drop_index" "$I" "op.drop_index('ix_orders_note'" drop-index-not-concurrently
reported "batch_op.drop_index" "$I" "batch_op.drop_index('ix_users_old')" drop-index-not-concurrently
reported "SQL: CREATE INDEX" "$I" "CREATE INDEX ix_orders_uid2" create-index-not-concurrently
reported "SQL: DROP INDEX" "$I" "DROP INDEX ix_orders_r" drop-index-not-concurrently
reported "op.create_index (autogenerate)" "$I" "ix_orders_seen" create-index-not-concurrently

N=$m_notnull
reported "alter_column(nullable=False)" "$N" "op.alter_column('orders', 'created'" set-not-null
reported "batch alter_column(nullable=False)" "$N" "b.alter_column('email'" set-not-null
reported "SQL: SET NOT NULL" "$N" "SET NOT NULL" set-not-null
reported "NOT NULL without default: error" "$N" "sa.Column('name'" not-null-without-default
assert_contains "not-null-without-default is an error" "$OUT" "error[not-null-without-default]"

C=$m_constraints
reported "create_foreign_key" "$C" "fk_orders_user2" constraint-not-valid
reported "create_check_constraint" "$C" "ck_orders_r" constraint-not-valid
reported "create_unique_constraint" "$C" "uq_orders_uid2" add-unique-constraint
reported "create_primary_key" "$C" "pk_orders2" add-primary-key
reported "SQL: FOREIGN KEY" "$C" "CONSTRAINT fk_x" constraint-not-valid
reported "SQL: UNIQUE" "$C" "CONSTRAINT uq_x" add-unique-constraint
reported "SQL: CHECK" "$C" "CONSTRAINT ck_x" constraint-not-valid
not_reported "SQL downgrade undoes the constraints" "$C" asymmetric-downgrade

S=$m_sql
reported "SQL: ALTER COLUMN TYPE" "$S" "TYPE text" alter-column-type
reported "SQL: RENAME COLUMN" "$S" "RENAME COLUMN note" rename-column
reported "SQL: REINDEX" "$S" "REINDEX INDEX" reindex-not-concurrently
reported "SQL: DETACH PARTITION" "$S" "DETACH PARTITION" detach-partition-not-concurrently
reported "SQL: VACUUM FULL" "$S" "VACUUM FULL" vacuum-full-or-cluster
reported "SQL: VACUUM in a transaction" "$S" "VACUUM FULL" concurrently-in-transaction
reported "SQL: CLUSTER" "$S" "CLUSTER orders" vacuum-full-or-cluster
reported "SQL: ALTER TYPE ADD VALUE (line in a triple-quoted string)" "$S" "ADD VALUE 'archived'" enum-add-value
reported "SQL: COMMIT" "$S" '"COMMIT"' commit-in-migration
reported "SQL: CREATE INDEX CONCURRENTLY" "$S" "CONCURRENTLY ix_orders_remark" concurrently-in-transaction

V2=$m_validate
reported "VALIDATE after create_check_constraint(NOT VALID), one transaction" "$V2" "VALIDATE CONSTRAINT ck_orders_r_nn" constraint-not-valid
reported "VALIDATE after create_foreign_key(NOT VALID), one transaction" "$V2" "VALIDATE CONSTRAINT fk_orders_user4" constraint-not-valid
reported "SQL: VALIDATE after ADD CONSTRAINT ... NOT VALID, one transaction" "$V2" "VALIDATE CONSTRAINT ck_sql" constraint-not-valid
assert_contains "validate in one transaction: message" "$OUT" \
  "constraint 'ck_orders_r_nn' is validated in the same transaction as line $(at "$V2" "'ck_orders_r_nn'" | cut -d: -f2), which added it NOT VALID: on PostgreSQL the ACCESS EXCLUSIVE lock that ADD took on 'orders' is held through the validation scan"
assert_contains "validate in one transaction: a foreign key's lock" "$OUT" \
  "the SHARE ROW EXCLUSIVE lock that ADD took on 'orders' is held through the validation scan (writes wait)"
assert_eq "validate in one transaction: three findings" 3 \
  "$(printf '%s\n' "$OUT" | grep -F "versions/$(basename "$V2"):" | grep -cF '[constraint-not-valid]')"
not_reported "VALIDATE in a later migration" "$m_validate_later" constraint-not-valid
not_reported "VALIDATE after a COMMIT, or on a table this upgrade created" "$m_validate_edges" constraint-not-valid
reported "the COMMIT itself" "$m_validate_edges" '"COMMIT"' commit-in-migration
not_reported "SET NOT NULL after the VALIDATE: the CHECK proves it, only the VALIDATE is reported" "$V2" set-not-null

B=$m_backfill
reported "UPDATE without WHERE after ADD COLUMN" "$B" "UPDATE orders SET total" update-under-lock
reported "backfill loop after ADD COLUMN" "$B" "UPDATE users SET name" update-under-lock
reported "loop of execute(<expression>)" "$B" "conn.execute(users.update()" update-under-lock
assert_eq "the SQL loop is reported once" 1 "$(printf '%s\n' "$OUT" | grep -c "$(at "$B" "UPDATE users SET name").*update-under-lock")"

F=$m_safe
for r in concurrently-in-transaction drop-index-not-concurrently create-index-not-concurrently \
         reindex-not-concurrently detach-partition-not-concurrently enum-add-value \
         constraint-not-valid set-not-null not-null-without-default alter-column-type \
         add-unique-constraint asymmetric-downgrade update-under-lock; do
  not_reported "safe recipe: no $r" "$F" "$r"
done
for r in add-column-rewrite not-null-without-default create-index-not-concurrently \
         constraint-not-valid add-unique-constraint set-not-null; do
  not_reported "new tables: no $r" "$base" "$r"
done
assert_eq "errors fail the default gate" 1 "$RC"

# warnings fail the gate with fail-on = warning
run_mlint check --no-git --ignore not-null-without-default,concurrently-in-transaction
assert_eq "lock warnings pass the default gate" 0 "$RC"
run_mlint check --no-git --ignore not-null-without-default,concurrently-in-transaction --fail-on warning
assert_eq "fail-on warning: lock warnings fail" 1 "$RC"

# missing-lock-timeout: off by default, on with enable; SET lock_timeout satisfies it
not_reported "missing-lock-timeout off by default" "$N" missing-lock-timeout
printf '[mlint]\nenable = missing-lock-timeout\n' > .mlint.ini
run_mlint check --no-git
reported "missing-lock-timeout enabled" "$N" "op.alter_column('orders', 'created'" missing-lock-timeout
migration m_timeout "with a lock timeout" <<'PY'
    op.execute("SET lock_timeout = '5s'")
    op.add_column('orders', sa.Column('late', sa.Text(), nullable=True))
--
    op.drop_column('orders', 'late')
PY
run_mlint check --no-git
not_reported "SET lock_timeout in the migration" "$m_timeout" missing-lock-timeout
# env.py as the checked snapshot has it: --staged reads the index's
git_init "$P"
git_commit_all "$P" "project"
echo "# lock_timeout set in on_connect" >> alembic/env.py
run_mlint check --staged
reported "--staged: env.py's unstaged lock_timeout does not count" "$N" \
  "op.alter_column('orders', 'created'" missing-lock-timeout
git add alembic/env.py
run_mlint check --staged
not_reported "--staged: staged lock_timeout in env.py" "$N" missing-lock-timeout
run_mlint check --no-git
not_reported "lock_timeout in env.py" "$N" missing-lock-timeout
rm -rf .git
rm .mlint.ini

# dialect: detected from sqlalchemy.url and shown with where it came from
run_mlint check --no-git --show-config
assert_contains "show-config: detected dialect" "$OUT" "dialect          = postgresql"
assert_contains "show-config: where" "$OUT" "from sqlalchemy.url in 'alembic.ini'"

# SQLite: the PostgreSQL lock rules are silent; data loss is still reported
ini_set "$P/alembic.ini" sqlalchemy.url "sqlite:///app.db"
run_mlint check --no-git --show-config
assert_contains "show-config: sqlite" "$OUT" "dialect          = sqlite"
run_mlint check --no-git
for r in add-column-rewrite set-not-null create-index-not-concurrently drop-index-not-concurrently \
         constraint-not-valid concurrently-in-transaction vacuum-full-or-cluster enum-add-value; do
  assert_not_contains "sqlite: no $r" "$OUT" "[$r]"
done
assert_contains "sqlite: data-loss rules stay" "$OUT" "[not-null-without-default]"
assert_contains "sqlite: commit-in-migration stays" "$OUT" "[commit-in-migration]"

# [mlint] dialect wins over the URL; mysql and generic are silent too
printf '\n[mlint]\ndialect = postgresql\n' >> alembic.ini
run_mlint check --no-git --show-config
assert_contains "show-config: set in [mlint]" "$OUT" "dialect          = postgresql"
assert_contains "show-config: [mlint] line" "$OUT" "'alembic.ini':"
run_mlint check --no-git
assert_contains "dialect = postgresql beats sqlite URL" "$OUT" "[add-column-rewrite]"
sed -i 's/^dialect = postgresql/dialect = mysql/' alembic.ini
run_mlint check --no-git
assert_not_contains "mysql: silent" "$OUT" "[set-not-null]"
assert_not_contains "mysql: a NOT NULL column gets the implicit default, no failure" "$OUT" \
  "[not-null-without-default]"
sed -i 's/^dialect = mysql/dialect = oracle/' alembic.ini
run_mlint check --no-git
assert_eq "unknown dialect: usage error" 2 "$RC"
assert_contains "unknown dialect: message" "$ERR" "unknown dialect 'oracle'"

# Nothing says the dialect (Alembic's placeholder URL): assumed PostgreSQL
sed -i '/^dialect = oracle/d' alembic.ini
ini_set "$P/alembic.ini" sqlalchemy.url "driver://user:pass@localhost/dbname"
run_mlint check --no-git --show-config
assert_contains "show-config: assumed" "$OUT" "assumed"
run_mlint check --no-git
assert_contains "assumed: PostgreSQL rules run" "$OUT" "on PostgreSQL"

finish
