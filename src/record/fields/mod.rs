//! A development's fields, declared once.
//!
//! Every shape a development is written in is this list, or a part of it,
//! in this order: its JSON Lines line (every field, after `"type"`), the
//! journal's digest of it (the line less what `Digest` leaves out), the
//! timeline JSON, CSV and search hits (the fields that reach `TIMELINE`),
//! `show --format json` (those that reach `DETAIL`), and the flat text the
//! store hands the timeline CSV without parsing a row (`stored`). Which
//! forms carry a field follows from where it reaches.
//!
//! A development's free texts (`model::Texts`: optional plain text within a
//! limit, such as the summary) are more: everything else about them follows
//! from their entry (`Field::text`) — the CSV column and JSON Lines field
//! they are read from, their check and limit, the store's column of their
//! name, `log`'s and `edit`'s flags (`cli::texts`, by name), `show`. A new
//! free text is a field of `Texts`, its entry here, its flags and a
//! migration that adds its column.
//!
//! The other fields are read by hand: a file states a record in plain text
//! (`draft::RawDevelopment`) that is checked field by field with messages
//! naming the column, and the JSON Lines reader refuses unknown fields.

mod json;

pub use json::Json;

use crate::dates::day_text;
use crate::model::{Development, Provenance, Retraction, Texts, WatchLink};

/// The forms of a development, from the smallest to the whole line: a field
/// reaching a form is in it and in every larger one.
pub type Reach = u8;
/// The timeline: its JSON, its CSV, search hits.
pub const TIMELINE: Reach = 0;
/// `show --format json`: the timeline's fields and the retraction.
pub const DETAIL: Reach = 1;
/// The JSON Lines line alone: export, the journal, the shared tracker.
pub const LINE: Reach = 2;

/// Whether the journal's digest of a development covers a field. Fields
/// that came after the first release are left out while they hold their
/// default, so a journal written by an older lookout still undoes after
/// the store is upgraded.
#[derive(Clone, Copy)]
pub enum Digest {
    Always,
    /// Derived from other fields: it says nothing they do not.
    Never,
    /// Only when this holds.
    When(fn(&Development) -> bool),
    /// Only when it holds more than its default (null, false): a field
    /// added after the first release. The row digest of an import
    /// (`store::added`) leaves a free text out alike.
    WhenSet,
}

/// One field of a development.
pub struct Field {
    /// Its name: the JSON key, the CSV column, what `history` and sync call it.
    pub name: &'static str,
    /// The smallest form that carries it.
    pub reach: Reach,
    pub digest: Digest,
    /// Its value.
    pub value: for<'a> fn(&'a Development) -> Value<'a>,
    /// For the fields of the timeline: the SQL expression over
    /// `developments d` that gives its flat text as stored.
    pub stored: &'static str,
    /// A free text (`model::Texts`): read from a file's column or field of
    /// its name, checked against its limit, kept in the store's column of
    /// its name, set by `log`'s and `edit`'s flag of its name, shown by
    /// `show`. Every other field is read, stored and set by hand.
    pub text: Option<Text>,
}

/// Where a free text is kept in `model::Texts`, and how long it may be.
#[derive(Clone, Copy)]
pub struct Text {
    pub get: fn(&Texts) -> &Option<String>,
    pub slot: fn(&mut Texts) -> &mut Option<String>,
    /// The most characters it may hold (`limits`).
    pub limit: usize,
}

/// A development's summary: a few pages.
pub const SUMMARY: usize = 10_000;

