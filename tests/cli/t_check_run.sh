#!/usr/bin/env bash
# `check` as one call over one snapshot (issue 12): the policy is read from
# what is checked (from the base with CI=true), the base table holds in
# every mode, and the reproductions of the issue stay fixed.
source "$(dirname "$0")/lib.sh"

V=migrations/versions

# mig REV DOWN UPGRADE-BODY [FILE]: a migration file under $V.
mig() {
  local down="'$2'"; [ "$2" = None ] && down=None
  local revises=$2; [ "$2" = None ] && revises=
  printf '"""%s\n\nRevision ID: %s\nRevises: %s\n"""\nfrom alembic import op\n\nrevision = "%s"\ndown_revision = %s\n\n\ndef upgrade():\n    %s\n\n\ndef downgrade():  # mlint: ignore[missing-downgrade]\n    pass\n' \
    "$1" "$1" "$revises" "$1" "$down" "$3" > "${4:-$V/$1_m.py}"
}

# new_repo DIR: main with alembic.ini and a1 <- b2 committed.
new_repo() {
  mkdir -p "$1/$V"; git_init "$1"; cd "$1" || return
  printf '[alembic]\nscript_location = migrations\n' > alembic.ini
  mig a1 None 'op.create_table("t")'
  mig b2 a1 'op.create_table("u")'
  git_commit_all "$1" "a1 and b2"
}

# fake_origin: origin/main at main, and main tracking it.
fake_origin() {
  git remote add origin "$PWD"
  git update-ref refs/remotes/origin/main main
  git config branch.main.remote origin
  git config branch.main.merge refs/heads/main
}

# ---- a pull request cannot loosen its own gate ------------------------------
r=$TMP/gate; new_repo "$r"; fake_origin
git checkout -q -b pr
mig c3 b2 'op.drop_table("t")'
printf '[mlint]\nignore = drop-table, edited-applied\n' > .mlint.ini
git_commit_all "$r" "drop t, and switch the gate off"
run_mlint check --no-excerpt
assert_eq "gate: locally the branch's .mlint.ini holds" 0 "$RC"
CI=true GITHUB_BASE_REF=main run_mlint check --no-excerpt --verbose
assert_eq "gate: CI reads the policy from the base" 1 "$RC"
assert_contains "gate: CI finds the drop" "$OUT" "error[drop-table]"
assert_contains "gate: the row" "$ERR" "base row: CI pull request"
# GitLab's merge request variables, the same row
CI=true CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main run_mlint check --no-excerpt --verbose
assert_eq "gate: GitLab MR" 1 "$RC"
assert_contains "gate: GitLab MR row" "$ERR" "base: 'origin/main' (CI_MERGE_REQUEST_TARGET_BRANCH_NAME is set)"
# rules-dir too: a team rule on the base cannot be removed by the PR
git checkout -q main
mkdir -p team; printf 'id: team-users\nseverity: error\nscope: upgrade\ntarget: call\nsummary: users is frozen\npattern: ^op\\.create_table\\(["'"'"']u\nmessage: {call} touches users\n' > team/team-users.rule
printf '[mlint]\nrules-dir = team\n' > .mlint.ini
git_commit_all "$r" "team rule"; git update-ref refs/remotes/origin/main main
git checkout -q -b pr2
mig d4 b2 'op.create_table("u2")' $V/d4_m.py
printf 'id: team-users\nseverity: error\nscope: upgrade\ntarget: call\nsummary: users is frozen\npattern: ^nothing\nmessage: never\n' > team/team-users.rule
sed -i 's/create_table("u2")/create_table("u")/' $V/d4_m.py
git_commit_all "$r" "loosen the team rule"
run_mlint check --no-excerpt --new-only
assert_not_contains "gate: locally the branch's rule file" "$OUT" "team-users"
CI=true GITHUB_BASE_REF=main run_mlint check --no-excerpt --new-only
assert_contains "gate: CI runs the base's rule file" "$OUT" "error[team-users]"
# `mlint rules` knows the rules-dir rules of .mlint.ini
run_mlint rules team-users
assert_eq "rules: a rules-dir rule of .mlint.ini is known" 0 "$RC"
assert_contains "rules: explained" "$OUT" "users is frozen"
run_mlint rules
assert_contains "rules: listed" "$OUT" "team-users"

# ---- --staged and --head read the config they check ---------------------
r=$TMP/staged; new_repo "$r"
mig c3 b2 'op.drop_table("t")'
git add -A
printf '\n[mlint]\nignore = drop-table\n' >> alembic.ini   # not staged
run_mlint check --staged --no-excerpt --verbose
assert_eq "staged: the staged alembic.ini, not the working tree's" 1 "$RC"
assert_contains "staged: the drop" "$OUT" "error[drop-table]"
assert_contains "staged: says where the config came from" "$ERR" "config read from the index: 'alembic.ini'"
git checkout -q -- alembic.ini; git commit -q -m c3
printf '\n[mlint]\nignore = drop-table\n' >> alembic.ini
run_mlint check --head HEAD --no-excerpt
assert_eq "head: REV's alembic.ini" 1 "$RC"
assert_contains "head: the drop" "$OUT" "error[drop-table]"
git checkout -q -- alembic.ini

