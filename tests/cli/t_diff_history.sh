#!/usr/bin/env bash
# Differential: `mlint graph` prints what `alembic history` prints, line for
# line and in the same order (siblings, merges, depends_on in parentheses,
# labels, effective heads), on random histories and on one Alembic wrote.
# Alembic 1.8 loads the version directory in os.listdir order, which varies
# by file system; the oracle lists it sorted, the order mlint reads it in.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

# history DIR: `alembic history` for the project in DIR, directory listed sorted.
history() {
  (cd "$1" && $PY -c '
import os, sys
listdir = os.listdir
os.listdir = lambda p=".": sorted(listdir(p))
from alembic.config import main
main(argv=["history"], prog="alembic")') || setup_fail "alembic history in $1"
}

# random_project DIR SEED N [MAX_DEPS]: N migrations with random parents (1
# to 3: merges, several bases, branch points), some depends_on (at most
# MAX_DEPS each, default 1), ids that sort in no particular relation to the
# graph.
random_project() {
  mkdir -p "$1/versions"
  printf '[alembic]\nscript_location = .\n' > "$1/alembic.ini"
  $PY - "$@" <<'PY' || setup_fail "random_project $*"
import random, sys
d, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
max_deps = int(sys.argv[4]) if len(sys.argv) > 4 else 1
rnd = random.Random(seed)
ids = []
for i in range(n):
    rid = "%012x" % rnd.getrandbits(48)
    if not ids or rnd.random() < 0.08:
        parents = []
    else:
        k = 1 if rnd.random() < 0.75 else rnd.choice([2, 2, 3])
        # recent revisions more often: long lines with side branches
        pool = ids[-6:] if rnd.random() < 0.7 else ids
        parents = rnd.sample(pool, min(k, len(pool)))
    deps = []
    if ids and rnd.random() < 0.15:
        deps = rnd.sample(ids, min(len(ids), rnd.choice([1, 1, max_deps])))
        deps = [x for x in deps if x not in parents]
    down = "None" if not parents else repr(parents[0]) if len(parents) == 1 else repr(tuple(parents))
    dep = "None" if not deps else repr(deps[0]) if len(deps) == 1 else repr(tuple(deps))
    with open("%s/versions/%s_m%d.py" % (d, rid, i), "w") as f:
        f.write('"""m%d\n\nRevision ID: %s\n"""\nrevision = %r\ndown_revision = %s\n'
                'branch_labels = None\ndepends_on = %s\n\n\ndef upgrade():\n    pass\n\n\n'
                'def downgrade():\n    pass\n' % (i, rid, rid, down, dep))
    ids.append(rid)
PY
}

compare_history() {  # compare_history WHAT DIR
  local want got
  want=$(history "$2")
  run_mlint graph "$2"
  got=$OUT
  [ "$RC" -eq 0 ] || { fail "$1: mlint graph exit $RC: $ERR"; return; }
  [ -n "$want" ] || { fail "$1: alembic history printed nothing"; return; }
  assert_eq "$1: same lines, same order" "$want" "$got"
}

for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
  random_project "$TMP/r$seed" "$seed" 40
  compare_history "random history $seed" "$TMP/r$seed"
done

# Written by Alembic: two bases, branch labels, a splice, a three-way merge,
# a dependency on a label, an effective head.
P="$TMP/labels"
init_project "$P" alembic
rev a1 "$P" -m "one"
rev a2 "$P" -m "two"
rev b1 "$P" --head "$a1" --splice -m "side"
rev c1 "$P" --head base --branch-label networking -m "networking"
rev c2 "$P" --head networking@head --depends-on "$a2" -m "net two"
rev a3 "$P" --head "$a1" --splice -m "third"
merge m1 "$P" "$a2" "$b1" "$a3" -m "merge three"
rev d1 "$P" --head base --depends-on networking -m "needs networking"
compare_history "alembic-written history" "$P"
assert_contains "depends_on shown as written: a revision" "$OUT" "$c1 ($a2) -> $c2"
assert_contains "depends_on shown as written: a label" "$OUT" "<base> (networking) -> $d1"

# With two depends_on targets that no ancestor has, Alembic walks them in
# the order of a Python set, which changes with PYTHONHASHSEED: its own
# output varies from run to run. mlint takes them in the order written,
# which is one of Alembic's orders.
random_project "$TMP/deps" 9 40 2
run_mlint graph "$TMP/deps"
seen=0 distinct=""
for hashseed in 0 1 2 3 4 5 6 7 8 9; do
  want=$(PYTHONHASHSEED=$hashseed history "$TMP/deps")
  distinct=$(printf '%s\n%s' "$distinct" "$(printf '%s' "$want" | cksum)" | sort -u)
  [ "$want" = "$OUT" ] && seen=1
done
if [ "$(printf '%s\n' "$distinct" | grep -c .)" -ge 2 ]; then pass "two depends_on: Alembic's order varies"
else fail "two depends_on: Alembic printed one order only; the case tests nothing"; fi
assert_eq "two depends_on: mlint prints one of Alembic's orders" 1 "$seen"
finish
