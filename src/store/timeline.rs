//! The timeline: which developments a filter keeps, in timeline order,
//! streamed as values or as the flat text the timeline CSV writes.

use std::borrow::Cow;

use chrono::NaiveDate;
use rusqlite::{Row, ToSql, params_from_iter};

use super::Store;
use super::development_reads::{DEVELOPMENT_COLUMNS, read_development};
use super::selection::{linked_to, placeholders, text_values};
use crate::dates::day_text;
use crate::error::{Error, Result};
use crate::model::{Development, WatchSlug};
use crate::record::fields::TIMELINE_WIDTH;
use crate::record::{FlatDevelopment, stored_columns};

/// Which developments a timeline keeps. Repeating one filter means any of its
/// values; different filters must all hold. Dates bound the start of a
/// development's interval (an open start's end), both ends included.
#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    pub watch: Vec<WatchSlug>,
    /// Linked to a watch item carrying one of these tags.
    pub tags: Vec<String>,
    pub kinds: Vec<String>,
    pub actors: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Some(true): only scheduled developments; Some(false): only the others.
    pub scheduled: Option<bool>,
    /// Recorded (UTC day) on or after this day, whatever their date.
    pub recorded_since: Option<NaiveDate>,
}

impl Store {
    /// Streams the developments that are not retracted and pass the filter,
    /// in timeline order, to `each`.
    pub fn timeline(
        &self,
        filter: &TimelineFilter,
        mut each: impl FnMut(Development) -> Result<()>,
    ) -> Result<()> {
        let columns = DEVELOPMENT_COLUMNS.to_string();
        self.timeline_rows(&columns, filter, |row| each(read_development(row)?))
    }

