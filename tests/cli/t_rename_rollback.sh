#!/usr/bin/env bash
# mlint rename is all or nothing: a target that exists, an index that cannot
# be written, a directory that cannot be written to, a failure injected at
# each step in turn: the tree and the index are left exactly as they were,
# and the message names what failed.
source "$(dirname "$0")/lib.sh"
# The last case hands the repository to another user; git must still read it.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0="*"

migration() {  # migration FILE REV PARENT DATE
  local parent=None
  [ -n "$3" ] && parent="'$3'"
  printf '"""%s\n\nRevision ID: %s\nCreate Date: %s\n"""\nrevision = %s\ndown_revision = %s\n' \
    "step $2" "$2" "$4" "'$2'" "$parent" > "$1"
}

new_repo() {  # new_repo DIR: v1/ holds a1 <- b2, v2/ holds c3 <- d4
  mkdir -p "$1/v1" "$1/v2"; git_init "$1"
  migration "$1/v1/a1_base.py" a1 "" "2025-01-01 00:00:00"
  migration "$1/v1/b2_second.py" b2 a1 "2025-01-02 00:00:00"
  migration "$1/v2/c3_third.py" c3 b2 "2025-01-03 00:00:00"
  migration "$1/v2/d4_fourth.py" d4 c3 "2025-01-04 00:00:00"
  git_commit_all "$1" "migrations"
  echo "# unstaged" >> "$1/v1/b2_second.py"
}

state() {  # everything a failed rename must leave as it was
  (cd "$1" && git status --porcelain && find . -path ./.git -prune -o -print | sort && git ls-files -s --debug | grep -v -e ctime -e mtime && cat v1/b2_second.py)
}

full_state() {  # state, plus every file's name and contents (untracked too)
  state "$1"
  (cd "$1" && find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
}

# Fault injection: MLINT_FAULT_RENAME_STEP=K fails step K (K = 1..5: the
# five renames, tracked and untracked, in plan order; 6: the index write).
# Each failure leaves the same repository exactly as it was at the start.
p=$TMP/faults; new_repo "$p"; cd "$p"
migration v2/e5_fifth.py e5 d4 "2025-01-05 00:00:00"  # untracked
before=$(full_state "$p")
named=""
for k in 1 2 3 4 5 6; do
  RC=0; ERR=$(MLINT_FAULT_RENAME_STEP=$k "${MLINT_RUNNER_WORDS[@]}" "$MLINT" rename v1 v2 2>&1 >/dev/null) || RC=$?
  assert_eq "fault $k: status" 2 "$RC"
  assert_contains "fault $k: rolled back" "$ERR" "(nothing was renamed)"
  if [ $k -le 5 ]; then
    assert_contains "fault $k: names the rename" "$ERR" "Input/output error"
    named="$named $(printf '%s' "$ERR" | sed -n "s/^mlint: cannot rename '\([^']*\)' to.*/\1/p")"
  else
    assert_contains "fault $k: names the index" "$ERR" "cannot write the git index in '$p': Input/output error"
  fi
  assert_eq "fault $k: tree, contents and index as before" "$before" "$(full_state "$p")"
done
assert_eq "faults: each step is another file, in plan order" \
  " v1/a1_base.py v1/b2_second.py v2/c3_third.py v2/d4_fourth.py v2/e5_fifth.py" "$named"
# There is no step 7: the rename goes through, the index follows.
RC=0; MLINT_FAULT_RENAME_STEP=7 "$MLINT" rename v1 v2 >/dev/null 2>&1 || RC=$?
assert_eq "fault 7: no such step, renamed" 0 "$RC"
assert_eq "fault 7: four staged renames" 4 "$(git status --porcelain | grep -c '^R')"
assert_eq "fault 7: unstaged edit kept unstaged" "+# unstaged" "$(git diff | grep '^+#')"
assert_eq "fault 7: untracked one moved" "?? v2/20250105_fifth.py" "$(git status --porcelain | grep '^??')"

# A directory where a target should go: refused before anything moves.
p=$TMP/exists; new_repo "$p"; cd "$p"
mkdir v2/20250104_fourth.py
before=$(state "$p")
run_mlint rename v1 v2
assert_eq "exists: status" 2 "$RC"
assert_contains "exists: message" "$ERR" "cannot rename 'v2/d4_fourth.py': 'v2/20250104_fourth.py' already exists"
assert_eq "exists: nothing changed" "$before" "$(state "$p")"
assert_eq "exists: plan printed nothing" "" "$OUT"

# The index is locked: the files were moved, then are moved back.
p=$TMP/locked; new_repo "$p"; cd "$p"
before=$(state "$p")
touch .git/index.lock
run_mlint rename v1 v2
assert_eq "locked: status" 2 "$RC"
assert_contains "locked: message" "$ERR" "cannot write the git index"
assert_contains "locked: says nothing was renamed" "$ERR" "(nothing was renamed)"
assert_not_contains "locked: says it once" "$ERR" "(nothing was renamed) (nothing was renamed)"
rm .git/index.lock
assert_eq "locked: tree and index as before" "$before" "$(state "$p")"
run_mlint rename v1 v2
assert_eq "locked: works once unlocked" 0 "$RC"
assert_eq "locked: four renames" 4 "$(git status --porcelain | grep -c '^R')"

# A version directory that cannot be written to: v1's files are renamed
# first (graph order), then v2's rename fails and v1's are moved back.
# Root may write anywhere, so run as an unprivileged user that owns the repo.
p=$TMP/readonly; new_repo "$p"; cd "$p"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$TMP"; chown -R 65534:65534 "$p"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp)
fi
chmod 555 v2
before=$(state "$p")
RC=0; ERR=$("${as_user[@]}" "$MLINT" rename v1 v2 2>&1 >/dev/null) || RC=$?
assert_eq "readonly: status" 2 "$RC"
assert_contains "readonly: names the file" "$ERR" "cannot rename 'v2/c3_third.py' to 'v2/20250103_third.py': Permission denied"
assert_contains "readonly: rolled back" "$ERR" "(nothing was renamed)"
assert_eq "readonly: tree and index as before" "$before" "$(state "$p")"
chmod 755 v2

finish
