//! Which watch items a report covers (`--watch`, `--tag`), and the SQL that
//! keeps developments linked to some of them.

use chrono::NaiveDate;
use rusqlite::{ToSql, params_from_iter};

use super::Store;
use super::stored::{stored_date, stored_slug};
use crate::dates::{PartialDate, day_text};
use crate::error::{Error, Result};
use crate::model::WatchSlug;
use crate::suggest;

/// Which watch items a report covers: the named ones (any of them) and
/// those carrying a tag (any of them); with both, items that are both.
/// Empty: every item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub watch: Vec<WatchSlug>,
    pub tags: Vec<String>,
}

impl ItemFilter {
    /// Whether the filter keeps every item.
    pub fn is_all(&self) -> bool {
        self.watch.is_empty() && self.tags.is_empty()
    }
}

/// A watch item a report covers, as the store keys it.
pub(super) struct SelectedItem {
    pub key: i64,
    pub slug: WatchSlug,
    pub title: String,
    pub description: Option<String>,
    pub opened: PartialDate,
}

impl Store {
    /// Refuses a tag that no watch item carries, suggesting the nearest.
    pub fn require_tags(&self, tags: &[String]) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM watch_tags WHERE tag = ?1")?;
        for tag in tags {
            if stmt.exists([tag])? {
                continue;
            }
            let mut all = self
                .conn
                .prepare_cached("SELECT DISTINCT tag FROM watch_tags ORDER BY tag")?;
            let known: Vec<String> = all
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            return Err(Error::data(format!("no watch item is tagged '{tag}'"))
                .with_hint(suggest::hint(tag, "tags", &known)));
        }
        Ok(())
    }

    /// The items the filter keeps among those opened by `present_by`, sorted
    /// by slug. Unknown slugs and tags are the caller's to refuse first.
    pub(super) fn selected_items(
        &self,
        present_by: NaiveDate,
        filter: &ItemFilter,
    ) -> Result<Vec<SelectedItem>> {
        let mut sql =
            "SELECT id, slug, title, description, opened FROM watch_items WHERE opened_start <= ?"
                .to_string();
        let mut values: Vec<Box<dyn ToSql>> = vec![Box::new(day_text(present_by))];
        if !filter.watch.is_empty() {
            sql.push_str(&format!(
                " AND slug IN ({})",
                placeholders(filter.watch.len())
            ));
            values.extend(text_values(filter.watch.iter().map(WatchSlug::as_str)));
        }
        if !filter.tags.is_empty() {
            sql.push_str(&format!(
                " AND id IN (SELECT watch_id FROM watch_tags WHERE tag IN ({}))",
                placeholders(filter.tags.len())
            ));
            values.extend(text_values(filter.tags.iter().map(String::as_str)));
        }
        sql.push_str(" ORDER BY slug");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(values.iter()), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(key, slug, title, description, opened)| {
                Ok(SelectedItem {
                    key,
                    slug: stored_slug(&slug)?,
                    title,
                    description,
                    opened: stored_date(&opened)?,
                })
            })
            .collect()
    }
}

/// The condition that a development `d` is linked to one of `items` (an SQL
/// expression selecting watch item ids, whose placeholders take `values`),
/// with the values to bind. Retracted developments are left out by every
/// query that uses it, so only links that are not retracted are read: two
/// partial indexes (schema.sql, `links_timeline` and `links_scheduled`) hold
/// them by item, and a million-development store is never scanned for them.
pub(super) fn linked_to(
    items: &str,
    values: impl Fn() -> Vec<Box<dyn ToSql>>,
) -> (String, Vec<Box<dyn ToSql>>) {
    let sql = format!(
        "d.key IN (SELECT l.development FROM links l
                    WHERE l.retracted = 0 AND l.scheduled = 0 AND l.watch_id IN ({items})
                   UNION ALL
                   SELECT l.development FROM links l
                    WHERE l.retracted = 0 AND l.scheduled = 1 AND l.watch_id IN ({items}))"
    );
    let mut bound = values();
    bound.extend(values());
    (sql, bound)
}

pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

pub(super) fn text_values<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<Box<dyn ToSql>> {
    texts
        .map(|t| Box::new(t.to_string()) as Box<dyn ToSql>)
        .collect()
}
