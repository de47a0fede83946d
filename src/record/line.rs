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

use serde::{Deserialize, Deserializer, Serialize};

use super::Record;
use super::draft::{RawDevelopment, RawRecord, RawRetraction, RawWatch};
use crate::error::{Error, Result};
use crate::model::{Development, Status, WatchItem};

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
}

#[derive(Serialize)]
struct DevelopmentLine<'a> {
    #[serde(rename = "type")]
    record: &'static str,
    id: &'a str,
    date: String,
    precision: &'static str,
    kind: &'a str,
    watch: Vec<LinkLine<'a>>,
    actors: &'a [String],
    headline: &'a str,
    summary: Option<&'a str>,
    sources: &'a [String],
    recorded_at: String,
    retracted: Option<RetractionLine<'a>>,
}

#[derive(Serialize)]
struct LinkLine<'a> {
    slug: &'a str,
    to: Option<Status>,
}

#[derive(Serialize)]
struct RetractionLine<'a> {
    at: String,
    reason: &'a str,
}

fn watch_line(item: &WatchItem) -> WatchLine<'_> {
    WatchLine {
        record: "watch",
        slug: item.slug.as_str(),
        title: &item.title,
        description: item.description.as_deref(),
        opened: item.opened.to_string(),
        tags: &item.tags,
    }
}

fn development_fields(dev: &Development) -> DevelopmentLine<'_> {
    DevelopmentLine {
        record: "development",
        id: dev.id.as_str(),
        date: dev.date.to_string(),
        precision: dev.date.precision().as_str(),
        kind: &dev.kind,
        watch: dev
            .links
            .iter()
            .map(|l| LinkLine {
                slug: l.slug.as_str(),
                to: l.to,
            })
            .collect(),
        actors: &dev.actors,
        headline: &dev.headline,
        summary: dev.summary.as_deref(),
        sources: &dev.sources,
        recorded_at: dev.recorded_at.to_string(),
        retracted: dev.retracted.as_ref().map(|r| RetractionLine {
            at: r.at.to_string(),
            reason: &r.reason,
        }),
    }
}

pub(super) fn encode(record: &Record) -> String {
    match record {
        Record::Kind(name) => kind_line(name),
        Record::Watch(item) => watch_item_line(item),
        Record::Development(dev) => development_line(dev),
    }
}

// These structs hold only strings, lists and options: serde_json cannot fail
// on them (and an empty line would be refused on reading).

/// A user-added kind's line.
pub fn kind_line(name: &str) -> String {
    serde_json::to_string(&KindLine {
        record: "kind",
        name,
    })
    .unwrap_or_default()
}

/// A watch item's line.
pub fn watch_item_line(item: &WatchItem) -> String {
    serde_json::to_string(&watch_line(item)).unwrap_or_default()
}

/// A development's line.
pub fn development_line(dev: &Development) -> String {
    serde_json::to_string(&development_fields(dev)).unwrap_or_default()
}

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
            summary: d.summary,
            sources: d.sources,
            recorded_at: d.recorded_at,
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
pub fn json_reason(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let reason = match text.rsplit_once(" at line ") {
        Some((reason, _)) => reason,
        None => &text,
    };
    reason.replace('`', "'")
}
