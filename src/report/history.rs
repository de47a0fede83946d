//! The change journal in words: what each entry changed, from what to what.
//! Pure: works on the record lines the journal keeps, through `record::diff`.
//! `render` writes the journal's entries (`history`) in the format asked for.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::json::write_pretty;
use super::text::clean_line;
use crate::error::Result;
use crate::record::diff::{self, FieldChange};
use crate::record::{Change, Entry, RecordKind};

/// The formats of the journal's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Writes the entries, newest first, in `format`; `since` is the day they
/// were asked for from, which the text names when there are none.
pub fn render(
    format: Format,
    entries: &[Entry],
    since: Option<NaiveDate>,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Text => write_text(entries, since, out),
        Format::Json => {
            let views: Vec<EntryView> = entries.iter().map(EntryView::from).collect();
            write_pretty(&views, out)
        }
    }
}

fn write_text(entries: &[Entry], since: Option<NaiveDate>, out: &mut dyn Write) -> Result<()> {
    if entries.is_empty() {
        match since {
            Some(day) => writeln!(out, "No changes recorded on or after {day}.")?,
            None => writeln!(out, "No changes recorded.")?,
        }
    }
    for entry in entries {
        writeln!(
            out,
            "#{:<5} {}  {:<12} {}",
            entry.id,
            entry.at,
            entry.command,
            clean_line(&entry.summary)
        )?;
        if let Some(author) = &entry.author {
            writeln!(out, "       by {}", clean_line(author))?;
        }
        if let Some(undone_at) = &entry.undone_at {
            let by = entry
                .undone_by
                .as_deref()
                .map(|b| format!(" by {}", clean_line(b)))
                .unwrap_or_default();
            writeln!(out, "       undone at {undone_at}{by}")?;
        }
        for change in &entry.changes {
            writeln!(out, "       {}", clean_line(&describe(change)))?;
        }
        if entry.changes.is_empty() && entry.change_count > 0 {
            writeln!(out, "       ({} records)", entry.change_count)?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct EntryView<'a> {
    id: i64,
    at: &'a str,
    command: &'a str,
    author: Option<&'a str>,
    summary: &'a str,
    records: u64,
    changes: Vec<ChangeView<'a>>,
    /// Only with `--all`, on an undone entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    undone_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undone_by: Option<&'a str>,
}

#[derive(Serialize)]
struct ChangeView<'a> {
    record: &'static str,
    key: &'a str,
    words: String,
    before: Value,
    after: Value,
}

impl<'a> From<&'a Entry> for EntryView<'a> {
    fn from(entry: &'a Entry) -> EntryView<'a> {
        EntryView {
            id: entry.id,
            at: &entry.at,
            command: &entry.command,
            author: entry.author.as_deref(),
            summary: &entry.summary,
            records: entry.change_count,
            changes: entry.changes.iter().map(ChangeView::from).collect(),
            undone_at: entry.undone_at.as_deref(),
            undone_by: entry.undone_by.as_deref(),
        }
    }
}

impl<'a> From<&'a Change> for ChangeView<'a> {
    fn from(change: &'a Change) -> ChangeView<'a> {
        let parse = |line: &Option<String>| {
            line.as_deref()
                .and_then(|l| serde_json::from_str(l).ok())
                .unwrap_or(Value::Null)
        };
        ChangeView {
            record: change.record.as_str(),
            key: &change.key,
            words: describe(change),
            before: parse(&change.before),
            after: parse(&change.after),
        }
    }
}

/// What one change did, in a sentence.
pub fn describe(change: &Change) -> String {
    let what = change.record.as_str();
    let key = &change.key;
    let before = change.before.as_deref().and_then(diff::fields);
    let after = change.after.as_deref().and_then(diff::fields);
    match (before, after) {
        (None, Some(after)) => format!("added {what} {key}{}", identify(change.record, &after)),
        // An import keeps only a digest of what it adds.
        (None, None) => format!("added {what} {key}"),
        (Some(_), None) => format!("removed {what} {key}"),
        (Some(before), Some(after)) => {
            // When and by whom: the entry itself says so.
            let fields: Vec<String> = diff::diff_fields(&before, &after)
                .iter()
                .filter(|c| !matches!(c.field.as_str(), "updated_at" | "updated_by"))
                .map(field_change)
                .collect();
            if fields.is_empty() {
                format!("{what} {key}: no visible change")
            } else {
                format!("{what} {key}: {}", fields.join("; "))
            }
        }
    }
}

/// A few words that say which record was added.
fn identify(record: RecordKind, after: &Map<String, Value>) -> String {
    match record {
        RecordKind::Development => format!(
            " ({}) {}",
            text(after.get("date").unwrap_or(&Value::Null)),
            text(after.get("headline").unwrap_or(&Value::Null))
        ),
        RecordKind::Watch => format!(": {}", text(after.get("title").unwrap_or(&Value::Null))),
        RecordKind::Kind => String::new(),
        RecordKind::Feed => format!(": {}", text(after.get("location").unwrap_or(&Value::Null))),
        RecordKind::Inbox => format!(": {}", text(after.get("title").unwrap_or(&Value::Null))),
    }
}

/// One field's change in words: `headline "a" → "b"`.
pub fn field_change(change: &FieldChange) -> String {
    let (field, old, new) = (change.field.as_str(), &change.before, &change.after);
    match field {
        "retracted" if old.is_null() => format!(
            "retracted ({})",
            text(new.get("reason").unwrap_or(&Value::Null))
        ),
        "retracted" if new.is_null() => "retraction withdrawn".to_string(),
        _ => format!("{field} {} → {}", text(old), text(new)),
    }
}

/// A value as a reader takes it in: quoted text, lists, links as slug=status.
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => "none".to_string(),
        Value::String(s) => format!("\"{}\"", shorten(s)),
        Value::Array(items) if items.is_empty() => "none".to_string(),
        Value::Array(items) => items.iter().map(item_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => item_text(value),
        other => other.to_string(),
    }
}

