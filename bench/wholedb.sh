# Whole-database steps of bench/run.sh (sourced by it; see bench/README.md):
#   hr         the HR/employees sample's shape, 3.9M rows in 6 tables with composite keys and
#              foreign keys ON DELETE CASCADE
#   tables200  200 tables of 1,000 rows each
# Each builds its schema in MariaDB, then runs pgloader and `ferry migrate` (its check on) into
# two empty PostgreSQL databases, and compares a per-table fingerprint (row count and a sum of
# row hashes, computed in SQL on each side) with the source's.

# my_db NAME: an empty MariaDB database that ferry may read.
my_db() {
  my_admin <<SQL
DROP DATABASE IF EXISTS \`$1\`;
CREATE DATABASE \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON \`$1\`.* TO 'ferry'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$1\`.* TO 'ferry'@'localhost';
SQL
}

# pg_db NAME: an empty PostgreSQL database owned by ferry.
pg_db() {
  pg_admin postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 OWNER ferry"
}

generate_hr() {
  log "generating the HR schema in MariaDB hr (3,919,015 rows)"
  my_db hr
  my_admin hr <<'SQL'
SET SESSION foreign_key_checks = 0, unique_checks = 0;
CREATE TABLE departments (dept_no CHAR(4) NOT NULL PRIMARY KEY,
  dept_name VARCHAR(40) NOT NULL, UNIQUE KEY (dept_name)) ENGINE=InnoDB;
CREATE TABLE employees (emp_no INT NOT NULL PRIMARY KEY, birth_date DATE NOT NULL,
  first_name VARCHAR(14) NOT NULL, last_name VARCHAR(16) NOT NULL,
  gender ENUM('M','F') NOT NULL, hire_date DATE NOT NULL) ENGINE=InnoDB;
CREATE TABLE dept_manager (emp_no INT NOT NULL, dept_no CHAR(4) NOT NULL,
  from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no),
  KEY (dept_no),
  FOREIGN KEY (emp_no) REFERENCES employees (emp_no) ON DELETE CASCADE,
  FOREIGN KEY (dept_no) REFERENCES departments (dept_no) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE dept_emp (emp_no INT NOT NULL, dept_no CHAR(4) NOT NULL,
  from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no),
  KEY (dept_no),
  FOREIGN KEY (emp_no) REFERENCES employees (emp_no) ON DELETE CASCADE,
  FOREIGN KEY (dept_no) REFERENCES departments (dept_no) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE titles (emp_no INT NOT NULL, title VARCHAR(50) NOT NULL,
  from_date DATE NOT NULL, to_date DATE, PRIMARY KEY (emp_no, title, from_date),
  FOREIGN KEY (emp_no) REFERENCES employees (emp_no) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE salaries (emp_no INT NOT NULL, salary INT NOT NULL, from_date DATE NOT NULL,
  to_date DATE NOT NULL, PRIMARY KEY (emp_no, from_date),
  FOREIGN KEY (emp_no) REFERENCES employees (emp_no) ON DELETE CASCADE) ENGINE=InnoDB;

INSERT INTO departments SELECT CONCAT('d00', seq), ELT(seq, 'Marketing', 'Finance',
  'Human Resources', 'Production', 'Development', 'Quality Management', 'Sales', 'Research',
  'Customer Service') FROM seq_1_to_9;
INSERT INTO employees SELECT 10000 + seq, DATE '1952-02-01' + INTERVAL (seq * 7) % 4700 DAY,
  ELT(1 + seq % 12, 'Georgi', 'Bezalel', 'Parto', 'Chirstian', 'Kyoichi', 'Anneke', 'Tzvetan',
    'Saniya', 'Sumant', 'Duangkaew', 'Mary', 'Patricio'),
  ELT(1 + (seq DIV 12) % 10, 'Facello', 'Simmel', 'Bamford', 'Koblick', 'Maliniak', 'Preusig',
    'Zielinski', 'Kalloufi', 'Peac', 'Piveteau'),
  IF(seq % 5 < 3, 'M', 'F'), DATE '1985-01-01' + INTERVAL (seq * 13) % 5000 DAY
FROM seq_1_to_300024;
INSERT INTO dept_emp SELECT emp_no, CONCAT('d00', 1 + emp_no % 9), hire_date,
  IF(emp_no % 4 = 0, hire_date + INTERVAL 3 YEAR, DATE '9999-01-01') FROM employees;
INSERT INTO dept_emp SELECT emp_no, CONCAT('d00', 1 + (emp_no + 1) % 9),
  hire_date + INTERVAL 3 YEAR, DATE '9999-01-01' FROM employees WHERE emp_no <= 10000 + 31579;
INSERT INTO dept_manager SELECT emp_no, CONCAT('d00', 1 + emp_no % 9), hire_date,
  IF(emp_no <= 10015, hire_date + INTERVAL 5 YEAR, DATE '9999-01-01')
FROM employees WHERE emp_no <= 10024;
INSERT INTO titles SELECT emp_no, ELT(1 + emp_no % 7, 'Senior Engineer', 'Staff', 'Engineer',
  'Senior Staff', 'Assistant Engineer', 'Technique Leader', 'Manager'), hire_date,
  IF(emp_no <= 10000 + 143284, hire_date + INTERVAL 1000 DAY, NULL) FROM employees;
INSERT INTO titles SELECT emp_no, ELT(1 + (emp_no + 3) % 7, 'Senior Engineer', 'Staff',
  'Engineer', 'Senior Staff', 'Assistant Engineer', 'Technique Leader', 'Manager'),
  hire_date + INTERVAL 1000 DAY, DATE '9999-01-01' FROM employees WHERE emp_no <= 10000 + 143284;
INSERT INTO salaries SELECT e.emp_no, 40000 + (e.emp_no * 7919 + s.seq * 104729) % 80000,
  e.hire_date + INTERVAL (s.seq - 1) YEAR, IF(s.seq = 10 OR (s.seq = 9 AND e.emp_no > 10000 + 143831),
    DATE '9999-01-01', e.hire_date + INTERVAL s.seq YEAR)
FROM employees e JOIN seq_1_to_10 s ON s.seq <= 9 OR e.emp_no <= 10000 + 143831;
ANALYZE TABLE departments, employees, dept_manager, dept_emp, titles, salaries;
SQL
}

# The compared columns of each HR table, in both engines' text.
declare -A HR_COLUMNS=(
  [departments]="dept_no, dept_name"
  [employees]="emp_no, birth_date, first_name, last_name, gender, hire_date"
  [dept_manager]="emp_no, dept_no, from_date, to_date"
  [dept_emp]="emp_no, dept_no, from_date, to_date"
  [titles]="emp_no, title, from_date, to_date"
  [salaries]="emp_no, salary, from_date, to_date"
)

generate_tables200() {
  log "generating 200 tables of 1,000 rows in MariaDB t200"
  my_db t200
  local i t sql=""
  for ((i = 1; i <= 200; i++)); do
    printf -v t 't%03d' "$i"
    sql+="CREATE TABLE $t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL,
  qty INT, price DECIMAL(10,2), created DATETIME, note TEXT) ENGINE=InnoDB;
INSERT INTO $t SELECT g, CONCAT('item ', g, ' of $t'), (g * 7919) % 1000 - 100,
  ((g * 104729) % 1000000) / 100, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (g * 37) SECOND,
  IF(g % 10 = 0, NULL, MD5(g)) FROM (SELECT CAST(seq AS SIGNED) AS g FROM seq_1_to_1000) s;
"
  done
  my_admin t200 <<<"$sql"
}

# Per-table fingerprints, one "table|rows|hash sum" line per table, sorted: the row hash is
# the first 7 hex digits of md5 over the columns joined by '|' (both engines render dates,
# decimals and enum labels alike and skip NULLs in concat_ws).
my_hash_fp() {  # DB TABLE COLUMNS
  my_value "$1" "SELECT '$2', count(*),
    coalesce(sum(CAST(conv(left(md5(concat_ws('|', $3)), 7), 16, 10) AS UNSIGNED)), 0) FROM \`$2\`" |
    tr '\t' '|'
}
pg_hash_fp() {  # DB TABLE COLUMNS (an expression may carry a cast: created::timestamp)
  local cols
  cols=$(sed -E 's/([a-z_]+)(::[a-z_]+)?/\1\2::text/g' <<<"$3")
  PGTZ=UTC pg_value "$1" "SELECT '$2', count(*),
    coalesce(sum(('x' || left(md5(concat_ws('|', $cols)), 7))::bit(28)::bigint), 0) FROM \"$2\""
}

# fingerprints SIDE DB TABLE=COLUMNS[#PG_COLUMNS]...: PG_COLUMNS, when given, are the columns
# as PostgreSQL renders them like MariaDB (pgloader makes DATETIME a timestamptz).
fingerprints() {
  local side=$1 db=$2 spec cols
  shift 2
  for spec in "$@"; do
    cols=${spec#*=}
    if [[ $side == pg && $cols == *"#"* ]]; then cols=${cols#*#}; else cols=${cols%%#*}; fi
    "${side}_hash_fp" "$db" "${spec%%=*}" "$cols" 2>&1 || echo "${spec%%=*}|error"
  done | sort
}

# run_pgloader ID LABEL SOURCE_DB TARGET_DB: the whole database with pgloader's defaults
# (create tables, indexes, foreign keys, reset sequences).
run_pgloader_db() {
  local id=$1 label=$2 src=$3 dst=$4
  if ! command -v pgloader >/dev/null; then record_skip "$id" "$label" "" "pgloader is not installed"; return 1; fi
  log "step $id: pgloader MariaDB $src -> PG $dst (whole database)"
  pg_db "$dst"
  cat >"$WORK/$id.load" <<LOAD
LOAD DATABASE
     FROM mysql://ferry@$HOST:$MY_PORT/$src?useSSL=false
     INTO postgresql://ferry@$HOST:$PG_PORT/$dst?sslmode=disable
ALTER SCHEMA '$src' RENAME TO 'public';
LOAD
  rm -rf "$WORK/pgloader-$id"
  pg_admin postgres -c CHECKPOINT
  run_timed "$id" pgloader --dynamic-space-size "$PGLOADER_HEAP_MB" \
    --root-dir "$WORK/pgloader-$id" --logfile "$WORK/pgloader-$id/pgloader.log" "$WORK/$id.load"
}

# run_ferry_migrate ID SOURCE_DB TARGET_DB: ferry migrate with its check (the default).
run_ferry_migrate() {
  local id=$1 src=$2 dst=$3
  log "step $id: ferry migrate MariaDB $src -> PG $dst"
  pg_db "$dst"
  rm -rf "$WORK/mappings-$id"
  pg_admin postgres -c CHECKPOINT
  # The benchmark's user is called ferry, like ferry's state schema: "$user" in the
  # search_path would otherwise put the tables there, which migrate refuses.
  # shellcheck disable=SC2086
  run_timed "$id" java -Xmx"$JAVA_HEAP" -jar "$DIRECT_JAR" migrate \
    --sourceUrl="jdbc:mysql://$HOST:$MY_PORT/$src" --sourceUser=ferry \
    --sourcePasswordEnv=FERRY_SOURCE_PASSWORD \
    --targetUrl="jdbc:postgresql://$HOST:$PG_PORT/$dst" --targetUser=ferry \
    --targetPasswordEnv=FERRY_TARGET_PASSWORD --targetSchema=public \
    --mappingsDir="$WORK/mappings-$id" $FERRY_ARGS
}

# compare_db ID LABEL BASE DB WANT TABLE=COLUMNS...: records OK when every table's fingerprint
# in the PostgreSQL database DB equals the source's.
compare_db() {
  local id=$1 label=$2 base=$3 db=$4 want=$5 got rows
  shift 5
  got=$(fingerprints pg "$db" "$@")
  rows=$(awk -F'|' '{ s += $2 } END { print s + 0 }' <<<"$got")
  if [[ $got == "$want" ]]; then
    record "$id" "$label" "$base" OK "$rows rows, ${#@} tables"
  else
    record "$id" "$label" "$base" "FAIL: contents differ from source" "$rows rows"
    diff <(echo "$want") <(echo "$got") >"$LOGS/$id.diff" || true
    EXTRA_NOTES+=("$label: per-table fingerprints differ from the source's, see bench/work/logs/$id.diff")
  fi
}

# whole_db_step NAME SOURCE_DB TABLE=COLUMNS...: pgloader, then ferry, on the same source.
whole_db_step() {
  local name=$1 src=$2 want reason
  shift 2
  want=$(fingerprints my "$src" "$@")
  log "$name source: $(awk -F'|' '{ s += $2 } END { print s + 0 }' <<<"$want") rows in $# tables"
  if run_pgloader_db "pgloader_$name" "pgloader $name" "$src" "${name}_pgloader"; then
    if ((T_RC != 0)); then
      record "pgloader_$name" "pgloader $name" "" "FAIL: exit $T_RC: $(log_tail "$LOGS/pgloader_$name.log")"
    else
      compare_db "pgloader_$name" "pgloader $name" "" "${name}_pgloader" "$want" "$@"
    fi
  fi
  reason=$(jar_missing_reason "$DIRECT_JAR")
  if [[ -n $reason ]]; then record_skip "ferry_$name" "ferry migrate $name" "pgloader_$name" "$reason"; return; fi
  run_ferry_migrate "ferry_$name" "$src" "${name}_ferry"
  if ((T_RC != 0)); then
    record "ferry_$name" "ferry migrate $name" "pgloader_$name" \
      "FAIL: exit $T_RC: $(log_tail "$LOGS/ferry_$name.log")"
  else
    compare_db "ferry_$name" "ferry migrate $name (check on)" "pgloader_$name" "${name}_ferry" "$want" "$@"
  fi
}

step_hr() {
  generate_hr
  local specs=() t
  for t in departments employees dept_manager dept_emp titles salaries; do
    specs+=("$t=${HR_COLUMNS[$t]}")
  done
  whole_db_step hr hr "${specs[@]}"
}

step_tables200() {
  generate_tables200
  local specs=() i t
  for ((i = 1; i <= 200; i++)); do
    printf -v t 't%03d' "$i"
    specs+=("$t=id, name, qty, price, created, note#id, name, qty, price, created::timestamp, note")
  done
  whole_db_step tables200 t200 "${specs[@]}"
}
