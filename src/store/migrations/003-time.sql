-- Version 2 to 3: honest time (see schema.sql). A development's date may be an
-- interval or an open start, it may be scheduled, and it counts from the day
-- by which it had certainly happened (`settled`).
--
-- `developments` is rebuilt (SQLite cannot widen the precision CHECK in place):
-- the binary runs this step with foreign keys off, as SQLite's "making other
-- kinds of table schema changes" asks, and checks them before it commits.
-- The views, the triggers and the indexes that change are dropped and made
-- again with exactly the text of schema.sql.

DROP VIEW timeline;
DROP VIEW status_now;
DROP TRIGGER links_stats_insert;
DROP TRIGGER links_stats_delete;
DROP TRIGGER links_stats_update;
DROP TABLE watch_stats;

CREATE TABLE developments_v3 (
    key              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE
                     CHECK (length(id) BETWEEN 1 AND 32
                            AND id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*'),
    date             TEXT NOT NULL,
    date_start       TEXT NOT NULL,
    date_end         TEXT NOT NULL,
    precision        TEXT NOT NULL
                     CHECK (precision = 'day' OR precision = 'month' OR precision = 'year'
                            OR precision = 'interval'),
    uncertain        INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
    approximate      INTEGER NOT NULL DEFAULT 0 CHECK (approximate IN (0, 1)),
    settled          TEXT,
    scheduled        INTEGER NOT NULL DEFAULT 0 CHECK (scheduled IN (0, 1)),
    kind             TEXT NOT NULL REFERENCES kinds (name),
    headline         TEXT NOT NULL CHECK (trim(headline) <> ''),
    summary          TEXT,
    watch            TEXT NOT NULL DEFAULT '',
    actors           TEXT NOT NULL DEFAULT '',
    sources          TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT NOT NULL,
    retracted_at     TEXT,
    retracted_reason TEXT,
    recorded_by      TEXT,
    updated_at       TEXT,
    updated_by       TEXT,
    CHECK (date_start <= date_end),
    CHECK ((date_start = '') = (date GLOB '../*')),
    CHECK ((settled IS NULL) = (scheduled = 1)),
    CHECK (settled IS NULL OR (settled >= date_start AND settled <= date_end)),
    CHECK ((retracted_at IS NULL) = (retracted_reason IS NULL))
) STRICT;

-- Every development of version 2 is a single partial date, not scheduled,
-- and settled by the end of its interval or by the UTC day it was recorded,
-- if that is earlier but not before the interval starts.
INSERT INTO developments_v3
       (key, id, date, date_start, date_end, precision, uncertain, approximate, settled,
        scheduled, kind, headline, summary, watch, actors, sources, recorded_at, retracted_at,
        retracted_reason, recorded_by, updated_at, updated_by)
SELECT key, id, date, date_start, date_end, precision, uncertain, approximate,
       CASE WHEN substr(recorded_at, 1, 10) >= date_start AND substr(recorded_at, 1, 10) < date_end
            THEN substr(recorded_at, 1, 10) ELSE date_end END,
       0, kind, headline, summary, watch, actors, sources, recorded_at, retracted_at,
       retracted_reason, recorded_by, updated_at, updated_by
  FROM developments;

DROP TABLE developments;
ALTER TABLE developments_v3 RENAME TO developments;

CREATE INDEX developments_timeline
    ON developments (date_start, date_end, recorded_at, id)
    WHERE retracted_at IS NULL;

CREATE INDEX developments_by_kind ON developments (kind) WHERE retracted_at IS NULL;

CREATE INDEX developments_retracted ON developments (key) WHERE retracted_at IS NOT NULL;

CREATE INDEX developments_match ON developments (date, headline);

ALTER TABLE links ADD COLUMN settled TEXT;
ALTER TABLE links ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0 CHECK (scheduled IN (0, 1));

UPDATE links SET settled = (SELECT d.settled FROM developments d WHERE d.key = links.development);

DROP INDEX links_timeline;
DROP INDEX links_status_changes;

CREATE INDEX links_timeline
    ON links (watch_id, date_start, date_end, recorded_at, development, settled)
    WHERE retracted = 0 AND scheduled = 0;

CREATE INDEX links_status_changes
    ON links (watch_id, date_start, date_end, recorded_at, development, status, settled)
    WHERE retracted = 0 AND scheduled = 0 AND status IS NOT NULL;

CREATE INDEX links_scheduled
    ON links (watch_id, date_start, date_end, recorded_at, development)
    WHERE retracted = 0 AND scheduled = 1;

CREATE TRIGGER developments_keep_links_in_step
AFTER UPDATE OF date_start, date_end, recorded_at, retracted_at, settled, scheduled ON developments
BEGIN
    UPDATE links
       SET date_start = NEW.date_start,
           date_end = NEW.date_end,
           recorded_at = NEW.recorded_at,
           retracted = NEW.retracted_at IS NOT NULL,
           settled = NEW.settled,
           scheduled = NEW.scheduled
     WHERE development = NEW.key;
END;

CREATE TABLE watch_stats (
    watch_id       INTEGER PRIMARY KEY REFERENCES watch_items (id) ON DELETE CASCADE,
    developments   INTEGER NOT NULL,    -- links neither retracted nor scheduled
    latest_settled TEXT                 -- NULL when there are none
) STRICT;

INSERT INTO watch_stats (watch_id, developments, latest_settled)
SELECT watch_id, count(*), max(settled)
  FROM links WHERE retracted = 0 AND scheduled = 0 GROUP BY watch_id;

CREATE TRIGGER links_stats_insert AFTER INSERT ON links
WHEN NEW.retracted = 0 AND NEW.scheduled = 0
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_settled)
    VALUES (NEW.watch_id, 1, NEW.settled)
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = developments + 1,
           latest_settled = max(coalesce(latest_settled, ''), excluded.latest_settled);
