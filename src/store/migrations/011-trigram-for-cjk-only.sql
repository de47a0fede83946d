-- Version 10 to 11 (see schema.sql): the trigram index holds only the
-- developments whose text holds Chinese, Japanese or Korean, the only ones
-- a query that reads it can find; built afresh from what the store holds.
DROP TRIGGER developments_trigram_insert;
DROP TRIGGER developments_trigram_delete;
DROP TRIGGER developments_trigram_update;
DROP TABLE developments_trigram;

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

-- Built once from what the store holds, with the larger hash table a bulk
-- load uses (REBUILD_SEARCH_INDEX in src/store/staged.rs), then the default.
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 8388608);
INSERT INTO developments_trigram (developments_trigram) VALUES ('rebuild');
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 1048576);
