#!/bin/bash
# DRIVER_HOOK / DRIVER_HOOK2 for session 48's Drive1m.java: turns on PostgreSQL's timing of its WAL I/O (once), and
# prints pg_stat_wal's records, bytes, writes, syncs and their times (cumulative). PostgreSQL's statistics reach
# pg_stat_wal late, so only sums over many commits mean anything (walio.py)
P="psql -h 127.0.0.1 -p 20191 -U postgres -d dataset_service -At"
if [ "$($P -c 'SHOW track_wal_io_timing')" != on ]; then
  $P -c "ALTER SYSTEM SET track_wal_io_timing = on" -c "SELECT pg_reload_conf()" > /dev/null
fi
$P -c "SELECT 'walio', now(), wal_records, wal_bytes, wal_write, wal_sync, round(wal_write_time::numeric, 2), round(wal_sync_time::numeric, 2) FROM pg_stat_wal" | tr '|' ' '
