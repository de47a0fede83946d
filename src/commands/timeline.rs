//! `lookout timeline [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--format text|csv|json] [--output FILE]`
//!
//! The developments that count, in timeline order. csv and json stream row
//! by row; text aligns a table and so holds the selection in memory.

use crate::cli::{TimelineArgs, TimelineFormat};
use std::io::Write;

use crate::commands::{check_filter, counted, parse_filter};
use crate::csv_io::TimelineWriter;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::report::json;
use crate::report::text::{self, TextStyle};
use crate::store::{Access, Store, TimelineFilter};

pub fn run(ctx: &mut Ctx, args: TimelineArgs) -> Result<()> {
    let filter = parse_filter(&args.filter, ctx.clock.today())?;
    let store = ctx.store(Access::Read)?;
    check_filter(&store, &filter)?;

    let mut out = ctx.output(args.output.as_deref())?;
    let mut count = 0usize;
    match args.format {
        TimelineFormat::Text => {
            let mut devs = Vec::new();
            store.timeline(&filter, |dev| {
                devs.push(dev);
                Ok(())
            })?;
            count = devs.len();
            let style = if out.is_file() {
                TextStyle::default()
            } else {
                ctx.stdout_style()
            };
            if devs.is_empty() {
                ctx.note("no developments match");
            } else {
                text::timeline(&devs, style, out.writer())?;
            }
        }
        TimelineFormat::Csv => count = write_csv(&store, &filter, out.writer())?,
        TimelineFormat::Json => {
            json::timeline(out.writer(), |emit| {
                store.timeline(&filter, |dev| {
                    count += 1;
                    emit(&dev)
                })
            })?;
        }
    }
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!(
            "wrote {} to {}",
            counted(count, "development"),
            path.display()
        ));
    }
    Ok(())
}

/// Streams the timeline CSV of the selection to `out`; returns how many rows.
pub(crate) fn write_csv(
    store: &Store,
    filter: &TimelineFilter,
    out: &mut dyn Write,
) -> Result<usize> {
    let mut count = 0;
    let mut writer = TimelineWriter::new(out)?;
    store.timeline_cells(filter, |cells| {
        count += 1;
        writer.write_cells(cells)
    })?;
    writer.finish()?;
    Ok(count)
}
