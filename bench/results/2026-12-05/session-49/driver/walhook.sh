#!/bin/bash
P="psql -h 127.0.0.1 -p 20191 -U postgres -d dataset_service -At"
$P -c "SELECT 'WAL', wal_records, wal_fpi, wal_bytes, (SELECT num_timed||'/'||num_requested FROM pg_stat_checkpointer) FROM pg_stat_wal"
