#!/usr/bin/env bash
# Hostile projects, each finishing with a correct answer under a 1 MiB stack
# and a 2 GiB address-space limit: a 100,000-migration chain, a 200-deep
# merge lattice, 10,000 heads, cycles up to 5,000 long, a 10 MB migration,
# 100,000 non-migration files, a million-character line, deep brackets.
source "$(dirname "$0")/lib.sh"

GEN="$PY $MLINT_SRC/tests/hostile/gen.py"

# The limits: ASan reserves terabytes of address space, so its build gets
# only the stack limit.
limited() {
  if ldd "$MLINT" 2>/dev/null | grep -q libasan; then
    (ulimit -s 1024; "$@")
  else
    (ulimit -s 1024; ulimit -v 2097152; "$@")
  fi
}

run_limited() {  # like run_mlint, under the limits, with a time limit
  local o="$TMP/.out" e="$TMP/.err"
  RC=0; limited timeout 120 "$MLINT" "$@" >"$o" 2>"$e" || RC=$?
  OUT=$(cat "$o"); ERR=$(cat "$e")
}

heads_case() {  # heads_case KIND N: mlint heads prints the generator's answer
  local d="$TMP/$1" want
  want=$($GEN "$1" "$d" "$2")
  run_limited heads "$d"
  assert_eq "$1 $2: heads status" 0 "$RC"
  assert_eq "$1 $2: heads" "$want (head)" "$OUT"
}

heads_case chain 100000
run_limited check "$TMP/chain" --format json
assert_eq "chain: check status" 0 "$RC"
assert_contains "chain: all read" "$OUT" '"migrations": 100000'
rm -rf "$TMP/chain"

heads_case lattice 200
run_limited graph "$TMP/lattice" --format json
assert_eq "lattice: graph status" 0 "$RC"
assert_contains "lattice: merge points" "$OUT" '"l199a"'

d=$TMP/heads; want=$($GEN heads "$d" 10000)
run_limited heads "$d"
assert_eq "10,000 heads: status" 0 "$RC"
assert_eq "10,000 heads: count" "$want" "$(printf '%s\n' "$OUT" | grep -c ' (head)$')"
run_limited check "$d" --format json --no-excerpt
assert_eq "10,000 heads: check status" 1 "$RC"
assert_eq "10,000 heads: one finding for the set" 1 "$(printf '%s' "$OUT" | grep -c '"rule": "multiple-heads"')"
assert_contains "10,000 heads: the message counts them" "$OUT" "$want heads: "

d=$TMP/cycles; want=$($GEN cycles "$d" 5000)
run_limited check "$d" --format json
assert_eq "cycles: status" 1 "$RC"
assert_eq "cycles: one finding per cycle" "$want" "$(printf '%s' "$OUT" | grep -c '"rule": "revision-cycle"')"
assert_contains "cycles: the longest" "$OUT" "revision cycle of 5000"

heads_case big_file 10
run_limited check "$TMP/big_file"
assert_eq "10 MB file: check status" 0 "$RC"

heads_case noise 100000
run_limited check "$TMP/noise" --format json
assert_contains "noise: only migrations count" "$OUT" '"migrations": 2'
rm -rf "$TMP/noise"

heads_case long_line 1000000
heads_case deep_brackets 100000
run_limited check "$TMP/deep_brackets" --no-excerpt
assert_eq "deep brackets: status" 1 "$RC"
assert_contains "deep brackets: reported with Python's message" "$OUT" "b2_deep.py:6:415: error[invalid-source]: Python 3.11"
assert_contains "deep brackets: Python's message" "$OUT" "SyntaxError: too many nested parentheses"

finish
