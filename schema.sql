-- lookout store, schema version 2.
--
-- This file is embedded in the lookout binary and applied to a new store; the
-- store's `PRAGMA user_version` records which version it holds and
-- `PRAGMA application_id` (0x4C4B4F55, "LKOU") marks the file as a lookout store.
-- It is always the whole current schema. A store of an earlier version is
-- brought up to it by the steps in src/store/migrations/ (never edited once
-- released); a test checks that a version-1 store so upgraded has exactly the
-- tables, columns, indexes, views and triggers this file makes.
--
-- Conventions:
--   * Calendar days are TEXT 'YYYY-MM-DD', so they compare and sort as text.
--   * Times of recording are UTC RFC 3339 TEXT with microseconds,
--     'YYYY-MM-DDTHH:MM:SS.ffffffZ', so they sort as text too.
--   * A partial date is kept as entered (`date`) together with the interval of
--     days it covers (`date_start`..`date_end`): '2025-07' covers 2025-07-01 to
--     2025-07-31. Every comparison uses the interval, every display the text.
--   * Timeline order is date_start, date_end, recorded_at, id.
--   * Closed lists are checked with OR rather than IN: SQLite builds a
--     temporary table for an IN list of three or more values on every insert.
--   * A development has two keys: `id`, the short text users see and files
--     carry, and `key`, an internal integer that the rows of links, actors and
--     sources point to. Keys grow in the order developments are written, so a
--     bulk import appends to those tables instead of inserting at random places.

-- The closed vocabulary of development kinds. `lookout kinds add` extends it.
CREATE TABLE kinds (
    name    TEXT PRIMARY KEY CHECK (name GLOB '[a-z0-9]*' AND name NOT GLOB '*[^a-z0-9-]*'),
    builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))  -- 1: shipped with lookout
) STRICT;

INSERT INTO kinds (name, builtin) VALUES
    ('plan-release', 1),
    ('org-launch', 1),
    ('response', 1),
    ('counter-move', 1),
    ('funding', 1),
    ('product-launch', 1),
    ('statement', 1),
    ('other', 1);

-- What is being followed: one "what to watch next" question of a briefing.
CREATE TABLE watch_items (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE
                 CHECK (length(slug) BETWEEN 1 AND 64
                        AND slug GLOB '[a-z0-9]*' AND slug NOT GLOB '*[^a-z0-9-]*'),
    title        TEXT NOT NULL CHECK (title <> ''),
    description  TEXT,                  -- the question, and what would count as realised
    opened       TEXT NOT NULL,         -- partial date as entered
    opened_start TEXT NOT NULL,         -- the item appears in reports from this day
    opened_end   TEXT NOT NULL,         -- quiet days count from here while nothing is logged
    created_at   TEXT NOT NULL,
    recorded_by  TEXT,                  -- who added it ("Name <email>"); NULL: before version 2
    updated_at   TEXT,                  -- when it last changed; sync settles conflicts by it
    updated_by   TEXT,                  -- who changed it last
    CHECK (opened_start <= opened_end)
) STRICT;

CREATE TABLE watch_tags (
    watch_id INTEGER NOT NULL REFERENCES watch_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- order as entered
    tag      TEXT NOT NULL CHECK (tag <> '' AND instr(tag, ';') = 0),
    PRIMARY KEY (watch_id, position),
    UNIQUE (watch_id, tag)
) STRICT, WITHOUT ROWID;

