//! The small parsers and writers of git's plumbing formats: `ls-tree -z`,
//! `cat-file --batch`, `fast-import`, and the checks of what goes into them.

use std::io::{self, BufRead, Write};

use super::*;
use crate::error::{Error, Result};

/// One `ls-tree -z` entry, `<mode> <type> <oid>\t<path>`: a file, or None for
/// what is not a regular file.
pub(super) fn parse_tree_entry(entry: &[u8]) -> Result<Option<TreeFile>> {
    let bad = || {
        Error::io(format!(
            "unexpected ls-tree output {:?}",
            String::from_utf8_lossy(entry)
        ))
    };
    let tab = entry.iter().position(|&b| b == b'\t').ok_or_else(bad)?;
    let meta = std::str::from_utf8(&entry[..tab]).map_err(|_| bad())?;
    let mut fields = meta.split(' ');
    let (Some(mode), Some(kind), Some(oid), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(bad());
    };
    if kind != "blob" || !(mode == "100644" || mode == "100755") {
        return Ok(None);
    }
    let path = std::str::from_utf8(&entry[tab + 1..]).map_err(|_| {
        Error::io(format!(
            "file name {:?} is not UTF-8",
            String::from_utf8_lossy(&entry[tab + 1..])
        ))
    })?;
    Ok(Some(TreeFile {
        path: path.to_owned(),
        blob: oid.parse().map_err(|_| bad())?,
    }))
}

/// Reads one `cat-file --batch` answer, `<oid> blob <size>\n<bytes>\n`, the
/// one to the request for `oid`.
pub(super) fn read_answer(mut answers: impl BufRead, oid: &Oid) -> Result<Vec<u8>> {
    let stream = |e: io::Error| Error::from(e).context("reading blobs from git");
    let mut header = Vec::new();
    answers.read_until(b'\n', &mut header).map_err(stream)?;
    let line = String::from_utf8_lossy(&header);
    let line = line.trim_end();
    let size = match line.split(' ').collect::<Vec<_>>()[..] {
        [id, "blob", size] if id == oid.as_str() => size.parse::<usize>().ok(),
        _ => None,
    };
    let Some(size) = size else {
        let what = if line.is_empty() {
            "git stopped answering".to_owned()
        } else if line.ends_with(" missing") {
            "not in the sync cache".to_owned()
        } else {
            format!("git answered {line:?}")
        };
        return Err(Error::io(format!("reading blob {oid}: {what}")));
    };
    let mut contents = vec![0; size];
    answers.read_exact(&mut contents).map_err(stream)?;
    let mut newline = [0u8];
    answers.read_exact(&mut newline).map_err(stream)?;
    Ok(contents)
}

/// The author and committer line fields cannot hold `<`, `>` or line breaks.
pub(super) fn check_identity(who: &Identity) -> Result<()> {
    let bad = |s: &str| s.contains(['<', '>', '\n', '\r', '\0']);
    if who.name.trim().is_empty() {
        return Err(Error::data("a commit needs an author name"));
    }
    if bad(&who.name) || bad(&who.email) {
        return Err(Error::data(format!(
            "author name {:?} and email {:?}: neither can hold <, > or a line break",
            who.name, who.email
        )));
    }
    Ok(())
}

/// A path git will store as given and every git host accepts: relative,
/// `/`-separated, no empty, `.`, `..` or `.git` part, no control characters.
pub(super) fn check_path(path: &str) -> Result<()> {
    let bad_part = |part: &str| {
        part.is_empty() || part == "." || part == ".." || part.eq_ignore_ascii_case(".git")
    };
    if path.chars().any(char::is_control) || path.split('/').any(bad_part) {
        return Err(Error::data(format!(
            "{path:?} cannot be a file of the shared tracker: it must be a relative, \
             /-separated path with no empty, `.`, `..` or `.git` part"
        )));
    }
    Ok(())
}

/// The fast-import stream for one commit on `refs/lookout/pending`, ending
/// with `get-mark` (git prints the new commit's id) and `done`.
pub(super) fn write_import(
    out: &mut dyn Write,
    ref_name: &str,
    parent: Option<&Oid>,
    changes: &dyn Files,
    who: &Identity,
    when: i64,
    message: &str,
) -> io::Result<()> {
    // `feature done`: input that ends before `done` (a writer that died)
    // is an error, never a commit of half the changes.
    writeln!(out, "feature done")?;
    writeln!(out, "reset {ref_name}")?;
    writeln!(out, "commit {ref_name}")?;
    writeln!(out, "mark :1")?;
    writeln!(out, "author {} <{}> {when} +0000", who.name, who.email)?;
    writeln!(out, "committer {} <{}> {when} +0000", who.name, who.email)?;
    write_data(out, message.as_bytes())?;
    if let Some(parent) = parent {
        writeln!(out, "from {parent}")?;
    }
    changes.each(&mut |path, contents| match contents {
        Content::Text(bytes) => {
            writeln!(out, "M 100644 inline {}", quote_path(path))?;
            write_data(out, bytes)
        }
        Content::Blob(blob) => writeln!(out, "M 100644 {blob} {}", quote_path(path)),
        Content::Deleted => writeln!(out, "D {}", quote_path(path)),
    })?;
    writeln!(out)?;
    writeln!(out, "get-mark :1")?;
    writeln!(out, "done")
}

pub(super) fn write_data(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    writeln!(out, "data {}", bytes.len())?;
    out.write_all(bytes)?;
    writeln!(out)
}

/// A path in C-style quotes, which fast-import always accepts, so spaces
/// and a leading `"` need no special case (control characters are refused earlier).
pub(super) fn quote_path(path: &str) -> String {
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}
