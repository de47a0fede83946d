//! A development of an import file, checked against the store and written:
//! added, updated (the file wins) or left unchanged.
//!
//! **Insert first.** In a store that held no development when the run began
//! (a first import, the bulk path's case) almost every row with an id is
//! new, so it is written straight away, `INSERT … ON CONFLICT (id) DO
//! NOTHING`, instead of first looking its id up: only a row whose id an
//! earlier row of the run wrote finds it taken, and goes the way of any
//! known id (the later row wins). What it saves: one index lookup a row (3 %
//! of a bulk import's instructions). Rows without id are matched, in such a
//! store, against what the run wrote, in memory (`matches`).
//!
//! **Fresh ids.** A new development without id is written under a random
//! id, drawn again only when the id index finds it taken
//! (`Store::insert_development_fresh`): no lookup a row.

use std::io::Write;

use super::matches::RunMatches;
use super::{Loader, Outcome};
use crate::dates::Timestamp;
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{DevId, Development, Provenance, Retraction};
use crate::record::Record;
use crate::record::draft::{DevelopmentDraft, Naming};
use crate::store::ImportMatch;

/// What a draft says beside the development made of it, kept to make the
/// draft again when its id turns out to be taken.
struct Stated {
    recorded_at: Option<Timestamp>,
    scheduled: Option<bool>,
    retracted: Option<Option<Retraction>>,
    provenance: Provenance,
    whole: bool,
}

