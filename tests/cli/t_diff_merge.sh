#!/usr/bin/env bash
# Differential: heads that share a parent (`alembic revision --head <rev>`,
# `--splice`), then `alembic merge` of some and of all heads, then a linear
# revision on top. Each stage: mlint's heads and multiple-heads finding are
# Alembic's.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

P="$TMP/proj"
init_project "$P" alembic
git_init "$P"
rev r1 "$P" -m "base"
rev r2 "$P" --head "$r1" -m "feature a"
rev r3 "$P" --head "$r1" --splice -m "feature b"
git_commit_all "$P" "two heads"

E="$TMP/s1.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s1: two heads" "$(printf '%s\n' "$r2" "$r3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "s1: alembic: multiple heads" yes "$(ex "$E" multiple_heads)"
assert_eq "s1: branch point" "$r1" "$(ex "$E" branch_points)"
# TODO(graph): bases = $r1, branch_points = $r1.
compare "s1: two heads" "$E" "$P" .

rev r4 "$P" --head "$r1" --splice -m "feature c"
E="$TMP/s2.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s2: three heads" "$(printf '%s\n' "$r2" "$r3" "$r4" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
compare "s2: three heads" "$E" "$P" .

merge m1 "$P" "$r2" "$r3" -m "merge a and b"
E="$TMP/s3.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s3: partial merge leaves two heads" "$(printf '%s\n' "$m1" "$r4" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "s3: alembic: still multiple heads" yes "$(ex "$E" multiple_heads)"
compare "s3: partial merge" "$E" "$P" .

merge m2 "$P" heads -m "merge"
E="$TMP/s4.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s4: one head after merge heads" "$m2" "$(ex "$E" cli_heads)"
assert_eq "s4: alembic: no multiple heads" no "$(ex "$E" multiple_heads)"
assert_eq "s4: merge points" "$(printf '%s\n' "$m1" "$m2" | LC_ALL=C sort)" "$(ex "$E" merge_points)"
# TODO(graph): merge_points = $m1 $m2, branch_points = $r1.
compare "s4: merged" "$E" "$P" .
compare "s4: merged, versions dir" "$E" "$P" --no-script-location alembic/versions

# The same merge, down_revision rewritten by hand as a list over several
# lines with comments (as reviewers sometimes leave it); Alembic reads it.
$PY - "$AL_FILE" "$m1" "$r4" <<'EOF' || setup_fail "rewrite down_revision"
import re, sys
path, a, b = sys.argv[1:4]
src = open(path).read()
new, n = re.subn(r"^down_revision = \(.*\)$",
                 "down_revision = [\n    %r,  # merge of a and b\n    %r,  # feature c\n]" % (a, b),
                 src, flags=re.M)
assert n == 1, src
open(path, "w").write(new)
EOF
E="$TMP/s4b.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s4b: still one head" "$m2" "$(ex "$E" cli_heads)"
assert_eq "s4b: still the same merge points" "$(printf '%s\n' "$m1" "$m2" | LC_ALL=C sort)" "$(ex "$E" merge_points)"
compare "s4b: down_revision as a multi-line list" "$E" "$P" .

rev r5 "$P" -m "after the merge"
git_commit_all "$P" "merged"
E="$TMP/s5.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s5: one head" "$r5" "$(ex "$E" cli_heads)"
compare "s5: linear after merge" "$E" "$P" .

finish
