-- processed_event (the inbox) and outbox_event come from the shared migrations of service-support
-- (db/dataline-shared, versions 0.x). Databases migrated before that keep them; dataline.flyway.released-checksums
-- accepts this file's released form.

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