impl<W: Write> Loader<'_, W> {
    pub(super) fn development(
        &mut self,
        draft: DevelopmentDraft,
        naming: Naming,
    ) -> Result<Outcome> {
        self.require_vocabulary(&draft, naming)?;
        let draft = match (&draft.id, self.insert_first) {
            (Some(id), true) => {
                let id = id.clone();
                match self.add_unless_taken(draft, id)? {
                    None => return Ok(Outcome::Added),
                    Some(draft) => draft,
                }
            }
            _ => draft,
        };
        match self.existing(&draft)? {
            Some(existing) => self.update(draft, existing),
            None => self.add(draft),
        }
    }

    /// The development a draft stands for: matched in memory when the run
    /// began with no development and the row has no id, else asked of the
    /// store.
    fn existing(&mut self, draft: &DevelopmentDraft) -> Result<Option<Development>> {
        if draft.id.is_none() && self.insert_first {
            if self.matches.is_none() {
                // What rows with ids wrote before this one, if any.
                self.matches = RunMatches::of_store(self.store)?;
                self.insert_first = self.matches.is_some();
            }
            if let Some(matches) = self.matches.as_mut() {
                return matches.find(self.store, &draft.date, &draft.headline, &draft.links);
            }
        }
        let found = self.store.import_match(
            draft.id.as_ref(),
            &draft.date,
            &draft.headline,
            &draft.links,
        )?;
        Ok(match found {
            ImportMatch::New => None,
            ImportMatch::Existing(existing) => Some(*existing),
        })
    }

    /// Writes the draft as a new development, under a fresh id when it has none.
    fn add(&mut self, draft: DevelopmentDraft) -> Result<Outcome> {
        let Some(id) = draft.id.clone() else {
            let mut dev = self.new_development(draft, DevId::generate()?);
            limits::admit_development(&dev)?;
            let key = self
                .store
                .insert_development_fresh(&mut dev, DevId::generate)?;
            self.note(key, &dev);
            return Ok(Outcome::Added);
        };
        // Not the first write of a row with id (`add_unless_taken`): nothing to note.
        debug_assert!(!self.insert_first);
        let dev = self.new_development(draft, id);
        limits::admit_development(&dev)?;
        self.store.insert_development(&dev)?;
        Ok(Outcome::Added)
    }

    /// Notes what the run wrote under `key`, when it matches in memory.
    fn note(&mut self, key: i64, dev: &Development) {
        if let Some(matches) = self.matches.as_mut()
            && !matches.note(key, dev)
        {
            // A key past what the table holds: the store is asked from now on.
            self.matches = None;
            self.insert_first = false;
        }
    }

    /// Checks a development without writing it, for a run already refused
    /// (without `--skip-invalid`): what can be told without a write — the
    /// kind, and the limits — so that the refusal still lists every bad
    /// record, and a long file is read through at the pace of its checks,
    /// not of writes that would be rolled back.
    pub(super) fn check_development(
        &mut self,
        draft: DevelopmentDraft,
        naming: Naming,
    ) -> Result<()> {
        self.require_vocabulary(&draft, naming)?;
        let id = match &draft.id {
            Some(id) => id.clone(),
            None => DevId::parse("00000000")?,
        };
        limits::admit_development(&self.new_development(draft, id))
    }

    /// Refuses a kind the store does not have (each name is asked of the
    /// store once a run).
    fn require_vocabulary(&mut self, draft: &DevelopmentDraft, naming: Naming) -> Result<()> {
        if !self.known_kinds.contains(&draft.kind) {
            self.store
                .require_kind(&draft.kind)
                .map_err(|e| e.context(naming.name("kind")))?;
            self.known_kinds.insert(draft.kind.clone());
        }
        // Watch items were checked before (`Loader::unknown_link`).
        debug_assert!(
            draft
                .links
                .iter()
                .all(|l| self.known_slugs.contains(&l.slug))
        );
        Ok(())
    }

    /// A new development of the draft under `id`, recorded now unless the
    /// file says when, by the importer unless the file says who.
    fn new_development(&self, draft: DevelopmentDraft, id: DevId) -> Development {
        let (stated, whole) = (draft.provenance.clone(), draft.provenance_stated);
        let mut dev = draft.into_development(id, self.clock.now());
        if !whole {
            dev.provenance = super::attributed(&stated, &Provenance::recorded(self.author));
        }
        dev
    }

    /// Writes the draft as a new development unless its id is taken (see
    /// the module's documentation); then hands the draft back.
    fn add_unless_taken(
        &mut self,
        draft: DevelopmentDraft,
        id: DevId,
    ) -> Result<Option<DevelopmentDraft>> {
        let stated = Stated {
            recorded_at: draft.recorded_at,
            scheduled: draft.scheduled,
            retracted: draft.retracted.clone(),
            provenance: draft.provenance.clone(),
            whole: draft.provenance_stated,
        };
        let dev = self.new_development(draft, id);
        limits::admit_development(&dev)?;
        if let Some(key) = self.store.insert_development_if_new(&dev)? {
            self.note(key, &dev);
            return Ok(None);
        }
        Ok(Some(DevelopmentDraft {
            id: Some(dev.id),
            date: dev.date,
            kind: dev.kind,
            headline: dev.headline,
            texts: dev.texts,
            links: dev.links,
            actors: dev.actors,
            sources: dev.sources,
            recorded_at: stated.recorded_at,
            scheduled: stated.scheduled,
            provenance: stated.provenance,
            provenance_stated: stated.whole,
            retracted: stated.retracted,
        }))
    }

    /// Updates `existing` as the draft says; what the file leaves blank
    /// keeps what the store has.
    fn update(&mut self, draft: DevelopmentDraft, existing: Development) -> Result<Outcome> {
        let says_retraction = draft.retracted.is_some();
        let says_scheduled = draft.scheduled.is_some();
        let (stated, whole) = (draft.provenance.clone(), draft.provenance_stated);
        let mut dev = draft.into_development(existing.id.clone(), existing.recorded_at);
        if !says_retraction {
            dev.retracted = existing.retracted.clone();
        }
        if !says_scheduled {
            dev.scheduled = existing.scheduled;
        }
        if !whole {
            dev.provenance = super::attributed(&stated, &existing.provenance);
        }
        if dev == existing {
            return Ok(Outcome::Unchanged);
        }
        if !whole {
            dev.provenance.touch(self.author, self.clock.now());
        }
        limits::admit_development(&dev)?;
        self.store.replace_development(&dev)?;
        if self.matches.is_some() {
            let key = self.store.development_key(&dev.id)?.ok_or_else(|| {
                Error::io(format!(
                    "development '{}' vanished as it was updated",
                    dev.id
                ))
            })?;
            self.note(key, &dev);
        }
        self.describe(Record::Development(existing), Record::Development(dev));
        Ok(Outcome::Updated)
    }
}
