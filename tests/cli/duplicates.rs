//! Likely duplicates (two analysts logging one event) in numbers no one
//! would compare by hand: `check` and `sync` list at most 20, then a count,
//! and a thousand equal headlines are one finding (docs/DESIGN.md, "The shared
//! tracker is input from strangers").

use crate::env::{TestEnv, fixture};
use crate::sync::Team;

/// The finding lines' reason, as `check` and `sync` give it.
const WHY: &str = "(same date, a shared watch item, near-identical headlines)";

/// A developments CSV: 4,000 developments with one headline, dated 2025
/// under intl-ai-org (ids eq00000…), and 25 pairs of near-identical ones
/// on that date and item (ids pa00000…: "Report 0 is out" and "report 0
/// is out."), each pair its own number.
fn busy_year() -> String {
    let mut csv = String::from("id,date,kind,watch,headline\n");
    for n in 0..4000 {
        csv.push_str(&format!(
            "eq{n:05},2025,statement,intl-ai-org,Ministry publishes the plan\n"
        ));
    }
    for n in 0..25 {
        csv.push_str(&format!(
            "pa{:05},2025,statement,intl-ai-org,Report {n} is out\n",
            2 * n
        ));
        csv.push_str(&format!(
            "pa{:05},2025,statement,intl-ai-org,report {n} is out.\n",
            2 * n + 1
        ));
    }
    csv
}

/// The findings a person reads about `busy_year`, in order: the equal
/// headlines first (their ids come first), then the first 19 pairs, then
/// how many more.
fn busy_year_findings() -> Vec<String> {
    let mut lines = vec![format!(
        "likely duplicates: eq00000, eq00001, eq00002, eq00003, eq00004 and 3995 others {WHY}"
    )];
    // The pairs in id order: pa00000 and pa00001, pa00002 and pa00003, …
    for n in 0..19 {
        lines.push(format!(
            "likely duplicate: pa{:05} and pa{:05} {WHY}",
            2 * n,
            2 * n + 1
        ));
    }
    lines.push("… and 6 more likely duplicates".to_string());
    lines
}

#[test]
fn check_lists_at_most_twenty_likely_duplicates_then_a_count() {
    let env = TestEnv::with_items();
    let data = env.file("busy.csv", &busy_year());
    env.ok_with(
        &["import", &data],
        "imported 1 file: 4050 added, 0 updated, 0 unchanged, 0 rejected (4050 developments)",
    );
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("ok: "), "{stdout}");
    let notes: Vec<String> = busy_year_findings()
        .iter()
        .map(|line| format!("note: {line}"))
        .collect();
    assert_eq!(lines[1..], notes, "{stdout}");
    // Quiet, the sound store's "ok" goes; the findings wait on a person.
    let quiet = env.ok(&["check", "--quiet"]);
    assert_eq!(quiet.lines().collect::<Vec<_>>(), notes);
}

#[test]
fn a_first_sync_lists_at_most_twenty_likely_duplicates_then_a_count() {
    let Some(team) = Team::new(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let data = ana.file("busy.csv", &busy_year());
    ana.ok_with(
        &["import", &fixture("watch-items.csv"), &data],
        "imported 2 files: 4053 added, 0 updated, 0 unchanged, 0 rejected (3 \
            watch items, 4050 developments)",
    );
    let sent = ana.ok_stderr(&["sync", team.remote()]);
    assert!(!sent.contains("likely duplicate"), "{sent}");
    let said = ben.ok_stderr(&["sync", team.remote()]);
    let warnings: Vec<&str> = said
        .lines()
        .filter_map(|line| line.strip_prefix("lookout: warning: "))
        .collect();
    assert_eq!(warnings, busy_year_findings(), "{said}");
    assert!(
        said.contains("received 4053 added, 0 changed, 0 removed; sent nothing"),
        "{said}"
    );
}

#[test]
fn near_identical_headlines_that_differ_in_a_letter_or_a_number() {
    // Three say one thing (a letter apart, punctuation): one finding of
    // three; the fourth names another round of talks.
    let env = TestEnv::with_items();
    let data = env.file(
        "talks.csv",
        "id,date,kind,watch,headline\n\
         t1,2025-08-09,statement,intl-response,Round 13 of talks begins in Geneva\n\
         t2,2025-08-09,statement,intl-response,Round 13 of talks begin in Geneva\n\
         t3,2025-08-09,statement,intl-ai-org;intl-response,\"Round 13 of talks begins, in Geneva\"\n\
         t4,2025-08-09,statement,intl-response,Round 14 of talks begins in Geneva\n\
         t5,2025-08-10,statement,intl-response,Round 13 of talks begins in Geneva\n",
    );
    env.ok_with(
        &["import", &data],
        "imported 1 file: 5 added, 0 updated, 0 unchanged, 0 rejected (5 developments)",
    );
    let check = env.ok(&["check"]);
    let notes: Vec<&str> = check.lines().skip(1).collect();
    assert_eq!(
        notes,
        [format!("note: likely duplicates: t1, t2 and t3 {WHY}")],
        "{check}"
    );
}
