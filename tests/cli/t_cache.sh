#!/usr/bin/env bash
# The cache under .git/mlint (docs/cache.md) never changes an answer: check
# with a cold cache, a warm one and --no-cache print the same, byte for
# byte, with the same exit status, after edits that keep size and mtime,
# config and rule changes, deletes, renames, staged changes, and with a
# cache that is corrupt, truncated, foreign, of another version, or that
# cannot be written.
source "$(dirname "$0")/lib.sh"

P=$TMP/p
gen=${MLINT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/bench/gen_migrations.py
$PY "$gen" "$P" 700 > /dev/null || fail "gen_migrations.py"
mkdir -p "$P/team"
cat > "$P/team/tables.rule" <<'EOF'
id: team-new-table
severity: warning
scope: upgrade
target: call
summary: a new table
pattern: create_table
explain:
  A team rule for the cache test.
EOF
git_init "$P"; git_commit_all "$P" "history"
cd "$P"
V=migrations/versions
# Files changed less than 2 s before a run are not remembered (racy).
touch -d '2024-01-01 00:00:00' $V/*.py
sleep 3

CACHE=.git/mlint
# known: the "N of M file(s) known" of the last verbose run
known() { printf '%s\n' "$ERR" | sed -n "s/.*cache '[^']*': \([0-9]*\) of \([0-9]*\) file(s) known.*/\1 of \2/p"; }

# agree WHAT ARGS...: the output (text and json) and status with the
# cache as it is, once more (warm), and with --no-cache are the same
agree() {
  local what=$1 out rc json; shift
  run_mlint check "$@" -v; out=$OUT; rc=$RC
  run_mlint check "$@" --format json; json=$OUT
  run_mlint check "$@" --no-cache
  assert_eq "$what: status = --no-cache" "$RC" "$rc"
  assert_eq "$what: text = --no-cache" "$OUT" "$out"
  run_mlint check "$@" --no-cache --format json
  assert_eq "$what: json = --no-cache" "$OUT" "$json"
}

# cold, then warm
run_mlint check -v
cold=$OUT; cold_rc=$RC
assert_eq "cold: nothing known" "0 of 700" "$(known)"
assert_eq "cold: the cache file is written" 1 "$(ls $CACHE/*.worktree 2>/dev/null | wc -l)"
run_mlint check -v
assert_eq "warm: every file known" "700 of 700" "$(known)"
assert_eq "warm: same output" "$cold" "$OUT"
assert_eq "warm: same status" "$cold_rc" "$RC"
agree "warm"
assert_contains "the pattern rules ran" "$cold" "create-index-not-concurrently"

# an edit of the same size with the old mtime (only ctime tells)
f=$(grep -l "create_index" $V/*.py | sed -n 10p)
stamp=$(stat -c %y "$f")
table=$(grep -o "create_index([^,]*, '[a-z]*_" "$f" | head -1 | sed "s/.*'//")
# written in place: the same inode, so only ctime tells
sed "s/'${table}/'${table%?}X/g" "$f" > "$TMP/edited"
ino=$(stat -c %i "$f"); cat "$TMP/edited" > "$f"
assert_eq "the edit keeps the inode" "$ino" "$(stat -c %i "$f")"
touch -d "$stamp" "$f"
run_mlint check -v
assert_eq "same size, same mtime: that file is read again" "699 of 700" "$(known)"
assert_contains "the edit shows" "$OUT" "${table%?}X"
# one edited file (the pre-commit hook's case): the file is read again,
# the 5 MB cache is not written again for it
cf=$(ls $CACHE/*.worktree); before=$(stat -c %Y.%N "$cf" | cut -d. -f1)$(stat -c %y "$cf")
run_mlint check -v
assert_eq "a few edits: still read again, cache not rewritten" "699 of 700" "$(known)"
assert_eq "a few edits: the cache file is as it was" "$before" \
  "$(stat -c %Y.%N "$cf" | cut -d. -f1)$(stat -c %y "$cf")"
agree "edited with a faked mtime"
# more than a few: written again, so the next run knows them all
for g in $(ls $V/*.py | sed -n '100,119p'); do printf '# more\n' >>"$g"; touch -d '2024-01-02 00:00:00' "$g"; done
sleep 3 # not racy
run_mlint check -v
assert_eq "twenty edits: read again" "679 of 700" "$(known)"
run_mlint check -v
assert_eq "twenty edits: the cache was written again" "700 of 700" "$(known)"

# config: downgrade policy, dialect, a pattern rule's severity and pattern
run_mlint check --downgrade off -v
assert_eq "other rules: findings recomputed" "0 of 700" "$(known)"
agree "downgrade off" --downgrade off
printf '[mlint]\ndialect = sqlite\n' >> alembic.ini
agree "dialect sqlite"
assert_not_contains "sqlite: no PostgreSQL lock rule" "$OUT" "create-index-not-concurrently"
git checkout -q alembic.ini
agree "team rule" --rules-dir team
assert_contains "the team rule reports" "$OUT" "team-new-table"
sed -i 's/^severity: warning/severity: error/' team/tables.rule
agree "team rule, now an error" --rules-dir team
run_mlint check --rules-dir team
assert_contains "the team rule is an error now" "$OUT" "error[team-new-table]"
sed -i 's/^pattern: create_table/pattern: create_index/' team/tables.rule
run_mlint check --rules-dir team
assert_not_contains "the new pattern: no table finding from the old one" \
  "$(printf '%s\n' "$OUT" | grep 'team-new-table' | grep -v 'create_index' | head -1)" "create_table("
agree "team rule, another pattern" --rules-dir team

# a broken cache is ignored and rewritten, never trusted, never an error
run_mlint check -v; good=$OUT; good_rc=$RC
file=$(ls $CACHE/*.worktree)
size=$(stat -c %s "$file")
breakers=(
  "garbage:head -c 5000 /dev/urandom > '$file'"
  "empty:: > '$file'"
  "truncated:truncate -s $((size / 2)) '$file'"
  "one byte flipped:printf 'Z' | dd of='$file' bs=1 seek=$((size - 100)) conv=notrunc status=none"
  "another format version:printf '\\x63' | dd of='$file' bs=1 seek=8 conv=notrunc status=none"
  "foreign magic:printf 'GITCACHE' | dd of='$file' bs=1 seek=0 conv=notrunc status=none"
)
for b in "${breakers[@]}"; do
  name=${b%%:*}; how=${b#*:}
  cp "$file" "$TMP/good-cache"
  eval "$how"
  run_mlint check -v
  assert_eq "$name cache: same status" "$good_rc" "$RC"
  assert_eq "$name cache: same output" "$good" "$OUT"
  assert_eq "$name cache: nothing trusted" "0 of 700" "$(known)"
  run_mlint check -v
  assert_eq "$name cache: rewritten" "700 of 700" "$(known)"
done

# a cache that cannot be written: the run goes on
rm -rf $CACHE; : > $CACHE
run_mlint check -v
assert_eq "unwritable: same status" "$good_rc" "$RC"
assert_eq "unwritable: same output" "$good" "$OUT"
assert_contains "unwritable: said with --verbose" "$ERR" "not written"
rm -f $CACHE
if [ "$(id -u)" != 0 ]; then
  mkdir $CACHE; chmod 555 $CACHE
  run_mlint check
  assert_eq "read-only cache dir: same output" "$good" "$OUT"
  chmod 755 $CACHE
fi

# off: CI=true, [mlint] cache = false, --no-cache
rm -rf $CACHE
CI=true run_mlint check
assert_eq "CI=true: no cache" 0 "$(ls $CACHE 2>/dev/null | wc -l)"
printf '[mlint]\ncache = false\n' > .mlint.ini
run_mlint check
assert_eq "cache = false: no cache" 0 "$(ls $CACHE 2>/dev/null | wc -l)"
rm .mlint.ini
run_mlint check --no-cache
assert_eq "--no-cache: no cache" 0 "$(ls $CACHE 2>/dev/null | wc -l)"

# deletes and renames
run_mlint check
git rm -q "$(ls $V/*.py | sed -n 20p)"
agree "a deleted file"
git mv "$(ls $V/*.py | sed -n 30p)" $V/renamed_migration.py
agree "a renamed file"
sleep 3 # the renamed file's ctime is new
run_mlint check
run_mlint check -v
assert_eq "the gone files are dropped" "699 of 699" "$(known)"

# --staged: keyed by blob id
f=$(ls $V/*.py | sed -n 40p)
sed -i 's/nullable=True/nullable=False/' "$f"; git add "$f"
agree "staged" --staged
run_mlint check --staged -v
assert_eq "staged: every blob known" "699 of 699" "$(known)"
sed -i 's/nullable=False/nullable=True/' "$f"; git add "$f"
run_mlint check --staged -v
assert_eq "staged: the new blob is read" "698 of 699" "$(known)"
agree "staged again" --staged
# the working tree's file differs from the staged one: the staged blob is
# what a rule reads again (the cache knows it, so it was not read at first)
printf '# not staged\n' >> "$f"
agree "staged, the working tree differs" --staged
run_mlint check --staged
assert_eq "staged, the working tree differs: a clean run" 0 "$(printf '%s' "$ERR" | grep -c 'changed while')"
git checkout -q -- "$f"

# heads
run_mlint heads --no-cache; heads=$OUT
run_mlint heads
assert_eq "heads: same with the cache" "$heads" "$OUT"

# two runs at once leave a whole cache
rm -rf $CACHE
for i in 1 2 3; do "$MLINT" check > /dev/null 2>&1 & "$MLINT" check > /dev/null 2>&1 & wait; done
run_mlint check -v
assert_contains "concurrent runs: the cache is whole" "$(known)" " of 699"
assert_not_contains "concurrent runs: not ignored" "$ERR" "ignored"

# outside git: no cache, nothing said
Q=$TMP/q; mkdir -p "$Q"; cp -r "$P/migrations" "$P/alembic.ini" "$Q/"
(cd "$Q" && "$MLINT" check > /dev/null 2> "$TMP/q.err"); rc=$?
assert_eq "outside git: no error" 1 "$((rc <= 1))"
assert_not_contains "outside git: no cache note" "$(cat "$TMP/q.err")" "cache"

finish
