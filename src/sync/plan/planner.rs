//! The planner at work: the files and records fed to it merged one file at
//! a time, then the tracker kept whole across files (`across`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{Event, Plan, Planner, Repository, join, join3};
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{Development, WatchItem};
use crate::record::{Record, RecordKind};
use crate::sync::git::Oid;
use crate::sync::merge;
use crate::sync::spool::{RecordSpool, SpilledFiles};
use crate::sync::tree;

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
    pub(super) fn records_of(&self, blob: Option<&Oid>, path: &str) -> Result<Vec<Record>> {
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
            self.note_vocabulary(path, base_blob, remote_blob)?;
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

    /// A vocabulary file's records on both sides, kept for `finish`: which
    /// kinds and watch items the remote holds, and the lines they came from.
    fn note_vocabulary(
        &mut self,
        path: &str,
        base_blob: Option<&Oid>,
        remote_blob: Option<&Oid>,
    ) -> Result<()> {
        self.vocabulary_sources
            .extend(self.records_of(base_blob, path)?);
        let remote = self.records_of(remote_blob, path)?;
        self.remote_vocabulary
            .extend(remote.iter().map(|r| (r.kind(), r.key().to_string())));
        self.vocabulary_sources.extend(remote);
        Ok(())
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
    pub(super) fn note_uses(&mut self, records: &[Record]) {
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
pub fn admit(record: &Record) -> Result<()> {
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
