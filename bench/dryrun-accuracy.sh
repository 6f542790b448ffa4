#!/usr/bin/env bash
# How close does the dry run's time estimate come to the backfill it estimates?
# Starts embedded MariaDB and PostgreSQL, seeds a MariaDB `orders` table (ROWS rows, default
# 50,000), runs `ferry dryrun` and then `ferry backfill` (each a fresh JVM, the CLI's defaults)
# and prints the estimate next to the backfill's time. REPEATS=3 repeats the pair.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl pipelines -am test-compile
mkdir -p target
# -am resolves ferry-transforms from the reactor (it is never installed); the last module,
# pipelines, writes the file.
mvn -B -q -o -pl pipelines -am dependency:build-classpath \
  -Dmdep.outputFile="$PWD/target/dryrun-cp.txt" >/dev/null 2>&1 || true
cp="pipelines/target/test-classes:pipelines/target/classes:transforms/target/test-classes"
cp="$cp:transforms/target/classes:$(cat target/dryrun-cp.txt)"
java -cp "$cp" dev.ferry.pipelines.dryrun.DryRunAccuracy | grep -E "RESULT|estimate|timing|sample  |this run|assum|    - "
