#!/usr/bin/env bash
# Differential: `alembic init` layouts (alembic.ini at the root,
# script_location = alembic, and = migrations) with a linear chain of five
# `alembic revision -m ...`; the second project also has a date-prefixed
# file_template and the annotated script template of newer Alembic releases.
# mlint's heads must be Alembic's, from every way of naming the project
# (root, default cwd, versions dir, from a subdir), committed or not, inside
# git and outside.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

for loc in alembic migrations; do
  P="$TMP/init_$loc"
  init_project "$P" "$loc"
  if [ "$loc" = migrations ]; then
    # This project also uses a date-prefixed file_template and the script
    # template of newer Alembic releases (annotated assignments,
    # `revision: str = '...'`), which Alembic 1.8 renders and reads as well.
    ini_set "$P/alembic.ini" file_template '%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s'
    cat >"$P/migrations/script.py.mako" <<'EOF'
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
EOF
  fi
  git_init "$P"
  rev r1 "$P" -m "create account table"
  rev r2 "$P" -m "add email column"
  rev r3 "$P" -m "add index"
  git_commit_all "$P" "three migrations"
  # Two more, left uncommitted: a developer runs mlint before `git add`.
  rev r4 "$P" -m "second table"
  rev r5 "$P" -m "backfill"

  E="$TMP/expect_$loc.json"
  expect_al "$E" "$P" alembic.ini
  # The scenario is what it claims to be (Alembic's view).
  assert_eq "$loc: alembic sees one head, the last revision" "$r5" "$(ex "$E" cli_heads)"
  assert_eq "$loc: alembic sees one base" "$r1" "$(ex "$E" bases)"
  assert_eq "$loc: alembic sees no branch point" "" "$(ex "$E" branch_points)"
  assert_eq "$loc: alembic sees five migrations" 5 "$(ex "$E" migrations)"
  # TODO(graph): bases = $r1, no branch points, no merge points.

  compare "$loc: project root" "$E" "$P" .
  compare "$loc: default path (cwd)" "$E" "$P"
  compare "$loc: absolute path" "$E" "$TMP" "$P"
  compare "$loc: versions dir" "$E" "$P" --no-script-location "$loc/versions"
  compare "$loc: versions dir from inside it" "$E" "$P/$loc/versions" --no-script-location .
done

# Outside git: paths are relative to the cwd.
P="$TMP/nogit"
init_project "$P" alembic
rev n1 "$P" -m one
rev n2 "$P" -m two
rev n3 "$P" --head "$n1" --splice -m three   # and two heads, for contrast
E="$TMP/expect_nogit.json"
expect_al "$E" "$P" alembic.ini
assert_eq "nogit: alembic sees two heads" "$(printf '%s\n' "$n2" "$n3" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
compare "nogit: project root" "$E" "$P" .

finish
