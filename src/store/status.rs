//! What the status report needs of each watch item as of a date.
//!
//! A development counts as of a day when it is not retracted, not scheduled
//! and settled by that day (schema.sql). Every query here reads one item's
//! part of a `links_*` index or its `watch_stats` row; none visits the item's
//! developments one by one, and none reads more status changes than the
//! current run.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use super::known::sql::Read;
use super::selection::{ItemFilter, SelectedItem};
use super::stored::{stored_day, stored_dev_date, stored_id, stored_status};
use crate::dates::{DevDate, day_text};
use crate::error::Result;
use crate::model::{
    ItemFacts, PossibleChange, ScheduledDevelopment, StatusChange, StatusSetting, WatchSlug,
};

/// What the item's links that may count add up to, whatever the date.
static ALL_TOTALS: Read = Read::by_hand(
    "SELECT developments, latest_settled FROM watch_stats WHERE watch_id = ?1",
    // The totals as they stood, for the items whose links differ.
    "SELECT developments, latest_settled FROM (
         SELECT 0 AS o, developments, latest_settled FROM temp.known_stats WHERE watch_id = ?1
         UNION ALL
         SELECT 1, developments, latest_settled FROM main.watch_stats WHERE watch_id = ?1
         ORDER BY o LIMIT 1)",
);

/// The first and the latest settled day among an item's links that may
/// count, by a date: two seeks in `links_settled`.
static SETTLED_RANGE: Read = Read::by_hand(
    "SELECT (SELECT min(settled) FROM links
              WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0),
            (SELECT max(settled) FROM links
              WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled <= ?2)",
    "SELECT min(first), max(latest) FROM (
         SELECT (SELECT settled FROM main.links INDEXED BY links_settled
                  WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0
                    AND development NOT IN temp.known_gone
                  ORDER BY settled LIMIT 1) AS first,
                (SELECT settled FROM main.links INDEXED BY links_settled
                  WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled <= ?2
                    AND development NOT IN temp.known_gone
                  ORDER BY settled DESC LIMIT 1) AS latest
         UNION ALL
         SELECT min(settled), max(CASE WHEN settled <= ?2 THEN settled END)
           FROM temp.known_links WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0)",
);

/// How many of an item's links that may count had settled by a date.
static SETTLED_BY: Read = Read::by_hand(
    "SELECT count(*) FROM links
      WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled <= ?2",
    "SELECT (SELECT count(*) FROM main.links INDEXED BY links_settled
              WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled <= ?2
                AND development NOT IN temp.known_gone)
          + (SELECT count(*) FROM temp.known_links
              WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled <= ?2)",
);

/// How many settled after it.
static SETTLED_AFTER: Read = Read::by_hand(
    "SELECT count(*) FROM links
      WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled > ?2",
    "SELECT (SELECT count(*) FROM main.links INDEXED BY links_settled
              WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled > ?2
                AND development NOT IN temp.known_gone)
          + (SELECT count(*) FROM temp.known_links
              WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0 AND settled > ?2)",
);

/// The counted links of an item that set a status, newest first.
static STATUS_CHANGES: Read = Read::new(
    "SELECT l.status, d.date
       FROM links l INDEXED BY links_timeline JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0 AND l.status IS NOT NULL
        AND l.date_start <= ?2 AND l.settled <= ?2
      ORDER BY l.date_start DESC, l.date_end DESC, l.recorded_at DESC, d.id DESC",
);

/// Every counted status setting of an item, in timeline order, with its development.
static STATUS_SETTINGS: Read = Read::new(
    "SELECT l.status, d.date, d.id, d.headline
       FROM links l INDEXED BY links_timeline JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0 AND l.status IS NOT NULL
        AND l.date_start <= ?2 AND l.settled <= ?2
      ORDER BY l.date_start, l.date_end, l.recorded_at, d.id",
);

/// The item's last counted development in timeline order.
static LAST_COUNTED: Read = Read::new(
    "SELECT d.date, d.headline
       FROM links l INDEXED BY links_timeline JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0
        AND l.date_start <= ?2 AND l.settled <= ?2
      ORDER BY l.date_start DESC, l.date_end DESC, l.recorded_at DESC, d.id DESC
      LIMIT 1",
);

/// The last link in timeline order that sets a status, among the item's
/// developments that have happened or may have happened by the date (not
/// scheduled, interval started): what a provisional status is made of.
static LATEST_POSSIBLE: Read = Read::new(
    "SELECT l.status, d.id, l.settled
       FROM links l INDEXED BY links_timeline JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 0 AND l.status IS NOT NULL
        AND l.date_start <= ?2
      ORDER BY l.date_start DESC, l.date_end DESC, l.recorded_at DESC, d.id DESC
      LIMIT 1",
);