-- Something that happened. Never deleted by lookout: a false report is retracted
-- (retracted_at and retracted_reason set), which leaves it out of status,
-- timelines and search but keeps it in the record.
CREATE TABLE developments (
    key              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE  -- short stable id shown to users; the key of re-import
                     CHECK (length(id) BETWEEN 1 AND 32
                            AND id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*'),
    date             TEXT NOT NULL,     -- as entered, e.g. '2025-07-26', '2025-07', '2025?'
    date_start       TEXT NOT NULL,
    date_end         TEXT NOT NULL,
    precision        TEXT NOT NULL
                     CHECK (precision = 'day' OR precision = 'month' OR precision = 'year'),
    uncertain        INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),    -- '?' or '%'
    approximate      INTEGER NOT NULL DEFAULT 0 CHECK (approximate IN (0, 1)),  -- '~' or '%'
    kind             TEXT NOT NULL REFERENCES kinds (name),
    headline         TEXT NOT NULL CHECK (trim(headline) <> ''),
    summary          TEXT,
    -- The development's links, actors and sources as the timeline CSV writes
    -- them (';'-joined, in the order entered; a link is 'slug' or
    -- 'slug=status'). A copy of the rows in links, development_actors and
    -- sources, written with them, so that a timeline reads one row per
    -- development; those tables stay the ones queries filter and count on.
    watch            TEXT NOT NULL DEFAULT '',
    actors           TEXT NOT NULL DEFAULT '',
    sources          TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT NOT NULL,
    retracted_at     TEXT,
    retracted_reason TEXT,
    recorded_by      TEXT,              -- who logged it ("Name <email>"); NULL: before version 2
    updated_at       TEXT,              -- when it last changed (NULL: never, or before version 2)
    updated_by       TEXT,              -- who changed it last
    CHECK (date_start <= date_end),
    CHECK ((retracted_at IS NULL) = (retracted_reason IS NULL))
) STRICT;

-- Timeline order over the developments that count.
CREATE INDEX developments_timeline
    ON developments (date_start, date_end, recorded_at, id)
    WHERE retracted_at IS NULL;

-- Counts by kind (`lookout kinds`) and the `--kind` filter.
CREATE INDEX developments_by_kind ON developments (kind) WHERE retracted_at IS NULL;

-- The few retracted developments, so counts can leave them out cheaply.
CREATE INDEX developments_retracted ON developments (key) WHERE retracted_at IS NOT NULL;

-- Re-import without ids matches a row by date, headline and watch slugs.
CREATE INDEX developments_match ON developments (date, headline);

-- A development bears on a watch item, and may move the item to a status.
--
-- date_start, date_end, recorded_at and retracted are copies of the
-- development's columns, kept in step by the trigger below, so that the
-- per-item status queries (count, latest, status changes as of a date) read
-- one index instead of visiting every development of the item.
CREATE TABLE links (
    development    INTEGER NOT NULL REFERENCES developments (key) ON DELETE CASCADE,
    watch_id       INTEGER NOT NULL REFERENCES watch_items (id),
    position       INTEGER NOT NULL,    -- order as entered
    status         TEXT                 -- the status the item moves to; NULL: no change
                   CHECK (status = 'open' OR status = 'emerging' OR status = 'developing'
                          OR status = 'stalled' OR status = 'realised' OR status = 'dropped'),
    date_start     TEXT NOT NULL,
    date_end       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    retracted      INTEGER NOT NULL DEFAULT 0 CHECK (retracted IN (0, 1)),
    -- Keyed in the order entered, so a development's links read back in order
    -- without a sort (the timeline reads them for every development).
    PRIMARY KEY (development, position),
    UNIQUE (development, watch_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX links_timeline
    ON links (watch_id, date_start, date_end, recorded_at, development)
    WHERE retracted = 0;

CREATE INDEX links_status_changes
    ON links (watch_id, date_start, date_end, recorded_at, development, status)
    WHERE retracted = 0 AND status IS NOT NULL;

CREATE TRIGGER developments_keep_links_in_step
AFTER UPDATE OF date_start, date_end, recorded_at, retracted_at ON developments
BEGIN
    UPDATE links
       SET date_start = NEW.date_start,
           date_end = NEW.date_end,
           recorded_at = NEW.recorded_at,
           retracted = NEW.retracted_at IS NOT NULL
     WHERE development = NEW.key;
END;

-- Per watch item, what its counted links add up to: how many there are and
-- the latest start and end of their dates. Kept by the triggers below (and
-- rebuilt after a bulk import), so that today's status report reads one row
-- per item instead of counting its links. A report as of an earlier date
-- than latest_start counts the links instead.
CREATE TABLE watch_stats (
    watch_id     INTEGER PRIMARY KEY REFERENCES watch_items (id) ON DELETE CASCADE,
    developments INTEGER NOT NULL,      -- links that are not retracted
    latest_start TEXT,                  -- NULL when there are none
    latest_end   TEXT
) STRICT;

CREATE TRIGGER links_stats_insert AFTER INSERT ON links WHEN NEW.retracted = 0
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_start, latest_end)
    VALUES (NEW.watch_id, 1, NEW.date_start, NEW.date_end)
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = developments + 1,
           latest_start = max(coalesce(latest_start, ''), excluded.latest_start),
           latest_end = max(coalesce(latest_end, ''), excluded.latest_end);
END;

CREATE TRIGGER links_stats_delete AFTER DELETE ON links WHEN OLD.retracted = 0
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_start, latest_end)
    SELECT OLD.watch_id, count(*), max(date_start), max(date_end)
      FROM links WHERE watch_id = OLD.watch_id AND retracted = 0
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = excluded.developments,
           latest_start = excluded.latest_start,
           latest_end = excluded.latest_end;
