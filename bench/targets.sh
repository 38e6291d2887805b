#!/usr/bin/env bash
# The speed targets of issue 16, each a ratio measured in one run:
#   1. `mlint heads` at N (default 10,000) migrations beside bench/readfloor
#      (one thread: readdir + open + read of every file, nothing else);
#      target <= 1.3x.
#   2. `mlint check --staged` with one file staged beside `mlint check`, in
#      a git repository of N migrations; target <= 1.3x.
#   3. peak memory of `mlint check` at BIG (default 100,000) migrations;
#      target <= 150 MB (BENCH_BIG=0 skips it).
# Runs alternate (floor, mlint, floor, mlint, ...) and each ratio is the
# median of the per-round ratios: a shared machine drifts between two
# separate series by more than the margins here. The page cache is warm.
# Projects come from bench/gen_migrations.py, cached in $TMPDIR/mlint-bench.
#
# usage: bench/targets.sh [MLINT]       (default build/mlint)
# env:   BENCH_N (10000), BENCH_BIG (100000), RUNS (15), CC (cc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench_name=targets
big=${BENCH_BIG:-100000}
# shellcheck source=bench/ratio.sh
source "$root/bench/ratio.sh"

dir=$(project "$n")
printf '%-44s %10s  %10s  %6s\n' "N = $n, median of $runs alternating runs" floor mlint ratio
ratio "heads vs readfloor" 1.3 "$dir" -- "$work/readfloor" migrations/versions -- "$mlint" heads

# A git repository of the same project; one migration edited and staged.
repo=$work/repo
mkdir -p "$repo" && cp -R "$dir/." "$repo/"   # the contents: $dir may be a symlink
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" commit -q -m history
one=$(cd "$repo" && ls migrations/versions | tail -n 1)
printf '\n# staged\n' >>"$repo/migrations/versions/$one"
git -C "$repo" add "migrations/versions/$one"
sleep 1.1; git -C "$repo" update-index -q --really-refresh  # not racily clean
ratio "check --staged (1 file staged) vs check" 1.3 "$repo" -- "$mlint" check -- "$mlint" check --staged

if [ "$big" -gt 0 ]; then
  bigdir=$(project "$big")
  (cd "$bigdir" && "$mlint" check >/dev/null 2>&1 || true)
  kb=$(cd "$bigdir" && /usr/bin/time -f %M "$mlint" check 2>&1 >/dev/null | tail -n 1)
  awk -v kb="$kb" -v n="$big" 'BEGIN { mb = kb / 1024; printf "%-44s %7.1f MB  (%.2f KB per migration; target <= 150 MB) %s\n", "check peak memory at N = " n, mb, kb / n, mb <= 150 ? "ok" : "OVER" }'
fi
