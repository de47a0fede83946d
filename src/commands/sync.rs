//! `lookout sync [REMOTE]`: share the tracker through a git repository.
//!
//! Fetch the shared tracker; merge it with this store, file by file and
//! record by record, against the commit both last agreed on (`sync::plan`);
//! commit the merged files on top of what was fetched, as the analyst, and
//! push; then apply the merge to the store as one journal entry and record
//! the new agreed commit. When another analyst pushed first the push is
//! refused and the sync starts again from the fetch.
//!
//! Pushing before applying keeps the store untouched by a sync that cannot
//! complete; a sync killed between the two leaves the store as it was, and
//! the next one merges the pushed commit in as the other side's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::cli::SyncArgs;
use crate::ctx::Ctx;
use crate::error::{Code, Error, Result};
use crate::model::DevId;
use crate::record::{Record, RecordKind};
use crate::report;
use crate::store::{Store, SyncState};
use crate::sync::cache_lock;
use crate::sync::conflicts;
use crate::sync::git::{
    Authored, BlobReader, Content, EachFile, Files, GitRepo, Identity, Oid, PushOutcome,
};
use crate::sync::merge::Note;
use crate::sync::plan::{Event, Plan, Planner, Repository};
use crate::sync::spool::SpilledFiles;
use crate::sync::tidy::{self, Found, Tidied};
use crate::sync::tree;

/// How often a sync starts again when another one pushed first.
const ATTEMPTS: usize = 5;

/// Above this many records to change, the store applies them as a bulk load.
const BULK: usize = 10_000;

pub fn run(ctx: &mut Ctx, args: SyncArgs) -> Result<()> {
    // A store this first sync creates is built aside, as a first import's
    // is, and put in place once the sync has committed.
    let store = ctx.store_for_import(true)?;
    let remote = remote_of(&store, args.remote.as_deref(), args.rejoin)?;
    let dir = cache_dir(ctx)?;
    // A first sync that fails leaves no cache behind: nothing in it is worth keeping.
    let first = store.sync_state()?.is_none() && !dir.exists();
    let synced = sync_with(ctx, &store, &dir, &remote, &args);
    if synced.is_err() && first {
        let _ = std::fs::remove_dir_all(&dir);
    }
    synced?;
    store.publish()
}

