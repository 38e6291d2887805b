#!/usr/bin/env bash
# A write to stdout that fails (a full disk: /dev/full) is exit 2 with a
# message, for every command; `mlint help help` is help.
source "$(dirname "$0")/lib.sh"
[ -w /dev/full ] || skip_all "/dev/full is not available"

p=$TMP/proj; v=$p/migrations/versions; mkdir -p "$v"; cd "$p"
git_init "$p"
printf 'revision = "a1"\ndown_revision = None\n' > "$v/a1_base.py"
printf '"""b\n\nCreate Date: 2025-01-02 03:04:05\n"""\nrevision = "b2"\ndown_revision = "a1"\n' > "$v/b2_next.py"
git_commit_all "$p" "two migrations"

while IFS= read -r cmd; do
  rc=0; err=$(eval "'$MLINT' $cmd" 2>&1 >/dev/full) || rc=$?
  assert_eq "/dev/full: mlint $cmd: status" 2 "$rc"
  assert_contains "/dev/full: mlint $cmd: says what failed" "$err" "cannot write to standard output"
done <<'CMDS'
rules
rules drop-table
help
help check
help help
--help
--version
check --help
check
check --format json
check --format sarif
check --format junit
graph
graph --format dot
heads
rename --dry-run
rename --format json --dry-run
install-hook --print-path
CMDS

# A report longer than one write (it goes out in 64 KiB pieces): said once.
big=$TMP/big; mkdir -p "$big/migrations/versions"
for i in $(seq 1 400); do
  printf 'revision = "r%d"
down_revision = %s

def upgrade():
    op.create_index("ix_%d", "t%d", ["a"])

def downgrade():
    op.drop_index("ix_%d")
' \
    "$i" "$([ "$i" = 1 ] && echo None || echo "\"r$((i - 1))\"")" "$i" "$i" "$i" >"$big/migrations/versions/r${i}_x.py"
done
run_mlint check --no-git "$big/migrations/versions"
assert_eq "long report: warnings only" 0 "$RC"
[ "${#OUT}" -gt 65536 ] || fail "long report: expected more than 64 KiB of output, got ${#OUT}"
rc=0; err=$("$MLINT" check --no-git "$big/migrations/versions" 2>&1 >/dev/full) || rc=$?
assert_eq "/dev/full: a long report: status" 2 "$rc"
assert_eq "/dev/full: a long report: said once" 1 "$(printf '%s\n' "$err" | grep -c 'cannot write to standard output')"

run_mlint help help
assert_eq "help help: status" 0 "$RC"
assert_contains "help help: usage of help" "$OUT" "usage: mlint help [COMMAND]"
run_mlint help nosuch
assert_eq "help of an unknown command: status" 2 "$RC"
finish
