//! The `--rejects` file of an import: each record it could not take, as it
//! was read, in its input's dialect, with an `error` giving its `file:line`
//! and reason. A CSV rejects file has the input's header plus `error`, every
//! cell under the formula guard; a JSON Lines one adds an `error` field. Once
//! its records are fixed it imports as it is (import ignores `error`).

use std::io::Write;

use csv::ByteRecord;

use super::RawRow;
use super::csv_writer::CsvWriter;
use crate::error::Result;

/// The column (or field) that carries each reject's reason.
const ERROR_COLUMN: &str = crate::record::draft::REASON;

pub struct RejectsWriter<W: Write> {
    out: Output<W>,
}

enum Output<W: Write> {
    /// CSV: the header waits until the first row or the end.
    Csv {
        csv: Box<CsvWriter<W>>,
        header: Option<Vec<Vec<u8>>>,
        /// The input's own `error` column (a rejects file imported again):
        /// left out, so that the new reason replaces it.
        old_error: Option<usize>,
    },
    Jsonl(W),
}

impl<W: Write> RejectsWriter<W> {
    /// A rejects file for CSV inputs with `header`, or for JSON Lines inputs (None).
    pub fn new(out: W, csv_header: Option<&ByteRecord>) -> RejectsWriter<W> {
        let out = match csv_header {
            Some(header) => {
                let old_error = header
                    .iter()
                    .position(|name| name.trim_ascii() == ERROR_COLUMN.as_bytes());
                let mut header: Vec<Vec<u8>> = without(header.iter(), old_error)
                    .map(<[u8]>::to_vec)
                    .collect();
                header.push(ERROR_COLUMN.as_bytes().to_vec());
                Output::Csv {
                    csv: Box::new(CsvWriter::new(out)),
                    header: Some(header),
                    old_error,
                }
            }
            None => Output::Jsonl(out),
        };
        RejectsWriter { out }
    }

    /// Writes one rejected record with its reason.
    pub fn write(&mut self, raw: &RawRow<'_>, error: &str) -> Result<()> {
        match (&mut self.out, raw) {
            (
                Output::Csv {
                    csv,
                    header,
                    old_error,
                },
                RawRow::Csv { record, .. },
            ) => {
                if let Some(header) = header.take() {
                    csv.write_raw_row(header.iter().map(Vec::as_slice))?;
                }
                // A row rejected for its width still becomes a row of the
                // header's width, so that the file stays well formed: the
                // fields past the last column join it, as an unquoted comma
                // split them.
                let width = header_width(raw);
                let extra: Vec<u8> = if record.len() > width {
                    let rest: Vec<&[u8]> = record.iter().skip(width - 1).collect();
                    rest.join(&b","[..])
                } else {
                    Vec::new()
                };
                let mut cells: Vec<&[u8]> =
                    (0..width).map(|i| record.get(i).unwrap_or(b"")).collect();
                if !extra.is_empty()
                    && let Some(last) = cells.last_mut()
                {
                    *last = &extra;
                }
                let mut row: Vec<&[u8]> = without(cells.into_iter(), *old_error).collect();
                row.push(error.as_bytes());
                csv.write_raw_row(row)
            }
            (Output::Jsonl(out), RawRow::Line(line)) => write_line(out, line, error),
            (Output::Jsonl(out), RawRow::Csv { record, .. }) => {
                let text: Vec<String> = record
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                write_line(out, text.join(",").as_bytes(), error)
            }
            (Output::Csv { csv, header, .. }, RawRow::Line(line)) => {
                if let Some(header) = header.take() {
                    csv.write_raw_row(header.iter().map(Vec::as_slice))?;
                }
                csv.write_raw_row([*line, error.as_bytes()])
            }
        }
    }

