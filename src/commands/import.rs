//! `lookout import FILE... [--dry-run] [--skip-invalid [--rejects FILE]]`
//!
//! Every file is opened and its kind told (`.jsonl`, or a CSV header) before
//! the store is touched. The run is one transaction: kinds and watch items
//! first (watch-item CSVs, then the first pass over each JSON Lines file),
//! then developments (the second pass over each JSON Lines file, then the
//! timeline CSVs). Bad records refuse the run, each named with `file:line`
//! and the column, and nothing is stored — unless `--skip-invalid`, which
//! keeps the good records, writes the bad ones to `--rejects`, and exits 65.
//! A one-line summary goes to stderr.

use std::path::{Path, PathBuf};

use crate::cli::ImportArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::formats::Source;
use crate::formats::dialect::CsvSource;
use crate::formats::jsonl::{JsonlSource, Pass};
use crate::formats::rejects::RejectsWriter;
use crate::formats::watch_csv::WATCH_ITEMS;
use crate::interrupt;
use std::io::Write;

use crate::import::{Loader, Summary, Update};
use crate::progress::Progress;
use crate::report::text::clean_line;
use crate::store::Store;
use crate::words::counted;

pub fn run(ctx: &mut Ctx, args: ImportArgs) -> Result<()> {
    let (mut sources, total_bytes) = open_sources(&args.files)?;
    let rejects_header = match &args.rejects {
        Some(_) => rejects_header(&sources)?,
        None => None,
    };
    let mut rejects_output = args
        .rejects
        .as_deref()
        .map(|path| ctx.output(Some(path)))
        .transpose()?;
    // A CSV rejects file is CSV output: `--bom` begins it with the mark.
    if let (Some(out), Some(_)) = (rejects_output.as_mut(), &rejects_header) {
        ctx.begin_csv(out)?;
    }
    let store_bytes = ctx
        .db_path()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    let bulk = is_bulk(total_bytes, store_bytes);
    // A store this run creates is built aside and renamed into place.
    let store = ctx.store_for_import(bulk)?;
    interrupt::catch(&store);
    let mut progress = Progress::new(total_bytes, ctx.is_quiet());
    let loaded = load(
        ctx,
        &args,
        &store,
        &mut sources,
        &mut rejects_output,
        rejects_header.as_ref(),
        bulk,
        &mut progress,
    );
    // The bar ends its line, whatever happened.
    progress.finish();
    let summary = match loaded {
        Ok(summary) => summary,
        Err(error) => {
            // What the rolled-back run wrote into the write-ahead log (all
            // of a large file's pages) is no use to anyone: empty it now
            // rather than at the next write. A store this run created is
            // removed with its log when dropped.
            let _ = store.limit_wal();
            drop(store);
            return interrupt::or_interrupted(Err(error), "nothing imported");
        }
    };
    if !args.dry_run {
        interrupt::or_interrupted(store.publish(), "nothing imported")?;
    }
    report(ctx, &args, &summary)
}

/// Reads every source into the store in one transaction, committed unless
/// a dry run; what the run did.
#[allow(clippy::too_many_arguments)]
fn load(
    ctx: &Ctx,
    args: &ImportArgs,
    store: &Store,
    sources: &mut [Box<dyn Source + Send>],
    rejects_output: &mut Option<crate::output::Output>,
    rejects_header: Option<&csv::ByteRecord>,
    bulk: bool,
    progress: &mut Progress,
) -> Result<Summary> {
    let tx = store.begin_change("import", ctx.clock.now(), ctx.author())?;
    if bulk {
        store.begin_bulk_load()?;
    }
    let rejects = rejects_output
        .as_mut()
        .map(|out| RejectsWriter::new(out.writer(), rejects_header));
    let mut loader = Loader::new(store, &ctx.clock, ctx.author(), args.skip_invalid, rejects)?
        .stop_when(interrupt::flag());
    let mut done_before = 0;
    for source in sources.iter_mut() {
        loader.load(source.as_mut(), &mut |read| {
            progress.update(done_before + read)
        })?;
        done_before += source.bytes_read();
    }
    if bulk {
        store.end_bulk_load()?;
    }
    progress.finish();
    let finished = loader.finish()?;
    let summary = finished.summary;
    if args.dry_run {
        write_updates(ctx, &finished.updates, &summary)?;
    }
    if let Some(output) = rejects_output.take() {
        output.finish()?;
    }
    if args.dry_run {
        // Rolls back, and (when the caller drops the store) removes a store
        // this run created: a dry run writes nothing.
        drop(tx);
    } else {
        let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
        tx.commit(&format!("imported {}: {summary}", names.join(", ")))?;
    }
    Ok(summary)
}

