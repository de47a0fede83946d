//! Developments: writing them with their links and actors (reading them
//! back: `development_reads`).

use std::sync::LazyLock;

use rusqlite::{OptionalExtension, ToSql, params, params_from_iter};

use super::Store;
use super::added::RowDigest;
use crate::dates::day_text;
use crate::error::{Error, Result};
use crate::model::{DevId, Development, Status, WatchLink};
use crate::record::{self, RecordKind, fields};

/// A development's columns in the order of `RowValues::params`, less its
/// free texts, which follow in the order of `fields::texts`, each in the
/// column of its name (schema.sql, `developments`).
#[rustfmt::skip]
const COLUMNS: [&str; 20] = [
    "id", "date", "date_start", "date_end", "precision", "uncertain", "approximate", "kind",
    "headline", "recorded_at", "retracted_at", "retracted_reason", "watch", "actors", "sources",
    "recorded_by", "updated_at", "updated_by", "settled", "scheduled",
];

/// The statements that write a development's row, built once: the statement
/// cache hashes and compares the text of every statement it hands out.
struct Writes {
    /// The row, ?1 on as `RowValues::params`, then its key (NULL: the next).
    insert: String,
    /// `insert`, writing nothing when the id is taken.
    insert_if_new: String,
    /// Every column of the row whose id is ?1, as `RowValues::params`.
    update: String,
    /// `insert` and `LINKS` into the overlay of a store read as known on a
    /// past instant (`known::overlay`), the key given.
    insert_then: String,
    links_then: String,
}

static WRITES: LazyLock<Writes> = LazyLock::new(|| {
    let columns: Vec<&str> = COLUMNS
        .into_iter()
        .chain(fields::texts().map(|(field, _)| field.name))
        .collect();
    let values: Vec<String> = (1..=columns.len() + 1).map(|n| format!("?{n}")).collect();
    let insert_into = |table: &str| {
        format!(
            "INSERT INTO {table} ({}, key) VALUES ({})",
            columns.join(", "),
            values.join(", ")
        )
    };
    let insert = insert_into("developments");
    let set: Vec<String> = (columns.iter().enumerate().skip(1))
        .map(|(n, column)| format!("{column} = ?{}", n + 1))
        .collect();
    Writes {
        insert_if_new: format!("{insert} ON CONFLICT (id) DO NOTHING"),
        insert,
        update: format!("UPDATE developments SET {} WHERE id = ?1", set.join(", ")),
        insert_then: insert_into("temp.known_developments"),
        links_then: LINKS.replacen("INTO links", "INTO temp.known_links", 1),
    }
});

/// `Writes::insert_if_new`.
pub(super) fn insert_if_new() -> &'static str {
    &WRITES.insert_if_new
}

/// A development's link, ?1 to ?10.
const LINKS: &str = "INSERT INTO links
     (development, watch_id, position, status, date_start, date_end, recorded_at,
      retracted, settled, scheduled)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// The `;`-joined lists a development row carries (schema.sql, `developments`).
fn list_texts(dev: &Development) -> (String, String, String) {
    (
        WatchLink::join(&dev.links, ";"),
        dev.actors.join(";"),
        dev.sources.join(";"),
    )
}

impl Store {
    /// An id no development has yet.
    pub fn fresh_id(&self) -> Result<DevId> {
        loop {
            let id = DevId::generate()?;
            if !self.development_exists(&id)? {
                return Ok(id);
            }
        }
    }

    /// Writes a new development. Its kind and watch items must exist.
    pub fn insert_development(&self, dev: &Development) -> Result<()> {
        self.insert_development_keyed(dev, None)
    }

    /// Writes a new development unless its id is taken; its key, or None
    /// when the id is taken (and nothing was written).
    pub fn insert_development_if_new(&self, dev: &Development) -> Result<Option<i64>> {
        self.insert_row(dev, None, insert_if_new())
    }

    /// Writes a new development under `key` (undo gives a development back
    /// the key it had), or the next key when None.
    pub(super) fn insert_development_keyed(
        &self,
        dev: &Development,
        key: Option<i64>,
    ) -> Result<()> {
        self.insert_row(dev, key, &WRITES.insert).map(|_| ())
    }

