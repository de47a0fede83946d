//! `lookout sync [REMOTE]`: share the tracker through a git repository.
//!
//! Which repository, where the sync cache lives, and what to say; the
//! sync itself is the engine's (`share`).

use std::path::PathBuf;

use crate::cli::SyncArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::record::RecordKind;
use crate::report;
use crate::share::{self, Done, Options};
use crate::store::Store;
use crate::sync::plan::Event;

pub fn run(ctx: &mut Ctx, args: SyncArgs) -> Result<()> {
    // A store this first sync creates is built aside, as a first import's
    // is, and put in place once the sync has committed.
    let store = ctx.store_for_import(true)?;
    let remote = remote_of(&store, args.remote.as_deref(), args.rejoin)?;
    let dir = cache_dir(ctx)?;
    // A first sync that fails leaves no cache behind: nothing in it is worth keeping.
    let first = store.sync_state()?.is_none() && !dir.exists();
    let options = Options {
        remote: &remote,
        rejoin: args.rejoin,
        timeout: std::time::Duration::from_secs(args.timeout),
        author: ctx.author(),
        clock: &ctx.clock,
    };
    let synced = share::sync(&store, &dir, &options, &mut || {
        ctx.note("the shared tracker moved on meanwhile; merging again")
    });
    let done = match synced {
        Ok(done) => done,
        Err(e) => {
            if first {
                let _ = std::fs::remove_dir_all(&dir);
            }
            return Err(e);
        }
    };
    finish(ctx, &store, &remote, &done)?;
    store.publish()
}

/// The remote named now, or the one this store syncs with.
/// A rejoin may name another repository: the team's tracker moved.
fn remote_of(store: &Store, given: Option<&str>, rejoin: bool) -> Result<String> {
    let known = store.sync_state()?.map(|s| s.remote);
    match (given.map(str::trim), known) {
        (Some(""), _) => Err(Error::data("REMOTE is empty")
            .with_hint("give a git URL or the path of a repository")),
        (Some(given), Some(known)) if !rejoin && given != known && resolve(given) != known => {
            Err(Error::data(format!(
                "this store syncs with {known}, not {given}"
            ))
            .with_hint(format!(
                "run `lookout sync` to sync with {known}; to merge this store into another repository's tracker, run `lookout sync --rejoin {given}`"
            )))
        }
        (Some(given), _) => Ok(resolve(given)),
        (None, Some(known)) => Ok(known),
        (None, None) => Err(Error::data("this store does not sync yet")
            .with_hint("name the shared repository once: lookout sync URL-OR-PATH")),
    }
}

/// A local path as an absolute one, so that it means the same from anywhere.
fn resolve(remote: &str) -> String {
    let path = std::path::Path::new(remote);
    if !remote.contains("://")
        && path.exists()
        && let Ok(full) = std::fs::canonicalize(path)
    {
        return full.display().to_string();
    }
    remote.to_string()
}

/// The git repository that caches the shared tracker: beside the store.
fn cache_dir(ctx: &Ctx) -> Result<PathBuf> {
    let db = ctx.db_path()?;
    let mut name = db.clone().into_os_string();
    name.push(".sync");
    Ok(PathBuf::from(name))
}

/// Says what the sync did: events (even with --quiet: they may need a
/// decision), then likely duplicates among what arrived, then the summary.
fn finish(ctx: &Ctx, store: &Store, remote: &str, done: &Done) -> Result<()> {
    for line in report::sync::found(&done.found) {
        ctx.warn(line);
    }
    for line in report::sync::told(&done.told) {
        ctx.warn(line);
    }
    for line in &done.left_locks {
        ctx.warn(line);
    }
    for event in &done.plan.events {
        ctx.warn(report::sync::event(event));
    }
    let restored_here = |slug: &str| {
        done.plan.events.iter().any(
            |e| matches!(e, Event::Restored { record: RecordKind::Watch, key, .. } if key == slug),
        )
    };
    // Not when this sync itself kept it: that was just said.
    for slug in done.returned.iter().filter(|s| !restored_here(s)) {
        ctx.warn(format!(
            "watch item {}, removed here, is back from the shared tracker (a development there uses it, or it was added again)",
            crate::screen::echo(slug)
        ));
    }
    // The developments that arrived are checked against the store; when
    // they are all it holds (a first sync into a blank store), or too many
    // arrived to keep their ids, the whole store is.
    let arrived = match done.whole_store {
        true => None,
        false => done.plan.development_puts.development_ids(),
    };
    if done.applied && arrived.is_none_or(|ids| !ids.is_empty()) {
        let found = match &done.duplicates {
            Some(found) => found.clone(),
            None => store.likely_duplicates(arrived)?,
        };
        for line in found.lines() {
            ctx.warn(line);
        }
    }
    ctx.note(report::sync::summary(
        remote,
        &done.plan.received,
        &done.plan.sent,
        done.pushed,
    ));
    Ok(())
}
