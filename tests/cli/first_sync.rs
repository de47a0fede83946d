//! A first sync into a blank store loads the shared tracker as a first
//! import would (`share::first`): the same store, field by field, as an
//! import of a checkout of the tracker; one journal entry that undo
//! reverts; and a next sync with nothing to do.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::env::{TestEnv, fixture};
use crate::sync::{Team, git};

/// Every row of the tables that hold the records and what is derived from
/// them (not the journal, nor what a sync keeps of its remote), in order;
/// but when each store took a watch item (`created_at`: the import's time,
/// or the time of the shared copy) and the actors' own keys, which are
/// no fields of the records.
fn records_of(db: &Path) -> String {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut text = String::new();
    for query in [
        "SELECT * FROM kinds ORDER BY 1",
        "SELECT id, slug, title, description, opened, opened_start, opened_end, recorded_by,
                updated_at, updated_by
           FROM watch_items ORDER BY 1",
        "SELECT * FROM watch_tags ORDER BY 1, 2",
        "SELECT * FROM developments ORDER BY 1",
        "SELECT * FROM links ORDER BY 1, 2",
        "SELECT * FROM watch_stats ORDER BY 1",
        "SELECT name, developments FROM actors ORDER BY 1",
    ] {
        let mut stmt = conn.prepare(query).unwrap();
        let width = stmt.column_count();
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        text.push_str(&format!("{}\n", names.join(", ")));
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..width)
                    .map(|i| match r.get_ref(i).unwrap() {
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(cells.join(" | "))
            })
            .unwrap();
        for row in rows {
            text.push_str(&row.unwrap());
            text.push('\n');
        }
    }
    text
}

/// Asserts two texts equal, naming the first line where they differ.
fn same_lines(synced: &str, imported: &str) {
    for (n, (a, b)) in synced.lines().zip(imported.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs (synced, then imported)", n + 1);
    }
    assert_eq!(synced.lines().count(), imported.lines().count());
}

/// Ana's tracker: the seed, a kind of her own, a development of it that she
/// edited, a retracted one and a scheduled one; shared with a first sync.
fn shared_by_ana(team: &Team) {
    let ana = &team.members[0];
    ana.ok_stderr(&[
        "import",
        &fixture("watch-items.csv"),
        &fixture("developments.csv"),
    ]);
    ana.ok_stderr(&["kinds", "add", "court-ruling"]);
    let ruled = ana.log(&[
        "2025-07-30",
        "A court rules on the export controls",
        "--kind",
        "court-ruling",
        "--watch",
        "us-counter-moves=developing",
        "--actor",
        "US",
        "--source",
        "https://example.org/ruling",
    ]);
    ana.ok_stderr(&["edit", &ruled, "--summary", "The ruling, summarised"]);
    let dropped = ana.log(&["2025-07-29", "A rumour", "--watch", "intl-response"]);
    ana.ok_stderr(&["retract", &dropped, "--reason", "Never happened"]);
    ana.log(&[
        "2026-03",
        "A follow-up summit",
        "--scheduled",
        "--watch",
        "intl-ai-org",
    ]);
    let said = ana.ok_stderr(&["sync", team.remote()]);
    assert!(said.contains("sent 15 added"), "{said}");
}

#[test]
fn a_first_sync_into_a_blank_store_is_the_store_an_import_of_the_tracker_makes() {
    let Some(team) = Team::new(2) else { return };
    shared_by_ana(&team);
    let ben = &team.members[1];
    let commits = team.commits();
    let said = ben.ok_stderr(&["sync", team.remote()]);
    assert_eq!(
        said.trim_end(),
        format!(
            "synced with {}: received 15 added, 0 changed, 0 removed; sent nothing",
            team.remote()
        )
    );
    assert_eq!(team.commits(), commits);

    // An import of a checkout of the shared tracker into a new store.
    let checkout = ben.dir().join("checkout");
    git(
        ben.dir(),
        &[
            "clone",
            "--quiet",
            team.remote(),
            checkout.to_str().unwrap(),
        ],
    );
    let imported = TestEnv::new();
    imported.ok_stderr(&["import", checkout.to_str().unwrap()]);
    same_lines(&records_of(ben.db()), &records_of(imported.db()));
    assert_eq!(ben.ok(&["export"]), imported.ok(&["export"]));
    assert_eq!(ben.ok(&["export"]), team.members[0].ok(&["export"]));
    // Its indexes were built: search finds what the import's finds.
    for query in ["court", "summit", "Shanghai"] {
        assert_eq!(
            ben.ok(&["search", query, "--all"]),
            imported.ok(&["search", query, "--all"]),
            "{query}"
        );
    }
    assert!(ben.ok(&["check"]).starts_with("ok: "));

    // One journal entry, by Ben; a next sync has nothing to do.
    let history = ben.ok(&["history"]);
    assert_eq!(history.matches("synced with").count(), 1, "{history}");
    assert!(
        history.contains("by Ben Okafor <ben@example.org>"),
        "{history}"
    );
    let before = ben.fingerprint();
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("already in step"), "{said}");
    assert_eq!(ben.fingerprint(), before);
    assert_eq!(team.commits(), commits);
}

#[test]
fn an_undone_first_sync_leaves_a_blank_store_that_the_next_sync_fills_again() {
    let Some(team) = Team::new(2) else { return };
    shared_by_ana(&team);
    let ben = &team.members[1];
    ben.ok_stderr(&["sync", team.remote()]);
    let filled = records_of(ben.db());
    let said = ben.ok_stderr(&["undo"]);
    assert!(said.contains("(sync,"), "{said}");
    assert_eq!(ben.ok(&["export"]), "");
    let said = ben.ok_stderr(&["sync"]);
    assert!(
        said.contains("received 15 added, 0 changed, 0 removed; sent nothing"),
        "{said}"
    );
    assert_eq!(records_of(ben.db()), filled);
    team.assert_converged();
}