fn item_text(value: &Value) -> String {
    match value {
        Value::String(s) => shorten(s),
        Value::Object(map) => match (map.get("slug"), map.get("to")) {
            (Some(Value::String(slug)), Some(Value::String(to))) => format!("{slug}={to}"),
            (Some(Value::String(slug)), _) => slug.clone(),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before: Option<&str>, after: Option<&str>) -> Change {
        Change {
            record: RecordKind::Development,
            key: "jtce187y".into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn says_what_changed_from_what_to_what() {
        let before = r#"{"type":"development","id":"jtce187y","date":"2025-07","headline":"a","watch":[{"slug":"x","to":null}],"retracted":null}"#;
        let after = r#"{"type":"development","id":"jtce187y","date":"2025-07-26","headline":"b","watch":[{"slug":"x","to":"emerging"}],"retracted":null}"#;
        assert_eq!(
            describe(&change(Some(before), Some(after))),
            "development jtce187y: date \"2025-07\" → \"2025-07-26\"; headline \"a\" → \"b\"; watch x → x=emerging"
        );
    }

    #[test]
    fn additions_removals_and_retractions_read_as_such() {
        let line = r#"{"type":"development","id":"jtce187y","date":"2025","headline":"h","retracted":null}"#;
        assert_eq!(
            describe(&change(None, Some(line))),
            "added development jtce187y (\"2025\") \"h\""
        );
        assert_eq!(
            describe(&change(Some(line), None)),
            "removed development jtce187y"
        );
        let retracted = line.replace(
            r#""retracted":null"#,
            r#""retracted":{"at":"t","reason":"false"}"#,
        );
        assert_eq!(
            describe(&change(Some(line), Some(&retracted))),
            "development jtce187y: retracted (\"false\")"
        );
    }
}
