//! The bulk path: a large import, undo or sync written in one pass, and a
//! store's first import or sync built aside and renamed into place.
//!
//! A bulk load (`begin_bulk_load` to `end_bulk_load`, inside one write)
//! drops the secondary indexes of the development and journal tables and the
//! triggers that keep watch_stats, the search indexes and the sync marks, and
//! does their work once at its end: sorting once is faster than inserting at
//! random places row by row. The key cache spares it asking SQLite for a
//! watch item's or an actor's key row after row.
//!
//! When an import creates the store (this process made the file and holds
//! the creation lock, `open`) and its input is large, the store is built in
//! a hidden temporary file beside it: rollback journal in memory,
//! `synchronous=OFF` (nothing is fsynced while it loads), the connection's
//! lock held throughout, foreign keys left to the loader's own checks (it
//! checks every kind and watch item against the store), and every page
//! written once (a WAL would take each page, then copy it into the file). At
//! the commit the file is switched to WAL as every store is, closed,
//! fsynced, and renamed over the empty file the creation lock was taken on,
//! still holding its own exclusive lock; then the directory is fsynced and
//! the store kept, as any first command keeps it.
//!
//! Crash safety comes from the rename: killed before it, the path holds the
//! empty file its creator made (what any killed first command leaves: the
//! next command makes it a store) and the temporary file is an orphan the
//! next temporary file in that directory sweeps away; killed after it, the
//! whole import. A refused or dry run never renames: the temporary file is
//! removed, and the empty file too, as any refused first command removes it.
//!
//! The creation lock's promise still holds: no other lookout can have
//! written to the empty file (writers wait for the lock before SQLite opens
//! it), so the rename replaces nothing anyone wrote; a writer waiting on it
//! finds it unlinked, as when a refused creator removes it, and opens the
//! store anew, where the staged file's own exclusive lock holds it until the
//! import has kept it. What it assumes: no one removes the empty file and
//! makes another store at the path by hand while the import runs (it is
//! checked just before the rename); and no write-ahead log of an older store
//! lies at the path (then the store is not staged).

use std::collections::HashMap;
use std::fs::{File, Permissions};
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Access, Store, audit, open, schema};
use crate::error::{Error, Result};
use crate::files;

/// Keys of watch items and actors by name, so that a bulk load does not ask
/// SQLite for them row after row, and the indexes `ensure_index` found or
/// built in this write, so that it does not read `sqlite_schema` (a scan of
/// every table, index and trigger) for each row of an import without ids:
/// that was half of what those rows cost beyond rows with ids. Forgotten
/// whenever a write is rolled back, since a key or index written inside it
/// is gone with it; the indexes also when a write or a bulk load begins.
#[derive(Default)]
pub(super) struct KeyCache {
    pub(super) watch: HashMap<String, i64>,
    pub(super) actors: HashMap<String, i64>,
    pub(super) indexes: Vec<String>,
}

impl KeyCache {
    /// Actors are a free vocabulary; a hostile file could name millions.
    const MAX_ACTORS: usize = 4096;

    pub(super) fn remember_actor(&mut self, name: &str, key: i64) {
        if self.actors.len() >= KeyCache::MAX_ACTORS {
            self.actors.clear();
        }
        self.actors.insert(name.to_string(), key);
    }

    pub(super) fn forget(&mut self) {
        self.watch.clear();
        self.actors.clear();
        self.indexes.clear();
    }
}

/// The search indexes (words and trigrams), whose triggers a bulk load
/// drops too, built afresh.
/// FTS5 gathers terms in a hash table it writes out as a segment whenever
/// the table passes `hashsize` (1 MiB by default), and merges the segments
/// as it goes; 8 MiB makes a rebuild write an eighth as many segments and
/// merge less: 0.85× the time of the rebuild at 100,000 developments, for
/// 13 MiB more memory while it runs (sqlite3 on a copy of the store, three
/// runs each; 32 MiB was no faster). The setting is kept in the index's
/// config table, so it is put back to the default afterwards.
const REBUILD_SEARCH_INDEX: &str = "
    INSERT INTO developments_fts (developments_fts, rank) VALUES ('hashsize', 8388608);
    INSERT INTO developments_fts (developments_fts) VALUES ('rebuild');
    INSERT INTO developments_fts (developments_fts, rank) VALUES ('hashsize', 1048576);
    INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 8388608);
    INSERT INTO developments_trigram (developments_trigram) VALUES ('rebuild');
    INSERT INTO developments_trigram (developments_trigram, rank) VALUES ('hashsize', 1048576);";

