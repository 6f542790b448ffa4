#!/usr/bin/env bash
# ferry sync benchmark (issue 19): MariaDB (binary log, row format) -> PostgreSQL, both embedded
# servers started by dev.ferry.pipelines.sync.SyncBench. Not a test: it prints
#   - the backfill time of ROWS rows,
#   - the apply rate of a backlog of BACKLOG changes already in the binlog,
#   - the lag (p50/p95/max, sampled each second) under RATE single-row updates/s for SECONDS,
#   - the time from the last write to `ferry cutover`'s verdict.
#
#   bash bench/sync.sh                                  # 1,000,000 rows, 1,000,000 backlog
#   ROWS=100000 BACKLOG=100000 SECONDS_STEADY=30 bash bench/sync.sh
set -euo pipefail
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${ROWS:-1000000}
BACKLOG=${BACKLOG:-$ROWS}
RATE=${RATE:-2000}
SECONDS_STEADY=${SECONDS_STEADY:-60}
JAVA_HEAP=${JAVA_HEAP:-2g}
cd "$REPO_DIR"
mkdir -p bench/work
# One invocation: the reactor hands ferry-transforms over as its classes directories.
mvn -B -q -pl pipelines -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$REPO_DIR/bench/work/sync.classpath" >/dev/null
CP="pipelines/target/test-classes:pipelines/target/classes:transforms/target/test-classes:transforms/target/classes:$(cat bench/work/sync.classpath)"
exec java -Xmx"$JAVA_HEAP" -Drows="$ROWS" -Dbacklog="$BACKLOG" -Drate="$RATE" \
  -Dseconds="$SECONDS_STEADY" -cp "$CP" dev.ferry.pipelines.sync.SyncBench
