//! The three-way merge of one record: what the store holds (local), what the
//! shared tracker holds (remote), and what both last agreed on (base).
//!
//! Field by field, on the records' line form (`record::diff::fields`):
//! - a field changed on one side only takes that side's value;
//! - lists (actors, sources, tags) merge as sets: each side's additions and
//!   removals are applied; links (`watch`) merge as a set of slugs, the
//!   status of a link as a field of its own;
//! - a field both sides changed to different values is a conflict: the side
//!   whose record changed later (`updated_at`) wins, ties broken by author,
//!   and the losing value is named in a `Conflict`;
//! - a record both sides added under one key (two analysts adding one watch
//!   item) takes the copy already in the shared tracker: it is what the
//!   team has; this store's values that differ are named as conflicts it
//!   lost, and who recorded it is the shared copy's, without a word;
//! - a record removed on one side and left alone on the other is removed; one
//!   removed on one side and edited on the other is kept as edited, and said.
//!
//! Fields derived from others (`precision` from the date) are left to the
//! record layer, which works them out again when the merged line is read
//! back; reading it back also checks the result as any record is checked.
//!
//! Pure: no store, no git, no clock.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::dates::Timestamp;
use crate::error::{Error, Result};
use crate::record::diff::fields;
use crate::record::{Record, RecordKind};

/// Which copy a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Local,
    Remote,
}

/// Who changed a side's copy of a record, and when: what settles a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub at: Option<Timestamp>,
    pub by: Option<String>,
}

impl Stamp {
    pub fn of(record: &Record) -> Stamp {
        match record {
            Record::Kind(_) => Stamp { at: None, by: None },
            Record::Watch(item) => Stamp {
                at: item.provenance.updated_at,
                by: item.provenance.updated_by.clone(),
            },
            Record::Development(dev) => Stamp {
                at: Some(dev.changed_at()),
                by: dev.changed_by().map(str::to_string),
            },
        }
    }
}

/// Both sides changed one field to different values; `kept` won.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub record: RecordKind,
    pub key: String,
    /// The field, or `watch slug` for the status of one link.
    pub field: String,
    pub kept: Value,
    pub kept_side: Side,
    pub kept_stamp: Stamp,
    pub lost: Value,
    pub lost_stamp: Stamp,
}

#[cfg(test)]
impl Conflict {
    /// Ana's headline kept over Ben's, an hour apart: for tests of what is said of it.
    pub fn sample() -> Conflict {
        Conflict {
            record: RecordKind::Development,
            key: "4h257h30".into(),
            field: "headline".into(),
            kept: Value::String("Ana's".into()),
            kept_side: Side::Local,
            kept_stamp: Stamp {
                at: Timestamp::parse("2025-08-03T10:00:00Z").ok(),
                by: Some("Ana <ana@example.org>".into()),
            },
            lost: Value::String("Ben's".into()),
            lost_stamp: Stamp {
                at: Timestamp::parse("2025-08-03T09:00:00Z").ok(),
                by: Some("Ben <ben@example.org>".into()),
            },
        }
    }
}

/// What a merge did that the analyst should hear about.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    Conflict(Box<Conflict>),
    /// Removed on `removed_on`, edited on the other side: kept as edited.
    KeptEdited {
        record: RecordKind,
        key: String,
        removed_on: Side,
    },
}

/// The merge of one record: its merged version (None: it is gone) and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub record: Option<Record>,
    pub notes: Vec<Note>,
}

impl Merged {
    fn quiet(record: Option<&Record>) -> Merged {
        Merged {
            record: record.cloned(),
            notes: Vec::new(),
        }
    }
}

/// Merges one record's three versions (any may be absent).
pub fn merge(
    base: Option<&Record>,
    local: Option<&Record>,
    remote: Option<&Record>,
) -> Result<Merged> {
    match (base, local, remote) {
        (_, Some(l), Some(r)) if l == r => Ok(Merged::quiet(Some(l))),
        (_, l, r) if l == base => Ok(Merged::quiet(r)),
        (_, l, r) if r == base => Ok(Merged::quiet(l)),
        // Removed on one side, changed on the other: the change is kept.
        (Some(_), None, Some(r)) => Ok(kept_edited(r, Side::Local)),
        (Some(_), Some(l), None) => Ok(kept_edited(l, Side::Remote)),
        (base, Some(l), Some(r)) => merge_fields(base, l, r),
        // Added on one side (the guards above take these first).
        (None, None, Some(added)) | (None, Some(added), None) => Ok(Merged::quiet(Some(added))),
        // Both removed, or neither side has it.
        (_, None, None) => Ok(Merged::quiet(None)),
    }
}

/// Merges the two copies of a record with no base both agreed on (`sync
/// --rejoin`, after the shared history was rewritten): a copy on one side
/// only is kept; of two different copies, the one changed later wins each
/// field they hold differently, and each is named. Lists merge as unions:
/// with no base, a removal cannot be told from the other side's addition.
pub fn rejoin(local: Option<&Record>, remote: Option<&Record>) -> Result<Merged> {
    match (local, remote) {
        (Some(l), Some(r)) if l != r => merge_fields_as(None, l, r, true),
        (l, r) => Ok(Merged::quiet(l.or(r))),
    }
}

