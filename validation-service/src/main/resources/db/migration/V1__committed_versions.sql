-- Idempotent consumption: the id of every event this service has acted on, written in the same transaction as
-- the effect, so a redelivered event changes nothing.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL
);

-- Every committed dataset version this service has received, i.e. its validation inbox.
CREATE TABLE committed_version (
    id                bigserial   PRIMARY KEY,
    event_id          uuid        NOT NULL UNIQUE REFERENCES processed_event (event_id),
    dataset           text        NOT NULL,
    dataset_slug      text        NOT NULL,
    data_version      text        NOT NULL,
    parent            text,
    data_hash         text        NOT NULL,
    record_count      bigint      NOT NULL,
    pipeline_revision integer     NOT NULL,
    committed_at      timestamptz NOT NULL,
    received_at       timestamptz NOT NULL,
    trace_id          text,
    UNIQUE (dataset_slug, data_version)
);
