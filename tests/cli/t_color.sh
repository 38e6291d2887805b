#!/usr/bin/env bash
# Colour in text output: on a terminal unless NO_COLOR is set and not empty
# (no-color.org) or TERM=dumb; --color=always|never decides instead.
source "$(dirname "$0")/lib.sh"
command -v script >/dev/null || skip_all "script (util-linux) is not installed: no terminal to test with"

p=$TMP/proj; v=$p/migrations/versions; mkdir -p "$v"; cd "$p"
printf 'revision = "a1"\ndown_revision = None\n' > "$v/a1_base.py"
printf 'revision = "b2"\ndown_revision = "zz"\n' > "$v/b2_missing.py"
ESC=$(printf '\033[')

# on_tty ENV...: mlint check on a pseudo-terminal, with ENV set
on_tty() {
  env "$@" script -qec "'$MLINT' check --no-git" /dev/null 2>&1 | tr -d '\r'
}
coloured() { case "$2" in *"$ESC"*) pass "$1" ;; *) fail "$1: no colour"; printf '%s\n' "$2" >&2 ;; esac; }
plain() { case "$2" in *"$ESC"*) fail "$1: coloured"; printf '%s\n' "$2" | od -c | head -3 >&2 ;; *) pass "$1" ;; esac; }

out=$(on_tty TERM=xterm); assert_contains "tty: the check ran" "$out" "missing-parent"
coloured "tty: colour" "$out"
plain "tty, NO_COLOR=1: none" "$(on_tty TERM=xterm NO_COLOR=1)"
coloured "tty, NO_COLOR empty: colour (no-color.org: present and not empty)" "$(on_tty TERM=xterm NO_COLOR=)"
plain "tty, TERM=dumb: none" "$(on_tty TERM=dumb)"
out=$(env TERM=xterm script -qec "'$MLINT' check --no-git --color=never" /dev/null 2>&1)
plain "tty, --color=never: none" "$out"
out=$(env TERM=dumb NO_COLOR=1 script -qec "'$MLINT' check --no-git --color=always" /dev/null 2>&1)
coloured "tty, TERM=dumb NO_COLOR=1 --color=always: colour" "$out"

run_mlint check --no-git --color=always
coloured "pipe, --color=always: colour" "$OUT"
run_mlint check --no-git
plain "pipe: none" "$OUT"
run_mlint check --no-git --color auto --format json
plain "json: never coloured" "$OUT"
run_mlint check --no-git --color=sometimes
assert_eq "bad --color: usage error" 2 "$RC"
assert_contains "bad --color: says the values" "$ERR" "use auto, always or never"
finish
