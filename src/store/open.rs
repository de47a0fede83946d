//! Opening the store file: for writing, under the creation lock; for
//! reading, in whatever way this user may read it; always defensively.
//!
//! **Creation.** A writer that finds no store creates the file itself: under
//! a hidden name, with an exclusive `flock` taken before a hard link gives
//! it the store's name (the link fails if the name exists: one process
//! wins). It holds that lock until its command commits or gives up. Every other
//! writer holds a shared `flock` on the store for as long as it has it open,
//! taken before SQLite opens the file. So the creator can tell whether anyone
//! else has the new store open (its exclusive lock would fail), and when its
//! command is refused it removes the file only while nobody can be using it;
//! a writer that was waiting then finds the file it opened unlinked and
//! starts again. A refused command on a new store leaves no store behind,
//! and never removes one another process wrote. (`flock` and SQLite's own
//! POSIX locks do not interact on local file systems; on NFS SQLite's WAL
//! does not work anyway.)
//!
//! **Reading.** Read-write if possible (an older store is upgraded), else
//! read-only, else — when the directory cannot be written, so SQLite cannot
//! make its shared-memory file — as an immutable file, which is safe only
//! while no write-ahead log holds changes, and refused otherwise.
//!
//! **Defence.** Every connection runs with `trusted_schema` off and
//! `SQLITE_DBCONFIG_DEFENSIVE` on: functions with side effects cannot run from
//! a store's views or triggers, and the schema and the shadow tables of the
//! search index cannot be written by SQL.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::BUSY_TIMEOUT;
use crate::error::{Error, Result};
use crate::files;

/// The hold a writer has on the store file; see the module's documentation.
pub(super) struct StoreLock {
    file: File,
    path: PathBuf,
    /// This process created the file and holds it exclusively until `keep`.
    created: bool,
    kept: std::cell::Cell<bool>,
}

impl StoreLock {
    /// Opens or creates the store file and takes the creation protocol's lock.
    pub(super) fn acquire(path: &Path) -> Result<StoreLock> {
        let deadline = Instant::now() + BUSY_TIMEOUT;
        loop {
            let file = match create_locked(path)? {
                Some(Created::Locked(file)) => return Ok(StoreLock::new(file, path, true)),
                Some(Created::Unlocked(file)) => match file.try_lock() {
                    // Locked, but another process may have opened it, run a
                    // whole command in it and left before this lock: a file
                    // with anything in it is theirs as much as ours.
                    Ok(()) if file.metadata().is_ok_and(|m| m.len() == 0) => {
                        return Ok(StoreLock::new(file, path, true));
                    }
                    Ok(()) => {
                        file.lock_shared()
                            .map_err(|e| Error::io(format!("{}: {e}", path.display())))?;
                        return Ok(StoreLock::new(file, path, false));
                    }
                    // Someone opened it between its creation and this lock:
                    // it is theirs as much as ours, so never ours to remove.
                    Err(TryLockError::WouldBlock) => file,
                    // A file system without flock: never remove what we made
                    // (a refused first command leaves an empty store).
                    Err(TryLockError::Error(_)) => return Ok(StoreLock::new(file, path, false)),
                },
                None => match File::open(path) {
                    Ok(file) => file,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        if fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
                            return Err(Error::io(format!(
                                "{} is a symbolic link to a file that does not exist",
                                path.display()
                            ))
                            .with_hint("create the file it names, or pass another --db path"));
                        }
                        // Removed by a refused creator since: start again.
                        continue;
                    }
                    Err(e) => {
                        return Err(Error::io(format!("cannot open {}: {e}", path.display())));
                    }
                },
            };
            wait_for_shared_lock(&file, path, deadline)?;
            if files::still_named(&file, path) {
                return Ok(StoreLock::new(file, path, false));
            }
            // Its creator gave up and removed it while we waited.
        }
    }

    fn new(file: File, path: &Path, created: bool) -> StoreLock {
        StoreLock {
            file,
            path: path.to_path_buf(),
            created,
            kept: std::cell::Cell::new(false),
        }
    }

    /// The store is real now (its first command committed): stop guarding it.
    pub(super) fn keep(&self) {
        if self.created && !self.kept.replace(true) {
            // Others may now open it; the shared lock keeps it from a creator
            // (there is none: the file exists).
            let _ = self.file.lock_shared();
        }
    }

    /// Whether this process created the file (and holds it exclusively).
    pub(super) fn created(&self) -> bool {
        self.created && !self.kept.get()
    }

    /// Takes over `file`, which now bears the store's name in place of the
    /// file this lock was taken on (a staged store renamed over it), and
    /// holds it as a kept store: shared, so others may use it. `file` must
    /// be held exclusively already, so that no one can use it before.
    pub(super) fn adopt(&mut self, file: File) {
        // The file it replaces is unlinked by the rename: never removed by
        // `drop`, its waiters find it so and open the store anew.
        self.file = file;
        self.kept.set(false);
        self.keep();
    }

    /// Whether the path still names the file open, so that what is written
    /// lands in the store and not in a file someone removed.
    pub(super) fn in_place(&self) -> bool {
        files::still_named(&self.file, &self.path)
    }
}

