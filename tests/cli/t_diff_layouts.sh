#!/usr/bin/env bash
# Differential: the project layouts real repositories use, each built with
# the real Alembic CLI where Alembic supports it, and mlint must agree with
# `alembic heads`:
#   - one alembic.ini with a section per database ([core], [tenant], no
#     [alembic]), run as `alembic -n tenant ...`;
#   - script_location = package:path, in a src/ layout and a plain package;
#   - an alembic.ini without script_location beside migrations/ (what
#     pytest-alembic and Flask-Migrate projects run; Alembic's own CLI
#     needs the key, so its answer comes from a copy of the ini that has it);
#   - migrations in subdirectories of versions/ (expand/contract) that only
#     env.py would add: reported, and read with [mlint] version-locations.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

# ---- one ini, a section per database --------------------------------------
P="$TMP/multidb"
mkdir -p "$P"
al "$P" init core
al "$P" init tenant
$PY - "$P/alembic.ini" <<'EOF' || setup_fail "sections"
import sys
ini = sys.argv[1]
s = open(ini).read().replace("[alembic]", "[core]", 1)
s = s.replace("script_location = core", "script_location = %(here)s/core")
at = s.index("[post_write_hooks]")
s = s[:at] + "[tenant]\nscript_location = %(here)s/tenant\nsqlalchemy.url = sqlite://\n\n" + s[at:]
open(ini, "w").write(s)
EOF
git_init "$P"
_rev c1 al "$P" -n core revision -m "core one"
_rev t1 al "$P" -n tenant revision -m "tenant one"
_rev t2 al "$P" -n tenant revision -m "tenant two"
_rev t3 al "$P" -n tenant revision --head "$t1" --splice -m "tenant fork"
git_commit_all "$P" "two databases"

al "$P" -n core heads
assert_eq "multidb: alembic -n core heads" "$c1 (head)" "$AL_OUT"
al "$P" -n tenant heads
TENANT_AL=$(printf '%s\n' "$AL_OUT" | LC_ALL=C sort)
assert_eq "multidb: alembic -n tenant has two heads" \
  "$(printf '%s (head)\n%s (head)' "$t2" "$t3" | LC_ALL=C sort)" "$TENANT_AL"

if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" heads --name tenant
  assert_eq "multidb: mlint heads --name tenant exit" 0 "$RC"
  assert_eq "multidb: mlint heads --name tenant = alembic -n tenant heads" "$TENANT_AL" \
    "$(printf '%s\n' "$OUT" | LC_ALL=C sort)"
  run_mlint_in "$P" heads -n core
  assert_eq "multidb: mlint heads -n core = alembic -n core heads" "$c1 (head)" "$OUT"
  # Without --name every section is read, each head labelled with its
  # directory and section (two databases are not two heads).
  run_mlint_in "$P" heads
  assert_eq "multidb: mlint heads (every section)" \
    "$({ printf '%s (head) in core [section core]\n' "$c1"
         printf '%s (head) in tenant [section tenant]\n' "$t2" "$t3"; } | LC_ALL=C sort)" \
    "$(printf '%s\n' "$OUT" | LC_ALL=C sort)"
  run_mlint_in "$P" graph
  assert_contains "multidb: graph text names each directory" "$OUT" "# script directory tenant [section tenant]"
  # check: multiple-heads in [tenant] only, every finding carries its section.
  run_mlint_in "$P" check --format json
  assert_eq "multidb: check exit (tenant has two heads)" 1 "$RC"
  printf '%s' "$OUT" >"$TMP/multidb.json"
  assert_eq "multidb: multiple-heads findings carry section tenant" "tenant" \
    "$($PY -c 'import json,sys
f=json.load(open(sys.argv[1]))["findings"]
print(" ".join(sorted({x["section"] for x in f if x["rule"]=="multiple-heads"})))' "$TMP/multidb.json")"
  assert_eq "multidb: every finding has a section" "core tenant" \
    "$($PY -c 'import json,sys
