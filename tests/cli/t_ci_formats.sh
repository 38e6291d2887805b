#!/usr/bin/env bash
# `mlint check --format gitlab` (GitLab Code Quality) and `--format junit`,
# parsed with Python's json and xml.etree: fields, severities, fingerprints
# that survive a line shift, one test case per finding, passed rules,
# escaping. run_mlint (lib.sh) validates each report against its schema.
source "$(dirname "$0")/lib.sh"

mig() {  # mig DIR FILE BODY...
  local dir=$1 file=$2; shift 2
  mkdir -p "$dir"
  printf '%s\n' "$@" > "$dir/$file"
}
py() {  # py JSON_OR_XML PYEXPR: doc bound to stdin's text
  printf '%s' "$1" | $PY -c "import json,sys,xml.etree.ElementTree as ET; text=sys.stdin.read(); $2"
}

p=$TMP/proj; mkdir -p "$p"; cd "$p"
v=migrations/versions
mig $v a1_base.py "revision = 'a1'" "down_revision = None"
mig $v 'b2_a&b<c>.py' "revision = 'b2'" "down_revision = 'a1'" "" \
  "def upgrade():" "    op.drop_table('t1')" "    op.drop_table('t2')" "" \
  "def downgrade():" "    pass"
mig $v a0_copy.py "revision = 'b2'" "down_revision = 'a1'"

run_mlint check --format gitlab --no-git
assert_eq "gitlab: status" 1 "$RC"
gl=$OUT
assert_eq "gitlab: an array of issues" "list 4" "$(py "$gl" 'd=json.loads(text); print(type(d).__name__, len(d))')"
assert_eq "gitlab: every issue has the fields" "True" "$(py "$gl" 'd=json.loads(text); print(all(set(i)=={"description","check_name","fingerprint","severity","location"} and set(i["location"])=={"path","lines"} and isinstance(i["location"]["lines"]["begin"], int) for i in d))')"
assert_eq "gitlab: drop-table issues" "critical migrations/versions/b2_a&b<c>.py 5,6" \
  "$(py "$gl" 'd=[i for i in json.loads(text) if i["check_name"]=="drop-table"]; print(d[0]["severity"], d[0]["location"]["path"], ",".join(str(i["location"]["lines"]["begin"]) for i in d))')"
assert_eq "gitlab: severities are GitLab's" "critical" \
  "$(py "$gl" 'print(" ".join(sorted(set(i["severity"] for i in json.loads(text)))))')"
assert_eq "gitlab: fingerprints unique" "4" "$(py "$gl" 'print(len(set(i["fingerprint"] for i in json.loads(text))))')"
assert_contains "gitlab: description" "$gl" "\"description\": \"op.drop_table('t1') drops a table"

# a line inserted above keeps every fingerprint; the line numbers move
sed -i '1i # a comment' "$v/b2_a&b<c>.py"
run_mlint check --format gitlab --no-git
assert_eq "gitlab: fingerprints survive a line shift" \
  "$(py "$gl" 'print(sorted(i["fingerprint"] for i in json.loads(text)))')" \
  "$(py "$OUT" 'print(sorted(i["fingerprint"] for i in json.loads(text)))')"
assert_eq "gitlab: lines moved" "6,7" \
  "$(py "$OUT" 'print(",".join(str(i["location"]["lines"]["begin"]) for i in json.loads(text) if i["check_name"]=="drop-table"))')"
# the same fingerprint as SARIF's partialFingerprints
run_mlint check --format sarif --no-git
assert_eq "gitlab: fingerprints are SARIF's" \
  "$(py "$OUT" 'print(sorted(r["partialFingerprints"]["mlint/v1"] for r in json.loads(text)["runs"][0]["results"]))')" \
  "$(run_mlint check --format gitlab --no-git; py "$OUT" 'print(sorted(i["fingerprint"] for i in json.loads(text)))')"

run_mlint check --format junit --no-git
assert_eq "junit: status" 1 "$RC"
ju=$OUT
assert_eq "junit: one suite, counts match the elements" "testsuite mlint 4 True True" \
  "$(py "$ju" 'r=ET.fromstring(text); c=r.findall("testcase"); print(r.tag, r.get("name"), r.get("failures"), r.get("tests")==str(len(c)), r.get("failures")==str(len(r.findall("testcase/failure"))))')"
assert_eq "junit: one case per finding, at most one failure each" \
  "migrations/versions/a0_copy.py duplicate-revision 1|migrations/versions/b2_a&b<c>.py drop-table 1|migrations/versions/b2_a&b<c>.py drop-table 1|migrations/versions/b2_a&b<c>.py missing-downgrade 1" \
  "$(py "$ju" 'r=ET.fromstring(text); print("|".join(sorted("%s %s %d" % (c.get("classname"), c.get("name"), len(c.findall("failure"))) for c in r.findall("testcase") if c.find("failure") is not None)))')"
assert_eq "junit: every other rule that ran is a passed case" "True True False" \
  "$(py "$ju" 'r=ET.fromstring(text); p=[c.get("name") for c in r.findall("testcase") if c.find("failure") is None]; print("missing-parent" in p, "out-of-order" in p, "drop-table" in p)')"
run_mlint check --format junit --no-git --select drop-table,missing-parent
assert_eq "junit: only the selected rules run" "drop-table drop-table missing-parent|3 2" \
  "$(py "$OUT" 'r=ET.fromstring(text); print(" ".join(c.get("name") for c in r.findall("testcase")) + "|" + r.get("tests"), r.get("failures"))')"
assert_eq "junit: failure message and text, unescaped" "error|op.drop_table('t1') drops a table|migrations/versions/b2_a&b<c>.py:6:5: error[drop-table]: op.drop_table('t1')" \
  "$(py "$ju" 'f=ET.fromstring(text).find("testcase[@name=\"drop-table\"]/failure"); print(f.get("type"), f.get("message")[:33], f.text[:76], sep="|")')"
assert_eq "junit: escaped path in a message" "revision 'b2' is also declared by 'migrations/versions/b2_a&b<c>.py', which Alembic loads later and keeps" \
  "$(py "$ju" 'f=ET.fromstring(text).find("testcase[@name=\"duplicate-revision\"]/failure"); print(f.get("message").split(":")[0])')"

# clean: an empty array; one passing test case
rm "$v/a0_copy.py" "$v/b2_a&b<c>.py"
run_mlint check --format gitlab --no-git
assert_eq "gitlab clean: status" 0 "$RC"
assert_eq "gitlab clean: empty array" "[]" "$OUT"
run_mlint check --format junit --no-git
assert_eq "junit clean: every rule a passed case" "True 0 0" \
  "$(py "$OUT" 'r=ET.fromstring(text); print(int(r.get("tests")) == len(r.findall("testcase")) > 20, r.get("failures"), len(r.findall("testcase/failure")))')"
finish
