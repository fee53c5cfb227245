#!/bin/bash
# usage: ab.sh <checkout A> <checkout B> <tag> <pairs> [suite options]
# Alternates `./dataline bench $SUITE` runs (default commit-scaling) of two built checkouts (A, B, A, B, ...), each on a
# fresh stack in its own empty DATALINE_HOME (deleted after), results in $OUT (default /tmp/ab)/<tag>-<A|B>-<n>.json and
# .log; with $AFTER set, `$AFTER <that run's DATALINE_HOME> <its output path without .json>` runs after each run.
a=$1; b=$2; tag=$3; pairs=$4; shift 4
suite=${SUITE:-commit-scaling}
out=${OUT:-/tmp/ab}; mkdir -p "$out"
home=$(mktemp -d /tmp/ab-home.XXXXXX)
for i in $(seq 1 "$pairs"); do
  for side in A B; do
    if [ $side = A ]; then dir=$a; else dir=$b; fi
    rm -rf "$home"
    (cd "$dir" && DATALINE_HOME=$home DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191 \
      timeout 900 ./dataline bench "$suite" "$@" --out "$out/$tag-$side-$i.json" > "$out/$tag-$side-$i.log" 2>&1)
    echo "$side $i rc=$?"
    if [ -n "$AFTER" ]; then $AFTER "$home" "$out/$tag-$side-$i"; fi
  done
done
rm -rf "$home"
