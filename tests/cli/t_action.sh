#!/usr/bin/env bash
# action.yml: its inputs and steps, and its lint step (scripts/action-lint.sh)
# run as GitHub would on the demo repository's feature branch: annotations,
# SARIF, the job summary and the exit-code output.
source "$(dirname "$0")/lib.sh"

action=$MLINT_SRC/action.yml
shape=$($PY - "$action" <<'PY'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
print(a["runs"]["using"], ",".join(sorted(a["inputs"])), a["inputs"]["fail-on"]["default"],
      a["outputs"]["exit-code"]["value"])
steps = a["runs"]["steps"]
print(all(s.get("shell") == "bash" for s in steps), "install-deps.sh\" --build" in steps[0]["run"],
      "action-lint.sh" in steps[-1]["run"], "${{" not in steps[-1]["run"])
PY
) || skip_all "python3-yaml not installed"
assert_eq "action.yml: composite, inputs, output" \
  $'composite base,fail-on,path,sarif-file error ${{ steps.lint.outputs.exit-code }}\nTrue True True True' "$shape"

RC=0
DEMO_OUT=$(TMPDIR=$TMP bash "$MLINT_SRC/scripts/demo.sh" --keep "$MLINT" 2>&1) || RC=$?
repo=$(printf '%s\n' "$DEMO_OUT" | sed -n 's/^kept the demo repository: //p')
[ -d "$repo/.git" ] || { fail "demo: no repository kept"; finish; }
cd "$repo"
# a pull request into main, as actions/checkout with fetch-depth 0 leaves it
git update-ref refs/remotes/origin/main main

lint() {  # lint: runs the action's lint step; sets RC, OUT, SUMMARY, GHOUT
  : > "$TMP/summary"; : > "$TMP/ghout"
  RC=0
  OUT=$(env MLINT_BIN="$MLINT" GITHUB_STEP_SUMMARY="$TMP/summary" GITHUB_OUTPUT="$TMP/ghout" \
        CI=true GITHUB_ACTIONS=true GITHUB_BASE_REF=main "$@" \
        bash "$MLINT_SRC/scripts/action-lint.sh" 2>"$TMP/err") || RC=$?
  SUMMARY=$(cat "$TMP/summary"); GHOUT=$(cat "$TMP/ghout")
}

lint MLINT_PATH=. MLINT_FAIL_ON=error MLINT_SARIF="$TMP/mlint.sarif"
assert_eq "action: fails on the errors" 1 "$RC"
assert_eq "action: exit-code output" "exit-code=1" "$GHOUT"
assert_contains "action: annotation" "$OUT" \
  "::error file=migrations/versions/8d54434c5d70_drop_legacy_sequence_table.py,line=24,col=5,title=mlint drop-table::"
assert_not_contains "action: --new-only (old migration's info left out)" "$OUT" "a9f527518898"
assert_eq "action: SARIF written" "2.1.0 True" \
  "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["runs"][0]["results"]; print(d["version"], any(x["ruleId"]=="drop-table" for x in r))' "$TMP/mlint.sarif")"
why=$(validate_report sarif "$TMP/mlint.sarif") && pass "action: SARIF valid (SARIF 2.1.0 schema)" ||
  fail "action: SARIF does not validate: $why"
assert_contains "action: summary verdict" "$SUMMARY" "## mlint: failed"
assert_contains "action: summary table" "$SUMMARY" "| error | \`drop-table\` |"
assert_contains "action: summary graph, new head" "$SUMMARY" '["8d54434c5d70"]:::newhead'
assert_contains "action: summary names the base" "$SUMMARY" "since \`origin/main\`"

# an explicit base; no SARIF asked for
rm -f "$TMP/mlint.sarif"
lint MLINT_BASE=main MLINT_FAIL_ON=error
assert_eq "action base: status" 1 "$RC"
assert_contains "action base: summary names it" "$SUMMARY" "since \`main\`"
[ ! -e "$TMP/mlint.sarif" ] && pass "action: no SARIF unless asked" || fail "action: SARIF written unasked"

# a base that does not exist: status 2, no summary
lint MLINT_BASE=no-such-branch
assert_eq "action bad base: status 2" 2 "$RC"
assert_eq "action bad base: exit-code output" "exit-code=2" "$GHOUT"
assert_eq "action bad base: no summary" "" "$SUMMARY"

# main itself: info only, passes
git checkout -q main
lint MLINT_FAIL_ON=error
assert_eq "action on main: passes" 0 "$RC"
assert_contains "action on main: verdict" "$SUMMARY" "## mlint: passed"
cd /; rm -rf "$repo"
finish
