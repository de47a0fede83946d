//! Honest time (docs/DESIGN.md, "Derivation" and "Dates"): a development counts
//! from the day it had certainly happened, may have happened before that,
//! and when scheduled is due, not done.

use serde_json::{Value, json};

use crate::env::{TestEnv, stderr_of, stdout_of};

fn status(env: &TestEnv, as_of: &str) -> Value {
    let out = env.ok(&["status", "--as-of", as_of, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

fn item(env: &TestEnv, as_of: &str, slug: &str) -> Value {
    let report = status(env, as_of);
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == slug)
        .cloned()
        .unwrap_or_else(|| panic!("no item {slug} as of {as_of}: {report}"))
}

/// (status, since, provisional, quiet days) of an item as of a date.
fn standing(env: &TestEnv, as_of: &str, slug: &str) -> (Value, Value, Value, Value) {
    let row = item(env, as_of, slug);
    (
        row["status"].clone(),
        row["since"].clone(),
        row["provisional"].clone(),
        row["quiet_days"].clone(),
    )
}

fn snapshot(name: &str, output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, output));
}

/// Three items opened at the start of 2025, and developments whose time of
/// recording the file states, so that their settled days are known.
fn recorded_tracker() -> TestEnv {
    let env = TestEnv::new().today("2025-12-31");
    for slug in ["year", "early", "spans"] {
        env.ok_with(
            &["watch", "add", slug, slug, "--opened", "2025-01"],
            &format!("watching {slug} (opened 2025-01)"),
        );
    }
    let file = env.file(
        "recorded.csv",
        "id,date,kind,watch,headline,recorded_at\n\
         year0001,2025,statement,year=emerging,Dated by the year; recorded on 1 March,2025-03-01T10:00:00Z\n\
         early001,2025-09,statement,early=stalled,Recorded before September began,2025-08-01T10:00:00Z\n\
         open0001,../2025-07,statement,spans=emerging,Some time up to July; recorded 20 July,2025-07-20T10:00:00Z\n\
         span0001,2025-06/2025-08,statement,spans=developing,June to August; recorded after,2025-09-01T10:00:00Z\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 4 added, 0 updated, 0 unchanged, 0 rejected (4 developments)",
    );
    env
}

#[test]
fn a_year_dated_development_counts_from_the_day_it_was_recorded_and_then_goes_quiet() {
    let env = recorded_tracker();
    // Before it was recorded it may have happened: the status stays open,
    // emerging is provisional.
    assert_eq!(
        standing(&env, "2025-02-15", "year"),
        (
            json!("open"),
            Value::Null,
            json!({"status": "emerging", "id": "year0001"}),
            json!(15)
        )
    );
    assert_eq!(
        standing(&env, "2025-03-01", "year"),
        (json!("emerging"), json!("2025"), Value::Null, json!(0))
    );
    // A coarse date no longer keeps an item busy for the whole year.
    assert_eq!(item(&env, "2025-04-01", "year")["quiet_days"], 31);
    assert_eq!(item(&env, "2025-04-01", "year")["stale"], true);
}

#[test]
fn recorded_before_its_date_a_development_counts_from_the_end_of_its_date() {
    let env = recorded_tracker();
    // Not started: nothing may have happened yet.
    assert_eq!(
        standing(&env, "2025-08-15", "early"),
        (json!("open"), Value::Null, Value::Null, json!(196))
    );
    // Within September it may have happened.
    assert_eq!(
        item(&env, "2025-09-10", "early")["provisional"],
        json!({"status": "stalled", "id": "early001"})
    );
    assert_eq!(
        standing(&env, "2025-09-30", "early"),
        (json!("stalled"), json!("2025-09"), Value::Null, json!(0))
    );
}

