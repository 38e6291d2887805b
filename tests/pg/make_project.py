"""Write the proof cases as migrations of an Alembic project.

usage: make_project.py REVS PROJ CASE...

PROJ holds an `alembic init` project. One revision per case, in a line after
an empty base revision r000, is made by Alembic's own command.revision (so
the file is Alembic's template); the case's upgrade() body (below its `---`
line) and its `import` lines replace the template's `pass`. REVS gets one
line per case: name, previous revision, revision, path relative to PROJ.
"""
import os
import re
import sys

from alembic import command
from alembic.config import Config


def main():
    revs_path, proj, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    cfg = Config(os.path.join(proj, "alembic.ini"))
    cfg.set_main_option("script_location", os.path.join(proj, "alembic"))
    prev = "r000"
    command.revision(cfg, message="proofs base", rev_id=prev)
    with open(revs_path, "w") as out:
        for i, path in enumerate(cases, 1):
            name = os.path.basename(path)[: -len(".case")]
            head, body = open(path).read().split("\n---\n", 1)
            imports = [l.split(" ", 1)[1] for l in head.splitlines() if l.startswith("import ")]
            rev = "r%03d" % i
            script = command.revision(cfg, message=name, rev_id=rev)
            src = open(script.path).read()
            body = "".join("    " + l if l.strip() else l
                           for l in body.rstrip("\n").splitlines(True))
            src, n = re.subn(r"(def upgrade\(\)[^\n]*:\n)    pass\n",
                             lambda m: m.group(1) + body + "\n", src, count=1)
            if n != 1:
                sys.exit("no upgrade() pass in Alembic's template: %s" % script.path)
            if imports:
                src = src.replace("import sqlalchemy as sa\n",
                                  "import sqlalchemy as sa\n" + "\n".join(imports) + "\n", 1)
            open(script.path, "w").write(src)
            print(name, prev, rev, os.path.relpath(script.path, proj), file=out)
            prev = rev


if __name__ == "__main__":
    main()
