# shellcheck shell=bash
# The 10,000,000-row verification step of bench/run.sh (issue #23), sourced by it and run only
# with ROWS10M=1:
#
#   ROWS10M=1 STEPS=rows10m bash bench/run.sh
#   ROWS10M=1 ROWS10M_ROWS=200000 STEPS=rows10m bash bench/run.sh   # a quick check of the step
#
# It measures in one run, on one PostgreSQL server holding both databases:
#   - the servers' floor: SELECT count(*), sum(hashtextextended(r::text, 0)) FROM records r,
#     on the source and the target at once;
#   - `ferry reconcile --fastPath=true` of two equal tables (no difference may be reported);
#   - the same against a copy with 110 planted differences (every planted key must be reported,
#     with its class, and no other);
# and, with MariaDB as the source, MariaDB's own floor (SUM(CRC32(CONCAT_WS(...))) beside the
# PostgreSQL floor of the target) and `ferry reconcile --fastPath=true` MariaDB → PostgreSQL.
# ROWS10M_MY_ROWS sizes the MariaDB table (default ROWS10M_ROWS; 0 skips MariaDB).
# Each ferry run is `java -Xmx$JAVA_HEAP` (1g); its peak RSS is reported. The load average is
# noted with every measurement: on a shared machine the ratios mean more than the seconds.

ROWS10M=${ROWS10M:-0}
ROWS10M_ROWS=${ROWS10M_ROWS:-10000000}
ROWS10M_MY_ROWS=${ROWS10M_MY_ROWS:-$ROWS10M_ROWS}
ROWS10M_RUNS=${ROWS10M_RUNS:-2}   # the PostgreSQL measurements are repeated, each with its floor
readonly ROWS10M_FLOOR_SQL='SELECT count(*), sum(hashtextextended(r::text, 0)) FROM records r'

