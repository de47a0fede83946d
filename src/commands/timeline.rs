//! `lookout timeline [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--format F] [--output FILE]`
//!
//! The developments that count, in timeline order. csv and json stream row
//! by row; text, md, html and the TimelineJS formats lay out the whole
//! selection and so hold it in memory.

use std::io::Write;

use crate::cli::{TimelineArgs, TimelineFormat};
use crate::commands::{check_filter, counted, parse_filter};
use crate::csv_io::TimelineWriter;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::model::Development;
use crate::report::json::{self, TimelineEntry};
use crate::report::text::{self, TextStyle};
use crate::report::{html, md, timelinejs};
use crate::store::{Access, Store, TimelineFilter};

pub fn run(ctx: &mut Ctx, args: TimelineArgs) -> Result<()> {
    let filter = parse_filter(&args.filter, ctx.clock.today())?;
    let store = ctx.store(Access::Read)?;
    check_filter(&store, &filter)?;

    let mut out = ctx.output(args.output.as_deref())?;
    let mut count = 0usize;
    match args.format {
        // The data formats stream, row by row.
        TimelineFormat::Csv => count = write_csv(&store, &filter, out.writer())?,
        TimelineFormat::Json => {
            json::timeline(out.writer(), |emit| {
                store.timeline(&filter, |dev| {
                    count += 1;
                    emit(&dev)
                })
            })?;
        }
        // The others lay the whole selection out at once.
        format => {
            let mut devs = Vec::new();
            store.timeline(&filter, |dev| {
                devs.push(dev);
                Ok(())
            })?;
            count = devs.len();
            let style = ctx.style_for(&out);
            if devs.is_empty() && format == TimelineFormat::Text {
                ctx.note("no developments match");
            } else {
                render(format, "Timeline", &devs, style, out.writer())?;
            }
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

/// Writes developments held in memory in one of the timeline formats
/// (`timeline`, and `search` for all but csv and json).
pub(crate) fn render(
    format: TimelineFormat,
    title: &str,
    devs: &[Development],
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        TimelineFormat::Text => text::timeline(devs, style, out),
        TimelineFormat::Md => md::timeline(devs, out),
        TimelineFormat::Html => html::timeline(title, devs, out),
        TimelineFormat::Timelinejs => timelinejs::json(devs, out),
        TimelineFormat::TimelinejsSheet => timelinejs::sheet(devs, out),
        TimelineFormat::Csv => {
            let mut writer = TimelineWriter::new(out)?;
            for dev in devs {
                writer.write(dev)?;
            }
            writer.finish()
        }
        TimelineFormat::Json => json::write_pretty(
            &devs.iter().map(TimelineEntry::from).collect::<Vec<_>>(),
            out,
        ),
    }
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
