#!/usr/bin/env bash
# A project's policy is said once per run (issue 14): when no migration has
# a downgrade, missing-downgrade is one warning naming `downgrade = off`,
# not one error per migration. One migration with a downgrade makes the
# others' findings real again; the config line silences it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"

p=$TMP/proj; mkdir -p "$p"; git_init "$p"
al "$p" init migrations
# Upgrades only, as some teams write them (the template's downgrade: pass).
for t in users orders items invoices payments; do
  rev r "$p" -m "create $t"
  python3 - "$AL_FILE" "$t" <<'EOF2'
import sys
p, t = sys.argv[1:3]
s = open(p).read()
s = s.replace("def upgrade() -> None:\n    pass", "def upgrade() -> None:\n    op.create_table('%s', sa.Column('id', sa.Integer(), nullable=False))" % t)
open(p, 'w').write(s)
EOF2
done
last=$AL_FILE
git_commit_all "$p" "five migrations"
cd "$p"
run_mlint check --no-excerpt
assert_eq "policy: one missing-downgrade finding" 1 "$(printf '%s\n' "$OUT" | grep -c 'missing-downgrade')"
assert_contains "policy: on the newest migration, naming the config line" "$OUT" \
  "$(basename "$last"):$(grep -n '^def upgrade' "$last" | cut -d: -f1):1: warning[missing-downgrade]: none of the 5 migrations in 'migrations' has a downgrade: the project does not roll back by downgrade; if that is the policy, say it once with \`downgrade = off\` under [mlint] in alembic.ini"
assert_eq "policy: a warning, exit 0" 0 "$RC"

# At a pull request: a sixth migration without downgrade: still one warning,
# on the new file.
git checkout -q -b feature
rev r "$p" -m "create refunds"
python3 - "$AL_FILE" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("def upgrade() -> None:\n    pass", "def upgrade() -> None:\n    op.create_table('refunds', sa.Column('id', sa.Integer(), nullable=False))")
open(p, 'w').write(s)
EOF2
new=$AL_FILE
git_commit_all "$p" "refunds"
run_mlint check --new-only --base main --no-excerpt
assert_contains "policy at a PR: said once, on the new migration" "$OUT" "$(basename "$new"):"
assert_contains "policy at a PR: six migrations" "$OUT" "none of the 6 migrations"
assert_eq "policy at a PR: once" 1 "$(printf '%s\n' "$OUT" | grep -c 'missing-downgrade')"

# Recall: one migration has a downgrade, so the policy is to write them:
# every other one is reported, as an error.
python3 - "$new" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("def downgrade() -> None:\n    pass", "def downgrade() -> None:\n    op.drop_table('refunds')")
open(p, 'w').write(s)
EOF2
run_mlint check --no-excerpt
assert_eq "one downgrade written: each missing one is reported" 5 "$(printf '%s\n' "$OUT" | grep -c 'error\[missing-downgrade\]')"
git checkout -q -- .

# The policy stated: nothing.
printf '\n[mlint]\ndowngrade = off\n' >>alembic.ini
run_mlint check --no-excerpt
assert_not_contains "downgrade = off: nothing" "$OUT" "missing-downgrade"
finish
