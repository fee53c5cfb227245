#!/bin/bash
# usage: ab-pl.sh <checkout A> <checkout B> <tag> <pairs>
# Alternates `./dataline bench pipeline-latency` of two built checkouts (A, B, A, B, ...), each on a fresh stack in its own
# empty DATALINE_HOME; results in $OUT/<tag>-<A|B>-<n>.json/.log, and each run's run logs' step medians in .steps.
a=$1; b=$2; tag=$3; pairs=$4
out=${OUT:-/tmp/ab}; mkdir -p "$out"
home=$(mktemp -d /tmp/ab-home.XXXXXX)
for i in $(seq 1 "$pairs"); do
  for side in A B; do
    if [ $side = A ]; then dir=$a; else dir=$b; fi
    rm -rf "$home"
    (cd "$dir" && DATALINE_HOME=$home DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191 \
      timeout 1200 ./dataline bench pipeline-latency --out "$out/$tag-$side-$i.json" > "$out/$tag-$side-$i.log" 2>&1)
    echo "$side $i rc=$?"
    python3 "$(dirname "$0")/runlogs.py" "$home" 100 > "$out/$tag-$side-$i.steps" 2>&1
  done
done
rm -rf "$home"