fn sync_with(
    ctx: &Ctx,
    store: &Store,
    dir: &std::path::Path,
    remote: &str,
    args: &SyncArgs,
) -> Result<()> {
    let rejoin = args.rejoin;
    let cache =
        GitRepo::open_or_init(dir)?.with_timeout(std::time::Duration::from_secs(args.timeout));
    let _lock = cache_lock::lock(cache.git_dir())?;
    if cache.remote_url()?.as_deref() != Some(remote) {
        cache.set_remote(remote)?;
    }
    for _ in 0..ATTEMPTS {
        match attempt(ctx, store, &cache, remote, rejoin)? {
            Some(done) => return finish(ctx, store, remote, &done),
            None => ctx.note("the shared tracker moved on meanwhile; merging again"),
        }
    }
    Err(Error::io(format!(
        "could not sync with {remote}: it kept moving ({ATTEMPTS} attempts)"
    ))
    .with_hint("others are syncing right now; run `lookout sync` again in a moment"))
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

/// What a completed sync did.
pub struct Done {
    pub plan: Plan,
    pub pushed: bool,
    /// Whether the plan was applied to the store (else it changed nothing);
    /// the developments it brought in are then checked for duplicates.
    pub applied: bool,
    /// Watch items this store had removed that the sync brought back.
    pub returned: Vec<String>,
    /// What tidying the shared tracker's files found (and the commit put right).
    pub found: Vec<Found>,
    /// Conflicts another analyst's sync resolved against this one's values.
    pub told: Vec<conflicts::Line>,
}

/// One round: fetch, plan, push, apply. None when it must start again.
/// Rejoining, the store's base is set aside and the two trackers are
/// merged as they stand (`merge::rejoin`).
fn attempt(
    ctx: &Ctx,
    store: &Store,
    cache: &GitRepo,
    remote: &str,
    rejoin: bool,
) -> Result<Option<Done>> {
    // Taken before anything is read: a change to the store from here on
    // (an undo moving the base, a log) makes this attempt start again.
    let version = store.data_version()?;
    let head = cache.fetch()?;
    let mut sources = Sources {
        blobs: std::cell::RefCell::new(cache.blob_reader()?),
        tidied: Tidied::default(),
        store,
        cache,
        head: head.clone(),
        raw: BTreeMap::new(),
        base: None,
        hand_changes: Default::default(),
    };
    let (remote_files, remote_conflicts) = match &head {
        Some(head) => files_of(cache, &sources, head, remote)?,
        None => Default::default(),
    };
    sources.raw = remote_files.clone();
    let base = store.sync_state()?.and_then(|s| s.base);
    let agreed = if rejoin { None } else { base.clone() };
    let (base_files, base_conflicts) = match &agreed {
        Some(base) => {
            let base: Oid = base.parse()?;
            // Merged against a history that no longer holds it, every record
            // added since would read as removed by the others.
            let held = match &head {
                Some(head) => cache.history_holds(&base, head)?,
                None => false,
            };
            if !held {
                return Err(if cache.has_commit(&base)? {
                    lost_base(remote, &base)
                } else {
                    base_not_here(remote, &base, cache.git_dir())
                });
            }
            files_of(cache, &sources, &base, remote)?
        }
        None => Default::default(),
    };
    sources.base = agreed.as_deref().map(str::parse).transpose()?;
    // The remote's files as a set of records, wherever its lines stand.
    let tidied = tidy::tidy(
        &remote_files,
        agreed.is_some().then_some(&base_files),
        &|blob| sources.read(blob),
    )
    .map_err(|e| sources.blamed(e).context(format!("reading {remote}")))?;
    sources.tidied = tidied;
    let mut plan = plan(
        store,
        cache,
        &sources,
        &base_files,
        agreed.is_some(),
        rejoin,
    )
    .map_err(|e| sources.blamed(e).context(format!("merging with {remote}")))?;
    // Conflicts travel: those this sync resolves are appended to the
    // shared file; those others resolved against this analyst are told.
    let read_or_empty = |blob: &Option<Oid>| match blob {
        Some(blob) => sources.read(blob),
        None => Ok(Vec::new()),
    };
    let remote_text = read_or_empty(&remote_conflicts)?;
    let told: Vec<conflicts::Line> = if base_conflicts == remote_conflicts || rejoin {
        Vec::new()
    } else {
        conflicts::arrived(&read_or_empty(&base_conflicts)?, &remote_text)
            .into_iter()
            .filter(|c| c.lost_by(ctx.author()) && !c.resolved_by(ctx.author()))
            .collect()
    };
    let tidied = std::mem::take(&mut sources.tidied);
    drop(sources);
    let mut extra = tidied.repairs;
    let resolved: Vec<conflicts::Line> = plan
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Merge(Note::Conflict(c)) => {
                Some(conflicts::Line::of(c, ctx.clock.now(), ctx.author()))
            }
            _ => None,
        })
        .collect();
    if !resolved.is_empty() {
        let mut text = remote_text;
        if text.last().is_some_and(|&b| b != b'\n') {
            text.push(b'\n');
        }
        text.extend(conflicts::append(&resolved));
        extra.insert(conflicts::PATH.to_string(), Some(text));
    }
    let (new_head, pushed) = match push(ctx, cache, head.as_ref(), &plan, &extra)? {
        Pushed::Nothing => (head, false),
        Pushed::Commit(commit) => (Some(commit), true),
        Pushed::Refused => return Ok(None),
    };
    let in_step = plan.changes_nothing() && new_head.as_ref().map(Oid::to_string) == base;
    if in_step {
        // Nothing to apply and nothing new agreed: the store stays as it
        // is, but for marks of changes that came to nothing (or of every
        // shard), which would have the next sync read them again.
        if store.has_changed_shards()? {
            let tx = store.begin_change("sync", ctx.clock.now(), ctx.author())?;
            if store.data_version()? == version {
                store.clear_changed_shards()?;
            }
            tx.commit("sync: in step")?;
        }
        return Ok(Some(Done {
            plan,
            pushed,
            applied: false,
            returned: Vec::new(),
            found: tidied.found,
            told,
        }));
    }
    let tx = store.begin_change("sync", ctx.clock.now(), ctx.author())?;
    if store.data_version()? != version {
        // Someone changed the store while this sync merged: merge again.
        return Ok(None);
    }
    let undo_base = undo_base(ctx, cache, base.as_deref(), &plan)?;
    store.journal_sync_base(undo_base.as_deref().or(base.as_deref()));
    let returned = apply(store, &mut plan)?;
    let state = SyncState {
        remote: remote.to_string(),
        base: new_head.map(|h| h.to_string()),
    };
    store.set_sync_state(&state, ctx.clock.now())?;
    // The store now holds what the new base holds.
    store.clear_changed_shards()?;
    tx.commit(&format!(
        "synced with {remote}: received {}{}",
        report::sync::moved(&plan.received),
        report::sync::lost_in_journal(&told)
    ))?;
    Ok(Some(Done {
        plan,
        pushed,
        applied: true,
        returned,
        found: tidied.found,
        told,
    }))
}