# ---- --head REV: the base table relative to REV ------------------------------
r=$TMP/headrev; new_repo "$r"
git checkout -q -b feature
sed -i 's/create_table("u")/create_table("u", x)/' $V/b2_m.py
git_commit_all "$r" "edit b2"
git checkout -q main
run_mlint check --head feature --no-excerpt --verbose
assert_eq "head REV from main: git rules run" 1 "$RC"
assert_contains "head REV from main: edited-applied" "$OUT" "error[edited-applied]"
assert_contains "head REV from main: feature row" "$ERR" "base row: local feature branch"
# A PATH that is not in the working tree: read from REV; missing in both: exit 2.
git checkout -q -b moved
mkdir svc; git mv alembic.ini migrations svc/; git commit -q -m "move into svc"
git checkout -q main
run_mlint check --head moved svc --no-excerpt
assert_eq "head PATH only in REV: read from REV" 0 "$RC"
assert_contains "head PATH only in REV: both migrations" "$OUT" "in 2 migrations"
run_mlint check --head main svc
assert_eq "head PATH in neither: exit 2" 2 "$RC"
assert_contains "head PATH in neither: names both" "$ERR" "'svc' does not exist in revision 'main'"
assert_not_contains "head PATH in neither: no (null)" "$ERR" "(null)"
# A bare repository with the project in a subdirectory, from outside it.
git clone -q --bare "$r" "$TMP/bare.git"
(cd "$TMP" && run_mlint check --head moved "$TMP/bare.git/svc" --no-excerpt && printf '%s\n%s' "$RC" "$OUT" > "$TMP/.bare")
assert_eq "bare, nested alembic.ini: exit 0" 0 "$(head -n 1 "$TMP/.bare")"
assert_contains "bare, nested alembic.ini: both migrations" "$(cat "$TMP/.bare")" "in 2 migrations"
# An old REV without today's version directory: not a silent pass.
git checkout -q --orphan early; git rm -rq --cached . ; printf 'x\n' > README; git add README
git commit -q -m "before migrations"; git checkout -q -f main
run_mlint check --head early
assert_eq "old REV without the versions: exit 2" 2 "$RC"
assert_contains "old REV: says so" "$ERR" "version location 'migrations/versions' does not exist in revision 'early'"

# ---- a merge being committed through the hook -------------------------------
r=$TMP/merge; new_repo "$r"
git checkout -q -b feature
mig c3 b2 'op.drop_table("t")'
git_commit_all "$r" "c3 drops t"
git checkout -q main
printf 'readme\n' > README; git_commit_all "$r" "unrelated"
git merge -q --no-ff --no-commit feature >/dev/null 2>&1
run_mlint check --staged --new-only --no-excerpt --verbose
assert_eq "merge: the incoming branch's migrations are not this change's" 0 "$RC"
assert_not_contains "merge: no drop-table" "$OUT" "drop-table"
assert_contains "merge: the row" "$ERR" "base row: merge in progress: both parents"
# ... but an edit made while merging is
sed -i 's/create_table("u")/create_table("u", y)/' $V/b2_m.py; git add -A
run_mlint check --staged --new-only --no-excerpt
assert_eq "merge: an edit of its own is caught" 1 "$RC"
assert_contains "merge: edited-applied" "$OUT" "error[edited-applied]"
git merge --abort

# ---- unpushed commits on the base branch are not applied ----------------
r=$TMP/unpushed; new_repo "$r"; fake_origin
mig c3 b2 'op.create_table("v")'
git_commit_all "$r" "c3, not pushed"
sed -i 's/"v"/"w"/' $V/c3_m.py       # amending the unpushed migration
run_mlint check --no-excerpt --verbose
assert_eq "unpushed: an unpushed migration is not applied" 0 "$RC"
assert_not_contains "unpushed: no edited-applied" "$OUT" "edited-applied"
assert_contains "unpushed: the upstream row" "$ERR" "base row: local base branch with an upstream"
sed -i 's/"t"/"t0"/' $V/a1_m.py       # a pushed one is
run_mlint check --no-excerpt
assert_contains "unpushed: a pushed migration is applied" "$OUT" "error[edited-applied]"
git checkout -q -- $V

# ---- CI push to the base branch: what the push added -----------------------
r=$TMP/push; new_repo "$r"
before=$(git rev-parse HEAD)
mig c3 b2 'op.drop_table("t")'
git_commit_all "$r" "c3 pushed"
mig d4 c3 'op.create_table("x")'
git_commit_all "$r" "d4 pushed"
CI=true GITHUB_EVENT_BEFORE=$before run_mlint check --new-only --no-excerpt --verbose
assert_eq "push: the push's migrations are checked" 1 "$RC"
assert_contains "push: c3's drop" "$OUT" "error[drop-table]"
assert_contains "push: the row" "$ERR" "base row: CI push to the base branch: the commit before the push"
CI=true run_mlint check --new-only --no-excerpt --verbose
assert_eq "push, no before: the first parent" 0 "$RC"
assert_contains "push, no before: the row" "$ERR" "base row: CI push to the base branch: the first parent"

