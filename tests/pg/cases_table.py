"""Print the case table of docs/postgresql-proofs.md from tests/pg/cases.

usage: python3 tests/pg/cases_table.py [CASES_DIR]

One row per case: its name, its upgrade() body on one line, the rule mlint
must report, and what PostgreSQL must show, worded from the case's keys
(tests/pg/cases/README.md). Every row is what t_pg_proofs.sh asserts.
"""
import glob
import os
import re
import sys

DEBUG_WORDS = {
    "rewriting table": "DEBUG: rewriting",
    "verifying table": "DEBUG: full scan",
    "validating foreign key constraint": "DEBUG: FK checked on every row",
    "building index": "DEBUG: index built",
    "existing constraints": "DEBUG: scan skipped (CHECK proves it)",
}


def shown(key, value):
    if key == "error":
        return "fails: *%s*" % value
    if key in ("waits", "holds", "holds_not"):
        rel, mode = value.split()
        if key == "waits":
            if rel == "virtualxid":
                return "waits for older transactions only"
            return "waits for %s on %s" % (mode, rel)
        return ("holds %s on %s" if key == "holds" else "no %s on %s") % (mode, rel)
    if key == "probe":
        return "a writer %s" % ("waits" if value == "blocked" else "goes through")
    if key == "rewrite":
        yes, _, rel = value.partition(" ")
        return "%s %s" % (rel or "t", "rewritten" if yes == "yes" else "not rewritten")
    if key == "stderr_has":
        for words, text in DEBUG_WORDS.items():
            if value.startswith(words):
                return text
        return value
    if key == "stderr_lacks":
        if value.startswith("rewriting"):
            return "no rewrite message"
        if value.startswith("verifying"):
            return "no scan"
    return None


def row(path):
    name = os.path.basename(path)[: -len(".case")]
    head, body = open(path).read().split("\n---\n", 1)
    keys = [l.partition(" ")[::2] for l in head.splitlines() if l and not l.startswith("#")]
    rule = ", ".join(v for k, v in keys if k == "rule")
    facts = [s for s in (shown(k, v) for k, v in keys) if s]
    code = re.sub(r"\s+", " ", " ".join(l.strip() for l in body.strip().splitlines()))
    if len(code) > 110:
        code = code[:107] + "..."
    return "| `%s` | `%s` | %s | %s |" % (name, code.replace("|", "\\|"), rule,
                                        "; ".join(dict.fromkeys(facts)))


def main():
    cases = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "cases")
    print("| case | migration (upgrade body) | mlint rule | PostgreSQL 15 showed |")
    print("| --- | --- | --- | --- |")
    for path in sorted(glob.glob(os.path.join(cases, "*.case"))):
        print(row(path))


if __name__ == "__main__":
    main()
