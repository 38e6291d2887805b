#!/usr/bin/env bash
# File names with a line break: Alembic does not load such a file (its
# filter's `.` stops at the line break), so mlint skips it with a note, as
# for any other file Alembic would not load; a path with one is escaped in
# text output so that path:line:col stays one line.
source "$(dirname "$0")/lib.sh"
need_alembic

p=$TMP/proj; mkdir -p "$p"; git_init "$p"; cd "$p"
$ALEMBIC init alembic >/dev/null || { fail "alembic init"; finish; }
v=alembic/versions
printf 'revision = "a1"\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n' > "$v/a1_base.py"
printf 'revision = "b2"\ndown_revision = "a1"\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n' > "$v/b2_two"$'\n'"lines.py"
heads=$($ALEMBIC heads 2>&1) || fail "alembic heads: $heads"
assert_eq "alembic does not load it" "a1 (head)" "$heads"
# A line break at the end: Alembic's filter matches "c3_end.py", then its
# loader refuses the ".py\n" extension (ImportError); mlint skips it too.
printf 'revision = "c3"\ndown_revision = "a1"\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n' > "$v/c3_end.py"$'\n'
run_mlint heads
assert_eq "mlint heads agrees" "a1 (head)" "$OUT"
run_mlint check -v --select multiple-heads,missing-parent
assert_eq "check: no finding from the skipped files" 0 "$RC"
assert_contains "check -v: note, escaped, one line" "$ERR" \
  "skipped 'alembic/versions/b2_two\\nlines.py': its name holds a line break, and Alembic does not load such a file"
assert_contains "check -v: the trailing line break too" "$ERR" "skipped 'alembic/versions/c3_end.py\\n'"
git_commit_all "$p" "names with line breaks"
run_mlint check -v --select multiple-heads --staged
assert_contains "check --staged (from the index): the same note" "$ERR" "skipped 'alembic/versions/b2_two\\nlines.py'"
run_mlint rename --dry-run
assert_not_contains "rename leaves it alone" "$OUT" "b2_two"

# A directory name with a line break: findings keep path:line:col on one line.
w=$TMP/odd; d="$w/we"$'\n'"ird/versions"; mkdir -p "$d"; cd "$w"
printf 'revision = "x1"\ndown_revision = "zz"\n' > "$d/x1_orphan.py"
run_mlint check --no-git --no-excerpt "we"$'\n'"ird/versions"
assert_eq "escaped path: status" 1 "$RC"
assert_contains "escaped path: one line" "$OUT" "we\\nird/versions/x1_orphan.py:2:17: error[missing-parent]"
assert_eq "escaped path: two lines in all (finding, summary)" 2 "$(printf '%s\n' "$OUT" | wc -l)"
finish
