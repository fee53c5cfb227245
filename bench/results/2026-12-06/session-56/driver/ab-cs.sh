#!/bin/bash
# ab-cs.sh <out dir> <checkout:tag>...: each a commit-scaling run on its own fresh stack (the suite starts and stops it)
out=$1; shift; mkdir -p "$out"
export DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191
for spec in "$@"; do
  dir=${spec%%:*}; tag=${spec##*:}
  export DATALINE_HOME=/tmp/s56/cs-home; rm -rf $DATALINE_HOME
  (cd "$dir" && ./dataline bench commit-scaling --out "$out/$tag.json" > "$out/$tag.txt" 2>&1)
done
echo DONE > "$out/done"
