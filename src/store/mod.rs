//! The SQLite store: opening it, its schema, and every SQL statement lookout runs.
//!
//! Commands call domain methods (`insert_development`, `item_facts`, …) and
//! never write SQL. Reads are plain method calls; a write runs between
//! `begin_write` and `WriteTx::commit`, which takes the write lock up front
//! (`BEGIN IMMEDIATE`) so that concurrent writers wait for one another instead
//! of failing halfway. This module knows nothing of clap or terminals.

mod actors;
mod added;
mod audit;
mod backup;
mod changes;
mod check;
mod check_records;
mod development_reads;
mod developments;
mod duplicates;
mod inbox;
mod journal;
mod known;
mod matching;
mod open;
mod schema;
mod search;
mod selection;
mod staged;
#[cfg(test)]
mod stats_tests;
mod status;
mod stored;
mod sync;
mod timeline;
mod undo;
mod vocab;
mod watch;
mod window;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub(crate) use duplicates::{ArrivedDuplicates, LikelyDuplicates};
pub(crate) use inbox::InboxFilter;
pub(crate) use known::KnownReads;
pub(crate) use matching::ImportMatch;
pub(crate) use search::SearchPass;
pub(crate) use selection::ItemFilter;
pub(crate) use sync::SyncState;
pub(crate) use timeline::TimelineFilter;

use staged::KeyCache;

use crate::dates::Timestamp;
use crate::error::{Error, Result};

/// How large the write-ahead log may grow before a write folds it into the
/// store and empties it (`PRAGMA wal_checkpoint(TRUNCATE)`).
///
/// SQLite's default is to fold the log into the store whenever the last
/// connection closes, and delete it: every `log` then wrote its pages twice
/// and waited for three more fsyncs than its commit needs (the store's, and
/// the log's removal). Connections here close without that
/// (`SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE`), so the log stays between commands
/// and each write appends to it and fsyncs it once; a write that leaves it
/// past this size empties it. The cost: the first connection of each process
/// reads the whole log to index it (the shared-memory index is rebuilt when
/// no other process holds it), which is why it is kept small, and a copy of
/// the store file alone may miss the changes still in the log (`lookout
/// backup` copies through SQLite, and `lookout init` folds the log in).
/// Durability is unchanged: a commit is on disk in the log when it returns.
pub const WAL_LIMIT: u64 = 1 << 20;

/// How long a command waits for another process's write before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a command means to do with the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read only: a missing store is an error, and nothing is created. A
    /// store of an older schema is upgraded where the file may be written.
    Read,
    /// Read and write: a missing store is created (mode 0600).
    Write,
    /// `check`: read only, never upgraded, and opened whatever its schema
    /// holds, so that the check can say what is wrong.
    Check,
}

pub struct Store {
    /// Declared first, so dropped first: the connection is closed before
    /// the lock below may remove a store this process created.
    conn: Connection,
    path: PathBuf,
    /// Indexes and triggers dropped for a bulk load, with the SQL that makes them again.
    deferred_indexes: RefCell<Vec<(String, String)>>,
    /// A bulk load is under way: what it defers is done once at its end.
    bulk: std::cell::Cell<bool>,
    /// Keys looked up or written by this process (see `KeyCache`).
    keys: RefCell<KeyCache>,
    /// The journal entry the current write is recording, if any.
    journal: RefCell<Option<journal::Recording>>,
    /// A new store being built in a temporary file (see `staged`).
    staged: Option<tempfile::NamedTempFile>,
    /// A writer's hold on the file (see `open`); None for readers.
    lock: Option<open::StoreLock>,
    /// Read as known on a past instant, laid over (see `known::overlay`).
    overlay: Option<known::Overlay>,
}

