//! Recognising a lookout store and bringing its schema up to date.
//!
//! `schema.sql` (at the repository root, embedded here) is the whole current
//! schema, applied to a new store. A store of an earlier version is brought up
//! to it by the steps in `migrations/`, one per version, never edited once
//! released. `PRAGMA user_version` says which version a store holds; a store
//! newer than this binary is refused before anything is written to it.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OptionalExtension};

use super::Access;
use crate::error::{Error, Result};

/// Marks the file as a lookout store: "LKOU".
pub const APPLICATION_ID: i64 = 0x4C4B_4F55;

/// The whole current schema, for a new store.
const SCHEMA: &str = include_str!("../../schema.sql");

/// `UPGRADES[i]` takes a store from version `i + 1` to `i + 2`.
const UPGRADES: &[&str] = &[
    include_str!("migrations/002-authors-and-sync.sql"),
    include_str!("migrations/003-time.sql"),
    include_str!("migrations/004-search-name-and-journal-numbers.sql"),
    include_str!("migrations/005-briefing.sql"),
    include_str!("migrations/006-write-less.sql"),
    include_str!("migrations/007-sync-dirty.sql"),
    include_str!("migrations/008-undone.sql"),
    include_str!("migrations/009-trigram-search.sql"),
    include_str!("migrations/010-feeds-and-inbox.sql"),
    include_str!("migrations/011-trigram-for-cjk-only.sql"),
    include_str!("migrations/012-stats-step-by-step.sql"),
];

/// The schema version this binary writes.
pub const CURRENT_VERSION: i64 = 1 + UPGRADES.len() as i64;

/// Checks that `conn` holds a lookout store this binary understands, and
/// migrates an older or brand-new one (only when it may write).
pub fn prepare(conn: &Connection, path: &Path, access: Access) -> Result<()> {
    let shown = path.display();
    let Identity {
        app_id,
        version,
        objects,
    } = identity(conn).map_err(|e| e.context(&shown))?;
    let is_empty = app_id == 0 && version == 0 && objects == 0;
    if !is_empty && app_id != APPLICATION_ID {
        return Err(
            Error::io(format!("{shown} is not a lookout store")).with_hint(
                "it is some other SQLite database; pass the path of a lookout store with --db",
            ),
        );
    }
    if version > CURRENT_VERSION {
        return Err(Error::io(format!(
            "{shown} is a lookout store of schema version {version}, newer than this lookout \
             understands (version {CURRENT_VERSION}); it was left untouched"
        ))
        .with_hint("upgrade lookout to read it"));
    }
    if version == CURRENT_VERSION {
        return Ok(());
    }
    if is_empty && access != Access::Write {
        return Err(Error::io(format!("{shown} is an empty store"))
            .with_hint("initialise it with `lookout init`"));
    }
    if version == 0 && !is_empty {
        // Marked as a store but without a version: applying the schema on
        // top of what it holds would fail, or worse, half succeed.
        return Err(Error::io(format!(
            "{shown} is marked as a lookout store but holds no schema version; it was left untouched"
        ))
        .with_hint("restore it from a backup, or export what it holds with sqlite3"));
    }
    if access == Access::Check {
        return Err(Error::io(format!(
            "{shown} is a lookout store of schema version {version}; check reads only stores of \
             version {CURRENT_VERSION}, and does not upgrade one"
        ))
        .with_hint("any other command upgrades it in place; `lookout backup` first keeps a copy"));
    }
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(Error::io(format!(
            "{shown} needs its schema brought to version {CURRENT_VERSION}, but it is read-only"
        )));
    }
    migrate(conn).map_err(|e| e.context(&shown))
}

/// An in-memory store of the current schema, as `schema.sql` makes it: what
/// a store's own schema is compared with (`audit`).
pub(super) fn fresh() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// The SQL that makes one of lookout's indexes, as `schema.sql` has it.
pub(super) fn index_sql(name: &str) -> Result<String> {
    let sql: Option<String> = fresh()?
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    sql.ok_or_else(|| Error::io(format!("lookout has no index '{name}'")))
}

/// What marks a file as a lookout store, read in one statement so that all
/// three come from one snapshot: read one by one, another process creating
/// the store could commit between them (an `application_id` of 0 from
/// before its commit, a version from after it).
struct Identity {
    app_id: i64,
    version: i64,
    /// Objects in its schema.
    objects: i64,
}

fn identity(conn: &Connection) -> Result<Identity> {
    conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id),
                (SELECT user_version FROM pragma_user_version),
                (SELECT count(*) FROM sqlite_schema)",
        [],
        |r| {
            Ok(Identity {
                app_id: r.get(0)?,
                version: r.get(1)?,
                objects: r.get(2)?,
            })
        },
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::io(
            "not a lookout store: the file is not a SQLite database",
        )
        .with_hint("pass the path of a lookout store with --db, or a new path to create one"),
        Some(ErrorCode::DatabaseCorrupt) => {
            Error::io("the store is damaged (database disk image is malformed)")
                .with_hint("restore it from a backup or an export")
        }
        _ => Error::from(e),
    })
}

