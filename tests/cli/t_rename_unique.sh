#!/usr/bin/env bash
# Names that can never overwrite a migration, and files of one day in graph
# order: the file_template mlint recommends (checked with the real
# `flask db merge`), the file-template-not-unique rule, --write-config alone,
# with --dry-run and --check, ordering within a day, out-of-order on one day,
# filename-format with both forms.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"
need_flask_migrate

UNIQUE='%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d%%(second).2d_%%(rev)s_%%(slug)s'
OLD='%%(year)d%%(month).2d%%(day).2d_%%(slug)s'

# ---- Flask-Migrate: the template mlint used to write, then the new one ----
P=$TMP/flaskapp
flask_app "$P"; git_init "$P"
fl "$P" init
sed -i "s|^\[alembic\]|&\nfile_template = $OLD|" "$P/migrations/alembic.ini"
frev base "$P" -m "base"
git_commit_all "$P" "base"
cd "$P"
run_mlint check
assert_contains "rule: a file_template without rev is reported" "$OUT" \
  "migrations/alembic.ini:4:1: warning[file-template-not-unique]"
assert_contains "rule: the fix is in the message" "$OUT" "write 'file_template = $UNIQUE'"

# The data loss itself, as Alembic does it with the old template.
frev a1 "$P" -m "one"; frev b1 "$P" --head "$base" --splice -m "two"
fmerge m1 "$P" -m "merge heads" heads; first_merge=$AL_FILE
frev a2 "$P" -m "three"; frev b2 "$P" --head "$m1" --splice -m "four"
fmerge m2 "$P" -m "merge heads" heads
assert_eq "old template: the second merge wrote over the first" "$first_merge" "$AL_FILE"
git checkout -q -- . && git clean -qfd

# --write-config --dry-run shows the change and changes nothing.
before=$(cat migrations/alembic.ini)
run_mlint rename --write-config --dry-run migrations
assert_eq "write-config --dry-run: status" 0 "$RC"
assert_eq "write-config --dry-run: preview" "migrations/alembic.ini [alembic]:
-file_template = $OLD
+file_template = $UNIQUE" "$OUT"
assert_eq "write-config --dry-run: alembic.ini unchanged" "$before" "$(cat migrations/alembic.ini)"
run_mlint rename --write-config --check migrations
assert_eq "write-config --check: 1 when the line is due" 1 "$RC"
assert_eq "write-config --check: alembic.ini unchanged" "$before" "$(cat migrations/alembic.ini)"
run_mlint rename --write-config migrations
assert_eq "write-config: status" 0 "$RC"
assert_eq "write-config: the line replaced, nothing else" "1" \
  "$(git diff --numstat migrations/alembic.ini | cut -f1)"
assert_eq "write-config: no file renamed" "" "$(git status --porcelain -- migrations/versions)"
run_mlint rename --write-config --check migrations
assert_eq "write-config --check: 0 once written" 0 "$RC"
run_mlint check
assert_not_contains "rule: quiet with the new template" "$OUT" "file-template-not-unique"

# Same message, same day: two merges, two files; flask db heads still works.
frev a1 "$P" -m "one"; frev b1 "$P" --head "$base" --splice -m "two"
fmerge m1 "$P" -m "merge heads" heads; first_merge=$AL_FILE
frev a2 "$P" -m "three"; frev b2 "$P" --head "$m1" --splice -m "four"
fmerge m2 "$P" -m "merge heads" heads
[ "$first_merge" != "$AL_FILE" ] && [ -f "$first_merge" ] && [ -f "$AL_FILE" ] &&
  pass "new template: two merges with one message are two files" ||
  fail "new template: merges '$first_merge' and '$AL_FILE'"
fl "$P" heads
assert_contains "new template: flask db heads names the last merge" "$AL_OUT" "$m2 (head)"
git_commit_all "$P" "merges"
# New files are of Alembic's own form: rename leaves them, filename-format accepts them.
run_mlint rename --dry-run migrations
assert_eq "new files: nothing to rename" "" "$OUT"
run_mlint check --select filename-format
assert_eq "filename-format: both forms accepted" 0 "$RC"
assert_not_contains "filename-format: no finding" "$OUT" "filename-format"

# ---- one day, several migrations -------------------------------------------
# mkmig DIR REV PARENT NAME [CREATE_DATE]
mkmig() {
  local parent=None
  [ "$3" != None ] && parent="'$3'"
  { printf '"""%s\n\nRevision ID: %s\n' "$4" "$2"
    [ -n "${5:-}" ] && printf 'Create Date: %s\n' "$5"
    printf '"""\nrevision = "%s"\ndown_revision = %s\n' "$2" "$parent"; } > "$1/$2_$4.py"
}

