//! `lookout changes --since D1 [--until D2] [--ahead DAYS] [--stale-after DAYS]
//! [--watch SLUG]... [--tag T]... [--format text|md|html|json] [--output FILE]`
//!
//! The "what moved" note of a weekly briefing: each watch item's status as
//! `status --as-of` gives it on D1 and on D2, the changes between, the
//! developments that came to count after D1 up to D2, news recorded in that
//! window about earlier dates, items that went stale, and what is due.
//! Read only: a refused command has nothing to undo. A window's arrivals are
//! held when they are few (a month's), and otherwise read from the store as
//! the report writes them: a window of years holds every development.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::cli::{ChangesArgs, ChangesFormat};
use crate::commands::{check_items, dev_date_arg, item_filter_args, reading_store};
use crate::ctx::Ctx;
use crate::dates::to_bound;
use crate::error::{Error, Result};
use crate::model::{Arrival, ItemFacts, WatchSlug, WindowSetting};
use crate::report::changes::{self, Lists, Window};
use crate::store::{ItemFilter, Store};

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
    let store = reading_store(ctx, &args.known)?;
    check_items(&store, &items)?;
    // One snapshot: the lists are read more than once (to count, then to write).
    let _snapshot = store.begin_read()?;
    let window = Window {
        since,
        until,
        ahead: args.ahead,
        stale_after: args.stale_after,
    };
    let facts = store.window_items(since, until, &items)?;
    let held = held_arrivals(&store, &facts, since, until)?;
    let mut lists = lists(&store, since, until, &items, held.as_ref());
    let scheduled = store.scheduled_developments(until, &items)?;
    let report = changes::build(&window, facts, &mut lists, scheduled)?;

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

/// Up to this many developments that came to count in the window are held
/// after one read (a month of a million-development tracker brings about
/// 9,000); more are read from the store again each time the report needs
/// them, so that a window of years costs no more memory than a month.
const HELD_ARRIVALS: u64 = 20_000;

/// Each item's arrivals, by slug, when there are few enough to hold.
type Held = HashMap<String, Vec<Arrival>>;

fn held_arrivals(
    store: &Store,
    facts: &[(ItemFacts, ItemFacts)],
    since: NaiveDate,
    until: NaiveDate,
) -> Result<Option<Held>> {
    let mut total = 0;
    for (_, after) in facts {
        total += store.window_count(&after.slug, since, until)?;
    }
    if total > HELD_ARRIVALS {
        return Ok(None);
    }
    let mut held = Held::new();
    for (_, after) in facts {
        let mut arrivals = Vec::new();
        store.window_arrivals(&after.slug, since, until, |arrival| {
            arrivals.push(arrival);
            Ok(())
        })?;
        held.insert(after.slug.to_string(), arrivals);
    }
    Ok(Some(held))
}

/// What the report reads as it writes: from the arrivals held, or from the store.
fn lists<'a>(
    store: &'a Store,
    since: NaiveDate,
    until: NaiveDate,
    items: &'a ItemFilter,
    held: Option<&'a Held>,
) -> Lists<'a> {
    let late = Box::new(move |sink: &mut dyn FnMut(&_) -> Result<()>| {
        store.late_news_each(since, until, items, |dev| sink(&dev))
    });
    let arrived = Box::new(move |sink: &mut dyn FnMut(&_) -> Result<()>| {
        store.window_developments(since, until, items, |dev| sink(&dev))
    });
    if let Some(held) = held {
        let of = |slug: &str| held.get(slug).map(Vec::as_slice).unwrap_or(&[]);
        return Lists {
            arrivals: Box::new(move |slug, sink| of(slug).iter().try_for_each(&mut *sink)),
            settings: Box::new(move |slug, sink| {
                let arrivals = of(slug);
                for a in arrivals {
                    if let Some(to) = a.to {
                        sink(&WindowSetting {
                            to,
                            date: a.dev.date,
                            id: a.dev.id.clone(),
                            after_settled_status: a.after_settled_status,
                        })?;
                    }
                }
                Ok(arrivals.len() as u64)
            }),
            late,
            arrived,
        };
    }
    Lists {
        arrivals: Box::new(move |slug, sink| {
            let slug = WatchSlug::parse(slug)?;
            store.window_arrivals(&slug, since, until, |arrival| sink(&arrival))
        }),
        settings: Box::new(move |slug, sink| {
            let slug = WatchSlug::parse(slug)?;
            store.window_settings(&slug, since, until, |setting| sink(&setting))
        }),
        late,
        arrived,
    }
}
