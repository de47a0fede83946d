//! The JSON Lines form of a record: one compact object a line, `type` first.
//!
//! ```text
//! {"type":"kind","name":"court-ruling"}
//! {"type":"watch","slug":"intl-ai-org","title":"…","description":null,"opened":"2025-07-26","tags":["china"]}
//! {"type":"development","id":"jtce187y","date":"2025-07-26","precision":"day",…,"retracted":null}
//! ```
//!
//! Writing goes from model values to these bytes; reading goes from the
//! bytes to the plain-text `draft::Raw*` values that import files also
//! yield, so both are checked by the same code.
//!
//! Fields added after the first release are always written, but the
//! journal's digest of a record (`digest_form`) leaves them out while they
//! hold their default, so that a journal written by an older lookout still
//! undoes after the store is upgraded: `recorded_by`, `updated_at` and
//! `updated_by` (schema 2) while all unset, `scheduled` (schema 3) while
//! false. A development's `start` and `end` follow from its date, so the
//! digest never covers them: they say nothing the date does not.

use serde::{Deserialize, Deserializer, Serialize};

use super::draft::{RawDevelopment, RawProvenance, RawRecord, RawRetraction, RawWatch};
use super::{Record, fields};
use crate::error::{Error, Result};
use crate::model::{Development, Provenance, Texts, WatchItem};

#[derive(Serialize)]
struct KindLine<'a> {
    #[serde(rename = "type")]
    record: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct WatchLine<'a> {
    #[serde(rename = "type")]
    record: &'static str,
    slug: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    opened: String,
    tags: &'a [String],
    #[serde(flatten)]
    later: Option<Later<'a>>,
}

/// Fields added after the first release (see the module's note).
#[derive(Serialize)]
struct Later<'a> {
    recorded_by: Option<&'a str>,
    updated_at: Option<String>,
    updated_by: Option<&'a str>,
}

impl<'a> Later<'a> {
    /// The fields, or None when they are left out of a digest because unset.
    fn of(provenance: &'a Provenance, digest: bool) -> Option<Later<'a>> {
        if digest && *provenance == Provenance::default() {
            return None;
        }
        Some(Later {
            recorded_by: provenance.recorded_by.as_deref(),
            updated_at: provenance.updated_at.map(|t| t.to_string()),
            updated_by: provenance.updated_by.as_deref(),
        })
    }
}

fn watch_line(item: &WatchItem, digest: bool) -> WatchLine<'_> {
    WatchLine {
        record: "watch",
        slug: item.slug.as_str(),
        title: &item.title,
        description: item.description.as_deref(),
        opened: item.opened.to_string(),
        tags: &item.tags,
        later: Later::of(&item.provenance, digest),
    }
}

pub(super) fn encode(record: &Record) -> String {
    match record {
        Record::Kind(name) => kind_line(name),
        Record::Watch(item) => watch_item_line(item),
        Record::Development(dev) => development_line(dev),
    }
}

/// What the journal's digest of a record covers: its line, less the later
/// fields while they are unset (see the module's note).
#[cfg(test)]
pub(super) fn digest_form(record: &Record) -> String {
    match record {
        Record::Kind(name) => kind_line(name),
        Record::Watch(item) => watch_item_forms(item).digest_form().to_string(),
        Record::Development(dev) => development_forms(dev).digest_form().to_string(),
    }
}

/// A record as the journal keeps it: its line, and what its digest covers
/// when that is not the whole line.
pub struct JournalForms {
    pub line: String,
    other_digest_form: Option<String>,
}

impl JournalForms {
    /// A record's line, and what its digest covers when not the whole line.
    pub(crate) fn new(line: String, digest_form: Option<String>) -> JournalForms {
        JournalForms {
            line,
            other_digest_form: digest_form,
        }
    }

    /// What the journal's digest of the record covers.
    pub fn digest_form(&self) -> &str {
        self.other_digest_form.as_deref().unwrap_or(&self.line)
    }
}

pub fn kind_forms(name: &str) -> JournalForms {
    JournalForms {
        line: kind_line(name),
        other_digest_form: None,
    }
}

pub fn watch_item_forms(item: &WatchItem) -> JournalForms {
    let unattributed = item.provenance == Provenance::default();
    JournalForms {
        line: watch_item_line(item),
        other_digest_form: unattributed
            .then(|| serde_json::to_string(&watch_line(item, true)).unwrap_or_default()),
    }
}

pub fn development_forms(dev: &Development) -> JournalForms {
    // Never the whole line: the digest leaves out the derived start and end.
    JournalForms {
        line: development_line(dev),
        other_digest_form: Some(
            serde_json::to_string(&fields::Json::digest(dev)).unwrap_or_default(),
        ),
    }
}