#[test]
fn intervals_and_open_starts_settle_and_order_as_their_dates_say() {
    let env = recorded_tracker();
    // Only the open start may have happened by May (the interval starts in June).
    assert_eq!(
        item(&env, "2025-05-01", "spans")["provisional"],
        json!({"status": "emerging", "id": "open0001"})
    );
    // Both may have: the interval comes later in timeline order and would win.
    assert_eq!(
        item(&env, "2025-06-15", "spans")["provisional"],
        json!({"status": "developing", "id": "span0001"})
    );
    // The open start was recorded on 20 July: it had happened by then.
    assert_eq!(
        standing(&env, "2025-07-20", "spans"),
        (
            json!("emerging"),
            json!("../2025-07"),
            json!({"status": "developing", "id": "span0001"}),
            json!(0)
        )
    );
    // Recorded after it ended, the interval counts from its last day.
    assert_eq!(
        standing(&env, "2025-08-31", "spans"),
        (
            json!("developing"),
            json!("2025-06/2025-08"),
            Value::Null,
            json!(0)
        )
    );
    assert_eq!(item(&env, "2025-09-10", "spans")["quiet_days"], 10);
    assert_eq!(item(&env, "2025-09-10", "spans")["developments"], 2);
    assert_eq!(
        item(&env, "2025-09-10", "spans")["last_date"],
        "2025-06/2025-08"
    );
}

#[test]
fn provisional_statuses_show_beside_the_status_in_every_format() {
    let env = recorded_tracker();
    let text = env.ok(&["status", "--as-of", "2025-07-20", "--watch", "spans"]);
    assert!(
        text.contains("spans  emerging developing?  ../2025-07"),
        "{text}"
    );
    let md = env.ok(&["status", "--as-of", "2025-07-20", "--format", "md"]);
    assert!(
        md.contains("| `spans` | **emerging** developing? (`span0001`) |"),
        "{md}"
    );
    let html = env.ok(&["status", "--as-of", "2025-07-20", "--format", "html"]);
    assert!(
        html.contains(r#"<span class="provisional" title="if span0001 has happened by now">developing?</span>"#),
        "{html}"
    );
    let csv = env.ok(&["status", "--as-of", "2025-07-20", "--format", "csv"]);
    let spans = csv.lines().find(|l| l.starts_with("spans,")).unwrap();
    assert!(spans.ends_with(",false,developing,span0001,,,,"), "{spans}");
}

/// A tracker with one development due on 15 September 2025.
fn scheduled_tracker() -> (TestEnv, String) {
    let env = TestEnv::with_items();
    let out = env.run(&[
        "log",
        "2025-09-15",
        "The summit is due",
        "--scheduled",
        "--watch",
        "intl-response=developing",
    ]);
    assert!(out.status.success());
    let stderr = stderr_of(&out);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("(2025-09-15, scheduled)"), "{stderr}");
    (env, stdout_of(&out).trim().to_string())
}

#[test]
fn a_scheduled_development_is_next_before_its_date_and_overdue_after() {
    let (env, id) = scheduled_tracker();
    let due = json!({"id": id, "date": "2025-09-15", "headline": "The summit is due"});
    for (as_of, next, overdue) in [
        ("2025-09-14", due.clone(), json!([])),
        ("2025-09-15", Value::Null, json!([id])),
        ("2025-10-01", Value::Null, json!([id])),
    ] {
        let row = item(&env, as_of, "intl-response");
        assert_eq!(row["next_scheduled"], next, "{as_of}");
        assert_eq!(row["overdue"], overdue, "{as_of}");
        // Due is not done: it never moves the status, nor counts.
        assert_eq!(row["status"], "open", "{as_of}");
        assert_eq!(row["provisional"], Value::Null, "{as_of}");
        assert_eq!(row["developments"], 0, "{as_of}");
    }
    let text = env.ok(&["status", "--as-of", "2025-09-14"]);
    assert!(text.contains("DUE"), "{text}");
    assert!(
        text.contains(&format!("next 2025-09-15: The summit is due ({id})")),
        "{text}"
    );
    let later = env.ok(&["status", "--as-of", "2025-10-01", "--format", "csv"]);
    assert!(later.contains(&format!(",,,,,{id}\r\n")), "{later}");
    let timeline = env.ok(&["timeline"]);
    assert!(timeline.contains("2025-09-15 (scheduled)"), "{timeline}");
}

