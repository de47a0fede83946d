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

#[test]
fn every_change_is_confirmed_on_stderr_in_words() {
    let env = TestEnv::new();
    let items = crate::env::fixture("watch-items.csv");
    let confirmed = |args: &[&str], expected: &str| {
        assert_eq!(env.ok_stderr(args), expected, "lookout {args:?}");
    };
    confirmed(
        &["import", &items],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 watch items)\n",
    );
    confirmed(
        &[
            "watch",
            "add",
            "eu-office",
            "EU AI Office",
            "--opened",
            "2025-08",
        ],
        "watching eu-office (opened 2025-08)\n",
    );
    let out = env.run(&[
        "log",
        "2025-07-30",
        "EU comments",
        "--watch",
        "eu-office=emerging",
    ]);
    let id = String::from_utf8(out.stdout.clone())
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(
        stderr_of(&out),
        format!("logged {id} (2025-07-30) against eu-office=emerging\n")
    );
    confirmed(
        &["edit", &id, "--headline", "EU comments again"],
        &format!("edited {id}\n"),
    );
    confirmed(
        &["retract", &id, "--reason", "wrong"],
        &format!("retracted {id}: EU comments again\n"),
    );
    confirmed(
        &["unretract", &id],
        &format!("{id} counts again: EU comments again\n"),
    );
    confirmed(
        &["kinds", "add", "court-ruling"],
        "added kind 'court-ruling'\n",
    );
    confirmed(
        &["watch", "edit", "eu-office", "--tag", "eu"],
        "updated eu-office\n",
    );
    confirmed(
        &["watch", "remove", "eu-office", "--force"],
        "removed eu-office and 1 link\n",
    );
    let undone = env.ok_stderr(&["undo"]);
    assert!(
        undone.starts_with("undid #9 (watch remove, 2 records at ")
            && undone.ends_with("): removed watch item eu-office and 1 link\n"),
        "{undone}"
    );
}
