//! JSON renderers: the status object, the timeline array (streamed), and the
//! detail of one development or watch item. Pretty-printed, one trailing newline.

use std::io::Write;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer as _};

use super::status::StatusReport;
use crate::dates::day_text;
use crate::error::Result;
use crate::model::{Development, Status, WatchItem};

/// A development as the timeline JSON writes it (DESIGN.md, "Timeline JSON").
#[derive(Debug, Serialize)]
pub struct TimelineEntry<'a> {
    pub id: &'a str,
    pub date: String,
    pub precision: &'static str,
    pub kind: &'a str,
    pub watch: Vec<LinkEntry<'a>>,
    pub actors: &'a [String],
    pub headline: &'a str,
    pub summary: Option<&'a str>,
    pub sources: &'a [String],
    pub recorded_at: String,
    /// The first day of the date's interval; null for an open start.
    pub start: Option<String>,
    pub end: String,
    pub scheduled: bool,
    pub recorded_by: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct LinkEntry<'a> {
    pub slug: &'a str,
    pub to: Option<Status>,
}

impl<'a> From<&'a Development> for TimelineEntry<'a> {
    fn from(dev: &'a Development) -> TimelineEntry<'a> {
        TimelineEntry {
            id: dev.id.as_str(),
            date: dev.date.to_string(),
            precision: dev.date.precision().as_str(),
            kind: &dev.kind,
            watch: dev
                .links
                .iter()
                .map(|l| LinkEntry {
                    slug: l.slug.as_str(),
                    to: l.to,
                })
                .collect(),
            actors: &dev.actors,
            headline: &dev.headline,
            summary: dev.summary.as_deref(),
            sources: &dev.sources,
            recorded_at: dev.recorded_at.to_string(),
            start: dev.date.start().map(day_text),
            end: day_text(dev.date.end()),
            scheduled: dev.scheduled,
            recorded_by: dev.provenance.recorded_by.as_deref(),
        }
    }
}

/// A search hit: the timeline entry and the matching words in context
/// (matches between `[` and `]`).
#[derive(Debug, Serialize)]
pub struct SearchEntry<'a> {
    #[serde(flatten)]
    pub entry: TimelineEntry<'a>,
    pub snippet: &'a str,
}

impl<'a> From<&'a (Development, String)> for SearchEntry<'a> {
    fn from((dev, snippet): &'a (Development, String)) -> SearchEntry<'a> {
        SearchEntry {
            entry: TimelineEntry::from(dev),
            snippet,
        }
    }
}

/// `show --format json`: the timeline entry, plus its retraction if any.
#[derive(Debug, Serialize)]
struct DevelopmentDetail<'a> {
    #[serde(flatten)]
    entry: TimelineEntry<'a>,
    retracted: Option<RetractionEntry<'a>>,
}

#[derive(Debug, Serialize)]
struct RetractionEntry<'a> {
    at: String,
    reason: &'a str,
}

pub fn status(report: &StatusReport, out: &mut dyn Write) -> Result<()> {
    write_pretty(report, out)
}

/// Streams the timeline array: `feed` is handed a sink and calls it once per
/// development, in timeline order, so no list is held in memory.
pub fn timeline<F>(out: &mut dyn Write, feed: F) -> Result<()>
where
    F: FnOnce(&mut dyn FnMut(&Development) -> Result<()>) -> Result<()>,
{
    let mut serializer = serde_json::Serializer::pretty(&mut *out);
    let mut seq = serializer.serialize_seq(None)?;
    feed(&mut |dev| {
        seq.serialize_element(&TimelineEntry::from(dev))?;
        Ok(())
    })?;
    seq.end()?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn development(dev: &Development, out: &mut dyn Write) -> Result<()> {
    let detail = DevelopmentDetail {
        entry: TimelineEntry::from(dev),
        retracted: dev.retracted.as_ref().map(|r| RetractionEntry {
            at: r.at.to_string(),
            reason: &r.reason,
        }),
    };
    write_pretty(&detail, out)
}

/// A watch item as `watch show` and `watch list` write it.
#[derive(Debug, Serialize)]
pub struct WatchEntry<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub opened: String,
    pub tags: &'a [String],
}

impl<'a> From<&'a WatchItem> for WatchEntry<'a> {
    fn from(item: &'a WatchItem) -> WatchEntry<'a> {
        WatchEntry {
            slug: item.slug.as_str(),
            title: &item.title,
            description: item.description.as_deref(),
            opened: item.opened.to_string(),
            tags: &item.tags,
        }
    }
}

/// `watch show --format json`: the item, its status as of today, how it got
/// there, and its developments.
#[derive(Debug, Serialize)]
pub struct WatchDetail<'a> {
    #[serde(flatten)]
    pub item: WatchEntry<'a>,
    pub status: &'a super::status::StatusRow,
    pub history: &'a [super::status::Transition],
    pub developments: Vec<TimelineEntry<'a>>,
}

pub fn write_pretty<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
