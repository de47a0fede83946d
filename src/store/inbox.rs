//! Feeds and the inbox: the feeds a user names and the entries `fetch`
//! found in them. This store's alone: nothing here is exported or synced.
//! Every change is journaled (record kinds `feed` and `inbox`), so undo
//! puts it back.

use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::error::{Error, Result};
use crate::record::RecordKind;
use crate::record::inbox::{self, EntryState, Feed, InboxEntry, NewEntry};

/// Which entries `inbox` lists.
#[derive(Debug, Clone, Default)]
pub(crate) struct InboxFilter {
    /// Only entries suggesting one of these watch items.
    pub(crate) watch: Vec<String>,
    /// Only entries of one of these feeds.
    pub(crate) feeds: Vec<String>,
}

const FEED_COLUMNS: &str =
    "name, location, watch, match_words, added_at, etag, last_modified, fetched_at";

const ENTRY_COLUMNS: &str = "number, feed, identity, title, link, published, day, summary, \
     arrived_at, state, development, reason, suggested";

fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

fn list_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

fn feed_row(r: &Row<'_>) -> rusqlite::Result<Feed> {
    Ok(Feed {
        name: r.get(0)?,
        location: r.get(1)?,
        watch: json_list(r.get(2)?),
        matches: json_list(r.get(3)?),
        added_at: r.get(4)?,
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        fetched_at: r.get(7)?,
    })
}

fn entry_row(r: &Row<'_>) -> rusqlite::Result<(InboxEntry, String)> {
    let entry = InboxEntry {
        number: r.get(0)?,
        feed: r.get(1)?,
        identity: r.get(2)?,
        title: r.get(3)?,
        link: r.get(4)?,
        published: r.get(5)?,
        day: r.get(6)?,
        summary: r.get(7)?,
        arrived_at: r.get(8)?,
        state: EntryState::New,
        development: r.get(10)?,
        reason: r.get(11)?,
        suggested: json_list(r.get(12)?),
    };
    Ok((entry, r.get(9)?))
}

fn with_state((mut entry, state): (InboxEntry, String)) -> Result<InboxEntry> {
    entry.state = EntryState::parse(&state)?;
    Ok(entry)
}

