//! The guard of a store laid over (`overlay`): while the journal's lines at
//! K lie in the connection's temporary tables, a read of the tables they
//! cover that does not know of them would read the store as it is now, and
//! report it as known then. SQLite's authorizer, asked as each statement is
//! prepared, refuses every such read but those prepared through
//! `Store::prepare_knowing`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};

use super::cannot_read;
#[cfg(test)]
use super::overlay;
use crate::dates::Timestamp;
use crate::error::Result;
use crate::store::Store;

/// A store laid over (`overlay`): the flag its guard lets reads through by.
pub(in crate::store) struct Overlay {
    /// Set while a read that knows of the overlay is prepared.
    knowing: Arc<AtomicBool>,
}

/// Whether the overlay covers a table: what differs at a past instant when
/// only developments changed since (their rows, links, totals, words, the
/// actors' counts, and the journal itself).
fn covered(table: &str) -> bool {
    matches!(
        table,
        "developments" | "links" | "watch_stats" | "actors" | "journal" | "journal_changes"
    ) || table.starts_with("developments_")
}

impl Store {
    /// Whether the store is read as known on a past instant laid over
    /// (`overlay`), not reverted.
    pub fn is_laid_over(&self) -> bool {
        self.overlaid()
    }

    /// Whether the store is read as known on a past instant laid over
    /// (`overlay`): its reads of developments must know of it (`sql::Read`).
    pub(in crate::store) fn overlaid(&self) -> bool {
        self.overlay.is_some()
    }

    /// Prepares `sql`, a read that knows of the overlay (`sql::overlaid`),
    /// past the guard that refuses every other read of what it covers.
    pub(in crate::store) fn prepare_knowing<'s>(
        &'s self,
        sql: &str,
    ) -> Result<rusqlite::CachedStatement<'s>> {
        let Some(overlay) = &self.overlay else {
            return Ok(self.conn.prepare_cached(sql)?);
        };
        overlay.knowing.store(true, Ordering::Relaxed);
        let stmt = self.conn.prepare_cached(sql);
        overlay.knowing.store(false, Ordering::Relaxed);
        Ok(stmt?)
    }

    /// An overlay with nothing in it, guarded, for tests of the reads over it.
    #[cfg(test)]
    pub(in crate::store) fn lay_empty_overlay(&mut self) -> Result<()> {
        self.conn.execute_batch(overlay::TABLES)?;
        self.guard_overlay()
    }

    /// `query_plan` of a read that knows of the overlay.
    #[cfg(test)]
    pub(in crate::store) fn query_plan_knowing(&self, sql: &str) -> Result<String> {
        let knowing = &self.overlay.as_ref().expect("laid over").knowing;
        knowing.store(true, Ordering::Relaxed);
        let plan = self.query_plan(sql);
        knowing.store(false, Ordering::Relaxed);
        plan
    }

    /// Lays the store as known at `known_on` over it, in one read snapshot
    /// that the report then reads in (see `overlay`); false, with nothing
    /// left open, when the entries since changed more than developments.
    pub(super) fn lay_over(&mut self, known_on: Timestamp) -> Result<bool> {
        let snapshot = self.begin_read()?;
        // The overlay's tables are the connection's own (temporary), which
        // a read-only connection may not write either.
        let query_only: bool = self.conn.query_row("PRAGMA query_only", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "query_only", false)?;
        let laid = self.lay_known_on(known_on).map_err(cannot_read(known_on));
        self.conn.pragma_update(None, "query_only", query_only)?;
        if !laid? {
            return Ok(false);
        }
        // Kept open: the report reads the snapshot the overlay was laid over.
        std::mem::forget(snapshot);
        self.guard_overlay()?;
        Ok(true)
    }

    /// From here on, refuses to prepare any read of the tables the overlay
    /// covers that does not know of it, so that none reads the store as it
    /// is by mistake; and forgets the statements prepared before.
    fn guard_overlay(&mut self) -> Result<()> {
        let knowing = Arc::new(AtomicBool::new(false));
        let let_through = Arc::clone(&knowing);
        self.conn.flush_prepared_statement_cache();
        self.conn
            .authorizer(Some(move |ctx: AuthContext<'_>| match ctx.action {
                AuthAction::Read { table_name, .. }
                    if covered(table_name) && !let_through.load(Ordering::Relaxed) =>
                {
                    Authorization::Deny
                }
                _ => Authorization::Allow,
            }))?;
        self.overlay = Some(Overlay { knowing });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::DevId;
    use crate::store::{Access, Store};

    #[test]
    fn laid_over_a_read_that_does_not_know_of_the_overlay_is_refused_as_a_bug() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        // Before: any read (this one does not know of the overlay).
        assert!(!store.holds_developments().unwrap());
        store.lay_empty_overlay().unwrap();
        // A statement prepared before is forgotten, and prepared again refused.
        let refused = store.holds_developments().unwrap_err();
        assert!(
            refused.message().contains("this is a bug in lookout"),
            "{refused:?}"
        );
        // The journal, the totals and the search index are covered too.
        for sql in [
            "SELECT count(*) FROM journal",
            "SELECT count(*) FROM watch_stats",
            "SELECT count(*) FROM developments_fts",
        ] {
            assert!(store.conn.prepare(sql).is_err(), "{sql}");
        }
        // A read that knows of it goes through (`show`'s).
        let id = DevId::parse("d01").unwrap();
        assert!(store.development(&id).unwrap().is_none());
        // What the overlay does not cover reads as before, and a read that
        // knows of it goes through.
        store
            .conn
            .prepare("SELECT count(*) FROM watch_items")
            .unwrap();
        store
            .prepare_knowing("SELECT count(*) FROM developments")
            .unwrap();
    }
}