/// What the `links_stats_*` triggers keep, computed afresh.
const REBUILD_WATCH_STATS: &str = "
    DELETE FROM watch_stats;
    INSERT INTO watch_stats (watch_id, developments, latest_settled)
    SELECT watch_id, count(*), max(settled)
      FROM links WHERE retracted = 0 AND scheduled = 0 GROUP BY watch_id;";

/// Page cache for bulk loads, in KiB (SQLite's negative cache_size): large
/// enough to hold most of the id index of a million developments.
const BULK_CACHE_KIB: i64 = 32 * 1024;

/// Page cache while the deferred indexes are built: SQLite's sorter takes as
/// much memory again as the cache, so it shrinks to keep the peak flat.
const INDEX_BUILD_CACHE_KIB: i64 = 8 * 1024;

impl Store {
    /// Prepares a large import (or undo) inside a write: a larger page cache,
    /// and the secondary indexes of the development and journal tables, the
    /// watch_stats triggers and the search-index triggers dropped, and the
    /// actors' counts left alone, their work done once by `end_bulk_load` — sorting once is faster than inserting at
    /// random places row by row. Rolled back with the transaction if the load fails.
    pub fn begin_bulk_load(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        // The indexes of the development tables, and the triggers that keep
        // watch_stats, the search index and the sync marks, whose work is
        // done once by `end_bulk_load`.
        let mut stmt = self.conn.prepare(
            "SELECT type, name, sql FROM sqlite_schema
              WHERE (type = 'index' AND sql IS NOT NULL
                     AND tbl_name IN ('developments', 'links', 'journal_changes'))
                 OR (type = 'trigger' AND (name LIKE 'links\\_stats\\_%' ESCAPE '\\'
                                           OR name LIKE 'developments\\_fts\\_%' ESCAPE '\\'
                                           OR name LIKE 'developments\\_trigram\\_%' ESCAPE '\\'
                                           OR name LIKE 'developments\\_sync\\_%' ESCAPE '\\'))
              ORDER BY type, name",
        )?;
        let deferred: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (kind, name, _) in &deferred {
            // Names come from sqlite_schema; quoted all the same.
            let quoted = name.replace('"', "\"\"");
            let drop = if kind == "index" {
                "DROP INDEX"
            } else {
                "DROP TRIGGER"
            };
            self.conn.execute_batch(&format!("{drop} \"{quoted}\""))?;
        }
        self.deferred_indexes
            .borrow_mut()
            .extend(deferred.into_iter().map(|(_, name, sql)| (name, sql)));
        self.keys.borrow_mut().indexes.clear();
        self.bulk.set(true);
        Ok(())
    }

    /// Builds one of lookout's indexes now, if the store lacks it, because
    /// a query needs it: one a bulk load deferred, or one built on demand
    /// (`audit::ON_DEMAND`). Only inside a write.
    pub(crate) fn ensure_index(&self, name: &str) -> Result<()> {
        if self.keys.borrow().indexes.iter().any(|n| n == name) {
            return Ok(());
        }
        self.build_index_unless_present(name)?;
        self.keys.borrow_mut().indexes.push(name.to_string());
        Ok(())
    }

    /// See `ensure_index`.
    fn build_index_unless_present(&self, name: &str) -> Result<()> {
        let position = self
            .deferred_indexes
            .borrow()
            .iter()
            .position(|(n, _)| n == name);
        if let Some(position) = position {
            let (_, sql) = self.deferred_indexes.borrow_mut().remove(position);
            self.conn.execute_batch(&sql)?;
            return Ok(());
        }
        let mut present = self
            .conn
            .prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1")?;
        if !present.exists([name])? {
            self.conn.execute_batch(&schema::index_sql(name)?)?;
        }
        Ok(())
    }

