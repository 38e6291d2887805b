# A private PostgreSQL 15 for the proofs in tests/pg/: start and stop a
# cluster, run SQL, watch locks and relfilenodes, and play one migration
# against a database while other sessions hold locks or probe the table.
# Sourced after tests/cli/lib.sh (fail, pass, TMP), never run.
#
# The cluster lives in a temporary directory, listens on a Unix socket in
# that directory only (listen_addresses = ''), runs as an unprivileged user
# (root cannot run postgres: as root the system user mlint-pg is created if
# missing), and is stopped and removed by pg_stop, which the caller's EXIT
# trap runs. Every wait below is bounded: a statement can never hang the
# test (statement_timeout, lock_timeout, polling with a deadline).

PG_BIN=${MLINT_PG_BIN:-/usr/lib/postgresql/15/bin}
PSQL=${MLINT_PSQL:-$PG_BIN/psql}
[ -x "$PSQL" ] || PSQL=$(command -v psql || echo "$PG_BIN/psql")
PG_RUNAS=()
PG_DIR=""

# A proof that cannot run is a failure, never a skip.
pg_die() { printf 'FAIL (cannot run the PostgreSQL proofs): %s\n' "$*" >&2; exit 1; }

pg_need() {
  local b
  for b in initdb pg_ctl postgres; do
    [ -x "$PG_BIN/$b" ] || pg_die "$PG_BIN/$b missing (install postgresql-15: scripts/install-deps.sh)"
  done
  [ -x "$PSQL" ] || pg_die "psql missing (install postgresql-client-15)"
  "$PG_BIN/postgres" --version | grep -q ' 15\.' ||
    pg_die "$PG_BIN/postgres is not PostgreSQL 15: $("$PG_BIN/postgres" --version)"
}

# The unprivileged user that owns the cluster, as a runuser prefix.
pg_choose_user() {
  if [ "$(id -u)" -ne 0 ]; then PG_RUNAS=(); return 0; fi
  if ! id -u mlint-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin mlint-pg 2>/dev/null ||
      id -u mlint-pg >/dev/null 2>&1 || pg_die "cannot create the system user mlint-pg"
  fi
  PG_RUNAS=(runuser -u mlint-pg --)
}