impl Drop for StoreLock {
    /// A store this process created and no command kept is removed, with
    /// whatever SQLite made beside it. The connection is closed by now
    /// (`Store` declares it first), and the exclusive lock is still held.
    fn drop(&mut self) {
        if self.created && !self.kept.get() && self.in_place() {
            for suffix in ["-wal", "-shm", "-journal", ""] {
                let mut file = self.path.clone().into_os_string();
                file.push(suffix);
                let _ = fs::remove_file(file);
            }
        }
    }
}

/// Polls for a shared lock until `deadline` (a creator holds the exclusive
/// one until its command ends).
fn wait_for_shared_lock(file: &File, path: &Path, deadline: Instant) -> Result<()> {
    loop {
        match file.try_lock_shared() {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(Error::io(format!(
                    "the store {} is busy: another lookout is creating it",
                    path.display()
                ))
                .with_hint("try again in a moment"));
            }
            // A file system without flock: go on without it. Nothing is
            // removed there either, since no creator can lock (see `acquire`).
            Err(TryLockError::Error(_)) => return Ok(()),
        }
    }
}

/// A store file this process made at the path.
enum Created {
    /// Locked exclusively before it took the store's name.
    Locked(File),
    /// Made in place, not yet locked (a file system without hard links).
    Unlocked(File),
}

/// Creates the store file, readable by its owner alone whatever the umask
/// (a tracker may hold unpublished notes); None when the path exists.
///
/// The file is made under a hidden name, locked, and only then linked to
/// the store's name (a link fails when the name exists, as `O_EXCL` does).
/// Made at its name directly, it would stand there unlocked for a moment,
/// long enough under load for another process to open it, run a whole
/// command in it and leave; the creator would then take that store for its
/// own empty file and remove it when its own command was refused.
fn create_locked(path: &Path) -> Result<Option<Created>> {
    // The usual case, and the only one in a directory this user cannot
    // write (a store there may still be read).
    if fs::symlink_metadata(path).is_ok() {
        return Ok(None);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = match files::hidden_temp(dir, "store", Some(owner_only())) {
        Ok(temp) => temp,
        Err(e) => return Err(cannot_create(path, &e)),
    };
    match fs::hard_link(temp.path(), path) {
        Ok(()) => {
            // The lock lives with the open file; the hidden name goes.
            let (file, _hidden_name_removed_on_drop) = temp.into_parts();
            Ok(Some(Created::Locked(file)))
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        // No hard links here: make it in place and lock it after.
        Err(_) => {
            drop(temp);
            create_private_file(path).map(|file| file.map(Created::Unlocked))
        }
    }
}

/// Owner-only permissions.
fn owner_only() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o600)
}

fn cannot_create(path: &Path, e: &io::Error) -> Error {
    if e.kind() == io::ErrorKind::NotFound {
        return Error::io(format!(
            "cannot create a store at {}: the directory does not exist",
            path.display()
        ))
        .with_hint("create the directory first, or choose another --db path");
    }
    Error::io(format!("cannot create a store at {}: {e}", path.display()))
}

