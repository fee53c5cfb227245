-- A dataset's display name and its slug share one namespace: paths, key limits and introspection name a dataset by
-- either, so no name may equal another dataset's name or slug (issue 26, finding 3). The primary key enforces it, also
-- against two creations racing.
CREATE TABLE dataset_identifier (
    identifier text   PRIMARY KEY,
    dataset_id bigint NOT NULL REFERENCES dataset (id)
);

-- Existing datasets: names first, so where an older database already holds a name equal to another dataset's slug,
-- the name wins (that other dataset stays reachable by its own name; its slug still names its events and models).
INSERT INTO dataset_identifier (identifier, dataset_id) SELECT name, id FROM dataset ORDER BY id;
INSERT INTO dataset_identifier (identifier, dataset_id) SELECT slug, id FROM dataset ORDER BY id ON CONFLICT (identifier) DO NOTHING;
