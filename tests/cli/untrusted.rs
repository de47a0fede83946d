//! Stores lookout cannot trust: changed by someone else's SQL, holding
//! broken rows, busy with another writer, or not writable by this user.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use crate::env::{
    TODAY, TestEnv, fixture, is_root, skip_or_fail, stderr_of, stdout_of, unprivileged,
};

fn sql(env: &TestEnv, sql: &str) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_schema_lookout_did_not_make_is_refused_for_writing_and_named_by_check() {
    let log = ["log", "2025-08", "x", "--watch", "intl-ai-org=realised"];
    // Someone else's trigger would run on lookout's writes.
    let env = TestEnv::seeded();
    sql(
        &env,
        "CREATE TRIGGER evil AFTER INSERT ON developments
         BEGIN UPDATE links SET status = 'realised'; END;",
    );
    env.refused(&log, 74, "trigger 'evil' was not made by lookout");
    env.refused(
        &["import", &fixture("developments.csv")],
        74,
        "refusing to write to this store",
    );
    assert!(
        env.ok(&["status", "--as-of", "2025-08-01"])
            .contains("intl-ai-org")
    );
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(stdout_of(&out).contains("schema: trigger 'evil' was not made by lookout"));

    // lookout's own view, redefined, would lie to sqlite3 and Datasette.
    let env = TestEnv::seeded();
    sql(
        &env,
        "DROP VIEW status_now;
         CREATE VIEW status_now AS SELECT 'intl-ai-org' AS slug, 'realised' AS status,
                'Everything is fine' AS last_headline;",
    );
    env.refused(&log, 74, "lookout's view 'status_now' has been changed");
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(stdout_of(&out).contains("schema: lookout's view 'status_now' has been changed"));

    // A table that reads otherwise (a generated column) is refused for reading too.
    let env = TestEnv::seeded();
    sql(
        &env,
        "ALTER TABLE developments ADD COLUMN fine TEXT GENERATED ALWAYS AS ('Everything is fine')",
    );
    env.refused(
        &["status"],
        74,
        "lookout's table 'developments' has been changed",
    );

    // A user's own view and index are allowed, and said.
    let env = TestEnv::seeded();
    sql(
        &env,
        "CREATE VIEW my_summary AS SELECT count(*) FROM developments;
         CREATE INDEX my_index ON developments (kind, headline);",
    );
    env.log(&log[1..]);
    let check = env.ok(&["check"]);
    assert!(
        check.contains(
            "allowed: view 'my_summary' was not made by lookout; lookout leaves it alone"
        ),
        "{check}"
    );
    assert!(check.contains("allowed: index 'my_index'"), "{check}");
    assert!(check.lines().last().unwrap().starts_with("ok: "), "{check}");
}

