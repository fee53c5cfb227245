#!/bin/bash
# ab-ingest.sh <out dir> <checkout:tag>...: per pair, a fresh stack from the checkout, three ingest runs
out=$1; shift; mkdir -p "$out"
export DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191
for spec in "$@"; do
  dir=${spec%%:*}; tag=${spec##*:}
  export DATALINE_HOME=/tmp/s56/ab-home; rm -rf $DATALINE_HOME
  (cd "$dir" && ./dataline up > "$out/$tag-up.log" 2>&1)
  for i in 1 2 3; do
    (cd "$dir" && ./dataline bench ingest --out "$out/$tag-$i.json" > "$out/$tag-$i.txt" 2>&1)
  done
  (cd "$dir" && ./dataline down > /dev/null 2>&1)
done
echo DONE > "$out/done"
