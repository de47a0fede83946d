//! The records of a tracker — user-added kinds, watch items, developments —
//! and their one text form, a JSON Lines line.
//!
//! A record is a model value (`model::WatchItem`, `model::Development`, or a
//! kind's name) with an identity (`RecordKind` and key). Everything that
//! stores, compares or moves whole records goes through this module: the
//! store's journal keeps record lines and undo reads them back
//! (`Record::from_line`), export and the sync text form write them, import
//! reads them (`draft`), and `diff` compares two of them field by field.
//!
//! This module knows nothing of the store, files or terminals.

pub(crate) mod diff;
pub mod draft;
pub(crate) mod fields;
mod flat;
pub(crate) mod inbox;
mod line;

use std::fmt;

pub(crate) use flat::{FlatDevelopment, stored_columns};
pub(crate) use line::{JournalForms, development_forms, kind_forms, watch_item_forms};

use crate::error::{Error, Result};
use crate::model::{Development, WatchItem};

/// Which kind of record: the first part of a record's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum RecordKind {
    /// A kind added to the vocabulary (`kinds add`); the built-in ones are not records.
    Kind,
    Watch,
    Development,
    /// A feed (`feed add`): this store's alone, never exported nor synced.
    Feed,
    /// An inbox entry (`fetch`): this store's alone, never exported nor synced.
    Inbox,
}

