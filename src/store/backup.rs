//! `backup DEST`: a consistent copy of the store, taken with SQLite's online
//! backup API while other processes go on reading and writing.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::Store;
use crate::error::{Error, Result};

impl Store {
    /// Copies the store to `dest`, which must not exist. The copy is written
    /// beside `dest` and renamed into place, so `dest` is whole or absent.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::data(format!("{} exists already", dest.display()))
                .with_hint("choose a new path; a backup never overwrites a file"));
        }
        let dir = match dest.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(Error::io(format!(
                "cannot write {}: the directory {} does not exist",
                dest.display(),
                dir.display()
            ))
            .with_hint("make the directory first, or name a path in one that exists"));
        }
        // Hidden and locked while the copy is made; one a killed backup
        // leaves is removed by the next backup or output into that directory.
        let temp = crate::files::hidden_temp(dir, "backup", None)
            .map_err(|e| Error::from(e).context(format!("cannot write {}", dest.display())))?;
        // Within one read transaction, the copy is one state of the store.
        let _snapshot = self.begin_read()?;
        {
            let mut target = Connection::open(temp.path())?;
            let backup = Backup::new(&self.conn, &mut target)?;
            // All pages in one step: one read snapshot, so the copy is
            // consistent even while other processes commit (WAL).
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    _ => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        }
        temp.as_file().sync_all()?;
        temp.persist(dest)
            .map_err(|e| Error::from(e.error).context(dest.display()))?;
        Ok(())
    }
}
