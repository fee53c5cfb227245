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
    author_key    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    closed_at     timestamptz,
    merge_version text,
    PRIMARY KEY (dataset_id, number)
);

-- Reviews: each key's latest verdict on a pull request, and the head of "from" it reviewed (an approval counts only
-- while that is still the head).
CREATE TABLE pull_review (
    dataset_id       bigint      NOT NULL,
    number           integer     NOT NULL,
    reviewer_key     text        NOT NULL,
    reviewer         text        NOT NULL,
    verdict          text        NOT NULL CHECK (verdict IN ('approve', 'request-changes')),
    comment          text,
    reviewed_version text        NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (dataset_id, number, reviewer_key),
    FOREIGN KEY (dataset_id, number) REFERENCES pull_request (dataset_id, number)
);

-- Branch protection: a protected branch moves only by merged pull requests with enough approvals.
CREATE TABLE branch_protection (
    dataset_id         bigint      NOT NULL REFERENCES dataset (id),
    branch             text        NOT NULL,
    required_approvals integer     NOT NULL CHECK (required_approvals BETWEEN 0 AND 10),
    updated_at         timestamptz NOT NULL,
    updated_by         text        NOT NULL,
    PRIMARY KEY (dataset_id, branch)
);
