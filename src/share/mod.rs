//! The sync engine: share a store's tracker through a git repository
//! (docs/DESIGN.md, "Sharing a tracker").
//!
//! Fetch the shared tracker; read its files as a set of records (`tidy`);
//! merge them with this store, file by file and record by record, against
//! the commit both last agreed on (`sync::plan`); commit the merged files on
//! top of what was fetched, as the analyst, and push; then apply the merge
//! to the store as one journal entry and record the new agreed commit. When
//! another analyst pushed first the push is refused and the sync starts
//! again from the fetch.
//!
//! Pushing before applying keeps the store untouched by a sync that cannot
//! complete; a sync killed between the two leaves the store as it was, and
//! the next one merges the pushed commit in as the other side's.
//!
//! It sits beside `import`: it uses the store and the pieces of `sync`
//! (git, tree, tidy, merge, plan, conflicts) and says nothing itself; the
//! command prints what it returns.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::{LikelyDuplicates, Store, SyncState, WriteTx};
use crate::sync::cache_lock;
use crate::sync::conflicts;
use crate::sync::git::{GitRepo, Oid};
use crate::sync::merge::Note;
use crate::sync::plan::{Event, Moved, Plan, Repository};
use crate::sync::tidy::{self, Found};

mod apply;
mod base;
mod first;
mod push;
mod sources;

use push::Pushed;
use sources::Sources;

/// How often a sync starts again when another one pushed first.
const ATTEMPTS: usize = 5;

/// What a sync is asked to do, and as whom.
pub struct Options<'a> {
    /// The shared repository, as the store records it.
    pub remote: &'a str,
    /// Merge with no agreed base (`merge::rejoin`).
    pub rejoin: bool,
    /// How long the remote may send nothing before it is given up.
    pub timeout: Duration,
    /// Who makes the commits and journal entries (`Name <email>`).
    pub author: &'a str,
    pub clock: &'a Clock,
}

/// What a completed sync did.
pub struct Done {
    pub plan: Plan,
    pub pushed: bool,
    /// Whether the plan was applied to the store (else it changed nothing);
    /// the developments it brought in are then checked for duplicates.
    pub applied: bool,
    /// Every development the store holds arrived with this sync (a first
    /// sync into a blank store): the whole store is checked for duplicates.
    pub whole_store: bool,
    /// The likely duplicates among what arrived, when the sync found them
    /// itself (else the store is asked).
    pub duplicates: Option<LikelyDuplicates>,
    /// Watch items this store had removed that the sync brought back.
    pub returned: Vec<String>,
    /// What tidying the shared tracker's files found (and the commit put right).
    pub found: Vec<Found>,
    /// Conflicts another analyst's sync resolved against this one's values.
    pub told: Vec<conflicts::Line>,
    /// Locks a killed git left in a shared repository on a path, which stop
    /// its maintenance and no command (`GitRepo::left_locks`).
    pub left_locks: Vec<String>,
}

/// Syncs `store` with the shared repository through the cache at
/// `cache_dir`; `retrying` hears each time another sync pushed first.
pub fn sync(
    store: &Store,
    cache_dir: &Path,
    options: &Options<'_>,
    retrying: &mut dyn FnMut(),
) -> Result<Done> {
    let cache = GitRepo::open_or_init(cache_dir)?.with_timeout(options.timeout);
    let _lock = cache_lock::lock(cache.git_dir())?;
    if cache.remote_url()?.as_deref() != Some(options.remote) {
        cache.set_remote(options.remote)?;
    }
    for _ in 0..ATTEMPTS {
        match attempt(store, &cache, options)? {
            Some(mut done) => {
                done.left_locks = GitRepo::left_locks(options.remote);
                return Ok(done);
            }
            None => retrying(),
        }
    }
    Err(Error::io(format!(
        "could not sync with {}: it kept moving ({ATTEMPTS} attempts)",
        options.remote
    ))
    .with_hint("others are syncing right now; run `lookout sync` again in a moment"))
}

/// The two trackers one attempt merges: what was fetched, and the base.
struct Trackers {
    head: Option<Oid>,
    /// The commit the store last agreed on (None before its first sync),
    /// and the one this merge is made against (None too when rejoining).
    base: Option<String>,
    agreed: Option<Oid>,
    remote_files: BTreeMap<String, Oid>,
    base_files: BTreeMap<String, Oid>,
    remote_conflicts: Option<Oid>,
    base_conflicts: Option<Oid>,
}

