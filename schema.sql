-- lookout store, schema version 11.
--
-- This file is embedded in the lookout binary and applied to a new store; the
-- store's `PRAGMA user_version` records which version it holds and
-- `PRAGMA application_id` (0x4C4B4F55, "LKOU") marks the file as a lookout store.
-- It is always the whole current schema. A store of an earlier version is
-- brought up to it by the steps in src/store/migrations/ (never edited once
-- released); a test checks that stores of versions 1, 2, 3 and 5 so upgraded have
-- exactly the tables, columns, indexes, views and triggers this file makes.
--
-- Conventions:
--   * Calendar days are TEXT 'YYYY-MM-DD', so they compare and sort as text.
--   * Times of recording are UTC RFC 3339 TEXT with microseconds,
--     'YYYY-MM-DDTHH:MM:SS.ffffffZ', so they sort as text too.
--   * A date is kept as entered (`date`) together with the interval of days it
--     covers (`date_start`..`date_end`): '2025-07' covers 2025-07-01 to
--     2025-07-31, '2025-06/2025-08-15' 2025-06-01 to 2025-08-15. An open start,
--     '../2025-07' (some time up to the end of July), has no first day: its
--     date_start is '' (empty text), which sorts before every day, so it comes
--     first in timeline order, has started by any day (`date_start <= day`),
--     and reads as the empty `start` cell the timeline CSV writes for it.
--     Every comparison uses the interval, every display the text.
--   * Timeline order is date_start, date_end, recorded_at, id.
--   * A development counts as of a day D when it is not retracted, not
--     scheduled, and its `settled` day (the day by which it had certainly
--     happened, see `developments`) is on or before D.
--   * Closed lists are checked with OR rather than IN: SQLite builds a
--     temporary table for an IN list of three or more values on every insert.
--   * A development has two keys: `id`, the short text users see and files
--     carry, and `key`, an internal integer that its links point to. Keys
--     grow in the order developments are written, so a bulk import appends
--     to links instead of inserting at random places, and what one import
--     added is one range of keys (see `journal`).

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

-- Something that happened — or, when scheduled, is due to happen. Never
-- deleted by lookout: a false report is retracted (retracted_at and
-- retracted_reason set), which leaves it out of status, timelines and search
-- but keeps it in the record.
CREATE TABLE developments (
    key              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE  -- short stable id shown to users; the key of re-import
                     CHECK (length(id) BETWEEN 1 AND 32
                            AND id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9-]*'),
    date             TEXT NOT NULL,     -- as entered: '2025-07-26', '2025-07', '2025?',
                                        -- '2025-06/2025-08-15', '../2025-07'
    date_start       TEXT NOT NULL,     -- '' for an open start (see the conventions above)
    date_end         TEXT NOT NULL,
    precision        TEXT NOT NULL
                     CHECK (precision = 'day' OR precision = 'month' OR precision = 'year'
                            OR precision = 'interval'),
    uncertain        INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),    -- '?' or '%' on a side
    approximate      INTEGER NOT NULL DEFAULT 0 CHECK (approximate IN (0, 1)),  -- '~' or '%' on a side
    -- The day by which it had certainly happened: date_end, or the UTC day of
    -- recorded_at when that is earlier but not before date_start (what was
    -- recorded had happened by then). NULL while scheduled: a development that
    -- is due never counts. Written with the row; `lookout check` recomputes it.
    settled          TEXT,
    scheduled        INTEGER NOT NULL DEFAULT 0 CHECK (scheduled IN (0, 1)),  -- due, not done
    kind             TEXT NOT NULL REFERENCES kinds (name),
    headline         TEXT NOT NULL CHECK (trim(headline) <> ''),
    summary          TEXT,
    -- The development's links, actors and sources as the timeline CSV writes
    -- them (';'-joined, in the order entered; a link is 'slug' or
    -- 'slug=status'; a source is a URL, a ';' inside one written '%3B', or a
    -- citation where the source has no address). watch is a copy of its rows
    -- in links, written with them, so that a timeline reads one row per
    -- development; links stay what status queries read. actors and sources
    -- are kept here only (since version 6): the --actor filter goes through
    -- the full-text index, and no query filters on a source.
    watch            TEXT NOT NULL DEFAULT '',
    actors           TEXT NOT NULL DEFAULT '',
    sources          TEXT NOT NULL DEFAULT '',
    -- When it was recorded; for a scheduled development later recorded as
    -- having happened (`edit --occurred`), when that was recorded.
    recorded_at      TEXT NOT NULL,
    retracted_at     TEXT,
    retracted_reason TEXT,
    recorded_by      TEXT,              -- who logged it ("Name <email>"); NULL: before version 2
    updated_at       TEXT,              -- when it last changed (NULL: never, or before version 2)
    updated_by       TEXT,              -- who changed it last
    CHECK (date_start <= date_end),
    CHECK ((date_start = '') = (date GLOB '../*')),
    CHECK ((settled IS NULL) = (scheduled = 1)),
    CHECK (settled IS NULL OR (settled >= date_start AND settled <= date_end)),
    CHECK ((retracted_at IS NULL) = (retracted_reason IS NULL))
) STRICT;

