//! Races with other processes: a new store two commands create at once, a
//! report read while others write, a store removed under a running import.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::env::{TestEnv, stderr_of};

/// How many times the creation race runs (issue 14 saw half the good logs
/// lost over 100 runs before the fix).
const RACES: usize = 100;

#[test]
fn a_refused_command_on_a_new_store_never_removes_a_store_another_process_wrote() {
    let env = TestEnv::new();
    let started = Instant::now();
    for run in 0..RACES {
        let db = env.dir().join(format!("new-{run}.db"));
        let good_headline = format!("good {run}");
        let mut bad = env.std_cmd_on(&db);
        bad.args(["-q", "log", "2025-01-01", "bad", "--kind", "typo-kind"]);
        let mut good = env.std_cmd_on(&db);
        good.args(["-q", "log", "2025-01-01", &good_headline]);
        // Either may start first.
        let (first, second) = if run % 2 == 0 {
            (&mut bad, &mut good)
        } else {
            (&mut good, &mut bad)
        };
        let first = first
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let second = second.output().unwrap();
        let first = first.wait_with_output().unwrap();
        let (bad_out, good_out) = if run % 2 == 0 {
            (first, second)
        } else {
            (second, first)
        };
        assert_eq!(
            bad_out.status.code(),
            Some(65),
            "run {run}: {}",
            stderr_of(&bad_out)
        );
        assert!(
            good_out.status.success(),
            "run {run}: {}",
            stderr_of(&good_out)
        );
        let conn = rusqlite::Connection::open(&db)
            .unwrap_or_else(|e| panic!("run {run}: the good log's store is gone: {e}"));
        let kept: i64 = conn
            .query_row(
                "SELECT count(*) FROM developments WHERE headline = ?1",
                [&good_headline],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("run {run}: the good log's store is not whole: {e}"));
        assert_eq!(kept, 1, "run {run}: the good log was lost");
    }
    eprintln!("{RACES} creation races in {:?}", started.elapsed());
    // Alone, a refused command on a new path still leaves nothing behind.
    let lone = env.dir().join("lone.db");
    let out = env
        .std_cmd_on(&lone)
        .args(["log", "2025-01-01", "bad", "--kind", "typo-kind"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let left: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("lone.db"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_export_is_one_snapshot_while_others_write() {
    // Many watch items make the export's first reads take a while, the
    // window in which another process's item and development could land
    // between reading the items and reading the developments.
    let env = TestEnv::new();
    let mut items = String::from("slug,title\n");
    for i in 0..2000 {
        items.push_str(&format!("item-{i},Item {i}\n"));
    }
    env.ok_with(
        &["import", &env.file("items.csv", &items)],
        "imported 1 file: 2000 added, 0 updated, 0 unchanged, 0 rejected (2000 watch items)",
    );
    let done = AtomicBool::new(false);
    let exports = thread::scope(|scope| {
        scope.spawn(|| {
            for n in 0..25 {
                env.ok(&["-q", "watch", "add", &format!("new-{n}"), "New"]);
                env.log(&[
                    "2025-08",
                    &format!("about new {n}"),
                    "--watch",
                    &format!("new-{n}"),
                ]);
            }
            done.store(true, Ordering::SeqCst);
        });
        let mut exports = 0;
        while !done.load(Ordering::SeqCst) || exports == 0 {
            assert_consistent(&env.ok(&["export"]));
            exports += 1;
        }
        exports
    });
    assert!(exports > 1, "{exports}");
}

/// Every watch item a development of the export links to is in the export.
fn assert_consistent(export: &str) {
    let mut slugs = HashSet::new();
    for line in export.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        match record["type"].as_str() {
            Some("watch") => {
                slugs.insert(record["slug"].as_str().unwrap().to_string());
            }
            Some("development") => {
                for link in record["watch"].as_array().unwrap() {
                    let slug = link["slug"].as_str().unwrap();
                    assert!(
                        slugs.contains(slug),
                        "the export links a development to '{slug}' but holds no such item"
                    );
                }
            }
            _ => {}
        }
    }
}

#[test]
fn a_store_removed_during_an_import_is_an_error_not_success() {
    // A new store (built aside and renamed into place) and one that exists.
    for existing in [false, true] {
        store_removed_during_an_import(existing);
    }
}

fn store_removed_during_an_import(existing: bool) {
    let env = TestEnv::new();
    let dir = env.dir().join("store");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("tracker.db");
    if existing {
        let out = env.std_cmd_on(&db).args(["-q", "init"]).output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    let mut csv = String::from("date,kind,watch,headline,summary\n");
    for i in 0..20_000 {
        csv.push_str(&format!("2025-07,other,,row {i},{}\n", "words ".repeat(20)));
    }
    let file = env.file("big.csv", &csv);
    let child = env
        .std_cmd_on(&db)
        .args(["-q", "import", &file])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once the import has the store open (its write-ahead log is there, or,
    // for a new store built aside, its temporary file), the whole directory
    // goes.
    let wal = dir.join("tracker.db-wal");
    let open = || {
        wal.exists()
            || std::fs::read_dir(&dir).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(".lookout-tmp-store-")
                })
            })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !open() {
        assert!(
            Instant::now() < deadline,
            "the import never opened its store"
        );
        thread::sleep(Duration::from_millis(5));
    }
    thread::sleep(Duration::from_millis(100));
    std::fs::remove_dir_all(&dir).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(74),
        "existing {existing}: {}",
        stderr_of(&out)
    );
    assert!(
        stderr_of(&out).contains("was removed or replaced while lookout was writing to it"),
        "{}",
        stderr_of(&out)
    );
}
