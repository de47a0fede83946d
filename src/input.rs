//! What an import file says, before the store has judged it.
//!
//! The readers (`csv_io::CsvSource`, `jsonl::JsonlSource`) turn each row or
//! line into an `Item` holding plain text; `to_*` here turns that text into
//! model values with the same checks as `log` and `watch add`, naming the
//! column (the field, in JSON Lines) at fault. What needs the store — does the
//! kind exist, the watch item, the id — is the loader's part.

use chrono::NaiveDate;

use crate::dates::{PartialDate, Precision, Timestamp};
use crate::error::{Error, Result};
use crate::model::{self, DevId, Development, Retraction, WatchItem, WatchLink, WatchSlug};

/// One record read from an import file, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: u64,
    pub record: Record,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Kind(KindInput),
    Watch(WatchInput),
    Development(DevelopmentInput),
    /// A row the reader could not make sense of (bad UTF-8, wrong number of
    /// fields, invalid JSON): refused, or skipped with `--skip-invalid`.
    Bad(Error),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindInput {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WatchInput {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// Empty or None: today for a new item, unchanged for a known one.
    pub opened: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DevelopmentInput {
    pub id: Option<String>,
    pub date: String,
    pub precision: Option<String>,
    pub kind: String,
    /// `slug` or `slug=status` entries.
    pub watch: Vec<String>,
    pub actors: Vec<String>,
    pub headline: String,
    pub summary: Option<String>,
    pub sources: Vec<String>,
    pub recorded_at: Option<String>,
    /// None: the file says nothing of retraction (CSV), keep what the store has.
    /// Some(None): not retracted. Some(Some(..)): retracted.
    pub retracted: Option<Option<RetractionInput>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetractionInput {
    pub at: String,
    pub reason: String,
}

/// A development as the file gives it, checked; what the store must still decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDevelopment {
    /// The id is a placeholder when `has_id` is false.
    pub development: Development,
    pub has_id: bool,
    pub has_recorded_at: bool,
    pub says_retraction: bool,
}

/// Puts `column 'name'` in front of an error about a cell or field.
fn in_column(column: &'static str) -> impl FnOnce(Error) -> Error {
    move |e| e.context(format!("column '{column}'"))
}

fn not_blank<'t>(text: &'t str, column: &'static str) -> Result<&'t str> {
    if text.trim().is_empty() {
        Err(Error::data("is empty, and it is required").context(format!("column '{column}'")))
    } else {
        Ok(text)
    }
}

fn date_in(text: &str, today: NaiveDate) -> Result<PartialDate> {
    PartialDate::parse(text, today).map_err(|e| Error::data(e.to_string()))
}

impl KindInput {
    pub fn to_kind(&self) -> Result<String> {
        model::kind_name(self.name.trim()).map_err(in_column("name"))
    }
}

impl WatchInput {
    /// The item as the file describes it; `opened` None when the file leaves it blank.
    pub fn to_item(&self, today: NaiveDate) -> Result<(WatchItem, Option<PartialDate>)> {
        let slug = WatchSlug::parse(self.slug.trim()).map_err(in_column("slug"))?;
        let title = model::title(&self.title).map_err(in_column("title"))?;
        let opened = match self.opened.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(date_in(text, today).map_err(in_column("opened"))?),
        };
        let tags = model::tags(self.tags.iter().map(String::as_str)).map_err(in_column("tags"))?;
        let item = WatchItem {
            slug,
            title,
            description: model::optional_text(self.description.as_deref()),
            opened: opened.unwrap_or_else(|| PartialDate::from_day(today)),
            tags,
        };
        Ok((item, opened))
    }
}

impl DevelopmentInput {
    /// Checks every cell that can be checked without the store. `now` stands
    /// in for a missing recorded_at, and a fixed placeholder for a missing id.
    pub fn check(&self, today: NaiveDate, now: Timestamp) -> Result<CheckedDevelopment> {
        let id = match self.id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(DevId::parse(text).map_err(in_column("id"))?),
        };
        let date = not_blank(&self.date, "date")
            .and_then(|text| date_in(text, today).map_err(in_column("date")))?;
        if let Some(precision) = self.precision.as_deref() {
            check_precision(precision, &date).map_err(in_column("precision"))?;
        }
        let kind = not_blank(&self.kind, "kind")
            .and_then(|k| model::kind_name(k.trim()).map_err(in_column("kind")))?;
        let links = WatchLink::parse_list(self.watch.iter().map(String::as_str))
            .map_err(in_column("watch"))?;
        let actors =
            model::actors(self.actors.iter().map(String::as_str)).map_err(in_column("actors"))?;
        let headline = model::headline(&self.headline).map_err(in_column("headline"))?;
        let sources = model::sources(self.sources.iter().map(String::as_str))
            .map_err(in_column("sources"))?;
        let recorded_at = match self.recorded_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                Timestamp::parse(text)
                    .map_err(Error::data)
                    .map_err(in_column("recorded_at"))?,
            ),
        };
        let retracted = match &self.retracted {
            Some(Some(r)) => Some(Retraction {
                at: Timestamp::parse(&r.at)
                    .map_err(Error::data)
                    .map_err(in_column("retracted"))?,
                reason: if r.reason.trim().is_empty() {
                    return Err(
                        Error::data("a retraction needs a reason").context("column 'retracted'")
                    );
                } else {
                    r.reason.clone()
                },
            }),
            _ => None,
        };
        Ok(CheckedDevelopment {
            has_id: id.is_some(),
            has_recorded_at: recorded_at.is_some(),
            says_retraction: self.retracted.is_some(),
            development: Development {
                id: id.unwrap_or_else(DevId::placeholder),
                date,
                kind,
                headline,
                summary: model::optional_text(self.summary.as_deref()),
                links,
                actors,
                sources,
                recorded_at: recorded_at.unwrap_or(now),
                retracted,
            },
        })
    }
}

