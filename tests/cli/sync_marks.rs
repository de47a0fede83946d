//! A sync that has synced before reads only the files that changed: the
//! store marks the shard of every development it writes (schema.sql,
//! `sync_dirty`) and the shared tracker's changes show in its tree. These
//! tests hold the marks to never missing a change, including the writes that
//! are not marked one by one.

use std::fmt::Write as _;

use crate::env::{SEED_IMPORTED, TestEnv, fixture};
use crate::sync::{Team, git, seeded_team};

/// The store's marks, sorted and joined.
fn marks(env: &TestEnv) -> String {
    env.query("SELECT coalesce(group_concat(shard, ','), '') FROM (SELECT shard FROM sync_dirty ORDER BY shard)")
}

#[test]
fn a_write_marks_its_shard_a_sync_clears_the_marks_and_a_store_that_never_synced_keeps_none() {
    let alone = TestEnv::new();
    alone.ok_with(
        &[
            "import",
            &fixture("watch-items.csv"),
            &fixture("developments.csv"),
        ],
        SEED_IMPORTED,
    );
    alone.log_warned(
        &["2025-08-06", "A response", "--watch", "intl-response"],
        &["is after today"],
    );
    assert_eq!(marks(&alone), "", "a store that never synced marks nothing");

    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    assert_eq!(marks(ana), "");
    ben.log_warned(
        &["2025-08-05", "Another response", "--watch", "intl-response"],
        &["is after today"],
    );
    ben.ok_stderr(&["sync"]);
    let id = ana.log_warned(
        &["2025-08-06", "A new response", "--watch", "intl-response"],
        &["is after today"],
    );
    assert_eq!(marks(ana), id[..2]);
    ana.ok_with(
        &["edit", "kkdhda1z", "--summary", "Edited."],
        "edited kkdhda1z",
    );
    let mut expected = [id[..2].to_string(), "kk".to_string()];
    expected.sort();
    assert_eq!(marks(ana), expected.join(","));
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("received 1 added"), "{said}");
    assert!(said.contains("sent 1 added, 1 changed"), "{said}");
    assert_eq!(marks(ana), "");
    // Undoing the sync puts the old base back: what differs from it is no
    // longer known shard by shard, so the next sync reads everything.
    let said = ana.ok_stderr(&["undo"]);
    assert!(said.contains("(sync,"), "{said}");
    assert!(marks(ana).split(',').any(|m| m == "*"), "{}", marks(ana));
    let said = ana.ok_stderr(&["sync"]);
    assert_eq!(marks(ana), "", "{said}");
    team.sync_all(1);
    team.assert_converged();
}

#[test]
fn a_bulk_import_into_a_store_that_syncs_is_sent_whole() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    // Over a megabyte: imported as a bulk load, which drops the marking
    // triggers for its duration and marks every shard at the end.
    let mut csv = String::from("date,kind,watch,headline,summary\n");
    let filler = "A long summary that makes the file big enough for a bulk load. ".repeat(6);
    for n in 0..3_000 {
        writeln!(
            csv,
            "2025-09-{:02},statement,intl-response,Generated statement {n},{filler}",
            1 + n % 28
        )
        .unwrap();
    }
    let path = ana.file("bulk.csv", &csv);
    ana.ok_stderr(&["import", &path]);
    assert!(marks(ana).split(',').any(|m| m == "*"), "{}", marks(ana));
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("sent 3000 added"), "{said}");
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("received 3000 added"), "{said}");
    team.assert_converged();
}

/// Commits, as someone else, the shared tracker with `path` rewritten by
/// `edit`, the way a script or a hand edit would.
pub fn push_edit(team: &Team, path: &str, edit: impl Fn(&str) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    git(
        dir.path(),
        &["clone", "--quiet", team.remote(), work.to_str().unwrap()],
    );
    let file = work.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(&text)).unwrap();
    git(&work, &["commit", "--quiet", "-am", "an edit by hand"]);
    git(&work, &["push", "--quiet", "origin", "main"]);
}

#[test]
fn a_watch_item_the_shared_tracker_dropped_comes_back_when_an_unchanged_development_uses_it() {
    // The shared tracker loses a watch item that developments still use
    // while their files stay as they were: a sync that reads only what
    // changed must still see those users, as a full merge would.
    let Some(team) = seeded_team(2) else { return };
    let ana = &team.members[0];
    push_edit(&team, "watch.jsonl", |text| {
        text.lines()
            .filter(|l| !l.contains("\"intl-response\""))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let said = ana.ok_stderr(&["sync"]);
    assert!(
        said.contains("kept watch intl-response: one side removed it, but development"),
        "{said}"
    );
    // Kept, so neither removed here nor sent as removed: sent back.
    assert!(
        said.contains("received nothing; sent 1 added, 0 changed, 0 removed"),
        "{said}"
    );
    assert!(ana.ok(&["watch", "list"]).contains("intl-response"));
    team.sync_all(1);
    team.assert_converged();
    ana.ok(&["check"]);
}

#[test]
fn a_store_that_synced_before_the_marks_were_kept_reads_everything_once() {
    // A store of schema 5 that had synced: what changed since its last sync
    // is not known, so the upgrade marks every shard.
    let env = TestEnv::new();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v5.db"),
        env.db(),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "INSERT INTO sync_state (id, remote, base, synced_at)
         VALUES (1, '/nowhere', '0123456789abcdef0123456789abcdef01234567', '2025-08-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    drop(conn);
    env.ok(&["status"]);
    assert_eq!(marks(&env), "*");
    // One that never synced has nothing to mark.
    let fresh = TestEnv::new();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v5.db"),
        fresh.db(),
    )
    .unwrap();
    fresh.ok(&["status"]);
    assert_eq!(marks(&fresh), "");
}

#[test]
fn a_sync_with_nothing_to_do_clears_the_marks_of_changes_that_came_to_nothing() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    // An edit and its reversal: the shard stays marked, with nothing to send.
    ana.ok_with(
        &["edit", "kkdhda1z", "--summary", "Edited."],
        "edited kkdhda1z",
    );
    ana.ok_stderr(&["undo"]);
    assert_eq!(marks(ana), "kk");
    let commits = team.commits();
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("already in step"), "{said}");
    assert_eq!(marks(ana), "");
    assert_eq!(team.commits(), commits);
    // Every shard marked, as after an upgrade: one sync reads them all, once.
    let conn = rusqlite::Connection::open(ana.db()).unwrap();
    conn.execute("INSERT INTO sync_dirty (shard) VALUES ('*')", [])
        .unwrap();
    drop(conn);
    ana.ok_stderr(&["sync"]);
    assert_eq!(marks(ana), "");
    assert_eq!(
        ana.ok(&["history", "--format", "json"])
            .matches("\"sync\"")
            .count(),
        0
    );
}