# pg_start: initdb, start, wait until it accepts connections. Sets PG_DIR,
# PG_SOCK (the socket directory) and PGHOST/PGUSER for every psql below.
pg_start() {
  pg_need
  pg_choose_user
  # Under /tmp, not $TMPDIR: the server's user must reach it, and a short
  # path keeps the socket's name under the 107-byte limit.
  PG_DIR=$(mktemp -d /tmp/mlint-pg.XXXXXX) || pg_die "mktemp"
  mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
  if [ ${#PG_RUNAS[@]} -gt 0 ]; then
    chmod 755 "$PG_DIR"
    chown mlint-pg "$PG_DIR/data" "$PG_DIR/sock"
  fi
  "${PG_RUNAS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust \
    --no-sync -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; pg_die "initdb failed"; }
  # Speed over durability (a throwaway cluster), and nothing that takes
  # locks or rewrites files behind the proofs' back (autovacuum off).
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$PG_DIR/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 2GB
autovacuum = off
shared_buffers = 64MB
max_connections = 20
log_min_messages = warning
EOF
  "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/data/server.log" \
    -w -t 60 start >/dev/null 2>&1 ||
    { cat "$PG_DIR/data/server.log" >&2; pg_die "pg_ctl start failed"; }
  export PGHOST="$PG_DIR/sock" PGUSER=postgres PGDATABASE=postgres
  unset PGPASSWORD PGSERVICE PGOPTIONS PGAPPNAME PGPORT
  pgq postgres 'SELECT 1' >/dev/null || pg_die "the new cluster does not answer"
}

pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}

# pgq DB SQL: one query, unaligned tuples only, stops on the first error,
# never waits long for a lock.
pgq() {
  PGOPTIONS="-c lock_timeout=10s -c statement_timeout=120s" \
    "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# relfilenode DB REL: the file that holds REL's rows (changes on a rewrite).
relfilenode() { pgq "$1" "SELECT relfilenode FROM pg_class WHERE oid = '$2'::regclass"; }

# wait_until SECONDS CMD...: run CMD every 50 ms while it returns 1; 0 when
# it succeeds, 1 when the deadline passes, CMD's status when it is above 1
# (the thing waited for cannot happen any more).
wait_until() {
  local deadline=$(($(date +%s%N) / 1000000 + $1 * 1000)) rc; shift
  while :; do
    rc=0; "$@" || rc=$?
    [ "$rc" -eq 1 ] || return "$rc"
    [ $(($(date +%s%N) / 1000000)) -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# Is that session waiting for a heavyweight lock?
app_waits_for_lock() {
  [ "$(pgq "$1" "SELECT wait_event_type FROM pg_stat_activity
                   WHERE application_name = '$2'")" = Lock ]
}
# Is that session sleeping in pg_sleep (its lock taken)?
app_sleeps() {
  [ "$(pgq "$1" "SELECT wait_event FROM pg_stat_activity
                   WHERE application_name = '$2'")" = PgSleep ]
}

# locks_of DB APPNAME: the locks the session holds or waits for, one a line,
# "<relation or locktype> <mode> <granted|waiting>", sorted. Relations are
# named as in pg_class; other lock types (virtualxid, transactionid) by type;
# a session's own virtualxid/transactionid locks are left out.
locks_of() {
  pgq "$1" "SELECT coalesce(c.relname, l.locktype) || ' ' || l.mode || ' '
                   || CASE WHEN l.granted THEN 'granted' ELSE 'waiting' END
              FROM pg_locks l
              JOIN pg_stat_activity a ON a.pid = l.pid
         LEFT JOIN pg_class c ON c.oid = l.relation
             WHERE a.application_name = '$2'
               AND NOT (l.locktype IN ('virtualxid', 'transactionid') AND l.granted)
               AND (c.oid IS NULL OR c.relnamespace <> 'pg_catalog'::regnamespace)
             ORDER BY 1"
}

# hold_start DB SQL: session mlint_hold runs SQL in an open transaction and
# keeps it open (pg_sleep) until hold_release. Fails when SQL cannot take
# its locks within 10 seconds.
hold_start() {
  PGAPPNAME=mlint_hold PGOPTIONS="-c lock_timeout=10s" \
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$1" \
    -c "BEGIN; $2; SELECT pg_sleep(90);" >"$TMP/hold.out" 2>"$TMP/hold.err" &
  HOLD_PID=$!
  wait_until 12 hold_taken "$1" || {
    cat "$TMP/hold.err" >&2; hold_release "$1"; return 1; }
}
# 0 once the hold sleeps (its locks taken), 2 if its client ended first.
hold_taken() {
  app_sleeps "$1" mlint_hold && return 0
  not_running "$HOLD_PID" && return 2
  return 1
}
# hold_release DB: end the holding transaction (cancel its sleep: it rolls
# back) and reap the client.
hold_release() {
  [ -n "${HOLD_PID:-}" ] || return 0
  pgq "$1" "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
             WHERE application_name = 'mlint_hold'" >/dev/null || true
  wait_until 10 not_running "$HOLD_PID" || kill "$HOLD_PID" 2>/dev/null
  wait "$HOLD_PID" 2>/dev/null || true
  HOLD_PID=""
}
not_running() { ! kill -0 "$1" 2>/dev/null; }

# probe DB SQL: a third session runs SQL with lock_timeout 500ms. Prints "ok",
# "blocked" (lock timeout), or "error: <message>".
probe() {
  local err
  if err=$(PGAPPNAME=mlint_probe PGOPTIONS="-c lock_timeout=500ms -c statement_timeout=20s" \
      "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1 >/dev/null); then
    echo ok
  elif printf '%s' "$err" | grep -q 'lock timeout'; then
    echo blocked
  else
    printf 'error: %s\n' "$(printf '%s' "$err" | head -n 1)"
  fi
}

# --- the Alembic project ----------------------------------------------------
PG_PY=/usr/bin/python3
# proofs_project PROJ REVS CASE...: `alembic init` in PROJ (URL postgresql),
# then the cases as a line of migrations (tests/pg/make_project.py).
proofs_project() {
  local proj=$1 revs=$2; shift 2
  mkdir -p "$proj"
  (cd "$proj" && $PG_PY -m alembic init alembic >/dev/null) || return 1
  sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql://app@localhost/app|' "$proj/alembic.ini"
  grep -q '^sqlalchemy.url = postgresql:' "$proj/alembic.ini" || return 1
  $PG_PY "$(dirname "${BASH_SOURCE[0]}")/make_project.py" "$revs" "$proj" "$@" >/dev/null
}
# proofs_render PROJ REVS OUTDIR: OUTDIR/<case>.sql = what
# `alembic upgrade prev:rev --sql` prints for each case (tests/pg/render.py).
proofs_render() {
  local proj=$1 revs=$2 out name
  out=$(cd "$3" && pwd) || return 1
  $PG_PY "$(dirname "${BASH_SOURCE[0]}")/render.py" "$proj" "$revs" "$out" 2>"$out/render.log" ||
    { tail -n 20 "$out/render.log" >&2; return 1; }
  while read -r name _; do
    grep -q '^COMMIT;' "$out/$name.sql" || { echo "no SQL for $name" >&2; return 1; }
  done <"$revs"
}

# --- the migration session --------------------------------------------------
# mig_start DB OUTDIR: session mlint_mig (psql reading a FIFO, stops at the
# first error, DEBUG1 messages on: "rewriting table", "verifying table")
# ready for mig_feed. Its stdout/stderr go to OUTDIR/mig.{out,err}.
mig_start() {
  MIG_DIR=$2 MIG_SYNC=0
  mkfifo "$MIG_DIR/mig.in"
  PGAPPNAME=mlint_mig \
    PGOPTIONS="-c lock_timeout=30s -c statement_timeout=60s -c client_min_messages=debug1" \
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$1" \
    <"$MIG_DIR/mig.in" >"$MIG_DIR/mig.out" 2>"$MIG_DIR/mig.err" &
  MIG_PID=$!
  exec {MIG_FD}>"$MIG_DIR/mig.in"
}
# mig_feed FILE: send SQL to the session (cat: a closed pipe does not kill
# the shell, whose SIGPIPE the driver ignores).
mig_feed() { cat "$1" >&"$MIG_FD" 2>/dev/null || true; }
# mig_sync: 0 once the session has run everything fed so far (a \! marker
# after it ran); 1 if the session ended first or after 60 seconds.
mig_sync() {
  MIG_SYNC=$((MIG_SYNC + 1))
  printf '\\! touch %s/sync.%d\n' "$MIG_DIR" "$MIG_SYNC" >"$MIG_DIR/sync.sql"
  mig_feed "$MIG_DIR/sync.sql"
  wait_until 60 mig_synced
}
mig_synced() { [ -e "$MIG_DIR/sync.$MIG_SYNC" ] || { not_running "$MIG_PID" && return 2; }; }
# mig_finish: close the input, wait (at most 90 s) for the end; sets MIG_RC.
mig_finish() {
  exec {MIG_FD}>&-
  wait_until 90 not_running "$MIG_PID" || kill "$MIG_PID" 2>/dev/null
  MIG_RC=0; wait "$MIG_PID" 2>/dev/null || MIG_RC=$?
}
