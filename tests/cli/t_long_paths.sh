#!/usr/bin/env bash
# Paths longer than PATH_MAX: the message says what failed and why, whole
# (the reason at its end is kept when the path is cut), on its own line.
source "$(dirname "$0")/lib.sh"

name=$(printf 'd%.0s' $(seq 1 240))
d=$TMP/deep; mkdir -p "$d"; cd "$d"
for _ in $(seq 1 20); do mkdir "$name" && cd "$name" || { fail "mkdir"; finish; }; done
mkdir -p migrations/versions
printf 'revision = "a1"\ndown_revision = None\n' > migrations/versions/a1_base.py
[ "$(pwd | wc -c)" -gt 4096 ] || skip_all "could not build a path longer than 4096 bytes"

# From inside: the current directory itself is too long.
run_mlint check --no-git
assert_eq "cwd past PATH_MAX: status" 2 "$RC"
assert_contains "cwd past PATH_MAX: says why" "$ERR" \
  "cannot use '.': its absolute path is longer than the system allows (PATH_MAX"
run_mlint rename --dry-run
assert_eq "rename, cwd past PATH_MAX: status" 2 "$RC"
assert_contains "rename, cwd past PATH_MAX: says why" "$ERR" "longer than the system allows"

# From the top: a relative path that resolves past PATH_MAX.
cd "$d"
rel=$(printf "$name/%.0s" $(seq 1 20))migrations/versions
run_mlint check --no-git "$rel"
assert_eq "path past PATH_MAX: status" 2 "$RC"
assert_contains "path past PATH_MAX: the reason survives the cut" "$ERR" \
  "/migrations/versions': its absolute path is longer than the system allows (PATH_MAX, 4096 bytes); move the project to a shorter path"

# A path that does not exist, too long for the 1 KB message slot (not for
# PATH_MAX): the cut keeps the start and the reason.
nope=$(printf 'n%.0s' $(seq 1 200))
missing=$(printf "$nope/%.0s" $(seq 1 8))end
run_mlint check "$missing"
assert_eq "long missing path: status" 2 "$RC"
assert_contains "long missing path: beginning kept" "$ERR" "mlint: '$nope/"
assert_contains "long missing path: middle cut, marked" "$ERR" "[...]"
case "$ERR" in *"' does not exist") pass "long missing path: the reason ends it" ;;
  *) fail "long missing path: reason lost: ${ERR: -120}" ;; esac
assert_eq "long missing path: one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
finish
