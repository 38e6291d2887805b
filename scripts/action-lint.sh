#!/usr/bin/env bash
# The lint step of action.yml: `mlint check --new-only` against the base,
# as workflow annotations (--format github), optionally SARIF, and a job
# summary (--format markdown appended to $GITHUB_STEP_SUMMARY).
#
# environment: MLINT_BIN (the binary), MLINT_PATH, MLINT_BASE, MLINT_FAIL_ON,
# MLINT_SARIF (the action's inputs), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
# Exit status: mlint's (0 clean, 1 findings at or above fail-on, 2 error).
set -uo pipefail

args=(check "${MLINT_PATH:-.}" --new-only --fail-on "${MLINT_FAIL_ON:-error}")
[ -n "${MLINT_BASE:-}" ] && args+=(--base "$MLINT_BASE")

rc=0
"$MLINT_BIN" "${args[@]}" --format github || rc=$?
if [ "$rc" -lt 2 ] && [ -n "${MLINT_SARIF:-}" ]; then
  "$MLINT_BIN" "${args[@]}" --format sarif > "$MLINT_SARIF" 2>/dev/null
  [ $? -lt 2 ] || rc=2
fi
if [ "$rc" -lt 2 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$MLINT_BIN" "${args[@]}" --format markdown >> "$GITHUB_STEP_SUMMARY" 2>/dev/null
fi
[ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$rc" >> "$GITHUB_OUTPUT"
exit "$rc"
