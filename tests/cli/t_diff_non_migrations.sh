#!/usr/bin/env bash
# Differential: files in the versions directory that are not migrations:
# __init__.py, a helper module without `revision` (helpers.py), README, .keep,
# x.sql, __pycache__/ with .pyc files (one of them compiled from a migration
# whose source was since deleted), an editor backup, a migration moved into
# versions/archive/ (Alembic 1.8 does not recurse). The heads are Alembic's
# answer BEFORE those files are added (Alembic itself refuses helpers.py,
# which this test checks too); mlint's heads must not change and `mlint
# check` must exit 0.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

P="$TMP/proj"
V="$P/alembic/versions"
init_project "$P" alembic
git_init "$P"
rev r1 "$P" -m "one"
rev r2 "$P" -m "two"
rev r3 "$P" -m "three"
rev r4 "$P" --head "$r2" --splice -m "four"
merge m1 "$P" heads -m "merge"

# A migration that is later deleted, leaving only its bytecode behind.
rev gone "$P" -m "gone"
$PY -c 'import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True)' "$AL_FILE" ||
  setup_fail "py_compile"
rm -f "$AL_FILE"
E="$TMP/expect.json"
expect_al "$E" "$P" alembic.ini
assert_eq "alembic head before the extra files" "$m1" "$(ex "$E" cli_heads)"
assert_eq "alembic does not count the deleted migration" 5 "$(ex "$E" migrations)"
# TODO(graph): bases = $r1, branch_points = $r2, merge_points = $m1.

compare "plain" "$E" "$P" .

: >"$V/__init__.py"
cat >"$V/helpers.py" <<'EOF'
"""Helpers shared by the migrations in this directory.

Used by the revisions that backfill data; see the revision that added
the accounts table.
"""
import sqlalchemy as sa
from alembic import op


def add_timestamps(table_name):
    # every table gets created_at / updated_at
    op.add_column(table_name, sa.Column("created_at", sa.DateTime()))
    op.add_column(table_name, sa.Column("updated_at", sa.DateTime()))
EOF
printf 'Migration scripts. Do not edit applied ones.\n' >"$V/README"
: >"$V/.keep"
printf 'UPDATE accounts SET active = true;\n' >"$V/x.sql"
cp "$(ls "$V"/*_three.py)" "$V/$(basename "$(ls "$V"/*_three.py)")~"
mkdir -p "$V/__pycache__"
$PY -c 'import compileall, sys; compileall.compile_dir(sys.argv[1], quiet=1)' "$V" >/dev/null ||
  setup_fail "compileall"
git_commit_all "$P" "extra files"

# Alembic chokes on the helper module (so the "before" answer is the oracle).
if (cd "$P" && $ALEMBIC heads) >"$TMP/al.err" 2>&1; then
  fail "alembic accepted helpers.py; expected 'Could not determine revision id'"
else
  assert_contains "alembic refuses helpers.py" "$(cat "$TMP/al.err")" "Could not determine revision id from filename helpers.py"
fi
# And without helpers.py, Alembic's answer is unchanged by the other files.
mv "$V/helpers.py" "$TMP/helpers.py"
E2="$TMP/expect2.json"
expect_al "$E2" "$P" alembic.ini
assert_eq "alembic ignores the other extra files" "$(ex "$E" text)" "$(ex "$E2" text)"

# A real migration moved into a subdirectory of versions/: Alembic 1.8 does
# not look into subdirectories (recursive_version_locations, Alembic 1.10+,
# is not set), so it is not part of the graph.
rev arch "$P" -m "archived"
mkdir -p "$V/archive"
mv "$AL_FILE" "$V/archive/"
E3="$TMP/expect3.json"
expect_al "$E3" "$P" alembic.ini
assert_eq "alembic ignores versions/archive/" "$(ex "$E" text)" "$(ex "$E3" text)"
mv "$TMP/helpers.py" "$V/helpers.py"
git_commit_all "$P" "archive"

compare "with non-migration files" "$E" "$P" .
compare "with non-migration files, versions dir" "$E" "$P" --no-script-location alembic/versions
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" check .
  assert_eq "check exits 0 with non-migration files" 0 "$RC"
  [ "$RC" = 0 ] || printf '%s\n%s\n' "$OUT" "$ERR" >&2
  run_mlint_in "$P" check . --format json
  printf '%s' "$OUT" >"$TMP/c.json"
  assert_eq "no finding names a non-migration file" "" "$($PY - "$TMP/c.json" <<'EOF'
import json, sys
try:
    f = json.load(open(sys.argv[1]))["findings"]
except Exception as e:
    print("unreadable mlint json: %r" % (e,)); sys.exit(0)
for x in f:
    p = x.get("path") or ""
    if not p.endswith(".py") or "__pycache__" in p or p.endswith(("__init__.py", "helpers.py")):
        print(x.get("rule"), p)
EOF
)"
fi

finish
