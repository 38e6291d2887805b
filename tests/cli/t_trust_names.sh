#!/usr/bin/env bash
# undefined-name (issue 14): a name a migration calls through that nothing
# in the file binds is a NameError at deploy; Alembic itself proves it.
# Only certain cases: every way Python binds a name keeps it quiet.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

p=$TMP/proj; mkdir -p "$p"; git_init "$p"
al "$p" init migrations
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' "$p/alembic.ini"
al "$p" revision -m "create users"
first=$(ls "$p"/migrations/versions/*_create_users.py)
sed -i '/^def upgrade/,$d' "$first"
cat >>"$first" <<'EOF2'
def upgrade():
    op.create_table('users', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('active', sa.Boolean(), nullable=True),
                    sa.PrimaryKeyConstraint('id'))


def downgrade():
    op.drop_table('users')
EOF2
al "$p" revision -m "backfill active"
second=$(ls "$p"/migrations/versions/*_backfill_active.py)
# The generated file imports `sqlalchemy as sa`; the pasted line says sqlalchemy.
sed -i '/^def upgrade/,$d' "$second"
cat >>"$second" <<'EOF2'
def upgrade():
    op.execute(sqlalchemy.text("UPDATE users SET active = 1"))


def downgrade():
    pass
EOF2
cd "$p"
if $ALEMBIC upgrade head >"$TMP/.al" 2>&1; then
  fail "alembic ran sqlalchemy.text without the import: the rule's premise is wrong"
else
  assert_contains "alembic: NameError at upgrade" "$(cat "$TMP/.al")" "NameError: name 'sqlalchemy' is not defined"
fi
rm -f app.db
line=$(grep -n 'sqlalchemy.text' "$second" | cut -d: -f1)
run_mlint check --no-excerpt
assert_eq "undefined-name: exit 1" 1 "$RC"
assert_contains "undefined-name: sqlalchemy.text without import sqlalchemy" "$OUT" \
  "$(basename "$second"):$line:16: error[undefined-name]: 'sqlalchemy' is not defined in this file (no import or assignment binds it): upgrade() fails with NameError when it runs; add \`import sqlalchemy\` at the top"

# sa.X without `import sqlalchemy as sa`, postgresql.UUID without the import.
sed -i 's/^import sqlalchemy as sa$//' "$first"
sed -i 's/sqlalchemy.text(/sa.text(/; s/^    op.execute(/    op.add_column("users", sa.Column("uid", postgresql.UUID(), nullable=True))\n    op.execute(/' "$second"
run_mlint check --no-excerpt
assert_contains "undefined-name: sa without the import" "$OUT" \
  "$(basename "$first"):$(grep -n "op.create_table" "$first" | cut -d: -f1):30: error[undefined-name]: 'sa' is not defined"
assert_contains "undefined-name: the fix names the import" "$OUT" "add \`import sqlalchemy as sa\` at the top"
assert_contains "undefined-name: postgresql.UUID" "$OUT" "'postgresql' is not defined in this file"
assert_contains "undefined-name: the dialect's import" "$OUT" "\`from sqlalchemy.dialects import postgresql\`"
assert_not_contains "undefined-name: sa is imported in the second file" "$OUT" "$(basename "$second"):$((line + 1)):16: error[undefined-name]: 'sa'"
# A downgrade's NameError waits for the rollback: reported too.
git checkout -q -- . 2>/dev/null; git_commit_all "$p" "wip" >/dev/null 2>&1
cat >"$second.tmp" <<'EOF2'
def downgrade():
    op.execute(text("UPDATE users SET active = NULL"))
EOF2
sed -i '/^def downgrade():$/,$d' "$second"; cat "$second.tmp" >>"$second"; rm "$second.tmp"
run_mlint check --no-excerpt
assert_contains "undefined-name: bare text() in a downgrade" "$OUT" "'text' is not defined in this file (no import or assignment binds it): downgrade() fails"

# ---- every way Python binds a name: nothing ---------------------------------
al "$p" revision -m "binds every way"
third=$(ls "$p"/migrations/versions/*_binds_every_way.py)
sed -i '/^def upgrade/,$d' "$third"
cat >>"$third" <<'EOF2'
from sqlalchemy.sql import table, column
import sqlalchemy.dialects.postgresql
from sqlalchemy import (
    String,
    text as sql_text,
)

helper = None


def make(cols):
    return cols


class Names:
    pass


def upgrade():
    global helper
    helper = make
    users = table('users', column('id'), column('name', String))
    conn = op.get_bind()
    for row in conn.execute(sql_text("SELECT id FROM users")):
        row._asdict()
    with op.batch_alter_table('users') as b:
        b.add_column(sa.Column('x', sa.Integer()))
    try:
        pass
    except Exception as exc:
        exc.with_traceback(None)
    from datetime import datetime
    datetime.now()
    helper(users)
    Names()
    sqlalchemy.dialects.postgresql.UUID()
    f = lambda q: q.strip()
    f(" a ")
    print(len(str(int(1))))
    [r.strip() for r in ["a"]]
    (w := "x").upper()


def downgrade(engine_name=None):
    engine_name.upper() if engine_name else None
EOF2
run_mlint check --no-excerpt
assert_eq "bindings: import, from-import, as, def, class, global, for, with, except, lambda, comprehension, walrus, parameter" 0 \
  "$(printf '%s\n' "$OUT" | grep "$(basename "$third"):" | grep -c 'undefined-name')"
assert_contains "bindings: the file was checked" "$OUT" "$(basename "$third"):"
# A star import makes it uncertain: nothing.
sed -i 's/^    op.execute(text(/    op.execute(text(/' "$second"
printf 'from sqlalchemy import *\n' >>"$second"
run_mlint check --no-excerpt
assert_not_contains "a star import: uncertain, nothing said" "$OUT" "'text' is not defined"
# Text in a comment or a string never binds nor uses: still certain.
sed -i '$d' "$second"
printf '# text is imported by env.py\n' >>"$second"
run_mlint check --no-excerpt
assert_not_contains "a comment that could be a binding: conservative, nothing" "$OUT" "'text' is not defined"
# A method of the value before it, on its own line in a chain (Netflix's
# dispatch: `session.query(X)\n    .first()`), with the word in a comment.
al "$p" revision -m "chained"
chained=$(ls "$p"/migrations/versions/*_chained.py)
sed -i '/^def upgrade/,$d' "$chained"
cat >>"$chained" <<'EOF2'
def upgrade():
    # rows are shown first. then fetchall.
    conn = op.get_bind()
    row = (
        conn.execute(sa.text("SELECT 1"))
        .first()
    )
    rows = conn.execute(sa.text("SELECT 1")) \
        . fetchall()


def downgrade():
    pass
EOF2
run_mlint check --no-excerpt
assert_not_contains "a chained method on its own line is not a name" "$OUT" "'first' is not defined"
assert_not_contains "nor after a backslash and a blank" "$OUT" "'fetchall' is not defined"
finish
