//! Exit codes, usage errors, broken pipes and colour.

use std::io::Read;
use std::process::Stdio;

use crate::env::{TestEnv, stderr_of};

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    for args in [
        &["frobnicate"][..],
        &["status", "--bogus"],
        &["log", "2025"],
        &["timeline", "--format", "yaml"],
        &["--color", "sometimes", "status"],
        &[],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(!env.db().exists());
    }
}

#[test]
fn version_and_help_exit_0() {
    let env = TestEnv::new();
    assert!(env.ok(&["--version"]).starts_with("lookout "));
    assert!(env.ok(&["help", "status"]).contains("--as-of"));
}

#[test]
fn a_bad_pinned_today_is_named() {
    let env = TestEnv::new().today("2025-02-30");
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr_of(&out).contains("LOOKOUT_TODAY='2025-02-30' is not a date"));
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let env = TestEnv::with_items();
    // Enough rows to fill the pipe, so lookout is still writing when the reader leaves.
    let mut csv = String::from("date,kind,watch,headline\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "2025,other,intl-ai-org,development number {i} with some padding text\n"
        ));
    }
    let file = env.file("many.csv", &csv);
    env.ok_with(
        &["import", &file],
        "imported 1 file: 3000 added, 0 updated, 0 unchanged, 0 rejected (3000 developments)",
    );
    let mut child = env
        .std_cmd()
        .args(["timeline", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr_of(&out), "");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let env = TestEnv::seeded();
    let plain = env.ok(&["status", "--as-of", "2025-08-01"]);
    assert!(!plain.contains('\u{1b}'), "colour in a pipe");
    let coloured = env.ok(&["--color", "always", "status", "--as-of", "2025-08-01"]);
    assert!(coloured.contains('\u{1b}'), "no colour with --color always");
    let never = env
        .cmd()
        .args(["--color", "never", "status"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8(never.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn text_output_neutralises_escape_sequences() {
    let env = TestEnv::with_items();
    // Dated so that it counts by today, and status shows it. No command lets
    // a control character in; a store an older lookout wrote may hold one.
    let id = env.log(&["2025-07", "plain headline", "--watch", "intl-ai-org"]);
    env.set_headline(&id, "evil \u{1b}[2J\u{1b}]0;owned\u{7} headline");
    for args in [
        vec!["timeline"],
        vec!["show", &id],
        vec!["status"],
        vec!["watch", "show", "intl-ai-org"],
    ] {
        let out = env.ok(&args);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{args:?}: {out:?}"
        );
        assert!(out.contains("\\u{1b}[2J"), "{args:?}: {out}");
    }
    // The data formats keep the text as stored.
    let json = env.ok(&["timeline", "--format", "json"]);
    assert!(json.contains("\\u001b[2J"));
}

#[test]
fn usage_lines_do_not_show_the_store_as_a_required_flag() {
    let env = TestEnv::seeded();
    let out = env
        .cmd()
        .env("LOOKOUT_DB", env.db())
        .env("LOOKOUT_AUTHOR", "Someone")
        .args(["retract"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Usage: lookout retract --reason <TEXT> <ID>"),
        "{stderr}"
    );
    assert!(!stderr.contains("--db"), "{stderr}");
}
