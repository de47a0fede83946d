//! lookout's CSV dialects: the timeline CSV and the watch-items CSV.
//!
//! Both are RFC 4180 (CRLF record ends on output; CRLF or LF, a byte-order
//! mark and quoted newlines accepted on input), UTF-8, with a required header
//! whose columns may come in any order. Every cell written goes through the
//! formula guard and every cell read through its inverse, so that a
//! spreadsheet never runs a headline as a formula and export → import →
//! export gives the same bytes.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder, Terminator, WriterBuilder};

use crate::error::{Error, Result};
use crate::model::Development;

/// Characters that make a spreadsheet treat a cell as a formula (and `'`, so
/// that the guard can be undone unambiguously).
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Writes a cell so that no spreadsheet runs it: one more leading `'` when it
/// begins with `=`, `+`, `-`, `@`, tab, CR or `'`.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes `guard`: removes one leading `'` when the next character is one the
/// guard protects.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A CSV file layout: its columns, in the order lookout writes them.
#[derive(Debug, PartialEq, Eq)]
pub struct Dialect {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub required: &'static [&'static str],
}

/// `id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at`
pub const TIMELINE: Dialect = Dialect {
    name: "timeline CSV",
    columns: &[
        "id",
        "date",
        "precision",
        "kind",
        "watch",
        "actors",
        "headline",
        "summary",
        "sources",
        "recorded_at",
    ],
    required: &["date", "kind", "watch", "headline"],
};

/// `slug,title,description,opened,tags`
pub const WATCH_ITEMS: Dialect = Dialect {
    name: "watch-items CSV",
    columns: &["slug", "title", "description", "opened", "tags"],
    required: &["slug", "title"],
};

/// A CSV writer of lookout's dialects: CRLF record ends, every cell guarded.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter {
            inner: WriterBuilder::new()
                .terminator(Terminator::CRLF)
                .from_writer(out),
        }
    }

    pub fn write_row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> Result<()> {
        self.inner
            .write_record(cells.into_iter().map(|c| guard(c).into_owned()))?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.inner.flush()?;
        Ok(())
    }
}

/// Writes developments as the timeline CSV.
pub struct TimelineWriter<W: Write> {
    csv: CsvWriter<W>,
}

impl<W: Write> TimelineWriter<W> {
    pub fn new(out: W) -> Result<TimelineWriter<W>> {
        let mut csv = CsvWriter::new(out);
        csv.write_row(TIMELINE.columns.iter().copied())?;
        Ok(TimelineWriter { csv })
    }

    pub fn write(&mut self, dev: &Development) -> Result<()> {
        let watch: Vec<String> = dev.links.iter().map(|l| l.to_string()).collect();
        let cells = [
            dev.id.to_string(),
            dev.date.to_string(),
            dev.date.precision().to_string(),
            dev.kind.clone(),
            watch.join(";"),
            dev.actors.join(";"),
            dev.headline.clone(),
            dev.summary.clone().unwrap_or_default(),
            dev.sources.join(";"),
            dev.recorded_at.to_string(),
        ];
        self.csv.write_row(cells.iter().map(String::as_str))
    }

    pub fn finish(self) -> Result<()> {
        self.csv.finish()
    }
}

/// One data row of an input file: its line and its cells by dialect column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line the record starts on (the header is line 1).
    pub line: u64,
    cells: Vec<Option<String>>,
    dialect: &'static Dialect,
}

impl Row {
    /// The cell of `column` (unguarded), or None when the file lacks the column.
    pub fn get(&self, column: &str) -> Option<&str> {
        let index = self.dialect.columns.iter().position(|c| *c == column)?;
        self.cells[index].as_deref()
    }

    /// The cell, with an empty string where the column is missing or blank.
    pub fn text(&self, column: &str) -> &str {
        self.get(column).unwrap_or("")
    }
}

/// Reads one input file of either dialect, a row at a time (memory stays flat).
pub struct CsvSource {
    label: String,
    dialect: &'static Dialect,
    /// For each dialect column, the index of the file's column holding it.
    positions: Vec<Option<usize>>,
    /// How many fields the header has, and so every row.
    width: usize,
    reader: csv::Reader<BufReader<File>>,
    record: ByteRecord,
}

