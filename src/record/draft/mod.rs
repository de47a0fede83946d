//! A record as a file states it, before the store has judged it.
//!
//! The readers turn a CSV row or a JSON Lines line into a `RawRecord` of
//! plain text; `check` turns that into a `Draft` of model values with the
//! same rules as `log` and `watch add`, naming the column (or field) at
//! fault. A draft may lack what a file may leave out — a development's id or
//! time of recording, a watch item's opened date, whether it is retracted —
//! and `complete` insists on them (journal lines, shared trackers) while the
//! import loader fills them in. What needs the store (does the kind exist,
//! the watch item, the id) is the loader's part.

use chrono::NaiveDate;

use super::{Record, fields};
use crate::dates::{DevDate, PartialDate, Precision, Timestamp, day_text};
use crate::error::{Error, Result};
use crate::model::{
    self, DevId, Development, Provenance, Retraction, Texts, WatchItem, WatchLink, WatchSlug,
};

/// The column (CSV) or field (JSON Lines) in which a rejects file gives each
/// record's reason: not data, so reading leaves it out.
pub(crate) const REASON: &str = "error";

/// What a file calls the parts of a record, for messages: CSV has columns,
/// JSON Lines fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Column,
    Field,
}

impl Naming {
    fn context(self, name: &'static str) -> impl FnOnce(Error) -> Error {
        move |e| e.context(self.name(name))
    }

    /// `column 'kind'` or `field 'kind'`.
    pub(crate) fn name(self, name: &str) -> String {
        match self {
            Naming::Column => format!("column '{name}'"),
            Naming::Field => format!("field '{name}'"),
        }
    }
}

/// A record as read, in plain text.
// Most rows of a file are developments: boxing them would allocate once more
// per imported row for the sake of the rare kind or watch item.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawRecord {
    Kind(String),
    Watch(RawWatch),
    Development(RawDevelopment),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawWatch {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    /// Empty or None: today for a new item, unchanged for a known one.
    pub(crate) opened: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) provenance: RawProvenance,
}

