-- Version 4 to 5: the briefing cycle (`lookout changes`, `--recorded-since`).
-- Three indexes, no change to any table; each is made with exactly the text
-- of schema.sql.

CREATE INDEX links_settled
    ON links (watch_id, settled)
    WHERE retracted = 0 AND scheduled = 0;

CREATE INDEX developments_recorded
    ON developments (recorded_at)
    WHERE retracted_at IS NULL;

CREATE INDEX developments_scheduled
    ON developments (date_start, date_end, recorded_at, id)
    WHERE scheduled = 1 AND retracted_at IS NULL;
