//! The shared tracker read as a set of records, whatever its files look like.
//!
//! Anyone who can push can rewrite the repository's files: reorder a file's
//! lines, resolve a merge in an editor, paste a record into the wrong file,
//! leave the same id in two files. The plan merges file by file and walks
//! each file's records in key order, so it needs every record in the one
//! file its key names, sorted, once. This pass gives it that view of the
//! remote's tree (docs/DESIGN.md, "The shared tracker is input from strangers"):
//!
//! - a file whose records are out of order, or repeat a key, is sorted and
//!   each key kept once;
//! - a record in a file its key does not name is moved to its own file;
//! - one key with two different contents keeps the copy changed later (as a
//!   conflict does) and names the other;
//!
//! and lists what the next commit must write so that the repository holds
//! the tidy form (`repairs`), so no sync says "already in step" while the
//! files and the store disagree.
//!
//! Only files the remote changed since the base are looked at (all of them
//! for a first sync): an unchanged file is one both sides already agreed
//! on. Each is first scanned for its keys alone, which costs a fraction of
//! reading its records; only an irregular file, and the files its stray
//! records belong in, are read whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use super::git::Oid;
use super::merge::Stamp;
use super::tree;
use crate::error::{Error, Result};
use crate::record::{Record, RecordKind};

/// What tidying found and did to one record, for the analyst to hear.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A record in a file its key does not name, moved to its own.
    Misplaced {
        record: RecordKind,
        key: String,
        found_in: String,
        belongs_in: String,
    },
    /// One key with two different contents: `kept` changed later.
    TwoCopies {
        record: RecordKind,
        key: String,
        kept: Stamp,
        lost: Stamp,
    },
    /// A file whose lines were out of order or repeated a record.
    Unsorted { path: String },
}

/// The remote's tree as the plan must see it.
#[derive(Debug, Default)]
pub struct Tidied {
    /// Every record file by path, each as its tidy content's blob id.
    pub files: BTreeMap<String, Oid>,
    /// The content of tidy files the cache does not hold, by blob id.
    pub texts: HashMap<String, Vec<u8>>,
    /// What the next commit must write on top of the remote's tree for the
    /// repository to hold the tidy form: a file's text, or None to delete it.
    pub repairs: BTreeMap<String, Option<Vec<u8>>>,
    pub found: Vec<Found>,
}

impl Tidied {
    /// The tidy content of a blob this pass made, if it made it.
    pub fn text(&self, blob: &Oid) -> Option<&[u8]> {
        self.texts.get(blob.as_str()).map(Vec::as_slice)
    }
}

/// The fields that name a record, and nothing else of its line.
#[derive(Deserialize)]
struct KeyOnly<'a> {
    #[serde(rename = "type", borrow)]
    record: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    slug: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<std::borrow::Cow<'a, str>>,
}

/// Whether a file's lines are each a record of this file, in strictly
/// increasing key order. A line that does not even name a record is left to
/// the full reading, which says what is wrong with it and where.
fn is_tidy(path: &str, bytes: &[u8]) -> bool {
    let mut last: Option<String> = None;
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (kind, key) = match key_as_written(line) {
            Some(found) => found,
            None => {
                let Ok(found) = serde_json::from_slice::<KeyOnly<'_>>(line) else {
                    return true;
                };
                match (&*found.record, found.id, found.slug, found.name) {
                    ("development", Some(key), _, _) => (RecordKind::Development, key),
                    ("watch", _, Some(key), _) => (RecordKind::Watch, key),
                    ("kind", _, _, Some(key)) => (RecordKind::Kind, key),
                    _ => return true,
                }
            }
        };
        if tree::path_of(kind, &key) != path {
            return false;
        }
        if last.as_deref().is_some_and(|last| last >= &*key) {
            return false;
        }
        last = Some(key.into_owned());
    }
    true
}

/// A line's kind and key read straight off the front of the line, as
/// lookout writes it (`{"type":"development","id":"7k2m9q4x",…`): a first
/// sync scans every line of the tracker, and JSON parsing would cost as
/// much as reading the records. None for any other line (written by hand,
/// a key with an escape), which is parsed. A line that begins like this and
/// is not a record is refused when it is read whole.
fn key_as_written(line: &[u8]) -> Option<(RecordKind, std::borrow::Cow<'_, str>)> {
    const FRONTS: [(&[u8], RecordKind); 3] = [
        (
            b"{\"type\":\"development\",\"id\":\"",
            RecordKind::Development,
        ),
        (b"{\"type\":\"watch\",\"slug\":\"", RecordKind::Watch),
        (b"{\"type\":\"kind\",\"name\":\"", RecordKind::Kind),
    ];
    let (rest, kind) = FRONTS
        .iter()
        .find_map(|(front, kind)| line.strip_prefix(*front).map(|rest| (rest, *kind)))?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    if rest[end] != b'"' {
        return None;
    }
    let key = std::str::from_utf8(&rest[..end]).ok()?;
    Some((kind, std::borrow::Cow::Borrowed(key)))
}

