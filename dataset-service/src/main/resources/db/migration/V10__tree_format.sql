-- How a dataset's version trees are cut into nodes (io.dataline.dataset.versioning.TreeFormat, issue 17). The format
-- decides every hash, so a dataset keeps the one it was created with: datasets created before formats existed are
-- format 1; new ones get the current format from the service (no default here, so none is created without one).
ALTER TABLE dataset ADD COLUMN tree_format smallint NOT NULL DEFAULT 1;
ALTER TABLE dataset ALTER COLUMN tree_format DROP DEFAULT;