-- Timeline order over the developments that are not retracted.
CREATE INDEX developments_timeline
    ON developments (date_start, date_end, recorded_at, id)
    WHERE retracted_at IS NULL;

-- Counts by kind (`lookout kinds`) and the `--kind` filter.
CREATE INDEX developments_by_kind ON developments (kind) WHERE retracted_at IS NULL;

-- Re-import without ids matches a row by date, headline and watch slugs.
-- Built on demand: only an import of rows without ids reads it, so a bulk
-- load does not build it again, and the import that next needs it does
-- (lookout's audit and `check` accept a store without it).
CREATE INDEX developments_match ON developments (date, headline);

-- Developments by when they were recorded: `--recorded-since`, and the news
-- learnt late that `lookout changes` lists (recorded in its window).
CREATE INDEX developments_recorded
    ON developments (recorded_at)
    WHERE retracted_at IS NULL;

-- The few scheduled developments, in timeline order: what is due and overdue.
CREATE INDEX developments_scheduled
    ON developments (date_start, date_end, recorded_at, id)
    WHERE scheduled = 1 AND retracted_at IS NULL;

-- A development bears on a watch item, and may move the item to a status.
--
-- date_start, date_end, recorded_at, retracted, settled and scheduled are
-- copies of the development's columns, kept in step by the trigger below, so
-- that the per-item status queries (count, latest, status changes as of a
-- date, what is scheduled) read one index instead of visiting every
-- development of the item.
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
    settled        TEXT,
    scheduled      INTEGER NOT NULL DEFAULT 0 CHECK (scheduled IN (0, 1)),
    -- Keyed in the order entered, so a development's links read back in order
    -- without a sort (the timeline reads them for every development).
    PRIMARY KEY (development, position),
    UNIQUE (development, watch_id)
) STRICT, WITHOUT ROWID;

-- An item's developments that have happened or may have, in timeline order.
CREATE INDEX links_timeline
    ON links (watch_id, date_start, date_end, recorded_at, development, settled)
    WHERE retracted = 0 AND scheduled = 0;

-- The same, for the links that set a status.
CREATE INDEX links_status_changes
    ON links (watch_id, date_start, date_end, recorded_at, development, status, settled)
    WHERE retracted = 0 AND scheduled = 0 AND status IS NOT NULL;

-- An item's scheduled developments, in timeline order: next scheduled, overdue.
CREATE INDEX links_scheduled
    ON links (watch_id, date_start, date_end, recorded_at, development)
    WHERE retracted = 0 AND scheduled = 1;

-- An item's developments by the day they had certainly happened: those that
-- came to count between two dates (`lookout changes`), and the latest one
-- settled by a date (quiet days as of a past date).
CREATE INDEX links_settled
    ON links (watch_id, settled)
    WHERE retracted = 0 AND scheduled = 0;

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

-- Per watch item, what its links that may count add up to (not retracted,
-- not scheduled): how many there are and the latest day among them that one
-- had settled. Kept by the triggers below (and rebuilt after a bulk import),
-- so that today's status report reads one row per item instead of counting
-- its links: when latest_settled is on or before the report date, every one
-- of them counts. A report as of an earlier date counts the links instead.
CREATE TABLE watch_stats (
    watch_id       INTEGER PRIMARY KEY REFERENCES watch_items (id) ON DELETE CASCADE,
    developments   INTEGER NOT NULL,    -- links neither retracted nor scheduled
    latest_settled TEXT                 -- NULL when there are none
) STRICT;

CREATE TRIGGER links_stats_insert AFTER INSERT ON links
WHEN NEW.retracted = 0 AND NEW.scheduled = 0
BEGIN
    INSERT INTO watch_stats (watch_id, developments, latest_settled)
    VALUES (NEW.watch_id, 1, NEW.settled)
    ON CONFLICT (watch_id) DO UPDATE
       SET developments = developments + 1,
           latest_settled = max(coalesce(latest_settled, ''), excluded.latest_settled);
