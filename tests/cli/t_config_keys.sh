#!/usr/bin/env bash
# The [mlint] keys read before linting: base, applied and rules-dir; and the
# keys other commands read (template, models) are known, not "unknown".
source "$(dirname "$0")/lib.sh"

r=$TMP/repo; mkdir -p "$r/migrations/versions" "$r/team-rules"; git_init "$r"; cd "$r"
mig() {  # mig REV PARENT BODY
  printf 'revision = "%s"\ndown_revision = %s\n\n\ndef upgrade():\n    %s\n\n\ndef downgrade():\n    op.drop_table("t%s")\n' \
    "$1" "$2" "$3" "$1" > "migrations/versions/$1_m.py"
}
printf '[alembic]\nscript_location = migrations\n\n[mlint]\ntemplate = %%Y%%m%%d_%%slug\nmodels = app/models.py\n' > alembic.ini
mig a1 None 'op.create_table("ta1")'
git_commit_all "$r" "a1"
git branch -q trunk
git checkout -q -b feature
sed -i 's/"ta1"/"ta1x"/' migrations/versions/a1_m.py
git commit -q -am "edit a1"

# template and models are known keys.
run_mlint check
assert_not_contains "template/models: no unknown-key warning" "$ERR" "unknown key"

# base from .mlint.ini: the edit of a1 (applied on trunk) is caught.
printf '[mlint]\nbase = trunk\n' > .mlint.ini
run_mlint check --verbose
assert_contains "base from config: named" "$ERR" "base 'trunk' from '"
assert_contains "base from config: edited-applied" "$OUT" "error[edited-applied]"
# The option overrides the config.
run_mlint check --base feature
assert_not_contains "--base overrides config" "$OUT" "edited-applied"

# applied from config: a tag counts as applied.
git checkout -q trunk
mig b2 '"a1"' 'op.create_table("tb2")'
git add -A && git commit -q -m "b2" && git tag release-1
sed -i 's/"tb2"/"tb2x"/' migrations/versions/b2_m.py
printf '[mlint]\nbase = trunk\napplied = refs/tags/release-*\n' > .mlint.ini
run_mlint check
assert_contains "applied from config: edit of a released migration" "$OUT" "migrations/versions/b2_m.py"
assert_contains "applied from config: edited-applied" "$OUT" "error[edited-applied]"
git checkout -q -- migrations/versions/b2_m.py

# rules-dir from config, relative to the repository root.
cat > team-rules/no-alter-users.rule <<'RULE'
id: no-alter-users
severity: warning
scope: upgrade
target: call
summary: the users table is frozen
pattern: ^op\.create_table\(["']tb2
message: {call} touches a frozen table
RULE
printf '[mlint]\nrules-dir = team-rules\n' > .mlint.ini
run_mlint check --no-git
assert_contains "rules-dir from config: the team rule runs" "$OUT" "warning[no-alter-users]"
run_mlint rules --rules-dir team-rules no-alter-users
assert_eq "rules: the team rule is known" 0 "$RC"

finish
