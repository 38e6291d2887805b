#!/usr/bin/env bash
# Enum values changed through SQLAlchemy types, on a project made with the
# real Alembic CLI: alter_column to an sa.Enum / postgresql.ENUM with new,
# removed or other values, add_column with a type nothing creates, a change
# of enum type without postgresql_using. Each is reported at its line with
# its rule and severity; the safe forms (the type created first, ADD VALUE
# in an autocommit_block, the same values reordered, no existing_type, other
# types) are not; SQLite and MySQL projects hear none of it.
# What PostgreSQL does with each form is proven in tests/pg/cases/enum-*.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

P=$TMP/proj
init_project "$P"
ini_set "$P/alembic.ini" sqlalchemy.url "postgresql+psycopg2://app@db.example.com/app"

# migration VAR MESSAGE: a new revision whose upgrade body is read from
# stdin (its downgrade drops nothing: downgrade = off below). Sets VAR to
# the file's path.
migration() {
  local var=$1 msg=$2 id
  cat > "$TMP/.body"
  rev id "$P" -m "$msg"
  $PY - "$AL_FILE" "$TMP/.body" <<'EOF' || setup_fail "body for $AL_FILE"
import sys
path = sys.argv[1]
text = open(path).read()
text = text.replace("import sqlalchemy as sa\n",
                    "import sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n", 1)
text = text.replace("def upgrade() -> None:\n    pass\n",
                    "def upgrade() -> None:\n" + open(sys.argv[2]).read(), 1)
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
# reported WHAT FILE TEXT SEVERITY RULE: a finding SEVERITY[RULE] on the
# line holding TEXT.
reported() {
  local where; where=$(at "$2" "$3")
  if printf '%s\n' "$OUT" | grep -F -- "$where" | grep -qF " $4[$5]"; then
    pass "$1"
  else
    fail "$1: no $4[$5] at $where"; printf '%s\n' "$OUT" | grep -F "versions/$(basename "$2")" >&2
  fi
}
ENUM_RULES="enum-values-not-added enum-values-not-removed enum-type-not-created enum-cast-without-using
  enum-type-created-twice"
# quiet WHAT FILE [RULES]: none of RULES (default: the enum rules and
# alter-column-type) anywhere in FILE.
quiet() {
  local f r got="" rules=${3:-$ENUM_RULES alter-column-type}
  f="versions/$(basename "$2"):"
  for r in $rules; do
    printf '%s\n' "$OUT" | grep -F -- "$f" | grep -qF "[$r]" && got="$got $r"
  done
  if [ -z "$got" ]; then pass "$1"; else
    fail "$1: reported$got"; printf '%s\n' "$OUT" | grep -F -- "$f" >&2; fi
}

migration base "create tables" <<'PY'
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('new', 'paid', name='status'), nullable=True),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    # the type created just above with these values: adding one is still not done
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', 'sent', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY

# --- risky --------------------------------------------------------------------
migration m_added "status gets values" <<'PY'
    op.alter_column('orders', 'status',
               existing_type=sa.Enum('new', 'paid', name='status'),
               type_=sa.Enum('new', 'paid', 'shipped', 'lost', name='status'),
               existing_nullable=True)
PY
migration m_batch "status gets a value in a batch" <<'PY'
    with op.batch_alter_table('orders', schema=None) as b:
        b.alter_column('status', existing_type=postgresql.ENUM('new', 'paid', name='status'),
                       type_=postgresql.ENUM('new', 'paid', 'held', name='status'))
