#!/usr/bin/env bash
# The comparison with the base takes two shortcuts (docs/cache.md, "The
# comparison with the base"), and neither may change an answer:
#  - with a warm cache, only the paths that may differ from the base since
#    the cache was written are compared (.git/mlint/*.diff);
#  - model-without-migration compares the working tree outside the version
#    locations only (the locations were just compared).
# Each step below changes the working tree, HEAD or the base, then checks
# that the report (json) and the status with the cache are those of
# --no-cache, and that the shortcut was taken when it should be.
source "$(dirname "$0")/lib.sh"

P=$TMP/p
gen=${MLINT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/bench/gen_migrations.py
$PY "$gen" "$P" 40 > /dev/null || fail "gen_migrations.py"
mkdir -p "$P/app" "$P/app/models"
printf 'import sqlalchemy as sa\nclass User:\n    pass\n' > "$P/app/models.py"
printf 'import sqlalchemy as sa\nclass Order:\n    pass\n' > "$P/app/models/order.py"
mkdir -p "$P/shop" && printf 'import sqlalchemy as sa\n' > "$P/shop/models.py"
printf 'notes\n' > "$P/migrations/versions/README"
git_init "$P"; git_commit_all "$P" "history"
git -C "$P" checkout -q -b feature
cd "$P"
V=migrations/versions
# Files changed less than 2 s before a run are not remembered (racy):
# old stamps, so that each step's own edits are the only young files.
age() { touch -d '2024-01-01 00:00:00' "$@"; }
age $V/* app/models.py app/models/order.py shop/models.py
sleep 2.2

# same WHAT: a warm run (twice: the first may write the hint) and
# --no-cache agree on the json report and the status.
same() {
  local what=$1 json rc
  run_mlint check -v; run_mlint check -v --format json; json=$OUT; rc=$RC
  HINT=$(printf '%s\n' "$ERR" | sed -n "s/.*cache: compared \([0-9]*\) path(s) with the base.*/\1/p")
  run_mlint check --no-cache --format json
  assert_eq "$what: status = --no-cache" "$RC" "$rc"
  assert_eq "$what: json = --no-cache" "$OUT" "$json"
}

run_mlint check -v
assert_not_contains "cold: no hint to use yet" "$ERR" "cache: compared"
same "warm, nothing changed"
# the README: every entry that is no script is compared each time
assert_eq "warm, nothing changed: the hint is used, no script compared" "1" "$HINT"
assert_eq "the hint file is next to the cache" 1 "$(ls .git/mlint/*.worktree.diff | wc -l)"

