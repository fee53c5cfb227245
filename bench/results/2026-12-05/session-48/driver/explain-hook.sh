#!/bin/bash
P="psql -h 127.0.0.1 -p 20191 -U postgres -d dataset_service -At"
ds=$($P -c "SELECT dataset_id FROM staged_change GROUP BY 1 LIMIT 1")
$P -c "SELECT n_live_tup, n_dead_tup, last_vacuum, last_autovacuum, last_analyze FROM pg_stat_user_tables WHERE relname='staged_change'"
$P -c "SELECT pg_relation_size('staged_change'), pg_relation_size('staged_change_pkey')"
$P -c "EXPLAIN (ANALYZE, BUFFERS) SELECT record_key, op, record FROM staged_change WHERE dataset_id = $ds AND change_set = '00000000-0000-0000-0000-000000000000' ORDER BY record_key"
grep -h "vacuum" /tmp/drvh-*/logs/dataset-service*.log 2>/dev/null | tail -5 | cut -c1-250
$P -c "SELECT relpages, reltuples FROM pg_class WHERE relname in ('staged_change','staged_change_pkey')"
