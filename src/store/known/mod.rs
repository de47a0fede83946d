//! The store as it was known at an instant (`--known-on K`; docs/DESIGN.md,
//! "Reports as known on a past day").
//!
//! **Design.** A reading command with `--known-on K` runs its unchanged
//! report code on the store in which every journal entry
//! that stands and was made after K has been reverted by undo itself
//! (`undo_entry`, newest first), and every entry that stood at K and was
//! undone since is made again from the lines it kept (`redo_undone`, the
//! only new step: an entry's after lines put back with undo's own
//! `restore`), so what it holds is what the store held at K. An
//! import or a sync that added developments keeps no line of them (its
//! range, see `added`): an instant between one and its undo is refused.
//!
//! **Laid over** (`overlay`): for the commands whose reads all know of it
//! (`KnownReads::Overlay`: `status`, `show`, `watch list` and `show`,
//! `timeline` without `--actor`, `changes` with nothing to correct), when every
//! entry since changed developments only, nothing is reverted: the journal's
//! lines at K are laid over the store in the connection's temporary tables,
//! read together with the store's rows not set aside (`sql`). What it costs
//! grows with the entries after K alone, and no lock is taken.
//!
//! **In place.** The revert runs on the store itself, inside a write that is
//! rolled back, never committed: nothing is copied, and the pages read are
//! the store's own. A transaction of its own when none is open (a savepoint
//! would keep a journal of every page it changes), a savepoint inside the
//! read snapshot a command holds. Its costs: the write lock is held until
//! the command ends (a writer waits for it, as for any write, up to its
//! busy timeout; a report for a pipe is held back until then, see
//! `Output::held`, so a reader that does not read keeps no writer waiting),
//! and pages
//! the revert changes beyond the page cache go to the write-ahead log as
//! frames no commit ever validates, overwritten by the next write.
//!
//! **A copy** when the store cannot be written from here: a read-only file or
//! directory, another process writing for longer than `LOCK_WAIT`, or a read
//! snapshot another process has written past. It is made with SQLite's
//! online backup API, in one read snapshot, into an anonymous temporary
//! database (`Connection::open("")`), which keeps its pages in memory up to
//! its page cache and spills the rest to a file SQLite unlinks as soon as it
//! opens it: memory stays bounded at any size of store, and nothing is left
//! in the temporary directory, even when the process is killed. The store
//! itself is only read.

mod guard;
mod overlay;
#[cfg(test)]
mod overlay_tests;
pub(super) mod sql;

pub(in crate::store) use guard::Overlay;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OptionalExtension};

use super::journal::journal_time;
use super::{Access, Store, open};
use crate::dates::Timestamp;
use crate::error::{Error, Result};

/// The page cache of a revert, in KiB (SQLite's negative cache_size): what
/// it may hold in memory before it spills (a copy: to its unlinked temporary
/// file; in place: to the write-ahead log).
const COPY_CACHE_KIB: i64 = 32 * 1024;

/// How long a reading command waits for another process's write before it
/// reads a copy instead of reverting the store in place.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// What a reading command will read of the store as known on a past
/// instant: whether it can read it laid over (`overlay`) instead of reverted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownReads {
    /// Reads that all know of the overlay: watch items' statuses and the
    /// developments they stand on, a timeline without the actor filter,
    /// and a window's developments.
    Overlay,
    /// Anything else: the store is reverted, in place or in a copy.
    Anything,
}

/// What `Store::write_here` opened.
struct Held {
    /// `query_only` before: put back when the revert is let go.
    query_only: bool,
    /// A savepoint inside a transaction already open, else a transaction.
    savepoint: bool,
}

impl Held {
    /// Puts temporary storage back to files once the revert is done: the
    /// sorts of the report that follows spill to files, as in any read
    /// (with temporary storage in memory they would not).
    fn reverted(&self, store: &Store) -> rusqlite::Result<()> {
        if self.savepoint {
            return Ok(());
        }
        store.conn.pragma_update(None, "temp_store", "DEFAULT")
    }

    /// Rolls back what was opened, and puts back what was set for it.
    fn let_go(&self, store: &Store) -> rusqlite::Result<()> {
        store.conn.execute_batch(if self.savepoint {
            "ROLLBACK TO known_on; RELEASE known_on"
        } else {
            "ROLLBACK"
        })?;
        if !self.savepoint {
            store.conn.pragma_update(None, "temp_store", "DEFAULT")?;
        }
        store
            .conn
            .pragma_update(None, "query_only", self.query_only)
    }
}

