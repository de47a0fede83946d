//! The records lookout keeps — watch items and developments — with who
//! recorded them, and when a development counts as having happened.

use chrono::NaiveDate;

use super::{DevId, WatchLink, WatchSlug};
use crate::dates::{DevDate, PartialDate, Timestamp};

/// Who recorded a record, and who changed it last and when: what a team's
/// sync reads to settle two changes of one field. None where a store of an
/// earlier version did not say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    pub recorded_by: Option<String>,
    pub updated_at: Option<Timestamp>,
    pub updated_by: Option<String>,
}

impl Provenance {
    /// A record new from `author` at `at`.
    pub fn new(author: &str, at: Timestamp) -> Provenance {
        Provenance {
            recorded_by: Some(author.to_string()),
            updated_at: Some(at),
            updated_by: Some(author.to_string()),
        }
    }

    /// A development new from `author`: its time of recording says when, and
    /// `updated_*` stay unset until it is changed (a development counts as
    /// changed when it was recorded; see `Development::changed_at`). Most
    /// developments are never edited, and a bulk import writes less.
    pub fn recorded(author: &str) -> Provenance {
        Provenance {
            recorded_by: Some(author.to_string()),
            updated_at: None,
            updated_by: None,
        }
    }

    /// The same record, changed by `author` at `at`.
    pub fn touch(&mut self, author: &str, at: Timestamp) {
        self.updated_at = Some(at);
        self.updated_by = Some(author.to_string());
    }
}

/// Something being followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchItem {
    pub slug: WatchSlug,
    pub title: String,
    pub description: Option<String>,
    pub opened: PartialDate,
    pub tags: Vec<String>,
    pub provenance: Provenance,
}

/// Something that happened — or, when scheduled, is due to happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Development {
    pub id: DevId,
    pub date: DevDate,
    pub kind: String,
    pub headline: String,
    pub texts: Texts,
    pub links: Vec<WatchLink>,
    pub actors: Vec<String>,
    pub sources: Vec<String>,
    /// When it was recorded as having happened (or, while scheduled, as due).
    pub recorded_at: Timestamp,
    /// Due, not done: it never counts until recorded as having happened.
    pub scheduled: bool,
    pub retracted: Option<Retraction>,
    pub provenance: Provenance,
}

impl Development {
    /// Whether `log` should take this for `other` logged again: the same date
    /// as entered, the same watch items, the same headline but for case and
    /// spacing.
    pub fn repeats(&self, other: &Development) -> bool {
        let words = |text: &str| {
            text.to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut slugs: Vec<&WatchSlug> = self.links.iter().map(|l| &l.slug).collect();
        let mut theirs: Vec<&WatchSlug> = other.links.iter().map(|l| &l.slug).collect();
        slugs.sort();
        theirs.sort();
        self.date == other.date
            && slugs == theirs
            && words(&self.headline) == words(&other.headline)
    }

    /// Who changed it last: who updated it, else who recorded it.
    pub fn changed_by(&self) -> Option<&str> {
        self.provenance
            .updated_by
            .as_deref()
            .or(self.provenance.recorded_by.as_deref())
    }

    /// When it last changed: its update, or its recording when no update is known.
    pub fn changed_at(&self) -> Timestamp {
        self.provenance.updated_at.unwrap_or(self.recorded_at)
    }

    /// The day by which it had certainly happened (docs/DESIGN.md, "Derivation"):
    /// its date's settled day given the UTC day it was recorded. None while
    /// it is scheduled, which never counts as having happened.
    pub fn settled(&self) -> Option<NaiveDate> {
        (!self.scheduled).then(|| self.date.settled(self.recorded_at.day()))
    }
}

/// A development's free texts: each optional, plain text within a limit,
/// read, checked, stored, written and merged alike. A free text is a field
/// here and its entry in `record::fields::FIELDS`, which says the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Texts {
    /// More detail.
    pub summary: Option<String>,
}

/// Why and when a development was withdrawn from the record's reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retraction {
    pub at: Timestamp,
    pub reason: String,
}

#[cfg(test)]
impl WatchItem {
    /// A watch item for tests: titled `Item SLUG`, opened 2025-01, with no
    /// description or tags.
    pub fn sample(slug: &str) -> WatchItem {
        WatchItem {
            slug: WatchSlug::parse(slug).expect("a test slug"),
            title: format!("Item {slug}"),
            description: None,
            opened: "2025-01".parse().expect("a test date"),
            tags: Vec::new(),
            provenance: Provenance::default(),
        }
    }
}