#[test]
fn occurred_records_that_a_scheduled_development_happened_keeping_its_id() {
    let (env, id) = scheduled_tracker();
    let out = env.run(&["edit", &id, "--occurred"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    // The tests record in the present, after the date: it counts from its day.
    assert!(
        stderr_of(&out).contains(&format!(
            "recorded that {id} happened; it counts from 2025-09-15"
        )),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        standing(&env, "2025-09-15", "intl-response"),
        (
            json!("developing"),
            json!("2025-09-15"),
            Value::Null,
            json!(0)
        )
    );
    let row = item(&env, "2025-09-15", "intl-response");
    assert_eq!(
        (&row["next_scheduled"], &row["overdue"]),
        (&Value::Null, &json!([]))
    );
    assert_eq!(item(&env, "2025-09-14", "intl-response")["status"], "open");
    assert_eq!(
        env.ok(&["timeline", "--occurred", "--format", "csv"])
            .lines()
            .count(),
        2
    );
    // Undo makes it due again.
    env.ok_with(&["undo"], "undid #3 (edit, 1 record");
    assert_eq!(
        item(&env, "2025-10-01", "intl-response")["overdue"],
        json!([id])
    );
    // It happened a day late.
    env.ok_with(
        &["edit", &id, "--occurred", "--date", "2025-09-16"],
        &format!(
            "recorded that {id} happened; it counts from 2025-09-16\nlookout: \
            warning: 2025-09-16 is after today"
        ),
    );
    assert_eq!(
        item(&env, "2025-10-01", "intl-response")["since"],
        "2025-09-16"
    );
    assert_eq!(env.json_ids(&["timeline", "--occurred"]), [id.as_str()]);
}

#[test]
fn timeline_filters_scheduled_or_occurred_developments() {
    let (env, id) = scheduled_tracker();
    let done = env.log(&["2025-07-26", "Done", "--watch", "intl-response"]);
    assert_eq!(env.json_ids(&["timeline", "--scheduled"]), [id.as_str()]);
    assert_eq!(env.json_ids(&["timeline", "--occurred"]), [done.as_str()]);
    assert_eq!(env.json_ids(&["timeline"]), [done, id]);
    let json: Value =
        serde_json::from_str(&env.ok(&["timeline", "--scheduled", "--format", "json"])).unwrap();
    assert_eq!(json[0]["scheduled"], true);
    let csv = env.ok(&["timeline", "--scheduled", "--format", "csv"]);
    assert!(csv.contains(",2025-09-15,2025-09-15,true,"), "{csv}");
    let html = env.ok(&["timeline", "--format", "html"]);
    assert!(
        html.contains(r##"class="mark scheduled""##)
            && html.contains(r##"fill="none" stroke="#2a5fdb""##),
        "scheduled marks are hollow"
    );
}

#[test]
fn logging_a_development_dated_after_today_warns_and_still_logs() {
    let env = TestEnv::with_items();
    let out = env.run(&["log", "2025-09-01", "Not yet", "--watch", "intl-ai-org"]);
    assert!(out.status.success());
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(
            "warning: 2025-09-01 is after today (2025-08-01), yet it is now recorded as having happened"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--scheduled"), "{stderr}");
    assert_eq!(env.json_ids(&["timeline"]).len(), 1);
    // Started by today, or some time up to later: it may have happened.
    for date in ["2025-08", "2025", "../2025-12", "2025-07/2025-09"] {
        let headline = format!("Maybe already, {date}");
        let out = env.run(&["log", date, &headline, "--watch", "intl-ai-org"]);
        assert!(
            !stderr_of(&out).contains("warning"),
            "{date}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn bad_times_are_refused_naming_the_argument_and_changing_nothing() {
    let (env, id) = scheduled_tracker();
    let done = env.log(&["2025-07-26", "Done", "--watch", "intl-response"]);
    env.refused(
        &["log", "2025-09/2025-08", "Backwards"],
        65,
        "DATE: invalid date '2025-09/2025-08': its start 2025-09 is after its end 2025-08",
    );
    env.refused(
        &["log", "2025-07/..", "Open end"],
        65,
        "an interval needs an end",
    );
    env.refused(
        &["edit", &done, "--date", "/2025-07"],
        65,
        "--date: invalid date '/2025-07': an interval needs a start; write ../2025-07",
    );
    env.refused(
        &["edit", &done, "--occurred"],
        65,
        &format!("--occurred: {done} is not scheduled; it is already recorded as having happened"),
    );
    env.refused(
        &["timeline", "--scheduled", "--occurred"],
        2,
        "the argument '--scheduled' cannot be used with '--occurred'",
    );
    env.refused(
        &["timeline", "--from", "../2025-07"],
        65,
        "--from ../2025-07 has no first day",
    );
    env.refused(
        &["status", "--as-of", "2025-08/2025-07"],
        65,
        "--as-of: invalid date '2025-08/2025-07'",
    );
    env.refused(
        &["watch", "add", "x", "X", "--opened", "../2025-07"],
        65,
        "--opened: invalid date '../2025-07'",
    );
    // The scheduled one is still due.
    assert_eq!(env.json_ids(&["timeline", "--scheduled"]), [id]);
}

#[test]
fn as_of_an_interval_means_its_last_day() {
    let env = TestEnv::seeded();
    assert_eq!(status(&env, "2025-07-01/2025-08-01")["as_of"], "2025-08-01");
    assert_eq!(status(&env, "../2025-07")["as_of"], "2025-07-31");
}

/// The seed tracker as of a date, as text, with the JSON to check by hand.
fn seed_as_of(env: &TestEnv, as_of: &str) -> (String, Value) {
    (env.ok(&["status", "--as-of", as_of]), status(env, as_of))
}

#[test]
fn the_seed_tracker_before_the_article_asks_nothing_yet() {
    // The article's "what to watch next" questions were opened on 26 July,
    // the day of China's plan: on 25 July there is nothing to report.
    let env = TestEnv::seeded();
    let (text, json) = seed_as_of(&env, "2025-07-25");
    assert_eq!(json["items"], json!([]));
    snapshot("seed_status_2025_07_25", &text);
}

#[test]
fn the_seed_tracker_before_the_end_of_july_holds_what_may_have_happened_provisionally() {
    // On 28 July the councils the article calls newly formed may or may not
    // exist yet (some time up to July); the plans of 23 and 26 July did.
    let env = TestEnv::seeded();
    let (text, json) = seed_as_of(&env, "2025-07-28");
    let rows = json["items"].as_array().unwrap();
    let cells: Vec<(&str, &str, usize, i64, &Value)> = rows
        .iter()
        .map(|r| {
            (
                r["slug"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["developments"].as_u64().unwrap() as usize,
                r["quiet_days"].as_i64().unwrap(),
                &r["provisional"],
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("intl-ai-org", "emerging", 2, 2, &Value::Null),
            ("intl-response", "open", 1, 2, &Value::Null),
            (
                "us-counter-moves",
                "open",
                1,
                5,
                &json!({"status": "emerging", "id": "ct7n11xd"})
            ),
        ]
    );
    snapshot("seed_status_2025_07_28", &text);
}

#[test]
fn the_seed_tracker_on_the_first_of_august_counts_everything_the_article_reports() {
    // By 31 July all the article reports had happened: the plans, the
    // proposal, WAIC (July), and what it calls recent or newly formed.
    let env = TestEnv::seeded();
    let (text, json) = seed_as_of(&env, "2025-08-01");
    let summary: Vec<(&str, &str, &Value, u64, &str, i64)> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["slug"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                &r["since"],
                r["developments"].as_u64().unwrap(),
                r["last_date"].as_str().unwrap(),
                r["quiet_days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "intl-ai-org",
                "emerging",
                &json!("2025-07-26"),
                4,
                "2025-07-26",
                1
            ),
            ("intl-response", "open", &Value::Null, 2, "2025-07-26", 1),
            (
                "us-counter-moves",
                "emerging",
                &json!("../2025-07"),
                2,
                "2025-07-23",
                1
            ),
        ]
    );
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["provisional"].is_null())
    );
    snapshot("seed_status_2025_08_01", &text);
}

#[test]
fn the_seed_tracker_at_the_end_of_2025_has_gone_quiet() {
    // Nothing after July: 153 quiet days from 31 July, every live item stale.
    let env = TestEnv::seeded();
    let (text, json) = seed_as_of(&env, "2025-12-31");
    for row in json["items"].as_array().unwrap() {
        assert_eq!(row["quiet_days"], 153, "{row}");
        assert_eq!(row["stale"], true, "{row}");
        assert_eq!(row["provisional"], Value::Null, "{row}");
    }
    snapshot("seed_status_2025_12_31", &text);
}
