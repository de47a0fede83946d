//! The file system where lookout writes: whether two paths name one file,
//! and the hidden temporary files a result is built in before it is put in
//! place.
//!
//! A temporary file is locked (`flock`) by the run that made it for as long
//! as that run lives; the lock dies with the process. So the next run that
//! makes one in the same directory can tell a file a killed run left behind
//! (unlocked: removed) from one another run is still writing (locked: left
//! alone). This module uses nothing of lookout's.

use std::fs::{self, File, Metadata, Permissions};
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// The start of every temporary file's name; what follows is the purpose,
/// a hyphen and `RANDOM_LEN` letters and digits, and nothing else.
const TEMP_PREFIX: &str = ".lookout-tmp-";

/// The length of the random part of a temporary file's name (tempfile's).
const RANDOM_LEN: usize = 6;

/// A file's identity on this machine: its device and inode.
pub fn file_id(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// How many names the file has; 0 once it has been removed while open.
pub fn link_count(meta: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

/// Where a path leads: absolute, with every symbolic link followed, even to
/// a file that does not exist yet (then its directory is resolved and its
/// name kept as given).
pub fn resolve(path: &Path) -> PathBuf {
    let mut current = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // A bound on links followed, as the kernel has (ELOOP).
    for _ in 0..40 {
        if let Ok(real) = fs::canonicalize(&current) {
            return real;
        }
        match fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            Err(_) => break,
        }
    }
    match (current.parent(), current.file_name()) {
        (Some(dir), Some(name)) => resolve(dir).join(name),
        _ => current,
    }
}

/// Whether two paths name one file: by device and inode where both exist
/// (hard links and symbolic links included), else by where they lead.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) {
        return file_id(&ma) == file_id(&mb);
    }
    resolve(a) == resolve(b)
}

/// Whether `path` (links followed) still names the file open as `file`.
pub fn still_named(file: &File, path: &Path) -> bool {
    let (Ok(open), Ok(named)) = (file.metadata(), fs::metadata(path)) else {
        return false;
    };
    link_count(&open) > 0 && file_id(&open) == file_id(&named)
}

/// A new hidden temporary file in `dir` for `purpose` (a word), locked for
/// as long as it is open. `permissions`, when given, are asked for at
/// creation, so the umask applies (tempfile's own default is 0600).
/// Temporary files that killed runs left in `dir` are removed first.
pub fn hidden_temp(
    dir: &Path,
    purpose: &str,
    permissions: Option<Permissions>,
) -> io::Result<NamedTempFile> {
    remove_orphans(dir);
    let prefix = format!("{TEMP_PREFIX}{purpose}-");
    for _ in 0..8 {
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(RANDOM_LEN);
        if let Some(permissions) = &permissions {
            builder.permissions(permissions.clone());
        }
        let temp = builder.tempfile_in(dir)?;
        // Another run may have taken it for an orphan between its creation
        // and this lock; then it is gone, and a new one is made.
        if temp.as_file().try_lock().is_ok() && still_named(temp.as_file(), temp.path()) {
            return Ok(temp);
        }
    }
    Err(io::Error::other(
        "cannot make a temporary file that stays: another process keeps removing them",
    ))
}

/// Whether a file name is one `hidden_temp` makes.
fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
        return false;
    };
    let Some((purpose, random)) = rest.rsplit_once('-') else {
        return false;
    };
    !purpose.is_empty()
        && purpose.bytes().all(|b| b.is_ascii_lowercase())
        && random.len() == RANDOM_LEN
        && random.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The temporary file a name beside it belongs to, when it is a file
/// SQLite keeps beside a database being written (a `backup` writes its copy
/// into a temporary file, and SQLite puts its `-journal` next to it).
fn temp_sidecar_base(name: &str) -> Option<&str> {
    let base = name
        .strip_suffix("-journal")
        .or_else(|| name.strip_suffix("-wal"))
        .or_else(|| name.strip_suffix("-shm"))?;
    is_temp_name(base).then_some(base)
}

/// Removes the temporary files in `dir` that no living run holds, and the
/// `-journal` (`-wal`, `-shm`) files of those no longer there: a living run
/// keeps its temporary file, so a journal without one is a killed run's.
pub fn remove_orphans(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut sidecars = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(base) = name.to_str().and_then(temp_sidecar_base) {
            sidecars.push((entry.path(), dir.join(base)));
            continue;
        }
        if !name.to_str().is_some_and(is_temp_name) {
            continue;
        }
        let path = entry.path();
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let Ok(file) = File::open(&path) else {
            continue;
        };
        // A living run holds its lock; a killed run's lock died with it.
        if file.try_lock().is_ok() && still_named(&file, &path) {
            let _ = fs::remove_file(&path);
        }
    }
    for (sidecar, base) in sidecars {
        let is_file = fs::symlink_metadata(&sidecar).is_ok_and(|m| m.is_file());
        if is_file && fs::symlink_metadata(&base).is_err() {
            let _ = fs::remove_file(&sidecar);
        }
    }
}