    /// Whether the store holds any development at all.
    pub fn holds_developments(&self) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM developments LIMIT 1")?;
        Ok(stmt.exists([])?)
    }

    /// Writes a development's row (`sql`: `Writes::insert` or `insert_if_new`),
    /// links and actors, and journals it; its key, or None when the row was
    /// not written.
    pub(super) fn insert_row(
        &self,
        dev: &Development,
        key: Option<i64>,
        sql: &str,
    ) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let values = RowValues::of(dev);
        let written = stmt.execute(params_from_iter(
            values.params().chain([&key as &dyn ToSql]),
        ))?;
        if written == 0 {
            return Ok(None);
        }
        let key = self.conn.last_insert_rowid();
        self.insert_parts(key, &values)?;
        if self.journaling() && !self.journal_addition(key, || values.digest(key)) {
            let after = record::development_forms(dev);
            self.journal_change(RecordKind::Development, dev.id.as_str(), None, Some(after))?;
        }
        Ok(Some(key))
    }

    /// Removes a development and its links and actors (undo of its
    /// addition; lookout otherwise retracts, never deletes). The journal
    /// keeps its key, which undo gives it back.
    pub(super) fn delete_development(&self, id: &DevId) -> Result<()> {
        let before = self.journal_before(RecordKind::Development, id.as_str())?;
        let stored = self.stored_parts(id)?;
        self.conn
            .prepare_cached("DELETE FROM developments WHERE id = ?1")?
            .execute([id.as_str()])?;
        if let Some(stored) = &stored {
            self.count_actors(&stored.actors, stored.retracted, -1)?;
        }
        let key = stored.map(|s| s.key);
        self.journal_change_keyed(RecordKind::Development, id.as_str(), before, None, key)
    }

    /// Replaces an existing development (found by id) with `dev`, every
    /// column, link, actor and source of it.
    pub fn replace_development(&self, dev: &Development) -> Result<()> {
        let before = self.journal_before(RecordKind::Development, dev.id.as_str())?;
        let mut stmt = self.conn.prepare_cached(&WRITES.update)?;
        let stored = self
            .stored_parts(&dev.id)?
            .ok_or_else(|| Error::data(format!("unknown development '{}'", dev.id)))?;
        let values = RowValues::of(dev);
        stmt.execute(params_from_iter(values.params()))?;
        let key = stored.key;
        self.conn
            .prepare_cached("DELETE FROM links WHERE development = ?1")?
            .execute([key])?;
        self.count_actors(&stored.actors, stored.retracted, -1)?;
        self.insert_parts(key, &values)?;
        if before.is_some() {
            let after = record::development_forms(dev);
            self.journal_change(
                RecordKind::Development,
                dev.id.as_str(),
                before,
                Some(after),
            )?;
        }
        Ok(())
    }

    /// What a stored development's replacement or removal must undo beside
    /// its row: its key (its links), its actors and whether it counts.
    fn stored_parts(&self, id: &DevId) -> Result<Option<StoredParts>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, actors, retracted_at IS NOT NULL FROM developments WHERE id = ?1",
        )?;
        Ok(stmt
            .query_row([id.as_str()], |r| {
                Ok(StoredParts {
                    key: r.get(0)?,
                    actors: r.get(1)?,
                    retracted: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// The internal key of a development, if the id exists.
    pub fn development_key(&self, id: &DevId) -> Result<Option<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key FROM developments WHERE id = ?1")?;
        Ok(stmt.query_row([id.as_str()], |r| r.get(0)).optional()?)
    }

    /// Lays a development as it was at a past instant over the store read
    /// as known then (`known::overlay`): its row and links, under `key`, in
    /// the overlay's own tables; the store's are not touched.
    pub(super) fn lay_development(&self, dev: &Development, key: i64) -> Result<()> {
        let values = RowValues::of(dev);
        let mut row = self.conn.prepare_cached(&WRITES.insert_then)?;
        row.execute(params_from_iter(
            values.params().chain([&key as &dyn ToSql]),
        ))?;
        self.insert_links(&WRITES.links_then, key, &values)
    }

    /// Writes a development's links and actors, a row a statement:
    /// a single-row INSERT needs no statement journal, a multi-row one does.
    fn insert_parts(&self, key: i64, values: &RowValues<'_>) -> Result<()> {
        self.insert_links(LINKS, key, values)?;
        let dev = values.dev;
        self.count_actors(&values.lists.1, dev.retracted.is_some(), 1)
    }

    /// Writes a development's links with `sql` (`LINKS`, or `links_then`).
    fn insert_links(&self, sql: &str, key: i64, values: &RowValues<'_>) -> Result<()> {
        let dev = values.dev;
        if dev.links.is_empty() {
            return Ok(());
        }
        let (start, end, recorded_at) = (&values.start, &values.end, &values.recorded_at);
        let mut link = self.conn.prepare_cached(sql)?;
        for (position, l) in dev.links.iter().enumerate() {
            let watch = self.require_watch_key(l.slug.as_str())?;
            link.execute(params![
                key,
                watch,
                position as i64,
                l.to.map(Status::as_str),
                start,
                end,
                recorded_at,
                dev.retracted.is_some(),
                values.settled,
                dev.scheduled,
            ])?;
        }
        Ok(())
    }
}

/// See `Store::stored_parts`.
struct StoredParts {
    key: i64,
    actors: String,
    retracted: bool,
}

/// A development's columns, ?1 on of both the INSERT and the UPDATE.
struct RowValues<'a> {
    dev: &'a Development,
    id: &'a str,
    date: String,
    /// Empty for an open start (schema.sql).
    start: String,
    end: String,
    /// None while scheduled.
    settled: Option<String>,
    precision: &'static str,
    uncertain: bool,
    approximate: bool,
    recorded_at: String,
    retracted_at: Option<String>,
    retracted_reason: Option<&'a str>,
    lists: (String, String, String),
    updated_at: Option<String>,
}

impl<'a> RowValues<'a> {
    fn of(dev: &'a Development) -> RowValues<'a> {
        RowValues {
            dev,
            id: dev.id.as_str(),
            date: dev.date.to_string(),
            start: dev.date.start().map(day_text).unwrap_or_default(),
            end: day_text(dev.date.end()),
            settled: dev.settled().map(day_text),
            precision: dev.date.precision().as_str(),
            uncertain: dev.date.is_uncertain(),
            approximate: dev.date.is_approximate(),
            recorded_at: dev.recorded_at.to_string(),
            retracted_at: dev.retracted.as_ref().map(|r| r.at.to_string()),
            retracted_reason: dev.retracted.as_ref().map(|r| r.reason.as_str()),
            lists: list_texts(dev),
            updated_at: dev.provenance.updated_at.map(|t| t.to_string()),
        }
    }

    /// `COLUMNS`, then the free texts.
    fn params(&self) -> impl Iterator<Item = &dyn ToSql> {
        let columns: [&dyn ToSql; 20] = [
            &self.id,
            &self.date,
            &self.start,
            &self.end,
            &self.precision,
            &self.uncertain,
            &self.approximate,
            &self.dev.kind,
            &self.dev.headline,
            &self.recorded_at,
            &self.retracted_at,
            &self.retracted_reason,
            &self.lists.0,
            &self.lists.1,
            &self.lists.2,
            &self.dev.provenance.recorded_by,
            &self.updated_at,
            &self.dev.provenance.updated_by,
            &self.settled,
            &self.dev.scheduled,
        ];
        let texts = fields::texts().map(|(_, text)| (text.get)(&self.dev.texts) as &dyn ToSql);
        columns.into_iter().chain(texts)
    }

    /// The row's digest, as `added` reads it back from the stored columns.
    fn digest(&self, key: i64) -> u128 {
        let dev = self.dev;
        let mut digest = RowDigest::new(key);
        digest
            .text(Some(self.id))
            .text(Some(&self.date))
            .text(Some(&dev.kind))
            .text(Some(&dev.headline))
            .text(dev.texts.summary.as_deref())
            .text(Some(&self.lists.0))
            .text(Some(&self.lists.1))
            .text(Some(&self.lists.2))
            .text(Some(&self.recorded_at))
            .text(self.retracted_at.as_deref())
            .text(self.retracted_reason)
            .text(dev.provenance.recorded_by.as_deref())
            .text(self.updated_at.as_deref())
            .text(dev.provenance.updated_by.as_deref())
            .int(i64::from(dev.scheduled))
            .later_texts(&dev.texts);
        digest.finish()
    }
}
