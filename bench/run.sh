#!/usr/bin/env bash
# ferry benchmark harness: see bench/README.md.
#
#   bash bench/run.sh                 # 1,000,000 rows, every measurement
#   ROWS=100000 bash bench/run.sh     # smaller table
#   KEEP=1 bash bench/run.sh          # leave both servers running afterwards
#
# Starts its own PostgreSQL (127.0.0.1:55432) and MariaDB (127.0.0.1:53306)
# with data under bench/work/, generates the `records` table inside both,
# times the baselines (psql COPY pipe, pgloader, in-database anchors) and the
# ferry commands, and prints a table that is also written to
# bench/results/latest.md. A ferry step whose jar is missing or whose command
# fails is reported as "SKIPPED: <reason>"; a load that leaves the wrong rows
# in its target is reported as FAIL.
set -euo pipefail

# ---------------------------------------------------------------- settings --
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK=$BENCH_DIR/work
LOGS=$WORK/logs
RESULTS_DIR=$BENCH_DIR/results

ROWS=${ROWS:-1000000}
KEEP=${KEEP:-0}
BUILD=${BUILD:-auto}          # auto: build the jars when missing; always; 0: never
STEPS=${STEPS:-}              # optional subset of step ids, space separated
FERRY_ARGS=${FERRY_ARGS:-}    # extra flags appended to every ferry command
JAVA_HEAP=${JAVA_HEAP:-1g}
CHANGE_EVERY=${CHANGE_EVERY:-10000}     # dst2 differs from src in 1 row of CHANGE_EVERY
RECONCILE_OK_EXIT=${RECONCILE_OK_EXIT:-"0 4"}  # exit codes of `ferry reconcile` that mean it ran (4: differences found, as planted)
PGLOADER_HEAP_MB=${PGLOADER_HEAP_MB:-4096} # SBCL heap for pgloader (its default of 1 GiB is too small)

# The ports are fixed because bench/specs/*.yaml name them; the whole-database steps (hr,
# tables200) pass them as flags, so only they may run on others (BENCH_PG_PORT, BENCH_MY_PORT),
# beside another benchmark.
readonly PG_PORT=${BENCH_PG_PORT:-55432} MY_PORT=${BENCH_MY_PORT:-53306} HOST=127.0.0.1
if [[ $PG_PORT != 55432 || $MY_PORT != 53306 ]]; then
  for s in ${STEPS:-all}; do
    [[ $s == hr || $s == tables200 || $s == none ]] \
      || { echo "step $s reads bench/specs/*.yaml, which name ports 55432 and 53306" >&2; exit 2; }
  done
fi

PGDATA_DIR=$WORK/pg
PG_SOCK=$WORK/pgsock
MY_DATA=$WORK/mariadb
MY_SOCK=$WORK/mariadb.sock
MY_PID=$WORK/mariadb.pid

DIRECT_JAR=${FERRY_DIRECT_JAR:-$REPO_DIR/runners/direct/target/ferry-direct.jar}
FLINK_JAR=${FERRY_FLINK_JAR:-$REPO_DIR/runners/flink/target/ferry-flink.jar}

# Clients connect as `ferry` over TCP; the password travels in environment
# variables only (never on a command line, never in a spec file).
FERRY_PASSWORD=${FERRY_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
export FERRY_SOURCE_PASSWORD=$FERRY_PASSWORD FERRY_TARGET_PASSWORD=$FERRY_PASSWORD
export PGHOST=$HOST PGPORT=$PG_PORT PGUSER=ferry PGPASSWORD=$FERRY_PASSWORD PGCONNECT_TIMEOUT=10
export MYSQL_PWD=$FERRY_PASSWORD   # read by pgloader for its mysql:// source
export PGOPTIONS='-c client_min_messages=warning'

# ----------------------------------------------------------------- helpers --
log()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }
want() { [[ -z $STEPS || " $STEPS " == *" $1 "* ]]; }

# Run a command as the PostgreSQL OS user (initdb refuses to run as root).
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# psql as the superuser over the private unix socket (trust), or as ferry over TCP.
pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d "$1" "${@:2}"; }
pg_ferry() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" "${@:2}"; }
pg_value() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

my_admin() {
  mariadb --no-defaults --protocol=socket -S "$MY_SOCK" -u "$(id -un)" \
    --default-character-set=utf8mb4 "$@"
}
my_value() { my_admin -N -B -e "$2" "$1"; }

# run_timed ID CMD...: runs CMD with output in $LOGS/ID.log and sets
# T_RC (exit code), T_SECS (wall seconds) and T_RSS (peak RSS KiB of the
# largest process in the command's tree, from GNU time).
run_timed() {
  local id=$1; shift
  local tf=$LOGS/$id.time
  T_RC=0
  /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$LOGS/$id.log" 2>&1 || T_RC=$?
  # GNU time puts "Command exited with non-zero status N" above the format line.
  read -r T_SECS T_RSS < <(tail -n 1 "$tf")
  log "  $id: exit $T_RC, ${T_SECS}s, peak RSS ${T_RSS} KiB"
}

