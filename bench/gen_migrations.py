#!/usr/bin/python3
"""Generate an Alembic project with N migrations, for the mlint benchmark.

    gen_migrations.py DIR N [--seed S] [--branches]

Creates DIR/alembic.ini (as `alembic init migrations` writes it),
DIR/migrations/env.py (minimal: `alembic heads` does not run it),
DIR/migrations/script.py.mako (Alembic's generic template, verbatim) and
N revision files DIR/migrations/versions/<rev>_<slug>.py, each rendered from
that template the way `alembic revision --autogenerate` fills it in.

Revision ids are 12 hex digits drawn from a PRNG seeded with S, so the same
(N, S, --branches) always gives the same bytes.  By default the revisions form
one linear chain (one head: the last revision).  With --branches the history
forks now and then (two revisions on the same parent, as when two people
branch off the same head; no branch labels), forks are merged back by merge
revisions (down_revision is a tuple), and some heads may be left open at the
end.

The expected heads are printed on stdout, one revision id per line, sorted.
Standard library only; runs on Debian's /usr/bin/python3.
"""

import argparse
import datetime
import os
import random
import re
import sys

# alembic.ini exactly as `alembic init migrations` (Alembic 1.8, template
# "generic") writes it.
ALEMBIC_INI = r'''
# A generic, single database configuration.

[alembic]
# path to migration scripts
script_location = migrations

# template used to generate migration file names; The default value is %%(rev)s_%%(slug)s
# Uncomment the line below if you want the files to be prepended with date and time
# see https://alembic.sqlalchemy.org/en/latest/tutorial.html#editing-the-ini-file
# for all available tokens
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s

# sys.path path, will be prepended to sys.path if present.
# defaults to the current working directory.
prepend_sys_path = .

# timezone to use when rendering the date within the migration file
# as well as the filename.
# If specified, requires the python-dateutil library that can be
# installed by adding `alembic[tz]` to the pip requirements
# string value is passed to dateutil.tz.gettz()
# leave blank for localtime
# timezone =

# max length of characters to apply to the
# "slug" field
# truncate_slug_length = 40

# set to 'true' to run the environment during
# the 'revision' command, regardless of autogenerate
# revision_environment = false

# set to 'true' to allow .pyc and .pyo files without
# a source .py file to be detected as revisions in the
# versions/ directory
# sourceless = false

# version location specification; This defaults
# to migrations/versions.  When using multiple version
# directories, initial revisions must be specified with --version-path.
# The path separator used here should be the separator specified by "version_path_separator" below.
# version_locations = %(here)s/bar:%(here)s/bat:migrations/versions

# version path separator; As mentioned above, this is the character used to split
# version_locations. The default within new alembic.ini files is "os", which uses os.pathsep.
# If this key is omitted entirely, it falls back to the legacy behavior of splitting on spaces and/or commas.
# Valid values for version_path_separator are:
#
# version_path_separator = :
# version_path_separator = ;
# version_path_separator = space
version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.

# the output encoding used when revision files
# are written from script.py.mako
# output_encoding = utf-8

sqlalchemy.url = driver://user:pass@localhost/dbname


[post_write_hooks]
# post_write_hooks defines scripts or Python functions that are run
# on newly generated revision scripts.  See the documentation for further
# detail and examples

# format using "black" - use the console_scripts runner, against the "black" entrypoint
# hooks = black
# black.type = console_scripts
# black.entrypoint = black
# black.options = -l 79 REVISION_SCRIPT_FILENAME

# Logging configuration
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
'''

# Alembic's templates/generic/script.py.mako, verbatim.
SCRIPT_PY_MAKO = r'''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

ENV_PY = '''\
"""Minimal Alembic environment for the mlint benchmark project.

`alembic heads` reads alembic.ini and the version files only; it never runs
this file.  Only offline mode (`alembic upgrade head --sql`) is supported.
"""
from alembic import context

