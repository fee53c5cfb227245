#!/bin/bash
# usage: runBoth.sh <checkout> <tag> <commits-10k> <commits-1m>: one fresh stack from the checkout (built); DriveN with
# 10k records then with 1M records on it (1,000 changes a commit, no JFR); output in $OUT (default /tmp/s57/out)/<tag>-10k.txt
# and <tag>-1m.txt; the stack stopped and its home deleted after
w=$1; tag=$2; c10=$3; c1m=$4
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-/tmp/s57/out}; mkdir -p "$out"
home=/tmp/s57/outh-$tag; rm -rf $home
export DATALINE_HOME=$home DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191 DATALINE_ADMIN_KEY=drv-admin-key-0123456789
cd $w && ./dataline up > $out/$tag-up.log 2>&1
cp="$w/bench/target/dataline-bench.jar:$w/bench/target/lib/*"
DRIVER_N=10000 DRIVER_CHANGES=1000 java -Xmx2g -cp "$cp" $here/DriveN.java http://127.0.0.1:20100 $c10 > $out/$tag-10k.txt 2>&1
DRIVER_N=1000000 DRIVER_CHANGES=1000 java -Xmx2g -cp "$cp" $here/DriveN.java http://127.0.0.1:20100 $c1m > $out/$tag-1m.txt 2>&1
./dataline down >> $out/$tag-up.log 2>&1
rm -rf $home
echo DRVDONE
