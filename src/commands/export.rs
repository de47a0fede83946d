//! `lookout export [--format jsonl|csv] [--output FILE]`
//!
//! jsonl: the whole tracker, one record a line — user-added kinds, watch
//! items, developments (retracted ones with their reason) — sorted by record
//! type then key, so that exports of one store are byte-identical and
//! importing one into an empty store and exporting again gives the same bytes.
//! csv: the timeline CSV of every development not retracted. Both stream.

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::reading_store;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::formats::jsonl::JsonlWriter;
use crate::formats::timeline_csv::TimelineCsvWriter;
use crate::record::Record;
use crate::store::{KnownReads, TimelineFilter};
use crate::words::counted;

pub fn run(ctx: &mut Ctx, args: ExportArgs) -> Result<()> {
    let store = reading_store(ctx, &args.known, KnownReads::Anything)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile.
    let _snapshot = store.begin_read()?;
    let mut out = ctx.output(args.output.as_deref())?;
    let mut count = 0u64;
    match args.format {
        ExportFormat::Jsonl => {
            // The record format import reads back: no line gains a key.
            out.unstamped();
            let mut writer = JsonlWriter::new(out.writer());
            for kind in store.user_kinds()? {
                writer.write(&Record::Kind(kind))?;
            }
            for item in store.watch_items()? {
                writer.write(&Record::Watch(item))?;
            }
            store.developments_by_id(|dev| {
                count += 1;
                writer.write(&Record::Development(dev))
            })?;
            writer.finish()?;
        }
        ExportFormat::Csv => {
            ctx.begin_csv(&mut out)?;
            let mut writer = TimelineCsvWriter::new(out.writer())?;
            store.timeline_flat(&TimelineFilter::default(), |dev| writer.write(dev))?;
            count = writer.rows() as u64;
            writer.finish()?;
        }
    }
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!(
            "exported {} to {}",
            counted(count, "development"),
            path.display()
        ));
    }
    Ok(())
}