/// What an error met reading the journal back to `known_on` says.
pub(super) fn cannot_read(known_on: Timestamp) -> impl Fn(Error) -> Error {
    move |e: Error| {
        e.context(format!(
            "cannot read the store as known on {known_on}: the journal cannot be undone that far"
        ))
    }
}

impl Store {
    /// When the journal's first entry was made; None when it is empty.
    pub fn journal_start(&self) -> Result<Option<Timestamp>> {
        let at: Option<String> = self
            .conn
            .query_row("SELECT at FROM journal ORDER BY id LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        at.map(|at| journal_time(&at)).transpose()
    }

    /// This store as it was known at `known_on`, for a reading command: in
    /// place when it can be written (see the module), else a private copy.
    /// Refused (exit 65) when `known_on` is before the journal's first entry,
    /// naming the first day it can answer for.
    pub fn into_known_on(mut self, known_on: Timestamp, reads: KnownReads) -> Result<Store> {
        self.refuse_unknowable(known_on)?;
        if reads == KnownReads::Overlay && self.conn.is_autocommit() && self.lay_over(known_on)? {
            return Ok(self);
        }
        if self.conn.is_autocommit()
            && let Some(held) = self.write_here()?
        {
            // Nothing commits the transaction: closing the connection rolls
            // it back (SQLite's close does).
            return match self.revert_to(known_on) {
                Ok(()) => {
                    held.reverted(&self)?;
                    self.conn.pragma_update(None, "query_only", true)?;
                    // `query_only` does not stop a COMMIT: whatever asks
                    // for one from here on gets a rollback.
                    self.conn.commit_hook(Some(|| true))?;
                    Ok(self)
                }
                Err(e) => {
                    held.let_go(&self)?;
                    Err(e)
                }
            };
        }
        self.copy_as_known_on(known_on)
    }

    /// Whether this is the store itself reverted inside a write (which holds
    /// the write lock until it is dropped), not a copy.
    pub fn is_reverted_in_place(&self) -> bool {
        // A copy is committed once reverted; the store itself never is.
        self.overlay.is_none() && !self.conn.is_autocommit()
    }

    /// What `read` gives from the store as it was known at `known_on`, the
    /// store then as it was: reverted in place inside a savepoint rolled
    /// back, or a private copy when the store cannot be written from here
    /// now. Refused as `into_known_on` is.
    pub fn read_as_known_on<R>(
        &self,
        known_on: Timestamp,
        read: impl FnOnce(&Store) -> Result<R>,
    ) -> Result<R> {
        self.refuse_unknowable(known_on)?;
        let Some(held) = self.write_here()? else {
            return read(&self.copy_as_known_on(known_on)?);
        };
        let answer = self
            .revert_to(known_on)
            .and_then(|()| Ok(held.reverted(self)?))
            .and_then(|()| read(self));
        let rolled_back = held.let_go(self);
        // What the reverted store put in the key cache is gone with it.
        self.keys.borrow_mut().forget();
        let restored = self.conn.pragma_update(None, "query_only", held.query_only);
        rolled_back?;
        restored?;
        answer
    }

    /// Refuses an instant the journal cannot answer for.
    fn refuse_unknowable(&self, known_on: Timestamp) -> Result<()> {
        let Some(start) = self.journal_start()? else {
            return Err(Error::data(format!(
                "the journal holds no entry, so the store cannot say what it knew on {known_on}"
            ))
            .with_hint("leave --known-on out: the store as it is now is all it knows"));
        };
        if known_on < start {
            return Err(Error::data(format!(
                "--known-on {known_on} is before the journal's first entry ({start}): \
                 the first day it can answer for is {}",
                start.day()
            ))
            .with_hint(format!(
                "give {} or later, or a time from {start} on",
                start.day()
            )));
        }
        Ok(())
    }

    /// Takes the store's write lock for a revert that is never kept: a
    /// transaction when none is open (no savepoint's journal of every page
    /// changed), else the savepoint `known_on` inside the one open. Gives
    /// what `query_only` was and which was opened; None, with nothing left
    /// open, when the store cannot be written from here now: a read-only
    /// file, another process writing (waited for `LOCK_WAIT`), or a read
    /// snapshot that another process has written past.
    fn write_here(&self) -> Result<Option<Held>> {
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Ok(None);
        }
        let held = Held {
            query_only: self.conn.query_row("PRAGMA query_only", [], |r| r.get(0))?,
            savepoint: !self.conn.is_autocommit(),
        };
        self.conn.pragma_update(None, "query_only", false)?;
        if !held.savepoint {
            // Every statement of the revert that fires triggers keeps a
            // journal of the pages it changes, to undo itself alone if it
            // fails: in memory, not in a temporary file (SQLite decides
            // where as the transaction begins). Put back after the revert.
            self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        }
        self.conn.busy_timeout(LOCK_WAIT)?;
        let taken = if held.savepoint {
            // A write that changes nothing takes the lock.
            self.conn
                .execute_batch("SAVEPOINT known_on; DELETE FROM journal WHERE 0")
        } else {
            self.conn.execute_batch("BEGIN IMMEDIATE")
        };
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        if let Err(e) = taken {
            if held.savepoint {
                held.let_go(self)?;
            } else {
                self.conn.pragma_update(None, "temp_store", "DEFAULT")?;
                self.conn
                    .pragma_update(None, "query_only", held.query_only)?;
            }
            return match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::ReadOnly) => {
                    Ok(None)
                }
                _ => Err(e.into()),
            };
        }
        Ok(Some(held))
    }

    /// A private copy of the store as it was known at `known_on`: every
    /// journal entry made after it undone in the copy, the store unchanged.
    fn copy_as_known_on(&self, known_on: Timestamp) -> Result<Store> {
        let snapshot = self.begin_read()?;
        let mut copy = Connection::open("")?;
        open::defend(&copy)?;
        copy.pragma_update(None, "cache_size", -COPY_CACHE_KIB)?;
        // A copy nobody else sees and nobody keeps: no fsync, and the
        // rollback journal of its one write in memory, not in another file.
        copy.pragma_update(None, "synchronous", "OFF")?;
        copy.pragma_update(None, "journal_mode", "MEMORY")?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            // All pages in one step: one state of the store.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    _ => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        }
        drop(snapshot);
        let store = Store::on(copy, &self.path, None);
        store.conn.pragma_update(None, "foreign_keys", true)?;
        store.conn.execute_batch("BEGIN IMMEDIATE")?;
        store.revert_to(known_on)?;
        store.conn.execute_batch("COMMIT")?;
        store.configure(Access::Read)?;
        Ok(store)
    }

    /// Reverts, inside the caller's write, every journal entry made after
    /// `known_on` and makes again every one undone since that stood then.
    fn revert_to(&self, known_on: Timestamp) -> Result<()> {
        // The pages the revert changes held in memory, not spilled.
        self.conn
            .pragma_update(None, "cache_size", -COPY_CACHE_KIB)?;
        self.revert_entries(known_on).map_err(cannot_read(known_on))
    }

    /// See `revert_to`.
    fn revert_entries(&self, known_on: Timestamp) -> Result<()> {
        // What stands and was made after K, newest first, by undo itself.
        for entry in self.standing_entries_after(known_on)? {
            self.undo_entry(entry, known_on, "--known-on")?;
        }
        // What stood at K and was undone since: made again, in the order
        // undo would have to be undone. Undo goes newest first, so every
        // entry that stands now was made after all of these were undone, and
        // the entries undone were undone newest first: oldest first here.
        for (entry, at) in self.undone_after(known_on)? {
            self.redo_undone(entry, at)?;
            self.conn
                .prepare_cached(
                    "UPDATE journal SET undone_at = NULL, undone_by = NULL WHERE id = ?1",
                )?
                .execute([entry])?;
        }
        // And the journal is the journal as it stood at K (what a report
        // that reads the journal, such as the corrections of `changes`, then
        // reads): the entries made after K were not made yet.
        for entry in self.entries_made_after(known_on)? {
            // Its changes go with it (ON DELETE CASCADE).
            self.conn
                .prepare_cached("DELETE FROM journal WHERE id = ?1")?
                .execute([entry])?;
        }
        Ok(())
    }

    /// The developments that existed at `known_on` and whose record changed
    /// after it: by an entry made after it that stands, or by the undo, since,
    /// of one made by then. Cheap (the journal alone): `changes` asks it
    /// before it pays for a copy of the store as known then.
    pub fn developments_changed_after(&self, known_on: Timestamp) -> Result<Vec<String>> {
        let standing = self.entries_made_after(known_on)?;
        let undone = self.undone_after(known_on)?;
        // A development that existed then: an entry standing changed it
        // from a line (before), or an undo took a line away (after).
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.key FROM journal_changes c JOIN journal j ON j.id = c.entry
              WHERE c.entry = ?1 AND c.record = 'development'
                AND CASE WHEN ?2 THEN c.after IS NOT NULL
                         ELSE j.undone_at IS NULL AND c.before IS NOT NULL END",
        )?;
        let mut ids = std::collections::BTreeSet::new();
        for (entry, undone) in standing
            .into_iter()
            .map(|e| (e, false))
            .chain(undone.into_iter().map(|(e, _)| (e, true)))
        {
            let keys = stmt
                .query_map(rusqlite::params![entry, undone], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids.extend(keys);
        }
        Ok(ids.into_iter().collect())
    }

    /// The entries made after `known_on`, undone or not.
    pub(super) fn entries_made_after(&self, known_on: Timestamp) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, at FROM journal ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut entries = Vec::new();
        for (id, at) in rows {
            if journal_time(&at)? > known_on {
                entries.push(id);
            }
        }
        Ok(entries)
    }

    /// The entries made by `known_on` and undone after it, oldest first,
    /// with when each was made.
    fn undone_after(&self, known_on: Timestamp) -> Result<Vec<(i64, Timestamp)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, undone_at FROM journal WHERE undone_at IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut entries = Vec::new();
        for (id, at, undone_at) in rows {
            let at = journal_time(&at)?;
            if at <= known_on && journal_time(&undone_at)? > known_on {
                entries.push((id, at));
            }
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DevId, Development};

    fn logged(store: &Store, id: &str, at: &str) {
        let at = Timestamp::parse(at).unwrap();
        let tx = store.begin_change("log", at, "T").unwrap();
        store
            .insert_development(&Development::sample(id, "2025-07"))
            .unwrap();
        tx.commit("logged").unwrap();
    }

    fn pragma(store: &Store, name: &str) -> i64 {
        store
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_store_read_as_known_on_in_place_is_rolled_back_even_if_asked_to_commit_and_sorts_spill_to_files()
     {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path, Access::Write).unwrap();
        logged(&store, "d01", "2025-08-01T00:00:00Z");
        logged(&store, "d02", "2025-08-02T00:00:00Z");
        drop(store);
        let store = Store::open(&path, Access::Read).unwrap();
        let then = store
            .into_known_on(
                Timestamp::parse("2025-08-01T12:00:00Z").unwrap(),
                KnownReads::Anything,
            )
            .unwrap();
        // In place: the store itself, inside a write never committed.
        assert!(!then.conn.is_autocommit());
        assert!(
            then.development(&DevId::parse("d02").unwrap())
                .unwrap()
                .is_none()
        );
        // A read from here on: sorts spill to files, nothing is written.
        assert_eq!(pragma(&then, "temp_store"), 0);
        assert_eq!(pragma(&then, "query_only"), 1);
        // Even a COMMIT asked for keeps nothing of the revert.
        assert!(then.conn.execute_batch("COMMIT").is_err());
        drop(then);
        let now = Store::open(&path, Access::Read).unwrap();
        assert!(
            now.development(&DevId::parse("d02").unwrap())
                .unwrap()
                .is_some()
        );
        // And the same read in a savepoint gives the store back as it was.
        let _snapshot = now.begin_read().unwrap();
        let gone = now
            .read_as_known_on(Timestamp::parse("2025-08-01T12:00:00Z").unwrap(), |then| {
                Ok(then.development(&DevId::parse("d02").unwrap())?.is_none())
            })
            .unwrap();
        assert!(gone);
        assert!(
            now.development(&DevId::parse("d02").unwrap())
                .unwrap()
                .is_some()
        );
        assert_eq!(pragma(&now, "query_only"), 1);
        assert_eq!(pragma(&now, "temp_store"), 0);
    }
}