# The telling line of a failed step's log, shortened, for a SKIPPED/FAIL reason:
# the first error-looking line, else the last non-empty one.
log_tail() {
  local line
  line=$(grep -m 1 -i -E 'exception|error|fatal|heap exhausted|unknown|unmatched|missing required|invalid' \
    "$1" 2>/dev/null || true)
  [[ -n $line ]] || line=$(grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1 || true)
  line=${line//|/\/}
  printf '%s' "${line:0:160}"
}

# --------------------------------------------------------------- results --
ORDER=()
declare -A LABEL=() BASE=() SECS=() RSS=() ROWS_IN=() STATUS=() NOTE=()

# record ID LABEL BASELINE_ID STATUS [ROWS_TEXT] [NOTE]  (times from run_timed)
record() {
  local id=$1
  ORDER+=("$id")
  LABEL[$id]=$2; BASE[$id]=$3; STATUS[$id]=$4; ROWS_IN[$id]=${5:-}; NOTE[$id]=${6:-}
  if [[ $4 == OK || $4 == FAIL* ]]; then
    SECS[$id]=$T_SECS; RSS[$id]=$T_RSS
  else
    SECS[$id]=; RSS[$id]=
  fi
  log "  => ${LABEL[$id]}: $4${6:+ ($6)}"
}

record_skip() {  # ID LABEL BASELINE_ID REASON
  record "$1" "$2" "$3" "SKIPPED: $4"
}

ratio() {  # ratio of ID's time to its baseline's, when both succeeded
  local id=$1 b=${BASE[$1]}
  if [[ -n $b && ${STATUS[$id]} == OK && ${STATUS[$b]:-} == OK ]]; then
    awk -v a="${SECS[$id]}" -v b="${SECS[$b]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
  fi
}

results_table() {
  printf '| measurement | seconds | peak RSS MiB | ratio | baseline | rows in target | status |\n'
  printf '|---|---:|---:|---:|---|---|---|\n'
  local id mib base
  for id in "${ORDER[@]}"; do
    mib=
    [[ -n ${RSS[$id]} ]] && mib=$(awk -v k="${RSS[$id]}" 'BEGIN { printf "%.0f", k / 1024 }')
    base=${BASE[$id]}
    [[ -n $base ]] && base=${LABEL[$base]:-$base}
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$id]}" "${SECS[$id]}" "$mib" \
      "$(ratio "$id")" "$base" "${ROWS_IN[$id]}" "${STATUS[$id]}${NOTE[$id]:+ — ${NOTE[$id]}}"
  done
}

