//! The "what changed" report of a weekly briefing (`lookout changes`): each
//! watch item's status as of two dates, the changes between them, what came
//! to count in between, news learnt late, items that went stale, and what is
//! due. Pure: the store supplies each item's facts on both dates and feeds of
//! its developments.
//!
//! docs/DESIGN.md, "Changes JSON", is the contract. The window is (since, until]:
//! - the status before and after are those `status --as-of` gives on each
//!   date (the same fold, `report::status::row`);
//! - the developments of an item are those that came to count in the window
//!   (settled after since, by until), in timeline order;
//! - its transitions are the status changes those developments make, walked
//!   in timeline order from the status before. A development dated before the
//!   last status setting that counted already is overridden by it and moves
//!   nothing, so the walk always ends at the status after;
//! - late news was recorded (UTC day) in the window but counted at since;
//! - upcoming are scheduled developments not ended by until that start (an
//!   open start: end) by until + ahead days — those under way included, which
//!   the contract's "starts in (until, until + ahead]" would leave out of both
//!   lists; overdue are those whose interval ended by until.
//!
//! `render` writes the report in the format asked for.

pub(crate) mod html;
mod json;
pub(crate) mod md;
pub(crate) mod text;

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::io::Write;

use chrono::{Days, NaiveDate};

use super::Feed;
use super::status::{self, StatusRow};
use crate::dates::DevDate;
use crate::error::Result;
use crate::model::{Arrival, DevId, Development, ItemFacts, Status, WindowSetting};

#[derive(Debug, Clone)]
pub struct ChangesReport {
    /// The last day before the window.
    pub since: NaiveDate,
    /// The window's last day.
    pub until: NaiveDate,
    /// How many days after `until` upcoming developments may start.
    pub ahead: u32,
    pub stale_after: u32,
    /// Every item opened by `until` that the report covers, sorted by slug.
    pub items: Vec<ItemChanges>,
    /// How many developments were learnt late (`Lists::late` has them).
    pub late: u64,
    /// The items they are linked to.
    pub late_items: BTreeSet<String>,
    pub upcoming: Vec<Development>,
    pub overdue: Vec<Development>,
    /// What the last note got wrong, by the record as it is now (set by the
    /// command after `build`: it reads the journal).
    pub corrections: Vec<Correction>,
}

/// A development that counted in the note as known at `since` and has
/// since been removed, retracted, re-dated or re-linked, so that a status
/// as of `since` is now another than the note said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub id: String,
    /// `removed`, `retracted`, `scheduled`, `re-dated` or `re-linked`.
    pub what: &'static str,
    pub before: String,
    pub after: String,
    /// When the record was corrected (the journal entry, or the undo).
    pub at: String,
    /// Who corrected it; None for entries of a store before version 2.
    pub by: Option<String>,
}

impl Correction {
    /// `jtce187y re-dated: 2025-07-26 → 2025-07-28 (2025-08-02T09:30:00.000000Z by Ana)`
    pub fn line(&self) -> String {
        let by = self
            .by
            .as_deref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default();
        format!(
            "{} {}: {} → {} ({}{by})",
            self.id, self.what, self.before, self.after, self.at
        )
    }
}

/// An item's developments that came to count in the window, by its slug,
/// each with the status its link sets, in timeline order.
pub type ArrivalFeed<'a> =
    dyn FnMut(&str, &mut dyn FnMut(&Arrival) -> Result<()>) -> Result<()> + 'a;

/// Of an item's arrivals (by slug), those that set a status, in timeline
/// order; returns how many arrivals there are in all.
pub type SettingFeed<'a> =
    dyn FnMut(&str, &mut dyn FnMut(&WindowSetting) -> Result<()>) -> Result<u64> + 'a;

/// The lists a changes report writes as it reads them: a window of years
/// holds every development of the store, so none is held.
pub struct Lists<'a> {
    pub arrivals: Box<ArrivalFeed<'a>>,
    /// What the report derives each item's status changes from, read
    /// without the developments that set none.
    pub settings: Box<SettingFeed<'a>>,
    /// News learnt late, in timeline order.
    pub late: Box<Feed<'a, Development>>,
    /// Every development that came to count for an item the report covers,
    /// each once, in timeline order: what the html page draws.
    pub arrived: Box<Feed<'a, Development>>,
}