config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=None,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    raise SystemExit("mlint bench project: offline mode only (--sql)")
'''

AUTOGEN_BEGIN = "# ### commands auto generated by Alembic - please adjust! ###"
AUTOGEN_END = "# ### end Alembic commands ###"

NOUNS = [
    "user", "account", "order", "invoice", "payment", "product", "category",
    "address", "shipment", "review", "coupon", "session", "audit_log",
    "subscription", "team", "project", "task", "comment", "tag", "attachment",
    "notification", "webhook", "api_key", "warehouse", "supplier",
]
COLUMNS = [
    ("email", "sa.String(length=255)", "sa.VARCHAR(length=255)"),
    ("phone", "sa.String(length=32)", "sa.VARCHAR(length=32)"),
    ("status", "sa.String(length=20)", "sa.VARCHAR(length=20)"),
    ("note", "sa.Text()", "sa.TEXT()"),
    ("amount", "sa.Numeric(precision=12, scale=2)",
     "sa.NUMERIC(precision=12, scale=2)"),
    ("quantity", "sa.Integer()", "sa.INTEGER()"),
    ("is_active", "sa.Boolean()", "sa.BOOLEAN()"),
    ("updated_at", "sa.DateTime()", "postgresql.TIMESTAMP()"),
    ("deleted_at", "sa.DateTime(timezone=True)",
     "postgresql.TIMESTAMP(timezone=True)"),
    ("external_id", "sa.String(length=64)", "sa.VARCHAR(length=64)"),
    ("metadata", "postgresql.JSONB(astext_type=sa.Text())",
     "postgresql.JSONB(astext_type=sa.Text())"),
    ("position", "sa.SmallInteger()", "sa.SMALLINT()"),
]
PG_IMPORT = "from sqlalchemy.dialects import postgresql"

_SLUG_RE = re.compile(r"\w+")
_EXPR_RE = re.compile(r"\$\{([^}]*)\}")
TRUNCATE_SLUG_LENGTH = 40  # alembic.ini default


def slug_of(message):
    """File-name slug, as alembic.script.base.ScriptDirectory._rev_path makes it."""
    slug = "_".join(_SLUG_RE.findall(message or "")).lower()
    if len(slug) > TRUNCATE_SLUG_LENGTH:
        slug = slug[:TRUNCATE_SLUG_LENGTH].rsplit("_", 1)[0] + "_"
    return slug


def format_as_comma(value):
    """alembic.util.format_as_comma (the template's `comma` filter)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(value)


def render_script(rev, down, message, create_date, imports, upgrades,
                  downgrades, branch_labels=None, depends_on=None):
    """Fill in script.py.mako's ${...} expressions as Mako would."""
    values = {
        "message": message,
        "up_revision": rev,
        "down_revision | comma,n": format_as_comma(down),
        "create_date": str(create_date),
        'imports if imports else ""': imports if imports else "",
        "repr(up_revision)": repr(rev),
        "repr(down_revision)": repr(down),
        "repr(branch_labels)": repr(branch_labels),
        "repr(depends_on)": repr(depends_on),
        'upgrades if upgrades else "pass"': upgrades if upgrades else "pass",
        'downgrades if downgrades else "pass"':
            downgrades if downgrades else "pass",
    }

    def sub(m):
        try:
            return values[m.group(1)]
        except KeyError:
            raise SystemExit("gen_migrations: unknown template expression "
                             "${%s}" % m.group(1))

    return _EXPR_RE.sub(sub, SCRIPT_PY_MAKO)


def autogen(lines):
    return "\n    ".join([AUTOGEN_BEGIN] + lines + [AUTOGEN_END])


class Schema:
    """Just enough schema state to write plausible, reversible operations."""

    def __init__(self, rng):
        self.rng = rng
        self.tables = {}  # name -> list of (column, sa type, reflected type)
        self.serial = 0

    def _new_name(self, base):
        self.serial += 1
        return "%s_%d" % (base, self.serial)

    def create_table(self):
        rng = self.rng
        table = self._new_name(rng.choice(NOUNS))
        cols = [("name", "sa.String(length=120)", "sa.VARCHAR(length=120)")]
        up = ["op.create_table(%r," % table,
              "sa.Column('id', sa.Integer(), nullable=False),",
              "sa.Column('name', sa.String(length=120), nullable=False),"]
        for col in rng.sample(COLUMNS, rng.randint(1, 3)):
            cols.append(col)
            up.append("sa.Column(%r, %s, nullable=True)," % (col[0], col[1]))
        up.append("sa.Column('created_at', sa.DateTime(), "
                  "server_default=sa.text('now()'), nullable=False),")
        parent = None
        if self.tables and rng.random() < 0.6:
            parent = rng.choice(sorted(self.tables))
            fk = "%s_id" % parent
            up.append("sa.Column(%r, sa.Integer(), nullable=True)," % fk)
            up.append("sa.ForeignKeyConstraint([%r], ['%s.id'], )," % (fk, parent))
        up.append("sa.PrimaryKeyConstraint('id')")
        up.append(")")
        ix = "ix_%s_name" % table
        up.append("op.create_index(op.f(%r), %r, ['name'], unique=False)"
                  % (ix, table))
        down = ["op.drop_index(op.f(%r), table_name=%r)" % (ix, table),
                "op.drop_table(%r)" % table]
        self.tables[table] = cols
        uses_pg = any(c[1].startswith("postgresql.") for c in cols)
        return ("create %s table" % table, uses_pg, up, down)

    def add_column(self):
        rng = self.rng
        table = rng.choice(sorted(self.tables))
        base = rng.choice(COLUMNS)
        col = (self._new_name(base[0]), base[1], base[2])
        up = ["op.add_column(%r, sa.Column(%r, %s, nullable=True))"
              % (table, col[0], col[1])]
        down = []
        if rng.random() < 0.4:
            ix = "ix_%s_%s" % (table, col[0])
            up.append("op.create_index(op.f(%r), %r, [%r], unique=False)"
                      % (ix, table, col[0]))
            down.append("op.drop_index(op.f(%r), table_name=%r)" % (ix, table))
        down.append("op.drop_column(%r, %r)" % (table, col[0]))
        self.tables[table].append(col)
        uses_pg = "postgresql." in col[1]
        return ("add %s to %s" % (col[0], table), uses_pg, up, down)

    def alter_column(self):
        rng = self.rng
        table = rng.choice(sorted(self.tables))
        col = rng.choice(self.tables[table])
        up = ["op.alter_column(%r, %r," % (table, col[0]),
              "           existing_type=%s," % col[2],
              "           nullable=False)"]
        down = ["op.alter_column(%r, %r," % (table, col[0]),
                "           existing_type=%s," % col[2],
                "           nullable=True)"]
        uses_pg = "postgresql." in col[2]
        return ("make %s.%s not null" % (table, col[0]), uses_pg, up, down)

    def data_sql(self, rng):
        """An op.execute line, as people write data fixes by hand."""
        table = rng.choice(sorted(self.tables))
        kind = rng.randrange(3)
        if kind == 0:
            return ["op.execute(\"UPDATE %s SET name = trim(name) WHERE name LIKE ' %%%%'\")"
                    % table]
        if kind == 1:
            return ["op.execute(",
                    "    sa.text(",
                    "        \"UPDATE %s SET name = :name \"" % table,
                    "        \"WHERE name IS NULL\"",
                    "    ).bindparams(name='unknown')",
                    ")"]
        return ['op.execute("""',
                "    INSERT INTO %s (name, created_at)" % table,
                "    VALUES ('placeholder', now());",
                "    ANALYZE %s;" % table,
                '""")']

    def next_change(self):
        r = self.rng.random()
        if not self.tables or r < 0.25:
            return self.create_table()
        if r < 0.8:
            return self.add_column()
        return self.alter_column()


def plan(n, rng, branches):
    """Return [(rev, down_revision)] in creation order, and the sorted heads."""
    seen = set()

    def new_id():
        while True:
            rev = "%012x" % rng.getrandbits(48)
            if rev not in seen and not rev.isdigit():
                seen.add(rev)
                return rev

    revs = []
    tips = []  # open heads, in creation order
    for i in range(n):
        rev = new_id()
        if i == 0:
            down = None
            tips.append(rev)
        elif not branches:
            down = tips[0]
            tips[0] = rev
        else:
            r = rng.random()
            if len(tips) >= 2 and r < 0.03:
                pair = rng.sample(tips, 2)
                down = tuple(pair)
                tips = [t for t in tips if t not in pair]
                tips.append(rev)
            elif len(tips) < 4 and r < 0.06:
                # Fork from a recent revision (a tip or not): a new head.
                down = revs[rng.randrange(max(0, len(revs) - 20), len(revs))][0]
                tips.append(rev)
            else:
                k = rng.randrange(len(tips))
                down = tips[k]
                tips[k] = rev
        revs.append((rev, down))
    return revs, sorted(tips)


def main(argv):
    ap = argparse.ArgumentParser(
        description="Generate an Alembic project with N migrations "
                    "(for the mlint benchmark).")
    ap.add_argument("dir", help="project directory to create (must not "
                    "hold a migrations/ directory yet)")
    ap.add_argument("n", type=int, help="number of migrations (>= 1)")
    ap.add_argument("--seed", type=int, default=1, help="PRNG seed (default 1)")
    ap.add_argument("--branches", action="store_true",
                    help="forks, merges and several heads "
                         "instead of one linear chain")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")

    root = args.dir
    mig = os.path.join(root, "migrations")
    versions = os.path.join(mig, "versions")
    if os.path.exists(mig):
        ap.error("%s already exists" % mig)
    os.makedirs(versions)

    def write(path, text):
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    write(os.path.join(root, "alembic.ini"), ALEMBIC_INI.lstrip("\n"))
    write(os.path.join(mig, "env.py"), ENV_PY)
    write(os.path.join(mig, "script.py.mako"), SCRIPT_PY_MAKO)
    write(os.path.join(mig, "README"), "Generic single-database configuration.\n")

    rng = random.Random(args.seed)
    revs, heads = plan(args.n, rng, args.branches)
    schema = Schema(random.Random(args.seed * 7919 + 1))
    sql_rng = random.Random(args.seed * 104729 + 3)
    when = datetime.datetime(2019, 1, 7, 9, 30, 0)
    for rev, down in revs:
        when += datetime.timedelta(seconds=rng.randint(600, 4 * 86400),
                                   microseconds=rng.randint(0, 999999))
        if isinstance(down, tuple):
            message, uses_pg, up, dn = "merge heads", False, [], []
        else:
            message, uses_pg, up, dn = schema.next_change()
        # one migration in ten also runs SQL (its own PRNG: the rest of the
        # project stays what it was)
        if up and sql_rng.random() < 0.1:
            up = up + schema.data_sql(sql_rng)
        if message != "merge heads" and rng.random() < 0.3:
            message = message[0].upper() + message[1:]
        text = render_script(
            rev, down, message, when,
            imports=PG_IMPORT if uses_pg else "",
            upgrades=autogen(up) if up else "",
            downgrades=autogen(dn) if dn else "",
        )
        write(os.path.join(versions, "%s_%s.py" % (rev, slug_of(message))), text)

    sys.stdout.write("".join(h + "\n" for h in heads))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
