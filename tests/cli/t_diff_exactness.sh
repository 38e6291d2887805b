#!/usr/bin/env bash
# Differential: histories where a naive reading and Alembic disagree.
#   - two files declare one revision id: Alembic keeps the one it loads
#     last. Current Alembic (1.19) lists a version directory sorted; the
#     Debian 1.8 on this machine uses os.listdir order, so the reference run
#     here sorts os.listdir (REV=1 reverses it, to show that old Alembic may
#     keep the other file). heads and edited-applied follow the kept file.
#   - a down_revision that is an expression: heads are still computed over
#     the literal migrations, and the message names what could not be placed;
#   - a revision id that cannot be read: its parent is no extra head;
#   - several heads: one multiple-heads finding, at the newest Create Date.
# shellcheck disable=SC2154
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

# Alembic with os.listdir sorted (what current Alembic does itself), or reversed (REV=1:
# one directory order Alembic 1.8 may meet on some file system).
cat >"$TMP/alembic_sorted.py" <<'EOF'
import os, sys
_listdir = os.listdir
os.listdir = lambda p=".": sorted(_listdir(p), reverse=bool(os.environ.get("REV")))
if sys.argv[1] == "--winner":  # the file that holds revision argv[2]
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    sd = ScriptDirectory.from_config(Config("alembic.ini"))
    print(os.path.relpath(sd.get_revision(sys.argv[2]).path))
    sys.exit(0)
from alembic.config import main
sys.exit(main(argv=sys.argv[1:]))
EOF
# sal DIR ARGS: that Alembic in DIR; stdout in AL_OUT.
sal() {
  local d=$1; shift
  (cd "$d" && $PY "$TMP/alembic_sorted.py" "$@") >"$TMP/.al.out" 2>"$TMP/.al.err" ||
    { cat "$TMP/.al.out" "$TMP/.al.err" >&2; setup_fail "sorted alembic $*"; }
  AL_OUT=$(cat "$TMP/.al.out")
}
# The revisions Alembic marks "(head)" (a dropped duplicate shows up
# without the mark in 1.8's output), sorted.
al_heads() { printf '%s\n' "$AL_OUT" | awk '/\(head\)/ { print $1 }' | LC_ALL=C sort; }
mlint_heads() { printf '%s\n' "$OUT" | awk 'NF { print $1 }' | LC_ALL=C sort; }

# mig DIR FILE REV DOWN [DATE] [BODY]: a migration written by hand.
mig() {
  cat >"$1/migrations/versions/$2" <<EOF
"""$2

Revision ID: $3
Revises:
Create Date: ${5:-}
"""
from alembic import op
import sqlalchemy as sa

revision = '$3'
down_revision = $4
branch_labels = None
depends_on = None


def upgrade():
    ${6:-pass}


def downgrade():
    pass
EOF
}

