//! `--known-on K`: every reading command answers what it answered at K
//! (docs/DESIGN.md, "Reports as known on a past day"), the store unchanged
//! and nothing left in the temporary directory.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::Value;

use crate::env::{
    ITEMS_IMPORTED, SEED_IMPORTED, TODAY, TestEnv, fixture, stderr_of, stdout_of, unprivileged,
};

/// The searched word: in the seed tracker's headlines and in those logged here.
const QUERY: &str = "AI";

/// Every reading command's output at one instant, by its arguments.
type Capture = Vec<(Vec<String>, String)>;

/// What each reading command prints now, in JSON (export: JSON Lines).
fn capture(env: &TestEnv) -> Capture {
    let mut commands: Vec<Vec<String>> = vec![
        vec!["status".into()],
        vec!["status".into(), "--as-of".into(), "2025-07-24".into()],
        vec!["changes".into(), "--since".into(), "2025-07-20".into()],
        vec!["timeline".into()],
        vec!["search".into(), QUERY.into()],
        vec!["watch".into(), "list".into()],
    ];
    for slug in ids(env, &["watch", "list"], "slug") {
        commands.push(vec!["watch".into(), "show".into(), slug]);
    }
    // Every development, retracted ones included.
    let export = env.ok(&["export"]);
    for line in export.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        if record["type"] == "development" {
            let id = record["id"].as_str().unwrap().to_string();
            commands.push(vec!["show".into(), id]);
        }
    }
    let mut captured: Capture = commands
        .into_iter()
        .map(|mut args| {
            args.extend(["--format".into(), "json".into()]);
            let printed = env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
            (args, printed)
        })
        .collect();
    captured.push((vec!["export".into()], export));
    captured
}

/// A field of each object in the JSON array a command prints.
fn ids(env: &TestEnv, args: &[&str], field: &str) -> Vec<String> {
    let mut full = args.to_vec();
    full.extend_from_slice(&["--format", "json"]);
    let value: Value = serde_json::from_str(&env.ok(&full)).unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap().to_string())
        .collect()
}

/// When the newest journal entry was made: the instant just after the step.
fn newest_entry_time(env: &TestEnv) -> String {
    let history: Value =
        serde_json::from_str(&env.ok(&["history", "--limit", "1", "--format", "json"])).unwrap();
    history[0]["at"].as_str().unwrap().to_string()
}

/// Takes `"known_on"` out of a JSON report (of the object, or of each
/// object of an array), insisting that it is there and says `known_on`.
fn without_known_on(printed: &str, known_on: &str) -> Value {
    let mut value: Value = serde_json::from_str(printed).unwrap();
    let strip = |object: &mut Value| {
        let said = object.as_object_mut().unwrap().remove("known_on");
        assert_eq!(said, Some(Value::from(known_on)), "in {printed}");
    };
    match &mut value {
        Value::Array(items) => items.iter_mut().for_each(strip),
        object => strip(object),
    }
    value
}

/// Runs lookout with TMPDIR pointed at `tmp`; insists on success.
fn known(env: &TestEnv, tmp: &Path, args: &[String]) -> String {
    let out = env.cmd().args(args).env("TMPDIR", tmp).output().unwrap();
    assert!(
        out.status.success(),
        "lookout {args:?} failed ({:?}):\n{}",
        out.status.code(),
        stderr_of(&out)
    );
    stdout_of(&out)
}

