//! `lookout import`: the two CSV dialects, idempotency, updates, and refusals
//! that name file:line and the column and store nothing.

use crate::env::{SEED_IMPORTED, TestEnv, fixture, stderr_of};

const HEADER: &str = "id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at\n";

#[test]
fn seed_import_is_idempotent() {
    let env = TestEnv::new();
    let files = [fixture("watch-items.csv"), fixture("developments.csv")];
    let out = env.run(&["import", &files[0], &files[1]]);
    assert!(out.status.success());
    assert_eq!(
        stderr_of(&out),
        "imported 2 files: 11 added, 0 updated, 0 unchanged, 0 rejected (3 watch items, 8 developments)\n"
    );
    let before = env.fingerprint();
    let out = env.run(&["import", &files[0], &files[1]]);
    assert!(out.status.success());
    assert_eq!(
        stderr_of(&out),
        "imported 2 files: 0 added, 0 updated, 11 unchanged, 0 rejected (3 watch items, 8 developments)\n"
    );
    assert_eq!(env.fingerprint(), before, "re-import changed the store");
}

#[test]
fn watch_item_files_are_applied_first_whatever_the_order() {
    let env = TestEnv::new();
    env.ok_with(
        &[
            "import",
            &fixture("developments.csv"),
            &fixture("watch-items.csv"),
        ],
        SEED_IMPORTED,
    );
    assert_eq!(env.query("SELECT count(*) FROM links"), "Integer(8)");
}

#[test]
fn rows_without_id_match_by_date_headline_and_watch_slugs() {
    let env = TestEnv::with_items();
    let file = env.file(
        "new.csv",
        "date,kind,watch,headline\n2025-08,response,intl-response=emerging,EU responds\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
    );
    let out = env.run(&["import", &file]);
    assert!(
        stderr_of(&out).contains(": 0 added, 0 updated, 1 unchanged"),
        "{}",
        stderr_of(&out)
    );
    // Another watch set is another development.
    let other = env.file(
        "other.csv",
        "date,kind,watch,headline\n2025-08,response,intl-ai-org,EU responds\n",
    );
    let out = env.run(&["import", &other]);
    assert!(stderr_of(&out).contains(": 1 added"), "{}", stderr_of(&out));
}

#[test]
fn a_known_id_with_other_content_updates_the_development() {
    let env = TestEnv::seeded();
    let file = env.file(
        "fix.csv",
        &format!(
            "{HEADER}jtce187y,2025-07-26,day,statement,intl-ai-org=developing,China;UN,Premier Li Qiang proposes a new international AI cooperation organisation,,,\n"
        ),
    );
    let out = env.run(&["import", &file]);
    assert!(
        stderr_of(&out).contains(": 0 added, 1 updated, 0 unchanged"),
        "{}",
        stderr_of(&out)
    );
    let shown = env.ok(&["show", "jtce187y"]);
    assert!(shown.contains("intl-ai-org=developing"));
    assert!(shown.contains("China, UN"));
    assert!(
        !shown.contains("summary"),
        "the file wins: the summary is gone\n{shown}"
    );
    let status = env.ok(&["status", "--as-of", "2025-08-01", "--format", "csv"]);
    assert!(status.contains("intl-ai-org,Launch of China's proposed international AI cooperation organisation,developing,2025-07-26"));
}

#[test]
fn watch_items_are_updated_by_slug() {
    let env = TestEnv::with_items();
    let file = env.file("items.csv", "slug,title,tags\nintl-ai-org,A new title,un\n");
    let out = env.run(&["import", &file]);
    assert!(
        stderr_of(&out).contains(": 0 added, 1 updated, 0 unchanged"),
        "{}",
        stderr_of(&out)
    );
    let shown = env.ok(&["watch", "show", "intl-ai-org"]);
    assert!(shown.contains("A new title"));
    assert!(
        shown.contains("opened       2025-07-26"),
        "a blank opened keeps the date\n{shown}"
    );
    assert!(!shown.contains("description"), "{shown}");
}

