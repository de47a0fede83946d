//! Honest time in files and the store: the columns and fields that carry
//! intervals and scheduled developments, what older files and stores keep
//! meaning, and what `check` verifies.

use crate::env::{AUTHOR, CURRENT_VERSION, TestEnv, stderr_of};

/// A store holding a scheduled development, an interval and an open start.
fn timed() -> (TestEnv, String) {
    let env = TestEnv::with_items();
    let due = env.log(&[
        "2025-09-15",
        "The summit is due",
        "--scheduled",
        "--watch",
        "intl-response=developing",
    ]);
    env.log(&[
        "2025-06~/2025-07-20",
        "Talks some time this summer",
        "--watch",
        "intl-ai-org=emerging",
    ]);
    env.log(&[
        "../2025-07",
        "Councils formed before the article",
        "--watch",
        "us-counter-moves",
    ]);
    (env, due)
}

#[test]
fn the_timeline_csv_round_trips_intervals_scheduled_and_who_recorded() {
    let (env, due) = timed();
    let csv = env.ok(&["timeline", "--format", "csv"]);
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(rows[1].contains(",../2025-07,interval,"), "{}", rows[1]);
    assert!(
        rows[1].ends_with(&format!(",,2025-07-31,false,{AUTHOR}")),
        "an open start has an empty start: {}",
        rows[1]
    );
    assert!(
        rows[2].contains(",2025-06~/2025-07-20,interval,")
            && rows[2].contains(",2025-06-01,2025-07-20,false,"),
        "{}",
        rows[2]
    );
    assert!(rows[3].starts_with(&due) && rows[3].contains(",2025-09-15,2025-09-15,true,"));
    let copy = TestEnv::with_items();
    let file = copy.file("timeline.csv", &csv);
    copy.ok_with(
        &["import", &file],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 developments)",
    );
    assert_eq!(copy.ok(&["timeline", "--format", "csv"]), csv);
    assert_eq!(copy.json_ids(&["timeline", "--scheduled"]), [due]);
    assert!(copy.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn a_file_of_the_first_ten_columns_imports_as_before_and_keeps_what_it_does_not_say() {
    let (env, due) = timed();
    // The scheduled development as an earlier lookout would have written it.
    let old = env.file(
        "old.csv",
        &format!(
            "id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at\n\
             {due},2025-09-15,day,other,intl-response=developing,,The summit is due,,,\n\
             ,2025-07-26,day,statement,intl-ai-org,China,An old row without an id,,,\n"
        ),
    );
    let out = env.run(&["import", &old]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("1 added, 0 updated, 1 unchanged"),
        "{}",
        stderr_of(&out)
    );
    // Still due: the file said nothing of it.
    assert_eq!(env.json_ids(&["timeline", "--scheduled"]), [due.as_str()]);
    // An empty scheduled cell is false, and says so.
    let now_done = env.file(
        "done.csv",
        &format!("id,date,kind,watch,headline,scheduled\n{due},2025-09-15,other,intl-response=developing,The summit is due,\n"),
    );
    env.ok_with(
        &["import", &now_done],
        "imported 1 file: 0 added, 1 updated, 0 unchanged, 0 rejected (1 development)",
    );
    assert!(env.json_ids(&["timeline", "--scheduled"]).is_empty());
}

#[test]
fn imported_rows_are_checked_against_their_dates() {
    let env = TestEnv::with_items();
    let bad = env.file(
        "bad.csv",
        "date,precision,kind,watch,headline,start,end,scheduled,recorded_by\n\
         2025-07,,other,intl-ai-org,start wrong,2025-07-02,,,\n\
         2025-07,,other,intl-ai-org,end wrong,,2025-07-30,,\n\
         ../2025-07,,other,intl-ai-org,open start has no first day,2025-07-01,,,\n\
         2025-07,interval,other,intl-ai-org,not an interval,,,,\n\
         ../2025-07,month,other,intl-ai-org,an interval,,,,\n\
         2025-08/2025-07,,other,intl-ai-org,backwards,,,,\n\
         2025-07,,other,intl-ai-org,not a flag,,,yes,\n\
         2025-07,,other,intl-ai-org,a good row,2025-07-01,2025-07-31,true,Ana <ana@example.org>\n",
    );
    let stderr = env.refused(
        &["import", &bad],
        65,
        "7 bad records in the input; nothing was stored",
    );
    for expected in [
        "bad.csv:2: column 'start': '2025-07-02' contradicts the date '2025-07', which starts on 2025-07-01",
        "bad.csv:3: column 'end': '2025-07-30' contradicts the date '2025-07', which ends on 2025-07-31",
        "bad.csv:4: column 'start': '2025-07-01' contradicts the date '../2025-07', an open start, which has no first day",
        "bad.csv:5: column 'precision': precision 'interval' contradicts the date '2025-07', which is month-precise",
        "bad.csv:6: column 'precision': precision 'month' contradicts the date '../2025-07', which is an interval",
        "bad.csv:7: column 'date': invalid date '2025-08/2025-07': its start 2025-08 is after its end 2025-07",
        "bad.csv:8: column 'scheduled': 'yes' is neither true nor false",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    let good = env.file(
        "good.csv",
        "date,kind,watch,headline,start,end,scheduled,recorded_by\n\
         2025-07,other,intl-ai-org,a good row,2025-07-01,2025-07-31,true,Ana <ana@example.org>\n",
    );
    env.ok_with(
        &["import", &good],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["timeline", "--format", "json"])).unwrap();
    assert_eq!(json[0]["scheduled"], true);
    assert_eq!(json[0]["recorded_by"], "Ana <ana@example.org>");
}

#[test]
fn json_lines_carry_intervals_and_scheduled_and_check_start_and_end() {
    let (env, due) = timed();
    let export = env.ok(&["export"]);
    let due_line = export.lines().find(|l| l.contains(&due)).unwrap();
    assert!(
        due_line.contains(r#""start":"2025-09-15","end":"2025-09-15","scheduled":true"#),
        "{due_line}"
    );
    assert!(export.contains(r#""date":"../2025-07","precision":"interval""#));
    assert!(export.contains(r#""start":null,"end":"2025-07-31","scheduled":false"#));
    let copy = TestEnv::new();
    let file = copy.file("tracker.jsonl", &export);
    copy.ok_with(
        &["import", &file],
        "imported 1 file: 6 added, 0 updated, 0 unchanged, 0 rejected (3 watch \
            items, 3 developments)",
    );
    assert_eq!(copy.ok(&["export"]), export);
    let wrong = copy.file(
        "wrong.jsonl",
        r#"{"type":"development","id":"x1","date":"2025-07","kind":"other","headline":"h","start":"2025-07-01","end":"2025-07-30"}"#,
    );
    copy.refused(
        &["import", &wrong],
        65,
        "wrong.jsonl:1: field 'end': '2025-07-30' contradicts the date '2025-07', which ends on 2025-07-31",
    );
}

#[test]
fn a_store_of_the_previous_release_upgrades_in_place_and_its_journal_still_undoes() {
    // Made by lookout of schema 2: the seed import (then dated 2025?), a
    // kind, an edit, a retraction by another author, a log and a watch edit.
    let env = TestEnv::new();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v2.db"),
        env.db(),
    )
    .unwrap();
    let status = env.ok(&["status", "--as-of", "2025-08-01", "--format", "csv"]);
    assert_eq!(env.query("PRAGMA user_version"), CURRENT_VERSION);
    // `2025?` recorded in November 2026 settled at the end of 2025: the
    // councils, which set emerging, may have formed by August; not certainly.
    assert!(
        status.contains(
            ",open,,1,2025-07-23,US releases its AI Action Plan,9,false,emerging,ct7n11xd,"
        ),
        "{status}"
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
    let export = env.ok(&["export"]);
    assert!(
        export.contains(r#""start":"2025-01-01","end":"2025-12-31","scheduled":false,"recorded_by":"Ana Analyst <ana@example.org>""#),
        "{export}"
    );
    // Every entry made before the upgrade undoes, newest first, to nothing.
    for _ in 0..6 {
        let out = env.run(&["undo"]);
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    assert_eq!(env.ok(&["export"]), "");
    assert!(stderr_of(&env.run(&["undo"])).contains("nothing to undo"));
}

#[test]
fn check_recomputes_the_settled_day_and_the_copies_kept_for_speed() {
    let (env, due) = timed();
    env.ok_with(
        &["edit", &due, "--occurred", "--date", "2025-09"],
        &format!(
            "recorded that {due} happened; it counts from 2025-09-30\nlookout: \
            warning: 2025-09 is after today"
        ),
    );
    env.ok_with(
        &["retract", &due, "--reason", "Postponed after all"],
        &format!("retracted {due}: The summit is due"),
    );
    env.ok_with(&["undo"], "undid #6 (retract, 1 record");
    assert!(env.ok(&["check"]).starts_with("ok: "));
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET settled = '2025-09-01' WHERE id = ?1",
        [&due],
    )
    .unwrap();
    drop(conn);
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "dates: development {due}: date '2025-09' is stored as settled 2025-09-01; it settled 2025-09-30"
        )),
        "{stdout}"
    );
}