impl CsvSource {
    /// Opens `path` and tells its dialect from its header.
    pub fn open(path: &Path) -> Result<CsvSource> {
        let label = path.display().to_string();
        let file = File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::no_input(format!("{label}: no such file")),
            _ => Error::from(e).context(&label),
        })?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(Error::no_input(format!(
                "{label}: is a directory, not a file"
            )));
        }
        CsvSource::from_reader(label, BufReader::new(file))
    }

    fn from_reader(label: String, input: BufReader<File>) -> Result<CsvSource> {
        // Records end at LF; a CR before it is removed from the last cell
        // (`next_row`). The csv crate's CRLF handling would report every
        // record of a CRLF file one line early, and lines are what errors name.
        let mut reader = ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .terminator(Terminator::Any(b'\n'))
            .from_reader(input);
        let header = reader
            .byte_headers()
            .map_err(|e| read_error(&label, e))?
            .clone();
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                std::str::from_utf8(cell)
                    .map(|s| s.trim().to_string())
                    .map_err(|_| {
                        Error::data(format!(
                            "{label}:1: header column {} is not valid UTF-8",
                            i + 1
                        ))
                    })
            })
            .collect::<Result<_>>()?;
        if names.iter().all(String::is_empty) {
            return Err(
                Error::data(format!("{label}:1: the file is empty; expected a header")).with_hint(
                    format!(
                        "a timeline CSV starts with `{}`; a watch-items CSV with `{}`",
                        TIMELINE.columns.join(","),
                        WATCH_ITEMS.columns.join(",")
                    ),
                ),
            );
        }
        let dialect = detect(&names).ok_or_else(|| {
            Error::data(format!(
                "{label}:1: cannot tell what the file holds from its header `{}`",
                names.join(",")
            ))
            .with_hint(format!(
                "a timeline CSV has the columns {}; a watch-items CSV {}",
                TIMELINE.columns.join(","),
                WATCH_ITEMS.columns.join(",")
            ))
        })?;
        let mut positions = vec![None; dialect.columns.len()];
        for (file_index, name) in names.iter().enumerate() {
            let Some(index) = dialect.columns.iter().position(|c| c == name) else {
                return Err(Error::data(format!(
                    "{label}:1: unknown column '{name}' in a {}",
                    dialect.name
                ))
                .with_hint(format!("its columns are {}", dialect.columns.join(","))));
            };
            if positions[index].is_some() {
                return Err(Error::data(format!(
                    "{label}:1: column '{name}' appears twice"
                )));
            }
            positions[index] = Some(file_index);
        }
        for required in dialect.required {
            let index = dialect
                .columns
                .iter()
                .position(|c| c == required)
                .unwrap_or(0);
            if positions[index].is_none() {
                return Err(Error::data(format!(
                    "{label}:1: missing required column '{required}' in a {}",
                    dialect.name
                ))
                .with_hint(format!("required columns: {}", dialect.required.join(","))));
            }
        }
        Ok(CsvSource {
            label,
            dialect,
            positions,
            width: names.len(),
            reader,
            record: ByteRecord::new(),
        })
    }

    pub fn dialect(&self) -> &'static Dialect {
        self.dialect
    }

    /// The file as named in messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The next data row, or None at the end of the file. Blank lines are skipped.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        let (line, width) = loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| read_error(&self.label, e))?;
            if !more {
                return Ok(None);
            }
            let line = self.record.position().map(|p| p.line()).unwrap_or(0);
            let blank = self.record.len() == 1 && matches!(&self.record[0], b"" | b"\r");
            if !blank {
                break (line, self.record.len());
            }
        };
        if width != self.width {
            return Err(Error::data(format!(
                "{}:{line}: expected {} fields, as in the header, but found {width}",
                self.label, self.width
            ))
            .with_hint("quote any cell that contains a comma"));
        }
        let mut cells = Vec::with_capacity(self.positions.len());
        for (index, position) in self.positions.iter().enumerate() {
            let cell = match position {
                None => None,
                Some(file_index) => {
                    let mut bytes = self.record.get(*file_index).unwrap_or(b"");
                    if *file_index == width - 1 {
                        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
                    }
                    let text = std::str::from_utf8(bytes).map_err(|_| {
                        Error::data(format!(
                            "{}:{line}: column '{}': not valid UTF-8",
                            self.label, self.dialect.columns[index]
                        ))
                        .with_hint("save the file as UTF-8")
                    })?;
                    Some(unguard(text).to_string())
                }
            };
            cells.push(cell);
        }
        Ok(Some(Row {
            line,
            cells,
            dialect: self.dialect,
        }))
    }
}

/// Tells a file's dialect from its header.
pub fn detect(header: &[String]) -> Option<&'static Dialect> {
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("headline") || has("date") {
        Some(&TIMELINE)
    } else if has("slug") {
        Some(&WATCH_ITEMS)
    } else {
        None
    }
}

