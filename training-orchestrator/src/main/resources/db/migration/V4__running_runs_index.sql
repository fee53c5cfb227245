-- The orphan sweep (every dataline.runs.poll-interval) looks for RUNNING runs with a stale heartbeat. Without an index
-- it read every run ever made. The index holds only RUNNING runs, keyed by id so that a heartbeat (which changes
-- heartbeat_at and logs_tail only) stays a HOT update.
CREATE INDEX training_run_running ON training_run (id) WHERE state = 'RUNNING';
