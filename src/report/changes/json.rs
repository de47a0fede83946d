//! `changes --format json`, field for field as DESIGN.md's "Changes JSON":
//! `{"since","until","items","late","upcoming","overdue"}`.

use std::io::Write;

use serde::Serialize;

use super::{ChangesReport, ItemChanges};
use crate::dates::day_text;
use crate::error::Result;
use crate::model::{Development, Status};
use crate::report::json::{LinkEntry, write_pretty};

#[derive(Serialize)]
struct ChangesJson<'a> {
    since: String,
    until: String,
    items: Vec<ItemJson<'a>>,
    late: Vec<&'a str>,
    upcoming: Vec<DueJson<'a>>,
    overdue: Vec<DueJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    slug: &'a str,
    title: &'a str,
    status_before: Status,
    status_after: Status,
    transitions: Vec<TransitionJson<'a>>,
    developments: Vec<&'a str>,
    became_stale: bool,
}

#[derive(Serialize)]
struct TransitionJson<'a> {
    date: &'a str,
    from: Status,
    to: Status,
    id: &'a str,
}

/// A scheduled development: what is due, on which items.
#[derive(Serialize)]
struct DueJson<'a> {
    id: &'a str,
    date: String,
    headline: &'a str,
    watch: Vec<LinkEntry<'a>>,
}

impl<'a> From<&'a ItemChanges> for ItemJson<'a> {
    fn from(item: &'a ItemChanges) -> ItemJson<'a> {
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
                })
                .collect(),
            developments: item.arrivals.iter().map(|(d, _)| d.id.as_str()).collect(),
            became_stale: item.became_stale,
        }
    }
}

impl<'a> From<&'a Development> for DueJson<'a> {
    fn from(dev: &'a Development) -> DueJson<'a> {
        DueJson {
            id: dev.id.as_str(),
            date: dev.date.to_string(),
            headline: &dev.headline,
            watch: dev
                .links
                .iter()
                .map(|l| LinkEntry {
                    slug: l.slug.as_str(),
                    to: l.to,
                })
                .collect(),
        }
    }
}

pub fn write(report: &ChangesReport, out: &mut dyn Write) -> Result<()> {
    let json = ChangesJson {
        since: day_text(report.since),
        until: day_text(report.until),
        items: report.items.iter().map(ItemJson::from).collect(),
        late: report.late.iter().map(|d| d.id.as_str()).collect(),
        upcoming: report.upcoming.iter().map(DueJson::from).collect(),
        overdue: report.overdue.iter().map(DueJson::from).collect(),
    };
    write_pretty(&json, out)
}
