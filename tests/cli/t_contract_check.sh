#!/usr/bin/env bash
# The shared contract checker (outside this repository) on the demo project.
# Without it the test is reported as skipped, never as passed.
source "$(dirname "$0")/lib.sh"

cc=${MLINT_CONTRACT_CHECK:-/work/shared/tools/contract-check}
[ -f "$cc" ] || skip_all "no contract checker at '$cc' (set MLINT_CONTRACT_CHECK)"
d=$TMP/conekt; cp -r "$MLINT_SRC/examples/conekt" "$d"; git_init "$d"; git_commit_all "$d" "demo"
out=$(cd "$d" && $PY "$cc" "$MLINT" . 2>&1)
assert_contains "contract-check: passes" "$out" "contract-check: 0 problem(s)"
assert_not_contains "contract-check: rename is checked, not skipped" "$out" "skipped (not built yet?): mlint rename"
finish
