//! `lookout log`: recording developments, and every refusal.

use crate::env::{TestEnv, stderr_of};

#[test]
fn log_prints_the_new_id_alone_on_stdout() {
    let env = TestEnv::with_items();
    let out = env.run(&[
        "log",
        "2025-07-30",
        "EU comments on the proposed organisation",
        "--watch",
        "intl-response=emerging",
        "--kind",
        "response",
        "--actor",
        "EU",
        "--source",
        "https://example.org/eu",
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let id = stdout.trim_end_matches('\n');
    assert_eq!(id.len(), 8, "{stdout:?}");
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert_eq!(stdout, format!("{id}\n"));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "logged {id} (2025-07-30) against intl-response=emerging"
        )),
        "{stderr}"
    );

    let shown = env.ok(&["show", id]);
    assert!(shown.contains("EU comments on the proposed organisation"));
    assert!(shown.contains("intl-response=emerging"));
    assert!(shown.contains("https://example.org/eu"));
}

#[test]
fn quiet_log_says_nothing_on_stderr() {
    let env = TestEnv::with_items();
    let out = env.run(&[
        "-q",
        "log",
        "2025-07",
        "Something",
        "--watch",
        "intl-ai-org",
    ]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
}

#[test]
fn today_and_yesterday_resolve_to_the_pinned_day() {
    let env = TestEnv::with_items();
    let today = env.log(&["today", "Now", "--watch", "intl-ai-org"]);
    let yesterday = env.log(&["yesterday", "Before", "--watch", "intl-ai-org"]);
    assert!(env.ok(&["show", &today]).contains("2025-08-01 (day)"));
    assert!(env.ok(&["show", &yesterday]).contains("2025-07-31 (day)"));
}

#[test]
fn log_defaults_to_kind_other_and_needs_no_watch_item() {
    let env = TestEnv::new();
    let id = env.log_warned(&["2025", "A loose end"], &["bears on no watch item"]);
    let shown = env.ok(&["show", &id]);
    assert!(shown.contains("kind         other"), "{shown}");
    assert!(shown.contains("watch        -"), "{shown}");
}

#[test]
fn unknown_watch_item_is_refused_with_a_suggestion() {
    let env = TestEnv::with_items();
    let stderr = env.refused(
        &["log", "2025-07-30", "x", "--watch", "intl-org=emerging"],
        65,
        "--watch: unknown watch item 'intl-org'",
    );
    assert!(stderr.contains("did you mean 'intl-ai-org'?"), "{stderr}");
}

#[test]
fn unknown_status_lists_the_valid_ones() {
    let env = TestEnv::with_items();
    let stderr = env.refused(
        &["log", "2025-07-30", "x", "--watch", "intl-ai-org=launched"],
        65,
        "unknown status 'launched'",
    );
    assert!(
        stderr.contains("open, emerging, developing, stalled, realised, dropped"),
        "{stderr}"
    );
}

#[test]
fn unknown_kind_lists_the_valid_ones() {
    let env = TestEnv::with_items();
    let stderr = env.refused(
        &["log", "2025-07-30", "x", "--kind", "plan-relase"],
        65,
        "--kind: unknown kind 'plan-relase'",
    );
    assert!(stderr.contains("did you mean 'plan-release'?"), "{stderr}");
    assert!(stderr.contains("counter-move"), "{stderr}");
}

#[test]
fn impossible_dates_are_refused_never_clamped() {
    let env = TestEnv::with_items();
    env.refused(
        &["log", "2025-02-30", "x"],
        65,
        "DATE: invalid date '2025-02-30': February 2025 has 28 days",
    );
    env.refused(&["log", "2025-13", "x"], 65, "there is no month 13");
    env.refused(
        &["log", "26 July 2025", "x"],
        65,
        "expected YYYY-MM-DD, YYYY-MM or YYYY",
    );
}

#[test]
fn blank_headlines_and_separator_in_actor_are_refused() {
    let env = TestEnv::with_items();
    env.refused(
        &["log", "2025-07-30", "  "],
        65,
        "HEADLINE: the headline is empty",
    );
    env.refused(
        &["log", "2025-07-30", "x", "--actor", "EU;India"],
        65,
        "--actor: actor 'EU;India' contains ';'",
    );
    env.refused(
        &[
            "log",
            "2025-07-30",
            "x",
            "--watch",
            "intl-ai-org",
            "--watch",
            "intl-ai-org=emerging",
        ],
        65,
        "watch item 'intl-ai-org' is named twice",
    );
}

#[test]
fn a_refused_log_on_a_new_store_leaves_no_store_behind() {
    let env = TestEnv::new();
    env.refused(
        &["log", "2025-07-30", "x", "--kind", "nonsense"],
        65,
        "unknown kind",
    );
    assert!(!env.db().exists(), "the refused command left a store file");
}

#[test]
fn sources_keep_order_and_encode_the_list_separator() {
    let env = TestEnv::new();
    let id = env.log_warned(
        &[
            "2025",
            "x",
            "--source",
            "https://b.example/x;y",
            "--source",
            "https://a.example/",
        ],
        &["bears on no watch item"],
    );
    let json = env.ok(&["show", &id, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["sources"],
        serde_json::json!(["https://b.example/x%3By", "https://a.example/"])
    );
}

#[test]
fn log_refuses_a_repeat_naming_the_recorded_one_unless_forced() {
    let env = TestEnv::seeded();
    let args = [
        "log",
        "2025-07-26",
        "premier li qiang  proposes a new international AI cooperation organisation",
        "--watch",
        "intl-ai-org",
        "--actor",
        "China",
    ];
    env.refused(
        &args,
        65,
        "jtce187y records this already: same date, watch items and headline",
    );
    // Another date, another watch item, or --force: logged.
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(env.log(&forced[1..]).len(), 8);
    let mut elsewhere = args.to_vec();
    elsewhere[4] = "intl-response";
    assert_eq!(env.log(&elsewhere[1..]).len(), 8);
    // A retracted development is no longer recorded for this purpose.
    env.ok_with(
        &["retract", "4fd2sax0", "--reason", "wrong"],
        "retracted 4fd2sax0: Over 800 companies showcase thousands of AI innovations at WAIC",
    );
    env.log(&[
        "2025-07",
        "Over 800 companies showcase thousands of AI innovations at WAIC",
        "--watch",
        "intl-ai-org",
    ]);
}
