//! `lookout status`: derivation as of any date, docs/DESIGN.md "Derivation".

use serde_json::Value;

use crate::env::TestEnv;

fn status_json(env: &TestEnv, args: &[&str]) -> Value {
    let mut full = vec!["status", "--format", "json"];
    full.extend_from_slice(args);
    serde_json::from_str(&env.ok(&full)).unwrap()
}

fn item<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == slug)
        .unwrap_or_else(|| panic!("no item {slug} in {report}"))
}

#[test]
fn seed_tracker_status_as_of_the_first_of_august() {
    let env = TestEnv::seeded();
    let report = status_json(&env, &["--as-of", "2025-08-01"]);
    assert_eq!(report["as_of"], "2025-08-01");
    let org = item(&report, "intl-ai-org");
    assert_eq!(org["status"], "emerging");
    assert_eq!(org["since"], "2025-07-26");
    assert_eq!(org["developments"], 4);
    assert_eq!(org["last_date"], "2025-07-26");
    assert_eq!(
        org["last_headline"],
        "Premier Li Qiang proposes a new international AI cooperation organisation"
    );
    let response = item(&report, "intl-response");
    assert_eq!(response["status"], "open");
    assert_eq!(response["since"], Value::Null);
    let us = item(&report, "us-counter-moves");
    assert_eq!(us["status"], "emerging");
    assert_eq!(us["since"], "../2025-07");
}

#[test]
fn as_of_a_month_means_its_last_day_and_items_opened_later_are_left_out() {
    let env = TestEnv::seeded();
    // The seed items were opened on 2025-07-26.
    let june = status_json(&env, &["--as-of", "2025-06"]);
    assert_eq!(june["as_of"], "2025-06-30");
    assert_eq!(june["items"], serde_json::json!([]));
    let july = status_json(&env, &["--as-of", "2025-07"]);
    assert_eq!(july["as_of"], "2025-07-31");
    assert_eq!(july["items"].as_array().unwrap().len(), 3);
}

#[test]
fn an_item_opened_in_a_month_appears_within_that_month() {
    let env = TestEnv::new();
    env.ok(&[
        "watch",
        "add",
        "feb-item",
        "Opened in February",
        "--opened",
        "2025-02",
    ]);
    let report = status_json(&env, &["--as-of", "2025-02-10"]);
    assert_eq!(report["items"][0]["slug"], "feb-item");
    assert_eq!(report["items"][0]["quiet_days"], 0);
    let report = status_json(&env, &["--as-of", "2025-01-31"]);
    assert_eq!(report["items"], serde_json::json!([]));
    // Quiet days count from the end of the opened interval.
    let report = status_json(&env, &["--as-of", "2025-03-10"]);
    assert_eq!(report["items"][0]["quiet_days"], 10);
}

#[test]
fn status_follows_the_last_change_and_since_the_start_of_its_run() {
    let env = TestEnv::with_items();
    env.log(&["2025-07-26", "proposal", "--watch", "intl-ai-org=emerging"]);
    env.log(&["2025-08-02", "again", "--watch", "intl-ai-org=emerging"]);
    env.log(&["2025-08-05", "no status", "--watch", "intl-ai-org"]);
    let org = status_json(&env, &["--as-of", "2025-08-10"]);
    let org = item(&org, "intl-ai-org");
    assert_eq!(org["status"], "emerging");
    assert_eq!(
        org["since"], "2025-07-26",
        "logging emerging twice does not move since"
    );
    assert_eq!(org["developments"], 3);
    assert_eq!(org["last_headline"], "no status");

    env.log(&[
        "2025-09-01",
        "talks stall",
        "--watch",
        "intl-ai-org=stalled",
    ]);
    env.log(&["2025-10", "talks resume", "--watch", "intl-ai-org=emerging"]);
    let later = status_json(&env, &["--as-of", "2025-11-01"]);
    let org = item(&later, "intl-ai-org");
    assert_eq!(org["status"], "emerging");
    assert_eq!(org["since"], "2025-10", "a broken run starts again");

    // As of an earlier date, the record then held.
    let then = status_json(&env, &["--as-of", "2025-09-15"]);
    assert_eq!(item(&then, "intl-ai-org")["status"], "stalled");
    assert_eq!(item(&then, "intl-ai-org")["since"], "2025-09-01");
}

#[test]
fn a_development_counts_once_it_has_certainly_happened() {
    // Recorded after September (the tests' clock records in the present),
    // a September development had certainly happened by 30 September.
    let env = TestEnv::with_items().today("2025-10-10");
    let id = env.log(&[
        "2025-09",
        "September news",
        "--watch",
        "intl-ai-org=developing",
    ]);
    let before = status_json(&env, &["--as-of", "2025-08-31"]);
    assert_eq!(item(&before, "intl-ai-org")["status"], "open");
    assert_eq!(item(&before, "intl-ai-org")["provisional"], Value::Null);
    // Within September it may have happened: open, developing provisionally.
    let during = status_json(&env, &["--as-of", "2025-09-01"]);
    assert_eq!(item(&during, "intl-ai-org")["status"], "open");
    assert_eq!(
        item(&during, "intl-ai-org")["provisional"],
        serde_json::json!({"status": "developing", "id": id})
    );
    assert_eq!(item(&during, "intl-ai-org")["developments"], 0);
    let settled = status_json(&env, &["--as-of", "2025-09-30"]);
    assert_eq!(item(&settled, "intl-ai-org")["status"], "developing");
    assert_eq!(item(&settled, "intl-ai-org")["provisional"], Value::Null);
    assert_eq!(item(&settled, "intl-ai-org")["quiet_days"], 0);
    let after = status_json(&env, &["--as-of", "2025-10-05"]);
    assert_eq!(item(&after, "intl-ai-org")["quiet_days"], 5);
}

