-- Version 8 to 9 (see schema.sql): a second full-text index, of trigrams,
-- so that any part of Chinese, Japanese or Korean text is found (issue 23),
-- built from the developments the store holds. The word index keeps its
-- tokenizer (unicode61 remove_diacritics 2 since version 4: `securite`
-- already finds `sécurité`).
CREATE VIRTUAL TABLE developments_trigram USING fts5(
    headline, summary, actors, sources,
    content='developments', content_rowid='key',
    tokenize = 'trigram'
);

CREATE TRIGGER developments_trigram_insert AFTER INSERT ON developments
BEGIN
    INSERT INTO developments_trigram (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

CREATE TRIGGER developments_trigram_delete AFTER DELETE ON developments
BEGIN
    INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
END;

CREATE TRIGGER developments_trigram_update AFTER UPDATE OF headline, summary, actors, sources ON developments
BEGIN
    INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
    INSERT INTO developments_trigram (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

-- Built once from what the store holds, with the larger hash table a bulk
-- load uses (REBUILD_SEARCH_INDEX in src/store/mod.rs), then the default.
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 8388608);
INSERT INTO developments_trigram (developments_trigram) VALUES ('rebuild');
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 1048576);
