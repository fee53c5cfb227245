#!/bin/bash
# waits2.sh <out> <n>: n samples of dataset_service's backends, ~10 ms apart, from one psql session
q="select clock_timestamp()::time, pid, state, coalesce(wait_event_type,'-'), coalesce(wait_event,'CPU'), left(query, 30) from pg_stat_activity where datname='dataset_service' and pid <> pg_backend_pid() and backend_type='client backend';"
for i in $(seq 1 "$2"); do echo "$q"; echo "select pg_sleep(0.01);"; done | psql -h 127.0.0.1 -p 20191 -U postgres -d postgres -At -q > "$1"
