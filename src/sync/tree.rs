//! The tracker's text form in a git repository.
//!
//! ```text
//! lookout.json               marks the repository as a lookout tracker
//! kinds.jsonl                user-added kinds, by name
//! watch.jsonl                watch items, by slug
//! developments/7k.jsonl      developments whose id starts with "7k", by id
//! ```
//!
//! One record a line (`record::Record::to_line`), sorted by key within a
//! file, so that two analysts adding records whose lines sort next to each
//! other still change different lines, and a change to one development
//! rewrites one file. Ids are drawn from 32 letters and digits: the first two
//! make 1024 files, about 500 kB each with a million developments.
//! `lookout import DIR` reads a checkout of it.

use crate::error::{Error, Result};
use crate::formats::jsonl::is_conflict_marker;
use crate::limits;
use crate::record::{Record, RecordKind};

/// The file that marks a repository as a lookout tracker.
pub const MARKER_PATH: &str = "lookout.json";

/// The marker's content; `version` is the text form's, not the store's.
pub const MARKER: &str = "{\"format\":\"lookout tracker\",\"version\":1}\n";

/// Shown to anyone who opens the repository.
pub const README_PATH: &str = "README.md";
pub const README: &str = "# A lookout tracker\n\n\
This repository holds a tracker kept with lookout: watch items and the dated \
developments that move them, one record a line. Analysts share it with \
`lookout sync URL` (once) and `lookout sync`; lookout merges record by record, \
so do not edit or merge these files by hand. `lookout import DIR` builds a \
store from a checkout.\n";

/// The folder of the development files.
pub const DEVELOPMENTS_DIR: &str = "developments/";

/// The file a record lives in.
pub fn path_of(kind: RecordKind, key: &str) -> String {
    match kind {
        RecordKind::Kind => "kinds.jsonl".to_string(),
        RecordKind::Watch => "watch.jsonl".to_string(),
        RecordKind::Development => {
            let shard: String = key.chars().take(2).collect();
            format!("{DEVELOPMENTS_DIR}{shard}.jsonl")
        }
        // This store's alone: no `Record` is one, so sync never asks.
        RecordKind::Feed | RecordKind::Inbox => String::new(),
    }
}

/// The shard a development file holds (`developments/7k.jsonl`: "7k").
pub fn shard_of(path: &str) -> Option<&str> {
    path.strip_prefix(DEVELOPMENTS_DIR)?.strip_suffix(".jsonl")
}

/// Whether a path of the repository holds records (and which kind).
pub fn kind_of(path: &str) -> Option<RecordKind> {
    match path {
        "kinds.jsonl" => Some(RecordKind::Kind),
        "watch.jsonl" => Some(RecordKind::Watch),
        p if p.starts_with(DEVELOPMENTS_DIR) && p.ends_with(".jsonl") => {
            Some(RecordKind::Development)
        }
        _ => None,
    }
}

/// A file's text from its records, given sorted by key; None for no records
/// (the file is left out of the tree).
pub fn file_text<'a>(records: impl IntoIterator<Item = &'a Record>) -> Option<Vec<u8>> {
    let mut text = Vec::new();
    for record in records {
        text.extend_from_slice(record.to_line().as_bytes());
        text.push(b'\n');
    }
    (!text.is_empty()).then_some(text)
}

/// Reads a file of the repository back into its records, in order. A line
/// that is not a record is an error naming `path:line`; conflict markers
/// say that someone merged the files by hand.
pub fn parse_file(path: &str, bytes: &[u8]) -> Result<Vec<Record>> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| Error::data(format!("{path}: not valid UTF-8")))?;
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = || format!("{path}:{}", index + 1);
        if line.trim().is_empty() {
            continue;
        }
        // A record is a few kilobytes at most; a line far past that is
        // refused before it is parsed (or stored, or searched).
        if line.len() > limits::RECORD_BYTES {
            return Err(Error::data(format!(
                "{}: a line of {} MiB; a record's line is at most {} MiB",
                at(),
                line.len() >> 20,
                limits::RECORD_BYTES >> 20
            )));
        }
        if is_conflict_marker(line.as_bytes()) {
            return Err(Error::data(format!(
                "{}: a git conflict marker: the file was merged by hand",
                at()
            ))
            .with_hint(
                "restore the shared repository's files as lookout wrote them; lookout sync merges trackers record by record",
            ));
        }
        records.push(Record::from_line(line).map_err(|e| e.context(at()))?);
    }
    Ok(records)
}

/// The id git gives a file's content (a blob's SHA-1), so that an unchanged
/// file is told without reading the repository's copy.
pub fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.digest().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_live_in_files_by_kind_and_id() {
        assert_eq!(
            path_of(RecordKind::Development, "7k2m9q4x"),
            "developments/7k.jsonl"
        );
        assert_eq!(
            path_of(RecordKind::Development, "a"),
            "developments/a.jsonl"
        );
        assert_eq!(path_of(RecordKind::Watch, "intl-ai-org"), "watch.jsonl");
        assert_eq!(
            kind_of("developments/7k.jsonl"),
            Some(RecordKind::Development)
        );
        assert_eq!(kind_of(MARKER_PATH), None);
        assert_eq!(shard_of("developments/7k.jsonl"), Some("7k"));
        assert_eq!(shard_of("watch.jsonl"), None);
        assert_eq!(kind_of(README_PATH), None);
    }

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn files_read_back_and_conflict_markers_are_named() {
        let kind = Record::Kind("court-ruling".into());
        let text = file_text([&kind]).unwrap();
        assert_eq!(parse_file("kinds.jsonl", &text).unwrap(), vec![kind]);
        assert_eq!(file_text([]), None);
        let err = parse_file(
            "watch.jsonl",
            b"<<<<<<< HEAD\n{\"type\":\"kind\",\"name\":\"a\"}\n=======\n",
        )
        .unwrap_err();
        assert!(
            err.message()
                .starts_with("watch.jsonl:1: a git conflict marker"),
            "{}",
            err.message()
        );
        let err = parse_file("kinds.jsonl", b"{\"type\":\"kind\"}\n").unwrap_err();
        assert!(
            err.message().starts_with("kinds.jsonl:1: missing field"),
            "{}",
            err.message()
        );
    }
}
