#!/usr/bin/env bash
# Differential: the Flask-Migrate layout. `flask db init` writes
# migrations/alembic.ini WITHOUT script_location (Flask-Migrate passes the
# directory itself), env.py, script.py.mako and versions/. Revisions and a
# merge come from the real `flask db revision` / `flask db merge`; the heads
# from `flask db heads`. mlint runs on the project root and on migrations/.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"
need_flask_migrate

P="$TMP/flaskapp"
flask_app "$P"
git_init "$P"
fl "$P" init
# The layout is Flask-Migrate's: no script_location anywhere in the ini.
if grep -q '^script_location' "$P/migrations/alembic.ini"; then
  setup_fail "flask db init wrote a script_location; the scenario needs the Flask-Migrate template"
fi
assert_eq "template alembic.ini is Flask-Migrate's" \
  "$(cat /usr/lib/python3/dist-packages/flask_migrate/templates/flask/alembic.ini.mako)" \
  "$(cat "$P/migrations/alembic.ini")"

frev f1 "$P" -m "users table"
frev f2 "$P" -m "posts table"
frev f3 "$P" -m "comments"
git_commit_all "$P" "flask app with migrations"

E="$TMP/e1.json"
expect_fl "$E" "$P"
assert_eq "linear: flask db heads names the last revision" "$f3" "$(ex "$E" cli_heads)"
assert_eq "linear: script_location is migrations" migrations "$(ex "$E" script_location)"
# TODO(graph): bases = $f1, no branch points.
compare "linear: project root" "$E" "$P" .
compare "linear: default path (cwd)" "$E" "$P"
compare "linear: migrations/" "$E" "$P" migrations
compare "linear: migrations/ from inside it" "$E" "$P/migrations" .
compare "linear: migrations/versions" "$E" "$P" --no-script-location migrations/versions

# Two developers branch from f2 (the second on another git branch, merged).
frev f4 "$P" --head "$f3" -m "likes"
frev f5 "$P" --head "$f2" --splice -m "tags"
E="$TMP/e2.json"
expect_fl "$E" "$P"
assert_eq "two heads: flask db heads" "$(printf '%s\n' "$f4" "$f5" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "two heads: alembic calls it multiple heads" yes "$(ex "$E" multiple_heads)"
assert_eq "two heads: branch point" "$f2" "$(ex "$E" branch_points)"
# TODO(graph): branch_points = $f2.
compare "two heads: project root" "$E" "$P" .
compare "two heads: migrations/" "$E" "$P" migrations

fmerge m1 "$P" heads -m "merge likes and tags"
E="$TMP/e3.json"
expect_fl "$E" "$P"
assert_eq "merged: flask db heads" "$m1" "$(ex "$E" cli_heads)"
assert_eq "merged: merge point" "$m1" "$(ex "$E" merge_points)"
# TODO(graph): merge_points = $m1, branch_points = $f2.
compare "merged: project root" "$E" "$P" .
compare "merged: migrations/" "$E" "$P" migrations

finish
