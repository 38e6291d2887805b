"""Render each proof case with Alembic's command line: upgrade prev:rev --sql.

usage: render.py PROJ REVS OUTDIR

For each line of REVS (name, previous revision, revision, path) this calls
alembic.config.main, the function behind the `alembic` command, with the
arguments `upgrade PREV:REV --sql` from PROJ, and writes what it prints to
OUTDIR/<name>.sql. One Python process for every case: the same code path as
65 `alembic` processes, without 65 interpreter start-ups.
"""
import contextlib
import os
import sys

from alembic.config import main as alembic_main


def main():
    proj, revs, outdir = sys.argv[1], open(sys.argv[2]).read(), os.path.abspath(sys.argv[3])
    os.chdir(proj)
    for line in revs.splitlines():
        name, prev, rev = line.split()[:3]
        with open(os.path.join(outdir, name + ".sql"), "w") as out, \
                contextlib.redirect_stdout(out):
            alembic_main(argv=["upgrade", "%s:%s" % (prev, rev), "--sql"], prog="alembic")


if __name__ == "__main__":
    main()
