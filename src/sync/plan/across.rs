//! The plan's work across files, once every file is merged: developments
//! that need a new id, and watch items and kinds one side removed that a
//! merged development still uses.

use std::collections::BTreeSet;

use super::{Event, Planner, tree};
use crate::error::Result;
use crate::model::{DevId, Development};
use crate::record::{Record, RecordKind};
use crate::sync::git::Oid;

impl Planner<'_> {
    /// Gives each development of `renamed` a new id, in the store and the tree.
    pub(super) fn add_renamed(&mut self) -> Result<()> {
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
    pub(super) fn restore_used(&mut self) -> Result<()> {
        self.find_unvisited_uses()?;
        let used = std::mem::take(&mut self.used);
        for ((kind, key), user) in used {
            let list = match kind {
                RecordKind::Watch => &mut self.watch,
                RecordKind::Kind => &mut self.kinds,
                RecordKind::Development | RecordKind::Feed | RecordKind::Inbox => continue,
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
    pub(super) fn write_vocabulary(&mut self, path: &str, records: &[Record]) -> Result<()> {
        let text = tree::file_text(records);
        if text.as_deref().map(tree::blob_id).as_deref() != self.remote.get(path).map(Oid::as_str) {
            self.plan.files.insert(path.to_string(), text)?;
        }
        Ok(())
    }
}