END;

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

-- Countries, blocs and organisations: every name a development's actors
-- column holds, and how many developments name it. A free vocabulary:
-- `lookout actors` lists them with counts so that typos show. A
-- development's actors are kept once, in its actors column; the --actor
-- filter finds them through the full-text index (`actors : "NAME"`) and
-- then compares names exactly (until version 6 a table repeated them, a
-- row per actor of each development, with two indexes).
CREATE TABLE actors (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (trim(name) <> '' AND instr(name, ';') = 0),
    -- How many developments not retracted name it; kept by lookout's writes
    -- (counted afresh at the end of a bulk load). 0: only retracted ones,
    -- or none any more (a name stays until `actors rename` merges it away).
    developments INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The timeline, as `lookout timeline --format csv` writes it (less the
-- spreadsheet formula guard): every development that is not retracted,
-- scheduled ones included, in timeline order. Lists are ';'-joined; `watch`
-- is 'slug' or 'slug=status'; `start` is empty for an open start.
CREATE VIEW timeline AS
SELECT d.id, d.date, d.precision, d.kind, d.watch, d.actors, d.headline, d.summary,
       d.sources, d.recorded_at, d.date_start AS start, d.date_end AS "end",
       CASE d.scheduled WHEN 1 THEN 'true' ELSE 'false' END AS scheduled, d.recorded_by
  FROM developments d
 WHERE d.retracted_at IS NULL
 ORDER BY d.date_start, d.date_end, d.recorded_at, d.id;

-- Each watch item's status today (the local calendar day), as
-- `lookout status --format csv` reports it with the default --stale-after 30.
-- A development counts when it is not retracted, not scheduled, and settled
-- by today (see the conventions at the top).
--   status:      the `to` of the last counted development, in timeline order,
--                whose link carries one; 'open' where none does.
--   since:       the date of the first development of the current unbroken
--                run of that status; NULL while the status is 'open' by default.
--   quiet_days:  from the latest settled day among the counted developments
--                (or the end of the opened date) to today, never negative.
--   stale:       1 when the status is neither realised nor dropped and
--                quiet_days is above 30.
--   provisional_status, provisional_id: when developments that may have
--                happened by today (interval started, not yet settled) would
--                give another status, that status and the development that
--                would set it; NULL otherwise.
--   next_scheduled_*: the earliest scheduled development whose interval ends
--                after today; overdue: the ids of those whose interval has
--                ended, ';'-joined in timeline order.
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

-- Full-text search over the words of each development: its headline, summary,
-- actors and sources. External content: the text lives in developments and
-- the index holds only what FTS5 needs, kept in step by the triggers below
-- (a bulk import drops them and rebuilds the index once). Search leaves
-- retracted developments out by joining developments. Named `<table>_fts`
-- and declared with content="developments", as Datasette (`?_search=`) and
-- sqlite-utils (`search`) look for a table's full-text index.
CREATE VIRTUAL TABLE developments_fts USING fts5(
    headline, summary, actors, sources,
    content="developments", content_rowid="key",
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER developments_fts_insert AFTER INSERT ON developments
BEGIN
    INSERT INTO developments_fts (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

CREATE TRIGGER developments_fts_delete AFTER DELETE ON developments
BEGIN
    INSERT INTO developments_fts (developments_fts, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
END;

CREATE TRIGGER developments_fts_update AFTER UPDATE OF headline, summary, actors, sources ON developments
BEGIN
    INSERT INTO developments_fts (developments_fts, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
    INSERT INTO developments_fts (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

-- The same text again, as trigrams (version 9 on), for the developments
-- whose text holds Chinese, Japanese or Korean (version 11 on). Chinese and
-- Japanese are written without spaces between words, and the word index
-- takes a whole run of such text for one word, so that `人工智能` would not
-- find `国务院发布人工智能行动计划`. A query holding such text reads this
-- index instead, where any part of three characters or more is found
-- (shorter parts are looked for in the text itself). Only a development
-- whose text holds such a character can match such a query, so only those
-- are indexed (`developments_cjk`, the class of characters `is_cjk` in
-- src/store/search/query.rs names, as a GLOB): a tracker in other languages pays
-- nothing for the index. Text all in ASCII (as many bytes as characters)
-- holds none, which is told before the slower GLOB is asked. Kept by the
-- triggers below and rebuilt after a bulk import, as the word index is.
-- Its content is a view, not 'developments': Datasette and sqlite-utils
-- take the table declared with content="developments" for a table's
-- full-text index, and that is developments_fts.
-- Plain 'trigram', without remove_diacritics: SQLite before 3.45 (the
-- sqlite3 shell or Python of many systems) cannot open, write through or
-- even drop a table declared with options it does not know.
CREATE VIEW developments_cjk AS
    SELECT key, headline, summary, actors, sources FROM developments
     WHERE ((length(CAST(headline AS BLOB)) <> length(headline) AND headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(summary AS BLOB)) <> length(summary) AND summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(actors AS BLOB)) <> length(actors) AND actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(sources AS BLOB)) <> length(sources) AND sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*'));

CREATE VIRTUAL TABLE developments_trigram USING fts5(
    headline, summary, actors, sources,
    content='developments_cjk', content_rowid='key',
    tokenize = 'trigram'
);

CREATE TRIGGER developments_trigram_insert AFTER INSERT ON developments
WHEN ((length(CAST(NEW.headline AS BLOB)) <> length(NEW.headline) AND NEW.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(NEW.summary AS BLOB)) <> length(NEW.summary) AND NEW.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(NEW.actors AS BLOB)) <> length(NEW.actors) AND NEW.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(NEW.sources AS BLOB)) <> length(NEW.sources) AND NEW.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*'))
BEGIN
    INSERT INTO developments_trigram (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

CREATE TRIGGER developments_trigram_delete AFTER DELETE ON developments
WHEN ((length(CAST(OLD.headline AS BLOB)) <> length(OLD.headline) AND OLD.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(OLD.summary AS BLOB)) <> length(OLD.summary) AND OLD.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(OLD.actors AS BLOB)) <> length(OLD.actors) AND OLD.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(OLD.sources AS BLOB)) <> length(OLD.sources) AND OLD.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*'))
BEGIN
    INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
END;

CREATE TRIGGER developments_trigram_update AFTER UPDATE OF headline, summary, actors, sources ON developments
BEGIN
    INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
    SELECT 'delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources
     WHERE ((length(CAST(OLD.headline AS BLOB)) <> length(OLD.headline) AND OLD.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(OLD.summary AS BLOB)) <> length(OLD.summary) AND OLD.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(OLD.actors AS BLOB)) <> length(OLD.actors) AND OLD.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(OLD.sources AS BLOB)) <> length(OLD.sources) AND OLD.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*'));
    INSERT INTO developments_trigram (rowid, headline, summary, actors, sources)
    SELECT NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources
     WHERE ((length(CAST(NEW.headline AS BLOB)) <> length(NEW.headline) AND NEW.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(NEW.summary AS BLOB)) <> length(NEW.summary) AND NEW.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(NEW.actors AS BLOB)) <> length(NEW.actors) AND NEW.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
        OR (length(CAST(NEW.sources AS BLOB)) <> length(NEW.sources) AND NEW.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*'));
END;

-- The change journal: one entry per command that changed the store (watch
-- add, edit and remove; kinds add; log; edit; retract; an import run), written
-- in the same transaction as the change. `lookout history` reads it;
-- `lookout undo` reverts the newest entry and deletes it. Not exported.
-- AUTOINCREMENT: an entry's number is never given to another after an undo,
-- so "#42" always means one entry.
CREATE TABLE journal (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,            -- UTC, when the command ran
    command   TEXT NOT NULL,            -- 'log', 'edit', 'import', 'sync', …
    summary   TEXT NOT NULL,            -- what it did, in a line
    author    TEXT,                     -- who ran it ("Name <email>"); NULL: before version 2
    sync_base TEXT,                     -- a sync: the commit the store agreed with before it,
                                        -- which undo puts back
    -- An import (version 6 on): the developments it added, as one range
    -- instead of a row each in journal_changes: those whose key is above
    -- added_after and at most added_last (keys grow with each insert, and
    -- the import held the write lock throughout), and added_digest, the
    -- wrapping sum of an xxh3-128 hash of each one's stored columns, in
    -- hex, which undo checks to be sure they are still as the import left
    -- them. NULL for every other entry.
    added_after  INTEGER,
    added_last   INTEGER,
    added_digest TEXT,
    -- Undone (version 8 on): when undo reverted the entry (UTC) and who ran
    -- it; NULL while the entry stands. An undone entry stays, so that
    -- `--known-on` can answer for an instant between it and its undo; undo
    -- and `history` pass over it (`history --all` shows it).
    undone_at    TEXT,
    undone_by    TEXT
) STRICT;

-- Each record an entry touched, in the order it was touched (a development an
-- import added is in the entry's range instead): before and after as JSON
-- Lines writes the record (NULL: it did not exist), and a digest of after,
-- which undo checks to be sure the record is still as the entry left it.
-- An import of an earlier version kept only the digest of what it added.
CREATE TABLE journal_changes (
    entry        INTEGER NOT NULL REFERENCES journal (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    record       TEXT NOT NULL CHECK (record = 'kind' OR record = 'watch' OR record = 'development'
                                      OR record = 'feed' OR record = 'inbox'),
    key          TEXT NOT NULL,         -- the kind's name, the item's slug, the development's id,
                                        -- the feed's name, the inbox entry's number
    before       TEXT,
    after        TEXT,
    after_digest TEXT,                  -- xxh3-64 of after, in hex; NULL when removed
    -- A development removed (by sync): its internal key, which undo gives it
    -- back, so that it is again in the range of the import that added it.
    dev_key      INTEGER,
    PRIMARY KEY (entry, seq),
    CHECK (before IS NOT NULL OR after_digest IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE INDEX journal_changes_by_record ON journal_changes (record, key, entry);

-- Feeds and the inbox (version 10 on): the feeds a user names (`feed add`)
-- and what `fetch` found in them, waiting to be logged (`inbox accept`) or
-- dismissed. Both belong to this store alone: export and sync never carry
-- them (the developments made from them travel as any other).
CREATE TABLE feeds (
    name          TEXT PRIMARY KEY
                  CHECK (length(name) BETWEEN 1 AND 64
                         AND name GLOB '[a-z0-9]*' AND name NOT GLOB '*[^a-z0-9-]*'),
    location      TEXT NOT NULL CHECK (location <> ''),  -- http(s) URL, file:// URL or path, as given
    watch         TEXT NOT NULL DEFAULT '[]',  -- JSON array of the slugs every entry suggests (--watch)
    match_words   TEXT NOT NULL DEFAULT '[]',  -- JSON array of 'SLUG=WORD' (--match): an entry
                                               -- whose title or summary holds WORD (case and
                                               -- accents aside) suggests SLUG
    added_at      TEXT NOT NULL,
    -- What the server said last, sent back on the next fetch (If-None-Match,
    -- If-Modified-Since) so that an unchanged feed costs one small answer.
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT                         -- UTC, when it was last read whole (NULL: never)
) STRICT;

-- One entry a fetch found. Kept once per feed and identity (its guid or id,
-- else its link), so that a later fetch never offers it again, whatever
-- became of it. An entry's number is what the analyst types; AUTOINCREMENT
-- so that a number is never given to another entry after an undo.
CREATE TABLE inbox (
    number      INTEGER PRIMARY KEY AUTOINCREMENT,
    feed        TEXT NOT NULL,              -- the feed's name (kept when the feed is removed)
    identity    TEXT NOT NULL,              -- guid or id, else link
    title       TEXT NOT NULL,              -- plain text, limits applied
    link        TEXT,
    published   TEXT,                       -- the date as the feed gave it
    day         TEXT,                       -- its day 'YYYY-MM-DD' when valid; NULL otherwise
    summary     TEXT,                       -- plain text, limits applied
    arrived_at  TEXT NOT NULL,              -- UTC, when the fetch found it
    state       TEXT NOT NULL DEFAULT 'new'
                CHECK (state = 'new' OR state = 'accepted' OR state = 'dismissed'),
    development TEXT,                       -- accepted: the id of the development it became
    reason      TEXT,                       -- dismissed: why, if told
    suggested   TEXT NOT NULL DEFAULT '[]', -- JSON array of the slugs it suggests, found on arrival
    UNIQUE (feed, identity)
) STRICT;

-- `inbox` lists what is new, oldest first, however many were handled.
CREATE INDEX inbox_new ON inbox (state, number);

-- Sharing through git (`lookout sync`): where the shared tracker lives and
-- the commit of it this store last agreed with, the base of the next merge.
-- At most one row.
CREATE TABLE sync_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    remote    TEXT NOT NULL,            -- a git URL or path, as given to `lookout sync REMOTE`
    base      TEXT,                     -- commit id; NULL until the first sync completes
    synced_at TEXT                      -- UTC, when base was last set
) STRICT;

-- The files of the shared tracker (sync::tree) whose developments changed in
-- the store since the last sync: a development's file is named by the first
-- two characters of its id, its shard. A sync merges only these and the files
-- the shared tracker changed, so its cost follows what changed, not the size
-- of the store; it empties the table when it completes. '*' stands for every
-- shard: after a bulk load, the undo of a sync, or an upgrade from a version
-- that did not keep this. Nothing is marked until a store has synced once (a
-- first sync reads everything).
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
