//! `lookout import FILE... [--dry-run] [--skip-invalid [--rejects FILE]]`
//!
//! Every file is opened and its kind told (`.jsonl`, or a CSV header) before
//! the store is touched. The run is one transaction: kinds and watch items
//! first (watch-item CSVs, then the first pass over each JSON Lines file),
//! then developments (the second pass over each JSON Lines file, then the
//! timeline CSVs). The first bad record refuses the run, naming `file:line`
//! and the column, and nothing is stored — unless `--skip-invalid`, which
//! keeps the good records, writes the bad ones to `--rejects`, and exits 65.
//! A one-line summary goes to stderr.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::ImportArgs;
use crate::csv_io::{self, CsvSource, WATCH_ITEMS};
use crate::ctx::{Ctx, Output};
use crate::error::{Error, Result};
use crate::input::Item;
use crate::jsonl::{self, JsonlSource, Pass};
use crate::loader::{Loader, Place};
use crate::progress::Progress;
use crate::store::Access;

/// One pass over one input file.
enum Source {
    Csv(CsvSource),
    Jsonl(JsonlSource),
}

impl Source {
    fn next_item(&mut self) -> Result<Option<Item>> {
        match self {
            Source::Csv(s) => s.next_item(),
            Source::Jsonl(s) => s.next_item(),
        }
    }

    fn label(&self) -> &str {
        match self {
            Source::Csv(s) => s.label(),
            Source::Jsonl(s) => s.label(),
        }
    }

    fn bytes_read(&self) -> u64 {
        match self {
            Source::Csv(s) => s.bytes_read(),
            Source::Jsonl(s) => s.bytes_read(),
        }
    }
}

fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

pub fn run(ctx: &mut Ctx, args: ImportArgs) -> Result<()> {
    let (first, second, total_bytes) = open_sources(&args.files)?;
    let mut rejects = match &args.rejects {
        Some(path) => Some(Rejects::new(ctx, path, &first, &second)?),
        None => None,
    };

    let store_bytes = ctx
        .db_path()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    let store = ctx.store(Access::Write)?;
    let bulk = is_bulk(total_bytes, store_bytes);
    let tx = store.begin_change("import", ctx.clock.now())?;
    if bulk {
        store.begin_bulk_load()?;
    }
    let mut loader = Loader::new(&store, &ctx.clock, args.skip_invalid);
    let mut progress = Progress::new(total_bytes, ctx.is_quiet());
    let mut done_before = 0;
    for mut source in first.into_iter().chain(second) {
        let mut count = 0u32;
        while let Some(item) = source.next_item()? {
            let place = Place {
                label: source.label(),
                line: item.line,
            };
            loader.apply(item, place, &mut |error| match rejects.as_mut() {
                Some(rejects) => rejects.write(&source, error),
                None => Ok(()),
            })?;
            count = count.wrapping_add(1);
            if count % 1024 == 0 {
                progress.update(done_before + source.bytes_read());
            }
        }
        done_before += source.bytes_read();
    }
    if bulk {
        store.end_bulk_load()?;
    }
    progress.finish();
    let summary = loader.summary();
    let files = args.files.len();
    let files = format!("{files} file{}", if files == 1 { "" } else { "s" });
    if args.dry_run {
        drop(tx); // rolls back: a dry run writes nothing
    } else {
        let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
        tx.commit(&format!("imported {}: {summary}", names.join(", ")))?;
    }
    drop(store);
    if args.dry_run {
        ctx.discard_created_store();
    }
    if let Some(rejects) = rejects {
        rejects.finish()?;
    }
    if args.dry_run {
        ctx.note(format!(
            "dry run, nothing written: {files} would give {summary}"
        ));
    } else {
        ctx.note(format!("imported {files}: {summary}"));
    }
    if summary.rejected > 0 {
        let plural = if summary.rejected == 1 { "" } else { "s" };
        let error = Error::data(format!("{} record{plural} rejected", summary.rejected));
        return Err(match &args.rejects {
            Some(path) => error.with_hint(format!(
                "they are in {} with the reason of each; fix them there and import that file",
                path.display()
            )),
            None => error.with_hint("pass --rejects FILE to keep them for fixing"),
        });
    }
    Ok(())
}

