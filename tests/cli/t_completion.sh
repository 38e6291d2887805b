#!/usr/bin/env bash
# The generated completions work: each shell offers the commands (rename
# included), a command's options, and an option's values (--downgrade's
# policies, --format's formats), with the mlint under test on PATH.
source "$(dirname "$0")/lib.sh"
C=$MLINT_SRC/completion
bindir=$TMP/bin; mkdir -p "$bindir"; ln -s "$MLINT" "$bindir/mlint"
export PATH="$bindir:$PATH"

# bash: COMP_WORDS in, COMPREPLY out.
bash_complete() {  # bash_complete WORD... (the last one is being completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mlint
           printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$C/mlint.bash" "$@"
}
assert_eq "bash: commands" "rename rules " "$(bash_complete mlint r)"
assert_eq "bash: --downgrade values" "allow-raise off require " \
  "$(bash_complete mlint check --downgrade '')"
assert_eq "bash: rename options" "--dry-run " "$(bash_complete mlint rename --dr)"
assert_eq "bash: graph formats" "dot json mermaid text " "$(bash_complete mlint graph -f '')"
assert_contains "bash: rule ids" "$(bash_complete mlint rules drop-)" "drop-table"

# fish: `complete -C` prints the candidates.
if command -v fish >/dev/null; then
  fish_complete() { fish --no-config -c "source $C/mlint.fish; complete -C '$1'" | cut -f1 | sort | tr '\n' ' '; }
  assert_eq "fish: commands" "rename rules " "$(fish_complete 'mlint r')"
  assert_eq "fish: --downgrade values" "allow-raise off require " \
    "$(fish_complete 'mlint check --downgrade ')"
  assert_contains "fish: rename options" "$(fish_complete 'mlint rename --')" "--write-config"
else
  fail "fish is missing (scripts/install-deps.sh installs it): the fish completion is untested"
fi

# zsh: syntax, then the _arguments specs the function hands over for a
# command (completion widgets need a terminal; the specs are what matters).
if command -v zsh >/dev/null; then
  if zsh -n "$C/_mlint"; then pass "zsh: syntax"; else fail "zsh: syntax"; fi
  specs=$(zsh -f -c '_arguments() { print -rl -- "$@"; }; _describe() { print -r -- "describe $*"; }
    words=(mlint check --downgrade ""); CURRENT=4; source "$1"' _ "$C/_mlint" 2>&1)
  assert_contains "zsh: --downgrade values" "$specs" "--downgrade=[what missing-downgrade asks for\\: require (default), allow-raise, off]:POLICY:(require allow-raise off)"
  specs=$(zsh -f -c '_arguments() { print -rl -- "$@"; }; _describe() { print -r -- "describe $*"; }
    words=(mlint rename ""); CURRENT=3; source "$1"' _ "$C/_mlint" 2>&1)
  assert_contains "zsh: rename options" "$specs" "--write-config["
  specs=$(zsh -f -c '_arguments() { :; }; _describe() { print -rl -- ${(P)${@[-1]}}; }
    words=(mlint ""); CURRENT=2; source "$1"' _ "$C/_mlint" 2>&1)
  assert_contains "zsh: commands" "$specs" "rename:give migrations"
else
  fail "zsh is missing (scripts/install-deps.sh installs it): the zsh completion is untested"
fi
finish
