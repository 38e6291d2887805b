# Shared helpers for the end-to-end tests in tests/cli/t_*.sh.
# Sourced, not run. CTest sets MLINT (the binary) and MLINT_SRC (the checkout).
set -u

: "${MLINT:?MLINT must name the mlint binary}"
: "${MLINT_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# Alembic runs on Debian's python; a python3 earlier on PATH may not see it.
PY=/usr/bin/python3
ALEMBIC="$PY -m alembic"

# Deterministic git: fixed identity and dates, no user or system config.
export GIT_CONFIG_NOSYSTEM=1 HOME="${TMPDIR:-/tmp}/mlint-test-home.$$"
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"
export GIT_AUTHOR_DATE="2025-08-23T10:00:00+00:00" GIT_COMMITTER_DATE="2025-08-23T10:00:00+00:00"
unset NO_COLOR CI GITHUB_BASE_REF GITHUB_ACTIONS
mkdir -p "$HOME"

TESTS_FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mlint-test.XXXXXX")
trap 'rm -rf "$TMP" "$HOME"' EXIT

fail() { printf 'FAIL: %s\n' "$*" >&2; TESTS_FAILED=$((TESTS_FAILED + 1)); }
pass() { printf 'ok: %s\n' "$*"; }
skip_all() { printf 'SKIP: %s\n' "$*"; exit 77; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else
    fail "$1"; printf -- '--- expected\n%s\n--- actual\n%s\n' "$2" "$3" >&2; fi
}
# assert_contains WHAT HAYSTACK NEEDLE
assert_contains() {
  case "$2" in *"$3"*) pass "$1" ;; *) fail "$1: '$3' not in output"; printf '%s\n' "$2" >&2 ;; esac
}
assert_not_contains() {
  case "$2" in *"$3"*) fail "$1: '$3' unexpectedly in output"; printf '%s\n' "$2" >&2 ;; *) pass "$1" ;; esac
}

# MLINT_RUNNER (e.g. "valgrind -q --error-exitcode=99 --leak-check=full")
# runs the binary under a tool; an error it finds changes the exit status.
read -ra MLINT_RUNNER_WORDS <<<"${MLINT_RUNNER:-}"

# The --format of a command line ("" when none).
report_format() {
  local prev="" a
  for a in "$@"; do
    case "$prev" in --format|-f) printf '%s\n' "$a"; return ;; esac
    case "$a" in --format=*) printf '%s\n' "${a#--format=}"; return ;; esac
    prev=$a
  done
}

# validate_report FORMAT FILE: SARIF against the OASIS 2.1.0 schema, JUnit
# against Jenkins' junit-4.xsd, GitLab against its documented fields
# (tests/schemas). A missing validator fails, it never passes.
validate_report() {
  case "$1" in
    sarif|gitlab) $PY "$MLINT_SRC/tests/cli/check_report.py" "$1" "$2" 2>&1 ;;
    junit) xmllint --noout --schema "$MLINT_SRC/tests/schemas/junit-4.xsd" "$2" 2>&1 ;;
  esac
}

# run_mlint ARGS...: sets OUT, ERR and RC. Every SARIF, JUnit and GitLab
# report a test makes is validated on the way.
run_mlint() {
  local o="$TMP/.out" e="$TMP/.err" fmt why
  RC=0; "${MLINT_RUNNER_WORDS[@]}" "$MLINT" "$@" >"$o" 2>"$e" || RC=$?
  OUT=$(cat "$o"); ERR=$(cat "$e")
  fmt=$(report_format "$@")
  case "$fmt" in sarif|junit|gitlab) ;; *) return 0 ;; esac
  [ "$RC" -le 1 ] && [ -s "$o" ] || return 0
  if why=$(validate_report "$fmt" "$o"); then REPORTS_VALIDATED=$((REPORTS_VALIDATED + 1))
  else fail "$fmt report of 'mlint $*' does not validate: $why"; fi
}
REPORTS_VALIDATED=0

git_init() { git init -q -b main "$1" && git -C "$1" config commit.gpgsign false; }
git_commit_all() { git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }

need_alembic() { $PY -c 'import alembic' 2>/dev/null || skip_all "python3-alembic not installed"; }

finish() {
  if [ "$TESTS_FAILED" -ne 0 ]; then printf '%d check(s) failed\n' "$TESTS_FAILED"; exit 1; fi
  exit 0
}
