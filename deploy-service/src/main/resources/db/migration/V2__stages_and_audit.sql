-- Every model version this service has heard of (model.registered), with what it needs to promote it later by hand.
CREATE TABLE candidate (
    model                 text        NOT NULL,
    version               integer     NOT NULL,
    dataset               text        NOT NULL,
    dataset_slug          text        NOT NULL,
    data_version          text        NOT NULL,
    pipeline_revision     integer     NOT NULL,
    run_id                text        NOT NULL,
    metrics_json          text        NOT NULL,
    baseline_version      integer,
    baseline_metrics_json text,
    artifact_uri          text        NOT NULL,
    artifact_sha256       text        NOT NULL,
    registered_event_id   uuid        NOT NULL,
    outcome               text,       -- promoted | rejected
    reason                text,
    gates_json            text,
    received_at           timestamptz NOT NULL,
    PRIMARY KEY (model, version)
);

-- The staging alias: at most one version per model, moved atomically with its audit row and outgoing event.
CREATE TABLE model_stage (
    model           text        NOT NULL,
    stage           text        NOT NULL,
    version         integer     NOT NULL,
    dataset         text        NOT NULL,
    dataset_slug    text        NOT NULL,
    data_version    text        NOT NULL,
    artifact_uri    text        NOT NULL,
    artifact_sha256 text        NOT NULL,
    since           timestamptz NOT NULL,
    PRIMARY KEY (model, stage)
);

-- The audit trail: one row per move of an alias (promotion, manual promotion, rollback). Append-only.
CREATE TABLE promotion (
    id               bigserial   PRIMARY KEY,
    model            text        NOT NULL,
    stage            text        NOT NULL,
    version          integer     NOT NULL,
    previous_version integer,
    data_version     text        NOT NULL,
    at               timestamptz NOT NULL,
    cause            text        NOT NULL,   -- the causing event id, or the key name of a person
    rollback         boolean     NOT NULL,
    forced           boolean     NOT NULL,
    gates_json       text        NOT NULL,
    event_id         uuid        NOT NULL
);
CREATE INDEX promotion_model_at ON promotion (model, stage, at DESC, id DESC);

CREATE FUNCTION promotion_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the promotion audit trail is append-only';
END $$;
CREATE TRIGGER promotion_append_only BEFORE UPDATE OR DELETE ON promotion FOR EACH ROW EXECUTE FUNCTION promotion_append_only();
