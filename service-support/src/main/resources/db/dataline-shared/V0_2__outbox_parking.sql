-- A row the broker refuses for good (too large, unknown topic, not authorised, unserialisable) is parked after
-- dataline.relay.max-attempts tries instead of blocking every later event; rows of the same topic and key wait behind
-- it, so per-key order holds. Parked rows are listed and replayed through GET/POST /outbox/parked.
ALTER TABLE outbox_event ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbox_event ADD COLUMN IF NOT EXISTS last_error text;
ALTER TABLE outbox_event ADD COLUMN IF NOT EXISTS parked_at timestamptz;
CREATE INDEX IF NOT EXISTS outbox_event_parked ON outbox_event (topic, record_key) WHERE parked_at IS NOT NULL AND sent_at IS NULL;
