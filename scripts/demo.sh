#!/usr/bin/env bash
# Quick-start demo: build a real git repository from examples/conekt/ in a
# temporary directory, put the feature branch of examples/feature-branch/ on
# top of it, and run `mlint heads` and `mlint check` there.
#
# usage: scripts/demo.sh [--keep] [MLINT]
#   MLINT   the mlint binary (default: $MLINT, else build/mlint)
#   --keep  keep the temporary repository instead of removing it
#
# Exit status: 0 when mlint ran (status 1, findings, is the expected result);
# mlint's own status when it failed (2 and above: error or crash); 2 when
# the demo itself cannot start.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
examples=$root/examples
keep=0
mlint=${MLINT:-$root/build/mlint}

usage() {
  sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

die() {
  printf 'demo: %s\n' "$*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --keep) keep=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) mlint=$1 ;;
  esac
  shift
done

# absolute path of the binary: "$1" names a file, or a command on PATH
resolve() {
  local dir
  case $1 in
    */*) dir=$(cd "$(dirname "$1")" 2>/dev/null && pwd) || return 1
         printf '%s/%s\n' "$dir" "$(basename "$1")" ;;
    *) type -P "$1" ;;
  esac
}
no_binary="no mlint binary at '$mlint'; build it first:
  cmake -S . -B build && cmake --build build -j2"
resolved=$(resolve "$mlint") || die "$no_binary"
mlint=$resolved
if [ ! -f "$mlint" ] || [ ! -x "$mlint" ]; then die "$no_binary"; fi
[ -d "$examples/conekt/migrations/versions" ] || die "missing '$examples/conekt'"

# Deterministic git: fixed identity and dates, no user or system config,
# nothing inherited from a calling git (a hook, for instance).
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GITHUB_BASE_REF
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Demo User" GIT_AUTHOR_EMAIL="demo@example.com"
export GIT_COMMITTER_NAME="Demo User" GIT_COMMITTER_EMAIL="demo@example.com"

repo=$(mktemp -d "${TMPDIR:-/tmp}/mlint-demo.XXXXXX")
cleanup() {
  if [ "$keep" -eq 1 ]; then
    printf '\nkept the demo repository: %s\n' "$repo"
  else
    rm -rf "$repo"
  fi
}
trap cleanup EXIT

git() { command git -C "$repo" "$@"; }

# commit DATE MESSAGE: commit everything staged, authored at DATE
commit() {
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git commit -q -m "$2"
}

# migration_file DIR REV: the one migration file of revision REV in DIR
migration_file() {
  local f
  for f in "$1/migrations/versions/$2"_*.py; do
    [ -f "$f" ] || die "no migration '$2' in '$1'"
    printf '%s\n' "$f"
    return
  done
}

# add_migration REV: commit the migration of examples/conekt, dated by its
# `Create Date:` header, with its message as the commit subject
add_migration() {
  local src date msg
  src=$(migration_file "$examples/conekt" "$1")
  date=$(sed -n 's/^Create Date: \([0-9-]*\) \([0-9:]*\).*/\1T\2+00:00/p' "$src")
  msg=$(head -n 1 "$src" | sed 's/^"""//')
  cp "$src" "$repo/migrations/versions/"
  git add migrations/versions
  case $msg in
    "merge heads") commit "$date" "chore: $msg" ;;
    *) commit "$date" "feat: $msg" ;;
  esac
}

# merge BRANCH DATE: merge BRANCH into the current branch with a merge commit
merge() {
  GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 \
    git merge -q --no-ff -m "Merge branch '$1'" "$1"
  git branch -q -d "$1"
}

build_main() {
  git init -q -b main
  git config user.name "Demo User"
  git config user.email "demo@example.com"
  git config commit.gpgsign false

  # the app and what `flask db init` wrote, without any migration yet
  cp -R "$examples/conekt/." "$repo/"
  rm -f "$repo"/migrations/versions/*.py
  find "$repo" -name __pycache__ -prune -exec rm -rf {} +
  git add -A
  commit 2025-03-03T16:40:00+00:00 "chore: set up Flask-Migrate (flask db init)"

  add_migration 4b0973c7fa0e # create species and sequences tables
  add_migration 48bb7438a173 # add legacy_sequence table for v1 import
  add_migration 20ea4fac6e08 # add gene families
  add_migration 95cae7519570 # add name column to species table
  add_migration a9f527518898 # add genes table

  # two feature branches, each with a migration on the same parent
  git checkout -q -b feature/expression-profiles
  add_migration 85f631a9630c # add expression profiles
  git checkout -q -b feature/go-terms main
  add_migration af8dec7239c1 # add go terms
  git checkout -q main
  merge feature/expression-profiles 2025-05-21T10:00:00+00:00
  merge feature/go-terms 2025-06-03T13:05:00+00:00
  add_migration ff18dfd40a2e # merge heads

  add_migration 32363a050b5f # add cds_length column to sequences
  add_migration b093592a7dcb # add assembly and annotation versions to species
}

build_feature_branch() {
  local fb=$examples/feature-branch
  git checkout -q -b feature/drop-legacy main

  # written weeks ago on an old checkout: its parent is no longer the head
  cp "$(migration_file "$fb" 3369d01a39ea)" "$repo/migrations/versions/"
  git apply "$fb/patches/01-models-is-mitochondrial.patch"
  git add -A
  commit 2025-08-18T10:05:00+00:00 "feat: add is_mitochondrial flag to sequences"

  # drops a table, and downgrade() is only `pass`
  cp "$(migration_file "$fb" 8d54434c5d70)" "$repo/migrations/versions/"
  git apply "$fb/patches/02-models-drop-legacy-sequence.patch"
  git add -A
  commit 2025-08-18T14:40:00+00:00 "feat: drop legacy_sequence table"

  # edits a migration that main has already applied
  cp "$fb"/edited/*.py "$repo/migrations/versions/"
  git apply "$fb/patches/03-models-widen-species-name.patch"
  git add -A
  commit 2025-08-19T09:30:00+00:00 "fix: widen species.name to 255 characters"
}

# run_mlint ARGS...: run mlint in the repository; findings (status 1) are
# what the demo expects, status 2 and above (error, crash) stop it
run_mlint() {
  local rc=0
  printf '\n== mlint %s\n' "$*"
  (cd "$repo" && "$mlint" "$@") || rc=$?
  if [ "$rc" -ge 2 ]; then
    printf 'demo: mlint %s failed with status %d\n' "$*" "$rc" >&2
    exit "$rc"
  fi
  printf '(exit status %d)\n' "$rc"
}

build_main
build_feature_branch

printf 'demo repository: %s (on branch feature/drop-legacy)\n' "$repo"
printf '\n== git log --graph\n'
git log --graph --all --date=short --format='%h %ad %s%d'

run_mlint heads
run_mlint check
