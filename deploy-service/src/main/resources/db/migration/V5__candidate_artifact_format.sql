-- The artifact's format as model.registered announced it (issue 17): the promotion needs it to know how to fetch and
-- check the artifact, and no longer asks the registry for the version's view to learn it. Null for candidates
-- announced before events carried it; those still ask.
ALTER TABLE candidate ADD COLUMN artifact_format text;
