//! `--tag` (on status, timeline, search and changes), `--recorded-since`
//! (timeline, search) and `history --since`, alone and with the other
//! filters, on the briefing scenario (tests/fixtures/briefing), whose
//! developments say when they were recorded.

use serde_json::Value;

use crate::env::TestEnv;

fn slugs(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut full = vec!["status"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--format", "json"]);
    let report: Value = serde_json::from_str(&env.ok(&full)).unwrap();
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn tag_keeps_developments_linked_to_an_item_carrying_it() {
    let env = TestEnv::briefing();
    // us02 is linked to us-response and to gpai-code, which is tagged eu.
    assert_eq!(
        env.json_ids(&["timeline", "--tag", "eu"]),
        [
            "gp01", "of01", "st01", "of02", "st02", "gp02", "gp03", "us02"
        ]
    );
    assert_eq!(
        env.json_ids(&["timeline", "--tag", "us"]),
        ["us03", "us01", "us02"]
    );
    // Repeated: any of them.
    assert_eq!(
        env.json_ids(&["timeline", "--tag", "standards", "--tag", "us"]),
        ["st01", "us03", "st02", "us01", "us02"]
    );
    // With other filters, all must hold.
    assert_eq!(
        env.json_ids(&["timeline", "--tag", "eu", "--kind", "statement"]),
        ["gp01", "of02", "gp02"]
    );
    assert_eq!(
        env.json_ids(&["timeline", "--tag", "eu", "--watch", "us-response"]),
        ["us02"]
    );
    assert_eq!(
        env.json_ids(&[
            "timeline",
            "--tag",
            "eu",
            "--actor",
            "CEN-CENELEC",
            "--from",
            "2025-09"
        ]),
        ["st02"]
    );
    assert_eq!(
        env.json_ids(&["timeline", "--tag", "eu", "--scheduled", "--to", "2025-12"]),
        ["st02"]
    );
    assert_eq!(
        env.json_ids(&["search", "code", "--tag", "eu"]).len(),
        2,
        "gp01 and gp02 name the code"
    );
    assert!(env.json_ids(&["search", "code", "--tag", "us"]).is_empty());
}

#[test]
fn tag_selects_the_items_of_a_status_report() {
    let env = TestEnv::briefing();
    assert_eq!(
        slugs(&env, &["--tag", "eu"]),
        ["ai-office", "gpai-code", "standards"]
    );
    assert_eq!(
        slugs(&env, &["--tag", "us", "--tag", "standards"]),
        ["quiet-item", "standards", "us-response"]
    );
    assert_eq!(
        slugs(&env, &["--tag", "us", "--watch", "quiet-item"]),
        ["quiet-item"]
    );
    assert!(slugs(&env, &["--tag", "eu", "--watch", "quiet-item"]).is_empty());
    assert_eq!(
        slugs(&env, &["--tag", "eu", "--as-of", "2025-06"]),
        Vec::<String>::new(),
        "opened in July"
    );
}

#[test]
fn recorded_since_keeps_what_was_logged_on_or_after_a_day() {
    let env = TestEnv::briefing();
    // Recorded on 9, 10 and 12 September; of02 is about 15 August.
    assert_eq!(
        env.json_ids(&["timeline", "--recorded-since", "2025-09-01"]),
        ["of02", "gp02", "gp03"]
    );
    // On the day counts; a month starts on its first day.
    assert_eq!(
        env.json_ids(&["timeline", "--recorded-since", "2025-09-10"]),
        ["of02", "gp03"]
    );
    assert_eq!(
        env.json_ids(&["timeline", "--recorded-since", "2025-09"]),
        ["of02", "gp02", "gp03"]
    );
    assert!(
        env.json_ids(&["timeline", "--recorded-since", "2025-09-13"])
            .is_empty()
    );
    // With the other filters.
    assert_eq!(
        env.json_ids(&[
            "timeline",
            "--recorded-since",
            "2025-09-01",
            "--from",
            "2025-09"
        ]),
        ["gp02", "gp03"]
    );
    assert_eq!(
        env.json_ids(&[
            "timeline",
            "--recorded-since",
            "2025-09-01",
            "--tag",
            "eu",
            "--watch",
            "ai-office"
        ]),
        ["of02"]
    );
    assert!(
        env.json_ids(&["timeline", "--recorded-since", "2025-09-01", "--tag", "us"])
            .is_empty()
    );
    assert_eq!(
        env.json_ids(&["timeline", "--recorded-since", "2025-07-02", "--scheduled"]),
        ["us01", "us02"]
    );
    assert_eq!(
        env.json_ids(&["search", "code", "--recorded-since", "2025-09-01"]),
        ["gp02"]
    );
    assert_eq!(
        env.json_ids(&[
            "search",
            "sign",
            "--recorded-since",
            "2025-09-01",
            "--actor",
            "Meta"
        ]),
        ["gp03"]
    );
}

#[test]
fn history_since_keeps_the_entries_made_on_or_after_a_day() {
    // Journal entries are stamped by the system clock, not the pinned day.
    let env = TestEnv::briefing();
    env.ok_with(
        &["watch", "edit", "quiet-item", "--tag", "quiet"],
        "updated quiet-item",
    );
    let all = env.ok(&["history"]);
    assert_eq!(env.ok(&["history", "--since", "2000-01-01"]), all);
    assert_eq!(
        env.ok(&["history", "--since", "2999-01-01"]),
        "No changes recorded on or after 2999-01-01.\n"
    );
    let json: Value =
        serde_json::from_str(&env.ok(&["history", "--since", "2000", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let about: Value = serde_json::from_str(&env.ok(&[
        "history",
        "quiet-item",
        "--since",
        "2000-01-01",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        about.as_array().unwrap().len(),
        2,
        "the import and the edit"
    );
}

#[test]
fn refusals_name_the_flag() {
    let env = TestEnv::briefing();
    let tag = env.refused(
        &["timeline", "--tag", "EU"],
        65,
        "--tag: no watch item is tagged 'EU'",
    );
    assert!(tag.contains("did you mean 'eu'?"), "{tag}");
    env.refused(
        &["status", "--tag", "nowhere"],
        65,
        "--tag: no watch item is tagged 'nowhere'",
    );
    env.refused(
        &["search", "code", "--tag", "a;b"],
        65,
        "--tag: tag 'a;b' contains ';'",
    );
    env.refused(
        &["timeline", "--recorded-since", "../2025-09"],
        65,
        "--recorded-since ../2025-09 has no first day",
    );
    env.refused(
        &["search", "code", "--recorded-since", "2025-02-30"],
        65,
        "--recorded-since: ",
    );
    env.refused(&["history", "--since", "soon"], 65, "--since: ");
}
