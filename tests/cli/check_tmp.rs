//! `check` leaves nothing in the temporary directory (issue 26): not when
//! the store passes, not when it finds damage, not when it is interrupted;
//! and it sweeps what earlier lookouts left there.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::env::{TestEnv, stderr_of, stdout_of};

/// What `dir` holds, by name.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `lookout check` on `env`'s store with TMPDIR set to `tmp`.
fn check_in(env: &TestEnv, tmp: &Path) -> std::process::Output {
    env.std_cmd()
        .arg("check")
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

fn sql(env: &TestEnv, statements: &str) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(statements).unwrap();
}

#[test]
fn check_leaves_nothing_in_the_temporary_directory_pass_or_fail() {
    let env = TestEnv::seeded();
    let tmp = tempfile::tempdir().unwrap();
    let out = check_in(&env, tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).starts_with("ok: "));
    assert_eq!(listing(tmp.path()), Vec::<String>::new());

    // The search index no longer holds a development: the check made on
    // the copy finds it, and the copy is gone all the same.
    sql(
        &env,
        "INSERT INTO developments_fts (developments_fts, rowid, headline, summary, actors, sources)
         SELECT 'delete', key, headline, summary, actors, sources FROM developments
          WHERE id = 'jtce187y';",
    );
    // Found on the store itself, and on a copy while another process
    // writes.
    let writer = rusqlite::Connection::open(env.db()).unwrap();
    for writing in [false, true] {
        if writing {
            writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        }
        let out = check_in(&env, tmp.path());
        assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
        assert!(
            stdout_of(&out).contains("search index: it does not match the developments"),
            "writing: {writing}: {}",
            stdout_of(&out)
        );
        assert!(
            stderr_of(&out).contains("1 problem found"),
            "{}",
            stderr_of(&out)
        );
        assert_eq!(listing(tmp.path()), Vec::<String>::new());
    }
}

#[test]
fn check_sweeps_what_earlier_checks_left() {
    // Before issue 26 each check left its copy's -wal and -shm behind.
    let env = TestEnv::seeded();
    let tmp = tempfile::tempdir().unwrap();
    for name in ["lookout-check-Ab12cd-wal", "lookout-check-Ab12cd-shm"] {
        std::fs::write(tmp.path().join(name), "left behind").unwrap();
    }
    std::fs::write(tmp.path().join("someone-else.db-wal"), "theirs").unwrap();
    let out = check_in(&env, tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(tmp.path()), ["someone-else.db-wal"]);
}

/// Whether process `pid` has a file open in `dir` (or one removed from it);
/// `dir` itself, which the sweep of earlier checks' files reads, is none.
fn holds_a_file_in(pid: u32, dir: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|target| target.starts_with(dir) && target != dir)
    })
}

/// A store big enough that copying it for the search-index check spills to
/// the temporary directory (more than SQLite's page cache).
fn big_store() -> TestEnv {
    let env = TestEnv::with_items();
    let mut csv = String::from("date,kind,watch,headline,summary\n");
    for n in 0..20_000 {
        csv.push_str(&format!(
            "2024-{:02}-{:02},statement,intl-ai-org,Event {n} in the long year,\"{}\"\n",
            n % 12 + 1,
            n % 28 + 1,
            format!("summary {n} ").repeat(20)
        ));
    }
    let data = env.file("big.csv", &csv);
    env.ok_with(
        &["import", &data],
        "imported 1 file: 20000 added, 0 updated, 0 unchanged, 0 rejected (20000 developments)",
    );
    env
}

/// The store's file and write-ahead log, as bytes.
fn store_bytes(env: &TestEnv) -> Vec<Vec<u8>> {
    let mut wal = env.db().as_os_str().to_owned();
    wal.push("-wal");
    vec![
        std::fs::read(env.db()).unwrap(),
        std::fs::read(wal).unwrap_or_default(),
    ]
}

/// `lookout check` started on `env`'s store with TMPDIR set to `tmp`,
/// printing nothing.
fn spawn_check(env: &TestEnv, tmp: &Path) -> std::process::Child {
    env.std_cmd()
        .arg("check")
        .env("TMPDIR", tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_check_of_a_store_no_one_is_writing_copies_nothing_and_writes_nothing() {
    if !Path::new("/proc/self/fd").exists() {
        return crate::env::skip_or_fail("no /proc to see the check at work");
    }
    let env = big_store();
    let before = store_bytes(&env);
    let tmp = tempfile::tempdir().unwrap();
    let tmp_path = tmp.path().canonicalize().unwrap();
    let mut child = spawn_check(&env, &tmp_path);
    // A copy of this store takes tens of milliseconds in the temporary
    // directory: watched every millisecond, it would be seen.
    let mut seen = false;
    while child.try_wait().unwrap().is_none() {
        seen |= holds_a_file_in(child.id(), &tmp_path);
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(!seen, "check used the temporary directory");
    assert_eq!(store_bytes(&env), before, "check changed the store");
}

#[test]
fn an_interrupted_check_leaves_nothing_and_the_next_one_neither() {
    if !Path::new("/proc/self/fd").exists() {
        return crate::env::skip_or_fail("no /proc to see the check at work");
    }
    let env = big_store();
    let tmp = tempfile::tempdir().unwrap();
    let tmp_path = tmp.path().canonicalize().unwrap();
    // Another process writing: check's snapshot cannot become a write, so
    // the search indexes are checked on a copy of it.
    let writer = rusqlite::Connection::open(env.db()).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut child = spawn_check(&env, &tmp_path);
    // Interrupted while it works in the temporary directory.
    let mut seen = false;
    while child.try_wait().unwrap().is_none() {
        if holds_a_file_in(child.id(), &tmp_path) {
            seen = true;
            let status = Command::new("kill")
                .args([interrupt_signal(), &child.id().to_string()])
                .status()
                .unwrap();
            assert!(status.success());
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    assert!(
        seen,
        "check ended ({status}) before it used the temporary directory"
    );
    assert!(!status.success(), "{status}");
    assert_eq!(listing(&tmp_path), Vec::<String>::new());

    // Checked on a copy while the writer holds the store, then in place.
    let out = check_in(&env, &tmp_path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&tmp_path), Vec::<String>::new());
    writer.execute_batch("ROLLBACK").unwrap();
    let out = check_in(&env, &tmp_path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(listing(&tmp_path), Vec::<String>::new());
}

/// Ctrl-C's signal, unless this process ignores it and so hands the check
/// an ignored SIGINT (a test run started in the background by a shell
/// without job control): then SIGTERM, which ends it as abruptly.
fn interrupt_signal() -> &'static str {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .unwrap_or(0);
    // SIGINT is signal 2: bit 1 of the mask.
    if ignored & (1 << 1) != 0 {
        "-TERM"
    } else {
        "-INT"
    }
}

#[test]
fn a_quiet_check_of_a_sound_store_prints_nothing() {
    let env = TestEnv::seeded();
    for quiet in ["-q", "--quiet"] {
        let out = env.run(&["check", quiet]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        assert_eq!(stdout_of(&out), "");
        assert_eq!(stderr_of(&out), "");
    }
    // Damage is still said, quiet or not.
    sql(
        &env,
        "UPDATE developments SET date = '2025-08' WHERE id = 'jtce187y'",
    );
    let out = env.run(&["check", "-q"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stdout_of(&out).contains("dates: development jtce187y: date '2025-08'"),
        "{}",
        stdout_of(&out)
    );
    assert!(stderr_of(&out).contains("1 problem found"));
}
