//! What the store keeps less of since version 6 still answers the same:
//! the actor filter is exact, actor counts follow every write, a bulk
//! import gives the store a row-by-row one gives, and the write-ahead log
//! stays small between commands.

use crate::env::{TestEnv, ids_of, stderr_of};

#[test]
fn the_actor_filter_keeps_exact_names_only() {
    let env = TestEnv::with_items();
    let us = env.log_warned(
        &["2025-07", "by US", "--actor", "US"],
        &["bears on no watch item"],
    );
    env.log_warned(
        &["2025-07", "by US Congress", "--actor", "US Congress"],
        &["bears on no watch item"],
    );
    env.log_warned(
        &["2025-07", "by lower-case us", "--actor", "us"],
        &["bears on no watch item"],
    );
    let both = env.log_warned(
        &["2025-07", "by both", "--actor", "EU", "--actor", "US"],
        &["bears on no watch item"],
    );
    let dash = env.log_warned(
        &["2025-07", "by a dash", "--actor", "—"],
        &["bears on no watch item"],
    );
    let mut found = env.json_ids(&["timeline", "--actor", "US"]);
    found.sort();
    let mut expected = vec![us.clone(), both.clone()];
    expected.sort();
    assert_eq!(found, expected);
    // A name without a word for the search index is found all the same.
    assert_eq!(env.json_ids(&["timeline", "--actor", "—"]), vec![dash]);
    let mut either = env.json_ids(&["timeline", "--actor", "—", "--actor", "EU"]);
    either.sort();
    assert_eq!(either.len(), 2, "{either:?}");
    // Search takes the filter too.
    let mut searched = env.json_ids(&["search", "by", "--actor", "US"]);
    searched.sort();
    assert_eq!(searched, expected);
    // Retracted developments are left out, as by every filter.
    env.ok_with(
        &["retract", &us, "--reason", "wrong"],
        &format!("retracted {us}: by US"),
    );
    assert_eq!(env.json_ids(&["timeline", "--actor", "US"]), vec![both]);
}

