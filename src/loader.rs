//! The import loader: takes the records the readers yield, checks them as
//! `log` and `watch add` would, matches them with what the store holds, and
//! writes them. The caller owns the transaction, so a run's files succeed or
//! fail together (or, for `--dry-run`, are rolled back).
//!
//! A development matches by id, or without one by its date as entered, its
//! headline and its set of watch slugs. A match with the same content is left unchanged;
//! with other content it is updated (the file wins). Rows are applied in
//! order, so when one file names an id twice the later row wins.
//!
//! With `skip_invalid`, each record is written under a savepoint: a bad one is
//! rolled back, counted, and handed to the rejects sink; the rest are kept.

use std::collections::HashSet;
use std::fmt;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::input::{DevelopmentInput, Item, KindInput, Record, WatchInput};
use crate::model::WatchSlug;
use crate::store::{ImportMatch, Store};

/// What happened to the records of one type.
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

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }

    fn plus(self, other: Tally) -> Tally {
        Tally {
            added: self.added + other.added,
            updated: self.updated + other.updated,
            unchanged: self.unchanged + other.unchanged,
        }
    }
}

/// The counts of a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub kinds: Tally,
    pub watch_items: Tally,
    pub developments: Tally,
    pub rejected: u64,
}

impl Summary {
    pub fn all(&self) -> Tally {
        self.kinds.plus(self.watch_items).plus(self.developments)
    }
}

impl fmt::Display for Summary {
    /// `11 added, 0 updated, 0 unchanged, 0 rejected (3 watch items, 8 developments)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = self.all();
        write!(
            f,
            "{} added, {} updated, {} unchanged, {} rejected",
            all.added, all.updated, all.unchanged, self.rejected
        )?;
        let mut parts = Vec::new();
        for (tally, one, many) in [
            (self.kinds, "kind", "kinds"),
            (self.watch_items, "watch item", "watch items"),
            (self.developments, "development", "developments"),
        ] {
            match tally.total() {
                0 => {}
                1 => parts.push(format!("1 {one}")),
                n => parts.push(format!("{n} {many}")),
            }
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// Where a record came from, for messages: `file:line`.
pub struct Place<'a> {
    pub label: &'a str,
    pub line: u64,
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.label, self.line)
    }
}

pub struct Loader<'a> {
    store: &'a Store,
    clock: &'a Clock,
    skip_invalid: bool,
    summary: Summary,
    /// Kinds and watch slugs already checked in this run (small vocabularies).
    known_kinds: HashSet<String>,
    known_slugs: HashSet<WatchSlug>,
}

impl<'a> Loader<'a> {
    pub fn new(store: &'a Store, clock: &'a Clock, skip_invalid: bool) -> Loader<'a> {
        Loader {
            store,
            clock,
            skip_invalid,
            summary: Summary::default(),
            known_kinds: HashSet::new(),
            known_slugs: HashSet::new(),
        }
    }

    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Applies one record. A bad record is an error naming `file:line`, or,
    /// with `skip_invalid`, is rolled back and handed to `reject` with its reason.
    pub fn apply(
        &mut self,
        item: Item,
        place: Place<'_>,
        reject: &mut dyn FnMut(&Error) -> Result<()>,
    ) -> Result<()> {
        let savepoint = if self.skip_invalid {
            Some(self.store.savepoint()?)
        } else {
            None
        };
        match self.record(item.record) {
            Ok(()) => {
                if let Some(savepoint) = savepoint {
                    savepoint.release()?;
                }
                Ok(())
            }
            Err(error) => {
                let error = error.context(&place);
                if error.code() != crate::error::Code::Data || savepoint.is_none() {
                    return Err(error);
                }
                drop(savepoint); // rolls the record back
                self.summary.rejected += 1;
                reject(&error)
            }
        }
    }

    fn record(&mut self, record: Record) -> Result<()> {
        match record {
            Record::Bad(error) => Err(error),
            Record::Kind(kind) => {
                let outcome = self.kind(&kind)?;
                self.summary.kinds.count(outcome);
                Ok(())
            }
            Record::Watch(watch) => {
                let outcome = self.watch_item(&watch)?;
                self.summary.watch_items.count(outcome);
                Ok(())
            }
            Record::Development(dev) => {
                let outcome = self.development(&dev)?;
                self.summary.developments.count(outcome);
                Ok(())
            }
        }
    }

    fn kind(&mut self, input: &KindInput) -> Result<Outcome> {
        let name = input.to_kind()?;
        let added = self.store.add_kind(&name)?;
        self.known_kinds.insert(name);
        Ok(if added {
            Outcome::Added
        } else {
            Outcome::Unchanged
        })
    }

    fn watch_item(&mut self, input: &WatchInput) -> Result<Outcome> {
        let (mut item, opened) = input.to_item(self.clock.today())?;
        let outcome = match self.store.watch_item(item.slug.as_str())? {
            None => {
                self.store.insert_watch_item(&item, self.clock.now())?;
                Outcome::Added
            }
            Some(existing) => {
                // A blank opened cell keeps the date the item has.
                if opened.is_none() {
                    item.opened = existing.opened;
                }
                if item == existing {
                    Outcome::Unchanged
                } else {
                    self.store.update_watch_item(&item)?;
                    Outcome::Updated
                }
            }
        };
        self.known_slugs.insert(item.slug);
        Ok(outcome)
    }

    fn development(&mut self, input: &DevelopmentInput) -> Result<Outcome> {
        let checked = input.check(self.clock.today(), self.clock.now())?;
        let mut dev = checked.development;
        if !self.known_kinds.contains(&dev.kind) {
            self.store
                .require_kind(&dev.kind)
                .map_err(|e| e.context("column 'kind'"))?;
            self.known_kinds.insert(dev.kind.clone());
        }
        for link in &dev.links {
            if !self.known_slugs.contains(&link.slug) {
                self.store
                    .require_watch_items(std::slice::from_ref(&link.slug))
                    .map_err(|e| e.context("column 'watch'"))?;
                self.known_slugs.insert(link.slug.clone());
            }
        }
        let id = checked.has_id.then_some(&dev.id);
        let existing = match self
            .store
            .import_match(id, &dev.date, &dev.headline, &dev.links)?
        {
            ImportMatch::New => None,
            ImportMatch::Existing(existing) => Some(existing),
        };
        let Some(existing) = existing else {
            if !checked.has_id {
                dev.id = self.store.fresh_id()?;
            }
            self.store.insert_development(&dev)?;
            return Ok(Outcome::Added);
        };
        dev.id = existing.id.clone();
        // What the file leaves blank keeps what the store has.
        if !checked.has_recorded_at {
            dev.recorded_at = existing.recorded_at;
        }
        if !checked.says_retraction {
            dev.retracted = existing.retracted.clone();
        }
        if dev == *existing {
            return Ok(Outcome::Unchanged);
        }
        self.store.replace_development(&dev)?;
        Ok(Outcome::Updated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reads_as_a_sentence() {
        let summary = Summary {
            kinds: Tally::default(),
            watch_items: Tally {
                added: 3,
                ..Tally::default()
            },
            developments: Tally {
                added: 7,
                updated: 1,
                unchanged: 0,
            },
            rejected: 2,
        };
        assert_eq!(
            summary.to_string(),
            "10 added, 1 updated, 0 unchanged, 2 rejected (3 watch items, 8 developments)"
        );
        assert_eq!(
            Summary::default().to_string(),
            "0 added, 0 updated, 0 unchanged, 0 rejected"
        );
    }
}