/// Whether to build the indexes once at the end rather than row by row: when
/// the input is large and a good part of what the store will hold.
fn is_bulk(input_bytes: u64, store_bytes: u64) -> bool {
    input_bytes >= 1 << 20 && input_bytes.saturating_mul(4) >= store_bytes
}

/// Opens every file, in the order the run applies them, and adds up their sizes.
fn open_sources(files: &[PathBuf]) -> Result<(Vec<Source>, Vec<Source>, u64)> {
    let mut watch_csvs = Vec::new();
    let mut jsonl_first = Vec::new();
    let mut jsonl_second = Vec::new();
    let mut timeline_csvs = Vec::new();
    let mut total = 0;
    for path in files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if is_jsonl(path) {
            jsonl_first.push(Source::Jsonl(JsonlSource::open(
                path,
                Pass::KindsAndWatchItems,
            )?));
            jsonl_second.push(Source::Jsonl(JsonlSource::open(path, Pass::Developments)?));
            total += 2 * size;
        } else {
            let source = CsvSource::open(path)?;
            if source.dialect() == &WATCH_ITEMS {
                watch_csvs.push(Source::Csv(source));
            } else {
                timeline_csvs.push(Source::Csv(source));
            }
            total += size;
        }
    }
    let first = watch_csvs.into_iter().chain(jsonl_first).collect();
    let second = jsonl_second.into_iter().chain(timeline_csvs).collect();
    Ok((first, second, total))
}

/// The `--rejects` file: bad records as they were read, in their input's
/// dialect, each with an `error` giving its `file:line` and reason. The
/// inputs must share one dialect so that the file can be fixed and imported.
struct Rejects {
    output: Output,
    /// For CSV inputs, the header, written before the first reject.
    csv_header: Option<Vec<Vec<u8>>>,
    header_written: bool,
}

impl Rejects {
    fn new(ctx: &Ctx, path: &Path, first: &[Source], second: &[Source]) -> Result<Rejects> {
        let mut headers: Vec<Option<Vec<Vec<u8>>>> = Vec::new();
        for source in first.iter().chain(second) {
            headers.push(match source {
                Source::Csv(csv) => Some(csv.raw().0.iter().map(<[u8]>::to_vec).collect()),
                Source::Jsonl(_) => None,
            });
        }
        if headers.windows(2).any(|pair| pair[0] != pair[1]) {
            return Err(Error::data(
                "--rejects needs input files of one kind: all JSON Lines, or CSV files with the same header",
            )
            .with_hint("import files of different kinds in separate runs"));
        }
        let csv_header = headers.into_iter().next().flatten().map(|mut header| {
            header.push(b"error".to_vec());
            header
        });
        Ok(Rejects {
            output: ctx.output(Some(path))?,
            csv_header,
            header_written: false,
        })
    }

    fn write(&mut self, source: &Source, error: &Error) -> Result<()> {
        let out = self.output.writer();
        match source {
            Source::Csv(csv) => {
                let mut writer = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(&mut *out as &mut dyn Write);
                if !self.header_written {
                    if let Some(header) = &self.csv_header {
                        writer.write_record(header)?;
                    }
                    self.header_written = true;
                }
                csv_io::write_reject(&mut writer, csv.raw().1, error.message())?;
                writer.flush()?;
            }
            Source::Jsonl(jsonl) => jsonl::write_reject(out, jsonl.raw_line(), error.message())?,
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        if !self.header_written
            && let Some(header) = &self.csv_header
        {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(self.output.writer());
            writer.write_record(header)?;
            writer.flush()?;
        }
        self.output.finish()
    }
}
