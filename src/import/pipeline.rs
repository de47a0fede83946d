//! Reading and checking on a second thread.
//!
//! A reading thread turns the file's rows into checked drafts — unquoting
//! the CSV or parsing the JSON, then every check that needs no store
//! (`RawRecord::check`: dates against the calendar, slugs, statuses, ids,
//! times, limits of form) — and hands them over in batches, in file order,
//! to the loader, which matches them with the store and writes them. The
//! channel holds at most `IN_FLIGHT` batches of `BATCH` rows, so memory stays
//! flat however long the file (a few MiB of drafts at most); when the loader
//! stops early, the reader's next send fails and it stops too.
//!
//! What it buys: the reading and checking (a fifth of a bulk import's
//! instructions) run on the second core while the first writes. What it
//! costs: the drafts are moved between threads, and, when a rejects file is
//! asked for, each row's raw form is copied so that a row the loader refuses
//! can still be written out as it was read.

use std::sync::mpsc::{SyncSender, sync_channel};

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::formats::{OwnedRawRow, Source};
use crate::record::draft::Draft;

/// Rows a batch holds.
const BATCH: usize = 256;

/// Batches the channel holds while the loader is busy.
const IN_FLIGHT: usize = 8;

/// A row read and checked by the reading thread.
pub(super) struct Checked {
    /// The line it starts on.
    pub line: u64,
    pub draft: Result<Draft>,
    /// The row as read, kept only when a rejects file wants it.
    pub raw: Option<OwnedRawRow>,
}

/// What the reading thread sends: rows, with how far into the file they go,
/// or the error that ended the reading.
enum Batch {
    Rows(Vec<Checked>, u64),
    Failed(Error),
}

/// Reads `source` to its end on a second thread, checking each row as of
/// `today`, and hands each row in order to `apply` with how far into the
/// file the reader had got.
pub(super) fn each_checked(
    source: &mut (dyn Source + Send),
    today: NaiveDate,
    keep_raw: bool,
    mut apply: impl FnMut(Checked) -> Result<()>,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel(IN_FLIGHT);
        scope.spawn(move || read_ahead(source, today, keep_raw, &sender));
        // Returning early drops the receiver, which stops the reader.
        for batch in receiver {
            match batch {
                Batch::Rows(rows, bytes) => {
                    for row in rows {
                        apply(row)?;
                    }
                    progress(bytes);
                }
                Batch::Failed(error) => return Err(error),
            }
        }
        Ok(())
    })
}

/// The reading thread: rows in batches until the end, an error, or a loader
/// that no longer listens.
fn read_ahead(
    source: &mut (dyn Source + Send),
    today: NaiveDate,
    keep_raw: bool,
    sender: &SyncSender<Batch>,
) {
    let naming = source.naming();
    let mut rows = Vec::with_capacity(BATCH);
    loop {
        let row = match source.next_row() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(error) => {
                let _ = sender.send(Batch::Rows(std::mem::take(&mut rows), source.bytes_read()));
                let _ = sender.send(Batch::Failed(error));
                return;
            }
        };
        let raw = keep_raw.then(|| source.raw().to_owned_row());
        let draft = row
            .record
            .and_then(|record| record.check(naming, Some(today)));
        rows.push(Checked {
            line: row.line,
            draft,
            raw,
        });
        if rows.len() == BATCH {
            let full = std::mem::replace(&mut rows, Vec::with_capacity(BATCH));
            if sender.send(Batch::Rows(full, source.bytes_read())).is_err() {
                return;
            }
        }
    }
    let _ = sender.send(Batch::Rows(rows, source.bytes_read()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{RawRow, Row};
    use crate::record::draft::{Naming, RawRecord};

    /// A source of `rows` kinds, counting how many it was asked for.
    struct Kinds {
        rows: u64,
        read: u64,
        line: Vec<u8>,
    }

    impl Source for Kinds {
        fn label(&self) -> &str {
            "kinds.jsonl"
        }
        fn naming(&self) -> Naming {
            Naming::Field
        }
        fn bytes_read(&self) -> u64 {
            self.read
        }
        fn next_row(&mut self) -> Result<Option<Row>> {
            if self.read == self.rows {
                return Ok(None);
            }
            self.read += 1;
            self.line = format!(r#"{{"type":"kind","name":"k{}"}}"#, self.read).into_bytes();
            let text = std::str::from_utf8(&self.line).map_err(|e| Error::data(e.to_string()))?;
            Ok(Some(Row {
                line: self.read,
                record: RawRecord::from_line(text),
            }))
        }
        fn raw(&self) -> RawRow<'_> {
            RawRow::Line(&self.line)
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 8, 1).unwrap()
    }

    #[test]
    fn rows_arrive_in_order_with_their_raw_form() {
        let mut source = Kinds {
            rows: 1000,
            read: 0,
            line: Vec::new(),
        };
        let mut lines = Vec::new();
        each_checked(
            &mut source,
            today(),
            true,
            |row| {
                let raw = row.raw.expect("kept");
                assert!(matches!(raw.as_raw(), RawRow::Line(l) if l.ends_with(format!("k{}\"}}", row.line).as_bytes())));
                assert!(matches!(row.draft, Ok(Draft::Kind(_))));
                lines.push(row.line);
                Ok(())
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(lines, (1..=1000).collect::<Vec<u64>>());
    }

    #[test]
    fn a_loader_that_stops_stops_the_reader_within_the_channel_s_bound() {
        let mut source = Kinds {
            rows: 1_000_000,
            read: 0,
            line: Vec::new(),
        };
        let result = each_checked(
            &mut source,
            today(),
            false,
            |row| {
                if row.line == 10 {
                    Err(Error::io("the store failed"))
                } else {
                    Ok(())
                }
            },
            &mut |_| {},
        );
        assert!(result.is_err());
        // What the channel holds, the batch being filled and the one in hand.
        assert!(
            source.read <= ((IN_FLIGHT + 2) * BATCH) as u64,
            "{}",
            source.read
        );
    }
}
