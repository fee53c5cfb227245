#!/bin/bash
# run-one.sh <checkout> <tag>: one throughput suite with <checkout>'s bench client against the stack already running
# (DATALINE_HOME etc. as below), each process's CPU ticks from /proc before and after (session 42's cpu.sh.txt), for
# cpugroup.py. Build the client first in <checkout>: ./mvnw -o -q package -pl bench -Dmaven.test.skip=true
here=$(cd "$(dirname "$0")" && pwd)
cpu="$here/../../../2026-12-04/session-42/cpu.sh.txt"
out=${OUT:-/tmp/tp}
cd "$1"
export DATALINE_HOME=${DATALINE_HOME:-/tmp/tp/home} DATALINE_PORT_BASE=${DATALINE_PORT_BASE:-20100} \
  DATALINE_KAFKA_PORT=${DATALINE_KAFKA_PORT:-20190} DATALINE_POSTGRES_PORT=${DATALINE_POSTGRES_PORT:-20191}
bash "$cpu" > "$out/$2-w.txt"; date +%s.%N > "$out/$2-w.t"
java -Xmx2g -cp "bench/target/dataline-bench.jar:bench/target/lib/*" io.dataline.bench.Bench throughput --out "$out/$2.json" > "$out/$2.txt" 2>&1
bash "$cpu" > "$out/$2-end.txt"; date +%s.%N > "$out/$2-end.t"
