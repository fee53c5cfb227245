#!/bin/bash
# usage: steps.sh <DATALINE_HOME> <output path without extension>: runlogs.py's step medians of the last 100 runs
python3 "$(cd "$(dirname "$0")" && pwd)/runlogs.py" "$1" 100 > "$2.steps" 2>&1
