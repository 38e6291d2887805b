#!/usr/bin/env bash
# invalid-source with Python's own verdict (issue 14): a migration left with
# merge conflict markers, or one Python cannot compile, is an error at the
# right line with CPython's message; a file that compiles never is; syntax
# only a newer Python accepts is a warning that names the Python that
# judged; without libpython mlint says so once and the other rules go on.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"
[ -e /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 ] || ls /usr/lib/*/libpython3.11.so.1.0 >/dev/null 2>&1 ||
  skip_all "libpython3.11 not installed"

p=$TMP/proj; mkdir -p "$p"; git_init "$p"
al "$p" init migrations
al "$p" revision -m "add email to users"
mig=$(ls "$p"/migrations/versions/*_add_email_to_users.py)
python3 - "$mig" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("def upgrade() -> None:\n    pass", "def upgrade() -> None:\n    op.add_column('users', sa.Column('email', sa.String(length=120), nullable=True))")
s = s.replace("def downgrade() -> None:\n    pass", "def downgrade() -> None:\n    op.drop_column('users', 'email')")
open(p, 'w').write(s)
EOF2
grep -q "op.add_column('users'" "$mig" || setup_fail "migration body"
git_commit_all "$p" "add email"
cd "$p"
run_mlint check --no-excerpt
assert_not_contains "a migration Python compiles: no invalid-source" "$OUT" "invalid-source"

# Two branches change the same line; the merge leaves the markers in.
git checkout -q -b wider
sed -i 's/length=120/length=255/' "$mig"; git_commit_all "$p" "wider email"
git checkout -q main
sed -i 's/length=120/length=200/' "$mig"; git_commit_all "$p" "email 200"
git merge -q wider >/dev/null 2>&1 && setup_fail "the merge was expected to conflict"
grep -q '^<<<<<<< ' "$mig" || setup_fail "no conflict markers"
marker=$(grep -n '^<<<<<<< ' "$mig" | cut -d: -f1)
run_mlint check --no-excerpt
assert_eq "conflict markers: exit 1" 1 "$RC"
assert_contains "conflict markers: an error at the marker, with Python's message" "$OUT" \
  "$(basename "$mig"):$marker:1: error[invalid-source]: unresolved merge conflict marker: Python 3.11"
assert_contains "conflict markers: Python's own message" "$OUT" "IndentationError: expected an indented block after function definition"
assert_not_contains "conflict markers: no empty-upgrade read from the broken file" "$OUT" "empty-upgrade"
# Committed with the markers (git add; git commit): the index and --staged too.
git add -A
run_mlint check --staged --no-excerpt
assert_contains "conflict markers: --staged" "$OUT" "error[invalid-source]: unresolved merge conflict marker"
git show "wider:migrations/versions/$(basename "$mig")" >"$mig" && git add -A && git commit -q -m "merge wider"
run_mlint check --no-excerpt
assert_not_contains "conflict resolved: nothing" "$OUT" "invalid-source"

# x = = 1 in a data migration: Python's message, at Python's line and column.
sed -i "s/^    op.add_column('users'/    batch_size = = 100\n    op.add_column('users'/" "$mig"
line=$(grep -n 'batch_size = = 100' "$mig" | cut -d: -f1)
run_mlint check --no-excerpt
assert_contains "x = = 1: an error at Python's line and column" "$OUT" \
  "$(basename "$mig"):$line:18: error[invalid-source]: Python 3.11"
assert_contains "x = = 1: Python's message" "$OUT" "cannot compile this file: SyntaxError: invalid syntax"
assert_eq "x = = 1: one finding" 1 "$(printf '%s\n' "$OUT" | grep -c 'invalid-source')"

# Without libpython: said once, the other rules go on, the tokenizer's
# problems are still reported.
MLINT_LIBPYTHON=/nonexistent/libpython.so run_mlint check --no-excerpt
assert_contains "no libpython: said once" "$ERR" "Python's compiler is not available (cannot load '/nonexistent/libpython.so'"
assert_eq "no libpython: once" 1 "$(printf '%s\n' "$ERR" | grep -c "compiler is not available")"
assert_not_contains "no libpython: no guessed syntax error" "$OUT" "cannot compile"

# Python 2 in an old migration.
git checkout -q -- "$mig"
sed -i "s/^    op.add_column('users'/    print \"adding email\"\n    op.add_column('users'/" "$mig"
run_mlint check --no-excerpt
assert_contains "print statement: Python's hint" "$OUT" "Missing parentheses in call to 'print'"

# An unexpected indent and a missing block.
git checkout -q -- "$mig"
sed -i "s/^    op.drop_column('users', 'email')/    op.drop_column('users', 'email')\n        op.execute('SELECT 1')/" "$mig"
run_mlint check --no-excerpt
assert_contains "unexpected indent" "$OUT" "IndentationError: unexpected indent"

# Syntax only Python 3.12 accepts (nested quotes in an f-string): a warning
# naming the Python that judged it.
git checkout -q -- "$mig"
sed -i "s/^    op.add_column('users'/    row = {'name': 'x'}\n    op.execute(f\"UPDATE users SET name = '{row[\"name\"]}'\")\n    op.add_column('users'/" "$mig"
run_mlint check --no-excerpt
assert_contains "newer syntax: a warning naming Python 3.11" "$OUT" "warning[invalid-source]: Python 3.11"
assert_contains "newer syntax: says a newer Python accepts it" "$OUT" "a newer Python accepts some of this syntax"
assert_not_contains "newer syntax: not an error" "$OUT" "error[invalid-source]"

# Valid Python of every kind stays quiet (the compiler decides, not a guess).
git checkout -q -- "$mig"
cat >>"$mig" <<'EOF2'


def _helper(a, /, b=-1, *, c=~0, **kw) -> "int":
    if (n := len(kw)) > 1:
        return n
    match a:
        case {"k": [*rest]} | [1, *rest]:
            return len(rest)
        case _:
            pass
    total = a if a else - - b
    parts = [*range(3), *[4, 5]]
    print(*parts, sep='', end="")
    x = lambda q, /, *r: q
    y = 'a' 'b' f"{c!r:>{b}}" r'\d'
    del x
    return total @ b if False else ...
EOF2
run_mlint check --no-excerpt
assert_not_contains "valid Python 3.11 of every kind: no invalid-source" "$OUT" "invalid-source"
/usr/bin/python3 -c "import sys; compile(open(sys.argv[1]).read(), 'm', 'exec')" "$mig" ||
  fail "setup: the valid file does not compile"

# heads never loads Python: a broken libpython path changes nothing.
MLINT_LIBPYTHON=/nonexistent/libpython.so run_mlint heads
assert_eq "heads: no Python needed" 0 "$RC"
assert_not_contains "heads: no compiler note" "$ERR" "compiler"
finish
