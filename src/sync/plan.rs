//! The merge of whole trackers, file by file: what the store must change and
//! which files the shared repository must hold afterwards.
//!
//! Files are compared by their git blob ids before anything is read: a file
//! that neither side changed since the base is skipped, one only the remote
//! changed is taken whole, one only this store changed is written whole, and
//! only a file both changed is merged record by record (`merge`). The store's
//! developments arrive in id order, which is file order, one file at a time,
//! so memory holds one file's records (and whatever the store must change).
//!
//! Across files, the plan keeps the tracker whole: a watch item or kind that
//! one side removed while the other still uses it is kept, and said; a
//! development added here whose id the other side gave a different one gets
//! a new id, and that is said too.

use std::collections::{BTreeMap, BTreeSet};

use super::git::Oid;
use super::merge::{self, Note, Side};
use super::spool::{RecordSpool, SpilledFiles};
use super::tree;
use crate::error::Result;
use crate::model::{DevId, Development, WatchItem};
use crate::record::{Record, RecordKind};

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
}

/// How many records one direction of a sync moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
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
    pub events: Vec<Event>,
    /// What this store receives, and what it sends.
    pub received: Moved,
    pub sent: Moved,
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
}

impl<'a> Planner<'a> {
    /// A plan over every file: the store's developments must all be fed.
    pub fn new(
        repo: &'a dyn Repository,
        base: &'a BTreeMap<String, Oid>,
        remote: &'a BTreeMap<String, Oid>,
    ) -> Planner<'a> {
        Planner::with_changed(repo, base, remote, None)
    }

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
        }
    }

    /// Keeps the plan's large parts in unnamed temporary files in `dir`
    /// (else in the system's temporary folder).
    pub fn spill_to(mut self, dir: &std::path::Path) -> Planner<'a> {
        self.plan.development_puts = RecordSpool::new(Some(dir.to_path_buf()));
        self.plan.files = SpilledFiles::new(Some(dir.to_path_buf()));
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

    fn records_of(&self, blob: Option<&Oid>, path: &str) -> Result<Vec<Record>> {
        match blob {
            None => Ok(Vec::new()),
            Some(blob) => tree::parse_file(path, &self.repo.read(blob)?),
        }
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
        let merged = if same(local_blob.as_ref(), remote_blob) {
            local
        } else if same(local_blob.as_ref(), base_blob) {
            // Only the remote changed it: take it whole.
            let remote = self.records_of(remote_blob, path)?;
            self.receive(&local, &remote)?;
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
        let remote = self.records_of(self.remote.get(path), path)?;
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
        self.receive(&local, &merged)?;
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
        {
            // Two different developments under one id: this store's moves.
            self.renamed.push(l.clone());
            return Ok(Some(Record::Development(r.clone())));
        }
        let merged = merge::merge(base, local, remote)?;
        self.plan
            .events
            .extend(merged.notes.into_iter().map(Event::Merge));
        Ok(merged.record)
    }

    /// What the store must change for a file to go from `local` to `merged`.
    fn receive(&mut self, local: &[Record], merged: &[Record]) -> Result<()> {
        self.plan.received.count(local, merged);
        let mut puts = Vec::new();
        let removes = &mut self.plan.removes;
        join(local, merged, |key, l, m| match (l, m) {
            (_, Some(m)) if l != Some(m) => puts.push(m),
            (Some(l), None) => removes.push((l.kind(), key.to_string())),
            _ => {}
        });
        for record in puts {
            self.plan.put(record)?;
        }
        Ok(())
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

impl Planner<'_> {
    /// Gives each development of `renamed` a new id, in the store and the tree.
    fn add_renamed(&mut self) -> Result<()> {
        for mut dev in std::mem::take(&mut self.renamed) {
            let old = dev.id.clone();
            if let Some(copy) = self.copy_in_remote(&dev)? {
                // An earlier sync pushed it under a new id and died before
                // the store took it (or started again): that copy arrives
                // with the remote's changes, and is the one to keep.
                self.plan.events.push(Event::Renamed { old, new: copy });
                continue;
            }
            dev.id = self.fresh_id()?;
            let path = tree::path_of(RecordKind::Development, dev.id.as_str());
            let mut records = self.final_records(&path)?;
            let at = records.partition_point(|r| r.key() < dev.id.as_str());
            records.insert(at, Record::Development(dev.clone()));
            self.plan.files.insert(path, tree::file_text(&records))?;
            self.note_uses(&records[at..=at]);
            self.plan.put(&Record::Development(dev.clone()))?;
            self.plan.sent.added += 1;
            self.plan.events.push(Event::Renamed { old, new: dev.id });
        }
        Ok(())
    }

    /// The id of a development the remote gained since the base that is
    /// `dev` under another id. Read only when a development must be renamed,
    /// which is rare: it reads every file the remote changed.
    fn copy_in_remote(&self, dev: &Development) -> Result<Option<DevId>> {
        for (path, blob) in self.remote {
            if tree::kind_of(path) != Some(RecordKind::Development)
                || self.base.get(path) == Some(blob)
            {
                continue;
            }
            let in_base = self.records_of(self.base.get(path), path)?;
            for record in self.records_of(Some(blob), path)? {
                let Record::Development(found) = record else {
                    continue;
                };
                let same = Development {
                    id: found.id.clone(),
                    ..dev.clone()
                } == found;
                if same
                    && found.id != dev.id
                    && !in_base.iter().any(|r| r.key() == found.id.as_str())
                {
                    return Ok(Some(found.id));
                }
            }
        }
        Ok(None)
    }

    /// A development file as the new tree will hold it.
    fn final_records(&self, path: &str) -> Result<Vec<Record>> {
        match self.plan.files.get(path)? {
            Some(Some(text)) => tree::parse_file(path, &text),
            Some(None) => Ok(Vec::new()),
            None => self.records_of(self.remote.get(path), path),
        }
    }

    /// An id free in the store, the remote and this plan.
    fn fresh_id(&mut self) -> Result<DevId> {
        loop {
            let id = DevId::generate()?;
            let path = tree::path_of(RecordKind::Development, id.as_str());
            let in_tree = self
                .final_records(&path)?
                .iter()
                .any(|r| r.key() == id.as_str());
            if !in_tree && !self.repo.id_taken(&id)? && self.new_ids.insert(id.to_string()) {
                return Ok(id);
            }
        }
    }

    /// Brings back a watch item or kind that a merged development uses but
    /// the merge removed.
    fn restore_used(&mut self) -> Result<()> {
        self.find_unvisited_uses()?;
        let used = std::mem::take(&mut self.used);
        for ((kind, key), user) in used {
            let list = match kind {
                RecordKind::Watch => &mut self.watch,
                RecordKind::Kind => &mut self.kinds,
                RecordKind::Development => continue,
            };
            if list.iter().any(|r| r.key() == key) {
                continue;
            }
            // A built-in kind is no record, and a kind no side has is the
            // store's to refuse when the development is written.
            let Some(found) = self
                .vocabulary_sources
                .iter()
                .rev()
                .find(|r| r.kind() == kind && r.key() == key)
            else {
                continue;
            };
            let at = list.partition_point(|r| r.key() < key.as_str());
            list.insert(at, found.clone());
            // The store keeps its copy if it has one; else it gets this one.
            let removal = self
                .plan
                .removes
                .iter()
                .position(|(k, name)| *k == kind && *name == key);
            match removal {
                Some(at) => {
                    self.plan.removes.remove(at);
                    self.plan.received.removed = self.plan.received.removed.saturating_sub(1);
                }
                None => {
                    self.plan.vocabulary_puts.insert(0, found.clone());
                    self.plan.received.added += 1;
                }
            }
            // What the shared tracker is sent: its copy kept, or this one.
            if self.remote_vocabulary.contains(&(kind, key.clone())) {
                self.plan.sent.removed = self.plan.sent.removed.saturating_sub(1);
            } else {
                self.plan.sent.added += 1;
            }
            self.plan.events.push(Event::Restored {
                record: kind,
                key,
                used_by: user,
            });
        }
        Ok(())
    }

    /// In a partial plan the developments of the files not visited are part
    /// of the merge too (all three sides agree on them) and may use a watch
    /// item or kind the merge removed: the store is asked about each such one.
    fn find_unvisited_uses(&mut self) -> Result<()> {
        if !self.partial {
            return Ok(());
        }
        let removed: BTreeSet<(RecordKind, String)> = self
            .vocabulary_sources
            .iter()
            .map(|r| (r.kind(), r.key().to_string()))
            .filter(|(kind, key)| {
                let list = match kind {
                    RecordKind::Watch => &self.watch,
                    _ => &self.kinds,
                };
                !list.iter().any(|r| r.key() == key)
            })
            .collect();
        for (kind, key) in removed {
            if self.used.contains_key(&(kind, key.clone())) {
                continue;
            }
            let visited = &self.visited;
            let unvisited =
                |id: &str| !visited.contains(&tree::path_of(RecordKind::Development, id));
            if let Some(user) = self.repo.development_using(kind, &key, &unvisited)? {
                self.used.insert((kind, key), user);
            }
        }
        Ok(())
    }

    /// Writes a vocabulary file when it differs from the remote's.
    fn write_vocabulary(&mut self, path: &str, records: &[Record]) -> Result<()> {
        let text = tree::file_text(records);
        if text.as_deref().map(tree::blob_id).as_deref() != self.remote.get(path).map(Oid::as_str) {
            self.plan.files.insert(path.to_string(), text)?;
        }
        Ok(())
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

/// A side's name, for messages.
pub fn side_name(side: Side) -> &'static str {
    match side {
        Side::Local => "here",
        Side::Remote => "in the shared tracker",
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// Blobs by id, and which were read.
    #[derive(Default)]
    struct Blobs {
        by_id: BTreeMap<String, Vec<u8>>,
        read: RefCell<Vec<String>>,
    }

    impl Blobs {
        /// Stores a development file; returns its path and blob id.
        fn file(&mut self, devs: &[Development]) -> (String, Oid) {
            let records: Vec<Record> = devs.iter().cloned().map(Record::Development).collect();
            let text = tree::file_text(&records).unwrap();
            let id = tree::blob_id(&text);
            self.by_id.insert(id.clone(), text);
            let path = tree::path_of(RecordKind::Development, devs[0].id.as_str());
            (path, id.parse().unwrap())
        }
    }

    impl Repository for Blobs {
        fn read(&self, blob: &Oid) -> Result<Vec<u8>> {
            self.read.borrow_mut().push(blob.to_string());
            Ok(self.by_id[blob.as_str()].clone())
        }
        fn id_taken(&self, _: &DevId) -> Result<bool> {
            Ok(false)
        }
        fn development_using(
            &self,
            _: RecordKind,
            _: &str,
            _: &dyn Fn(&str) -> bool,
        ) -> Result<Option<DevId>> {
            Ok(None)
        }
    }

    #[test]
    fn files_are_visited_in_the_order_ids_arrive() {
        // `a` comes before `a-b`, but its file after theirs.
        let mut blobs = Blobs::default();
        let a = Development::sample("a", "2025-07-01");
        let ab = Development::sample("a-b", "2025-07-02");
        let tree: BTreeMap<String, Oid> = [&a, &ab]
            .into_iter()
            .map(|d| blobs.file(std::slice::from_ref(d)))
            .collect();
        let mut planner = Planner::new(&blobs, &tree, &tree);
        planner.vocabulary(Vec::new(), Vec::new()).unwrap();
        planner.development(a).unwrap();
        planner.development(ab).unwrap();
        let plan = planner.finish().unwrap();
        assert!(
            plan.files.is_empty(),
            "{:?}",
            crate::sync::git::Files::paths(&plan.files)
        );
        assert!(plan.changes_nothing());
    }

    #[test]
    fn a_plan_of_what_changed_reads_only_the_changed_files() {
        let mut blobs = Blobs::default();
        let aa = Development::sample("aa1", "2025-07-01");
        let bb = Development::sample("bb1", "2025-07-02");
        let cc = Development::sample("cc1", "2025-07-03");
        let base: BTreeMap<String, Oid> = [&aa, &bb, &cc]
            .into_iter()
            .map(|d| blobs.file(std::slice::from_ref(d)))
            .collect();
        // The remote changed cc; this store changed bb.
        let cc_there = Development {
            headline: "changed there".into(),
            ..cc.clone()
        };
        let mut remote = base.clone();
        let (path, blob) = blobs.file(std::slice::from_ref(&cc_there));
        remote.insert(path, blob);
        let bb_here = Development {
            headline: "changed here".into(),
            ..bb.clone()
        };
        let changed = BTreeSet::from(["bb".to_string()]);
        let mut planner = Planner::with_changed(&blobs, &base, &remote, Some(&changed));
        assert_eq!(
            planner.to_read(),
            Some(vec![
                "developments/bb.jsonl".to_string(),
                "developments/cc.jsonl".to_string()
            ])
        );
        planner.vocabulary(Vec::new(), Vec::new()).unwrap();
        planner.development(bb_here.clone()).unwrap();
        planner.development(cc.clone()).unwrap();
        let mut plan = planner.finish().unwrap();
        assert_eq!(
            crate::sync::git::Files::paths(&plan.files),
            ["developments/bb.jsonl"]
        );
        let mut puts = Vec::new();
        plan.development_puts
            .each(|r| {
                puts.push(r);
                Ok(())
            })
            .unwrap();
        assert_eq!(puts, vec![Record::Development(cc_there)]);
        assert!(plan.vocabulary_puts.is_empty());
        assert_eq!((plan.sent.changed, plan.received.changed), (1, 1));
        let untouched = base["developments/aa.jsonl"].to_string();
        assert!(
            !blobs.read.borrow().contains(&untouched),
            "read a file neither side changed"
        );
        // With every shard marked (or none known), every file is visited.
        let planner = Planner::with_changed(&blobs, &base, &remote, None);
        assert_eq!(planner.to_read(), None);
    }
}