/// Tidies the files of `remote` that differ from `base` (every file when
/// `base` is None), reading blobs through `read`.
pub fn tidy(
    remote: &BTreeMap<String, Oid>,
    base: Option<&BTreeMap<String, Oid>>,
    read: &dyn Fn(&Oid) -> Result<Vec<u8>>,
) -> Result<Tidied> {
    let mut tidied = Tidied {
        files: remote.clone(),
        ..Tidied::default()
    };
    let mut irregular = BTreeSet::new();
    for (path, blob) in remote {
        if base.is_some_and(|base| base.get(path) == Some(blob)) {
            continue;
        }
        if !is_tidy(path, &read(blob)?) {
            irregular.insert(path.clone());
        }
    }
    if irregular.is_empty() {
        return Ok(tidied);
    }
    let mut homes = homes_of(&irregular, remote, read, &mut tidied.found)?;
    // The files stray records belong in, read whole unless already read.
    for (path, records) in &mut homes {
        if irregular.contains(path) {
            continue;
        }
        if let Some(blob) = remote.get(path) {
            records.extend(tree::parse_file(path, &read(blob)?)?);
        }
    }
    for (path, records) in homes {
        let records = once_each(records, &mut tidied.found);
        tidied.put(path, &records, remote)?;
    }
    Ok(tidied)
}

/// Every record of the `irregular` files, by the file it belongs in (each
/// of those files one of them, if empty), with what was found out of place.
fn homes_of(
    irregular: &BTreeSet<String>,
    remote: &BTreeMap<String, Oid>,
    read: &dyn Fn(&Oid) -> Result<Vec<u8>>,
    found: &mut Vec<Found>,
) -> Result<BTreeMap<String, Vec<Record>>> {
    let mut homes: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for path in irregular {
        let records = tree::parse_file(path, &read(&remote[path])?)?;
        let mut sorted = true;
        let mut last: Option<String> = None;
        for record in records {
            let home = tree::path_of(record.kind(), record.key());
            if home == *path {
                sorted &= last.as_deref().is_none_or(|last| last < record.key());
                last = Some(record.key().to_string());
            } else {
                found.push(Found::Misplaced {
                    record: record.kind(),
                    key: record.key().to_string(),
                    found_in: path.clone(),
                    belongs_in: home.clone(),
                });
            }
            homes.entry(home).or_default().push(record);
        }
        if !sorted {
            found.push(Found::Unsorted { path: path.clone() });
        }
        homes.entry(path.clone()).or_default();
    }
    Ok(homes)
}

impl Tidied {
    /// Makes `records` the tidy content of `path`, and a repair when that
    /// is not what the remote holds there.
    fn put(
        &mut self,
        path: String,
        records: &[Record],
        remote: &BTreeMap<String, Oid>,
    ) -> Result<()> {
        let text = tree::file_text(records);
        let blob = text.as_deref().map(tree::blob_id);
        if blob.as_deref() == remote.get(&path).map(Oid::as_str) {
            return Ok(());
        }
        match (text, blob) {
            (Some(text), Some(blob)) => {
                let oid: Oid = blob.parse()?;
                self.files.insert(path.clone(), oid.clone());
                self.texts.insert(oid.to_string(), text.clone());
                self.repairs.insert(path, Some(text));
            }
            _ => {
                self.files.remove(&path);
                self.repairs.insert(path, None);
            }
        }
        Ok(())
    }
}

/// A file's records sorted by key, each key once: identical copies are one,
/// different ones keep the copy changed later (the conflict rule: by time,
/// then author, then content, so every analyst keeps the same one).
fn once_each(mut records: Vec<Record>, found: &mut Vec<Found>) -> Vec<Record> {
    // Stable, so that identical copies stay next to each other.
    records.sort_by(|a, b| a.key().cmp(b.key()));
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    for record in records {
        match out.last_mut() {
            Some(last) if last.key() == record.key() => {
                if *last == record {
                    continue;
                }
                let (a, b) = (Stamp::of(last), Stamp::of(&record));
                let newer = (&b.at, &b.by, record.to_line()) > (&a.at, &a.by, last.to_line());
                let (kept, lost) = if newer { (b, a) } else { (a, b) };
                found.push(Found::TwoCopies {
                    record: record.kind(),
                    key: record.key().to_string(),
                    kept,
                    lost,
                });
                if newer {
                    *last = record;
                }
            }
            _ => out.push(record),
        }
    }
    out
}

/// Refuses a tracker written by a newer lookout: its marker's `version`.
pub fn check_marker(bytes: &[u8], remote: &str) -> Result<()> {
    #[derive(Deserialize)]
    struct Marker {
        version: Option<u64>,
    }
    let version = serde_json::from_slice::<Marker>(bytes)
        .ok()
        .and_then(|m| m.version);
    match version {
        Some(1) => Ok(()),
        Some(v) if v > 1 => Err(Error::io(format!(
            "{remote} holds a tracker of format version {v}; this lookout reads version 1"
        ))
        .with_hint("upgrade lookout, then sync again; nothing was changed here")),
        _ => Err(Error::io(format!(
            "{remote}: {} is not a lookout tracker's marker (no format version this lookout knows)",
            tree::MARKER_PATH
        ))
        .with_hint(format!(
            "restore {} as lookout wrote it: {}",
            tree::MARKER_PATH,
            tree::MARKER.trim_end()
        ))),
    }
}

#[cfg(test)]
mod tests;
