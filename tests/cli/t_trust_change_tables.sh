#!/usr/bin/env bash
# A table the change itself creates holds no rows (issue 13, "objects created
# in the same migration are new", across the migrations one pull request
# adds): a later migration of the same change may add a NOT NULL column to
# it, index it, constrain it or rename it. Recall: the same on a table the
# base already has, on one an applied migration created, on one the change
# seeds with rows, and when the creating migration is not an ancestor.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

p=$TMP/proj; mkdir -p "$p"; git_init "$p"
al "$p" init migrations
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql://u@localhost/db|' "$p/alembic.ini"
# body FILE: replace the template's upgrade/downgrade with stdin
body() { sed -i '/^def upgrade/,$d' "$1"; cat >>"$1"; }
at() { grep -n "$2" "$1" | head -1 | cut -d: -f1; }

rev r "$p" -m "create users"; users=$AL_FILE
body "$users" <<'EOF2'
def upgrade():
    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))


def downgrade():
    op.drop_table('users')
EOF2
git_commit_all "$p" "base"

git -C "$p" checkout -q -b feature
rev r "$p" -m "create orders"; orders=$AL_FILE
body "$orders" <<'EOF2'
def upgrade():
    op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_table('plans', sa.Column('id', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.execute("INSERT INTO plans (id) VALUES (1), (2)")


def downgrade():
    op.drop_table('plans')
    op.drop_table('orders')
EOF2
rev r "$p" -m "order details"; details=$AL_FILE
body "$details" <<'EOF2'
def upgrade():
    op.add_column('orders', sa.Column('user_id', sa.Integer(), nullable=False))
    op.create_index('ix_orders_user_id', 'orders', ['user_id'])
    op.create_foreign_key('fk_orders_users', 'orders', 'users', ['user_id'], ['id'])
    op.add_column('users', sa.Column('plan', sa.Integer(), nullable=False))
    op.add_column('plans', sa.Column('name', sa.String(40), nullable=False))


def downgrade():
    op.drop_column('plans', 'name')
    op.drop_column('users', 'plan')
    op.drop_constraint('fk_orders_users', 'orders', type_='foreignkey')
    op.drop_index('ix_orders_user_id', table_name='orders')
    op.drop_column('orders', 'user_id')
EOF2
(cd "$p" && $ALEMBIC upgrade head --sql >"$TMP/.sql" 2>&1) || { cat "$TMP/.sql" >&2; setup_fail "alembic upgrade --sql"; }
git_commit_all "$p" "feature"
cd "$p"

run_mlint check --base main --no-excerpt
f=$(basename "$details")
assert_not_contains "change table: NOT NULL column on a table the change created" "$OUT" \
  "$f:$(at "$details" "'orders', sa.Column('user_id'"):5: error[not-null-without-default]"
assert_not_contains "change table: index on it" "$OUT" "$f:$(at "$details" 'create_index'):5: warning[create-index-not-concurrently]"
assert_not_contains "change table: foreign key on it" "$OUT" "$f:$(at "$details" 'create_foreign_key'):5: warning[constraint-not-valid]"
assert_contains "recall: a table the base has" "$OUT" \
  "$f:$(at "$details" "'users', sa.Column('plan'"):5: error[not-null-without-default]"
assert_contains "recall: a table the change seeds with rows" "$OUT" \
  "$f:$(at "$details" "'plans', sa.Column('name'"):5: error[not-null-without-default]"
assert_eq "change table: exit 1 for the real errors only" 1 "$RC"

# Once 'create orders' is applied (on the base), orders may hold rows.
git checkout -q main
git checkout -q feature -- "$orders"
git_commit_all "$p" "orders applied"
git checkout -q feature
git rebase -q main 2>/dev/null || setup_fail "rebase"
run_mlint check --base main --no-excerpt
assert_contains "recall: the creating migration is applied on the base" "$OUT" \
  "$f:$(at "$details" "'orders', sa.Column('user_id'"):5: error[not-null-without-default]"

# Rows written into a table mlint cannot name (op.bulk_insert of a table()
# variable) may be in any table the change created: nothing is assumed.
git checkout -q main
git checkout -q -b seeded
rev r "$p" -m "create carts"; carts=$AL_FILE
body "$carts" <<'EOF2'
def upgrade():
    op.create_table('carts', sa.Column('id', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    seed = sa.table('carts', sa.column('id', sa.Integer))
    op.bulk_insert(seed, [{'id': 1}])


def downgrade():
    op.drop_table('carts')
EOF2
rev r "$p" -m "cart owner"; owner=$AL_FILE
body "$owner" <<'EOF2'
def upgrade():
    op.add_column('carts', sa.Column('owner', sa.Integer(), nullable=False))


def downgrade():
    op.drop_column('carts', 'owner')
EOF2
git_commit_all "$p" "seeded"
run_mlint check --base main --no-excerpt
assert_contains "recall: a seed into an unnamed table keeps the finding" "$OUT" \
  "$(basename "$owner"):$(at "$owner" "'carts', sa.Column('owner'"):5: error[not-null-without-default]"
finish