// These structs hold only strings, lists and options: serde_json cannot fail
// on them (and an empty line would be refused on reading).

/// A user-added kind's line.
fn kind_line(name: &str) -> String {
    serde_json::to_string(&KindLine {
        record: "kind",
        name,
    })
    .unwrap_or_default()
}

/// A watch item's line.
fn watch_item_line(item: &WatchItem) -> String {
    serde_json::to_string(&watch_line(item, false)).unwrap_or_default()
}

/// A development's line.
fn development_line(dev: &Development) -> String {
    serde_json::to_string(&fields::Json::line(dev)).unwrap_or_default()
}

// Read one a line and unpacked at once; see `RawRecord` for why unboxed.
#[allow(clippy::large_enum_variant)]
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum LineRecord {
    Kind(KindFields),
    Watch(WatchFields),
    Development(DevelopmentFields),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindFields {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchFields {
    slug: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    opened: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    recorded_by: Option<String>,
    /// Present (even null): the line states the record's provenance whole.
    #[serde(default, deserialize_with = "present")]
    updated_at: Option<Option<String>>,
    #[serde(default)]
    updated_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DevelopmentFields {
    #[serde(default)]
    id: Option<String>,
    date: String,
    #[serde(default)]
    precision: Option<String>,
    kind: String,
    #[serde(default)]
    watch: Vec<LinkFields>,
    #[serde(default)]
    actors: Vec<String>,
    headline: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    recorded_at: Option<String>,
    /// Absent: not stated; null: an open start.
    #[serde(default, deserialize_with = "present")]
    start: Option<Option<String>>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    scheduled: Option<bool>,
    #[serde(default)]
    recorded_by: Option<String>,
    /// Present (even null): the line states the record's provenance whole.
    #[serde(default, deserialize_with = "present")]
    updated_at: Option<Option<String>>,
    #[serde(default)]
    updated_by: Option<String>,
    /// Absent: say nothing of retraction; null: not retracted.
    #[serde(default, deserialize_with = "present")]
    retracted: Option<Option<RetractionFields>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkFields {
    slug: String,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetractionFields {
    at: String,
    reason: String,
}

/// Tells a present `null` (Some(None)) from an absent field (None).
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Reads a line into the plain text of the record it holds, unchecked.
pub(super) fn decode(text: &str) -> Result<RawRecord> {
    let line: LineRecord = match serde_json::from_str(text) {
        Ok(line) => line,
        Err(e) => without_reason(text).ok_or_else(|| Error::data(json_reason(&e)))?,
    };
    Ok(match line {
        LineRecord::Kind(k) => RawRecord::Kind(k.name),
        LineRecord::Watch(w) => RawRecord::Watch(RawWatch {
            slug: w.slug,
            title: w.title,
            description: w.description,
            opened: w.opened,
            tags: w.tags,
            provenance: RawProvenance {
                stated: w.updated_at.is_some(),
                recorded_by: w.recorded_by,
                updated_at: w.updated_at.flatten(),
                updated_by: w.updated_by,
            },
        }),
        LineRecord::Development(d) => RawRecord::Development(RawDevelopment {
            id: d.id,
            date: d.date,
            precision: d.precision,
            kind: d.kind,
            watch: d
                .watch
                .into_iter()
                .map(|l| match l.to {
                    Some(to) => format!("{}={to}", l.slug),
                    None => l.slug,
                })
                .collect(),
            actors: d.actors,
            headline: d.headline,
            texts: Texts { summary: d.summary },
            sources: d.sources,
            recorded_at: d.recorded_at,
            start: d.start.map(Option::unwrap_or_default),
            end: d.end,
            scheduled: d.scheduled.map(|s| s.to_string()),
            provenance: RawProvenance {
                stated: d.updated_at.is_some(),
                recorded_by: d.recorded_by,
                updated_at: d.updated_at.flatten(),
                updated_by: d.updated_by,
            },
            retracted: d.retracted.map(|r| {
                r.map(|r| RawRetraction {
                    at: r.at,
                    reason: r.reason,
                })
            }),
        }),
    })
}

/// A line of a rejects file, fixed: the `error` its reason was written to
/// is not data (`draft::REASON`). Read again without it; None when
/// that is not what was wrong.
fn without_reason(text: &str) -> Option<LineRecord> {
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    object.shift_remove(super::draft::REASON)?;
    serde_json::from_value(serde_json::Value::Object(object)).ok()
}

/// serde_json's message, without its "at line 1 column 40" (the caller
/// names the line), with backticks as quotes.
fn json_reason(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let reason = match text.rsplit_once(" at line ") {
        Some((reason, _)) => reason,
        None => &text,
    };
    reason.replace('`', "'")
}
