#!/usr/bin/env bash
# Trust at the pull request (issue 14), on migrations the real alembic CLI
# writes: missing-message reads the docstring's first line, header-mismatch
# accepts every way Alembic's templates wrote Revises:, and
# op.drop_constraint(None, ...) (autogenerate's placeholder) is an error.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

p=$TMP/proj; mkdir -p "$p"; git_init "$p"
al "$p" init migrations
V=$p/migrations/versions

# `alembic revision` without -m: <rev>_.py and "empty message".
al "$p" revision
bare=$(ls "$V"/*_.py); bare_rev=$(basename "$bare" _.py)
# The same, then the first docstring line edited to say what it does
# (3097d57f3f0b_.py "Add new Indexes..." in a real project).
al "$p" revision
described=$(ls "$V"/*_.py | grep -v "$bare_rev"); desc_rev=$(basename "$described" _.py)
sed -i '1s/.*/"""Add new Indexes to users/' "$described"
# -m "..." as usual.
al "$p" revision -m "add orders"
named=$(ls "$V"/*_add_orders.py)

cd "$p"
run_mlint check --no-excerpt
assert_contains "missing-message: <rev>_.py with \"empty message\" points to mlint rename" "$OUT" \
  "warning[missing-message]: migration '$bare_rev' has no message (\"empty message\" and file name '<rev>_.py'): write what it does in the first docstring line, then run 'mlint rename'"
assert_not_contains "missing-message: a descriptive first docstring line is the message" "$OUT" "'$desc_rev' has no message"
assert_eq "missing-message: only the one without a message" 1 "$(printf '%s\n' "$OUT" | grep -c 'missing-message')"
# A docstring that starts with the header has no message either.
sed -i '1,2d' "$named"; sed -i '1s/^/"""/' "$named"
head -3 "$named" | grep -q '^"""Revision ID:' || fail "setup: header-only docstring"
mv "$named" "$V/$(basename "$named" _add_orders.py)_.py"
run_mlint check --no-excerpt
assert_eq "missing-message: a header-only docstring in a <rev>_.py file has no message" 2 \
  "$(printf '%s\n' "$OUT" | grep -c 'missing-message')"

# ---- header-mismatch: Revises: None, (none), a merge's tuple ---------------
q=$TMP/hdr; mkdir -p "$q"; git_init "$q"
al "$q" init migrations
al "$q" revision -m "base"
al "$q" revision -m "left"
left=$(ls "$q"/migrations/versions/*_left.py)

base=$(ls "$q"/migrations/versions/*_base.py)
base_rev=$(basename "$base" _base.py)
left_rev=$(basename "$left" _left.py)
al "$q" revision -m "right" --head "$base_rev" --splice
right=$(ls "$q"/migrations/versions/*_right.py); right_rev=$(basename "$right" _right.py)
al "$q" merge -m "merge left and right" heads
merge=$(ls "$q"/migrations/versions/*_merge_left_and_right.py)
cd "$q"
run_mlint check --no-excerpt
assert_not_contains "header-mismatch: Alembic's own headers agree" "$OUT" "header-mismatch"
# Older templates: "Revises: None" for a base, "(none)", and a merge's tuple.
sed -i 's/^Revises: *$/Revises: None/' "$base"
run_mlint check --no-excerpt
assert_not_contains "header-mismatch: 'Revises: None' with down_revision = None" "$OUT" "header-mismatch"
sed -i 's/^Revises: None$/Revises: (none)/' "$base"
run_mlint check --no-excerpt
assert_not_contains "header-mismatch: 'Revises: (none)'" "$OUT" "header-mismatch"
sed -i "s/^Revises: .*/Revises: ('$left_rev', '$right_rev')/" "$merge"
grep -q "^Revises: ('" "$merge" || fail "setup: tuple header"
run_mlint check --no-excerpt
assert_not_contains "header-mismatch: a merge's tuple header" "$OUT" "header-mismatch"
# Recall: a header that names another parent is still reported.
sed -i "s/^Revises: .*/Revises: ('$left_rev', 'ffffffffffff')/" "$merge"
run_mlint check --no-excerpt
assert_contains "header-mismatch: a tuple naming another parent" "$OUT" "info[header-mismatch]: header says 'Revises: ('$left_rev', 'ffffffffffff')'"
sed -i 's/^Revises: (none)$/Revises: abc/' "$base"
run_mlint check --no-excerpt
assert_contains "header-mismatch: a base whose header names a parent" "$OUT" "header says 'Revises: abc'"

# ---- op.drop_constraint(None, ...): autogenerate's unnamed foreign key -------
r=$TMP/fk; mkdir -p "$r"; git_init "$r"
al "$r" init migrations
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' "$r/alembic.ini"
al "$r" revision -m "create users and orders"
first=$(ls "$r"/migrations/versions/*_create_users_and_orders.py)
sed -i '/^def upgrade/,$d' "$first"
cat >>"$first" <<'EOF2'
def upgrade():
    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=True),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
                    sa.PrimaryKeyConstraint('id'))


def downgrade():
    op.drop_table('orders')
    op.drop_table('users')
EOF2
al "$r" revision -m "orders no longer reference users"
second=$(ls "$r"/migrations/versions/*_orders_no_longer_reference_users.py)
# What autogenerate writes when a ForeignKey without a name leaves the model
# (render_as_batch), in place of the template's empty functions.
sed -i '/^def upgrade/,$d' "$second"
cat >>"$second" <<'EOF2'
def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(None, type_='foreignkey')

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_foreign_key(None, 'users', ['user_id'], ['id'])

    # ### end Alembic commands ###
EOF2
cd "$r"
# Alembic itself: the first upgrade runs, the second fails on the None.
(cd "$r" && $ALEMBIC upgrade +1 >/dev/null 2>&1) || fail "setup: alembic upgrade +1"
if (cd "$r" && $ALEMBIC upgrade head >"$TMP/.fk" 2>&1); then
  fail "alembic ran drop_constraint(None): the rule's premise is wrong"
else
  assert_contains "alembic fails on batch_op.drop_constraint(None, ...)" "$(cat "$TMP/.fk")" "Constraint must have a name"
fi
rm -f app.db
run_mlint check --no-excerpt
assert_eq "unnamed-constraint-drop: exit 1 (an error)" 1 "$RC"
assert_contains "unnamed-constraint-drop: in the upgrade, at the call" "$OUT" \
  "$(basename "$second"):$(grep -n 'drop_constraint(None' "$second" | cut -d: -f1):9: error[unnamed-constraint-drop]: batch_op.drop_constraint(None, type_='foreignkey') drops a constraint without a name"
# In a downgrade too, and with the keyword form.
sed -i "s/batch_op.create_foreign_key(None, 'users', \['user_id'\], \['id'\])/op.drop_constraint(constraint_name=None, table_name='orders', type_='unique')/" "$second"
run_mlint check --no-excerpt
assert_eq "unnamed-constraint-drop: upgrade and downgrade" 2 "$(printf '%s\n' "$OUT" | grep -c 'unnamed-constraint-drop')"
# A named constraint is fine.
sed -i "s/drop_constraint(None, type_/drop_constraint('fk_orders_user_id_users', type_/; s/constraint_name=None/constraint_name='uq_orders_x'/" "$second"
run_mlint check --no-excerpt
assert_not_contains "unnamed-constraint-drop: named constraints are fine" "$OUT" "unnamed-constraint-drop"
finish
