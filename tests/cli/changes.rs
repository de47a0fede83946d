//! `lookout changes`: the weekly "what moved" note. Snapshots of every
//! format on the seed tracker and on a scenario with every kind of news
//! (tests/fixtures/briefing: transitions, late news, an item going stale,
//! what is due and overdue); the window's edges; refusals.

use serde_json::Value;

use crate::env::TestEnv;
use crate::reports::snapshot;

fn scenario() -> TestEnv {
    TestEnv::briefing()
}

fn json(env: &TestEnv, args: &[&str]) -> Value {
    let mut full = vec!["changes"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&env.ok(&full)).unwrap()
}

fn item<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {report}"))
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().or_else(|| v["id"].as_str()).unwrap().to_string())
        .collect()
}

#[test]
fn the_seed_tracker_in_every_format() {
    let env = TestEnv::seeded();
    let args = ["changes", "--since", "2025-07-25"];
    snapshot("changes_seed_text", &env.ok(&args));
    for format in ["md", "json", "html"] {
        let mut full = args.to_vec();
        full.extend_from_slice(&["--format", format]);
        snapshot(&format!("changes_seed_{format}"), &env.ok(&full));
    }
}

#[test]
fn a_week_with_every_kind_of_news_in_every_format() {
    let env = scenario();
    let args = ["changes", "--since", "2025-09-07"];
    snapshot("changes_scenario_text", &env.ok(&args));
    for format in ["md", "json", "html"] {
        let mut full = args.to_vec();
        full.extend_from_slice(&["--format", format]);
        snapshot(&format!("changes_scenario_{format}"), &env.ok(&full));
    }
}

#[test]
fn the_scenario_reads_as_the_contract_says() {
    let env = scenario();
    let report = json(&env, &["--since", "2025-09-07"]);
    assert_eq!(report["since"], "2025-09-07");
    assert_eq!(report["until"], "2025-09-14");
    let gpai = item(&report, "gpai-code");
    assert_eq!(gpai["status_before"], "emerging");
    assert_eq!(gpai["status_after"], "stalled");
    assert_eq!(
        gpai["transitions"],
        serde_json::json!([
            {"date": "2025-09-09", "from": "emerging", "to": "developing", "id": "gp02", "overlapping": false},
            {"date": "2025-09-12", "from": "developing", "to": "stalled", "id": "gp03", "overlapping": false},
        ])
    );
    assert_eq!(ids(&gpai["developments"]), ["gp02", "gp03"]);
    // Recorded on 10 September about 15 August: known late, no change.
    assert_eq!(ids(&report["late"]), ["of02"]);
    assert_eq!(
        item(&report, "ai-office")["developments"],
        serde_json::json!([])
    );
    // Quiet since 10 August: 28 days on the 7th, 35 on the 14th.
    assert_eq!(item(&report, "standards")["became_stale"], true);
    // Stale on both days is not news.
    assert_eq!(item(&report, "quiet-item")["became_stale"], false);
    assert_eq!(ids(&report["upcoming"]), ["us01"]);
    assert_eq!(ids(&report["overdue"]), ["st02"]);
    assert_eq!(
        report["upcoming"][0],
        serde_json::json!({"id": "us01", "date": "2025-10", "headline": "A transatlantic summit on AI rules",
                           "watch": [{"slug": "us-response", "to": null}]})
    );
    // A year ahead, the AI Act's obligations are due too.
    let year = json(&env, &["--since", "2025-09-07", "--ahead", "365"]);
    assert_eq!(ids(&year["upcoming"]), ["us01", "us02"]);
}

#[test]
fn before_and_after_are_the_status_reports_of_the_two_dates() {
    let env = scenario();
    let report = json(&env, &["--since", "2025-08-01", "--until", "2025-09-10"]);
    for (field, date) in [
        ("status_before", "2025-08-01"),
        ("status_after", "2025-09-10"),
    ] {
        let status: Value =
            serde_json::from_str(&env.ok(&["status", "--as-of", date, "--format", "json"]))
                .unwrap();
        for row in status["items"].as_array().unwrap() {
            let slug = row["slug"].as_str().unwrap();
            assert_eq!(item(&report, slug)[field], row["status"], "{slug} {field}");
        }
    }
}

