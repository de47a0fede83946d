-- Version 1 to 2: who recorded and last changed each record, who ran each
-- journal entry, and the state of sharing through git. See schema.sql.
ALTER TABLE watch_items ADD COLUMN recorded_by TEXT;
ALTER TABLE watch_items ADD COLUMN updated_at TEXT;
ALTER TABLE watch_items ADD COLUMN updated_by TEXT;

ALTER TABLE developments ADD COLUMN recorded_by TEXT;
ALTER TABLE developments ADD COLUMN updated_at TEXT;
ALTER TABLE developments ADD COLUMN updated_by TEXT;

ALTER TABLE journal ADD COLUMN author TEXT;
ALTER TABLE journal ADD COLUMN sync_base TEXT;

CREATE TABLE sync_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    remote    TEXT NOT NULL,
    base      TEXT,
    synced_at TEXT
) STRICT;
