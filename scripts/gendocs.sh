#!/usr/bin/env bash
# Writes the generated reference and completions into the source tree, or,
# with --check, fails when a committed one differs from what the binary
# generates (tests/cli/t_docs.sh runs that).
# usage: MLINT=build/mlint scripts/gendocs.sh [--check]
# (cmake --build build --target docs runs it with the freshly built binary.)
set -euo pipefail
cd "$(dirname "$0")/.."
mlint=${MLINT:-build/mlint}

# kind of `mlint __generate KIND`, and the file it is committed as
generated=(
  man      docs/mlint.1
  cli-md   docs/cli.md
  rules-md docs/rules.md
  bash     completion/mlint.bash
  zsh      completion/_mlint
  fish     completion/mlint.fish
)

stale=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for ((i = 0; i < ${#generated[@]}; i += 2)); do
  kind=${generated[i]} file=${generated[i + 1]}
  "$mlint" __generate "$kind" > "$tmp"
  if [ "${1:-}" = --check ]; then
    if ! cmp -s "$tmp" "$file"; then
      echo "stale: $file differs from 'mlint __generate $kind':" >&2
      diff -u "$file" "$tmp" | head -20 >&2 || true
      stale=1
    fi
  elif ! cmp -s "$tmp" "$file"; then
    cp "$tmp" "$file"
    echo "wrote $file" >&2
  fi
done
if [ "$stale" -ne 0 ]; then
  echo "regenerate them: cmake --build build --target docs (then commit)" >&2
  exit 1
fi
