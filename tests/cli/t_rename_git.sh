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

finish
