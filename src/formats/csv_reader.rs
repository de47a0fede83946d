//! The one CSV reader: RFC 4180 as the csv crate reads it, with the line
//! each record starts on kept exact (CRLF or LF ends, blank lines, quoted
//! newlines), and a quote left open at the end of the file caught rather
//! than folded into one cell. What the cells mean is the dialects' part.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder, Terminator};

use super::open_input;
use crate::error::{Error, Result};

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
    /// For each of those records, the first way it breaks RFC 4180's
    /// quoting (the csv crate reads such bytes as plain text; lookout
    /// refuses to guess): the field, and what is wrong.
    problems: VecDeque<Option<(usize, &'static str)>>,
    /// The field of the current record the scanner is in.
    field: usize,
    /// Bytes of the current record so far.
    record_bytes: usize,
    /// The start line of a record longer than `limits::RECORD_BYTES`: the
    /// reading stops there.
    too_long: Option<u64>,
}

/// A quote inside a cell that does not begin with one (`5" screen`).
pub const STRAY_QUOTE: &str = "a quote inside a cell that does not begin with one";
/// Text between a closing quote and the comma (`"x" ,`).
pub const AFTER_QUOTE: &str = "text after the closing quote";

impl<R> QuoteScanner<R> {
    fn new(inner: R) -> QuoteScanner<R> {
        QuoteScanner {
            inner,
            state: QuoteState::FieldStart,
            at_eof: false,
            line: 1,
            at_record_start: true,
            starts: VecDeque::new(),
            problems: VecDeque::new(),
            field: 0,
            record_bytes: 0,
            too_long: None,
        }
    }

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
        self.grow(run.len());
    }

    /// Counts bytes of the current record, noting one that grows too long.
    fn grow(&mut self, bytes: usize) {
        self.record_bytes += bytes;
        if self.record_bytes > crate::limits::RECORD_BYTES && self.too_long.is_none() {
            self.too_long = Some(self.starts.back().copied().unwrap_or(self.line));
        }
    }

    fn step(&mut self, byte: u8) {
        // An empty line is no record (the csv crate skips it too).
        if self.at_record_start && byte != b'\n' {
            self.starts.push_back(self.line);
            self.problems.push_back(None);
            self.field = 0;
            self.at_record_start = false;
        }
        let problem = match (self.state, byte) {
            (QuoteState::Unquoted, b'"') => Some(STRAY_QUOTE),
            (QuoteState::QuoteInQuoted, b'"' | b',' | b'\n' | b'\r') => None,
            (QuoteState::QuoteInQuoted, _) => Some(AFTER_QUOTE),
            _ => None,
        };
        if let (Some(reason), Some(slot @ None)) = (problem, self.problems.back_mut()) {
            *slot = Some((self.field, reason));
        }
        if byte == b',' && !matches!(self.state, QuoteState::Quoted) {
            self.field += 1;
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
        self.grow(1);
        if byte == b'\n' {
            self.line += 1;
            self.at_record_start = self.state == QuoteState::FieldStart;
            if self.at_record_start {
                self.record_bytes = 0;
            }
        }
    }
}

impl<R: Read> Read for QuoteScanner<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.too_long.is_some() {
            // Said by `CsvReader`, which knows the file's name.
            return Err(io::Error::other("a record too long"));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.at_eof = true;
        }
        self.scan(&buf[..n]);
        Ok(n)
    }
}

/// Reads a CSV file a record at a time (memory stays flat).
pub struct CsvReader {
    label: String,
    reader: csv::Reader<QuoteScanner<File>>,
    header: ByteRecord,
    record: ByteRecord,
    /// The quoting problem of the record last read, if any.
    problem: Option<(usize, &'static str)>,
}

impl CsvReader {
    /// Opens `path` and reads its header row.
    pub fn open(path: &Path) -> Result<CsvReader> {
        let label = path.display().to_string();
        let file = open_input(path, &label)?;
        refuse_non_text(&file, &label)?;
        // Records end at LF; a CR before it is removed from the last cell
        // (`strip_cr`). The csv crate's CRLF handling would report every
        // record of a CRLF file one line early, and lines are what errors name.
        let mut reader = ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .terminator(Terminator::Any(b'\n'))
            .buffer_capacity(64 * 1024)
            .from_reader(QuoteScanner::new(file));
        let mut header = match reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(e) => return Err(stop_error(&label, reader.get_ref(), e)),
        };
        reader.get_mut().starts.pop_front();
        reader.get_mut().problems.pop_front();
        if header
            .iter()
            .any(|cell| cell.contains(&b'\r') && !cell.ends_with(b"\r"))
        {
            return Err(Error::data(format!(
                "{label}: its lines end with a carriage return alone (CR), as old Mac files do"
            ))
            .with_hint("save it with LF or CRLF line ends"));
        }
        strip_cr(&mut header);
        Ok(CsvReader {
            label,
            reader,
            header,
            record: ByteRecord::new(),
            problem: None,
        })
    }

