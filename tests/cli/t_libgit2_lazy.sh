#!/usr/bin/env bash
# libgit2 is loaded when a command first needs it (src/git_dl.c), not at
# start: `heads` and `graph` never load it (nor libssh2 and OpenSSL with
# it), `check` in a git repository does. Without the library (MLINT_LIBGIT2
# names a file that is not there) nothing crashes: heads works, check
# lints the files and says the git rules were skipped, --staged (which
# needs git) fails naming the cause, --version says so.
source "$(dirname "$0")/lib.sh"

P=$TMP/p
gen=${MLINT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/bench/gen_migrations.py
$PY "$gen" "$P" 30 > /dev/null || fail "gen_migrations.py"
git_init "$P"; git_commit_all "$P" "history"
cd "$P"

loaded() {  # loaded ARGS...: the shared objects `mlint ARGS` opened
  LD_DEBUG=files "${MLINT_RUNNER_WORDS[@]}" "$MLINT" "$@" 2>&1 >/dev/null |
    sed -n 's/.*file=\([^ ]*\) \[0\];  needed by.*/\1/p; s/.*file=\([^ ]*\) \[0\];  dynamically loaded by.*/\1/p'
}
if LD_DEBUG=files "$MLINT" --help 2>&1 | grep -q "file="; then
  assert_not_contains "heads does not load libgit2" "$(loaded heads --no-cache)" "libgit2"
  assert_not_contains "heads does not load OpenSSL" "$(loaded heads --no-cache)" "libcrypto"
  assert_not_contains "graph does not load libgit2" "$(loaded graph)" "libgit2"
  assert_contains "check in a git repository loads it" "$(loaded check --no-cache)" "libgit2"
else
  fail "LD_DEBUG=files says nothing here: cannot see which libraries load"
fi

run_mlint --version
assert_contains "--version names libgit2's version" "$OUT" "libgit2 1."

export MLINT_LIBGIT2=$TMP/no-such-libgit2.so
run_mlint heads
assert_eq "without libgit2: heads works" 0 "$RC"
assert_contains "without libgit2: heads prints the head" "$OUT" "(head)"
run_mlint check --no-cache
assert_contains "without libgit2: check says why the git rules are skipped" "$ERR" \
  "cannot load libgit2"
assert_contains "without libgit2: check says the git rules are skipped" "$ERR" "git rules skipped"
assert_contains "without libgit2: the files are still linted" "$OUT" "in 30 migrations"
run_mlint check --staged
assert_eq "without libgit2: --staged is an error" 2 "$RC"
assert_contains "without libgit2: --staged names the cause" "$ERR" "cannot load libgit2"
run_mlint --version
assert_contains "without libgit2: --version says so" "$OUT" "libgit2 not loaded"
unset MLINT_LIBGIT2

finish
