use chrono::NaiveDate;

use super::*;
use crate::dates::Timestamp;
use crate::model::{WatchLink, WatchSlug};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn dev(id: &str, date: &str, scheduled: bool) -> Development {
    Development {
        headline: format!("{id} happened"),
        links: vec![WatchLink {
            slug: WatchSlug::parse("w").unwrap(),
            to: None,
        }],
        recorded_at: Timestamp::parse("2025-01-01T00:00:00Z").unwrap(),
        scheduled,
        ..Development::sample(id, date)
    }
}

fn arrival(id: &str, date: &str, to: Option<Status>, after: bool) -> Arrival {
    Arrival {
        dev: dev(id, date, false),
        to,
        after_settled_status: after,
    }
}

fn steps(changes: &[Change]) -> Vec<(Status, Status, &str)> {
    changes
        .iter()
        .map(|c| (c.from, c.to, c.id.as_str()))
        .collect()
}

#[test]
fn the_walk_starts_from_the_status_before_and_skips_repeats() {
    let arrivals = [
        arrival("a", "2025-09-08", Some(Status::Emerging), true),
        arrival("b", "2025-09-09", None, true),
        arrival("c", "2025-09-10", Some(Status::Developing), true),
        arrival("d", "2025-09-11", Some(Status::Developing), true),
        arrival("e", "2025-09-12", Some(Status::Emerging), true),
    ];
    assert_eq!(
        steps(&walk(Status::Emerging, &arrivals)),
        [
            (Status::Emerging, Status::Developing, "c"),
            (Status::Developing, Status::Emerging, "e")
        ]
    );
}

#[test]
fn a_development_dated_before_a_counted_status_setting_moves_nothing() {
    // `old` (counted before the window) set emerging on 2025-07-26; `late`
    // is dated July and settled in the window: the fold still ends at
    // emerging, and so does the walk.
    let arrivals = [arrival("late", "2025-07", Some(Status::Stalled), false)];
    assert!(walk(Status::Emerging, &arrivals).is_empty());
}

#[test]
fn upcoming_runs_to_the_horizon_and_overdue_has_ended() {
    let scheduled = vec![
        dev("ended", "2025-09-01", true),
        dev("under-way", "2025-09", true),
        dev("soon", "2025-10", true),
        dev("open-start", "../2025-11", true),
        dev("edge", "2025-12-13", true),
        dev("later", "2025-12-14", true),
    ];
    let (upcoming, overdue) = due(scheduled, day("2025-09-14"), 90);
    let ids =
        |devs: &[Development]| -> Vec<String> { devs.iter().map(|d| d.id.to_string()).collect() };
    assert_eq!(ids(&overdue), ["ended"]);
    assert_eq!(ids(&upcoming), ["under-way", "soon", "open-start", "edge"]);
    // The day a development ends is its last day due: overdue from then.
    let (_, overdue) = due(vec![dev("x", "2025-09-14", true)], day("2025-09-14"), 0);
    assert_eq!(ids(&overdue), ["x"]);
}

#[test]
fn transitions_whose_dates_overlap_are_marked_on_both_sides() {
    // Timeline order puts the month first; the dates do not say which came
    // first, so the note must not read as "realised, then reopened".
    let arrivals = [
        arrival("month", "2025-06", Some(Status::Realised), true),
        arrival("day", "2025-06-12", Some(Status::Emerging), true),
        arrival("july", "2025-07-02", Some(Status::Developing), true),
    ];
    let changes = walk(Status::Open, &arrivals);
    let marks: Vec<(bool, bool)> = changes
        .iter()
        .map(|c| (c.overlaps_previous, c.overlaps_next))
        .collect();
    assert_eq!(marks, [(false, true), (true, false), (false, false)]);
    assert_eq!(
        changes.iter().map(Change::overlapping).collect::<Vec<_>>(),
        [true, true, false]
    );
    let notes: Vec<Option<String>> = with_order_notes(&changes).map(|(_, n)| n).collect();
    assert_eq!(
        notes,
        [
            None,
            Some("order uncertain: 2025-06 overlaps 2025-06-12".to_string()),
            None
        ]
    );
}

#[test]
fn transitions_on_days_apart_are_not_marked() {
    let arrivals = [
        arrival("a", "2025-06-11", Some(Status::Realised), true),
        arrival("b", "2025-06-12", Some(Status::Emerging), true),
    ];
    assert!(
        !walk(Status::Open, &arrivals)
            .iter()
            .any(Change::overlapping)
    );
}

#[test]
fn a_date_that_may_be_older_than_the_window_says_what_it_allows() {
    let since = day("2025-07-25");
    let allows = |date: &str| date_allows(&date.parse().unwrap(), since);
    assert_eq!(
        allows("../2025-07").as_deref(),
        Some("undated: some time up to 2025-07-31")
    );
    assert_eq!(allows("2025-07").as_deref(), Some("some time in 2025-07"));
    assert_eq!(allows("2025~").as_deref(), Some("some time in 2025~"));
    assert_eq!(
        allows("2025-06/2025-07-28").as_deref(),
        Some("some time from 2025-06 to 2025-07-28")
    );
    // Within the window, or a day: the date says it is new.
    assert_eq!(allows("2025-07-26"), None);
    assert_eq!(allows("2025-07-26/2025-07-31"), None);
    // Starting on `since`, it may have happened the day before the window.
    assert_eq!(
        allows("2025-07-25/2025-07-27").as_deref(),
        Some("some time from 2025-07-25 to 2025-07-27")
    );
}
