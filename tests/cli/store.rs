//! The store: where it lives, how it is created, and what is refused
//! without being touched.

use std::os::unix::fs::PermissionsExt;

use crate::env::{CURRENT_VERSION, TestEnv, stderr_of};

#[test]
fn init_creates_a_private_store_and_is_idempotent() {
    let env = TestEnv::new();
    let out = env.cmd().arg("init").output().unwrap();
    assert!(out.status.success());
    assert!(stderr_of(&out).contains("lookout store ready at"));
    let mode = std::fs::metadata(env.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let before = env.fingerprint();
    env.ok_with(&["init"], "lookout store ready at ");
    assert_eq!(env.fingerprint(), before);
    assert_eq!(env.query("PRAGMA journal_mode"), "wal");
    assert_eq!(env.query("PRAGMA application_id"), "Integer(1280003925)");
    assert_eq!(env.query("PRAGMA user_version"), CURRENT_VERSION);
}

#[test]
fn the_store_comes_from_lookout_db_when_no_flag_is_given() {
    let env = TestEnv::new();
    let path = env.dir().join("from-env.db");
    let out = assert_cmd::Command::cargo_bin("lookout")
        .unwrap()
        .args(["init"])
        .env("LOOKOUT_DB", &path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(path.exists());
}

#[test]
fn reading_a_missing_store_is_an_error_and_creates_nothing() {
    let env = TestEnv::new();
    let stderr = env.refused(&["status"], 74, "no lookout store at");
    assert!(stderr.contains("lookout init"), "{stderr}");
    assert!(!env.db().exists());
}

#[test]
fn a_store_in_a_missing_directory_is_refused() {
    let env = TestEnv::new();
    let out = assert_cmd::Command::cargo_bin("lookout")
        .unwrap()
        .args(["--db", "no/such/dir/s.db", "init"])
        .current_dir(env.dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74));
    assert!(stderr_of(&out).contains("the directory does not exist"));
}

fn assert_left_untouched(env: &TestEnv, bytes: &[u8], expected: &str) {
    std::fs::write(env.db(), bytes).unwrap();
    for args in [&["status"][..], &["log", "2025", "x"][..], &["init"][..]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(74), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains(expected),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert_eq!(
            std::fs::read(env.db()).unwrap(),
            bytes,
            "{args:?} altered the file"
        );
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let env = TestEnv::new();
    assert_left_untouched(
        &env,
        b"slug,title\nnot,a database\n",
        "not a SQLite database",
    );
}

#[test]
fn another_sqlite_database_is_refused_untouched() {
    let env = TestEnv::new();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT)")
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(env.db()).unwrap();
    assert_left_untouched(&env, &bytes, "is not a lookout store");
}

#[test]
fn a_store_of_a_newer_version_is_refused_untouched() {
    let env = TestEnv::new();
    env.ok_with(&["init"], "lookout store ready at ");
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;")
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(env.db()).unwrap();
    assert_left_untouched(
        &env,
        &bytes,
        "schema version 99, newer than this lookout understands",
    );
}

#[test]
fn check_passes_on_a_sound_store_and_reports_damage() {
    let env = TestEnv::seeded();
    assert!(env.ok(&["check"]).starts_with("ok: "));
    // Damage the store behind lookout's back: a date that does not match its interval.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET date = '2025-08' WHERE id = 'jtce187y'",
        [],
    )
    .unwrap();
    drop(conn);
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        stdout.contains(
            "dates: development jtce187y: date '2025-08' is stored as 2025-07-26..2025-07-26"
        ),
        "{stdout}"
    );
    assert!(stderr_of(&out).contains("1 problem found"));
}

/// The views answer what the CLI answers, read by the real sqlite3 shell
/// (which may be older than the SQLite lookout bundles).
#[test]
fn sqlite3_reads_the_same_status_and_timeline() {
    let Ok(probe) = std::process::Command::new("sqlite3")
        .arg("--version")
        .output()
    else {
        assert!(std::env::var_os("CI").is_none(), "sqlite3 is missing in CI");
        crate::env::skipped("sqlite3 is missing");
        return;
    };
    assert!(probe.status.success());
    let env = seeded_with_time();
    let sqlite = |sql: &str| {
        let out = std::process::Command::new("sqlite3")
            .args(["-csv", "-header"])
            .arg(env.db())
            .arg(sql)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        parse_csv(&String::from_utf8(out.stdout).unwrap())
    };
    // status_now uses the real clock; so does lookout without LOOKOUT_TODAY.
    let lookout_status = env
        .cmd()
        .env_remove("LOOKOUT_TODAY")
        .args(["status", "--format", "csv"])
        .output()
        .unwrap();
    let view = sqlite(
        "SELECT slug, title, status, since, developments, last_date, last_headline, quiet_days,
                CASE stale WHEN 1 THEN 'true' ELSE 'false' END AS stale, provisional_status,
                provisional_id, next_scheduled_id, next_scheduled_date, next_scheduled_headline,
                overdue
           FROM status_now",
    );
    assert_eq!(
        view,
        parse_csv(&String::from_utf8(lookout_status.stdout).unwrap())
    );
    let org = &view[1];
    assert_eq!((org[9].as_str(), org[10].as_str()), ("stalled", "maybe001"));
    let response = &view[2];
    assert_eq!(
        &response[11..],
        ["due00001", "2099-01-01", "A summit is due", "late0001"]
    );
    let timeline = sqlite("SELECT * FROM timeline");
    assert_eq!(
        timeline,
        parse_csv(&env.ok(&["timeline", "--format", "csv"]))
    );
    assert_eq!(timeline.len(), 12);
}

