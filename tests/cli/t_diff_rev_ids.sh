#!/usr/bin/env bash
# Differential: revision ids given with `alembic revision --rev-id` that are
# not hex: main_0001, kilo, 1, and ids that are prefixes of one another
# (1 / 10, kilo / kilo2; Alembic resolves a prefix only when it is not an
# exact id), a non-ASCII id and message, CRLF line ends, a UTF-8 BOM. mlint
# must match ids exactly and agree with Alembic's heads.
# shellcheck disable=SC2154  # revision ids are set by rev/merge (printf -v)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

P="$TMP/proj"
init_project "$P" migrations
git_init "$P"
rev a "$P" --rev-id main_0001 -m "create users"
rev b "$P" --rev-id kilo -m "kilo"
rev c "$P" --rev-id 1 -m "one"
git_commit_all "$P" "named ids"
assert_eq "rev ids as given" "main_0001 kilo 1" "$a $b $c"

E="$TMP/s1.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s1: alembic head" 1 "$(ex "$E" cli_heads)"
assert_eq "s1: alembic base" main_0001 "$(ex "$E" bases)"
# TODO(graph): bases = main_0001, no branch points.
compare "s1: linear, non-hex ids" "$E" "$P" .
compare "s1: versions dir" "$E" "$P" --no-script-location migrations/versions

# 10 has 1 as a prefix; kilo2 has kilo as a prefix. Both spliced on kilo.
rev d "$P" --rev-id 10 --head kilo --splice -m "ten"
rev e "$P" --rev-id kilo2 --head 10 -m "kilo two"
E="$TMP/s2.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s2: alembic heads" "$(printf '%s\n' 1 kilo2 | LC_ALL=C sort)" "$(ex "$E" cli_heads)"
assert_eq "s2: alembic branch point" kilo "$(ex "$E" branch_points)"
assert_eq "s2: alembic: multiple heads" yes "$(ex "$E" multiple_heads)"
# TODO(graph): branch_points = kilo.
compare "s2: prefix ids, two heads" "$E" "$P" .

merge m "$P" --rev-id main_0002 1 kilo2 -m "merge"
git_commit_all "$P" "merged"
E="$TMP/s3.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s3: alembic head" main_0002 "$(ex "$E" cli_heads)"
assert_eq "s3: alembic merge point" main_0002 "$(ex "$E" merge_points)"
# TODO(graph): merge_points = main_0002.
compare "s3: merged" "$E" "$P" .

# Bytes that Python accepts and a C scanner must too: a non-ASCII message
# (also in the file name), a file with CRLF line ends (written on Windows),
# one with a UTF-8 BOM.
rev f "$P" --rev-id "ñandú_2" -m "añadir índice über"
F_FILE=$AL_FILE
rev g "$P" --rev-id crlf -m "crlf"
sed -i 's/$/\r/' "$AL_FILE"
rev h "$P" --rev-id bom -m "bom"
printf '\357\273\277' | cat - "$AL_FILE" >"$TMP/bom.py" && mv "$TMP/bom.py" "$AL_FILE"
git_commit_all "$P" "encodings"
case $F_FILE in *añadir_índice_über.py) pass "non-ASCII slug in the file name" ;;
  *) fail "alembic file name: $F_FILE" ;; esac
E="$TMP/s4.json"
expect_al "$E" "$P" alembic.ini
assert_eq "s4: alembic head" bom "$(ex "$E" cli_heads)"
assert_eq "s4: alembic sees every file" 9 "$(ex "$E" migrations)"
compare "s4: non-ASCII, CRLF, BOM" "$E" "$P" .

finish