# A spec for one pair of tables, written under bench/work with this run's ports.
rows10m_spec() {  # FILE SOURCE_URL TARGET_URL
  cat >"$1" <<EOF
job: bench-rows10m
source:
  url: $2
  user: ferry
  password: \${env:FERRY_SOURCE_PASSWORD}
  table: records
  key: [id]
target:
  url: $3
  user: ferry
  password: \${env:FERRY_TARGET_PASSWORD}
  table: records
partitions: 16
EOF
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# CPU seconds the database servers have used so far: PostgreSQL's postmaster with its exited
# (reaped) and live children, and mariadbd. A difference of two readings is what a measurement
# cost the servers, whatever else shares the machine's cores (then wall times mislead: a client
# with more server processes gets a larger share of a busy machine).
servers_cpu() {
  local pm tick
  tick=$(getconf CLK_TCK)
  pm=$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
  {
    if [[ -n $pm ]]; then
      awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
      for c in $(cat /proc/"$pm"/task/*/children 2>/dev/null); do
        awk '{ print $14 + $15 + $16 + $17 }' "/proc/$c/stat" 2>/dev/null || true
      done
    fi
    if [[ -f $MY_PID ]]; then
      awk '{ print $14 + $15 }' "/proc/$(cat "$MY_PID")/stat" 2>/dev/null || true
    fi
  } | awk -v t="$tick" '{ s += $1 } END { printf "%.1f", s / t }'
}

# dst10m_diff = dst10m with 110 planted differences: 80 rows changed (each in one column, of
# every type, in long notes too), 15 deleted (missing), 15 added (extra). Writes the expected
# `class id` lines to $WORK/rows10m-planted.txt.
rows10m_plant() {
  local n=$ROWS10M_ROWS step=$((ROWS10M_ROWS / 100))
  pg_admin postgres -c "DROP DATABASE IF EXISTS dst10m_diff" \
    -c "CREATE DATABASE dst10m_diff OWNER ferry TEMPLATE dst10m"
  # Keys k*step+1 hold a long note when step is a multiple of 100 (1 row in 100 does).
  pg_ferry dst10m_diff <<SQL
UPDATE records SET
  name = CASE WHEN k % 8 = 0 THEN name || 'x' ELSE name END,
  price = CASE WHEN k % 8 = 1 THEN price + 0.01 ELSE price END,
  payload = CASE WHEN k % 8 = 2 THEN jsonb_set(payload, '{nested,ok}', to_jsonb(NOT (payload->'nested'->>'ok')::boolean)) ELSE payload END,
  note = CASE WHEN k % 8 = 3 THEN overlay(coalesce(note, '') placing 'Ü' from 1 + length(coalesce(note, '')) / 2 for 1) ELSE note END,
  created_at = CASE WHEN k % 8 = 4 THEN created_at + interval '1 microsecond' ELSE created_at END,
  active = CASE WHEN k % 8 = 5 THEN NOT active ELSE active END,
  email = CASE WHEN k % 8 = 6 THEN upper(email) ELSE email END,
  qty = CASE WHEN k % 8 = 7 THEN qty + 1 ELSE qty END
FROM generate_series(0, 79) AS k WHERE id = k * $step + 1;
DELETE FROM records WHERE id IN (SELECT k * $step + 5 FROM generate_series(80, 94) AS k);
INSERT INTO records SELECT id + $n, email, name, qty, price, active, created_at, note, payload
  FROM records WHERE id <= 15;
SQL
  pg_admin dst10m_diff -c 'VACUUM (FREEZE, ANALYZE) records'
  {
    for ((k = 0; k < 80; k++)); do echo "mismatched $((k * step + 1))"; done
    for ((k = 80; k < 95; k++)); do echo "missing $((k * step + 5))"; done
    for ((k = 1; k <= 15; k++)); do echo "extra $((n + k))"; done
  } | sort >"$WORK/rows10m-planted.txt"
}

# The `class id` lines of a reconcile's differences file.
rows10m_found() {  # DIFFERENCES_FILE
  sed -E 's/.*"class":"([a-z]+)".*"key":\{"id":([0-9]+)\}.*/\1 \2/' "$1" 2>/dev/null | sort
}

# ferry reconcile --fastPath=true with SPEC; records OK only when its differences are EXPECTED
# (a file of `class id` lines; /dev/null for none) and its exit code says so.
rows10m_reconcile() {  # ID LABEL BASELINE_ID SPEC EXPECTED_FILE
  local id=$1 label=$2 base=$3 spec=$4 expected=$5 reason want_rc=0 load found missed cpu
  reason=$(jar_missing_reason "$DIRECT_JAR")
  if [[ -n $reason ]]; then record_skip "$id" "$label" "$base" "$reason"; return; fi
  [[ -s $expected ]] && want_rc=4
  pg_admin postgres -c CHECKPOINT
  load=$(load_average)
  log "step $id: ferry reconcile --spec=${spec#"$REPO_DIR"/} --fastPath=true (load $load)"
  rm -f "$WORK/$id.json" "$WORK/$id.differences.jsonl"
  cpu=$(servers_cpu)
  # shellcheck disable=SC2086  # FERRY_ARGS is a list of flags
  run_timed "$id" java -Xmx"$JAVA_HEAP" -jar "$DIRECT_JAR" reconcile --spec="$spec" \
    --fastPath=true --report="$WORK/$id.json" --differencesFile="$WORK/$id.differences.jsonl" \
    $FERRY_ARGS
  cpu=$(awk -v a="$cpu" -v b="$(servers_cpu)" 'BEGIN { printf "%.1f", b - a }')
  # No file when ferry failed before writing it: then nothing was found.
  rows10m_found "$WORK/$id.differences.jsonl" >"$WORK/$id.found.txt" || true
  found=$(wc -l <"$WORK/$id.found.txt")
  missed=$(comm -23 "$expected" "$WORK/$id.found.txt" | wc -l)
  local note="load $load; servers' CPU ${cpu} s; $found differing keys reported"
  note+="; $(grep -o 'checksummed both sides in [^:]*' "$LOGS/$id.log" | head -n 1 || true)"
  if ((T_RC != want_rc)); then
    record "$id" "$label" "$base" "FAIL: exit $T_RC, expected $want_rc: $(log_tail "$LOGS/$id.log")" "" "$note"
  elif ! cmp -s "$expected" "$WORK/$id.found.txt"; then
    record "$id" "$label" "$base" "FAIL: $missed planted keys not reported, $found reported" "" "$note"
  else
    record "$id" "$label" "$base" OK "" "$note"
  fi
}

# Runs the shell commands CMD_A and CMD_B at the same time, as one timed step.
rows10m_floor() {  # ID LABEL CMD_A CMD_B
  local id=$1 label=$2 load cpu
  load=$(load_average)
  log "step $id: $label (load $load)"
  cpu=$(servers_cpu)
  run_timed "$id" bash -c "$3 & a=\$!; $4 & b=\$!; wait \$a && wait \$b"
  cpu=$(awk -v a="$cpu" -v b="$(servers_cpu)" 'BEGIN { printf "%.1f", b - a }')
  if ((T_RC != 0)); then
    record "$id" "$label" "" "FAIL: exit $T_RC: $(log_tail "$LOGS/$id.log")"
  else
    record "$id" "$label" "" OK "" "load $load; servers' CPU ${cpu} s; $(tr '\n' ' ' <"$LOGS/$id.log")"
  fi
}

step_rows10m() {
  ((ROWS10M_ROWS >= 11000)) || die "ROWS10M_ROWS must be at least 11000, got $ROWS10M_ROWS"
  local pg="jdbc:postgresql://$HOST:$PG_PORT" floor_pg
  pg_admin postgres -c "DROP DATABASE IF EXISTS src10m" -c "DROP DATABASE IF EXISTS dst10m" \
    -c "CREATE DATABASE src10m OWNER ferry"
  generate_pg src10m "$ROWS10M_ROWS"
  # The target is a file copy of the source: the same rows, as a backfill would leave them.
  pg_admin postgres -c "CREATE DATABASE dst10m OWNER ferry TEMPLATE src10m"
  rows10m_plant
  rows10m_spec "$WORK/rows10m-equal.yaml" "$pg/src10m" "$pg/dst10m"
  rows10m_spec "$WORK/rows10m-diff.yaml" "$pg/src10m" "$pg/dst10m_diff"
  floor_pg="psql -X -q -A -t -v ON_ERROR_STOP=1 -c \"$ROWS10M_FLOOR_SQL\""
  # Once untimed, so that every measurement reads warm tables.
  bash -c "$floor_pg -d src10m & $floor_pg -d dst10m & wait" >/dev/null
  local r
  for ((r = 1; r <= ROWS10M_RUNS; r++)); do
    rows10m_floor "rows10m_floor_$r" "floor PG: hash of every row, src10m and dst10m at once (run $r)" \
      "$floor_pg -d src10m" "$floor_pg -d dst10m"
    rows10m_reconcile "rows10m_equal_$r" "ferry reconcile --fastPath, $ROWS10M_ROWS equal rows (run $r)" \
      "rows10m_floor_$r" "$WORK/rows10m-equal.yaml" /dev/null
    rows10m_reconcile "rows10m_diff_$r" "ferry reconcile --fastPath, 110 planted differences (run $r)" \
      "rows10m_floor_$r" "$WORK/rows10m-diff.yaml" "$WORK/rows10m-planted.txt"
  done
  EXTRA_NOTES+=("rows10m: $ROWS10M_ROWS rows; planted differences (class id) in bench/work/rows10m-planted.txt, reported ones in bench/work/rows10m_diff_*.found.txt")
  ((ROWS10M_MY_ROWS > 0)) || return 0

  local my_target=dst10m cols="id, email, name, qty, price, active, created_at, note, payload"
  if ((ROWS10M_MY_ROWS != ROWS10M_ROWS)); then
    my_target=dst10m_my
    pg_admin postgres -c "DROP DATABASE IF EXISTS dst10m_my" -c "CREATE DATABASE dst10m_my OWNER ferry"
    generate_pg dst10m_my "$ROWS10M_MY_ROWS"
  fi
  my_admin <<SQL
DROP DATABASE IF EXISTS src10m;
CREATE DATABASE src10m CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON src10m.* TO 'ferry'@'127.0.0.1';
GRANT ALL PRIVILEGES ON src10m.* TO 'ferry'@'localhost';
SQL
  generate_mariadb src10m "$ROWS10M_MY_ROWS"
  rows10m_spec "$WORK/rows10m-mariadb.yaml" "jdbc:mysql://$HOST:$MY_PORT/src10m" "$pg/$my_target"
  local floor_my="mariadb --no-defaults --protocol=socket -S $MY_SOCK -u $(id -un) -N -B src10m -e \"SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', $cols))) FROM records\""
  bash -c "$floor_my" >/dev/null
  rows10m_floor rows10m_floor_my "floor MariaDB→PG: CRC32 of every MariaDB row, PG hash of every target row, at once" \
    "$floor_my" "$floor_pg -d $my_target"
  rows10m_reconcile rows10m_mariadb "ferry reconcile --fastPath MariaDB→PG, $ROWS10M_MY_ROWS equal rows" \
    rows10m_floor_my "$WORK/rows10m-mariadb.yaml" /dev/null
}
