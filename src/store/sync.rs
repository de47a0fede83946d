//! What the store keeps of sharing through git: the remote and the commit
//! last agreed on (`sync_state`), and applying a merge's changes to records.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::dates::Timestamp;
use crate::error::Result;
use crate::model::DevId;
use crate::record::{Record, RecordKind};

/// Where this store syncs to, and the commit of the shared tracker it last
/// agreed with (None until a first sync completes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub remote: String,
    pub base: Option<String>,
}

impl Store {
    pub fn sync_state(&self) -> Result<Option<SyncState>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT remote, base FROM sync_state WHERE id = 1")?;
        Ok(stmt
            .query_row([], |r| {
                Ok(SyncState {
                    remote: r.get(0)?,
                    base: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// Records the remote and the commit this store now agrees with.
    pub fn set_sync_state(&self, state: &SyncState, at: Timestamp) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO sync_state (id, remote, base, synced_at) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE
                    SET remote = excluded.remote, base = excluded.base,
                        synced_at = excluded.synced_at",
            )?
            .execute(params![state.remote, state.base, at.to_string()])?;
        Ok(())
    }

    /// Marks the journal entry being recorded as a sync from `base`, which
    /// undo puts back (so the next sync merges the undone changes again
    /// instead of sending their reversal to everyone).
    pub fn journal_sync_base(&self, base: Option<&str>) {
        if let Some(recording) = self.journal.borrow_mut().as_mut() {
            recording.sync_base = Some(base.map(str::to_string));
        }
    }

    /// Adds or replaces a record as a merge decided it.
    pub fn put_record(&self, record: &Record) -> Result<()> {
        match record {
            Record::Kind(name) => self.add_kind(name).map(|_| ()),
            Record::Watch(item) => {
                if self.watch_key(item.slug.as_str())?.is_some() {
                    self.update_watch_item(item)
                } else {
                    let at = item.provenance.updated_at.unwrap_or(Timestamp::EPOCH);
                    self.insert_watch_item(item, at)
                }
            }
            Record::Development(dev) => {
                if self.development_exists(&dev.id)? {
                    self.replace_development(dev)
                } else {
                    self.insert_development(dev)
                }
            }
        }
    }

    /// Removes a record the shared tracker no longer holds.
    pub fn remove_record(&self, kind: RecordKind, key: &str) -> Result<()> {
        match kind {
            RecordKind::Kind => self.delete_kind(key),
            RecordKind::Watch => {
                if self.watch_key(key)?.is_some() {
                    self.remove_watch_item(key)?;
                }
                Ok(())
            }
            RecordKind::Development => match DevId::parse(key) {
                Ok(id) if self.development_exists(&id)? => self.delete_development(&id),
                _ => Ok(()),
            },
        }
    }

    /// SQLite's count of commits by other connections: it moves when another
    /// process changed the store since this one last looked.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }
}
