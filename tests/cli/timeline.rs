//! `lookout timeline`: order, filters, formats and output files.

use serde_json::Value;

use crate::env::{TestEnv, stderr_of, stdout_of};

fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut full = vec!["timeline"];
    full.extend_from_slice(args);
    env.json_ids(&full)
}

#[test]
fn seed_timeline_is_in_timeline_order() {
    let env = TestEnv::seeded();
    // Open starts (../2025-07) have no first day and come first; then the
    // month, which starts on 1 July; then the days.
    assert_eq!(
        ids(&env, &[]),
        [
            "9s058k2n", "2qwheqgw", "ct7n11xd", "d2vehq94", "4fd2sax0", "kkdhda1z", "4h257h30",
            "jtce187y"
        ]
    );
}

#[test]
fn filters_repeat_as_any_and_combine_as_all() {
    let env = TestEnv::seeded();
    assert_eq!(
        ids(&env, &["--watch", "us-counter-moves"]),
        ["ct7n11xd", "kkdhda1z"]
    );
    assert_eq!(
        ids(
            &env,
            &["--watch", "us-counter-moves", "--watch", "intl-response"]
        ),
        ["ct7n11xd", "d2vehq94", "kkdhda1z", "4h257h30"]
    );
    assert_eq!(
        ids(&env, &["--kind", "plan-release"]),
        ["kkdhda1z", "4h257h30"]
    );
    assert_eq!(
        ids(&env, &["--kind", "plan-release", "--actor", "China"]),
        ["4h257h30"]
    );
    assert_eq!(ids(&env, &["--actor", "DeepSeek"]), ["2qwheqgw"]);
}

#[test]
fn from_takes_the_start_and_to_the_end_of_their_intervals() {
    let env = TestEnv::seeded();
    // --from 2025-07 starts on 1 July; an open start, which has no first
    // day, is kept by its end (31 July).
    assert_eq!(
        ids(&env, &["--from", "2025-07"]),
        [
            "9s058k2n", "2qwheqgw", "ct7n11xd", "d2vehq94", "4fd2sax0", "kkdhda1z", "4h257h30",
            "jtce187y"
        ]
    );
    assert_eq!(
        ids(&env, &["--from", "2025-07-26"]),
        [
            "9s058k2n", "2qwheqgw", "ct7n11xd", "d2vehq94", "4h257h30", "jtce187y"
        ]
    );
    assert_eq!(
        ids(&env, &["--from", "2025-08"]),
        Vec::<String>::new(),
        "nothing starts in August, and the open starts ended in July"
    );
    // --to 2025-07-23 keeps what starts on or before that day, and the open
    // starts that ended by then (none: they end on 31 July).
    assert_eq!(
        ids(&env, &["--from", "2025-07", "--to", "2025-07-23"]),
        ["4fd2sax0", "kkdhda1z"]
    );
    // Both ends included.
    assert_eq!(
        ids(&env, &["--from", "2025-07-26", "--to", "2025-07-26"]),
        ["4h257h30", "jtce187y"]
    );
    assert_eq!(ids(&env, &["--to", "2024"]), Vec::<String>::new());
    assert_eq!(
        ids(&env, &["--to", "2025-07"]).len(),
        8,
        "the open starts end by 31 July"
    );
}

#[test]
fn date_bounds_combine_with_other_filters_and_may_be_intervals() {
    let env = TestEnv::seeded();
    // Date bounds combine with the other filters.
    assert_eq!(
        ids(&env, &["--to", "2025-07-23", "--kind", "plan-release"]),
        ["kkdhda1z"]
    );
    assert_eq!(
        ids(
            &env,
            &[
                "--from",
                "2025-07",
                "--to",
                "2025-07-31",
                "--kind",
                "funding",
                "--occurred"
            ]
        ),
        ["9s058k2n"]
    );
    // Bounds may be intervals themselves: --from takes the start, --to the end.
    assert_eq!(
        ids(
            &env,
            &[
                "--from",
                "2025-07-24/2025-07-25",
                "--to",
                "2025-07-20/2025-07-26"
            ]
        ),
        ["4h257h30", "jtce187y"]
    );
}

#[test]
fn json_entries_have_the_contract_fields() {
    let env = TestEnv::seeded();
    let value: Value =
        serde_json::from_str(&env.ok(&["timeline", "--format", "json", "--kind", "statement"]))
            .unwrap();
    let entry = &value[0];
    let keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "date",
            "precision",
            "kind",
            "watch",
            "actors",
            "headline",
            "summary",
            "sources",
            "recorded_at",
            "start",
            "end",
            "scheduled",
            "recorded_by"
        ]
    );
    assert_eq!(
        (&entry["start"], &entry["end"], &entry["scheduled"]),
        (
            &serde_json::json!("2025-07-26"),
            &serde_json::json!("2025-07-26"),
            &serde_json::json!(false)
        )
    );
    assert_eq!(entry["recorded_by"], crate::env::AUTHOR);
    assert_eq!(
        entry["watch"],
        serde_json::json!([{"slug": "intl-ai-org", "to": "emerging"}])
    );
    assert_eq!(entry["precision"], "day");
    let funding: Value =
        serde_json::from_str(&env.ok(&["timeline", "--format", "json", "--kind", "funding"]))
            .unwrap();
    assert_eq!(funding[0]["date"], "../2025-07");
    assert_eq!(funding[0]["precision"], "interval");
    assert_eq!(
        funding[0]["start"],
        Value::Null,
        "an open start has no first day"
    );
    assert_eq!(funding[0]["end"], "2025-07-31");
    assert_eq!(funding[0]["watch"][0]["to"], Value::Null);
}

