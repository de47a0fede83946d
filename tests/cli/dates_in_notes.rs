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
    env.ok(&["watch", "add", "treaty", "A treaty", "--opened", "2025-01"]);
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
    env.ok(&["watch", "add", "treaty", "A treaty", "--opened", "2025-01"]);
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
