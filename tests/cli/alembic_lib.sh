# Helpers for the differential tests tests/cli/t_diff_*.sh: the real Alembic
# CLI (and Flask-Migrate's `flask db`) builds the projects and says what the
# heads are; mlint must agree. Sourced after lib.sh, never run.
#
# Every expectation comes from Alembic: `alembic heads` for the head lines,
# and Alembic's ScriptDirectory (run by the oracle below) for paths, branch
# labels, bases, branch points and whether a branch label has several heads.
# Nothing here is a constant that mlint is known to print.
#
# Without an executable $MLINT (say MLINT=none) only the Alembic half runs and
# the test ends with 77 (skip); that mode exists for writing the scenarios.

need_alembic

# MLINT_DIFF_KEEP=1 keeps the temp projects (and the oracle files) for a look.
if [ -n "${MLINT_DIFF_KEEP:-}" ]; then
  trap 'rm -rf "$HOME"' EXIT
  printf 'note: keeping %s\n' "$TMP" >&2
fi

if [ -x "$MLINT" ]; then
  HAVE_MLINT=1
  case $MLINT in /*) ;; *) MLINT="$PWD/$MLINT" ;; esac
else
  HAVE_MLINT=0
  printf 'note: MLINT=%s is not executable: only the alembic half runs\n' "$MLINT" >&2
fi

# Setup steps (alembic, flask, git) must work; a failure there is a broken
# test, not an mlint finding, and ends the script at once.
setup_fail() { printf 'SETUP FAILED: %s\n' "$*" >&2; exit 1; }

# al DIR ARGS...: the alembic CLI with DIR as working directory; stdout kept
# in AL_OUT.
al() {
  local d=$1; shift
  (cd "$d" && $ALEMBIC "$@") >"$TMP/.al.out" 2>"$TMP/.al.err" ||
    { cat "$TMP/.al.out" "$TMP/.al.err" >&2; setup_fail "alembic $* (in $d)"; }
  AL_OUT=$(cat "$TMP/.al.out")
}

# fl DIR ARGS...: `flask db ARGS` in DIR, whose app.py sets up Flask-Migrate.
fl() {
  local d=$1; shift
  (cd "$d" && FLASK_APP=app.py $PY -m flask db "$@") >"$TMP/.al.out" 2>"$TMP/.al.err" ||
    { cat "$TMP/.al.out" "$TMP/.al.err" >&2; setup_fail "flask db $* (in $d)"; }
  AL_OUT=$(cat "$TMP/.al.out")
}

need_flask_migrate() {
  $PY -c 'import flask_migrate, flask_sqlalchemy' 2>/dev/null ||
    skip_all "python3-flask-migrate / python3-flask-sqlalchemy not installed"
}

# flask_app DIR: the smallest app that Flask-Migrate's `flask db` accepts.
flask_app() {
  mkdir -p "$1"
  cat >"$1/app.py" <<'EOF'
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)
migrate = Migrate(app, db)
EOF
}

# _rev VAR RUNNER DIR ARGS...: run `RUNNER DIR ARGS...` (a revision or merge
# command), set VAR to the id of the generated revision and AL_FILE to its
# path. The id is read back from the generated file.
_rev() {
  local var=$1 runner=$2 dir=$3 file id; shift 3
  "$runner" "$dir" "$@"
  file=$(printf '%s\n' "$AL_OUT" | sed -n 's/^ *Generating \(.*\.py\) \.\.\. *done$/\1/p' | tail -n 1)
  [ -f "$file" ] || setup_fail "no generated file in output of $runner $*: $AL_OUT"
  # revision = 'x', or annotated (newer templates): revision: str = 'x'
  id=$(sed -n "s/^revision\(: *[A-Za-z]*\)\{0,1\} *= *['\"]\(.*\)['\"] *\$/\2/p" "$file")
  [ -n "$id" ] || setup_fail "no revision id in $file"
  # shellcheck disable=SC2034  # read by the scripts
  AL_FILE=$file
  printf -v "$var" '%s' "$id"
}
# rev VAR DIR ARGS...   : alembic revision ARGS in DIR
# merge VAR DIR ARGS... : alembic merge ARGS in DIR
# frev / fmerge         : the same through `flask db`
rev()    { local v=$1 d=$2; shift 2; _rev "$v" al "$d" revision "$@"; }
merge()  { local v=$1 d=$2; shift 2; _rev "$v" al "$d" merge "$@"; }
frev()   { local v=$1 d=$2; shift 2; _rev "$v" fl "$d" revision "$@"; }
fmerge() { local v=$1 d=$2; shift 2; _rev "$v" fl "$d" merge "$@"; }

# init_project DIR [NAME]: `alembic init NAME` (default "alembic") in DIR:
# DIR/alembic.ini with script_location = NAME, DIR/NAME/{env.py,versions/...}.
# The first init of each NAME is cached and copied, to keep scripts fast.
init_project() {
  local dir=$1 name=${2:-alembic} cache="$TMP/.init-cache/${2:-alembic}"
  if [ ! -d "$cache" ]; then
    mkdir -p "$cache"
    al "$cache" init "$name"
  fi
  mkdir -p "$dir"
  cp -R "$cache/." "$dir/"
}

# ini_set INI KEY VALUE: set KEY in the [alembic] section: replace its first
# line, commented out or not (dropping further uncommented ones), else add
# it at the end of the section.
ini_set() {
  $PY - "$@" <<'EOF' || setup_fail "ini_set $*"
import re, sys
ini, key, value = sys.argv[1:4]
lines = open(ini).read().split("\n")
out, done, section = [], False, None
pat = re.compile(r"^#?\s*%s\s*=" % re.escape(key))
for line in lines:
    m = re.match(r"^\[(.*)\]\s*$", line)
    if m:
        if section == "alembic" and not done:
            out.append("%s = %s" % (key, value)); done = True
        section = m.group(1)
    if section == "alembic" and not done and pat.match(line):
        out.append("%s = %s" % (key, value)); done = True
        continue
    if section == "alembic" and done and pat.match(line) and not line.startswith("#"):
        continue
    out.append(line)
if not done:
    out.append("%s = %s" % (key, value))
open(ini, "w").write("\n".join(out))
EOF
}

# ini_del INI KEY: drop every uncommented KEY line of the [alembic] section.
ini_del() {
  $PY - "$@" <<'EOF' || setup_fail "ini_del $*"
import re, sys
ini, key = sys.argv[1:3]
out, section = [], None
for line in open(ini).read().split("\n"):
    m = re.match(r"^\[(.*)\]\s*$", line)
    if m:
        section = m.group(1)
    if section == "alembic" and re.match(r"^%s\s*=" % re.escape(key), line):
        continue
    out.append(line)
open(ini, "w").write("\n".join(out))
EOF
}

# oracle OUT CWD INI ROOT HEADS_FILE [SCRIPT_LOCATION]
# Ask Alembic about the script directory of INI, seen from CWD (as the CLI
# would be), and write OUT (JSON). HEADS_FILE holds the output of the real
# `alembic heads` for the same project. Paths are made relative to ROOT (the
# git repository root, or mlint's cwd outside git). SCRIPT_LOCATION, when
# given, overrides the ini (what Flask-Migrate does).
oracle() {
  local out=$1 cwd=$2; shift 2
  (cd "$cwd" && $PY - "$@" >"$out" <<'EOF') || setup_fail "alembic oracle for $1"
import json, os, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import MultipleHeads

ini, root, heads_file = sys.argv[1:4]
cfg = Config(ini)
if len(sys.argv) > 4:
    cfg.set_main_option("script_location", sys.argv[4])
sd = ScriptDirectory.from_config(cfg)
revs = list(sd.walk_revisions())
root = os.path.realpath(root)

def rel(p):
    return os.path.relpath(os.path.realpath(p), root)

# The real CLI's lines. Alembic prints the labels of a head in set order;
# sort them, as mlint does.
cli = {}
for line in open(heads_file).read().splitlines():
    if not line.strip():
        continue
    rid, rest = line.split(" ", 1) if " " in line else (line, "")
    if rest.startswith("(") and not rest.startswith(("(head)", "(effective head)")):
        labels, rest = rest[1:].split(") ", 1)
        rest = "(%s) %s" % (", ".join(sorted(labels.split(", "))), rest)
    cli[rid] = (rid + " " + rest).rstrip()

heads = sd.get_revisions(sd.get_heads())
api = sorted(h.revision for h in heads)
if sorted(cli) != api:
    sys.exit("alembic heads CLI %r != ScriptDirectory.get_heads() %r" % (sorted(cli), api))

heads_out = sorted(
    ({"revision": h.revision, "path": rel(h.path),
      "branch_labels": sorted(h.branch_labels),
      "effective": not h._is_real_head,
      "script_location": rel(sd.dir)} for h in heads),
    key=lambda h: h["revision"])

# "More than one head on the same branch label": Alembic's <label>@head is
# ambiguous (MultipleHeads) for a label; heads without any label form one
# group of their own (what a plain `alembic upgrade head` would face).
groups = []
labels = sorted({l for r in revs for l in r.branch_labels})
for label in labels:
    try:
        sd.revision_map.get_current_head(label)
    except MultipleHeads as e:
        groups.append({"label": label, "heads": sorted(e.heads)})
unlabelled = sorted(h.revision for h in heads if not h.branch_labels)
if len(unlabelled) > 1:
    groups.append({"label": None, "heads": unlabelled})

json.dump({
    "cli_heads": sorted(cli),
    "text": [cli[h.revision] for h in sorted(heads, key=lambda h: rel(h.path))],
    "heads": heads_out,
    "bases": sorted(r.revision for r in revs if r.is_base),
    "branch_points": sorted(r.revision for r in revs if r.is_branch_point),
    "merge_points": sorted(r.revision for r in revs if r.is_merge_point),
    "labels": labels,
    "multiple_heads": bool(groups),
    "multiple_heads_groups": groups,
    "ambiguous_heads": sorted({h for g in groups for h in g["heads"]}),
    "migrations": len(revs),
    "script_location": rel(sd.dir),
}, open(1, "w"), indent=1, sort_keys=True)
EOF
}

# expect_al OUT CWD INI [ROOT]: oracle for a project run with `alembic -c INI`
# from CWD. ROOT defaults to CWD.
expect_al() {
  local out=$1 cwd=$2 ini=$3 root=${4:-$2}
  al "$cwd" -c "$ini" heads
  printf '%s\n' "$AL_OUT" >"$out.heads"
  oracle "$out" "$cwd" "$ini" "$root" "$out.heads"
}
# expect_fl OUT DIR [ROOT]: oracle for a Flask-Migrate project in DIR
# (migrations/alembic.ini without script_location).
expect_fl() {
  local out=$1 dir=$2 root=${3:-$2}
  fl "$dir" heads
  printf '%s\n' "$AL_OUT" >"$out.heads"
  oracle "$out" "$dir" migrations/alembic.ini "$root" "$out.heads" migrations
}

# combine OUT EXPECT...: what mlint must say for several script directories
# named together (PATH PATH...): each keeps its own graph; heads are the
# union, text lines ordered by path and labelled " in SCRIPT_LOCATION" (two
# directories are not two heads), multiple heads when any has them.
# (Bases etc. are concatenated; ids may repeat across directories.)
combine() {
  $PY - "$@" <<'EOF' || setup_fail "combine $*"
import json, sys
parts = [json.load(open(p)) for p in sys.argv[2:]]
out = {"cli_heads": sorted(x for p in parts for x in p["cli_heads"]),
       "heads": sorted((h for p in parts for h in p["heads"]),
                       key=lambda h: (h["revision"], h["path"])),
       "multiple_heads": any(p["multiple_heads"] for p in parts),
       "multiple_heads_groups": [g for p in parts for g in p["multiple_heads_groups"]],
       "ambiguous_heads": sorted(x for p in parts for x in p["ambiguous_heads"]),
       "migrations": sum(p["migrations"] for p in parts)}
lines = [(h["path"], t + " in " + p["script_location"]) for p in parts
         for h, t in zip(sorted(p["heads"], key=lambda h: h["path"]), p["text"])]
out["text"] = [t for _, t in sorted(lines)]
for k in ("bases", "branch_points", "merge_points", "labels"):
    out[k] = [x for p in parts for x in p[k]]
out["script_location"] = None
json.dump(out, open(sys.argv[1], "w"), indent=1, sort_keys=True)
EOF
}

# ex FILE KEY: one field of an oracle file, lists one item a line,
# booleans as yes/no.
ex() {
  $PY - "$@" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
if isinstance(v, bool):
    print("yes" if v else "no")
elif isinstance(v, list):
    for x in v:
        print(x if isinstance(x, str) else json.dumps(x, sort_keys=True))
else:
    print(v)
EOF
}

# run_mlint_in DIR ARGS...: run_mlint with DIR as working directory.
run_mlint_in() {
  local old=$PWD
  cd "$1" || setup_fail "cd $1"; shift
  run_mlint "$@"
  cd "$old" || setup_fail "cd $old"
}

# compare WHAT EXPECT CWD [--no-script-location] TARGET...
# Run mlint heads (text, json) and mlint check (json) on TARGET... from CWD
# and compare with the oracle file EXPECT. --no-script-location: the targets
# are version directories, where mlint cannot know script_location.
compare() {
  local what=$1 exp=$2 cwd=$3 want_sl=1 first_tokens
  shift 3
  if [ "${1:-}" = --no-script-location ]; then want_sl=0; shift; fi
  [ "$HAVE_MLINT" = 1 ] || { printf 'skip (no mlint): %s\n' "$what"; return 0; }

  # heads, text: the same lines as `alembic heads` (labels sorted), ordered
  # by path.
  run_mlint_in "$cwd" heads "$@"
  assert_eq "$what: heads exit" 0 "$RC"
  [ -z "$ERR" ] || printf 'stderr of mlint heads: %s\n' "$ERR" >&2
  first_tokens=$(printf '%s\n' "$OUT" | awk 'NF { print $1 }' | LC_ALL=C sort)
  assert_eq "$what: head revisions (text)" "$(ex "$exp" cli_heads)" "$first_tokens"
  assert_eq "$what: heads text lines" "$(ex "$exp" text)" "$OUT"

  # heads, json: revisions, paths, branch labels, script_location.
  run_mlint_in "$cwd" heads "$@" --format json
  assert_eq "$what: heads --format json exit" 0 "$RC"
  printf '%s' "$OUT" >"$TMP/.heads.json"
  $PY - "$TMP/.heads.json" "$exp" "$want_sl" "$TMP/.heads.got" "$TMP/.heads.want" <<'EOF'
import json, sys
src, exp, want_sl, got_out, want_out = sys.argv[1:6]
exp = json.load(open(exp))
def rows(heads, sl):
    out = []
    for h in heads:
        r = "%s path=%s labels=%s" % (h.get("revision"), h.get("path"),
                                      ",".join(h.get("branch_labels") or []))
        if want_sl == "1":
            r += " script_location=%s" % sl(h)
        out.append(r)
    return "\n".join(sorted(out))
try:
    got = rows(json.load(open(src))["heads"], lambda h: h.get("script_location"))
except Exception as e:
    got = "unreadable mlint json: %r" % (e,)
open(got_out, "w").write(got)
open(want_out, "w").write(rows(exp["heads"], lambda h: h["script_location"]))
EOF
  assert_eq "$what: head revisions (json)" "$(ex "$exp" cli_heads)" \
    "$(awk 'NF { print $1 }' "$TMP/.heads.got" | LC_ALL=C sort)"
  assert_eq "$what: heads json paths/labels" "$(cat "$TMP/.heads.want")" "$(cat "$TMP/.heads.got")"

  # check, json: multiple-heads exactly when Alembic has a branch label (or
  # the unlabelled group) with more than one head; no structural finding on
  # a directory Alembic loads; every migration counted.
  run_mlint_in "$cwd" check "$@" --format json
  printf '%s' "$OUT" >"$TMP/.check.json"
  local facts
  facts=$($PY - "$TMP/.check.json" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("unreadable"); print(""); print("unreadable mlint json: %s" % e); print("?"); print("?"); sys.exit(0)
f = d.get("findings", [])
print("yes" if any(x.get("rule") == "multiple-heads" for x in f) else "no")
print(" ".join(sorted({str(x.get("revision")) for x in f
                       if x.get("rule") == "multiple-heads" and x.get("revision")})))
structural = ("duplicate-revision", "missing-parent", "parent-is-label", "revision-cycle",
              "parse-error", "invalid-source", "non-literal-value")
print(";".join(sorted("%s %s:%s" % (x.get("rule"), x.get("path"), x.get("line"))
                      for x in f if x.get("rule") in structural)))
print(d.get("summary", {}).get("migrations"))
print(1 if any(x.get("severity") == "error" for x in f) else 0)
EOF
)
  local mh blamed structural migrations want_rc
  { read -r mh; read -r blamed; read -r structural; read -r migrations; read -r want_rc; } <<<"$facts"
  assert_eq "$what: multiple-heads finding (alembic groups: $(ex "$exp" multiple_heads_groups | tr '\n' ' '))" \
    "$(ex "$exp" multiple_heads)" "$mh"
  # A multiple-heads finding that names a revision names one of the heads
  # Alembic finds ambiguous (never, say, a lone labelled or effective head).
  local w stray=""
  for w in $blamed; do
    case " $(ex "$exp" ambiguous_heads | tr '\n' ' ') " in
      *" $w "*) ;; *) stray="$stray $w" ;; esac
  done
  assert_eq "$what: multiple-heads names only heads alembic finds ambiguous" "" "${stray# }"
  assert_eq "$what: no structural findings on what alembic loads" "" "$structural"
  assert_eq "$what: summary.migrations" "$(ex "$exp" migrations)" "$migrations"
  assert_eq "$what: check exit matches its findings" "$want_rc" "$RC"
  if [ "$(ex "$exp" multiple_heads)" = no ]; then
    assert_eq "$what: check exit on a clean project" 0 "$RC"
  fi
  # graph, json: bases, branch points and merge points as Alembic has them
  # (the union over the script directories read).
  run_mlint_in "$cwd" graph "$@" --format json
  assert_eq "$what: graph --format json exit" 0 "$RC"
  printf '%s' "$OUT" >"$TMP/.graph.json"
  local key
  for key in bases branch_points merge_points; do
    assert_eq "$what: $key (graph json)" "$(ex "$exp" "$key")" \
      "$($PY -c 'import json, sys
doc = json.load(open(sys.argv[1]))
print("\n".join(sorted(r for d in doc["script_directories"] for r in d[sys.argv[2]])))' \
        "$TMP/.graph.json" "$key" 2>&1)"
  done
}

# Without a binary, finish ends with 77 (skip) once the alembic half passed.
if [ "$HAVE_MLINT" != 1 ]; then
  finish() {
    if [ "$TESTS_FAILED" -ne 0 ]; then printf '%d check(s) failed\n' "$TESTS_FAILED"; exit 1; fi
    skip_all "alembic half passed; no mlint binary to compare with"
  }
fi
