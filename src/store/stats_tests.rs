//! The `links_stats_*` triggers of schema.sql, which keep watch_stats step
//! by step, against the totals counted afresh from the links (what `check`
//! compares, and what a bulk load builds), over random sequences of links
//! added, changed and removed.

use proptest::prelude::*;
use rusqlite::Connection;

/// A link as the triggers see it: its watch item, whether it is retracted
/// or scheduled, and the day it settled (none exactly when it is scheduled).
#[derive(Debug, Clone)]
struct Link {
    watch: i64,
    retracted: bool,
    settled: Option<u8>,
}

#[derive(Debug, Clone)]
enum Step {
    Add(Link),
    Remove(usize),
    Change(usize, Link),
}

fn link() -> impl Strategy<Value = Link> {
    (0..3i64, any::<bool>(), prop::option::weighted(0.8, 0..6u8)).prop_map(
        |(watch, retracted, settled)| Link {
            watch,
            retracted,
            settled,
        },
    )
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => link().prop_map(Step::Add),
        1 => any::<usize>().prop_map(Step::Remove),
        2 => (any::<usize>(), link()).prop_map(|(at, l)| Step::Change(at, l)),
    ]
}

/// The links and watch_stats tables with lookout's triggers and index on
/// them, and nothing else.
fn tables() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE links (id INTEGER PRIMARY KEY, watch_id INTEGER NOT NULL,
                             retracted INTEGER NOT NULL, scheduled INTEGER NOT NULL,
                             settled TEXT);
         CREATE TABLE watch_stats (watch_id INTEGER PRIMARY KEY,
                                   developments INTEGER NOT NULL, latest_settled TEXT);
         CREATE INDEX links_settled ON links (watch_id, settled)
             WHERE retracted = 0 AND scheduled = 0;",
    )
    .unwrap();
    let schema = include_str!("../../schema.sql");
    for name in [
        "links_stats_insert",
        "links_stats_delete",
        "links_stats_update",
    ] {
        let start = schema
            .find(&format!("CREATE TRIGGER {name} "))
            .unwrap_or_else(|| panic!("schema.sql has no trigger {name}"));
        let end = start + schema[start..].find("\nEND;").unwrap() + "\nEND;".len();
        conn.execute_batch(&schema[start..end]).unwrap();
    }
    conn
}

fn values(l: &Link) -> (i64, bool, bool, Option<String>) {
    let settled = l.settled.map(|d| format!("2025-07-0{}", d + 1));
    (l.watch, l.retracted, l.settled.is_none(), settled)
}

/// The watch items whose totals differ from their links counted afresh.
fn wrong_totals(conn: &Connection) -> Vec<i64> {
    let mut stmt = conn
        .prepare(
            "WITH items(id) AS (VALUES (0), (1), (2))
             SELECT i.id FROM items i
               LEFT JOIN watch_stats s ON s.watch_id = i.id
               LEFT JOIN (SELECT watch_id, count(*) AS n, max(settled) AS settled
                            FROM links WHERE retracted = 0 AND scheduled = 0
                           GROUP BY watch_id) t ON t.watch_id = i.id
              WHERE coalesce(s.developments, 0) <> coalesce(t.n, 0)
                 OR coalesce(t.n, 0) > 0 AND s.latest_settled IS NOT t.settled",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

proptest! {
    #[test]
    fn watch_stats_kept_step_by_step_equal_the_links_counted_afresh(
        steps in prop::collection::vec(step(), 1..60)
    ) {
        let conn = tables();
        let mut ids: Vec<i64> = Vec::new();
        for step in &steps {
            match step {
                Step::Add(l) => {
                    let (watch, retracted, scheduled, settled) = values(l);
                    conn.execute(
                        "INSERT INTO links (watch_id, retracted, scheduled, settled)
                         VALUES (?1, ?2, ?3, ?4)",
                        rusqlite::params![watch, retracted, scheduled, settled],
                    ).unwrap();
                    ids.push(conn.last_insert_rowid());
                }
                Step::Remove(at) if !ids.is_empty() => {
                    let id = ids.remove(at % ids.len());
                    conn.execute("DELETE FROM links WHERE id = ?1", [id]).unwrap();
                }
                Step::Change(at, l) if !ids.is_empty() => {
                    let (watch, retracted, scheduled, settled) = values(l);
                    conn.execute(
                        "UPDATE links SET watch_id = ?2, retracted = ?3, scheduled = ?4,
                                          settled = ?5 WHERE id = ?1",
                        rusqlite::params![ids[at % ids.len()], watch, retracted, scheduled, settled],
                    ).unwrap();
                }
                Step::Remove(_) | Step::Change(..) => {}
            }
            prop_assert_eq!(wrong_totals(&conn), Vec::<i64>::new(), "after {:?}", step);
        }
    }
}
