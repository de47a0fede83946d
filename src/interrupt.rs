//! Ctrl-C during an import: the run stops where it is, rolls back, removes
//! what it made, and says so, instead of dying mid-line with a new store's
//! empty file, its hidden temporary file and a long write-ahead log left
//! behind.
//!
//! The handler (the `ctrlc` crate's thread, not a signal context) only sets
//! a flag, which the loader reads before each row, and interrupts the
//! statement SQLite is running, if any (building the indexes of a bulk
//! load takes seconds). The command then returns `Error::interrupted`
//! through the usual paths, each of which already cleans up after a
//! refused run. Installed by the commands that write for long; the others
//! keep the default, which ends the process at once (a read leaves nothing).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::error::{Error, Result};
use crate::store::{Store, StoreInterrupt};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The store whose running statement a Ctrl-C interrupts.
static STORE: Mutex<Option<StoreInterrupt>> = Mutex::new(None);

static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Catches Ctrl-C (and SIGTERM) from now on, for a run writing to `store`.
/// When the handler cannot be installed, the default stays: the run can
/// still be killed, as before.
pub fn catch(store: &Store) {
    if let Ok(mut slot) = STORE.lock() {
        *slot = Some(store.interrupt_handle());
    }
    INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            if let Ok(slot) = STORE.lock()
                && let Some(store) = slot.as_ref()
            {
                store.interrupt();
            }
        })
        .is_ok()
    });
}

/// The flag the loader reads.
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// `result`, or the interruption when Ctrl-C was pressed and the run failed
/// (an error a Ctrl-C caused reads as SQLite's "interrupted", or as anything
/// else the run was doing).
pub fn or_interrupted<T>(result: Result<T>, what: &str) -> Result<T> {
    match result {
        Err(_) if interrupted() => Err(Error::interrupted(format!("interrupted: {what}"))),
        other => other,
    }
}
