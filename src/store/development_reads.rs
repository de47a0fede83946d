//! Developments read back: the columns every reading query selects, and a
//! row of them made a `Development` again.

use std::fmt;

use rusqlite::{Row, params};

use super::Store;
use super::known::sql::Read;
use super::stored::{stored_dev_date, stored_id, stored_slug, stored_status, stored_time};
use crate::error::{Error, Result};
use crate::model::{DevId, Development, Provenance, Retraction, Texts, WatchLink, split_list};
use crate::record::fields;

/// Columns of a development as `read_development` expects them, less its
/// free texts, which follow (`DEVELOPMENT_COLUMNS`).
const READ: &str = "
    d.id, d.date, d.kind, d.headline, d.recorded_at, d.retracted_at, d.retracted_reason,
    d.watch, d.actors, d.sources, d.recorded_by, d.updated_at, d.updated_by, d.scheduled";

/// How many columns `READ` names.
const READ_WIDTH: usize = 14;

/// Columns of a development as `read_development` expects them, written
/// into a statement as `{DEVELOPMENT_COLUMNS}`: `READ`, then the free texts.
pub(super) const DEVELOPMENT_COLUMNS: Columns = Columns;

/// See `DEVELOPMENT_COLUMNS`.
pub(super) struct Columns;

impl fmt::Display for Columns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(READ)?;
        for (field, _) in fields::texts() {
            write!(f, ", d.{}", field.name)?;
        }
        Ok(())
    }
}

/// How many columns `DEVELOPMENT_COLUMNS` reads.
pub(super) const DEVELOPMENT_WIDTH: usize = READ_WIDTH + fields::TEXT_COUNT;

/// Whether a development of an id exists.
static EXISTS: Read = Read::new("SELECT 1 FROM developments d WHERE d.id = ?1 ORDER BY d.id");

/// The ids that begin with a prefix, in order, read off the id index (ids
/// are `[a-z0-9-]`, all below `{`).
static IDS_STARTING: Read = Read::new(
    "SELECT d.id FROM developments d WHERE d.id >= ?1 AND d.id < ?2 ORDER BY d.id LIMIT ?3",
);

/// One development by its id (its columns are known at run time).
static ONE: Read = Read::built(|| {
    format!("SELECT {DEVELOPMENT_COLUMNS} FROM developments d WHERE d.id = ?1 ORDER BY d.id")
});

impl Store {
    /// Whether a development of this id exists, retracted or not.
    pub fn development_exists(&self, id: &DevId) -> Result<bool> {
        Ok(self.prepare_read(&EXISTS)?.exists([id.as_str()])?)
    }

    /// The ids that begin with `prefix`, in order, at most `limit` of them.
    pub fn development_ids_starting(&self, prefix: &str, limit: usize) -> Result<Vec<DevId>> {
        let mut stmt = self.prepare_read(&IDS_STARTING)?;
        let upper = format!("{prefix}{{");
        let ids = stmt.query_map(params![prefix, upper, limit as i64], |r| {
            r.get::<_, String>(0)
        })?;
        ids.map(|id| stored_id(&id?)).collect()
    }

    /// One development, retracted or not.
    pub fn development(&self, id: &DevId) -> Result<Option<Development>> {
        let mut stmt = self.prepare_read(&ONE)?;
        let mut rows = stmt.query([id.as_str()])?;
        match rows.next()? {
            Some(row) => Ok(Some(read_development(row)?)),
            None => Ok(None),
        }
    }

    /// One development, or an error that says how to find ids.
    pub fn require_development(&self, id: &DevId) -> Result<Development> {
        self.development(id)?.ok_or_else(|| {
            Error::data(format!("unknown development '{id}'"))
                .with_hint("`lookout timeline` lists developments with their ids")
        })
    }

    /// Streams every development, retracted ones included, sorted by id.
    pub fn developments_by_id(
        &self,
        mut each: impl FnMut(Development) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DEVELOPMENT_COLUMNS} FROM developments d ORDER BY d.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(read_development(row)?)?;
        }
        Ok(())
    }
}

/// A development from a row of `DEVELOPMENT_COLUMNS`.
pub(super) fn read_development(row: &Row<'_>) -> Result<Development> {
    let id: String = row.get(0)?;
    let date: String = row.get(1)?;
    let recorded_at: String = row.get(4)?;
    let retracted_at: Option<String> = row.get(5)?;
    let retracted_reason: Option<String> = row.get(6)?;
    let watch: String = row.get(7)?;
    let actors: String = row.get(8)?;
    let sources: String = row.get(9)?;
    let updated_at: Option<String> = row.get(11)?;
    let scheduled: bool = row.get(13)?;
    let mut texts = Texts::default();
    for (n, (_, text)) in fields::texts().enumerate() {
        *(text.slot)(&mut texts) = row.get(READ_WIDTH + n)?;
    }
    let links = split_list(&watch)
        .map(|entry| {
            let (slug, to) = match entry.split_once('=') {
                Some((slug, status)) => (slug, Some(status)),
                None => (entry, None),
            };
            Ok(WatchLink {
                slug: stored_slug(slug)?,
                to: to.map(stored_status).transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let retracted = match (retracted_at, retracted_reason) {
        (Some(at), Some(reason)) => Some(Retraction {
            at: stored_time(&at)?,
            reason,
        }),
        _ => None,
    };
    Ok(Development {
        id: stored_id(&id)?,
        date: stored_dev_date(&date)?,
        kind: row.get(2)?,
        headline: row.get(3)?,
        texts,
        links,
        actors: split_list(&actors).map(str::to_string).collect(),
        sources: split_list(&sources).map(str::to_string).collect(),
        recorded_at: stored_time(&recorded_at)?,
        scheduled,
        retracted,
        provenance: Provenance {
            recorded_by: row.get(10)?,
            updated_at: updated_at.as_deref().map(stored_time).transpose()?,
            updated_by: row.get(12)?,
        },
    })
}
