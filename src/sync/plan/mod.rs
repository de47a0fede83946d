//! The merge of whole trackers, file by file: what the store must change and
//! which files the shared repository must hold afterwards.
//!
//! Files are compared by their git blob ids before anything is read: a file
//! that neither side changed since the base is skipped, one only the remote
//! changed is taken whole, one only this store changed is written whole, and
//! only a file both changed is merged record by record (`merge`). The store's
//! developments arrive in id order, which is the order of their files' shards,
//! one file at a time, so memory holds one file's records; what the store must
//! change and the files to write are kept on disk (`spool`).
//!
//! Across files, the plan keeps the tracker whole: a watch item or kind that
//! one side removed while the other still uses it is kept, and said; a
//! development added here whose id the other side gave a different one gets
//! a new id, and that is said too.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::git::{Authored, Content, EachFile, Files, Oid};
use super::merge::{self, Note};
use super::spool::{RecordSpool, SpilledFiles};
use super::tree;
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{DevId, Development, WatchItem};
use crate::record::{Record, RecordKind};

mod across;

/// What the plan asks of the repository and the store.
pub trait Repository {
    /// A blob's content.
    fn read(&self, blob: &Oid) -> Result<Vec<u8>>;
    /// Whether the store already holds a development with this id.
    fn id_taken(&self, id: &DevId) -> Result<bool>;
    /// A development of the store that uses a watch item or kind, the first
    /// whose id `wanted` accepts.
    fn development_using(
        &self,
        kind: RecordKind,
        key: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Option<DevId>>;
    /// The error for a record of the shared tracker's file `path` that may
    /// not enter the store: where it is, and who put it there.
    fn refused(&self, path: &str, record: &Record, error: Error) -> Error {
        error.context(format!("{path}: {} {}", record.kind(), record.key()))
    }
    /// The latest commit since the base that changed the shared tracker's
    /// file `path` by other means than lookout; None when there is none.
    fn hand_change(&self, _path: &str) -> Result<Option<Authored>> {
        Ok(None)
    }
    /// Whether the store knows a kind (the built-in ones among them).
    fn kind_known(&self, _name: &str) -> Result<bool> {
        Ok(true)
    }
}

/// How many records one direction of a sync moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
}

impl std::fmt::Display for Moved {
    /// `2 added, 1 changed, 0 removed`, or `nothing`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.total() == 0 {
            return f.write_str("nothing");
        }
        write!(
            f,
            "{} added, {} changed, {} removed",
            self.added, self.changed, self.removed
        )
    }
}

impl Moved {
    pub fn total(&self) -> u64 {
        self.added + self.changed + self.removed
    }

    /// Counts the differences between two versions of one file's records.
    fn count(&mut self, before: &[Record], after: &[Record]) {
        join(before, after, |_, b, a| match (b, a) {
            (None, Some(_)) => self.added += 1,
            (Some(_), None) => self.removed += 1,
            (Some(b), Some(a)) if b != a => self.changed += 1,
            _ => {}
        });
    }
}

/// Something the merge did across records that the analyst should hear of.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Merge(Note),
    /// A development added here got a new id: the other side had given its
    /// id to a different development.
    Renamed {
        old: DevId,
        new: DevId,
    },
    /// Removed on one side, but a development of the merged tracker uses it.
    Restored {
        record: RecordKind,
        key: String,
        used_by: DevId,
    },
    /// Changed in the shared repository outside lookout (its line changed,
    /// who changed it and when did not): credited to the commit's author.
    HandEdited {
        record: RecordKind,
        key: String,
        by: Authored,
    },
    /// Removed from the shared tracker, whose file was last changed outside
    /// lookout by `by`.
    HandRemoved {
        record: RecordKind,
        key: String,
        by: Authored,
    },
}

