//! Reading and writing files: every place a file format is read or written.
//!
//! - `csv_writer`: the one CSV writer (every CSV lookout writes), `guard` its
//!   formula guard;
//! - `csv_reader`: the one CSV reader; `dialect` tells the timeline CSV
//!   (`timeline_csv`) from the watch-items CSV (`watch_csv`) and reads either;
//! - `jsonl`: JSON Lines files of records;
//! - `rejects`: the `--rejects` file of an import.
//!
//! Import readers implement `Source`, yielding raw records for the loader.
//! Nothing here touches the store.

mod csv_reader;
pub(crate) mod csv_writer;
pub mod dialect;
mod guard;
pub(crate) mod jsonl;
pub(crate) mod rejects;
pub(crate) mod timeline_csv;
pub(crate) mod watch_csv;

use std::fs::File;
use std::io;
use std::path::Path;

use csv::ByteRecord;

use crate::error::{Error, Result};
use crate::record::draft::{Naming, RawRecord};

/// One record read from an import file, with the line it starts on: its
/// text, or why the reader could not make sense of it (bad UTF-8, wrong
/// number of fields, invalid JSON).
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub record: Result<RawRecord>,
}

/// A record as it was read, for the rejects file.
pub enum RawRow<'a> {
    Csv {
        header: &'a ByteRecord,
        record: &'a ByteRecord,
    },
    Line(&'a [u8]),
}

impl RawRow<'_> {
    /// A copy that outlives the reader's next row (the import reads ahead
    /// on another thread).
    pub(crate) fn to_owned_row(&self) -> OwnedRawRow {
        match self {
            RawRow::Csv { header, record } => OwnedRawRow::Csv {
                header: (*header).clone(),
                record: (*record).clone(),
            },
            RawRow::Line(line) => OwnedRawRow::Line(line.to_vec()),
        }
    }
}

/// A record as it was read, owned; see `RawRow::to_owned_row`.
#[derive(Debug, Clone)]
pub(crate) enum OwnedRawRow {
    Csv {
        header: ByteRecord,
        record: ByteRecord,
    },
    Line(Vec<u8>),
}

impl OwnedRawRow {
    pub(crate) fn as_raw(&self) -> RawRow<'_> {
        match self {
            OwnedRawRow::Csv { header, record } => RawRow::Csv { header, record },
            OwnedRawRow::Line(line) => RawRow::Line(line),
        }
    }
}

/// An import file, read a record at a time.
pub trait Source {
    /// The file as named in messages.
    fn label(&self) -> &str;
    /// What the file calls the parts of a record.
    fn naming(&self) -> Naming;
    /// How far into the file the reader is, for progress.
    fn bytes_read(&self) -> u64;
    /// The next record, or None at the end. An error here (an I/O failure)
    /// ends the run; a record the reader cannot make sense of is a `Row`.
    fn next_row(&mut self) -> Result<Option<Row>>;
    /// The record last read, as read.
    fn raw(&self) -> RawRow<'_>;
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