/// The scripted history: each step, with the instant after it and what
/// every reading command printed then (None: not asked).
fn script(env: &TestEnv) -> Vec<(&'static str, Option<(String, Capture)>)> {
    let mut steps = Vec::new();
    let mut step = |name: &'static str, asked: bool| {
        let at = newest_entry_time(env);
        steps.push((name, asked.then(|| (at, capture(env)))));
    };
    env.ok_with(
        &[
            "import",
            &fixture("watch-items.csv"),
            &fixture("developments.csv"),
        ],
        SEED_IMPORTED,
    );
    step("import", true);
    let first = env.log(&[
        "2025-07-28",
        "AI summit announced in Shanghai",
        "--watch",
        "intl-ai-org=developing",
    ]);
    step("log", true);
    let second = env.log(&[
        "2025-07-29",
        "AI cooperation talks with India",
        "--watch",
        "intl-response=emerging",
    ]);
    step("second log", true);
    env.ok_with(
        &["edit", &first, "--date", "2025-07-22"],
        &format!("edited {first}"),
    );
    step("edit of a date", true);
    env.ok_with(
        &["edit", &second, "--watch", "intl-ai-org=stalled"],
        &format!("edited {second}"),
    );
    step("edit of links", true);
    env.ok_with(
        &["retract", &first, "--reason", "a rumour"],
        &format!("retracted {first}: AI summit announced in Shanghai"),
    );
    step("retraction", true);
    env.ok_with(
        &["unretract", &first],
        &format!("{first} counts again: AI summit announced in Shanghai"),
    );
    step("withdrawal of the retraction", true);
    env.log_warned(
        &["2025-07-30", "AI plan withdrawn, said nobody"],
        &["bears on no watch item"],
    );
    // Undone next: the instant between the log and its undo is answered
    // from the entry undo keeps, marked undone.
    step("log undone next", true);
    env.ok_with(&["undo"], "undid #8 (log, 1 record");
    step("undo", true);
    let export = env.ok(&["export"]);
    let updated: String = export
        .lines()
        .map(|line| {
            let line = line.replace(
                "\"US releases its AI Action Plan\"",
                "\"US releases its national AI Action Plan\"",
            );
            format!("{line}\n")
        })
        .collect();
    let file = env.file("updated.jsonl", &updated);
    env.ok_with(
        &["import", &file],
        "imported 1 file: 0 added, 1 updated, 12 unchanged, 0 rejected (3 \
            watch items, 10 developments)",
    );
    step("import that updates", true);
    steps
}

#[test]
fn every_reading_command_answers_as_it_did() {
    let env = TestEnv::new();
    let steps = script(&env);
    assert_ne!(
        steps[0].1.as_ref().unwrap().1,
        steps.last().unwrap().1.as_ref().unwrap().1,
        "the script changed nothing"
    );
    let tmp = tempfile::tempdir().unwrap();
    let before = env.fingerprint();
    for (name, answer) in &steps {
        let Some((at, captured)) = answer else {
            continue;
        };
        for (args, printed) in captured {
            let mut asked = args.clone();
            asked.extend(["--known-on".to_string(), at.clone()]);
            let now = known(&env, tmp.path(), &asked);
            if args[0] == "export" {
                // JSON Lines, the record format: no line gains a key.
                assert_eq!(&now, printed, "after {name}: {asked:?}");
            } else {
                let expected: Value = serde_json::from_str(printed).unwrap();
                assert_eq!(
                    without_known_on(&now, at),
                    expected,
                    "after {name}: {asked:?}"
                );
            }
        }
        assert_eq!(env.fingerprint(), before, "after {name}: the store changed");
    }
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "--known-on left files in TMPDIR"
    );
}

#[test]
fn text_md_and_html_say_as_known_on() {
    let env = TestEnv::new();
    env.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
    let at = newest_entry_time(&env);
    env.log(&[
        "2025-07-28",
        "AI summit",
        "--watch",
        "intl-ai-org=developing",
    ]);
    let text = env.ok(&["status", "--known-on", &at]);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Status as of 2025-08-01 (stale after 30 quiet days)")
    );
    assert_eq!(lines.next(), Some(format!("As known on {at}").as_str()));
    assert!(!text.contains("developing"), "{text}");
    let md = env.ok(&["status", "--known-on", &at, "--format", "md"]);
    assert!(
        md.starts_with(&format!(
            "## Status as of 2025-08-01\n\n*As known on {at}*\n\n"
        )),
        "{md}"
    );
    let html = env.ok(&["status", "--known-on", &at, "--format", "html"]);
    assert!(
        html.contains(&format!(
            "<h1>Status as of 2025-08-01</h1>\n<p class=\"known-on\">As known on {at}</p>"
        )),
        "{html}"
    );
    // CSV has no header to say it in: the same CSV as at that time.
    let csv = env.ok(&["status", "--known-on", &at, "--format", "csv"]);
    assert!(!csv.contains("known"), "{csv}");
    // A day is its end, UTC: the log of that day counts.
    let logged = newest_entry_time(&env);
    let day = &logged[..10];
    let report = env.ok(&["status", "--known-on", day, "--format", "json"]);
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["known_on"], format!("{day}T23:59:59.999999Z"));
    assert_eq!(report["items"][0]["status"], "developing", "{report}");
}

