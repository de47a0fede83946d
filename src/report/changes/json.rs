//! `changes --format json`, field for field as docs/DESIGN.md's "Changes JSON":
//! `{"since","until","items","late","upcoming","overdue","corrections"}`.

use std::cell::RefCell;
use std::io::Write;

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::{ArrivalFeed, ChangesReport, ItemChanges, Lists};
use crate::dates::day_text;
use crate::error::Result;
use crate::model::{Arrival, Development, Status};
use crate::record::fields::Json;
use crate::report::Feed;
use crate::report::json::{Element, Streamed};

/// The id lists are written as they are read.
type Ids<'s, 'f, T> = &'s Streamed<'f, 'f, T, AsId>;

#[derive(Serialize)]
struct ChangesJson<'a, 's, 'f> {
    since: String,
    until: String,
    items: Vec<ItemJson<'a, 's, 'f>>,
    late: Ids<'s, 'f, Development>,
    upcoming: Vec<Json<'a>>,
    overdue: Vec<Json<'a>>,
    corrections: Vec<CorrectionJson<'a>>,
}

#[derive(Serialize)]
struct CorrectionJson<'a> {
    id: &'a str,
    what: &'a str,
    before: &'a str,
    after: &'a str,
    at: &'a str,
    by: Option<&'a str>,
}

#[derive(Serialize)]
struct ItemJson<'a, 's, 'f> {
    slug: &'a str,
    title: &'a str,
    status_before: Status,
    status_after: Status,
    transitions: Vec<TransitionJson<'a>>,
    developments: Ids<'s, 'f, Arrival>,
    became_stale: bool,
}

/// A development, or an arrival, by its id.
struct AsId;

impl Element<Development> for AsId {
    fn write<S: SerializeSeq>(dev: &Development, seq: &mut S) -> std::result::Result<(), S::Error> {
        seq.serialize_element(dev.id.as_str())
    }
}

impl Element<Arrival> for AsId {
    fn write<S: SerializeSeq>(a: &Arrival, seq: &mut S) -> std::result::Result<(), S::Error> {
        seq.serialize_element(a.dev.id.as_str())
    }
}

#[derive(Serialize)]
struct TransitionJson<'a> {
    date: &'a str,
    from: Status,
    to: Status,
    id: &'a str,
    /// Its interval overlaps the previous or next transition's: the order
    /// is timeline order, not what the dates say.
    overlapping: bool,
}

/// A scheduled development: what is due, on which items.
fn due(dev: &Development) -> Json<'_> {
    Json::named(dev, &["id", "date", "headline", "watch"])
}

impl<'a, 's, 'f> ItemJson<'a, 's, 'f> {
    fn of(item: &'a ItemChanges, developments: Ids<'s, 'f, Arrival>) -> ItemJson<'a, 's, 'f> {
        ItemJson {
            slug: &item.after.slug,
            title: &item.after.title,
            status_before: item.before.status,
            status_after: item.after.status,
            transitions: item
                .transitions
                .iter()
                .map(|t| TransitionJson {
                    date: &t.date,
                    from: t.from,
                    to: t.to,
                    id: t.id.as_str(),
                    overlapping: t.overlapping(),
                })
                .collect(),
            developments,
            became_stale: item.became_stale,
        }
    }
}

pub fn write(report: &ChangesReport, lists: &mut Lists<'_>, out: &mut dyn Write) -> Result<()> {
    // Each item's list of ids reads the one arrivals feed, item after item.
    let arrivals: RefCell<&mut ArrivalFeed<'_>> = RefCell::new(lists.arrivals.as_mut());
    let mut feeds: Vec<Box<Feed<'_, Arrival>>> = report
        .items
        .iter()
        .map(|item| {
            let arrivals = &arrivals;
            let slug = item.slug();
            Box::new(move |sink: &mut dyn FnMut(&Arrival) -> Result<()>| {
                (arrivals.borrow_mut())(slug, sink)
            }) as Box<Feed<'_, Arrival>>
        })
        .collect();
    let developments: Vec<Streamed<'_, '_, Arrival, AsId>> = feeds
        .iter_mut()
        .map(|f| Streamed::new(f.as_mut()))
        .collect();
    let late = Streamed::new(lists.late.as_mut());
    let json = ChangesJson {
        since: day_text(report.since),
        until: day_text(report.until),
        items: report
            .items
            .iter()
            .zip(&developments)
            .map(|(item, ids)| ItemJson::of(item, ids))
            .collect(),
        late: &late,
        upcoming: report.upcoming.iter().map(due).collect(),
        overdue: report.overdue.iter().map(due).collect(),
        corrections: report
            .corrections
            .iter()
            .map(|c| CorrectionJson {
                id: &c.id,
                what: c.what,
                before: &c.before,
                after: &c.after,
                at: &c.at,
                by: c.by.as_deref(),
            })
            .collect(),
    };
    let written = serde_json::to_writer_pretty(&mut *out, &json);
    // A list's own error (the store's) before the JSON writer's.
    for list in &developments {
        list.stopped()?;
    }
    late.finish(written)?;
    out.write_all(b"\n")?;
    Ok(())
}