#[test]
fn actor_counts_follow_every_write_and_undo() {
    let env = TestEnv::with_items();
    let counts = |env: &TestEnv| env.ok(&["actors", "--format", "csv"]);
    let first = env.log_warned(
        &["2025-07", "one", "--actor", "EU", "--actor", "US"],
        &["bears on no watch item"],
    );
    env.log_warned(
        &["2025-07", "two", "--actor", "EU"],
        &["bears on no watch item"],
    );
    assert_eq!(counts(&env), "actor,developments\r\nEU,2\r\nUS,1\r\n");
    env.ok_with(
        &["edit", &first, "--no-actor", "--actor", "India"],
        &format!("edited {first}"),
    );
    assert_eq!(
        counts(&env),
        "actor,developments\r\nEU,1\r\nIndia,1\r\nUS,0\r\n"
    );
    env.ok_with(
        &["retract", &first, "--reason", "wrong"],
        &format!("retracted {first}: one"),
    );
    assert_eq!(
        counts(&env),
        "actor,developments\r\nEU,1\r\nIndia,0\r\nUS,0\r\n"
    );
    for undone in ["undid #5 (retract", "undid #4 (edit"] {
        env.ok_with(&["undo"], undone);
    }
    assert_eq!(
        counts(&env),
        "actor,developments\r\nEU,2\r\nIndia,0\r\nUS,1\r\n"
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

/// A timeline CSV of the developments numbered `from..to`, large enough
/// together for a bulk load.
fn many(from: usize, to: usize) -> String {
    let mut csv = String::from("id,date,kind,watch,actors,headline,summary,sources\n");
    let padding = "words ".repeat(70);
    for i in from..to {
        csv.push_str(&format!(
            "b{i:05},2025-{:02},other,intl-ai-org{},EU;Agency {},development {i},{padding},https://example.org/{i}\n",
            1 + i % 12,
            if i % 5 == 0 { "=emerging" } else { "" },
            i % 7
        ));
    }
    csv
}

#[test]
fn a_bulk_import_gives_the_store_a_row_by_row_import_gives() {
    let bulk = TestEnv::with_items();
    let file = bulk.file("many.csv", &many(0, 3_000));
    assert!(std::fs::metadata(&file).unwrap().len() > 1 << 20);
    bulk.ok_with(
        &["import", &file],
        "imported 1 file: 3000 added, 0 updated, 0 unchanged, 0 rejected (3000 developments)",
    );
    // The index only an import without ids reads is left for it to build.
    let match_index = "SELECT count(*) FROM sqlite_schema WHERE name = 'developments_match'";
    assert_eq!(bulk.query(match_index), "Integer(0)");
    // The same rows in runs too small to be bulk loads.
    let rows = TestEnv::with_items();
    for part in 0..3 {
        let file = rows.file("part.csv", &many(part * 1_000, (part + 1) * 1_000));
        assert!(std::fs::metadata(&file).unwrap().len() < 1 << 20);
        rows.ok_with(
            &["import", &file],
            "imported 1 file: 1000 added, 0 updated, 0 unchanged, 0 rejected (1000 developments)",
        );
    }
    let args = ["timeline", "--actor", "Agency 3"];
    assert!(bulk.json_ids(&args) == rows.json_ids(&args), "{args:?}");
    let (args, said) = (
        ["search", "development", "--format", "json"],
        "the best 20 shown; 2980 more developments match",
    );
    assert!(
        ids_of(&bulk.ok_with(&args, said)) == ids_of(&rows.ok_with(&args, said)),
        "{args:?}"
    );
    for args in [
        &["actors", "--format", "csv"][..],
        &["status", "--as-of", "2025-12-31", "--format", "csv"],
    ] {
        assert_eq!(bulk.ok(args), rows.ok(args), "{args:?}");
    }
    assert!(bulk.ok(&["check"]).starts_with("ok: "));
    let again = bulk.file(
        "again.csv",
        "date,kind,watch,headline\n2025-01,other,intl-ai-org,development 12\n",
    );
    let out = bulk.run(&["import", &again]);
    assert!(
        // Matched by date, headline and watch items: the file's blank
        // cells update it.
        stderr_of(&out).contains("0 added, 1 updated, 0 unchanged"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(bulk.query(match_index), "Integer(1)");
    for _ in 0..2 {
        let out = bulk.run(&["undo"]);
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    assert_eq!(bulk.ok(&["timeline", "--format", "csv"]).lines().count(), 1);
    assert!(bulk.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn in_an_empty_store_a_repeated_id_is_written_first_then_updated_by_its_later_row() {
    let env = TestEnv::with_items();
    let file = env.file(
        "twice.csv",
        "id,date,kind,watch,actors,headline\n\
         x1,2025-08,other,intl-ai-org,EU,First words\n\
         x2,2025-08,other,intl-ai-org,EU,Another\n\
         x1,2025-08,other,intl-ai-org=emerging,India,Later words\n",
    );
    let out = env.run(&["import", &file]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("2 added, 1 updated, 0 unchanged"),
        "{}",
        stderr_of(&out)
    );
    let shown = env.ok(&["show", "x1"]);
    assert!(
        shown.contains("Later words") && shown.contains("India"),
        "{shown}"
    );
    assert_eq!(
        env.ok(&["actors", "--format", "csv"]),
        "actor,developments\r\nEU,1\r\nIndia,1\r\n"
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
    env.ok_with(&["undo"], "undid #2 (import, 3 records");
    assert_eq!(env.ok(&["timeline", "--format", "csv"]).lines().count(), 1);
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

/// The size of the store's write-ahead log, 0 when there is none.
fn wal_size(env: &TestEnv) -> u64 {
    let mut wal = env.db().as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

#[test]
fn the_write_ahead_log_is_kept_between_commands_small_and_folded_by_init() {
    let env = TestEnv::with_items();
    let id = env.log(&["2025-08", "kept in the log", "--watch", "intl-ai-org"]);
    assert!(
        wal_size(&env) > 0,
        "the log was folded at the end of the command"
    );
    // Readers see it, and read nothing into the store file.
    assert!(env.ok(&["show", &id]).contains("kept in the log"));
    let summary = "words ".repeat(1_500);
    for n in 0..60 {
        env.log(&[
            "2025-08",
            &format!("development {n}"),
            "--watch",
            "intl-ai-org",
            "--summary",
            &summary,
        ]);
        // Emptied by the write that takes it past a megabyte.
        assert!(
            wal_size(&env) < 2 << 20,
            "{} after {n} logs",
            wal_size(&env)
        );
    }
    env.ok_with(&["init"], "lookout store ready at ");
    assert_eq!(wal_size(&env), 0);
    // The store file alone now holds every change.
    let copy = env.dir().join("copy.db");
    std::fs::copy(env.db(), &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let count: i64 = conn
        .query_row("SELECT count(*) FROM developments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 61);
}
