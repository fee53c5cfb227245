-- Shared by every service (service-support): versions 0.x, so they sort before any service's own (V1 and up).
-- IF NOT EXISTS: databases created before these tables moved here already have them.

-- Idempotent consumption: the id of every event a service has acted on, written in the same transaction as the
-- effect, so a redelivered event changes nothing.
CREATE TABLE IF NOT EXISTS processed_event (
    event_id     uuid        PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL
);

-- Transactional outbox: written with the state change, published in id order by the relay.
CREATE TABLE IF NOT EXISTS outbox_event (
    id          bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text        NOT NULL,
    traceparent text,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_event_unsent ON outbox_event (id) WHERE sent_at IS NULL;