#[test]
fn check_finds_text_that_is_not_utf8_and_journal_lines_that_do_not_read_back() {
    let env = TestEnv::seeded();
    let id = env.log(&["2025-08", "to be edited", "--watch", "intl-ai-org"]);
    env.ok_with(
        &["edit", &id, "--headline", "edited"],
        &format!("edited {id}"),
    );
    sql(
        &env,
        &format!(
            "UPDATE developments SET summary = CAST(x'4f6bff21' AS TEXT) WHERE id = 'jtce187y';
             UPDATE journal_changes SET before = '{{\"type\":\"development\",\"id\":5}}'
              WHERE key = '{id}' AND before IS NOT NULL;"
        ),
    );
    let out = env.run(&["check"]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert!(
        stdout.contains("text: developments (key ")
            && stdout.contains("summary holds text that is not UTF-8"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "journal: entry #3, change 1 ('{id}'): its before line does not read back"
        )),
        "{stdout}"
    );
    assert!(
        stderr_of(&out).contains("2 problems found"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn check_is_read_only_and_never_waits_for_a_writer_or_calls_a_busy_store_damaged() {
    let env = TestEnv::seeded();
    let bytes = fs::read(env.folded_db()).unwrap();
    // Another process is in the middle of a write.
    let writer = rusqlite::Connection::open(env.db()).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO kinds (name) VALUES ('held');")
        .unwrap();
    let started = Instant::now();
    let out = env.run(&["check"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).starts_with("ok: "), "{}", stdout_of(&out));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);
    assert_eq!(
        fs::read(env.db()).unwrap(),
        bytes,
        "check changed the store"
    );
    // (A store held past the busy timeout is exit 74 "busy … try again":
    // the unit test `a_busy_store_is_an_io_error_saying_try_again`.)
}

/// Runs lookout through `runner` on `db`, today pinned.
fn run_as(runner: &[String], db: &Path, args: &[&str]) -> Output {
    std::process::Command::new(&runner[0])
        .args(&runner[1..])
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LOOKOUT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("LOOKOUT_DB")
        .output()
        .unwrap()
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Reads work and writes are refused with the store left as it was.
fn assert_readable_not_writable(runner: &[String], db: &Path) {
    let bytes = fs::read(db).unwrap();
    let status = run_as(runner, db, &["status", "--as-of", "2025-08-01"]);
    assert!(
        status.status.success(),
        "{}: {}",
        db.display(),
        stderr_of(&status)
    );
    assert!(stdout_of(&status).contains("intl-ai-org"));
    let check = run_as(runner, db, &["check"]);
    assert!(
        check.status.success(),
        "{}: {}",
        db.display(),
        stderr_of(&check)
    );
    assert!(stdout_of(&check).starts_with("ok: "));
    let export = run_as(runner, db, &["export"]);
    assert_eq!(
        stdout_of(&export).lines().count(),
        11,
        "{}",
        stderr_of(&export)
    );
    let search = run_as(runner, db, &["search", "organisation", "--format", "csv"]);
    assert!(search.status.success(), "{}", stderr_of(&search));
    let log = run_as(runner, db, &["log", "2025", "x"]);
    assert_eq!(log.status.code(), Some(74), "{}", stderr_of(&log));
    assert!(stderr_of(&log).contains("read-only"), "{}", stderr_of(&log));
    assert_eq!(fs::read(db).unwrap(), bytes, "{} changed", db.display());
}

#[test]
fn a_store_this_user_cannot_write_is_read_and_never_written() {
    let env = TestEnv::seeded();
    let work = tempfile::tempdir().unwrap();
    let Some(runner) = unprivileged(work.path()) else {
        return;
    };
    // The file read-only, its directory writable.
    let open_dir = work.path().join("open");
    fs::create_dir(&open_dir).unwrap();
    let open_db = open_dir.join("tracker.db");
    fs::copy(env.folded_db(), &open_db).unwrap();
    set_mode(&open_db, 0o444);
    set_mode(&open_dir, 0o777);
    // The directory read-only too, so no -wal or -shm can be made in it.
    let closed_dir = work.path().join("closed");
    fs::create_dir(&closed_dir).unwrap();
    let closed_db = closed_dir.join("tracker.db");
    fs::copy(env.folded_db(), &closed_db).unwrap();
    set_mode(&closed_db, 0o444);
    set_mode(&closed_dir, 0o555);

    assert_readable_not_writable(&runner, &open_db);
    assert_readable_not_writable(&runner, &closed_db);
    assert_eq!(fs::read_dir(&closed_dir).unwrap().count(), 1);
    set_mode(&closed_dir, 0o755);
    set_mode(&open_dir, 0o755);
}

/// `chattr -i` on drop, so that a failing test leaves nothing undeletable.
struct Immutable(Vec<PathBuf>);

impl Drop for Immutable {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(path)
                .status();
        }
    }
}

#[test]
fn as_root_an_immutable_store_and_directory_are_read_and_never_written() {
    if !is_root() {
        crate::env::skipped("not root; the test above covers this user");
        return;
    }
    let env = TestEnv::seeded();
    let dir = env.dir().join("immutable");
    fs::create_dir(&dir).unwrap();
    let db = dir.join("tracker.db");
    fs::copy(env.folded_db(), &db).unwrap();
    let Ok(status) = std::process::Command::new("chattr")
        .arg("+i")
        .arg(&db)
        .status()
    else {
        skip_or_fail("chattr is missing");
        return;
    };
    let mut guard = Immutable(vec![db.clone()]);
    if !status.success() {
        // Some file systems (tmpfs, overlayfs) have no immutable attribute:
        // CI runs where one has.
        skip_or_fail("this file system does not take chattr +i (set TMPDIR to one that does)");
        return;
    }
    assert!(
        std::process::Command::new("chattr")
            .arg("+i")
            .arg(&dir)
            .status()
            .unwrap()
            .success()
    );
    guard.0.push(dir.clone());
    let binary = assert_cmd::cargo::cargo_bin!("lookout")
        .to_str()
        .unwrap()
        .to_string();
    assert_readable_not_writable(&[binary], &db);
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn a_stored_value_that_does_not_parse_is_a_damaged_store_not_bad_input() {
    let env = TestEnv::seeded();
    sql(
        &env,
        "UPDATE developments SET watch = 'intl-ai-org=finished' WHERE id = 'jtce187y'",
    );
    let out = env.run(&["show", "jtce187y"]);
    assert_eq!(out.status.code(), Some(74), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("the store holds a bad status: 'finished'")
            && stderr.contains("run `lookout check`")
            && !stderr.contains("did you mean"),
        "{stderr}"
    );
}
