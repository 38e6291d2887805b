#!/usr/bin/env bash
# Every machine format validated against its published schema
# (tests/schemas): SARIF against the OASIS SARIF 2.1.0 JSON schema
# (python3-jsonschema), JUnit against Jenkins' junit-4.xsd (xmllint
# --schema), GitLab Code Quality against the fields GitLab documents. The
# validators are shown to reject what they must first: a validator that
# cannot fail proves nothing. run_mlint validates every report the other
# tests make too.
source "$(dirname "$0")/lib.sh"

S=$MLINT_SRC/tests/schemas
command -v xmllint >/dev/null || { fail "xmllint (libxml2-utils) is not installed"; finish; }
$PY -c 'import jsonschema' 2>/dev/null || { fail "python3-jsonschema is not installed"; finish; }

# ---- the validators reject what is invalid ----
cat > "$TMP/bad.sarif" <<'JSON'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "mlint"}},
 "originalUriBaseIds": {"%SRCROOT%": {"description": "the repository root"}}, "results": []}]}
JSON
validate_report sarif "$TMP/bad.sarif" >/dev/null && fail "sarif validator accepts a string description" ||
  pass "sarif validator rejects a string description"
sed 's/"description": "the repository root"/"description": {"text": "the repository root"}/' \
  "$TMP/bad.sarif" > "$TMP/good.sarif"
validate_report sarif "$TMP/good.sarif" >/dev/null && pass "sarif validator accepts {\"text\": ...}" ||
  fail "sarif validator rejects a valid log"
printf '<testsuite name="m" tests="1"><testcase name="r" file="x"/></testsuite>\n' > "$TMP/bad.xml"
validate_report junit "$TMP/bad.xml" >/dev/null && fail "junit validator accepts an unknown attribute" ||
  pass "junit validator rejects an unknown attribute"
for bad in '{}' '[{"description":"d","check_name":"c","fingerprint":"f","severity":"error","location":{"path":"a.py","lines":{"begin":1}}}]' \
  '[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"/a.py","lines":{"begin":1}}}]' \
  '[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"a.py"}}]' \
  '[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"a.py","lines":{"begin":1}}},{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"a.py","lines":{"begin":2}}}]'; do
  printf '%s' "$bad" > "$TMP/bad.json"
  validate_report gitlab "$TMP/bad.json" >/dev/null && fail "gitlab validator accepts $bad" ||
    pass "gitlab validator rejects ${bad:0:60}..."
done

# ---- mlint's reports, on real projects, with and without findings ----
n=0
for ex in conekt feature-branch; do
  cd "$MLINT_SRC/examples/$ex"
  for fmt in sarif junit gitlab; do
    before=$REPORTS_VALIDATED
    run_mlint check --no-git --format "$fmt"
    [ "$REPORTS_VALIDATED" -gt "$before" ] && n=$((n + 1)) || fail "$ex $fmt: no report validated (rc $RC)"
  done
done
p=$TMP/proj; v=$p/migrations/versions; mkdir -p "$v"; cd "$p"
printf 'revision = "a1"\ndown_revision = None\n' > "$v/a1_base.py"
printf 'revision = "b2"\ndown_revision = "a1"\n\ndef upgrade():\n    op.drop_table("t")\n\ndef downgrade():\n    pass\n' > "$v/b2_drop & <x>.py"
printf 'revision = "b3"\ndown_revision = "zz"\n' > "$v/b3_missing.py"
printf 'revision = "c4"\ndown_revision = "a1"\n# mlint: ignore[no-such-rule]\n' > "$v/c4_héllo.py"
for fmt in sarif junit gitlab; do
  before=$REPORTS_VALIDATED
  run_mlint check --no-git --format "$fmt"
  assert_eq "findings: $fmt exit status" 1 "$RC"
  [ "$REPORTS_VALIDATED" -gt "$before" ] && n=$((n + 1)) || fail "findings $fmt: not validated"
  run_mlint check --no-git --format "$fmt" --select filename-format
  assert_eq "clean: $fmt exit status" 0 "$RC"
done
assert_eq "reports validated on real projects" 9 "$n"
finish
