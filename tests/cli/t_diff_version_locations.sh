#!/usr/bin/env bash
# Differential: version_locations naming two directories, each separator
# that Alembic 1.8 accepts (version_path_separator = space, os, :, ; and the
# legacy default without the key: commas and/or spaces), revisions placed
# with `alembic revision --version-path`, one location that does not exist
# yet (Alembic skips it), relative locations, a directory name with a space.
# mlint must find every location and report Alembic's heads, on the project
# root and on the version directories named together.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

# variant NAME SEPARATOR(or "-" to omit the key) LOCATIONS DIR1 DIR2
variant() {
  local name=$1 sep=$2 locs=$3 d1=$4 d2=$5 P="$TMP/$1" E="$TMP/$1.json"
  init_project "$P" alembic
  mkdir -p "$P/$d1" "$P/$d2"
  ini_set "$P/alembic.ini" version_locations "$locs"
  if [ "$sep" = - ]; then ini_del "$P/alembic.ini" version_path_separator
  else ini_set "$P/alembic.ini" version_path_separator "$sep"; fi
  git_init "$P"
  rev v1 "$P" --version-path "$d1" -m "core"
  rev v2 "$P" --version-path "$d2" -m "plugin table"        # child of v1, other dir
  rev v3 "$P" -m "plugin column"                            # follows v2 into $d2
  rev v4 "$P" --head base --branch-label other --version-path "$d1" -m "other base"
  if [ "$d1" != alembic/versions ] && [ "$d2" != alembic/versions ]; then
    # alembic/versions (from `alembic init`) is not a version location here:
    # Alembic ignores a migration left there, and so must mlint.
    cat >"$P/alembic/versions/0000_left_over.py" <<'EOF'
"""left over

Revision ID: leftover0001
Revises:
"""
revision = 'leftover0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
EOF
  fi
  git_commit_all "$P" "$name"

  expect_al "$E" "$P" alembic.ini
  # Alembic read both directories (the scenario is what it claims).
  assert_eq "$name: alembic sees four migrations" 4 "$(ex "$E" migrations)"
  assert_eq "$name: alembic heads" "$(printf '%s\n' "$v3" "$v4" | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
  assert_contains "$name: a head lives in $d2" "$(ex "$E" heads)" "\"path\": \"$d2/"
  # TODO(graph): bases = $v1 $v4.
  compare "$name: project root" "$E" "$P" .
  compare "$name: default path (cwd)" "$E" "$P"
  compare "$name: both version dirs" "$E" "$P" --no-script-location "$d1" "$d2"
}

variant space  space '%(here)s/alembic/versions %(here)s/extra' alembic/versions extra
variant os     os    '%(here)s/alembic/versions:%(here)s/extra:%(here)s/not_yet' alembic/versions extra
variant colon  :     'alembic/versions:%(here)s/more versions' alembic/versions 'more versions'
variant semi   ';'   '%(here)s/db/core;%(here)s/db/plugins' db/core db/plugins
variant legacy -     '%(here)s/alembic/versions, %(here)s/extra' alembic/versions extra

finish
