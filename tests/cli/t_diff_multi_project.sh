#!/usr/bin/env bash
# Differential: two script directories in one git repository, svc_a/ (an
# `alembic init` whose ini says script_location = %(here)s/alembic) and
# svc_b/ (script_location = migrations, relative). Each is its own graph;
# they reuse the same revision ids (0001, 0002, even the same file names),
# which must NOT be reported as duplicates. svc_b has two heads, svc_a one:
# multiple-heads belongs to svc_b only.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

R="$TMP/repo"
git_init "$R"
init_project "$R/svc_a" alembic
ini_set "$R/svc_a/alembic.ini" script_location '%(here)s/alembic'
init_project "$R/svc_b" migrations

rev a1 "$R/svc_a" --rev-id 0001 -m "init"
rev a2 "$R/svc_a" --rev-id 0002 -m "users"
rev a3 "$R/svc_a" -m "orders"
rev b1 "$R/svc_b" --rev-id 0001 -m "init"
rev b2 "$R/svc_b" --rev-id 0002 -m "users"
rev b3 "$R/svc_b" --rev-id 0003 --head 0001 --splice -m "audit"
git_commit_all "$R" "two services"
for f in svc_a/alembic/versions/0001_init.py svc_b/migrations/versions/0001_init.py; do
  [ -f "$R/$f" ] || setup_fail "expected $f (same file name in both services)"
done

EA="$TMP/a.json"; EB="$TMP/b.json"; EAB="$TMP/ab.json"
expect_al "$EA" "$R/svc_a" alembic.ini "$R"
expect_al "$EB" "$R/svc_b" alembic.ini "$R"
combine "$EAB" "$EA" "$EB"
assert_eq "svc_a: alembic head" "$a3" "$(ex "$EA" cli_heads)"
assert_eq "svc_a: alembic: one head" no "$(ex "$EA" multiple_heads)"
assert_eq "svc_b: alembic heads" "$(printf '%s\n' 0002 0003)" "$(ex "$EB" cli_heads)"
assert_eq "svc_b: alembic: multiple heads" yes "$(ex "$EB" multiple_heads)"
assert_eq "svc_a: script_location" svc_a/alembic "$(ex "$EA" script_location)"
assert_eq "svc_b: script_location" svc_b/migrations "$(ex "$EB" script_location)"
# TODO(graph): svc_a bases = 0001; svc_b bases = 0001, branch_points = 0001.

compare "svc_a from the repository root" "$EA" "$R" svc_a
compare "svc_b from the repository root" "$EB" "$R" svc_b
compare "svc_a as cwd" "$EA" "$R/svc_a"
compare "svc_b as cwd" "$EB" "$R/svc_b"
compare "svc_a/alembic.ini's dir, absolute" "$EA" "$TMP" "$R/svc_a"
compare "svc_a and svc_b together" "$EAB" "$R" svc_a svc_b

if [ "$HAVE_MLINT" = 1 ]; then
  # No PATH at the repository root (no alembic.ini there): mlint may refuse
  # (exit 2); if it finds the two script directories instead, it must keep
  # them apart, exactly as when both are named.
  run_mlint_in "$R" heads
  if [ "$RC" = 2 ]; then
    printf 'note: mlint heads at the bare repository root: exit 2: %s\n' "$ERR"
  else
    compare "bare repository root (both found)" "$EAB" "$R"
  fi
fi

finish
