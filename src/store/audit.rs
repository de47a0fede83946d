//! Telling lookout's schema from what someone else put in a store.
//!
//! A store is a file anyone can edit. The objects lookout made are known:
//! they are what `schema.sql` makes, so the expected schema is built afresh
//! from it in memory and the store's `sqlite_schema` compared with that.
//! Views, triggers, indexes and virtual tables must have lookout's SQL word
//! for word (migrations recreate them so, and a test holds them to it);
//! ordinary tables, which migrations alter, must have lookout's columns.
//! What a store holds beyond that is someone else's: a trigger runs on
//! lookout's writes, so it is refused; a view, index or table is left alone.

use std::collections::BTreeMap;
use std::fmt;

use rusqlite::Connection;

use super::schema;
use crate::error::Result;

/// One way a store's schema differs from lookout's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    /// `table`, `index`, `view` or `trigger`.
    pub kind: String,
    pub name: String,
    pub how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Not one of lookout's objects.
    Foreign,
    /// One of lookout's, with other SQL (or columns, or of another type).
    Altered,
    /// One of lookout's, not there.
    Missing,
}

impl Deviation {
    /// Whether lookout must not write to a store with it: a trigger would run
    /// on lookout's writes, an altered or missing trigger, table or view
    /// would make them do other than lookout means.
    pub fn forbids_writing(&self) -> bool {
        match self.how {
            How::Foreign => self.kind == "trigger",
            How::Altered => self.kind != "index",
            How::Missing => self.kind == "trigger" || self.kind == "table",
        }
    }

    /// Whether lookout must not even read a store with it: its tables are
    /// not the ones it made, so its reports would say what someone else wants.
    pub fn forbids_reading(&self) -> bool {
        self.kind == "table" && self.how != How::Foreign
    }

    /// Whether `check` counts it as a problem; a user's own view, index or
    /// table is allowed (and said).
    pub fn is_problem(&self) -> bool {
        self.how != How::Foreign || self.kind == "trigger"
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, name) = (&self.kind, crate::screen::echo(&self.name));
        match self.how {
            How::Foreign => write!(f, "{kind} '{name}' was not made by lookout"),
            How::Altered => write!(f, "lookout's {kind} '{name}' has been changed"),
            How::Missing => write!(f, "lookout's {kind} '{name}' is missing"),
        }
    }
}

/// Lookout's indexes that only rare commands read: a bulk load leaves them
/// out and the command that needs one builds it (`Store::ensure_index`), so
/// a store without them is whole.
pub(super) const ON_DEMAND: &[&str] = &["developments_match"];

/// An object as `sqlite_schema` holds it, with a table's columns.
#[derive(Debug, PartialEq, Eq)]
struct Object {
    kind: String,
    sql: Option<String>,
    columns: Vec<String>,
}

/// The digest (`schema_digest`) of the schema of a store this lookout made:
/// a store whose schema has it word for word is lookout's, with no closer
/// look — building lookout's schema afresh in memory to compare with was a
/// fifth of the instructions of `status`. Stores upgraded from earlier
/// versions, or holding objects of their users, take the closer look. The
/// test `a_new_store_has_the_schema_digest_audit_knows` holds this to
/// schema.sql (and says the new value when schema.sql changes). SHA-1, not a
/// faster hash: an untrusted store must not be able to craft a schema that
/// passes for this one, and a second preimage of SHA-1 is out of reach.
const NEW_STORE_SCHEMA: &str = "f125a9ff8f655fc8fd59a4a5dc65112ad09d66b9";

/// A digest of every object of the store's schema but the indexes built on
/// demand, each by its type, name, table and SQL, in name order.
fn schema_digest(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY name",
    )?;
    let mut rows = stmt.query([])?;
    let mut text = Vec::new();
    while let Some(row) = rows.next()? {
        // Not text: never lookout's schema, so never the digest.
        let bytes = |column: usize| -> Result<&[u8]> {
            Ok(row.get_ref(column)?.as_bytes().unwrap_or(b"\xff"))
        };
        let name = bytes(1)?;
        if ON_DEMAND.iter().any(|n| n.as_bytes() == name) {
            continue;
        }
        for column in 0..4 {
            let cell = bytes(column)?;
            text.extend_from_slice(&(cell.len() as u64).to_le_bytes());
            text.extend_from_slice(cell);
        }
    }
    Ok(sha1_smol::Sha1::from(&text).digest().to_string())
}

/// The digest (`shape_digest`) of the objects of lookout's schema as the
/// closer look compares them: a store upgraded from an earlier version has
/// other SQL text for its tables but, when whole, this shape, and is told
/// lookout's without building lookout's schema afresh (which made every
/// command on an upgraded store 7 ms slower). The test
/// `lookouts_schema_has_the_shape_digest_audit_knows` holds this to schema.sql.
const NEW_STORE_SHAPE: &str = "fa0e0e7b03e04302af18b1d4763f1845c29f1e03";

