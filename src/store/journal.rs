//! The change journal: what each command changed, before and after, and
//! undo, which puts the before back.
//!
//! A write begun with `Store::begin_change` records every kind, watch item
//! and development its store methods add, change or remove, as the record's
//! line (`record::Record::to_line`), in the same transaction. The entry
//! itself is written with the first change, so a command that changed nothing
//! leaves no entry. Undo reads the lines back as records; it needs no clock.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::added::AddedRange;
use crate::dates::{Timestamp, day_text};
use crate::error::{Error, Result};
use crate::model::DevId;
use crate::record::{self, Change, Entry, JournalForms, RecordKind};

/// The journal entry a write is recording.
pub(super) struct Recording {
    command: String,
    at: Timestamp,
    author: String,
    entry: Option<i64>,
    seq: i64,
    /// Journal added developments as one key range (imports and syncs: see
    /// `added`).
    pub(super) digest_additions: bool,
    /// The range of the developments added so far.
    pub(super) added: Option<AddedRange>,
    /// A sync: the commit the store agreed with before it (undo puts it back).
    pub(super) sync_base: Option<Option<String>>,
}

impl Recording {
    pub(super) fn new(command: &str, at: Timestamp, author: &str) -> Recording {
        Recording {
            command: command.to_string(),
            at,
            author: author.to_string(),
            entry: None,
            seq: 0,
            // The two that may add a whole tracker's developments.
            digest_additions: command == "import" || command == "sync",
            added: None,
            sync_base: None,
        }
    }

    /// Where the recording stands, to go back to when a savepoint rolls back
    /// what was recorded since (the entry's row among it).
    pub(super) fn mark(&self) -> RecordingMark {
        RecordingMark {
            entry: self.entry,
            seq: self.seq,
            added: self.added,
        }
    }

    pub(super) fn rewind(&mut self, mark: RecordingMark) {
        self.entry = mark.entry;
        self.seq = mark.seq;
        self.added = mark.added;
    }
}

/// See `Recording::mark`.
#[derive(Debug, Clone, Copy)]
pub(super) struct RecordingMark {
    entry: Option<i64>,
    seq: i64,
    added: Option<AddedRange>,
}

/// An entry's row, as `journal_entries` reads it.
struct Head {
    id: i64,
    at: String,
    command: String,
    summary: String,
    count: i64,
    author: Option<String>,
    undone_at: Option<String>,
    undone_by: Option<String>,
}

/// What `Head::of` reads of an entry `j`.
const HEAD_COLUMNS: &str = "SELECT j.id, j.at, j.command, j.summary,
        (SELECT count(*) FROM journal_changes c WHERE c.entry = j.id)
          + coalesce(j.added_last - j.added_after, 0),
        j.author, j.undone_at, j.undone_by";

impl Head {
    fn of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Head> {
        Ok(Head {
            id: r.get(0)?,
            at: r.get(1)?,
            command: r.get(2)?,
            summary: r.get(3)?,
            count: r.get(4)?,
            author: r.get(5)?,
            undone_at: r.get(6)?,
            undone_by: r.get(7)?,
        })
    }

    fn into_entry(self, changes: Vec<Change>) -> Entry {
        Entry {
            id: self.id,
            at: self.at,
            command: self.command,
            author: self.author,
            summary: self.summary,
            change_count: self.count as u64,
            changes,
            undone_at: self.undone_at,
            undone_by: self.undone_by,
        }
    }
}

/// A time the journal holds (an entry made, or undone).
pub(super) fn journal_time(at: &str) -> Result<Timestamp> {
    Timestamp::parse(at).map_err(|e| {
        Error::io(format!("the journal holds a bad time: {e}")).with_hint("run `lookout check`")
    })
}

/// What undo compares: a digest of a record (`JournalForms::digest_form`).
pub(super) fn digest(form: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(form.as_bytes()))
}

impl Store {
    /// Journals one change, when the current write is recording one.
    pub(super) fn journal_change(
        &self,
        record: RecordKind,
        key: &str,
        before: Option<String>,
        after: Option<JournalForms>,
    ) -> Result<()> {
        self.journal_change_keyed(record, key, before, after, None)
    }

