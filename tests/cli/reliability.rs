//! What lookout promises a record people cite: concurrent writers all land,
//! a killed import leaves all or nothing, damaged and foreign files are
//! refused untouched, text is stored literally, and backups are consistent.

use std::process::Stdio;
use std::thread;
use std::time::Duration;

use crate::env::{TestEnv, stderr_of};

#[test]
fn four_processes_logging_at_once_all_land() {
    let env = TestEnv::with_items();
    thread::scope(|scope| {
        for writer in 0..4 {
            let env = &env;
            scope.spawn(move || {
                for n in 0..50 {
                    let out = env.run(&[
                        "-q",
                        "log",
                        "2025-08",
                        &format!("writer {writer} development {n}"),
                        "--watch",
                        "intl-ai-org",
                        "--actor",
                        "EU",
                    ]);
                    assert!(
                        out.status.success(),
                        "writer {writer}, log {n}: {}",
                        stderr_of(&out)
                    );
                }
            });
        }
    });
    let csv = env.ok(&["timeline", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 1 + 200);
    for writer in 0..4 {
        for n in 0..50 {
            assert!(
                csv.contains(&format!("writer {writer} development {n},")),
                "missing {writer}/{n}"
            );
        }
    }
    assert_eq!(
        env.query("SELECT count(*) FROM journal WHERE command = 'log'"),
        "Integer(200)"
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn an_import_and_logs_at_once_both_land() {
    let env = TestEnv::with_items();
    let mut csv = String::from("date,kind,watch,headline\n");
    for i in 0..2000 {
        csv.push_str(&format!("2025-09,other,intl-response,imported {i}\n"));
    }
    let file = env.file("big.csv", &csv);
    thread::scope(|scope| {
        let env = &env;
        scope.spawn(move || env.ok(&["-q", "import", &file]));
        scope.spawn(move || {
            for n in 0..20 {
                let headline = format!("logged {n}");
                env.ok(&[
                    "-q",
                    "log",
                    "2025-08",
                    &headline,
                    "--watch",
                    "intl-response",
                ]);
            }
        });
    });
    assert_eq!(
        env.ok(&["timeline", "--format", "csv"]).lines().count(),
        1 + 2000 + 20
    );
}

/// A file large enough that an import is still running when it is killed.
fn big_import(env: &TestEnv, rows: usize) -> String {
    let mut csv = String::from("date,kind,watch,actors,headline,summary\n");
    let padding = "words ".repeat(40);
    for i in 0..rows {
        csv.push_str(&format!(
            "2025-{:02},other,intl-ai-org,EU;India,killed import {i},{padding}\n",
            1 + i % 12
        ));
    }
    env.file("kill.csv", &csv)
}

#[test]
fn a_killed_import_leaves_all_or_nothing_and_committed_logs_survive() {
    let env = TestEnv::with_items();
    let kept = env.log(&[
        "2025-07-30",
        "committed before the crash",
        "--watch",
        "intl-ai-org",
    ]);
    let file = big_import(&env, 20_000);
    for delay in [50, 200, 600, 1500] {
        let mut child = env
            .std_cmd()
            .args(["-q", "import", &file])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        assert_eq!(
            env.query("PRAGMA integrity_check"),
            "ok",
            "after a kill at {delay} ms"
        );
        let imported: i64 = env
            .query("SELECT count(*) FROM developments WHERE headline LIKE 'killed import %'")
            .trim_start_matches("Integer(")
            .trim_end_matches(')')
            .parse()
            .unwrap();
        assert!(
            imported == 0 || imported == 20_000,
            "a kill at {delay} ms left {imported} of 20000 rows (exit {status:?})"
        );
        if imported == 20_000 {
            env.ok(&["undo"]); // the import finished before the kill: start clean
        }
        assert!(
            env.ok(&["show", &kept])
                .contains("committed before the crash")
        );
        assert!(
            env.ok(&["check"]).starts_with("ok: "),
            "after a kill at {delay} ms"
        );
    }
}

#[test]
fn a_truncated_store_is_refused_untouched() {
    let env = TestEnv::seeded();
    let bytes = std::fs::read(env.db()).unwrap();
    let half = &bytes[..bytes.len() / 2];
    std::fs::write(env.db(), half).unwrap();
    for args in [&["status"][..], &["log", "2025", "x"], &["check"]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(74), "{args:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).contains("malformed") || stderr_of(&out).contains("damaged"),
            "{}",
            stderr_of(&out)
        );
        assert_eq!(
            std::fs::read(env.db()).unwrap(),
            half,
            "{args:?} altered the file"
        );
    }
}

#[test]
fn sql_metacharacters_are_stored_literally() {
    let env = TestEnv::with_items();
    let nasty = "x'); DROP TABLE developments; -- \" ; %_ \\ ?";
    let id = env.log_warned(
        &[
            "2025-08",
            nasty,
            "--actor",
            "Robert') OR '1'='1' --",
            "--summary",
            nasty,
        ],
        &["bears on no watch item"],
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", &id, "--format", "json"])).unwrap();
    assert_eq!(json["headline"], nasty);
    assert_eq!(json["summary"], nasty);
    assert_eq!(json["actors"][0], "Robert') OR '1'='1' --");
    assert!(env.ok(&["check"]).starts_with("ok: "));
    assert_eq!(
        env.ok(&["search", "DROP", "--format", "csv"])
            .lines()
            .count(),
        2
    );
}

#[test]
fn backup_copies_consistently_while_others_write() {
    let env = TestEnv::seeded();
    let dest = env.dir().join("copy.db");
    thread::scope(|scope| {
        let env = &env;
        scope.spawn(move || {
            for n in 0..30 {
                let headline = format!("during backup {n}");
                env.ok(&["-q", "log", "2025-08", &headline, "--watch", "intl-ai-org"]);
            }
        });
        thread::sleep(Duration::from_millis(100));
        let out = env.run(&["backup", dest.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains("backed up"));
    });
    let copy = assert_cmd::Command::cargo_bin("lookout")
        .unwrap()
        .args(["--db", dest.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert!(copy.status.success(), "{}", stderr_of(&copy));
    let copied = assert_cmd::Command::cargo_bin("lookout")
        .unwrap()
        .args([
            "--db",
            dest.to_str().unwrap(),
            "timeline",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let rows = String::from_utf8(copied.stdout).unwrap().lines().count() - 1;
    assert!((8..=38).contains(&rows), "{rows}");
    env.refused(&["backup", dest.to_str().unwrap()], 65, "exists already");
}
