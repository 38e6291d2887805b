#!/usr/bin/env bash
# mlint benchmark: `mlint heads` beside `alembic heads` and beside the read
# floor `cat versions/*.py > /dev/null`, at N = 100, 1,000 and 10,000
# migrations, with peak memory; then `mlint check` (every rule) beside
# `mlint heads`, the read floor and `grep -l drop_table versions/*.py`.
# See bench/README.md.
#
# usage: bench/run.sh [MLINT]        (MLINT defaults to build/mlint)
#
# Environment (all optional):
#   BENCH_SIZES         sizes to run                    (default "100 1000 10000")
#   BENCH_SEED          generator seed                  (default 1)
#   BENCH_RUNS          counted runs, mlint and cat     (default 20)
#   BENCH_ALEMBIC_RUNS  counted runs, alembic           (default 5)
#   TMPDIR              generated projects are cached in $TMPDIR/mlint-bench
#
# Exit: 0 all measured and every heads output agreed; 1 MISMATCH between
# mlint's heads and alembic's; 2 a tool is missing or failed (the mlint
# binary included: the other columns are still measured and printed).

set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
PY=/usr/bin/python3
GEN=$here/gen_migrations.py

mlint=${1:-$root/build/mlint}
case $mlint in /*) ;; *) mlint=$PWD/$mlint ;; esac

sizes=${BENCH_SIZES:-"100 1000 10000"}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-20}
alembic_runs=${BENCH_ALEMBIC_RUNS:-5}
cache=${TMPDIR:-/tmp}/mlint-bench

status=0          # worst outcome so far: 0 ok, 1 mismatch, 2 tool failure
note() { printf 'bench: %s\n' "$*" >&2; }
fail() { note "$*"; status=2; }
mismatch() { printf '\n*** MISMATCH: %s ***\n\n' "$*"; [ "$status" -eq 0 ] && status=1; }

# --- prerequisites ---------------------------------------------------------
if ! [ -x "$PY" ] || ! "$PY" -c 'import alembic' 2>/dev/null; then
    note "Debian's $PY with alembic is needed: apt-get install python3-alembic alembic"
    exit 2
fi
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    note "GNU time (/usr/bin/time) is needed for peak memory: apt-get install time"
    exit 2
fi
have_hyperfine=0
if command -v hyperfine >/dev/null 2>&1; then
    have_hyperfine=1
elif [ -z "${EPOCHREALTIME:-}" ]; then
    note "neither hyperfine (apt-get install hyperfine) nor bash >= 5 (EPOCHREALTIME) found"
    exit 2
else
    note "hyperfine not found (apt-get install hyperfine): timing with a shell loop"
fi

have_mlint=1
if ! [ -f "$mlint" ] || ! [ -x "$mlint" ]; then
    have_mlint=0
    note "mlint binary not found or not executable: $mlint"
    note "build it first: cmake -S . -B build && cmake --build build -j2  (or pass its path: bench/run.sh PATH/TO/mlint)"
    note "measuring the alembic and cat columns only; the exit status will be 2"
    status=2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mlint-bench-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# --- helpers -----------------------------------------------------------------

# project DIR for size N, generated once and cached (keyed by the generator's hash)
project() {
    local n=$1 key dir tmp
    key=$(sha256sum "$GEN" | cut -c1-12)
    dir=$cache/n$n-s$seed-$key
    if ! [ -f "$dir/.complete" ]; then
        mkdir -p "$cache" || return 1
        rm -rf "$cache/n$n-s$seed-"*       # stale copies from older generators
        tmp=$(mktemp -d "$cache/.gen.XXXXXX") || return 1
        note "generating $n migrations into $dir"
        if ! "$PY" "$GEN" "$tmp/p" "$n" --seed "$seed" > "$tmp/expected_heads" 2> "$tmp/err"; then
            cat "$tmp/err" >&2; rm -rf "$tmp"; return 1
        fi
        mv "$tmp/expected_heads" "$tmp/p/expected_heads" || return 1
        touch "$tmp/p/.complete"
        mv "$tmp/p" "$dir" || return 1
        rm -rf "$tmp"
    fi
    printf '%s\n' "$dir"
}

# heads output -> first token per line, sorted, one per line
heads_of() { awk 'NF { print $1 }' "$1" | LC_ALL=C sort; }

# run CMD... once in the cwd under GNU time; stdout -> $work/$tag.out,
# stderr -> $work/$tag.err, peak RSS KB -> $work/$tag.kb; returns CMD's status
once() {
    local tag=$1; shift
    /usr/bin/time -f %M -o "$work/$tag.kb" "$@" > "$work/$tag.out" 2> "$work/$tag.err"
}

# median wall ms of CMD... (in the cwd), after one warm-up run; with
# ALLOW_STATUS_1=1 an exit status of 1 counts as success (mlint check with
# findings, grep without a match)
median_ms() {
    local n=$1; shift
    if [ "$have_hyperfine" -eq 1 ]; then
        local cmd="" a ignore=()
        for a in "$@"; do cmd+="$(printf '%q' "$a") "; done
        [ "${ALLOW_STATUS_1:-0}" = 1 ] && ignore=(-i)
        hyperfine -N --warmup 1 --runs "$n" --style none "${ignore[@]}" \
                  --export-json "$work/hf.json" -- "$cmd" > "$work/hf.log" 2>&1 || {
            cat "$work/hf.log" >&2; return 1; }
        "$PY" -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$work/hf.json"
    else
        local i t0 t1 rc
        : > "$work/loop.txt"
        rc=0; "$@" > /dev/null 2>&1 || rc=$?
        [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && [ "${ALLOW_STATUS_1:-0}" = 1 ]; } || return 1
        for ((i = 0; i < n; i++)); do
            t0=$EPOCHREALTIME
            rc=0; "$@" > /dev/null 2>&1 || rc=$?
            [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && [ "${ALLOW_STATUS_1:-0}" = 1 ]; } || return 1
            t1=$EPOCHREALTIME
            awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >> "$work/loop.txt"
        done
        sort -g "$work/loop.txt" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m }'
    fi
}

# paired_ms N -- CMD_A... -- CMD_B...: runs A and B alternately N times
# (after one warm-up each) and prints "median_A median_B median_ratio": the
# median of the N per-round ratios A/B, which a machine whose speed drifts
# during the run (a shared VM) disturbs far less than two separate series.
# An exit status of 0 or 1 counts as success.
paired_ms() {
    local n=$1 i t0 t1 rc; shift; shift
    local a=() b=()
    while [ "$1" != -- ]; do a+=("$1"); shift; done; shift
    b=("$@")
    : > "$work/pair.txt"
    for cmd in a b; do
        local -n c=$cmd
        rc=0; "${c[@]}" > /dev/null 2>&1 || rc=$?
        [ "$rc" -le 1 ] || return 1
    done
    for ((i = 0; i < n; i++)); do
        t0=$EPOCHREALTIME; rc=0; "${a[@]}" > /dev/null 2>&1 || rc=$?; t1=$EPOCHREALTIME
        [ "$rc" -le 1 ] || return 1
        local ta="${t0/,/.} ${t1/,/.}"
        t0=$EPOCHREALTIME; rc=0; "${b[@]}" > /dev/null 2>&1 || rc=$?; t1=$EPOCHREALTIME
        [ "$rc" -le 1 ] || return 1
        echo "$ta ${t0/,/.} ${t1/,/.}" >> "$work/pair.txt"
    done
    "$PY" - "$work/pair.txt" <<'PYEOF'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
a = [(r[1] - r[0]) * 1000 for r in rows]
b = [(r[3] - r[2]) * 1000 for r in rows]
print("%.3f %.3f %.2f" % (statistics.median(a), statistics.median(b),
                          statistics.median(x / y for x, y in zip(a, b))))
PYEOF
}

verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (v == "-") { print "n/a"; exit }
    ok = (op == "<=") ? (v + 0 <= t + 0) : (v + 0 >= t + 0); print ok ? "met" : "NOT MET" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
mb()    { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.1f\n", k / 1024 }'; }

# --- run -----------------------------------------------------------------------
printf 'mlint benchmark  %s  %s cpu(s)  seed %s  runs %s (alembic %s), median wall time after 1 warm-up\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "$seed" "$runs" "$alembic_runs"
printf 'alembic %s (%s)  timing: %s  mlint: %s\n' \
    "$("$PY" -c 'import alembic; print(alembic.__version__)')" "$("$PY" -V 2>&1)" \
    "$([ "$have_hyperfine" -eq 1 ] && hyperfine --version || echo 'bash loop')" \
    "$([ "$have_mlint" -eq 1 ] && echo "$mlint" || echo "MISSING ($mlint)")"
echo
row() { printf '%6s | %9s | %10s | %8s | %9s | %13s | %8s | %10s | %15s\n' "$@"; }
row N "mlint ms" "alembic ms" "cat ms" "mlint/cat" "alembic/mlint" "mlint MB" "alembic MB" "alembic/mlint mem"
row ------ --------- ---------- -------- --------- ------------- -------- ---------- -----------------

last_row=""
for n in $sizes; do
    dir=$(project "$n") || { fail "generating N=$n failed"; continue; }
    cd "$dir" || { fail "cannot enter $dir"; continue; }

    m_ms=- a_ms=- c_ms=- m_kb=- a_kb=-

    # alembic: one run under GNU time for its heads and peak memory, then timing
    if once alembic "$PY" -m alembic heads; then
        a_kb=$(cat "$work/alembic.kb")
        heads_of "$work/alembic.out" > "$work/alembic.heads"
        if ! cmp -s "$work/alembic.heads" <(LC_ALL=C sort expected_heads); then
            mismatch "N=$n: alembic heads ($(tr '\n' ' ' < "$work/alembic.heads")) != generator's ($(tr '\n' ' ' < expected_heads))"
        fi
        a_ms=$(median_ms "$alembic_runs" "$PY" -m alembic heads) || { a_ms=-; fail "N=$n: timing alembic heads failed"; }
    else
        fail "N=$n: alembic heads failed: $(head -c 2000 "$work/alembic.err")"
    fi

    # read floor
    c_ms=$(median_ms "$runs" sh -c 'cat migrations/versions/*.py > /dev/null') || { c_ms=-; fail "N=$n: timing cat failed"; }

    # mlint
    if [ "$have_mlint" -eq 1 ]; then
        if once mlint "$mlint" heads "$dir"; then
            m_kb=$(cat "$work/mlint.kb")
            heads_of "$work/mlint.out" > "$work/mlint.heads"
            if [ -f "$work/alembic.heads" ] && ! cmp -s "$work/mlint.heads" "$work/alembic.heads"; then
                mismatch "N=$n: mlint heads ($(tr '\n' ' ' < "$work/mlint.heads")) != alembic heads ($(tr '\n' ' ' < "$work/alembic.heads"))"
            fi
            m_ms=$(median_ms "$runs" "$mlint" heads "$dir") || { m_ms=-; fail "N=$n: timing mlint heads failed"; }
        else
            rc=$?
            fail "N=$n: mlint heads exited $rc: $(head -c 2000 "$work/mlint.err")"
        fi
    fi
    rm -f "$work/alembic.heads" "$work/mlint.heads"

    row "$n" "$m_ms" "$a_ms" "$c_ms" "$(ratio "$m_ms" "$c_ms")" "$(ratio "$a_ms" "$m_ms")" \
        "$(mb "$m_kb")" "$(mb "$a_kb")" "$(ratio "$a_kb" "$m_kb")"
    last_row="$n $m_ms $a_ms $c_ms $m_kb $a_kb"
done
cd "$root" || true

# --- targets (informational, at the largest N; they do not set the exit status)
if [ -n "$last_row" ]; then
    read -r n m_ms a_ms c_ms m_kb a_kb <<< "$last_row"
    echo
    echo "targets at N=$n (10,000 is the one that counts):"
    r=$(ratio "$m_ms" "$c_ms");  printf '  %-42s mlint/cat     = %-6s (<= 1.00)  %s\n' 'mlint heads no slower than the read floor' "$r" "$(verdict "$r" '<=' 1)"
    r=$(ratio "$a_ms" "$m_ms");  printf '  %-42s alembic/mlint = %-6s (>= 20)    %s\n' 'at least 20x faster than alembic heads' "$r" "$(verdict "$r" '>=' 20)"
    r=$(ratio "$a_kb" "$m_kb");  printf '  %-42s alembic/mlint = %-6s (>= 4)     %s\n' "peak memory under 1/4 of alembic heads'" "$r" "$(verdict "$r" '>=' 4)"
fi

# --- mlint check: every rule, beside heads, the read floor and a grep -----------
# Each N's project is the cached one from above; all four are timed in the
# same run. check and heads alternate run by run (paired_ms) and check/heads
# is the median of the per-round ratios: the ratio is the target, and on a
# shared machine two separate series can drift apart by more than it.
check_rows=""
if [ "$have_mlint" -eq 1 ]; then
    echo
    crow() { printf '%6s | %9s | %9s | %8s | %8s | %11s | %9s | %s\n' "$@"; }
    crow N "check ms" "heads ms" "cat ms" "grep ms" "check/heads" "check/cat" "findings (error/warning/info)"
    crow ------ --------- --------- -------- -------- ----------- --------- -----------------------------
    for n in $sizes; do
        dir=$(project "$n") || { fail "generating N=$n failed"; continue; }
        cd "$dir" || { fail "cannot enter $dir"; continue; }
        k_ms=- h_ms=- kh=- c_ms=- g_ms=- counts=-
        rc=0; "$mlint" check "$dir" --format json > "$work/check.json" 2> "$work/check.err" || rc=$?
        if [ "$rc" -le 1 ]; then
            counts=$("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%d/%d/%d" % (s["errors"], s["warnings"], s["infos"]))' "$work/check.json")
            read -r k_ms h_ms kh <<< "$(paired_ms "$runs" -- "$mlint" check "$dir" -- "$mlint" heads "$dir")" ||
                { k_ms=- h_ms=- kh=-; fail "N=$n: timing mlint check / heads failed"; }
        else
            fail "N=$n: mlint check exited $rc: $(head -c 2000 "$work/check.err")"
        fi
        c_ms=$(median_ms "$runs" sh -c 'cat migrations/versions/*.py > /dev/null') || { c_ms=-; fail "N=$n: timing cat failed"; }
        g_ms=$(ALLOW_STATUS_1=1 median_ms "$runs" sh -c 'grep -l drop_table migrations/versions/*.py > /dev/null') || { g_ms=-; fail "N=$n: timing grep failed"; }
        crow "$n" "$k_ms" "$h_ms" "$c_ms" "$g_ms" "$kh" "$(ratio "$k_ms" "$c_ms")" "$counts"
        check_rows="$n $k_ms $h_ms $c_ms $kh"
    done
    cd "$root" || true
fi
if [ -n "$check_rows" ]; then
    read -r n k_ms h_ms c_ms kh <<< "$check_rows"
    echo
    echo "check targets at N=$n:"
    r=$kh; printf '  %-42s check/heads   = %-6s (<= 1.50)  %s\n' 'mlint check within 1.5x of mlint heads' "$r" "$(verdict "$r" '<=' 1.5)"
    r=$(ratio "$k_ms" "$c_ms"); printf '  %-42s check/cat     = %-6s (<= 2.00)  %s\n' 'mlint check within 2x of the read floor' "$r" "$(verdict "$r" '<=' 2)"
fi

case $status in
    0) ;;
    1) echo; echo "MISMATCH: mlint heads disagreed with alembic heads (see above)" ;;
    *) echo; [ "$have_mlint" -eq 0 ] && echo "mlint binary missing: $mlint (build it, or pass its path)"
       echo "bench: a tool was missing or failed (see stderr); exit 2" ;;
esac
exit "$status"
