#!/usr/bin/env bash
# The graph and scan findings end to end: each rule fires where it should,
# with its location, and the JSON and exit-status contract holds.
source "$(dirname "$0")/lib.sh"

mig() {  # mig DIR FILE BODY...: writes a migration file from lines
  local dir=$1 file=$2; shift 2
  mkdir -p "$dir"
  printf '%s\n' "$@" > "$dir/$file"
}

json_field() {  # json_field JSON PYEXPR: evaluates PYEXPR with doc bound to the JSON
  printf '%s' "$1" | $PY -c "import json,sys; doc=json.load(sys.stdin); print($2)"
}

p=$TMP/proj; mkdir -p "$p"; git_init "$p"; cd "$p"
v=migrations/versions
mig $v a1_base.py "revision = 'a1'" "down_revision = None"
mig $v b2_next.py "revision = 'b2'" "down_revision = 'a1'"
run_mlint check
assert_eq "clean: status" 0 "$RC"
assert_eq "clean: summary" "no findings in 2 migrations" "$OUT"

# duplicate-revision: reported on the second file, naming the first.
mig $v b2_copy.py "revision = 'b2'" "down_revision = 'a1'"
run_mlint check --no-excerpt
assert_eq "duplicate: status" 1 "$RC"
assert_contains "duplicate: finding at the file Alembic drops (b2_copy sorts first)" "$OUT" "migrations/versions/b2_copy.py:1:12: error[duplicate-revision]: revision 'b2' is also declared by 'migrations/versions/b2_next.py', which Alembic loads later"
rm $v/b2_copy.py

# missing-parent: down_revision and depends_on, at the value.
mig $v c3_orphan.py "revision = 'c3'" "down_revision = 'zz'" "depends_on = ('b2', 'yy')"
run_mlint check --no-excerpt
assert_contains "missing parent" "$OUT" "migrations/versions/c3_orphan.py:2:17: error[missing-parent]: down_revision names 'zz'"
assert_contains "missing dependency" "$OUT" "migrations/versions/c3_orphan.py:3:14: error[missing-parent]: depends_on names 'yy'"
rm $v/c3_orphan.py

# revision-cycle: once per cycle, not for the revision below it.
mig $v x1_loop.py "revision = 'x1'" "down_revision = 'x3'"
mig $v x2_loop.py "revision = 'x2'" "down_revision = 'x1'"
mig $v x3_loop.py "revision = 'x3'" "down_revision = 'x2'"
mig $v x4_below.py "revision = 'x4'" "down_revision = 'x3'"
run_mlint check --format json
assert_eq "cycle: status" 1 "$RC"
assert_eq "cycle: one finding" 1 "$(json_field "$OUT" "sum(f['rule']=='revision-cycle' for f in doc['findings'])")"
assert_contains "cycle: members" "$OUT" "revision cycle of 3"
rm $v/x?_*.py

# parse-error: no literal revision; no revision at all.
mig $v d4_expr.py "revision = make_id()" "down_revision = 'b2'"
mig $v d5_none.py "down_revision = 'b2'"
run_mlint check --no-excerpt
assert_contains "parse-error: expression" "$OUT" "migrations/versions/d4_expr.py:1:12: error[parse-error]: 'revision' is an expression ('make_id()')"
assert_contains "parse-error: missing" "$OUT" "migrations/versions/d5_none.py:1:17: error[parse-error]: assigns down_revision but no 'revision'"
rm $v/d4_expr.py $v/d5_none.py

