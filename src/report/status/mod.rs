//! The status report: each watch item's status as of a date, derived from the
//! dated developments linked to it. Pure: the store supplies `ItemFacts`.
//!
//! docs/DESIGN.md, "Derivation", is the contract these functions keep. A
//! development counts as of the report date when it is not retracted, not
//! scheduled, and had certainly happened by then (its settled day; see
//! `dates::DevDate::settled`); the store hands over what counts.
//! - status is the `to` of the last counted development, in timeline order,
//!   whose link carries one (`open` where none does);
//! - since is the date (as entered) of the first development of the current
//!   unbroken run of that status, null while the status is `open` by default;
//! - provisional is the status the developments that may have happened by
//!   then would give, when it is another, with the development that sets it;
//! - quiet days run from the latest settled day among the counted
//!   developments (or the end of the opened date) to the report date, never
//!   negative;
//! - stale is a status other than realised and dropped with quiet days above
//!   the threshold;
//! - next scheduled is the earliest scheduled development whose date ends
//!   after the report date; overdue are those whose date has ended.
//!
//! `render` writes the report in the format asked for.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;

use super::{Feed, Listing, html, json, md, text};

use crate::dates::{DevDate, PartialDate, day_text, days_between};
use crate::error::Result;
use crate::model::{
    DevId, Development, ItemFacts, PossibleChange, ScheduledDevelopment, Status, StatusChange,
    StatusSetting,
};
use crate::style::TextStyle;

/// Quiet days after which an item is stale, unless `--stale-after` says otherwise.
pub const DEFAULT_STALE_AFTER: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// The report date: the last day of the `--as-of` interval.
    pub as_of: String,
    #[serde(skip)]
    pub stale_after: u32,
    pub items: Vec<StatusRow>,
}

/// One watch item's line. Field order is the JSON order (docs/DESIGN.md, "Status JSON").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusRow {
    pub slug: String,
    pub title: String,
    /// The item's question: shown by md and html, not part of the JSON.
    #[serde(skip)]
    pub description: Option<String>,
    pub status: Status,
    pub since: Option<String>,
    pub developments: u64,
    pub last_date: Option<String>,
    pub last_headline: Option<String>,
    pub quiet_days: i64,
    /// The day quiet days count from: the latest settled day among the
    /// counted developments; None when they count from the opened date.
    /// Shown beside `last_date` where that does not say it, not in the JSON.
    #[serde(skip)]
    pub quiet_from: Option<NaiveDate>,
    pub stale: bool,
    pub provisional: Option<Provisional>,
    pub next_scheduled: Option<Due>,
    /// Overdue developments, in timeline order; the JSON and CSV give their ids.
    #[serde(serialize_with = "ids")]
    pub overdue: Vec<Due>,
}

impl StatusRow {
    /// The day quiet days count from, where the last date does not say it
    /// (a month, an open start, or a day dated earlier than a looser date
    /// that settled later): `31st` in the last date's month, else the day.
    pub fn quiet_from_mark(&self) -> Option<String> {
        let from = self.quiet_from?;
        let last = self.last_date.as_deref()?;
        let day = day_text(from);
        if last == day {
            return None;
        }
        Some(if last.contains(&day[..7]) {
            ordinal(from.day())
        } else {
            day
        })
    }

    /// The last date as the reports show it: as entered, and the day quiet
    /// days count from where that is another (`2025-07 (31st)`).
    pub fn last_shown(&self) -> Option<String> {
        let last = self.last_date.as_deref()?;
        Some(match self.quiet_from_mark() {
            Some(mark) => format!("{last} ({mark})"),
            None => last.to_string(),
        })
    }

    /// Whether the item has a scheduled development to show.
    pub fn has_due(&self) -> bool {
        self.next_scheduled.is_some() || !self.overdue.is_empty()
    }
}

/// The status a report would give if what may have happened by its date
/// had, and the development that would set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provisional {
    pub status: Status,
    pub id: DevId,
}

/// How many overdue developments a report names (by headline and id)
/// before it counts the rest.
pub const DUE_NAMED: usize = 2;

/// Serialises what is overdue as its ids (docs/DESIGN.md, "Status JSON").
fn ids<S: serde::Serializer>(due: &[Due], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(due.iter().map(|d| &d.id))
}

/// A scheduled development that is due: the next one, or one overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    pub id: DevId,
    /// As entered.
    pub date: String,
    pub headline: String,
}

