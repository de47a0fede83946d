//! JSON Lines: the full-fidelity form of a tracker, for sharing it through git.
//!
//! One record a line, sorted by record type (user-added kinds, watch items,
//! developments) then key (name, slug, id), so two exports of one store are
//! byte-identical and a diff shows only what changed. Developments carry
//! their links, actors, sources and retraction. The journal is not exported.
//!
//! ```text
//! {"type":"kind","name":"court-ruling"}
//! {"type":"watch","slug":"intl-ai-org","title":"…","description":null,"opened":"2025-07-26","tags":["china"]}
//! {"type":"development","id":"jtce187y","date":"2025-07-26","precision":"day",…,"retracted":null}
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};
use crate::input::{DevelopmentInput, Item, KindInput, Record, RetractionInput, WatchInput};
use crate::model::{Development, WatchItem};
use crate::report::json::{TimelineEntry, WatchEntry};

/// Writes records as JSON Lines, one compact object a line.
pub struct JsonlWriter<W: Write> {
    out: W,
}

#[derive(Serialize)]
struct KindLine<'a> {
    #[serde(rename = "type")]
    record: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct WatchLine<'a> {
    #[serde(rename = "type")]
    record: &'static str,
    #[serde(flatten)]
    item: WatchEntry<'a>,
}

#[derive(Serialize)]
struct DevelopmentLine<'a> {
    #[serde(rename = "type")]
    record: &'static str,
    #[serde(flatten)]
    entry: TimelineEntry<'a>,
    retracted: Option<RetractionLine<'a>>,
}

#[derive(Serialize)]
struct RetractionLine<'a> {
    at: String,
    reason: &'a str,
}

fn kind_record(name: &str) -> KindLine<'_> {
    KindLine {
        record: "kind",
        name,
    }
}

fn watch_record(item: &WatchItem) -> WatchLine<'_> {
    WatchLine {
        record: "watch",
        item: WatchEntry::from(item),
    }
}

fn development_record(dev: &Development) -> DevelopmentLine<'_> {
    DevelopmentLine {
        record: "development",
        entry: TimelineEntry::from(dev),
        retracted: dev.retracted.as_ref().map(|r| RetractionLine {
            at: r.at.to_string(),
            reason: &r.reason,
        }),
    }
}

/// A record as one JSON Lines line (without its line end): the form the
/// journal keeps too, so that undo reads back exactly what export writes.
pub fn kind_line(name: &str) -> Result<String> {
    Ok(serde_json::to_string(&kind_record(name))?)
}

pub fn watch_line(item: &WatchItem) -> Result<String> {
    Ok(serde_json::to_string(&watch_record(item))?)
}

pub fn development_line(dev: &Development) -> Result<String> {
    Ok(serde_json::to_string(&development_record(dev))?)
}

