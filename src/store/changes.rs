//! What `lookout changes` reads: each watch item as of two dates and the
//! developments that came to count between them, news recorded between them
//! about earlier dates, and what is scheduled.
//!
//! A window is (`since`, `until`]: a development that settled on `since`
//! counted already, one that settled on `until` came to count in it. Every
//! query reads an index range of its own (schema.sql: `links_settled`,
//! `developments_recorded`, `developments_scheduled`), so a month's window
//! costs what the month holds, not what the store holds.

use chrono::NaiveDate;
use rusqlite::{ToSql, params_from_iter};

use super::Store;
use super::development_reads::{DEVELOPMENT_COLUMNS, read_development};
use super::known::sql::Read;
use super::selection::{ItemFilter, linked_to, placeholders};
use crate::error::Result;
use crate::model::Development;

/// The timeline position of an item's last status setting that counted by a
/// day: `date_start, date_end, recorded_at, id`.
pub(super) static LAST_SETTING: Read = Read::new(
    "SELECT l.date_start, l.date_end, l.recorded_at, d.id
       FROM links l INDEXED BY links_timeline JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0 AND l.status IS NOT NULL
        AND l.date_start <= ?2 AND l.settled <= ?2
      ORDER BY l.date_start DESC, l.date_end DESC, l.recorded_at DESC, d.id DESC
      LIMIT 1",
);

/// An item's links settled in a window, with their developments: one range
/// of `links_settled`; only the window's rows are sorted.
pub(super) static ARRIVALS: Read = Read::built(arrivals_plain);

fn arrivals_plain() -> String {
    format!(
        "SELECT {DEVELOPMENT_COLUMNS}, l.status, l.date_start, l.date_end, l.recorded_at
           FROM links l INDEXED BY links_settled JOIN developments d ON d.key = l.development
          WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0
            AND l.settled > ?2 AND l.settled <= ?3
          ORDER BY l.date_start, l.date_end, l.recorded_at, d.id"
    )
}

impl Store {
    /// Every scheduled development, in timeline order; with a filter, only
    /// those linked to an item it keeps among those opened by `until`.
    pub fn scheduled_developments(
        &self,
        until: NaiveDate,
        filter: &ItemFilter,
    ) -> Result<Vec<Development>> {
        let mut out = Vec::new();
        self.developments_where(SCHEDULED, Vec::new(), until, filter, |dev| {
            out.push(dev);
            Ok(())
        })?;
        Ok(out)
    }

    /// Developments not retracted that meet `query`'s condition (`values`
    /// bind its parameters), in timeline order, linked to an item the filter
    /// keeps among those opened by `until` unless it keeps all.
    pub(super) fn developments_where(
        &self,
        query: Where,
        mut values: Vec<Box<dyn ToSql>>,
        until: NaiveDate,
        filter: &ItemFilter,
        mut each: impl FnMut(Development) -> Result<()>,
    ) -> Result<()> {
        let mut linked = None;
        if !filter.is_all() {
            let keys: Vec<i64> = self
                .selected_items(until, filter)?
                .iter()
                .map(|item| item.key)
                .collect();
            if keys.is_empty() {
                return Ok(());
            }
            let (sql, more) = linked_to(&placeholders(keys.len()), || {
                keys.iter()
                    .map(|key| Box::new(*key) as Box<dyn ToSql>)
                    .collect()
            });
            linked = Some(sql);
            values.extend(more);
        }
        let sql = query.sql(linked.as_deref());
        let (sql, values) = self.laid_over(sql, &values);
        let mut stmt = self.prepare_knowing(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        while let Some(row) = rows.next()? {
            each(read_development(row)?)?;
        }
        Ok(())
    }
}

/// A selection of developments: the index SQLite is to read them by, and
/// the condition they meet.
#[derive(Debug, Clone, Copy)]
pub(super) struct Where {
    index: &'static str,
    condition: &'static str,
}

impl Where {
    /// The query, with `linked` (a `linked_to` condition) when there is one.
    fn sql(self, linked: Option<&str>) -> String {
        let Where { index, condition } = self;
        let linked = linked.map(|sql| format!(" AND {sql}")).unwrap_or_default();
        format!(
            "SELECT {DEVELOPMENT_COLUMNS} FROM developments d INDEXED BY {index}
              WHERE d.retracted_at IS NULL AND {condition}{linked}
              ORDER BY d.date_start, d.date_end, d.recorded_at, d.id"
        )
    }
}

/// The scheduled developments. Named, or SQLite reads the whole timeline
/// index in the same order instead of the few scheduled developments.
const SCHEDULED: Where = Where {
    index: "developments_scheduled",
    condition: "d.scheduled = 1",
};

/// The late news of a window: developments recorded (UTC day) from the first
/// value up to the second that counted at the third already.
pub(super) const LATE_NEWS: Where = Where {
    index: "developments_recorded",
    condition: "d.recorded_at >= ? AND d.recorded_at < ? AND d.scheduled = 0 AND d.settled <= ?",
};

#[cfg(test)]
mod tests {
    use super::{ARRIVALS, LAST_SETTING, LATE_NEWS, SCHEDULED, linked_to};
    use crate::store::known::sql::overlaid;
    use crate::store::{Access, Store};

    /// The window's reads, as the store runs them, and laid over.
    fn reads() -> Vec<(String, String)> {
        let items = linked_to("?", Vec::new).0;
        let late = LATE_NEWS.sql(Some(&items));
        let scheduled = SCHEDULED.sql(None);
        [
            LAST_SETTING.plain().to_string(),
            ARRIVALS.plain().to_string(),
            late,
            scheduled,
        ]
        .into_iter()
        .map(|sql| (overlaid(&sql), sql))
        .collect()
    }

    #[test]
    fn the_window_queries_read_index_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        for (_, sql) in reads() {
            let plan = store.query_plan(&sql).unwrap();
            // The partial index of scheduled developments holds only them.
            let plan = plan.replace("SCAN d USING INDEX developments_scheduled", "");
            assert!(!plan.contains("SCAN"), "{plan}");
        }
    }

    #[test]
    fn the_window_queries_laid_over_read_the_store_through_the_same_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let plain: Vec<String> = reads()
            .iter()
            .map(|(_, sql)| store.query_plan(sql).unwrap())
            .collect();
        store.lay_empty_overlay().unwrap();
        for ((over, _), plain) in reads().iter().zip(plain) {
            let plan = store.query_plan_knowing(over).unwrap();
            let index = plain
                .split_whitespace()
                .find(|word| word.starts_with("links_") || word.starts_with("developments_"))
                .unwrap();
            assert!(plan.contains(&format!("INDEX {index}")), "{plain}\n{plan}");
            assert!(plan.contains("known_"), "{plan}");
        }
    }
}