/// The seed tracker and, against the real today: a development that may
/// have happened (its interval has started, it was recorded before it began)
/// and would set another status; one that is due; one that is overdue.
fn seeded_with_time() -> TestEnv {
    let env = TestEnv::seeded();
    let more = env.file(
        "time.csv",
        "id,date,kind,watch,headline,recorded_at,scheduled\n\
         maybe001,2026-01/2099,statement,intl-ai-org=stalled,Talks may have stalled,2025-06-01T00:00:00Z,\n\
         due00001,2099-01-01,statement,intl-response,A summit is due,,true\n\
         late0001,2025-09-01,statement,intl-response=emerging,A deadline passed unrecorded,,true\n",
    );
    env.ok_with(
        &["import", &more],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 developments)",
    );
    env
}

/// The cells of a CSV text (sqlite3 and lookout quote differently).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn a_store_of_the_first_release_upgrades_in_place_and_its_journal_still_undoes() {
    // Made by lookout 0.1 (schema 1): the seed import, a kind, an edit, a
    // retraction and a log, five journal entries.
    let env = TestEnv::new();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1.db"),
        env.db(),
    )
    .unwrap();
    let status = env.ok(&["status", "--as-of", "2025-08-01", "--format", "json"]);
    assert!(status.contains("\"intl-response\""), "{status}");
    assert_eq!(env.query("PRAGMA user_version"), CURRENT_VERSION);
    env.ok(&["check"]);
    // Records of the first release say nothing of who recorded them.
    let export = env.ok(&["export"]);
    assert!(
        export.contains(r#""recorded_at":"2026-11-29T20:17:22.8"#)
            && export.contains(r#""recorded_by":null,"updated_at":null,"updated_by":null"#),
        "{export}"
    );
    let history = env.ok(&["history"]);
    assert!(
        !history.contains("       by "),
        "no author before the upgrade:\n{history}"
    );
    // Every entry made before the upgrade undoes, newest first, to nothing.
    for undone in [
        "undid #5 (log",
        "undid #4 (retract",
        "undid #3 (edit",
        "undid #2 (kinds add",
        "undid #1 (import",
    ] {
        env.ok_with(&["undo"], undone);
    }
    assert_eq!(env.ok(&["export"]), "");
    let out = env.run(&["undo"]);
    assert!(stderr_of(&out).contains("nothing to undo"));
}

#[test]
fn a_store_of_schema_5_upgrades_its_actors_and_its_journal_still_undoes() {
    // Made by the release before this one (schema 5): the seed import, an
    // edit adding the EU and India to d2vehq94, a retraction of 2qwheqgw
    // (DeepSeek and China). Schema 6 keeps actors in the development row and
    // a count per name; the counts are taken during the upgrade.
    let env = TestEnv::new();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v5.db"),
        env.db(),
    )
    .unwrap();
    let actors = env.ok(&["actors"]);
    assert_eq!(env.query("PRAGMA user_version"), CURRENT_VERSION);
    for (name, count) in [("China", 4), ("EU", 1), ("India", 1), ("US", 2)] {
        assert!(
            actors
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == [name, &count.to_string()]),
            "{name} {count}:\n{actors}"
        );
    }
    let india = env.ok(&["timeline", "--actor", "India", "--format", "csv"]);
    assert!(
        india.contains("d2vehq94") && india.lines().count() == 2,
        "{india}"
    );
    env.ok(&["check"]);
    // The three entries made before the upgrade undo, newest first.
    env.ok_with(&["undo"], "undid #3 (retract, 1 record");
    assert!(
        env.ok(&["timeline", "--actor", "DeepSeek"])
            .contains("2qwheqgw")
    );
    env.ok_with(&["undo"], "undid #2 (edit, 1 record");
    let india = env.ok(&["timeline", "--actor", "India", "--format", "csv"]);
    assert_eq!(india.lines().count(), 1, "{india}");
    env.ok_with(&["undo"], "undid #1 (import, 11 records");
    assert_eq!(env.ok(&["export"]), "");
    env.ok(&["check"]);
}

#[test]
fn a_symbolic_link_to_nothing_is_refused_as_the_store() {
    // Creating the store through it would fail (the name exists) and opening
    // it finds nothing: said, not retried for ever.
    let env = TestEnv::new();
    let link = env.dir().join("dangling.db");
    std::os::unix::fs::symlink(env.dir().join("missing.db"), &link).unwrap();
    let out = env
        .std_cmd_on(&link)
        .args(["log", "2025-08", "through nothing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("is a symbolic link to a file that does not exist"),
        "{}",
        stderr_of(&out)
    );
    assert!(!env.dir().join("missing.db").exists());
}

#[test]
fn a_store_reached_through_a_symbolic_link_is_read_and_written() {
    let env = TestEnv::seeded();
    let link = env.dir().join("link.db");
    std::os::unix::fs::symlink(env.db(), &link).unwrap();
    let out = env
        .std_cmd_on(&link)
        .args(["log", "2025-08", "through the link"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(env.ok(&["timeline"]).contains("through the link"));
    assert!(env.ok(&["check"]).starts_with("ok: "));
}