/// Who recorded and last changed a record, when the file says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawProvenance {
    /// The file states them whole (a JSON Lines line has `updated_at`, even
    /// null): the record is taken as it is. Otherwise (CSV) the importer is
    /// the one who recorded or changed it.
    pub(crate) stated: bool,
    pub(crate) recorded_by: Option<String>,
    pub(crate) updated_at: Option<String>,
    pub(crate) updated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawDevelopment {
    pub(crate) id: Option<String>,
    pub(crate) date: String,
    pub(crate) precision: Option<String>,
    pub(crate) kind: String,
    /// `slug` or `slug=status` entries.
    pub(crate) watch: Vec<String>,
    pub(crate) actors: Vec<String>,
    pub(crate) headline: String,
    /// The free texts as stated, untrimmed.
    pub(crate) texts: Texts,
    pub(crate) sources: Vec<String>,
    pub(crate) recorded_at: Option<String>,
    /// The first day of the date's interval, when the file states it
    /// (empty: an open start, or not stated); checked against the date.
    pub(crate) start: Option<String>,
    /// The last day of the date's interval, when the file states it.
    pub(crate) end: Option<String>,
    /// `true` or `false`; empty is false; None: the file has no such field.
    pub(crate) scheduled: Option<String>,
    pub(crate) provenance: RawProvenance,
    /// None: the file says nothing of retraction (CSV), keep what the store has.
    /// Some(None): not retracted. Some(Some(..)): retracted.
    pub(crate) retracted: Option<Option<RawRetraction>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRetraction {
    pub(crate) at: String,
    pub(crate) reason: String,
}

/// A record as a file states it, checked; what the file left out is None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draft {
    Kind(String),
    Watch(WatchDraft),
    Development(DevelopmentDraft),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchDraft {
    pub(crate) slug: WatchSlug,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) opened: Option<PartialDate>,
    pub(crate) tags: Vec<String>,
    pub(crate) provenance: Provenance,
    /// See `RawProvenance::stated`.
    pub(crate) provenance_stated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentDraft {
    pub(crate) id: Option<DevId>,
    pub(crate) date: DevDate,
    pub(crate) kind: String,
    pub(crate) headline: String,
    pub(crate) texts: Texts,
    pub(crate) links: Vec<WatchLink>,
    pub(crate) actors: Vec<String>,
    pub(crate) sources: Vec<String>,
    pub(crate) recorded_at: Option<Timestamp>,
    /// None: the file says nothing of it (a new development is not scheduled).
    pub(crate) scheduled: Option<bool>,
    /// What the file says of who recorded and changed it (unset parts None).
    pub(crate) provenance: Provenance,
    /// See `RawProvenance::stated`.
    pub(crate) provenance_stated: bool,
    /// None: the file says nothing of retraction.
    pub(crate) retracted: Option<Option<Retraction>>,
}

impl RawRecord {
    /// Reads one JSON Lines line.
    pub(crate) fn from_line(text: &str) -> Result<RawRecord> {
        super::line::decode(text)
    }

    /// Checks every part that can be checked without the store. `today`
    /// resolves the words `today` and `yesterday` in dates typed into a
    /// file; None refuses them (stored records never hold them).
    pub fn check(&self, naming: Naming, today: Option<NaiveDate>) -> Result<Draft> {
        Ok(match self {
            RawRecord::Kind(name) => {
                Draft::Kind(model::kind_name(name.trim()).map_err(naming.context("name"))?)
            }
            RawRecord::Watch(watch) => Draft::Watch(watch.check(naming, today)?),
            RawRecord::Development(dev) => Draft::Development(dev.check(naming, today)?),
        })
    }
}

impl Draft {
    /// The record, insisting on everything a whole record has.
    pub(crate) fn complete(self) -> Result<Record> {
        let missing = |name: &str| Error::data(format!("field '{name}': is missing"));
        Ok(match self {
            Draft::Kind(name) => Record::Kind(name),
            Draft::Watch(w) => Record::Watch(WatchItem {
                opened: w.opened.ok_or_else(|| missing("opened"))?,
                slug: w.slug,
                title: w.title,
                description: w.description,
                tags: w.tags,
                provenance: w.provenance,
            }),
            Draft::Development(d) => {
                let id = d.id.clone().ok_or_else(|| missing("id"))?;
                let recorded_at = d.recorded_at.ok_or_else(|| missing("recorded_at"))?;
                Record::Development(d.into_development(id, recorded_at))
            }
        })
    }
}

fn not_blank<'t>(text: &'t str, naming: Naming, column: &'static str) -> Result<&'t str> {
    if text.trim().is_empty() {
        Err(Error::data("is empty, and it is required").context(naming.name(column)))
    } else {
        Ok(text)
    }
}

fn date_in(text: &str, today: Option<NaiveDate>) -> Result<PartialDate> {
    let parsed = match today {
        Some(today) => PartialDate::parse(text, today),
        None => text.trim().parse(),
    };
    parsed.map_err(|e| Error::data(e.to_string()))
}

fn dev_date_in(text: &str, today: Option<NaiveDate>) -> Result<DevDate> {
    let parsed = match today {
        Some(today) => DevDate::parse(text, today),
        None => text.trim().parse(),
    };
    parsed.map_err(|e| Error::data(e.to_string()))
}

fn optional(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

impl RawWatch {
    fn check(&self, naming: Naming, today: Option<NaiveDate>) -> Result<WatchDraft> {
        let slug = WatchSlug::parse(self.slug.trim()).map_err(naming.context("slug"))?;
        let title = model::title(&self.title).map_err(naming.context("title"))?;
        let opened = optional(self.opened.as_deref())
            .map(|text| date_in(text, today).map_err(naming.context("opened")))
            .transpose()?;
        let tags =
            model::tags(self.tags.iter().map(String::as_str)).map_err(naming.context("tags"))?;
        Ok(WatchDraft {
            slug,
            title,
            description: model::optional_text(self.description.as_deref()),
            opened,
            tags,
            provenance: self.provenance.check(naming)?,
            provenance_stated: self.provenance.stated,
        })
    }
}

impl RawDevelopment {
    fn check(&self, naming: Naming, today: Option<NaiveDate>) -> Result<DevelopmentDraft> {
        let id = optional(self.id.as_deref())
            .map(|text| DevId::parse(text).map_err(naming.context("id")))
            .transpose()?;
        let date = not_blank(&self.date, naming, "date")
            .and_then(|text| dev_date_in(text, today).map_err(naming.context("date")))?;
        if let Some(precision) = self.precision.as_deref() {
            check_precision(precision, &date).map_err(naming.context("precision"))?;
        }
        check_interval(self.start.as_deref(), self.end.as_deref(), &date, naming)?;
        let scheduled = self
            .scheduled
            .as_deref()
            .map(|text| flag(text).map_err(naming.context("scheduled")))
            .transpose()?;
        let kind = not_blank(&self.kind, naming, "kind")
            .and_then(|k| model::kind_name(k.trim()).map_err(naming.context("kind")))?;
        let links = WatchLink::parse_list(self.watch.iter().map(String::as_str))
            .map_err(naming.context("watch"))?;
        let actors = model::actors(self.actors.iter().map(String::as_str))
            .map_err(naming.context("actors"))?;
        let headline = model::headline(&self.headline).map_err(naming.context("headline"))?;
        let sources = model::sources(self.sources.iter().map(String::as_str))
            .map_err(naming.context("sources"))?;
        let recorded_at = optional(self.recorded_at.as_deref())
            .map(|text| {
                Timestamp::parse(text)
                    .map_err(Error::data)
                    .map_err(naming.context("recorded_at"))
            })
            .transpose()?;
        let retracted = match &self.retracted {
            None => None,
            Some(None) => Some(None),
            Some(Some(r)) => Some(Some(r.check(naming)?)),
        };
        Ok(DevelopmentDraft {
            id,
            date,
            kind,
            headline,
            texts: checked_texts(&self.texts),
            links,
            actors,
            sources,
            recorded_at,
            scheduled,
            provenance: self.provenance.check(naming)?,
            provenance_stated: self.provenance.stated,
            retracted,
        })
    }
}

/// Each free text as stated, None when blank.
fn checked_texts(raw: &Texts) -> Texts {
    let mut texts = Texts::default();
    for (_, text) in fields::texts() {
        *(text.slot)(&mut texts) = model::optional_text((text.get)(raw).as_deref());
    }
    texts
}

impl RawRetraction {
    fn check(&self, naming: Naming) -> Result<Retraction> {
        let at = Timestamp::parse(&self.at)
            .map_err(Error::data)
            .map_err(naming.context("retracted"))?;
        if self.reason.trim().is_empty() {
            return Err(
                Error::data("a retraction needs a reason").context(naming.name("retracted"))
            );
        }
        Ok(Retraction {
            at,
            reason: self.reason.clone(),
        })
    }
}

impl DevelopmentDraft {
    /// The development, with the id and time of recording the file left out
    /// (or its own), and not retracted unless the file says so.
    pub(crate) fn into_development(self, id: DevId, recorded_at: Timestamp) -> Development {
        Development {
            id,
            date: self.date,
            kind: self.kind,
            headline: self.headline,
            texts: self.texts,
            links: self.links,
            actors: self.actors,
            sources: self.sources,
            recorded_at: self.recorded_at.unwrap_or(recorded_at),
            scheduled: self.scheduled.unwrap_or(false),
            retracted: self.retracted.flatten(),
            provenance: self.provenance,
        }
    }
}

impl RawProvenance {
    fn check(&self, naming: Naming) -> Result<Provenance> {
        let author = |text: &Option<String>, name: &'static str| -> Result<Option<String>> {
            match optional(text.as_deref()) {
                None => Ok(None),
                Some(author) => model::author(author)
                    .map(Some)
                    .map_err(naming.context(name)),
            }
        };
        Ok(Provenance {
            recorded_by: author(&self.recorded_by, "recorded_by")?,
            updated_at: optional(self.updated_at.as_deref())
                .map(|text| {
                    Timestamp::parse(text)
                        .map_err(Error::data)
                        .map_err(naming.context("updated_at"))
                })
                .transpose()?,
            updated_by: author(&self.updated_by, "updated_by")?,
        })
    }
}

/// A `precision` cell, when given, must agree with the date.
fn check_precision(cell: &str, date: &DevDate) -> Result<()> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(());
    }
    let Some(precision) = Precision::parse(cell) else {
        return Err(
            Error::data(format!("unknown precision '{}'", crate::screen::echo(cell)))
                .with_hint("precision is day, month, year or interval, or left empty"),
        );
    };
    if precision != date.precision() {
        let is = match date.precision() {
            Precision::Interval => "an interval".to_string(),
            other => format!("{other}-precise"),
        };
        return Err(Error::data(format!(
            "precision '{precision}' contradicts the date '{date}', which is {is}"
        ))
        .with_hint("correct the date or the precision, or leave precision empty"));
    }
    Ok(())
}