    /// The file as named in messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The header row as read.
    pub fn header(&self) -> &ByteRecord {
        &self.header
    }

    /// The header's column names, trimmed; an error names a column that is
    /// not UTF-8.
    pub fn header_names(&self) -> Result<Vec<String>> {
        self.header
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                std::str::from_utf8(cell)
                    .map(|s| s.trim().to_string())
                    .map_err(|_| {
                        Error::data(format!(
                            "{}:1: header column {} is not valid UTF-8",
                            self.label,
                            i + 1
                        ))
                    })
            })
            .collect()
    }

    /// The header name of a column, for messages.
    pub fn header_name(&self, index: usize) -> String {
        self.header
            .get(index)
            .map(|h| crate::screen::echo(String::from_utf8_lossy(h).trim()).into_owned())
            .unwrap_or_else(|| format!("{}", index + 1))
    }

    /// How far into the file the reader is, for progress.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The record last read, as read (less its line end).
    pub fn record(&self) -> &ByteRecord {
        &self.record
    }

    /// How the record last read breaks RFC 4180's quoting: the field and
    /// what is wrong.
    pub fn quoting_problem(&self) -> Option<(usize, &'static str)> {
        self.problem
    }

    /// Whether the record last read is the rest of the file swallowed by a
    /// quote that was never closed.
    pub fn runs_off_the_end(&self) -> bool {
        let scanner = self.reader.get_ref();
        scanner.at_eof && scanner.state == QuoteState::Quoted
    }

    /// Reads the next record that is not a blank line; returns the line it
    /// starts on, or None at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<u64>> {
        loop {
            let more = match self.reader.read_byte_record(&mut self.record) {
                Ok(more) => more,
                Err(e) => return Err(stop_error(&self.label, self.reader.get_ref(), e)),
            };
            if !more {
                return Ok(None);
            }
            let scanner = self.reader.get_mut();
            let line = scanner.starts.pop_front().unwrap_or(0);
            self.problem = scanner.problems.pop_front().flatten();
            strip_cr(&mut self.record);
            let blank = self.record.len() == 1 && self.record[0].is_empty();
            if !blank {
                return Ok(Some(line));
            }
        }
    }
}

/// Removes the CR of a CRLF line end from a record's last cell.
fn strip_cr(record: &mut ByteRecord) {
    let Some(last) = record.len().checked_sub(1) else {
        return;
    };
    if let Some(cell) = record[last].strip_suffix(b"\r") {
        let cell = cell.to_vec();
        record.truncate(last);
        record.push_field(&cell);
    }
}

/// Refuses, by its first bytes, a file that is no CSV text: a spreadsheet
/// workbook saved under a .csv name, UTF-16 text, or binary data, each of
/// which would otherwise be read as strange cells.
fn refuse_non_text(file: &File, label: &str) -> Result<()> {
    use std::os::unix::fs::FileExt;
    let mut head = [0u8; 4096];
    let read = file
        .read_at(&mut head, 0)
        .map_err(|e| Error::from(e).context(label))?;
    let head = &head[..read];
    let save_as = "save it from the spreadsheet as CSV UTF-8 (comma delimited)";
    if head.starts_with(b"PK\x03\x04") {
        return Err(Error::data(format!(
            "{label}: a spreadsheet workbook (.xlsx or .ods), not a CSV file"
        ))
        .with_hint(save_as));
    }
    if head.starts_with(b"\xd0\xcf\x11\xe0") {
        return Err(Error::data(format!(
            "{label}: an old Excel workbook (.xls), not a CSV file"
        ))
        .with_hint(save_as));
    }
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return Err(Error::data(format!("{label}: UTF-16 text, not UTF-8")).with_hint(save_as));
    }
    // Binary data holds NUL bytes by the dozen; a stray one in a text file
    // (a bad export) is the reader's to cope with, as it always was.
    if head.iter().filter(|&&b| b == 0).count() >= 4 {
        return Err(
            Error::data(format!("{label}: not a text file (it holds NUL bytes)"))
                .with_hint("import reads CSV (UTF-8) and JSON Lines files"),
        );
    }
    Ok(())
}

/// Why reading stopped: a record too long (the scanner stopped it), or
/// what the csv crate says.
fn stop_error<R>(label: &str, scanner: &QuoteScanner<R>, err: csv::Error) -> Error {
    match scanner.too_long {
        Some(line) => Error::data(format!(
            "{label}:{line}: a record longer than {} MiB; lookout reads no record that long",
            crate::limits::RECORD_BYTES >> 20
        ))
        .with_hint(
            "a quote left open makes the rest of the file one cell, as do lines that end with a carriage return alone (CR); check the file from that line",
        ),
        None => read_error(label, err),
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
        _ => Error::data(format!("{}: malformed CSV", at(line))),
    }
}
