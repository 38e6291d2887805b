#!/usr/bin/env bash
# Differential: branch labels and dependencies, as the Alembic CLI makes them.
#   --head base --branch-label   an independent branch (a second base)
#   --head <label>@head          a revision that inherits the label
#   --branch-label on a child    a head with two labels (printed sorted)
#   --depends-on                 a cross-branch dependency: the dependency
#                                stays a head for `alembic heads`, printed
#                                "(effective head)"
#   --splice                     a second head on the unlabelled branch
#   alembic merge                of the real heads, and across branches
#   two --depends-on, two labels written in one file
# mlint's heads lines, labels and multiple-heads finding must be Alembic's.
# t_diff_branch_groups.sh has more multiple-heads cases.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

P="$TMP/proj"
init_project "$P" alembic
git_init "$P"
rev r1 "$P" -m "accounts"
rev r2 "$P" -m "accounts email"
rev a1 "$P" --head base --branch-label analytics -m "analytics base"
git_commit_all "$P" "two branches"

E="$TMP/s1.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s1: two heads" "$(printf '%s\n' "$r2" "$a1" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "s1: two bases" "$(printf '%s\n' "$r1" "$a1" | LC_ALL=C sort)" "$(ex "$E" bases)"
assert_eq "s1: alembic: one head per branch" no "$(ex "$E" multiple_heads)"
assert_contains "s1: alembic prints the label" "$(ex "$E" text)" "$a1 (analytics) (head)"
# TODO(graph): bases = $r1 $a1, no branch points.
compare "s1: independent labelled branch" "$E" "$P" .

# A child of the labelled revision inherits its label; a grandchild with a
# label of its own carries both.
rev a2 "$P" --head analytics@head -m "analytics events"
rev a3 "$P" --head analytics@head --branch-label reporting -m "reporting views"
E="$TMP/s2.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s2: heads" "$(printf '%s\n' "$r2" "$a3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_contains "s2: alembic: inherited + own label" "$(ex "$E" text)" "$a3 (analytics, reporting) (head)"
compare "s2: inherited labels" "$E" "$P" .

# The main branch needs the analytics branch: depends_on. Alembic still
# lists a3 as a head, as "(effective head)".
rev r3 "$P" --head "$r2" --depends-on "$a3" -m "uses analytics"
E="$TMP/s3.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s3: heads" "$(printf '%s\n' "$r3" "$a3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_contains "s3: alembic: effective head" "$(ex "$E" text)" "$a3 (analytics, reporting) (effective head)"
assert_eq "s3: alembic: no multiple heads" no "$(ex "$E" multiple_heads)"
compare "s3: depends_on" "$E" "$P" .

# Depends on a branch label rather than a revision id.
rev r4 "$P" --head "$r3" --depends-on reporting -m "uses reporting label"
E="$TMP/s4.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s4: heads" "$(printf '%s\n' "$r4" "$a3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
compare "s4: depends_on a label" "$E" "$P" .

# A spliced second head on the unlabelled branch: multiple heads.
rev r5 "$P" --head "$r1" --splice -m "hotfix"
git_commit_all "$P" "spliced"
E="$TMP/s5.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s5: heads" "$(printf '%s\n' "$r4" "$r5" "$a3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "s5: alembic: multiple heads" yes "$(ex "$E" multiple_heads)"
assert_eq "s5: branch point" "$r1" "$(ex "$E" branch_points)"
# TODO(graph): bases = $r1 $a1, branch_points = $r1.
compare "s5: splice" "$E" "$P" .

# `alembic merge heads` merges the real heads (r4, r5), not the effective
# head a3; then a merge across branches carries the analytics labels.
merge m1 "$P" heads -m "merge hotfix"
E="$TMP/s6.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s6: heads" "$(printf '%s\n' "$m1" "$a3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "s6: alembic: no multiple heads" no "$(ex "$E" multiple_heads)"
compare "s6: merge heads" "$E" "$P" .
merge m2 "$P" "$m1" analytics@head -m "merge analytics"
E="$TMP/s7.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s7: one head" "$m2" "$(ex "$E" cli_heads)"
assert_contains "s7: alembic: the merge inherits both labels" "$(ex "$E" text)" "$m2 (analytics, reporting) (head)"
# TODO(graph): merge_points = $m1 $m2.
compare "s7: merge across branches" "$E" "$P" .

# depends_on naming two revisions (Alembic writes a list), and branch_labels with two
# labels written in the file, out of order (Alembic's docs tell users to
# edit the file for that; Alembic reads it).
rev x1 "$P" --head base --branch-label xray -m "xray base"
rev x2 "$P" --head "$m2" --depends-on "$x1" --depends-on "$r5" -m "two deps"
sed -i "s/^branch_labels = ('xray',)\$/branch_labels = ('zulu', 'xray')/" "$(grep -l "^revision = '$x1'" "$P"/alembic/versions/*.py)"
grep -q "^branch_labels = ('zulu', 'xray')" "$P"/alembic/versions/*.py || setup_fail "edit branch_labels"
grep -q "^depends_on = \['$x1', '$r5'\]" "$AL_FILE" || setup_fail "two depends_on: $(grep depends_on "$AL_FILE")"
E="$TMP/s8.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s8: heads" "$(printf '%s\n' "$x1" "$x2" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_contains "s8: alembic: two labels, sorted" "$(ex "$E" text)" "$x1 (xray, zulu) (effective head)"
compare "s8: two depends_on, two labels in the file" "$E" "$P" .

finish
