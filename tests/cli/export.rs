//! `lookout export` and the round trips a team relies on to share a tracker.

use crate::env::{TestEnv, stderr_of};

/// A store with a user kind, an edited item and awkward text.
fn rich() -> TestEnv {
    let env = TestEnv::seeded();
    env.ok_with(
        &["kinds", "add", "court-ruling"],
        "added kind 'court-ruling'",
    );
    env.log_warned(
        &[
            "2025-09~",
            "=cmd|' /C calc'!A0, \"quoted\"\nnext line",
            "--watch",
            "intl-ai-org=developing",
            "--watch",
            "intl-response",
            "--kind",
            "court-ruling",
            "--actor",
            "欧盟",
            "--actor",
            "@EU",
            "--summary=-starts with a minus; has; semicolons",
            "--source",
            "https://example.org/a;b",
        ],
        &["is after today"],
    );
    env
}

#[test]
fn two_exports_of_one_store_are_byte_identical() {
    let env = rich();
    let first = env.ok(&["export"]);
    assert_eq!(env.ok(&["export"]), first);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines.len(), 1 + 3 + 9);
    assert_eq!(lines[0], r#"{"type":"kind","name":"court-ruling"}"#);
    assert!(lines[1].starts_with(r#"{"type":"watch","slug":"intl-ai-org","#));
    // Developments sorted by id.
    let ids: Vec<String> = lines[4..]
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[test]
fn jsonl_into_an_empty_store_exports_the_same_bytes() {
    let env = rich();
    let export = env.ok(&["export"]);
    let copy = TestEnv::new();
    let file = copy.file("tracker.jsonl", &export);
    let out = copy.run(&["import", &file]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains(
            "13 added, 0 updated, 0 unchanged, 0 rejected (1 kind, 3 watch items, 9 developments)"
        ),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(copy.ok(&["export"]), export);
    // And importing it again changes nothing.
    let before = copy.fingerprint();
    let out = copy.run(&["import", &file]);
    assert!(
        stderr_of(&out).contains("0 added, 0 updated, 13 unchanged"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(copy.fingerprint(), before);
}

#[test]
fn csv_export_is_the_timeline_of_every_development() {
    let env = rich();
    let out = env.run(&["export", "--format", "csv", "--output", "all.csv"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(stderr_of(&out).contains("exported 9 developments to all.csv"));
    let written = std::fs::read_to_string(env.dir().join("all.csv")).unwrap();
    assert_eq!(written, env.ok(&["timeline", "--format", "csv"]));
    // CSV → a fresh store → CSV gives the same bytes (the guard comes off and on again).
    let copy = TestEnv::with_items();
    copy.ok_with(
        &["kinds", "add", "court-ruling"],
        "added kind 'court-ruling'",
    );
    copy.ok_with(
        &["import", env.dir().join("all.csv").to_str().unwrap()],
        "imported 1 file: 9 added, 0 updated, 0 unchanged, 0 rejected (9 developments)",
    );
    assert_eq!(copy.ok(&["export", "--format", "csv"]), written);
}

#[test]
fn a_jsonl_update_by_id_wins_and_is_counted() {
    let env = TestEnv::seeded();
    let export = env.ok(&["export"]);
    let edited = export.replace(
        r#""headline":"US releases its AI Action Plan""#,
        r#""headline":"US releases America's AI Action Plan""#,
    );
    let file = env.file("edited.jsonl", &edited);
    let out = env.run(&["import", &file]);
    assert!(
        stderr_of(&out).contains("0 added, 1 updated, 10 unchanged"),
        "{}",
        stderr_of(&out)
    );
    assert!(
        env.ok(&["show", "kkdhda1z"])
            .contains("America's AI Action Plan")
    );
    assert_eq!(env.ok(&["export"]), edited);
}

#[test]
fn exporting_a_missing_store_is_refused() {
    let env = TestEnv::new();
    env.refused(&["export"], 74, "no lookout store at");
}

#[test]
fn bom_begins_csv_output_only_and_the_file_imports_back() {
    let env = TestEnv::seeded();
    for args in [
        vec!["timeline", "--format", "csv", "--bom"],
        vec!["--bom", "status", "--format", "csv"],
        vec!["export", "--format", "csv", "--bom"],
        vec!["actors", "--format", "csv", "--bom"],
        vec!["timeline", "--format", "timelinejs-sheet", "--bom"],
    ] {
        let out = env.run(&args);
        assert!(out.status.success(), "{args:?}");
        assert!(out.stdout.starts_with("\u{feff}".as_bytes()), "{args:?}");
        assert_eq!(
            out.stdout.iter().filter(|b| **b == 0xef).count(),
            1,
            "{args:?}"
        );
    }
    let json = env.run(&["timeline", "--format", "json", "--bom"]);
    assert!(json.stdout.starts_with(b"["));
    // A file with the mark imports as it is.
    env.ok_with(
        &[
            "export",
            "--format",
            "csv",
            "--bom",
            "--output",
            "with-bom.csv",
        ],
        "exported 8 developments to with-bom.csv",
    );
    let fresh = TestEnv::with_items();
    fresh.ok_with(
        &["import", env.dir().join("with-bom.csv").to_str().unwrap()],
        "imported 1 file: 8 added, 0 updated, 0 unchanged, 0 rejected (8 developments)",
    );
    assert_eq!(
        fresh.ok(&["timeline", "--format", "csv"]),
        env.ok(&["timeline", "--format", "csv"])
    );
}
