#!/usr/bin/env bash
# A SHA-256 repository (git init --object-format=sha256), which libgit2 1.5
# cannot open: every command that needs git refuses it with a message that
# says why, exit 2; never a silent "git rules skipped" pass.
source "$(dirname "$0")/lib.sh"
setup_fail() { printf 'SETUP FAILED: %s\n' "$*" >&2; exit 1; }

r=$TMP/sha256
git init -q --object-format=sha256 -b main "$r" 2>/dev/null ||
  skip_all "this git cannot create SHA-256 repositories"
git -C "$r" config commit.gpgsign false
mkdir -p "$r/migrations/versions"
printf '[alembic]\nscript_location = migrations\n' > "$r/alembic.ini"
printf '"""m\n\nRevision ID: a1\nCreate Date: 2025-01-02 10:00:00\n"""\nrevision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table("t")\n\n\ndef downgrade():\n    op.drop_table("t")\n' \
  > "$r/migrations/versions/a1_create_t.py"
git_commit_all "$r" "first"
cd "$r" || exit 1
why="is in a git repository with sha256 object ids (extensions.objectformat = sha256), which libgit2, and so mlint, cannot read"

run_mlint check
assert_eq "check: exit 2" 2 "$RC"
assert_contains "check: says why" "$ERR" "'$r' $why"
CI=true run_mlint check
assert_eq "check with CI=true: exit 2" 2 "$RC"
run_mlint check --staged
assert_eq "check --staged: exit 2" 2 "$RC"
assert_contains "check --staged: says why" "$ERR" "$why"
run_mlint check --no-git
assert_eq "check --no-git lints the files" 0 "$RC"
run_mlint rename
assert_eq "rename: exit 2" 2 "$RC"
assert_contains "rename: says why" "$ERR" "$why"
assert_eq "rename: nothing renamed" "a1_create_t.py" "$(ls migrations/versions)"

# A linked worktree of it: the object format is in the main repository's
# config (the worktree's git directory names it in `commondir`).
git worktree add -q "$TMP/wt" -b side 2>/dev/null || setup_fail "git worktree add"
cd "$TMP/wt" || exit 1
run_mlint check
assert_eq "linked worktree: check exit 2" 2 "$RC"
assert_contains "linked worktree: says why" "$ERR" "$why"
finish
