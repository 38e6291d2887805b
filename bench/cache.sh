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
mlint=$(realpath "${1:-$root/build/mlint}")
n=${BENCH_N:-10000}
runs=${RUNS:-15}
cache=${TMPDIR:-/tmp}/mlint-bench
work=$(mktemp -d "${TMPDIR:-/tmp}/mlint-cache-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b \
  GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b
unset CI GITHUB_BASE_REF

"${CC:-cc}" -O2 -o "$work/readfloor" "$root/bench/readfloor.c"

project() {  # project N: a cached generated project's directory
  local dir=$cache/n$1
  if ! [ -f "$dir/expected_heads" ]; then
    rm -rf "$dir"; mkdir -p "$cache"
    /usr/bin/python3 "$root/bench/gen_migrations.py" "$dir" "$1" >"$dir.heads"
    mv "$dir.heads" "$dir/expected_heads"
  fi
  echo "$dir"
}

ms() {  # ms DIR CMD...: wall milliseconds (fractional) of CMD run in DIR
  local s e
  s=$(date +%s%N); (cd "$1" && shift && "$@" >/dev/null 2>&1 || true); e=$(date +%s%N)
  echo "$(( (e - s) / 1000 ))e-3"
}

# ratio NAME TARGET DIR -- FLOOR... -- CMD...: alternating runs, medians.
ratio() {
  local name=$1 target=$2 dir=$3 floor=() cmd=() in=floor
  shift 3
  for a in "$@"; do
    if [ "$a" = -- ]; then [ ${#floor[@]} -gt 0 ] && in=cmd; continue; fi
    if [ $in = floor ]; then floor+=("$a"); else cmd+=("$a"); fi
  done
  (cd "$dir" && "${floor[@]}" >/dev/null 2>&1 && "${cmd[@]}" >/dev/null 2>&1) || true  # warm
  for _ in $(seq "$runs"); do echo "$(ms "$dir" "${floor[@]}") $(ms "$dir" "${cmd[@]}")"; done \
    >"$work/t"
  /usr/bin/python3 - "$work/t" "$name" "$target" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
name, target = sys.argv[2], float(sys.argv[3])
r = statistics.median(b / a for a, b in rows if a)
print("%-46s %7.1f ms  %7.1f ms  %5.2fx  (target %s %.1fx) %s" % (
    name, statistics.median(a for a, _ in rows), statistics.median(b for _, b in rows), r,
    "<" if target == 1.0 else "<=", target,
    "ok" if (r < target if target == 1.0 else r <= target) else "OVER"))
PY
}

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