impl Trackers {
    /// Reads both, refusing a base the shared history no longer holds.
    fn read(
        store: &Store,
        cache: &GitRepo,
        sources: &Sources<'_>,
        head: Option<Oid>,
        options: &Options<'_>,
    ) -> Result<Trackers> {
        let remote = options.remote;
        let (remote_files, remote_conflicts) = match &head {
            Some(head) => base::files_of(cache, sources, head, remote)?,
            None => Default::default(),
        };
        let base = store.sync_state()?.and_then(|s| s.base);
        let agreed: Option<Oid> = match &base {
            Some(base) if !options.rejoin => Some(base.parse()?),
            _ => None,
        };
        let (base_files, base_conflicts) = match &agreed {
            Some(agreed) => {
                // Merged against a history that no longer holds it, every
                // record added since would read as removed by the others.
                let held = match &head {
                    Some(head) => cache.history_holds(agreed, head)?,
                    None => false,
                };
                if !held {
                    return Err(if cache.has_commit(agreed)? {
                        base::lost_base(remote, agreed)
                    } else {
                        base::base_not_here(remote, agreed, cache.git_dir())
                    });
                }
                base::files_of(cache, sources, agreed, remote)?
            }
            None => Default::default(),
        };
        Ok(Trackers {
            head,
            base,
            agreed,
            remote_files,
            base_files,
            remote_conflicts,
            base_conflicts,
        })
    }

    /// Conflicts others' syncs resolved against `author` since the base.
    fn told(&self, sources: &Sources<'_>, author: &str) -> Result<Vec<conflicts::Line>> {
        if self.base_conflicts == self.remote_conflicts || self.agreed.is_none() {
            return Ok(Vec::new());
        }
        let base = read_or_empty(sources, &self.base_conflicts)?;
        let remote = read_or_empty(sources, &self.remote_conflicts)?;
        Ok(conflicts::arrived(&base, &remote)
            .into_iter()
            .filter(|c| c.lost_by(author) && !c.resolved_by(author))
            .collect())
    }
}

fn read_or_empty(sources: &Sources<'_>, blob: &Option<Oid>) -> Result<Vec<u8>> {
    match blob {
        Some(blob) => sources.read(blob),
        None => Ok(Vec::new()),
    }
}

/// One round: fetch, plan, push, apply. None when it must start again.
fn attempt(store: &Store, cache: &GitRepo, options: &Options<'_>) -> Result<Option<Done>> {
    // Taken before anything is read: a change to the store from here on
    // (an undo moving the base, a log) makes this attempt start again.
    let version = store.data_version()?;
    let head = cache.fetch()?;
    let mut sources = Sources::new(store, cache, head.clone())?;
    let trackers = Trackers::read(store, cache, &sources, head, options)?;
    if let Some(done) = first::receive_whole(store, cache, &sources, &trackers, version, options)? {
        return Ok(Some(done));
    }
    let whole_store = trackers.base.is_none() && first::is_blank(store)?;
    let plan = planned(store, cache, &mut sources, &trackers, options)?;
    let told = trackers.told(&sources, options.author)?;
    let mut extra = std::mem::take(&mut sources.tidied.repairs);
    let found = std::mem::take(&mut sources.tidied.found);
    if let Some(text) = resolved_conflicts(&sources, &trackers, &plan, options)? {
        extra.insert(conflicts::PATH.to_string(), Some(text));
    }
    drop(sources);
    let when = options.clock.now().as_datetime().timestamp();
    let head = trackers.head.as_ref();
    let (new_head, pushed) = match push::push(options.author, when, cache, head, &plan, &extra)? {
        Pushed::Nothing => (trackers.head.clone(), false),
        Pushed::Commit(commit) => (Some(commit), true),
        Pushed::Refused => return Ok(None),
    };
    let mut done = Done {
        plan,
        pushed,
        applied: false,
        whole_store,
        duplicates: None,
        returned: Vec::new(),
        found,
        told,
        left_locks: Vec::new(),
    };
    let in_step =
        done.plan.changes_nothing() && new_head.as_ref().map(Oid::to_string) == trackers.base;
    if in_step {
        keep_in_step(store, version, options)?;
        return Ok(Some(done));
    }
    if !settle(
        store, cache, version, &trackers, new_head, &mut done, options,
    )? {
        return Ok(None);
    }
    Ok(Some(done))
}

