//! The vocabularies developments draw on: kinds, listed and extended, and
//! actors, listed with their counts and renamed everywhere.

use crate::env::{TestEnv, stderr_of};

#[test]
fn kinds_lists_the_seeded_vocabulary_and_add_extends_it() {
    let env = TestEnv::seeded();
    let csv = env.ok(&["kinds", "--format", "csv"]);
    assert!(csv.starts_with("kind,builtin,developments\r\n"));
    assert!(csv.contains("plan-release,true,2\r\n"), "{csv}");
    assert!(csv.contains("response,true,0\r\n"));
    let out = env.run(&["kinds", "add", "court-ruling"]);
    assert!(stderr_of(&out).contains("added kind 'court-ruling'"));
    let out = env.run(&["kinds", "add", "court-ruling"]);
    assert!(out.status.success());
    assert!(stderr_of(&out).contains("exists already"));
    env.log_warned(
        &["2025-09", "A court rules", "--kind", "court-ruling"],
        &["is after today", "bears on no watch item"],
    );
    assert!(env.ok(&["kinds"]).contains("court-ruling"));
    env.refused(
        &["kinds", "add", "Court Ruling"],
        65,
        "invalid kind name 'Court Ruling'",
    );
}

#[test]
fn actors_are_listed_with_counts() {
    let env = TestEnv::seeded();
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["actors", "--format", "json"])).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"actor": "China", "developments": 5},
            {"actor": "DeepSeek", "developments": 1},
            {"actor": "Global South", "developments": 1},
            {"actor": "US", "developments": 2},
        ])
    );
}

#[test]
fn actors_rename_everywhere_merging_into_an_existing_name() {
    let env = TestEnv::seeded();
    let both = env.log_warned(
        &[
            "2025-08-02",
            "US and U.S. named twice",
            "--watch",
            "us-counter-moves",
            "--actor",
            "U.S.",
            "--actor",
            "US",
        ],
        &["is after today"],
    );
    let before = env.ok(&["export"]);
    let out = env.run(&["actors", "rename", "U.S.", "US"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        stderr_of(&out),
        "renamed 'U.S.' to 'US' in 1 development, merged into the existing one\n"
    );
    let actors = env.ok(&["actors", "--format", "csv"]);
    assert!(
        actors.contains("US,3\r\n") && !actors.contains("U.S."),
        "{actors}"
    );
    let line = env.ok(&["show", &both, "--format", "json"]);
    assert!(line.contains("\"actors\": [\n    \"US\"\n  ]"), "{line}");
    let out = env.run(&["actors", "rename", "China", "People's Republic of China"]);
    assert!(
        stderr_of(&out).contains("in 5 developments"),
        "{}",
        stderr_of(&out)
    );
    // Each rename is one journal entry; undo puts the old names back.
    env.ok_with(&["undo"], "undid #4 (actors rename, 5 records");
    env.ok_with(&["undo"], "undid #3 (actors rename, 1 record");
    assert_eq!(env.ok(&["export"]), before);
    env.refused(
        &["actors", "rename", "Chna", "PRC"],
        65,
        "unknown actor 'Chna'",
    );
    env.refused(
        &["actors", "rename", "US", "US"],
        65,
        "OLD and NEW are both 'US'",
    );
    env.refused(&["actors", "rename", "US", "EU;UN"], 65, "contains ';'");
}
