#!/usr/bin/env bash
# Bad input: each case gets a clear message naming the file (and line), the
# documented exit status, and never a crash or a silently skipped file.
source "$(dirname "$0")/lib.sh"

new_project() {  # new_project DIR: a git repo with one good base migration
  mkdir -p "$1/migrations/versions"
  git_init "$1"
  cat > "$1/migrations/versions/a1_base.py" <<'PY'
"""base

Revision ID: a1
Revises:
Create Date: 2025-01-01 00:00:00

"""
revision = 'a1'
down_revision = None


def upgrade():
    pass


def downgrade():
    pass
PY
}

migration() {  # migration FILE REV PARENT: a minimal migration
  printf 'revision = "%s"\ndown_revision = "%s"\n\n\ndef upgrade():\n    pass\n' "$2" "$3" > "$1"
}

# An empty versions directory: no heads, nothing to report.
p=$TMP/empty; mkdir -p "$p/migrations/versions"; git_init "$p"
cd "$p"
run_mlint heads
assert_eq "empty: heads status" 0 "$RC"
assert_eq "empty: no heads" "" "$OUT"
run_mlint check
assert_eq "empty: check status" 0 "$RC"
assert_contains "empty: summary" "$OUT" "no findings in 0 migrations"

# A binary file named .py among the migrations.
p=$TMP/binary; new_project "$p"; cd "$p"
head -c 4096 /dev/urandom > migrations/versions/blob.py
printf '\x89PNG\r\n\x1a\n\0\0' > migrations/versions/diagram.png
run_mlint check --format json
assert_eq "binary: status" 1 "$RC"
assert_contains "binary: reported" "$OUT" '"path": "migrations/versions/blob.py"'
assert_contains "binary: rule" "$OUT" '"rule": "invalid-source"'
assert_not_contains "binary: png is not a migration" "$OUT" "diagram.png"
run_mlint check --verbose
assert_contains "binary: png listed as skipped" "$ERR" "skipped 'migrations/versions/diagram.png'"

# NUL bytes inside a migration: reported at their line; the revision still counts.
p=$TMP/nul; new_project "$p"; cd "$p"
printf 'revision = "b2"\ndown_revision = "a1"\nx = 1\0\n' > migrations/versions/b2_nul.py
run_mlint check
assert_eq "nul: status" 1 "$RC"
assert_contains "nul: file and line" "$OUT" "migrations/versions/b2_nul.py:3:6: error[invalid-source]: NUL byte"
run_mlint heads
assert_eq "nul: head is still read" "b2 (head)" "$OUT"

# Invalid UTF-8.
p=$TMP/utf8; new_project "$p"; cd "$p"
printf 'revision = "b2"\ndown_revision = "a1"\nname = "caf\xe9"\n' > migrations/versions/b2_latin1.py
run_mlint check
assert_eq "utf8: status" 1 "$RC"
assert_contains "utf8: file and line, Python's message" "$OUT" "migrations/versions/b2_latin1.py:3:14: error[invalid-source]: Python 3.11"
assert_contains "utf8: Python's message" "$OUT" "'utf-8' codec can't decode byte 0xe9"
# In a comment Python's compiler (and so Alembic's import) accepts the byte.
printf 'revision = "b2"\ndown_revision = "a1"\n# caf\xe9\n' > migrations/versions/b2_latin1.py
run_mlint check --no-excerpt
assert_not_contains "utf8: a byte in a comment compiles" "$OUT" "invalid-source"
MLINT_LIBPYTHON=/nonexistent run_mlint check --no-excerpt
assert_contains "utf8: without Python, the tokenizer's finding" "$OUT" "migrations/versions/b2_latin1.py:3:6: error[invalid-source]: invalid UTF-8 byte 0xE9"

