//! Undo: reverting the newest journal entry, record by record, and the
//! developments an import added as one range (see `added`).

use super::Store;
use super::journal::{digest, journal_time};
use super::stored::stored_id;
use crate::dates::Timestamp;
use crate::error::{Error, Result};
use crate::record::{self, Entry, Record, RecordKind};

/// What `undo_latest` reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub entry: Entry,
}

/// Above this many changes, undo works like a bulk load (indexes, totals and
/// the search index rebuilt once at the end).
const BULK_UNDO: u64 = 10_000;

/// Which of an entry's changes one pass of undo reverts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    All,
    Developments,
    /// Kinds and watch items the entry removed.
    OthersRemoved,
    /// Kinds and watch items the entry added or changed.
    OthersKept,
}

impl Store {
    /// Reverts the newest journal entry that stands inside the caller's
    /// write and marks it undone `now` by `by` (it stays, for `--known-on`);
    /// None when none stands. Refused, with nothing changed, when a record
    /// it touched is no longer as the entry left it.
    pub fn undo_latest(&self, now: Timestamp, by: &str) -> Result<Option<Undone>> {
        let Some(entry) = self
            .journal_entries(None, None, 1, 0, false)?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        self.undo_entry(entry, now, by).map(Some)
    }

    /// Reverts `entry`, which must be the newest that stands, as
    /// `undo_latest` does.
    pub(super) fn undo_entry(&self, entry: Entry, now: Timestamp, by: &str) -> Result<Undone> {
        let at = journal_time(&entry.at)?;
        let bulk = entry.change_count > BULK_UNDO;
        if bulk {
            self.begin_bulk_load()?;
        }
        match self.added_range(entry.id)? {
            None => self.undo_changes(&entry, at, Part::All)?,
            Some(range) => {
                // An import or a sync: the kinds and watch items it removed
                // come back first (the developments put back may use them),
                // then its other changes of developments are reverted, the
                // developments it added removed, and last the kinds and watch
                // items it added (which those developments used) removed.
                self.undo_changes(&entry, at, Part::OthersRemoved)?;
                self.undo_changes(&entry, at, Part::Developments)?;
                self.undo_additions(&entry, &range)?;
                self.undo_changes(&entry, at, Part::OthersKept)?;
            }
        }
        if bulk {
            self.end_bulk_load()?;
        }
        if entry.command == "sync" {
            // The store is back before the sync: so is what it agreed on.
            self.conn
                .prepare_cached(
                    "UPDATE sync_state SET base = (SELECT sync_base FROM journal WHERE id = ?1)",
                )?
                .execute([entry.id])?;
            // What differs from that base is no longer known shard by shard
            // (what the sync sent stays changed here): the next sync reads all.
            self.mark_all_shards_changed()?;
        }
        self.conn
            .prepare_cached("UPDATE journal SET undone_at = ?2, undone_by = ?3 WHERE id = ?1")?
            .execute(rusqlite::params![entry.id, now.to_string(), by])?;
        Ok(Undone { entry })
    }