f=json.load(open(sys.argv[1]))["findings"]
print(" ".join(sorted({str(x.get("section")) for x in f})))' "$TMP/multidb.json")"
  run_mlint_in "$P" check -n core --format json
  assert_eq "multidb: check -n core is clean of errors" 0 "$RC"
  run_mlint_in "$P" check --format sarif
  assert_contains "multidb: sarif result property" "$OUT" '"section": "tenant"'
  run_mlint_in "$P" check
  assert_contains "multidb: text names the section" "$OUT" "[section tenant]"
  run_mlint_in "$P" heads --name nope
  assert_eq "multidb: unknown --name exit" 2 "$RC"
  assert_contains "multidb: unknown --name lists the sections" "$ERR" "[core], [tenant]"
  run_mlint_in "$P" heads --name tenant tenant/versions
  assert_eq "multidb: --name on a versions directory exit" 2 "$RC"
fi

# The same with an [alembic] section holding only shared settings (Netflix's
# dispatch: file_template there, script_location in [core] and [tenant]):
# `alembic heads` without -n fails, `alembic -n tenant heads` works.
$PY - "$P/alembic.ini" <<'EOF2' || setup_fail "shared [alembic]"
import sys
ini = sys.argv[1]
s = open(ini).read()
open(ini, "w").write("[alembic]\nfile_template = %%(rev)s_%%(slug)s\n\n" + s)
EOF2
(cd "$P" && $ALEMBIC heads >/dev/null 2>&1) && fail "shared [alembic]: alembic heads without -n should fail"
al "$P" -n tenant heads
assert_eq "shared [alembic]: alembic -n tenant heads unchanged" "$TENANT_AL" \
  "$(printf '%s\n' "$AL_OUT" | LC_ALL=C sort)"
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" heads
  assert_eq "shared [alembic]: every section with a script_location is read" \
    "$({ printf '%s (head) in core [section core]\n' "$c1"
         printf '%s (head) in tenant [section tenant]\n' "$t2" "$t3"; } | LC_ALL=C sort)" \
    "$(printf '%s\n' "$OUT" | LC_ALL=C sort)"
  run_mlint_in "$P" heads --name tenant
  assert_eq "shared [alembic]: --name tenant = alembic -n tenant heads" "$TENANT_AL" \
    "$(printf '%s\n' "$OUT" | LC_ALL=C sort)"
  run_mlint_in "$P" heads --verbose
  assert_contains "shared [alembic]: --verbose says why [alembic] is not read" "$ERR" \
    "[alembic] has no script_location; reading the sections that set one: [core], [tenant]"
  # The same sections from a bare repository (a server-side hook: --head REV).
  git_commit_all "$P" "shared [alembic]"
  git clone -q --bare "$P" "$TMP/multidb.git"
  run_mlint_in "$TMP" check --head main multidb.git --format json
  printf '%s' "$OUT" >"$TMP/bare.json"
  assert_eq "bare --head: every section with a script_location" "core tenant" \
    "$($PY -c 'import json,sys
f=json.load(open(sys.argv[1]))["findings"]
print(" ".join(sorted({str(x.get("section")) for x in f})))' "$TMP/bare.json")"
  run_mlint_in "$TMP" check --head main multidb.git --name tenant --format json
  printf '%s' "$OUT" >"$TMP/bare.json"
  assert_eq "bare --head --name tenant: that section only" "tenant" \
    "$($PY -c 'import json,sys
f=json.load(open(sys.argv[1]))["findings"]
print(" ".join(sorted({str(x.get("section")) for x in f})))' "$TMP/bare.json")"
  assert_contains "bare --head --name tenant: its two heads" "$OUT" '"rule": "multiple-heads"'
  run_mlint_in "$TMP" check --head main multidb.git --name nope
  assert_eq "bare --head --name nope: exit 2" 2 "$RC"
  assert_contains "bare --head --name nope: says which" "$ERR" "has no [nope] section (--name)"
fi

# ---- script_location = package:path ---------------------------------------
# src layout: src/myapp/migrations, the ini at the root; Alembic imports the
# package from PYTHONPATH=src (what pip install -e gives).
P="$TMP/srcpkg"
mkdir -p "$P/src/myapp"
: >"$P/src/myapp/__init__.py"
al "$P/src/myapp" init migrations
mv "$P/src/myapp/alembic.ini" "$P/alembic.ini"
ini_set "$P/alembic.ini" script_location "myapp:migrations"
export PYTHONPATH="$P/src"
rev s1 "$P" -m "one"
rev s2 "$P" -m "two"
rev s3 "$P" --head "$s1" --splice -m "fork"
expect_al "$TMP/srcpkg.json" "$P" alembic.ini
unset PYTHONPATH
assert_eq "srcpkg: alembic heads" "$(printf '%s\n' "$s2" "$s3" | LC_ALL=C sort)" "$(ex "$TMP/srcpkg.json" cli_heads)"
compare "srcpkg: package:path in src/" "$TMP/srcpkg.json" "$P" .

