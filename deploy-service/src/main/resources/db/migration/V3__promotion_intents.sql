-- Each move of the staging alias starts as an intent, so a move the process could not finish is known after a restart:
-- pending (recorded; the cluster may be patched) → done (alias moved, in the same transaction) | refused (the rollout
-- failed; the cluster was put back) | abandoned (its process ended or its alias move failed; the cluster is put back
-- to the alias by the reconciler).
CREATE TABLE promotion_intent (
    id           uuid        PRIMARY KEY,
    model        text        NOT NULL,
    from_version integer,
    to_version   integer     NOT NULL,
    rollback     boolean     NOT NULL,
    cause        text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('pending', 'done', 'refused', 'abandoned')),
    detail       text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE INDEX promotion_intent_pending ON promotion_intent (model) WHERE state = 'pending';