/// What a dry run would overwrite, a record a line: `id: headline "a" → "b"`.
fn write_updates(ctx: &Ctx, updates: &[Update], summary: &Summary) -> Result<()> {
    let mut out = ctx.output(None)?;
    let w: &mut dyn Write = out.writer();
    for update in updates {
        let fields: Vec<String> = update
            .fields
            .iter()
            .map(crate::report::history::field_change)
            .collect();
        writeln!(
            w,
            "{} {}: {}",
            update.record,
            clean_line(&update.key),
            clean_line(&fields.join("; "))
        )?;
    }
    let all = summary.all().updated;
    if all > updates.len() as u64 {
        writeln!(w, "… and {} more updates", all - updates.len() as u64)?;
    }
    out.finish()
}

/// The run's summary on stderr; exit 65 when records were left out.
fn report(ctx: &Ctx, args: &ImportArgs, summary: &Summary) -> Result<()> {
    let files = counted(args.files.len() as u64, "file");
    if args.dry_run {
        ctx.note(format!(
            "dry run, nothing written: {files} would give {summary}"
        ));
    } else {
        ctx.note(format!("imported {files}: {summary}"));
    }
    if summary.rejected == 0 {
        return Ok(());
    }
    let error = Error::data(format!("{} rejected", counted(summary.rejected, "record")));
    Err(match &args.rejects {
        Some(path) => error.with_hint(format!(
            "they are in {} with the reason of each; fix them there and import that file",
            path.display()
        )),
        None => error.with_hint("pass --rejects FILE to keep them for fixing"),
    })
}

/// Whether to build the indexes once at the end rather than row by row: when
/// the input is large and a good part of what the store will hold.
fn is_bulk(input_bytes: u64, store_bytes: u64) -> bool {
    input_bytes >= 1 << 20 && input_bytes.saturating_mul(4) >= store_bytes
}

fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

/// The files to read: each file named, and the `.jsonl` files of a folder
/// named (a checkout of a shared tracker), in path order.
fn expand(files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in files {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut dirs = vec![path.clone()];
        while let Some(dir) = dirs.pop() {
            let entries =
                std::fs::read_dir(&dir).map_err(|e| Error::from(e).context(dir.display()))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::from(e).context(dir.display()))?;
                let child = entry.path();
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if hidden {
                    continue;
                } else if child.is_dir() {
                    dirs.push(child);
                } else if is_jsonl(&child) {
                    found.push(child);
                }
            }
        }
        if found.is_empty() {
            return Err(Error::no_input(format!(
                "{}: a folder with no .jsonl files",
                path.display()
            ))
            .with_hint("name a checkout of a shared tracker, or the files to import"));
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// Opens every file, in the order the run applies them, and adds up the
/// bytes the run will read.
fn open_sources(files: &[PathBuf]) -> Result<(Vec<Box<dyn Source + Send>>, u64)> {
    let files = expand(files)?;
    let mut watch_csvs: Vec<Box<dyn Source + Send>> = Vec::new();
    let mut jsonl_first: Vec<Box<dyn Source + Send>> = Vec::new();
    let mut jsonl_second: Vec<Box<dyn Source + Send>> = Vec::new();
    let mut timeline_csvs: Vec<Box<dyn Source + Send>> = Vec::new();
    let mut total = 0;
    for path in &files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if is_jsonl(path) {
            jsonl_first.push(Box::new(JsonlSource::open(path, Pass::KindsAndWatchItems)?));
            jsonl_second.push(Box::new(JsonlSource::open(path, Pass::Developments)?));
            total += 2 * size;
        } else {
            let source = CsvSource::open(path)?;
            if source.dialect() == &WATCH_ITEMS {
                watch_csvs.push(Box::new(source));
            } else {
                timeline_csvs.push(Box::new(source));
            }
            total += size;
        }
    }
    let sources = watch_csvs
        .into_iter()
        .chain(jsonl_first)
        .chain(jsonl_second)
        .chain(timeline_csvs)
        .collect();
    Ok((sources, total))
}

/// The header of a CSV rejects file, or None for JSON Lines. The inputs
/// must share one dialect, so that the rejects file can be fixed and imported.
fn rejects_header(sources: &[Box<dyn Source + Send>]) -> Result<Option<csv::ByteRecord>> {
    let headers: Vec<Option<csv::ByteRecord>> = sources
        .iter()
        .map(|source| match source.raw() {
            crate::formats::RawRow::Csv { header, .. } => Some(header.clone()),
            crate::formats::RawRow::Line(_) => None,
        })
        .collect();
    if headers.windows(2).any(|pair| pair[0] != pair[1]) {
        return Err(Error::data(
            "--rejects needs input files of one kind: all JSON Lines, or CSV files with the same header",
        )
        .with_hint("import files of different kinds in separate runs"));
    }
    Ok(headers.into_iter().next().flatten())
}