# GitLab: a detached HEAD on the pushed branch, CI_COMMIT_BEFORE_SHA
git checkout -q --detach HEAD
CI=true CI_COMMIT_BRANCH=main CI_COMMIT_BEFORE_SHA=$before run_mlint check --new-only --no-excerpt --verbose
assert_eq "push, GitLab detached: checked" 1 "$RC"
assert_contains "push, GitLab detached: c3's drop" "$OUT" "error[drop-table]"
assert_contains "push, GitLab detached: the row" "$ERR" "CI push to the base branch 'main': CI_COMMIT_BEFORE_SHA"
# a new branch's first push: GitLab sends zeros; the first parent then
CI=true CI_COMMIT_BRANCH=main CI_COMMIT_BEFORE_SHA=0000000000000000000000000000000000000000 run_mlint check --new-only --no-excerpt --verbose
assert_contains "push, zeros: the first parent" "$ERR" "base row: CI push to the base branch: the first parent"
git checkout -q main

# ---- stale base when the branch renamed its parent's file -------------------
r=$TMP/stale; new_repo "$r"
git checkout -q -b feature
git mv $V/b2_m.py $V/20250101_b2.py
mig c3 b2 'op.create_table("v")'
git_commit_all "$r" "rename b2, add c3"
git checkout -q main
mig d4 b2 'op.create_table("x")'
git_commit_all "$r" "d4 on main"
git checkout -q feature
run_mlint check --base main --no-excerpt
assert_eq "stale + renamed parent: caught" 1 "$RC"
assert_contains "stale + renamed parent: stale-base on c3" "$OUT" "c3_m.py:9:1: error[stale-base]"
assert_contains "stale: merge or rebase first" "$OUT" "first merge or rebase on 'main'"

# ---- a merge that leaves a down_revision pointing at nothing ----------------
r=$TMP/dangling; new_repo "$r"
git checkout -q -b feature
mig c3 b2 'op.create_table("v")'
git_commit_all "$r" "c3 on b2"
git checkout -q main
git rm -q $V/b2_m.py; mig b3 a1 'op.create_table("u")'
git_commit_all "$r" "b2 replaced by b3"
git checkout -q feature
run_mlint check --base main --no-excerpt
assert_eq "dangling: caught" 1 "$RC"
assert_contains "dangling: says so" "$OUT" "c3' revises 'b2', which 'main' no longer has"

# ---- CI: base and applied from the config survive the second read ------------
r=$TMP/cirefs; new_repo "$r"
printf '\n[mlint]\nbase = main\napplied = main\n' >> alembic.ini; git_commit_all "$r" "refs"
git checkout -q -b pr; mig c3 b2 'op.create_table("v")'; git_commit_all "$r" "c3"
CI=true run_mlint check --show-config
assert_eq "ci refs: exit 0" 0 "$RC"
assert_contains "ci refs: base from the config" "$OUT" "base             = main                             ; [mlint] base"
assert_contains "ci refs: applied from the config" "$OUT" "applied          = main"
CI=true run_mlint check --no-excerpt
assert_eq "ci refs: check" 0 "$RC"

# ---- the hook is quiet when all is well -------------------------------------
r=$TMP/quiet; new_repo "$r"
mig c3 b2 'op.create_table("v")'; git add -A
run_mlint check --staged --new-only --quiet
assert_eq "quiet: clean" 0 "$RC"
assert_eq "quiet: nothing printed" "" "$OUT"
grep -q -- "--quiet" <("$MLINT" install-hook --help 2>&1; cat "$MLINT_SRC/src/hook.c") \
  && pass "hook: runs --quiet" || fail "hook: runs --quiet"

# ---- the pre-commit framework hook always runs -------------------------------
hooks=$MLINT_SRC/.pre-commit-hooks.yaml
block=$(awk '/^- id: mlint$/{on=1; next} /^- id:/{on=0} on' "$hooks")
assert_contains "pre-commit: always_run" "$block" "always_run: true"
assert_not_contains "pre-commit: no files: filter" "$block" "files:"

# ---- Flask-Migrate: the hint says flask db merge ------------------------------
r=$TMP/flask; new_repo "$r"
printf '[alembic]\n# template used to generate migration files\n\n[loggers]\nkeys = root\n' > migrations/alembic.ini
rm alembic.ini; touch migrations/env.py
mig c3 a1 'op.create_table("v")'
run_mlint check --no-git --no-excerpt
assert_contains "flask: flask db merge" "$OUT" "merge them: flask db merge -m"
assert_not_contains "flask: not alembic merge" "$OUT" "alembic merge"

finish