END;

CREATE TRIGGER links_stats_update AFTER UPDATE ON links
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_start, latest_end)
    SELECT NEW.watch_id, count(*), max(date_start), max(date_end)
      FROM links WHERE watch_id = NEW.watch_id AND retracted = 0
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = excluded.developments,
           latest_start = excluded.latest_start,
           latest_end = excluded.latest_end;
END;

-- Countries, blocs and organisations, stored once. A free vocabulary:
-- `lookout actors` lists them with counts so that typos show.
CREATE TABLE actors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (trim(name) <> '' AND instr(name, ';') = 0)
) STRICT;

CREATE TABLE development_actors (
    development    INTEGER NOT NULL REFERENCES developments (key) ON DELETE CASCADE,
    position       INTEGER NOT NULL,    -- order as entered
    actor_id       INTEGER NOT NULL REFERENCES actors (id),
    PRIMARY KEY (development, position),
    UNIQUE (development, actor_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX development_actors_by_actor ON development_actors (actor_id, development);

-- Where a development was reported: URLs (a ';' inside one is stored as '%3B'),
-- or a citation where the source has no address.
CREATE TABLE sources (
    development    INTEGER NOT NULL REFERENCES developments (key) ON DELETE CASCADE,
    position       INTEGER NOT NULL,    -- order as entered
    source         TEXT NOT NULL CHECK (source <> '' AND instr(source, ';') = 0),
    PRIMARY KEY (development, position)
) STRICT, WITHOUT ROWID;

-- The timeline, as `lookout timeline --format csv` writes it (less the
-- spreadsheet formula guard): every development that is not retracted, in
-- timeline order. Lists are ';'-joined; `watch` is 'slug' or 'slug=status'.
CREATE VIEW timeline AS
SELECT d.id, d.date, d.precision, d.kind, d.watch, d.actors, d.headline, d.summary,
       d.sources, d.recorded_at
  FROM developments d
 WHERE d.retracted_at IS NULL
 ORDER BY d.date_start, d.date_end, d.recorded_at, d.id;

-- Each watch item's status today (the local calendar day), as
-- `lookout status --format csv` reports it with the default --stale-after 30.
--   status:     the `to` of the last counted development, in timeline order,
--               whose link carries one; 'open' where none does.
--   since:      the date of the first development of the current unbroken run
--               of that status; NULL while the status is 'open' by default.
--   quiet_days: from the latest end among the counted developments' intervals
--               (or the end of the opened date) to today, never negative.
--   stale:      1 when the status is neither realised nor dropped and
--               quiet_days is above 30.
CREATE VIEW status_now AS
WITH
  today (day) AS (SELECT date('now', 'localtime')),
  counted AS (
    SELECT l.watch_id, l.status, d.date, d.headline, l.date_end,
           row_number() OVER (PARTITION BY l.watch_id
                              ORDER BY l.date_start, l.date_end, l.recorded_at, d.id) AS n
      FROM links l JOIN developments d ON d.key = l.development, today
     WHERE l.retracted = 0 AND l.date_start <= today.day),
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
    SELECT watch_id, count(*) AS developments, max(n) AS last_n, max(date_end) AS last_end
      FROM counted
     GROUP BY watch_id),
  facts AS (
    SELECT w.slug, w.title,
           coalesce(r.status, 'open') AS status,
           r.date AS since,
           coalesce(t.developments, 0) AS developments,
           c.date AS last_date,
           c.headline AS last_headline,
           max(0, CAST(julianday(today.day) - julianday(coalesce(t.last_end, w.opened_end)) AS INTEGER))
             AS quiet_days
      FROM watch_items w
      JOIN today
      LEFT JOIN run_starts r ON r.watch_id = w.id AND r.newest = 1
      LEFT JOIN totals t ON t.watch_id = w.id
      LEFT JOIN counted c ON c.watch_id = w.id AND c.n = t.last_n
     WHERE w.opened_start <= today.day)
SELECT slug, title, status, since, developments, last_date, last_headline, quiet_days,
       (status NOT IN ('realised', 'dropped') AND quiet_days > 30) AS stale
  FROM facts
 ORDER BY slug;

-- Full-text search over the words of each development: its headline, summary,
-- actors and sources. External content: the text lives in developments and
-- the index holds only what FTS5 needs, kept in step by the triggers below
-- (a bulk import drops them and rebuilds the index once). Search leaves
-- retracted developments out by joining developments.
CREATE VIRTUAL TABLE search_index USING fts5(
    headline, summary, actors, sources,
    content = 'developments', content_rowid = 'key',
    tokenize = 'unicode61 remove_diacritics 2'
);

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

-- The change journal: one entry per command that changed the store (watch
-- add, edit and remove; kinds add; log; edit; retract; an import run), written
-- in the same transaction as the change. `lookout history` reads it;
-- `lookout undo` reverts the newest entry and deletes it. Not exported.
CREATE TABLE journal (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,            -- UTC, when the command ran
    command   TEXT NOT NULL,            -- 'log', 'edit', 'import', 'sync', …
    summary   TEXT NOT NULL,            -- what it did, in a line
    author    TEXT,                     -- who ran it ("Name <email>"); NULL: before version 2
    sync_base TEXT                      -- a sync: the commit the store agreed with before it,
                                        -- which undo puts back
) STRICT;

-- Each record an entry touched, in the order it was touched: before and
-- after as JSON Lines writes the record (NULL: it did not exist), and a
-- digest of after, which undo checks to be sure the record is still as the
-- entry left it. An import keeps only the digest of what it adds (not the
-- text, which the developments table holds), so a bulk load does not write
-- everything twice.
CREATE TABLE journal_changes (
    entry        INTEGER NOT NULL REFERENCES journal (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    record       TEXT NOT NULL CHECK (record = 'kind' OR record = 'watch' OR record = 'development'),
    key          TEXT NOT NULL,         -- the kind's name, the item's slug, the development's id
    before       TEXT,
    after        TEXT,
    after_digest TEXT,                  -- xxh3-64 of after, in hex; NULL when removed
    PRIMARY KEY (entry, seq),
    CHECK (before IS NOT NULL OR after_digest IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE INDEX journal_changes_by_record ON journal_changes (record, key, entry);

-- Sharing through git (`lookout sync`): where the shared tracker lives and
-- the commit of it this store last agreed with, the base of the next merge.
-- At most one row.
CREATE TABLE sync_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    remote    TEXT NOT NULL,            -- a git URL or path, as given to `lookout sync REMOTE`
    base      TEXT,                     -- commit id; NULL until the first sync completes
    synced_at TEXT                      -- UTC, when base was last set
) STRICT;