END;

CREATE TRIGGER links_stats_delete AFTER DELETE ON links
WHEN OLD.retracted = 0 AND OLD.scheduled = 0
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_settled)
    SELECT OLD.watch_id, count(*), max(settled)
      FROM links WHERE watch_id = OLD.watch_id AND retracted = 0 AND scheduled = 0
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = excluded.developments,
           latest_settled = excluded.latest_settled;
END;

CREATE TRIGGER links_stats_update AFTER UPDATE ON links
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_settled)
    SELECT NEW.watch_id, count(*), max(settled)
      FROM links WHERE watch_id = NEW.watch_id AND retracted = 0 AND scheduled = 0
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = excluded.developments,
           latest_settled = excluded.latest_settled;
END;

CREATE TRIGGER developments_fts_insert AFTER INSERT ON developments
BEGIN
    INSERT INTO search_index (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

CREATE TRIGGER developments_fts_delete AFTER DELETE ON developments
BEGIN
    INSERT INTO search_index (search_index, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
END;

CREATE TRIGGER developments_fts_update AFTER UPDATE OF headline, summary, actors, sources ON developments
BEGIN
    INSERT INTO search_index (search_index, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
    INSERT INTO search_index (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

CREATE VIEW timeline AS
SELECT d.id, d.date, d.precision, d.kind, d.watch, d.actors, d.headline, d.summary,
       d.sources, d.recorded_at, d.date_start AS start, d.date_end AS "end",
       CASE d.scheduled WHEN 1 THEN 'true' ELSE 'false' END AS scheduled, d.recorded_by
  FROM developments d
 WHERE d.retracted_at IS NULL
 ORDER BY d.date_start, d.date_end, d.recorded_at, d.id;

CREATE VIEW status_now AS
WITH
  today (day) AS (SELECT date('now', 'localtime')),
  possible AS (
    SELECT l.watch_id, l.status, l.settled, d.id, d.date, d.headline,
           row_number() OVER (PARTITION BY l.watch_id
                              ORDER BY l.date_start, l.date_end, l.recorded_at, d.id) AS n
      FROM links l JOIN developments d ON d.key = l.development, today
     WHERE l.retracted = 0 AND l.scheduled = 0 AND l.date_start <= today.day),
  counted AS (
    SELECT p.watch_id, p.status, p.settled, p.date, p.headline, p.n
      FROM possible p, today
     WHERE p.settled <= today.day),
  changes AS (
    SELECT watch_id, status, date, n,
           lag(status) OVER (PARTITION BY watch_id ORDER BY n) AS previous
      FROM counted
     WHERE status IS NOT NULL),
  run_starts AS (
    SELECT watch_id, status, date, n,
           row_number() OVER (PARTITION BY watch_id ORDER BY n DESC) AS newest
      FROM changes
     WHERE previous IS NULL OR previous <> status),
  totals AS (
    SELECT watch_id, count(*) AS developments, max(n) AS last_n, max(settled) AS last_settled
      FROM counted
     GROUP BY watch_id),
  latest_possible AS (
    SELECT watch_id, status, id,
           row_number() OVER (PARTITION BY watch_id ORDER BY n DESC) AS newest
      FROM possible
     WHERE status IS NOT NULL),
  scheduled AS (
    SELECT l.watch_id, d.id, d.date, d.headline, l.date_end,
           row_number() OVER (PARTITION BY l.watch_id
                              ORDER BY l.date_start, l.date_end, l.recorded_at, d.id) AS n
      FROM links l JOIN developments d ON d.key = l.development
     WHERE l.retracted = 0 AND l.scheduled = 1),
  upcoming AS (
    SELECT s.watch_id, s.id, s.date, s.headline,
           row_number() OVER (PARTITION BY s.watch_id ORDER BY s.n) AS first
      FROM scheduled s, today
     WHERE s.date_end > today.day),
  overdue AS (
    SELECT watch_id, group_concat(id, ';') AS ids
      FROM (SELECT s.watch_id, s.id FROM scheduled s, today
             WHERE s.date_end <= today.day ORDER BY s.watch_id, s.n)
     GROUP BY watch_id),
  facts AS (
    SELECT w.slug, w.title,
           coalesce(r.status, 'open') AS status,
           r.date AS since,
           coalesce(t.developments, 0) AS developments,
           c.date AS last_date,
           c.headline AS last_headline,
           max(0, CAST(julianday(today.day) - julianday(coalesce(t.last_settled, w.opened_end))
                       AS INTEGER)) AS quiet_days,
           p.status AS possible_status,
           p.id AS possible_id,
           u.id AS next_scheduled_id,
           u.date AS next_scheduled_date,
           u.headline AS next_scheduled_headline,
           o.ids AS overdue
      FROM watch_items w
      JOIN today
      LEFT JOIN run_starts r ON r.watch_id = w.id AND r.newest = 1
      LEFT JOIN totals t ON t.watch_id = w.id
      LEFT JOIN counted c ON c.watch_id = w.id AND c.n = t.last_n
      LEFT JOIN latest_possible p ON p.watch_id = w.id AND p.newest = 1
      LEFT JOIN upcoming u ON u.watch_id = w.id AND u.first = 1
      LEFT JOIN overdue o ON o.watch_id = w.id
     WHERE w.opened_start <= today.day)
SELECT slug, title, status, since, developments, last_date, last_headline, quiet_days,
       (status NOT IN ('realised', 'dropped') AND quiet_days > 30) AS stale,
       CASE WHEN possible_status <> status THEN possible_status END AS provisional_status,
       CASE WHEN possible_status <> status THEN possible_id END AS provisional_id,
       next_scheduled_id, next_scheduled_date, next_scheduled_headline, overdue
  FROM facts
 ORDER BY slug;