fn kept_edited(record: &Record, removed_on: Side) -> Merged {
    Merged {
        record: Some(record.clone()),
        notes: vec![Note::KeptEdited {
            record: record.kind(),
            key: record.key().to_string(),
            removed_on,
        }],
    }
}

/// Fields that follow from others, or that the merge sets itself.
const DERIVED: &[&str] = &["precision", "start", "end", "updated_at", "updated_by"];

/// Who first recorded a record: the same on both sides unless both added it.
const PROVENANCE: &[&str] = &["recorded_by"];

/// Fields merged as sets of items.
const SETS: &[&str] = &["actors", "sources", "tags"];

/// Both sides changed the record (or both added it): field by field.
fn merge_fields(base: Option<&Record>, local: &Record, remote: &Record) -> Result<Merged> {
    merge_fields_as(base, local, remote, false)
}

/// `merge_fields`; `later_wins` has the copy changed later win even with no
/// base (a rejoin), where a record both sides added keeps the shared copy.
fn merge_fields_as(
    base: Option<&Record>,
    local: &Record,
    remote: &Record,
    later_wins: bool,
) -> Result<Merged> {
    let (kind, key) = (local.kind(), local.key().to_string());
    let object = |record: &Record| {
        fields(&record.to_line())
            .ok_or_else(|| Error::data(format!("{kind} {key}: its line is not a JSON object")))
    };
    let b = base.map(object).transpose()?.unwrap_or_default();
    let (l, r) = (object(local)?, object(remote)?);
    let (local_stamp, remote_stamp) = (Stamp::of(local), Stamp::of(remote));
    let winner = match base {
        Some(_) => later(&local_stamp, &remote_stamp, &l, &r),
        None if later_wins => later(&local_stamp, &remote_stamp, &l, &r),
        // Added on both sides: the shared copy stands.
        None => Side::Remote,
    };
    let mut merger = FieldMerger {
        kind,
        key: key.clone(),
        winner,
        stamps: [local_stamp, remote_stamp],
        notes: Vec::new(),
    };
    let mut merged = merger.fields(&b, &l, &r);
    if kind != RecordKind::Kind {
        let stamp = merger.stamp(&merged, &r);
        merged.insert("updated_at".into(), json_time(stamp.at));
        merged.insert("updated_by".into(), json_text(stamp.by.as_deref()));
    }
    let mut line = Map::new();
    line.insert("type".into(), Value::String(kind.as_str().into()));
    line.extend(merged);
    let text = Value::Object(line).to_string();
    let record =
        Record::from_line(&text).map_err(|e| e.context(format!("merging {kind} {key}")))?;
    Ok(Merged {
        record: Some(record),
        notes: merger.notes,
    })
}

fn value<'a>(object: &'a Map<String, Value>, name: &str) -> &'a Value {
    object.get(name).unwrap_or(&Value::Null)
}

fn json_time(at: Option<Timestamp>) -> Value {
    at.map_or(Value::Null, |t| Value::String(t.to_string()))
}

fn json_text(text: Option<&str>) -> Value {
    text.map_or(Value::Null, |t| Value::String(t.to_string()))
}

/// Which side's copy changed later: by `updated_at`, then by author, then
/// by the copies themselves, so that every replica decides alike.
fn later(local: &Stamp, remote: &Stamp, l: &Map<String, Value>, r: &Map<String, Value>) -> Side {
    let order = local
        .at
        .cmp(&remote.at)
        .then_with(|| local.by.cmp(&remote.by))
        .then_with(|| {
            Value::Object(l.clone())
                .to_string()
                .cmp(&Value::Object(r.clone()).to_string())
        });
    match order {
        Ordering::Less => Side::Remote,
        _ => Side::Local,
    }
}

/// Merges the scalar and link fields of one record, noting conflicts.
struct FieldMerger {
    kind: RecordKind,
    key: String,
    winner: Side,
    /// Local's stamp, then remote's.
    stamps: [Stamp; 2],
    notes: Vec<Note>,
}

impl FieldMerger {
    /// Every field either copy holds but the derived ones, merged by its rule.
    fn fields(
        &mut self,
        b: &Map<String, Value>,
        l: &Map<String, Value>,
        r: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut merged = Map::new();
        let mut names: Vec<&String> = l.keys().collect();
        names.extend(r.keys().filter(|k| !l.contains_key(*k)));
        for name in names {
            if DERIVED.contains(&name.as_str()) {
                continue;
            }
            let (bv, lv, rv) = (value(b, name), value(l, name), value(r, name));
            let value = if SETS.contains(&name.as_str()) {
                merge_set(bv, lv, rv)
            } else if PROVENANCE.contains(&name.as_str()) {
                // Who recorded it is not a value anyone edits: the winner's.
                match self.winner {
                    Side::Local => lv.clone(),
                    Side::Remote => rv.clone(),
                }
            } else if name == "watch" {
                self.links(bv, lv, rv)
            } else {
                self.scalar(name, bv, lv, rv)
            };
            merged.insert(name.clone(), value);
        }
        merged
    }

