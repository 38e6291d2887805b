#!/usr/bin/env bash
# mlint beside squawk (the PostgreSQL migration linter) on one Alembic
# project of risky and safe migrations: the cases of tests/pg/cases, each
# labelled by what a real PostgreSQL 15 showed when its SQL ran.
#
# usage: bench/squawk.sh [MLINT]          (MLINT defaults to build/mlint)
#
# 1. Labels: tests/pg/t_pg_proofs.sh runs every case on a private
#    PostgreSQL 15 (as root it creates the system user mlint-pg). A case
#    whose rule claims a harm is risky, a recipe (rule none) is safe; a
#    case is kept only when PostgreSQL showed every claim of it (failure,
#    rewrite, lock, blocked or unblocked writer). BENCH_PG_SUMMARY=FILE
#    reuses the summary of an earlier run (MLINT_PG_SUMMARY=FILE of the
#    test) instead.
# 2. One Alembic project of those migrations (a migration that appears in
#    two cases is kept once); each rendered with the real
#    `alembic upgrade prev:rev --sql`; squawk reads each rendering, mlint
#    reads the project.
# 3. Per tool: risky migrations caught, false alarms on safe ones, time.
#    Two counts for each tool: every finding, and only findings of rules
#    about the statement's own lock, rewrite or failure (squawk without its
#    blanket require-lock-timeout / require-statement-timeout and its
#    prefer-* style rules; mlint's PostgreSQL rules). mlint's every-finding
#    count leaves out missing-downgrade: the cases have no downgrade() on
#    purpose.
#
# squawk is found as $SQUAWK, on PATH, or in /tmp/squawk (install it outside
# the repository: npm install --prefix /tmp/squawk squawk-cli). Without it
# the mlint half runs and the script says squawk was not measured.
# Environment: BENCH_RUNS (5) timed runs per tool, median reported (the
# per-migration alembic rendering, tens of seconds, is timed once).
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
mlint=${1:-$root/build/mlint}
case $mlint in /*) ;; *) mlint=$PWD/$mlint ;; esac
[ -x "$mlint" ] || { echo "bench/squawk.sh: no mlint binary at $mlint" >&2; exit 2; }
runs=${BENCH_RUNS:-5}

# The native binary the npm package ships (its node wrapper adds ~100 ms).
squawk=${SQUAWK:-}
for c in /tmp/squawk/node_modules/@squawk-cli/*/bin/squawk "$(command -v squawk)" \
         /tmp/squawk/node_modules/.bin/squawk; do
  [ -n "$squawk" ] || { [ -x "$c" ] && squawk=$c; }
done
if [ -n "$squawk" ] && [ -x "$squawk" ]; then
  squawk_version=$("$squawk" --version 2>/dev/null | head -n 1)
else
  squawk="" squawk_version="not installed (npm install --prefix /tmp/squawk squawk-cli)"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mlint-squawk.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../tests/pg/lib.sh
. "$root/tests/pg/lib.sh"

# --- 1. labels from PostgreSQL ------------------------------------------------
if [ -n "${BENCH_PG_SUMMARY:-}" ]; then
  cp "$BENCH_PG_SUMMARY" "$TMP/summary" || exit 2
else
  echo "== running the cases on PostgreSQL 15 (tests/pg/t_pg_proofs.sh) for the labels" >&2
  MLINT=$mlint MLINT_PG_SUMMARY=$TMP/summary bash "$root/tests/pg/t_pg_proofs.sh" \
    >"$TMP/proofs.log" 2>&1 || echo "   (some checks failed: see below; labels come from the PostgreSQL half)" >&2
  [ -s "$TMP/summary" ] || { tail -n 20 "$TMP/proofs.log" >&2; echo "no PostgreSQL summary" >&2; exit 2; }
fi

# Cases PostgreSQL confirmed, one per distinct migration body.
cases=() dropped=()
declare -A seen=() label=()
while IFS=$'\t' read -r name lab shown _; do
  f=$root/tests/pg/cases/$name.case
  [ -f "$f" ] || continue
  if [ "$shown" != shown ]; then dropped+=("$name (PostgreSQL did not show its claims)"); continue; fi
  body=$(sed '1,/^---$/d' "$f" | md5sum | cut -c1-32)
  if [ -n "${seen[$body]:-}" ]; then dropped+=("$name (same migration as ${seen[$body]})"); continue; fi
  seen[$body]=$name label[$name]=$lab
  cases+=("$f")