/// One watch item over the window.
#[derive(Debug, Clone)]
pub struct ItemChanges {
    /// As of `since`.
    pub before: StatusRow,
    /// As of `until`.
    pub after: StatusRow,
    pub transitions: Vec<Change>,
    /// How many developments came to count in the window (`Lists::arrivals`
    /// has them).
    pub arrived: u64,
    /// Not stale as of `since`, stale as of `until`.
    pub became_stale: bool,
}

impl ItemChanges {
    pub fn slug(&self) -> &str {
        &self.after.slug
    }

    /// Whether its status changed in the window (and perhaps changed back).
    pub fn moved(&self) -> bool {
        !self.transitions.is_empty()
    }

    /// Whether anything about it is news: a change, a development, staleness.
    pub fn is_news(&self) -> bool {
        self.moved() || self.arrived > 0 || self.became_stale
    }
}

/// A change of status in the window, and the development that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub from: Status,
    pub to: Status,
    /// The development's date, as entered.
    pub date: String,
    pub id: DevId,
    /// Its interval shares a day with the previous change's: timeline
    /// order put them so, their dates do not (a `realised` dated 2025-06
    /// may have come after an `emerging` of 2025-06-12).
    pub overlaps_previous: bool,
    /// Its interval shares a day with the next change's.
    pub overlaps_next: bool,
    span: DevDate,
}

impl Change {
    /// Whether its order against the change before or after it is
    /// uncertain (`"overlapping"` in the JSON).
    pub fn overlapping(&self) -> bool {
        self.overlaps_previous || self.overlaps_next
    }
}

/// The words beside a change whose interval overlaps the previous one's:
/// `order uncertain: 2025-06 overlaps 2025-06-12`.
pub fn order_uncertain(previous: &Change, change: &Change) -> String {
    format!(
        "order uncertain: {} overlaps {}",
        previous.date, change.date
    )
}

/// Each change with the words its order needs, when it overlaps the one
/// before it.
pub fn with_order_notes(changes: &[Change]) -> impl Iterator<Item = (&Change, Option<String>)> {
    changes.iter().enumerate().map(move |(n, change)| {
        let note =
            (n > 0 && change.overlaps_previous).then(|| order_uncertain(&changes[n - 1], change));
        (change, note)
    })
}

/// What the report needs besides each item's facts.
pub struct Window {
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub ahead: u32,
    pub stale_after: u32,
}

/// Derives the report: each item's transitions walked over its arrivals
/// (a pass each), late news counted (a pass).
pub fn build(
    window: &Window,
    items: Vec<(ItemFacts, ItemFacts)>,
    lists: &mut Lists<'_>,
    scheduled: Vec<Development>,
) -> Result<ChangesReport> {
    let items = items
        .into_iter()
        .map(|(before, after)| item_changes(window, before, after, lists.settings.as_mut()))
        .collect::<Result<_>>()?;
    let mut late = 0;
    let mut late_items = BTreeSet::new();
    (lists.late)(&mut |dev| {
        late += 1;
        late_items.extend(dev.links.iter().map(|l| l.slug.to_string()));
        Ok(())
    })?;
    let (upcoming, overdue) = due(scheduled, window.until, window.ahead);
    Ok(ChangesReport {
        since: window.since,
        until: window.until,
        ahead: window.ahead,
        stale_after: window.stale_after,
        items,
        late,
        late_items,
        upcoming,
        overdue,
        corrections: Vec::new(),
    })
}

fn item_changes(
    window: &Window,
    before: ItemFacts,
    after: ItemFacts,
    settings: &mut SettingFeed<'_>,
) -> Result<ItemChanges> {
    let before = status::row(before, window.since, window.stale_after);
    let after = status::row(after, window.until, window.stale_after);
    let mut walk = Walk::from(before.status);
    let arrived = settings(&after.slug, &mut |s| {
        walk.step(Some(s.to), s.after_settled_status, &s.date, &s.id);
        Ok(())
    })?;
    Ok(ItemChanges {
        became_stale: !before.stale && after.stale,
        before,
        after,
        transitions: walk.changes,
        arrived,
    })
}

