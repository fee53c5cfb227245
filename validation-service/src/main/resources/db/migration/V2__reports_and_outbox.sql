-- One report per validation run of a version (a rerun adds one); the newest is the version's verdict.
CREATE TABLE validation_report (
    id                bigserial   PRIMARY KEY,
    dataset           text        NOT NULL,
    dataset_slug      text        NOT NULL,
    data_version      text        NOT NULL,
    parent            text,
    pipeline_revision integer     NOT NULL,
    passed            boolean     NOT NULL,
    record_count      bigint      NOT NULL,
    checks_run        integer     NOT NULL,
    checks_failed     integer     NOT NULL,
    checks_json       text        NOT NULL,
    drift_json        text        NOT NULL,
    cause_event_id    uuid        NOT NULL,
    created_at        timestamptz NOT NULL
);
CREATE INDEX validation_report_version ON validation_report (dataset_slug, data_version, id DESC);
