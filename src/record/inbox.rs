//! The records of this store alone: feeds (`feed add`) and the entries
//! `fetch` found in them. The journal keeps them as lines, as it keeps the
//! shared records, so that undo puts them back; export and sync never see
//! them (`Record` has no variant for them).

use serde::{Deserialize, Serialize};

use super::JournalForms;
use crate::error::{Error, Result};

/// A feed a user named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Feed {
    pub(crate) name: String,
    /// An http(s) URL, a `file://` URL or a path, as given.
    pub(crate) location: String,
    /// The watch items every entry of it suggests.
    pub(crate) watch: Vec<String>,
    /// `SLUG=WORD`: an entry whose title or summary holds WORD suggests SLUG.
    pub(crate) matches: Vec<String>,
    pub(crate) added_at: String,
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
    pub(crate) fetched_at: Option<String>,
}

/// Where an inbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum EntryState {
    New,
    Accepted,
    Dismissed,
}

impl EntryState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EntryState::New => "new",
            EntryState::Accepted => "accepted",
            EntryState::Dismissed => "dismissed",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<EntryState> {
        match text {
            "new" => Ok(EntryState::New),
            "accepted" => Ok(EntryState::Accepted),
            "dismissed" => Ok(EntryState::Dismissed),
            other => Err(Error::io(format!(
                "the inbox holds an unknown state '{}'",
                crate::screen::echo(other)
            ))),
        }
    }
}

/// One entry a fetch found in a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InboxEntry {
    /// What the analyst types (`inbox accept 12`).
    pub(crate) number: i64,
    pub(crate) feed: String,
    /// Its guid or id, else its link: kept once per feed.
    pub(crate) identity: String,
    pub(crate) title: String,
    pub(crate) link: Option<String>,
    /// The date as the feed gave it.
    pub(crate) published: Option<String>,
    /// Its day, when the date is one lookout can use.
    pub(crate) day: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) arrived_at: String,
    pub(crate) state: EntryState,
    /// The development it became, once accepted.
    pub(crate) development: Option<String>,
    pub(crate) reason: Option<String>,
    /// The watch items it suggests, found when it arrived.
    pub(crate) suggested: Vec<String>,
}

#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(rename = "type")]
    record: &'a str,
    #[serde(flatten)]
    value: &'a T,
}

fn line<T: Serialize>(record: &str, value: &T) -> String {
    // Strings, numbers, lists and options only: serde_json cannot fail.
    serde_json::to_string(&Tagged { record, value }).unwrap_or_default()
}

/// A feed as the journal keeps it. Its digest leaves out what a fetch
/// changes (the server's validators, the time read), so that a later fetch
/// does not stand in the way of undoing the one before.
pub(crate) fn feed_forms(feed: &Feed) -> JournalForms {
    let mut plain = feed.clone();
    plain.etag = None;
    plain.last_modified = None;
    plain.fetched_at = None;
    JournalForms::new(line("feed", feed), Some(line("feed", &plain)))
}

pub(crate) fn entry_forms(entry: &InboxEntry) -> JournalForms {
    JournalForms::new(line("inbox", entry), None)
}

fn read<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        Error::io(format!("the journal holds a damaged {what} line: {e}"))
            .with_hint("run `lookout check`")
    })
}

pub(crate) fn feed_from_line(text: &str) -> Result<Feed> {
    read(text, "feed")
}

pub(crate) fn entry_from_line(text: &str) -> Result<InboxEntry> {
    read(text, "inbox")
}

/// An entry as a feed gives it, read and cleaned, before the store numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewEntry {
    pub(crate) identity: String,
    pub(crate) title: String,
    pub(crate) link: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) day: Option<String>,
    pub(crate) summary: Option<String>,
}