/// The base that an undo of this sync puts back: the base, with the files
/// in which this store differed from it as the store held them (kept in
/// the cache, never pushed). What the store had sent is then agreed, so a
/// change of its own undone after the sync is undone, the undone sync
/// notwithstanding, for everyone; what it received is not, and comes back
/// with the next sync. None when the store did not differ from the base.
fn undo_base(
    ctx: &Ctx,
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
    let who = identity(ctx.author());
    let when = ctx.clock.now().as_datetime().timestamp();
    let kept = cache.keep_commit(
        Some(&base),
        &plan.local,
        &who,
        when,
        "this store before a sync, for its undo (lookout; not shared)",
    )?;
    Ok(Some(kept.to_string()))
}

/// The base is in neither the shared history nor the cache: a store copied
/// or moved without its cache (`STORE.sync`), whose last sync was undone
/// (the base undo keeps lives in the cache alone) — or a rewritten remote.
fn base_not_here(remote: &str, base: &Oid, cache: &std::path::Path) -> Error {
    Error::io(format!(
        "the commit this store last synced to ({base}) is neither in {remote}'s history nor in this store's sync cache ({})",
        cache.display()
    ))
    .with_hint(
        "if the store was copied or moved without the folder ending in .sync beside it, copy that folder beside it too; otherwise (the folder is gone, or the shared repository was rewritten) merge this store into the tracker as it is now with `lookout sync --rejoin`: nothing newer on either side is reverted",
    )
}

fn lost_base(remote: &str, base: &Oid) -> Error {
    Error::io(format!(
        "the commit this store last synced to ({base}) is not in {remote}'s history"
    ))
    .with_hint(
        "the shared repository was rewritten, reset or replaced, and nothing was changed here; run `lookout sync --rejoin` to merge this store into the tracker as it is now: each record takes the newer change, field by field, and each conflict is named",
    )
}

/// The record files of a commit by path, and its file of resolved
/// conflicts, after checking it holds a tracker of a format this lookout reads.
fn files_of(
    cache: &GitRepo,
    sources: &Sources<'_>,
    commit: &Oid,
    remote: &str,
) -> Result<(BTreeMap<String, Oid>, Option<Oid>)> {
    let files = cache.tree_files(commit)?;
    let Some(marker) = files.iter().find(|f| f.path == tree::MARKER_PATH) else {
        return Err(Error::io(format!(
            "{remote} is not a lookout tracker: its main branch has no {}",
            tree::MARKER_PATH
        ))
        .with_hint("name an empty repository, or one that lookout sync made"));
    };
    // The marker as lookout writes it is known by its id, without reading it.
    if marker.blob.as_str() != tree::blob_id(tree::MARKER.as_bytes()) {
        tidy::check_marker(&sources.read(&marker.blob)?, remote)?;
    }
    let conflicts = files
        .iter()
        .find(|f| f.path == conflicts::PATH)
        .map(|f| f.blob.clone());
    let records = files
        .into_iter()
        .filter(|f| tree::kind_of(&f.path).is_some())
        .map(|f| (f.path, f.blob))
        .collect();
    Ok((records, conflicts))
}

/// Reads blobs for the plan (through one git process, or the tidy files
/// made in memory), and asks the store whether an id is taken.
struct Sources<'a> {
    blobs: std::cell::RefCell<BlobReader>,
    tidied: Tidied,
    store: &'a Store,
    cache: &'a GitRepo,
    /// The fetched commit and its record files as they are, for naming
    /// where a refused record came from.
    head: Option<Oid>,
    raw: BTreeMap<String, Oid>,
    /// The base agreed on (None for a first sync or a rejoin), and what
    /// `hand_change` found for each file asked about.
    base: Option<Oid>,
    hand_changes: std::cell::RefCell<BTreeMap<String, Option<Authored>>>,
}

