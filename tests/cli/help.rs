//! Help, shell completions and the manual page.

use crate::env::TestEnv;

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
