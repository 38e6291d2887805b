#!/usr/bin/env bash
# Configures and builds mlint into build/ (or $MLINT_BUILD_DIR).
# Extra arguments go to cmake's configure step, e.g. -DMLINT_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${MLINT_BUILD_DIR:-build}
cmake -S . -B "$build" -DMLINT_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
