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
runs=${RUNS:-7}
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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {  # time_ms ARGS...: median wall time of mlint check ARGS, in ms
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); (cd "$repo" && "$mlint" check "$@" >/dev/null 2>&1 || true); e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | median
}
(cd "$repo" && "$mlint" check --no-git >/dev/null 2>&1 || true)   # warm the page cache
plain=$(time_ms --no-git)
based=$(time_ms --base main)
echo "migrations: $n (+3 on the branch, 1 applied one edited); median of $runs runs"
echo "mlint check --no-git:     ${plain} ms"
echo "mlint check --base main:  ${based} ms"
awk -v a="$plain" -v b="$based" 'BEGIN { r = a ? b / a : 0; printf "ratio: %.2fx (target <= 1.5x) %s\n", r, r <= 1.5 ? "ok" : "OVER" }'
echo "findings with --base main:"
(cd "$repo" && "$mlint" check --base main --no-excerpt 2>&1 | sed 's/^/  /' | cut -c1-160) || true
echo "git diff --name-status main...HEAD:"
git -C "$repo" diff --name-status main...HEAD | sed 's/^/  /'