#[test]
fn before_the_journal_begins_is_refused_naming_its_first_day() {
    let env = TestEnv::new();
    env.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
    let first = newest_entry_time(&env);
    let first_day = &first[..10];
    let stderr = env.refused(
        &["status", "--known-on", "2000-01-01"],
        65,
        &format!("the first day it can answer for is {first_day}"),
    );
    assert!(stderr.contains(&first), "{stderr}");
    env.refused(
        &["export", "--known-on", "1999-12-31T23:00:00Z"],
        65,
        "before the journal's first entry",
    );
    env.refused(
        &["timeline", "--known-on", "last week"],
        65,
        "'last week' is neither a day nor a time",
    );
    // Its first day itself is answered.
    env.ok(&["watch", "list", "--known-on", first_day]);
}

/// A store of the watch items, then one development logged: K (the
/// import's time) and the status JSON printed at K.
fn watch_items_then_a_log() -> (TestEnv, String, String) {
    let env = TestEnv::new();
    env.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
    let at = newest_entry_time(&env);
    let then = env.ok(&["status", "--format", "json"]);
    env.log(&[
        "2025-07-28",
        "AI summit",
        "--watch",
        "intl-ai-org=developing",
    ]);
    (env, at, then)
}

#[test]
fn a_store_this_user_cannot_write_answers_known_on() {
    let (env, at, then) = watch_items_then_a_log();
    let work = tempfile::tempdir().unwrap();
    let Some(runner) = unprivileged(work.path()) else {
        return;
    };
    // The file and its directory read-only: no -wal or -shm can be made.
    let dir = work.path().join("closed");
    fs::create_dir(&dir).unwrap();
    let db = dir.join("tracker.db");
    fs::copy(env.folded_db(), &db).unwrap();
    let mode = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap()
    };
    mode(&db, 0o444);
    mode(&dir, 0o555);
    let bytes = fs::read(&db).unwrap();
    let out = std::process::Command::new(&runner[0])
        .args(&runner[1..])
        .arg("--db")
        .arg(&db)
        .args(["status", "--format", "json", "--known-on", &at])
        .env("LOOKOUT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("LOOKOUT_DB")
        .output()
        .unwrap();
    mode(&dir, 0o755);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        without_known_on(&stdout_of(&out), &at),
        serde_json::from_str::<Value>(&then).unwrap()
    );
    assert_eq!(fs::read(&db).unwrap(), bytes, "the store changed");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn undo_marks_the_entry_undone_and_history_shows_it_only_with_all() {
    let env = TestEnv::new();
    env.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
    let id = env.log(&[
        "2025-07-28",
        "AI summit",
        "--watch",
        "intl-ai-org=developing",
    ]);
    let logged = newest_entry_time(&env);
    env.ok_with(&["undo"], "undid #2 (log, 1 record");
    let standing: Value = serde_json::from_str(&env.ok(&["history", "--format", "json"])).unwrap();
    assert_eq!(standing.as_array().unwrap().len(), 1, "{standing}");
    assert_eq!(standing[0]["command"], "import");
    assert!(standing[0].get("undone_at").is_none());
    let all: Value =
        serde_json::from_str(&env.ok(&["history", "--all", "--format", "json"])).unwrap();
    assert_eq!(all[0]["command"], "log");
    assert_eq!(all[0]["undone_by"], crate::env::AUTHOR);
    assert!(all[0]["undone_at"].as_str().unwrap() > logged.as_str());
    let text = env.ok(&["history", "--all"]);
    assert!(
        text.contains(&format!(
            "undone at {}",
            all[0]["undone_at"].as_str().unwrap()
        )),
        "{text}"
    );
    // Between the log and its undo, it was known; after the undo, not.
    env.ok(&["show", &id, "--known-on", &logged]);
    env.refused(&["show", &id], 65, "unknown development");
    // A second undo goes further back, past the entry undone.
    env.ok_with(&["undo"], "undid #1 (import, 3 records");
    env.ok_with(
        &["undo"],
        "nothing to undo: every journal entry is undone already (`lookout \
            history --all` lists them)",
    );
    assert_eq!(
        env.query("SELECT count(*) FROM journal WHERE undone_at IS NULL"),
        "Integer(0)"
    );
    let nothing = env.ok_stderr(&["undo"]);
    assert!(
        nothing.contains("nothing to undo: every journal entry is undone already"),
        "{nothing}"
    );
}

