//! The import loader: turns rows read by `csv_io` into watch items and
//! developments, checks them as `log` and `watch add` would, matches them with
//! what the store holds, and writes them. The caller owns the transaction, so
//! a run's files succeed or fail together.
//!
//! A row matches by id, or, without one, by date as entered + headline + the
//! set of watch slugs. A matched row with the same content is left unchanged;
//! with other content it updates the development (the file wins).

use std::collections::HashMap;
use std::fmt;

use crate::clock::Clock;
use crate::csv_io::{CsvSource, Row, WATCH_ITEMS};
use crate::dates::{PartialDate, Precision, Timestamp};
use crate::error::{Error, Result};
use crate::model::{self, DevId, Development, WatchItem, WatchLink, WatchSlug, split_list};
use crate::store::{ImportMatch, Store};

/// What happened to the rows of one record type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Tally {
    pub fn total(&self) -> u64 {
        self.added + self.updated + self.unchanged
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged",
            self.added, self.updated, self.unchanged
        )
    }
}

enum Outcome {
    Added,
    Updated,
    Unchanged,
}

pub struct Loader<'a> {
    store: &'a Store,
    clock: &'a Clock,
    pub watch_items: Tally,
    pub developments: Tally,
    /// Ids seen in this run, and where, so that a file cannot say two things of one id.
    seen_ids: HashMap<DevId, String>,
}

impl<'a> Loader<'a> {
    pub fn new(store: &'a Store, clock: &'a Clock) -> Loader<'a> {
        Loader {
            store,
            clock,
            watch_items: Tally::default(),
            developments: Tally::default(),
            seen_ids: HashMap::new(),
        }
    }

    /// Loads every row of `source`; the first bad row stops the run with its
    /// `file:line` and column.
    pub fn load(&mut self, source: &mut CsvSource) -> Result<()> {
        let is_watch_file = source.dialect() == &WATCH_ITEMS;
        while let Some(row) = source.next_row()? {
            let place = format!("{}:{}", source.label(), row.line);
            if is_watch_file {
                let outcome = self.watch_row(&row, &place)?;
                count(&mut self.watch_items, outcome);
            } else {
                let outcome = self.development_row(&row, &place)?;
                count(&mut self.developments, outcome);
            }
        }
        Ok(())
    }

    fn watch_row(&mut self, row: &Row, place: &str) -> Result<Outcome> {
        let at = |column: &'static str| in_column(place, column);
        let slug = WatchSlug::parse(row.text("slug").trim()).map_err(at("slug"))?;
        let title = model::title(row.text("title")).map_err(at("title"))?;
        let description = model::optional_text(row.get("description"));
        let opened = optional_date(row, "opened", self.clock).map_err(at("opened"))?;
        let tags = model::tags(split_list(row.text("tags"))).map_err(at("tags"))?;

        match self.store.watch_item(slug.as_str())? {
            None => {
                let item = WatchItem {
                    slug,
                    title,
                    description,
                    opened: opened.unwrap_or_else(|| PartialDate::from_day(self.clock.today())),
                    tags,
                };
                self.store.insert_watch_item(&item, self.clock.now())?;
                Ok(Outcome::Added)
            }
            Some(existing) => {
                let item = WatchItem {
                    slug,
                    title,
                    description,
                    // A blank opened cell keeps the date the item has.
                    opened: opened.unwrap_or(existing.opened),
                    tags,
                };
                if item == existing {
                    Ok(Outcome::Unchanged)
                } else {
                    self.store.update_watch_item(&item)?;
                    Ok(Outcome::Updated)
                }
            }
        }
    }

    fn development_row(&mut self, row: &Row, place: &str) -> Result<Outcome> {
        let at = |column: &'static str| in_column(place, column);
        let id = match row.text("id").trim() {
            "" => None,
            text => Some(DevId::parse(text).map_err(at("id"))?),
        };
        let date = required(row, "date")
            .and_then(|text| {
                PartialDate::parse(text, self.clock.today()).map_err(|e| Error::data(e.to_string()))
            })
            .map_err(at("date"))?;
        check_precision(row.text("precision"), &date).map_err(at("precision"))?;
        let kind = required(row, "kind")
            .and_then(|k| model::kind_name(k.trim()))
            .map_err(at("kind"))?;
        self.store.require_kind(&kind).map_err(at("kind"))?;
        let links = WatchLink::parse_list(split_list(row.text("watch"))).map_err(at("watch"))?;
        let slugs: Vec<WatchSlug> = links.iter().map(|l| l.slug.clone()).collect();
        self.store
            .require_watch_items(&slugs)
            .map_err(at("watch"))?;
        let actors = model::actors(split_list(row.text("actors"))).map_err(at("actors"))?;
        let headline = model::headline(row.text("headline")).map_err(at("headline"))?;
        let sources = model::sources(split_list(row.text("sources"))).map_err(at("sources"))?;
        let recorded_at = match row.text("recorded_at").trim() {
            "" => None,
            text => Some(
                Timestamp::parse(text)
                    .map_err(Error::data)
                    .map_err(at("recorded_at"))?,
            ),
        };
        if let Some(id) = &id {
            if let Some(first) = self.seen_ids.get(id) {
                return Err(
                    Error::data(format!("id '{id}' appears again (first at {first})"))
                        .context(format!("{place}: column 'id'"))
                        .with_hint("give each development one row"),
                );
            }
            self.seen_ids.insert(id.clone(), place.to_string());
        }

        let summary = model::optional_text(row.get("summary"));
        let found = self
            .store
            .import_match(id.as_ref(), &date, &headline, &links)?;
        let existing = match found {
            ImportMatch::New => None,
            ImportMatch::Existing(existing) => Some(existing),
        };
        let dev = Development {
            id: match (&existing, id) {
                (Some(existing), _) => existing.id.clone(),
                (None, Some(id)) => id,
                (None, None) => self.store.fresh_id()?,
            },
            date,
            kind,
            headline,
            summary,
            links,
            actors,
            sources,
            // A blank recorded_at keeps the time the development has, or is now.
            recorded_at: match (recorded_at, &existing) {
                (Some(at), _) => at,
                (None, Some(existing)) => existing.recorded_at,
                (None, None) => self.clock.now(),
            },
            retracted: existing.as_ref().and_then(|e| e.retracted.clone()),
        };
        match existing {
            None => {
                self.store.insert_development(&dev)?;
                Ok(Outcome::Added)
            }
            Some(existing)
                if dev.same_content(&existing) && dev.recorded_at == existing.recorded_at =>
            {
                Ok(Outcome::Unchanged)
            }
            Some(_) => {
                self.store.replace_development(&dev)?;
                Ok(Outcome::Updated)
            }
        }
    }
}

