-- Version 11 to 12 (see schema.sql): watch_stats kept step by step. A link
-- that stops counting no longer makes its watch item's links be counted
-- again (5 ms a development at 100,000, which made undo, retract and
-- --known-on slow); the totals are unchanged, and `check` still compares
-- them with the links.
DROP TRIGGER links_stats_delete;
DROP TRIGGER links_stats_update;

-- A link that stops counting takes one away; the latest day is looked up
-- again (one step down links_settled) only when it may have been that
-- link's. Never a count of the item's links: undoing, retracting or
-- re-dating one development costs the same at any size of tracker.
CREATE TRIGGER links_stats_delete AFTER DELETE ON links
WHEN OLD.retracted = 0 AND OLD.scheduled = 0
BEGIN
    UPDATE watch_stats
       SET developments = developments - 1,
           latest_settled = CASE
               WHEN OLD.settled IS NULL OR OLD.settled < latest_settled THEN latest_settled
               ELSE (SELECT max(settled) FROM links
                      WHERE watch_id = OLD.watch_id AND retracted = 0 AND scheduled = 0)
           END
     WHERE watch_id = OLD.watch_id;
END;

-- The old link taken away as by links_stats_delete, the new one added as by
-- links_stats_insert (the look-up of the latest day, after the update, sees
-- the new link already).
CREATE TRIGGER links_stats_update AFTER UPDATE ON links
WHEN (OLD.retracted = 0 AND OLD.scheduled = 0) OR (NEW.retracted = 0 AND NEW.scheduled = 0)
BEGIN
    UPDATE watch_stats
       SET developments = developments - 1,
           latest_settled = CASE
               WHEN OLD.settled IS NULL OR OLD.settled < latest_settled THEN latest_settled
               ELSE (SELECT max(settled) FROM links
                      WHERE watch_id = OLD.watch_id AND retracted = 0 AND scheduled = 0)
           END
     WHERE watch_id = OLD.watch_id AND OLD.retracted = 0 AND OLD.scheduled = 0;
    INSERT INTO watch_stats (watch_id, developments, latest_settled)
    SELECT NEW.watch_id, 1, NEW.settled
     WHERE NEW.retracted = 0 AND NEW.scheduled = 0
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = developments + 1,
           latest_settled = max(coalesce(latest_settled, ''), excluded.latest_settled);
END;

