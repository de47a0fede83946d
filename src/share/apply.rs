//! A sync's plan applied to the store, and what an undo of it puts back.

use crate::error::{Code, Error, Result};
use crate::record::{Record, RecordKind};
use crate::store::Store;
use crate::sync::git::{GitRepo, Oid};
use crate::sync::plan::Plan;

use super::push::identity;

/// Above this many records to change, the store applies them as a bulk load.
const BULK: usize = 10_000;

/// Applies the plan's changes to the store: what may be used first, what
/// uses it after; removals the other way round. Returns the watch items
/// this store had removed that came back.
pub(super) fn apply(store: &Store, plan: &mut Plan) -> Result<Vec<String>> {
    let mut returned = Vec::new();
    for record in &plan.vocabulary_puts {
        if let Record::Watch(item) = record
            && store.watch_removed_here(item.slug.as_str())?
        {
            returned.push(item.slug.to_string());
        }
    }
    let changes = plan.change_count();
    if changes > BULK {
        store.begin_bulk_load()?;
    }
    for kind in [RecordKind::Kind, RecordKind::Watch] {
        for record in plan.vocabulary_puts.iter().filter(|r| r.kind() == kind) {
            store
                .put_record(record)
                .map_err(|e| in_record(e, kind, record.key()))?;
        }
    }
    plan.development_puts.each(|record| {
        // A kind the tracker lacks (its files edited by hand) is said as
        // such, not as the constraint SQLite would meet.
        if let Record::Development(dev) = &record {
            store
                .require_kind(&dev.kind)
                .map_err(|e| in_record(e, RecordKind::Development, record.key()))?;
        }
        store
            .put_record(&record)
            .map_err(|e| in_record(e, RecordKind::Development, record.key()))
    })?;
    for kind in [RecordKind::Development, RecordKind::Watch, RecordKind::Kind] {
        for (_, key) in plan.removes.iter().filter(|(k, _)| *k == kind) {
            store
                .remove_record(kind, key)
                .map_err(|e| in_record(e, kind, key))?;
        }
    }
    if changes > BULK {
        store.end_bulk_load()?;
    }
    Ok(returned)
}

fn in_record(error: Error, kind: RecordKind, key: &str) -> Error {
    if error.code() == Code::Data {
        error.context(format!("applying {kind} {key} from the shared tracker"))
    } else {
        error
    }
}

/// The base that an undo of this sync puts back: the base, with the files
/// in which this store differed from it as the store held them (kept in
/// the cache, never pushed). What the store had sent is then agreed, so a
/// change of its own undone after the sync is undone, the undone sync
/// notwithstanding, for everyone; what it received is not, and comes back
/// with the next sync. None when the store did not differ from the base.
pub(super) fn undo_base(
    author: &str,
    when: i64,
    cache: &GitRepo,
    base: Option<&str>,
    plan: &Plan,
) -> Result<Option<String>> {
    let Some(base) = base else {
        return Ok(None);
    };
    // A sync that changes no record makes no journal entry: nothing to undo.
    if plan.local.is_empty() || plan.changes_nothing() {
        return Ok(None);
    }
    let base: Oid = base.parse()?;
    let who = identity(author);
    let kept = cache.keep_commit(
        Some(&base),
        &plan.local,
        &who,
        when,
        "this store before a sync, for its undo (lookout; not shared)",
    )?;
    Ok(Some(kept.to_string()))
}
