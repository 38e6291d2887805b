#!/usr/bin/env bash
# Git awareness, end to end: real repositories built with git and the real
# alembic CLI, walking the workflow guide's scenarios.
source "$(dirname "$0")/lib.sh"
need_alembic

# new_repo DIR: alembic project on main with a1 <- b2 committed.
new_repo() {
  mkdir -p "$1"; git_init "$1"
  (cd "$1" && $ALEMBIC init migrations >/dev/null &&
    $ALEMBIC revision -m "create users" --rev-id a1 >/dev/null &&
    $ALEMBIC revision -m "add email" --rev-id b2 >/dev/null) || fail "alembic init in $1"
  # b2 does something, so edits are visible
  python_edit "$1/migrations/versions/b2_add_email.py" "    pass" \
    "    op.add_column('users', sa.Column('email', sa.String(length=200)))" 1
  python_edit "$1/migrations/versions/b2_add_email.py" "    pass" \
    "    op.drop_column('users', 'email')" 1
  git_commit_all "$1" "a1 and b2"
}

# python_edit FILE OLD NEW [COUNT]: literal replace (first COUNT occurrences)
python_edit() {
  $PY - "$@" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else -1
text = open(path).read()
if old not in text:
    sys.exit("python_edit: %r not in %s" % (old, path))
open(path, "w").write(text.replace(old, new, count))
PY
}

B2=migrations/versions/b2_add_email.py

# ---- edited-applied -------------------------------------------------------
r=$TMP/edit; new_repo "$r"; cd "$r"
git checkout -q -b feature
python_edit $B2 "length=200" "length=255"
git_commit_all "$r" "widen email"
run_mlint check --base main
assert_eq "edit: status" 1 "$RC"
assert_contains "edit: rule and line" "$OUT" "$B2:20:5: error[edited-applied]: migration 'b2' is applied (present in 'main') but its code changed: 1 line changed (+1 -1)"
assert_contains "edit: names the commit" "$OUT" "(widen email)"
assert_contains "edit: excerpt is the changed line" "$OUT" "length=255"
run_mlint check --base main --verbose
assert_contains "edit: verbose names the base" "$ERR" "base: 'main' (--base)"
# Default base: main exists and is not HEAD's branch.
run_mlint check --verbose
assert_eq "edit: default base status" 1 "$RC"
assert_contains "edit: default base chosen" "$ERR" "base: 'main' (the first of origin/HEAD"
# Uncommitted edits are named too.
python_edit $B2 "length=255" "length=256"
run_mlint check --base main
assert_contains "edit: uncommitted changes named" "$OUT" "in uncommitted changes, "
git checkout -q -- $B2
# --no-git: no git rule, no libgit2.
run_mlint check --no-git
assert_eq "edit: --no-git status" 0 "$RC"
# On main itself, HEAD is the base: an uncommitted edit is caught.
git checkout -q main
python_edit $B2 "length=200" "length=201"
run_mlint check --verbose
assert_eq "on main: status" 1 "$RC"
assert_contains "on main: HEAD is the base" "$ERR" "HEAD is on the base branch 'main' itself"
assert_contains "on main: uncommitted edit" "$OUT" "error[edited-applied]: migration 'b2' is applied (present in 'HEAD')"
git checkout -q -- $B2

# ---- pure rename and rename + edit -------------------------------------------
r=$TMP/rename; new_repo "$r"; cd "$r"
git checkout -q -b feature
git mv $B2 migrations/versions/20250101_add_email.py
git_commit_all "$r" "rename"
run_mlint check --base main
assert_eq "pure rename: status" 0 "$RC"
assert_not_contains "pure rename: no finding" "$OUT" "applied"
python_edit migrations/versions/20250101_add_email.py "length=200" "length=100"
git_commit_all "$r" "rename and edit"
run_mlint check --base main
assert_eq "rename+edit: status" 1 "$RC"
assert_contains "rename+edit: caught at the new path" "$OUT" "migrations/versions/20250101_add_email.py:20:5: error[edited-applied]"
assert_contains "rename+edit: says renamed" "$OUT" "renamed from '$B2'"

