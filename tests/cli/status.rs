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
    env.ok_with(
        &[
            "watch",
            "add",
            "feb-item",
            "Opened in February",
            "--opened",
            "2025-02",
        ],
        "watching feb-item (opened 2025-02)",
    );
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
    env.log_warned(
        &["2025-08-02", "again", "--watch", "intl-ai-org=emerging"],
        &["is after today"],
    );
    env.log_warned(
        &["2025-08-05", "no status", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    let org = status_json(&env, &["--as-of", "2025-08-10"]);
    let org = item(&org, "intl-ai-org");
    assert_eq!(org["status"], "emerging");
    assert_eq!(
        org["since"], "2025-07-26",
        "logging emerging twice does not move since"
    );
    assert_eq!(org["developments"], 3);
    assert_eq!(org["last_headline"], "no status");

    env.log_warned(
        &[
            "2025-09-01",
            "talks stall",
            "--watch",
            "intl-ai-org=stalled",
        ],
        &["is after today"],
    );
    env.log_warned(
        &["2025-10", "talks resume", "--watch", "intl-ai-org=emerging"],
        &["is after today"],
    );
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
    env.log_warned(
        &[
            "2025-09-01",
            "launch undone",
            "--watch",
            "intl-ai-org=stalled",
        ],
        &["is after today"],
    );
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

/// Every line of `shown` fits `width`, and each token is whole on some
/// line, as a word of its own: or its column was left out, and said.
fn reads_at(width: u16, shown: &str, tokens: &[(&str, String)]) {
    for line in shown.lines() {
        assert!(
            line.chars().count() <= usize::from(width),
            "{width}: a line of {} columns:\n{line}\n{shown}",
            line.chars().count()
        );
    }
    let header = shown
        .lines()
        .find(|l| l.starts_with("ITEM "))
        .unwrap_or_else(|| panic!("no table:\n{shown}"));
    for (column, token) in tokens {
        if !header.split_whitespace().any(|h| h == *column) {
            assert!(
                shown.contains("Left out to fit:") && shown.contains(column),
                "{width}: {column} is neither shown nor said to be left out:\n{shown}"
            );
            continue;
        }
        assert!(
            shown.lines().any(|l| l
                .split_whitespace()
                .any(|w| w.trim_matches(['(', ')', ':']) == token)),
            "{width}: {column} {token:?} is not whole on any line:\n{shown}"
        );
    }
}

/// The slugs, statuses, dates and counts a status report shows, with their column.
fn status_tokens(env: &TestEnv, args: &[&str]) -> Vec<(&'static str, String)> {
    let report = status_json(env, args);
    let mut tokens = Vec::new();
    for item in report["items"].as_array().unwrap() {
        let text = |key: &str| item[key].as_str().map(str::to_string);
        tokens.push(("ITEM", text("slug").unwrap()));
        tokens.push(("STATUS", text("status").unwrap()));
        tokens.extend(text("since").map(|t| ("SINCE", t)));
        tokens.extend(text("last_date").map(|t| ("LAST", t)));
        tokens.push(("DEVS", item["developments"].to_string()));
        tokens.push(("QUIET", item["quiet_days"].to_string()));
        if let Some(next) = item["next_scheduled"].as_object() {
            tokens.push(("DUE", next["id"].as_str().unwrap().to_string()));
            tokens.push(("DUE", next["date"].as_str().unwrap().to_string()));
        }
        for id in item["overdue"].as_array().unwrap().iter().take(2) {
            tokens.push(("DUE", id.as_str().unwrap().to_string()));
        }
    }
    tokens
}

#[test]
fn the_seed_status_reads_at_80_and_120_columns_without_splitting_a_token() {
    let env = TestEnv::seeded();
    let args = ["status", "--as-of", "2025-08-01"];
    let tokens = status_tokens(&env, &args[1..]);
    for width in [80u16, 120] {
        let Some(shown) = env.on_terminal(width, &args) else {
            return;
        };
        reads_at(width, &shown, &tokens);
        crate::reports::snapshot(&format!("status_text_seed_{width}_columns"), &shown);
    }
    // 80 columns leave the counts out, and say so; 120 show every column.
    let at_80 = env.on_terminal(80, &args).unwrap();
    assert!(
        at_80.ends_with("Left out to fit: QUIET, STALE, DEVS, LAST (--wide shows all)\n"),
        "{at_80}"
    );
    assert!(!env.on_terminal(120, &args).unwrap().contains("Left out"));
}

/// A tracker with long slugs and titles, and developments scheduled for
/// dates that have passed by today (2026-04-01).
pub fn long_tracker() -> TestEnv {
    let env = TestEnv::new().today("2026-04-01");
    env.ok_with(
        &[
            "watch",
            "add",
            "eu-ai-act-governance-omnibus",
            "Governance of the EU AI Act omnibus simplification package and its consequences for \
         general-purpose AI model providers",
            "--opened",
            "2025-07",
        ],
        "watching eu-ai-act-governance-omnibus (opened 2025-07)",
    );
    env.ok_with(
        &[
            "watch",
            "add",
            "intl-ai-cooperation-organisation",
            "International AI cooperation organisation proposed by China: membership, headquarters \
         in Shanghai and its operational model",
            "--opened",
            "2025-07",
        ],
        "watching intl-ai-cooperation-organisation (opened 2025-07)",
    );
    env.log(&[
        "2025-11-19",
        "The European Commission proposes the digital omnibus, delaying the high-risk \
         obligations of the AI Act by up to sixteen months",
        "--watch",
        "eu-ai-act-governance-omnibus=developing",
    ]);
    env.log(&[
        "2026-09",
        "Parliament votes on the omnibus",
        "--scheduled",
        "--watch",
        "eu-ai-act-governance-omnibus",
    ]);
    env.log(&[
        "2026-03",
        "A follow-up summit on the organisation",
        "--scheduled",
        "--watch",
        "intl-ai-cooperation-organisation",
    ]);
    env
}

/// The long tracker's ids are new each run: the snapshots name them by what they are.
fn with_ids_named(env: &TestEnv, shown: &str) -> String {
    let mut shown = shown.to_string();
    for dev in serde_json::from_str::<Value>(&env.ok(&["timeline", "--format", "json"]))
        .unwrap()
        .as_array()
        .unwrap()
    {
        let id = dev["id"].as_str().unwrap();
        // As wide as an id (eight characters), so the layout is the one shown.
        shown = shown.replace(id, &format!("#{}", &dev["date"].as_str().unwrap()[..7]));
    }
    shown
}

#[test]
fn a_status_of_long_slugs_and_titles_reads_at_80_and_120_columns() {
    let env = long_tracker();
    let tokens = status_tokens(&env, &[]);
    for width in [80u16, 120] {
        let Some(shown) = env.on_terminal(width, &["status"]) else {
            return;
        };
        reads_at(width, &shown, &tokens);
        crate::reports::snapshot(
            &format!("status_text_long_{width}_columns"),
            &with_ids_named(&env, &shown),
        );
    }
    // --wide shows every column whatever the width, and cuts nothing.
    let wide = env.on_terminal(80, &["status", "--wide"]).unwrap();
    assert!(!wide.contains("Left out"), "{wide}");
    assert!(wide.contains("sixteen months"), "{wide}");
    assert_eq!(wide, env.ok(&["status", "--wide"]).replace("\r\n", "\n"));
}

#[test]
fn the_timeline_at_60_columns_keeps_its_dates_and_ids_whole() {
    let env = long_tracker();
    let Some(shown) = env.on_terminal(60, &["timeline"]) else {
        return;
    };
    for line in shown.lines() {
        assert!(line.chars().count() <= 60, "{line}\n{shown}");
    }
    for id in env.json_ids(&["timeline"]) {
        assert!(
            shown.lines().any(|l| l.split_whitespace().any(|w| w == id)),
            "{id} is split:\n{shown}"
        );
    }
    assert!(shown.contains("Left out to fit: ACTORS"), "{shown}");
}

#[test]
fn what_is_overdue_is_named_by_its_headline_in_text_md_and_html() {
    let env = long_tracker();
    let summit = env.json_ids(&["timeline", "--watch", "intl-ai-cooperation-organisation"]);
    let summit = &summit[0];
    let line = format!("overdue: A follow-up summit on the… ({summit})");
    let text = env.ok(&["status"]);
    assert!(text.contains(&line), "{text}");
    let md = env.ok(&["status", "--format", "md"]);
    assert!(md.contains(&line), "{md}");
    let html = env.ok(&["status", "--format", "html"]);
    assert!(
        html.contains(&format!(
            "overdue</span>: A follow-up summit on the organisation <code>{summit}</code>"
        )),
        "{html}"
    );
    // The JSON still lists the ids.
    let report = status_json(&env, &[]);
    let org = item(&report, "intl-ai-cooperation-organisation");
    assert_eq!(org["overdue"], serde_json::json!([summit]));
    // Past a couple, the rest are counted.
    for (date, headline) in [("2026-01", "A first meeting"), ("2026-02", "A charter")] {
        env.log(&[
            date,
            headline,
            "--scheduled",
            "--watch",
            "intl-ai-cooperation-organisation",
        ]);
    }
    let text = env.ok(&["status"]);
    assert!(text.contains("and 1 more overdue"), "{text}");
    assert!(
        !text.contains(summit.as_str()),
        "the third is counted, not named:\n{text}"
    );
    let html = env.ok(&["status", "--format", "html"]);
    assert!(html.contains("and 1 more overdue"), "{html}");
}

#[test]
fn at_80_columns_a_stale_item_still_says_so() {
    let env = TestEnv::seeded();
    // By the end of 2025 every seed item had been quiet for months.
    let Some(shown) = env.on_terminal(80, &["status", "--as-of", "2025-12-31"]) else {
        return;
    };
    let header = shown.lines().find(|l| l.starts_with("ITEM ")).unwrap();
    assert!(header.contains(" STALE "), "{shown}");
    assert_eq!(shown.matches(" stale ").count(), 3, "{shown}");
    assert!(
        shown.contains("Left out to fit: QUIET, DEVS, LAST, SINCE (--wide shows all)"),
        "{shown}"
    );
    assert!(shown.lines().all(|l| l.chars().count() <= 80), "{shown}");
}