    /// When the merged record changed and by whom, given its fields
    /// (`merged`) and the shared copy's (`r`).
    fn stamp(&self, merged: &Map<String, Value>, r: &Map<String, Value>) -> Stamp {
        let [local, remote] = &self.stamps;
        // The merged record changed when the later of the two did, by whoever
        // did it. But a copy that keeps this store's own changes beside a later
        // shared one holds this store's analyst's values too: it takes the
        // shared copy's time and this store's author. Stamped with the other
        // analyst's name, a value this analyst set would pass for theirs, and a
        // later conflict over it would read as that analyst overriding their
        // own edit, which is no conflict (`FieldMerger::conflict`): the edit
        // would be lost unsaid.
        let took_local = merged
            .iter()
            .any(|(name, v)| !DERIVED.contains(&name.as_str()) && value(r, name) != v);
        match self.winner {
            Side::Local => local.clone(),
            Side::Remote if took_local && local.by.is_some() => Stamp {
                at: remote.at,
                by: local.by.clone(),
            },
            Side::Remote => remote.clone(),
        }
    }

    fn scalar(&mut self, name: &str, b: &Value, l: &Value, r: &Value) -> Value {
        if l == r || r == b {
            return l.clone();
        }
        if l == b {
            return r.clone();
        }
        self.conflict(name.to_string(), l, r)
    }

    fn conflict(&mut self, field: String, l: &Value, r: &Value) -> Value {
        let [local, remote] = &self.stamps;
        let (kept, lost, kept_stamp, lost_stamp) = match self.winner {
            Side::Local => (l, r, local, remote),
            Side::Remote => (r, l, remote, local),
        };
        // One analyst's later change over their own earlier one (an edit
        // after a sync that pushed and was killed before it finished, or
        // the same analyst on two machines) is no conflict between people.
        if kept_stamp.by.is_some() && kept_stamp.by == lost_stamp.by {
            return kept.clone();
        }
        self.notes.push(Note::Conflict(Box::new(Conflict {
            record: self.kind,
            key: self.key.clone(),
            field,
            kept: kept.clone(),
            kept_side: self.winner,
            kept_stamp: kept_stamp.clone(),
            lost: lost.clone(),
            lost_stamp: lost_stamp.clone(),
        })));
        kept.clone()
    }

    /// Links as a set of slugs, each link's status a field of its own.
    fn links(&mut self, b: &Value, l: &Value, r: &Value) -> Value {
        let (b, l, r) = (links_of(b), links_of(l), links_of(r));
        let slugs = merge_keys(
            &b.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
            &l.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
            &r.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
        );
        let status = |links: &[(String, Value)], slug: &str| -> Value {
            links
                .iter()
                .find(|(s, _)| s == slug)
                .map_or(Value::Null, |(_, to)| to.clone())
        };
        let mut out = Vec::new();
        for slug in slugs {
            let (bs, ls, rs) = (status(&b, &slug), status(&l, &slug), status(&r, &slug));
            let in_l = l.iter().any(|(s, _)| *s == slug);
            let in_r = r.iter().any(|(s, _)| *s == slug);
            // A link only one side has keeps that side's status.
            let to = match (in_l, in_r) {
                (true, false) => ls,
                (false, true) => rs,
                _ => {
                    if ls == rs || rs == bs {
                        ls
                    } else if ls == bs {
                        rs
                    } else {
                        self.conflict(format!("watch {slug}"), &ls, &rs)
                    }
                }
            };
            let mut link = Map::new();
            link.insert("slug".into(), Value::String(slug));
            link.insert("to".into(), to);
            out.push(Value::Object(link));
        }
        Value::Array(out)
    }
}

/// A `watch` value as (slug, status) pairs.
fn links_of(value: &Value) -> Vec<(String, Value)> {
    value
        .as_array()
        .map(|links| {
            links
                .iter()
                .filter_map(|link| {
                    let slug = link.get("slug")?.as_str()?.to_string();
                    Some((slug, link.get("to").cloned().unwrap_or(Value::Null)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A list field merged as a set.
fn merge_set(b: &Value, l: &Value, r: &Value) -> Value {
    let items = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let merged = merge_keys(&items(b), &items(l), &items(r));
    Value::Array(merged.into_iter().map(Value::String).collect())
}

/// Set merge keeping the shared tracker's order: remote's items less those
/// local removed, then local's additions in local's order. The order the
/// team already has never changes; what this store adds comes after it.
fn merge_keys(base: &[String], local: &[String], remote: &[String]) -> Vec<String> {
    let removed_by_local = |item: &String| base.contains(item) && !local.contains(item);
    let mut out: Vec<String> = remote
        .iter()
        .filter(|item| !removed_by_local(item))
        .cloned()
        .collect();
    for item in local {
        let removed_by_remote = base.contains(item) && !remote.contains(item);
        if !base.contains(item) && !out.contains(item) && !removed_by_remote {
            out.push(item.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests;