# ---- cosmetic edit ------------------------------------------------------------
r=$TMP/cosmetic; new_repo "$r"; cd "$r"
git checkout -q -b feature
python_edit $B2 "op.add_column('users', sa.Column('email', sa.String(length=200)))" \
  "op.add_column(\"users\",  # the address
                  sa.Column(\"email\", sa.String(length=200)))"
git_commit_all "$r" "reformat"
run_mlint check --base main
assert_eq "cosmetic: status (info only)" 0 "$RC"
assert_contains "cosmetic: info" "$OUT" "$B2:20:5: info[cosmetic-edit]: migration 'b2' is applied (present in 'main') and changed only in comments"
assert_not_contains "cosmetic: not an edit" "$OUT" "edited-applied"
run_mlint check --base main --fail-on info
assert_eq "cosmetic: fails at info" 1 "$RC"
# a typo fixed in the docstring (warehouse: "readd" -> "re-add") runs the same
python_edit $B2 '"""add email' '"""Add the e-mail address'
git_commit_all "$r" "docstring"
run_mlint check --base main
assert_eq "docstring edit: status (info only)" 0 "$RC"
assert_contains "docstring edit: cosmetic" "$OUT" "info[cosmetic-edit]: migration 'b2'"
# ... and --new-only does not judge a reformatted file again (warehouse
# reformatted every migration in one pull request)
git checkout -q main
$ALEMBIC revision -m "index email" --rev-id c3 >/dev/null
python_edit migrations/versions/c3_index_email.py "    pass" \
  "    op.create_index('ix_users_email', 'users', ['email'])" 1
git_commit_all "$r" "c3"
git checkout -q -b reformat
python_edit migrations/versions/c3_index_email.py "op.create_index('ix_users_email', 'users', ['email'])" \
  'op.create_index("ix_users_email", "users", ["email"])'
git_commit_all "$r" "reformat c3"
run_mlint check --base main
assert_contains "reformat: the old warning is there without --new-only" "$OUT" "warning[create-index-not-concurrently]"
run_mlint check --base main --new-only
assert_contains "reformat: said to be cosmetic" "$OUT" "info[cosmetic-edit]: migration 'c3'"
assert_not_contains "reformat: not part of the change for --new-only" "$OUT" "create-index-not-concurrently"
git checkout -q feature
# a string statement with a field runs code: an edit
python_edit $B2 "    op.drop_column('users', 'email')" "    f\"{op.drop_column('users', 'email')}\""
git_commit_all "$r" "f-string"
run_mlint check --base main
assert_contains "f-string statement: an edit" "$OUT" "error[edited-applied]: migration 'b2'"

# ---- delete -----------------------------------------------------------------------
r=$TMP/delete; new_repo "$r"; cd "$r"
git checkout -q -b feature
git rm -q $B2
git_commit_all "$r" "drop b2"
run_mlint check --base main --format json
assert_eq "delete: status" 1 "$RC"
assert_contains "delete: rule" "$OUT" '"rule": "deleted-applied"'
assert_contains "delete: base path" "$OUT" "\"path\": \"$B2\""
assert_contains "delete: revision" "$OUT" '"revision": "b2"'

# ---- two branches on the same head: the second to merge is stale ------------
r=$TMP/stale; new_repo "$r"; cd "$r"
git checkout -q -b one
$ALEMBIC revision -m "add orders" --rev-id c3 >/dev/null
git_commit_all "$r" "c3"
git checkout -q main
git checkout -q -b two
$ALEMBIC revision -m "add items" --rev-id d4 >/dev/null
git_commit_all "$r" "d4"
run_mlint check --base main
assert_eq "stale: before the first merge: clean" 0 "$RC"
git checkout -q main; git merge -q --no-ff one -m "merge one"; git checkout -q two
run_mlint check --base main
assert_eq "stale: status" 1 "$RC"
assert_contains "stale: names the head" "$OUT" "migrations/versions/d4_add_items.py:14:1: error[stale-base]: migration 'd4' was written on 'b2', but 'main' has moved on: its head is now 'c3'"
assert_contains "stale: the fix" "$OUT" "set down_revision = 'c3' in this migration"
assert_contains "stale: or merge" "$OUT" 'alembic merge -m "merge heads" c3 d4'
# alembic agrees: after the merge there are two heads.
git checkout -q -b trial main; git merge -q --no-edit two
assert_eq "stale: alembic sees two heads" "2" "$($ALEMBIC heads 2>/dev/null | wc -l)"
git checkout -q two
# Rebased (down_revision = c3): clean.
git rebase -q main
python_edit migrations/versions/d4_add_items.py "down_revision = 'b2'" "down_revision = 'c3'"
git_commit_all "$r" "rebase d4 on c3"
run_mlint check --base main
assert_eq "stale: fixed" 0 "$RC"

# ---- --new-only and model-without-migration ---------------------------------------
r=$TMP/models; new_repo "$r"; cd "$r"
mkdir -p app; printf 'import sqlalchemy as sa\n' > app/models.py; git_commit_all "$r" "models"
git checkout -q -b feature
printf 'name = sa.Column(sa.String)\n' >> app/models.py
git_commit_all "$r" "model change"
run_mlint check --base main
assert_eq "models: warning only" 0 "$RC"
assert_contains "models: warned" "$OUT" "app/models.py:1:1: warning[model-without-migration]: model file 'app/models.py' changed since main but no migration is added"
$ALEMBIC revision -m "add name" --rev-id c3 >/dev/null
git_commit_all "$r" "its migration"
run_mlint check --base main
assert_not_contains "models: migration added" "$OUT" "model-without-migration"
# --staged: the model change is staged without a migration.
printf 'more = 1\n' >> app/models.py; git add app/models.py
run_mlint check --staged
assert_contains "models: staged" "$OUT" "model file 'app/models.py' is staged but no migration"
git reset -q --hard
# --new-only: a header mismatch (a scan rule) in old b2 is dropped, in new c3 kept.
git checkout -q main
python_edit $B2 "Revises: a1" "Revises: zz"; git_commit_all "$r" "bad header on main"
git checkout -q feature; git rebase -q main
python_edit migrations/versions/c3_add_name.py "Revises: b2" "Revises: yy"; git_commit_all "$r" "bad header"
run_mlint check --base main --fail-on info
assert_contains "new-only off: old file linted" "$OUT" "$B2"
run_mlint check --base main --new-only --fail-on info
assert_not_contains "new-only: old file not linted" "$OUT" "$B2"
assert_contains "new-only: new file linted" "$OUT" "c3_add_name.py"

# ---- --staged: the index, not the file on disk --------------------------------------
r=$TMP/staged; new_repo "$r"; cd "$r"
python_edit $B2 "length=200" "length=300"; git add $B2     # staged edit
git show HEAD:$B2 > $B2                                   # disk back to committed
assert_eq "staged: index and disk differ" "1" "$(git diff --name-only | wc -l)"
run_mlint check
assert_eq "staged: worktree is clean" 0 "$RC"
run_mlint check --staged
assert_eq "staged: index is caught" 1 "$RC"
assert_contains "staged: staged edit" "$OUT" "error[edited-applied]"
assert_contains "staged: named as staged" "$OUT" "in staged changes"
run_mlint heads
assert_eq "staged: heads unaffected" "b2 (head)" "$OUT"

# ---- --head on a bare repository ---------------------------------------------------------
r=$TMP/bare-src; new_repo "$r"; cd "$r"
git checkout -q -b feature
python_edit $B2 "length=200" "length=400"; git_commit_all "$r" "edit on feature"
git clone -q --bare "$r" "$TMP/bare.git"
cd "$TMP"
run_mlint check "$TMP/bare.git" --head feature --base main
assert_eq "bare: status" 1 "$RC"
assert_contains "bare: edit caught" "$OUT" "$B2:20:5: error[edited-applied]"
run_mlint check "$TMP/bare.git" --head main --base main
assert_eq "bare: main is clean" 0 "$RC"
run_mlint check "$TMP/bare.git" --head nope
assert_eq "bare: missing head" 2 "$RC"
assert_contains "bare: names it" "$ERR" "head revision 'nope' does not exist"

# ---- a sparse checkout: what it leaves out is not deleted -----------------------------------
r=$TMP/sparse; new_repo "$r"; cd "$r"
mkdir -p app; printf 'import sqlalchemy as sa\n' > app/models.py; git_commit_all "$r" "models"
git checkout -q -b feature
printf '# env\n' >> migrations/env.py; git_commit_all "$r" "feature"
git sparse-checkout set --no-cone '/migrations/' '/alembic.ini' '!/migrations/versions/a1_create_users.py' \
  >/dev/null 2>&1 || setup_fail "sparse-checkout"
[ -e app/models.py ] && setup_fail "sparse-checkout left app/ in place"
[ -e migrations/versions/a1_create_users.py ] && setup_fail "sparse-checkout left a1 in place"
run_mlint check --base main --no-excerpt
assert_not_contains "sparse: a model file left out is not a model change" "$OUT" "model-without-migration"
assert_not_contains "sparse: a migration left out is not deleted" "$OUT" "deleted-applied"
git sparse-checkout disable >/dev/null 2>&1
rm migrations/versions/a1_create_users.py
run_mlint check --base main --no-excerpt
assert_contains "sparse: recall, a real deletion" "$OUT" "error[deleted-applied]: migration 'a1'"

# ---- shallow clone without the merge base ------------------------------------------------
r=$TMP/deep; new_repo "$r"; cd "$r"
git checkout -q -b feature; $ALEMBIC revision -m "x" --rev-id c3 >/dev/null; git_commit_all "$r" "c3"
git checkout -q main; $ALEMBIC revision -m "y" --rev-id d4 >/dev/null; git_commit_all "$r" "d4"
git clone -q --depth 1 --no-single-branch --branch feature "file://$r" "$TMP/shallow" 2>/dev/null
cd "$TMP/shallow"
run_mlint check --base origin/main
assert_eq "shallow: exit 2" 2 "$RC"
assert_contains "shallow: says fetch more" "$ERR" "shallow clone"
assert_contains "shallow: fetch-depth" "$ERR" "fetch-depth: 0"
CI=true GITHUB_BASE_REF=main run_mlint check
assert_eq "shallow: CI default base, exit 2" 2 "$RC"

# ---- base ref that does not exist; outside git; unborn; CI config from base ---------------
r=$TMP/misc; new_repo "$r"; cd "$r"
run_mlint check --base no-such-branch
assert_eq "missing base: exit 2" 2 "$RC"
assert_contains "missing base: named" "$ERR" "base 'no-such-branch' does not exist"
GITHUB_BASE_REF=gone run_mlint check
assert_eq "missing GITHUB_BASE_REF: exit 2" 2 "$RC"
assert_contains "missing GITHUB_BASE_REF: named" "$ERR" "GITHUB_BASE_REF names the base branch 'gone', but 'origin/gone' does not exist"
assert_contains "missing GITHUB_BASE_REF: fetch the branch, not origin/origin" "$ERR" "git fetch origin gone'"
# from a subdirectory
cd migrations/versions
run_mlint check --base main
assert_eq "subdirectory: status" 0 "$RC"
cd "$r"
# a linked worktree
git worktree add -q -b wt "$TMP/linked" main
cd "$TMP/linked"; python_edit $B2 "length=200" "length=500"
run_mlint check --base main
assert_eq "linked worktree: edit caught" 1 "$RC"
cd "$r"

o=$TMP/outside; mkdir -p "$o"; cp -r "$r/migrations" "$r/alembic.ini" "$o/"; cd "$o"
run_mlint check
assert_eq "outside git: other rules run" 0 "$RC"
assert_contains "outside git: one notice" "$ERR" "is not in a git repository: git rules skipped"
# From inside another repository, the notice names the project, not the
# current directory (which is in git).
(cd "$r" && run_mlint check "$o" && printf '%s' "$ERR" > "$TMP/.outside.err")
assert_contains "outside git, run from a repository: names the project" "$(cat "$TMP/.outside.err")" "'$o/migrations' is not in a git repository"
assert_not_contains "outside git, run from a repository: not the cwd" "$(cat "$TMP/.outside.err")" "'$r' is not"
assert_eq "outside git: only one" 1 "$(printf '%s\n' "$ERR" | grep -c 'git rules skipped')"
run_mlint check --staged
assert_eq "outside git: --staged is an error" 2 "$RC"

# CI=true: the [mlint] config gating the pull request comes from the base.
r=$TMP/ci; new_repo "$r"; cd "$r"
mkdir -p app; printf 'x = 1\n' > app/schema.py
printf '\n[mlint]\nmodels = app/schema.py\n' >> alembic.ini; git_commit_all "$r" "gate"
git checkout -q -b loosen
python_edit alembic.ini "models = app/schema.py" "models = nothing.py"
printf 'y = 2\n' >> app/schema.py; git_commit_all "$r" "loosen the gate"
run_mlint check --base main
assert_not_contains "ci: locally the branch's config" "$OUT" "model-without-migration"
CI=true run_mlint check --base main --verbose
assert_contains "ci: the base's config" "$OUT" "warning[model-without-migration]: model file 'app/schema.py'"
assert_contains "ci: verbose says where" "$ERR" "CI: config read from the base: 'main:alembic.ini'"

u=$TMP/unborn; mkdir -p "$u"; git_init "$u"; cp -r "$r/migrations" "$r/alembic.ini" "$u/"; cd "$u"
run_mlint check
assert_eq "unborn: status" 0 "$RC"
assert_contains "unborn: notice" "$ERR" "has no commit yet: git rules skipped"

# A repository owned by someone else (a CI container): git does not trust
# it unless safe.directory names it. Then exit 2 with git's advice, never a
# silent pass without the git rules; with safe.directory it is read.
if [ "$(id -u)" -eq 0 ]; then
  w=$TMP/owned; cp -r "$r" "$w"; chown -R 65534:65534 "$w"; cd "$w"
  run_mlint check --no-excerpt
  assert_eq "not ours: exit 2" 2 "$RC"
  assert_contains "not ours: git's advice" "$ERR" "git config --global --add safe.directory $w"
  assert_not_contains "not ours: not 'not in a repository'" "$ERR" "not in a git repository"
  run_mlint check --base main
  assert_eq "not ours, --base: status 2" 2 "$RC"
  git config --global --add safe.directory "$w"
  run_mlint check --no-excerpt --verbose
  assert_eq "not ours, safe.directory: read" 0 "$RC"
  assert_contains "not ours, safe.directory: git rules ran" "$ERR" "base row:"
  git config --global --unset-all safe.directory
  chown -R "$(id -u):$(id -g)" "$w"
fi

# Overlapping version locations (the same directory named twice): each file
# is read once from the working tree, the index and a commit alike.
o=$TMP/overlap; mkdir -p "$o"; git_init "$o"; cp -r "$r/migrations" "$o/"; cd "$o"
printf '[alembic]\nscript_location = migrations\nversion_locations = %%(here)s/migrations/versions %%(here)s/migrations/versions/\n' > alembic.ini
git_commit_all "$o" "overlap"
for where in "" --staged "--head HEAD"; do
  # shellcheck disable=SC2086
  run_mlint check $where --verbose --select duplicate-revision
  assert_eq "overlap ${where:-worktree}: no duplicate-revision" 0 "$RC"
  assert_not_contains "overlap ${where:-worktree}: read once" "$OUT" "duplicate-revision"
  [ -n "$where" ] && assert_contains "overlap $where: the second listing is skipped" "$ERR" "already read through another version location"
done
# One location with a trailing slash: the index has no "versions/" prefix
# to match (a bug once: --staged read no file at all).
printf '[alembic]\nscript_location = migrations\nversion_locations = %%(here)s/migrations/versions/\n' > alembic.ini
git_commit_all "$o" "trailing slash"
for where in "" --staged "--head HEAD"; do
  # shellcheck disable=SC2086
  run_mlint check $where --no-excerpt
  assert_contains "trailing slash ${where:-worktree}: both migrations read" "$OUT" "in 2 migrations"
done

finish