# Times that order the day: HHMM after the date.
d=$TMP/times; V=$d/migrations/versions; mkdir -p "$V"; cd "$d"
mkmig "$V" c1 None change_2 "2025-08-23 09:15:00"
mkmig "$V" c2 c1 change_10 "2025-08-23 14:32:10"
mkmig "$V" c3 c2 add_a "2025-08-23 17:05:00"
mkmig "$V" c4 c3 other_day "2025-08-24 08:00:00"
run_mlint rename
assert_eq "times: status" 0 "$RC"
assert_eq "times: ls order is graph order" \
  "20250823_0915_change_2.py 20250823_1432_change_10.py 20250823_1705_add_a.py 20250824_other_day.py" \
  "$(cd "$V" && echo *)"
run_mlint rename --check
assert_eq "times: a second run changes nothing" 0 "$RC"

# Equal or missing times, or times against the graph: 01, 02, ... in graph order.
d=$TMP/seq; V=$d/migrations/versions; mkdir -p "$V"; cd "$d"
mkmig "$V" s1 None zeta "2025-08-23 10:00:00"
mkmig "$V" s2 s1 beta "2025-08-23 10:00:00"
mkmig "$V" s3 s2 alpha "2025-08-23"
run_mlint rename
assert_eq "sequence: ls order is graph order" "20250823_01_zeta.py 20250823_02_beta.py 20250823_03_alpha.py" \
  "$(cd "$V" && echo *)"
d=$TMP/against; V=$d/migrations/versions; mkdir -p "$V"; cd "$d"
mkmig "$V" t1 None early "2025-08-23 18:00:00"
mkmig "$V" t2 t1 late "2025-08-23 08:00:00"
run_mlint rename
assert_eq "times against the graph: sequence" "20250823_01_early.py 20250823_02_late.py" \
  "$(cd "$V" && echo *)"

# Two version directories: each is listed alone, so one migration a day in
# each keeps the plain form.
d=$TMP/twodirs; mkdir -p "$d/pg" "$d/lite"; cd "$d"
mkmig pg p1 None first "2025-08-23 10:00:00"
mkmig lite l1 None first "2025-08-23 11:00:00"
run_mlint rename pg lite
assert_eq "two directories: a day of one in each keeps the plain form" "20250823_first.py|20250823_first.py" \
  "$(cd pg && echo *)|$(cd lite && echo *)"

# Files named in the guide's form already, one day, listed against the graph:
# out-of-order says so (same day, compared by name), rename orders them.
d=$TMP/named; V=$d/migrations/versions; mkdir -p "$V"; cd "$d"
printf '[alembic]\nscript_location = migrations\n[mlint]\ntemplate = %%Y%%m%%d_%%slug\n' > alembic.ini
mkmig "$V" n1 None x "2025-08-23 09:00:00"; mv "$V/n1_x.py" "$V/20250823_change_2.py"
mkmig "$V" n2 n1 x "2025-08-23 11:00:00"; mv "$V/n2_x.py" "$V/20250823_change_10.py"
mkmig "$V" n3 None x "2025-08-22 11:00:00"; mv "$V/n3_x.py" "$V/20250822_alone.py"
run_mlint check --select out-of-order
assert_contains "out-of-order: same day compared by name" "$OUT" \
  "'20250823_change_10.py' sorts before its parent '20250823_change_2.py'"
run_mlint rename --dry-run
assert_eq "named: only the shared day is renamed" \
"migrations/versions/20250823_change_2.py -> migrations/versions/20250823_0900_change_2.py (2025-08-23 from header)
migrations/versions/20250823_change_10.py -> migrations/versions/20250823_1100_change_10.py (2025-08-23 from header)" "$OUT"
run_mlint rename
run_mlint check --select out-of-order
assert_eq "out-of-order: none after rename" 0 "$RC"
assert_not_contains "out-of-order: no finding after rename" "$OUT" "out-of-order"
run_mlint rename --check
assert_eq "named: a second run changes nothing" 0 "$RC"

# --dry-run and --check exclude each other.
run_mlint rename --check --dry-run
assert_eq "--check --dry-run: usage error" 2 "$RC"
assert_contains "--check --dry-run: says why" "$ERR" "exclude each other"
finish
