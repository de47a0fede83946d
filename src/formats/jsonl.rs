//! JSON Lines files: the full-fidelity form of a tracker.
//!
//! One record a line (see `record`), sorted by record type (user-added kinds,
//! watch items, developments) then key, so two exports of one store are
//! byte-identical and a diff shows only what changed. The journal is not
//! exported. Reading streams a line at a time, in two passes (every kind and
//! watch item of an import run is applied before any development).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use super::{RawRow, Row, Source, open_input};
use crate::error::{Error, Result};
use crate::record::Record;
use crate::record::draft::{Naming, RawRecord};

/// Writes records as JSON Lines, one compact object a line.
pub struct JsonlWriter<W: Write> {
    out: W,
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter { out }
    }

    pub fn write(&mut self, record: &Record) -> Result<()> {
        self.out.write_all(record.to_line().as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// Which records a pass over a JSON Lines file yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    KindsAndWatchItems,
    Developments,
}

const DEVELOPMENT_PREFIX: &[u8] = br#"{"type":"development""#;

/// The lines git writes around the two sides of a conflict it could not merge.
pub fn is_conflict_marker(line: &[u8]) -> bool {
    [&b"<<<<<<<"[..], b">>>>>>>", b"======="]
        .iter()
        .any(|marker| line.starts_with(marker))
        && line.get(7).is_none_or(|b| *b == b' ')
}

/// Reads one pass over a JSON Lines file, a line at a time (memory stays flat).
pub struct JsonlSource {
    label: String,
    pass: Pass,
    reader: BufReader<File>,
    buffer: Vec<u8>,
    line: u64,
    bytes: u64,
}

impl JsonlSource {
    pub fn open(path: &Path, pass: Pass) -> Result<JsonlSource> {
        let label = path.display().to_string();
        let file = open_input(path, &label)?;
        Ok(JsonlSource {
            label,
            pass,
            reader: BufReader::with_capacity(64 * 1024, file),
            buffer: Vec::with_capacity(1024),
            line: 0,
            bytes: 0,
        })
    }

    /// Reads the next line into the buffer, less its line end; false at the end.
    fn read_line(&mut self) -> Result<bool> {
        self.buffer.clear();
        let limit = crate::limits::RECORD_BYTES;
        let read = (&mut self.reader)
            .take(limit as u64 + 1)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|e| Error::from(e).context(&self.label))?;
        if read == 0 {
            return Ok(false);
        }
        self.bytes += read as u64;
        self.line += 1;
        if read > limit {
            return Err(Error::data(format!(
                "{}:{}: a line longer than {} MiB; lookout reads no record that long",
                self.label,
                self.line,
                limit >> 20
            ))
            .with_hint(
                "a JSON Lines file holds one record a line; check the file from that line",
            ));
        }
        if self.buffer.last() == Some(&b'\n') {
            self.buffer.pop();
            if self.buffer.last() == Some(&b'\r') {
                self.buffer.pop();
            }
        }
        if self.line == 1 && self.buffer.starts_with("\u{feff}".as_bytes()) {
            self.buffer.drain(..3);
        }
        Ok(true)
    }
}

impl Source for JsonlSource {
    fn label(&self) -> &str {
        &self.label
    }

    fn naming(&self) -> Naming {
        Naming::Field
    }

    fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn next_row(&mut self) -> Result<Option<Row>> {
        while self.read_line()? {
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // lookout writes "type" first: a development line is told by its
            // prefix, so the first pass skips it without parsing.
            let is_development = self.buffer.starts_with(DEVELOPMENT_PREFIX);
            if self.pass == Pass::KindsAndWatchItems && is_development {
                continue;
            }
            let parsed = if is_conflict_marker(&self.buffer) {
                Err(Error::data("a git conflict marker: the file was merged by hand")
                    .with_hint("share trackers with `lookout sync`, which merges record by record; or restore the file from one side"))
            } else {
                std::str::from_utf8(&self.buffer)
                    .map_err(|_| Error::data("not valid UTF-8").with_hint("save the file as UTF-8"))
                    .and_then(RawRecord::from_line)
            };
            let wanted = match &parsed {
                Ok(RawRecord::Development(_)) => self.pass == Pass::Developments,
                Ok(_) => self.pass == Pass::KindsAndWatchItems,
                // A line that does not parse is reported once, by the first
                // pass (or by the second when it looks like a development).
                Err(_) => self.pass == Pass::KindsAndWatchItems || is_development,
            };
            if wanted {
                return Ok(Some(Row {
                    line: self.line,
                    record: parsed,
                }));
            }
        }
        Ok(None)
    }

    fn raw(&self) -> RawRow<'_> {
        RawRow::Line(&self.buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::draft::RawRetraction;

    fn rows(text: &str, pass: Pass) -> Vec<Row> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, text).unwrap();
        let mut source = JsonlSource::open(&path, pass).unwrap();
        let mut out = Vec::new();
        while let Some(row) = source.next_row().unwrap() {
            out.push(row);
        }
        out
    }

    const FILE: &str = concat!(
        "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"h\"}\r\n",
        "\n",
        "{\"type\":\"watch\",\"slug\":\"a\",\"title\":\"A\"}\n",
        "not json\n",
        "{\"type\":\"kind\",\"name\":\"k\",\"colour\":\"red\"}\n",
    );

    #[test]
    fn passes_split_the_records_and_report_each_bad_line_once() {
        let first = rows(FILE, Pass::KindsAndWatchItems);
        assert_eq!(first.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 4, 5]);
        assert!(matches!(first[0].record, Ok(RawRecord::Watch(_))));
        let Err(e) = &first[1].record else { panic!() };
        assert!(e.message().starts_with("expected ident"), "{}", e.message());
        let Err(e) = &first[2].record else { panic!() };
        assert_eq!(e.message(), "unknown field 'colour', expected 'name'");
        let second = rows(FILE, Pass::Developments);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].line, 1);
    }

    #[test]
    fn retracted_absent_null_and_present_differ() {
        let text = concat!(
            "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"a\"}\n",
            "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"b\",\"retracted\":null}\n",
            "{\"type\":\"development\",\"date\":\"2025\",\"kind\":\"other\",\"headline\":\"c\",\"retracted\":{\"at\":\"2025-08-01T00:00:00Z\",\"reason\":\"false\"}}\n",
        );
        let got: Vec<Option<Option<RawRetraction>>> = rows(text, Pass::Developments)
            .into_iter()
            .map(|r| match r.record {
                Ok(RawRecord::Development(d)) => d.retracted,
                _ => panic!(),
            })
            .collect();
        assert_eq!(got[0], None);
        assert_eq!(got[1], Some(None));
        assert_eq!(got[2].as_ref().unwrap().as_ref().unwrap().reason, "false");
    }
}
