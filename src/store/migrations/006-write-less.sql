-- Version 5 to 6 (see schema.sql): less written per development.
--
-- An import's added developments are journaled as one key range and one
-- digest; a development sync removes keeps its key in the journal, which
-- undo gives back. Entries written before keep their rows and undo as they
-- did.
ALTER TABLE journal ADD COLUMN added_after INTEGER;
ALTER TABLE journal ADD COLUMN added_last INTEGER;
ALTER TABLE journal ADD COLUMN added_digest TEXT;
ALTER TABLE journal_changes ADD COLUMN dev_key INTEGER;

-- A development's sources are kept in its sources column alone: the table
-- that repeated them was written for every development and read by no query.
DROP TABLE sources;

-- A development's actors are kept in its actors column alone; the actors
-- table holds the vocabulary with each name's count, and the --actor filter
-- goes through the full-text index.
ALTER TABLE actors ADD COLUMN developments INTEGER NOT NULL DEFAULT 0;
UPDATE actors
   SET developments = (SELECT count(*)
                         FROM development_actors da
                         JOIN developments d ON d.key = da.development
                        WHERE da.actor_id = actors.id AND d.retracted_at IS NULL);
DROP INDEX development_actors_by_actor;
DROP TABLE development_actors;

-- Read by the actors' counts alone, which need it no more.
DROP INDEX developments_retracted;
