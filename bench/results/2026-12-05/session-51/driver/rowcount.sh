#!/bin/bash
# The chunks one commit-scaling-like change writes, per tree level, and the nodes it reads, in memory (no service):
# a tree of N bench records in a format, then COMMITS changes of CHANGES records (70 % updates, 20 % inserts at the end,
# 10 % deletes), as commit-scaling makes them. Usage: rowcount.sh <checkout> <format> <records> <changes> <commits>
# (the checkout built: versioning/target and bench/target hold their jars).
set -euo pipefail
checkout=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
cp="$checkout/versioning/target/dataline-versioning-0.1.0-SNAPSHOT.jar:$checkout/bench/target/dataline-bench.jar"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
javac -cp "$cp" -d "$out" "$here/RowCount.java"
java -Xmx6g -cp "$out:$cp" RowCount "$@"