#[cfg(test)]
impl Development {
    /// A plain development for tests, to be filled in with struct update
    /// syntax: kind `other`, headline `h`, nothing linked, no actors or
    /// sources, recorded at 2025-08-01T00:00:00Z, neither scheduled nor
    /// retracted.
    pub fn sample(id: &str, date: &str) -> Development {
        Development {
            id: DevId::parse(id).expect("a test id"),
            date: date.parse().expect("a test date"),
            kind: "other".into(),
            headline: "h".into(),
            texts: Texts::default(),
            links: Vec::new(),
            actors: Vec::new(),
            sources: Vec::new(),
            recorded_at: Timestamp::parse("2025-08-01T00:00:00Z").expect("a test time"),
            scheduled: false,
            retracted: None,
            provenance: Provenance::default(),
        }
    }

    // The store's queries decide what counts; these state the rule
    // plainly, for tests to hold the store to.

    /// Whether it counts as of `day`: not retracted, not scheduled, and
    /// certainly happened by then.
    pub fn counts_at(&self, day: NaiveDate) -> bool {
        self.retracted.is_none() && self.settled().is_some_and(|settled| settled <= day)
    }

    /// Whether it may have happened by `day` without having certainly
    /// happened: its interval has started, it is not yet settled.
    pub fn may_have_happened_by(&self, day: NaiveDate) -> bool {
        self.retracted.is_none()
            && self.date.started_by(day)
            && self.settled().is_some_and(|settled| settled > day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A development dated `date`, recorded at noon UTC on `recorded`.
    fn dated(date: &str, recorded: &str, scheduled: bool) -> Development {
        Development {
            recorded_at: Timestamp::parse(&format!("{recorded}T12:00:00Z")).unwrap(),
            scheduled,
            ..Development::sample("d", date)
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Whether `dev` counts (`c`), may have happened (`m`) or neither (`-`)
    /// as of each day.
    fn standing(dev: &Development, days: &[&str]) -> String {
        days.iter()
            .map(
                |d| match (dev.counts_at(day(d)), dev.may_have_happened_by(day(d))) {
                    (true, false) => 'c',
                    (false, true) => 'm',
                    (false, false) => '-',
                    (true, true) => '!',
                },
            )
            .collect()
    }

    /// Date | recorded on | as-of days: before its interval, inside it, its
    /// last day, after it | counts (c), may have happened (m) or neither (-).
    const STANDINGS: [&str; 11] = [
        "2025-07-26      | 2025-07-26 | 2025-07-25 2025-07-26 2025-07-26 2025-07-27 | -ccc",
        "2025-07-26      | 2025-08-05 | 2025-07-25 2025-07-26 2025-07-26 2025-07-27 | -ccc",
        "2025-07         | 2025-07-10 | 2025-06-30 2025-07-09 2025-07-10 2025-08-01 | -mcc",
        "2025-07         | 2025-08-05 | 2025-06-30 2025-07-15 2025-07-31 2025-08-01 | -mcc",
        "2025-07         | 2025-06-01 | 2025-06-30 2025-07-15 2025-07-31 2025-08-01 | -mcc",
        "2025?           | 2025-03-01 | 2024-12-31 2025-02-28 2025-03-01 2026-01-01 | -mcc",
        "2025            | 2026-02-01 | 2024-12-31 2025-06-30 2025-12-31 2026-01-01 | -mcc",
        "2025-06/2025-08 | 2025-07-01 | 2025-05-31 2025-06-15 2025-07-01 2025-09-01 | -mcc",
        "2025-06/2025-08 | 2025-09-01 | 2025-05-31 2025-07-15 2025-08-31 2025-09-01 | -mcc",
        // An open start may have happened on any day before it settles.
        "../2025-07      | 2025-07-20 | 1990-01-01 2025-07-19 2025-07-20 2025-08-01 | mmcc",
        "../2025-07      | 2025-09-01 | 1990-01-01 2025-07-30 2025-07-31 2025-08-01 | mmcc",
    ];

    #[test]
    fn a_development_counts_from_its_settled_day_and_may_have_happened_before() {
        for case in STANDINGS {
            let parts: Vec<&str> = case.split('|').map(str::trim).collect();
            let [date, recorded, days, expected] = parts[..] else {
                panic!("{case}");
            };
            let days: Vec<&str> = days.split(' ').collect();
            let dev = dated(date, recorded, false);
            assert_eq!(standing(&dev, &days), expected, "{case}");
        }
    }

    #[test]
    fn a_scheduled_or_retracted_development_never_counts() {
        let mut due = dated("2025-09-15", "2025-08-01", true);
        assert_eq!(due.settled(), None);
        assert_eq!(
            standing(&due, &["2025-09-14", "2025-09-15", "2026-01-01"]),
            "---"
        );
        // Recorded as having happened (edit --occurred), it counts from its day.
        due.scheduled = false;
        assert_eq!(due.settled(), Some(day("2025-09-15")));
        assert_eq!(standing(&due, &["2025-09-14", "2025-09-15"]), "-c");
        due.retracted = Some(Retraction {
            at: due.recorded_at,
            reason: "false report".into(),
        });
        assert_eq!(standing(&due, &["2025-09-14", "2025-09-15"]), "--");
    }
}