#[test]
fn a_development_settled_on_since_is_before_the_window_and_on_until_inside() {
    let env = TestEnv::with_items().today("2025-08-01");
    let on_since = env.log(&[
        "2025-07-25",
        "On the day before the window",
        "-w",
        "intl-ai-org",
    ]);
    let inside = env.log(&["2025-07-26", "On its first day", "-w", "intl-ai-org"]);
    let on_until = env.log(&[
        "2025-08-01",
        "On its last day",
        "-w",
        "intl-ai-org=emerging",
    ]);
    let interval = env.log(&[
        "2025-07-20/2025-07-26",
        "Some time up to its first day",
        "-w",
        "intl-ai-org",
    ]);
    let open_start = env.log(&[
        "../2025-07-25",
        "Some time up to the day before",
        "-w",
        "intl-ai-org",
    ]);
    // Some time in August: it may have happened by the 1st, not certainly.
    env.log(&[
        "2025-08",
        "Some time in August",
        "-w",
        "intl-ai-org=stalled",
    ]);
    let report = json(&env, &["--since", "2025-07-25", "--until", "2025-08-01"]);
    let org = item(&report, "intl-ai-org");
    assert_eq!(
        ids(&org["developments"]),
        [interval.as_str(), inside.as_str(), on_until.as_str()]
    );
    assert!(!ids(&org["developments"]).contains(&on_since));
    assert!(!ids(&org["developments"]).contains(&open_start));
    assert_eq!(org["status_after"], "emerging");
    assert_eq!(ids(&org["transitions"]), [on_until.as_str()]);
    // The text form names the provisional status.
    let text = env.ok(&["changes", "--since", "2025-07-25"]);
    assert!(
        text.contains("intl-ai-org: open → emerging on 2025-08-01"),
        "{text}"
    );
    assert!(text.contains("; stalled? if "), "{text}");
    // A window of one day; and an empty one.
    let day = json(&env, &["--since", "2025-07-31", "--until", "2025-08-01"]);
    assert_eq!(
        ids(&item(&day, "intl-ai-org")["developments"]),
        [on_until.as_str()]
    );
    let empty = json(&env, &["--since", "2025-08-01", "--until", "2025-08-01"]);
    assert_eq!(
        item(&empty, "intl-ai-org")["developments"],
        serde_json::json!([])
    );
}

#[test]
fn scheduled_developments_due_at_the_edges() {
    let env = TestEnv::with_items().today("2025-08-01");
    let ends_on_until = env.log(&[
        "2025-08-01",
        "Due on the last day",
        "--scheduled",
        "-w",
        "intl-ai-org",
    ]);
    let next_day = env.log(&[
        "2025-08-02",
        "Due the day after",
        "--scheduled",
        "-w",
        "intl-ai-org",
    ]);
    let report = json(&env, &["--since", "2025-07-25", "--ahead", "1"]);
    assert_eq!(ids(&report["overdue"]), [ends_on_until.as_str()]);
    assert_eq!(ids(&report["upcoming"]), [next_day.as_str()]);
    let none_ahead = json(&env, &["--since", "2025-07-25", "--ahead", "0"]);
    assert_eq!(none_ahead["upcoming"], serde_json::json!([]));
}

#[test]
fn a_week_with_nothing_new_says_so_in_one_line() {
    let env = scenario();
    let text = env.ok(&["changes", "--since", "2025-10-01", "--until", "2025-10-08"]);
    assert!(
        text.contains("Nothing changed for any of the 5 watch items."),
        "{text}"
    );
    assert!(!text.contains("Moved"), "{text}");
}

