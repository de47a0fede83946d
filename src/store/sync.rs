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

impl Store {
    /// Pairs of developments that likely record one event twice
    /// (`Development::likely_duplicate_of`), each pair once: those involving
    /// one of `among`, or every pair in the store when None.
    pub fn likely_duplicates(&self, among: Option<&[DevId]>) -> Result<Vec<(DevId, DevId)>> {
        let dates: Vec<String> = match among {
            Some(ids) => {
                let mut dates = Vec::new();
                for id in ids {
                    if let Some(dev) = self.development(id)? {
                        dates.push(dev.date.to_string());
                    }
                }
                dates.sort();
                dates.dedup();
                dates
            }
            None => {
                let mut stmt = self.conn.prepare(
                    "SELECT date FROM developments WHERE retracted_at IS NULL
                      GROUP BY date HAVING count(*) > 1 ORDER BY date",
                )?;
                let dates = stmt.query_map([], |r| r.get(0))?;
                dates.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut pairs = std::collections::BTreeSet::new();
        for date in dates {
            let devs = self.developments_dated(&date)?;
            // Duplicates share a watch item: compare within each item's developments.
            let mut by_slug: std::collections::HashMap<&str, Vec<usize>> = Default::default();
            for (index, dev) in devs.iter().enumerate() {
                for link in &dev.links {
                    by_slug.entry(link.slug.as_str()).or_default().push(index);
                }
            }
            for group in by_slug.values() {
                for (n, &i) in group.iter().enumerate() {
                    for &j in &group[n + 1..] {
                        let (a, b) = (&devs[i], &devs[j]);
                        let wanted =
                            among.is_none_or(|ids| ids.contains(&a.id) || ids.contains(&b.id));
                        if wanted && a.likely_duplicate_of(b) {
                            pairs.insert(if a.id < b.id {
                                (a.id.clone(), b.id.clone())
                            } else {
                                (b.id.clone(), a.id.clone())
                            });
                        }
                    }
                }
            }
        }
        Ok(pairs.into_iter().collect())
    }

    /// The developments that count dated exactly `date` (as entered).
    fn developments_dated(&self, date: &str) -> Result<Vec<crate::model::Development>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM developments d WHERE d.date = ?1 AND d.retracted_at IS NULL ORDER BY d.id",
            super::developments::DEVELOPMENT_COLUMNS
        ))?;
        let mut rows = stmt.query([date])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(super::developments::read_development(row)?);
        }
        Ok(out)
    }
}
