//! What `lookout changes` reads, streamed: the window's lists can hold
//! every development of the store (a window of years), so each is handed
//! over row by row, and read again when a report needs it twice. The queries
//! it shares with `changes.rs` (an item's last setting, its arrivals, a
//! selection of developments) are built there.

use chrono::{Days, NaiveDate};
use rusqlite::{OptionalExtension, ToSql, params, params_from_iter};

use super::Store;
use super::changes::{ARRIVALS, LAST_SETTING, LATE_NEWS};
use super::development_reads::{DEVELOPMENT_COLUMNS, DEVELOPMENT_WIDTH, read_development};
use super::known::sql::{Read, in_overlay, in_store};
use super::selection::{ItemFilter, placeholders};
use super::stored::{stored_dev_date, stored_id, stored_status};
use crate::dates::day_text;
use crate::error::Result;
use crate::model::{Arrival, Development, ItemFacts, Status, WatchSlug, WindowSetting};

/// A position in timeline order, as stored.
type Position = (String, String, String, String);

/// How many of an item's links settled in a window: the index alone.
static WINDOW_COUNT: Read = Read::by_hand(
    "SELECT count(*) FROM links l INDEXED BY links_settled
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0
        AND l.settled > ?2 AND l.settled <= ?3",
    "SELECT (SELECT count(*) FROM main.links l INDEXED BY links_settled
              WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0
                AND l.settled > ?2 AND l.settled <= ?3
                AND l.development NOT IN temp.known_gone)
          + (SELECT count(*) FROM temp.known_links l
              WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0
                AND l.settled > ?2 AND l.settled <= ?3)",
);

/// Those of them that set a status, with their developments' dates and ids,
/// and their positions in timeline order.
static WINDOW_SETTINGS: Read = Read::new(
    "SELECT l.status, d.date, d.id, l.date_start, l.date_end, l.recorded_at
       FROM links l INDEXED BY links_settled JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0
        AND l.settled > ?2 AND l.settled <= ?3 AND l.status IS NOT NULL
      ORDER BY l.date_start, l.date_end, l.recorded_at, d.id",
);

impl Store {
    /// Each item opened by `until` that the filter keeps (sorted by slug),
    /// with its facts as of `since` and as of `until`. Unknown slugs and tags
    /// are refused.
    pub fn window_items(
        &self,
        since: NaiveDate,
        until: NaiveDate,
        filter: &ItemFilter,
    ) -> Result<Vec<(ItemFacts, ItemFacts)>> {
        self.require_watch_items(&filter.watch)?;
        self.require_tags(&filter.tags)?;
        self.selected_items(until, filter)?
            .iter()
            .map(|item| Ok((self.facts_of(item, since)?, self.facts_of(item, until)?)))
            .collect()
    }

