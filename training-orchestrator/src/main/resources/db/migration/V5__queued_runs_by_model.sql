-- Runs of one model execute one at a time, in the order they were queued (TrainingRunRepository.claimNext): a queued
-- run may start only when no earlier run of its model is still queued. This index answers that with one probe per
-- candidate, however long the queue (after an outage it can hold thousands of runs).
CREATE INDEX training_run_queued_by_model ON training_run (model, created_at, id) WHERE state = 'QUEUED';