impl Store {
    /// Opens the store at `path`, creating it for `Access::Write`, and brings
    /// its schema up to date. A file that is not a lookout store, or one of a
    /// newer schema version, is refused and left exactly as it was; so is a
    /// store whose schema someone else changed in a way that would change
    /// what lookout writes (or, for its tables, reads).
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        open::refuse_special(path)?;
        let (conn, lock) = match access {
            Access::Write => {
                let lock = open::StoreLock::acquire(path)?;
                (open::open_for_writing(path)?, Some(lock))
            }
            Access::Read | Access::Check if !path.exists() => {
                return Err(Error::io(format!("no lookout store at {}", path.display()))
                    .with_hint(
                        "create one with `lookout init` (or `lookout import FILE`), \
                         or point --db or LOOKOUT_DB at an existing store",
                    ));
            }
            Access::Read | Access::Check => (open::open_for_reading(path)?, None),
        };
        Store::finish_open(conn, path, lock, access)
    }

    /// A store on `conn`, holding `lock` (writers), nothing else set.
    fn on(conn: Connection, path: &Path, lock: Option<open::StoreLock>) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            deferred_indexes: RefCell::new(Vec::new()),
            bulk: std::cell::Cell::new(false),
            keys: RefCell::new(KeyCache::default()),
            journal: RefCell::new(None),
            staged: None,
            lock,
            overlay: None,
        }
    }

    /// Recognises, upgrades, audits and configures the store just opened.
    fn finish_open(
        conn: Connection,
        path: &Path,
        lock: Option<open::StoreLock>,
        access: Access,
    ) -> Result<Store> {
        let store = Store::on(conn, path, lock);
        // Wait for other writers, even while recognising the file.
        store.conn.busy_timeout(BUSY_TIMEOUT)?;
        schema::prepare(&store.conn, path, access)?;
        if access != Access::Check {
            store.refuse_foreign_schema(access)?;
        }
        store
            .configure(access)
            .map_err(|e| e.context(path.display()))?;
        Ok(store)
    }

    /// Refuses a store whose schema differs from lookout's in a way that
    /// would change what `access` does (see `audit`).
    fn refuse_foreign_schema(&self, access: Access) -> Result<()> {
        let refused: Vec<String> = audit::audit(&self.conn)?
            .iter()
            .filter(|d| match access {
                Access::Write => d.forbids_writing(),
                Access::Read | Access::Check => d.forbids_reading(),
            })
            .map(ToString::to_string)
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        let doing = if access == Access::Write {
            "write to"
        } else {
            "read"
        };
        Err(Error::io(format!(
            "{}: refusing to {doing} this store, whose schema is not lookout's: {}",
            self.path.display(),
            refused.join("; ")
        ))
        .with_hint(
            "`lookout check` lists what differs; remove what lookout did not make, or export \
             the tracker and import it into a new store",
        ))
    }

    /// The store is real now: a store this command created stays.
    pub fn keep(&self) {
        if let Some(lock) = &self.lock {
            lock.keep();
        }
    }

    /// Refuses to go on when the store file was removed or replaced while
    /// this command had it open: what it writes would be lost with the file.
    fn require_in_place(&self) -> Result<()> {
        match &self.lock {
            Some(lock) if !lock.in_place() => Err(Error::io(format!(
                "{} was removed or replaced while lookout was writing to it",
                self.path.display()
            ))
            .with_hint("restore the store from a backup, then run the command again")),
            _ => Ok(()),
        }
    }

    /// SQLite's plan for `sql`, one step a line, for tests that keep queries index-backed.
    #[cfg(test)]
    pub(crate) fn query_plan(&self, sql: &str) -> Result<String> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let steps: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(steps.join(" | "))
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self, access: Access) -> Result<()> {
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // A development reported as logged survives a power cut.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.set_prepared_statement_cache_capacity(64);
        // Plans that never depend on bound values: rusqlite clears a cached
        // statement's bindings when it goes back to the cache, which makes
        // SQLite prepare again, on its next use, every statement whose plan
        // took a bound value into account — half of `status`'s instructions
        // at 1M developments, its per-item queries prepared afresh for every
        // item. No query of lookout's needs a value to find its index (no
        // LIKE of a bound pattern; ranges on dates use the index either way,
        // as `status_and_timeline_queries_are_index_backed` checks).
        self.conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        if access != Access::Write {
            // A read changes nothing, whatever it runs.
            self.conn.pragma_update(None, "query_only", true)?;
        }
        Ok(())
    }

    /// Folds the write-ahead log into the store and empties it once it is
    /// past `WAL_LIMIT`; every lookout connection closes without folding it.
    pub fn limit_wal(&self) -> Result<()> {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_LIMIT) {
            self.fold_wal()?;
        }
        Ok(())
    }

    /// A handle that interrupts the statement this store is running, from
    /// another thread (a Ctrl-C handler's).
    pub fn interrupt_handle(&self) -> StoreInterrupt {
        StoreInterrupt(self.conn.get_interrupt_handle())
    }

    /// Folds the write-ahead log into the store and empties it, as far as
    /// readers still using it allow (`lookout init` on a store, and any write
    /// that leaves the log past `WAL_LIMIT`).
    pub fn fold_wal(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Starts a read snapshot: every query until the guard is dropped sees
    /// the store as it was when it began, whatever other processes commit
    /// meanwhile (a read transaction). Commands that read more than once —
    /// an export, a report with its details — take one, so that what they
    /// print is one state of the store. Within a write, or a snapshot
    /// already begun, it does nothing.
    pub fn begin_read(&self) -> Result<ReadSnapshot<'_>> {
        if !self.conn.is_autocommit() {
            return Ok(ReadSnapshot {
                conn: &self.conn,
                open: false,
            });
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let snapshot = ReadSnapshot {
            conn: &self.conn,
            open: true,
        };
        // WAL fixes the snapshot at the first read, not at BEGIN.
        self.conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })?;
        Ok(snapshot)
    }

    /// Starts a write that the journal does not record (undo; schema
    /// migration): takes the write lock now, waiting (busy timeout) for other
    /// writers. Dropping the guard without `commit` rolls back.
    pub fn begin_write(&self) -> Result<WriteTx<'_>> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        // Another process may have dropped an index since the last write.
        self.keys.borrow_mut().indexes.clear();
        Ok(WriteTx {
            store: self,
            tx: Some(tx),
        })
    }

    /// Starts a write that becomes one journal entry of `command` by
    /// `author`, recorded at `at`: every record it adds, changes or removes
    /// is journaled with its before and after, in the same transaction.
    pub fn begin_change(&self, command: &str, at: Timestamp, author: &str) -> Result<WriteTx<'_>> {
        let tx = self.begin_write()?;
        self.journal
            .replace(Some(journal::Recording::new(command, at, author)));
        Ok(tx)
    }
}

