//! Hostile text and input: escape sequences on stderr, invisible characters
//! in names, ragged rows with --rejects, huge echoes, huge cells, and odd
//! arguments.

use std::time::{Duration, Instant};

use crate::env::{TestEnv, stderr_of, stdout_of};

/// What a terminal must never receive: ESC, BEL, and the 8-bit CSI.
fn assert_inert(text: &str) {
    assert!(
        !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
        "control characters reached the terminal: {text:?}"
    );
}

#[test]
fn user_text_on_stderr_is_neutralised_as_on_stdout_and_invisible_characters_show() {
    let env = TestEnv::with_items();
    let osc52 = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J";
    // An error echoing a cell.
    let file = env.file(
        "esc.csv",
        &format!("date,kind,watch,headline\n2025-07-01{osc52},other,intl-ai-org,x\n"),
    );
    let stderr = env.refused(&["import", &file], 65, "invalid date '2025-07-01\\u{1b}]52");
    assert_inert(&stderr);
    // An error echoing an argument.
    let stderr = env.refused(&["log", &format!("2025{osc52}"), "x"], 65, "invalid date");
    assert_inert(&stderr);
    // Text holding a control character is refused at entry, inertly…
    let stderr = env.refused(
        &["log", "2025-07", &format!("headline {osc52}")],
        65,
        "the headline contains U+001B, a control character",
    );
    assert_inert(&stderr);
    // …and confirmations quoting a headline that got in by other means
    // (an older lookout, sqlite3) show it escaped.
    let id = env.log_warned(&["2025-07", "headline"], &["bears on no watch item"]);
    env.set_headline(&id, &format!("headline {osc52}"));
    let out = env.run(&["retract", &id, "--reason", "a reason"]);
    assert!(out.status.success());
    assert_inert(&stderr_of(&out));
    assert!(
        stderr_of(&out).contains("\\u{1b}]52"),
        "{}",
        stderr_of(&out)
    );
    let out = env.run(&["undo"]);
    assert!(out.status.success());
    assert_inert(&stderr_of(&out));

    // Names that would look like others are refused at entry…
    env.refused(
        &["log", "2025-07", "y", "--actor", "U\u{200b}S"],
        65,
        "actor 'U\\u{200b}S' contains U+200B, a character that does not show",
    );
    let file = env.file(
        "zw.csv",
        "date,kind,watch,actors,headline\n2025-07,other,intl-ai-org,U\u{2060}S,z\n",
    );
    env.refused(&["import", &file], 65, "contains U+2060");
    env.refused(
        &["watch", "add", "x", "X", "--tag", "a\u{feff}b"],
        65,
        "tag 'a\\u{feff}b' contains U+FEFF",
    );
    // …and one that got in by other means shows, and check names it.
    env.log_warned(
        &["2025-07", "by US", "--actor", "US"],
        &["bears on no watch item"],
    );
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute("INSERT INTO actors (name) VALUES ('U\u{200b}S')", [])
        .unwrap();
    drop(conn);
    let actors = env.ok(&["actors"]);
    assert!(
        actors.contains("U\\u{200b}S") && actors.contains("US "),
        "{actors}"
    );
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stdout_of(&out).contains("names: actor 'U\\u{200b}S' contains U+200B"),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn a_ragged_row_with_rejects_is_rejected_and_the_import_goes_on() {
    let env = TestEnv::with_items();
    let header = "id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at";
    let file = env.file(
        "ragged.csv",
        &format!(
            "{header}\n\
             ,2025-07,,other,intl-ai-org,,good,,,\n\
             ,2025-07,,other,intl-ai-org,,too wide,x,,,extra,more\n\
             ,2025-07,,other,intl-ai-org\n\
             ,2025-08,,other,intl-ai-org,,also good,,,\n"
        ),
    );
    let rejects = env.dir().join("rejects.csv");
    let out = env.run(&[
        "import",
        &file,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("2 added") && stderr.contains("2 rejected"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("UnequalLengths") && !stderr.contains("{ "),
        "{stderr}"
    );
    // The rejects file is well formed: every row as wide as its header.
    let mut reader = csv::Reader::from_path(&rejects).unwrap();
    assert_eq!(reader.headers().unwrap().len(), 11);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.len() == 11));
    assert!(
        rows[0][10].contains("ragged.csv:3: expected 10 fields"),
        "{:?}",
        rows[0]
    );
    let csv = env.ok(&["timeline", "--format", "csv"]);
    assert!(
        csv.contains(",good,") && csv.contains(",also good,"),
        "{csv}"
    );
}

#[test]
fn echoed_text_in_errors_is_clipped_and_no_statement_or_schema_is_dumped() {
    let env = TestEnv::with_items();
    let header = format!("{}\nrow\n", "junk".repeat(250_000));
    let file = env.file("header.csv", &header);
    let stderr = env.refused(&["import", &file], 65, "cannot tell what the file holds");
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());
    assert!(stderr.contains("… (1000000 characters)"), "{stderr}");

    let long_date = format!("2025-01-01{}", "x".repeat(100_000));
    let stderr = env.refused(&["log", &long_date, "h"], 65, "invalid date");
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());

    let stderr = env.refused(
        &["search", &format!("\"{}", "y".repeat(100_000))],
        65,
        "cannot search for",
    );
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());

    // Repeating a filter value is one value; too many values are refused
    // in words, not with a statement of 100 KB.
    let mut args = vec!["timeline", "--format", "csv"];
    args.extend(std::iter::repeat_n(["--watch", "intl-ai-org"], 20_000).flatten());
    env.ok(&args);
    let slugs: Vec<String> = (0..1_001).map(|n| format!("s{n}")).collect();
    let mut args = vec!["timeline"];
    for slug in &slugs {
        args.extend(["--watch", slug.as_str()]);
    }
    let stderr = env.refused(&args, 65, "--watch: more than 1000 values");
    assert!(stderr.len() < 2_000, "{} bytes of error", stderr.len());

    // A file marked as a store but without a version: refused in a line,
    // not with the schema SQLite could not apply.
    let odd = TestEnv::new();
    let conn = rusqlite::Connection::open(odd.db()).unwrap();
    conn.execute_batch(
        "PRAGMA application_id = 1280003925; CREATE TABLE kinds (name TEXT); PRAGMA journal_mode = DELETE;",
    )
    .unwrap();
    drop(conn);
    let out = odd.run(&["log", "2025", "x"]);
    assert_eq!(out.status.code(), Some(74));
    let stderr = stderr_of(&out);
    assert!(stderr.contains("holds no schema version"), "{stderr}");
    assert!(!stderr.contains("CREATE"), "{stderr}");
}