#[cfg(test)]
fn identify(conn: &Connection) -> Result<(i64, i64)> {
    identity(conn).map(|i| (i.app_id, i.version))
}

/// Makes a new store of the current schema on an empty database, in one
/// transaction, leaving its journal mode as the connection has it (a staged
/// store is switched to WAL when it is put in place).
pub(super) fn create(conn: &Connection) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let made = (|| -> Result<()> {
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", CURRENT_VERSION)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        Ok(())
    })();
    match made {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn migrate(conn: &Connection) -> Result<()> {
    // A step may rebuild a table that others reference (003 rebuilds
    // developments): with foreign keys on, dropping it would delete what
    // references it. They are checked before the commit instead, and put back
    // on by `Store::configure`. The pragma is a no-op inside a transaction.
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let applied = (|| -> Result<()> {
        // Another process may have migrated while we waited for the lock.
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version == 0 {
            conn.execute_batch(SCHEMA)?;
        } else {
            let done = usize::try_from(version - 1).unwrap_or(0);
            for step in UPGRADES.iter().skip(done) {
                conn.execute_batch(step)?;
            }
        }
        let dangling: i64 =
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(Error::io(format!(
                "the upgrade to schema version {CURRENT_VERSION} would leave {dangling} rows \
                 pointing to missing rows; the store was left as it was"
            ))
            .with_hint("run `lookout check` with the lookout that made the store"));
        }
        conn.pragma_update(None, "user_version", CURRENT_VERSION)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        Ok(())
    })();
    match applied {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    // Readers never block the writer, nor the writer readers. Persistent;
    // it cannot be set inside a transaction.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_applies_to_a_new_database() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        let kinds: i64 = conn
            .query_row("SELECT count(*) FROM kinds WHERE builtin = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kinds, 8);
        let (app_id, version) = identify(&conn).unwrap();
        assert_eq!((app_id, version), (APPLICATION_ID, CURRENT_VERSION));
    }

    /// A store's schema in comparable form: each table's columns, and the
    /// SQL of every index, view and trigger.
    fn shape(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        let mut objects = conn
            .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .unwrap();
        let rows: Vec<(String, String, Option<String>)> = objects
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (kind, name, sql) in rows {
            if kind == "table" {
                let mut columns = conn
                    .prepare(&format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo('{name}')"))
                    .unwrap();
                let columns: Vec<String> = columns
                    .query_map([], |r| {
                        Ok(format!(
                            "{}:{}:{}:{:?}:{}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, i64>(4)?
                        ))
                    })
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                out.push(format!("table {name}: {}", columns.join(", ")));
            } else {
                out.push(format!("{kind} {name}: {}", sql.unwrap_or_default()));
            }
        }
        out
    }

    #[test]
    fn an_upgraded_store_has_the_shape_of_a_new_one() {
        let fresh = Connection::open_in_memory().unwrap();
        migrate(&fresh).unwrap();
        // Stores of every earlier version.
        for (fixture, version) in [
            ("store-v1.db", 1),
            ("store-v2.db", 2),
            ("store-v3.db", 3),
            ("store-v5.db", 5),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let old = dir.path().join(fixture);
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures")
                    .join(fixture),
                &old,
            )
            .unwrap();
            let upgraded = Connection::open(&old).unwrap();
            assert_eq!(identify(&upgraded).unwrap(), (APPLICATION_ID, version));
            migrate(&upgraded).unwrap();
            assert_eq!(
                identify(&upgraded).unwrap(),
                (APPLICATION_ID, CURRENT_VERSION)
            );
            assert_eq!(shape(&upgraded), shape(&fresh), "{fixture}");
            // The rebuilt table takes what the new schema allows.
            upgraded
                .execute(
                    "UPDATE developments SET date = '../2025-07', date_start = '',
                            precision = 'interval' WHERE id = 'jtce187y'",
                    [],
                )
                .unwrap();
        }
    }

    #[test]
    fn the_views_run_on_a_new_store() {
        // The views avoid syntax newer than SQLite 3.25 (window functions), so
        // that older sqlite3 shells and Datasette read them; the integration
        // test `sqlite3_reads_the_same_status_and_timeline` runs the system
        // sqlite3 shell against them. Here the bundled SQLite only runs them.
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn).unwrap();
        conn.query_row("SELECT count(*) FROM status_now", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
        conn.query_row("SELECT count(*) FROM timeline", [], |r| r.get::<_, i64>(0))
            .unwrap();
    }
}
