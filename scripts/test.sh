#!/usr/bin/env bash
# Builds mlint and runs the whole test suite (unit, end-to-end and
# differential tests against the real alembic), first as a normal build, then
# under AddressSanitizer + UndefinedBehaviorSanitizer.
# Set MLINT_TEST_SANITIZE=0 to skip the sanitizer pass.
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
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi
