//! lookout's CSV dialects: the timeline CSV and the watch-items CSV.
//!
//! Both are RFC 4180 (CRLF record ends on output; CRLF or LF, a byte-order
//! mark and quoted newlines accepted on input), UTF-8, with a required header
//! whose columns may come in any order. Every cell written goes through the
//! formula guard and every cell read through its inverse, so that a
//! spreadsheet never runs a headline as a formula and export → import →
//! export gives the same bytes.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder, Terminator, WriterBuilder};

use crate::error::{Error, Result};
use crate::input::{DevelopmentInput, Item, Record, WatchInput};
use crate::model::{Development, split_list};

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
        for cell in cells {
            self.inner.write_field(guard(cell).as_bytes())?;
        }
        self.inner.write_record(None::<&[u8]>)?;
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

    /// Writes a row already in the timeline CSV's shape (`Store::timeline_cells`).
    pub fn write_cells(&mut self, cells: &[&str; 10]) -> Result<()> {
        self.csv.write_row(cells.iter().copied())
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

/// Opens an input file, telling a missing file (exit 66) from other trouble.
pub(crate) fn open_input(path: &Path, label: &str) -> Result<File> {
    let file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::no_input(format!("{label}: no such file")),
        _ => Error::from(e).context(label),
    })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::no_input(format!(
            "{label}: is a directory, not a file"
        )));
    }
    Ok(file)
}

/// Where a reader is in RFC 4180's grammar, tracked byte by byte, so that a
/// quote left open at the end of the file is caught (the csv crate would
/// quietly fold the rest of the file into one cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: its end, or the first of `""`.
    QuoteInQuoted,
}

/// Passes bytes through to the csv reader, watching the quoting and noting
/// the line each record starts on. (The csv crate's own line count is off
/// after CRLF ends and skipped blank lines; error messages need it exact.)
struct QuoteScanner<R> {
    inner: R,
    state: QuoteState,
    at_eof: bool,
    line: u64,
    at_record_start: bool,
    /// Start lines of the records read ahead, not yet handed out.
    starts: VecDeque<u64>,
}

impl<R> QuoteScanner<R> {
    fn new(inner: R) -> QuoteScanner<R> {
        QuoteScanner {
            inner,
            state: QuoteState::FieldStart,
            at_eof: false,
            line: 1,
            at_record_start: true,
            starts: VecDeque::new(),
        }
    }
}

impl<R> QuoteScanner<R> {
    /// Advances the grammar over `bytes`. Only quotes, commas, CR and LF can
    /// change the state, so runs of other bytes are skipped with memchr.
    fn scan(&mut self, bytes: &[u8]) {
        let mut at = 0;
        while at < bytes.len() {
            // Inside a quoted cell only a quote matters; elsewhere also , and LF.
            let next = match self.state {
                QuoteState::Quoted => memchr::memchr(b'"', &bytes[at..]),
                QuoteState::Unquoted => memchr::memchr3(b'"', b',', b'\n', &bytes[at..]),
                QuoteState::FieldStart | QuoteState::QuoteInQuoted => Some(0),
            };
            let Some(offset) = next else {
                self.count_lines(&bytes[at..]);
                break;
            };
            self.count_lines(&bytes[at..at + offset]);
            at += offset;
            self.step(bytes[at]);
            at += 1;
        }
    }

    /// Newlines inside a skipped run belong to a quoted cell or end nothing
    /// (an unquoted run never holds LF): they count for lines only.
    fn count_lines(&mut self, run: &[u8]) {
        self.line += memchr::memchr_iter(b'\n', run).count() as u64;
    }

    fn step(&mut self, byte: u8) {
        // An empty line is no record (the csv crate skips it too).
        if self.at_record_start && byte != b'\n' {
            self.starts.push_back(self.line);
            self.at_record_start = false;
        }
        self.state = match (self.state, byte) {
            (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
            (QuoteState::Quoted, _) => QuoteState::Quoted,
            (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
            (QuoteState::FieldStart, b'"') => QuoteState::Quoted,
            (_, b',' | b'\n') => QuoteState::FieldStart,
            // As the csv crate reads it: a quote anywhere but at the start of
            // a field, or any byte after a closing quote, is plain text.
            _ => QuoteState::Unquoted,
        };
        if byte == b'\n' {
            self.line += 1;
            self.at_record_start = self.state == QuoteState::FieldStart;
        }
    }
}

impl<R: Read> Read for QuoteScanner<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.at_eof = true;
        }
        self.scan(&buf[..n]);
        Ok(n)
    }
}

/// Reads one input file of either dialect, a record at a time (memory stays flat).
pub struct CsvSource {
    label: String,
    dialect: &'static Dialect,
    /// For each dialect column, the index of the file's column holding it.
    positions: Vec<Option<usize>>,
    header: ByteRecord,
    reader: csv::Reader<QuoteScanner<File>>,
    record: ByteRecord,
}

impl CsvSource {
    /// Opens `path` and tells its dialect from its header.
    pub fn open(path: &Path) -> Result<CsvSource> {
        let label = path.display().to_string();
        let file = open_input(path, &label)?;
        // Records end at LF; a CR before it is removed from the last cell
        // (`next_item`). The csv crate's CRLF handling would report every
        // record of a CRLF file one line early, and lines are what errors name.
        let mut reader = ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .terminator(Terminator::Any(b'\n'))
            .buffer_capacity(64 * 1024)
            .from_reader(QuoteScanner::new(file));
        let mut header = reader
            .byte_headers()
            .map_err(|e| read_error(&label, e))?
            .clone();
        reader.get_mut().starts.pop_front();
        if let Some(last) = header.len().checked_sub(1) {
            let trimmed: Vec<Vec<u8>> = header
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    if i == last {
                        cell.strip_suffix(b"\r").unwrap_or(cell)
                    } else {
                        cell
                    }
                    .to_vec()
                })
                .collect();
            header = ByteRecord::from(trimmed);
        }
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
        let (dialect, positions) = read_header(&label, &names)?;
        Ok(CsvSource {
            label,
            dialect,
            positions,
            header,
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

    /// How far into the file the reader is, for progress.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The header and the current record as read, for the rejects file.
    pub fn raw(&self) -> (&ByteRecord, &ByteRecord) {
        (&self.header, &self.record)
    }

    /// The next record, or None at the end of the file. Blank lines are skipped.
    pub fn next_item(&mut self) -> Result<Option<Item>> {
        let line = loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| read_error(&self.label, e))?;
            if !more {
                return Ok(None);
            }
            let line = self.reader.get_mut().starts.pop_front().unwrap_or(0);
            let blank = self.record.len() == 1 && matches!(&self.record[0], b"" | b"\r");
            if !blank {
                break line;
            }
        };
        let record = match self.cells() {
            Ok(cells) => self.to_record(&cells),
            Err(error) => Record::Bad(error),
        };
        Ok(Some(Item { line, record }))
    }

    /// The current record's cells by dialect column, unguarded.
    fn cells(&self) -> Result<Vec<Option<String>>> {
        let width = self.record.len();
        let scanner = self.reader.get_ref();
        if scanner.at_eof && scanner.state == QuoteState::Quoted {
            let column = self.header_name(width - 1);
            return Err(Error::data(format!(
                "column '{column}': a quoted cell is never closed and runs to the end of the file"
            ))
            .with_hint("close the quote, or double a quote meant as text (\"\")"));
        }
        if width != self.header.len() {
            let detail = if width < self.header.len() {
                format!("column '{}' and after are missing", self.header_name(width))
            } else {
                format!("field {} has no column", self.header.len() + 1)
            };
            return Err(Error::data(format!(
                "expected {} fields, as in the header, but found {width}: {detail}",
                self.header.len()
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
                            "column '{}': not valid UTF-8",
                            self.dialect.columns[index]
                        ))
                        .with_hint("save the file as UTF-8")
                    })?;
                    Some(unguard(text).to_string())
                }
            };
            cells.push(cell);
        }
        Ok(cells)
    }

    fn header_name(&self, index: usize) -> String {
        self.header
            .get(index)
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .unwrap_or_else(|| format!("{}", index + 1))
    }

    fn to_record(&self, cells: &[Option<String>]) -> Record {
        let column = |name: &str| -> Option<String> {
            let index = self.dialect.columns.iter().position(|c| *c == name)?;
            cells[index].clone()
        };
        let text = |name: &str| column(name).unwrap_or_default();
        let list =
            |name: &str| -> Vec<String> { split_list(&text(name)).map(str::to_string).collect() };
        if self.dialect == &WATCH_ITEMS {
            Record::Watch(WatchInput {
                slug: text("slug"),
                title: text("title"),
                description: column("description"),
                opened: column("opened"),
                tags: list("tags"),
            })
        } else {
            Record::Development(DevelopmentInput {
                id: column("id"),
                date: text("date"),
                precision: column("precision"),
                kind: text("kind"),
                watch: list("watch"),
                actors: list("actors"),
                headline: text("headline"),
                summary: column("summary"),
                sources: list("sources"),
                recorded_at: column("recorded_at"),
                retracted: None,
            })
        }
    }
}

/// Checks a header and maps the dialect's columns to the file's.
fn read_header(label: &str, names: &[String]) -> Result<(&'static Dialect, Vec<Option<usize>>)> {
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
    let dialect = detect(names).ok_or_else(|| {
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
    Ok((dialect, positions))
}

/// Writes a rejected record back as read, with an `error` cell, for `--rejects`.
pub fn write_reject(
    out: &mut csv::Writer<&mut dyn Write>,
    record: &ByteRecord,
    error: &str,
) -> Result<()> {
    let mut row = record.clone();
    if let Some(last) = row.len().checked_sub(1)
        && row[last].ends_with(b"\r")
    {
        let cells: Vec<Vec<u8>> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c[..c.len() - 1].to_vec()
                } else {
                    c.to_vec()
                }
            })
            .collect();
        row = ByteRecord::from(cells);
    }
    row.push_field(guard(error).as_bytes());
    out.write_byte_record(&row)?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every record of `input`.
    fn items_of(input: &[u8]) -> Result<(Vec<Item>, &'static Dialect)> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("in.csv");
        std::fs::write(&path, input)?;
        let mut source = CsvSource::open(&path)?;
        let mut items = Vec::new();
        while let Some(item) = source.next_item()? {
            items.push(item);
        }
        Ok((items, source.dialect()))
    }

    fn development(item: &Item) -> &DevelopmentInput {
        match &item.record {
            Record::Development(d) => d,
            other => panic!("not a development: {other:?}"),
        }
    }

    fn bad(item: &Item) -> String {
        match &item.record {
            Record::Bad(e) => e.message().to_string(),
            other => panic!("not refused: {other:?}"),
        }
    }

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
        let (items, dialect) = items_of(
            "\u{feff}headline,date,kind,watch\r\n\"a, b\",2025-07,other,x\r\nc,2025,other,x\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(dialect, &TIMELINE);
        assert_eq!(items[0].line, 2);
        assert_eq!(items[1].line, 3);
        assert_eq!(development(&items[0]).headline, "a, b");
        assert_eq!(development(&items[0]).date, "2025-07");
        assert_eq!(development(&items[1]).watch, ["x"]);
        assert_eq!(development(&items[0]).summary, None);
    }

    #[test]
    fn quoted_newlines_keep_line_numbers_right() {
        let (items, _) = items_of(
            b"date,kind,watch,headline\n2025,other,x,\"two\nlines\"\n\n2025,other,x,next\n",
        )
        .unwrap();
        assert_eq!(development(&items[0]).headline, "two\nlines");
        assert_eq!(items[1].line, 5, "the blank line is skipped but counted");
    }

    #[test]
    fn cells_are_unguarded_on_read() {
        let (items, _) = items_of(b"date,kind,watch,headline\n2025,other,x,'=1+1\n").unwrap();
        assert_eq!(development(&items[0]).headline, "=1+1");
    }

    #[test]
    fn header_problems_name_line_one_and_the_column() {
        let message = |input: &str| {
            items_of(input.as_bytes())
                .unwrap_err()
                .message()
                .to_string()
        };
        assert!(
            message("date,kind,watch,headline,colour\n")
                .ends_with(":1: unknown column 'colour' in a timeline CSV")
        );
        assert!(message("date,kind,headline\n").contains(":1: missing required column 'watch'"));
        assert!(message("date,date,kind,watch,headline\n").contains("column 'date' appears twice"));
        assert!(message("").contains(":1: the file is empty"));
        assert!(message("a,b\n").contains("cannot tell what the file holds"));
    }

    #[test]
    fn ragged_rows_bad_utf8_and_open_quotes_are_bad_records() {
        let (items, _) = items_of(
            b"date,kind,watch,headline\n2025,other,x\n2025,other,x,\xff\n2025,other,x,y,z\n",
        )
        .unwrap();
        assert_eq!(
            bad(&items[0]),
            "expected 4 fields, as in the header, but found 3: column 'headline' and after are missing"
        );
        assert_eq!(items[1].line, 3);
        assert_eq!(bad(&items[1]), "column 'headline': not valid UTF-8");
        assert_eq!(
            bad(&items[2]),
            "expected 4 fields, as in the header, but found 5: field 5 has no column"
        );
        let (items, _) =
            items_of(b"date,kind,watch,headline\n2025,other,x,fine\n2025,other,x,\"never closed\n2025,other,x,swallowed\n").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].line, 3);
        assert!(bad(&items[1]).starts_with("column 'headline': a quoted cell is never closed"));
    }

    #[test]
    fn escaped_quotes_are_not_open_quotes() {
        let (items, _) = items_of(
            b"date,kind,watch,headline\n2025,other,x,\"say \"\"hi\"\"\"\r\n2025,other,x,5\" screen",
        )
        .unwrap();
        assert_eq!(development(&items[0]).headline, "say \"hi\"");
        assert_eq!(development(&items[1]).headline, "5\" screen");
    }

    /// Found by `cargo fuzz run csv_import`: a CR at the start of a field
    /// followed by a quote. The scanner took the quote for an opening one,
    /// lost step with the csv crate and numbered a record line 0.
    #[test]
    fn fuzz_regression_record_lines_stay_in_step() {
        let data = include_bytes!("../fuzz/regressions/csv_import-1821fada.csv");
        let (items, _) = items_of(data).unwrap();
        assert_eq!(items.len(), 7);
        let lines: Vec<u64> = items.iter().map(|i| i.line).collect();
        // As the csv crate splits the records (checked against its byte positions).
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
        let (items, _) = items_of(b"date,kind,watch,headline\n\r\"x\n2025,other,x,y\n").unwrap();
        assert_eq!(items.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn watch_item_files_are_told_by_their_header() {
        let (items, dialect) = items_of(b"slug,title\nintl-ai-org,Org\n").unwrap();
        assert_eq!(dialect, &WATCH_ITEMS);
        let Record::Watch(watch) = &items[0].record else {
            panic!()
        };
        assert_eq!(watch.slug, "intl-ai-org");
        assert!(watch.tags.is_empty());
    }
}
