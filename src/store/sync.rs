//! What the store keeps of sharing through git: the remote and the commit
//! last agreed on (`sync_state`), and applying a merge's changes to records.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::development_reads::{DEVELOPMENT_COLUMNS, read_development};
use crate::dates::Timestamp;
use crate::error::Result;
use crate::model::{DevId, Development};
use crate::record::{Record, RecordKind};

/// The developments of shard ?1 by id ('~' sorts after every character an
/// id may hold), read through the index of ids.
const IN_SHARD: &str = "FROM developments d
    WHERE d.id >= ?1 AND d.id < ?1 || '~' AND substr(d.id, 1, 2) = ?1
    ORDER BY d.id";

/// The mark of every shard in `sync_dirty`.
const ALL_SHARDS: &str = "*";

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
            // This store's alone: a shared tracker never holds them.
            RecordKind::Feed | RecordKind::Inbox => Ok(()),
        }
    }

    /// The shards whose developments changed since the last sync (schema.sql,
    /// `sync_dirty`); None when any may have: the store has not synced yet,
    /// or every shard is marked.
    pub fn changed_shards(&self) -> Result<Option<BTreeSet<String>>> {
        if self.sync_state()?.and_then(|s| s.base).is_none() {
            return Ok(None);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT shard FROM sync_dirty ORDER BY shard")?;
        let shards = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<BTreeSet<String>>>()?;
        Ok((!shards.contains(ALL_SHARDS)).then_some(shards))
    }

    /// Whether any shard is marked.
    pub fn has_changed_shards(&self) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_dirty)")?;
        Ok(stmt.query_row([], |r| r.get(0))?)
    }

    /// Forgets the marks: the store and the shared tracker agree again.
    pub fn clear_changed_shards(&self) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM sync_dirty")?
            .execute([])?;
        Ok(())
    }

    /// Marks every shard, when a store that syncs changed in ways not marked
    /// one by one (a bulk load, the undo of a sync).
    pub(super) fn mark_all_shards_changed(&self) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO sync_dirty (shard)
                 SELECT ?1 WHERE EXISTS (SELECT 1 FROM sync_state WHERE base IS NOT NULL)",
            )?
            .execute([ALL_SHARDS])?;
        Ok(())
    }

    /// Streams the developments of one shard (those whose id starts with it,
    /// or is it, for a one-character id), sorted by id.
    pub fn developments_in_shard(
        &self,
        shard: &str,
        mut each: impl FnMut(Development) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {DEVELOPMENT_COLUMNS} {IN_SHARD}"))?;
        let mut rows = stmt.query([shard])?;
        while let Some(row) = rows.next()? {
            each(read_development(row)?)?;
        }
        Ok(())
    }

    /// A development that uses a watch item (`RecordKind::Watch`) or kind,
    /// the first for which `wanted` says yes, retracted ones included.
    pub fn development_using(
        &self,
        kind: RecordKind,
        key: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Option<DevId>> {
        let sql = match kind {
            RecordKind::Watch => {
                "SELECT d.id FROM watch_items w
                   JOIN links l ON l.watch_id = w.id
                   JOIN developments d ON d.key = l.development
                  WHERE w.slug = ?1"
            }
            RecordKind::Kind => "SELECT d.id FROM developments d WHERE d.kind = ?1",
            RecordKind::Development | RecordKind::Feed | RecordKind::Inbox => return Ok(None),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([key])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            if wanted(&id) {
                return Ok(Some(super::stored::stored_id(&id)?));
            }
        }
        Ok(None)
    }

    /// Whether this store holds no watch item `slug` and once removed it
    /// itself (not by a sync): a sync that brings it back says so.
    pub fn watch_removed_here(&self, slug: &str) -> Result<bool> {
        if self.watch_key(slug)?.is_some() {
            return Ok(false);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM journal_changes c JOIN journal j ON j.id = c.entry
                             WHERE c.record = 'watch' AND c.key = ?1 AND c.after IS NULL
                               AND j.command <> 'sync' AND j.undone_at IS NULL)",
        )?;
        Ok(stmt.query_row([slug], |r| r.get(0))?)
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

#[cfg(test)]
mod tests {
    use super::IN_SHARD;
    use crate::store::{Access, Store};

    #[test]
    fn a_shard_is_read_through_the_index_of_ids() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let plan = store
            .query_plan(&format!("SELECT d.id {IN_SHARD}"))
            .unwrap();
        assert!(
            plan.contains(
                "SEARCH d USING COVERING INDEX sqlite_autoindex_developments_1 (id>? AND id<?)"
            ),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
