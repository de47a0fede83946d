//! A development's fields, declared once.
//!
//! Every shape a development is written in is this list, or a part of it,
//! in this order: its JSON Lines line (every field, after `"type"`), the
//! journal's digest of it (the line less what `Digest` leaves out), the
//! timeline JSON, CSV and search hits (the fields that reach `TIMELINE`),
//! `show --format json` (those that reach `DETAIL`), and the flat text the
//! store hands the timeline CSV without parsing a row (`stored`). A field
//! added to a development is one entry here; which forms carry it follows
//! from where it reaches.
//!
//! Reading is not derived: a file states a record in plain text
//! (`draft::RawDevelopment`) that is checked field by field with messages
//! naming the column, and the JSON Lines reader refuses unknown fields.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::dates::day_text;
use crate::model::{Development, Provenance, Retraction, WatchLink};

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
}

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
    },
    Field {
        name: "date",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Owned(d.date.to_string()),
        stored: "d.date",
    },
    Field {
        name: "precision",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(d.date.precision().as_str()),
        stored: "d.precision",
    },
    Field {
        name: "kind",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(&d.kind),
        stored: "d.kind",
    },
    Field {
        name: "watch",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Links(&d.links),
        stored: "d.watch",
    },
    Field {
        name: "actors",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::List(&d.actors),
        stored: "d.actors",
    },
    Field {
        name: "headline",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Text(&d.headline),
        stored: "d.headline",
    },
    Field {
        name: "summary",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Maybe(d.summary.as_deref()),
        stored: "coalesce(d.summary, '')",
    },
    Field {
        name: "sources",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::List(&d.sources),
        stored: "d.sources",
    },
    Field {
        name: "recorded_at",
        reach: TIMELINE,
        digest: Digest::Always,
        value: |d| Value::Owned(d.recorded_at.to_string()),
        stored: "d.recorded_at",
    },
    Field {
        // The first day of the date's interval; null (empty) for an open start.
        name: "start",
        reach: TIMELINE,
        digest: Digest::Never,
        value: |d| Value::MaybeOwned(d.date.start().map(day_text)),
        stored: "d.date_start",
    },
    Field {
        name: "end",
        reach: TIMELINE,
        digest: Digest::Never,
        value: |d| Value::Owned(day_text(d.date.end())),
        stored: "d.date_end",
    },
    Field {
        name: "scheduled",
        reach: TIMELINE,
        digest: Digest::When(|d| d.scheduled),
        value: |d| Value::Flag(d.scheduled),
        stored: "CASE d.scheduled WHEN 1 THEN 'true' ELSE 'false' END",
    },
    Field {
        // Null (empty) when unknown: a record of a store before version 2.
        name: "recorded_by",
        reach: TIMELINE,
        digest: Digest::When(attributed),
        value: |d| Value::Maybe(d.provenance.recorded_by.as_deref()),
        stored: "coalesce(d.recorded_by, '')",
    },
    Field {
        name: "updated_at",
        reach: LINE,
        digest: Digest::When(attributed),
        value: |d| Value::MaybeOwned(d.provenance.updated_at.map(|t| t.to_string())),
        stored: "",
    },
    Field {
        name: "updated_by",
        reach: LINE,
        digest: Digest::When(attributed),
        value: |d| Value::Maybe(d.provenance.updated_by.as_deref()),
        stored: "",
    },
    Field {
        name: "retracted",
        reach: DETAIL,
        digest: Digest::Always,
        value: |d| Value::Retraction(d.retracted.as_ref()),
        stored: "",
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

/// How many fields the timeline has: the timeline CSV's columns.
pub const TIMELINE_WIDTH: usize = count(TIMELINE);
/// The timeline CSV's columns.
pub const TIMELINE_COLUMNS: [&str; TIMELINE_WIDTH] = names::<TIMELINE_WIDTH>(TIMELINE);

/// The field of this name.
pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
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

    /// The value as flat text, owned.
    pub fn into_flat(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Owned(self.flat().into_owned())
    }
}

/// A flag as flat text.
pub fn flag_text(flag: bool) -> &'static str {
    if flag { "true" } else { "false" }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(text) => serializer.serialize_str(text),
            Value::Owned(text) => serializer.serialize_str(text),
            Value::Maybe(text) => text.serialize(serializer),
            Value::MaybeOwned(text) => text.serialize(serializer),
            Value::List(list) => list.serialize(serializer),
            Value::Links(links) => {
                let mut seq = serializer.serialize_seq(Some(links.len()))?;
                for link in *links {
                    seq.serialize_element(&LinkJson {
                        slug: link.slug.as_str(),
                        to: link.to,
                    })?;
                }
                seq.end()
            }
            Value::Flag(flag) => serializer.serialize_bool(*flag),
            Value::Retraction(retraction) => retraction
                .map(|r| RetractionJson {
                    at: r.at.to_string(),
                    reason: &r.reason,
                })
                .serialize(serializer),
        }
    }
}

#[derive(Serialize)]
struct LinkJson<'a> {
    slug: &'a str,
    to: Option<crate::model::Status>,
}

#[derive(Serialize)]
struct RetractionJson<'a> {
    at: String,
    reason: &'a str,
}

/// Which of its fields a `Json` writes.
#[derive(Clone, Copy)]
enum Choice {
    /// The fields reaching a form.
    Form(Reach),
    /// The line's fields the journal's digest covers.
    Digest,
    /// These fields, in this order.
    Named(&'static [&'static str]),
}

/// A development as a JSON object: every JSON shape of a development is one of these.
pub struct Json<'a> {
    dev: &'a Development,
    choice: Choice,
    /// Writes `"type":"development"` first (the JSON Lines line).
    typed: bool,
}

impl<'a> Json<'a> {
    /// The JSON Lines line's object.
    pub fn line(dev: &'a Development) -> Json<'a> {
        Json {
            dev,
            choice: Choice::Form(LINE),
            typed: true,
        }
    }

    /// What the journal's digest of the line covers.
    pub fn digest(dev: &'a Development) -> Json<'a> {
        Json {
            dev,
            choice: Choice::Digest,
            typed: true,
        }
    }

    /// A timeline entry (timeline JSON, search hits).
    pub fn timeline(dev: &'a Development) -> Json<'a> {
        Json::form(dev, TIMELINE)
    }

    /// `show --format json`'s object.
    pub fn detail(dev: &'a Development) -> Json<'a> {
        Json::form(dev, DETAIL)
    }

    /// Only the named fields, in the order named, for reports that say less.
    pub fn named(dev: &'a Development, names: &'static [&'static str]) -> Json<'a> {
        Json {
            dev,
            choice: Choice::Named(names),
            typed: false,
        }
    }

    fn form(dev: &'a Development, form: Reach) -> Json<'a> {
        Json {
            dev,
            choice: Choice::Form(form),
            typed: false,
        }
    }

    fn writes(&self, field: &Field) -> bool {
        match self.choice {
            Choice::Form(form) => field.reach <= form,
            Choice::Digest => match field.digest {
                Digest::Always => true,
                Digest::Never => false,
                Digest::When(holds) => holds(self.dev),
            },
            Choice::Named(names) => names.contains(&field.name),
        }
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if self.typed {
            map.serialize_entry("type", "development")?;
        }
        if let Choice::Named(names) = self.choice {
            for field in names.iter().filter_map(|name| field(name)) {
                map.serialize_entry(field.name, &(field.value)(self.dev))?;
            }
        } else {
            for field in FIELDS.iter().filter(|f| self.writes(f)) {
                map.serialize_entry(field.name, &(field.value)(self.dev))?;
            }
        }
        map.end()
    }
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
