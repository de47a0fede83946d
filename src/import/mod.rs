//! The import loader: takes the raw records a `formats::Source` yields,
//! checks them as `log` and `watch add` would, matches them with what the
//! store holds, and writes them. The caller owns the transaction, so a run's
//! files succeed or fail together (or, for `--dry-run`, are rolled back).
//!
//! A development matches by id, or without one by its date as entered, its
//! headline and its set of watch slugs. A match with the same content is left
//! unchanged; with other content it is updated (the file wins). Rows are
//! applied in order, so when one file names an id twice the later row wins.
//!
//! A bad record does not stop the reading: every bad record of the run is
//! listed (the first `MAX_LISTED`, then a count) so one pass fixes them all.
//! With `skip_invalid` each record is written under a savepoint, a bad one is
//! rolled back and handed to the rejects file, and the rest are kept.

mod development;
mod matches;
mod pipeline;
mod refusal;
mod summary;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::clock::Clock;
use crate::error::{Code, Error, Result};
use crate::formats::rejects::RejectsWriter;
use crate::formats::{OwnedRawRow, Source};
use crate::limits;
use crate::model::{Provenance, WatchItem, WatchSlug};
use crate::record::diff::{FieldChange, diff};
use crate::record::draft::{Draft, Naming, WatchDraft};
use crate::record::{Record, RecordKind};
use crate::store::Store;
use refusal::{Unknown, bad_records, unknown_items};
pub use summary::Summary;

/// How many bad records an error lists before it only counts the rest.
pub const MAX_LISTED: usize = 20;

#[derive(Debug, Clone, Copy)]
pub(super) enum Outcome {
    Added,
    Updated,
    Unchanged,
}

pub struct Loader<'a, W: Write> {
    store: &'a Store,
    clock: &'a Clock,
    /// Who records what the files leave unattributed.
    author: &'a str,
    skip_invalid: bool,
    rejects: Option<RejectsWriter<W>>,
    summary: Summary,
    /// The first bad records' messages, and how many there were in all.
    bad: Vec<String>,
    bad_count: u64,
    /// Kinds and watch slugs already checked in this run (small vocabularies).
    known_kinds: HashSet<String>,
    known_slugs: HashSet<WatchSlug>,
    /// Watch slugs the store does not have, in the order first met, each
    /// asked of the store once: a file whose rows name a missing item is
    /// refused with one line per item, not one per row, and fast.
    unknown: Vec<Unknown>,
    unknown_index: HashMap<WatchSlug, usize>,
    /// Rows that named an unknown watch item.
    unknown_rows: u64,
    /// Digests of the ids and slugs records of this run have named, to count
    /// repeats (8 bytes each, so a million ids take a few MB).
    named: HashSet<u64>,
    /// The first updates, with the fields each changes (for `--dry-run`).
    updates: Vec<Update>,
    /// The store held no development when the run began: rows with an id
    /// are written first and matched only if it is taken, rows without one
    /// matched in memory (`development`, `matches`).
    insert_first: bool,
    /// With `insert_first`, from the first row without id: what the run wrote.
    matches: Option<matches::RunMatches>,
    /// Set when the run is to stop (Ctrl-C): read before each row.
    stop: Option<&'a AtomicBool>,
}

/// How many updates a run describes field by field; the rest are counted.
pub const MAX_DESCRIBED: usize = 200;

/// What a run did.
pub struct Finished {
    pub summary: Summary,
    /// The first `MAX_DESCRIBED` updates, field by field.
    pub updates: Vec<Update>,
}

/// A record the run changed, and the fields it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub record: RecordKind,
    pub key: String,
    pub fields: Vec<FieldChange>,
}

