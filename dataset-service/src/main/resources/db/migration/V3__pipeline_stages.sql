-- The lineage projection: every pipeline stage a version reached, built from the pipeline topics.
CREATE TABLE pipeline_stage (
    id           bigserial   PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    topic        text        NOT NULL,
    dataset_slug text        NOT NULL,
    data_version text        NOT NULL,
    stage        text        NOT NULL,
    status       text        NOT NULL,
    at           timestamptz NOT NULL,
    detail       text        NOT NULL,
    link         text
);
CREATE INDEX pipeline_stage_version ON pipeline_stage (dataset_slug, data_version, at);
