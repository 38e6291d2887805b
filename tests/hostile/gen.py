#!/usr/bin/python3
"""Generates hostile Alembic projects for tests/cli/t_hostile.sh.

    gen.py KIND DIR [N]

Each KIND writes DIR/alembic.ini and DIR/migrations/versions/*.py and prints
the expected answer on stdout (one line: heads, or a count), so the test can
compare mlint's answer without running alembic on 100,000 files.
"""
import os
import sys

TEMPLATE = '''"""{msg}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2025-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('t', sa.Column('c{rev}', sa.Integer()))


def downgrade():
    op.drop_column('t', 'c{rev}')
'''


def setup(d):
    os.makedirs(os.path.join(d, "migrations", "versions"), exist_ok=True)
    with open(os.path.join(d, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = migrations\n")


def write(d, rev, down, msg="m"):
    if isinstance(down, (list, tuple)) and len(down) == 1:
        down = down[0]
    down_text = ", ".join(down) if isinstance(down, tuple) else (down or "")
    with open(os.path.join(d, "migrations", "versions", "%s_%s.py" % (rev, msg)), "w") as f:
        f.write(TEMPLATE.format(rev=rev, down=down, down_text=down_text, msg=msg))


def chain(d, n):
    prev = None
    for i in range(n):
        rev = "c%06d" % i
        write(d, rev, prev)
        prev = rev
    print(prev)


def lattice(d, depth):
    """depth levels of two revisions, each merging both of the level below."""
    write(d, "base", None)
    below = ("base",)
    for lvl in range(depth):
        a, b = "l%03da" % lvl, "l%03db" % lvl
        down = below if len(below) > 1 else below[0]
        write(d, a, down)
        write(d, b, down)
        below = (a, b)
    write(d, "top", below)
    print("top")


def heads(d, n):
    write(d, "root", None)
    for i in range(n):
        write(d, "h%05d" % i, "root")
    print(n)


def cycles(d, n):
    """Cycles of lengths 1..9, then 10, 100, 1000, ... up to n, each on a
    chain hanging from a base; prints the cycle count."""
    lengths = list(range(1, 10))
    x = 10
    while x <= n:
        lengths.append(x)
        x *= 10
    if n not in lengths:
        lengths.append(n)
    total = 0
    for length in lengths:
        for k in range(length):
            rev = "y%d_%d" % (length, k)
            write(d, rev, "y%d_%d" % (length, (k + 1) % length))
        total += 1
    print(total)


def big_file(d, mb):
    write(d, "a1", None)
    path = os.path.join(d, "migrations", "versions", "b2_big.py")
    with open(path, "w") as f:
        f.write("revision = 'b2'\ndown_revision = 'a1'\n\n\ndef upgrade():\n")
        line = "    op.execute(\"UPDATE t SET c = 'x' WHERE id = 1\")  # comment\n"
        for _ in range(mb * 1024 * 1024 // len(line)):
            f.write(line)
        f.write("\n\ndef downgrade():\n    op.execute(\"UPDATE t SET c = NULL WHERE id = 1\")\n")
    print("b2")


def noise(d, n):
    write(d, "a1", None)
    write(d, "b2", "a1")
    v = os.path.join(d, "migrations", "versions")
    for i in range(n):
        name = ("notes_%06d.sql", "helper_%06d.py", "README_%06d")[i % 3] % i
        with open(os.path.join(v, name), "w") as f:
            f.write("x = %d\n" % i)
    print("b2")


def long_line(d, n):
    write(d, "a1", None)
    with open(os.path.join(d, "migrations", "versions", "b2_line.py"), "w") as f:
        f.write("revision = 'b2'\ndown_revision = 'a1'\nX = [" + "1," * (n // 2) + "]\n")
    print("b2")


def deep_brackets(d, n):
    write(d, "a1", None)
    with open(os.path.join(d, "migrations", "versions", "b2_deep.py"), "w") as f:
        f.write("revision = 'b2'\ndown_revision = 'a1'\n\n\ndef upgrade():\n")
        f.write("    op.execute(" + "f(" * n + ")" * n + ")\n")
        f.write("X = " + "(" * n + "\n")  # never closed
    print("b2")


def main():
    kind, d = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    setup(d)
    globals()[kind](d, n)


main()