/// `start` and `end`, when given, must be the first and last days the date
/// covers (an open start has no first day).
fn check_interval(
    start: Option<&str>,
    end: Option<&str>,
    date: &DevDate,
    naming: Naming,
) -> Result<()> {
    let hint = "correct the date or the day, or leave it empty: it follows from the date";
    if let Some(start) = optional(start) {
        let expected = date.start().map(day_text);
        if expected.as_deref() != Some(start) {
            let covers = match expected {
                Some(first) => format!("which starts on {first}"),
                None => "an open start, which has no first day".to_string(),
            };
            return Err(
                Error::data(format!("'{start}' contradicts the date '{date}', {covers}"))
                    .with_hint(hint)
                    .context(naming.name("start")),
            );
        }
    }
    if let Some(end) = optional(end) {
        let expected = day_text(date.end());
        if expected != end {
            return Err(Error::data(format!(
                "'{end}' contradicts the date '{date}', which ends on {expected}"
            ))
            .with_hint(hint)
            .context(naming.name("end")));
        }
    }
    Ok(())
}

/// `true` or `false`; empty is false.
fn flag(text: &str) -> Result<bool> {
    // Spreadsheets write TRUE and FALSE.
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" | "" => Ok(false),
        other => Err(Error::data(format!("'{other}' is neither true nor false"))
            .with_hint("write true, false, or leave it empty (false)")),
    }
}

#[cfg(test)]
mod tests;
