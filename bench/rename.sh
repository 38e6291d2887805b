#!/usr/bin/env bash
# mlint rename benchmark: `mlint rename --dry-run` on a git repository of N
# migrations (default 2,000), one commit each and no Create Date headers, so
# every date comes from history; beside one
# `git log --diff-filter=A --name-only --format=%aI -- <versions dir>` pass
# (the floor: git itself reading the history once) and beside one
# `git log --diff-filter=A -1 -- <file>` per file (the naive script; a sample
# is timed and scaled to N).  See bench/README.md.
#
# usage: bench/rename.sh [MLINT]      (MLINT defaults to build/mlint)
#        bench/rename.sh MLINT REPO VERSIONS_DIR...
#   The second form times a real history instead: REPO (a clone, left as it
#   is) is cloned with --shared into $TMPDIR/mlint-bench, the Create Date
#   lines of the migrations in VERSIONS_DIR... (relative to REPO) are removed
#   from that copy's work tree so that every date comes from history, and
#   mlint rename --dry-run VERSIONS_DIR... is timed beside one
#   `git log --diff-filter=A --format=%aI --name-only -- VERSIONS_DIR...`.
# Environment: BENCH_RENAME_N (2000), BENCH_RUNS (10), BENCH_SAMPLE (100),
#              TMPDIR (the repository is cached in $TMPDIR/mlint-bench).
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
PY=/usr/bin/python3
mlint=${1:-$root/build/mlint}
case $mlint in /*) ;; *) mlint=$PWD/$mlint ;; esac
real_repo=${2:-}
versions=("${@:3}")
n=${BENCH_RENAME_N:-2000}
runs=${BENCH_RUNS:-10}
sample=${BENCH_SAMPLE:-100}
repo=${TMPDIR:-/tmp}/mlint-bench/rename-$n-$(sha1sum "$0" "$here/gen_migrations.py" | sha1sum | cut -c1-8)

note() { printf 'bench: %s\n' "$*" >&2; }
[ -x "$mlint" ] || { note "no mlint binary at '$mlint': build it first"; exit 2; }
[ -n "${EPOCHREALTIME:-}" ] || { note "bash >= 5 is needed (EPOCHREALTIME)"; exit 2; }

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# One commit per migration, built with git fast-import (seconds, not minutes).
make_repo() {
    rm -rf "$repo"; mkdir -p "$repo"
    "$PY" "$here/gen_migrations.py" "$repo" "$n" >/dev/null || return 1
    git init -q -b main "$repo" || return 1
    "$PY" - "$repo" <<'PY' | git -C "$repo" fast-import --quiet || return 1
import os, re, sys
repo = sys.argv[1]
vdir = os.path.join(repo, "migrations", "versions")
files = []
for name in os.listdir(vdir):
    path = os.path.join(vdir, name)
    text = open(path, encoding="utf-8").read()
    date = re.search(r"^Create Date: (.*)$", text, re.M).group(1)
    text = re.sub(r"^Create Date: .*\n", "", text, flags=re.M)
    open(path, "w", encoding="utf-8").write(text)
    files.append((date, name, text.encode()))
files.sort()
out = sys.stdout.buffer
t0 = 1672531200  # 2023-01-01T00:00:00Z
for i, (_, name, data) in enumerate(files):
    when = "%d +0200" % (t0 + i * 3600)
    msg = b"add " + name.encode()
    out.write(b"commit refs/heads/main\n")
    out.write(("author Bench <bench@example.com> %s\n" % when).encode())
    out.write(("committer Bench <bench@example.com> %s\n" % when).encode())
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if i == 0:
        for extra in ("alembic.ini", "migrations/README", "migrations/env.py", "migrations/script.py.mako"):
            if not os.path.exists(os.path.join(repo, extra)):
                continue
            body = open(os.path.join(repo, extra), "rb").read()
            out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (extra.encode(), len(body), body))
    out.write(b"M 100644 inline migrations/versions/%s\ndata %d\n%s\n" % (name.encode(), len(data), data))
PY
    git -C "$repo" reset -q || return 1
    [ -z "$(git -C "$repo" status --porcelain)" ] || { note "worktree differs from HEAD"; return 1; }
}
# A real history: a shared clone whose migrations lose their Create Date.
use_real_repo() {
    local src
    src=$(cd "$real_repo" && pwd) || { note "no repository at '$real_repo'"; exit 2; }
    [ ${#versions[@]} -gt 0 ] || { note "name the versions directories, relative to $src"; exit 2; }
    repo=${TMPDIR:-/tmp}/mlint-bench/real-$(printf '%s\n' "$src" "${versions[@]}" | sha1sum | cut -c1-8)
    if [ ! -d "$repo/.git" ]; then
        note "cloning $src into $repo"
        rm -rf "$repo"
        git clone -q --shared "$src" "$repo" 2>/dev/null || [ -d "$repo/.git" ] ||
            { note "could not clone $src"; exit 2; }
    fi
    cd "$repo" || exit 2
    git checkout -q HEAD -- "${versions[@]}" || { note "no ${versions[*]} in $src"; exit 2; }
    find "${versions[@]}" -name '*.py' -exec sed -i '/^Create Date:/d' {} + || exit 2
    n=$(git ls-files -- "${versions[@]}" | grep -c '\.py$')
}
if [ -n "$real_repo" ]; then
    use_real_repo
else
    versions=(migrations/versions)
    if [ ! -d "$repo/.git" ]; then
        note "building $repo ($n migrations, one commit each)"
        make_repo || { note "could not build the repository"; exit 2; }
    fi
    cd "$repo" || exit 2
fi
paths=()
[ -n "$real_repo" ] && paths=("${versions[@]}")

# median_ms CMD...: median wall time of $runs runs after one warm-up
median_ms() {
    local t=() i s
    "$@" >/dev/null 2>&1
    for ((i = 0; i < runs; i++)); do
        s=$EPOCHREALTIME; "$@" >/dev/null 2>&1; t+=("$(echo "($EPOCHREALTIME - $s) * 1000" | bc -l)")
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

# Correctness first: every file planned, every date from git.
plan=$("$mlint" rename --dry-run --format json "${paths[@]}" 2>/dev/null) || { note "mlint rename failed"; exit 2; }
from_git=$(printf '%s' "$plan" | "$PY" -c 'import json,sys; r=json.load(sys.stdin)["renames"]; print(sum(x["date_source"]=="git" for x in r), len(r))')
if [ -n "$real_repo" ]; then
    # a real directory may hold files that are not migrations (__init__.py)
    set -- $from_git
    [ "$1" = "$2" ] && [ "$2" -gt 0 ] || { note "expected every rename dated from git, got (git, all) = $from_git"; exit 2; }
    n=$2
else
    [ "$from_git" = "$n $n" ] || { note "expected $n renames dated from git, got (git, all) = $from_git"; exit 2; }
fi

mlint_ms=$(median_ms "$mlint" rename --dry-run "${paths[@]}")
floor_ms=$(median_ms git log --diff-filter=A --name-only --format=%aI -- "${versions[@]}")
[ -n "$real_repo" ] && note "$(git rev-list --count HEAD) commits, $n migrations in ${versions[*]}"
mapfile -t files < <(git ls-files "${versions[@]}" | grep '\.py$' | awk -v n="$n" -v k="$sample" 'NR % (int(n / k) > 0 ? int(n / k) : 1) == 1' | head -n "$sample")
per_file() { local f; for f in "${files[@]}"; do git log --diff-filter=A -1 --format=%aI -- "$f"; done; }
runs_saved=$runs; runs=3
sample_ms=$(median_ms per_file)
runs=$runs_saved
naive_ms=$(echo "$sample_ms * $n / ${#files[@]}" | bc -l)

printf '%6s | %9s | %13s | %15s | %11s | %12s\n' N "mlint ms" "git log 1x ms" "git log/file ms" "mlint/floor" "naive/mlint"
printf '%6d | %9.1f | %13.1f | %15.0f | %11.2f | %12.1f\n' "$n" "$mlint_ms" "$floor_ms" "$naive_ms" \
    "$(echo "$mlint_ms / $floor_ms" | bc -l)" "$(echo "$naive_ms / $mlint_ms" | bc -l)"
printf '(git log per file: %d files timed, %.1f ms, scaled to %d)\n' "${#files[@]}" "$sample_ms" "$n"
if [ -n "$real_repo" ]; then  # few files: the naive script has little to lose
    printf 'target: mlint/floor <= 2: %s\n' \
        "$(echo "$mlint_ms <= 2 * $floor_ms" | bc -l | sed 's/1/met/;s/0/MISSED/')"
else
    printf 'targets: mlint/floor <= 2: %s; naive/mlint >= 50: %s\n' \
        "$(echo "$mlint_ms <= 2 * $floor_ms" | bc -l | sed 's/1/met/;s/0/MISSED/')" \
        "$(echo "$naive_ms >= 50 * $mlint_ms" | bc -l | sed 's/1/met/;s/0/MISSED/')"
fi
