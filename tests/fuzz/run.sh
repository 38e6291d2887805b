#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for SECONDS
# (default 60). A crash leaves its input in tests/fuzz/crashes/: add it to the
# harness's corpus (tests/fuzz/corpus/NAME/) once fixed, as a regression test.
#   tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=build-fuzz
CC=clang cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DMLINT_FUZZ=ON -DMLINT_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_migration fuzz_ini fuzz_ruleset \
  fuzz_template fuzz_sql >/dev/null
mkdir -p tests/fuzz/crashes
for name in fuzz_migration fuzz_ini fuzz_ruleset fuzz_template fuzz_sql; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$name/* "$work/"
  [ $name = fuzz_migration ] && cp examples/conekt/migrations/versions/*.py "$work/"
  [ $name = fuzz_ruleset ] && cp rules/*.rule "$work/"
  echo "== $name for ${seconds}s"
  "$build/tests/$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -artifact_prefix=tests/fuzz/crashes/$name- "$work" 2>&1 | tail -3
  rm -rf "$work"
done
