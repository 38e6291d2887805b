#!/usr/bin/env bash
# Config keys new-only, exclude and per-path-ignores, and
# `mlint check --show-config`: each setting with the file and line, option
# or default it came from.
source "$(dirname "$0")/lib.sh"

mig() {  # mig DIR FILE BODY...
  local dir=$1 file=$2; shift 2
  mkdir -p "$dir"
  printf '%s\n' "$@" > "$dir/$file"
}
p=$TMP/proj; mkdir -p "$p"; git_init "$p"; cd "$p"
v=migrations/versions
mig $v a1_base.py "revision = 'a1'" "down_revision = None" "def upgrade():" \
  "    op.drop_table('t1')" "def downgrade():" "    pass"
mig $v b2_legacy.py "revision = 'b2'" "down_revision = 'a1'" "def upgrade():" \
  "    op.drop_table('t2')" "def downgrade():" "    pass"
git_commit_all "$p" "two migrations"

run_mlint check --no-excerpt
assert_eq "baseline: 4 errors" "4 errors, 0 warnings, 0 info, 0 suppressed in 2 migrations" "$(printf '%s\n' "$OUT" | tail -n 1)"

printf '%s\n' '[mlint]' 'fail-on = warning' 'exclude = *legacy*' \
  'per-path-ignores = migrations/versions/a1_*.py: missing-downgrade ; nothing/*:all' \
  'selekt = drop-table' > .mlint.ini
run_mlint check --no-excerpt
assert_eq "exclude + per-path-ignores: one finding left" \
  $'migrations/versions/a1_base.py:4:5: error[drop-table]: op.drop_table(\'t1\') drops a table in an upgrade: every row in it is lost, and no downgrade brings them back\n1 error, 0 warnings, 0 info, 0 suppressed in 2 migrations' "$OUT"
assert_contains "unknown key: file and line" "$ERR" "mlint: warning: '.mlint.ini':5: unknown key 'selekt' in [mlint]"

run_mlint check --show-config --downgrade off
assert_eq "show-config: status 0 despite findings" 0 "$RC"
assert_contains "show-config: fail-on from the file" "$OUT" "fail-on          = warning                          ; '.mlint.ini':2"
assert_contains "show-config: downgrade from the option" "$OUT" "downgrade        = off                              ; --downgrade"
assert_contains "show-config: select default" "$OUT" "select           = all                              ; default"
assert_contains "show-config: exclude" "$OUT" "exclude          = *legacy*                         ; '.mlint.ini':3"
assert_contains "show-config: per-path-ignores" "$OUT" "per-path-ignores = migrations/versions/a1_*.py:missing-downgrade; nothing/*:all ; '.mlint.ini':4"
assert_contains "show-config: script directory" "$OUT" "[mlint]  # script directory migrations"
assert_contains "show-config: base" "$OUT" "base             = HEAD                             ; default"
assert_not_contains "show-config: no findings printed" "$OUT" "drop-table"

# the alembic.ini overrides .mlint.ini key by key; the option overrides both
printf '%s\n' '[alembic]' 'script_location = migrations' '' '[mlint]' 'fail-on = info' 'new-only = true' > alembic.ini
run_mlint check --show-config
assert_contains "show-config: alembic.ini wins over .mlint.ini" "$OUT" "fail-on          = info                             ; 'alembic.ini':5"
assert_contains "show-config: new-only from alembic.ini" "$OUT" "new-only         = true                             ; 'alembic.ini':6"
run_mlint check --show-config --fail-on error --new-only
assert_contains "show-config: option wins" "$OUT" "fail-on          = error                            ; --fail-on"
assert_contains "show-config: --new-only" "$OUT" "new-only         = true                             ; --new-only"

# new-only = true in the config: content findings only in changed files
mig $v c3_new.py "revision = 'c3'" "down_revision = 'b2'" "def upgrade():" \
  "    op.drop_table('t3')" "def downgrade():" "    pass"
printf '%s\n' '[mlint]' 'new-only = true' > .mlint.ini
rm alembic.ini
run_mlint check --no-excerpt --base main
assert_contains "new-only config: new file reported" "$OUT" "c3_new.py:4:5: error[drop-table]"
assert_not_contains "new-only config: old file skipped" "$OUT" "a1_base.py"

printf '%s\n' '[mlint]' 'new-only = maybe' > .mlint.ini
run_mlint check
assert_eq "bad boolean: status 2" 2 "$RC"
assert_contains "bad boolean: names file and line" "$ERR" "'.mlint.ini':2: 'maybe' is not a boolean for new-only"
printf '%s\n' '[mlint]' 'per-path-ignores = no-colon-here' > .mlint.ini
run_mlint check
assert_eq "bad per-path item: status 2" 2 "$RC"
assert_contains "bad per-path item: message" "$ERR" "per-path-ignores item 'no-colon-here' has no ':'"
finish