PY
migration m_removed "status loses a value" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum('new', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration m_new_col "a column of a new enum type" <<'PY'
    op.add_column('orders', sa.Column('feeling', sa.Enum('calm', 'angry', name='feeling'), nullable=True))
PY
migration s_earlier "a column of a type an earlier migration created" <<'PY'
    op.add_column('orders', sa.Column('status3', sa.Enum('new', 'paid', name='status'), nullable=True))
    op.add_column('orders', sa.Column('kind2', sa.Enum('x', 'y', name='kind'), nullable=True))
PY
migration m_other "status to another enum type" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', name='order_state'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration m_string "code to an enum type" <<'PY'
    sa.Enum('a', 'b', name='code').create(op.get_bind())
    op.alter_column('orders', 'code', type_=sa.Enum('a', 'b', name='code'),
                    existing_type=sa.String(length=20))
PY

# --- safe ---------------------------------------------------------------------
migration s_recipe "status gets a value the right way" <<'PY'
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE status ADD VALUE IF NOT EXISTS 'shipped'")
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', 'shipped', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration s_added_before "values another migration added" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', 'shipped', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration m_added_partly "one value another migration added, one not" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', 'shipped', 'gone', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration s_rename "a value renamed in SQL" <<'PY'
    op.execute("ALTER TYPE status RENAME VALUE 'paid' TO 'settled'")
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'settled', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration s_reorder "the same values, reordered" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum('paid', 'new', name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration s_no_existing "no existing_type" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', 'x', name='status'))
PY
migration s_class "values from a Python enum" <<'PY'
    op.alter_column('orders', 'status', type_=sa.Enum(Status, name='status'),
                    existing_type=sa.Enum('new', 'paid', name='status'))
PY
migration s_create_first "the type created first" <<'PY'
    sa.Enum('calm', 'angry', name='mood').create(op.get_bind())
    op.add_column('orders', sa.Column('mood', sa.Enum('calm', 'angry', name='mood'), nullable=True))
    op.execute("CREATE TYPE tone AS ENUM ('low', 'high')")
    op.add_column('orders', sa.Column('tone', sa.Enum('low', 'high', name='tone'), nullable=True))
    mood2 = postgresql.ENUM('a', 'b', name='mood2')
    mood2.create(op.get_bind(), checkfirst=True)
    op.add_column('orders', sa.Column('mood2', sa.Enum('a', 'b', name='mood2'), nullable=True))
PY
migration s_exists "a type an earlier migration created" <<'PY'
    op.add_column('orders', sa.Column('status2', postgresql.ENUM('new', 'paid', name='status', create_type=False), nullable=True))
    op.create_table('archive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('x', 'y', name='kind'), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.add_column('orders', sa.Column('kind', sa.Enum('x', 'y', name='kind'), nullable=True))
PY
migration s_opaque "SQL mlint cannot read" <<'PY'
    op.execute(CREATE_MOOD_SQL)
    op.add_column('orders', sa.Column('mood3', sa.Enum('calm', name='mood3'), nullable=True))
PY
migration s_using "another enum type with postgresql_using" <<'PY'
    sa.Enum('new', 'paid', name='order_status').create(op.get_bind())
    op.alter_column('orders', 'status', type_=sa.Enum('new', 'paid', name='order_status'),
                    existing_type=sa.Enum('new', 'paid', name='status'),
                    postgresql_using='status::text::order_status')
PY
migration m_twice "a type created twice" <<'PY'
    sa.Enum('calm', 'angry', name='mood4').create(op.get_bind())
    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mood', sa.Enum('calm', 'angry', name='mood4', create_type=False), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
PY
migration s_once "a type created once" <<'PY'
    postgresql.ENUM('calm', 'angry', name='mood5').create(op.get_bind())
    op.create_table('notes2',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mood', postgresql.ENUM('calm', 'angry', name='mood5', create_type=False), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('notes3',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tone', sa.Enum('a', 'b', name='tone5'), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('notes4',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tone', sa.Enum('a', 'b', name='tone5'), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Enum('a', 'b', name='tone5').create(op.get_bind(), checkfirst=True)
PY
migration s_other_types "no enum at all" <<'PY'
    op.alter_column('orders', 'code', type_=sa.String(length=40), existing_type=sa.String(length=20))
    op.add_column('orders', sa.Column('flag', sa.Boolean(), nullable=True))
    op.add_column('orders', sa.Column('v', sa.Enum('p', 'q', native_enum=False), nullable=True))
PY

cd "$P" || exit 1
printf '\n[mlint]\ndowngrade = off\n' >> alembic.ini
run_mlint check --no-git
assert_eq "errors fail the check" 1 "$RC"
reported "a type created here with other values" "$base" "op.alter_column('orders', 'status'" error enum-values-not-added
reported "new values" "$m_added" "op.alter_column('orders', 'status'" error enum-values-not-added
assert_contains "new values: named" "$OUT" "with the new values 'shipped', 'lost'"
assert_contains "new values: the error PostgreSQL raises" "$OUT" "invalid input value for enum status"
quiet "new values: no rewrite (an enum to itself)" "$m_added" alter-column-type
reported "new value, batch_op, postgresql.ENUM" "$m_batch" "b.alter_column('status'" error enum-values-not-added
reported "a value removed" "$m_removed" "op.alter_column('orders', 'status'" warning enum-values-not-removed
quiet "a value removed: no added" "$m_removed" enum-values-not-added
reported "add_column with a new type" "$m_new_col" "op.add_column('orders'" error enum-type-not-created
assert_contains "add_column: the error PostgreSQL raises" "$OUT" 'type "feeling" does not exist'
reported "a type only a later migration creates" "$s_earlier" "sa.Column('kind2'" error enum-type-not-created
quiet "a type an earlier migration's create_table creates" "$s_earlier" "enum-values-not-added enum-cast-without-using"
assert_not_contains "an earlier migration's type: status3 is fine" "$OUT" "enum type 'status' but does not create"

reported "another enum type, not created" "$m_other" "op.alter_column('orders', 'status'" error enum-type-not-created
reported "another enum type, no USING" "$m_other" "op.alter_column('orders', 'status'" error enum-cast-without-using
reported "string to enum, no USING" "$m_string" "op.alter_column('orders', 'code'" error enum-cast-without-using
quiet "string to enum: the type was created" "$m_string" enum-type-not-created
assert_contains "no USING: the error PostgreSQL raises" "$OUT" \
  'column "code" cannot be cast automatically to type code'

reported "created, then by create_table" "$m_twice" "sa.Column('mood', sa.Enum(" error enum-type-created-twice
assert_contains "created twice: the error PostgreSQL raises" "$OUT" 'type "mood4" already exists'
quiet "created once (create_type=False, create_tables, checkfirst)" "$s_once"
quiet "ADD VALUE in autocommit_block" "$s_recipe"
quiet "RENAME VALUE" "$s_rename"
quiet "a value another migration adds (ADD VALUE)" "$s_added_before"
reported "one value added elsewhere, one not" "$m_added_partly" "op.alter_column('orders', 'status'" error enum-values-not-added
quiet "reordered values" "$s_reorder"
quiet "no existing_type" "$s_no_existing" "$ENUM_RULES"
quiet "a Python enum's values" "$s_class"
quiet "created first (.create, CREATE TYPE, a variable)" "$s_create_first"
quiet "create_type=False, a create_table's type" "$s_exists"
quiet "SQL not read" "$s_opaque"
quiet "postgresql_using" "$s_using" "$ENUM_RULES"
reported "postgresql_using: a rewrite" "$s_using" "op.alter_column('orders', 'status'" warning alter-column-type
quiet "other types" "$s_other_types"

# The rule list documents each rule.
for r in $ENUM_RULES; do
  run_mlint rules "$r"
  assert_eq "mlint rules $r" 0 "$RC"
  assert_contains "mlint rules $r: the recipe" "$OUT" "op."
done

# SQLite and MySQL: Enum is a VARCHAR / a column type of its own there, and
# Alembic emits what changes it; nothing of the above applies.
ini_set "$P/alembic.ini" sqlalchemy.url "sqlite:///app.db"
run_mlint check --no-git
assert_contains "sqlite: the check ran" "$OUT" "[alter-column-type]"
for r in $ENUM_RULES; do assert_not_contains "sqlite: no $r" "$OUT" "[$r]"; done
ini_set "$P/alembic.ini" sqlalchemy.url "mysql+pymysql://app@db/app"
run_mlint check --no-git
assert_contains "mysql: the check ran" "$OUT" "[alter-column-type]"
for r in $ENUM_RULES; do assert_not_contains "mysql: no $r" "$OUT" "[$r]"; done

# Hostile sizes: 20,000 CREATE TYPE of one name in one string, 3,000 types
# created then used by 3,000 add_columns, an Enum of 5,000 values. Findings,
# no hang.
H=$TMP/hostile
mkdir -p "$H/versions"
printf '[alembic]\nscript_location = .\nsqlalchemy.url = postgresql://app@db/app\n' > "$H/alembic.ini"
$PY - "$H/versions" <<'EOF'
import os, sys
d = sys.argv[1]
head = ("revision = '%s'\ndown_revision = %s\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
        "def upgrade():\n")
tail = "\n\ndef downgrade():\n    op.execute('SELECT 1')\n"
def w(name, rev, down, body):
    open(os.path.join(d, name + ".py"), "w").write(head % (rev, down) + body + tail)
w("a_types", "a", "None", '    op.execute("""' + "CREATE TYPE dup AS ENUM ('a');\n" * 20000 + '""")\n')
w("b_adds", "b", "'a'",
  "".join("    sa.Enum('a', name='e%d').create(op.get_bind())\n" % i for i in range(3000)) +
  "".join("    op.add_column('t', sa.Column('c%d', sa.Enum('a', name='e%d')))\n" % (i, i)
          for i in range(3000)) +
  "    op.add_column('t', sa.Column('z', sa.Enum('a', name='missing')))\n")
new = ", ".join("'v%d'" % i for i in range(5000))
old = ", ".join("'w%d'" % i for i in range(5000))
w("c_values", "c", "'b'", "    op.alter_column('t', 'c', type_=sa.Enum(%s, name='big'),\n"
  "                    existing_type=sa.Enum(%s, name='big'))\n" % (new, old))
EOF
cd "$H" || exit 1
START=$(date +%s)
RC=0; timeout 120 "$MLINT" check --no-git --format json >"$TMP/h.json" 2>"$TMP/h.err" || RC=$?
END=$(date +%s)
assert_eq "hostile enums: status 1 (findings)" 1 "$RC"
[ $((END - START)) -lt 60 ] && pass "hostile enums: no hang ($((END - START)) s)" ||
  fail "hostile enums: took $((END - START)) s"
COUNTS=$($PY - "$TMP/h.json" <<'EOF'
import json, sys, collections
found = json.load(open(sys.argv[1]))["findings"]
c = collections.Counter((f["path"].split("/")[-1], f["rule"]) for f in found)
for (path, rule), n in sorted(c.items()):
    print(path, rule, n)
EOF
)
assert_contains "20,000 CREATE TYPE: each again" "$COUNTS" "a_types.py enum-type-created-twice 19999"
assert_contains "3,000 created types: only the missing one" "$COUNTS" "b_adds.py enum-type-not-created 1"
assert_contains "5,000 values: added" "$COUNTS" "c_values.py enum-values-not-added 1"
assert_contains "5,000 values: removed" "$COUNTS" "c_values.py enum-values-not-removed 1"

finish