impl Store {
    /// Every feed, by name.
    pub(crate) fn feeds(&self) -> Result<Vec<Feed>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY name"))?;
        Ok(stmt
            .query_map([], feed_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn feed(&self, name: &str) -> Result<Option<Feed>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {FEED_COLUMNS} FROM feeds WHERE name = ?1"))?;
        Ok(stmt.query_row([name], feed_row).optional()?)
    }

    /// Adds a feed, or puts one back as it was (undo).
    pub(crate) fn put_feed(&self, feed: &Feed) -> Result<()> {
        let before = self.journal_before(RecordKind::Feed, &feed.name)?;
        self.conn
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO feeds ({FEED_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))?
            .execute(params![
                feed.name,
                feed.location,
                list_json(&feed.watch),
                list_json(&feed.matches),
                feed.added_at,
                feed.etag,
                feed.last_modified,
                feed.fetched_at
            ])?;
        self.journal_change(
            RecordKind::Feed,
            &feed.name,
            before,
            Some(inbox::feed_forms(feed)),
        )
    }

    /// Keeps what a fetch learnt of a feed's version (its validators, the
    /// time read) without a journal line: the feed's digest leaves them out.
    pub(crate) fn set_feed_validators(&self, feed: &Feed) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE feeds SET etag = ?2, last_modified = ?3, fetched_at = ?4 WHERE name = ?1",
            )?
            .execute(params![
                feed.name,
                feed.etag,
                feed.last_modified,
                feed.fetched_at
            ])?;
        Ok(())
    }

    /// Removes a feed and its entries still new; those accepted or dismissed
    /// stay, so that the feed added again never offers them again.
    pub(crate) fn remove_feed(&self, name: &str) -> Result<()> {
        let numbers: Vec<i64> = self
            .conn
            .prepare_cached("SELECT number FROM inbox WHERE feed = ?1 AND state = 'new'")?
            .query_map([name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for number in numbers {
            self.delete_inbox_entry(number)?;
        }
        let before = self.journal_before(RecordKind::Feed, name)?;
        self.conn
            .prepare_cached("DELETE FROM feeds WHERE name = ?1")?
            .execute([name])?;
        self.journal_change(RecordKind::Feed, name, before, None)
    }

    /// Adds the entries a feed gave that it had not given before, with the
    /// watch items each suggests; returns how many were new.
    pub(crate) fn add_inbox_entries(
        &self,
        feed: &Feed,
        entries: &[NewEntry],
        arrived_at: &str,
    ) -> Result<usize> {
        let mut known = self
            .conn
            .prepare_cached("SELECT 1 FROM inbox WHERE feed = ?1 AND identity = ?2")?;
        let mut fresh = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for entry in entries {
            if seen.insert(entry.identity.as_str())
                && !known.exists(params![feed.name, entry.identity])?
            {
                fresh.push(entry);
            }
        }
        let suggestions = suggestions(feed, &fresh)?;
        for (entry, suggested) in fresh.iter().zip(suggestions) {
            self.insert_inbox_entry(feed, entry, arrived_at, &suggested)?;
        }
        Ok(fresh.len())
    }

    fn insert_inbox_entry(
        &self,
        feed: &Feed,
        entry: &NewEntry,
        arrived_at: &str,
        suggested: &[String],
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO inbox (feed, identity, title, link, published, day, summary,
                                    arrived_at, suggested)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                feed.name,
                entry.identity,
                entry.title,
                entry.link,
                entry.published,
                entry.day,
                entry.summary,
                arrived_at,
                list_json(suggested)
            ])?;
        if !self.journaling() {
            return Ok(());
        }
        // As `inbox_entry` would read it back, without reading it.
        let stored = InboxEntry {
            number: self.conn.last_insert_rowid(),
            feed: feed.name.clone(),
            identity: entry.identity.clone(),
            title: entry.title.clone(),
            link: entry.link.clone(),
            published: entry.published.clone(),
            day: entry.day.clone(),
            summary: entry.summary.clone(),
            arrived_at: arrived_at.to_string(),
            state: EntryState::New,
            development: None,
            reason: None,
            suggested: suggested.to_vec(),
        };
        let key = stored.number.to_string();
        self.journal_change(
            RecordKind::Inbox,
            &key,
            None,
            Some(inbox::entry_forms(&stored)),
        )
    }

    /// One entry by its number, whatever its state.
    pub(crate) fn inbox_entry(&self, number: i64) -> Result<Option<InboxEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM inbox WHERE number = ?1"
        ))?;
        stmt.query_row([number], entry_row)
            .optional()?
            .map(with_state)
            .transpose()
    }

    /// The entries still new that `filter` lets through, oldest first, at
    /// most `limit` of them; and how many there are in all.
    pub(crate) fn new_inbox_entries(
        &self,
        filter: &InboxFilter,
        limit: usize,
    ) -> Result<(Vec<InboxEntry>, u64)> {
        let watch = list_json(&filter.watch);
        let feeds = list_json(&filter.feeds);
        let wanted = "state = 'new'
               AND (?1 = '[]' OR EXISTS (SELECT 1 FROM json_each(suggested) s
                                          WHERE s.value IN (SELECT value FROM json_each(?1))))
               AND (?2 = '[]' OR feed IN (SELECT value FROM json_each(?2)))";
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM inbox WHERE {wanted}"),
            params![watch, feeds],
            |r| r.get(0),
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM inbox WHERE {wanted} ORDER BY number LIMIT ?3"
        ))?;
        let entries = stmt
            .query_map(params![watch, feeds, limit], entry_row)?
            .map(|row| with_state(row?))
            .collect::<Result<Vec<_>>>()?;
        Ok((entries, total as u64))
    }

    /// Marks an entry accepted (as `development`) or dismissed (for `reason`).
    pub(crate) fn settle_inbox_entry(
        &self,
        number: i64,
        state: EntryState,
        development: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()> {
        let key = number.to_string();
        let before = self.journal_before(RecordKind::Inbox, &key)?;
        self.conn
            .prepare_cached(
                "UPDATE inbox SET state = ?2, development = ?3, reason = ?4 WHERE number = ?1",
            )?
            .execute(params![number, state.as_str(), development, reason])?;
        let after = self.inbox_entry(number)?.ok_or_else(|| {
            Error::data(format!("no inbox entry {number}"))
                .with_hint("`lookout inbox` lists the entries and their numbers")
        })?;
        self.journal_change(
            RecordKind::Inbox,
            &key,
            before,
            Some(inbox::entry_forms(&after)),
        )
    }

    /// Removes an entry (undo of its arrival, or of its feed's adding).
    pub(crate) fn delete_inbox_entry(&self, number: i64) -> Result<()> {
        let key = number.to_string();
        let before = self.journal_before(RecordKind::Inbox, &key)?;
        self.conn
            .prepare_cached("DELETE FROM inbox WHERE number = ?1")?
            .execute([number])?;
        self.journal_change(RecordKind::Inbox, &key, before, None)
    }

    /// Puts an entry back as a journal line says it was (undo).
    pub(crate) fn put_inbox_entry(&self, entry: &InboxEntry) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO inbox ({ENTRY_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))?
            .execute(params![
                entry.number,
                entry.feed,
                entry.identity,
                entry.title,
                entry.link,
                entry.published,
                entry.day,
                entry.summary,
                entry.arrived_at,
                entry.state.as_str(),
                entry.development,
                entry.reason,
                list_json(&entry.suggested)
            ])?;
        Ok(())
    }

    /// Removes a feed alone (undo of its adding).
    pub(super) fn delete_feed(&self, name: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM feeds WHERE name = ?1")?
            .execute([name])?;
        Ok(())
    }
}

/// The watch items each entry suggests: its feed's `--watch` items, then
/// those of each `--match SLUG=WORD` whose WORD its title or summary holds,
/// as the search index finds words — whole words, case and accents aside
/// (FTS5's unicode61 with remove_diacritics 2, asked of an index in memory).
fn suggestions(feed: &Feed, entries: &[&NewEntry]) -> Result<Vec<Vec<String>>> {
    let mut all: Vec<Vec<String>> = entries.iter().map(|_| feed.watch.clone()).collect();
    if feed.matches.is_empty() || entries.is_empty() {
        return Ok(all);
    }
    let conn = rusqlite::Connection::open_in_memory()?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE probe USING fts5(title, summary,
             tokenize = 'unicode61 remove_diacritics 2')",
    )?;
    {
        let mut insert =
            conn.prepare("INSERT INTO probe (rowid, title, summary) VALUES (?1, ?2, ?3)")?;
        for (i, entry) in entries.iter().enumerate() {
            insert.execute(params![i as i64, entry.title, entry.summary])?;
        }
    }
    let mut search = conn.prepare("SELECT rowid FROM probe WHERE probe MATCH ?1")?;
    for rule in &feed.matches {
        let Some((slug, word)) = rule.split_once('=') else {
            continue;
        };
        let query = format!("\"{}\"", word.replace('"', "\"\""));
        let rows: Vec<i64> = search
            .query_map([query], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for row in rows {
            let list = &mut all[row as usize];
            if !list.iter().any(|s| s == slug) {
                list.push(slug.to_string());
            }
        }
    }
    Ok(all)
}
