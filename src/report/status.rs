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

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;

use super::{Feed, Listing};

use crate::dates::{DevDate, PartialDate, day_text, days_between};
use crate::model::{
    DevId, ItemFacts, PossibleChange, ScheduledDevelopment, Status, StatusChange, StatusSetting,
};

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
}

fn as_text<S: serde::Serializer>(date: &DevDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

/// The transitions among status settings given in timeline order: a
/// setting that repeats the current status is no transition.
pub fn transitions(settings: Vec<StatusSetting>) -> Vec<Transition> {
    let mut current = Status::Open;
    settings
        .iter()
        .filter_map(|setting| transition(&mut current, setting))
        .collect()
}

/// The same, as a feed over a feed of settings (a dossier's history, which
/// may run to a hundred thousand), each pass from `open` again.
pub fn transitions_of<'a>(settings: &'a mut Feed<'_, StatusSetting>) -> Box<Feed<'a, Transition>> {
    Box::new(move |sink| {
        let mut current = Status::Open;
        settings(&mut |setting| match transition(&mut current, setting) {
            Some(step) => sink(&step),
            None => Ok(()),
        })
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
mod tests {
    use super::*;
    use crate::model::WatchSlug;

    fn date(text: &str) -> DevDate {
        text.parse().unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ordinals_read_as_words() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 30, 31]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "30th",
                "31st"
            ]
        );
    }

    #[test]
    fn last_shows_the_day_quiet_counts_from_where_it_is_another() {
        let row = |last: &str, from: &str| StatusRow {
            slug: "w".into(),
            title: "W".into(),
            description: None,
            status: Status::Emerging,
            since: None,
            developments: 1,
            last_date: Some(last.into()),
            last_headline: Some("h".into()),
            quiet_days: 1,
            quiet_from: Some(day(from)),
            stale: false,
            provisional: None,
            next_scheduled: None,
            overdue: Vec::new(),
        };
        let shown = |last: &str, from: &str| row(last, from).last_shown().unwrap();
        assert_eq!(shown("2025-07-26", "2025-07-26"), "2025-07-26");
        assert_eq!(shown("2025-07", "2025-07-31"), "2025-07 (31st)");
        assert_eq!(shown("../2025-07", "2025-07-31"), "../2025-07 (31st)");
        assert_eq!(shown("2025-07-26", "2025-07-31"), "2025-07-26 (31st)");
        // Recorded on the 3rd of a month dated loosely: it settled then.
        assert_eq!(shown("2025-08", "2025-08-03"), "2025-08 (3rd)");
        assert_eq!(shown("2025", "2025-12-31"), "2025 (2025-12-31)");
        assert_eq!(shown("2025-07-30", "2025-08-02"), "2025-07-30 (2025-08-02)");
        let mut opened_only = row("2025-07", "2025-07-31");
        opened_only.last_date = None;
        opened_only.quiet_from = None;
        assert_eq!(opened_only.last_shown(), None);
        assert_eq!(opened_only.quiet_from_mark(), None);
    }

    fn change(to: Status, on: &str) -> StatusChange {
        StatusChange { to, date: date(on) }
    }

    fn facts(changes: Vec<StatusChange>, latest_settled: Option<&str>) -> ItemFacts {
        ItemFacts {
            slug: WatchSlug::parse("intl-ai-org").unwrap(),
            title: "International AI organisation".into(),
            description: None,
            opened: "2025-07-26".parse().unwrap(),
            developments: changes.len() as u64,
            last: None,
            latest_settled: latest_settled.map(day),
            changes,
            latest_possible: None,
            scheduled: Vec::new(),
        }
    }

    #[test]
    fn transitions_skip_repeats_and_start_from_open() {
        let setting = |to, on: &str, id: &str| StatusSetting {
            to,
            date: date(on),
            id: DevId::parse(id).unwrap(),
            headline: format!("{id} happened"),
        };
        let history = transitions(vec![
            setting(Status::Emerging, "2025-07-26", "a"),
            setting(Status::Emerging, "2025-08", "b"),
            setting(Status::Stalled, "2025-09-01", "c"),
            setting(Status::Emerging, "2025-10", "d"),
        ]);
        let steps: Vec<(Status, Status, String)> = history
            .iter()
            .map(|t| (t.from, t.to, t.id.to_string()))
            .collect();
        assert_eq!(
            steps,
            [
                (Status::Open, Status::Emerging, "a".into()),
                (Status::Emerging, Status::Stalled, "c".into()),
                (Status::Stalled, Status::Emerging, "d".into()),
            ]
        );
    }

    #[test]
    fn no_status_change_means_open_without_since() {
        assert_eq!(fold_status(&[]), None);
        let report = build(vec![facts(vec![], None)], day("2025-08-01"), 30);
        assert_eq!(report.items[0].status, Status::Open);
        assert_eq!(report.items[0].since, None);
    }

    #[test]
    fn the_last_change_sets_the_status() {
        let changes = [
            change(Status::Emerging, "2025-07-26"),
            change(Status::Developing, "2025-09"),
            change(Status::Stalled, "2025-11-02"),
        ];
        assert_eq!(
            fold_status(&changes),
            Some((Status::Stalled, date("2025-11-02")))
        );
    }

    #[test]
    fn repeating_a_status_does_not_move_since() {
        let changes = [
            change(Status::Emerging, "2025-07-26"),
            change(Status::Emerging, "2025-08-02"),
        ];
        assert_eq!(
            fold_status(&changes),
            Some((Status::Emerging, date("2025-07-26")))
        );
    }

    #[test]
    fn a_broken_run_starts_again() {
        let changes = [
            change(Status::Emerging, "2025-07-26"),
            change(Status::Stalled, "2025-08"),
            change(Status::Emerging, "2025-09-01?"),
            change(Status::Emerging, "2025-09-15"),
        ];
        // since keeps the date as entered, qualifier included.
        let (status, since) = fold_status(&changes).unwrap();
        assert_eq!(
            (status, since.to_string()),
            (Status::Emerging, "2025-09-01?".into())
        );
    }

    #[test]
    fn a_later_development_reopens_a_terminal_item() {
        let changes = [
            change(Status::Realised, "2025-08-01"),
            change(Status::Developing, "2025-10-01"),
        ];
        assert_eq!(fold_status(&changes).unwrap().0, Status::Developing);
    }

    #[test]
    fn quiet_days_count_from_the_latest_settled_day() {
        let opened: PartialDate = "2025-07-26".parse().unwrap();
        // A month-precise development recorded after its month settles on its last day.
        assert_eq!(
            quiet_days(Some(day("2025-07-31")), &opened, day("2025-08-10")),
            10
        );
        // Never negative while the interval is still running.
        assert_eq!(
            quiet_days(Some(day("2025-07-31")), &opened, day("2025-07-10")),
            0
        );
        // Without developments, from the end of the opened date.
        assert_eq!(quiet_days(None, &opened, day("2025-08-25")), 30);
        let february: PartialDate = "2025-02".parse().unwrap();
        assert_eq!(quiet_days(None, &february, day("2025-03-10")), 10);
    }

    #[test]
    fn stale_needs_more_than_the_threshold_and_a_live_status() {
        assert!(!is_stale(Status::Emerging, 30, 30));
        assert!(is_stale(Status::Emerging, 31, 30));
        assert!(is_stale(Status::Open, 31, 30));
        assert!(!is_stale(Status::Realised, 400, 30));
        assert!(!is_stale(Status::Dropped, 400, 30));
        assert!(is_stale(Status::Stalled, 1, 0));
    }

    #[test]
    fn report_echoes_the_as_of_day_and_derives_each_row() {
        let item = facts(
            vec![change(Status::Emerging, "2025-07-26")],
            Some("2025-07-26"),
        );
        let report = build(vec![item], day("2025-09-01"), 30);
        assert_eq!(report.as_of, "2025-09-01");
        let row = &report.items[0];
        assert_eq!(row.status, Status::Emerging);
        assert_eq!(row.since.as_deref(), Some("2025-07-26"));
        assert_eq!(row.quiet_days, 37);
        assert!(row.stale);
    }
}

#[cfg(test)]
mod provisional_and_due {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn id(text: &str) -> DevId {
        DevId::parse(text).unwrap()
    }

    fn possible(to: Status, settled: &str) -> Option<PossibleChange> {
        Some(PossibleChange {
            to,
            id: id("maybe"),
            settled: day(settled),
        })
    }

    #[test]
    fn a_status_that_may_have_been_set_is_provisional_until_it_settles() {
        let stalled = possible(Status::Stalled, "2025-07-31");
        // Inside the interval: the settled status stands, stalled is provisional.
        let p = provisional(Status::Emerging, stalled.clone(), day("2025-07-10"));
        assert_eq!(
            p,
            Some(Provisional {
                status: Status::Stalled,
                id: id("maybe")
            })
        );
        // From its settled day on, it counts: the store folds it into the status.
        assert_eq!(
            provisional(Status::Stalled, stalled, day("2025-07-31")),
            None
        );
    }

    #[test]
    fn nothing_is_provisional_when_the_status_would_not_change() {
        let emerging = possible(Status::Emerging, "2025-12-31");
        assert_eq!(
            provisional(Status::Emerging, emerging, day("2025-08-01")),
            None
        );
        assert_eq!(provisional(Status::Open, None, day("2025-08-01")), None);
    }

    fn ids(due: &[Due]) -> Vec<DevId> {
        due.iter().map(|d| d.id.clone()).collect()
    }

    fn scheduled(text: &str, date: &str) -> ScheduledDevelopment {
        ScheduledDevelopment {
            id: id(text),
            date: date.parse().unwrap(),
            headline: format!("{text} is due"),
        }
    }

    #[test]
    fn a_scheduled_development_is_next_until_its_date_ends_then_overdue() {
        let list = [
            scheduled("summit", "2026-02"),
            scheduled("law", "2026-08-02"),
        ];
        let (next, overdue) = due(&list, day("2026-01-15"));
        assert_eq!(
            next.map(|n| (n.id, n.date)),
            Some((id("summit"), "2026-02".into()))
        );
        assert!(overdue.is_empty());
        // Inside February the summit may still come: it stays next.
        let (next, overdue) = due(&list, day("2026-02-27"));
        assert_eq!(next.map(|n| n.id), Some(id("summit")));
        assert!(overdue.is_empty());
        // Once February has ended it is overdue, and the law is next.
        let (next, overdue) = due(&list, day("2026-03-01"));
        assert_eq!(next.map(|n| n.id), Some(id("law")));
        assert_eq!(ids(&overdue), [id("summit")]);
        // The day before its day the law is next; a report as of its day
        // stands at that day's end, when its interval has ended: overdue.
        let (next, _) = due(&list, day("2026-08-01"));
        assert_eq!(next.map(|n| n.id), Some(id("law")));
        let (next, overdue) = due(&list, day("2026-08-02"));
        assert_eq!(next, None);
        assert_eq!(ids(&overdue), [id("summit"), id("law")]);
    }
}
