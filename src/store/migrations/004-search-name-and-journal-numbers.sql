-- Version 3 to 4 (see schema.sql): the full-text index renamed
-- developments_fts and declared with content="developments", so that
-- Datasette and sqlite-utils find it; and journal entry numbers that are never
-- reused after an undo (AUTOINCREMENT). The journal keeps its rows and their
-- numbers; a number undone before this upgrade may be given once more.

DROP TRIGGER developments_fts_insert;
DROP TRIGGER developments_fts_delete;
DROP TRIGGER developments_fts_update;
DROP TABLE search_index;

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

INSERT INTO developments_fts (developments_fts) VALUES ('rebuild');

CREATE TABLE journal_v4 (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    command   TEXT NOT NULL,
    summary   TEXT NOT NULL,
    author    TEXT,
    sync_base TEXT
) STRICT;
INSERT INTO journal_v4 (id, at, command, summary, author, sync_base)
SELECT id, at, command, summary, author, sync_base FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v4 RENAME TO journal;
