//! A development's fields as JSON: each value, and the objects made of
//! them (`Json`), which every JSON shape of a development is.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use super::{DETAIL, Digest, FIELDS, Field, LINE, Reach, TIMELINE, Value, field};
use crate::model::Development;

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
                Digest::WhenSet => !(field.value)(self.dev).is_default(),
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
