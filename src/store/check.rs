//! `lookout check`: the store's schema against lookout's, SQLite's own
//! checks, the search index, every text cell and journal line, then
//! lookout's invariants (`check_records`).
//!
//! It reads one snapshot and writes nothing, so it works on a read-only
//! store and never waits for a writer. FTS5's check of the index against
//! the developments is a write statement that writes nothing: it runs on
//! the store itself, in that snapshot, inside a savepoint rolled back. It
//! then holds the write lock while it runs, so a write waits for it (up to
//! the busy timeout). Where the snapshot cannot become a write — a store
//! this user cannot write, or one another process is writing or has
//! written since the snapshot began — it runs on a private copy of the
//! snapshot instead, taken with the backup API into an anonymous database
//! (SQLite's temporary database: a file removed from its directory as soon
//! as it is opened, so it leaves nothing behind, even when `check` is
//! killed, and holds the page cache's worth of memory, not the store).

use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::types::ValueRef;

use super::{Store, audit, open, schema};
use crate::error::Result;
use crate::record::{Record, RecordKind};
use crate::screen::{echo, is_unsafe};

/// One thing found wrong, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub detail: String,
}

/// What `check` found: problems, and what it noticed but allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    /// Objects lookout did not make and leaves alone (a user's own view).
    pub allowed: Vec<String>,
}

/// What the checks found, in the order they found it.
#[derive(Default)]
pub(super) struct Findings(Vec<Finding>);

impl Findings {
    pub(super) fn add(&mut self, check: &'static str, detail: String) {
        self.0.push(Finding { check, detail });
    }
}

impl Store {
    /// Runs every check, on one snapshot of the store.
    pub fn check(&self) -> Result<CheckReport> {
        let _snapshot = self.begin_read()?;
        let mut findings = Findings::default();
        let mut allowed = Vec::new();
        for deviation in audit::audit(&self.conn)? {
            if deviation.is_problem() {
                findings.add("schema", deviation.to_string());
            } else {
                allowed.push(format!("{deviation}; lookout leaves it alone"));
            }
        }
        self.check_integrity(&mut findings)?;
        self.check_foreign_keys(&mut findings)?;
        self.check_text(&mut findings)?;
        self.check_journal(&mut findings)?;
        self.check_names(&mut findings)?;
        self.check_records(&mut findings)?;
        // Last: in place, it takes the write lock, which the snapshot then
        // holds until it ends.
        self.check_search_index(&mut findings)?;
        Ok(CheckReport {
            findings: findings.0,
            allowed,
        })
    }