/// The remote's files read as a set of records, wherever their lines stand,
/// and merged with this store's: the plan of one round.
fn planned(
    store: &Store,
    cache: &GitRepo,
    sources: &mut Sources<'_>,
    trackers: &Trackers,
    options: &Options<'_>,
) -> Result<Plan> {
    sources.raw = trackers.remote_files.clone();
    sources.base = trackers.agreed.clone();
    let remote = options.remote;
    let base_files = trackers.agreed.is_some().then_some(&trackers.base_files);
    let tidied = tidy::tidy(&trackers.remote_files, base_files, &|blob| {
        sources.read(blob)
    })
    .map_err(|e| sources.blamed(e).context(format!("reading {remote}")))?;
    sources.tidied = tidied;
    let has_base = trackers.agreed.is_some();
    sources::plan(
        store,
        cache,
        sources,
        &trackers.base_files,
        has_base,
        options.rejoin,
    )
    .map_err(|e| sources.blamed(e).context(format!("merging with {remote}")))
}

/// The shared file of conflicts with those this sync resolved appended;
/// None when it resolved none.
fn resolved_conflicts(
    sources: &Sources<'_>,
    trackers: &Trackers,
    plan: &Plan,
    options: &Options<'_>,
) -> Result<Option<Vec<u8>>> {
    let now = options.clock.now();
    let resolved: Vec<conflicts::Line> = plan
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Merge(Note::Conflict(c)) => Some(conflicts::Line::of(c, now, options.author)),
            _ => None,
        })
        .collect();
    if resolved.is_empty() {
        return Ok(None);
    }
    let mut text = read_or_empty(sources, &trackers.remote_conflicts)?;
    if text.last().is_some_and(|&b| b != b'\n') {
        text.push(b'\n');
    }
    text.extend(conflicts::append(&resolved));
    Ok(Some(text))
}

/// Nothing to apply and nothing new agreed: the store stays as it is, but
/// for marks of changes that came to nothing (or of every shard), which
/// would have the next sync read them again.
fn keep_in_step(store: &Store, version: i64, options: &Options<'_>) -> Result<()> {
    if store.has_changed_shards()? {
        let tx = store.begin_change("sync", options.clock.now(), options.author)?;
        if store.data_version()? == version {
            store.clear_changed_shards()?;
        }
        tx.commit("sync: in step")?;
    }
    Ok(())
}

/// Applies the plan to the store as one journal entry and records the new
/// agreed commit. False when the store changed while this sync merged: it
/// must merge again.
fn settle(
    store: &Store,
    cache: &GitRepo,
    version: i64,
    trackers: &Trackers,
    new_head: Option<Oid>,
    done: &mut Done,
    options: &Options<'_>,
) -> Result<bool> {
    let tx = store.begin_change("sync", options.clock.now(), options.author)?;
    if store.data_version()? != version {
        return Ok(false);
    }
    let base = trackers.base.as_deref();
    let when = options.clock.now().as_datetime().timestamp();
    let undo_base = apply::undo_base(options.author, when, cache, base, &done.plan)?;
    store.journal_sync_base(undo_base.as_deref().or(base));
    done.returned = apply::apply(store, &mut done.plan)?;
    done.applied = true;
    conclude(
        store,
        tx,
        options,
        new_head,
        &done.plan.received,
        &done.told,
    )?;
    Ok(true)
}

/// Records `new_head` as the commit the store now agrees on, and commits
/// the sync's journal entry.
fn conclude(
    store: &Store,
    tx: WriteTx<'_>,
    options: &Options<'_>,
    new_head: Option<Oid>,
    received: &Moved,
    told: &[conflicts::Line],
) -> Result<()> {
    let state = SyncState {
        remote: options.remote.to_string(),
        base: new_head.map(|h| h.to_string()),
    };
    store.set_sync_state(&state, options.clock.now())?;
    // The store now holds what the new base holds.
    store.clear_changed_shards()?;
    tx.commit(&format!(
        "synced with {}: received {received}{}",
        options.remote,
        conflicts::journal_note(told)
    ))
}
