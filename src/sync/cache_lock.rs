//! The sync cache's lock: one sync of a store at a time, and the lock files
//! a killed sync left in the cache cleared.
//!
//! While lookout's own lock is held no other sync of this store can be
//! changing the cache, so every git lock file found in it is stale. The
//! sweep deletes regular files only, never follows a symbolic link (the
//! cache travels with a copied store, and a link in it could lead anywhere,
//! or back to itself), never leaves the cache, and is bounded in depth and
//! in the entries it reads. A link among the refs is deleted (the link, not
//! what it names): git itself would follow it.

use std::fs::{self, File, OpenOptions};
use std::path::Path;

use crate::error::{Error, Result};

/// The file whose lock is the cache's.
const LOCK_NAME: &str = "lookout.lock";
/// Deeper than any ref lookout writes (`refs/lookout/kept/<id>`).
const MAX_DEPTH: usize = 8;
/// Entries read at most: a cache holds a few dozen outside `objects/`.
const MAX_ENTRIES: usize = 10_000;

/// Held for as long as the sync runs.
pub struct CacheLock {
    _file: File,
}

/// Takes the cache at `cache` for this sync alone, and deletes the stale
/// git lock files in it.
pub fn lock(cache: &Path) -> Result<CacheLock> {
    let path = cache.join(LOCK_NAME);
    // A link in the lock's place would have lookout create or open a file
    // elsewhere.
    if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        fs::remove_file(&path).map_err(|e| Error::from(e).context(path.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::from(e).context(path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            return Err(Error::io("another sync of this store is running")
                .with_hint("wait for it to finish, then sync again if need be"));
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(Error::from(e).context(path.display()));
        }
    }
    sweep(cache);
    Ok(CacheLock { _file: file })
}

/// Deletes the `*.lock` files in `cache` but lookout's own. `objects/` is
/// read one level deep only (git's maintenance lock is there; its fan-out
/// of loose objects holds none).
fn sweep(cache: &Path) {
    let mut entries = 0;
    let mut dirs = vec![(cache.to_path_buf(), 0)];
    let refs = cache.join("refs");
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(listing) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in listing.flatten() {
            entries += 1;
            if entries > MAX_ENTRIES {
                return;
            }
            // The entry's own type: a symbolic link is a link, never what it names.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            if kind.is_dir() {
                if depth == 0 && name == "objects" {
                    sweep_files(&entry.path(), &mut entries);
                } else if depth + 1 < MAX_DEPTH {
                    dirs.push((entry.path(), depth + 1));
                }
            } else if kind.is_file() && is_stale_lock(&name, depth) {
                let _ = fs::remove_file(entry.path());
            } else if kind.is_symlink() && dir.starts_with(&refs) {
                // git follows a link among the refs, round and round when it
                // leads back (`refs/x -> .`); lookout never makes one. The
                // link itself goes, never what it names.
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Deletes the `*.lock` files directly in `dir`.
fn sweep_files(dir: &Path, entries: &mut usize) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        *entries += 1;
        if *entries > MAX_ENTRIES {
            return;
        }
        if entry.file_type().is_ok_and(|k| k.is_file()) && is_stale_lock(&entry.file_name(), 1) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A git lock file, and not lookout's own (at the cache's top).
fn is_stale_lock(name: &std::ffi::OsStr, depth: usize) -> bool {
    Path::new(name).extension().is_some_and(|e| e == "lock") && !(depth == 0 && name == LOCK_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_are_git_s_and_not_lookout_s_own() {
        assert!(is_stale_lock("HEAD.lock".as_ref(), 0));
        assert!(is_stale_lock("main.lock".as_ref(), 3));
        assert!(is_stale_lock(LOCK_NAME.as_ref(), 2));
        assert!(!is_stale_lock(LOCK_NAME.as_ref(), 0));
        assert!(!is_stale_lock("config".as_ref(), 0));
        assert!(!is_stale_lock("lock".as_ref(), 0));
    }

    #[test]
    fn the_sweep_stays_inside_the_cache_and_ends() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("store.db.sync");
        let outside = dir.path().join("project");
        fs::create_dir_all(cache.join("refs/heads")).unwrap();
        fs::create_dir_all(cache.join("objects/pack")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("Cargo.lock"), "keep").unwrap();
        fs::write(cache.join("refs/heads/main.lock"), "").unwrap();
        fs::write(cache.join("objects/maintenance.lock"), "").unwrap();
        fs::write(cache.join("objects/pack/keep.lock"), "").unwrap();
        std::os::unix::fs::symlink(&outside, cache.join("project")).unwrap();
        std::os::unix::fs::symlink(&outside, cache.join("refs/project")).unwrap();
        std::os::unix::fs::symlink(outside.join("Cargo.lock"), cache.join("x.lock")).unwrap();
        std::os::unix::fs::symlink(".", cache.join("loop")).unwrap();
        std::os::unix::fs::symlink(".", cache.join("refs/loop")).unwrap();
        std::os::unix::fs::symlink("..", cache.join("refs/heads/up")).unwrap();
        let _lock = lock(&cache).unwrap();
        assert!(outside.join("Cargo.lock").exists());
        // Links among the refs go (git would follow them); others stay.
        for gone in ["refs/project", "refs/loop", "refs/heads/up"] {
            assert!(fs::symlink_metadata(cache.join(gone)).is_err(), "{gone}");
        }
        assert!(fs::symlink_metadata(cache.join("project")).is_ok());
        assert!(fs::symlink_metadata(cache.join("loop")).is_ok());
        assert!(!cache.join("refs/heads/main.lock").exists());
        assert!(!cache.join("objects/maintenance.lock").exists());
        // Only objects/ itself is swept, not its fan-out or packs.
        assert!(cache.join("objects/pack/keep.lock").exists());
        // A link is left alone, whatever its name.
        assert!(fs::symlink_metadata(cache.join("x.lock")).is_ok());
        assert!(cache.join(LOCK_NAME).is_file());
    }

    #[test]
    fn a_link_in_the_lock_s_place_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("c");
        fs::create_dir(&cache).unwrap();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, cache.join(LOCK_NAME)).unwrap();
        let _lock = lock(&cache).unwrap();
        assert!(!target.exists());
        assert!(
            fs::symlink_metadata(cache.join(LOCK_NAME))
                .unwrap()
                .is_file()
        );
    }
}
