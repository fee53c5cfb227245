-- Pull requests (issue 18): a proposal to merge one branch into another. A merge that is not a fast-forward makes a
-- version with two parents: parent (the branch merged into) and merge_parent (the branch merged).
ALTER TABLE dataset_version ADD COLUMN merge_parent text;

CREATE TABLE pull_request (
    dataset_id    bigint      NOT NULL REFERENCES dataset (id),
    number        integer     NOT NULL,
    from_branch   text        NOT NULL,
    into_branch   text        NOT NULL,
    title         text        NOT NULL,
    description   text,
    state         text        NOT NULL CHECK (state IN ('open', 'merged', 'closed')),
    author        text        NOT NULL,
    created_at    timestamptz NOT NULL,
    closed_at     timestamptz,
    merge_version text,
    PRIMARY KEY (dataset_id, number)
);
