//! What an import adds, journaled as one key range and one digest.
//!
//! A development's internal `key` grows with each insert, and an import holds
//! the write lock from its first insert to its commit, so the developments
//! it adds are exactly those with keys in `(added_after, added_last]` of its
//! journal entry. Instead of a journal row per added development (its id and
//! the digest of its line: a JSON serialisation, a hash and two B-tree
//! inserts each), the entry keeps that range and one digest: the wrapping
//! sum of a 128-bit hash of each added row's stored columns. Undo reads the
//! range back, recomputes the sum, and removes the range only when it is
//! unchanged, so it still refuses when any of those developments changed.
//!
//! What this assumes, and what keeps it true: a development keeps its key
//! for as long as it exists (an update never changes it); the only deletions
//! are undo's and sync's, and a development sync removed is put back by undo
//! with the key it had (`journal_changes.dev_key`); undo goes newest first,
//! so when an import is undone every later entry has been, and the range
//! holds what the import left. The digest covers every column that is not
//! derived from others (`date_start`, `date_end`, `precision`, the
//! qualifiers and `settled` follow from `date`, `recorded_at` and
//! `scheduled`), as the per-record digest of older entries did.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::{Error, Result};
use crate::model::{Texts, split_list};
use crate::record::Entry;
use crate::record::fields::{self, Digest, Field, Text};

/// The developments a journal entry added: keys in `(after, last]`, and the
/// sum of their row digests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct AddedRange {
    pub after: i64,
    pub last: i64,
    pub digest: u128,
}

impl AddedRange {
    /// How many developments the range holds.
    pub fn count(&self) -> u64 {
        u64::try_from(self.last - self.after).unwrap_or(0)
    }
}

/// The columns a row digest covers, in the order `RowDigest` takes them,
/// then the later free texts (`later_texts`).
const DIGESTED: &str = "key, id, date, kind, headline, summary, watch, actors, sources,
    recorded_at, retracted_at, retracted_reason, recorded_by, updated_at, updated_by, scheduled";

/// The free texts that came after the first release (the summary did not):
/// a row digest covers each after `DIGESTED`, and only when it is set, so
/// that a range journaled before one existed still sums alike.
fn later_texts() -> impl Iterator<Item = (&'static Field, &'static Text)> {
    fields::texts().filter(|(field, _)| matches!(field.digest, Digest::WhenSet))
}

/// A row's digest: each column with a tag and its length, so that no two
/// rows give the same bytes, hashed with xxh3-128.
pub(super) struct RowDigest {
    bytes: Vec<u8>,
}

impl RowDigest {
    pub fn new(key: i64) -> RowDigest {
        let mut bytes = Vec::with_capacity(512);
        bytes.extend_from_slice(&key.to_le_bytes());
        RowDigest { bytes }
    }

    pub fn text(&mut self, value: Option<&str>) -> &mut RowDigest {
        self.bytes(value.map(str::as_bytes))
    }

    fn bytes(&mut self, value: Option<&[u8]>) -> &mut RowDigest {
        match value {
            None => self.bytes.push(0),
            Some(text) => {
                self.bytes.push(1);
                self.bytes
                    .extend_from_slice(&(text.len() as u64).to_le_bytes());
                self.bytes.extend_from_slice(text);
            }
        }
        self
    }

    pub fn int(&mut self, value: i64) -> &mut RowDigest {
        self.bytes.push(2);
        self.bytes.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// The later free texts that are set (`later_texts`).
    pub fn later_texts(&mut self, texts: &Texts) -> &mut RowDigest {
        for (_, text) in later_texts() {
            if let Some(value) = (text.get)(texts) {
                self.text(Some(value));
            }
        }
        self
    }

    pub fn finish(&self) -> u128 {
        xxhash_rust::xxh3::xxh3_128(&self.bytes)
    }
}

fn digest_text(digest: u128) -> String {
    format!("{digest:032x}")
}

impl Store {
    /// Journals the development just inserted with `key` as part of the
    /// import's range; false when the write keeps no range (not an import)
    /// or the key does not extend it, and the caller journals it row by row.
    pub(super) fn journal_addition(&self, key: i64, digest: impl FnOnce() -> u128) -> bool {
        let mut recording = self.journal.borrow_mut();
        let Some(recording) = recording.as_mut() else {
            return false;
        };
        if !recording.digest_additions {
            return false;
        }
        let range = match recording.added {
            None => AddedRange {
                after: key - 1,
                last: key,
                digest: digest(),
            },
            Some(range) if key == range.last + 1 => AddedRange {
                after: range.after,
                last: key,
                digest: range.digest.wrapping_add(digest()),
            },
            Some(_) => return false,
        };
        recording.added = Some(range);
        true
    }

