-- A chunk's bytes are in its row (DATALINE_CHUNKS=postgres) or in object storage (s3: data is NULL, the object key is
-- derived from the hash). The row is written in the committing transaction either way, so the table still says which
-- chunks exist; an object without a row is left over from a failed commit and is swept after a grace period.
ALTER TABLE chunk ALTER COLUMN data DROP NOT NULL;
