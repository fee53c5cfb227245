-- Idempotent consumption: the id of every event this service has acted on, written in the same transaction as
-- the effect, so a redelivered event changes nothing.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL
);