    /// Journals one change; `dev_key` is the internal key of a development
    /// it removes, which undo gives it back (see `added`).
    pub(super) fn journal_change_keyed(
        &self,
        record: RecordKind,
        key: &str,
        before: Option<String>,
        after: Option<JournalForms>,
        dev_key: Option<i64>,
    ) -> Result<()> {
        let mut recording = self.journal.borrow_mut();
        let Some(recording) = recording.as_mut() else {
            return Ok(());
        };
        if before.as_deref() == after.as_ref().map(|a| a.line.as_str()) {
            return Ok(());
        }
        let entry = self.entry_of(recording)?;
        recording.seq += 1;
        let after_digest = after.as_ref().map(|a| digest(a.digest_form()));
        let after = match after {
            Some(_) if before.is_none() && recording.digest_additions => None,
            after => after.map(|a| a.line),
        };
        self.conn
            .prepare_cached(
                "INSERT INTO journal_changes
                     (entry, seq, record, key, before, after, after_digest, dev_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                entry,
                recording.seq,
                record.as_str(),
                key,
                before,
                after,
                after_digest,
                dev_key
            ])?;
        Ok(())
    }

    /// The recording's entry, written now if this is its first change.
    fn entry_of(&self, recording: &mut Recording) -> Result<i64> {
        if let Some(entry) = recording.entry {
            return Ok(entry);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO journal (at, command, summary, author, sync_base)
                 VALUES (?1, ?2, '', ?3, ?4)",
            )?
            .execute(params![
                recording.at.to_string(),
                recording.command,
                recording.author,
                recording.sync_base.clone().flatten(),
            ])?;
        let entry = self.conn.last_insert_rowid();
        recording.entry = Some(entry);
        Ok(entry)
    }

    /// Whether the current write is recording a journal entry.
    pub(super) fn journaling(&self) -> bool {
        self.journal.borrow().is_some()
    }

    /// A record's line before a change, read only when the write is journaled.
    pub(super) fn journal_before(&self, record: RecordKind, key: &str) -> Result<Option<String>> {
        if self.journaling() {
            self.record_line(record, key)
        } else {
            Ok(None)
        }
    }

    /// Writes the entry's summary, if the write changed anything.
    pub(super) fn finish_journal_entry(&self, summary: &str) -> Result<()> {
        let Some(mut recording) = self.journal.replace(None) else {
            return Ok(());
        };
        if let Some(range) = recording.added {
            let entry = self.entry_of(&mut recording)?;
            self.write_added_range(entry, &range)?;
        }
        if let Some(entry) = recording.entry {
            self.conn
                .prepare_cached("UPDATE journal SET summary = ?2 WHERE id = ?1")?
                .execute(params![entry, summary])?;
        }
        Ok(())
    }

    /// A record's line as it stands now; None when absent.
    pub(super) fn record_line(&self, record: RecordKind, key: &str) -> Result<Option<String>> {
        Ok(self.record_forms(record, key)?.map(|forms| forms.line))
    }

