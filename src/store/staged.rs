//! The bulk path of a store's first import or sync: built aside, renamed
//! into place.
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

use std::fs::{File, Permissions};
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Access, Store, open, schema};
use crate::error::{Error, Result};
use crate::files;

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
