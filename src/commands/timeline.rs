//! `lookout timeline [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--scheduled | --occurred] [--format F] [--output FILE]`
//!
//! The developments that are not retracted (scheduled ones marked), in
//! timeline order. csv and json stream row
//! by row; text, md, html and the TimelineJS formats lay out the whole
//! selection and so hold it in memory.

use crate::cli::{TimelineArgs, TimelineFormat};
use crate::commands::{check_filter, parse_filter};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::formats::timeline_csv::TimelineCsvWriter;
use crate::report::{self, json};
use crate::store::Access;
use crate::words::counted;

pub fn run(ctx: &mut Ctx, args: TimelineArgs) -> Result<()> {
    let filter = parse_filter(&args.filter, ctx.clock.today())?;
    let store = ctx.store(Access::Read)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile.
    let _snapshot = store.begin_read()?;
    check_filter(&store, &filter)?;

    let mut out = ctx.output(args.output.as_deref())?;
    if args.format.is_csv() {
        ctx.begin_csv(&mut out)?;
    }
    let mut count = 0usize;
    match args.format {
        // The data formats stream, row by row.
        TimelineFormat::Csv => {
            let mut writer = TimelineCsvWriter::new(out.writer())?;
            store.timeline_flat(&filter, |dev| writer.write(dev))?;
            count = writer.rows();
            writer.finish()?;
        }
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
                report::timeline(format, "Timeline", &devs, style, out.writer())?;
            }
        }
    }
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!(
            "wrote {} to {}",
            counted(count as u64, "development"),
            path.display()
        ));
    }
    Ok(())
}