    /// Writes the header if no row came, flushes, and hands back the destination.
    pub fn finish(self) -> Result<W> {
        match self.out {
            Output::Csv {
                mut csv, header, ..
            } => {
                if let Some(header) = header {
                    csv.write_raw_row(header.iter().map(Vec::as_slice))?;
                }
                (*csv).into_inner()
            }
            Output::Jsonl(mut out) => {
                out.flush()?;
                Ok(out)
            }
        }
    }
}

/// The items but the one at `skip`.
fn without<'a>(
    items: impl Iterator<Item = &'a [u8]>,
    skip: Option<usize>,
) -> impl Iterator<Item = &'a [u8]> {
    items
        .enumerate()
        .filter(move |(i, _)| Some(*i) != skip)
        .map(|(_, item)| item)
}

fn header_width(raw: &RawRow<'_>) -> usize {
    match raw {
        RawRow::Csv { header, .. } => header.len().max(1),
        RawRow::Line(_) => 1,
    }
}

/// A rejected line with an `error` field added (or, when it is not a JSON
/// object, kept whole in a `line` field).
fn write_line(out: &mut impl Write, raw: &[u8], error: &str) -> Result<()> {
    let object = std::str::from_utf8(raw).ok().and_then(|text| {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()
    });
    let line = match object {
        Some(mut object) => {
            object.insert(ERROR_COLUMN.into(), error.into());
            serde_json::Value::Object(object)
        }
        None => serde_json::json!({
            "line": String::from_utf8_lossy(raw),
            ERROR_COLUMN: error,
        }),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rejects_keep_the_line_and_add_the_error() {
        let mut rejects = RejectsWriter::new(Vec::new(), None);
        rejects
            .write(
                &RawRow::Line(br#"{"type":"kind","name":"X"}"#),
                "line 2: bad",
            )
            .unwrap();
        rejects
            .write(&RawRow::Line(b"oops"), "line 3: not JSON")
            .unwrap();
        assert_eq!(
            String::from_utf8(rejects.finish().unwrap()).unwrap(),
            "{\"type\":\"kind\",\"name\":\"X\",\"error\":\"line 2: bad\"}\n{\"line\":\"oops\",\"error\":\"line 3: not JSON\"}\n"
        );
    }

    #[test]
    fn csv_rejects_are_guarded_and_keep_the_header_width() {
        let header = ByteRecord::from(vec!["date", "headline"]);
        let mut rejects = RejectsWriter::new(Vec::new(), Some(&header));
        let guarded = ByteRecord::from(vec!["2025-02-30", "=1+1"]);
        rejects
            .write(
                &RawRow::Csv {
                    header: &header,
                    record: &guarded,
                },
                "x.csv:2: bad date",
            )
            .unwrap();
        let ragged = ByteRecord::from(vec!["2025", "a", "b"]);
        rejects
            .write(
                &RawRow::Csv {
                    header: &header,
                    record: &ragged,
                },
                "-x.csv:3: too wide",
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(rejects.finish().unwrap()).unwrap(),
            "date,headline,error\r\n2025-02-30,'=1+1,x.csv:2: bad date\r\n2025,\"a,b\",'-x.csv:3: too wide\r\n"
        );
    }

    #[test]
    fn a_rejects_file_rejected_again_keeps_one_error_column() {
        let header = ByteRecord::from(vec!["date", "error", "headline"]);
        let mut rejects = RejectsWriter::new(Vec::new(), Some(&header));
        let row = ByteRecord::from(vec!["2025-13", "old reason", "h"]);
        rejects
            .write(
                &RawRow::Csv {
                    header: &header,
                    record: &row,
                },
                "new reason",
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(rejects.finish().unwrap()).unwrap(),
            "date,headline,error\r\n2025-13,h,new reason\r\n"
        );
    }

    #[test]
    fn an_empty_csv_rejects_file_still_has_its_header() {
        let header = ByteRecord::from(vec!["slug", "title"]);
        let rejects = RejectsWriter::new(Vec::new(), Some(&header));
        assert_eq!(
            String::from_utf8(rejects.finish().unwrap()).unwrap(),
            "slug,title,error\r\n"
        );
    }
}