    /// The item's developments settled in (`since`, `until`], in timeline
    /// order, each with the status its link sets: one range of `links_settled`.
    pub fn window_arrivals(
        &self,
        slug: &WatchSlug,
        since: NaiveDate,
        until: NaiveDate,
        mut each: impl FnMut(Arrival) -> Result<()>,
    ) -> Result<()> {
        let key = self.require_watch_key(slug.as_str())?;
        let last: Option<Position> = self
            .prepare_read(&LAST_SETTING)?
            .query_row(params![key, day_text(since)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let mut stmt = self.prepare_read(&ARRIVALS)?;
        let mut rows = stmt.query(params![key, day_text(since), day_text(until)])?;
        while let Some(row) = rows.next()? {
            let dev = read_development(row)?;
            let status: Option<String> = row.get(DEVELOPMENT_WIDTH)?;
            let position: Position = (
                row.get(DEVELOPMENT_WIDTH + 1)?,
                row.get(DEVELOPMENT_WIDTH + 2)?,
                row.get(DEVELOPMENT_WIDTH + 3)?,
                dev.id.to_string(),
            );
            each(Arrival {
                to: status.as_deref().map(Status::parse).transpose()?,
                after_settled_status: last.as_ref().is_none_or(|last| position > *last),
                dev,
            })?;
        }
        Ok(())
    }

    /// Of the item's links settled in (`since`, `until`], those that set a
    /// status, in timeline order, with their developments' dates and ids;
    /// returns how many links settled in the window in all. Two reads of the
    /// window's range of `links_settled`: the count from the index alone,
    /// and the settings with only their developments read.
    pub fn window_settings(
        &self,
        slug: &WatchSlug,
        since: NaiveDate,
        until: NaiveDate,
        mut each: impl FnMut(WindowSetting) -> Result<()>,
    ) -> Result<u64> {
        let count = self.window_count(slug, since, until)?;
        let key = self.require_watch_key(slug.as_str())?;
        let window = params![key, day_text(since), day_text(until)];
        let last: Option<Position> = self
            .prepare_read(&LAST_SETTING)?
            .query_row(params![key, day_text(since)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let mut stmt = self.prepare_read(&WINDOW_SETTINGS)?;
        let mut rows = stmt.query(window)?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(2)?;
            let position: Position = (row.get(3)?, row.get(4)?, row.get(5)?, id.clone());
            each(WindowSetting {
                to: stored_status(&row.get::<_, String>(0)?)?,
                date: stored_dev_date(&row.get::<_, String>(1)?)?,
                id: stored_id(&id)?,
                after_settled_status: last.as_ref().is_none_or(|last| position > *last),
            })?;
        }
        Ok(count)
    }

    /// How many of the item's links settled in (`since`, `until`]: the
    /// window's range of `links_settled`, nothing else read.
    pub fn window_count(
        &self,
        slug: &WatchSlug,
        since: NaiveDate,
        until: NaiveDate,
    ) -> Result<u64> {
        let key = self.require_watch_key(slug.as_str())?;
        let count: i64 = self
            .prepare_read(&WINDOW_COUNT)?
            .query_row(params![key, day_text(since), day_text(until)], |r| r.get(0))?;
        Ok(count.unsigned_abs())
    }

    /// The developments that came to count in (`since`, `until`] for an item
    /// the filter keeps among those opened by `until`, each once, in
    /// timeline order: what a window's drawing shows. The links settled in
    /// the window are found first (`links_settled`), then their
    /// developments, so a week costs what the week holds.
    pub fn window_developments(
        &self,
        since: NaiveDate,
        until: NaiveDate,
        filter: &ItemFilter,
        mut each: impl FnMut(Development) -> Result<()>,
    ) -> Result<()> {
        let keys: Vec<i64> = self
            .selected_items(until, filter)?
            .iter()
            .map(|item| item.key)
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        let sql = window_developments_sql(keys.len(), self.overlaid());
        let mut values: Vec<Box<dyn ToSql>> = keys
            .iter()
            .map(|key| Box::new(*key) as Box<dyn ToSql>)
            .collect();
        values.push(Box::new(day_text(since)));
        values.push(Box::new(day_text(until)));
        let mut stmt = self.prepare_knowing(&sql)?;
        let mut rows = stmt.query(params_from_iter(self.bound(&values)))?;
        while let Some(row) = rows.next()? {
            each(read_development(row)?)?;
        }
        Ok(())
    }

    /// The late news of a window, streamed: developments recorded (UTC day)
    /// in (`since`, `until`] that counted at `since` already, in timeline
    /// order; with a filter, only those linked to an item it keeps among
    /// those opened by `until`.
    pub fn late_news_each(
        &self,
        since: NaiveDate,
        until: NaiveDate,
        filter: &ItemFilter,
        each: impl FnMut(Development) -> Result<()>,
    ) -> Result<()> {
        let window = vec![
            Box::new(day_text(since + Days::new(1))) as Box<dyn ToSql>,
            Box::new(day_text(until + Days::new(1))),
            Box::new(day_text(since)),
        ];
        self.developments_where(LATE_NEWS, window, until, filter, each)
    }
}

/// The developments with a link to one of `items` watch items settled in a
/// window: the window's range of `links_settled` for each item, then each
/// development by its key; only the window's rows are sorted. Laid over
/// (`known::overlay`), the same from the store (less what is set aside)
/// and from the overlay, merged in timeline order.
fn window_developments_sql(items: usize, laid_over: bool) -> String {
    let part = |order: &str| {
        format!(
            "SELECT {DEVELOPMENT_COLUMNS}{order}
               FROM (SELECT DISTINCT l.development AS key FROM links l INDEXED BY links_settled
                      WHERE l.watch_id IN ({}) AND l.retracted = 0 AND l.scheduled = 0
                        AND l.settled > ? AND l.settled <= ?) AS arrived
              CROSS JOIN developments d ON d.key = arrived.key",
            placeholders(items)
        )
    };
    if !laid_over {
        return part("") + " ORDER BY d.date_start, d.date_end, d.recorded_at, d.id";
    }
    let carried = part(", d.date_start AS o1, d.date_end AS o2, d.recorded_at AS o3, d.id AS o4");
    format!(
        "{} UNION ALL {} ORDER BY o1, o2, o3, o4",
        in_store(&carried.replace(
            "AND l.settled <= ?) AS arrived",
            "AND l.settled <= ? AND l.development NOT IN temp.known_gone) AS arrived",
        ))
        .replace(
            "CROSS JOIN developments d",
            "CROSS JOIN main.developments d"
        ),
        in_overlay(&carried).replace(
            "CROSS JOIN developments d",
            "CROSS JOIN temp.known_developments d"
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::store::{Access, Store};

    #[test]
    fn the_windows_developments_are_read_through_index_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let plan = store
            .query_plan(&super::window_developments_sql(3, false))
            .unwrap();
        // Scanning the window's own rows is what it is for.
        assert!(!plan.replace("SCAN arrived", "").contains("SCAN"), "{plan}");
        for read in [&super::WINDOW_COUNT, &super::WINDOW_SETTINGS] {
            let plan = store.query_plan(read.plain()).unwrap();
            assert!(!plan.contains("SCAN"), "{plan}");
        }
        // Laid over, the store's part reads the same range of links_settled.
        store.lay_empty_overlay().unwrap();
        let sql = super::window_developments_sql(3, true);
        let plan = store.query_plan_knowing(&sql).unwrap();
        assert!(plan.contains("links_settled"), "{plan}");
        assert!(plan.contains("known_"), "{plan}");
        for read in [&super::WINDOW_COUNT, &super::WINDOW_SETTINGS] {
            let plan = store.query_plan_knowing(read.sql(&store)).unwrap();
            assert!(plan.contains("INDEX links_settled"), "{plan}");
            assert!(plan.contains("known_"), "{plan}");
        }
    }
}
