//! The timeline CSV: one development a row, in timeline order when a
//! timeline writes it. Written by `timeline --format csv`, `export --format
//! csv` and `search --format csv`; read by `import`.
//!
//! Its columns are the fields that reach the timeline, in their order
//! (`fields::TIMELINE_COLUMNS`): the first release's ten,
//! `id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at`,
//! then `start`, `end`, `scheduled` (schema 3), `recorded_by` (the
//! authorship of records) and any field added since. A file of the first
//! ten columns, as earlier versions wrote, imports as it always did; a free
//! text is read from the column of its name.

use std::io::Write;

use super::csv_writer::CsvWriter;
use super::dialect::{Cells, Dialect};
use crate::error::Result;
use crate::model::Texts;
use crate::record::draft::{RawDevelopment, RawProvenance};
use crate::record::{FlatDevelopment, fields};

pub const TIMELINE: Dialect = Dialect {
    name: "timeline CSV",
    columns: &fields::TIMELINE_COLUMNS,
    required: &["date", "kind", "watch", "headline"],
};

/// Writes developments as the timeline CSV, header first.
pub struct TimelineCsvWriter<W: Write> {
    csv: CsvWriter<W>,
    rows: usize,
}

impl<W: Write> TimelineCsvWriter<W> {
    pub fn new(out: W) -> Result<TimelineCsvWriter<W>> {
        let mut csv = CsvWriter::new(out);
        csv.write_row(TIMELINE.columns.iter().copied())?;
        Ok(TimelineCsvWriter { csv, rows: 0 })
    }

    /// Writes one development: the one place a timeline row is built.
    pub fn write(&mut self, dev: &FlatDevelopment<'_>) -> Result<()> {
        self.rows += 1;
        self.csv.write_row(dev.cells())
    }

    /// How many developments were written.
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn finish(self) -> Result<()> {
        self.csv.finish()
    }
}

/// A row's free texts, each in the column of its name.
fn texts(cells: &Cells<'_>) -> Texts {
    let mut texts = Texts::default();
    for (field, text) in fields::texts() {
        *(text.slot)(&mut texts) = cells.optional(field.name);
    }
    texts
}

/// A row's cells as the plain text of a development.
pub(super) fn decode(cells: &Cells<'_>) -> RawDevelopment {
    RawDevelopment {
        id: cells.optional("id"),
        date: cells.text("date"),
        precision: cells.optional("precision"),
        kind: cells.text("kind"),
        watch: cells.list("watch"),
        actors: cells.list("actors"),
        headline: cells.text("headline"),
        texts: texts(cells),
        sources: cells.list("sources"),
        recorded_at: cells.optional("recorded_at"),
        start: cells.optional("start"),
        end: cells.optional("end"),
        scheduled: cells.optional("scheduled"),
        provenance: RawProvenance {
            recorded_by: cells.optional("recorded_by"),
            ..RawProvenance::default()
        },
        // The timeline CSV holds no retracted development, and says nothing of retraction.
        retracted: None,
    }
}