/// Removes the write-ahead log and shared-memory files (`-wal`, `-shm`)
/// that `check` in lookout before issue 26 left in `dir`: the name
/// `lookout-check-` and six letters and digits, once its database is gone
/// (a check still running holds its database; it is left alone). Only
/// regular files are removed; links are not followed.
pub fn remove_stale_check_copies(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(base) = name.to_str().and_then(stale_check_base) else {
            continue;
        };
        if fs::symlink_metadata(dir.join(base)).is_ok() {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        // Another user's file in a shared directory is theirs to remove:
        // the system refuses, and that is fine.
        if meta.is_file() {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The database a name beside it belongs to, when it is one of the files
/// `remove_stale_check_copies` looks for.
fn stale_check_base(name: &str) -> Option<&str> {
    let base = name
        .strip_suffix("-wal")
        .or_else(|| name.strip_suffix("-shm"))?;
    let random = base.strip_prefix("lookout-check-")?;
    (random.len() == RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_temporary_files_are_taken_for_them() {
        assert!(is_temp_name(".lookout-tmp-output-a1B2c3"));
        assert!(is_temp_name(".lookout-tmp-backup-zzzzzz"));
        for name in [
            ".lookout-tmp-output-a1B2c",
            ".lookout-tmp-output-a1B2c3.db",
            ".lookout-tmp--a1B2c3",
            ".lookout-store.db",
            "tracker.db",
            ".lookout-tmp-Output-a1B2c3",
        ] {
            assert!(!is_temp_name(name), "{name}");
        }
    }

    #[test]
    fn orphans_are_removed_and_held_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        let orphan = dir.path().join(".lookout-tmp-output-abc123");
        std::fs::write(&orphan, "left by a killed run").unwrap();
        let mine = hidden_temp(dir.path(), "output", None).unwrap();
        assert!(!orphan.exists());
        // Held by this run: a second run's sweep leaves it.
        remove_orphans(dir.path());
        assert!(mine.path().exists());
    }

    #[test]
    fn the_journals_of_orphans_go_with_them_and_those_of_held_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let orphan = dir.path().join(".lookout-tmp-backup-abc123");
        std::fs::write(&orphan, "left by a killed backup").unwrap();
        std::fs::write(dir.path().join(".lookout-tmp-backup-abc123-journal"), "x").unwrap();
        // Its temporary file already swept by an earlier run.
        std::fs::write(dir.path().join(".lookout-tmp-backup-zzz999-journal"), "x").unwrap();
        std::fs::write(dir.path().join("tracker.db-journal"), "x").unwrap();
        let mine = hidden_temp(dir.path(), "backup", None).unwrap();
        let my_journal = format!("{}-journal", mine.path().display());
        std::fs::write(&my_journal, "x").unwrap();
        remove_orphans(dir.path());
        let mut kept: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        kept.sort();
        let mine_name = mine
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let mut expected = vec![
            mine_name.clone(),
            format!("{mine_name}-journal"),
            "tracker.db-journal".to_string(),
        ];
        expected.sort();
        assert_eq!(kept, expected);
    }

    #[test]
    fn what_earlier_checks_left_is_removed_once_their_copy_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let left = ["lookout-check-a1B2c3-wal", "lookout-check-a1B2c3-shm"];
        let running = ["lookout-check-zzzzzz", "lookout-check-zzzzzz-wal"];
        let others = ["lookout-check-a1B2c-wal", "other-wal"];
        for name in left.iter().chain(&running).chain(&others) {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        remove_stale_check_copies(dir.path());
        let mut kept: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        kept.sort();
        assert_eq!(
            kept,
            [
                "lookout-check-a1B2c-wal",
                "lookout-check-zzzzzz",
                "lookout-check-zzzzzz-wal",
                "other-wal"
            ]
        );
    }

    #[test]
    fn paths_to_one_file_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("s.db");
        std::fs::write(&store, "x").unwrap();
        std::os::unix::fs::symlink(&store, dir.path().join("link")).unwrap();
        std::fs::hard_link(&store, dir.path().join("hard")).unwrap();
        assert!(same_file(&store, &dir.path().join("link")));
        assert!(same_file(&store, &dir.path().join("hard")));
        assert!(same_file(&store, &dir.path().join("./s.db")));
        // Not there yet: compared by where they lead.
        let wal = dir.path().join("s.db-wal");
        std::os::unix::fs::symlink(&wal, dir.path().join("dangling")).unwrap();
        assert!(same_file(&wal, &dir.path().join("dangling")));
        assert!(!same_file(&wal, &store));
    }
}
