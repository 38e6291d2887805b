#!/usr/bin/env bash
# `mlint check --format markdown` on the demo repository (scripts/demo.sh):
# the verdict, the findings table and the Mermaid graph with the heads and
# the feature branch's migrations highlighted.
source "$(dirname "$0")/lib.sh"

RC=0
DEMO_OUT=$(TMPDIR=$TMP bash "$MLINT_SRC/scripts/demo.sh" --keep "$MLINT" 2>&1) || RC=$?
assert_eq "demo: ran" 0 "$RC"
repo=$(printf '%s\n' "$DEMO_OUT" | sed -n 's/^kept the demo repository: //p')
[ -d "$repo/.git" ] || { fail "demo: no repository kept"; finish; }
cd "$repo"

run_mlint check --format markdown
assert_eq "markdown: status follows the findings" 1 "$RC"
assert_eq "markdown: verdict heading" "## mlint: failed" "$(printf '%s\n' "$OUT" | head -n 1)"
assert_contains "markdown: table header" "$OUT" \
  $'| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |'
assert_contains "markdown: drop-table row" "$OUT" \
  "| error | \`drop-table\` | migrations/versions/8d54434c5d70_drop_legacy_sequence_table.py:24 | op.drop_table('legacy_sequence') drops a table"
# every table row has exactly 4 cells: no unescaped | in a message
rows=$(printf '%s\n' "$OUT" | grep -c '^| ')
nfindings=$(printf '%s\n' "$OUT" | sed -n 's/^\([0-9]*\) errors\{0,1\}, \([0-9]*\) warnings\{0,1\}, \([0-9]*\) info.*/\1 \2 \3/p')
read -r e w i <<<"$nfindings"
assert_eq "markdown: one row per finding (+2 header rows)" $((e + w + i + 2)) "$rows"
bad=$(printf '%s\n' "$OUT" | grep '^| ' | sed 's/\\|//g' | awk -F'|' 'NF != 6' | head -n 1)
assert_eq "markdown: 4 cells per row" "" "$bad"

mermaid=$(printf '%s\n' "$OUT" | sed -n '/^```mermaid$/,/^```$/p')
assert_contains "mermaid: block" "$mermaid" $'```mermaid\nflowchart BT'
assert_eq "mermaid: one node per migration" 12 "$(printf '%s\n' "$mermaid" | grep -c '^  d0n[0-9]*\["')"
# the feature branch's two new heads, and its edited applied migration
assert_contains "mermaid: new head" "$mermaid" '["3369d01a39ea"]:::newhead'
assert_contains "mermaid: other new head" "$mermaid" '["8d54434c5d70"]:::newhead'
assert_contains "mermaid: changed migration" "$mermaid" '["95cae7519570"]:::new'
assert_contains "mermaid: base" "$mermaid" '["4b0973c7fa0e"]:::base'
assert_eq "mermaid: nothing else new" 3 "$(printf '%s\n' "$mermaid" | grep -c ':::new')"
assert_contains "mermaid: merge edges" "$mermaid" $'  d0n5 --> d0n11\n  d0n9 --> d0n11'
assert_contains "markdown: names the base" "$OUT" "added or changed since \`main\`"

# no base (git rules off): heads still marked, nothing highlighted as new
run_mlint check --format markdown --no-git
assert_not_contains "no base: no new class on nodes" "$(printf '%s\n' "$OUT" | grep '^  d0n')" ':::new'
assert_contains "no base: heads" "$OUT" '["8d54434c5d70"]:::head'
assert_not_contains "no base: no base named" "$OUT" "changed since"

# main has only PostgreSQL lock warnings (an index built without
# CONCURRENTLY, a foreign key without NOT VALID): it passes, with those rows
git checkout -q main
run_mlint check --format markdown
assert_eq "clean: status" 0 "$RC"
assert_eq "clean: verdict" "## mlint: passed" "$(printf '%s\n' "$OUT" | head -n 1)"
assert_eq "clean: two warning rows" 2 "$(printf '%s\n' "$OUT" | grep -c '^| warning |')"
assert_not_contains "clean: no errors" "$OUT" "| error |"
cd /; rm -rf "$repo"
finish
