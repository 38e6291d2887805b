#!/usr/bin/env bash
# Benchmark of the git rules: on a repository with N migrations (default
# 10,000) in one linear history on main, and a feature branch that adds three
# migrations and edits one applied migration, compares
#   mlint check --no-git        (no base: no libgit2 at all)
#   mlint check --base main     (the same, plus the git rules)
# Target: the second costs at most 1.5x the first (the git work is a diff of
# trees restricted to the version directory, not a second full scan).
# Prints `git diff --name-status main...HEAD` beside the numbers.
#
# usage: bench/git.sh [MLINT] [N]     (MLINT default: build/mlint)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mlint=$(realpath "${1:-$root/build/mlint}")
n=${2:-10000}
runs=${RUNS:-15}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlint-bench.XXXXXX")
trap '[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b \
  GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b
unset CI GITHUB_BASE_REF

repo=$work/repo
mkdir -p "$repo/migrations/versions"
git -C "$repo" init -q -b main
printf '[alembic]\nscript_location = migrations\n' > "$repo/alembic.ini"
/usr/bin/python3 - "$repo/migrations/versions" "$n" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
tmpl = '''"""step {i}

Revision ID: {rev}
Revises: {down}
Create Date: 2025-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '{rev}'
down_revision = {downq}
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('t{i}', sa.Column('c', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('t{i}', 'c')
'''
prev = None
for i in range(n):
    rev = '%012x' % (i + 1)
    with open('%s/%s_step_%d.py' % (d, rev, i), 'w') as f:
        f.write(tmpl.format(i=i, rev=rev, down=prev or '', downq=repr(prev) if prev else 'None'))
    prev = rev
PY
git -C "$repo" add -A && git -C "$repo" commit -q -m "history"
git -C "$repo" checkout -q -b feature
last=$(printf '%012x' "$n")
for k in 1 2 3; do
  rev=$(printf 'feed%08x' "$k")
  printf 'revision = "%s"\ndown_revision = "%s"\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n' \
    "$rev" "$last" > "$repo/migrations/versions/${rev}_feature_$k.py"
  last=$rev
done
sed -i 's/nullable=True/nullable=False/' "$repo/migrations/versions/$(printf '%012x' 42)_step_41.py"
git -C "$repo" add -A && git -C "$repo" commit -q -m "feature"
# files written in the same second as the index are "racily clean": git and
# libgit2 would re-hash them all. A real checkout is older than its index.
sleep 1.1; git -C "$repo" update-index -q --really-refresh

# Alternating runs: --no-git, then --base main, `runs` times; each round's
# ratio, and the median of those (a shared machine drifts between two
# separate series by more than the target's margin).
ms_of() {  # ms_of ARGS...: wall ms of one mlint check ARGS in the repository
  local s e
  s=$(date +%s%N); (cd "$repo" && "$mlint" check "$@" >/dev/null 2>&1 || true); e=$(date +%s%N)
  echo $(( (e - s) / 1000000 ))
}
(cd "$repo" && "$mlint" check --no-git >/dev/null 2>&1 || true)   # warm the page cache
(cd "$repo" && "$mlint" check --base main >/dev/null 2>&1 || true)
for _ in $(seq "$runs"); do
  echo "$(ms_of --no-git) $(ms_of --base main)"
done > "$work/times.txt"
read -r plain based ratio < <(/usr/bin/python3 - "$work/times.txt" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
print("%d %d %.2f" % (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows),
                      statistics.median(r[1] / r[0] for r in rows if r[0])))
PY
)
echo "migrations: $n (+3 on the branch, 1 applied one edited); median of $runs alternating runs"
echo "mlint check --no-git:     ${plain} ms"
echo "mlint check --base main:  ${based} ms"
awk -v r="$ratio" 'BEGIN { printf "ratio: %.2fx, the median per-run ratio (target <= 1.5x) %s\n", r, r <= 1.5 ? "ok" : "OVER" }'
echo "findings with --base main:"
(cd "$repo" && "$mlint" check --base main --no-excerpt 2>&1 | sed 's/^/  /' | cut -c1-160) || true
echo "git diff --name-status main...HEAD:"
git -C "$repo" diff --name-status main...HEAD | sed 's/^/  /'