    /// Builds every index `begin_bulk_load` deferred.
    pub fn end_bulk_load(&self) -> Result<()> {
        let deferred: Vec<(String, String)> =
            self.deferred_indexes.borrow_mut().drain(..).collect();
        self.conn
            .pragma_update(None, "cache_size", -INDEX_BUILD_CACHE_KIB)?;
        for (name, sql) in deferred {
            // Built again by the command that needs it (`ensure_index`).
            if !audit::ON_DEMAND.contains(&name.as_str()) {
                self.conn.execute_batch(&sql)?;
            }
        }
        self.conn.execute_batch(REBUILD_WATCH_STATS)?;
        self.conn.execute_batch(REBUILD_SEARCH_INDEX)?;
        self.recount_actors()?;
        self.mark_all_shards_changed()?;
        self.bulk.set(false);
        Ok(())
    }
}

impl Store {
    /// Opens the store for an import; `stage` asks for the bulk path when
    /// this import creates the store (module docs).
    pub fn open_for_import(path: &Path, stage: bool) -> Result<Store> {
        if !stage {
            return Store::open(path, Access::Write);
        }
        open::refuse_special(path)?;
        let lock = open::StoreLock::acquire(path)?;
        if !lock.created() || leftovers_beside(path) {
            let conn = open::open_for_writing(path)?;
            return Store::finish_open(conn, path, Some(lock), Access::Write);
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temp = files::hidden_temp(dir, "store", Some(private()))
            .map_err(|e| Error::io(format!("cannot make a store in {}: {e}", dir.display())))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(temp.path(), flags)
            .map_err(|e| Error::io(format!("cannot open {}: {e}", temp.path().display())))?;
        open::defend(&conn)?;
        // Set before the first transaction, which SQLite requires of them.
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             PRAGMA journal_mode = MEMORY;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;",
        )?;
        schema::create(&conn)?;
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = Store::on(conn, path, Some(lock));
        store.staged = Some(temp);
        Ok(store)
    }

    /// Puts a staged store in place (module docs); nothing for another store.
    pub fn publish(self) -> Result<()> {
        let Some(temp) = self.staged else {
            return Ok(());
        };
        let Some(mut lock) = self.lock else {
            return Err(Error::io("a staged store holds no creation lock"));
        };
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.close().map_err(|(_, e)| Error::from(e))?;
        let failed = |e: std::io::Error| Error::io(format!("{}: {e}", self.path.display()));
        temp.as_file().sync_all().map_err(failed)?;
        if !lock.in_place() {
            return Err(Error::io(format!(
                "{} was removed or replaced while lookout was writing to it; nothing was stored",
                self.path.display()
            ))
            .with_hint("run the import again"));
        }
        let file: File = temp.persist(&self.path).map_err(|e| failed(e.error))?;
        lock.adopt(file);
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir).and_then(|d| d.sync_all()).map_err(failed)?;
        }
        Ok(())
    }
}

/// Whether a write-ahead log or shared-memory file of an earlier store lies
/// at the path, which SQLite would take for the new store's.
fn leftovers_beside(path: &Path) -> bool {
    ["-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    })
}

/// Read and write for the owner alone, as every store is made.
fn private() -> Permissions {
    use std::os::unix::fs::PermissionsExt;
    Permissions::from_mode(0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Timestamp;

    const BY_MATCH: &str = "SELECT id FROM developments WHERE date = ?1 AND headline = ?2";

    fn uses_match_index(store: &Store) -> bool {
        store
            .query_plan(BY_MATCH)
            .unwrap()
            .contains("developments_match")
    }

    #[test]
    fn an_index_ensured_then_dropped_by_a_rollback_or_a_bulk_load_is_built_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let now = Timestamp::parse("2025-08-02T00:00:00Z").unwrap();
        let _tx = store.begin_change("import", now, "T").unwrap();
        store.begin_bulk_load().unwrap();
        assert!(!uses_match_index(&store));
        // Built inside a record's savepoint that is rolled back: gone.
        let savepoint = store.savepoint().unwrap();
        store.ensure_index("developments_match").unwrap();
        assert!(uses_match_index(&store));
        drop(savepoint);
        assert!(!uses_match_index(&store));
        store.ensure_index("developments_match").unwrap();
        assert!(uses_match_index(&store));
        // Found present, then dropped by a bulk load.
        store.ensure_index("developments_match").unwrap();
        store.end_bulk_load().unwrap();
        store.begin_bulk_load().unwrap();
        assert!(!uses_match_index(&store));
        store.ensure_index("developments_match").unwrap();
        assert!(uses_match_index(&store));
    }
}