/// The item's scheduled developments, in timeline order.
static SCHEDULED: Read = Read::new(
    "SELECT d.id, d.date, d.headline
       FROM links l INDEXED BY links_scheduled JOIN developments d ON d.key = l.development
      WHERE l.watch_id = ?1 AND l.retracted = 0 AND l.scheduled = 1
      ORDER BY l.date_start, l.date_end, l.recorded_at, d.id",
);

impl Store {
    /// The facts of every watch item opened by `as_of` that the filter
    /// keeps, sorted by slug, as of `as_of`. Unknown slugs and tags are refused.
    pub fn item_facts(&self, as_of: NaiveDate, filter: &ItemFilter) -> Result<Vec<ItemFacts>> {
        self.require_watch_items(&filter.watch)?;
        self.require_tags(&filter.tags)?;
        self.selected_items(as_of, filter)?
            .iter()
            .map(|item| self.facts_of(item, as_of))
            .collect()
    }

    /// One item's facts as of `as_of`, whenever it was opened.
    pub(super) fn facts_of(&self, item: &SelectedItem, as_of: NaiveDate) -> Result<ItemFacts> {
        let day = day_text(as_of);
        let (developments, latest_settled) = self.counted_totals(item.key, &day)?;
        Ok(ItemFacts {
            slug: item.slug.clone(),
            title: item.title.clone(),
            description: item.description.clone(),
            opened: item.opened,
            changes: self.status_changes(item.key, &day)?,
            developments,
            last: self.last_counted(item.key, &day)?,
            latest_settled,
            latest_possible: self.latest_possible(item.key, &day)?,
            scheduled: self.scheduled(item.key)?,
        })
    }

    /// Every status an item's counted developments set as of `as_of`, in
    /// timeline order (a dossier's status history), streamed: an item with a
    /// million developments may have a hundred thousand.
    pub fn status_settings_each(
        &self,
        slug: &WatchSlug,
        as_of: NaiveDate,
        mut each: impl FnMut(StatusSetting) -> Result<()>,
    ) -> Result<()> {
        let key = self.require_watch_key(slug.as_str())?;
        let mut stmt = self.prepare_read(&STATUS_SETTINGS)?;
        let mut rows = stmt.query(params![key, day_text(as_of)])?;
        while let Some(row) = rows.next()? {
            let text = |index: usize| row.get::<_, String>(index);
            each(StatusSetting {
                to: stored_status(&text(0)?)?,
                date: stored_dev_date(&text(1)?)?,
                id: stored_id(&text(2)?)?,
                headline: text(3)?,
            })?;
        }
        Ok(())
    }

