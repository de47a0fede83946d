-- Version 6 to 7 (see schema.sql): the shards a sync must merge are marked
-- as developments change, so that a sync reads what changed, not the store.
-- What changed before this upgrade is not known: a store that has synced
-- marks every shard ('*'), and its next sync reads everything once.
CREATE TABLE sync_dirty (
    shard TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TRIGGER developments_sync_insert AFTER INSERT ON developments
WHEN EXISTS (SELECT 1 FROM sync_state WHERE base IS NOT NULL)
BEGIN
    INSERT OR IGNORE INTO sync_dirty (shard) VALUES (substr(NEW.id, 1, 2));
END;

CREATE TRIGGER developments_sync_delete AFTER DELETE ON developments
WHEN EXISTS (SELECT 1 FROM sync_state WHERE base IS NOT NULL)
BEGIN
    INSERT OR IGNORE INTO sync_dirty (shard) VALUES (substr(OLD.id, 1, 2));
END;

CREATE TRIGGER developments_sync_update AFTER UPDATE ON developments
WHEN EXISTS (SELECT 1 FROM sync_state WHERE base IS NOT NULL)
BEGIN
    INSERT OR IGNORE INTO sync_dirty (shard) VALUES (substr(OLD.id, 1, 2));
    INSERT OR IGNORE INTO sync_dirty (shard) VALUES (substr(NEW.id, 1, 2));
END;

INSERT INTO sync_dirty (shard)
SELECT '*' WHERE EXISTS (SELECT 1 FROM sync_state WHERE base IS NOT NULL);