#[test]
fn cells_are_capped_at_what_a_tracker_needs_and_search_stays_fast_at_the_cap() {
    let env = TestEnv::with_items();
    let over = |n: usize| "x".repeat(n + 1);
    env.refused(
        &["log", "2025-07", &over(500)],
        65,
        "the headline is 501 characters long; lookout keeps at most 500",
    );
    env.refused(
        &["log", "2025-07", "h", "--summary", &over(10_000)],
        65,
        "the summary is 10001 characters long; lookout keeps at most 10000",
    );
    env.refused(
        &["log", "2025-07", "h", "--actor", &over(200)],
        65,
        "the actor is 201",
    );
    env.refused(
        &["log", "2025-07", "h", "--source", &over(2_000)],
        65,
        "the source is 2001",
    );
    env.refused(&["watch", "add", "big", &over(500)], 65, "the title is 501");
    env.refused(
        &["watch", "add", "big", "T", "--description", &over(10_000)],
        65,
        "the description is 10001",
    );
    let id = env.log_warned(&["2025-07", "h"], &["bears on no watch item"]);
    env.refused(
        &["retract", &id, "--reason", &over(2_000)],
        65,
        "--reason: the reason is 2001",
    );
    env.refused(
        &["edit", &id, "--summary", &over(10_000)],
        65,
        "the summary is 10001",
    );
    let file = env.file(
        "big.csv",
        &format!(
            "date,kind,watch,headline\n2025-07,other,intl-ai-org,{}\n",
            over(500)
        ),
    );
    env.refused(
        &["import", &file],
        65,
        "big.csv:2: the headline is 501 characters long",
    );

    // The worst case for FTS5's snippet: a summary at the cap in which every
    // word matches (a 2 MB one took 134 s before the cap).
    let worst = "x ".repeat(5_000);
    env.log_warned(
        &["2025-07", "worst case", "--summary", worst.trim_end()],
        &["bears on no watch item"],
    );
    let started = Instant::now();
    let out = env.ok(&["search", "x", "--format", "json"]);
    let took = started.elapsed();
    eprintln!("search over a summary of 10000 characters, every word a match: {took:?}");
    assert!(out.contains("[x] [x]"), "{}", &out[..out.len().min(500)]);
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_fifo_as_store_is_refused_without_hanging() {
    let env = TestEnv::new();
    let fifo = env.dir().join("fifo.db");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for args in [&["status"][..], &["log", "2025", "x"], &["check"]] {
        let mut child = env
            .std_cmd_on(&fifo)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("lookout {args:?} hangs on a FIFO");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(74), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("is not a regular file"),
            "{}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_limit_beyond_what_sqlite_counts_is_a_usage_error() {
    let env = TestEnv::seeded();
    for args in [
        &["search", "organisation", "--limit", "18446744073709551615"][..],
        &["history", "--limit", "9223372036854775808"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(stderr_of(&out).contains("is not in 0..=9223372036854775807"));
    }
    let out = env.ok(&[
        "search",
        "organisation",
        "--limit",
        "9223372036854775807",
        "--format",
        "csv",
    ]);
    assert!(out.lines().count() > 1);
}

#[test]
fn records_repeating_an_id_in_one_import_are_counted_and_said() {
    let env = TestEnv::with_items();
    let mut jsonl = String::new();
    for n in 0..1_000 {
        jsonl.push_str(&format!(
            "{{\"type\":\"development\",\"id\":\"same-id\",\"date\":\"2025-07\",\"kind\":\"other\",\"watch\":[],\"headline\":\"version {n}\"}}\n"
        ));
    }
    let file = env.file("repeats.jsonl", &jsonl);
    let out = env.run(&["import", &file]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("999 records repeated an id or slug given earlier in the run, and the later one was kept"),
        "{stderr}"
    );
    assert!(env.ok(&["show", "same-id"]).contains("version 999"));
}

#[test]
fn a_record_or_line_too_long_to_be_one_is_refused_at_its_line_before_it_fills_memory() {
    let env = TestEnv::with_items();
    // A quote left open on line 3 of a 6 MB file: the rest of the file would
    // be one cell.
    let mut csv = String::from("date,kind,watch,headline,summary\n");
    csv.push_str("2025-07-01,other,intl-ai-org,Fine,fine\n");
    csv.push_str("2025-07-02,other,intl-ai-org,Open,\"a quote left open\n");
    for n in 0..60_000 {
        csv.push_str(&format!(
            "2025-07-03,other,intl-ai-org,Row {n},{}\n",
            "x".repeat(90)
        ));
    }
    let file = env.file("open-quote.csv", &csv);
    let stderr = env.refused(
        &["import", &file],
        65,
        "open-quote.csv:3: a record longer than 4 MiB",
    );
    assert!(stderr.contains("a quote left open"), "{stderr}");

    // A JSON Lines file with one 5 MB line.
    let mut jsonl = String::from("{\"type\":\"kind\",\"name\":\"court-ruling\"}\n");
    jsonl.push_str(&format!(
        "{{\"type\":\"kind\",\"name\":\"{}\"}}\n",
        "y".repeat(5 << 20)
    ));
    let file = env.file("long.jsonl", &jsonl);
    env.refused(
        &["import", &file],
        65,
        "long.jsonl:2: a line longer than 4 MiB",
    );
}

#[test]
fn a_workbook_utf16_text_or_binary_data_named_csv_is_told_for_what_it_is() {
    let env = TestEnv::with_items();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "book.csv",
            b"PK\x03\x04\x14\x00\x06\x00",
            "a spreadsheet workbook (.xlsx or .ods)",
        ),
        (
            "old.csv",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an old Excel workbook (.xls)",
        ),
        (
            "wide.csv",
            b"\xff\xfed\x00a\x00t\x00e\x00",
            "UTF-16 text, not UTF-8",
        ),
        (
            "blob.csv",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00",
            "not a text file (it holds NUL bytes)",
        ),
    ];
    for (name, bytes, said) in cases {
        let path = env.dir().join(name);
        std::fs::write(&path, bytes).unwrap();
        let stderr = env.refused(&["import", path.to_str().unwrap()], 65, said);
        assert!(stderr.contains(name), "{stderr}");
    }
}