    /// Writes the range of a finished entry.
    pub(super) fn write_added_range(&self, entry: i64, range: &AddedRange) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE journal SET added_after = ?2, added_last = ?3, added_digest = ?4
                  WHERE id = ?1",
            )?
            .execute(params![
                entry,
                range.after,
                range.last,
                digest_text(range.digest)
            ])?;
        Ok(())
    }

    /// The range an entry added, if it keeps one.
    pub(super) fn added_range(&self, entry: i64) -> Result<Option<AddedRange>> {
        let row: Option<(Option<i64>, Option<i64>, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT added_after, added_last, added_digest FROM journal WHERE id = ?1",
            )?
            .query_row([entry], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((Some(after), Some(last), Some(digest))) = row else {
            return Ok(None);
        };
        let digest = u128::from_str_radix(&digest, 16).map_err(|_| {
            Error::io(format!(
                "journal entry #{entry} holds a bad digest '{digest}'"
            ))
            .with_hint("run `lookout check`")
        })?;
        Ok(Some(AddedRange {
            after,
            last,
            digest,
        }))
    }

    /// How many developments the range holds now, and their digest; and,
    /// outside a bulk load, how many of them (not retracted) name each actor.
    fn range_digest(&self, range: &AddedRange) -> Result<(u64, u128, HashMap<String, i64>)> {
        let later: String = later_texts()
            .map(|(f, _)| format!(", {}", f.name))
            .collect();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DIGESTED}{later} FROM developments WHERE key > ?1 AND key <= ?2 ORDER BY key"
        ))?;
        let mut rows = stmt.query([range.after, range.last])?;
        let (mut count, mut sum) = (0u64, 0u128);
        let mut actors: HashMap<String, i64> = HashMap::new();
        while let Some(row) = rows.next()? {
            if !self.bulk.get() && row.get_ref(10)? == ValueRef::Null {
                for name in split_list(row.get_ref(7)?.as_str().unwrap_or("")) {
                    *actors.entry(name.to_string()).or_default() += 1;
                }
            }
            let mut digest = RowDigest::new(row.get(0)?);
            for column in 1..15 {
                digest.bytes(match row.get_ref(column)? {
                    ValueRef::Text(text) => Some(text),
                    // Any other type differs from what was added.
                    ValueRef::Null => None,
                    _ => Some(b"\xff"),
                });
            }
            digest.int(row.get(15)?);
            for column in 16..16 + later_texts().count() {
                match row.get_ref(column)? {
                    ValueRef::Null => {}
                    ValueRef::Text(text) => {
                        digest.bytes(Some(text));
                    }
                    _ => {
                        digest.bytes(Some(b"\xff"));
                    }
                }
            }
            sum = sum.wrapping_add(digest.finish());
            count += 1;
        }
        Ok((count, sum, actors))
    }

    /// The ids of the developments in the range, in the order added (only
    /// `id`, when given and in it).
    pub(super) fn added_ids(&self, range: &AddedRange, id: Option<&str>) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM developments WHERE key > ?1 AND key <= ?2 AND (?3 IS NULL OR id = ?3)
              ORDER BY key",
        )?;
        let ids = stmt
            .query_map(params![range.after, range.last, id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Removes the developments an entry added, after checking that they are
    /// still as it left them (the caller's transaction rolls back on refusal).
    pub(super) fn undo_additions(&self, entry: &Entry, range: &AddedRange) -> Result<()> {
        let (count, digest, actors) = self.range_digest(range)?;
        if count != range.count() || digest != range.digest {
            let what = match self.added_ids(range, None)?.as_slice() {
                [one] if range.count() == 1 => format!("development '{one}'"),
                _ => format!("one of the {} developments it added", range.count()),
            };
            return Err(Error::data(format!(
                "cannot undo #{} ({}): {what} has changed since",
                entry.id, entry.command
            ))
            .with_hint("it was changed outside lookout; `lookout history` shows the entry"));
        }
        // Their links first, a range of the key, so that the foreign key's
        // cascade finds nothing left to do.
        self.conn
            .prepare_cached("DELETE FROM links WHERE development > ?1 AND development <= ?2")?
            .execute([range.after, range.last])?;
        self.conn
            .prepare_cached("DELETE FROM developments WHERE key > ?1 AND key <= ?2")?
            .execute([range.after, range.last])?;
        let mut uncount = self
            .conn
            .prepare_cached("UPDATE actors SET developments = developments - ?2 WHERE name = ?1")?;
        for (name, n) in actors {
            uncount.execute(params![name, n])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Timestamp;
    use crate::model::Development;
    use crate::record::RecordKind;
    use crate::store::Access;

    fn development(n: usize) -> Development {
        Development {
            headline: format!("development {n}"),
            actors: vec!["EU".into()],
            ..Development::sample(&format!("d{n:02}"), "2025-07")
        }
    }

    fn keys(store: &Store) -> Vec<(i64, String)> {
        let mut stmt = store
            .conn
            .prepare("SELECT key, id FROM developments ORDER BY key")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_development_sync_removed_comes_back_by_undo_into_its_import_range() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let now = Timestamp::parse("2025-08-02T00:00:00Z").unwrap();
        let tx = store.begin_change("import", now, "T").unwrap();
        for n in 0..3 {
            store.insert_development(&development(n)).unwrap();
        }
        tx.commit("imported").unwrap();
        let range = store.added_range(1).unwrap().unwrap();
        assert_eq!((range.after, range.last), (0, 3));
        let imported = keys(&store);
        let tx = store.begin_change("sync", now, "T").unwrap();
        store.remove_record(RecordKind::Development, "d01").unwrap();
        tx.commit("synced").unwrap();
        let tx = store.begin_change("log", now, "T").unwrap();
        store.insert_development(&development(3)).unwrap();
        tx.commit("logged").unwrap();
        for _ in 0..2 {
            let tx = store.begin_write().unwrap();
            store.undo_latest(now, "T").unwrap().unwrap();
            tx.commit("").unwrap();
        }
        // Back under the key it had, so the import's range is whole again.
        assert_eq!(keys(&store), imported);
        let tx = store.begin_write().unwrap();
        store.undo_latest(now, "T").unwrap().unwrap();
        tx.commit("").unwrap();
        assert!(keys(&store).is_empty());
    }
}