#[test]
fn between_an_import_and_its_undo_is_refused() {
    let env = TestEnv::new();
    env.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
    env.ok_with(
        &["import", &fixture("developments.csv")],
        "imported 1 file: 8 added, 0 updated, 0 unchanged, 0 rejected (8 developments)",
    );
    let imported = newest_entry_time(&env);
    env.ok_with(&["undo"], "undid #2 (import, 8 records");
    env.refused(
        &["timeline", "--known-on", &imported],
        65,
        "kept no copy of the developments it added",
    );
    // Before it, and after its undo, are answered.
    env.ok_with(
        &["timeline", "--known-on", &newest_entry_time(&env)],
        "no developments match",
    );
}

/// Runs lookout at a pinned time of recording; insists on success.
fn at_time(env: &TestEnv, now: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .args(args)
        .env("LOOKOUT_NOW", now)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lookout {args:?} at {now} failed ({:?}):\n{}",
        out.status.code(),
        stderr_of(&out)
    );
    stdout_of(&out)
}

#[test]
fn changes_lists_what_the_last_note_got_wrong() {
    let env = TestEnv::new().today("2025-08-10");
    let note_day = "2025-08-01";
    at_time(
        &env,
        "2025-08-01T08:00:00Z",
        &["import", &fixture("watch-items.csv")],
    );
    let rumour = at_time(
        &env,
        "2025-08-01T09:00:00Z",
        &[
            "log",
            "2025-07-30",
            "AI body founded",
            "--watch",
            "intl-ai-org=realised",
        ],
    )
    .trim()
    .to_string();
    let early = at_time(
        &env,
        "2025-08-01T10:00:00Z",
        &[
            "log",
            "2025-07-31",
            "EU answers",
            "--watch",
            "intl-response=emerging",
        ],
    )
    .trim()
    .to_string();
    let quiet = at_time(
        &env,
        "2025-08-01T11:00:00Z",
        &[
            "log",
            "2025-07-29",
            "US remarks",
            "--watch",
            "us-counter-moves=emerging",
        ],
    )
    .trim()
    .to_string();
    // The note of 1 August said all three. Since then:
    let note = at_time(
        &env,
        "2025-08-01T12:00:00Z",
        &[
            "changes",
            "--since",
            "2025-07-25",
            "--until",
            note_day,
            "--format",
            "json",
        ],
    );
    assert!(note.contains(&rumour) && note.contains(&early));
    at_time(
        &env,
        "2025-08-03T09:00:00Z",
        &["retract", &rumour, "--reason", "a rumour"],
    );
    at_time(
        &env,
        "2025-08-04T09:00:00Z",
        &["edit", &early, "--date", "2025-08-02"],
    );
    // A correction that moves no status is not one the note must make.
    at_time(
        &env,
        "2025-08-05T09:00:00Z",
        &["edit", &quiet, "--headline", "US remarks, in full"],
    );
    let json = at_time(
        &env,
        "2025-08-10T09:00:00Z",
        &["changes", "--since", note_day, "--format", "json"],
    );
    let report: Value = serde_json::from_str(&json).unwrap();
    let by = crate::env::AUTHOR;
    assert_eq!(
        report["corrections"],
        serde_json::json!([
            {"id": rumour, "what": "retracted", "before": "counted", "after": "a rumour",
             "at": "2025-08-03T09:00:00.000000Z", "by": by},
            {"id": early, "what": "re-dated", "before": "2025-07-31", "after": "2025-08-02",
             "at": "2025-08-04T09:00:00.000000Z", "by": by},
        ]),
        "{json}"
    );
    let text = at_time(
        &env,
        "2025-08-10T09:00:00Z",
        &["changes", "--since", note_day],
    );
    assert!(
        text.contains(&format!(
            "Corrected since the note of {note_day}\n  {rumour} retracted: counted → a rumour \
             (2025-08-03T09:00:00.000000Z by {by})\n"
        )),
        "{text}"
    );
    let md = at_time(
        &env,
        "2025-08-10T09:00:00Z",
        &["changes", "--since", note_day, "--format", "md"],
    );
    assert!(
        md.contains(&format!("### Corrected since the note of {note_day}")),
        "{md}"
    );
    let html = at_time(
        &env,
        "2025-08-10T09:00:00Z",
        &["changes", "--since", note_day, "--format", "html"],
    );
    assert!(html.contains("Corrected since the note of"), "{html}");
    // As known on the note's day, nothing had been corrected yet.
    let then = at_time(
        &env,
        "2025-08-10T09:00:00Z",
        &[
            "changes",
            "--since",
            note_day,
            "--known-on",
            note_day,
            "--format",
            "json",
        ],
    );
    let then: Value = serde_json::from_str(&then).unwrap();
    assert_eq!(then["corrections"], serde_json::json!([]));
    // A note whose day the journal cannot answer for has no corrections.
    let early_note = at_time(
        &env,
        "2025-08-10T09:00:00Z",
        &["changes", "--since", "2025-07-20", "--format", "json"],
    );
    let early_note: Value = serde_json::from_str(&early_note).unwrap();
    assert_eq!(early_note["corrections"], serde_json::json!([]));
}