# Branch labels: two heads with different labels are fine; with the same
# label they are multiple heads. A label written as an expression is kept as
# written, and two heads whose labels are the same expression share it.
mig $v e1_left.py "revision = 'e1'" "down_revision = 'b2'" "branch_labels = ('left',)"
mig $v e2_right.py "revision = 'e2'" "down_revision = 'b2'" "branch_labels = ['right']"
run_mlint heads
assert_eq "labels: heads" "e1 (left) (head)
e2 (right) (head)" "$OUT"
run_mlint check
assert_eq "labels: different labels are not multiple heads" 0 "$RC"
mig $v e3_more.py "revision = 'e3'" "down_revision = 'e1'"
mig $v e4_more.py "revision = 'e4'" "down_revision = 'e1'"
run_mlint check --format json
assert_eq "labels: inherited label, two heads: one finding, at the newest" "['e4']" "$(json_field "$OUT" "sorted(f['revision'] for f in doc['findings'] if f['rule']=='multiple-heads')")"
rm $v/e*.py
mig $v f1_expand.py "revision = 'f1'" "down_revision = 'b2'" "branch_labels = (cli.EXPAND_BRANCH,)"
mig $v f2_expand.py "revision = 'f2'" "down_revision = 'b2'" "branch_labels = (cli.EXPAND_BRANCH,)"
run_mlint check --format json
assert_eq "expression labels: shared label, two heads: one finding" "['f2']" "$(json_field "$OUT" "sorted(f['revision'] for f in doc['findings'] if f['rule']=='multiple-heads')")"
assert_eq "expression labels: reported" "2" "$(json_field "$OUT" "sum(f['rule']=='non-literal-value' for f in doc['findings'])")"
rm $v/f*.py

# down_revision as an expression: reported, never guessed.
mig $v g1_other.py "revision = 'g1'" "down_revision = OTHER"
run_mlint check --no-excerpt
assert_contains "non-literal down_revision" "$OUT" "migrations/versions/g1_other.py:2:17: warning[non-literal-value]: down_revision is 'OTHER', not a literal"
rm $v/g1_other.py

# depends_on does not make its target a non-head: an "effective head".
mig $v h1_side.py "revision = 'h1'" "down_revision = None" "branch_labels = ('side',)"
mig $v h2_main.py "revision = 'h2'" "down_revision = 'b2'" "depends_on = 'side'"
run_mlint heads
assert_eq "depends_on: effective head" "h1 (side) (effective head)
h2 (head)" "$OUT"
rm $v/h*.py

# header-mismatch is information: exit 0 at the default --fail-on.
mig $v i1_hdr.py '"""msg' '' 'Revision ID: i9' 'Revises: a1' '"""' "revision = 'i1'" "down_revision = 'b2'"
run_mlint check --no-excerpt
assert_eq "header-mismatch: status" 0 "$RC"
assert_contains "header-mismatch: id" "$OUT" "migrations/versions/i1_hdr.py:3:1: info[header-mismatch]: header says 'Revision ID: i9' but revision is 'i1'"
assert_contains "header-mismatch: revises" "$OUT" "header says 'Revises: a1' but down_revision differs"
run_mlint check --fail-on info
assert_eq "--fail-on info: status" 1 "$RC"
rm $v/i1_hdr.py

# The JSON contract: field types, severities, status agrees with errors.
mig $v j1_dup.py "revision = 'b2'" "down_revision = 'a1'"
run_mlint check --format json
assert_eq "json: status" 1 "$RC"
assert_eq "json: shape" "True" "$(json_field "$OUT" "all(isinstance(f['rule'],str) and f['severity'] in ('error','warning','info') and isinstance(f['line'],int) and f['line']>=1 and isinstance(f['column'],int) and isinstance(f['message'],str) and (f['revision'] is None or isinstance(f['revision'],str)) for f in doc['findings']) and doc['version']==1")"
assert_eq "json: summary" "1 3 3" "$(json_field "$OUT" "'%d %d %d' % (doc['summary']['errors'], doc['summary']['files'], doc['summary']['migrations'])")"

# No colour when stdout is not a terminal, nor with NO_COLOR.
run_mlint check
assert_not_contains "no colour in a pipe" "$OUT" $'\033['
# On a terminal (script(1) gives mlint one): a missing `script` is a failure,
# never a silently smaller test.
if command -v script >/dev/null; then
  tty_out=$(script -qec "$MLINT check" /dev/null || true)
  assert_contains "colour on a terminal" "$tty_out" $'\033['
  tty_out=$(NO_COLOR=1 script -qec "$MLINT check" /dev/null || true)
  assert_not_contains "NO_COLOR on a terminal" "$tty_out" $'\033['
else
  fail "script(1) (Debian: bsdutils) is missing: the colour checks cannot run"
fi

finish