# A dotted package at the root: myapp.db:migrations -> ./myapp/db/migrations
P="$TMP/dotpkg"
mkdir -p "$P/myapp/db"
: >"$P/myapp/__init__.py"
: >"$P/myapp/db/__init__.py"
al "$P/myapp/db" init migrations
mv "$P/myapp/db/alembic.ini" "$P/alembic.ini"
ini_set "$P/alembic.ini" script_location "myapp.db:migrations"
rev d1 "$P" -m "one"
expect_al "$TMP/dotpkg.json" "$P" alembic.ini
compare "dotpkg: dotted package" "$TMP/dotpkg.json" "$P" .

if [ "$HAVE_MLINT" = 1 ]; then
  ini_set "$P/alembic.ini" script_location "nosuch.pkg:migrations"
  run_mlint_in "$P" heads
  assert_eq "package not found: exit" 2 "$RC"
  assert_contains "package not found: names the package" "$ERR" "package 'nosuch.pkg'"
  assert_contains "package not found: says what was tried" "$ERR" "'nosuch/pkg/migrations', 'src/nosuch/pkg/migrations'"
fi

# ---- alembic.ini without script_location, migrations/ beside it -----------
P="$TMP/noloc"
init_project "$P" migrations
rev n1 "$P" -m "one"
rev n2 "$P" --head "$n1" --splice -m "fork a"
rev n3 "$P" --head "$n1" --splice -m "fork b"
cp "$P/alembic.ini" "$TMP/noloc-alembic.ini"     # Alembic's answer, with the key
ini_set "$TMP/noloc-alembic.ini" script_location "$P/migrations"
expect_al "$TMP/noloc.json" "$P" "$TMP/noloc-alembic.ini"
ini_del "$P/alembic.ini" script_location
compare "noloc: migrations/ beside an ini without script_location" "$TMP/noloc.json" "$P" .
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" heads -v
  assert_contains "noloc: --verbose says which directory is used" "$ERR" "has no script_location in [alembic]: using 'migrations'"
  rm "$P/migrations/env.py"
  run_mlint_in "$P" heads
  assert_eq "noloc: without env.py it is not guessed" 2 "$RC"
fi

# ---- migrations outside every version location -----------------------------
# An expand/contract tree below versions/: Alembic reads it only with
# recursive_version_locations (or version_locations set by env.py).
P="$TMP/tree"
init_project "$P" migrations
mkdir -p "$P/migrations/versions/expand" "$P/migrations/versions/contract"
ini_set "$P/alembic.ini" version_locations "%(here)s/migrations/versions/expand %(here)s/migrations/versions/contract"
ini_set "$P/alembic.ini" version_path_separator space
rev e1 "$P" --version-path migrations/versions/expand -m "expand one"
rev e2 "$P" --version-path migrations/versions/expand -m "expand two"
rev k1 "$P" --version-path migrations/versions/contract -m "contract one"
expect_al "$TMP/tree.json" "$P" alembic.ini
assert_eq "tree: alembic reads three migrations" 3 "$(ex "$TMP/tree.json" migrations)"
# The project as it is often committed: the locations are set in env.py,
# the ini names none.
ini_del "$P/alembic.ini" version_locations
if [ "$HAVE_MLINT" = 1 ]; then
  run_mlint_in "$P" heads
  assert_contains "tree: says how many and where" "$ERR" \
    "3 files that declare a revision lie below script directory 'migrations' but outside its version locations"
  assert_contains "tree: names each directory with its count" "$ERR" \
    "'migrations/versions/contract' (1), 'migrations/versions/expand' (2)"
  assert_contains "tree: says how to configure" "$ERR" "[mlint] version-locations"
  printf '\n[mlint]\nversion-locations = migrations/versions/expand, migrations/versions/contract\n' >>"$P/alembic.ini"
  run_mlint_in "$P" heads
  assert_eq "tree: no warning once configured" "" "$ERR"
fi
compare "tree: [mlint] version-locations" "$TMP/tree.json" "$P" .

finish