#[test]
fn watch_and_tag_select_the_items_and_what_is_listed() {
    let env = scenario();
    let eu = json(&env, &["--since", "2025-09-07", "--tag", "eu"]);
    let slugs: Vec<&str> = eu["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["ai-office", "gpai-code", "standards"]);
    assert_eq!(ids(&eu["late"]), ["of02"]);
    assert_eq!(ids(&eu["upcoming"]), Vec::<String>::new());
    assert_eq!(ids(&eu["overdue"]), ["st02"]);
    // Repeated, any of them; with --watch, both must hold.
    let either = json(
        &env,
        &["--since", "2025-09-07", "--tag", "standards", "--tag", "us"],
    );
    assert_eq!(either["items"].as_array().unwrap().len(), 3);
    let both = json(
        &env,
        &[
            "--since",
            "2025-09-07",
            "--tag",
            "eu",
            "--watch",
            "us-response",
            "--watch",
            "gpai-code",
        ],
    );
    let slugs: Vec<&str> = both["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["gpai-code"]);
    // us02 is due on gpai-code too.
    let year = json(
        &env,
        &[
            "--since",
            "2025-09-07",
            "--ahead",
            "365",
            "--watch",
            "gpai-code",
        ],
    );
    assert_eq!(ids(&year["upcoming"]), ["us02"]);
    let none = json(
        &env,
        &[
            "--since",
            "2025-09-07",
            "--tag",
            "us",
            "--watch",
            "standards",
        ],
    );
    assert_eq!(none["items"], serde_json::json!([]));
    assert_eq!(none["overdue"], serde_json::json!([]));
}

#[test]
fn refusals_name_the_flag_and_change_nothing() {
    let env = scenario();
    let before = env.refused(
        &["changes", "--since", "2025-09-14", "--until", "2025-09-07"],
        65,
        "--since 2025-09-14 is after --until 2025-09-07",
    );
    assert!(before.contains("swap them"), "{before}");
    env.refused(&["changes", "--since", "2025-02-30"], 65, "--since: ");
    env.refused(&["changes", "--since", "last week"], 65, "--since: ");
    env.refused(
        &["changes", "--since", "2025-09-01", "--until", "2025-13"],
        65,
        "--until: ",
    );
    let unknown = env.refused(
        &["changes", "--since", "2025-09-01", "--watch", "gpai-cod"],
        65,
        "--watch: unknown watch item 'gpai-cod'",
    );
    assert!(unknown.contains("did you mean 'gpai-code'?"), "{unknown}");
    let tag = env.refused(
        &["changes", "--since", "2025-09-01", "--tag", "standard"],
        65,
        "--tag: no watch item is tagged 'standard'",
    );
    assert!(tag.contains("did you mean 'standards'?"), "{tag}");
    env.refused(&["changes"], 2, "--since <DATE>");
    env.refused(
        &["changes", "--since", "2025-09-01", "--format", "csv"],
        2,
        "invalid value 'csv'",
    );
    env.refused(
        &["changes", "--since", "2025-09-01", "--ahead", "-3"],
        2,
        "invalid value '-3'",
    );
}

#[test]
fn a_month_means_its_last_day_at_either_end() {
    let env = scenario();
    let august = json(&env, &["--since", "2025-07", "--until", "2025-08"]);
    assert_eq!(august["since"], "2025-07-31");
    assert_eq!(august["until"], "2025-08-31");
    assert_eq!(ids(&item(&august, "standards")["developments"]), ["st01"]);
}

#[test]
fn output_goes_to_the_file_named() {
    let env = scenario();
    let path = env.dir().join("week.md");
    let stderr = env.ok_stderr(&[
        "changes",
        "--since",
        "2025-09-07",
        "--format",
        "md",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(
        stderr,
        format!("wrote the changes report to {}\n", path.display())
    );
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("## What changed after 2025-09-07, up to 2025-09-14\n"));
}