/// A digest of objects as `objects` gives them, but the indexes built on
/// demand.
fn shape_digest(objects: &BTreeMap<String, Object>) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    for (name, object) in objects {
        if ON_DEMAND.contains(&name.as_str()) {
            continue;
        }
        let sql = object.sql.as_deref().unwrap_or("");
        let cells = [name.as_str(), object.kind.as_str(), sql]
            .into_iter()
            .chain(std::iter::once("columns"))
            .chain(object.columns.iter().map(String::as_str));
        for cell in cells {
            hasher.update(&(cell.len() as u64).to_le_bytes());
            hasher.update(cell.as_bytes());
        }
    }
    hasher.digest().to_string()
}

/// Every way the store's schema differs from lookout's, in name order.
pub(super) fn audit(conn: &Connection) -> Result<Vec<Deviation>> {
    if schema_digest(conn)? == NEW_STORE_SCHEMA {
        return Ok(Vec::new());
    }
    let found = objects(conn)?;
    if shape_digest(&found) == NEW_STORE_SHAPE {
        return Ok(Vec::new());
    }
    let expected = objects(&schema::fresh()?)?;
    let mut deviations = Vec::new();
    for (name, object) in &found {
        let how = match expected.get(name) {
            None => Some(How::Foreign),
            Some(theirs) if theirs != object => Some(How::Altered),
            Some(_) => None,
        };
        if let Some(how) = how {
            deviations.push(Deviation {
                kind: object.kind.clone(),
                name: name.clone(),
                how,
            });
        }
    }
    for (name, object) in &expected {
        if !found.contains_key(name) && !ON_DEMAND.contains(&name.as_str()) {
            deviations.push(Deviation {
                kind: object.kind.clone(),
                name: name.clone(),
                how: How::Missing,
            });
        }
    }
    deviations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(deviations)
}

/// The schema's objects by name (SQLite's own left out). An ordinary table
/// is compared by its columns, since migrations alter its SQL.
fn objects(conn: &Connection) -> Result<BTreeMap<String, Object>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut objects = BTreeMap::new();
    for (kind, name, sql) in rows {
        let ordinary_table = kind == "table"
            && !sql
                .as_deref()
                .is_some_and(|s| s.starts_with("CREATE VIRTUAL TABLE"));
        let (sql, columns) = if ordinary_table {
            (None, columns(conn, &name)?)
        } else {
            (sql, Vec::new())
        };
        objects.insert(name, Object { kind, sql, columns });
    }
    Ok(objects)
}

