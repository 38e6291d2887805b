#!/usr/bin/env bash
# The naming rules of mlint check: filename-format (only with a configured
# template), out-of-order, missing-message.
source "$(dirname "$0")/lib.sh"

mig() {  # mig FILE REV PARENT MESSAGE
  local parent=None
  [ -n "$3" ] && parent="'$3'"
  printf '"""%s\n\nRevision ID: %s\n"""\nrevision = %s\ndown_revision = %s\n' "$4" "$2" "'$2'" "$parent" > "$1"
}

p=$TMP/naming; mkdir -p "$p/migrations/versions"; git_init "$p"; cd "$p"
V=migrations/versions
mig $V/aa11_create_users.py aa11 "" "create users"
mig $V/bb22_.py bb22 aa11 "Add email"
mig $V/cc33_add_orders.py cc33 bb22 "empty message"

# No template configured: hash names are fine; messages are still checked.
run_mlint check --format json
assert_eq "no template: exit (warnings only)" 0 "$RC"
assert_not_contains "no template: no filename-format" "$OUT" "filename-format"
assert_not_contains "no template: hash names are not out of order" "$OUT" "out-of-order"
run_mlint check --no-excerpt
assert_not_contains "missing-message: <rev>_.py with a docstring message" "$OUT" "'bb22' has no message"
assert_contains "missing-message: empty message" "$OUT" "$V/cc33_add_orders.py:1:1: warning[missing-message]: migration 'cc33' has no message (\"empty message\"): it names the history"
assert_not_contains "missing-message: a real message" "$OUT" "aa11"
run_mlint check --fail-on warning
assert_eq "warnings fail with --fail-on warning" 1 "$RC"

# [mlint] template: names that do not follow it are reported.
printf '[alembic]\nscript_location = migrations\n\n[mlint]\ntemplate = %%Y%%m%%d_%%slug\n' > alembic.ini
run_mlint check --no-excerpt
assert_contains "filename-format: reported" "$OUT" "$V/aa11_create_users.py:1:1: warning[filename-format]: file name 'aa11_create_users.py' does not follow the template '%Y%m%d_%slug' ([mlint] template)"
assert_eq "filename-format: every hash name" 3 "$(printf '%s\n' "$OUT" | grep -c 'filename-format')"

# After mlint rename: no filename-format left; the <rev>_.py slug came from its docstring.
run_mlint rename
assert_eq "rename: status" 0 "$RC"
run_mlint check --no-excerpt
assert_not_contains "after rename: names follow the template" "$OUT" "filename-format"
[ -f $V/*_add_email.py ] && pass "after rename: slug from the docstring" || fail "after rename: slug from the docstring"

# Alembic's file_template with dates turns the rule on too.
printf '[alembic]\nscript_location = migrations\nfile_template = %%%%(year)d%%%%(month).2d%%%%(day).2d_%%%%(rev)s_%%%%(slug)s\n' > alembic.ini
run_mlint check --no-excerpt
assert_contains "alembic file_template: rule on" "$OUT" "follow the template '%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s' (file_template in alembic.ini)"

# out-of-order: a child dated before its parent; same-day files are not compared.
q=$TMP/order; mkdir -p "$q/migrations/versions"; git_init "$q"; cd "$q"
mig $V/20250301_base.py r1 "" "base"
mig $V/20250310_second.py r2 r1 "second"
mig $V/20250305_rebased.py r3 r2 "rebased"
mig $V/20250305_same_day.py r4 r3 "same day"
run_mlint check --no-excerpt
assert_contains "out-of-order: reported" "$OUT" "$V/20250305_rebased.py:1:1: warning[out-of-order]: '20250305_rebased.py' sorts before its parent '20250310_second.py'"
assert_eq "out-of-order: once" 1 "$(printf '%s\n' "$OUT" | grep -c 'out-of-order')"
assert_not_contains "out-of-order: no template configured, no filename-format" "$OUT" "filename-format"
run_mlint rules out-of-order
assert_contains "rules: explained" "$OUT" "out-of-order (warning, naming"

finish