#[test]
fn a_store_of_the_previous_schema_upgrades_and_answers_known_on_across_an_undo() {
    // Schema 5 (tests/fixtures/store-v5.db): the seed import, an edit of
    // d2vehq94, a retraction of 2qwheqgw. Upgraded to 8, its journal gains
    // the undone marks.
    let env = TestEnv::new();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v5.db"),
        env.db(),
    )
    .unwrap();
    let before_undo = env.ok(&["export"]);
    let retracted_at = newest_entry_time(&env);
    assert_eq!(
        env.query("PRAGMA user_version"),
        crate::env::CURRENT_VERSION
    );
    env.ok_with(&["undo"], "undid #3 (retract, 1 record");
    assert_ne!(env.ok(&["export"]), before_undo);
    // The retraction stood from when it was made until the undo.
    assert_eq!(
        env.ok(&["export", "--known-on", &retracted_at]),
        before_undo
    );
    let all: Value =
        serde_json::from_str(&env.ok(&["history", "--all", "--format", "json"])).unwrap();
    assert!(all[0]["undone_at"].is_string(), "{all}");
}

#[test]
fn a_store_another_process_is_writing_answers_known_on_and_is_left_as_it_was() {
    let (env, at, then) = watch_items_then_a_log();
    let history = env.ok(&["history", "--all", "--format", "json"]);
    let export = env.ok(&["export"]);
    let asked = ["status", "--format", "json", "--known-on", &at];
    // Reverted in place, inside a write that is rolled back.
    assert_eq!(
        without_known_on(&env.ok(&asked), &at),
        serde_json::from_str::<Value>(&then).unwrap()
    );
    // Another process holds the write lock: a copy answers the same.
    let writer = rusqlite::Connection::open(env.db()).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    assert_eq!(
        without_known_on(&env.ok(&asked), &at),
        serde_json::from_str::<Value>(&then).unwrap()
    );
    writer.execute_batch("ROLLBACK").unwrap();
    // Nothing of either revert was kept, and the store takes writes again.
    assert_eq!(env.ok(&["history", "--all", "--format", "json"]), history);
    assert_eq!(env.ok(&["export"]), export);
    env.log(&["2025-07-29", "Second summit", "--watch", "intl-ai-org"]);
    env.ok(&["check"]);
}

#[test]
fn a_known_on_report_to_a_pipe_nobody_reads_keeps_no_writer_waiting() {
    use std::io::Read;
    use std::process::Stdio;
    let env = TestEnv::with_items();
    // More than a pipe holds (64 KiB) once exported.
    let mut csv = String::from("date,kind,watch,headline\n");
    for n in 0..600 {
        csv.push_str(&format!(
            "2025-07-01,other,intl-ai-org,Development {n} of a long series of dated reports\n"
        ));
    }
    env.ok_with(
        &["import", &env.file("many.csv", &csv)],
        "imported 1 file: 600 added, 0 updated, 0 unchanged, 0 rejected (600 developments)",
    );
    let at = newest_entry_time(&env);
    env.log(&["2025-07-28", "AI summit", "--watch", "intl-ai-org"]);
    let mut export = env
        .std_cmd()
        .args(["export", "--known-on", &at])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = export.stdout.take().unwrap();
    // Its first byte: the report is made, and the rest waits on a reader
    // that reads no more for now.
    let mut first = [0u8; 1];
    pipe.read_exact(&mut first).unwrap();
    // Meanwhile a writer is not kept waiting (it would be, up to its busy
    // timeout, then refused, if the store were still held).
    env.log(&["2025-07-29", "Second summit", "--watch", "intl-ai-org"]);
    let mut rest = Vec::new();
    pipe.read_to_end(&mut rest).unwrap();
    assert!(export.wait().unwrap().success());
    let text = format!("{}{}", first[0] as char, String::from_utf8(rest).unwrap());
    assert_eq!(text.matches("\"type\":\"development\"").count(), 600);
    assert!(
        !text.contains("summit"),
        "a development logged after K was exported"
    );
}