#[test]
fn bom_crlf_and_quoted_newlines_are_accepted() {
    let env = TestEnv::with_items();
    let file = env.file(
        "windows.csv",
        "\u{feff}date,kind,watch,headline,summary\r\n2025-08,other,intl-ai-org,\"first\",\"two\r\nlines\"\r\n2025-09,other,intl-ai-org,second,\r\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 2 added, 0 updated, 0 unchanged, 0 rejected (2 developments)",
    );
    let json = env.ok(&["timeline", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value[0]["headline"], "first");
    assert_eq!(value[0]["summary"], "two\r\nlines");
    assert_eq!(value[1]["headline"], "second");
    assert_eq!(value[1]["summary"], serde_json::Value::Null);
}

#[test]
fn a_bad_row_refuses_the_whole_run_naming_file_line_and_column() {
    let env = TestEnv::with_items();
    let items = env.file("items.csv", "slug,title\nnew-item,A new item\n");
    let devs = env.file(
        "devs.csv",
        "date,kind,watch,headline\n2025-08,other,intl-ai-org,fine\n2025-02-30,other,intl-ai-org,bad date\n",
    );
    let stderr = env.refused(
        &["import", &items, &devs],
        65,
        "devs.csv:3: column 'date': invalid date '2025-02-30': February 2025 has 28 days",
    );
    assert!(!stderr.contains("imported"));
}

#[test]
fn line_numbers_count_crlf_and_quoted_newlines() {
    let env = TestEnv::with_items();
    let file = env.file(
        "lines.csv",
        "date,kind,watch,headline\r\n2025,other,intl-ai-org,\"a\r\nb\"\r\n2025,other,intl-ai-org,ok\r\n2025,nope,intl-ai-org,bad\r\n",
    );
    env.refused(
        &["import", &file],
        65,
        "lines.csv:5: column 'kind': unknown kind 'nope'",
    );
}

#[test]
fn every_kind_of_bad_cell_is_refused_with_its_column() {
    let env = TestEnv::with_items();
    let cases = [
        (
            "date,kind,watch,headline\n2025,other,intl-org,x\n",
            ":2: column 'watch': unknown watch item 'intl-org'",
        ),
        (
            "date,kind,watch,headline\n2025,other,intl-ai-org=done,x\n",
            ":2: column 'watch': unknown status 'done'",
        ),
        (
            "date,kind,watch,headline\n2025,other,intl-ai-org, \n",
            ":2: column 'headline': the headline is empty",
        ),
        (
            "date,kind,watch,headline\n,other,intl-ai-org,x\n",
            ":2: column 'date': is empty, and it is required",
        ),
        (
            "date,kind,watch,headline\n2025,,intl-ai-org,x\n",
            ":2: column 'kind': is empty, and it is required",
        ),
        (
            "date,precision,kind,watch,headline\n2025-07,day,other,intl-ai-org,x\n",
            ":2: column 'precision': precision 'day' contradicts the date '2025-07'",
        ),
        (
            "date,kind,watch,headline,actors\n2025,other,intl-ai-org,x,\"\"\n",
            "imported",
        ),
        (
            "id,date,kind,watch,headline\nBAD ID,2025,other,intl-ai-org,x\n",
            ":2: column 'id': invalid development id",
        ),
        (
            "date,kind,watch,headline,recorded_at\n2025,other,intl-ai-org,x,yesterday\n",
            ":2: column 'recorded_at': invalid time 'yesterday'",
        ),
        (
            "date,kind,watch,headline,colour\n2025,other,intl-ai-org,x,red\n",
            ":1: unknown column 'colour' in a timeline CSV",
        ),
        (
            "date,kind,headline\n2025,other,x\n",
            ":1: missing required column 'watch'",
        ),
        (
            "date,kind,watch,headline\n2025,other,intl-ai-org\n",
            ":2: expected 4 fields, as in the header, but found 3",
        ),
        (
            "slug,title\nBad Slug,x\n",
            ":2: column 'slug': invalid watch slug 'Bad Slug'",
        ),
        (
            "slug,title\nok-slug,\n",
            ":2: column 'title': the title is empty",
        ),
        (
            "slug,title,opened\nok-slug,x,2025-02-29\n",
            ":2: column 'opened': invalid date '2025-02-29'",
        ),
    ];
    for (index, (content, expected)) in cases.iter().enumerate() {
        let file = env.file(&format!("case{index}.csv"), content);
        if *expected == "imported" {
            // An empty list cell is an empty list, not an error.
            env.ok_with(
                &["import", &file],
                "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
            );
            continue;
        }
        env.refused(
            &["import", &file],
            65,
            &format!("case{index}.csv{expected}"),
        );
    }
}

#[test]
fn invalid_utf8_is_refused_with_line_and_column() {
    let env = TestEnv::with_items();
    let path = env.dir().join("latin1.csv");
    std::fs::write(
        &path,
        b"date,kind,watch,headline\n2025,other,intl-ai-org,caf\xe9\n",
    )
    .unwrap();
    env.refused(
        &["import", path.to_str().unwrap()],
        65,
        "latin1.csv:2: column 'headline': not valid UTF-8",
    );
}

#[test]
fn missing_files_exit_66_before_anything_is_stored() {
    let env = TestEnv::with_items();
    let good = env.file(
        "good.csv",
        "date,kind,watch,headline\n2025,other,intl-ai-org,x\n",
    );
    env.refused(&["import", &good, "nope.csv"], 66, "nope.csv: no such file");
    env.refused(&["import", "."], 66, "a folder with no .jsonl files");
}

#[test]
fn a_missing_file_on_a_new_store_creates_nothing() {
    let env = TestEnv::new();
    env.refused(&["import", "nope.csv"], 66, "nope.csv: no such file");
    assert!(!env.db().exists());
}

#[test]
fn export_import_export_is_byte_identical() {
    let env = TestEnv::seeded();
    env.log(&[
        "2025-08",
        "'=quoted', with comma\nand newline",
        "--watch",
        "intl-ai-org",
        "--actor",
        "+plus",
        "--summary=-minus",
    ]);
    let first = env.ok(&["timeline", "--format", "csv"]);
    let copy = TestEnv::with_items();
    let file = copy.file("timeline.csv", &first);
    copy.ok_with(
        &["import", &file],
        "imported 1 file: 9 added, 0 updated, 0 unchanged, 0 rejected (9 developments)",
    );
    assert_eq!(copy.ok(&["timeline", "--format", "csv"]), first);
    let value: serde_json::Value =
        serde_json::from_str(&copy.ok(&["timeline", "--format", "json", "--from", "2025-08"]))
            .unwrap();
    assert_eq!(value[0]["headline"], "'=quoted', with comma\nand newline");
    assert_eq!(value[0]["actors"][0], "+plus");
    assert_eq!(value[0]["summary"], "-minus");
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let env = TestEnv::with_items();
    let before = env.fingerprint();
    let out = env.run(&[
        "import",
        "--dry-run",
        &fixture("developments.csv"),
        &fixture("watch-items.csv"),
    ]);
    assert!(out.status.success());
    assert_eq!(
        stderr_of(&out),
        "dry run, nothing written: 2 files would give 8 added, 0 updated, 3 unchanged, 0 rejected (3 watch items, 8 developments)\n"
    );
    assert_eq!(env.fingerprint(), before);
    // On a new store, not even the store file is left behind.
    let fresh = TestEnv::new();
    assert!(
        fresh
            .run(&["import", "--dry-run", &fixture("watch-items.csv")])
            .status
            .success()
    );
    assert!(!fresh.db().exists());
}

#[test]
fn dry_run_still_refuses_bad_rows() {
    let env = TestEnv::with_items();
    let file = env.file(
        "bad.csv",
        "date,kind,watch,headline\n2025-02-30,other,intl-ai-org,x\n",
    );
    env.refused(
        &["import", "--dry-run", &file],
        65,
        "bad.csv:2: column 'date'",
    );
}

#[test]
fn skip_invalid_keeps_good_rows_and_writes_bad_ones_with_their_reason() {
    let env = TestEnv::with_items();
    let file = env.file(
        "mixed.csv",
        "date,kind,watch,headline\r\n\
         2025-08,other,intl-ai-org,good one\r\n\
         2025-02-30,other,intl-ai-org,bad date\r\n\
         2025-09,other,intl-org,\"bad, slug\"\r\n\
         2025-10,other,intl-ai-org,good two\r\n\
         2025,other\r\n",
    );
    let out = env.run(&[
        "import",
        &file,
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ]);
    assert_eq!(out.status.code(), Some(65));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("imported 1 file: 2 added, 0 updated, 0 unchanged, 3 rejected"),
        "{stderr}"
    );
    assert!(stderr.contains("3 records rejected"), "{stderr}");
    assert_eq!(
        env.ok(&["timeline", "--format", "json"])
            .matches("\"good")
            .count(),
        2
    );
    let rejects = std::fs::read_to_string(env.dir().join("rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.split("\r\n").collect();
    assert_eq!(lines[0], "date,kind,watch,headline,error");
    assert!(
        lines[1].starts_with("2025-02-30,other,intl-ai-org,bad date,"),
        "{rejects}"
    );
    assert!(
        lines[1].contains("mixed.csv:3: column 'date': invalid date '2025-02-30'"),
        "{rejects}"
    );
    assert!(
        lines[2].starts_with("2025-09,other,intl-org,\"bad, slug\","),
        "{rejects}"
    );
    assert!(
        lines[2].contains("mixed.csv:4: column 'watch': unknown watch item 'intl-org'"),
        "{rejects}"
    );
    assert!(
        lines[3].contains("mixed.csv:6: expected 4 fields"),
        "{rejects}"
    );
}

#[test]
fn skip_invalid_without_rejects_still_exits_65() {
    let env = TestEnv::with_items();
    let file = env.file(
        "one-bad.csv",
        "date,kind,watch,headline\n2025,nope,intl-ai-org,x\n2025,other,intl-ai-org,y\n",
    );
    let out = env.run(&["import", &file, "--skip-invalid"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr_of(&out).contains("1 added, 0 updated, 0 unchanged, 1 rejected"));
    assert!(stderr_of(&out).contains("pass --rejects FILE"));
}

#[test]
fn rejects_need_inputs_of_one_dialect() {
    let env = TestEnv::with_items();
    env.refused(
        &[
            "import",
            &fixture("watch-items.csv"),
            &fixture("developments.csv"),
            "--skip-invalid",
            "--rejects",
            "r.csv",
        ],
        65,
        "--rejects needs input files of one kind",
    );
    env.refused(
        &["import", &fixture("watch-items.csv"), "--rejects", "r.csv"],
        2,
        "--skip-invalid",
    );
}

#[test]
fn an_unterminated_quote_is_refused_not_swallowed() {
    let env = TestEnv::with_items();
    let file = env.file(
        "open-quote.csv",
        "date,kind,watch,headline\n2025,other,intl-ai-org,\"never closed\n2025,other,intl-ai-org,would be swallowed\n",
    );
    env.refused(
        &["import", &file],
        65,
        "open-quote.csv:2: column 'headline': a quoted cell is never closed",
    );
}

#[test]
fn jsonl_refusals_name_line_and_field() {
    let env = TestEnv::with_items();
    let cases = [
        (
            "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\"}\n",
            ":1: missing field 'headline'",
        ),
        (
            "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"x\",\"mood\":1}\n",
            ":1: unknown field 'mood'",
        ),
        ("\n{\"type\":\"planet\"}\n", ":2: unknown variant 'planet'"),
        (
            "{\"type\":\"watch\",\"slug\":\"x\"\n",
            ":1: EOF while parsing an object",
        ),
        (
            "{\"type\":\"development\",\"date\":\"2025-13\",\"kind\":\"other\",\"headline\":\"x\"}\n",
            ":1: field 'date': invalid date '2025-13'",
        ),
        (
            "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"x\",\"watch\":[{\"slug\":\"intl-ai-org\",\"to\":\"won\"}]}\n",
            ":1: field 'watch': unknown status 'won'",
        ),
        (
            "{\"type\":\"kind\",\"name\":\"Bad Kind\"}\n",
            ":1: field 'name': invalid kind name",
        ),
    ];
    for (index, (content, expected)) in cases.iter().enumerate() {
        let file = env.file(&format!("case{index}.jsonl"), content);
        env.refused(
            &["import", &file],
            65,
            &format!("case{index}.jsonl{expected}"),
        );
    }
}

#[test]
fn jsonl_rejects_keep_the_line_with_an_error_field() {
    let env = TestEnv::with_items();
    let file = env.file(
        "team.jsonl",
        "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"fine\"}\n\
         {\"type\":\"development\",\"date\":\"2025\",\"kind\":\"nope\",\"headline\":\"bad kind\"}\n",
    );
    let out = env.run(&["import", &file, "--skip-invalid", "--rejects", "r.jsonl"]);
    assert_eq!(out.status.code(), Some(65));
    let rejects = std::fs::read_to_string(env.dir().join("r.jsonl")).unwrap();
    let value: serde_json::Value = serde_json::from_str(rejects.trim()).unwrap();
    assert_eq!(value["headline"], "bad kind");
    assert!(
        value["error"]
            .as_str()
            .unwrap()
            .contains("team.jsonl:2: field 'kind': unknown kind 'nope'")
    );
}

#[test]
fn jsonl_developments_may_come_before_their_watch_items() {
    let env = TestEnv::new();
    let file = env.file(
        "unsorted.jsonl",
        "{\"type\":\"development\",\"date\":\"2025-07\",\"kind\":\"court-ruling\",\"headline\":\"x\",\"watch\":[{\"slug\":\"later\",\"to\":\"emerging\"}]}\n\
         {\"type\":\"watch\",\"slug\":\"later\",\"title\":\"Defined later\"}\n\
         {\"type\":\"kind\",\"name\":\"court-ruling\"}\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (1 kind, \
            1 watch item, 1 development)",
    );
    assert!(
        env.ok(&["status", "--format", "csv"])
            .contains("later,Defined later,emerging")
    );
}

#[test]
fn jsonl_carries_retraction_both_ways() {
    let env = TestEnv::with_items();
    let file = env.file(
        "r.jsonl",
        "{\"type\":\"development\",\"id\":\"r1\",\"date\":\"2025-07-27\",\"kind\":\"other\",\"headline\":\"false report\",\"actors\":[\"EU\"],\"watch\":[{\"slug\":\"intl-ai-org\",\"to\":\"realised\"}],\"retracted\":{\"at\":\"2025-07-28T10:00:00Z\",\"reason\":\"denied by the ministry\"}}\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
    );
    assert!(env.ok(&["status", "--format", "csv"]).contains(
        "intl-ai-org,Launch of China's proposed international AI cooperation organisation,open,"
    ));
    assert_eq!(env.ok(&["timeline", "--format", "json"]), "[]\n");
    // Nor do retracted developments count for their actors or kind.
    assert_eq!(
        env.ok(&["actors", "--format", "csv"]),
        "actor,developments\r\nEU,0\r\n"
    );
    assert!(
        env.ok(&["kinds", "--format", "csv"])
            .contains("other,true,0\r\n")
    );
    let shown = env.ok(&["show", "r1"]);
    assert!(
        shown.contains("retracted    2025-07-28T10:00:00.000000Z: denied by the ministry"),
        "{shown}"
    );
    let export = env.ok(&["export"]);
    assert!(
        export.contains(
            r#""retracted":{"at":"2025-07-28T10:00:00.000000Z","reason":"denied by the ministry"}"#
        ),
        "{export}"
    );
    // A CSV row says nothing of retraction: the development is updated and stays retracted.
    let csv = env.file(
        "r.csv",
        "id,date,kind,watch,headline\nr1,2025-07-27,other,intl-ai-org=realised,\"false report, corrected\"\n",
    );
    let out = env.run(&["import", &csv]);
    assert!(
        stderr_of(&out).contains("0 added, 1 updated"),
        "{}",
        stderr_of(&out)
    );
    let shown = env.ok(&["show", "r1"]);
    assert!(shown.contains("false report, corrected"), "{shown}");
    assert!(shown.contains("denied by the ministry"), "{shown}");
    assert_eq!(env.ok(&["timeline", "--format", "json"]), "[]\n");
}

/// A file large enough for the bulk path (indexes and totals built once at
/// the end) leaves the store as sound as row-by-row loading does.
#[test]
fn a_bulk_import_builds_indexes_and_totals_that_check_out() {
    let env = TestEnv::with_items();
    env.log(&[
        "2025-07-26",
        "before the bulk load",
        "--watch",
        "intl-ai-org=emerging",
    ]);
    let mut csv = String::from("date,kind,watch,actors,headline,summary\n");
    let padding = "x".repeat(300);
    for i in 0..4000 {
        let status = if i == 3999 { "=developing" } else { "" };
        csv.push_str(&format!(
            "2025-08-{:02},other,intl-ai-org{status};intl-response,EU;India,bulk development {i},{padding}\n",
            1 + i % 28
        ));
    }
    assert!(csv.len() > 1 << 20);
    let file = env.file("bulk.csv", &csv);
    env.ok_with(
        &["import", &file],
        "imported 1 file: 4000 added, 0 updated, 0 unchanged, 0 rejected (4000 developments)",
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
    let status = env.ok(&["status", "--as-of", "2025-09-01", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(value["items"][0]["developments"], 4001);
    assert_eq!(value["items"][0]["status"], "developing");
    assert_eq!(value["items"][1]["developments"], 4000);
    // As of an earlier date, the links are counted rather than read from the totals.
    let early = env.ok(&["status", "--as-of", "2025-08-01", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&early).unwrap();
    assert_eq!(value["items"][0]["developments"], 1 + 4000 / 28 + 1);
    assert_eq!(value["items"][0]["status"], "emerging");
    // The indexes are back: the timeline filters use them and agree.
    let ids = env.ok(&[
        "timeline",
        "--format",
        "csv",
        "--actor",
        "India",
        "--from",
        "2025-08-28",
    ]);
    assert_eq!(ids.lines().count(), 1 + 4000 / 28);
}

#[test]
fn totals_follow_every_kind_of_change() {
    let env = TestEnv::seeded();
    env.ok_with(
        &["watch", "remove", "intl-response", "--force"],
        "removed intl-response and 2 links",
    );
    let file = env.file(
        "moved.csv",
        "id,date,kind,watch,headline\njtce187y,2025-08-15,statement,intl-ai-org=emerging,Premier Li Qiang proposes a new international AI cooperation organisation\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 0 added, 1 updated, 0 unchanged, 0 rejected (1 development)",
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
    let status = env.ok(&["status", "--as-of", "2025-12-31", "--format", "csv"]);
    assert!(status.contains("intl-ai-org,Launch of China's proposed international AI cooperation organisation,emerging,2025-08-15,4,2025-08-15,"), "{status}");
}

#[test]
fn dry_run_lists_each_update_with_the_fields_it_would_overwrite() {
    let env = TestEnv::seeded();
    let export = env.ok(&["export"]);
    let changed = export
        .replace(
            "\"headline\":\"US releases its AI Action Plan\"",
            "\"headline\":\"The US releases its AI Action Plan\"",
        )
        .replace(
            "\"title\":\"US counter-moves in policy forums and international partnerships\"",
            "\"title\":\"US counter-moves\"",
        );
    let file = env.file("colleague.jsonl", &changed);
    let before = env.fingerprint();
    let out = env.run(&["import", "--dry-run", &file]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        String::from_utf8(out.stdout.clone()).unwrap(),
        "watch us-counter-moves: title \"US counter-moves in policy forums and international partnerships\" → \"US counter-moves\"\n\
         development kkdhda1z: headline \"US releases its AI Action Plan\" → \"The US releases its AI Action Plan\"\n"
    );
    assert!(stderr_of(&out).contains("would give 0 added, 2 updated, 9 unchanged"));
    assert_eq!(env.fingerprint(), before);
}

#[test]
fn a_timeline_csv_saved_back_by_a_spreadsheet_imports_or_says_what_the_spreadsheet_did() {
    let env = TestEnv::with_items();
    env.log(&[
        "2025-07-26",
        "Saved by a spreadsheet",
        "--watch",
        "intl-ai-org",
    ]);
    let csv = env.ok(&["timeline", "--format", "csv"]);
    // LibreOffice writes booleans in capitals: the file imports unchanged.
    let capitals = env.file("capitals.csv", &csv.replace(",false,", ",FALSE,"));
    let before = env.ok(&["export"]);
    env.ok_stderr(&["import", &capitals]);
    assert_eq!(env.ok(&["export"]), before);
    // A date the spreadsheet turned into its day number, or 2024% into a percentage.
    let serial = env.file(
        "serial.csv",
        &csv.replace(",2025-07-26,day,", ",45864,day,"),
    );
    let said = env.refused(&["import", &serial], 65, "serial.csv:2");
    assert!(
        said.contains("45864 looks like a spreadsheet's number for the day 2025-07-26"),
        "{said}"
    );
    assert!(said.contains("date column as text"), "{said}");
    let percent = csv
        .replace(",2025-07-26,day,", ",2024.00%,year,")
        .replace(",2025-07-26,2025-07-26,", ",,,");
    let percent = env.file("percent.csv", &percent);
    let said = env.refused(&["import", &percent], 65, "percent.csv:2");
    assert!(said.contains("write 2024% and open the file"), "{said}");
}

#[test]
fn a_control_character_in_any_text_is_refused_at_entry_and_named_by_check() {
    let env = TestEnv::with_items();
    // A NUL would cut the headline short for sqlite3; a bell rings.
    let file = env.file(
        "controls.csv",
        "date,kind,headline,watch,summary\n2025-08-02,other,A\u{0}B,intl-ai-org,ok\n2025-08-03,other,Fine,intl-ai-org,\"bell\u{7}\"\n",
    );
    let said = env.refused(
        &["import", &file],
        65,
        "controls.csv:2: the headline contains U+0000, a control character",
    );
    assert!(
        said.contains("controls.csv:3: the summary contains U+0007"),
        "{said}"
    );
    env.refused(
        &[
            "log",
            "2025-08-04",
            "Esc\u{1b}[2J",
            "--watch",
            "intl-ai-org",
        ],
        65,
        "the headline contains U+001B, a control character",
    );
    // Tabs and line ends stay welcome.
    env.log_warned(
        &[
            "2025-08-05",
            "Fine",
            "--watch",
            "intl-ai-org",
            "--summary",
            "one\ttwo\r\nthree",
        ],
        &["is after today"],
    );
    // What an older lookout let in, `check` names.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET headline = 'A' || char(0) || 'B' WHERE date = '2025-08-05'",
        [],
    )
    .unwrap();
    drop(conn);
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65));
    let said = crate::env::stdout_of(&out) + &crate::env::stderr_of(&out);
    assert!(
        said.contains("headline holds U+0000, a control character"),
        "{said}"
    );
}
