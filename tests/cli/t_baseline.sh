#!/usr/bin/env bash
# mlint baseline and check's use of it; check --summary (issue 14).
source "$(dirname "$0")/lib.sh"

V=migrations/versions
# mig REV DOWN UPGRADE-BODY [FILE]
mig() {
  local down="'$2'"; [ "$2" = None ] && down=None
  printf 'from alembic import op\n\nrevision = "%s"\ndown_revision = %s\n\n\ndef upgrade():\n    %s\n\n\ndef downgrade():  # mlint: ignore[missing-downgrade]\n    pass\n' \
    "$1" "$down" "$3" > "${4:-$V/$1_m.py}"
}

r=$TMP/base; mkdir -p "$r/$V"; git_init "$r"; cd "$r"
printf '[alembic]\nscript_location = migrations\n' > alembic.ini
mig a1 None 'op.drop_table("old")'
mig b2 a1 'op.drop_column("t", "c")'
git_commit_all "$r" "two risky migrations"
run_mlint check --no-git --no-excerpt
assert_eq "before: findings" 1 "$RC"

run_mlint baseline
assert_eq "baseline: written" 0 "$RC"
assert_contains "baseline: says where" "$ERR" "wrote '$r/.mlint-baseline': 2 findings"
lines=$(grep -v '^#' .mlint-baseline)
assert_eq "baseline: one line a finding" 2 "$(printf '%s\n' "$lines" | wc -l)"
assert_contains "baseline: readable comment" "$lines" "  # drop-table $V/a1_m.py:8"
assert_eq "baseline: sorted" "$(printf '%s\n' "$lines" | sort)" "$lines"
printf '%s\n' "$lines" | grep -Eq '^[0-9a-f]{16}  # ' && pass "baseline: fingerprint first" || fail "baseline: fingerprint first"
# the same fingerprints as SARIF's partialFingerprints
run_mlint check --no-git --no-baseline --format sarif
for fp in $(printf '%s\n' "$lines" | cut -c1-16); do
  assert_contains "baseline: SARIF mlint/v1 $fp" "$OUT" "\"mlint/v1\": \"$fp\""
done

run_mlint check --no-git --no-excerpt
assert_eq "check: the baseline hides its findings" 0 "$RC"
assert_contains "check: clean" "$OUT" "no findings"
git add .mlint-baseline; git commit -q -m baseline

# a new risky migration: only its finding
mig c3 b2 'op.drop_table("users")'
run_mlint check --no-excerpt
assert_eq "new: exit 1" 1 "$RC"
assert_contains "new: its finding" "$OUT" "$V/c3_m.py:8:5: error[drop-table]"
assert_not_contains "new: not the accepted ones" "$OUT" "a1_m.py"
assert_eq "new: only one" "1 error, 0 warnings, 0 info, 3 suppressed in 3 migrations" "$(printf '%s\n' "$OUT" | tail -n 1)"
rm $V/c3_m.py

# lines moved, file renamed: still accepted
{ printf '"""moved down"""\n# a comment\n\n'; cat $V/a1_m.py; } > $V/20250101_a1.py; rm $V/a1_m.py
run_mlint check --no-git --no-excerpt
assert_eq "moved and renamed: still accepted" 0 "$RC"
run_mlint check --no-git --no-excerpt --no-baseline
assert_eq "--no-baseline: everything" 1 "$RC"
assert_contains "--no-baseline: the moved one" "$OUT" "$V/20250101_a1.py:11:5: error[drop-table]"

# an accepted finding fixed: the entry no longer matches, said once
sed -i 's/op.drop_table("old")/op.create_table("new")/' $V/20250101_a1.py
run_mlint check --no-git --no-excerpt
assert_eq "stale: still clean" 0 "$RC"
assert_contains "stale: counted" "$ERR" "1 entry of '.mlint-baseline' no longer matches a finding"

# a broken baseline is an error naming the line
printf 'nonsense\n' > .mlint-baseline
run_mlint check --no-git
assert_eq "broken baseline: exit 2" 2 "$RC"
assert_contains "broken baseline: names it" "$ERR" "'.mlint-baseline':1: not a finding's fingerprint"
git checkout -q -- .mlint-baseline $V; rm -f $V/20250101_a1.py

# CI: the baseline comes from the base; a PR cannot accept its own finding
git checkout -q -b pr
mig c3 b2 'op.drop_table("users")'
run_mlint baseline
git_commit_all "$r" "c3, and accept it"
run_mlint check --no-excerpt
assert_eq "pr: locally accepted" 0 "$RC"
CI=true run_mlint check --base main --no-excerpt
assert_eq "pr, CI: the base's baseline" 1 "$RC"
assert_contains "pr, CI: c3's finding" "$OUT" "$V/c3_m.py:8:5: error[drop-table]"

# ---- check --summary ---------------------------------------------------------
run_mlint check --no-git --no-baseline --summary
assert_eq "summary: exit as check" 1 "$RC"
assert_contains "summary: by rule" "$OUT" "by rule:"
assert_contains "summary: drop-table counted" "$OUT" "     2  error    drop-table"
assert_contains "summary: drop-column counted" "$OUT" "     1  error    drop-column"
assert_contains "summary: files" "$OUT" "noisiest files:"
assert_contains "summary: a file" "$OUT" "     1  $V/a1_m.py"
assert_contains "summary: severity" "$OUT" "by severity: 3 errors, 0 warnings, 0 info"
assert_not_contains "summary: not each finding" "$OUT" "error[drop-table]"
for i in 1 2 3 4 5 6; do mig "x$i" c3 'op.drop_table("t")' "$V/x${i}_m.py"; done
run_mlint check --no-git --no-baseline --summary --select drop-table
assert_eq "summary: five files at most" 5 "$(printf '%s\n' "$OUT" | sed -n '/noisiest/,/by severity/p' | grep -c '^ ')"

finish
