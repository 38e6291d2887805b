#!/usr/bin/env bash
# Hostile SQL in op.execute: a string PostgreSQL's parser rejects, a 10 MB
# string, NUL bytes and invalid UTF-8, 20,000 statements in one string,
# 20,000 nested brackets. Each gives a finding or silence, never a crash, a
# hang or exit 2; the statements of a big string are still all read.
source "$(dirname "$0")/lib.sh"

P=$TMP/proj
mkdir -p "$P/versions"
printf '[alembic]\nscript_location = .\n' > "$P/alembic.ini"
$PY - "$P/versions" <<'PY'
import os, sys
d = sys.argv[1]
head = ("revision = '%s'\ndown_revision = %s\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
        "def upgrade():\n")
tail = "\n\ndef downgrade():\n    op.execute('SELECT 1')\n"
def w(name, rev, down, body, mode="w"):
    data = head % (rev, down) + body + tail
    with open(os.path.join(d, name + ".py"), "wb") as f:
        f.write(data.encode("utf-8", "surrogateescape"))
w("a_reject", "a", "None", "    op.execute('ALTER TABLE ((( nonsense ;;; CREATE INDEX')\n"
  "    op.execute('DELETE FROM sessions ;; ALTER')\n")
w("b_deep", "b", "'a'", "    op.execute('''SELECT " + "(" * 20000 + "1" + ")" * 20000 + "''')\n")
w("c_many", "c", "'b'", "    op.execute('''" + "UPDATE t SET a = 1;\n" * 20000 + "''')\n")
w("d_big", "d", "'c'", "    op.execute('" + "x" * (10 * 1024 * 1024) + "')\n")
w("e_escapes", "e", "'d'", "    op.execute('CREATE INDEX ix0 ON t (c)\\x00; DROP TABLE t')\n"
  "    op.execute('CREATE INDEX ix ON t (\\xff\\udcff)')\n")
w("f_many_findings", "f", "'e'", "    op.execute('''" + "CREATE INDEX ix ON t (a);\n" * 20000 + "''')\n")
# raw bytes Python would reject: a finding (invalid-source), never a crash
with open(os.path.join(d, "g_raw.py"), "wb") as f:
    f.write((head % ("g", "'f'")).encode() + b"    op.execute('CREATE INDEX ix ON t (\xff\xfe a)')\n"
            b"    op.execute('CREATE INDEX i2 ON t (\x00)')\n" + tail.encode())
PY
cd "$P"
RC=0
START=$(date +%s)
timeout 120 "$MLINT" check --no-git --format json >"$TMP/out.json" 2>"$TMP/err" || RC=$?
END=$(date +%s)
assert_eq "hostile SQL: status 1 (findings), not a crash or exit 2" 1 "$RC"
[ $((END - START)) -lt 60 ] && pass "hostile SQL: no hang ($((END - START)) s)" ||
  fail "hostile SQL: took $((END - START)) s"
$PY - "$TMP/out.json" <<'PY' >"$TMP/counts" || fail "hostile SQL: JSON output unreadable"
import json, sys, collections
doc = json.load(open(sys.argv[1]))
c = collections.Counter((f["path"].split("/")[-1], f["rule"]) for f in doc["findings"])
for (path, rule), n in sorted(c.items()):
    print(path, rule, n)
PY
COUNTS=$(cat "$TMP/counts")
assert_contains "rejected SQL: the patterns still read it" "$COUNTS" "a_reject.py destructive-sql 1"
assert_contains "20,000 statements: every index reported" "$COUNTS" "f_many_findings.py create-index-not-concurrently 20000"
assert_contains "raw bytes: invalid-source" "$COUNTS" "g_raw.py invalid-source"
assert_not_contains "10 MB string: silence" "$COUNTS" "d_big.py"
assert_contains "NUL escape, bad UTF-8 escapes: the SQL is read" "$COUNTS" "e_escapes.py create-index-not-concurrently 2"
# the last statement of the big string is placed on its own line
line=$($PY -c "
import json,sys
d=json.load(open('$TMP/out.json'))
print(max(f['line'] for f in d['findings'] if f['path'].endswith('f_many_findings.py')))")
assert_eq "20,000 statements: the last one's line" 20006 "$line"
finish
