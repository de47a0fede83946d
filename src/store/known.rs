//! The store as it was known at an instant (`--known-on K`; docs/DESIGN.md,
//! "Reports as known on a past day").
//!
//! **Design.** A reading command with `--known-on K` runs its unchanged
//! report code on a private copy of the store in which every journal entry
//! made after K has been reverted by undo itself (`undo_latest`, newest
//! first), so what the copy holds is what the store held at K, by the same
//! logic that `lookout undo` uses and with nothing reimplemented.
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
        while let Some(at) = store.newest_entry_time()? {
            if at <= known_on {
                break;
            }
            store.undo_latest().map_err(|e| {
                e.context(format!(
                    "cannot read the store as known on {known_on}: the journal cannot be \
                     undone that far"
                ))
            })?;
        }
        store.conn.execute_batch("COMMIT")?;
        store.configure(Access::Read)?;
        Ok(store)
    }

    /// When the newest journal entry was made.
    fn newest_entry_time(&self) -> Result<Option<Timestamp>> {
        let at: Option<String> = self
            .conn
            .query_row("SELECT at FROM journal ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        at.map(|at| journal_time(&at)).transpose()
    }
}

fn journal_time(at: &str) -> Result<Timestamp> {
    Timestamp::parse(at).map_err(|e| {
        Error::io(format!("the journal holds a bad time: {e}")).with_hint("run `lookout check`")
    })
}
