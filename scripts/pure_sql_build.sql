-- lookout's store built by the sqlite3 shell alone, from the benchmark's two
-- CSV files: the comparator `scripts/bench.py` runs beside `lookout import`,
-- the floor of what building this schema costs when nothing checks a row.
--
-- A template: bench.py replaces {SCHEMA}, {VERSION} (the schema's version, as
-- src/store/schema.rs counts it), {WATCH}, {DEVELOPMENTS}, {SCRATCH} (a file
-- the shell writes SQL to and reads back, for the statements it must build
-- from the schema), {AUTHOR}, and {ID} and {RECORDED_AT}: a row's id and time
-- of recording (for the mixed shape the file's own cells; for the text shape,
-- whose rows have neither, the row number scrambled and written in lookout's
-- alphabet, and now plus the row number in microseconds, as lookout records
-- them), then pipes it to `sqlite3 STORE`. It does what lookout's bulk path
-- does, in SQL: the schema from schema.sql, the secondary indexes and the
-- triggers of the totals, the search indexes and the sync marks dropped while
-- loading, the CSV read into a temporary table (`.import`), the formula guard
-- undone, dates turned into their intervals and settled days, links split out
-- of the watch column, the actors' counts, the indexes made again (not the
-- one built on demand), the totals computed, the search index rebuilt (with
-- lookout's 8 MiB term hash), one journal entry for the run. What it does not
-- do: check any row (dates against the calendar, kinds, slugs, statuses,
-- limits, duplicate ids), report bad rows, or compute the journal's digest
-- (it writes 0). It assumes the benchmark's dates: YYYY, YYYY-MM or
-- YYYY-MM-DD, each with an optional ?, ~ or % (no intervals), and the columns
-- the generator writes (either shape). `scripts/bench.py` checks the result
-- is lookout's store: `lookout check` passes on it, and its timeline and
-- status are lookout's.

PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -32768;
.headers off
.mode list
BEGIN;
.read {SCHEMA}
PRAGMA user_version = {VERSION};
PRAGMA application_id = 1280003925;

-- What lookout's bulk load defers, dropped now and made again at the end.
CREATE TEMP TABLE deferred AS
SELECT type, name, sql FROM sqlite_schema
 WHERE (type = 'index' AND sql IS NOT NULL
        AND tbl_name IN ('developments', 'links', 'journal_changes'))
    OR (type = 'trigger' AND (name LIKE 'links\_stats\_%' ESCAPE '\'
                              OR name LIKE 'developments\_fts\_%' ESCAPE '\'
                              OR name LIKE 'developments\_trigram\_%' ESCAPE '\'
                              OR name LIKE 'developments\_sync\_%' ESCAPE '\'));
.output {SCRATCH}
SELECT 'DROP ' || upper(type) || ' "' || name || '";' FROM temp.deferred;
.output stdout
.read {SCRATCH}

.import --csv --schema temp {WATCH} raw_watch
.import --csv --schema temp {DEVELOPMENTS} raw_dev

-- The formula guard undone: a leading ' before = + - @ tab CR or '.
CREATE TEMP VIEW cells AS
SELECT rowid AS n,
       {ID} AS id,
       date, kind, watch,
       CASE WHEN substr(actors, 1, 1) = '''' AND substr(actors, 2, 1) IN ('=', '+', '-', '@', char(9), char(13), '''')
            THEN substr(actors, 2) ELSE actors END AS actors,
       CASE WHEN substr(headline, 1, 1) = '''' AND substr(headline, 2, 1) IN ('=', '+', '-', '@', char(9), char(13), '''')
            THEN substr(headline, 2) ELSE headline END AS headline,
       CASE WHEN substr(summary, 1, 1) = '''' AND substr(summary, 2, 1) IN ('=', '+', '-', '@', char(9), char(13), '''')
            THEN substr(summary, 2) ELSE summary END AS summary,
       CASE WHEN substr(sources, 1, 1) = '''' AND substr(sources, 2, 1) IN ('=', '+', '-', '@', char(9), char(13), '''')
            THEN substr(sources, 2) ELSE sources END AS sources,
       {RECORDED_AT} AS recorded_at
  FROM temp.raw_dev;

-- Each date's qualifier, the date without it, and the interval it covers.
CREATE TEMP VIEW dated AS
WITH q AS (
    SELECT *, CASE WHEN substr(date, -1) IN ('?', '~', '%') THEN substr(date, -1) ELSE '' END AS qualifier
      FROM temp.cells),
b AS (SELECT *, substr(date, 1, length(date) - length(qualifier)) AS base FROM q)
SELECT *,
       CASE length(base) WHEN 10 THEN base WHEN 7 THEN base || '-01' ELSE base || '-01-01' END AS date_start,
       CASE length(base) WHEN 10 THEN base
                         WHEN 7 THEN date(base || '-01', '+1 month', '-1 day')
                         ELSE base || '-12-31' END AS date_end,
       CASE length(base) WHEN 10 THEN 'day' WHEN 7 THEN 'month' ELSE 'year' END AS precision
  FROM b;

INSERT INTO watch_items (slug, title, description, opened, opened_start, opened_end, created_at, recorded_by)
SELECT slug, title, nullif(description, ''), opened,
       CASE length(opened) WHEN 10 THEN opened WHEN 7 THEN opened || '-01' ELSE opened || '-01-01' END,
       CASE length(opened) WHEN 10 THEN opened
                           WHEN 7 THEN date(opened || '-01', '+1 month', '-1 day')
                           ELSE opened || '-12-31' END,
       strftime('%Y-%m-%dT%H:%M:%f000Z'), '{AUTHOR}'
  FROM temp.raw_watch ORDER BY rowid;

WITH RECURSIVE split (slug, position, rest, tag) AS (
    SELECT slug, -1, tags || ';', NULL FROM temp.raw_watch WHERE tags <> ''
    UNION ALL
    SELECT slug, position + 1, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
      FROM split WHERE rest <> '')
INSERT INTO watch_tags (watch_id, position, tag)
SELECT w.id, s.position, s.tag FROM split s JOIN watch_items w ON w.slug = s.slug
 WHERE s.tag IS NOT NULL ORDER BY w.id, s.position;

-- In file order, so that keys grow with the file as lookout writes them.
INSERT INTO developments
    (id, date, date_start, date_end, precision, uncertain, approximate, settled, scheduled,
     kind, headline, summary, watch, actors, sources, recorded_at, recorded_by)
SELECT id, date, date_start, date_end, precision,
       qualifier IN ('?', '%'), qualifier IN ('~', '%'),
       CASE WHEN substr(recorded_at, 1, 10) >= date_start AND substr(recorded_at, 1, 10) < date_end
            THEN substr(recorded_at, 1, 10) ELSE date_end END,
       0, kind, headline, nullif(summary, ''), watch, actors, sources, recorded_at, '{AUTHOR}'
  FROM temp.dated ORDER BY n;

WITH RECURSIVE split (key, position, rest, entry) AS (
    SELECT key, -1, watch || ';', NULL FROM developments WHERE watch <> ''
    UNION ALL
    SELECT key, position + 1, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
      FROM split WHERE rest <> '')
INSERT INTO links (development, watch_id, position, status, date_start, date_end, recorded_at,
                   retracted, settled, scheduled)
SELECT s.key, w.id, s.position,
       CASE WHEN instr(s.entry, '=') THEN substr(s.entry, instr(s.entry, '=') + 1) END,
       d.date_start, d.date_end, d.recorded_at, 0, d.settled, 0
  FROM split s
  JOIN developments d ON d.key = s.key
  JOIN watch_items w
    ON w.slug = CASE WHEN instr(s.entry, '=') THEN substr(s.entry, 1, instr(s.entry, '=') - 1) ELSE s.entry END
 WHERE s.entry IS NOT NULL
 ORDER BY s.key, s.position;

WITH RECURSIVE split (name, rest, counts) AS (
    SELECT NULL, actors || ';', retracted_at IS NULL FROM developments WHERE actors <> ''
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1), counts
      FROM split WHERE rest <> '')
INSERT INTO actors (name, developments)
SELECT name, sum(counts) FROM split WHERE name IS NOT NULL GROUP BY name;

PRAGMA cache_size = -8192;
.output {SCRATCH}
SELECT sql || ';' FROM temp.deferred
 WHERE type = 'index' AND name <> 'developments_match';
SELECT sql || ';' FROM temp.deferred WHERE type = 'trigger';
.output stdout
.read {SCRATCH}

INSERT INTO watch_stats (watch_id, developments, latest_settled)
SELECT watch_id, count(*), max(settled)
  FROM links WHERE retracted = 0 AND scheduled = 0 GROUP BY watch_id;

INSERT INTO developments_fts (developments_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO developments_fts (developments_fts) VALUES ('rebuild');
INSERT INTO developments_fts (developments_fts, rank) VALUES ('hashsize', 1048576);
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 8388608);
INSERT INTO developments_trigram (developments_trigram) VALUES ('rebuild');
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 1048576);

INSERT INTO journal (at, command, summary, author, added_after, added_last, added_digest)
SELECT strftime('%Y-%m-%dT%H:%M:%f000Z'), 'import', 'built by scripts/pure_sql_build.sql',
       '{AUTHOR}', 0, max(key), '0' FROM developments;
COMMIT;
PRAGMA journal_mode = WAL;
