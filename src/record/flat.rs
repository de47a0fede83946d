//! A development as flat text: each field one string, lists `;`-joined, as
//! the timeline CSV writes it and the store's list columns keep it. The store
//! hands out stored rows in this form without parsing them (the fast export
//! path); a development value gives the same with `FlatDevelopment::of`.

use std::borrow::Cow;

use crate::dates::day_text;
use crate::model::{Development, WatchLink};

/// A development's fields as text, in the timeline CSV's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatDevelopment<'a> {
    pub id: Cow<'a, str>,
    pub date: Cow<'a, str>,
    pub precision: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    /// `slug` or `slug=status`, `;`-joined.
    pub watch: Cow<'a, str>,
    pub actors: Cow<'a, str>,
    pub headline: Cow<'a, str>,
    /// Empty when there is none.
    pub summary: Cow<'a, str>,
    pub sources: Cow<'a, str>,
    pub recorded_at: Cow<'a, str>,
    /// The first day of the date's interval; empty for an open start.
    pub start: Cow<'a, str>,
    pub end: Cow<'a, str>,
    /// `true` or `false`.
    pub scheduled: Cow<'a, str>,
    /// Empty when unknown (a record of a store before version 2).
    pub recorded_by: Cow<'a, str>,
}

impl<'a> FlatDevelopment<'a> {
    pub fn of(dev: &'a Development) -> FlatDevelopment<'a> {
        FlatDevelopment {
            id: Cow::Borrowed(dev.id.as_str()),
            date: Cow::Owned(dev.date.to_string()),
            precision: Cow::Borrowed(dev.date.precision().as_str()),
            kind: Cow::Borrowed(&dev.kind),
            watch: Cow::Owned(WatchLink::join(&dev.links, ";")),
            actors: Cow::Owned(dev.actors.join(";")),
            headline: Cow::Borrowed(&dev.headline),
            summary: Cow::Borrowed(dev.summary.as_deref().unwrap_or("")),
            sources: Cow::Owned(dev.sources.join(";")),
            recorded_at: Cow::Owned(dev.recorded_at.to_string()),
            start: Cow::Owned(dev.date.start().map(day_text).unwrap_or_default()),
            end: Cow::Owned(day_text(dev.date.end())),
            scheduled: Cow::Borrowed(flag_text(dev.scheduled)),
            recorded_by: Cow::Borrowed(dev.provenance.recorded_by.as_deref().unwrap_or("")),
        }
    }

    /// The cells in order.
    pub fn cells(&self) -> [&str; 14] {
        [
            &self.id,
            &self.date,
            &self.precision,
            &self.kind,
            &self.watch,
            &self.actors,
            &self.headline,
            &self.summary,
            &self.sources,
            &self.recorded_at,
            &self.start,
            &self.end,
            &self.scheduled,
            &self.recorded_by,
        ]
    }
}

/// A flag as CSV writes it.
fn flag_text(flag: bool) -> &'static str {
    if flag { "true" } else { "false" }
}
