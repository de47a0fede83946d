//! `lookout changes --since D1 [--until D2] [--ahead DAYS] [--stale-after DAYS]
//! [--watch SLUG]... [--tag T]... [--format text|md|html|json] [--output FILE]`
//!
//! The "what moved" note of a weekly briefing: each watch item's status as
//! `status --as-of` gives it on D1 and on D2, the changes between, the
//! developments that came to count after D1 up to D2, news recorded in that
//! window about earlier dates, items that went stale, and what is due.
//! Read only: a refused command has nothing to undo. The window's lists are
//! read from the store as the report writes them, never held: a window of
//! years holds every development.

use crate::cli::{ChangesArgs, ChangesFormat};
use crate::commands::{check_items, dev_date_arg, item_filter_args};
use crate::ctx::Ctx;
use crate::dates::to_bound;
use crate::error::{Error, Result};
use crate::model::WatchSlug;
use crate::report::changes::{self, Lists, Window};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: ChangesArgs) -> Result<()> {
    let today = ctx.clock.today();
    let since = to_bound(&dev_date_arg("--since", &args.since, today)?);
    let until = match &args.until {
        Some(text) => to_bound(&dev_date_arg("--until", text, today)?),
        None => today,
    };
    if since > until {
        return Err(Error::data(format!(
            "--since {since} is after --until {until}: the window would end before it starts"
        ))
        .with_hint("swap them, or leave --until out to end today"));
    }
    let items = item_filter_args(&args.watch, &args.tags)?;
    let store = ctx.store(Access::Read)?;
    check_items(&store, &items)?;
    // One snapshot: the lists are read more than once (to count, then to write).
    let _snapshot = store.begin_read()?;
    let window = Window {
        since,
        until,
        ahead: args.ahead,
        stale_after: args.stale_after,
    };
    let mut lists = Lists {
        arrivals: Box::new(|slug, sink| {
            let slug = WatchSlug::parse(slug)?;
            store.window_arrivals(&slug, since, until, |arrival| sink(&arrival))
        }),
        late: Box::new(|sink| store.late_news_each(since, until, &items, |dev| sink(&dev))),
        arrived: Box::new(|sink| store.window_developments(since, until, &items, |dev| sink(&dev))),
    };
    let report = changes::build(
        &window,
        store.window_items(since, until, &items)?,
        &mut lists,
        store.scheduled_developments(until, &items)?,
    )?;

    let mut out = ctx.output(args.output.as_deref())?;
    let w = out.writer();
    match args.format {
        ChangesFormat::Text => changes::text::write(&report, &mut lists, w)?,
        ChangesFormat::Md => changes::md::write(&report, &mut lists, w)?,
        ChangesFormat::Html => changes::html::write_page(&report, &mut lists, w)?,
        ChangesFormat::Json => changes::json(&report, &mut lists, w)?,
    }
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!("wrote the changes report to {}", path.display()));
    }
    Ok(())
}
