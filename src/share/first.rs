//! A first sync into a blank store: the whole shared tracker loaded as a
//! first import loads a file.
//!
//! When the store holds no record and has never agreed on a base, the
//! three-way plan has nothing to merge: every record of the shared tracker
//! is added, nothing is sent, and nothing is pushed — as long as the
//! tracker's files are tidy (each record in the file its key names, in key
//! order, once; the vocabulary files as lookout writes them) and every
//! record passes the checks the plan applies. Then the records go straight
//! from `git cat-file` into the bulk loader: a second thread reads and
//! decodes the development files one at a time, in order, while this one
//! writes them, so neither the plan's pass over every file, its copy of
//! every record on disk, nor a second decoding is paid for.
//!
//! Anything else — an untidy file, a record the plan would refuse, a failure
//! of any kind — rolls the load back and leaves the sync to the plan, which
//! then says what it found, refuses with the file, line and commit, or
//! repairs the tracker, exactly as before. So this path changes how fast a
//! first sync is, never what it does.

use std::collections::{BTreeMap, HashSet};
use std::sync::mpsc::{SyncSender, sync_channel};

use super::{Done, Options, Trackers};
use crate::error::{Error, Result};
use crate::model::Development;
use crate::record::{Record, RecordKind};
use crate::store::{ArrivedDuplicates, LikelyDuplicates, Store};
use crate::sync::git::{BlobStream, GitRepo, Oid};
use crate::sync::plan::{Moved, Plan, Repository, admit};
use crate::sync::tree;

use super::sources::Sources;

/// Development files read ahead of the writer; one file is about a
/// thousandth of the tracker, so memory stays a few files' records.
const IN_FLIGHT: usize = 4;

/// Whether the store holds nothing a plan could merge: no development, no
/// watch item, no kind of its own.
pub(super) fn is_blank(store: &Store) -> Result<bool> {
    Ok(!store.holds_developments()?
        && store.user_kinds()?.is_empty()
        && store.watch_items()?.is_empty())
}

/// Loads the whole shared tracker into a blank store as one journal entry
/// and records the fetched commit as agreed; None when this sync is not a
/// first one into a blank store, or when the tracker needs the plan (module
/// docs): nothing was then written.
pub(super) fn receive_whole(
    store: &Store,
    cache: &GitRepo,
    sources: &Sources<'_>,
    trackers: &Trackers,
    version: i64,
    options: &Options<'_>,
) -> Result<Option<Done>> {
    let Some(head) = &trackers.head else {
        return Ok(None);
    };
    if options.rejoin
        || trackers.base.is_some()
        || trackers.remote_files.is_empty()
        || !is_blank(store)?
    {
        return Ok(None);
    }
    let tx = store.begin_change("sync", options.clock.now(), options.author)?;
    if store.data_version()? != version {
        return Ok(None);
    }
    // Rolled back (the transaction dropped) whatever went wrong: the plan
    // then does the sync, and says what it finds.
    let Ok(Some(loaded)) = load(store, cache, sources, &trackers.remote_files) else {
        return Ok(None);
    };
    store.journal_sync_base(None);
    let plan = Plan {
        received: loaded.received,
        ..Plan::default()
    };
    super::conclude(store, tx, options, Some(head.clone()), &plan.received, &[])?;
    Ok(Some(Done {
        plan,
        pushed: false,
        applied: true,
        whole_store: true,
        duplicates: loaded.duplicates,
        returned: loaded.returned,
        found: Vec::new(),
        told: Vec::new(),
        left_locks: Vec::new(),
    }))
}

/// What `load` wrote.
struct Loaded {
    received: Moved,
    /// Watch items this store had removed that came back.
    returned: Vec<String>,
    /// The likely duplicates among the developments (None when there were
    /// too many to hold: the store is asked).
    duplicates: Option<LikelyDuplicates>,
}

/// Writes every record of `files` into the store in one bulk load; None
/// when a file is not tidy or a record names what the tracker lacks.
fn load(
    store: &Store,
    cache: &GitRepo,
    sources: &Sources<'_>,
    files: &BTreeMap<String, Oid>,
) -> Result<Option<Loaded>> {
    let mut received = Moved::default();
    store.begin_bulk_load()?;
    let Some((returned, mut kinds, slugs)) = load_vocabulary(store, sources, files, &mut received)?
    else {
        return Ok(None);
    };
    let (paths, blobs): (Vec<String>, Vec<Oid>) = files
        .iter()
        .filter(|(path, _)| tree::kind_of(path) == Some(RecordKind::Development))
        .map(|(path, blob)| (path.clone(), blob.clone()))
        .unzip();
    let blobs = cache.blob_stream(blobs)?;
    std::thread::scope(|scope| {
        let (sender, batches) = sync_channel(IN_FLIGHT);
        let reader = scope.spawn(move || read_ahead(blobs, paths, sender));
        // Returning early drops the receiver, which stops the reader.
        for batch in batches {
            let Some(devs) = batch? else {
                return Ok(None);
            };
            for dev in devs {
                if !named(store, &mut kinds, &slugs, &dev)? {
                    return Ok(None);
                }
                store.insert_development(&dev)?;
                received.added += 1;
            }
        }
        // The reader looks for likely duplicates meanwhile.
        store.end_bulk_load()?;
        let duplicates = reader.join().ok().flatten();
        Ok(Some(Loaded {
            received,
            returned,
            duplicates,
        }))
    })
}