/// The outcome of planning a sync.
#[derive(Debug, Default)]
pub struct Plan {
    /// Kinds and watch items the store must add or replace.
    pub vocabulary_puts: Vec<Record>,
    /// Developments the store must add or replace (on disk: a first sync
    /// brings in the whole tracker).
    pub development_puts: RecordSpool,
    /// Records the store must remove.
    pub removes: Vec<(RecordKind, String)>,
    /// Files to write (Some) or delete (None) on top of the remote's tree
    /// (on disk: a first sync writes the whole tracker).
    pub files: SpilledFiles,
    /// The files in which this store differed from the base when the sync
    /// began (when it had one): with the base, what the store held, which
    /// undo of the sync puts back as the base (`commands::sync`).
    pub local: LocalFiles,
    pub events: Vec<Event>,
    /// What this store receives, and what it sends.
    pub received: Moved,
    pub sent: Moved,
}

impl Plan {
    /// Whether the store is to be left as it is.
    pub fn changes_nothing(&self) -> bool {
        self.vocabulary_puts.is_empty()
            && self.development_puts.is_empty()
            && self.removes.is_empty()
    }

    /// How many records the store must add, replace or remove.
    pub fn change_count(&self) -> usize {
        self.vocabulary_puts.len() + self.development_puts.len() + self.removes.len()
    }

    fn put(&mut self, record: &Record) -> Result<()> {
        match record {
            Record::Development(_) => self.development_puts.push(record),
            _ => {
                self.vocabulary_puts.push(record.clone());
                Ok(())
            }
        }
    }
}

/// See `Plan::local`: each file as a blob the shared tracker already holds,
/// or as this store's text (on disk), or deleted.
#[derive(Debug, Default)]
pub struct LocalFiles {
    /// Off for a first sync, which has no base to differ from.
    recording: bool,
    known: Vec<(String, Oid)>,
    texts: SpilledFiles,
}

impl LocalFiles {
    pub fn is_empty(&self) -> bool {
        self.known.is_empty() && self.texts.is_empty()
    }
}

impl Files for LocalFiles {
    fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.known.iter().map(|(p, _)| p.as_str()).collect();
        paths.extend(self.texts.paths());
        paths
    }

    fn each(&self, each: &mut EachFile<'_>) -> std::io::Result<()> {
        for (path, blob) in &self.known {
            each(path, Content::Blob(blob))?;
        }
        self.texts.each(each)
    }
}

/// Plans a sync; feed it the store's records, then `finish`.
pub struct Planner<'a> {
    repo: &'a dyn Repository,
    base: &'a BTreeMap<String, Oid>,
    remote: &'a BTreeMap<String, Oid>,
    plan: Plan,
    /// The development file being gathered, and its records so far.
    current: Option<(String, Vec<Record>)>,
    /// Development files still to visit, in order: in a full plan every one
    /// of base and remote, else those the remote or this store changed. Each
    /// by its shard, then its path: the developments arrive in id order,
    /// which is shard order, not path order (`a` comes before `a-b`, but
    /// `developments/a-.jsonl` before `developments/a.jsonl`).
    pending: BTreeSet<(String, String)>,
    /// Only the files in `pending` and those the store's developments are
    /// fed for are visited; the rest are the same on all three sides.
    partial: bool,
    /// The development files visited.
    visited: BTreeSet<String>,
    /// The merged kinds and watch items, written out at the end.
    kinds: Vec<Record>,
    watch: Vec<Record>,
    /// Their base and remote versions, for restoring one the merge removed.
    vocabulary_sources: Vec<Record>,
    /// The kinds and watch items the remote holds.
    remote_vocabulary: BTreeSet<(RecordKind, String)>,
    /// Slugs and kinds the merged developments use, with one user of each.
    used: BTreeMap<(RecordKind, String), DevId>,
    /// Local developments that need a new id, added at the end.
    renamed: Vec<Development>,
    new_ids: BTreeSet<String>,
    /// Merging with no agreed base after the shared history was rewritten
    /// (`merge::rejoin`).
    rejoin: bool,
    /// The kinds and watch items a development that arrives may name: the
    /// merged ones, those either side held (a development's use restores
    /// a removed one), and the store's kinds found so far.
    known: HashSet<(RecordKind, String)>,
}