# An unterminated string: reported at its line; the scan goes on.
p=$TMP/unterminated; new_project "$p"; cd "$p"
printf 'revision = "b2"\ndown_revision = "a1"\nmsg = "never closed\nlabel = 1\n' > migrations/versions/b2_open.py
printf '"""docstring never closed\nrevision = "c3"\n' > migrations/versions/c3_open.py
run_mlint check
assert_eq "unterminated: status" 1 "$RC"
assert_contains "unterminated: string" "$OUT" "migrations/versions/b2_open.py:3:7: error[invalid-source]: Python 3.11"
assert_contains "unterminated: Python's message" "$OUT" "SyntaxError: unterminated string literal (detected at line 3)"
assert_contains "unterminated: triple" "$OUT" "migrations/versions/c3_open.py:1:1: error[invalid-source]: unterminated triple-quoted string"
run_mlint heads
assert_eq "unterminated: revision read before it" "b2 (head)" "$OUT"

# A 1 MB line is fine input.
p=$TMP/longline; new_project "$p"; cd "$p"
{ printf 'revision = "b2"\ndown_revision = "a1"\nDATA = "'; head -c 1048576 /dev/zero | tr '\0' 'x'; printf '"\n'; } > migrations/versions/b2_long.py
run_mlint heads
assert_eq "long line: status" 0 "$RC"
assert_eq "long line: head" "b2 (head)" "$OUT"

# A symlink out of the repository is never read, and is reported.
p=$TMP/symlink; new_project "$p"; cd "$p"
printf 'revision = "zz"\ndown_revision = "a1"\n' > "$TMP/outside.py"
ln -s "$TMP/outside.py" migrations/versions/b2_link.py
ln -s ../../migrations/versions/a1_base.py migrations/versions/a1_again.py
run_mlint check
assert_eq "symlink: status" 1 "$RC"
assert_contains "symlink: reported" "$OUT" "migrations/versions/b2_link.py:1:1: error[invalid-source]: symlink points outside the repository; not read"
assert_not_contains "symlink: a link inside the repo to a read file is read once" "$OUT" "duplicate-revision"
run_mlint heads
assert_eq "symlink: outside revision not used" "a1 (head)" "$OUT"

# An unreadable file: exit 2, the message names it. Root reads anything, so
# drop to an unprivileged user when we are root.
p=$TMP/unreadable; new_project "$p"; cd "$p"
migration migrations/versions/b2_secret.py b2 a1
chmod -R a+rX "$TMP"; chmod 755 "$TMP"
chmod 000 migrations/versions/b2_secret.py
as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
RC=0; ERR=$("${as_user[@]}" env HOME=/tmp "$MLINT" check 2>&1 >/dev/null) || RC=$?
assert_eq "unreadable: status" 2 "$RC"
assert_contains "unreadable: names the file" "$ERR" "b2_secret.py': Permission denied"

# A missing alembic.ini key: script_location, outside the Flask-Migrate layout.
p=$TMP/nokey; mkdir -p "$p/db/versions"; git_init "$p"; cd "$p"
printf '[alembic]\nsqlalchemy.url = sqlite://\n' > alembic.ini
run_mlint heads
assert_eq "missing key: status" 2 "$RC"
assert_contains "missing key: message" "$ERR" "alembic.ini' has no 'script_location' in [alembic]"
printf '[alembic]\nscript_location = nowhere\n' > alembic.ini
run_mlint heads
assert_eq "bad script_location: status" 2 "$RC"
assert_contains "bad script_location: file and line" "$ERR" "alembic.ini':2: script_location"
printf '[alembic\nscript_location = db\n' > alembic.ini
run_mlint check
assert_eq "broken ini: status" 2 "$RC"
assert_contains "broken ini: file and line" "$ERR" "alembic.ini':1: section header without ']'"

# Usage errors: exit 2 with a message and a hint.
run_mlint check --no-such-option
assert_eq "unknown option: status" 2 "$RC"
assert_contains "unknown option: message" "$ERR" "mlint: unknown option '--no-such-option'; see 'mlint check --help'"
run_mlint check --format yaml
assert_eq "bad format: status" 2 "$RC"
run_mlint frobnicate
assert_eq "unknown command: status" 2 "$RC"
assert_contains "unknown command: message" "$ERR" "unknown command 'frobnicate'"
run_mlint heads "$TMP/does-not-exist"
assert_eq "missing path: status" 2 "$RC"
assert_contains "missing path: message" "$ERR" "does-not-exist' does not exist"
run_mlint check --help
assert_eq "help: status" 0 "$RC"
assert_contains "help: usage" "$OUT" "usage: mlint check"

finish
