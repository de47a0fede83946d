//! What a note says its dates allow (issue 22, items 4 and 5): a
//! development that came to count in the window but may be older than it is
//! marked with what its date allows; two status changes whose dates overlap
//! are marked as in an order the dates do not give; the status table shows
//! the day QUIET counts from where it is not the LAST date.

use serde_json::Value;

use crate::env::TestEnv;

/// `realised` dated June, `emerging` dated 12 June, both recorded on
/// 10 July: timeline order puts the month first, the dates do not.
fn overlapping_june() -> TestEnv {
    let env = TestEnv::new().today("2025-07-10");
    env.ok_with(
        &["watch", "add", "treaty", "A treaty", "--opened", "2025-01"],
        "watching treaty (opened 2025-01)",
    );
    env.log(&[
        "2025-06",
        "The treaty is signed, the June bulletin says",
        "--watch",
        "treaty=realised",
    ]);
    env.log(&[
        "2025-06-12",
        "A party withdraws its signature",
        "--watch",
        "treaty=emerging",
    ]);
    env
}

const JUNE: [&str; 5] = ["changes", "--since", "2025-05-31", "--until", "2025-06-30"];

#[test]
fn overlapping_transitions_are_marked_in_json() {
    let env = overlapping_june();
    let mut args = JUNE.to_vec();
    args.extend_from_slice(&["--format", "json"]);
    let report: Value = serde_json::from_str(&env.ok(&args)).unwrap();
    let transitions = report["items"][0]["transitions"].as_array().unwrap();
    let marks: Vec<(&str, &str, bool)> = transitions
        .iter()
        .map(|t| {
            (
                t["date"].as_str().unwrap(),
                t["to"].as_str().unwrap(),
                t["overlapping"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("2025-06", "realised", true),
            ("2025-06-12", "emerging", true)
        ]
    );
}

#[test]
fn overlapping_transitions_say_their_order_is_uncertain_in_text_md_and_html() {
    let env = overlapping_june();
    let text = env.ok(&JUNE);
    let moved = text
        .lines()
        .find(|l| l.starts_with("  treaty: "))
        .unwrap_or_else(|| panic!("no moved line in {text}"));
    assert!(
        moved.starts_with("  treaty: open → realised on 2025-06 (")
            && moved.ends_with(") (order uncertain: 2025-06 overlaps 2025-06-12)"),
        "{moved}"
    );
    for format in ["md", "html"] {
        let mut args = JUNE.to_vec();
        args.extend_from_slice(&["--format", format]);
        let out = env.ok(&args);
        assert!(
            out.contains("order uncertain: 2025-06 overlaps 2025-06-12"),
            "{format}: {out}"
        );
    }
}

#[test]
fn transitions_days_apart_are_not_marked() {
    let env = TestEnv::new().today("2025-07-10");
    env.ok_with(
        &["watch", "add", "treaty", "A treaty", "--opened", "2025-01"],
        "watching treaty (opened 2025-01)",
    );
    env.log(&["2025-06-11", "Signed", "--watch", "treaty=realised"]);
    env.log(&["2025-06-12", "Withdrawn", "--watch", "treaty=emerging"]);
    let mut args = JUNE.to_vec();
    args.extend_from_slice(&["--format", "json"]);
    let report: Value = serde_json::from_str(&env.ok(&args)).unwrap();
    for t in report["items"][0]["transitions"].as_array().unwrap() {
        assert_eq!(t["overlapping"], false, "{t}");
    }
    assert!(!env.ok(&JUNE).contains("order uncertain"));
}

/// README's weekly briefing on the bundled tracker.
const WEEK: [&str; 5] = ["changes", "--since", "2025-07-25", "--until", "2025-08-01"];

/// The lines of the note's "New developments" that name `id`.
fn lines_of<'a>(note: &'a str, id: &str) -> Vec<&'a str> {
    note.lines().filter(|l| l.contains(id)).collect()
}

#[test]
fn the_weekly_note_says_which_new_developments_may_be_older_than_the_week() {
    let env = TestEnv::seeded();
    let text = env.ok(&WEEK);
    let new = text
        .split_once("New developments\n")
        .unwrap_or_else(|| panic!("no new developments in {text}"))
        .1;
    // Open start: up to the end of July, perhaps long before the week.
    for id in ["9s058k2n", "d2vehq94", "ct7n11xd"] {
        let lines = lines_of(new, id);
        assert_eq!(lines.len(), 1, "{id}: {new}");
        assert!(
            lines[0].starts_with("    ../2025-07  ")
                && lines[0].ends_with("  (undated: some time up to 2025-07-31)"),
            "{}",
            lines[0]
        );
    }
    // A month: some time in July.
    assert_eq!(
        lines_of(new, "4fd2sax0"),
        [
            "    2025-07     4fd2sax0  Over 800 companies showcase thousands of AI innovations at WAIC  (some time in 2025-07)"
        ]
    );
    // Dated in the week: no mark.
    for line in lines_of(new, "2025-07-26  ") {
        assert!(!line.contains("some time"), "{line}");
    }
    for format in ["md", "html"] {
        let mut args = WEEK.to_vec();
        args.extend_from_slice(&["--format", format]);
        let out = env.ok(&args);
        assert_eq!(
            out.matches("(undated: some time up to 2025-07-31)").count(),
            3,
            "{format}: {out}"
        );
        assert_eq!(
            out.matches("(some time in 2025-07)").count(),
            1,
            "{format}: {out}"
        );
    }
}

