#!/bin/bash
# usage: run1m.sh <worktree> <tag> <commits> [jfr]: fresh stack from the worktree, 1M load, commits; log /tmp/drv/<tag>.txt
w=$1; tag=$2; commits=$3; jfr=$4
home=/tmp/drvh-$tag; rm -rf $home
export DATALINE_HOME=$home DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191 DATALINE_ADMIN_KEY=drv-admin-key-0123456789
cd $w && ./dataline up > /tmp/drv/$tag-up.log 2>&1
java -Xmx2g -cp "$w/bench/target/dataline-bench.jar:$w/bench/target/lib/*" /tmp/drv/Drive1m.java http://127.0.0.1:20100 $commits ${jfr:+/tmp/drv/$tag.jfr} > /tmp/drv/$tag.txt 2>&1
./dataline down >> /tmp/drv/$tag-up.log 2>&1
rm -rf $home
echo DRVDONE
