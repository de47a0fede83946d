-- Version 10 to 11 (see schema.sql): the trigram index holds only the
-- developments whose text holds Chinese, Japanese or Korean, the only ones
-- a query that reads it can find; built afresh from what the store holds.
DROP TRIGGER developments_trigram_insert;
DROP TRIGGER developments_trigram_delete;
DROP TRIGGER developments_trigram_update;
DROP TABLE developments_trigram;

CREATE VIEW developments_cjk AS
    SELECT key, headline, summary, actors, sources FROM developments
     WHERE (headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*');

CREATE VIRTUAL TABLE developments_trigram USING fts5(
    headline, summary, actors, sources,
    content='developments_cjk', content_rowid='key',
    tokenize = 'trigram'
);

CREATE TRIGGER developments_trigram_insert AFTER INSERT ON developments
WHEN (NEW.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR NEW.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR NEW.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR NEW.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
BEGIN
    INSERT INTO developments_trigram (rowid, headline, summary, actors, sources)
    VALUES (NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources);
END;

CREATE TRIGGER developments_trigram_delete AFTER DELETE ON developments
WHEN (OLD.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR OLD.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR OLD.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR OLD.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*')
BEGIN
    INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
    VALUES ('delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources);
END;

CREATE TRIGGER developments_trigram_update AFTER UPDATE OF headline, summary, actors, sources ON developments
BEGIN
    INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
    SELECT 'delete', OLD.key, OLD.headline, OLD.summary, OLD.actors, OLD.sources
     WHERE (OLD.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR OLD.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR OLD.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR OLD.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*');
    INSERT INTO developments_trigram (rowid, headline, summary, actors, sources)
    SELECT NEW.key, NEW.headline, NEW.summary, NEW.actors, NEW.sources
     WHERE (NEW.headline GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR NEW.summary GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR NEW.actors GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*' OR NEW.sources GLOB '*[ᄀ-ᇿ⺀-⿟々-〇぀-ヿ㄰-㆏ㇰ-ㇿ㐀-䶿一-鿿ꥠ-꥿가-퟿豈-﫿ｦ-ﾟ𠀀-𱍏]*');
END;

-- Built once from what the store holds, with the larger hash table a bulk
-- load uses (REBUILD_SEARCH_INDEX in src/store/staged.rs), then the default.
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 8388608);
INSERT INTO developments_trigram (developments_trigram) VALUES ('rebuild');
INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 1048576);
