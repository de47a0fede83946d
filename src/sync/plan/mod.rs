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
use super::merge::Note;
use super::spool::{RecordSpool, SpilledFiles};
use super::tree;
use crate::error::{Error, Result};
use crate::model::{DevId, Development};
use crate::record::{Record, RecordKind};

mod across;
mod planner;

pub use planner::admit;

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
