//! Watch items: the questions being followed.

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::stored::{stored_date, stored_slug, stored_time};
use crate::dates::{Timestamp, day_text};
use crate::error::{Error, Result};
use crate::model::{Provenance, WatchItem, WatchSlug};
use crate::record::{self, RecordKind};
use crate::suggest;

impl Store {
    /// The internal key of a watch item, if the slug exists.
    pub(super) fn watch_key(&self, slug: &str) -> Result<Option<i64>> {
        if let Some(key) = self.keys.borrow().watch.get(slug) {
            return Ok(Some(*key));
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM watch_items WHERE slug = ?1")?;
        let key: Option<i64> = stmt.query_row([slug], |r| r.get(0)).optional()?;
        if let Some(key) = key {
            self.keys.borrow_mut().watch.insert(slug.to_string(), key);
        }
        Ok(key)
    }

    /// The internal key of a watch item, or an error that suggests the nearest slug.
    pub(super) fn require_watch_key(&self, slug: &str) -> Result<i64> {
        match self.watch_key(slug)? {
            Some(key) => Ok(key),
            None => Err(self.unknown_watch_item(slug)?),
        }
    }

    /// Refuses any slug that names no watch item.
    pub fn require_watch_items(&self, slugs: &[WatchSlug]) -> Result<()> {
        for slug in slugs {
            self.require_watch_key(slug.as_str())?;
        }
        Ok(())
    }

    fn unknown_watch_item(&self, slug: &str) -> Result<Error> {
        let slugs = self.watch_slugs()?;
        let known: Vec<&str> = slugs.iter().map(String::as_str).collect();
        // In a store that syncs, a colleague may have added it: a second
        // copy added here would lose to theirs as a conflict.
        let add = match self.sync_state()? {
            Some(_) => format!(
                "if a colleague added it, `lookout sync` brings it; else add it with `lookout watch add {slug} TITLE`"
            ),
            None => format!("add it with `lookout watch add {slug} TITLE`"),
        };
        Ok(
            Error::data(format!("unknown watch item '{slug}'")).with_hint(
                match suggest::closest(slug, known.iter().copied()) {
                    Some(near) => format!("did you mean '{near}'?"),
                    None if known.is_empty() => format!("there are no watch items yet; {add}"),
                    None => format!("{}; {add}", suggest::hint(slug, "watch items", &known)),
                },
            ),
        )
    }

    pub fn watch_slugs(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT slug FROM watch_items ORDER BY slug")?;
        let slugs = stmt.query_map([], |r| r.get(0))?;
        Ok(slugs.collect::<rusqlite::Result<_>>()?)
    }

    pub fn watch_item(&self, slug: &str) -> Result<Option<WatchItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, slug, title, description, opened, recorded_by, updated_at, updated_by
               FROM watch_items WHERE slug = ?1",
        )?;
        let row = stmt
            .query_row([slug], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    (
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, String>(4)?,
                    ),
                    (
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ),
                ))
            })
            .optional()?;
        let Some((key, (slug, title, description, opened), (recorded_by, updated_at, updated_by))) =
            row
        else {
            return Ok(None);
        };
        Ok(Some(WatchItem {
            slug: stored_slug(&slug)?,
            title,
            description,
            opened: stored_date(&opened)?,
            tags: self.tags_of(key)?,
            provenance: Provenance {
                recorded_by,
                updated_at: updated_at.as_deref().map(stored_time).transpose()?,
                updated_by,
            },
        }))
    }

    /// A watch item, or an error that suggests the nearest slug.
    pub fn require_watch_item(&self, slug: &str) -> Result<WatchItem> {
        match self.watch_item(slug)? {
            Some(item) => Ok(item),
            None => Err(self.unknown_watch_item(slug)?),
        }
    }

    pub fn watch_items(&self) -> Result<Vec<WatchItem>> {
        self.watch_slugs()?
            .iter()
            .filter_map(|slug| self.watch_item(slug).transpose())
            .collect()
    }

    fn tags_of(&self, key: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM watch_tags WHERE watch_id = ?1 ORDER BY position")?;
        let tags = stmt.query_map([key], |r| r.get(0))?;
        Ok(tags.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a new watch item; its slug must be free.
    pub fn insert_watch_item(&self, item: &WatchItem, now: Timestamp) -> Result<()> {
        if self.watch_key(item.slug.as_str())?.is_some() {
            return Err(
                Error::data(format!("watch item '{}' already exists", item.slug))
                    .with_hint(format!("change it with `lookout watch edit {}`", item.slug)),
            );
        }
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO watch_items (slug, title, description, opened, opened_start, opened_end,
                                      created_at, recorded_by, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        stmt.execute(params![
            item.slug.as_str(),
            item.title,
            item.description,
            item.opened.to_string(),
            day_text(item.opened.start()),
            day_text(item.opened.end()),
            now.to_string(),
            item.provenance.recorded_by,
            item.provenance.updated_at.map(|t| t.to_string()),
            item.provenance.updated_by,
        ])?;
        let key = self.conn.last_insert_rowid();
        self.replace_tags(key, &item.tags)?;
        if self.journaling() {
            let after = record::watch_item_forms(item);
            self.journal_change(RecordKind::Watch, item.slug.as_str(), None, Some(after))?;
        }
        Ok(())
    }

    /// Replaces every field of an existing watch item (found by slug).
    pub fn update_watch_item(&self, item: &WatchItem) -> Result<()> {
        let key = self.require_watch_key(item.slug.as_str())?;
        let before = self.journal_before(RecordKind::Watch, item.slug.as_str())?;
        let mut stmt = self.conn.prepare_cached(
            "UPDATE watch_items
                SET title = ?2, description = ?3, opened = ?4, opened_start = ?5, opened_end = ?6,
                    recorded_by = ?7, updated_at = ?8, updated_by = ?9
              WHERE id = ?1",
        )?;
        stmt.execute(params![
            key,
            item.title,
            item.description,
            item.opened.to_string(),
            day_text(item.opened.start()),
            day_text(item.opened.end()),
            item.provenance.recorded_by,
            item.provenance.updated_at.map(|t| t.to_string()),
            item.provenance.updated_by,
        ])?;
        self.replace_tags(key, &item.tags)?;
        if before.is_some() {
            let after = record::watch_item_forms(item);
            self.journal_change(RecordKind::Watch, item.slug.as_str(), before, Some(after))?;
        }
        Ok(())
    }

    fn replace_tags(&self, key: i64, tags: &[String]) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM watch_tags WHERE watch_id = ?1")?
            .execute([key])?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO watch_tags (watch_id, position, tag) VALUES (?1, ?2, ?3)",
        )?;
        for (position, tag) in tags.iter().enumerate() {
            insert.execute(params![key, position as i64, tag])?;
        }
        Ok(())
    }

    /// How many developments (retracted ones included) are linked to the item.
    pub fn link_count(&self, slug: &str) -> Result<u64> {
        let key = self.require_watch_key(slug)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT count(*) FROM links WHERE watch_id = ?1")?;
        Ok(stmt.query_row([key], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Removes a watch item and its links; the developments stay, their
    /// `watch` text written again without it.
    pub fn remove_watch_item(&self, slug: &str) -> Result<()> {
        let key = self.require_watch_key(slug)?;
        let item_before = self.journal_before(RecordKind::Watch, slug)?;
        let mut affected = self.conn.prepare_cached(
            "SELECT l.development, d.id FROM links l JOIN developments d ON d.key = l.development
              WHERE l.watch_id = ?1",
        )?;
        let developments: Vec<(i64, String)> = affected
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut befores = Vec::new();
        for (_, id) in &developments {
            befores.push(self.journal_before(RecordKind::Development, id)?);
        }
        self.conn
            .prepare_cached("DELETE FROM links WHERE watch_id = ?1")?
            .execute([key])?;
        let mut rewrite = self.conn.prepare_cached(
            "UPDATE developments SET watch = coalesce(
                 (SELECT group_concat(entry, ';')
                    FROM (SELECT w.slug || coalesce('=' || l.status, '') AS entry
                            FROM links l JOIN watch_items w ON w.id = l.watch_id
                           WHERE l.development = ?1 ORDER BY l.position)), '')
              WHERE key = ?1",
        )?;
        for (development, _) in &developments {
            rewrite.execute([development])?;
        }
        // Journaled developments first: undo, going backwards, puts the item
        // back before it relinks them.
        for ((_, id), before) in developments.iter().zip(befores) {
            if before.is_some() {
                let after = self.record_forms(RecordKind::Development, id)?;
                self.journal_change(RecordKind::Development, id, before, after)?;
            }
        }
        self.conn
            .prepare_cached("DELETE FROM watch_items WHERE id = ?1")?
            .execute([key])?;
        self.keys.borrow_mut().watch.remove(slug);
        self.journal_change(RecordKind::Watch, slug, item_before, None)
    }
}