/// The kinds and watch items of the shared tracker, written; the watch
/// items this store had removed that came back, the kinds and the slugs;
/// None when a file is not as lookout writes it.
#[allow(clippy::type_complexity)]
fn load_vocabulary(
    store: &Store,
    sources: &Sources<'_>,
    files: &BTreeMap<String, Oid>,
    received: &mut Moved,
) -> Result<Option<(Vec<String>, HashSet<String>, HashSet<String>)>> {
    let mut returned = Vec::new();
    let mut kinds: HashSet<String> = HashSet::new();
    let mut slugs: HashSet<String> = HashSet::new();
    for kind in [RecordKind::Kind, RecordKind::Watch] {
        let path = tree::path_of(kind, "");
        let Some(blob) = files.get(&path) else {
            continue;
        };
        let records = tree::parse_file(&path, &sources.read(blob)?)?;
        // The plan writes a vocabulary file again unless it is as lookout
        // writes it: that commit is the plan's to make.
        if tree::file_text(&records)
            .map(|t| tree::blob_id(&t))
            .as_deref()
            != Some(blob.as_str())
            || !tidy(&path, kind, &records)
        {
            return Ok(None);
        }
        for record in &records {
            admit(record)?;
            if let Record::Watch(item) = record {
                if store.watch_removed_here(item.slug.as_str())? {
                    returned.push(item.slug.to_string());
                }
                slugs.insert(item.slug.to_string());
            } else {
                kinds.insert(record.key().to_string());
            }
            store.put_record(record)?;
            received.added += 1;
        }
    }
    Ok(Some((returned, kinds, slugs)))
}

/// Whether `records`, read from `path`, all belong there, in strictly
/// increasing key order: what `tidy` leaves as it is.
fn tidy(path: &str, kind: RecordKind, records: &[Record]) -> bool {
    records
        .iter()
        .all(|r| r.kind() == kind && tree::path_of(kind, r.key()) == path)
        && records.windows(2).all(|w| w[0].key() < w[1].key())
}

/// Whether the kind and watch items a development names are in the store
/// (the shared tracker's, or a built-in kind), as the plan requires.
fn named(
    store: &Store,
    kinds: &mut HashSet<String>,
    slugs: &HashSet<String>,
    dev: &Development,
) -> Result<bool> {
    if !kinds.contains(&dev.kind) {
        if store.require_kind(&dev.kind).is_err() {
            return Ok(false);
        }
        kinds.insert(dev.kind.clone());
    }
    Ok(dev
        .links
        .iter()
        .all(|link| slugs.contains(link.slug.as_str())))
}

/// The reading thread: each development file's records, decoded and
/// checked as the plan checks what arrives, a file a batch (None for a file
/// that is not tidy; an error ends the reading); then, once every file is
/// read, the likely duplicates among them (None when the reading stopped
/// early, or they were too many to hold).
fn read_ahead(
    blobs: BlobStream,
    paths: Vec<String>,
    sender: SyncSender<Result<Option<Vec<Development>>>>,
) -> Option<LikelyDuplicates> {
    let mut duplicates = ArrivedDuplicates::default();
    for (path, blob) in paths.iter().zip(blobs) {
        let batch = blob.and_then(|(_, bytes)| read_file(path, &bytes));
        let Ok(Some(devs)) = &batch else {
            let _ = sender.send(batch);
            return None;
        };
        for dev in devs {
            duplicates.add(dev);
        }
        if sender.send(batch).is_err() {
            return None;
        }
    }
    // The writer learns that every file is read before the search starts.
    drop(sender);
    duplicates.finish()
}

fn read_file(path: &str, bytes: &[u8]) -> Result<Option<Vec<Development>>> {
    let records = tree::parse_file(path, bytes)?;
    if !tidy(path, RecordKind::Development, &records) {
        return Ok(None);
    }
    let mut devs = Vec::with_capacity(records.len());
    for record in records {
        admit(&record)?;
        match record {
            Record::Development(dev) => devs.push(dev),
            _ => return Err(Error::data(format!("{path}: not a development"))),
        }
    }
    Ok(Some(devs))
}
