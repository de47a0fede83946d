//! `lookout watch add|list|show|edit|remove`.

use serde_json::Value;

use crate::env::{ITEMS_IMPORTED, TestEnv, stderr_of};

#[test]
fn add_then_list_and_show() {
    let env = TestEnv::new();
    let out = env.run(&[
        "watch",
        "add",
        "eu-ai-office",
        "EU AI Office response",
        "--description",
        "Does the EU AI Office respond?",
        "--opened",
        "2025-07",
        "--tag",
        "eu",
        "--tag",
        "governance",
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("watching eu-ai-office (opened 2025-07)"));
    let list = env.ok(&["watch", "list", "--format", "csv"]);
    assert_eq!(
        list,
        "slug,title,description,opened,tags\r\neu-ai-office,EU AI Office response,Does the EU AI Office respond?,2025-07,eu;governance\r\n"
    );
    let shown: Value =
        serde_json::from_str(&env.ok(&["watch", "show", "eu-ai-office", "--format", "json"]))
            .unwrap();
    assert_eq!(shown["description"], "Does the EU AI Office respond?");
    assert_eq!(shown["status"]["status"], "open");
    assert_eq!(shown["developments"], serde_json::json!([]));
}

#[test]
fn opened_defaults_to_today() {
    let env = TestEnv::new();
    env.ok_with(
        &["watch", "add", "x", "X"],
        "watching x (opened 2025-08-01)",
    );
    assert!(env.ok(&["watch", "list"]).contains("2025-08-01"));
}

#[test]
fn show_lists_the_item_developments_and_status() {
    let env = TestEnv::seeded();
    let text = env.ok(&["watch", "show", "intl-ai-org"]);
    assert!(
        text.contains("status       emerging since 2025-07-26"),
        "{text}"
    );
    assert!(text.contains("Premier Li Qiang proposes"));
    assert!(!text.contains("US releases its AI Action Plan"));
}

#[test]
fn edit_changes_only_what_is_asked() {
    let env = TestEnv::with_items();
    env.ok_with(
        &[
            "watch",
            "edit",
            "intl-ai-org",
            "--title",
            "Global AI body",
            "--tag",
            "shanghai",
            "--untag",
            "china",
        ],
        "updated intl-ai-org",
    );
    let shown: Value =
        serde_json::from_str(&env.ok(&["watch", "show", "intl-ai-org", "--format", "json"]))
            .unwrap();
    assert_eq!(shown["title"], "Global AI body");
    assert_eq!(
        shown["tags"],
        serde_json::json!(["governance", "un", "shanghai"])
    );
    assert_eq!(shown["opened"], "2025-07-26");
    env.ok_with(
        &["watch", "edit", "intl-ai-org", "--no-description"],
        "updated intl-ai-org",
    );
    let shown: Value =
        serde_json::from_str(&env.ok(&["watch", "show", "intl-ai-org", "--format", "json"]))
            .unwrap();
    assert_eq!(shown["description"], Value::Null);
}

#[test]
fn remove_refuses_an_item_with_links_unless_forced() {
    let env = TestEnv::seeded();
    let stderr = env.refused(
        &["watch", "remove", "intl-response"],
        65,
        "watch item 'intl-response' has 2 linked developments",
    );
    assert!(stderr.contains("--force"));
    env.ok_with(
        &["watch", "remove", "intl-response", "--force"],
        "removed intl-response and 2 links",
    );
    assert!(!env.ok(&["watch", "list"]).contains("intl-response"));
    // The developments stay, without that link.
    assert!(env.ok(&["show", "d2vehq94"]).contains("watch        -"));
    let env = TestEnv::new();
    env.ok_with(
        &["watch", "add", "unused", "Unused"],
        "watching unused (opened 2025-08-01)",
    );
    env.ok_with(&["watch", "remove", "unused"], "removed unused and 0 links");
    assert_eq!(env.ok(&["watch", "list", "--format", "json"]), "[]\n");
}

#[test]
fn watch_refusals() {
    let env = TestEnv::with_items();
    env.refused(
        &["watch", "add", "intl-ai-org", "Again"],
        65,
        "watch item 'intl-ai-org' already exists",
    );
    env.refused(
        &["watch", "add", "Intl_AI", "Bad"],
        65,
        "SLUG: invalid watch slug 'Intl_AI'",
    );
    env.refused(
        &["watch", "add", "ok", "  "],
        65,
        "TITLE: the title is empty",
    );
    env.refused(
        &["watch", "add", "ok", "Ok", "--opened", "2025-04-31"],
        65,
        "--opened: invalid date '2025-04-31'",
    );
    env.refused(
        &["watch", "add", "ok", "Ok", "--tag", "a;b"],
        65,
        "--tag: tag 'a;b' contains ';'",
    );
    env.refused(
        &["watch", "show", "intl-ai"],
        65,
        "did you mean 'intl-ai-org'?",
    );
    env.refused(
        &["watch", "edit", "intl-ai-org"],
        2,
        "the following required arguments were not provided",
    );
    env.refused(
        &["watch", "edit", "intl-ai-org", "--untag", "nope"],
        65,
        "has no tag 'nope'",
    );
    env.refused(
        &["watch", "edit", "nope", "--title", "x"],
        65,
        "unknown watch item 'nope'",
    );
    env.refused(
        &["watch", "remove", "nope"],
        65,
        "unknown watch item 'nope'",
    );
}

#[test]
fn watch_list_csv_imports_back_as_the_same_items() {
    let env = TestEnv::with_items();
    let csv = env.ok(&["watch", "list", "--format", "csv"]);
    let file = env.file("items.csv", &csv);
    let other = TestEnv::new();
    other.ok_with(&["import", &file], ITEMS_IMPORTED);
    assert_eq!(
        other.ok(&["watch", "list", "--format", "json"]),
        env.ok(&["watch", "list", "--format", "json"])
    );
    assert!(
        csv.starts_with("slug,title,description,opened,tags\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Realised when the organisation is formally launched"),
        "{csv}"
    );
}
