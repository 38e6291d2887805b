#!/usr/bin/env bash
# imports-application (issue 14): a Flask-Migrate migration that imports the
# application's models breaks once the application changes; Flask-Migrate
# itself shows it. Library imports and helpers beside the migrations are fine.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/alembic_lib.sh"
need_flask_migrate

p=$TMP/proj; git_init "$p"; flask_app "$p"
sed -i 's|"sqlite://"|"sqlite:///app.db"|' "$p/app.py"
cat >>"$p/app.py" <<'EOF2'


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
EOF2
mkdir -p "$p/config"; printf 'ADMIN = "admin"\n' >"$p/config/__init__.py"
fl "$p" init
fl "$p" migrate -m "create user"
first=$(ls "$p"/migrations/versions/*_create_user.py)
frev second "$p" -m "seed admin"
seed=$AL_FILE
# A data migration written the way people do: the model and a setting imported.
python3 - "$seed" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("import sqlalchemy as sa\n", "import sqlalchemy as sa\n\nfrom app import User\nfrom config import ADMIN\n", 1)
s = s.replace("def upgrade():\n    pass", "def upgrade():\n    op.bulk_insert(User.__table__, [{'name': ADMIN}])")
s = s.replace("def downgrade():\n    pass", "def downgrade():\n    op.execute(User.__table__.delete())")
open(p, 'w').write(s)
EOF2
grep -q '^from app import User' "$seed" || setup_fail "seed migration"
git_commit_all "$p" "seed"
cd "$p"
fl "$p" upgrade
rm -f app.db instance/app.db
# The application moves on: the model class is renamed. A fresh database
# (a new developer, CI) can no longer run the old migration.
sed -i 's/^class User(db.Model):/class Account(db.Model):/' app.py
if (FLASK_APP=app.py $PY -m flask db upgrade) >"$TMP/.fl" 2>&1; then
  fail "the old migration still ran after the model changed: the rule's premise is wrong"
else
  assert_contains "flask db upgrade: the old migration breaks" "$(cat "$TMP/.fl")" "ImportError: cannot import name 'User' from 'app'"
fi
git checkout -q -- app.py

run_mlint check --no-excerpt
l_app=$(grep -n '^from app import User' "$seed" | cut -d: -f1)
l_cfg=$(grep -n '^from config import ADMIN' "$seed" | cut -d: -f1)
assert_contains "imports-application: from app import" "$OUT" \
  "$(basename "$seed"):$l_app:1: warning[imports-application]: the migration imports the application: 'app' is 'app.py' in this repository, so the migration changes when the application does; copy the table definition"
assert_contains "imports-application: a package (config/)" "$OUT" \
  "$(basename "$seed"):$l_cfg:1: warning[imports-application]: the migration imports the application: 'config' is 'config/__init__.py'"
assert_eq "imports-application: only the seed migration" 2 "$(printf '%s\n' "$OUT" | grep -c 'imports-application')"
assert_eq "imports-application: a warning (exit 0)" 0 "$RC"

# An import inside the function is the same problem.
sed -i 's/^from app import User$//' "$seed"
sed -i 's/^def upgrade():$/def upgrade():\n    from app import User/' "$seed"
run_mlint check --no-excerpt
assert_contains "imports-application: inside upgrade()" "$OUT" \
  "$(basename "$seed"):$(grep -n '^    from app import User' "$seed" | cut -d: -f1):5: warning[imports-application]"
git checkout -q -- "$seed"

# Fine: libraries, a helper module beside the migrations, a docstring that
# mentions an import, a relative import.
printf 'def chunks(rows):\n    return rows\n' >migrations/helpers.py
python3 - "$seed" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("from app import User\nfrom config import ADMIN\n", "import datetime\nfrom sqlalchemy.sql import table, column\nfrom migrations.helpers import chunks\n\nNOTE = '''\nfrom app import User  (not any more)\n'''\nusers = table('user', column('name'))\nADMIN = 'admin'\n")
s = s.replace("op.bulk_insert(User.__table__, [{'name': ADMIN}])", "op.bulk_insert(users, chunks([{'name': ADMIN}]))")
s = s.replace("op.execute(User.__table__.delete())", "op.execute(users.delete())")
open(p, 'w').write(s)
EOF2
grep -q '^from migrations.helpers import chunks' "$seed" || setup_fail "fixed seed"
run_mlint check --no-excerpt
assert_not_contains "fixed: the table copied into the migration" "$OUT" "imports-application"
finish
