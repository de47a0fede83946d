//! The status fold, row by row: derivation, provisional statuses, what is due.

mod basics {
    use super::super::*;
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

mod provisional_and_due {
    use super::super::*;

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