    /// Makes an undone entry's changes again, in the order made (see
    /// `known`: only ever in a write that is rolled back, or in a private copy). Refused when the
    /// entry kept no line of a record it added (an import's or a sync's
    /// developments, kept as a range or as a digest).
    pub(super) fn redo_undone(&self, entry: i64, at: Timestamp) -> Result<()> {
        if self.added_range(entry)?.is_some() {
            return Err(kept_no_lines(entry));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, key, after, after_digest FROM journal_changes
              WHERE entry = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([entry])?;
        while let Some(row) = rows.next()? {
            let record = RecordKind::parse(row.get_ref(0)?.as_str().unwrap_or(""))?;
            let key: String = row.get(1)?;
            let after: Option<String> = row.get(2)?;
            let after_digest: Option<String> = row.get(3)?;
            if after.is_none() && after_digest.is_some() {
                return Err(kept_no_lines(entry));
            }
            self.restore(record, &key, after.as_deref(), at, None)?;
        }
        Ok(())
    }

    /// Reverts the entry's changes kept one by one (those of `part`), newest
    /// first, each only if the record is still as the entry left it.
    fn undo_changes(&self, entry: &Entry, at: Timestamp, part: Part) -> Result<()> {
        let (developments, removed) = match part {
            Part::All => (None, None),
            Part::Developments => (Some(true), None),
            Part::OthersRemoved => (Some(false), Some(true)),
            Part::OthersKept => (Some(false), Some(false)),
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, key, before, after_digest, dev_key FROM journal_changes
              WHERE entry = ?1 AND (?2 IS NULL OR (record = 'development') = ?2)
                AND (?3 IS NULL OR (after_digest IS NULL) = ?3)
              ORDER BY seq DESC",
        )?;
        let mut rows = stmt.query(rusqlite::params![entry.id, developments, removed])?;
        while let Some(row) = rows.next()? {
            let record = RecordKind::parse(row.get_ref(0)?.as_str().unwrap_or(""))?;
            let key: String = row.get(1)?;
            let before: Option<String> = row.get(2)?;
            let after_digest: Option<String> = row.get(3)?;
            let dev_key: Option<i64> = row.get(4)?;
            let now_digest = self
                .record_forms(record, &key)?
                .map(|forms| digest(forms.digest_form()));
            if now_digest != after_digest {
                return Err(Error::data(format!(
                    "cannot undo #{} ({}): {} '{key}' has changed since",
                    entry.id,
                    entry.command,
                    record.as_str()
                ))
                .with_hint("it was changed outside lookout; `lookout history` shows the entry"));
            }
            self.restore(record, &key, before.as_deref(), at, dev_key)?;
        }
        Ok(())
    }

    /// Puts a record back as `before` says (None: removes it). A watch item
    /// put back is dated `at`, the time of the entry being undone; a
    /// development put back takes `dev_key`, the key it had, when known.
    fn restore(
        &self,
        record: RecordKind,
        key: &str,
        before: Option<&str>,
        at: Timestamp,
        dev_key: Option<i64>,
    ) -> Result<()> {
        let Some(before) = before else {
            return match record {
                RecordKind::Development => self.delete_development(&stored_id(key)?),
                RecordKind::Watch => self.remove_watch_item(key),
                RecordKind::Kind => self.delete_kind(key),
                RecordKind::Feed => self.delete_feed(key),
                RecordKind::Inbox => match key.parse::<i64>() {
                    Ok(number) => self.delete_inbox_entry(number),
                    Err(_) => Ok(()),
                },
            };
        };
        match record {
            RecordKind::Feed => return self.put_feed(&record::inbox::feed_from_line(before)?),
            RecordKind::Inbox => {
                return self.put_inbox_entry(&record::inbox::entry_from_line(before)?);
            }
            _ => {}
        }
        let restored = Record::from_line(before).map_err(|e| {
            Error::io(format!(
                "the journal holds a damaged line for {record} '{key}': {}",
                e.message()
            ))
            .with_hint("run `lookout check`")
        })?;
        match restored {
            Record::Development(dev) => {
                if self.development_exists(&dev.id)? {
                    self.replace_development(&dev)
                } else {
                    self.insert_development_keyed(&dev, dev_key)
                }
            }
            Record::Watch(item) => {
                if self.watch_item(item.slug.as_str())?.is_some() {
                    self.update_watch_item(&item)
                } else {
                    self.insert_watch_item(&item, at)
                }
            }
            Record::Kind(name) => self.add_kind(&name).map(|_| ()),
        }
    }

    /// Removes a user-added kind (undo of `kinds add`).
    pub(super) fn delete_kind(&self, name: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM kinds WHERE name = ?1 AND builtin = 0")?
            .execute([name])?;
        Ok(())
    }
}

/// See `redo_undone`.
pub(super) fn kept_no_lines(entry: i64) -> Error {
    Error::data(format!(
        "journal entry #{entry} was undone after that time, and it kept no copy of the \
         developments it added (an import or a sync): the journal cannot say what the store \
         held between it and its undo"
    ))
    .with_hint(
        "give a time before that entry was made, or after its undo (`lookout history --all`)",
    )
}