/// A `precision` cell, when given, must agree with the date.
fn check_precision(cell: &str, date: &PartialDate) -> Result<()> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(());
    }
    let Some(precision) = Precision::parse(cell) else {
        return Err(Error::data(format!("unknown precision '{cell}'"))
            .with_hint("precision is day, month or year, or left empty"));
    };
    if precision != date.precision() {
        return Err(Error::data(format!(
            "precision '{precision}' contradicts the date '{date}', which is {}-precise",
            date.precision()
        ))
        .with_hint("correct the date or the precision, or leave precision empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 8, 1).unwrap()
    }

    fn now() -> Timestamp {
        Timestamp::parse("2025-08-01T00:00:00Z").unwrap()
    }

    #[test]
    fn precision_must_agree_with_the_date() {
        let date: PartialDate = "2025-07".parse().unwrap();
        assert!(check_precision("", &date).is_ok());
        assert!(check_precision("month", &date).is_ok());
        let err = check_precision("day", &date).unwrap_err();
        assert_eq!(
            err.message(),
            "precision 'day' contradicts the date '2025-07', which is month-precise"
        );
        assert!(check_precision("week", &date).is_err());
    }

    #[test]
    fn errors_name_the_column() {
        let input = DevelopmentInput {
            date: "2025-07".into(),
            kind: "other".into(),
            headline: "x".into(),
            watch: vec!["intl-ai-org=finished".into()],
            ..DevelopmentInput::default()
        };
        let err = input.check(today(), now()).unwrap_err();
        assert_eq!(err.message(), "column 'watch': unknown status 'finished'");
        let blank = DevelopmentInput {
            date: " ".into(),
            ..input
        };
        let err = blank.check(today(), now()).unwrap_err();
        assert_eq!(err.message(), "column 'date': is empty, and it is required");
    }

    #[test]
    fn missing_id_and_time_are_marked() {
        let input = DevelopmentInput {
            date: "2025".into(),
            kind: "other".into(),
            headline: "x".into(),
            ..DevelopmentInput::default()
        };
        let checked = input.check(today(), now()).unwrap();
        assert!(!checked.has_id && !checked.has_recorded_at && !checked.says_retraction);
        assert_eq!(checked.development.recorded_at, now());
    }
}
