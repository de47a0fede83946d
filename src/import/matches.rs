//! The developments a run has written, by what a row without id is matched
//! on — its date as entered, its headline and its set of watch slugs — for a
//! run into a store that held no development when it began (the loader's
//! `insert_first`): then the only developments such a row can match are the
//! run's own, and it is matched here, in memory, instead of by a query and
//! an index on (date, headline) kept up to date row by row, which with the
//! id lookup made rows without ids cost a fifth more than rows with them.
//!
//! Each development the run adds or updates is noted with a 32-bit tag of
//! its match key. A lookup reads back each development whose tag is the
//! row's and compares date, headline and slugs exactly: a tag two match keys
//! share (about one row in 4,000 at a million developments) costs a read,
//! never a wrong match. A miss is sure: every development the run wrote has
//! its current tag here (an update that changes one leaves the old tag
//! behind, which the comparison then turns down).
//!
//! Memory: 8 bytes a slot (tag and key), at most half of them full — 16 MiB
//! at a million developments, freed when the loader is.

use std::fmt::Write as _;

use crate::dates::DevDate;
use crate::error::Result;
use crate::model::{Development, WatchLink, split_list};
use crate::store::Store;

pub(super) struct RunMatches {
    /// Open addressing, probed in order from a tag's home slot: 0 is empty,
    /// else the tag in the high half and the development's key in the low.
    slots: Vec<u64>,
    len: usize,
    /// The match key being hashed (reused from row to row).
    text: Vec<u8>,
    /// The date as entered of the row last hashed.
    date: String,
}

impl RunMatches {
    const FIRST_SLOTS: usize = 1024;

    fn new() -> RunMatches {
        RunMatches {
            slots: vec![0; RunMatches::FIRST_SLOTS],
            len: 0,
            text: Vec::new(),
            date: String::new(),
        }
    }

    /// A table of every development the store holds (those the run wrote
    /// before its first row without id); None when a key does not fit.
    pub(super) fn of_store(store: &Store) -> Result<Option<RunMatches>> {
        let mut matches = RunMatches::new();
        let mut fits = true;
        store.each_match_key(|key, date, headline, watch| {
            let slugs = split_list(watch).map(|link| link.split_once('=').map_or(link, |(s, _)| s));
            let tag = tag(&mut matches.text, date, headline, slugs);
            fits &= matches.insert(key, tag);
            Ok(())
        })?;
        Ok(fits.then_some(matches))
    }

    /// Notes that the development under `key` is now `dev`; false when the
    /// key does not fit in a slot (past 2^32: the caller asks the store).
    pub(super) fn note(&mut self, key: i64, dev: &Development) -> bool {
        let tag = self.tag_of(&dev.date, &dev.headline, &dev.links);
        self.insert(key, tag)
    }

    /// The development the run wrote that a row of this date as entered,
    /// headline and links matches, if any.
    pub(super) fn find(
        &mut self,
        store: &Store,
        date: &DevDate,
        headline: &str,
        links: &[WatchLink],
    ) -> Result<Option<Development>> {
        let tag = self.tag_of(date, headline, links);
        for key in self.keys_tagged(tag) {
            let Some(dev) = store.development_by_key(key)? else {
                continue;
            };
            if dev.headline == headline
                && same_slugs(&dev.links, links)
                && dev.date.to_string() == self.date
            {
                return Ok(Some(dev));
            }
        }
        Ok(None)
    }

    fn tag_of(&mut self, date: &DevDate, headline: &str, links: &[WatchLink]) -> u32 {
        self.date.clear();
        let _ = write!(self.date, "{date}");
        let slugs = links.iter().map(|l| l.slug.as_str());
        tag(&mut self.text, &self.date, headline, slugs)
    }

    /// The keys noted under `tag`, oldest first.
    fn keys_tagged(&self, tag: u32) -> Vec<i64> {
        let mask = self.slots.len() - 1;
        let mut at = tag as usize & mask;
        let mut keys = Vec::new();
        while self.slots[at] != 0 {
            if (self.slots[at] >> 32) as u32 == tag {
                keys.push(i64::from(self.slots[at] as u32));
            }
            at = (at + 1) & mask;
        }
        keys
    }

    fn insert(&mut self, key: i64, tag: u32) -> bool {
        let Ok(key) = u32::try_from(key) else {
            return false;
        };
        if key == 0 {
            return false; // 0 marks an empty slot (keys begin at 1)
        }
        if (self.len + 1) * 2 > self.slots.len() {
            let doubled = vec![0; self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, doubled);
            for slot in old.into_iter().filter(|&s| s != 0) {
                self.place(slot);
            }
        }
        self.place((u64::from(tag) << 32) | u64::from(key));
        self.len += 1;
        true
    }

    fn place(&mut self, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut at = (slot >> 32) as usize & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
    }
}

/// The tag of a match key: the high half of an xxh3 hash of the date as
/// entered (which holds no NUL), a NUL, the headline, and the sum of the
/// slugs' hashes (a set, in any order).
fn tag<'a>(
    text: &mut Vec<u8>,
    date: &str,
    headline: &str,
    slugs: impl Iterator<Item = &'a str>,
) -> u32 {
    let slugs = slugs.fold(0u64, |sum, slug| {
        sum.wrapping_add(xxhash_rust::xxh3::xxh3_64(slug.as_bytes()))
    });
    text.clear();
    text.extend_from_slice(date.as_bytes());
    text.push(0);
    text.extend_from_slice(headline.as_bytes());
    text.extend_from_slice(&slugs.to_le_bytes());
    (xxhash_rust::xxh3::xxh3_64(text) >> 32) as u32
}

/// Whether two developments' links name the same watch items (a
/// development names each at most once).
fn same_slugs(a: &[WatchLink], b: &[WatchLink]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| y.slug == x.slug))
}

#[cfg(test)]
#[path = "matches_tests.rs"]
mod tests;