impl<'a> Planner<'a> {
    /// A plan over the files the remote changed since the base and those of
    /// the `changed` shards (every file when None); the store then feeds the
    /// developments of the files `to_read` lists.
    pub fn with_changed(
        repo: &'a dyn Repository,
        base: &'a BTreeMap<String, Oid>,
        remote: &'a BTreeMap<String, Oid>,
        changed: Option<&BTreeSet<String>>,
    ) -> Planner<'a> {
        let remote_changed = |p: &&String| changed.is_none() || base.get(*p) != remote.get(*p);
        let mut pending: BTreeSet<(String, String)> = base
            .keys()
            .chain(remote.keys())
            .filter(|p| tree::kind_of(p) == Some(RecordKind::Development))
            .filter(remote_changed)
            .map(|p| pending_file(p))
            .collect();
        if let Some(changed) = changed {
            pending.extend(
                changed
                    .iter()
                    .map(|shard| pending_file(&tree::path_of(RecordKind::Development, shard))),
            );
        }
        Planner {
            repo,
            base,
            remote,
            plan: Plan::default(),
            current: None,
            pending,
            partial: changed.is_some(),
            visited: BTreeSet::new(),
            kinds: Vec::new(),
            watch: Vec::new(),
            vocabulary_sources: Vec::new(),
            remote_vocabulary: BTreeSet::new(),
            used: BTreeMap::new(),
            renamed: Vec::new(),
            new_ids: BTreeSet::new(),
            rejoin: false,
            known: HashSet::new(),
        }
    }

    /// Merges with no base: the copy changed later wins (`merge::rejoin`).
    pub fn rejoining(mut self) -> Planner<'a> {
        self.rejoin = true;
        self
    }

    /// Keeps the plan's large parts in unnamed temporary files in `dir`
    /// (else in the system's temporary folder).
    pub fn spill_to(mut self, dir: &std::path::Path) -> Planner<'a> {
        self.plan.development_puts = RecordSpool::new(Some(dir.to_path_buf()));
        self.plan.files = SpilledFiles::new(Some(dir.to_path_buf()));
        self.plan.local.texts = SpilledFiles::new(Some(dir.to_path_buf()));
        self
    }

    /// Records the files in which the store differs from the base
    /// (`Plan::local`); for a store that has a base.
    pub fn recording_local(mut self) -> Planner<'a> {
        self.plan.local.recording = true;
        self
    }

    /// The development files whose records the store must feed, in order
    /// (None: all of its developments).
    pub fn to_read(&self) -> Option<Vec<String>> {
        self.partial
            .then(|| self.pending.iter().map(|(_, path)| path.clone()).collect())
    }

    /// The store's user-added kinds and watch items, sorted by key.
    pub fn vocabulary(&mut self, kinds: Vec<String>, watch: Vec<WatchItem>) -> Result<()> {
        let kinds: Vec<Record> = kinds.into_iter().map(Record::Kind).collect();
        let watch: Vec<Record> = watch.into_iter().map(Record::Watch).collect();
        self.kinds = self.merge_file(&tree::path_of(RecordKind::Kind, ""), kinds, true)?;
        self.watch = self.merge_file(&tree::path_of(RecordKind::Watch, ""), watch, true)?;
        let records = self.kinds.iter().chain(&self.watch);
        self.known = records
            .chain(&self.vocabulary_sources)
            .map(|r| (r.kind(), r.key().to_string()))
            .collect();
        Ok(())
    }

    /// Refuses a development that names a kind or watch item the merged
    /// tracker lacks: caught here, before anything is pushed or applied.
    fn check_names(&mut self, record: &Record) -> Result<()> {
        let Record::Development(dev) = record else {
            return Ok(());
        };
        let kind = (RecordKind::Kind, dev.kind.clone());
        if !self.known.contains(&kind) {
            if !self.repo.kind_known(&dev.kind)? {
                return Err(Error::data(format!(
                    "unknown kind '{}'",
                    crate::screen::echo(&dev.kind)
                )));
            }
            self.known.insert(kind);
        }
        for link in &dev.links {
            if !self
                .known
                .contains(&(RecordKind::Watch, link.slug.to_string()))
            {
                return Err(Error::data(format!(
                    "linked to watch item '{}', which the shared tracker does not hold",
                    link.slug
                )));
            }
        }
        Ok(())
    }

    /// The store's next development; they must come in id order.
    pub fn development(&mut self, dev: Development) -> Result<()> {
        let path = tree::path_of(RecordKind::Development, dev.id.as_str());
        if self.current.as_ref().is_none_or(|(p, _)| *p != path) {
            self.finish_current()?;
            let file = pending_file(&path);
            self.visit_pending_before(Some(&file))?;
            self.pending.remove(&file);
            self.current = Some((path, Vec::new()));
        }
        if let Some((_, records)) = self.current.as_mut() {
            records.push(Record::Development(dev));
        }
        Ok(())
    }

    /// Completes the plan once every development has been fed.
    pub fn finish(mut self) -> Result<Plan> {
        self.finish_current()?;
        self.visit_pending_before(None)?;
        self.add_renamed()?;
        self.restore_used()?;
        let kinds = std::mem::take(&mut self.kinds);
        let watch = std::mem::take(&mut self.watch);
        self.write_vocabulary(&tree::path_of(RecordKind::Kind, ""), &kinds)?;
        self.write_vocabulary(&tree::path_of(RecordKind::Watch, ""), &watch)?;
        Ok(self.plan)
    }

    fn finish_current(&mut self) -> Result<()> {
        if let Some((path, records)) = self.current.take() {
            self.merge_file(&path, records, false)?;
        }
        Ok(())
    }

    /// Development files that only base or remote have, up to `before`.
    fn visit_pending_before(&mut self, before: Option<&(String, String)>) -> Result<()> {
        while let Some(file) = self.pending.first().cloned() {
            if before.is_some_and(|b| file >= *b) {
                break;
            }
            self.pending.remove(&file);
            self.merge_file(&file.1, Vec::new(), false)?;
        }
        Ok(())
    }

    /// A file's records in key order, each key once: the remote's files are
    /// tidy (`tidy`), but a base agreed on before they were may not be.
    fn records_of(&self, blob: Option<&Oid>, path: &str) -> Result<Vec<Record>> {
        let mut records = match blob {
            None => return Ok(Vec::new()),
            Some(blob) => tree::parse_file(path, &self.repo.read(blob)?)?,
        };
        if !records.is_sorted_by(|a, b| a.key() < b.key()) {
            records.sort_by(|a, b| a.key().cmp(b.key()));
            records.dedup_by(|a, b| a.key() == b.key());
        }
        Ok(records)
    }

    /// Merges one file; returns its merged records. A vocabulary file's
    /// output waits for `finish` (restoring may add to it).
    fn merge_file(
        &mut self,
        path: &str,
        local: Vec<Record>,
        vocabulary: bool,
    ) -> Result<Vec<Record>> {
        let local_text = tree::file_text(&local);
        let local_blob = local_text.as_deref().map(tree::blob_id);
        let base_blob = self.base.get(path);
        let remote_blob = self.remote.get(path);
        let same =
            |a: Option<&String>, b: Option<&Oid>| a.map(String::as_str) == b.map(Oid::as_str);
        if vocabulary {
            self.vocabulary_sources
                .extend(self.records_of(base_blob, path)?);
            let remote = self.records_of(remote_blob, path)?;
            self.remote_vocabulary
                .extend(remote.iter().map(|r| (r.kind(), r.key().to_string())));
            self.vocabulary_sources.extend(remote);
        }
        if self.plan.local.recording && !same(local_blob.as_ref(), base_blob) {
            match remote_blob {
                Some(blob) if same(local_blob.as_ref(), Some(blob)) => {
                    self.plan.local.known.push((path.to_string(), blob.clone()));
                }
                _ => self
                    .plan
                    .local
                    .texts
                    .insert(path.to_string(), local_text.clone())?,
            }
        }
        let merged = if same(local_blob.as_ref(), remote_blob) {
            local
        } else if same(local_blob.as_ref(), base_blob) {
            // Only the remote changed it: take it whole (crediting what was
            // edited by hand, which the commit then shares).
            let mut remote = self.records_of(remote_blob, path)?;
            let base = self.records_of(base_blob, path)?;
            if self.credit_hand_edits(path, &base, &mut remote)? {
                self.plan
                    .files
                    .insert(path.to_string(), tree::file_text(&remote))?;
            }
            self.receive(path, &local, &remote)?;
            remote
        } else if base_blob == remote_blob {
            // Only this store changed it: send it whole.
            let remote = self.records_of(remote_blob, path)?;
            self.plan.sent.count(&remote, &local);
            if !vocabulary {
                self.plan.files.insert(path.to_string(), local_text)?;
            }
            local
        } else {
            self.merge_records(path, local, vocabulary)?
        };
        if !vocabulary {
            self.note_uses(&merged);
            self.visited.insert(path.to_string());
        }
        Ok(merged)
    }

    /// Both sides changed the file: record by record.
    fn merge_records(
        &mut self,
        path: &str,
        local: Vec<Record>,
        vocabulary: bool,
    ) -> Result<Vec<Record>> {
        let base = self.records_of(self.base.get(path), path)?;
        let mut remote = self.records_of(self.remote.get(path), path)?;
        self.credit_hand_edits(path, &base, &mut remote)?;
        let mut merged = Vec::new();
        let mut failure = None;
        join3(&base, &local, &remote, |b, l, r| {
            if failure.is_some() {
                return;
            }
            match self.merge_one(b, l, r) {
                Ok(Some(record)) => merged.push(record),
                Ok(None) => {}
                Err(e) => failure = Some(e),
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        self.receive(path, &local, &merged)?;
        self.plan.sent.count(&remote, &merged);
        if !vocabulary {
            let text = tree::file_text(&merged);
            if text.as_deref().map(tree::blob_id).as_deref()
                != self.remote.get(path).map(Oid::as_str)
            {
                self.plan.files.insert(path.to_string(), text)?;
            }
        }
        Ok(merged)
    }

    fn merge_one(
        &mut self,
        base: Option<&Record>,
        local: Option<&Record>,
        remote: Option<&Record>,
    ) -> Result<Option<Record>> {
        if let (None, Some(Record::Development(l)), Some(Record::Development(r))) =
            (base, local, remote)
            && l != r
            && (l.date, &l.headline) != (r.date, &r.headline)
            // Rejoining, one development recorded once is one, however edited.
            && !(self.rejoin && l.recorded_at == r.recorded_at)
        {
            // Two different developments under one id: this store's moves.
            self.renamed.push(l.clone());
            return Ok(Some(Record::Development(r.clone())));
        }
        let merged = if self.rejoin {
            merge::rejoin(local, remote)?
        } else {
            merge::merge(base, local, remote)?
        };
        self.plan
            .events
            .extend(merged.notes.into_iter().map(Event::Merge));
        Ok(merged.record)
    }

    /// What the store must change for a file to go from `local` to `merged`.
    /// Every record that arrives passes the checks of `import`: the shared
    /// tracker is written by whoever can push.
    fn receive(&mut self, path: &str, local: &[Record], merged: &[Record]) -> Result<()> {
        self.plan.received.count(local, merged);
        let removed = self.plan.removes.len();
        let mut puts = Vec::new();
        let removes = &mut self.plan.removes;
        join(local, merged, |key, l, m| match (l, m) {
            (_, Some(m)) if l != Some(m) => puts.push(m),
            (Some(l), None) => removes.push((l.kind(), key.to_string())),
            _ => {}
        });
        for record in puts {
            admit(record)
                .and_then(|()| self.check_names(record))
                .map_err(|e| self.repo.refused(path, record, e))?;
            self.plan.put(record)?;
        }
        if removed < self.plan.removes.len()
            && let Some(by) = self.repo.hand_change(path)?
        {
            for (record, key) in &self.plan.removes[removed..] {
                self.plan.events.push(Event::HandRemoved {
                    record: *record,
                    key: key.clone(),
                    by: by.clone(),
                });
            }
        }
        Ok(())
    }

    /// Credits the records of `remote` edited in the repository by other
    /// means than lookout — the line differs from the base's, who changed
    /// it and when do not — to the commit that did it, and says so. Returns
    /// whether any was.
    fn credit_hand_edits(
        &mut self,
        path: &str,
        base: &[Record],
        remote: &mut [Record],
    ) -> Result<bool> {
        let mut edited = Vec::new();
        let mut b = base.iter().peekable();
        for (at, record) in remote.iter().enumerate() {
            while b.next_if(|x| x.key() < record.key()).is_some() {}
            if let Some(before) = b.next_if(|x| x.key() == record.key())
                && before != record
                && record.kind() != RecordKind::Kind
                && merge::Stamp::of(before) == merge::Stamp::of(record)
            {
                edited.push(at);
            }
        }
        if edited.is_empty() {
            return Ok(false);
        }
        let Some(by) = self.repo.hand_change(path)? else {
            return Ok(false);
        };
        let at = chrono::DateTime::from_timestamp(by.time, 0).map(crate::dates::Timestamp::new);
        for index in edited {
            let record = &mut remote[index];
            let provenance = match record {
                Record::Development(dev) => &mut dev.provenance,
                Record::Watch(item) => &mut item.provenance,
                Record::Kind(_) => continue,
            };
            provenance.updated_by = Some(by.author.clone());
            provenance.updated_at = at;
            self.plan.events.push(Event::HandEdited {
                record: record.kind(),
                key: record.key().to_string(),
                by: by.clone(),
            });
        }
        Ok(true)
    }

    /// Remembers the watch items and kinds the merged developments use.
    fn note_uses(&mut self, records: &[Record]) {
        for record in records {
            if let Record::Development(dev) = record {
                for link in &dev.links {
                    self.used
                        .entry((RecordKind::Watch, link.slug.to_string()))
                        .or_insert_with(|| dev.id.clone());
                }
                self.used
                    .entry((RecordKind::Kind, dev.kind.clone()))
                    .or_insert_with(|| dev.id.clone());
            }
        }
    }
}

/// Whether a record may enter the store: the limits every command applies.
fn admit(record: &Record) -> Result<()> {
    match record {
        Record::Development(dev) => limits::admit_development(dev),
        Record::Watch(item) => limits::admit_watch_item(item),
        // Its name was checked when its line was read.
        Record::Kind(_) => Ok(()),
    }
}

/// A development file as `Planner::pending` keeps it: its shard, then its path.
fn pending_file(path: &str) -> (String, String) {
    let shard = tree::shard_of(path).unwrap_or(path);
    (shard.to_string(), path.to_string())
}

/// Walks two key-sorted record lists together, calling `each` per key.
fn join<'r>(
    left: &'r [Record],
    right: &'r [Record],
    mut each: impl FnMut(&'r str, Option<&'r Record>, Option<&'r Record>),
) {
    join3(&[], left, right, |_, l, r| {
        let key = l.or(r).map(Record::key).unwrap_or_default();
        each(key, l, r)
    });
}

/// Walks three key-sorted record lists together, calling `each` per key.
fn join3<'r>(
    base: &'r [Record],
    local: &'r [Record],
    remote: &'r [Record],
    mut each: impl FnMut(Option<&'r Record>, Option<&'r Record>, Option<&'r Record>),
) {
    let (mut b, mut l, mut r) = (0, 0, 0);
    loop {
        let keys = [base.get(b), local.get(l), remote.get(r)].map(|x| x.map(Record::key));
        let Some(key) = keys.iter().flatten().min().copied() else {
            return;
        };
        let take = |list: &'r [Record], at: &mut usize| -> Option<&'r Record> {
            let found = list.get(*at).filter(|x| x.key() == key);
            if found.is_some() {
                *at += 1;
            }
            found
        };
        let found = (
            take(base, &mut b),
            take(local, &mut l),
            take(remote, &mut r),
        );
        each(found.0, found.1, found.2);
    }
}

#[cfg(test)]
mod tests;
