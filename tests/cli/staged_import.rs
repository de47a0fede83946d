//! A first import of a large file builds the store in a temporary file and
//! renames it into place: all or nothing, and never at the cost of a store
//! another process wrote.

use std::process::Stdio;
use std::thread;
use std::time::Duration;

use crate::env::{TestEnv, stderr_of};

/// Developments enough for a bulk load (over 1 MiB), one bad row last when asked.
fn big_file(env: &TestEnv, rows: usize, bad_last: bool) -> String {
    let mut csv = String::from("date,kind,watch,actors,headline,summary\n");
    let padding = "words ".repeat(80);
    for i in 0..rows {
        csv.push_str(&format!(
            "2025-{:02},other,,EU,row {i},{padding}\n",
            1 + i % 12
        ));
    }
    if bad_last {
        csv.push_str("2025-02-30,other,,EU,a bad date,x\n");
    }
    let file = env.file(if bad_last { "bad.csv" } else { "big.csv" }, &csv);
    assert!(std::fs::metadata(&file).unwrap().len() > 1 << 20);
    file
}

/// The names in the store's directory that start with the store's name or
/// are lookout's temporary files.
fn beside(env: &TestEnv, db: &std::path::Path) -> Vec<String> {
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    let mut names: Vec<String> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name) || n.starts_with(".lookout-tmp-"))
        .collect();
    names.sort();
    names
}

fn count(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM developments", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_first_bulk_import_is_a_whole_store_in_place() {
    let env = TestEnv::new();
    let file = big_file(&env, 2_500, false);
    let db = env.dir().join("first.db");
    let out = env
        .std_cmd_on(&db)
        .args(["-q", "import", &file])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(beside(&env, &db), ["first.db"]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(count(&db), 2_500);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    let run = |args: &[&str]| env.std_cmd_on(&db).args(args).output().unwrap();
    let check = run(&["check"]);
    assert!(check.status.success(), "{}", stderr_of(&check));
    assert!(run(&["-q", "log", "2025-08", "after"]).status.success());
    for _ in 0..2 {
        assert!(run(&["undo"]).status.success());
    }
    assert_eq!(count(&db), 0);
    // A dry run and a refused run write nothing, and leave nothing behind.
    let bad = big_file(&env, 2_500, true);
    for (args, code) in [
        (vec!["import", "--dry-run", &file], 0),
        (vec!["import", &bad], 65),
    ] {
        let fresh = env.dir().join("fresh.db");
        let out = env.std_cmd_on(&fresh).args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert!(
            beside(&env, &fresh).is_empty(),
            "{:?}",
            beside(&env, &fresh)
        );
    }
}

#[test]
fn a_killed_first_bulk_import_leaves_nothing_or_the_whole_store() {
    let env = TestEnv::new();
    let file = big_file(&env, 8_000, false);
    for (n, delay) in [10, 40, 100, 200, 350, 3000].into_iter().enumerate() {
        let db = env.dir().join(format!("killed-{n}.db"));
        let mut child = env
            .std_cmd_on(&db)
            .args(["-q", "import", &file])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        eprintln!("killed at {delay} ms: the store holds {size} bytes");
        if size > 0 {
            assert_eq!(
                count(&db),
                8_000,
                "a kill at {delay} ms left part of the import"
            );
        }
        // Whatever was left is a store the next command can use.
        let out = env
            .std_cmd_on(&db)
            .args(["-q", "log", "2025-08", "next"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "after a kill at {delay} ms: {}",
            stderr_of(&out)
        );
        let out = env.std_cmd_on(&db).arg("check").output().unwrap();
        assert!(
            out.status.success(),
            "after a kill at {delay} ms: {}",
            stderr_of(&out)
        );
    }
    // The next temporary file made in the directory sweeps away what killed
    // runs left.
    let db = env.dir().join("after.db");
    let out = env
        .std_cmd_on(&db)
        .args(["-q", "import", &file])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let left: Vec<String> = beside(&env, &db)
        .into_iter()
        .filter(|n| n.starts_with(".lookout-tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// How many times each race of a first bulk import with a log runs (each
/// import reads over a megabyte, so fewer than the log races' 100).
const RACES: usize = 12;

#[test]
fn a_first_bulk_import_racing_a_log_never_loses_a_store_another_process_wrote() {
    let env = TestEnv::new();
    let good = big_file(&env, 2_500, false);
    let bad = big_file(&env, 2_500, true);
    for run in 0..RACES {
        let refused = run % 2 == 0;
        let db = env.dir().join(format!("race-{run}.db"));
        let headline = format!("logged {run}");
        let import = env
            .std_cmd_on(&db)
            .args(["-q", "import", if refused { &bad } else { &good }])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if run % 4 < 2 {
            thread::sleep(Duration::from_millis(20));
        }
        let log = env
            .std_cmd_on(&db)
            .args(["-q", "log", "2025-01-01", &headline])
            .output()
            .unwrap();
        let import = import.wait_with_output().unwrap();
        assert_eq!(
            import.status.code(),
            Some(if refused { 65 } else { 0 }),
            "run {run}: {}",
            stderr_of(&import)
        );
        assert!(log.status.success(), "run {run}: {}", stderr_of(&log));
        let conn = rusqlite::Connection::open(&db).unwrap();
        let logged: i64 = conn
            .query_row(
                "SELECT count(*) FROM developments WHERE headline = ?1",
                [&headline],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("run {run}: the log's store is not whole: {e}"));
        assert_eq!(logged, 1, "run {run}: the log was lost");
        let imported: i64 = conn
            .query_row(
                "SELECT count(*) FROM developments WHERE headline LIKE 'row %'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(imported, if refused { 0 } else { 2_500 }, "run {run}");
    }
}

#[test]
fn a_first_bulk_import_skipping_invalid_rows_keeps_the_good_ones_in_place() {
    let env = TestEnv::new();
    let bad = big_file(&env, 2_500, true);
    let db = env.dir().join("skipping.db");
    let rejects = env.dir().join("rejects.csv");
    let out = env
        .std_cmd_on(&db)
        .args(["-q", "import", "--skip-invalid", "--rejects"])
        .arg(&rejects)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    assert_eq!(count(&db), 2_500);
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(rejected.contains("a bad date"), "{rejected}");
    let check = env.std_cmd_on(&db).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", stderr_of(&check));
}
