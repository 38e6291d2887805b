#!/usr/bin/env bash
# Differential: which heads count as "multiple heads". Alembic's answer per
# branch label is whether <label>@head is ambiguous; heads without any label
# form one group (a plain `alembic upgrade head` faces them all).
#   p2: two heads inside one labelled branch, next to another labelled branch
#   p3: no labels; an independent base that depends_on the main head, so
#       `alembic heads` lists the main head as "(effective head)"
#   p4: a label declared mid-chain and inherited by a head, next to an
#       unlabelled spliced head: the two heads are on different labels
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

# p2: a second head inside the labelled branch: billing@head is ambiguous.
P2="$TMP/proj2"
init_project "$P2" alembic
git_init "$P2"
rev b1 "$P2" --branch-label billing -m "billing"
rev b2 "$P2" --head billing@head -m "invoices"
rev b3 "$P2" --head "$b1" --splice -m "refunds"
rev o1 "$P2" --head base --branch-label ops -m "ops"
git_commit_all "$P2" "two heads on billing"
E="$TMP/p2.json"
expect_al "$E" "$P2" alembic.ini
assert_eq "p2: heads" "$(printf '%s\n' "$b2" "$b3" "$o1" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "p2: alembic: billing@head is ambiguous" yes "$(ex "$E" multiple_heads)"
compare "p2: two heads on one label" "$E" "$P2" .

# p3: no labels at all: an independent base that depends_on the main head.
# `alembic heads` lists both (the main head as "(effective head)") and
# `alembic upgrade head` refuses them as multiple heads.
P3="$TMP/proj3"
init_project "$P3" alembic
ini_set "$P3/alembic.ini" sqlalchemy.url sqlite://   # for `upgrade --sql` below
git_init "$P3"
rev c1 "$P3" -m "core"
rev c2 "$P3" -m "core two"
rev d1 "$P3" --head base --depends-on "$c2" -m "detached, needs core"
git_commit_all "$P3" "unlabelled dependency"
E="$TMP/p3.json"
expect_al "$E" "$P3" alembic.ini
assert_eq "p3: heads" "$(printf '%s\n' "$c2" "$d1" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_contains "p3: alembic: effective head" "$(ex "$E" text)" "$c2 (effective head)"
if (cd "$P3" && $ALEMBIC upgrade head --sql) >"$TMP/p3.up" 2>&1; then
  fail "p3: alembic upgrade head accepted two unlabelled heads"
else
  assert_contains "p3: alembic upgrade head: multiple heads" "$(cat "$TMP/p3.up")" "Multiple head revisions"
fi
assert_eq "p3: alembic: multiple heads" yes "$(ex "$E" multiple_heads)"
compare "p3: unlabelled effective head" "$E" "$P3" .

# p4: a label declared mid-chain (q2) is inherited by its descendant head q3;
# the spliced q4 has no label: Alembic resolves feat@head to q3 alone.
P4="$TMP/proj4"
init_project "$P4" alembic
git_init "$P4"
rev q1 "$P4" -m "one"
rev q2 "$P4" --branch-label feat -m "feature start"
rev q3 "$P4" --head feat@head -m "feature more"
rev q4 "$P4" --head "$q1" --splice -m "fix on main"
git_commit_all "$P4" "labelled and unlabelled heads"
E="$TMP/p4.json"
expect_al "$E" "$P4" alembic.ini
assert_eq "p4: heads" "$(printf '%s\n' "$q3" "$q4" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_contains "p4: alembic: the head inherits feat" "$(ex "$E" text)" "$q3 (feat) (head)"
assert_eq "p4: alembic: feat@head is $q3" "$q3" "$(cd "$P4" && $PY -c 'import sys
from alembic.config import Config
from alembic.script import ScriptDirectory
print(ScriptDirectory.from_config(Config("alembic.ini")).revision_map.get_current_head("feat"))')"
assert_eq "p4: alembic: no label with two heads" no "$(ex "$E" multiple_heads)"
compare "p4: inherited label vs unlabelled head" "$E" "$P4" .

# p5: a down_revision that names the branch label, hand-written: Alembic
# resolves labels in depends_on but not in down_revision (KeyError), so
# mlint reports it as an error where a head count would be meaningless.
P5="$TMP/proj5"
init_project "$P5" alembic
rev l1 "$P5" --branch-label feat -m "feature start"
rev l2 "$P5" --head "$l1" -m "feature next"
f=$(ls "$P5"/alembic/versions/*feature_next.py)
$PY - "$f" "$l1" <<'PY'
import sys
path, rev = sys.argv[1], sys.argv[2]
text = open(path).read()
assert "down_revision = '%s'" % rev in text, text
open(path, "w").write(text.replace("down_revision = '%s'" % rev, "down_revision = 'feat'"))
PY
(cd "$P5" && $ALEMBIC heads) > "$TMP/p5.out" 2>&1 && fail "p5: alembic accepted a label as down_revision"
assert_contains "p5: alembic fails with KeyError" "$(cat "$TMP/p5.out")" "KeyError: 'feat'"
run_mlint_in "$P5" check --no-git --no-excerpt
assert_eq "p5: mlint check fails" 1 "$RC"
assert_contains "p5: parent-is-label at the value" "$OUT" "feature_next.py:"
assert_contains "p5: parent-is-label names the label and its revision" "$OUT" "error[parent-is-label]: down_revision names 'feat', a branch label, not a revision id: Alembic fails with KeyError; write the revision id of the parent (the label is declared by '$l1')"

finish
