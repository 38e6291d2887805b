#!/usr/bin/env bash
# The reference cannot drift: the committed generated files (man page,
# docs/cli.md, docs/rules.md, completions) equal what the binary generates,
# and every rule id, every option of every command and every [mlint] config
# key is documented.
source "$(dirname "$0")/lib.sh"
cd "$MLINT_SRC" || exit 1

# 1. Generated files are fresh.
if out=$(MLINT=$MLINT scripts/gendocs.sh --check 2>&1); then
  pass "generated docs and completions are fresh"
else
  fail "generated docs or completions are stale"; printf '%s\n' "$out" >&2
fi

# 2. Every rule of the registry (and the shipped pattern rules) has its section.
rules=$("$MLINT" rules | awk '{print $1}')
[ "$(printf '%s\n' "$rules" | wc -l)" -ge 20 ] || fail "mlint rules listed too few rules"
missing=""
for id in $rules; do
  grep -qx "## $id" docs/rules.md || missing="$missing $id"
done
assert_eq "every rule id has a section in docs/rules.md" "" "$missing"

# 3. Every option row of every command is in the command reference, the man
#    page and the three completions.
options=$("$MLINT" __generate options)
[ "$(printf '%s\n' "$options" | wc -l)" -ge 30 ] || fail "__generate options listed too few"
missing=""
while read -r cmd long short; do
  name=${long#--}
  grep -q -- "\`$long\`" docs/cli.md || missing="$missing cli.md:$cmd$long"
  grep -q -- "\\\\fB\\\\-\\\\-${name//-/\\\\-}\\\\fR" docs/mlint.1 || missing="$missing mlint.1:$cmd$long"
  grep -q -- "\"$cmd $long\"\\|$long " completion/mlint.bash || missing="$missing bash:$cmd$long"
  grep -q -- "'[^']*${long}[=\\[]" completion/_mlint || missing="$missing zsh:$cmd$long"
  grep -q -- "subcommand_from $cmd'.* -l $name " completion/mlint.fish ||
    missing="$missing fish:$cmd$long"
  if [ -n "$short" ]; then
    grep -q -- "\`$short\`, \`$long\`" docs/cli.md || missing="$missing cli.md:$cmd$short"
  fi
done <<<"$options"
assert_eq "every option is in docs/cli.md, docs/mlint.1 and the completions" "" "$missing"

# 4. Every [mlint] key the code reads is in docs/configuration.md: the keys
#    mlint_config_set compares with, and those read straight from the ini.
keys=$(grep -ohE 'strcmp\(key, "[a-z_-]+"\)|"mlint", "[a-z_-]+"\)' src/*.c |
       sed -E 's/.*"([a-z_-]+)"\)$/\1/' | sort -u)
[ "$(printf '%s\n' "$keys" | wc -l)" -ge 10 ] || fail "found too few config keys in src/*.c"
missing=""
for key in $keys; do
  grep -q -- "\`$key\`" docs/configuration.md || missing="$missing $key"
done
assert_eq "every [mlint] key is in docs/configuration.md" "" "$missing"

# 5. The documented thread default is the code's (MLINT_PARALLEL_MIN_FILES,
#    MLINT_MAX_THREADS), not "the number of cores".
min=$(sed -n 's/^#define MLINT_PARALLEL_MIN_FILES \([0-9]*\)$/\1/p' src/util.h)
max=$(sed -n 's/^#define MLINT_MAX_THREADS \([0-9]*\)$/\1/p' src/util.h)
man_threads=$(sed -n '/^\\fBMLINT_THREADS/,/^\.TP/p' docs/mlint.1 | tr '\n' ' ')
assert_contains "man page: MLINT_THREADS one thread below $min files" "$man_threads" "fewer than $min files"
assert_contains "man page: MLINT_THREADS at most $max" "$man_threads" "at most $max"

# 6. README links the reference.
for doc in docs/cli.md docs/rules.md docs/configuration.md docs/formats.md docs/git.md; do
  [ -f "$doc" ] || fail "$doc is missing"
  grep -q "($doc)" README.md || fail "README does not link $doc"
done
lines=$(wc -l < README.md)
if [ "$lines" -le 260 ]; then pass "README is $lines lines"; else fail "README is $lines lines (at most ~250)"; fi
finish