    fn counted_totals(&self, key: i64, day: &str) -> Result<(u64, Option<NaiveDate>)> {
        let mut all = self.prepare_read(&ALL_TOTALS)?;
        let totals = all
            .query_row([key], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .optional()?;
        match totals {
            None | Some((0, _)) | Some((_, None)) => Ok((0, None)),
            // Every link that may count has settled by the report date: the totals hold.
            Some((count, Some(latest))) if latest.as_str() <= day => {
                Ok((count as u64, Some(stored_day(&latest)?)))
            }
            Some((total, Some(latest))) => self.counted_by(key, day, total, &latest),
        }
    }

    /// The totals as of a day before the item's latest settled day. Counting
    /// reads one index entry per link, so the links on the nearer side of the
    /// day (by dates, a stand-in for how many lie there) are counted: those
    /// settled by it, or those after it, taken from the total. A report of a
    /// recent date, as `changes` makes, so counts a few weeks, not years.
    fn counted_by(
        &self,
        key: i64,
        day: &str,
        total: i64,
        latest: &str,
    ) -> Result<(u64, Option<NaiveDate>)> {
        let (first, latest_by): (Option<String>, Option<String>) = self
            .prepare_read(&SETTLED_RANGE)?
            .query_row(params![key, day], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let (Some(first), Some(latest_by)) = (first, latest_by) else {
            return Ok((0, None));
        };
        let (first, report, latest) = (stored_day(&first)?, stored_day(day)?, stored_day(latest)?);
        let count = if report - first <= latest - report {
            let mut stmt = self.prepare_read(&SETTLED_BY)?;
            stmt.query_row(params![key, day], |r| r.get::<_, i64>(0))?
        } else {
            let mut stmt = self.prepare_read(&SETTLED_AFTER)?;
            total - stmt.query_row(params![key, day], |r| r.get::<_, i64>(0))?
        };
        Ok((count.max(0) as u64, Some(stored_day(&latest_by)?)))
    }

    /// The item's status changes from the start of the current run on,
    /// oldest first: read newest first, stopping at the first other status,
    /// since nothing earlier can change the fold's result.
    fn status_changes(&self, key: i64, day: &str) -> Result<Vec<StatusChange>> {
        let mut stmt = self.prepare_read(&STATUS_CHANGES)?;
        let mut rows = stmt.query(params![key, day])?;
        let mut run: Vec<StatusChange> = Vec::new();
        while let Some(row) = rows.next()? {
            let to = stored_status(text_at(row, 0)?)?;
            if run.first().is_some_and(|newest| newest.to != to) {
                break;
            }
            run.push(StatusChange {
                to,
                date: stored_dev_date(text_at(row, 1)?)?,
            });
        }
        run.reverse();
        Ok(run)
    }

    fn last_counted(&self, key: i64, day: &str) -> Result<Option<(DevDate, String)>> {
        let mut stmt = self.prepare_read(&LAST_COUNTED)?;
        let row = stmt
            .query_row(params![key, day], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?;
        row.map(|(date, headline)| Ok((stored_dev_date(&date)?, headline)))
            .transpose()
    }

    fn latest_possible(&self, key: i64, day: &str) -> Result<Option<PossibleChange>> {
        let mut stmt = self.prepare_read(&LATEST_POSSIBLE)?;
        let row = stmt
            .query_row(params![key, day], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        row.map(|(to, id, settled)| {
            Ok(PossibleChange {
                to: stored_status(&to)?,
                id: stored_id(&id)?,
                settled: stored_day(&settled)?,
            })
        })
        .transpose()
    }

    fn scheduled(&self, key: i64) -> Result<Vec<ScheduledDevelopment>> {
        let mut stmt = self.prepare_read(&SCHEDULED)?;
        let rows = stmt
            .query_map([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, date, headline)| {
                Ok(ScheduledDevelopment {
                    id: stored_id(&id)?,
                    date: stored_dev_date(&date)?,
                    headline,
                })
            })
            .collect()
    }
}

fn text_at<'r>(row: &'r Row<'_>, index: usize) -> Result<&'r str> {
    Ok(row.get_ref(index)?.as_str().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::{
        ALL_TOTALS, LAST_COUNTED, LATEST_POSSIBLE, SCHEDULED, SETTLED_AFTER, SETTLED_BY,
        SETTLED_RANGE, STATUS_CHANGES, STATUS_SETTINGS,
    };
    use crate::store::known::sql::Read;
    use crate::store::{Access, Store};

    /// Every read of the status report.
    const READS: [&Read; 9] = [
        &ALL_TOTALS,
        &SETTLED_RANGE,
        &SETTLED_BY,
        &SETTLED_AFTER,
        &STATUS_CHANGES,
        &STATUS_SETTINGS,
        &LAST_COUNTED,
        &LATEST_POSSIBLE,
        &SCHEDULED,
    ];

    /// The timeline queries with date filters, as `Store::timeline` builds
    /// them: a `--to` bound, and the two parts of a `--from` bound.
    const TIMELINE: [&str; 3] = [
        "SELECT d.id FROM developments d
          WHERE d.retracted_at IS NULL AND d.date_start <= ?1 AND (d.date_start <> '' OR d.date_end <= ?1)
          ORDER BY d.date_start, d.date_end, d.recorded_at, d.id",
        "SELECT d.id FROM developments d
          WHERE d.retracted_at IS NULL AND d.date_start = '' AND d.date_end >= ?1
          ORDER BY d.date_start, d.date_end, d.recorded_at, d.id",
        "SELECT d.id FROM developments d
          WHERE d.retracted_at IS NULL AND d.date_start >= ?1 AND d.scheduled = ?2
          ORDER BY d.date_start, d.date_end, d.recorded_at, d.id",
    ];

    #[test]
    fn status_and_timeline_queries_are_index_backed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        // The totals are one row by its key.
        for sql in READS[1..].iter().map(|read| read.plain()).chain(TIMELINE) {
            let plan = store.query_plan(sql).unwrap();
            // A select of two subqueries scans its one constant row.
            assert!(
                !plan.replace("SCAN CONSTANT ROW", "").contains("SCAN"),
                "{plan}"
            );
            // Only ties on (start, end, recorded_at) are sorted, never the whole item.
            assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{plan}");
            assert!(
                plan.contains("USING COVERING INDEX") || plan.contains("USING INDEX"),
                "{plan}"
            );
        }
    }

    #[test]
    fn status_queries_laid_over_read_the_store_through_the_same_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        store.lay_empty_overlay().unwrap();
        for read in READS {
            let plan = store.query_plan_knowing(read.sql(&store)).unwrap();
            // Scanned: a constant row, or the rows of a part read before.
            assert!(
                !plan.split(" | ").any(|step| step.starts_with("SCAN")
                    && !step.starts_with("SCAN CONSTANT ROW")
                    && !step.starts_with("SCAN (subquery")),
                "{plan}"
            );
            // The store's rows come in the read's order, as without the
            // overlay; a merge takes the overlay's in.
            assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{plan}");
            assert!(plan.contains("known_"), "{plan}");
        }
    }
}
