//! What a sync did, in words: what moved each way, each conflict and the
//! loser's value, records kept or brought back, ids changed.

use serde_json::Value;

use crate::sync::conflicts;
use crate::sync::merge::{Note, Side, Stamp};
use crate::sync::plan::{Event, Moved};
use crate::sync::tidy::Found;

use super::history::text;

/// `2 added, 1 changed, 0 removed`, or `nothing`.
pub fn moved(moved: &Moved) -> String {
    moved.to_string()
}

/// The line that ends a sync.
pub fn summary(remote: &str, received: &Moved, sent: &Moved, pushed: bool) -> String {
    if received.total() == 0 && sent.total() == 0 && !pushed {
        return format!("already in step with {remote}; nothing to do");
    }
    format!(
        "synced with {remote}: received {}; sent {}",
        moved(received),
        moved(sent)
    )
}

/// `(Ana <ana@example.org>, 2025-08-03 10:04 UTC)`: the time, not only
/// the day, since two analysts often change one record on the same day.
pub fn stamp(stamp: &Stamp) -> String {
    let by = stamp.by.as_deref().unwrap_or("unknown");
    match stamp.at {
        Some(at) => format!("({by}, {})", at.as_datetime().format("%Y-%m-%d %H:%M UTC")),
        None => format!("({by})"),
    }
}

/// A field's value in words: a retraction as what it says, not its JSON.
fn words(field: &str, value: &Value) -> String {
    if field != "retracted" {
        return text(value);
    }
    match value {
        Value::Null => "not retracted".to_string(),
        Value::Object(r) => {
            let day = r
                .get("at")
                .and_then(Value::as_str)
                .map(|at| at.get(..10).unwrap_or(at));
            let reason = r.get("reason").map(text).unwrap_or_default();
            match day {
                Some(day) => format!("retracted on {day} ({reason})"),
                None => format!("retracted ({reason})"),
            }
        }
        other => text(other),
    }
}

/// The conflicts another analyst's sync resolved against this analyst's
/// values, a line each (the first `LISTED`, then a count).
pub fn told(lines: &[conflicts::Line]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .take(LISTED)
        .map(|c| {
            let by = c.resolved_by.as_str();
            let at = crate::dates::Timestamp::parse(&c.at)
                .map(|t| t.as_datetime().format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|_| c.at.clone());
            format!(
                "conflict lost: {} {} {}: your {} {} lost to {} {} (resolved by the sync of {by}, {at})",
                c.record,
                c.key,
                c.field,
                words(&c.field, &c.lost),
                stamp(&c.lost_stamp()),
                words(&c.field, &c.kept),
                stamp(&c.kept_stamp()),
            )
        })
        .collect();
    if lines.len() > LISTED {
        out.push(format!(
            "… and {} more conflicts lost (see `lookout history`)",
            lines.len() - LISTED
        ));
    }
    out
}

/// How many of a kind of finding are listed one by one before a count.
const LISTED: usize = 20;

/// What tidying the shared tracker's files found, a line each (the first
/// `LISTED`, then a count), and what the sync did about it.
pub fn found(found: &[Found]) -> Vec<String> {
    let mut lines: Vec<String> = found
        .iter()
        .take(LISTED)
        .map(|found| match found {
            Found::Misplaced {
                record,
                key,
                found_in,
                belongs_in,
            } => format!(
                "the shared tracker had {record} {key} in {found_in}; this sync moves it to {belongs_in}, where it belongs"
            ),
            Found::TwoCopies {
                record,
                key,
                kept,
                lost,
            } => format!(
                "conflict: {record} {key} is in the shared tracker twice with different contents: kept the copy {}, not the one {}",
                stamp(kept),
                stamp(lost)
            ),
            Found::Unsorted { path } => format!(
                "the shared tracker's {path} had lines out of order or repeated (edited by hand?); this sync puts it in order"
            ),
        })
        .collect();
    if found.len() > LISTED {
        lines.push(format!(
            "… and {} more findings in the shared tracker's files",
            found.len() - LISTED
        ));
    }
    lines
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Local => "here",
        Side::Remote => "in the shared tracker",
    }
}

/// `Mallory <m@example.org>, commit 1a2b3c4d5e6f`
fn by_commit(by: &crate::sync::git::Authored) -> String {
    format!(
        "{}, commit {}",
        by.author,
        by.commit.as_str().get(..12).unwrap_or_default()
    )
}

/// Seconds since the epoch as `2026-12-06 10:04 UTC`.
fn when(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// One event of a sync, in a line.
pub fn event(event: &Event) -> String {
    match event {
        Event::Merge(Note::Conflict(c)) => format!(
            "conflict: {} {} {}: kept {} {}, not {} {}",
            c.record,
            c.key,
            c.field,
            words(&c.field, &c.kept),
            stamp(&c.kept_stamp),
            words(&c.field, &c.lost),
            stamp(&c.lost_stamp)
        ),
        Event::Merge(Note::KeptEdited {
            record,
            key,
            removed_on,
        }) => {
            let edited_on = match removed_on {
                Side::Local => Side::Remote,
                Side::Remote => Side::Local,
            };
            format!(
                "kept {record} {key}: removed {}, but edited {}",
                side(*removed_on),
                side(edited_on)
            )
        }
        Event::Renamed { old, new } => format!(
            "renamed development {old} to {new}: the shared tracker has a different development {old}"
        ),
        Event::Restored {
            record,
            key,
            used_by,
        } => format!("kept {record} {key}: one side removed it, but development {used_by} uses it"),
        Event::HandEdited { record, key, by } => format!(
            "{record} {key} was changed in the shared repository outside lookout; credited to {} ({})",
            by_commit(by),
            when(by.time)
        ),
        Event::HandRemoved { record, key, by } => format!(
            "{record} {key} was removed from the shared tracker; its file was last changed outside lookout by {} ({})",
            by_commit(by),
            when(by.time)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::merge::Conflict;

    #[test]
    fn a_conflict_names_both_values_their_authors_and_days() {
        let conflict = Event::Merge(Note::Conflict(Box::new(Conflict::sample())));
        assert_eq!(
            event(&conflict),
            "conflict: development 4h257h30 headline: kept \"Ana's\" (Ana <ana@example.org>, 2025-08-03 10:00 UTC), not \"Ben's\" (Ben <ben@example.org>, 2025-08-03 09:00 UTC)"
        );
    }
}
