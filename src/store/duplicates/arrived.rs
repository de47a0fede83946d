//! The likely duplicates among developments as they arrive, held in memory:
//! what `Store::likely_duplicates(None)` finds in a store that holds exactly
//! those developments, found without reading the store. A first sync into a
//! blank store looks for them on its reading thread while the other builds
//! the store's indexes. The memory it takes is bounded: past `MAX_BYTES` it
//! lets go of what it holds, and the store is asked afterwards instead.

use std::collections::BTreeMap;

use super::{BySlug, Dated, LikelyDuplicates, add_member};
use crate::model::{DevId, Development};
use crate::suggest::Headline;

/// What the developments held may take: about 190,000 of them with
/// headlines of a dozen words (at a million, the store is asked).
const MAX_BYTES: usize = 32 << 20;

/// A development as it arrived, reduced to what the check compares.
struct Arrived {
    id: DevId,
    headline: String,
    /// Its watch items' slugs, one a line.
    slugs: String,
}

/// See the module docs: `add` each development, then `finish`.
#[derive(Default)]
pub struct ArrivedDuplicates {
    /// By date as entered, in the order they came.
    dates: BTreeMap<String, Vec<Arrived>>,
    bytes: usize,
    overflowed: bool,
}

impl ArrivedDuplicates {
    /// Holds `dev` for the check, unless it is retracted (it does not
    /// count) or the memory allowed is spent.
    pub fn add(&mut self, dev: &Development) {
        if self.overflowed || dev.retracted.is_some() {
            return;
        }
        let slugs: Vec<&str> = dev.links.iter().map(|l| l.slug.as_str()).collect();
        let arrived = Arrived {
            id: dev.id.clone(),
            headline: dev.headline.clone(),
            slugs: slugs.join("\n"),
        };
        self.bytes += std::mem::size_of::<Arrived>()
            + arrived.id.as_str().len()
            + arrived.headline.len()
            + arrived.slugs.len();
        if self.bytes > MAX_BYTES {
            self.overflowed = true;
            self.dates = BTreeMap::new();
            return;
        }
        self.dates
            .entry(dev.date.to_string())
            .or_default()
            .push(arrived);
    }

    /// The likely duplicates among every development added; None when
    /// they took more memory than allowed and were let go.
    pub fn finish(self) -> Option<LikelyDuplicates> {
        if self.overflowed {
            return None;
        }
        let mut found = LikelyDuplicates::default();
        for (date, mut arrived) in self.dates {
            if arrived.len() < 2 {
                continue;
            }
            // As the store reads them: in id order.
            arrived.sort_by(|a, b| a.id.cmp(&b.id));
            let mut by_slug = BySlug::new();
            for (index, dev) in arrived.iter().enumerate() {
                let slugs = dev.slugs.split('\n').filter(|s| !s.is_empty());
                add_member(&mut by_slug, slugs, index as u32);
            }
            // Only a headline that shares an item with another is compared:
            // only those are prepared.
            let mut compared = vec![false; arrived.len()];
            for members in by_slug.values().filter(|m| m.len() > 1) {
                for &i in members {
                    compared[i as usize] = true;
                }
            }
            let devs: Vec<Dated> = arrived
                .into_iter()
                .zip(compared)
                .map(|(dev, compared)| Dated {
                    id: dev.id,
                    headline: Headline::new(if compared { &dev.headline } else { "" }),
                })
                .collect();
            found.add_dated(&date, &devs, by_slug, None);
        }
        found.groups.sort();
        Some(found)
    }
}
