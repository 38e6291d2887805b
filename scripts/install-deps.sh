#!/usr/bin/env bash
# Installs what mlint needs to build and test, from Debian's packages.
# Idempotent: installs only what is missing. Needs root (or sudo).
# usage: scripts/install-deps.sh [--build]
#   --build  only what building mlint needs (the GitHub Action uses it)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgit2-dev libpcre2-dev libjansson-dev libpg-query-dev libcmocka-dev
  # CPython's compiler, loaded at run time to judge suspect migrations
  libpython3.11
  # the reference implementation, for the differential tests and the demo
  alembic python3-alembic python3-flask-migrate
  # the pre-commit framework, for the hook test
  pre-commit
  # the report tests validate SARIF (JSON schema) and JUnit (XSD) output
  python3-jsonschema libxml2-utils
  # the private PostgreSQL the lock-rule proofs run on (tests/pg/)
  postgresql-15
  # benchmark and sanitizer/valgrind runs
  time valgrind clang
  # the generated shell completions are run in their shells (t_completion);
  # script(1) gives mlint a terminal for the colour checks
  zsh fish bsdutils
)
if [ "${1:-}" = --build ]; then
  packages=(build-essential cmake pkg-config git libgit2-dev libpcre2-dev libjansson-dev
            libpg-query-dev libpython3.11)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "mlint: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
