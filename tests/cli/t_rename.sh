#!/usr/bin/env bash
# mlint rename on a project made by the real alembic CLI: dates from the
# header, from git history (also for a file first added in a merge commit)
# and the author's own offset; renames staged like git mv; alembic still
# works afterwards; a second run changes nothing; --check and JSON.
source "$(dirname "$0")/lib.sh"
need_alembic

p=$TMP/proj
mkdir -p "$p"; git_init "$p"; cd "$p"
$ALEMBIC init alembic >/dev/null || { fail "alembic init"; finish; }
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' alembic.ini

# new_rev MESSAGE...: runs `alembic revision` and prints the new file's path
new_rev() {
  local out
  out=$($ALEMBIC revision "$@" 2>&1) || { fail "alembic revision $*: $out"; return; }
  printf '%s\n' "$out" | sed -n "s|.*Generating $p/\(.*\.py\) .*|\1|p"
}
set_date() { sed -i "s|^Create Date: .*|Create Date: $2|" "$1"; }
drop_date() { sed -i '/^Create Date:/d' "$1"; }
rev_of() { sed -n "s/^revision = '\(.*\)'/\1/p" "$1"; }

f1=$(new_rev -m "Create users table")
set_date "$f1" "2025-01-05 10:00:00.123456"
git_commit_all . "alembic project"

f2=$(new_rev -m "Add email to users")
drop_date "$f2"                                  # dated from git, author's offset
git add -A; GIT_AUTHOR_DATE="2025-02-10T23:30:00-05:00" git commit -q -m "email"

f3=$(new_rev)                                    # no message: <rev>_.py, "empty message"
set_date "$f3" "2025-21-03 09:00:00"             # not a real date: warned, dated from git
git add -A; GIT_AUTHOR_DATE="2025-03-03T08:00:00+01:00" git commit -q -m "empty"

# f4 first appears in a merge commit (absent from both parents).
git checkout -q -b side
echo "side" > side.txt; git add side.txt; git commit -q -m "side work"
git checkout -q main
echo "main" > main.txt; git add main.txt; git commit -q -m "main work"
git merge -q --no-commit --no-ff side >/dev/null 2>&1
f4=$(new_rev -m "Add orders (merge)")
drop_date "$f4"
git add -A; GIT_AUTHOR_DATE="2025-04-01T12:00:00+02:00" git commit -q -m "merge side, add orders"
r1=$(rev_of "$f1"); r2=$(rev_of "$f2"); r3=$(rev_of "$f3"); r4=$(rev_of "$f4")
V=alembic/versions

# --check before: renames are due.
run_mlint rename --check
assert_eq "check before: status 1" 1 "$RC"

run_mlint rename --dry-run
assert_eq "dry-run: status" 0 "$RC"
assert_contains "dry-run: header date" "$OUT" "$f1 -> $V/20250105_create_users_table.py (2025-01-05 from header)"
assert_contains "dry-run: git date in the author's offset" "$OUT" "$f2 -> $V/20250210_add_email_to_users.py (2025-02-10 from git)"
assert_contains "dry-run: bad header date falls back to git" "$OUT" "$f3 -> $V/20250303_$r3.py (2025-03-03 from git)"
assert_contains "dry-run: bad header date warned" "$ERR" "'2025-21-03 09:00:00' is not a real date: bad month"
assert_contains "dry-run: added in a merge commit" "$OUT" "$f4 -> $V/20250401_add_orders_merge.py (2025-04-01 from git)"
assert_contains "dry-run: file_template hint (unique names: time and revision)" "$ERR" "file_template = %%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d%%(second).2d_%%(rev)s_%%(slug)s"
assert_eq "dry-run: changes nothing" "" "$(git status --porcelain)"

# JSON: the documented shape, exactly.
run_mlint rename --dry-run --format json
printf '%s' "$OUT" > "$TMP/plan.json"
shape=$($PY - "$TMP/plan.json" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["renames"], doc
for r in doc["renames"]:
    assert sorted(r) == ["date", "date_source", "from", "revision", "to"], r
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]), r
    assert r["date_source"] in ("header", "git", "mtime"), r
print(len(doc["renames"]), " ".join(r["date_source"] for r in doc["renames"]))
PY
)
assert_eq "json: shape, graph order, sources" "4 header git git git" "$shape"

