-- Change sets (issue 26, finding 5): a working area one API key owns, so two writers staging into one dataset at once
-- commit exactly their own records. The shared staging area is the change set 00000000-0000-0000-0000-000000000000.
CREATE TABLE change_set (
    id           uuid        PRIMARY KEY,
    dataset_id   bigint      NOT NULL REFERENCES dataset (id),
    owner_key    text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL
);
CREATE INDEX change_set_idle ON change_set (last_used_at);

ALTER TABLE staged_change ADD COLUMN change_set uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE staged_change DROP CONSTRAINT staged_change_pkey;
ALTER TABLE staged_change ADD PRIMARY KEY (dataset_id, change_set, record_key);

-- An Idempotency-Key belongs to the API key that sent it: two callers choosing the same key never get each other's
-- version. Rows written before carry '' (they stay valid for the callers that wrote them only by chance, so they are
-- simply no longer matched).
ALTER TABLE idempotent_commit ADD COLUMN api_key text NOT NULL DEFAULT '';
ALTER TABLE idempotent_commit DROP CONSTRAINT idempotent_commit_pkey;
ALTER TABLE idempotent_commit ADD PRIMARY KEY (dataset_id, api_key, idem_key);