/// The CSV column names, in order: the JSON fields with objects flattened.
pub const STATUS_COLUMNS: [&str; 15] = [
    "slug",
    "title",
    "status",
    "since",
    "developments",
    "last_date",
    "last_headline",
    "quiet_days",
    "stale",
    "provisional_status",
    "provisional_id",
    "next_scheduled_id",
    "next_scheduled_date",
    "next_scheduled_headline",
    "overdue",
];

/// Derives the report from what the store knows as of `as_of`.
pub fn build(facts: Vec<ItemFacts>, as_of: NaiveDate, stale_after: u32) -> StatusReport {
    let items = facts
        .into_iter()
        .map(|item| row(item, as_of, stale_after))
        .collect();
    StatusReport {
        as_of: day_text(as_of),
        stale_after,
        items,
    }
}

/// One item's line of the report as of `as_of`.
pub fn row(item: ItemFacts, as_of: NaiveDate, stale_after: u32) -> StatusRow {
    let (status, since) = match fold_status(&item.changes) {
        Some((status, since)) => (status, Some(since.to_string())),
        None => (Status::Open, None),
    };
    let quiet = quiet_days(item.latest_settled, &item.opened, as_of);
    let (last_date, last_headline) = match item.last {
        Some((date, headline)) => (Some(date.to_string()), Some(headline)),
        None => (None, None),
    };
    let (next_scheduled, overdue) = due(&item.scheduled, as_of);
    StatusRow {
        slug: item.slug.to_string(),
        title: item.title,
        description: item.description,
        status,
        since,
        developments: item.developments,
        last_date,
        last_headline,
        quiet_days: quiet,
        quiet_from: item.latest_settled,
        stale: is_stale(status, quiet, stale_after),
        provisional: provisional(status, item.latest_possible, as_of),
        next_scheduled,
        overdue,
    }
}

/// The provisional status: the one set by the last status-setting link
/// among the developments that have or may have happened by `as_of`, when
/// that development has not certainly happened and the status is another.
pub fn provisional(
    status: Status,
    latest_possible: Option<PossibleChange>,
    as_of: NaiveDate,
) -> Option<Provisional> {
    latest_possible
        .filter(|possible| possible.settled > as_of && possible.to != status)
        .map(|possible| Provisional {
            status: possible.to,
            id: possible.id,
        })
}

/// Of scheduled developments in timeline order: the first whose date ends
/// after `as_of`, and those whose date has ended (overdue).
pub fn due(scheduled: &[ScheduledDevelopment], as_of: NaiveDate) -> (Option<Due>, Vec<Due>) {
    let (ended, upcoming): (Vec<_>, Vec<_>) = scheduled.iter().partition(|s| s.date.end() <= as_of);
    let due = |s: &ScheduledDevelopment| Due {
        id: s.id.clone(),
        date: s.date.to_string(),
        headline: s.headline.clone(),
    };
    let next = upcoming.first().map(|s| due(s));
    (next, ended.into_iter().map(due).collect())
}

/// Folds status changes, given in timeline order, into the current status and
/// the date its unbroken run began. None when no link ever set a status.
pub fn fold_status(changes: &[StatusChange]) -> Option<(Status, DevDate)> {
    changes.iter().fold(None, |current, change| match current {
        Some((status, since)) if status == change.to => Some((status, since)),
        _ => Some((change.to, change.date)),
    })
}

/// A change of a watch item's status, and the development that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    #[serde(serialize_with = "as_text")]
    pub date: DevDate,
    pub id: DevId,
    pub headline: String,
    /// Its interval shares a day with the previous or the next change's:
    /// the order is timeline order, not what the dates say.
    pub overlapping: bool,
    /// The previous change's date, when its interval shares a day with this one's.
    #[serde(skip)]
    pub overlaps_previous: Option<DevDate>,
}

impl Transition {
    /// The words beside a change whose order against the previous one the
    /// dates do not settle: `order uncertain: 2025-06 overlaps 2025-06-12`.
    pub fn order_note(&self) -> Option<String> {
        self.overlaps_previous
            .map(|previous| format!("order uncertain: {previous} overlaps {}", self.date))
    }
}

