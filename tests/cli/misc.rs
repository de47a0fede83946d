//! Vocabularies, help, completions and the manual page.

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
    env.log(&["2025-09", "A court rules", "--kind", "court-ruling"]);
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
fn every_command_help_has_an_example() {
    let env = TestEnv::new();
    for args in [
        &["--help"][..],
        &["init", "--help"],
        &["watch", "add", "--help"],
        &["watch", "list", "--help"],
        &["watch", "show", "--help"],
        &["watch", "edit", "--help"],
        &["watch", "remove", "--help"],
        &["log", "--help"],
        &["show", "--help"],
        &["status", "--help"],
        &["timeline", "--help"],
        &["import", "--help"],
        &["kinds", "--help"],
        &["actors", "--help"],
        &["check", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
        &["edit", "--help"],
        &["retract", "--help"],
        &["history", "--help"],
        &["undo", "--help"],
        &["search", "--help"],
        &["export", "--help"],
        &["backup", "--help"],
    ] {
        let out = env.ok(args);
        assert!(
            out.contains("Example"),
            "{args:?} --help has no example:\n{out}"
        );
    }
}

#[test]
fn completions_for_each_shell() {
    let env = TestEnv::new();
    assert!(env.ok(&["completions", "bash"]).contains("_lookout()"));
    assert!(env.ok(&["completions", "zsh"]).contains("#compdef lookout"));
    assert!(
        env.ok(&["completions", "fish"])
            .contains("complete -c lookout")
    );
    env.refused(
        &["completions", "powershell"],
        2,
        "invalid value 'powershell'",
    );
}

#[test]
fn man_page_is_roff_naming_the_commands() {
    let env = TestEnv::new();
    let man = env.ok(&["man"]);
    assert!(man.starts_with(".ie \\n(.g .ds Aq"), "{}", &man[..80]);
    assert!(man.contains(".TH lookout"));
    assert!(man.contains("timeline"));
}
