#!/usr/bin/env bash
# The warm cache of issue 16 (docs/cache.md), each a ratio measured in one run:
#   1. `mlint check` at N (default 10,000) migrations in a git repository,
#      the cache warm and one file changed before each run, beside
#      `cat migrations/versions/*.py` (one read of every file); target <= 0.5x.
#   2. `mlint check --staged` the same way (the pre-commit hook: one file
#      changed and staged before each run) beside the same cat; target <= 0.5x.
#   3. `mlint heads` with a warm cache beside bench/readfloor (one thread:
#      readdir + open + read of every file); target < 1.0x.
#   4. for scale: `mlint check --no-cache` beside the same cat.
# Runs alternate (floor, mlint, floor, mlint, ...) and each ratio is the
# median of the per-round ratios, as bench/targets.sh does. The page cache
# is warm. Projects come from bench/gen_migrations.py, cached in
# $TMPDIR/mlint-bench.
#
# usage: bench/cache.sh [MLINT]       (default build/mlint)
# env:   BENCH_N (10000), RUNS (15), CC (cc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench_name=cache-bench
# shellcheck source=bench/ratio.sh
source "$root/bench/ratio.sh"

dir=$(project "$n")
repo=$work/repo
mkdir -p "$repo" && cp -R "$dir/." "$repo/"   # the contents: $dir may be a symlink
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" commit -q -m history
sleep 2.2  # files younger than 2 s are not cached (racy)
git -C "$repo" update-index -q --really-refresh
(cd "$repo" && "$mlint" check >/dev/null 2>&1; "$mlint" check --staged >/dev/null 2>&1;
 "$mlint" heads >/dev/null 2>&1) || true
one=$(cd "$repo" && ls migrations/versions | tail -n 1)
cat >"$work/edit-check" <<SH
#!/bin/sh
printf '#\n' >>migrations/versions/$one
exec "$mlint" check
SH
cat >"$work/edit-staged" <<SH
#!/bin/sh
printf '#\n' >>migrations/versions/$one
git add migrations/versions/$one
exec "$mlint" check --staged
SH
chmod +x "$work/edit-check" "$work/edit-staged"
floor=(sh -c 'cat migrations/versions/*.py')

printf '%-46s %10s  %10s  %6s\n' "N = $n, median of $runs alternating runs" floor mlint ratio
ratio "warm check, 1 file changed vs cat" 0.5 "$repo" -- "${floor[@]}" -- "$work/edit-check"
ratio "warm check --staged, 1 file staged vs cat" 0.5 "$repo" -- "${floor[@]}" -- \
  "$work/edit-staged"
ratio "warm heads vs readfloor" 1.0 "$repo" -- "$work/readfloor" migrations/versions -- \
  "$mlint" heads
ratio "check --no-cache vs cat (for scale)" 99 "$repo" -- "${floor[@]}" -- "$mlint" check --no-cache
