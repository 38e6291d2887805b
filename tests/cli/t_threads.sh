#!/usr/bin/env bash
# The threaded paths give the same answer with any number of threads: the
# scan (and the per-file rules it runs), the git repository opened and read
# on a thread of its own while the files are scanned, and the file checker.
# Every mode of check (working tree, --staged, --head, --no-git) and heads,
# MLINT_THREADS=1 against 2, 3 and 8, byte for byte. scripts/test.sh also
# runs this test under ThreadSanitizer (a data race then fails it).
source "$(dirname "$0")/lib.sh"

P=$TMP/p
gen=${MLINT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/bench/gen_migrations.py
$PY "$gen" "$P" 1500 --branches > /dev/null || fail "gen_migrations.py"
git_init "$P"; git_commit_all "$P" "history"
cd "$P"
git checkout -q -b feature
f=$(ls migrations/versions/*.py | sed -n 700p)
sed -i 's/nullable=True/nullable=False/' "$f"
printf '\ndef helper():\n    pass\n' >> "$f"
git_commit_all "$P" "edit an applied migration"
printf '# uncommitted\n' >> "$(ls migrations/versions/*.py | sed -n 3p)"
git add -A
printf '# unstaged\n' >> "$(ls migrations/versions/*.py | sed -n 5p)"

# same ARGS...: check ARGS --format json with 1, 2, 3 and 8 threads agree
same() {
  local what="$*" one
  MLINT_THREADS=1 run_mlint "$@"
  [ "$RC" -le 1 ] || { fail "$what: status $RC: $ERR"; return; }
  one=$OUT
  for t in 2 3 8; do
    MLINT_THREADS=$t run_mlint "$@"
    assert_eq "$what: status with $t threads" 1 "$((RC <= 1))"
    assert_eq "$what: $t threads = 1 thread" "$one" "$OUT"
    assert_not_contains "$what: no race with $t threads" "$ERR" "ThreadSanitizer"
  done
}

same check --base main --format json
same check --staged --base main --format json
same check --head HEAD --base main --format json
same check --no-git --format json
same heads
MLINT_THREADS=8 run_mlint check --base main --format json
assert_contains "the edited applied migration is found" "$OUT" '"rule": "edited-applied"'
assert_contains "content rules ran" "$OUT" '"rule": "create-index-not-concurrently"'

finish
