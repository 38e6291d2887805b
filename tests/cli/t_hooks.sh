#!/usr/bin/env bash
# The pre-commit integration: `mlint install-hook` and the real pre-commit
# framework running the hooks of .pre-commit-hooks.yaml. A commit that edits
# an applied migration is refused with the finding shown; a clean one passes.
source "$(dirname "$0")/lib.sh"

bindir=$(dirname "$MLINT")
export PATH="$bindir:$PATH"   # the hooks run `mlint` from PATH

new_repo() {  # new_repo DIR: main holds two committed migrations
  mkdir -p "$1/migrations/versions"
  git_init "$1"
  printf '[alembic]\nscript_location = migrations\n' > "$1/alembic.ini"
  printf 'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table("t")\n\n\ndef downgrade():\n    op.drop_table("t")\n' \
    > "$1/migrations/versions/a1_create_t.py"
  git_commit_all "$1" "base"
}

# --- mlint install-hook ---------------------------------------------------
r=$TMP/hooked; new_repo "$r"; cd "$r"
run_mlint install-hook
assert_eq "install-hook: status" 0 "$RC"
assert_contains "install-hook: says where" "$ERR" ".git/hooks/pre-commit"
grep -q "mlint-pre-commit-hook" .git/hooks/pre-commit && pass "hook written" || fail "hook written"
sed -i 's/"t"/"t2"/' migrations/versions/a1_create_t.py
git add -A
RC=0; OUT=$(git commit -q -m "edit applied" 2>&1) || RC=$?
assert_eq "hook refuses an edited applied migration" 1 "$RC"
assert_contains "hook shows the finding" "$OUT" "error[edited-applied]"
git checkout -q HEAD -- migrations/versions/a1_create_t.py
printf 'revision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n    op.create_table("u")\n\n\ndef downgrade():\n    op.drop_table("u")\n' \
  > migrations/versions/b2_create_u.py
git add -A
RC=0; OUT=$(git commit -q -m "clean" 2>&1) || RC=$?
assert_eq "hook lets a clean commit through" 0 "$RC"
# A hook mlint did not write is never replaced without --force.
printf '#!/bin/sh\necho mine\n' > .git/hooks/pre-commit
run_mlint install-hook
assert_eq "foreign hook: refused" 2 "$RC"
assert_contains "foreign hook: message" "$ERR" "mlint did not write it"
run_mlint install-hook --uninstall
assert_eq "foreign hook: not uninstalled" 2 "$RC"
run_mlint install-hook --force
assert_eq "--force: replaces" 0 "$RC"
run_mlint install-hook --uninstall
assert_eq "--uninstall: status" 0 "$RC"
[ ! -e .git/hooks/pre-commit ] && pass "--uninstall removes it" || fail "--uninstall removes it"
run_mlint install-hook --uninstall
assert_eq "--uninstall without a hook: success" 0 "$RC"
assert_contains "--uninstall without a hook: says so" "$ERR" "nothing to remove"
# core.hooksPath is honoured.
git config core.hooksPath .githooks
run_mlint install-hook
assert_eq "core.hooksPath: status" 0 "$RC"
[ -x .githooks/pre-commit ] && pass "core.hooksPath: hook there" || fail "core.hooksPath: hook there"
cd "$TMP"
run_mlint install-hook
assert_eq "outside git: status" 2 "$RC"

# --- the pre-commit framework ----------------------------------------------
command -v pre-commit >/dev/null || { fail "pre-commit is not installed (scripts/install-deps.sh installs it)"; finish; }
# The hooks repository: this checkout's .pre-commit-hooks.yaml, committed.
hooks=$TMP/hooks-repo; mkdir -p "$hooks"; git_init "$hooks"
cp "$MLINT_SRC/.pre-commit-hooks.yaml" "$hooks/"
git_commit_all "$hooks" "hooks"
rev=$(git -C "$hooks" rev-parse HEAD)

r=$TMP/framework; new_repo "$r"; cd "$r"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: file://$hooks
    rev: $rev
    hooks:
      - id: mlint
YAML
git add .pre-commit-config.yaml && git commit -q -m "pre-commit config"
export PRE_COMMIT_HOME=$TMP/pre-commit-cache
RC=0; OUT=$(pre-commit install 2>&1) || RC=$?
assert_eq "pre-commit install" 0 "$RC"
sed -i 's/"t"/"t2"/' migrations/versions/a1_create_t.py
git add -A
RC=0; OUT=$(git commit -m "edit applied" 2>&1) || RC=$?
assert_eq "pre-commit refuses an edited applied migration" 1 "$RC"
assert_contains "pre-commit shows the finding" "$OUT" "error[edited-applied]"
git checkout -q HEAD -- migrations/versions/a1_create_t.py
printf 'revision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n    op.create_table("u")\n\n\ndef downgrade():\n    op.drop_table("u")\n' \
  > migrations/versions/b2_create_u.py
git add -A
RC=0; OUT=$(git commit -m "clean" 2>&1) || RC=$?
assert_eq "pre-commit lets a clean commit through" 0 "$RC"
assert_contains "pre-commit ran mlint" "$OUT" "mlint (Alembic migrations)"

finish