done < <(sort "$TMP/summary")
[ ${#cases[@]} -gt 0 ] || { echo "no labelled case" >&2; exit 2; }

# --- 2. the project, rendered ---------------------------------------------------
proj=$TMP/proj sqldir=$TMP/sql
mkdir -p "$sqldir"
proofs_project "$proj" "$TMP/revs" "${cases[@]}" || { echo "cannot build the project" >&2; exit 2; }
proofs_render "$proj" "$TMP/revs" "$sqldir" || { echo "alembic upgrade --sql failed" >&2; exit 2; }
rm -f "$sqldir"/*.log

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# median_ms CMD...: median wall time of $runs runs, in ms (output discarded)
median_ms() {
  local i t0 ts=()
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ms); "$@" >/dev/null 2>&1; ts+=($(($(now_ms) - t0)))
  done
  printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}
render_all() { # what a CI step must do before squawk: every migration's SQL
  local p r n
  while read -r n p r _; do
    (cd "$proj" && $PG_PY -m alembic upgrade "$p:$r" --sql) >/dev/null 2>&1 || return 1
  done <"$TMP/revs"
}
render_once() { (cd "$proj" && $PG_PY -m alembic upgrade r000:head --sql); }

# --- 3. findings ----------------------------------------------------------------
(cd "$proj" && "$mlint" check . --format json) >"$TMP/mlint.json" 2>/dev/null
[ $? -le 1 ] || { echo "mlint check failed" >&2; exit 2; }
if [ -n "$squawk" ]; then
  (cd "$sqldir" && "$squawk" --pg-version 15 --reporter json ./*.sql) >"$TMP/squawk.json" 2>/dev/null
  [ -s "$TMP/squawk.json" ] || { echo "squawk printed nothing" >&2; exit 2; }
else
  echo '[]' >"$TMP/squawk.json"
fi

mlint_ms=$(cd "$proj" && median_ms "$mlint" check . --format json)
render_ms=$(runs=1 median_ms render_all)   # one run: it is the slow part
render_once_ms=$(median_ms render_once)
squawk_ms="" ; [ -z "$squawk" ] || squawk_ms=$(cd "$sqldir" && median_ms "$squawk" --pg-version 15 ./*.sql)

/usr/bin/python3 - "$TMP/revs" "$TMP/mlint.json" "$TMP/squawk.json" \
  "$(for n in "${!label[@]}"; do printf '%s=%s ' "$n" "${label[$n]}"; done)" \
  "$mlint_ms" "$render_ms" "$render_once_ms" "${squawk_ms:-}" "$squawk_version" \
  "$(printf '%s\n' "${dropped[@]}")" <<'EOF'
import json, sys
revs, mj, sj, labels, mlint_ms, render_ms, render_once_ms, squawk_ms, sq_version, dropped = sys.argv[1:11]
# risky-unreported (a harm no mlint rule reports yet) counts as risky
labels = {k: ("risky" if v.startswith("risky") else v)
          for k, v in (x.split("=") for x in labels.split())}
cases = [l.split() for l in open(revs)]
path_of = {c[0]: c[3] for c in cases}
mlint_pg = set("""not-null-without-default create-index-not-concurrently alter-column-type
  rename-column add-column-rewrite concurrently-in-transaction drop-index-not-concurrently
  set-not-null constraint-not-valid add-unique-constraint add-primary-key
  reindex-not-concurrently detach-partition-not-concurrently vacuum-full-or-cluster
  enum-add-value update-under-lock commit-in-migration missing-lock-timeout
  enum-values-not-added enum-values-not-removed enum-type-not-created enum-cast-without-using
  enum-type-created-twice""".split())
squawk_blanket = {"require-lock-timeout", "require-statement-timeout", "prefer-robust-stmts"}
def squawk_focus(r):
    return r not in squawk_blanket and not r.startswith("prefer-")
mf = {}
for f in json.load(open(mj))["findings"]:
    mf.setdefault(f["path"], []).append(f["rule"])
sf = {}
for v in json.load(open(sj)):
    sf.setdefault(v["file"].split("/")[-1][:-4], []).append(v["rule_name"])
rows, tally = [], {}
for name in sorted(labels):
    lab = labels[name]
    m_all = sorted(set(mf.get(path_of[name], [])) - {"missing-downgrade"})
    m_pg = [r for r in m_all if r in mlint_pg]
    s_all = sorted(set(sf.get(name, [])))
    s_focus = [r for r in s_all if squawk_focus(r)]
    for tool, got in (("mlint-all", m_all), ("mlint", m_pg), ("squawk-all", s_all), ("squawk", s_focus)):
        t = tally.setdefault(tool, {"caught": 0, "false": 0})
        if got and lab == "risky": t["caught"] += 1
        if got and lab == "safe": t["false"] += 1
    rows.append((name, lab, ", ".join(m_pg) or "-",
                 ", ".join(r for r in m_all if r not in mlint_pg) or "-", ", ".join(s_focus) or "-",
                 ", ".join(r for r in s_all if not squawk_focus(r)) or "-"))
risky = sum(1 for l in labels.values() if l == "risky")
safe = len(labels) - risky
print("| case | PostgreSQL | mlint | mlint (other rules) | squawk (statement rules) | squawk (blanket/style rules) |")
print("| --- | --- | --- | --- | --- | --- |")
for r in rows:
    print("| %s | %s | %s | %s | %s | %s |" % r)
print()
print("%d migrations: %d risky, %d safe (labelled by PostgreSQL 15)" % (len(labels), risky, safe))
print("squawk: %s" % sq_version)
print()
print("| tool | risky caught | false alarms on safe | median time |")
print("| --- | --- | --- | --- |")
ms = lambda x: ("%s ms" % x) if x else "not measured"
print("| mlint check (PostgreSQL rules) | %d / %d | %d / %d | %s (the project, one run) |" % (
    tally["mlint"]["caught"], risky, tally["mlint"]["false"], safe, ms(mlint_ms)))
print("| mlint check (every finding but missing-downgrade) | %d / %d | %d / %d | same run |" % (
    tally["mlint-all"]["caught"], risky, tally["mlint-all"]["false"], safe))
if squawk_ms:
    print("| squawk (statement rules) | %d / %d | %d / %d | %s (squawk alone, on the rendered SQL) |" % (
        tally["squawk"]["caught"], risky, tally["squawk"]["false"], safe, ms(squawk_ms)))
    print("| squawk (every finding) | %d / %d | %d / %d | same run |" % (
        tally["squawk-all"]["caught"], risky, tally["squawk-all"]["false"], safe))
else:
    print("| squawk | not measured | not measured | squawk not installed |")
print("| alembic upgrade prev:rev --sql, each migration (what feeds squawk; one run) | | | %s |" % ms(render_ms))
print("| alembic upgrade r000:head --sql, one call | | | %s |" % ms(render_once_ms))
if dropped.strip():
    print()
    print("Left out:")
    for d in dropped.splitlines():
        print("- " + d)
EOF
