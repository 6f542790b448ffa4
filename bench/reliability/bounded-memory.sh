#!/usr/bin/env bash
# Bounded memory at scale: a 10,000,000-row PostgreSQL -> PostgreSQL backfill and a full
# reconcile of the result, each in a JVM with -Xmx1g, reporting wall time, peak RSS and heap.
#
#   bash bench/reliability/bounded-memory.sh             # 10,000,000 rows
#   ROWS=1000000 bash bench/reliability/bounded-memory.sh
#   KEEP=1 bash bench/reliability/bounded-memory.sh      # leave the server running afterwards
#   BACKFILL_HEAPS="1g 512m" bash bench/reliability/bounded-memory.sh   # one backfill per heap
#   RECONCILE_MODES=fast bash bench/reliability/bounded-memory.sh   # "full fast" by default; "" none
#
# It starts its own PostgreSQL (the Debian server binaries bench/run.sh installs) on port
# $PORT (default 56432, so it never meets bench/run.sh's 55432) with data under
# bench/reliability/work/, generates the `records` table of bench/run.sh, and runs
# ferry-direct.jar (built with `mvn -q package -DskipTests` when missing). Results go to the
# console and to bench/reliability/results.md. A benchmark, not a test: it takes minutes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ROWS=${ROWS:-10000000}
HEAP=${JAVA_HEAP:-1g}
PORT=${PORT:-56432}
KEEP=${KEEP:-0}
WORK=${WORK:-$HERE/work}
JAR=${FERRY_DIRECT_JAR:-$REPO/runners/direct/target/ferry-direct.jar}
FERRY_ARGS=${FERRY_ARGS:-}
PGDATA_DIR=$WORK/pg
PG_SOCK=$WORK/pgsock
LOGS=$WORK/logs
RESULTS=${RESULTS:-$HERE/results.md}