impl Sources<'_> {
    /// The line of the fetched files that holds `record`: its path and
    /// number (from 1). Read only when a record is refused.
    fn line_of(&self, path: &str, record: &Record) -> Option<(String, usize)> {
        let field = match record.kind() {
            RecordKind::Development => "id",
            RecordKind::Watch => "slug",
            RecordKind::Kind => "name",
        };
        // Its own file first: a misplaced record may sit in any other.
        let paths = std::iter::once(path).chain(self.raw.keys().map(String::as_str));
        for file in paths {
            let Some(bytes) = self.raw.get(file).and_then(|b| self.read(b).ok()) else {
                continue;
            };
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let Ok(value) = serde_json::from_slice::<serde_json::Value>(line) else {
                    continue;
                };
                if value.get("type").and_then(|t| t.as_str()) == Some(record.kind().as_str())
                    && value.get(field).and_then(|k| k.as_str()) == Some(record.key())
                {
                    return Some((file.to_string(), n + 1));
                }
            }
        }
        None
    }

    /// A refusal of a line of the fetched files (its message starts
    /// `path:line: `), with the commit that wrote that line and its author.
    fn blamed(&self, error: Error) -> Error {
        if error.code() != Code::Data {
            return error;
        }
        let place = error.message().split(": ").next().unwrap_or_default();
        let brought = place.rsplit_once(':').and_then(|(file, line)| {
            let line: usize = line.parse().ok()?;
            self.raw.get(file)?;
            self.cache
                .blame_line(self.head.as_ref()?, file, line)
                .ok()?
        });
        match brought {
            Some(by) => {
                let when = chrono::DateTime::from_timestamp(by.time, 0)
                    .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default();
                error.with_hint(format!(
                    "commit {} by {} ({when}, \"{}\") wrote that line; revert or correct that commit in the shared repository, then sync again. Nothing was changed here",
                    &by.commit.as_str()[..12],
                    crate::screen::echo(&by.author),
                    crate::screen::echo(&by.subject),
                ))
            }
            None if error.hint().is_none() => error.with_hint(REFUSED),
            None => error,
        }
    }
}

impl Repository for Sources<'_> {
    fn read(&self, blob: &Oid) -> Result<Vec<u8>> {
        match self.tidied.text(blob) {
            Some(text) => Ok(text.to_vec()),
            None => self.blobs.borrow_mut().read(blob),
        }
    }

    /// Names the file and line, and the commit that wrote it with its
    /// author, so the team knows which commit to revert or correct.
    fn refused(&self, path: &str, record: &Record, error: Error) -> Error {
        let what = format!("{} {}", record.kind(), record.key());
        match self.line_of(path, record) {
            Some((file, line)) => self.blamed(error.context(format!("{file}:{line}: {what}"))),
            None => error.context(format!("{path}: {what}")).with_hint(REFUSED),
        }
    }

    fn hand_change(&self, path: &str) -> Result<Option<Authored>> {
        let (Some(head), Some(base)) = (&self.head, &self.base) else {
            return Ok(None);
        };
        let mut known = self.hand_changes.borrow_mut();
        if let Some(found) = known.get(path) {
            return Ok(found.clone());
        }
        let found = self.cache.last_hand_change(Some(base), head, path)?;
        known.insert(path.to_string(), found.clone());
        Ok(found)
    }

    fn kind_known(&self, name: &str) -> Result<bool> {
        Ok(self.store.require_kind(name).is_ok())
    }

    fn id_taken(&self, id: &DevId) -> Result<bool> {
        self.store.development_exists(id)
    }

    fn development_using(
        &self,
        kind: RecordKind,
        key: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Option<DevId>> {
        self.store.development_using(kind, key, wanted)
    }
}

const REFUSED: &str = "correct that record in the shared repository (or revert the commit that brought it), then sync again; nothing was changed here";

/// Merges this store's records with the shared tracker, from one snapshot.
fn plan(
    store: &Store,
    cache: &GitRepo,
    sources: &Sources<'_>,
    base: &BTreeMap<String, Oid>,
    has_base: bool,
    rejoin: bool,
) -> Result<Plan> {
    let _snapshot = store.begin_read()?;
    let remote = &sources.tidied.files;
    // Rejoining, every file is merged: the marks of what changed since
    // the base mean nothing without it.
    let changed = if rejoin {
        None
    } else {
        store.changed_shards()?
    };
    let mut planner =
        Planner::with_changed(sources, base, remote, changed.as_ref()).spill_to(cache.git_dir());
    if has_base {
        planner = planner.recording_local();
    }
    if rejoin {
        planner = planner.rejoining();
    }
    planner.vocabulary(store.user_kinds()?, store.watch_items()?)?;
    match planner.to_read() {
        None => store.developments_by_id(|dev| planner.development(dev))?,
        Some(paths) => {
            for shard in paths.iter().filter_map(|p| tree::shard_of(p)) {
                store.developments_in_shard(shard, |dev| planner.development(dev))?;
            }
        }
    }
    planner.finish()
}