#[test]
fn a_month_that_lies_inside_the_window_is_not_marked() {
    // The window is all of July: a development of 2025-07 happened in it.
    let env = TestEnv::seeded();
    let text = env.ok(&["changes", "--since", "2025-06-30", "--until", "2025-08-01"]);
    assert!(!text.contains("some time in 2025-07"), "{text}");
    // An open start reaches back before any window.
    assert!(
        text.contains("(undated: some time up to 2025-07-31)"),
        "{text}"
    );
}

#[test]
fn the_status_table_shows_the_day_quiet_counts_from_beside_last() {
    let env = TestEnv::seeded();
    let text = env.ok(&["status", "--as-of", "2025-08-01"]);
    let row = text
        .lines()
        .find(|l| l.starts_with("intl-ai-org "))
        .unwrap_or_else(|| panic!("no row in {text}"));
    // LAST is the last dated development; QUIET counts from the 31st,
    // when the month-dated one had certainly happened.
    assert!(row.contains("  2025-07-26 (31st)      1  "), "{row}");
    assert!(
        text.ends_with(
            "\nA day in brackets beside LAST is the day QUIET counts from: when the latest \
             development had certainly happened.\n"
        ),
        "{text}"
    );
    // The JSON keeps its fields: last_date as entered, quiet_days.
    let json: Value =
        serde_json::from_str(&env.ok(&["status", "--as-of", "2025-08-01", "--format", "json"]))
            .unwrap();
    let item = &json["items"][0];
    assert_eq!(item["last_date"], "2025-07-26");
    assert_eq!(item["quiet_days"], 1);
    assert!(item.get("quiet_from").is_none(), "{item}");
    // On the 28th the last date is the day quiet counts from: no mark.
    let before = env.ok(&["status", "--as-of", "2025-07-28"]);
    assert!(!before.contains("(2"), "{before}");
    assert!(!before.contains("A day in brackets"), "{before}");
    // md and html say it too, under their tables.
    for format in ["md", "html"] {
        let page = env.ok(&["status", "--as-of", "2025-08-01", "--format", format]);
        assert!(page.contains("2025-07-26 (31st)"), "{format}: {page}");
        assert!(
            page.contains("A day in brackets beside Last is the day quiet days count from"),
            "{format}: {page}"
        );
        let before = env.ok(&["status", "--as-of", "2025-07-28", "--format", format]);
        assert!(!before.contains("A day in brackets"), "{format}: {before}");
    }
}

#[test]
fn a_month_dated_last_development_shows_its_settled_day() {
    let env = TestEnv::new().today("2025-08-10");
    env.ok_with(
        &["watch", "add", "treaty", "A treaty", "--opened", "2025-01"],
        "watching treaty (opened 2025-01)",
    );
    env.log(&["2025-07", "Talks begin", "--watch", "treaty=emerging"]);
    let text = env.ok(&["status"]);
    assert!(text.contains("  2025-07 (31st)     10  "), "{text}");
    assert!(text.contains("A day in brackets beside LAST"), "{text}");
    let md = env.ok(&["status", "--format", "md"]);
    assert!(md.contains("| 2025-07 (31st) | 10 |"), "{md}");
    assert!(md.contains("A day in brackets beside Last"), "{md}");
}

#[test]
fn the_status_table_keeps_fitting_its_width_with_the_marks() {
    let env = TestEnv::seeded();
    for width in [80u16, 100, 120] {
        let Some(text) = env.on_terminal(width, &["status", "--as-of", "2025-08-01"]) else {
            return;
        };
        for line in text.lines() {
            assert!(
                line.chars().count() <= usize::from(width),
                "{width}: {line}\n{text}"
            );
        }
        // The mark stays beside its date, never split from it, and only
        // where QUIET is shown too: it is there to reconcile the two.
        let header = text.lines().find(|l| l.starts_with("ITEM ")).unwrap();
        if header.contains(" LAST ") && header.contains(" QUIET ") {
            assert!(text.contains("2025-07-26 (31st)"), "{width}:\n{text}");
            assert!(text.contains("A day in brackets"), "{width}:\n{text}");
        } else {
            assert!(!text.contains("(31st)"), "{width}:\n{text}");
            assert!(!text.contains("A day in brackets"), "{width}:\n{text}");
        }
    }
}

/// `watch show` marks the same two changes in its status history, in
/// every format: the JSON's `overlapping`, the words beside the second.
#[test]
fn watch_show_marks_status_changes_whose_dates_overlap() {
    let env = overlapping_june();
    let json: Value =
        serde_json::from_str(&env.ok(&["watch", "show", "treaty", "--format", "json"])).unwrap();
    let history = json["history"].as_array().unwrap();
    let marks: Vec<(&str, bool)> = history
        .iter()
        .map(|t| {
            (
                t["date"].as_str().unwrap(),
                t["overlapping"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(marks, [("2025-06", true), ("2025-06-12", true)]);
    let words = "order uncertain: 2025-06 overlaps 2025-06-12";
    for format in ["text", "md", "html"] {
        let shown = env.ok(&["watch", "show", "treaty", "--format", format]);
        assert_eq!(shown.matches(words).count(), 1, "{format}:\n{shown}");
    }
    // A change whose interval overlaps no other is not marked.
    env.log(&["2025-07-01", "Talks resume", "--watch", "treaty=developing"]);
    let json: Value =
        serde_json::from_str(&env.ok(&["watch", "show", "treaty", "--format", "json"])).unwrap();
    assert_eq!(json["history"][2]["overlapping"], false);
}