#[test]
fn stale_depends_on_quiet_days_and_a_live_status() {
    let env = TestEnv::with_items();
    env.log(&["2025-07-26", "proposal", "--watch", "intl-ai-org=emerging"]);
    env.log(&["2025-07-26", "done", "--watch", "us-counter-moves=realised"]);
    let report = status_json(&env, &["--as-of", "2025-08-25"]);
    assert_eq!(item(&report, "intl-ai-org")["quiet_days"], 30);
    assert_eq!(item(&report, "intl-ai-org")["stale"], false);
    let report = status_json(&env, &["--as-of", "2025-08-26"]);
    assert_eq!(item(&report, "intl-ai-org")["stale"], true);
    assert_eq!(
        item(&report, "intl-response")["stale"],
        true,
        "open items go stale too"
    );
    assert_eq!(
        item(&report, "us-counter-moves")["stale"],
        false,
        "realised items never do"
    );
    let report = status_json(&env, &["--as-of", "2025-08-26", "--stale-after", "90"]);
    assert_eq!(item(&report, "intl-ai-org")["stale"], false);
}

#[test]
fn a_later_development_reopens_a_realised_item() {
    let env = TestEnv::with_items();
    env.log(&["2025-08-01", "launched", "--watch", "intl-ai-org=realised"]);
    env.log(&[
        "2025-09-01",
        "launch undone",
        "--watch",
        "intl-ai-org=stalled",
    ]);
    let report = status_json(&env, &["--as-of", "2025-12-31"]);
    assert_eq!(item(&report, "intl-ai-org")["status"], "stalled");
    assert_eq!(item(&report, "intl-ai-org")["stale"], true);
}

#[test]
fn same_day_developments_keep_the_order_they_were_recorded_in() {
    let env = TestEnv::with_items();
    env.log(&["2025-08-01", "first", "--watch", "intl-ai-org=emerging"]);
    env.log(&["2025-08-01", "second", "--watch", "intl-ai-org=developing"]);
    let report = status_json(&env, &["--as-of", "2025-08-01"]);
    assert_eq!(item(&report, "intl-ai-org")["status"], "developing");
    assert_eq!(item(&report, "intl-ai-org")["last_headline"], "second");
}

#[test]
fn a_day_precise_date_comes_before_a_month_precise_one_starting_that_day() {
    let env = TestEnv::with_items();
    // Logged in the opposite order to timeline order.
    env.log(&["2025-08", "the month", "--watch", "intl-ai-org=developing"]);
    env.log(&["2025-08-01", "the first", "--watch", "intl-ai-org=emerging"]);
    let report = status_json(&env, &["--as-of", "2025-08-31"]);
    assert_eq!(item(&report, "intl-ai-org")["status"], "developing");
    assert_eq!(item(&report, "intl-ai-org")["last_headline"], "the month");
}

#[test]
fn watch_filter_reports_only_those_items() {
    let env = TestEnv::seeded();
    let report = status_json(
        &env,
        &["--watch", "intl-response", "--watch", "intl-ai-org"],
    );
    let slugs: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["intl-ai-org", "intl-response"]);
}

#[test]
fn status_refusals() {
    let env = TestEnv::seeded();
    let stderr = env.refused(
        &["status", "--watch", "intl-respons"],
        65,
        "--watch: unknown watch item 'intl-respons'",
    );
    assert!(stderr.contains("did you mean 'intl-response'?"));
    env.refused(
        &["status", "--as-of", "2025-02-29"],
        65,
        "--as-of: invalid date '2025-02-29'",
    );
    env.refused(
        &["status", "--stale-after", "-3"],
        2,
        "invalid value '-3' for '--stale-after <DAYS>'",
    );
    env.refused(&["status", "--format", "xml"], 2, "invalid value 'xml'");
}

#[test]
fn csv_has_the_item_fields_as_columns() {
    let env = TestEnv::seeded();
    let csv = env.ok(&["status", "--as-of", "2025-08-01", "--format", "csv"]);
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "slug,title,status,since,developments,last_date,last_headline,quiet_days,stale,\
         provisional_status,provisional_id,next_scheduled_id,next_scheduled_date,\
         next_scheduled_headline,overdue"
    );
    let response = csv
        .split("\r\n")
        .find(|l| l.starts_with("intl-response"))
        .unwrap();
    assert!(response.contains(",open,,2,2025-07-26,"), "{response}");
    assert!(response.ends_with(",1,false,,,,,,"), "{response}");
}
