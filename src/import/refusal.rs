//! Why a run stored nothing, in one message: its bad records, and the watch
//! items its rows name that the store does not have, each once.

use crate::error::Error;
use crate::model::WatchSlug;

/// A watch slug no watch item has, where it first appeared, and the hint
/// the store gave for it (the nearest slug, or how to add it).
pub(super) struct Unknown {
    pub(super) slug: WatchSlug,
    /// `file:line: column 'watch'`
    pub(super) first_at: String,
    pub(super) hint: Option<String>,
    /// How many rows name it.
    pub(super) rows: u64,
}

/// How many unknown watch items a refusal names before it only counts the rest.
const MAX_UNKNOWN_LISTED: usize = 5;

/// The error of a run with bad records: each of the first ones on a line.
pub(super) fn bad_records(listed: &[String], count: u64) -> Error {
    let mut message = format!(
        "{} in the input; nothing was stored:",
        crate::words::counted(count, "bad record")
    );
    push_listed(&mut message, listed, count);
    Error::data(message).with_hint(
        "fix these records and import again, or pass --skip-invalid --rejects FILE to keep the good ones",
    )
}

/// The error of a run whose rows name watch items the store does not have:
/// each item once, where it first appeared, then any other bad records.
pub(super) fn unknown_items(unknown: &[Unknown], rows: u64, listed: &[String], bad: u64) -> Error {
    let items = crate::words::counted(unknown.len() as u64, "unknown watch item");
    let rows = crate::words::counted_grouped(rows, "row");
    let others = match bad {
        0 => String::new(),
        n => format!(
            ", and {} besides",
            crate::words::counted(n, "other bad record")
        ),
    };
    let mut message = format!("{items} in {rows}{others}; nothing was stored:");
    for item in unknown.iter().take(MAX_UNKNOWN_LISTED) {
        message.push_str(&format!("\n  {}", unknown_line(item)));
    }
    if unknown.len() > MAX_UNKNOWN_LISTED {
        message.push_str(&format!(
            "\n  … and {} more",
            crate::words::counted(
                (unknown.len() - MAX_UNKNOWN_LISTED) as u64,
                "unknown watch item"
            )
        ));
    }
    push_listed(&mut message, listed, bad);
    // In a store that syncs, a colleague may have added them.
    let syncs = unknown.iter().any(|u| {
        u.hint
            .as_deref()
            .is_some_and(|h| h.contains("`lookout sync`"))
    });
    let sync = if syncs {
        "if a colleague added them, `lookout sync` brings them; else "
    } else {
        ""
    };
    Error::data(message).with_hint(format!(
        "{sync}add each with `lookout watch add SLUG TITLE` (or import a watch-items file with this one), or correct the watch column (`lookout watch list` shows the items there are)"
    ))
}

/// One unknown watch item, where it first appeared, with how many rows
/// name it and the nearest slug when there are.
fn unknown_line(item: &Unknown) -> String {
    // The nearest slug is worth saying for each; the list of items and
    // how to add one are said once, by the hint.
    let mut notes = Vec::new();
    if item.rows > 1 {
        notes.push(format!(
            "the first of {} naming it",
            crate::words::counted_grouped(item.rows, "row")
        ));
    }
    notes.extend(
        item.hint
            .iter()
            .filter(|h| h.starts_with("did you mean"))
            .cloned(),
    );
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    format!(
        "{}: unknown watch item '{}'{notes}",
        item.first_at, item.slug
    )
}

/// Adds the first bad records, each on a line, then how many more of
/// `count` there are.
fn push_listed(message: &mut String, listed: &[String], count: u64) {
    for line in listed {
        message.push_str("\n  ");
        message.push_str(line);
    }
    if count > listed.len() as u64 {
        message.push_str(&format!("\n  … and {} more", count - listed.len() as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;
    use crate::import::MAX_LISTED;

    #[test]
    fn bad_records_are_listed_then_counted() {
        let listed: Vec<String> = (1..=MAX_LISTED)
            .map(|n| format!("f.csv:{n}: bad"))
            .collect();
        let err = bad_records(&listed, 25);
        let lines: Vec<&str> = err.message().lines().collect();
        assert_eq!(lines[0], "25 bad records in the input; nothing was stored:");
        assert_eq!(lines[1], "  f.csv:1: bad");
        assert_eq!(lines.last(), Some(&"  … and 5 more"));
        assert_eq!(err.code(), Code::Data);
    }
}
