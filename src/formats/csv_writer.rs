//! The one CSV writer: every CSV lookout writes — timeline, listings, the
//! status report, the TimelineJS sheet, rejects — goes through it, so every
//! one has CRLF record ends (RFC 4180) and every cell the formula guard.

use std::io::Write;

use csv::{Terminator, WriterBuilder};

use super::guard::{guard, unguard};
use crate::error::Result;

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

    /// Writes one row of text cells, each under the formula guard.
    pub fn write_row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for cell in cells {
            self.inner.write_field(guard(cell).as_bytes())?;
        }
        self.inner.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Writes one row of cells as read from a CSV file (any bytes): a text
    /// cell keeps its meaning — a guard it was read with stays, one it lacks
    /// is added — so the row imports again as it would have.
    pub fn write_raw_row<'a>(&mut self, cells: impl IntoIterator<Item = &'a [u8]>) -> Result<()> {
        for cell in cells {
            match std::str::from_utf8(cell) {
                Ok(text) => self.inner.write_field(guard(unguard(text)).as_bytes())?,
                // Not text: no spreadsheet will read it as a formula either.
                Err(_) => self.inner.write_field(cell)?,
            }
        }
        self.inner.write_record(None::<&[u8]>)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.inner.flush()?;
        Ok(())
    }

    /// Flushes and hands back the destination.
    pub fn into_inner(self) -> Result<W> {
        self.inner
            .into_inner()
            .map_err(|e| crate::error::Error::from(e.into_error()))
    }
}
