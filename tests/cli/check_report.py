"""Validates a report mlint wrote: check_report.py FORMAT FILE.

sarif   against the OASIS SARIF 2.1.0 JSON schema (tests/schemas), with
        Debian's python3-jsonschema (Draft 4, as the schema declares).
gitlab  against the fields GitLab's Code Quality documentation lists
        (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
        a JSON array of objects, each with a string description, check_name
        and fingerprint (unique in the report), a severity out of info,
        minor, major, critical, blocker, and a location with a relative path
        and lines.begin (or positions.begin.line), an integer >= 1.

Prints what is wrong and exits 1; exits 0 when the report is valid; 2 when
it cannot check (a missing validator is a failure, never a pass).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "schemas")
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def check_sarif(doc):
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema is not installed: cannot validate SARIF", file=sys.stderr)
        sys.exit(2)
    with open(os.path.join(SCHEMAS, "sarif-schema-2.1.0.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
            for e in validator.iter_errors(doc)]


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_gitlab_issue(i, issue, seen):
    where = "[%d]" % i
    if not isinstance(issue, dict):
        return ["%s: not an object" % where]
    errors = []
    for key in ("description", "check_name", "fingerprint"):
        if not isinstance(issue.get(key), str) or not issue.get(key):
            errors.append("%s.%s: missing or not a non-empty string" % (where, key))
    if issue.get("severity") not in GITLAB_SEVERITIES:
        errors.append("%s.severity: %r is not one of %s" % (where, issue.get("severity"),
                                                           sorted(GITLAB_SEVERITIES)))
    fp = issue.get("fingerprint")
    if isinstance(fp, str):
        if fp in seen:
            errors.append("%s.fingerprint: %s repeats an earlier issue's" % (where, fp))
        seen.add(fp)
    loc = issue.get("location")
    if not isinstance(loc, dict):
        return errors + ["%s.location: missing or not an object" % where]
    path = loc.get("path")
    if not isinstance(path, str) or not path or path.startswith("/"):
        errors.append("%s.location.path: %r is not a relative path" % (where, path))
    lines = loc.get("lines")
    positions = loc.get("positions")
    if isinstance(lines, dict):
        begin = lines.get("begin")
    elif isinstance(positions, dict) and isinstance(positions.get("begin"), dict):
        begin = positions["begin"].get("line")
    else:
        begin = None
    if not is_int(begin) or begin < 1:
        errors.append("%s.location: no lines.begin (or positions.begin.line) >= 1" % where)
    return errors


def check_gitlab(doc):
    if not isinstance(doc, list):
        return ["(root): not an array"]
    seen = set()
    errors = []
    for i, issue in enumerate(doc):
        errors += check_gitlab_issue(i, issue, seen)
    return errors


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("sarif", "gitlab"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[2], "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        print("(file): starts with a byte order mark", file=sys.stderr)
        return 1
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print("(file): not UTF-8 JSON: %s" % e, file=sys.stderr)
        return 1
    errors = check_sarif(doc) if sys.argv[1] == "sarif" else check_gitlab(doc)
    for e in errors[:20]:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
