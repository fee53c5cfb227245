#!/bin/bash
# DRIVER_HOOK / DRIVER_HOOK2 for session 48's Drive1m.java: cumulative pg_stat_io (relation I/O by backend type), pg_stat_wal and
# pg_stat_checkpointer of the driver's stack, printed before and/or after each commit; driver/io.py turns them into deltas
P="psql -h 127.0.0.1 -p 20191 -U postgres -d dataset_service -At"
$P -c "SELECT 'io', backend_type, object, context, reads, writes, extends, hits, evictions FROM pg_stat_io WHERE backend_type in ('client backend','checkpointer','background writer','autovacuum worker') AND object='relation' AND (reads>0 OR writes>0 OR hits>0)" | tr '|' ' '
$P -c "SELECT 'wal', wal_records, wal_fpi, wal_bytes FROM pg_stat_wal" | tr '|' ' '
$P -c "SELECT 'ckpt', num_timed, num_requested, buffers_written FROM pg_stat_checkpointer" | tr '|' ' '