    /// The same selection as `timeline`, handed over as flat text as
    /// stored: the export path, with nothing parsed or copied.
    pub fn timeline_flat(
        &self,
        filter: &TimelineFilter,
        mut each: impl FnMut(&FlatDevelopment<'_>) -> Result<()>,
    ) -> Result<()> {
        self.timeline_rows(&stored_columns(), filter, |row| each(&flat_row(row)?))
    }

    /// The rows of `columns` the filter keeps, in timeline order.
    fn timeline_rows(
        &self,
        columns: &str,
        filter: &TimelineFilter,
        mut each: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        for (sql, values) in timeline_queries(columns, filter) {
            // Laid over, the store's part must still read the timeline index.
            let sql = match self.overlaid() {
                true => sql.replacen(
                    "FROM developments d",
                    "FROM developments d INDEXED BY developments_timeline",
                    1,
                ),
                false => sql,
            };
            let (sql, values) = self.laid_over(sql, &values);
            let mut stmt = self.prepare_knowing(&sql)?;
            let mut rows = stmt.query(params_from_iter(values))?;
            while let Some(row) = rows.next()? {
                each(row)?;
            }
        }
        Ok(())
    }
}

/// A row of the flat columns, borrowed as stored.
fn flat_row<'r>(row: &'r Row<'_>) -> Result<FlatDevelopment<'r>> {
    let mut cells: [Cow<'r, str>; TIMELINE_WIDTH] = Default::default();
    for (index, cell) in cells.iter_mut().enumerate() {
        let text = row.get_ref(index)?.as_str().map_err(|e| {
            Error::io(format!("store holds text that is not UTF-8: {e}"))
                .with_hint("run `lookout check`")
        })?;
        *cell = Cow::Borrowed(text);
    }
    Ok(FlatDevelopment::from_cells(cells))
}

/// The statements that select `columns` (of `developments d`) passing the
/// filter, with their values; run one after the other, their rows are in
/// timeline order. A `--from` bound is two: the open starts whose end is in
/// range (they come first in timeline order), then the developments that
/// start in range; each reads the timeline index in order.
fn timeline_queries(columns: &str, filter: &TimelineFilter) -> Vec<(String, Vec<Box<dyn ToSql>>)> {
    let order = "ORDER BY d.date_start, d.date_end, d.recorded_at, d.id";
    let query = |bounds: String, mut values: Vec<Box<dyn ToSql>>| {
        let (conditions, more) = other_conditions(filter);
        values.extend(more);
        let sql = format!(
            "SELECT {columns} FROM developments d WHERE d.retracted_at IS NULL{bounds}{conditions}
              {order}"
        );
        (sql, values)
    };
    let Some(from) = filter.from else {
        let (bounds, values) = to_bound(filter.to);
        return vec![query(bounds, values)];
    };
    let from = day_text(from);
    let mut open: Vec<Box<dyn ToSql>> = vec![Box::new(from.clone())];
    let mut dated: Vec<Box<dyn ToSql>> = vec![Box::new(from)];
    let mut open_bounds = " AND d.date_start = '' AND d.date_end >= ?".to_string();
    let mut dated_bounds = " AND d.date_start >= ?".to_string();
    if let Some(to) = filter.to {
        open_bounds.push_str(" AND d.date_end <= ?");
        open.push(Box::new(day_text(to)));
        dated_bounds.push_str(" AND d.date_start <= ?");
        dated.push(Box::new(day_text(to)));
    }
    vec![query(open_bounds, open), query(dated_bounds, dated)]
}

/// The condition a `--to` bound sets alone: developments that start by it,
/// or whose open start ends by it.
fn to_bound(to: Option<NaiveDate>) -> (String, Vec<Box<dyn ToSql>>) {
    match to {
        None => (String::new(), Vec::new()),
        Some(to) => (
            " AND d.date_start <= ? AND (d.date_start <> '' OR d.date_end <= ?)".to_string(),
            vec![Box::new(day_text(to)), Box::new(day_text(to))],
        ),
    }
}

/// Every condition of the filter on `developments d` (each starting " AND "),
/// and their values: for queries that need no timeline order (search).
pub(super) fn timeline_conditions(filter: &TimelineFilter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = String::new();
    let mut values: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(from) = filter.from {
        sql.push_str(" AND (d.date_start >= ? OR d.date_start = '' AND d.date_end >= ?)");
        values.push(Box::new(day_text(from)));
        values.push(Box::new(day_text(from)));
    }
    if let Some(to) = filter.to {
        sql.push_str(" AND d.date_start <= ? AND (d.date_start <> '' OR d.date_end <= ?)");
        values.push(Box::new(day_text(to)));
        values.push(Box::new(day_text(to)));
    }
    let (more, more_values) = other_conditions(filter);
    sql.push_str(&more);
    values.extend(more_values);
    (sql, values)
}

/// The filter's conditions other than its dates.
fn other_conditions(filter: &TimelineFilter) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = String::new();
    let mut values: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(scheduled) = filter.scheduled {
        sql.push_str(" AND d.scheduled = ?");
        values.push(Box::new(scheduled));
    }
    if !filter.kinds.is_empty() {
        sql.push_str(&format!(
            " AND d.kind IN ({})",
            placeholders(filter.kinds.len())
        ));
        values.extend(
            filter
                .kinds
                .iter()
                .map(|k| Box::new(k.clone()) as Box<dyn ToSql>),
        );
    }
    if !filter.watch.is_empty() {
        let items = format!(
            "SELECT id FROM watch_items WHERE slug IN ({})",
            placeholders(filter.watch.len())
        );
        let (linked, more) = linked_to(&items, || {
            text_values(filter.watch.iter().map(WatchSlug::as_str))
        });
        sql.push_str(" AND ");
        sql.push_str(&linked);
        values.extend(more);
    }
    if !filter.tags.is_empty() {
        let items = format!(
            "SELECT watch_id FROM watch_tags WHERE tag IN ({})",
            placeholders(filter.tags.len())
        );
        let (linked, more) = linked_to(&items, || {
            text_values(filter.tags.iter().map(String::as_str))
        });
        sql.push_str(" AND ");
        sql.push_str(&linked);
        values.extend(more);
    }
    if let Some(day) = filter.recorded_since {
        // A time of recording on that day sorts after the bare day.
        sql.push_str(" AND d.recorded_at >= ?");
        values.push(Box::new(day_text(day)));
    }
    if !filter.actors.is_empty() {
        let (condition, more) = super::actors::actor_condition(&filter.actors);
        sql.push_str(&condition);
        values.extend(more);
    }
    (sql, values)
}
