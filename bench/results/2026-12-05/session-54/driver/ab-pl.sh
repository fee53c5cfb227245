#!/bin/bash
# usage: ab-pl.sh <checkout A> <checkout B> <tag> <pairs>
# Session 52's ab.sh with `./dataline bench pipeline-latency`; after each run, its training runs' step medians
# (runlogs.py over that run's DATALINE_HOME) in $OUT/<tag>-<A|B>-<n>.steps.
here=$(cd "$(dirname "$0")" && pwd)
export SUITE=pipeline-latency AFTER="$here/steps.sh"
exec "$here/../../session-52/driver/ab.sh" "$@"