/// Creates the store file at its name, owner-only; None when it exists.
fn create_private_file(path: &Path) -> Result<Option<File>> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true).mode(0o600);
    match options.open(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(cannot_create(path, &e)),
    }
}

/// Refuses a path that cannot be a store: a directory, a FIFO (opening one
/// would hang), a device.
pub(super) fn refuse_special(path: &Path) -> Result<()> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(());
    };
    if meta.is_dir() {
        return Err(Error::io(format!(
            "{}: is a directory, not a lookout store",
            path.display()
        ))
        .with_hint("pass the path of a store file, e.g. --db tracker.db"));
    }
    if !meta.is_file() {
        return Err(Error::io(format!(
            "{}: is not a regular file (a FIFO, a device or a socket), so not a lookout store",
            path.display()
        ))
        .with_hint("pass the path of a store file, e.g. --db tracker.db"));
    }
    Ok(())
}

/// A connection that may write, or an error saying why it may not.
pub(super) fn open_for_writing(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::io(format!("cannot open {}: {e}", path.display())))?;
    defend(&conn)?;
    // SQLite opens a file it may not write read-only, silently.
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(Error::io(format!(
            "{} is read-only: this user may read it but not change it",
            path.display()
        ))
        .with_hint("reports still work; write from an account that may change the store"));
    }
    Ok(conn)
}

/// A connection for reading, whichever way this user can read the store.
pub(super) fn open_for_reading(path: &Path) -> Result<Connection> {
    let cannot =
        |e: &dyn std::fmt::Display| Error::io(format!("cannot open {}: {e}", path.display()));
    for flags in [
        OpenFlags::SQLITE_OPEN_READ_WRITE,
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    ] {
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| cannot(&e))?;
        defend(&conn)?;
        if can_read(&conn) {
            return Ok(conn);
        }
    }
    // SQLite could not make the shared-memory file beside the store: the
    // directory is not writable. Without it the file is only safe to read
    // as it is, when no write-ahead log holds changes not yet in it.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(Error::io(format!(
            "cannot read {}: its write-ahead log holds changes, and this user can write \
             neither the store's directory nor its shared-memory file",
            path.display()
        ))
        .with_hint(
            "run `lookout init` on it as a user who may write the directory (that folds the \
             log into the store), or copy the store and its -wal file somewhere writable",
        ));
    }
    let uri = immutable_uri(path);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| cannot(&e))?;
    defend(&conn)?;
    Ok(conn)
}

/// Whether a first read works; one that cannot get at the file (or make
/// the shared-memory file beside it) fails with these codes.
fn can_read(conn: &Connection) -> bool {
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
        ),
    }
}

/// `file:PATH?immutable=1`, the path absolute and percent-encoded where URI
/// syntax needs it.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{byte:02X}")),
            _ if byte.is_ascii_graphic() || *byte == b' ' => uri.push(char::from(*byte)),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// `trusted_schema` off and defensive mode on; see the module's
/// documentation. And no checkpoint on close (`WAL_LIMIT`), set before the
/// first read: a connection that finds the store damaged and is closed must
/// not fold a write-ahead log into it.
pub(super) fn defend(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immutable_uris_escape_what_uris_reserve() {
        assert_eq!(
            immutable_uri(Path::new("/a b/x?y#z%.db")),
            "file:/a b/x%3Fy%23z%25.db?immutable=1"
        );
        assert_eq!(
            immutable_uri(Path::new("/é.db")),
            "file:/%C3%A9.db?immutable=1"
        );
    }

    #[test]
    fn connections_are_defensive_and_trust_no_schema() {
        let conn = Connection::open_in_memory().unwrap();
        defend(&conn).unwrap();
        assert!(conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
        assert!(
            !conn
                .db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA)
                .unwrap()
        );
        let trusted: i64 = conn
            .pragma_query_value(None, "trusted_schema", |r| r.get(0))
            .unwrap();
        assert_eq!(trusted, 0);
    }
}
