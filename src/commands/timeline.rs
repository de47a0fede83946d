//! `lookout timeline [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--format text|csv|json] [--output FILE]`
//!
//! The developments that count, in timeline order. csv and json stream row
//! by row; text aligns a table and so holds the selection in memory.

use crate::cli::{TimelineArgs, TimelineFormat};
use std::io::Write;

use crate::commands::{counted, date_arg, slug_args};
use crate::csv_io::TimelineWriter;
use crate::ctx::Ctx;
use crate::dates::{from_bound, to_bound};
use crate::error::{Error, Result};
use crate::model;
use crate::report::json;
use crate::report::text::{self, TextStyle};
use crate::store::{Access, Store, TimelineFilter};

pub fn run(ctx: &mut Ctx, args: TimelineArgs) -> Result<()> {
    let today = ctx.clock.today();
    let from = args
        .from
        .as_deref()
        .map(|t| date_arg("--from", t, today))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|t| date_arg("--to", t, today))
        .transpose()?;
    if let (Some(from), Some(to)) = (&from, &to)
        && from_bound(from) > to_bound(to)
    {
        return Err(Error::data(format!("--from {from} is after --to {to}"))
            .with_hint("swap them, or widen the range"));
    }
    let filter = TimelineFilter {
        watch: slug_args("--watch", &args.watch)?,
        kinds: args
            .kinds
            .iter()
            .map(|k| model::kind_name(k.trim()).map_err(|e| e.context("--kind")))
            .collect::<Result<_>>()?,
        actors: model::actors(args.actors.iter().map(String::as_str))
            .map_err(|e| e.context("--actor"))?,
        from: from.as_ref().map(from_bound),
        to: to.as_ref().map(to_bound),
    };

    let store = ctx.store(Access::Read)?;
    store
        .require_watch_items(&filter.watch)
        .map_err(|e| e.context("--watch"))?;
    for kind in &filter.kinds {
        store.require_kind(kind).map_err(|e| e.context("--kind"))?;
    }
    store
        .require_actors(&filter.actors)
        .map_err(|e| e.context("--actor"))?;

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