/// The status changes the arrivals make, from `start`, in timeline order;
/// only those after every status setting that counted before can move it.
#[cfg(test)]
pub fn walk(start: Status, arrivals: &[Arrival]) -> Vec<Change> {
    let mut walk = Walk::from(start);
    for a in arrivals {
        walk.step(a.to, a.after_settled_status, &a.dev.date, &a.dev.id);
    }
    walk.changes
}

/// `walk`, one arrival at a time.
struct Walk {
    current: Status,
    changes: Vec<Change>,
}

impl Walk {
    fn from(start: Status) -> Walk {
        Walk {
            current: start,
            changes: Vec::new(),
        }
    }

    /// An arrival: the status its link sets, whether it comes after every
    /// setting that counted before, its development's date and id.
    fn step(&mut self, to: Option<Status>, after: bool, date: &DevDate, id: &DevId) {
        if !after {
            return;
        }
        if let Some(to) = to
            && to != self.current
        {
            let overlaps_previous = match self.changes.last_mut() {
                Some(previous) if previous.span.overlaps(date) => {
                    previous.overlaps_next = true;
                    true
                }
                _ => false,
            };
            self.changes.push(Change {
                from: self.current,
                to,
                date: date.to_string(),
                id: id.clone(),
                overlaps_previous,
                overlaps_next: false,
                span: *date,
            });
            self.current = to;
        }
    }
}

/// The formats of the changes report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Md,
    Html,
    Json,
}

/// Writes the report in `format`, reading `lists` as it goes.
pub fn render(
    format: Format,
    report: &ChangesReport,
    lists: &mut Lists<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Text => text::write(report, lists, out),
        Format::Md => md::write(report, lists, out),
        Format::Html => html::write_page(report, lists, out),
        Format::Json => json::write(report, lists, out),
    }
}

/// Timeline order: the date's interval, then the time of recording, then the id.
pub fn timeline_order(a: &Development, b: &Development) -> Ordering {
    a.date
        .timeline_cmp(&b.date)
        .then(a.recorded_at.cmp(&b.recorded_at))
        .then(a.id.cmp(&b.id))
}

/// Scheduled developments split into those due within `ahead` days of
/// `until` (or under way) and those overdue by then, each in timeline order.
pub fn due(
    scheduled: Vec<Development>,
    until: NaiveDate,
    ahead: u32,
) -> (Vec<Development>, Vec<Development>) {
    let horizon = until
        .checked_add_days(Days::new(u64::from(ahead)))
        .unwrap_or(NaiveDate::MAX);
    let (overdue, pending): (Vec<_>, Vec<_>) = scheduled
        .into_iter()
        .partition(|dev| dev.date.end() <= until);
    let upcoming = pending
        .into_iter()
        .filter(|dev| dev.date.start().unwrap_or_else(|| dev.date.end()) <= horizon)
        .collect();
    (upcoming, overdue)
}

/// What the date of a development that came to count in the window allows,
/// when it may have happened before the window (its interval starts by
/// `since`, or has no start): it counts now because its interval ended, or
/// it was recorded, in the window, but it may be months old.
/// `undated: some time up to 2025-07-31`, `some time in 2025-07`,
/// `some time from 2025-06 to 2025-07-15`.
pub fn date_allows(date: &DevDate, since: NaiveDate) -> Option<String> {
    if date.start().is_some_and(|start| start > since) {
        return None;
    }
    Some(match (date.first(), date.single()) {
        (None, _) => format!("undated: some time up to {}", date.end()),
        (Some(_), Some(single)) => format!("some time in {single}"),
        (Some(first), None) => format!("some time from {first} to {}", date.last()),
    })
}

/// The slugs a development is linked to, for a note beside it.
pub(super) fn linked(dev: &Development) -> String {
    if dev.links.is_empty() {
        return "no watch item".to_string();
    }
    dev.links
        .iter()
        .map(|l| l.slug.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
