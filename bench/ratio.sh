# Sourced by bench/targets.sh and bench/cache.sh, never run: the floor
# program, the cached generated projects, and `ratio`, which times a
# command beside its floor in alternating runs and prints the median of the
# per-round ratios against a target (a target of 1.0 means "below the
# floor", any other "at most"). Set root and bench_name first; $1 is the
# mlint binary. Sets mlint, n, runs, cache and work (removed at exit).

mlint=$(realpath "${1:-$root/build/mlint}")
n=${BENCH_N:-10000}
runs=${RUNS:-15}
cache=${TMPDIR:-/tmp}/mlint-bench
work=$(mktemp -d "${TMPDIR:-/tmp}/mlint-$bench_name.XXXXXX")
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