impl Store {
    /// Marks a point inside a write that one record can be rolled back to
    /// (`import --skip-invalid`). Dropping the guard without `release` rolls back.
    pub fn savepoint(&self) -> Result<Savepoint<'_>> {
        self.conn.execute_batch("SAVEPOINT record")?;
        let mark = self.journal.borrow().as_ref().map(journal::Recording::mark);
        Ok(Savepoint {
            conn: &self.conn,
            keys: &self.keys,
            journal: &self.journal,
            mark,
            open: true,
        })
    }
}

/// See `Store::savepoint`. (rusqlite's own savepoint needs `&mut Connection`,
/// which a store shared by reference cannot hand out.)
pub struct Savepoint<'a> {
    conn: &'a Connection,
    keys: &'a RefCell<KeyCache>,
    /// The journal's recording, put back where it stood when rolled back.
    journal: &'a RefCell<Option<journal::Recording>>,
    mark: Option<journal::RecordingMark>,
    open: bool,
}

impl Savepoint<'_> {
    pub fn release(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("RELEASE record")?;
        Ok(())
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self
                .conn
                .execute_batch("ROLLBACK TO record; RELEASE record");
            self.keys.borrow_mut().forget();
            if let (Some(recording), Some(mark)) = (self.journal.borrow_mut().as_mut(), self.mark) {
                recording.rewind(mark);
            }
        }
    }
}

/// An open read snapshot; see `Store::begin_read`. Ends when dropped.
pub struct ReadSnapshot<'a> {
    conn: &'a Connection,
    open: bool,
}

impl Drop for ReadSnapshot<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("COMMIT");
        }
    }
}

/// Interrupts a store's running statement; see `Store::interrupt_handle`.
pub struct StoreInterrupt(rusqlite::InterruptHandle);

impl StoreInterrupt {
    /// Makes the statement running now fail as interrupted (rolling back a
    /// write it was making); nothing when none runs or the store is closed.
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

/// An open write transaction; see `Store::begin_write` and `Store::begin_change`.
/// Dropped without `commit`, it rolls back (rusqlite's transaction does).
pub struct WriteTx<'a> {
    store: &'a Store,
    tx: Option<Transaction<'a>>,
}

impl WriteTx<'_> {
    /// Commits; `summary` says in a line what the command did, for `history`.
    pub fn commit(mut self, summary: &str) -> Result<()> {
        self.store.finish_journal_entry(summary)?;
        // A store deleted under a running command must not report success.
        self.store.require_in_place()?;
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        if self.store.staged.is_some() {
            // Not yet where others find it: `Store::publish` puts it there.
            return Ok(());
        }
        self.store.keep();
        self.store.limit_wal()?;
        self.store.require_in_place().map_err(|e| {
            Error::io(format!(
                "{}; the changes went into the removed file and are lost with it",
                e.message()
            ))
        })
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        self.store.journal.replace(None);
        if self.tx.is_some() {
            // Keys written inside the rolled-back write are gone with it.
            self.store.keys.borrow_mut().forget();
            self.store.bulk.set(false);
            // A rolled-back bulk load's indexes are back: none is deferred.
            self.store.deferred_indexes.borrow_mut().clear();
        }
    }
}