    /// SQLite's own check of the file.
    fn check_integrity(&self, findings: &mut Findings) -> Result<()> {
        let mut integrity = self.conn.prepare("PRAGMA integrity_check")?;
        for row in integrity.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                findings.add("integrity", line);
            }
        }
        Ok(())
    }

    fn check_foreign_keys(&self, findings: &mut Findings) -> Result<()> {
        let mut foreign = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = foreign.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (table, rowid, parent) = row?;
            let at = rowid.map(|id| format!(" (row {id})")).unwrap_or_default();
            findings.add(
                "foreign keys",
                format!("a row of {table}{at} points to a missing {parent} row"),
            );
        }
        Ok(())
    }

    /// Every text cell of lookout's tables is UTF-8 (SQLite stores what it
    /// is given; every reader of the store would fail on the cell), and holds
    /// no control character but tabs and line ends (a NUL cuts the cell short
    /// for `sqlite3`).
    fn check_text(&self, findings: &mut Findings) -> Result<()> {
        for (table, keys, texts) in text_columns()? {
            let columns: Vec<String> = keys.iter().chain(&texts).map(|c| quote(c)).collect();
            let sql = format!("SELECT {} FROM {}", columns.join(", "), quote(&table));
            let Ok(mut stmt) = self.conn.prepare(&sql) else {
                continue; // not lookout's table any more: the schema check says so
            };
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                for (index, column) in texts.iter().enumerate() {
                    let ValueRef::Text(bytes) = row.get_ref(keys.len() + index)? else {
                        continue;
                    };
                    let what = match std::str::from_utf8(bytes) {
                        Err(_) => "text that is not UTF-8".to_string(),
                        // Tabs and line ends may stand in text; no other
                        // control character enters by any command.
                        Ok(text) => match text
                            .chars()
                            .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
                        {
                            Some(c) => format!("U+{:04X}, a control character", u32::from(c)),
                            None => continue,
                        },
                    };
                    let key: Vec<String> =
                        (0..keys.len()).map(|k| cell_text(row.get_ref(k))).collect();
                    findings.add(
                        "text",
                        format!(
                            "{table} ({} {}): {column} holds {what}",
                            keys.join(", "),
                            key.join(", ")
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Every journal line reads back as the record it names, so that undo
    /// can put it back, and every entry's time parses.
    fn check_journal(&self, findings: &mut Findings) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT entry, seq, record, key, before, after FROM journal_changes ORDER BY entry, seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (entry, seq): (i64, i64) = (row.get(0)?, row.get(1)?);
            let key = cell_text(row.get_ref(3));
            let place = format!("entry #{entry}, change {seq} ('{}')", echo(&key));
            let Ok(kind) = RecordKind::parse(&cell_text(row.get_ref(2))) else {
                findings.add("journal", format!("{place}: unknown record type"));
                continue;
            };
            for (index, side) in [(4, "before"), (5, "after")] {
                let ValueRef::Text(bytes) = row.get_ref(index)? else {
                    continue;
                };
                let Ok(line) = std::str::from_utf8(bytes) else {
                    continue; // the text check reports it
                };
                let read = match kind {
                    RecordKind::Feed | RecordKind::Inbox => local_key(kind, line),
                    _ => Record::from_line(line).map(|r| (r.kind(), r.key().to_string())),
                };
                match read {
                    Err(e) => findings.add(
                        "journal",
                        format!(
                            "{place}: its {side} line does not read back: {}",
                            e.message()
                        ),
                    ),
                    Ok((read_kind, read_key)) if read_kind != kind || read_key != key => findings
                        .add(
                            "journal",
                            format!("{place}: its {side} line holds another record"),
                        ),
                    Ok(_) => {}
                }
            }
        }
        self.check_journal_times(findings)
    }

    fn check_journal_times(&self, findings: &mut Findings) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, at FROM journal ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let at = cell_text(row.get_ref(1));
            if crate::dates::Timestamp::parse(&at).is_err() {
                let id: i64 = row.get(0)?;
                findings.add(
                    "journal",
                    format!("entry #{id}: its time '{}' does not parse", echo(&at)),
                );
            }
        }
        Ok(())
    }

    /// Actor names and tags hold no invisible or control characters, which
    /// would make two names look alike (`US` and `U\u{200b}S`).
    fn check_names(&self, findings: &mut Findings) -> Result<()> {
        for (what, sql) in [
            ("actor", "SELECT name FROM actors ORDER BY name"),
            ("tag", "SELECT DISTINCT tag FROM watch_tags ORDER BY tag"),
        ] {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let name = cell_text(row.get_ref(0));
                if let Some(c) = name.chars().find(|c| is_unsafe(*c)) {
                    findings.add(
                        "names",
                        format!(
                            "{what} '{}' contains U+{:04X}, a character that does not show, \
                             so it looks like another name",
                            echo(&name),
                            u32::from(c)
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// FTS5's own check of the search indexes (words and trigrams) against
    /// the developments: on the store itself when the snapshot can become a
    /// write, else on a private copy (see the module).
    fn check_search_index(&self, findings: &mut Findings) -> Result<()> {
        // What the check of earlier lookouts left in the temporary directory
        // (issue 26).
        crate::files::remove_stale_check_copies(&std::env::temp_dir());
        match in_place(&self.conn)? {
            InPlace::Checked(found) => {
                found
                    .into_iter()
                    .for_each(|(what, e)| index_differs(findings, what, &e));
                return Ok(());
            }
            InPlace::CannotWrite => {}
        }
        let copied = (|| -> rusqlite::Result<Connection> {
            // An empty name opens SQLite's anonymous temporary database: no
            // name in any directory, no journal or WAL beside it.
            let mut target = Connection::open("")?;
            {
                let backup = Backup::new(&self.conn, &mut target)?;
                while backup.step(-1)? != StepResult::Done {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            Ok(target)
        })();
        let target = match copied {
            Ok(target) => target,
            Err(e) => {
                findings.add(
                    "search index",
                    format!("could not be checked: copying the store failed: {e}"),
                );
                return Ok(());
            }
        };
        open::defend(&target)?;
        for (index, what) in SEARCH_INDEXES {
            if let Err(e) = target.execute(&integrity_check(index), []) {
                index_differs(findings, what, &e);
            }
        }
        Ok(())
    }
}

/// The search indexes, and what a finding calls each.
const SEARCH_INDEXES: [(&str, &str); 2] = [
    ("developments_fts", "search index"),
    ("developments_trigram", "search index of trigrams"),
];

/// FTS5's check of `index`, comparing it with the developments (rank 1:
/// the content table too, not only the index's own consistency).
fn integrity_check(index: &str) -> String {
    format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
}

fn index_differs(findings: &mut Findings, what: &'static str, e: &rusqlite::Error) {
    findings.add(
        what,
        format!(
            "it does not match the developments ({e}): export the tracker and \
             import the export into a new store to rebuild it"
        ),
    );
}

/// What the check on the store itself came to.
enum InPlace {
    /// It ran: the indexes that differ, with FTS5's words.
    Checked(Vec<(&'static str, rusqlite::Error)>),
    /// The snapshot could not become a write (see the module).
    CannotWrite,
}

/// Runs FTS5's check of each search index on `conn`, in its open snapshot,
/// inside a savepoint that is rolled back; `query_only` is lifted for those
/// statements alone. An index that does not match is a finding; any other
/// failure ends the check as an error (a store that fails to read is not
/// called damaged, and the snapshot every check reads is never left).
fn in_place(conn: &Connection) -> rusqlite::Result<InPlace> {
    conn.pragma_update(None, "query_only", false)?;
    let outcome = checked_in_place(conn);
    // A read changes nothing, whatever it runs.
    let restored = conn.pragma_update(None, "query_only", true);
    let outcome = outcome?;
    restored?;
    Ok(outcome)
}

fn checked_in_place(conn: &Connection) -> rusqlite::Result<InPlace> {
    conn.execute_batch("SAVEPOINT check_search_index")?;
    let mut found = Vec::new();
    let mut failed = None;
    let mut outcome = None;
    for (index, what) in SEARCH_INDEXES {
        match conn.execute(&integrity_check(index), []) {
            Ok(_) => {}
            // The snapshot could not take the write lock: the check on a
            // copy answers instead.
            Err(e) if cannot_write(&e) => {
                outcome = Some(InPlace::CannotWrite);
                break;
            }
            // FTS5 says an index differs from what it indexes as damage.
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                found.push((what, e));
            }
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    conn.execute_batch("ROLLBACK TO check_search_index; RELEASE check_search_index")?;
    if let Some(e) = failed {
        return Err(e);
    }
    Ok(outcome.unwrap_or(InPlace::Checked(found)))
}

/// Whether `e` says the store cannot be written from this snapshot now.
fn cannot_write(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked, ReadOnly};
    matches!(
        e.sqlite_error_code(),
        Some(DatabaseBusy | DatabaseLocked | ReadOnly)
    )
}

/// A table's name, its key columns and its TEXT columns.
type TextTable = (String, Vec<String>, Vec<String>);

/// lookout's tables with their key columns and their TEXT columns, as
/// `schema.sql` makes them (the search index's own tables left out).
fn text_columns() -> Result<Vec<TextTable>> {
    let fresh = schema::fresh()?;
    let mut tables = fresh.prepare(
        "SELECT name FROM sqlite_schema
          WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            AND name NOT LIKE 'developments\\_fts%' ESCAPE '\\'
            AND name NOT LIKE 'developments\\_trigram%' ESCAPE '\\'
          ORDER BY name",
    )?;
    let names: Vec<String> = tables
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for table in names {
        let mut columns = fresh.prepare("SELECT name, type, pk FROM pragma_table_info(?1)")?;
        let mut keys: Vec<(i64, String)> = Vec::new();
        let mut texts = Vec::new();
        for column in columns.query_map([&table], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (name, kind, pk) = column?;
            if pk > 0 {
                keys.push((pk, name.clone()));
            }
            if kind.eq_ignore_ascii_case("TEXT") {
                texts.push(name);
            }
        }
        keys.sort();
        let keys = keys.into_iter().map(|(_, name)| name).collect();
        out.push((table, keys, texts));
    }
    Ok(out)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A cell as text for a message, whatever it holds.
fn cell_text(value: rusqlite::Result<ValueRef<'_>>) -> String {
    match value {
        Ok(ValueRef::Text(bytes) | ValueRef::Blob(bytes)) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        Ok(ValueRef::Integer(n)) => n.to_string(),
        Ok(ValueRef::Real(x)) => x.to_string(),
        Ok(ValueRef::Null) | Err(_) => String::new(),
    }
}

/// The kind and key a journal line of a feed or an inbox entry holds (records
/// of this store alone, which `Record` does not read).
fn local_key(kind: RecordKind, line: &str) -> Result<(RecordKind, String)> {
    Ok(match kind {
        RecordKind::Feed => (kind, crate::record::inbox::feed_from_line(line)?.name),
        _ => (
            kind,
            crate::record::inbox::entry_from_line(line)?
                .number
                .to_string(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;
    use crate::store::Access;

    #[test]
    fn a_busy_store_is_an_io_error_saying_try_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let store = Store::open(&path, Access::Write).unwrap();
        store.keep();
        drop(store);
        // A writer that holds the whole file (rollback journal, EXCLUSIVE
        // lock) stops every reader, as a WAL store's readers are stopped
        // while it is recovered.
        let blocker = Connection::open(&path).unwrap();
        blocker
            .execute_batch("PRAGMA journal_mode = DELETE")
            .unwrap();
        let reader = Store::open(&path, Access::Check).unwrap();
        reader.conn.busy_timeout(Duration::from_millis(50)).unwrap();
        blocker
            .execute_batch("BEGIN EXCLUSIVE; INSERT INTO kinds (name) VALUES ('held');")
            .unwrap();
        let err = reader.check().unwrap_err();
        assert_eq!(err.code(), Code::Io);
        assert!(err.message().contains("busy"), "{}", err.message());
        assert_eq!(err.hint(), Some("try again in a moment"));
        assert!(!err.message().contains("rebuild"));
    }
}