/// Puts `file:line: column 'name'` in front of an error about a cell.
fn in_column<'p>(place: &'p str, column: &'static str) -> impl FnOnce(Error) -> Error + 'p {
    move |e| e.context(format!("{place}: column '{column}'"))
}

fn count(tally: &mut Tally, outcome: Outcome) {
    match outcome {
        Outcome::Added => tally.added += 1,
        Outcome::Updated => tally.updated += 1,
        Outcome::Unchanged => tally.unchanged += 1,
    }
}

fn required<'r>(row: &'r Row, column: &str) -> Result<&'r str> {
    let text = row.text(column);
    if text.trim().is_empty() {
        Err(Error::data("is empty, and it is required"))
    } else {
        Ok(text)
    }
}

fn optional_date(row: &Row, column: &str, clock: &Clock) -> Result<Option<PartialDate>> {
    match row.text(column).trim() {
        "" => Ok(None),
        text => PartialDate::parse(text, clock.today())
            .map(Some)
            .map_err(|e| Error::data(e.to_string())),
    }
}

/// A `precision` cell, when given, must agree with the date.
fn check_precision(cell: &str, date: &PartialDate) -> Result<()> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(());
    }
    let Some(precision) = Precision::parse(cell) else {
        return Err(Error::data(format!("unknown precision '{cell}'"))
            .with_hint("precision is day, month or year, or left empty"));
    };
    if precision != date.precision() {
        return Err(Error::data(format!(
            "precision '{precision}' contradicts the date '{date}', which is {}-precise",
            date.precision()
        ))
        .with_hint("correct the date or the precision, or leave precision empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_must_agree_with_the_date() {
        let date: PartialDate = "2025-07".parse().unwrap();
        assert!(check_precision("", &date).is_ok());
        assert!(check_precision("month", &date).is_ok());
        let err = check_precision("day", &date).unwrap_err();
        assert_eq!(
            err.message(),
            "precision 'day' contradicts the date '2025-07', which is month-precise"
        );
        assert!(check_precision("week", &date).is_err());
    }
}