/// A table's shape in comparable form: each column's name, type, not null,
/// default, primary key and hidden (generated) — everything that changes
/// what a read of it gives — then whether it is STRICT and WITHOUT ROWID,
/// its foreign keys with their actions, and its UNIQUE and primary-key
/// constraints. (Its CHECK constraints are not told apart: SQLite shows them
/// only in the table's SQL, which migrations alter; lookout checks what it
/// writes itself, and reads every cell through checked readers.)
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let shapes = [
        "SELECT 'column', name, type, \"notnull\", quote(dflt_value), pk, hidden
           FROM pragma_table_xinfo(?1)",
        "SELECT 'table', strict, wr FROM pragma_table_list(?1) WHERE schema = 'main'",
        "SELECT 'foreign key', id, seq, \"table\", \"from\", quote(\"to\"), on_update, on_delete
           FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        "SELECT 'constraint', origin, \"unique\", partial,
                (SELECT group_concat(coalesce(name, cid), ',') FROM pragma_index_info(l.name))
           FROM pragma_index_list(?1) l WHERE origin <> 'c' ORDER BY 5, 2",
    ];
    let mut shape = Vec::new();
    for sql in shapes {
        let mut stmt = conn.prepare(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([table])?;
        while let Some(row) = rows.next()? {
            let cells: Vec<String> = (0..width)
                .map(|i| match row.get_ref(i) {
                    Ok(rusqlite::types::ValueRef::Text(t)) => {
                        String::from_utf8_lossy(t).into_owned()
                    }
                    Ok(rusqlite::types::ValueRef::Integer(n)) => n.to_string(),
                    Ok(rusqlite::types::ValueRef::Null) => "NULL".to_string(),
                    Ok(other) => format!("{other:?}"),
                    Err(e) => format!("{e}"),
                })
                .collect();
            // Quoted and escaped: no cell can pass for two.
            shape.push(format!("{cells:?}"));
        }
    }
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Connection {
        schema::fresh().unwrap()
    }

    #[test]
    fn a_new_store_has_the_schema_digest_audit_knows() {
        let digest = schema_digest(&fresh()).unwrap();
        assert_eq!(
            digest, NEW_STORE_SCHEMA,
            "schema.sql changed: set NEW_STORE_SCHEMA to {digest}"
        );
    }

    #[test]
    fn lookouts_schema_has_the_shape_digest_audit_knows() {
        let digest = shape_digest(&objects(&fresh()).unwrap());
        assert_eq!(
            digest, NEW_STORE_SHAPE,
            "schema.sql changed: set NEW_STORE_SHAPE to {digest}"
        );
    }

    #[test]
    fn a_table_of_lookouts_shape_in_other_words_is_lookouts() {
        // What an upgrade leaves: the same table, its SQL worded otherwise
        // (here only its comments).
        let conn = fresh();
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, '--', '-- ') WHERE name = 'developments';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
        assert_ne!(schema_digest(&conn).unwrap(), NEW_STORE_SCHEMA);
        assert_eq!(audit(&conn).unwrap(), []);
    }

    #[test]
    fn a_new_store_is_all_lookouts() {
        assert_eq!(audit(&fresh()).unwrap(), []);
    }

    #[test]
    fn foreign_altered_and_missing_objects_are_told_apart() {
        let conn = fresh();
        conn.execute_batch(
            "CREATE TRIGGER evil AFTER INSERT ON developments BEGIN UPDATE links SET status = 'realised'; END;
             CREATE VIEW mine AS SELECT 1;
             CREATE INDEX my_index ON developments (headline);
             DROP VIEW status_now; CREATE VIEW status_now AS SELECT 'realised' AS status;
             DROP TRIGGER links_stats_insert;",
        )
        .unwrap();
        let found: Vec<(String, bool, bool, bool)> = audit(&conn)
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d.to_string(),
                    d.forbids_writing(),
                    d.forbids_reading(),
                    d.is_problem(),
                )
            })
            .collect();
        let row = |s: &str, w, r, p| (s.to_string(), w, r, p);
        assert_eq!(
            found,
            [
                row("trigger 'evil' was not made by lookout", true, false, true),
                row(
                    "lookout's trigger 'links_stats_insert' is missing",
                    true,
                    false,
                    true
                ),
                row("view 'mine' was not made by lookout", false, false, false),
                row(
                    "index 'my_index' was not made by lookout",
                    false,
                    false,
                    false
                ),
                row(
                    "lookout's view 'status_now' has been changed",
                    true,
                    false,
                    true
                ),
            ]
        );
    }

    #[test]
    fn a_table_made_again_without_its_constraints_is_not_lookouts() {
        // The same columns, but not STRICT, without the foreign key to the
        // watch items and without the UNIQUE of (development, watch_id).
        let conn = fresh();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TABLE links;
             CREATE TABLE links (
                 development INTEGER NOT NULL REFERENCES developments (key) ON DELETE CASCADE,
                 watch_id INTEGER NOT NULL, position INTEGER NOT NULL, status TEXT,
                 date_start TEXT NOT NULL, date_end TEXT NOT NULL, recorded_at TEXT NOT NULL,
                 retracted INTEGER NOT NULL DEFAULT 0, settled TEXT,
                 scheduled INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (development, position)
             ) WITHOUT ROWID;",
        )
        .unwrap();
        let found: Vec<String> = audit(&conn)
            .unwrap()
            .iter()
            .filter(|d| d.kind == "table")
            .map(|d| d.to_string())
            .collect();
        assert_eq!(found, ["lookout's table 'links' has been changed"]);
        // Each difference alone is seen.
        for (what, sql) in [
            ("STRICT", "CREATE TABLE t (a INTEGER) STRICT"),
            (
                "WITHOUT ROWID",
                "CREATE TABLE t (a INTEGER PRIMARY KEY) WITHOUT ROWID",
            ),
            (
                "a foreign key",
                "CREATE TABLE t (a INTEGER REFERENCES kinds (name))",
            ),
            (
                "ON DELETE",
                "CREATE TABLE t (a INTEGER REFERENCES kinds (name) ON DELETE CASCADE)",
            ),
            ("UNIQUE", "CREATE TABLE t (a INTEGER UNIQUE)"),
        ] {
            let plain = Connection::open_in_memory().unwrap();
            plain
                .execute_batch(
                    "CREATE TABLE kinds (name TEXT PRIMARY KEY); CREATE TABLE t (a INTEGER)",
                )
                .unwrap();
            let other = Connection::open_in_memory().unwrap();
            other
                .execute_batch(&format!(
                    "CREATE TABLE kinds (name TEXT PRIMARY KEY); {sql}"
                ))
                .unwrap();
            assert_ne!(
                columns(&plain, "t").unwrap(),
                columns(&other, "t").unwrap(),
                "{what}"
            );
        }
    }

    #[test]
    fn a_table_with_other_columns_is_not_lookouts() {
        let conn = fresh();
        conn.execute_batch(
            "ALTER TABLE developments ADD COLUMN fine TEXT GENERATED ALWAYS AS ('Everything is fine')",
        )
        .unwrap();
        let found = audit(&conn).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].forbids_reading() && found[0].forbids_writing());
    }
}