enum Pushed {
    /// The remote already holds the merged tracker.
    Nothing,
    Commit(Oid),
    /// Someone pushed first.
    Refused,
}

/// Commits the plan's files, and the repairs that put the remote's files
/// in order, on top of `head` and pushes them.
fn push(
    ctx: &Ctx,
    cache: &GitRepo,
    head: Option<&Oid>,
    plan: &Plan,
    repairs: &BTreeMap<String, Option<Vec<u8>>>,
) -> Result<Pushed> {
    let planned: std::collections::BTreeSet<&str> = plan.files.paths().into_iter().collect();
    let changes = Outgoing {
        files: &plan.files,
        // The plan's own version of a file is written over the repair's.
        repairs: repairs
            .iter()
            .filter(|(path, _)| !planned.contains(path.as_str()))
            .collect(),
        // A new shared tracker: the files that say what it is.
        marks: head.is_none(),
    };
    if changes.paths().is_empty() {
        return Ok(Pushed::Nothing);
    }
    let who = identity(ctx.author());
    let when = ctx.clock.now().as_datetime().timestamp();
    let message = format!("{} (lookout sync)", report::sync::moved(&plan.sent));
    let commit = cache.commit_files(head, &changes, &who, when, &message)?;
    Ok(match cache.push(&commit)? {
        PushOutcome::Pushed => Pushed::Commit(commit),
        PushOutcome::Rejected => Pushed::Refused,
    })
}

/// The plan's files, repairs, and the marker and README of a new shared tracker.
struct Outgoing<'a> {
    files: &'a SpilledFiles,
    repairs: Vec<(&'a String, &'a Option<Vec<u8>>)>,
    marks: bool,
}

impl Outgoing<'_> {
    fn marks(&self) -> &'static [(&'static str, &'static str)] {
        const MARKS: &[(&str, &str)] = &[
            (tree::MARKER_PATH, tree::MARKER),
            (tree::README_PATH, tree::README),
        ];
        if self.marks { MARKS } else { &[] }
    }
}

impl Files for Outgoing<'_> {
    fn paths(&self) -> Vec<&str> {
        let mut paths = self.files.paths();
        paths.extend(self.repairs.iter().map(|(path, _)| path.as_str()));
        paths.extend(self.marks().iter().map(|(path, _)| *path));
        paths
    }

    fn each(&self, each: &mut EachFile<'_>) -> std::io::Result<()> {
        self.files.each(each)?;
        for (path, text) in &self.repairs {
            match text {
                Some(text) => each(path, Content::Text(text))?,
                None => each(path, Content::Deleted)?,
            }
        }
        for (path, text) in self.marks() {
            each(path, Content::Text(text.as_bytes()))?;
        }
        Ok(())
    }
}

/// `Name <email>` as git's author; a bare name gets an empty email.
fn identity(author: &str) -> Identity {
    let clean = |s: &str| s.replace(['<', '>', '\n'], "").trim().to_string();
    match author.rsplit_once('<') {
        Some((name, email)) if email.ends_with('>') && !name.trim().is_empty() => Identity {
            name: clean(name),
            email: clean(email),
        },
        _ => Identity {
            name: clean(author),
            email: String::new(),
        },
    }
}

/// Applies the plan's changes to the store: what may be used first, what
/// uses it after; removals the other way round. Returns the watch items
/// this store had removed that came back.
fn apply(store: &Store, plan: &mut Plan) -> Result<Vec<String>> {
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

/// Says what the sync did: events (even with --quiet: they may need a
/// decision), then likely duplicates among what arrived, then the summary.
fn finish(ctx: &Ctx, store: &Store, remote: &str, done: &Done) -> Result<()> {
    for line in report::sync::found(&done.found) {
        ctx.warn(line);
    }
    for line in report::sync::told(&done.told) {
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
    // The developments that arrived are checked against the store; when too
    // many arrived to keep their ids (a first sync), the whole store is.
    let arrived = done.plan.development_puts.development_ids();
    if done.applied && arrived.is_none_or(|ids| !ids.is_empty()) {
        for line in store.likely_duplicates(arrived)?.lines() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_become_git_identities() {
        let who = identity("Ana Lima <ana@example.org>");
        assert_eq!(
            (who.name.as_str(), who.email.as_str()),
            ("Ana Lima", "ana@example.org")
        );
        let who = identity("ana");
        assert_eq!((who.name.as_str(), who.email.as_str()), ("ana", ""));
    }
}