project() { init_project "$1" migrations; rm -f "$1"/migrations/versions/*.py; git_init "$1"; }

findings() {  # findings JSON-FILE RULE: "path:line" of each finding of RULE
  $PY -c 'import json, sys
for x in json.load(open(sys.argv[1]))["findings"]:
    if x["rule"] == sys.argv[2]: print("%s:%s" % (x["path"], x["line"]))' "$1" "$2"
}

# ---- duplicate revision ids: heads ------------------------------------------
P="$TMP/dup"; project "$P"
mig "$P" 0001_r1.py r1 None
mig "$P" 0002_r2.py r2 "'r1'"
mig "$P" 0003_r2_again.py r2 None       # sorts last: current Alembic keeps it
mig "$P" 0004_r3.py r3 "'r2'"
sal "$P" heads
SORTED=$(al_heads)
assert_eq "dup: sorted alembic keeps 0003 (r1 is a head again)" "$(printf 'r1\nr3')" "$SORTED"
REV=1 sal "$P" heads
assert_eq "dup: in the other directory order alembic keeps 0002" "r3" "$(al_heads)"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" heads
  assert_eq "dup: mlint heads = sorted alembic heads" "$SORTED" "$(mlint_heads)"
  run_mlint_in "$P" check --no-git --format json
  printf '%s' "$OUT" >"$TMP/dup.json"
  assert_eq "dup: duplicate-revision at the dropped file" "migrations/versions/0002_r2.py:10" \
    "$(findings "$TMP/dup.json" duplicate-revision)"
  assert_eq "dup: multiple-heads, as alembic (r1, r3)" 1 "$(findings "$TMP/dup.json" multiple-heads | wc -l)"
fi

# ---- duplicate revision ids: edited-applied follows the kept file ------------
# main has r2 in 0003; the branch edits 0003 and adds 0002 with main's code.
# Alembic runs 0003 (edited): edited-applied there.
P="$TMP/dup_edit"; project "$P"
mig "$P" 0001_r1.py r1 None
mig "$P" 0003_r2.py r2 "'r1'" "" "op.add_column('t', sa.Column('a', sa.Integer()))"
git_commit_all "$P" "applied"
git -C "$P" checkout -q -b feature
cp "$P/migrations/versions/0003_r2.py" "$P/migrations/versions/0002_r2_copy.py"
mig "$P" 0003_r2.py r2 "'r1'" "" "op.add_column('t', sa.Column('b', sa.Integer()))"
git_commit_all "$P" "edit and copy"
(cd "$P" && $PY -W ignore "$TMP/alembic_sorted.py" --winner r2) >"$TMP/winner" || setup_fail "winner"
assert_eq "dup_edit: alembic runs 0003" "migrations/versions/0003_r2.py" "$(cat "$TMP/winner")"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check --base main --format json
  printf '%s' "$OUT" >"$TMP/dup_edit.json"
  assert_eq "dup_edit: edited-applied at the file alembic runs" "$(cat "$TMP/winner")" \
    "$(findings "$TMP/dup_edit.json" edited-applied | cut -d: -f1)"
fi
# The mirror: main has r2 in 0002; the branch edits 0002 and adds 0003 with
# main's code. Alembic runs 0003, unchanged: no edited-applied.
P="$TMP/dup_keep"; project "$P"
mig "$P" 0001_r1.py r1 None
mig "$P" 0002_r2.py r2 "'r1'" "" "op.add_column('t', sa.Column('a', sa.Integer()))"
git_commit_all "$P" "applied"
git -C "$P" checkout -q -b feature
cp "$P/migrations/versions/0002_r2.py" "$P/migrations/versions/0003_r2_copy.py"
mig "$P" 0002_r2.py r2 "'r1'" "" "op.add_column('t', sa.Column('b', sa.Integer()))"
git_commit_all "$P" "edit and copy"
(cd "$P" && $PY -W ignore "$TMP/alembic_sorted.py" --winner r2) >"$TMP/winner" || setup_fail "winner"
assert_eq "dup_keep: alembic runs the unchanged copy" "migrations/versions/0003_r2_copy.py" "$(cat "$TMP/winner")"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check --base main --format json
  printf '%s' "$OUT" >"$TMP/dup_keep.json"
  assert_eq "dup_keep: no edited-applied" "" "$(findings "$TMP/dup_keep.json" edited-applied)"
  assert_eq "dup_keep: duplicate-revision at the edited, dropped file" \
    "migrations/versions/0002_r2.py:10" "$(findings "$TMP/dup_keep.json" duplicate-revision)"
fi

# ---- a down_revision that is an expression ------------------------------------
P="$TMP/expr"; project "$P"
mig "$P" 0001_r1.py r1 None
mig "$P" 0002_r2.py r2 "'r1'"
mig "$P" 0003_r3.py r3 "'r1'"
mig "$P" 0004_r4.py r4 "('r2',) if True else None"
al "$P" heads
assert_eq "expr: alembic has two heads" "$(printf 'r3\nr4')" "$(al_heads)"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check --no-git --format json
  printf '%s' "$OUT" >"$TMP/expr.json"
  assert_eq "expr: multiple-heads still found, at alembic's head r3" \
    "migrations/versions/0003_r3.py:10" "$(findings "$TMP/expr.json" multiple-heads)"
  assert_contains "expr: names what could not be placed" "$OUT" "heads computed without 'r4'"
fi
# One head once r4's expression is evaluated; literal heads: r2 alone.
rm "$P/migrations/versions/0003_r3.py"
al "$P" heads
assert_eq "expr: alembic has one head" "r4" "$(al_heads)"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check --no-git --format json
  printf '%s' "$OUT" >"$TMP/expr1.json"
  assert_eq "expr: no multiple-heads on a linear history" "" "$(findings "$TMP/expr1.json" multiple-heads)"
fi

# ---- a revision id that cannot be read ---------------------------------------
P="$TMP/unreadable"; project "$P"
mig "$P" 0001_r1.py r1 None
mig "$P" 0002_r2.py r2 "'r1'"
python_sub() { $PY -c 'import sys; p=sys.argv[1]; s=open(p).read(); open(p,"w").write(s.replace(sys.argv[2], sys.argv[3], 1))' "$@"; }
python_sub "$P/migrations/versions/0002_r2.py" "revision = 'r2'" "REV = 'r2'
revision = REV"
mig "$P" 0003_r3.py r3 "'r2'"
al "$P" heads
assert_eq "unreadable: alembic has one head" "r3" "$(al_heads)"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check --no-git --format json
  printf '%s' "$OUT" >"$TMP/unreadable.json"
  assert_eq "unreadable: parse-error reported" 1 "$(findings "$TMP/unreadable.json" parse-error | wc -l)"
  assert_eq "unreadable: no multiple-heads caused by it" "" "$(findings "$TMP/unreadable.json" multiple-heads)"
  run_mlint_in "$P" heads
  assert_eq "unreadable: r1 is no head" "r3" "$(mlint_heads)"
fi

# ---- several heads: one finding, at the newest --------------------------------
P="$TMP/three"; project "$P"
mig "$P" 0001_r1.py r1 None "2024-01-01 10:00:00.000000"
mig "$P" 0002_r2.py r2 "'r1'" "2024-03-01 10:00:00.000000"   # the newest
mig "$P" 0003_r3.py r3 "'r1'" "2024-02-01 10:00:00.000000"
mig "$P" 0004_r4.py r4 "'r1'" "2024-01-15 10:00:00.000000"
al "$P" heads
assert_eq "three: alembic has three heads" "$(printf 'r2\nr3\nr4')" "$(al_heads)"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check --no-git --format json
  printf '%s' "$OUT" >"$TMP/three.json"
  assert_eq "three: one finding at the newest head" "migrations/versions/0002_r2.py:10" \
    "$(findings "$TMP/three.json" multiple-heads)"
  assert_contains "three: lists the others" "$OUT" "'r3' (migrations/versions/0003_r3.py), 'r4' (migrations/versions/0004_r4.py)"
fi

finish
