-- Branches and tags (issue 18). The default branch `main` is the dataset's own head (dataset.head, as before), so
-- every existing history is main's; other branches are rows here, each with its own head and staging area.
CREATE TABLE branch (
    dataset_id  bigint      NOT NULL REFERENCES dataset (id),
    name        text        NOT NULL,
    head        text        NOT NULL,
    created_from text       NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    PRIMARY KEY (dataset_id, name),
    FOREIGN KEY (dataset_id, head) REFERENCES dataset_version (dataset_id, hash) DEFERRABLE INITIALLY DEFERRED
);

-- Tags: immutable names for versions.
CREATE TABLE tag (
    dataset_id   bigint      NOT NULL REFERENCES dataset (id),
    name         text        NOT NULL,
    version_hash text        NOT NULL,
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    PRIMARY KEY (dataset_id, name),
    FOREIGN KEY (dataset_id, version_hash) REFERENCES dataset_version (dataset_id, hash) DEFERRABLE INITIALLY DEFERRED
);

-- The branch a version was committed on, and the branch a change set commits to.
ALTER TABLE dataset_version ADD COLUMN branch text NOT NULL DEFAULT 'main';
ALTER TABLE change_set ADD COLUMN branch text NOT NULL DEFAULT 'main';
