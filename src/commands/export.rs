//! `lookout export [--format jsonl|csv] [--output FILE]`
//!
//! jsonl: the whole tracker, one record a line — user-added kinds, watch
//! items, developments (retracted ones with their reason) — sorted by record
//! type then key, so that exports of one store are byte-identical and
//! importing one into an empty store and exporting again gives the same bytes.
//! csv: the timeline CSV of every development that counts. Both stream.

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::{counted, timeline};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::jsonl::JsonlWriter;
use crate::store::{Access, TimelineFilter};

pub fn run(ctx: &mut Ctx, args: ExportArgs) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let mut out = ctx.output(args.output.as_deref())?;
    let mut count = 0usize;
    match args.format {
        ExportFormat::Jsonl => {
            let mut writer = JsonlWriter::new(out.writer());
            for kind in store.user_kinds()? {
                writer.kind(&kind)?;
            }
            for item in store.watch_items()? {
                writer.watch_item(&item)?;
            }
            store.developments_by_id(|dev| {
                count += 1;
                writer.development(&dev)
            })?;
            writer.finish()?;
        }
        ExportFormat::Csv => {
            count = timeline::write_csv(&store, &TimelineFilter::default(), out.writer())?;
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
