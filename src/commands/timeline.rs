//! `lookout timeline [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--scheduled | --occurred] [--format F] [--output FILE]`
//!
//! The developments that are not retracted (scheduled ones marked), in
//! timeline order. Every format streams: the selection is read from the
//! store as often as its layout needs (csv, json, md and the TimelineJS
//! formats once; text twice, to measure the columns and to write them; html
//! three times, to survey, draw and list) and never held.

use crate::cli::TimelineArgs;
use crate::commands::{check_filter, parse_filter, reading_store};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::formats::timeline_csv::TimelineCsvWriter;
use crate::report::timeline::{self, Format};
use crate::store::KnownReads;
use crate::words::counted;

pub fn run(ctx: &mut Ctx, args: TimelineArgs) -> Result<()> {
    let filter = parse_filter(&args.filter, ctx.clock.today())?;
    // The actor filter reads the search index, which the overlay leaves
    // to the revert.
    let reads = match filter.actors.is_empty() {
        true => KnownReads::Overlay,
        false => KnownReads::Anything,
    };
    let store = reading_store(ctx, &args.known, reads)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile.
    let _snapshot = store.begin_read()?;
    check_filter(&store, &filter)?;

    let format = Format::from(args.format);
    let mut out = ctx.output(args.output.as_deref())?;
    if format.is_csv() {
        ctx.begin_csv(&mut out)?;
    }
    let count = match format {
        // The export path: cells handed over as stored, nothing parsed.
        Format::Csv => {
            let mut writer = TimelineCsvWriter::new(out.writer())?;
            store.timeline_flat(&filter, |dev| writer.write(dev))?;
            let count = writer.rows();
            writer.finish()?;
            count
        }
        format => {
            let style = ctx.style_for(&out);
            let mut devs =
                |sink: &mut dyn FnMut(&_) -> Result<()>| store.timeline(&filter, |dev| sink(&dev));
            let count = timeline::render(format, "Timeline", &mut devs, style, out.writer())?;
            if count == 0 && format == Format::Text {
                ctx.note("no developments match");
            }
            count
        }
    };
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
