#!/usr/bin/env bash
# A Flask-Migrate project keeps the database URL in the app's config, not in
# migrations/alembic.ini: nothing says the dialect, so the PostgreSQL rules
# run, say "on PostgreSQL", and --show-config says the dialect was assumed.
# `dialect = sqlite` in [mlint] of migrations/alembic.ini silences them.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"
need_flask_migrate

P=$TMP/app
flask_app "$P"
fl "$P" init
frev r1 "$P" -m "add code"
$PY - "$AL_FILE" <<'EOF2' || setup_fail "body"
import sys
path = sys.argv[1]
text = open(path).read()
body = """    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.VARCHAR(length=120), nullable=False)
        batch_op.drop_index('ix_user_name')
"""
text = text.replace("def upgrade():\n    pass\n", "def upgrade():\n" + body, 1)
open(path, "w").write(text)
EOF2
grep -q "batch_op.alter_column" "$AL_FILE" || setup_fail "upgrade body not written"
cd "$P"

run_mlint check --no-git --show-config
assert_contains "show-config: assumed postgresql" "$OUT" "dialect          = postgresql"
assert_contains "show-config: says assumed" "$OUT" "assumed: no [mlint] dialect, no sqlalchemy.url"
run_mlint check --no-git
assert_contains "set-not-null through batch_op" "$OUT" "warning[set-not-null]: column 'email' of 'user' is set NOT NULL: on PostgreSQL"
assert_contains "drop-index through batch_op" "$OUT" "warning[drop-index-not-concurrently]: index 'ix_user_name'"

printf '\n[mlint]\ndialect = sqlite\n' >> migrations/alembic.ini
run_mlint check --no-git
assert_not_contains "sqlite: no set-not-null" "$OUT" "[set-not-null]"
assert_not_contains "sqlite: no drop-index-not-concurrently" "$OUT" "[drop-index-not-concurrently]"
run_mlint check --no-git --show-config
assert_contains "show-config: set in migrations/alembic.ini" "$OUT" "dialect          = sqlite"
finish
