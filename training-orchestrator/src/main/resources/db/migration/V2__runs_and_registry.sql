-- A training run is a persisted state machine: QUEUED -> RUNNING -> SUCCEEDED | FAILED. A RUNNING run whose
-- heartbeat stopped (its orchestrator died) is queued again or failed, never left RUNNING.
CREATE TABLE training_run (
    id                uuid        PRIMARY KEY,
    dataset           text        NOT NULL,
    dataset_slug      text        NOT NULL,
    data_version      text        NOT NULL,
    pipeline_revision integer     NOT NULL,
    model             text        NOT NULL,
    trigger           text        NOT NULL,   -- event (dataset.validated) | manual (POST /runs)
    cause_event_id    uuid,
    requested_by      text,
    trainer           text        NOT NULL,
    template          text,
    spec_json         text        NOT NULL,
    state             text        NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0,
    reason            text,
    logs_tail         text,
    traceparent       text,
    upload_token_hash text,
    model_version     integer,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    heartbeat_at      timestamptz,
    finished_at       timestamptz
);
-- One validated version gives at most one run (and so one model version), whatever the redelivery.
CREATE UNIQUE INDEX training_run_once_per_validated_version ON training_run (dataset_slug, data_version) WHERE trigger = 'event';
CREATE INDEX training_run_queued ON training_run (created_at) WHERE state = 'QUEUED';
CREATE INDEX training_run_dataset ON training_run (dataset_slug, created_at DESC);

-- The model registry: one model per dataset (named by its slug), versions 1, 2, ... with full lineage.
CREATE TABLE model_version (
    model                 text        NOT NULL,
    version               integer     NOT NULL,
    dataset               text        NOT NULL,
    dataset_slug          text        NOT NULL,
    data_version          text        NOT NULL,
    data_hash             text        NOT NULL,
    pipeline_revision     integer     NOT NULL,
    code_commit           text        NOT NULL,
    trainer               text        NOT NULL,
    template              text,
    spec_json             text        NOT NULL,
    metrics_json          text        NOT NULL,
    baseline_version      integer,
    baseline_metrics_json text,
    artifact_uri          text        NOT NULL,
    artifact_sha256       text        NOT NULL,
    artifact_size         bigint      NOT NULL,
    artifact_format       text        NOT NULL,
    artifact_path         text        NOT NULL,
    train_records         integer     NOT NULL,
    held_out_records      integer     NOT NULL,
    held_out_sample_json  text        NOT NULL,
    run_id                uuid        NOT NULL UNIQUE REFERENCES training_run (id),
    created_at            timestamptz NOT NULL,
    PRIMARY KEY (model, version)
);

-- Which version is in staging, as followed from model.promoted (the baseline for new candidates).
CREATE TABLE staged_model (
    model      text        PRIMARY KEY,
    version    integer     NOT NULL,
    since      timestamptz NOT NULL,
    event_id   uuid        NOT NULL
);