one=$(ls $V/*.py | sed -n 5p); two=$(ls $V/*.py | sed -n 9p)
printf '# reviewed\n' >> "$one"
same "an applied migration edited"
assert_eq "edited: only that file is compared (and the README)" "2" "$HINT"
assert_contains "edited: reported" "$OUT" "cosmetic-edit"

sed -i 's/^def upgrade() -> None:/def upgrade() -> None:\n    op.drop_table("x")/' "$two"
same "a second applied migration edited (code)"
assert_contains "edited code: reported" "$OUT" "edited-applied"
assert_eq "edited code: the first edit is still compared" "3" "$HINT"

git checkout -q -- "$one" "$two"
age "$one" "$two"; sleep 2.2
same "both edits reverted"
assert_not_contains "reverted: nothing reported" "$OUT" "edited-applied"
assert_not_contains "reverted: nothing reported" "$OUT" "cosmetic-edit"
same "reverted, a run later"
assert_eq "reverted: nothing left to compare" "1" "$HINT"

rev=$(sed -n "s/^revision = '\(.*\)'/\1/p" "$(ls $V/*.py | tail -1)")
head=$(git show HEAD:"$(ls $V/*.py | tail -1)" | sed -n "s/^revision = '\(.*\)'/\1/p")
cat > $V/aaaa_new.py <<EOF
"""new

Revision ID: aaaa
Revises: $head
Create Date: 2025-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'aaaa'
down_revision = '$rev'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('t', sa.Column('c', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('t', 'c')
EOF
same "an untracked migration added"
assert_contains "added: it is the change" "$OUT" "aaaa_new.py"
rm $V/aaaa_new.py
same "the added migration removed again"
assert_not_contains "removed: gone from the report" "$OUT" "aaaa_new.py"

printf 'more notes\n' >> $V/README
printf 'todo\n' > $V/TODO.txt
mkdir -p $V/old && cp "$one" $V/old/
same "files that are no scripts changed, a subdirectory added"
assert_eq "no scripts: the hint is still used" "yes" "${HINT:+yes}"

gone=$(ls $V/*.py | sed -n 3p)
git rm -q --cached "$gone"; rm "$gone"
same "an applied migration deleted"
assert_contains "deleted: reported" "$OUT" "deleted-applied"
git checkout -q HEAD -- "$gone" 2>/dev/null || git checkout -q main -- "$gone"
age "$gone"; sleep 2.2
same "the deleted migration back"
assert_not_contains "back: not reported" "$OUT" "deleted-applied"

mv "$one" "${one%.py}_renamed.py"
same "an applied migration renamed"
mv "${one%.py}_renamed.py" "$one"

git add -A && git commit -q -m "notes"
same "HEAD moved (a commit on the branch)"
git checkout -q main
printf '# main\n' >> "$two"; git commit -q -am "main moves"
git checkout -q feature && git merge -q --no-edit main
same "the base moved and was merged"

# A hint that belongs to another cache file is not used.
cp .git/mlint/*.worktree.diff "$TMP/old-hint"
printf '# again\n' >> "$one"
for f in $(ls $V/*.py | head -20); do printf '#\n' >> "$f"; done  # enough to rewrite the cache
sleep 2.2
run_mlint check -v
cp "$TMP/old-hint" .git/mlint/*.worktree.diff 2>/dev/null || cp "$TMP/old-hint" "$(ls .git/mlint/*.worktree).diff"
run_mlint check -v
assert_not_contains "a stale hint is not used" "$ERR" "cache: compared"
same "after a stale hint"
printf 'garbage' > "$(ls .git/mlint/*.worktree).diff"
run_mlint check -v
assert_not_contains "a corrupt hint is not used" "$ERR" "cache: compared"
same "after a corrupt hint"
git checkout -q -- .
age $V/*; sleep 2.2

# ---- model-without-migration outside the version locations ------------------
same "clean again"
printf '# x\n' >> app/models.py
same "a model edited"
assert_contains "model edited: warned" "$OUT" "model-without-migration"
assert_contains "model edited: that file" "$OUT" "app/models.py"
git checkout -q -- app/models.py
git rm -q -r --cached app/models; rm -r app/models
same "a model package deleted (the tree has it, the working tree not)"
assert_contains "model package deleted: warned" "$OUT" "app/models/order.py"
git checkout -q HEAD -- app/models
git rm -q -r --cached shop; rm -r shop
same "a top-level package of models deleted (only the tree has its name)"
assert_contains "top-level package deleted: warned" "$OUT" "shop/models.py"
git checkout -q HEAD -- shop
mkdir -p $V/sub
printf 'import sqlalchemy as sa\n' > $V/sub/models.py
same "a models.py below a version location that is not read recursively"
assert_contains "models.py in a subdirectory Alembic does not read: a model" "$OUT" \
  "migrations/versions/sub/models.py"
rm -r $V/sub
mv "$one" "${one%.py}_renamed.py"
printf '# y\n' >> app/models.py
same "a model edited, and a migration renamed"
assert_not_contains "a file added to the versions (a rename): as before, no warning" "$OUT" \
  "model-without-migration"
mv "${one%.py}_renamed.py" "$one"; git checkout -q -- app/models.py

finish