impl<'a, W: Write> Loader<'a, W> {
    pub fn new(
        store: &'a Store,
        clock: &'a Clock,
        author: &'a str,
        skip_invalid: bool,
        rejects: Option<RejectsWriter<W>>,
    ) -> Result<Loader<'a, W>> {
        Ok(Loader {
            store,
            clock,
            author,
            skip_invalid,
            rejects,
            summary: Summary::default(),
            bad: Vec::new(),
            bad_count: 0,
            known_kinds: HashSet::new(),
            known_slugs: HashSet::new(),
            unknown: Vec::new(),
            unknown_index: HashMap::new(),
            unknown_rows: 0,
            updates: Vec::new(),
            named: HashSet::new(),
            insert_first: !store.holds_developments()?,
            matches: None,
            stop: None,
        })
    }

    /// Stops the run, with an error, at the first row after `stop` is set.
    pub fn stop_when(mut self, stop: &'a AtomicBool) -> Self {
        self.stop = Some(stop);
        self
    }

    /// Notes what an update overwrites (bookkeeping fields aside).
    fn describe(&mut self, before: Record, after: Record) {
        if self.updates.len() >= MAX_DESCRIBED {
            return;
        }
        let fields = diff(&before, &after)
            .into_iter()
            .filter(|c| !matches!(c.field.as_str(), "updated_at" | "updated_by"))
            .collect();
        self.updates.push(Update {
            record: after.kind(),
            key: after.key().to_string(),
            fields,
        });
    }

    /// Reads `source` to its end, applying each record; `progress` is told
    /// how far into the file the reader is now and then. The rows are read
    /// and checked on a second thread (`pipeline`).
    pub fn load(
        &mut self,
        source: &mut (dyn Source + Send),
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let label = source.label().to_string();
        let naming = source.naming();
        let keep_raw = self.rejects.is_some();
        let today = self.clock.today();
        pipeline::each_checked(
            source,
            today,
            keep_raw,
            |row| self.apply_row(row, naming, &label),
            progress,
        )
    }

    /// Applies one checked row, under a savepoint when a refusal must not
    /// leave part of it behind.
    fn apply_row(&mut self, row: pipeline::Checked, naming: Naming, label: &str) -> Result<()> {
        if self.stop.is_some_and(|stop| stop.load(Ordering::Relaxed)) {
            return Err(Error::interrupted("interrupted"));
        }
        if let Ok(Draft::Development(dev)) = &row.draft {
            let at = || format!("{label}:{}: {}", row.line, naming.name("watch"));
            if let Some(error) = self.unknown_link(dev, &at)? {
                // Nothing of the row was written: no savepoint to undo.
                let error = error.context(at());
                if self.skip_invalid {
                    return self.refuse(row.raw.as_ref(), error);
                }
                self.unknown_rows += 1;
                return Ok(());
            }
        }
        let failed = self.bad_count > 0 || self.unknown_rows > 0;
        let draft = match row.draft {
            Ok(Draft::Development(dev)) if failed && !self.skip_invalid => {
                return match self.check_development(dev, naming) {
                    Ok(()) => Ok(()),
                    Err(error) => {
                        let error = error.context(format!("{label}:{}", row.line));
                        if error.code() != Code::Data {
                            return Err(error);
                        }
                        self.refuse(row.raw.as_ref(), error)
                    }
                };
            }
            other => other,
        };
        // Once the run has failed, a record must not leave half of
        // itself behind to trouble the next one's checks.
        let guarded = self.skip_invalid || failed;
        let savepoint = if guarded {
            Some(self.store.savepoint()?)
        } else {
            None
        };
        match draft.and_then(|draft| self.apply(draft, naming)) {
            Ok(()) => {
                if let Some(savepoint) = savepoint {
                    savepoint.release()?;
                }
                Ok(())
            }
            Err(error) => {
                let error = error.context(format!("{label}:{}", row.line));
                if error.code() != Code::Data {
                    return Err(error);
                }
                drop(savepoint); // rolls the record back
                self.refuse(row.raw.as_ref(), error)
            }
        }
    }

    fn refuse(&mut self, raw: Option<&OwnedRawRow>, error: Error) -> Result<()> {
        if self.skip_invalid {
            self.summary.rejected += 1;
            if let (Some(rejects), Some(raw)) = (self.rejects.as_mut(), raw) {
                rejects.write(&raw.as_raw(), error.message())?;
            }
            return Ok(());
        }
        self.bad_count += 1;
        if self.bad.len() < MAX_LISTED {
            let hint = error.hint().map(|h| format!(" ({h})")).unwrap_or_default();
            self.bad.push(format!("{}{hint}", error.message()));
        }
        Ok(())
    }

    /// The error for a development linked to a watch item the store does
    /// not have, noting the slug (and where it first appeared) the first
    /// time; None when every item it names exists.
    fn unknown_link(
        &mut self,
        dev: &crate::record::draft::DevelopmentDraft,
        at: &dyn Fn() -> String,
    ) -> Result<Option<Error>> {
        for link in &dev.links {
            if self.known_slugs.contains(&link.slug) {
                continue;
            }
            let index = match self.unknown_index.get(&link.slug) {
                Some(&index) => index,
                None => match self
                    .store
                    .require_watch_items(std::slice::from_ref(&link.slug))
                {
                    Ok(()) => {
                        self.known_slugs.insert(link.slug.clone());
                        continue;
                    }
                    Err(error) if error.code() == Code::Data => {
                        self.unknown.push(Unknown {
                            slug: link.slug.clone(),
                            first_at: at(),
                            hint: error.hint().map(str::to_string),
                            rows: 0,
                        });
                        self.unknown_index
                            .insert(link.slug.clone(), self.unknown.len() - 1);
                        self.unknown.len() - 1
                    }
                    Err(error) => return Err(error),
                },
            };
            let unknown = &mut self.unknown[index];
            unknown.rows += 1;
            let mut error = Error::data(format!("unknown watch item '{}'", unknown.slug));
            if let Some(hint) = &unknown.hint {
                error = error.with_hint(hint.clone());
            }
            return Ok(Some(error));
        }
        Ok(None)
    }

    /// What the run did; an error listing the bad records when there were
    /// any (and no `skip_invalid`).
    pub fn finish(self) -> Result<Finished> {
        if self.unknown_rows > 0 {
            return Err(unknown_items(
                &self.unknown,
                self.unknown_rows,
                &self.bad,
                self.bad_count,
            ));
        }
        if self.bad_count > 0 {
            return Err(bad_records(&self.bad, self.bad_count));
        }
        if let Some(rejects) = self.rejects {
            rejects.finish()?;
        }
        Ok(Finished {
            summary: self.summary,
            updates: self.updates,
        })
    }

    fn apply(&mut self, draft: Draft, naming: Naming) -> Result<()> {
        match draft {
            Draft::Kind(name) => {
                let outcome = self.kind(name)?;
                self.summary.kinds.count(outcome);
            }
            Draft::Watch(watch) => {
                let key = format!("watch {}", watch.slug);
                let outcome = self.watch_item(watch)?;
                self.summary.watch_items.count(outcome);
                self.count_repeat(&key);
            }
            Draft::Development(dev) => {
                let key = dev.id.as_ref().map(|id| format!("development {id}"));
                let outcome = self.development(dev, naming)?;
                self.summary.developments.count(outcome);
                if let Some(key) = key {
                    self.count_repeat(&key);
                }
            }
        }
        Ok(())
    }

    /// Counts a record that names what an earlier record of the run named.
    fn count_repeat(&mut self, key: &str) {
        if !self
            .named
            .insert(xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
        {
            self.summary.repeated += 1;
        }
    }

    fn kind(&mut self, name: String) -> Result<Outcome> {
        let added = self.store.add_kind(&name)?;
        self.known_kinds.insert(name);
        Ok(if added {
            Outcome::Added
        } else {
            Outcome::Unchanged
        })
    }

    fn watch_item(&mut self, draft: WatchDraft) -> Result<Outcome> {
        let existing = self.store.watch_item(draft.slug.as_str())?;
        // A blank opened cell keeps the date the item has (today for a new one).
        let opened = draft
            .opened
            .or(existing.as_ref().map(|e| e.opened))
            .unwrap_or_else(|| crate::dates::PartialDate::from_day(self.clock.today()));
        let mut item = WatchItem {
            slug: draft.slug,
            title: draft.title,
            description: draft.description,
            opened,
            tags: draft.tags,
            provenance: draft.provenance,
        };
        let stated = item.provenance.clone();
        let whole = draft.provenance_stated;
        let outcome = match existing {
            None => {
                let now = self.clock.now();
                if !whole {
                    item.provenance = attributed(&stated, &Provenance::new(self.author, now));
                }
                limits::admit_watch_item(&item)?;
                self.store.insert_watch_item(&item, now)?;
                Outcome::Added
            }
            Some(existing) => {
                if !whole {
                    item.provenance = attributed(&stated, &existing.provenance);
                }
                if item == existing {
                    Outcome::Unchanged
                } else {
                    if !whole {
                        item.provenance.touch(self.author, self.clock.now());
                    }
                    limits::admit_watch_item(&item)?;
                    self.store.update_watch_item(&item)?;
                    self.describe(Record::Watch(existing), Record::Watch(item.clone()));
                    Outcome::Updated
                }
            }
        };
        self.known_slugs.insert(item.slug);
        Ok(outcome)
    }
}

/// What a file states of a record's provenance, the rest as `otherwise`.
pub(super) fn attributed(stated: &Provenance, otherwise: &Provenance) -> Provenance {
    Provenance {
        recorded_by: stated.recorded_by.clone().or(otherwise.recorded_by.clone()),
        updated_at: stated.updated_at.or(otherwise.updated_at),
        updated_by: stated.updated_by.clone().or(otherwise.updated_by.clone()),
    }
}