/// Reads one line back into the record it holds.
pub fn parse_line(text: &str) -> Result<Record> {
    serde_json::from_str::<LineRecord>(text)
        .map(Record::from)
        .map_err(|e| Error::data(json_reason(&e)))
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter { out }
    }

    fn line<T: Serialize>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    pub fn kind(&mut self, name: &str) -> Result<()> {
        self.line(&kind_record(name))
    }

    pub fn watch_item(&mut self, item: &WatchItem) -> Result<()> {
        self.line(&watch_record(item))
    }

    pub fn development(&mut self, dev: &Development) -> Result<()> {
        self.line(&development_record(dev))
    }

    pub fn finish(mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum LineRecord {
    Kind(KindRecord),
    Watch(WatchRecord),
    Development(DevelopmentRecord),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindRecord {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchRecord {
    slug: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    opened: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DevelopmentRecord {
    #[serde(default)]
    id: Option<String>,
    date: String,
    #[serde(default)]
    precision: Option<String>,
    kind: String,
    #[serde(default)]
    watch: Vec<LinkRecord>,
    #[serde(default)]
    actors: Vec<String>,
    headline: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    recorded_at: Option<String>,
    /// Absent: say nothing of retraction; null: not retracted.
    #[serde(default, deserialize_with = "present")]
    retracted: Option<Option<RetractionRecord>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRecord {
    slug: String,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetractionRecord {
    at: String,
    reason: String,
}

/// Tells a present `null` (Some(None)) from an absent field (None).
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

impl From<LineRecord> for Record {
    fn from(line: LineRecord) -> Record {
        match line {
            LineRecord::Kind(k) => Record::Kind(KindInput { name: k.name }),
            LineRecord::Watch(w) => Record::Watch(WatchInput {
                slug: w.slug,
                title: w.title,
                description: w.description,
                opened: w.opened,
                tags: w.tags,
            }),
            LineRecord::Development(d) => Record::Development(DevelopmentInput {
                id: d.id,
                date: d.date,
                precision: d.precision,
                kind: d.kind,
                watch: d
                    .watch
                    .into_iter()
                    .map(|l| match l.to {
                        Some(to) => format!("{}={to}", l.slug),
                        None => l.slug,
                    })
                    .collect(),
                actors: d.actors,
                headline: d.headline,
                summary: d.summary,
                sources: d.sources,
                recorded_at: d.recorded_at,
                retracted: d.retracted.map(|r| {
                    r.map(|r| RetractionInput {
                        at: r.at,
                        reason: r.reason,
                    })
                }),
            }),
        }
    }
}

/// Which records a pass over a JSON Lines file yields: every kind and watch
/// item of a run is applied before any development, whatever the file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    KindsAndWatchItems,
    Developments,
}

const DEVELOPMENT_PREFIX: &[u8] = br#"{"type":"development""#;

/// Reads a JSON Lines file a line at a time (memory stays flat).
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
        let file = crate::csv_io::open_input(path, &label)?;
        Ok(JsonlSource {
            label,
            pass,
            reader: BufReader::with_capacity(64 * 1024, file),
            buffer: Vec::with_capacity(1024),
            line: 0,
            bytes: 0,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// The current line as read (without its line end), for the rejects file.
    pub fn raw_line(&self) -> &[u8] {
        &self.buffer
    }

    /// The next record of this pass, or None at the end of the file.
    pub fn next_item(&mut self) -> Result<Option<Item>> {
        loop {
            self.buffer.clear();
            let read = self
                .reader
                .read_until(b'\n', &mut self.buffer)
                .map_err(|e| Error::from(e).context(&self.label))?;
            if read == 0 {
                return Ok(None);
            }
            self.bytes += read as u64;
            self.line += 1;
            trim_line_end(&mut self.buffer);
            if self.line == 1 && self.buffer.starts_with("\u{feff}".as_bytes()) {
                self.buffer.drain(..3);
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // lookout writes "type" first: a development line is told by its
            // prefix, so the first pass skips it without parsing.
            let is_development = self.buffer.starts_with(DEVELOPMENT_PREFIX);
            if self.pass == Pass::KindsAndWatchItems && is_development {
                continue;
            }
            let parsed = std::str::from_utf8(&self.buffer)
                .map_err(|_| Error::data("not valid UTF-8").with_hint("save the file as UTF-8"))
                .and_then(|text| {
                    serde_json::from_str::<LineRecord>(text)
                        .map_err(|e| Error::data(json_reason(&e)))
                });
            let record = match parsed {
                Ok(record) => Record::from(record),
                // A line that does not parse is reported once, by the first pass
                // (or by the second when it looks like a development).
                Err(_) if self.pass == Pass::Developments && !is_development => continue,
                Err(e) => Record::Bad(e),
            };
            let wanted = match (&record, self.pass) {
                (Record::Development(_), pass) => pass == Pass::Developments,
                (Record::Bad(_), _) => true,
                (_, pass) => pass == Pass::KindsAndWatchItems,
            };
            if wanted {
                return Ok(Some(Item {
                    line: self.line,
                    record,
                }));
            }
        }
    }
}

fn trim_line_end(buffer: &mut Vec<u8>) {
    if buffer.last() == Some(&b'\n') {
        buffer.pop();
        if buffer.last() == Some(&b'\r') {
            buffer.pop();
        }
    }
}

/// serde_json's message without its "at line 1 column 40" (the line is ours to name).
fn json_reason(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let reason = match text.rsplit_once(" at line ") {
        Some((reason, _)) => reason,
        None => &text,
    };
    reason.replace('`', "'")
}

/// Writes a rejected line back with an `error` field, for `--rejects`.
pub fn write_reject(out: &mut dyn Write, raw: &[u8], error: &str) -> io::Result<()> {
    let object = std::str::from_utf8(raw).ok().and_then(|text| {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()
    });
    let line = match object {
        Some(mut object) => {
            object.insert("error".into(), error.into());
            serde_json::Value::Object(object)
        }
        None => serde_json::json!({
            "line": String::from_utf8_lossy(raw),
            "error": error,
        }),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str, pass: Pass) -> Vec<Item> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, text).unwrap();
        let mut source = JsonlSource::open(&path, pass).unwrap();
        let mut out = Vec::new();
        while let Some(item) = source.next_item().unwrap() {
            out.push(item);
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
        let first = items(FILE, Pass::KindsAndWatchItems);
        assert_eq!(first.iter().map(|i| i.line).collect::<Vec<_>>(), [3, 4, 5]);
        assert!(matches!(first[0].record, Record::Watch(_)));
        let Record::Bad(e) = &first[1].record else {
            panic!()
        };
        assert!(e.message().starts_with("expected ident"), "{}", e.message());
        let Record::Bad(e) = &first[2].record else {
            panic!()
        };
        assert_eq!(e.message(), "unknown field 'colour', expected 'name'");
        let second = items(FILE, Pass::Developments);
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
        let got: Vec<Option<Option<RetractionInput>>> = items(text, Pass::Developments)
            .into_iter()
            .map(|i| match i.record {
                Record::Development(d) => d.retracted,
                _ => panic!(),
            })
            .collect();
        assert_eq!(got[0], None);
        assert_eq!(got[1], Some(None));
        assert_eq!(got[2].as_ref().unwrap().as_ref().unwrap().reason, "false");
    }

    #[test]
    fn rejects_keep_the_line_and_add_the_error() {
        let mut out = Vec::new();
        write_reject(&mut out, br#"{"type":"kind","name":"X"}"#, "line 2: bad").unwrap();
        write_reject(&mut out, b"oops", "line 3: not JSON").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"type\":\"kind\",\"name\":\"X\",\"error\":\"line 2: bad\"}\n{\"line\":\"oops\",\"error\":\"line 3: not JSON\"}\n"
        );
    }
}
