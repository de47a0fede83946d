//! `lookout status [--as-of DATE] [--stale-after DAYS] [--watch SLUG]...
//! [--tag T]... [--format text|json|csv|md|html] [--output FILE]`
//!
//! Each watch item's status, derived from its dated developments as the
//! record stood at the end of the `--as-of` date (today by default): what had
//! certainly happened by then counts, what may have happened is provisional,
//! what is scheduled is due. The html page also draws the developments dated
//! by then.

use crate::cli::StatusArgs;
use crate::commands::{as_of_arg, check_items, item_filter_args, reading_store};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::model::WatchSlug;
use crate::report::status;
use crate::store::{KnownReads, TimelineFilter};

pub fn run(ctx: &mut Ctx, args: StatusArgs) -> Result<()> {
    let as_of = as_of_arg(args.as_of.as_deref(), ctx.clock.today())?;
    let items = item_filter_args(&args.watch, &args.tags)?;
    let store = reading_store(ctx, &args.known, KnownReads::Overlay)?;
    check_items(&store, &items)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile.
    let _snapshot = store.begin_read()?;
    let facts = store.item_facts(as_of, &items)?;
    let report = status::build(facts, as_of, args.stale_after);

    let format = status::Format::from(args.format);
    let mut out = ctx.output(args.output.as_deref())?;
    let style = ctx.style_for(&out);
    if format.is_csv() {
        ctx.begin_csv(&mut out)?;
    }
    // What the report stands on: the items' developments dated by as_of
    // (those that may have happened, and what is due, among them).
    let mut devs = |sink: &mut dyn FnMut(&_) -> Result<()>| {
        let filter = TimelineFilter {
            watch: report
                .items
                .iter()
                .map(|i| WatchSlug::parse(&i.slug))
                .collect::<Result<_>>()?,
            to: Some(as_of),
            ..TimelineFilter::default()
        };
        if filter.watch.is_empty() {
            return Ok(());
        }
        store.timeline(&filter, |dev| sink(&dev))
    };
    status::render(format, &report, &mut devs, style, out.writer())?;
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!("wrote the status report to {}", path.display()));
    }
    Ok(())
}