    /// A record as the journal keeps it, as it stands now; None when absent.
    pub(super) fn record_forms(
        &self,
        record: RecordKind,
        key: &str,
    ) -> Result<Option<JournalForms>> {
        match record {
            RecordKind::Development => {
                let Ok(id) = DevId::parse(key) else {
                    return Ok(None);
                };
                Ok(self
                    .development(&id)?
                    .map(|dev| record::development_forms(&dev)))
            }
            RecordKind::Watch => Ok(self
                .watch_item(key)?
                .map(|item| record::watch_item_forms(&item))),
            RecordKind::Feed => Ok(self.feed(key)?.map(|f| record::inbox::feed_forms(&f))),
            RecordKind::Inbox => {
                let Ok(number) = key.parse::<i64>() else {
                    return Ok(None);
                };
                Ok(self
                    .inbox_entry(number)?
                    .map(|e| record::inbox::entry_forms(&e)))
            }
            RecordKind::Kind => {
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT 1 FROM kinds WHERE name = ?1 AND builtin = 0")?;
                if stmt.exists([key])? {
                    Ok(Some(record::kind_forms(key)))
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Journal entries, newest first: all of them, or those that touched the
    /// record `about`, made (UTC day) on or after `since`, at most `limit` of
    /// them; those undone only when `undone` says so. Changes are loaded for
    /// entries of at most `detail` changes (and always those about `about`).
    pub fn journal_entries(
        &self,
        about: Option<(RecordKind, &str)>,
        since: Option<NaiveDate>,
        limit: usize,
        detail: u64,
        undone: bool,
    ) -> Result<Vec<Entry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // A development an import added is in the entry's key range.
        let dev_key = match about {
            Some((RecordKind::Development, id)) => self.development_key_of(id)?,
            _ => None,
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{HEAD_COLUMNS}
               FROM journal j
              WHERE (?1 IS NULL
                     OR j.id IN (SELECT entry FROM journal_changes WHERE record = ?1 AND key = ?2)
                     -- The keys an undone import added may since be another's.
                     OR (j.undone_at IS NULL AND ?4 > j.added_after AND ?4 <= j.added_last))
                AND (?5 IS NULL OR j.at >= ?5)
                AND (?6 OR j.undone_at IS NULL)
              ORDER BY j.id DESC
              LIMIT ?3"
        ))?;
        let (record, key) = match about {
            Some((record, key)) => (Some(record.as_str()), Some(key)),
            None => (None, None),
        };
        let heads = stmt
            .query_map(
                params![record, key, limit, dev_key, since.map(day_text), undone],
                Head::of,
            )?
            .collect::<rusqlite::Result<Vec<Head>>>()?;
        heads
            .into_iter()
            .map(|head| {
                let changes = if about.is_some() || head.count as u64 <= detail {
                    self.entry_changes(head.id, about, head.undone_at.is_some())?
                } else {
                    Vec::new()
                };
                Ok(head.into_entry(changes))
            })
            .collect()
    }

    /// The entries that stand (not undone) and were made after `known_on`,
    /// newest first, without their changes. Ids follow the times entries
    /// were made, so the read stops at the first made by then.
    pub(super) fn standing_entries_after(&self, known_on: Timestamp) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{HEAD_COLUMNS} FROM journal j WHERE j.undone_at IS NULL ORDER BY j.id DESC"
        ))?;
        let mut rows = stmt.query([])?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next()? {
            let head = Head::of(row)?;
            if journal_time(&head.at)? <= known_on {
                break;
            }
            entries.push(head.into_entry(Vec::new()));
        }
        Ok(entries)
    }

    /// A development's internal key, by its id as text.
    fn development_key_of(&self, id: &str) -> Result<Option<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key FROM developments WHERE id = ?1")?;
        Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
    }

    /// An entry's changes in the order made; the developments of its added
    /// range (which keeps no lines) after those kept one by one, unless it
    /// was undone (its range's keys may since be other developments').
    fn entry_changes(
        &self,
        entry: i64,
        about: Option<(RecordKind, &str)>,
        undone: bool,
    ) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, key, before, after FROM journal_changes
              WHERE entry = ?1 AND (?2 IS NULL OR (record = ?2 AND key = ?3))
              ORDER BY seq",
        )?;
        let (record, key) = match about {
            Some((record, key)) => (Some(record.as_str()), Some(key)),
            None => (None, None),
        };
        let rows = stmt
            .query_map(params![entry, record, key], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<(String, String, Option<String>, Option<String>)>>>()?;
        let mut changes = rows
            .into_iter()
            .map(|(record, key, before, after)| {
                Ok(Change {
                    record: RecordKind::parse(&record)?,
                    key,
                    before,
                    after,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let only = match about {
            None => None,
            Some((RecordKind::Development, id)) => Some(id),
            Some(_) => return Ok(changes),
        };
        if undone {
            return Ok(changes);
        }
        if let Some(range) = self.added_range(entry)? {
            changes.extend(self.added_ids(&range, only)?.into_iter().map(|key| Change {
                record: RecordKind::Development,
                key,
                before: None,
                after: None,
            }));
        }
        Ok(changes)
    }

    /// Whether any journal entry names this record (for `history ID`).
    pub fn journal_mentions(&self, record: RecordKind, key: &str) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 1 FROM journal_changes WHERE record = ?1 AND key = ?2 LIMIT 1",
        )?;
        if stmt
            .query_row(params![record.as_str(), key], |_| Ok(()))
            .optional()?
            .is_some()
        {
            return Ok(true);
        }
        if record != RecordKind::Development {
            return Ok(false);
        }
        let Some(dev_key) = self.development_key_of(key)? else {
            return Ok(false);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT 1 FROM journal
              WHERE undone_at IS NULL AND ?1 > added_after AND ?1 <= added_last LIMIT 1",
        )?;
        Ok(stmt.exists([dev_key])?)
    }
}
