-- Webhooks: who to call for which events of a dataset. Secrets and tokens only encrypted (AES-GCM, key from config).
CREATE TABLE webhook (
    id          uuid        PRIMARY KEY,
    dataset_id  bigint      NOT NULL REFERENCES dataset (id),
    url         text        NOT NULL,
    events      text[]      NOT NULL,
    format      text        NOT NULL,
    secret      text,
    token       text,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL
);
CREATE INDEX webhook_dataset ON webhook (dataset_id);

-- One row per (webhook, event) and per redelivery; the bigserial id is the order an endpoint receives them in.
CREATE TABLE webhook_delivery (
    id              bigserial   PRIMARY KEY,
    delivery_id     uuid        NOT NULL UNIQUE,
    webhook_id      uuid        NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    event           text        NOT NULL,
    event_id        uuid        NOT NULL,
    data_version    text        NOT NULL,
    body            text        NOT NULL,
    redelivery_of   uuid,
    state           text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz
);
CREATE UNIQUE INDEX webhook_delivery_once ON webhook_delivery (webhook_id, event_id) WHERE redelivery_of IS NULL;
CREATE INDEX webhook_delivery_pending ON webhook_delivery (webhook_id, id) WHERE state = 'pending';

-- Every attempt of a delivery: when, how long, what came back.
CREATE TABLE webhook_attempt (
    id            bigserial   PRIMARY KEY,
    delivery_id   bigint      NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    number        int         NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   bigint      NOT NULL,
    status_code   int,
    error         text,
    response      text
);
CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, number);
