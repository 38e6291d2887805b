#!/usr/bin/env bash
# The quick start: scripts/demo.sh builds the demo repository from examples/
# and runs mlint there; its check shows the feature branch's mistakes.
source "$(dirname "$0")/lib.sh"

RC=0
OUT=$(bash "$MLINT_SRC/scripts/demo.sh" "$MLINT" 2>&1) || RC=$?
assert_eq "demo: ran" 0 "$RC"
assert_contains "demo: drop-table" "$OUT" \
  "8d54434c5d70_drop_legacy_sequence_table.py:24:5: error[drop-table]: op.drop_table('legacy_sequence')"
assert_contains "demo: missing-downgrade" "$OUT" \
  "8d54434c5d70_drop_legacy_sequence_table.py:28:1: error[missing-downgrade]: downgrade() does nothing"
# The hand-added index is on the column the downgrade drops: it goes away
# with it, so the downgrade owes no drop_index (issue 14).
assert_not_contains "demo: an index goes with its column" "$OUT" \
  "upgrade() creates index 'ix_sequences_is_mitochondrial'"
# The index is dropped in a batch just before its table: DROP TABLE takes the
# same lock and the index with it, so nothing is said about the index.
assert_not_contains "demo: no lock warning on an index of a dropped table" "$OUT" \
  "ix_legacy_sequence_species_code"
assert_contains "demo: multiple heads" "$OUT" "error[multiple-heads]"
# The conekt history itself is clean of content errors: its merge migration
# has pass bodies by design, and every downgrade reverts its upgrade.
assert_not_contains "demo: merge migration exempt" "$OUT" "ff18dfd40a2e_merge_heads.py"
assert_not_contains "demo: symmetric downgrades" "$OUT" "4b0973c7fa0e"
finish