fn as_text<S: serde::Serializer>(date: &DevDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

/// The transitions among status settings given in timeline order: a
/// setting that repeats the current status is no transition.
#[cfg(test)]
pub fn transitions(settings: Vec<StatusSetting>) -> Vec<Transition> {
    let mut current = Status::Open;
    settings
        .iter()
        .filter_map(|setting| transition(&mut current, setting))
        .collect()
}

/// The same, as a feed over a feed of settings (a dossier's history, which
/// may run to a hundred thousand), each pass from `open` again.
/// Each change is handed over once the next is known, so that both can be
/// marked when their intervals overlap.
pub fn transitions_of<'a>(settings: &'a mut Feed<'_, StatusSetting>) -> Box<Feed<'a, Transition>> {
    Box::new(move |sink| {
        let mut current = Status::Open;
        let mut held: Option<Transition> = None;
        settings(&mut |setting| {
            let Some(mut step) = transition(&mut current, setting) else {
                return Ok(());
            };
            if let Some(mut previous) = held.take() {
                if previous.date.overlaps(&step.date) {
                    previous.overlapping = true;
                    step.overlapping = true;
                    step.overlaps_previous = Some(previous.date);
                }
                sink(&previous)?;
            }
            held = Some(step);
            Ok(())
        })?;
        match held {
            Some(last) => sink(&last),
            None => Ok(()),
        }
    })
}

/// The transition a setting makes from the current status, if any.
fn transition(current: &mut Status, setting: &StatusSetting) -> Option<Transition> {
    if setting.to == *current {
        return None;
    }
    let step = Transition {
        from: *current,
        to: setting.to,
        date: setting.date,
        id: setting.id.clone(),
        headline: setting.headline.clone(),
        overlapping: false,
        overlaps_previous: None,
    };
    *current = setting.to;
    Some(step)
}

/// A day of the month in words: `1st`, `2nd`, `11th`, `23rd`, `31st`.
pub fn ordinal(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// The line under a table that says what a day in brackets beside the
/// last date is, given the last date's heading and how quiet days are said.
pub fn quiet_from_note(last: &str, quiet_counts: &str) -> String {
    format!(
        "A day in brackets beside {last} is the day {quiet_counts} from: when the latest \
         development had certainly happened."
    )
}

/// Days without news as of `as_of`: from the latest settled day among the
/// counted developments, or from the end of the opened date when there are none.
pub fn quiet_days(
    latest_settled: Option<NaiveDate>,
    opened: &PartialDate,
    as_of: NaiveDate,
) -> i64 {
    let from = latest_settled.unwrap_or_else(|| opened.end());
    days_between(from, as_of)
}

pub fn is_stale(status: Status, quiet_days: i64, stale_after: u32) -> bool {
    !status.is_terminal() && quiet_days > i64::from(stale_after)
}

/// The formats of the status report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
    Md,
    Html,
}

impl Format {
    /// Whether the format is a CSV file.
    pub fn is_csv(self) -> bool {
        self == Format::Csv
    }
}

/// Writes the report in `format`. `feed` is what it stands on, the items'
/// developments dated by its day: only the html page reads it, to draw them.
pub fn render(
    format: Format,
    report: &StatusReport,
    feed: &mut Feed<'_, Development>,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Text => text::status(report, style, out),
        Format::Json => json::status(report, out),
        Format::Csv => super::write_csv(&listing(report), out),
        Format::Md => md::status(report, out),
        Format::Html => html::status(report, feed, out),
    }
}

/// The report as a listing, for CSV: the item fields as columns in order.
pub fn listing(report: &StatusReport) -> Listing {
    let mut listing = Listing::new(&STATUS_COLUMNS);
    for row in &report.items {
        listing.push(vec![
            json!(row.slug),
            json!(row.title),
            json!(row.status),
            json!(row.since),
            json!(row.developments),
            json!(row.last_date),
            json!(row.last_headline),
            json!(row.quiet_days),
            json!(row.stale),
            json!(row.provisional.as_ref().map(|p| p.status)),
            json!(row.provisional.as_ref().map(|p| &p.id)),
            json!(row.next_scheduled.as_ref().map(|n| &n.id)),
            json!(row.next_scheduled.as_ref().map(|n| &n.date)),
            json!(row.next_scheduled.as_ref().map(|n| &n.headline)),
            json!(row.overdue.iter().map(|d| &d.id).collect::<Vec<_>>()),
        ]);
    }
    listing
}

#[cfg(test)]
mod tests;
