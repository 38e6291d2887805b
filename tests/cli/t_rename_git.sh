#!/usr/bin/env bash
# After `mlint rename` on a branch, `mlint check --base main` sees pure
# renames: no edited-applied, no deleted-applied.
source "$(dirname "$0")/lib.sh"

r=$TMP/repo; mkdir -p "$r/migrations/versions"; git_init "$r"; cd "$r"
printf '[alembic]\nscript_location = migrations\n' > alembic.ini
mk() {  # mk REV PARENT DATE SLUG
  printf '"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s 10:00:00.000000\n\n"""\nrevision = "%s"\ndown_revision = %s\n\n\ndef upgrade():\n    op.create_table("%s")\n\n\ndef downgrade():\n    op.drop_table("%s")\n' \
    "$4" "$1" "$2" "$3" "$1" "$([ -n "$2" ] && echo "\"$2\"" || echo None)" "$4" "$4" \
    > "migrations/versions/${1}_$4.py"
}
mk ab12cd34ef56 "" 2025-01-10 create_users
mk bc23de45fa67 ab12cd34ef56 2025-02-11 create_orders
git_commit_all "$r" "two migrations"
git checkout -q -b rename-files
run_mlint rename
assert_eq "rename: status" 0 "$RC"
git commit -q -m "rename migrations"
assert_eq "git sees two pure renames" \
  "R100 migrations/versions/ab12cd34ef56_create_users.py migrations/versions/20250110_create_users.py
R100 migrations/versions/bc23de45fa67_create_orders.py migrations/versions/20250211_create_orders.py" \
  "$(git diff -M --name-status main HEAD | tr '\t' ' ' | sort)"
run_mlint check --base main --format json
assert_eq "check --base main: status" 0 "$RC"
assert_not_contains "no edited-applied" "$OUT" "edited-applied"
assert_not_contains "no deleted-applied" "$OUT" "deleted-applied"

# A shallow clone: the history ends at a commit whose parents are not
# there; it is where the files came from, as git shows it.
s=$TMP/shallow-src; mkdir -p "$s/migrations/versions"; git_init "$s"; cd "$s"
for i in 1 2 3; do
  parent=None; [ "$i" -gt 1 ] && parent="'s$((i - 1))'"
  printf 'revision = "s%s"\ndown_revision = %s\n' "$i" "$parent" > "migrations/versions/s${i}_step.py"
  git add -A; GIT_AUTHOR_DATE="2024-0$i-10T10:00:00+00:00" git commit -q -m "step $i"
done
git clone -q --depth 2 "file://$s" "$TMP/shallow" && cd "$TMP/shallow"
run_mlint rename --dry-run
assert_eq "shallow clone: status" 0 "$RC"
assert_contains "shallow clone: dated inside the history" "$OUT" \
  "migrations/versions/s3_step.py -> migrations/versions/20240310_step.py (2024-03-10 from git)"
assert_contains "shallow clone: the boundary commit added the rest" "$OUT" \
  "migrations/versions/s1_step.py -> migrations/versions/20240210_01_step.py (2024-02-10 from git)"

finish
