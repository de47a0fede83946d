//! Snapshots of the reports people read, on the seed tracker and a pinned
//! date. Times of recording differ per run and are redacted.

use crate::env::TestEnv;

pub fn snapshot(name: &str, output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", "[recorded_at]");
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, output));
}

#[test]
fn status_reports() {
    let env = TestEnv::seeded();
    snapshot("status_text", &env.ok(&["status", "--as-of", "2025-08-01"]));
    snapshot(
        "status_json",
        &env.ok(&["status", "--as-of", "2025-08-01", "--format", "json"]),
    );
    snapshot(
        "status_csv",
        &env.ok(&["status", "--as-of", "2025-08-01", "--format", "csv"]),
    );
    snapshot(
        "status_md",
        &env.ok(&["status", "--as-of", "2025-08-01", "--format", "md"]),
    );
    snapshot(
        "status_html",
        &env.ok(&["status", "--as-of", "2025-08-01", "--format", "html"]),
    );
    // Today, as the README shows it: long quiet, so stale.
    let later = TestEnv::seeded().today("2026-03-01");
    snapshot("status_text_stale", &later.ok(&["status"]));
}

#[test]
fn timeline_reports() {
    let env = TestEnv::seeded();
    snapshot("timeline_text", &env.ok(&["timeline"]));
    snapshot(
        "timeline_json",
        &env.ok(&["timeline", "--format", "json", "--watch", "intl-ai-org"]),
    );
    snapshot("timeline_csv", &env.ok(&["timeline", "--format", "csv"]));
    snapshot("timeline_md", &env.ok(&["timeline", "--format", "md"]));
    snapshot("timeline_html", &env.ok(&["timeline", "--format", "html"]));
    snapshot(
        "timelinejs",
        &env.ok(&["timeline", "--format", "timelinejs"]),
    );
    snapshot(
        "timelinejs_sheet",
        &env.ok(&["timeline", "--format", "timelinejs-sheet"]),
    );
}

#[test]
fn detail_views() {
    let env = TestEnv::seeded();
    snapshot("show_text", &env.ok(&["show", "jtce187y"]));
    snapshot(
        "show_json",
        &env.ok(&["show", "9s058k2n", "--format", "json"]),
    );
    snapshot(
        "watch_show_text",
        &env.ok(&["watch", "show", "us-counter-moves"]),
    );
    snapshot("watch_list_text", &env.ok(&["watch", "list"]));
    snapshot(
        "watch_show_md",
        &env.ok(&["watch", "show", "intl-ai-org", "--format", "md"]),
    );
    snapshot(
        "watch_show_html",
        &env.ok(&["watch", "show", "intl-ai-org", "--format", "html"]),
    );
    snapshot(
        "watch_show_json",
        &env.ok(&["watch", "show", "intl-ai-org", "--format", "json"]),
    );
}

/// The report README.md shows under its first command is the one lookout prints.
#[test]
fn readme_shows_the_real_seed_report() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let command = readme.lines().find(|l| l.starts_with("cargo run")).unwrap();
    assert!(command.contains("status --as-of 2025-08-01"), "{command}");
    let start = readme.find("```text\n").unwrap() + "```text\n".len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let env = TestEnv::seeded();
    assert_eq!(shown, env.ok(&["status", "--as-of", "2025-08-01"]));
}

/// The weekly note README.md shows under "A weekly briefing" is the one
/// lookout prints.
#[test]
fn readme_shows_the_real_weekly_note() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("### A weekly briefing").unwrap()..];
    let command = "lookout changes --since 2025-07-25 --until 2025-08-01\n";
    assert!(section.contains(command), "the section's first command");
    let start = section.find("```text\n").unwrap() + "```text\n".len();
    let shown = &section[start..start + section[start..].find("```").unwrap()];
    let env = TestEnv::seeded();
    assert_eq!(
        shown,
        env.ok(&["changes", "--since", "2025-07-25", "--until", "2025-08-01"])
    );
}