write_results() {
  mkdir -p "$RESULTS_DIR"
  local out=$RESULTS_DIR/latest.md commit
  commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if ! git -C "$REPO_DIR" diff --quiet HEAD -- 2>/dev/null; then commit="$commit (+ local changes)"; fi
  {
    printf '# ferry benchmark — %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    if want_records; then printf -- '- rows: %s (table \140records\140, 9 columns)\n' "$ROWS"; fi
    printf -- '- machine: %s cores, %s GiB RAM, %s\n' "$(nproc)" \
      "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" "$(uname -sr)"
    printf -- '- PostgreSQL %s, MariaDB %s, %s, %s\n' "$PG_VERSION" "$MY_VERSION" \
      "$(first_line pgloader --version)" "$(first_line java -version)"
    printf -- '- ferry commit: %s; direct jar: %s; flink jar: %s\n' "$commit" \
      "$(jar_info "$DIRECT_JAR")" "$(jar_info "$FLINK_JAR")"
    printf -- '- wall time from GNU time %%e; peak RSS = largest single process (%%M), e.g. the JVM\n'
    printf -- '- ratio = seconds / seconds of the baseline named beside it\n\n'
    results_table
    if ((${#EXTRA_NOTES[@]})); then
      printf '\n'
      printf -- '- %s\n' "${EXTRA_NOTES[@]}"
    fi
    printf '\nLogs of every step: \140bench/work/logs/\140.\n'
  } >"$out"
  printf '\n'
  results_table
  log "results written to ${out#"$REPO_DIR"/}"
}
EXTRA_NOTES=()

first_line() {  # first line of a command's output, or "CMD: none"
  local out
  out=$("$@" 2>&1) || out="$1: none"
  printf '%s' "${out%%$'\n'*}"
}

jar_info() {
  if [[ -f $1 ]]; then date -r "$1" '+built %Y-%m-%d %H:%M'; else echo missing; fi
}

# ------------------------------------------------------------ prerequisites --
PG_BIN=
find_pg_bin() {
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then PG_BIN=$d; return 0; fi
  done
  return 1
}

install_prereqs() {
  local missing=() pkgs=() p
  find_pg_bin || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql)
  command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null || missing+=(mariadb-server)
  command -v pgloader >/dev/null || missing+=(pgloader)
  [[ -x /usr/bin/time ]] || missing+=(time)
  if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] || die "missing packages: ${missing[*]} (run as root, or apt-get install them)"
    log "installing: ${missing[*]}"
    apt-get update -qq >"$LOGS/apt.log" 2>&1
    for p in $(printf '%s\n' "${missing[@]}" | sort -u); do
      # Captured first: under pipefail, grep -q exiting at its first match kills apt-cache with
      # SIGPIPE (141), and the package would be reported missing.
      local policy
      policy=$(apt-cache policy "$p" 2>/dev/null || true)
      if [[ $policy == *"Candidate: "[0-9]* ]]; then
        pkgs+=("$p")
      else
        log "WARNING: no Debian package '$p' here; steps that need it are skipped"
      fi
    done
    if ((${#pkgs[@]})); then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >>"$LOGS/apt.log" 2>&1 ||
        die "apt-get install failed, see ${LOGS#"$REPO_DIR"/}/apt.log"
    fi
  fi
  find_pg_bin || die "no PostgreSQL server binaries under /usr/lib/postgresql"
  command -v mariadbd >/dev/null || die "mariadbd not found"
  [[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found"
  command -v java >/dev/null || log "WARNING: no java on PATH; ferry steps will be skipped"
}

# Build the ferry jars when missing (BUILD=auto), always (BUILD=always) or never (BUILD=0).
BUILD_NOTE=
build_jars() {
  case $BUILD in
    0|no|false) return 0 ;;
    always) ;;
    *) if [[ -f $DIRECT_JAR && ( -f $FLINK_JAR || ! -d $REPO_DIR/runners/flink ) ]]; then return 0; fi ;;
  esac
  if ! command -v mvn >/dev/null; then BUILD_NOTE="mvn not found"; return 0; fi
  log "building ferry: mvn -B -q -DskipTests package (log: bench/work/logs/build.log)"
  if ! (cd "$REPO_DIR" && mvn -B -q -DskipTests package) >"$LOGS/build.log" 2>&1; then
    BUILD_NOTE="mvn package failed: $(log_tail "$LOGS/build.log")"
    log "WARNING: $BUILD_NOTE"
  fi
}

# Reason a ferry jar can't run, or empty when it can.
jar_missing_reason() {
  if ! command -v java >/dev/null; then echo "no java on PATH"; return; fi
  if [[ ! -f $1 ]]; then
    echo "${1#"$REPO_DIR"/} not built yet${BUILD_NOTE:+ ($BUILD_NOTE)}"
  fi
}

# ------------------------------------------------------------------ servers --
stop_servers() {
  if [[ -f $PGDATA_DIR/postmaster.pid ]]; then
    log "stopping PostgreSQL"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  if [[ -f $MY_PID ]]; then
    local pid i
    pid=$(cat "$MY_PID" 2>/dev/null || true)
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      log "stopping MariaDB"
      kill -TERM "$pid" 2>/dev/null || true
      for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$MY_PID"
  fi
}

on_exit() {
  local rc=$?
  if [[ $KEEP == 1 ]]; then
    log "KEEP=1: servers left running. PostgreSQL: psql -h $PG_SOCK -p $PG_PORT -U postgres src;" \
        "MariaDB: mariadb -S $MY_SOCK -u $(id -un) src; ferry's password: $WORK/ferry.password;" \
        "stop with: KEEP=0 STEPS=none bash bench/run.sh (or pg_ctl -D $PGDATA_DIR stop; kill \$(cat $MY_PID))"
  else
    stop_servers
  fi
  exit "$rc"
}

start_postgres() {
  PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
  log "PostgreSQL $PG_VERSION: initdb in ${PGDATA_DIR#"$REPO_DIR"/}"
  mkdir -p "$PGDATA_DIR" "$PG_SOCK"
  chmod 700 "$PGDATA_DIR" "$PG_SOCK"
  : >"$LOGS/postgres.log"
  if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$PGDATA_DIR" "$PG_SOCK" "$LOGS/postgres.log"; fi
  if ! as_pg test -w "$PGDATA_DIR" -a -w "$LOGS/postgres.log"; then
    die "the postgres OS user cannot write $PGDATA_DIR: make the checkout's parent directories" \
        "searchable by it (chmod o+x), or run from a checkout outside /root"
  fi
  as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 ||
    die "initdb failed, see bench/work/logs/initdb.log"
  # Settings of a modest dedicated server; durability stays on (fsync, full_page_writes,
  # synchronous_commit) because the benchmark measures realistic behaviour.
  as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<EOF

# --- ferry bench ---
listen_addresses = '$HOST'
port = $PG_PORT
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
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$LOGS/postgres.log" -w -t 120 start >/dev/null ||
    die "PostgreSQL did not start, see bench/work/logs/postgres.log"
  pg_admin postgres <<SQL
CREATE ROLE ferry LOGIN PASSWORD '$FERRY_PASSWORD';
CREATE DATABASE src OWNER ferry;
CREATE DATABASE dst OWNER ferry;
CREATE DATABASE dst2 OWNER ferry;
SQL
}

start_mariadb() {
  local os_user i
  os_user=$(id -un)
  MY_VERSION=$(mariadbd --version | grep -o 'Ver [0-9.]*' | cut -d' ' -f2)
  log "MariaDB $MY_VERSION: mariadb-install-db in ${MY_DATA#"$REPO_DIR"/}"
  mkdir -p "$MY_DATA" "$WORK/mariadb-tmp"
  mariadb-install-db --no-defaults --datadir="$MY_DATA" --user="$os_user" \
    --auth-root-authentication-method=socket --skip-test-db >"$LOGS/mariadb-install.log" 2>&1 ||
    die "mariadb-install-db failed, see bench/work/logs/mariadb-install.log"
  # setsid: a Ctrl-C in the terminal reaches the script (whose EXIT trap stops the
  # server) but not the server itself, and KEEP=1 leaves it running cleanly.
  setsid mariadbd --no-defaults --datadir="$MY_DATA" --user="$os_user" \
    --port="$MY_PORT" --bind-address="$HOST" --socket="$MY_SOCK" --pid-file="$MY_PID" \
    --log-error="$LOGS/mariadb.err" --skip-name-resolve --max-connections=200 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=1G --innodb-log-file-size=512M --max-allowed-packet=64M \
    --tmpdir="$WORK/mariadb-tmp" \
    </dev/null >/dev/null 2>&1 &
  for ((i = 0; i < 120; i++)); do
    mariadb-admin --no-defaults -S "$MY_SOCK" -u "$os_user" ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb-admin --no-defaults -S "$MY_SOCK" -u "$os_user" ping >/dev/null 2>&1 ||
    die "MariaDB did not start, see bench/work/logs/mariadb.err"
  my_admin <<SQL
CREATE DATABASE src CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'ferry'@'127.0.0.1' IDENTIFIED BY '$FERRY_PASSWORD';
CREATE USER 'ferry'@'localhost' IDENTIFIED BY '$FERRY_PASSWORD';
GRANT ALL PRIVILEGES ON src.* TO 'ferry'@'127.0.0.1';
GRANT ALL PRIVILEGES ON src.* TO 'ferry'@'localhost';
SQL
}

# ------------------------------------------------------------------- data --
# Both sources hold the same values, generated from the row number alone:
# unicode names, 10% NULL notes, 1% long notes (1-6 KB), JSON payloads.
PG_DDL='CREATE TABLE IF NOT EXISTS records (
  id bigint PRIMARY KEY,
  email varchar(255),
  name varchar(200),
  qty int,
  price numeric(12,2),
  active boolean,
  created_at timestamp,
  note text,
  payload jsonb
);'

generate_pg() {  # [DB [ROWS]]
  local db=${1:-src} rows=${2:-$ROWS}
  log "generating $rows rows in PostgreSQL $db.records"
  pg_ferry "$db" <<SQL
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
FROM generate_series(1::bigint, $rows) AS g;
SQL
  [[ $db != src ]] || pg_ferry dst -c "$PG_DDL"
  pg_admin "$db" -c 'VACUUM (FREEZE, ANALYZE) records'   # set hint bits now, not in the first timed read
}

generate_mariadb() {  # [DB [ROWS]]
  local rows_from db=${1:-src} rows=${2:-$ROWS}
  log "generating $rows rows in MariaDB $db.records"
  if my_value "$db" 'SELECT count(*) FROM seq_1_to_3' >/dev/null 2>&1; then
    rows_from="(SELECT CAST(seq AS SIGNED) AS g FROM seq_1_to_$rows) AS s"          # Sequence engine
  else
    rows_from="(WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < $rows) SELECT g FROM n) AS s"
  fi
  my_admin "$db" >/dev/null <<SQL
SET SESSION max_recursive_iterations = 4294967295;
CREATE TABLE records (
  id bigint PRIMARY KEY,
  email varchar(255),
  name varchar(200),
  qty int,
  price decimal(12,2),
  active tinyint(1),
  created_at datetime,
  note text,
  payload json
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO records
SELECT g,
  concat('user', g, '@', elt(1 + g % 5, 'example.com','mail.example.org','beispiel.de','exemple.fr','例え.jp')),
  concat(elt(1 + g % 12, 'José','Zoë','Łukasz','Søren','Nguyễn','Chloé','Dmitrí','Ana María','Björk','Oğuz','李','Θεόδωρος'),
    ' ', elt(1 + (g DIV 12) % 10, 'Müller','O''Brien','García','Østergaard','Новиков','Smith','田中','Dvořák','Nuñez','Kowalski')),
  (g * 7919) % 1000 - 100,
  ((g * 104729) % 10000000) / 100,
  g % 3 <> 0,
  TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (g * 37) SECOND,
  CASE WHEN g % 10 = 0 THEN NULL
       WHEN g % 100 = 1 THEN repeat('Lorem ipsum dolor sit amet, «quoted» — ünïcödé text. ', 20 + (g DIV 100) % 100)
       ELSE concat('note ', g, ': ', md5(g)) END,
  concat('{"id": ', g, ', "score": ', g % 100, ', "tags": ["',
    elt(1 + g % 4, 'red','green','blue','ünïcödé'), '", "t', g % 7, '"], "nested": {"k": "',
    md5(g), '", "ok": ', IF(g % 2 = 0, 'true', 'false'), '}}')
FROM $rows_from;
ANALYZE TABLE records;
SQL
}

# Order-independent fingerprint of a table's contents that both engines compute
# identically: counts, sums, character lengths, a JSON field, timestamp range.
pg_fingerprint() {  # DB TABLE
  psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -d "$1" -c "SELECT count(*), coalesce(sum(qty), 0),
    coalesce(sum(price), 0), count(*) FILTER (WHERE active), count(note),
    coalesce(sum(char_length(note)), 0), coalesce(sum(char_length(name)), 0),
    coalesce(sum(char_length(email)), 0), coalesce(sum((payload->>'score')::int), 0),
    min(created_at), max(created_at) FROM $2"
}
my_fingerprint() {
  my_value src "SELECT count(*), coalesce(sum(qty), 0), coalesce(sum(price), 0),
    coalesce(sum(active <> 0), 0), count(note), coalesce(sum(char_length(note)), 0),
    coalesce(sum(char_length(name)), 0), coalesce(sum(char_length(email)), 0),
    coalesce(sum(CAST(json_value(payload, '$.score') AS SIGNED)), 0),
    min(created_at), max(created_at) FROM records" | tr '\t' '|'
}

# verify ID LABEL BASELINE_ID DB TABLE EXPECTED_FINGERPRINT [NOTE]: after a timed load,
# record OK only when the target holds the expected rows with the expected contents.
verify() {
  local id=$1 label=$2 base=$3 db=$4 table=$5 want=$6 note=${7:-} got n
  got=$(pg_fingerprint "$db" "$table" 2>>"$LOGS/$id.log") || got="error"
  n=${got%%|*}
  if [[ $got == "$want" ]]; then
    record "$id" "$label" "$base" OK "$n / $ROWS" "$note"
  elif [[ $n != "$ROWS" ]]; then
    record "$id" "$label" "$base" "FAIL: wrong row count" "$n / $ROWS" "$note"
  else
    record "$id" "$label" "$base" "FAIL: contents differ from source" "$n / $ROWS" "${note:+$note; }fingerprint $got"
    EXTRA_NOTES+=("$label: target fingerprint $got, source $want")
  fi
}

# Empty the target table and ferry's resume state, then checkpoint so that one
# run's dirty pages are not flushed during the next run.
reset_target() {  # DB [TABLE]
  pg_ferry "$1" -c "TRUNCATE ${2:-records}"
  drop_ferry_state "$1"
  pg_admin postgres -c CHECKPOINT
}

drop_ferry_state() {  # DB
  pg_ferry "$1" <<'SQL'
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE tablename LIKE 'ferry\_%' LOOP
    EXECUTE format('DROP TABLE %I.%I CASCADE', t.schemaname, t.tablename);
  END LOOP;
END $$;
SQL
}

# Copy a table between two PostgreSQL databases of the bench server (setup, not timed).
pg_copy_table() {  # SRC_DB SRC_TABLE DST_DB DST_TABLE
  pg_ferry "$3" -c "DROP TABLE IF EXISTS $4" -c "${PG_DDL/records/$4}"
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "\\copy $2 to stdout" |
    psql -X -q -v ON_ERROR_STOP=1 -d "$3" -c "\\copy $4 from stdin"
}

# records_u = src.records keyed by a UUID (md5 of the id) instead of the integer, as many
# tables are: the same rows, their key in random order. In src, and empty in dst.
UUID_READY=
prepare_uuid() {
  if [[ -n $UUID_READY ]]; then return 0; fi
  log "creating records_u: src.records keyed by a UUID"
  local ddl=${PG_DDL/records/records_u}
  ddl=${ddl/id bigint PRIMARY KEY/uid uuid PRIMARY KEY}
  pg_ferry src -c "DROP TABLE IF EXISTS records_u" -c "$ddl" -c "INSERT INTO records_u
    SELECT md5(id::text)::uuid, email, name, qty, price, active, created_at, note, payload
    FROM records"
  pg_admin src -c 'VACUUM (FREEZE, ANALYZE) records_u'
  pg_ferry dst -c "DROP TABLE IF EXISTS records_u" -c "$ddl"
  UUID_READY=1
}

# dst2.records = src.records with about 1 row in CHANGE_EVERY differing: most of
# those updated, one in ten deleted, and as many extra rows inserted.
DST2_DIFFS=
prepare_dst2() {
  if [[ -n $DST2_DIFFS ]]; then return 0; fi
  log "preparing dst2.records (copy of src with ~1/$CHANGE_EVERY rows changed)"
  pg_copy_table src records dst2 records
  local big=$((CHANGE_EVERY * 10))
  DST2_DIFFS=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d dst2 <<SQL
WITH upd AS (
  UPDATE records SET qty = qty + 1, name = name || ' (changed)', payload = payload || '{"changed": true}'
  WHERE id % $CHANGE_EVERY = 7 AND id % $big <> 7 RETURNING 1),
ins AS (
  INSERT INTO records SELECT id + $ROWS, email, name, qty, price, active, created_at, note, payload
  FROM records WHERE id % $big = 7 RETURNING 1),
del AS (
  DELETE FROM records WHERE id % $big = 7 AND id <= $ROWS RETURNING 1)
SELECT (SELECT count(*) FROM upd) + (SELECT count(*) FROM ins) + (SELECT count(*) FROM del);
SQL
)
  pg_admin dst2 -c 'VACUUM (FREEZE, ANALYZE) records'
  log "dst2 differs from src in $DST2_DIFFS keys"
}

# ------------------------------------------------------------------- steps --
step_copy_pipe() {  # [ID LABEL TABLE]
  local id=${1:-copy_pipe} label=${2:-"COPY pipe PG→PG"} table=${3:-records}
  log "step $id: psql \\copy src.$table -> psql \\copy dst.$table"
  reset_target dst "$table"
  run_timed "$id" bash -o pipefail -c \
    "psql -X -q -d src -c '\\copy $table to stdout' | psql -X -q -v ON_ERROR_STOP=1 -d dst -c '\\copy $table from stdin'"
  if ((T_RC != 0)); then
    record "$id" "$label" "" "FAIL: exit $T_RC: $(log_tail "$LOGS/$id.log")"
  else
    verify "$id" "$label" "" dst "$table" "$PG_SRC_FP"
  fi
}

step_pgloader() {
  local label="pgloader MariaDB→PG"
  if ! command -v pgloader >/dev/null; then
    record_skip pgloader "$label" "" "pgloader is not installed"; return
  fi
  log "step pgloader: MariaDB src.records -> PG dst.records (data only)"
  reset_target dst
  # The table exists already (with its primary key): pgloader only runs COPY.
  # MariaDB database `src` maps to PostgreSQL schema `src` unless renamed.
  # Passwords come from MYSQL_PWD and PGPASSWORD, not from this file.
  cat >"$WORK/pgloader.load" <<EOF
LOAD DATABASE
     FROM mysql://ferry@$HOST:$MY_PORT/src?useSSL=false
     INTO postgresql://ferry@$HOST:$PG_PORT/dst?sslmode=disable
WITH data only, truncate, reset no sequences
INCLUDING ONLY TABLE NAMES MATCHING 'records'
ALTER SCHEMA 'src' RENAME TO 'public';
EOF
  rm -rf "$WORK/pgloader"
  # pgloader's SBCL image has a 1 GiB heap by default and dies with "Heap exhausted"
  # on the 1M-row table; --dynamic-space-size (MiB) raises it.
  run_timed pgloader pgloader --dynamic-space-size "$PGLOADER_HEAP_MB" \
    --root-dir "$WORK/pgloader" --logfile "$WORK/pgloader/pgloader.log" "$WORK/pgloader.load"
  verify pgloader "$label" "" dst records "$MY_SRC_FP"
  if ((T_RC != 0)); then
    if [[ ${STATUS[pgloader]} == OK ]]; then
      NOTE[pgloader]="pgloader exited $T_RC although the rows arrived"
    else
      STATUS[pgloader]="FAIL: pgloader exited $T_RC: $(log_tail "$LOGS/pgloader.log")"
    fi
  fi
}

# ferry_backfill ID LABEL BASELINE_ID JAR SPEC EXPECTED_FP [extra flags...]
ferry_backfill() {
  local id=$1 label=$2 base=$3 jar=$4 spec=$5 want=$6 reason
  shift 6
  reason=$(jar_missing_reason "$jar")
  if [[ -n $reason ]]; then record_skip "$id" "$label" "$base" "$reason"; return; fi
  log "step $id: ferry backfill --spec=$spec $*"
  reset_target dst "$BACKFILL_TABLE"
  # shellcheck disable=SC2086  # FERRY_ARGS is a list of flags
  run_timed "$id" java -Xmx"$JAVA_HEAP" -jar "$jar" backfill --spec="$spec" "$@" $FERRY_ARGS
  if ((T_RC != 0)); then
    record_skip "$id" "$label" "$base" "ferry backfill exited $T_RC: $(log_tail "$LOGS/$id.log")"
  else
    verify "$id" "$label" "$base" dst "$BACKFILL_TABLE" "$want"
  fi
}
BACKFILL_TABLE=records   # the table ferry_backfill empties and checks in dst

step_anchor() {
  prepare_dst2
  log "step anchor: FULL JOIN ... IS DISTINCT FROM inside PostgreSQL"
  pg_copy_table src records dst records_a
  pg_copy_table dst2 records dst records_b
  pg_admin dst -c 'VACUUM (FREEZE, ANALYZE) records_a' -c 'VACUUM (FREEZE, ANALYZE) records_b' -c CHECKPOINT
  run_timed anchor psql -X -q -A -t -v ON_ERROR_STOP=1 -d dst -c \
    'SELECT count(*) FROM records_a a FULL JOIN records_b b USING (id) WHERE a IS DISTINCT FROM b'
  local n
  n=$(tail -n 1 "$LOGS/anchor.log")
  if ((T_RC != 0)); then
    record anchor "anchor: FULL JOIN in PG" "" "FAIL: exit $T_RC: $(log_tail "$LOGS/anchor.log")"
  elif [[ $n != "$DST2_DIFFS" ]]; then
    record anchor "anchor: FULL JOIN in PG" "" "FAIL: found $n differing keys" "" "expected $DST2_DIFFS"
  else
    record anchor "anchor: FULL JOIN in PG" "" OK "" "$n differing keys found"
  fi
  pg_ferry dst -c 'DROP TABLE records_a' -c 'DROP TABLE records_b'
}

# ferry_reconcile ID LABEL [extra flags...]
ferry_reconcile() {
  local id=$1 label=$2 reason code ok=0
  shift 2
  reason=$(jar_missing_reason "$DIRECT_JAR")
  if [[ -n $reason ]]; then record_skip "$id" "$label" anchor "$reason"; return; fi
  prepare_dst2
  log "step $id: ferry reconcile --spec=bench/specs/reconcile-full.yaml $*"
  drop_ferry_state dst2
  pg_admin postgres -c CHECKPOINT
  # shellcheck disable=SC2086
  run_timed "$id" java -Xmx"$JAVA_HEAP" -jar "$DIRECT_JAR" reconcile \
    --spec=bench/specs/reconcile-full.yaml "$@" $FERRY_ARGS
  for code in $RECONCILE_OK_EXIT; do [[ $T_RC == "$code" ]] && ok=1; done
  if ((ok)); then
    record "$id" "$label" anchor OK "" "expect $DST2_DIFFS differing keys; report in bench/work/logs/$id.log"
  else
    record_skip "$id" "$label" anchor "ferry reconcile exited $T_RC: $(log_tail "$LOGS/$id.log")"
  fi
}

step_copy_devnull() {
  log "step copy_devnull: psql \\copy (select * from records) to /dev/null"
  pg_admin postgres -c CHECKPOINT
  run_timed copy_devnull psql -X -q -v ON_ERROR_STOP=1 -d src -c '\copy (select * from records) to /dev/null'
  if ((T_RC != 0)); then
    record copy_devnull "\\copy src to /dev/null" "" "FAIL: exit $T_RC: $(log_tail "$LOGS/copy_devnull.log")"
  else
    record copy_devnull "\\copy src to /dev/null" "" OK
  fi
}

step_profile() {
  local label="ferry profile (Direct)" reason
  reason=$(jar_missing_reason "$DIRECT_JAR")
  if [[ -n $reason ]]; then record_skip profile "$label" copy_devnull "$reason"; return; fi
  log "step profile: ferry profile --spec=bench/specs/pg-to-pg.yaml"
  drop_ferry_state dst
  pg_admin postgres -c CHECKPOINT
  # shellcheck disable=SC2086
  run_timed profile java -Xmx"$JAVA_HEAP" -jar "$DIRECT_JAR" profile --spec=bench/specs/pg-to-pg.yaml $FERRY_ARGS
  if ((T_RC != 0)); then
    record_skip profile "$label" copy_devnull "ferry profile exited $T_RC: $(log_tail "$LOGS/profile.log")"
  else
    record profile "$label" copy_devnull OK "" "report in bench/work/logs/profile.log"
  fi
}

# The whole-database steps (hr, tables200) live in their own file.
# shellcheck source=bench/wholedb.sh
source "$BENCH_DIR/wholedb.sh"
# shellcheck source=bench/rows10m.sh
source "$BENCH_DIR/rows10m.sh"

# Whether a wanted step reads the one-table `records` data (all but the whole-database steps).
want_records() {
  local s
  [[ -z $STEPS ]] && return 0
  for s in $STEPS; do [[ $s == hr || $s == tables200 || $s == rows10m ]] || return 0; done
  return 1
}

# ------------------------------------------------------------------- main --
main() {
  [[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, got '$ROWS'"
  [[ $CHANGE_EVERY =~ ^[1-9][0-9]*$ ]] || die "CHANGE_EVERY must be a positive integer"
  cd "$REPO_DIR"
  mkdir -p "$WORK" "$LOGS"

  install_prereqs
  # A previous KEEP=1 run may have left servers behind: stop them, start afresh.
  stop_servers
  [[ $STEPS == none ]] && { log "STEPS=none: servers stopped"; exit 0; }
  trap on_exit EXIT
  trap 'exit 130' INT TERM
  rm -rf "$PGDATA_DIR" "$PG_SOCK" "$MY_DATA" "$MY_SOCK" "$WORK/pgloader"
  rm -f "$LOGS"/*.log "$LOGS"/*.time "$LOGS/mariadb.err"
  (umask 077 && printf '%s\n' "$FERRY_PASSWORD" >"$WORK/ferry.password")

  build_jars
  start_postgres
  start_mariadb
  if want_records; then
    generate_pg
    generate_mariadb
    PG_SRC_FP=$(pg_fingerprint src records)
    MY_SRC_FP=$(my_fingerprint)
    log "PG src fingerprint:      $PG_SRC_FP"
    log "MariaDB src fingerprint: $MY_SRC_FP"
    if [[ $PG_SRC_FP != "$MY_SRC_FP" ]]; then
      log "WARNING: the two sources differ"
      EXTRA_NOTES+=("the generated PostgreSQL and MariaDB sources differ: $PG_SRC_FP vs $MY_SRC_FP")
    fi
    EXTRA_NOTES+=("source fingerprint (count|sum qty|sum price|active|notes|note chars|name chars|email chars|sum score|min ts|max ts): $PG_SRC_FP")
  fi

  local fx=(--runner=FlinkRunner --flinkMaster='[local]' --parallelism=2)
  want copy_pipe    && step_copy_pipe
  want ferry_pg     && ferry_backfill ferry_pg "ferry backfill PG→PG (Direct)" copy_pipe \
                         "$DIRECT_JAR" bench/specs/pg-to-pg.yaml "$PG_SRC_FP"
  want pgloader     && step_pgloader
  want ferry_my     && ferry_backfill ferry_my "ferry backfill MariaDB→PG (Direct)" pgloader \
                         "$DIRECT_JAR" bench/specs/mysql-to-pg.yaml "$MY_SRC_FP"
  if want copy_pipe_uuid || want ferry_pg_uuid; then prepare_uuid; fi
  want copy_pipe_uuid && step_copy_pipe copy_pipe_uuid "COPY pipe PG→PG, UUID key" records_u
  want ferry_pg_uuid  && BACKFILL_TABLE=records_u ferry_backfill ferry_pg_uuid \
                         "ferry backfill PG→PG, UUID key (Direct)" copy_pipe_uuid \
                         "$DIRECT_JAR" bench/specs/pg-to-pg-uuid.yaml "$PG_SRC_FP"
  want anchor       && step_anchor
  want reconcile    && ferry_reconcile reconcile "ferry reconcile full"
  want reconcile_fast && ferry_reconcile reconcile_fast "ferry reconcile --fastPath=true" --fastPath=true
  want copy_devnull && step_copy_devnull
  want profile      && step_profile
  want flink        && ferry_backfill flink "ferry backfill PG→PG (Flink local, p=2)" ferry_pg \
                         "$FLINK_JAR" bench/specs/pg-to-pg.yaml "$PG_SRC_FP" "${fx[@]}"
  want hr           && step_hr
  want tables200    && step_tables200
  [[ $ROWS10M == 1 ]] && want rows10m && step_rows10m
  if [[ -n $DST2_DIFFS ]]; then
    EXTRA_NOTES+=("reconcile data: dst2.records differs from src.records in $DST2_DIFFS keys (updated, missing and extra rows)")
  fi

  write_results
}

main "$@"
