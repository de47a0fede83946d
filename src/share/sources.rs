//! What the plan reads through: the fetched blobs (one `git cat-file`
//! process, or the tidy files made in memory) and the store; and how a
//! record of the shared tracker that may not enter the store is refused,
//! naming its file, line, and the commit and author that wrote it.

use std::collections::BTreeMap;

use crate::error::{Code, Error, Result};
use crate::model::DevId;
use crate::record::{Record, RecordKind};
use crate::store::Store;
use crate::sync::git::{Authored, BlobReader, GitRepo, Oid};
use crate::sync::plan::{Plan, Planner, Repository};
use crate::sync::tidy::Tidied;
use crate::sync::tree;

/// Reads blobs for the plan (through one git process, or the tidy files
/// made in memory), and asks the store whether an id is taken.
pub(super) struct Sources<'a> {
    blobs: std::cell::RefCell<BlobReader>,
    pub(super) tidied: Tidied,
    store: &'a Store,
    cache: &'a GitRepo,
    /// The fetched commit and its record files as they are, for naming
    /// where a refused record came from.
    head: Option<Oid>,
    pub(super) raw: BTreeMap<String, Oid>,
    /// The base agreed on (None for a first sync or a rejoin), and what
    /// `hand_change` found for each file asked about.
    pub(super) base: Option<Oid>,
    hand_changes: std::cell::RefCell<BTreeMap<String, Option<Authored>>>,
}

impl<'a> Sources<'a> {
    pub(super) fn new(
        store: &'a Store,
        cache: &'a GitRepo,
        head: Option<Oid>,
    ) -> Result<Sources<'a>> {
        Ok(Sources {
            blobs: std::cell::RefCell::new(cache.blob_reader()?),
            tidied: Tidied::default(),
            store,
            cache,
            head,
            raw: BTreeMap::new(),
            base: None,
            hand_changes: Default::default(),
        })
    }

    /// The line of the fetched files that holds `record`: its path and
    /// number (from 1). Read only when a record is refused.
    fn line_of(&self, path: &str, record: &Record) -> Option<(String, usize)> {
        let field = match record.kind() {
            RecordKind::Development => "id",
            RecordKind::Watch => "slug",
            RecordKind::Kind => "name",
            // This store's alone: never in a shared tracker.
            RecordKind::Feed | RecordKind::Inbox => return None,
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
    pub(super) fn blamed(&self, error: Error) -> Error {
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
pub(super) fn plan(
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
