-- Version 9 to 10 (see schema.sql): feeds and the inbox (issue 25), and a
-- journal that may name them: journal_changes is made again with the wider
-- check on `record` (SQLite cannot alter a check), its rows and index as
-- they were.
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

CREATE TABLE journal_changes_10 (
    entry        INTEGER NOT NULL REFERENCES journal (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    record       TEXT NOT NULL CHECK (record = 'kind' OR record = 'watch' OR record = 'development'
                                      OR record = 'feed' OR record = 'inbox'),
    key          TEXT NOT NULL,
    before       TEXT,
    after        TEXT,
    after_digest TEXT,
    dev_key      INTEGER,
    PRIMARY KEY (entry, seq),
    CHECK (before IS NOT NULL OR after_digest IS NOT NULL)
) STRICT, WITHOUT ROWID;

INSERT INTO journal_changes_10 (entry, seq, record, key, before, after, after_digest, dev_key)
SELECT entry, seq, record, key, before, after, after_digest, dev_key FROM journal_changes;

DROP TABLE journal_changes;
ALTER TABLE journal_changes_10 RENAME TO journal_changes;
CREATE INDEX journal_changes_by_record ON journal_changes (record, key, entry);