#[test]
fn csv_guards_formulas_and_never_invents_a_day() {
    let env = TestEnv::with_items();
    env.log_warned(
        &[
            "2025-09",
            "=HYPERLINK(\"http://x\")",
            "--watch",
            "intl-ai-org",
            "--actor",
            "@evil",
        ],
        &["is after today"],
    );
    let csv = env.ok(&["timeline", "--format", "csv"]);
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at,start,end,\
         scheduled,recorded_by"
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains(
            ",2025-09,month,other,intl-ai-org,'@evil,\"'=HYPERLINK(\"\"http://x\"\")\",,,"
        ),
        "{row}"
    );
    // The interval's first and last days, for a spreadsheet to sort by.
    assert!(
        row.ends_with(&format!(
            ",2025-09-01,2025-09-30,false,{}",
            crate::env::AUTHOR
        )),
        "{row}"
    );
}

#[test]
fn output_file_gets_the_timeline_and_stdout_nothing() {
    let env = TestEnv::seeded();
    let out = env.run(&["timeline", "--format", "csv", "--output", "out.csv"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(stderr_of(&out).contains("wrote 8 developments to out.csv"));
    let written = std::fs::read_to_string(env.dir().join("out.csv")).unwrap();
    assert_eq!(written, env.ok(&["timeline", "--format", "csv"]));
}

#[test]
fn output_into_a_missing_directory_is_an_io_error() {
    let env = TestEnv::seeded();
    env.refused(
        &["timeline", "--output", "no/such/dir/out.csv"],
        74,
        "cannot write no/such/dir/out.csv",
    );
}

#[test]
fn text_timeline_lists_every_development() {
    let env = TestEnv::seeded();
    let text = env.ok(&["timeline"]);
    assert_eq!(text.lines().count(), 9, "{text}");
    assert!(text.starts_with("DATE"));
}

#[test]
fn an_empty_selection_is_not_an_error() {
    let env = TestEnv::seeded();
    let out = env.run(&["timeline", "--from", "2030"]);
    assert!(out.status.success());
    assert_eq!(stdout_of(&out), "");
    assert!(stderr_of(&out).contains("no developments match"));
    assert_eq!(
        env.ok(&["timeline", "--from", "2030", "--format", "json"]),
        "[]\n"
    );
}

#[test]
fn timeline_refusals() {
    let env = TestEnv::seeded();
    env.refused(
        &["timeline", "--watch", "intl-org"],
        65,
        "did you mean 'intl-ai-org'?",
    );
    env.refused(
        &["timeline", "--kind", "funds"],
        65,
        "--kind: unknown kind 'funds'",
    );
    let stderr = env.refused(
        &["timeline", "--actor", "china"],
        65,
        "--actor: unknown actor 'china'",
    );
    assert!(stderr.contains("did you mean 'China'?"), "{stderr}");
    env.refused(
        &["timeline", "--from", "2025-08", "--to", "2025-07"],
        65,
        "--from 2025-08 is after --to 2025-07",
    );
    env.refused(
        &["timeline", "--from", "2025-7"],
        65,
        "--from: invalid date '2025-7'",
    );
    env.refused(&["timeline", "--format", "pdf"], 2, "invalid value 'pdf'");
}

#[test]
fn a_formula_behind_spaces_is_guarded_and_reads_back_as_typed() {
    // A spreadsheet told to trim spaces would evaluate ` =HYPERLINK(I2)`.
    let env = TestEnv::with_items();
    let id = env.log_warned(
        &[
            "2025-09-02",
            "Spaces before a formula",
            "--watch",
            "intl-ai-org",
            "--summary",
            "  =HYPERLINK(I2)",
        ],
        &["is after today"],
    );
    let csv = env.ok(&["timeline", "--format", "csv"]);
    assert!(csv.contains(",'  =HYPERLINK(I2),"), "{csv}");
    let file = env.file("round-trip.csv", &csv);
    env.ok_stderr(&["import", &file]);
    let shown = env.ok(&["show", &id, "--format", "json"]);
    assert!(
        shown.contains("\"summary\": \"  =HYPERLINK(I2)\""),
        "{shown}"
    );
}
