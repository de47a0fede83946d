//! Conflicts travel: every conflict a sync resolves is appended to the
//! shared tracker's `conflicts.jsonl`, one line each, so that the analyst
//! whose value lost hears of it at their next sync — not only whoever
//! happened to sync second.
//!
//! ```text
//! {"at":"2026-12-06T10:04:00Z","resolved_by":"Ben <ben@…>","record":"development","key":"4h257h30",
//!  "field":"headline","kept":"…","kept_by":"Ana <ana@…>","kept_at":"…","lost":"…","lost_by":"Ben <ben@…>","lost_at":"…"}
//! ```
//!
//! The file is only ever appended to, so what arrived since the base is
//! the remote's text past the base's; a file rewritten by hand is read as
//! the lines the base lacks. Lines are read leniently (a line that is not a
//! conflict is skipped, never an error): the file informs, it holds no record.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::merge::{Conflict, Stamp};
use crate::dates::Timestamp;
use crate::limits;

/// The file of the shared tracker that holds resolved conflicts.
pub const PATH: &str = "conflicts.jsonl";

/// How many new conflicts one sync reads from the file: more is a flood
/// nobody reads one by one.
const READ_AT_MOST: usize = 1000;

/// One resolved conflict, as the file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// When the sync that resolved it ran, and whose it was.
    pub at: String,
    pub resolved_by: String,
    pub record: String,
    pub key: String,
    pub field: String,
    pub kept: Value,
    pub kept_by: Option<String>,
    pub kept_at: Option<String>,
    pub lost: Value,
    pub lost_by: Option<String>,
    pub lost_at: Option<String>,
}

impl Line {
    pub fn of(conflict: &Conflict, at: Timestamp, resolved_by: &str) -> Line {
        Line {
            at: at.to_string(),
            resolved_by: resolved_by.to_string(),
            record: conflict.record.to_string(),
            key: conflict.key.clone(),
            field: conflict.field.clone(),
            kept: conflict.kept.clone(),
            kept_by: conflict.kept_stamp.by.clone(),
            kept_at: conflict.kept_stamp.at.map(|t| t.to_string()),
            lost: conflict.lost.clone(),
            lost_by: conflict.lost_stamp.by.clone(),
            lost_at: conflict.lost_stamp.at.map(|t| t.to_string()),
        }
    }

    pub fn kept_stamp(&self) -> Stamp {
        stamp(&self.kept_by, &self.kept_at)
    }

    pub fn lost_stamp(&self) -> Stamp {
        stamp(&self.lost_by, &self.lost_at)
    }

    /// Whether `author` (`Name <email>`) is who lost: the same author, or
    /// the same email when both have one.
    pub fn lost_by(&self, author: &str) -> bool {
        self.lost_by
            .as_deref()
            .is_some_and(|lost| same_author(lost, author))
    }

    /// Whether `author`'s own sync resolved it (and so already said it).
    pub fn resolved_by(&self, author: &str) -> bool {
        same_author(&self.resolved_by, author)
    }
}

fn stamp(by: &Option<String>, at: &Option<String>) -> Stamp {
    Stamp {
        at: at.as_deref().and_then(|t| Timestamp::parse(t).ok()),
        by: by.clone(),
    }
}

fn same_author(a: &str, b: &str) -> bool {
    let email = |s: &str| {
        s.rsplit_once('<')
            .and_then(|(_, e)| e.strip_suffix('>'))
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty())
    };
    a == b || matches!((email(a), email(b)), (Some(x), Some(y)) if x == y)
}

/// The text to append for `lines`.
pub fn append(lines: &[Line]) -> Vec<u8> {
    let mut text = Vec::new();
    for line in lines {
        if let Ok(json) = serde_json::to_string(line) {
            text.extend_from_slice(json.as_bytes());
            text.push(b'\n');
        }
    }
    text
}

/// The conflicts the remote's file holds that the base's did not.
pub fn arrived(base: &[u8], remote: &[u8]) -> Vec<Line> {
    let new: Vec<&[u8]> = match remote.strip_prefix(base) {
        Some(appended) => appended.split(|&b| b == b'\n').collect(),
        None => {
            // Rewritten by hand: the lines the base lacks.
            let known: std::collections::HashSet<&[u8]> = base.split(|&b| b == b'\n').collect();
            remote
                .split(|&b| b == b'\n')
                .filter(|l| !known.contains(l))
                .collect()
        }
    };
    new.into_iter()
        .filter(|l| !l.is_empty() && l.len() <= limits::RECORD_BYTES)
        .filter_map(|l| serde_json::from_slice(l).ok())
        .take(READ_AT_MOST)
        .collect()
}

/// What the journal entry of a sync adds about conflicts lost: `history`
/// then shows them beside the values that changed.
pub fn journal_note(lines: &[Line]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let named: Vec<String> = lines
        .iter()
        .take(5)
        .map(|c| format!("{} {} {}", c.record, c.key, c.field))
        .collect();
    let more = match lines.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    format!(
        "; conflicts lost here, resolved by others: {}{more}",
        named.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict() -> Conflict {
        Conflict::sample()
    }

    #[test]
    fn lines_appended_since_the_base_are_what_arrived() {
        let at = Timestamp::parse("2025-08-04T00:00:00Z").unwrap();
        let line = Line::of(&conflict(), at, "Ana <ana@example.org>");
        let base = append(std::slice::from_ref(&line));
        let mut later = line.clone();
        later.key = "jtce187y".into();
        let mut remote = base.clone();
        remote.extend(append(std::slice::from_ref(&later)));
        assert_eq!(arrived(&base, &remote), vec![later.clone()]);
        // Rewritten by hand: the lines the base lacks, and no junk.
        let mut rewritten = b"not json\n".to_vec();
        rewritten.extend(append(&[later.clone(), line]));
        assert_eq!(arrived(&base, &rewritten), vec![later]);
    }

    #[test]
    fn the_loser_is_known_by_name_or_email() {
        let at = Timestamp::parse("2025-08-04T00:00:00Z").unwrap();
        let line = Line::of(&conflict(), at, "Ana <ana@example.org>");
        assert!(line.lost_by("Ben <ben@example.org>"));
        assert!(line.lost_by("Benjamin O. <BEN@example.org>"));
        assert!(!line.lost_by("Ana <ana@example.org>"));
        assert!(line.resolved_by("Ana <ana@example.org>"));
        assert_eq!(line.lost_stamp().at, conflict().lost_stamp.at);
    }
}
