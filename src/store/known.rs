//! The store as it was known at an instant (`--known-on K`; docs/DESIGN.md,
//! "Reports as known on a past day").
//!
//! **Design.** A reading command with `--known-on K` runs its unchanged
//! report code on a private copy of the store in which every journal entry
//! that stands and was made after K has been reverted by undo itself
//! (`undo_latest`, newest first), and every entry that stood at K and was
//! undone since is made again from the lines it kept (`redo_undone`, the
//! only new step: an entry's after lines put back with undo's own
//! `restore`), so what the copy holds is what the store held at K. An
//! import or a sync that added developments keeps no line of them (its
//! range, see `added`): an instant between one and its undo is refused.
//!
//! The copy is made with SQLite's online backup API, in one read snapshot,
//! into an anonymous temporary database (`Connection::open("")`). The other
//! way, reverting inside a write transaction on the store that is always
//! rolled back, would copy nothing but cannot serve a read-only store (no
//! write transaction can begin on it), would hold the write lock and keep
//! every writer waiting for as long as the report takes, and could still
//! leave pages in the store's write-ahead log. The anonymous database keeps
//! its pages in memory up to its page cache and spills the rest to a file
//! SQLite unlinks as soon as it opens it: memory stays bounded at any size of
//! store (a 1M-development store is under 100 MiB; `:memory:` would hold all
//! of it), and nothing is left in the temporary directory, even when the
//! process is killed. The store itself is only read.

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OptionalExtension};

use super::{Access, Store, open};
use crate::dates::Timestamp;
use crate::error::{Error, Result};

/// The copy's page cache, in KiB (SQLite's negative cache_size): what it
/// may hold in memory before it spills to its unlinked temporary file.
const COPY_CACHE_KIB: i64 = 32 * 1024;

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

    /// A private copy of the store as it was known at `known_on`: every
    /// journal entry made after it undone in the copy, the store unchanged.
    /// Refused (exit 65) when `known_on` is before the journal's first entry,
    /// naming the first day it can answer for.
    pub fn as_known_on(&self, known_on: Timestamp) -> Result<Store> {
        let snapshot = self.begin_read()?;
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
        let cannot = |e: Error| {
            e.context(format!(
                "cannot read the store as known on {known_on}: the journal cannot be undone \
                 that far"
            ))
        };
        // What stands and was made after K, newest first, by undo itself.
        while let Some(at) = store.newest_standing_entry_time()? {
            if at <= known_on {
                break;
            }
            store.undo_latest(known_on, "--known-on").map_err(cannot)?;
        }
        // What stood at K and was undone since: made again, in the order
        // undo would have to be undone. Undo goes newest first, so every
        // entry that stands now was made after all of these were undone, and
        // the entries undone were undone newest first: oldest first here.
        for (entry, at) in store.undone_after(known_on)? {
            store.redo_undone(entry, at).map_err(cannot)?;
            store
                .conn
                .prepare_cached(
                    "UPDATE journal SET undone_at = NULL, undone_by = NULL WHERE id = ?1",
                )?
                .execute([entry])?;
        }
        // And the copy's journal is the journal as it stood at K (what a
        // report that reads the journal, such as the corrections of
        // `changes`, then reads): the entries made after K were not made yet.
        for entry in store.entries_made_after(known_on)? {
            // Its changes go with it (ON DELETE CASCADE).
            store
                .conn
                .prepare_cached("DELETE FROM journal WHERE id = ?1")?
                .execute([entry])?;
        }
        store.conn.execute_batch("COMMIT")?;
        store.configure(Access::Read)?;
        Ok(store)
    }

    /// When the newest journal entry that stands (not undone) was made.
    fn newest_standing_entry_time(&self) -> Result<Option<Timestamp>> {
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT at FROM journal WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        at.map(|at| journal_time(&at)).transpose()
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

fn journal_time(at: &str) -> Result<Timestamp> {
    Timestamp::parse(at).map_err(|e| {
        Error::io(format!("the journal holds a bad time: {e}")).with_hint("run `lookout check`")
    })
}