impl RecordKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RecordKind::Kind => "kind",
            RecordKind::Watch => "watch",
            RecordKind::Development => "development",
            RecordKind::Feed => "feed",
            RecordKind::Inbox => "inbox",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<RecordKind> {
        match text {
            "kind" => Ok(RecordKind::Kind),
            "watch" => Ok(RecordKind::Watch),
            "development" => Ok(RecordKind::Development),
            "feed" => Ok(RecordKind::Feed),
            "inbox" => Ok(RecordKind::Inbox),
            other => Err(Error::data(format!(
                "unknown record type '{}'",
                crate::screen::echo(other)
            ))),
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One record of a tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    /// A user-added kind, by name.
    Kind(String),
    Watch(WatchItem),
    Development(Development),
}

impl Record {
    pub(crate) fn kind(&self) -> RecordKind {
        match self {
            Record::Kind(_) => RecordKind::Kind,
            Record::Watch(_) => RecordKind::Watch,
            Record::Development(_) => RecordKind::Development,
        }
    }

    /// The record's key within its kind: a kind's name, a watch item's slug,
    /// a development's id.
    pub(crate) fn key(&self) -> &str {
        match self {
            Record::Kind(name) => name,
            Record::Watch(item) => item.slug.as_str(),
            Record::Development(dev) => dev.id.as_str(),
        }
    }

    /// The record as one JSON Lines line, without its line end: the form
    /// export writes and the journal keeps.
    pub(crate) fn to_line(&self) -> String {
        line::encode(self)
    }

    /// Reads a whole record back from its line: every field a record needs
    /// must be there (an import file may leave some out; see `draft`).
    pub(crate) fn from_line(text: &str) -> Result<Record> {
        draft::RawRecord::from_line(text)?
            .check(draft::Naming::Field, None)?
            .complete()
    }
}

/// One record a journal entry touched: its line before and after (None: it
/// did not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) record: RecordKind,
    pub(crate) key: String,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

/// One journal entry: a command that changed the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) id: i64,
    pub(crate) at: String,
    pub(crate) command: String,
    /// Who ran it; None for entries of a store before version 2.
    pub(crate) author: Option<String>,
    pub(crate) summary: String,
    /// How many records the entry touched.
    pub(crate) change_count: u64,
    /// The changes, when asked for (all, or those about one record).
    pub(crate) changes: Vec<Change>,
    /// When undo reverted it (UTC), and who ran that undo; None while it stands.
    pub(crate) undone_at: Option<String>,
    pub(crate) undone_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::line::digest_form;
    use super::*;
    use crate::dates::{DevDate, Timestamp};
    use crate::model::{DevId, Provenance, Retraction, Status, Texts, WatchLink, WatchSlug};

    fn development() -> Development {
        Development {
            id: DevId::parse("jtce187y").unwrap(),
            date: "2025-07-26".parse::<DevDate>().unwrap(),
            kind: "statement".into(),
            headline: "Li proposes an organisation".into(),
            texts: Texts {
                summary: Some("two\nlines, \"quoted\"".into()),
            },
            links: vec![WatchLink {
                slug: WatchSlug::parse("intl-ai-org").unwrap(),
                to: Some(Status::Emerging),
            }],
            actors: vec!["China".into()],
            sources: vec!["https://example.org/a".into()],
            recorded_at: Timestamp::parse("2025-07-27T09:30:00Z").unwrap(),
            scheduled: false,
            retracted: Some(Retraction {
                at: Timestamp::parse("2025-07-28T10:00:00Z").unwrap(),
                reason: "denied".into(),
            }),
            provenance: Provenance {
                recorded_by: Some("Ana <ana@example.org>".into()),
                updated_at: Some(Timestamp::parse("2025-07-28T10:00:00Z").unwrap()),
                updated_by: Some("Ben".into()),
            },
        }
    }

    #[test]
    fn the_line_form_is_stable() {
        // Exports, journals and shared trackers hold these bytes: they change
        // only on purpose.
        let line = Record::Development(development()).to_line();
        assert_eq!(
            line,
            r#"{"type":"development","id":"jtce187y","date":"2025-07-26","precision":"day","kind":"statement","watch":[{"slug":"intl-ai-org","to":"emerging"}],"actors":["China"],"headline":"Li proposes an organisation","summary":"two\nlines, \"quoted\"","sources":["https://example.org/a"],"recorded_at":"2025-07-27T09:30:00.000000Z","start":"2025-07-26","end":"2025-07-26","scheduled":false,"recorded_by":"Ana <ana@example.org>","updated_at":"2025-07-28T10:00:00.000000Z","updated_by":"Ben","retracted":{"at":"2025-07-28T10:00:00.000000Z","reason":"denied"}}"#
        );
        let mut interval = development();
        interval.date = "../2025-07".parse().unwrap();
        interval.scheduled = true;
        interval.retracted = None;
        interval.provenance = Provenance::default();
        assert_eq!(
            Record::Development(interval).to_line(),
            r#"{"type":"development","id":"jtce187y","date":"../2025-07","precision":"interval","kind":"statement","watch":[{"slug":"intl-ai-org","to":"emerging"}],"actors":["China"],"headline":"Li proposes an organisation","summary":"two\nlines, \"quoted\"","sources":["https://example.org/a"],"recorded_at":"2025-07-27T09:30:00.000000Z","start":null,"end":"2025-07-31","scheduled":true,"recorded_by":null,"updated_at":null,"updated_by":null,"retracted":null}"#
        );
        let item = WatchItem {
            slug: WatchSlug::parse("intl-ai-org").unwrap(),
            title: "Org".into(),
            description: None,
            opened: "2025-07".parse().unwrap(),
            tags: vec!["china".into()],
            provenance: Provenance::default(),
        };
        assert_eq!(
            Record::Watch(item).to_line(),
            r#"{"type":"watch","slug":"intl-ai-org","title":"Org","description":null,"opened":"2025-07","tags":["china"],"recorded_by":null,"updated_at":null,"updated_by":null}"#
        );
        assert_eq!(
            Record::Kind("court-ruling".into()).to_line(),
            r#"{"type":"kind","name":"court-ruling"}"#
        );
    }

    #[test]
    fn the_digest_of_an_unattributed_record_covers_its_first_release_line() {
        // A store upgraded from version 1 keeps journals whose digests were
        // taken of these bytes; they must still match for undo to go on.
        let mut dev = development();
        dev.provenance = Provenance::default();
        assert_eq!(
            digest_form(&Record::Development(dev.clone())),
            r#"{"type":"development","id":"jtce187y","date":"2025-07-26","precision":"day","kind":"statement","watch":[{"slug":"intl-ai-org","to":"emerging"}],"actors":["China"],"headline":"Li proposes an organisation","summary":"two\nlines, \"quoted\"","sources":["https://example.org/a"],"recorded_at":"2025-07-27T09:30:00.000000Z","retracted":{"at":"2025-07-28T10:00:00.000000Z","reason":"denied"}}"#
        );
        // Once attributed, the digest covers the line of version 2: all but
        // the derived start and end, and scheduled while false.
        let attributed = Record::Development(development());
        let line = attributed.to_line();
        assert_eq!(
            digest_form(&attributed),
            line.replace(
                r#","start":"2025-07-26","end":"2025-07-26","scheduled":false"#,
                ""
            )
        );
        // A scheduled development's digest says so.
        let mut due = development();
        due.scheduled = true;
        assert!(digest_form(&Record::Development(due)).contains(r#""scheduled":true"#));
    }

    #[test]
    fn start_and_end_are_checked_against_the_date_on_reading() {
        let line = Record::Development(development()).to_line();
        let wrong = line.replace(r#""end":"2025-07-26""#, r#""end":"2025-07-31""#);
        let err = Record::from_line(&wrong).unwrap_err();
        assert_eq!(
            err.message(),
            "field 'end': '2025-07-31' contradicts the date '2025-07-26', which ends on 2025-07-26"
        );
        // Lines written before they existed read as they always did.
        let old = line.replace(
            r#","start":"2025-07-26","end":"2025-07-26","scheduled":false"#,
            "",
        );
        assert_eq!(
            Record::from_line(&old).unwrap(),
            Record::Development(development())
        );
    }

    #[test]
    fn lines_read_back_as_the_same_records() {
        let mut due = development();
        due.date = "2026-01/2026-02-15?".parse().unwrap();
        due.scheduled = true;
        let mut before = development();
        before.date = "../2025".parse().unwrap();
        for record in [
            Record::Development(development()),
            Record::Development(due),
            Record::Development(before),
            Record::Kind("court-ruling".into()),
        ] {
            assert_eq!(Record::from_line(&record.to_line()).unwrap(), record);
        }
    }

    #[test]
    fn a_whole_record_needs_its_id_and_time() {
        let err = Record::from_line(
            r#"{"type":"development","date":"2025","kind":"other","headline":"h"}"#,
        )
        .unwrap_err();
        assert_eq!(err.message(), "field 'id': is missing");
        let err = Record::from_line(r#"{"type":"watch","slug":"a","title":"A"}"#).unwrap_err();
        assert_eq!(err.message(), "field 'opened': is missing");
        // Relative words are for people typing, never for stored records.
        let err = Record::from_line(
            r#"{"type":"development","id":"x","date":"today","kind":"other","headline":"h","recorded_at":"2025-01-01T00:00:00Z"}"#,
        )
        .unwrap_err();
        assert!(
            err.message()
                .starts_with("field 'date': invalid date 'today'"),
            "{}",
            err.message()
        );
    }
}
