#!/usr/bin/env bash
# Builds mlint and runs the whole test suite (unit, end-to-end and
# differential tests against the real alembic), first as a normal build, then
# under AddressSanitizer + UndefinedBehaviorSanitizer, then the tests of the
# threaded paths (t_threads, t_git) under ThreadSanitizer. The PostgreSQL
# proofs (CTest label postgresql) run once, in the first pass only.
# Set MLINT_TEST_SANITIZE=0 to skip the sanitizer passes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
echo "== build and test (gcc, -Werror)"
MLINT_BUILD_DIR=build scripts/build.sh
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${MLINT_TEST_SANITIZE:-1}" != 0 ]; then
  echo "== build and test (ASan + UBSan)"
  MLINT_BUILD_DIR=build-asan scripts/build.sh -DMLINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE postgresql
fi

if [ "${MLINT_TEST_SANITIZE:-1}" != 0 ]; then
  echo "== threaded paths (ThreadSanitizer)"
  MLINT_BUILD_DIR=build-tsan scripts/build.sh -DMLINT_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
    ctest --test-dir build-tsan --output-on-failure -R '^cli/t_(threads|git)$'
fi