# The real rename: only renames in git status; alembic still works.
heads_before=$($ALEMBIC heads 2>/dev/null)
run_mlint rename
assert_eq "rename: status" 0 "$RC"
status=$(git status --porcelain)
assert_eq "rename: only renames staged" "4" "$(printf '%s\n' "$status" | grep -c '^R  ')"
assert_eq "rename: nothing else" "" "$(printf '%s\n' "$status" | grep -v '^R  ')"
assert_eq "rename: alembic heads unchanged" "$heads_before" "$($ALEMBIC heads 2>/dev/null)"
assert_contains "rename: mlint agrees" "$($MLINT heads)" "$r4 (head)"
sql=$($ALEMBIC upgrade head --sql 2>/dev/null) || fail "alembic upgrade head --sql failed"
assert_contains "rename: upgrade --sql reaches the head" "$sql" "$r4"
git commit -q -m "rename migrations"
assert_contains "rename: history follows the rename" \
  "$(git log --follow --format=%s -- $V/20250210_add_email_to_users.py)" "email"

# A second run is a no-op.
run_mlint rename
assert_eq "second run: status" 0 "$RC"
assert_eq "second run: prints no rename" "" "$OUT"
assert_contains "second run: says so" "$ERR" "nothing to rename"
assert_eq "second run: tree clean" "" "$(git status --porcelain)"
run_mlint rename --check
assert_eq "check after: status 0" 0 "$RC"

# --write-config: file_template goes under the commented example; new files
# are then born with names of their own (time and revision) and left alone.
run_mlint rename --write-config
assert_eq "write-config: status" 0 "$RC"
assert_eq "write-config: one line added" "1" "$(git diff --numstat alembic.ini | cut -f1)"
assert_eq "write-config: placed after the commented example" \
  "file_template = %%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d%%(second).2d_%%(rev)s_%%(slug)s" \
  "$(grep -A1 '^# file_template' alembic.ini | tail -1)"
f5=$(new_rev -m "Add invoices")
f6=$(new_rev -m "Add invoices")
case "$f5" in "$V/$(date +%Y%m%d)"_[0-9][0-9][0-9][0-9][0-9][0-9]_*_add_invoices.py) pass "write-config: alembic uses it" ;;
  *) fail "write-config: alembic uses it: $f5" ;; esac
[ "$f5" != "$f6" ] && [ -f "$f5" ] && [ -f "$f6" ] && pass "write-config: the same message twice in a day makes two files" ||
  fail "write-config: two revisions with one message: '$f5' '$f6'"
out=$($ALEMBIC heads 2>&1) && pass "write-config: alembic heads works" || fail "write-config: alembic heads: $out"
rm -f "$f6"
run_mlint rename --dry-run
assert_eq "write-config: new file already fine" "" "$OUT"
run_mlint rename --dry-run
assert_not_contains "write-config: no more hint" "$ERR" "hint"
git_commit_all . "invoices"

# Unstaged edits in a renamed file survive, unstaged.
q=$TMP/edits; mkdir -p "$q"; git_init "$q"; cd "$q"
$ALEMBIC init alembic >/dev/null
g=$(p=$q new_rev -m "first one"); set_date "$g" "2025-05-05 05:05:05"
git_commit_all . "first"
echo "# local edit" >> "$g"
run_mlint rename
assert_eq "edits: status" 0 "$RC"
assert_eq "edits: staged rename, unstaged edit" \
  "RM $g -> alembic/versions/20250505_first_one.py" "$(git status --porcelain)"
assert_contains "edits: the edit is in the new file" "$(git diff)" "+# local edit"