/// A field's value, written as JSON or as flat text.
pub enum Value<'a> {
    Text(&'a str),
    Owned(String),
    /// Null in JSON, empty in flat text.
    Maybe(Option<&'a str>),
    MaybeOwned(Option<String>),
    List(&'a [String]),
    Links(&'a [WatchLink]),
    Flag(bool),
    Retraction(Option<&'a Retraction>),
}

fn attributed(dev: &Development) -> bool {
    dev.provenance != Provenance::default()
}

/// A development's fields, in the order of every form.
pub const FIELDS: &[Field] = &[
    Field {
        name: "id",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(d.id.as_str()),
        stored: "d.id",
        text: None,
    },
    Field {
        name: "date",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Owned(d.date.to_string()),
        stored: "d.date",
        text: None,
    },
    Field {
        name: "precision",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(d.date.precision().as_str()),
        stored: "d.precision",
        text: None,
    },
    Field {
        name: "kind",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(&d.kind),
        stored: "d.kind",
        text: None,
    },
    Field {
        name: "watch",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Links(&d.links),
        stored: "d.watch",
        text: None,
    },
    Field {
        name: "actors",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::List(&d.actors),
        stored: "d.actors",
        text: None,
    },
    Field {
        name: "headline",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(&d.headline),
        stored: "d.headline",
        text: None,
    },
    Field {
        name: "summary",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Maybe(d.texts.summary.as_deref()),
        stored: "coalesce(d.summary, '')",
        text: Some(Text {
            get: |t| &t.summary,
            slot: |t| &mut t.summary,
            limit: SUMMARY,
        }),
    },
    Field {
        name: "sources",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::List(&d.sources),
        stored: "d.sources",
        text: None,
    },
    Field {
        name: "recorded_at",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Owned(d.recorded_at.to_string()),
        stored: "d.recorded_at",
        text: None,
    },
    Field {
        // The first day of the date's interval; null (empty) for an open start.
        name: "start",
        reach: TIMELINE,
        digest: Digest::Never,
        value: |d| Value::MaybeOwned(d.date.start().map(day_text)),
        stored: "d.date_start",
        text: None,
    },
    Field {
        name: "end",
        reach: TIMELINE,
        digest: Digest::Never,
        value: |d| Value::Owned(day_text(d.date.end())),
        stored: "d.date_end",
        text: None,
    },
    Field {
        name: "scheduled",
        reach: TIMELINE,
        digest: Digest::WhenSet,
        value: |d| Value::Flag(d.scheduled),
        stored: "CASE d.scheduled WHEN 1 THEN 'true' ELSE 'false' END",
        text: None,
    },
    Field {
        // Null (empty) when unknown: a record of a store before version 2.
        name: "recorded_by",
        reach: TIMELINE,
        digest: Digest::When(attributed),
        value: |d| Value::Maybe(d.provenance.recorded_by.as_deref()),
        stored: "coalesce(d.recorded_by, '')",
        text: None,
    },
    Field {
        name: "updated_at",
        reach: LINE,
        digest: Digest::When(attributed),
        value: |d| Value::MaybeOwned(d.provenance.updated_at.map(|t| t.to_string())),
        stored: "",
        text: None,
    },
    Field {
        name: "updated_by",
        reach: LINE,
        digest: Digest::When(attributed),
        value: |d| Value::Maybe(d.provenance.updated_by.as_deref()),
        stored: "",
        text: None,
    },
    Field {
        name: "retracted",
        reach: DETAIL,
        digest: Digest::Always,
        value: |d| Value::Retraction(d.retracted.as_ref()),
        stored: "",
        text: None,
    },
];

/// How many fields reach `form`.
pub const fn count(form: Reach) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        if FIELDS[i].reach <= form {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The names of the fields that reach `form`, in order.
const fn names<const N: usize>(form: Reach) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].reach <= form {
            out[n] = FIELDS[i].name;
            n += 1;
        }
        i += 1;
    }
    out
}

/// How many free texts a development has.
pub const TEXT_COUNT: usize = {
    let (mut n, mut i) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].text.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
};

/// How many fields the timeline has: the timeline CSV's columns.
pub const TIMELINE_WIDTH: usize = count(TIMELINE);
/// The timeline CSV's columns.
pub const TIMELINE_COLUMNS: [&str; TIMELINE_WIDTH] = names::<TIMELINE_WIDTH>(TIMELINE);

/// The field of this name.
pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The free texts, in order, each with where it is kept.
pub fn texts() -> impl Iterator<Item = (&'static Field, &'static Text)> {
    FIELDS
        .iter()
        .filter_map(|f| f.text.as_ref().map(|text| (f, text)))
}

/// The free text of this name.
pub fn text(name: &str) -> Option<&'static Text> {
    field(name).and_then(|f| f.text.as_ref())
}

/// The fields that reach `form`.
pub fn reaching(form: Reach) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| f.reach <= form)
}

impl Value<'_> {
    /// The value as flat text: lists `;`-joined, none empty, flags `true` or `false`.
    pub fn flat(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            Value::Text(text) => Cow::Borrowed(text),
            Value::Owned(text) => Cow::Borrowed(text),
            Value::Maybe(text) => Cow::Borrowed(text.unwrap_or("")),
            Value::MaybeOwned(text) => Cow::Borrowed(text.as_deref().unwrap_or("")),
            Value::List(list) => Cow::Owned(list.join(";")),
            Value::Links(links) => Cow::Owned(WatchLink::join(links, ";")),
            Value::Flag(flag) => Cow::Borrowed(flag_text(*flag)),
            // No flat form carries a retraction.
            Value::Retraction(_) => Cow::Borrowed(""),
        }
    }

    /// Whether it holds no more than its default: null, false.
    pub fn is_default(&self) -> bool {
        matches!(
            self,
            Value::Maybe(None) | Value::MaybeOwned(None) | Value::Flag(false)
        )
    }

    /// The value as flat text, owned.
    pub fn into_flat(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Owned(self.flat().into_owned())
    }
}

/// A flag as flat text.
pub fn flag_text(flag: bool) -> &'static str {
    if flag { "true" } else { "false" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_declared_once_and_forms_grow_in_order() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        assert!(count(TIMELINE) < count(DETAIL) && count(DETAIL) < count(LINE));
        assert_eq!(count(LINE), FIELDS.len());
        // The flat path reads a stored expression for every timeline field.
        assert!(reaching(TIMELINE).all(|f| !f.stored.is_empty()));
    }

    #[test]
    fn every_free_text_but_the_summary_is_digested_only_when_set() {
        // The summary came with the first release; any later free text must
        // leave old journals' digests as they were (`store::added`).
        for (field, _) in texts() {
            let first = field.name == "summary";
            let when_set = matches!(field.digest, Digest::WhenSet);
            assert_eq!(first, !when_set, "{}", field.name);
        }
        assert_eq!(texts().count(), TEXT_COUNT);
    }

    #[test]
    fn the_timeline_columns_are_the_timeline_fields() {
        let fields: Vec<&str> = reaching(TIMELINE).map(|f| f.name).collect();
        assert_eq!(fields, TIMELINE_COLUMNS);
        assert_eq!(
            TIMELINE_COLUMNS.join(","),
            "id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at,start,end,scheduled,recorded_by"
        );
    }

    #[test]
    fn named_fields_come_in_the_order_named() {
        let dev = Development::sample("aaaaaaaa", "2025-07-26");
        let json = serde_json::to_string(&Json::named(&dev, &["headline", "id", "date"])).unwrap();
        assert_eq!(
            json,
            r#"{"headline":"h","id":"aaaaaaaa","date":"2025-07-26"}"#
        );
    }
}
