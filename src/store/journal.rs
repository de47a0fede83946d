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
use super::stored::stored_id;
use crate::dates::{Timestamp, day_text};
use crate::error::{Error, Result};
use crate::model::DevId;
use crate::record::{self, Change, Entry, JournalForms, Record, RecordKind};

/// The journal entry a write is recording.
pub(super) struct Recording {
    command: String,
    at: Timestamp,
    author: String,
    entry: Option<i64>,
    seq: i64,
    /// Keep only the digest of added records (imports: see schema.sql).
    digest_additions: bool,
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
            digest_additions: command == "import",
            sync_base: None,
        }
    }
}

/// What undo compares: a digest of a record (`JournalForms::digest_form`).
fn digest(form: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(form.as_bytes()))
}

/// What `undo_latest` reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub entry: Entry,
}

/// Above this many changes, undo works like a bulk load (indexes, totals and
/// the search index rebuilt once at the end).
const BULK_UNDO: u64 = 10_000;

impl Store {
    /// Journals one change, when the current write is recording one.
    pub(super) fn journal_change(
        &self,
        record: RecordKind,
        key: &str,
        before: Option<String>,
        after: Option<JournalForms>,
    ) -> Result<()> {
        let mut recording = self.journal.borrow_mut();
        let Some(recording) = recording.as_mut() else {
            return Ok(());
        };
        if before.as_deref() == after.as_ref().map(|a| a.line.as_str()) {
            return Ok(());
        }
        let entry = match recording.entry {
            Some(entry) => entry,
            None => {
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
                entry
            }
        };
        recording.seq += 1;
        let after_digest = after.as_ref().map(|a| digest(a.digest_form()));
        let after = match after {
            Some(_) if before.is_none() && recording.digest_additions => None,
            after => after.map(|a| a.line),
        };
        self.conn
            .prepare_cached(
                "INSERT INTO journal_changes (entry, seq, record, key, before, after, after_digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                entry,
                recording.seq,
                record.as_str(),
                key,
                before,
                after,
                after_digest
            ])?;
        Ok(())
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
        let recording = self.journal.replace(None);
        if let Some(entry) = recording.and_then(|r| r.entry) {
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
    /// them. Changes are loaded for entries of at most `detail` changes (and
    /// always those about `about`).
    pub fn journal_entries(
        &self,
        about: Option<(RecordKind, &str)>,
        since: Option<NaiveDate>,
        limit: usize,
        detail: u64,
    ) -> Result<Vec<Entry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(
            "SELECT j.id, j.at, j.command, j.summary,
                    (SELECT count(*) FROM journal_changes c WHERE c.entry = j.id), j.author
               FROM journal j
              WHERE (?1 IS NULL
                     OR j.id IN (SELECT entry FROM journal_changes WHERE record = ?1 AND key = ?2))
                AND (?4 IS NULL OR j.at >= ?4)
              ORDER BY j.id DESC
              LIMIT ?3",
        )?;
        let (record, key) = match about {
            Some((record, key)) => (Some(record.as_str()), Some(key)),
            None => (None, None),
        };
        let heads = stmt
            .query_map(params![record, key, limit, since.map(day_text)], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, i64>(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<(i64, String, String, String, i64, Option<String>)>>>(
            )?;
        let mut entries = Vec::with_capacity(heads.len());
        for (id, at, command, summary, count, author) in heads {
            let count = count as u64;
            let changes = if about.is_some() || count <= detail {
                self.entry_changes(id, about)?
            } else {
                Vec::new()
            };
            entries.push(Entry {
                id,
                at,
                command,
                author,
                summary,
                change_count: count,
                changes,
            });
        }
        Ok(entries)
    }

    fn entry_changes(&self, entry: i64, about: Option<(RecordKind, &str)>) -> Result<Vec<Change>> {
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
        rows.into_iter()
            .map(|(record, key, before, after)| {
                Ok(Change {
                    record: RecordKind::parse(&record)?,
                    key,
                    before,
                    after,
                })
            })
            .collect()
    }

    /// Reverts the newest journal entry inside the caller's write and deletes
    /// it; None when the journal is empty. Refused, with nothing changed,
    /// when a record it touched is no longer as the entry left it.
    pub fn undo_latest(&self) -> Result<Option<Undone>> {
        let Some(entry) = self.journal_entries(None, None, 1, 0)?.into_iter().next() else {
            return Ok(None);
        };
        let at = Timestamp::parse(&entry.at).map_err(|e| {
            Error::io(format!("the journal holds a bad time: {e}")).with_hint("run `lookout check`")
        })?;
        let bulk = entry.change_count > BULK_UNDO;
        if bulk {
            self.begin_bulk_load()?;
        }
        let mut stmt = self.conn.prepare(
            "SELECT record, key, before, after_digest FROM journal_changes
              WHERE entry = ?1 ORDER BY seq DESC",
        )?;
        let mut rows = stmt.query([entry.id])?;
        while let Some(row) = rows.next()? {
            let record = RecordKind::parse(row.get_ref(0)?.as_str().unwrap_or(""))?;
            let key: String = row.get(1)?;
            let before: Option<String> = row.get(2)?;
            let after_digest: Option<String> = row.get(3)?;
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
            self.restore(record, &key, before.as_deref(), at)?;
        }
        drop(rows);
        drop(stmt);
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
        }
        self.conn
            .prepare_cached("DELETE FROM journal WHERE id = ?1")?
            .execute([entry.id])?;
        Ok(Some(Undone { entry }))
    }

    /// Puts a record back as `before` says (None: removes it). A watch item
    /// put back is dated `at`, the time of the entry being undone.
    fn restore(
        &self,
        record: RecordKind,
        key: &str,
        before: Option<&str>,
        at: Timestamp,
    ) -> Result<()> {
        let Some(before) = before else {
            return match record {
                RecordKind::Development => self.delete_development(&stored_id(key)?),
                RecordKind::Watch => self.remove_watch_item(key),
                RecordKind::Kind => self.delete_kind(key),
            };
        };
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
                    self.insert_development(&dev)
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

    /// Whether any journal entry names this watch slug (for `history SLUG`).
    pub fn journal_mentions(&self, record: RecordKind, key: &str) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 1 FROM journal_changes WHERE record = ?1 AND key = ?2 LIMIT 1",
        )?;
        Ok(stmt
            .query_row(params![record.as_str(), key], |_| Ok(()))
            .optional()?
            .is_some())
    }
}
