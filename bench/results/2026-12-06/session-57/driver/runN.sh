#!/bin/bash
# usage: run1m.sh <checkout> <tag> <commits> [jfr]: a fresh stack from the checkout (built), the driver against it,
# output in $OUT (default /tmp/s57/out)/<tag>.txt, the stack stopped and its home deleted after
w=$1; tag=$2; commits=$3; jfr=$4
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-/tmp/s57/out}; mkdir -p "$out"
home=/tmp/s57/outh-$tag; rm -rf $home
export DATALINE_HOME=$home DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191 DATALINE_ADMIN_KEY=drv-admin-key-0123456789
cd $w && ./dataline up > $out/$tag-up.log 2>&1
java -Xmx2g -cp "$w/bench/target/dataline-bench.jar:$w/bench/target/lib/*" $here/DriveN.java http://127.0.0.1:20100 $commits ${jfr:+$out/$tag.jfr} > $out/$tag.txt 2>&1
./dataline down >> $out/$tag-up.log 2>&1
rm -rf $home
echo DRVDONE