fn read_error(label: &str, err: csv::Error) -> Error {
    let line = err.position().map(|p| p.line());
    let at = |line: Option<u64>| match line {
        Some(line) => format!("{label}:{line}"),
        None => label.to_string(),
    };
    match err.into_kind() {
        csv::ErrorKind::Utf8 { pos, err } => Error::data(format!(
            "{}: field {} is not valid UTF-8",
            at(pos.map(|p| p.line()).or(line)),
            err.field() + 1
        )),
        csv::ErrorKind::Io(e) => Error::from(e).context(label),
        other => Error::data(format!("{}: malformed CSV ({other:?})", at(line))),
    }
}

/// Reads all of `input` (for tests and small inputs).
#[cfg(test)]
fn rows_of(input: &str) -> Result<(Vec<Row>, &'static Dialect)> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("in.csv");
    std::fs::write(&path, input)?;
    let mut source = CsvSource::open(&path)?;
    let mut rows = Vec::new();
    while let Some(row) = source.next_row()? {
        rows.push(row);
    }
    Ok((rows, source.dialect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_prefixes_formula_starts_only() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("-1"), "'-1");
        assert_eq!(guard("@cmd"), "'@cmd");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("\rx"), "'\rx");
        assert_eq!(guard("'quoted"), "''quoted");
        assert_eq!(guard("US plan"), "US plan");
        assert_eq!(guard(""), "");
        assert_eq!(guard("a=b"), "a=b");
    }

    #[test]
    fn unguard_undoes_guard_exactly() {
        for cell in [
            "=1", "+x", "-", "@", "\t", "\r\n", "'", "''", "'a", "plain", "", "é=", "'x=1",
        ] {
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?}");
        }
        // A lone quote before an ordinary character is text, not a guard.
        assert_eq!(unguard("'hello"), "'hello");
    }

    #[test]
    fn header_order_is_free_and_bom_and_crlf_are_accepted() {
        let (rows, dialect) =
            rows_of("\u{feff}headline,date,kind,watch\r\n\"a, b\",2025-07,other,x\r\n").unwrap();
        assert_eq!(dialect, &TIMELINE);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].get("headline"), Some("a, b"));
        assert_eq!(rows[0].get("date"), Some("2025-07"));
        assert_eq!(rows[0].get("summary"), None);
    }

    #[test]
    fn quoted_newlines_keep_line_numbers_right() {
        let (rows, _) =
            rows_of("date,kind,watch,headline\n2025,other,x,\"two\nlines\"\n2025,other,x,next\n")
                .unwrap();
        assert_eq!(rows[0].text("headline"), "two\nlines");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn cells_are_unguarded_on_read() {
        let (rows, _) = rows_of("date,kind,watch,headline\n2025,other,x,'=1+1\n").unwrap();
        assert_eq!(rows[0].text("headline"), "=1+1");
    }

    #[test]
    fn header_problems_name_line_one_and_the_column() {
        let err = rows_of("date,kind,watch,headline,colour\n").unwrap_err();
        assert!(
            err.message()
                .ends_with(":1: unknown column 'colour' in a timeline CSV"),
            "{}",
            err.message()
        );
        let err = rows_of("date,kind,headline\n").unwrap_err();
        assert!(
            err.message()
                .contains(":1: missing required column 'watch'"),
            "{}",
            err.message()
        );
        let err = rows_of("date,date,kind,watch,headline\n").unwrap_err();
        assert!(err.message().contains("column 'date' appears twice"));
        let err = rows_of("").unwrap_err();
        assert!(err.message().contains(":1: the file is empty"));
        let err = rows_of("a,b\n").unwrap_err();
        assert!(err.message().contains("cannot tell what the file holds"));
    }

    #[test]
    fn ragged_rows_and_bad_utf8_are_refused_with_their_line() {
        let err = rows_of("date,kind,watch,headline\n2025,other,x\n").unwrap_err();
        assert!(
            err.message().contains(":2: expected 4 fields"),
            "{}",
            err.message()
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.csv");
        std::fs::write(&path, b"date,kind,watch,headline\n2025,other,x,\xff\n").unwrap();
        let mut source = CsvSource::open(&path).unwrap();
        let err = source.next_row().unwrap_err();
        assert!(
            err.message()
                .ends_with(":2: column 'headline': not valid UTF-8"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn watch_item_files_are_told_by_their_header() {
        let (rows, dialect) = rows_of("slug,title\nintl-ai-org,Org\n").unwrap();
        assert_eq!(dialect, &WATCH_ITEMS);
        assert_eq!(rows[0].text("tags"), "");
    }
}
