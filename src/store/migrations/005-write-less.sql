-- Version 4 to 5 (see schema.sql): an import's added developments journaled
-- as one key range and one digest; the key of a development sync removes,
-- which undo gives back. Entries written before keep their rows and undo
-- as they did.

ALTER TABLE journal ADD COLUMN added_after INTEGER;
ALTER TABLE journal ADD COLUMN added_last INTEGER;
ALTER TABLE journal ADD COLUMN added_digest TEXT;
ALTER TABLE journal_changes ADD COLUMN dev_key INTEGER;

-- The sources of each development are kept in its `sources` column alone:
-- the table that repeated them was written for every development and read
-- by no query.
DROP TABLE sources;