FERRY_PASSWORD=${FERRY_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
export FERRY_SOURCE_PASSWORD=$FERRY_PASSWORD FERRY_TARGET_PASSWORD=$FERRY_PASSWORD
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=ferry PGPASSWORD=$FERRY_PASSWORD PGCONNECT_TIMEOUT=10
export PGOPTIONS='-c client_min_messages=warning'

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PORT" -U postgres -d "$1" "${@:2}"; }
pg_value() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

PG_BIN=
for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
  if [[ -x $d/initdb && -x $d/pg_ctl ]]; then PG_BIN=$d; break; fi
done
[[ -n $PG_BIN ]] || die "no PostgreSQL server under /usr/lib/postgresql (bash bench/run.sh installs it)"
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is missing (apt-get install time)"
command -v java >/dev/null || die "no java on PATH"
if ss -ltn 2>/dev/null | grep -q "127.0.0.1:$PORT "; then
  die "port $PORT is in use: another run is active? (PORT=... to choose another)"
fi

stop_server() {
  if [[ -f $PGDATA_DIR/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
}
on_exit() {
  local rc=$?
  if [[ $KEEP == 1 ]]; then log "KEEP=1: PostgreSQL left running on port $PORT ($PGDATA_DIR)"
  else stop_server; fi
  exit "$rc"
}

if [[ ! -f $JAR ]]; then
  log "building ferry-direct.jar (mvn -q package -DskipTests)"
  (cd "$REPO" && mvn -B -q -DskipTests package -pl runners/direct -am) >/dev/null ||
    die "mvn package failed"
fi

rm -rf "$PGDATA_DIR" "$PG_SOCK" "$LOGS"
mkdir -p "$PGDATA_DIR" "$PG_SOCK" "$LOGS"
chmod 700 "$PGDATA_DIR" "$PG_SOCK"
: >"$LOGS/postgres.log"
if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$PGDATA_DIR" "$PG_SOCK" "$LOGS/postgres.log"; fi
trap on_exit EXIT
trap 'exit 130' INT TERM

PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
log "PostgreSQL $PG_VERSION on port $PORT, data in ${PGDATA_DIR#"$REPO"/}"
as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres -E UTF8 --locale=C.UTF-8 \
  --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 || die "initdb failed"
# The settings of bench/run.sh: a modest dedicated server with durability on.
as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
fsync = on
synchronous_commit = on
logging_collector = off
CONF
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$LOGS/postgres.log" -w -t 120 start >/dev/null ||
  die "PostgreSQL did not start, see $LOGS/postgres.log"
pg_admin postgres <<SQL
CREATE ROLE ferry LOGIN PASSWORD '$FERRY_PASSWORD';
CREATE DATABASE src OWNER ferry;
CREATE DATABASE dst OWNER ferry;
SQL

# The table and data of bench/run.sh: unicode names, 10% NULL notes, 1% notes of 1-6 KB, JSON.
PG_DDL='CREATE TABLE records (id bigint PRIMARY KEY, email varchar(255), name varchar(200),
  qty int, price numeric(12,2), active boolean, created_at timestamp, note text, payload jsonb);'
log "generating $ROWS rows in src.records"
gen_start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -d src <<SQL
$PG_DDL
INSERT INTO records
SELECT g,
  'user' || g || '@' || (ARRAY['example.com','mail.example.org','beispiel.de','exemple.fr','例え.jp'])[1 + g % 5],
  (ARRAY['José','Zoë','Łukasz','Søren','Nguyễn','Chloé','Dmitrí','Ana María','Björk','Oğuz','李','Θεόδωρος'])[1 + g % 12]
    || ' ' || (ARRAY['Müller','O''Brien','García','Østergaard','Новиков','Smith','田中','Dvořák','Nuñez','Kowalski'])[1 + (g / 12) % 10],
  (g * 7919) % 1000 - 100,
  ((g * 104729) % 10000000) / 100.0,
  g % 3 <> 0,
  timestamp '2020-01-01 00:00:00' + g * interval '37 seconds',
  CASE WHEN g % 10 = 0 THEN NULL
       WHEN g % 100 = 1 THEN repeat('Lorem ipsum dolor sit amet, «quoted» — ünïcödé text. ', (20 + (g / 100) % 100)::int)
       ELSE 'note ' || g || ': ' || md5(g::text) END,
  ('{"id": ' || g || ', "score": ' || g % 100 || ', "tags": ["'
    || (ARRAY['red','green','blue','ünïcödé'])[1 + g % 4] || '", "t' || g % 7 || '"], "nested": {"k": "'
    || md5(g::text) || '", "ok": ' || CASE WHEN g % 2 = 0 THEN 'true' ELSE 'false' END || '}}')::jsonb
FROM generate_series(1::bigint, $ROWS) AS g;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d dst -c "$PG_DDL"
pg_admin src -c 'VACUUM (FREEZE, ANALYZE) records'
log "generated in $(( $(date +%s) - gen_start )) s; source is $(pg_value src \
  "SELECT pg_size_pretty(pg_total_relation_size('records'))")"

mkdir -p "$WORK/specs"
cat >"$WORK/specs/backfill.yaml" <<YAML
job: bounded-memory
source:
  url: jdbc:postgresql://127.0.0.1:$PORT/src
  user: ferry
  password: \${env:FERRY_SOURCE_PASSWORD}
  table: records
  key: [id]
target:
  url: jdbc:postgresql://127.0.0.1:$PORT/dst
  user: ferry
  password: \${env:FERRY_TARGET_PASSWORD}
  table: records
partitions: 16
batchSize: 2000
YAML
sed 's/^job: bounded-memory$/job: bounded-memory-check/' "$WORK/specs/backfill.yaml" \
  >"$WORK/specs/reconcile.yaml"

fingerprint() {  # DB: an order-independent summary of records (see bench/README.md)
  psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -d "$1" -c "SELECT count(*), sum(qty), sum(price),
    count(*) FILTER (WHERE active), count(note), sum(char_length(note)), sum(char_length(name)),
    sum(char_length(email)), sum((payload->>'score')::int), min(created_at), max(created_at)
    FROM records"
}

# heap LOG: "B A F": the highest heap occupancy before any collection, the highest after a
# full collection (what was really live; or after any collection when there was no full one),
# and the number of full collections (MiB).
heap() {
  awk '
    match($0, /[0-9]+M->[0-9]+M/) {
      split(substr($0, RSTART, RLENGTH), v, /M->|M/)
      if (v[1] + 0 > b) b = v[1] + 0
      if (v[2] + 0 > any) any = v[2] + 0
      if ($0 ~ /Pause Full/) { full++; if (v[2] + 0 > af) af = v[2] + 0 }
    }
    END { printf "%d %d %d\n", b, (full ? af : any), full }' "$1"
}

declare -A SECS RSS BEFORE AFTER FULL STATUS XMX
run() {  # ID COMMAND...: timed, with GC log; sets the arrays above
  local id=$1 rc=0; shift
  log "step $id (-Xmx$HEAP): $*"
  /usr/bin/time -f '%e %M' -o "$LOGS/$id.time" \
    java -Xmx"$HEAP" -Xlog:gc:file="$LOGS/$id.gc" -jar "$JAR" "$@" $FERRY_ARGS \
    >"$LOGS/$id.log" 2>&1 || rc=$?
  read -r SECS[$id] RSS[$id] < <(tail -n 1 "$LOGS/$id.time")
  read -r BEFORE[$id] AFTER[$id] FULL[$id] < <(heap "$LOGS/$id.gc")
  STATUS[$id]="exit $rc"
  XMX[$id]=$HEAP
  log "  $id: exit $rc, ${SECS[$id]} s, peak RSS $((RSS[$id] / 1024)) MiB, heap: peak" \
      "${BEFORE[$id]} MiB, live ${AFTER[$id]} MiB, ${FULL[$id]} full collections"
}

# One backfill per heap size in BACKFILL_HEAPS (default: JAVA_HEAP), each into an emptied target.
STEP_IDS=()
SRC_FP=$(fingerprint src)
for h in ${BACKFILL_HEAPS:-$HEAP}; do
  id=backfill_$h
  psql -X -q -v ON_ERROR_STOP=1 -d dst -c 'TRUNCATE records' \
    -c 'DROP TABLE IF EXISTS ferry_progress, ferry_dead_letter, ferry_runs'
  pg_admin postgres -c CHECKPOINT
  HEAP=$h run "$id" backfill --spec="$WORK/specs/backfill.yaml" --summaryFile="$WORK/summary-$h.json"
  STEP_IDS+=("$id")
  DST_FP=$(fingerprint dst)
  if [[ $SRC_FP == "$DST_FP" ]]; then STATUS[$id]+=", target = source"
  else STATUS[$id]+=", TARGET DIFFERS: $DST_FP vs $SRC_FP"; fi
done
# Reconcile twice: comparing every row in the pipeline, and with the fast path (per-range
# checksums computed in SQL, rows compared only where they differ).
for mode in ${RECONCILE_MODES-full fast}; do
  pg_admin postgres -c CHECKPOINT
  run "reconcile_$mode" reconcile --spec="$WORK/specs/reconcile.yaml" \
    --report="$WORK/reconcile-$mode.json" --fastPath=$([[ $mode == fast ]] && echo true || echo false)
  STEP_IDS+=("reconcile_$mode")
  if [[ -f $WORK/reconcile-$mode.json ]]; then
    STATUS[reconcile_$mode]+=", $(grep -oE '"(differences|error)" *: *("[^"]*"|[0-9]+)' \
      "$WORK/reconcile-$mode.json" | head -n 1 || echo 'no report')"
  fi
done

{
  printf '# Bounded memory at scale — %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- rows: %s (`records`, 9 columns, the table of bench/run.sh); source %s\n' "$ROWS" \
    "$(pg_value src "SELECT pg_size_pretty(pg_total_relation_size('records'))")"
  printf -- '- machine: %s cores, %s GiB RAM; PostgreSQL %s; %s\n' "$(nproc)" \
    "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" "$PG_VERSION" \
    "$(java -version 2>&1 | head -n 1)"
  printf -- '- ferry: commit %s (%s), `java -Xmx<heap> -jar ferry-direct.jar` (reconcile: -Xmx%s), spec partitions 16, batchSize 2000\n' \
    "${FERRY_COMMIT:-$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)}" \
    "$(date -r "$JAR" '+jar built %Y-%m-%d %H:%M')" "$HEAP"
  printf -- '- peak RSS: GNU time %%M of the JVM; heap (from -Xlog:gc): peak = highest occupancy before a collection; live = highest after a full collection (after any collection when there was no full one)\n\n'
  printf '| step | heap | seconds | rows/s | peak RSS MiB | heap peak MiB | heap live MiB | full GCs | result |\n'
  printf '|---|---|---:|---:|---:|---:|---:|---:|---|\n'
  for id in "${STEP_IDS[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$id" "${XMX[$id]}" "${SECS[$id]}" \
      "$(awk -v r="$ROWS" -v s="${SECS[$id]}" 'BEGIN { if (s > 0) printf "%.0f", r / s }')" \
      "$((RSS[$id] / 1024))" "${BEFORE[$id]}" "${AFTER[$id]}" "${FULL[$id]}" "${STATUS[$id]}"
  done
  printf '\nLogs: `bench/reliability/work/logs/` (step logs, GC logs, GNU time output).\n'
} | tee "$RESULTS"