# Outside git: plain renames; the date comes from the mtime (UTC) without a header.
o=$TMP/plain; mkdir -p "$o/migrations/versions"; cd "$o"
printf 'revision = "a1"\ndown_revision = None\n' > migrations/versions/a1_base.py
printf '"""Second step\n\nRevision ID: b2\n"""\nrevision = "b2"\ndown_revision = "a1"\n' > migrations/versions/b2_.py
touch -d "2024-12-31T23:00:00Z" migrations/versions/*.py
run_mlint rename migrations/versions
assert_eq "plain: status" 0 "$RC"
assert_contains "plain: mtime" "$OUT" "migrations/versions/a1_base.py -> migrations/versions/20241231_01_base.py (2024-12-31 from mtime)"
assert_contains "plain: slug from the docstring" "$OUT" "migrations/versions/b2_.py -> migrations/versions/20241231_02_second_step.py"
assert_eq "plain: files (one day, equal times: 01, 02 in graph order)" "20241231_01_base.py 20241231_02_second_step.py" "$(cd migrations/versions && echo *)"

# Collisions: same date and slug get _2, _3 in graph order (parents first),
# whatever the order of the old names (a template without a date: names of
# one day are ordered by a time or sequence instead, tested below).
c=$TMP/collide; mkdir -p "$c/migrations/versions"; cd "$c"
for spec in "z1 None" "m2 z1" "a3 m2"; do
  set -- $spec
  parent=$([ "$2" = None ] && echo None || echo "'$2'")
  printf '"""same\n\nCreate Date: 2025-06-01 00:00:00\n"""\nrevision = "%s"\ndown_revision = %s\n' "$1" "$parent" \
    > "migrations/versions/$1_same.py"
done
run_mlint rename --dry-run --template 'mig_%slug'
assert_eq "collide: order and suffixes" \
"migrations/versions/z1_same.py -> migrations/versions/mig_same.py (2025-06-01 from header)
migrations/versions/m2_same.py -> migrations/versions/mig_same_2.py (2025-06-01 from header)
migrations/versions/a3_same.py -> migrations/versions/mig_same_3.py (2025-06-01 from header)" "$OUT"
run_mlint rename --template 'mig_%slug'
run_mlint rename --template 'mig_%slug' --check
assert_eq "collide: second run clean" 0 "$RC"

# History follows renames: a file renamed (as is, or renamed and edited) is
# dated by the commit that first added it under its old name.
h=$TMP/follow; mkdir -p "$h/migrations/versions"; git_init "$h"; cd "$h"
printf 'revision = "f1"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n' > migrations/versions/f1_old.py
printf 'revision = "f2"\ndown_revision = "f1"\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n' > migrations/versions/f2_old.py
git add -A; GIT_AUTHOR_DATE="2024-01-15T10:00:00+00:00" git commit -q -m "add"
git mv migrations/versions/f1_old.py migrations/versions/f1_renamed.py
git mv migrations/versions/f2_old.py migrations/versions/f2_edited.py
echo "# edited" >> migrations/versions/f2_edited.py
git add -A; GIT_AUTHOR_DATE="2024-06-30T10:00:00+00:00" git commit -q -m "rename"
run_mlint rename --dry-run
assert_contains "follow: pure rename" "$OUT" "f1_renamed.py -> migrations/versions/20240115_01_renamed.py (2024-01-15 from git)"
assert_contains "follow: renamed and edited" "$OUT" "f2_edited.py -> migrations/versions/20240115_02_edited.py (2024-01-15 from git)"

# Templates: alembic.ini's file_template with dates is the default;
# [mlint] template and --template override it.
t=$TMP/tmpl; mkdir -p "$t"; git_init "$t"; cd "$t"
$ALEMBIC init alembic >/dev/null
h=$(p=$t new_rev -m "Hello world"); set_date "$h" "2025-07-08T09:10:11+02:00"
sed -i 's|^# file_template = .*|file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s|' alembic.ini
rh=$(rev_of "$h")
run_mlint rename --dry-run
assert_contains "alembic template" "$OUT" "-> alembic/versions/2025_07_08_0910-${rh}_hello_world.py"
assert_not_contains "alembic template: no hint" "$ERR" "hint"
printf '\n[mlint]\ntemplate = %%Y%%m%%d%%H%%M_%%slug\n' >> alembic.ini
run_mlint rename --dry-run
assert_contains "[mlint] template" "$OUT" "-> alembic/versions/202507080910_hello_world.py"
run_mlint rename --dry-run --template 'x_%rev'
assert_contains "--template" "$OUT" "-> alembic/versions/x_${rh}.py"
run_mlint rename --dry-run --template '%Y/%slug'
assert_eq "bad template: status" 2 "$RC"
assert_contains "bad template: message" "$ERR" "bad file name template '%Y/%slug'"

# The demo project: every migration has a Create Date header.
d=$TMP/conekt; cp -r "$MLINT_SRC/examples/conekt" "$d"; git_init "$d"; git_commit_all "$d" "demo"
run_mlint rename --dry-run --format json "$d"
assert_eq "demo plans 10 renames from headers" 10 "$(printf '%s' "$OUT" | grep -c '"date_source": "header"')"

finish
