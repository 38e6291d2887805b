#!/usr/bin/env bash
# How time and memory grow with the number of migrations, and what a second
# thread buys: `mlint heads` and `mlint check` at 1,000, 10,000 and 100,000
# migrations (bench/gen_migrations.py, one linear chain), with MLINT_THREADS=1
# and 2. Prints a Markdown table; bench/RESULTS.md keeps the last one.
#   bench/scale.sh [MLINT]      (sizes: BENCH_SIZES="1000 10000 100000")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mlint=$(realpath "${1:-$root/build/mlint}")
sizes=${BENCH_SIZES:-1000 10000 100000}
runs=${BENCH_RUNS:-5}
cache=${TMPDIR:-/tmp}/mlint-bench
command -v /usr/bin/time >/dev/null || { echo "scale: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure DIR THREADS CMD...: prints "median_seconds max_rss_kb"
measure() {
  local dir=$1 threads=$2; shift 2
  local times=() rss=0 out
  (cd "$dir" && MLINT_THREADS=$threads "$@" >/dev/null 2>&1) || true   # warm-up
  for _ in $(seq "$runs"); do
    out=$(cd "$dir" && MLINT_THREADS=$threads /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1)
    times+=("${out% *}")
    [ "${out#* }" -gt "$rss" ] && rss=${out#* }
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | median)" "$rss"
}

printf '| N | command | 1 thread s | 2 threads s | speed-up | peak MB | s per 1,000 | KB per migration |\n'
printf '|---:|---|---:|---:|---:|---:|---:|---:|\n'
for n in $sizes; do
  dir=$cache/n$n
  if ! [ -f "$dir/expected_heads" ]; then  # the generator prints the heads; it marks a full copy
    rm -rf "$dir"; mkdir -p "$cache"
    /usr/bin/python3 "$root/bench/gen_migrations.py" "$dir" "$n" >"$dir.heads"
    mv "$dir.heads" "$dir/expected_heads"
  fi
  for cmd in heads check; do
    read -r t1 m1 < <(measure "$dir" 1 "$mlint" "$cmd")
    read -r t2 m2 < <(measure "$dir" 2 "$mlint" "$cmd")
    awk -v n="$n" -v c="$cmd" -v t1="$t1" -v t2="$t2" -v m="$m2" 'BEGIN {
      printf "| %d | %s | %.3f | %.3f | %.2f | %.1f | %.4f | %.2f |\n",
        n, c, t1, t2, (t2 > 0 ? t1 / t2 : 0), m / 1024, t2 / n * 1000, m / n }'
  done
done
