-- Datasets: display name, immutable slug, primary key, current record schema and pipeline revision, head version.
CREATE TABLE dataset (
    id                bigserial   PRIMARY KEY,
    name              text        NOT NULL UNIQUE,
    slug              text        NOT NULL UNIQUE,
    description       text,
    primary_key       text        NOT NULL,
    key_type          text        NOT NULL CHECK (key_type IN ('STRING', 'INTEGER')),
    schema_version    integer     NOT NULL,
    pipeline_revision integer     NOT NULL,
    head              text,
    created_at        timestamptz NOT NULL
);

-- Every record schema a dataset has had (append-only).
CREATE TABLE dataset_schema (
    dataset_id  bigint      NOT NULL REFERENCES dataset (id),
    version     integer     NOT NULL,
    schema_json text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (dataset_id, version)
);

-- Numbered pipeline revisions (validation rules, training spec, promotion policy); each commit pins one.
CREATE TABLE pipeline_revision (
    dataset_id bigint      NOT NULL REFERENCES dataset (id),
    revision   integer     NOT NULL,
    spec_json  text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (dataset_id, revision)
);

-- Content-addressed tree nodes, shared by every version that contains them. Never updated or deleted.
CREATE TABLE chunk (
    hash  bytea    PRIMARY KEY,
    level smallint NOT NULL,
    data  bytea    NOT NULL
);

-- Immutable committed versions.
CREATE TABLE dataset_version (
    dataset_id        bigint      NOT NULL REFERENCES dataset (id),
    hash              text        NOT NULL,
    seq               bigint      NOT NULL,
    parent            text,
    data_hash         text        NOT NULL,
    message           text        NOT NULL,
    author            text        NOT NULL,
    committed_at      timestamptz NOT NULL,
    record_count      bigint      NOT NULL,
    added             bigint      NOT NULL,
    updated           bigint      NOT NULL,
    deleted           bigint      NOT NULL,
    pipeline_revision integer     NOT NULL,
    schema_version    integer     NOT NULL,
    code_commit       text,
    PRIMARY KEY (dataset_id, hash),
    UNIQUE (dataset_id, seq)
);

-- The dataset's working area: staged upserts (record = canonical JSON) and deletes, one per key.
CREATE TABLE staged_change (
    dataset_id bigint  NOT NULL REFERENCES dataset (id),
    record_key bytea   NOT NULL,
    op         char(1) NOT NULL CHECK (op IN ('U', 'D')),
    record     bytea,
    PRIMARY KEY (dataset_id, record_key)
);

-- Answers to commit requests that carried an Idempotency-Key, so a retry gets the first answer.
CREATE TABLE idempotent_commit (
    dataset_id   bigint      NOT NULL REFERENCES dataset (id),
    idem_key     text        NOT NULL,
    request_hash text        NOT NULL,
    version_hash text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (dataset_id, idem_key)
);

-- API keys, stored only as SHA-256 of the secret.
CREATE TABLE api_key (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL,
    key_hash   text        NOT NULL UNIQUE,
    scopes     text        NOT NULL,
    datasets   text,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
