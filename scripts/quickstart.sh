#!/usr/bin/env bash
# Quick start: install what is missing, build mlint, and run it on the
# bundled demo project (a real git repository made in a temp dir, with a
# feature branch that makes the workflow guide's classic mistakes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec scripts/demo.sh build/mlint
