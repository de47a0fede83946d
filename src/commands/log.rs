//! `lookout log DATE HEADLINE [--watch SLUG[=STATUS]]... [--kind K]
//! [--actor A]... [--source URL]... [--summary T] [--scheduled]`
//!
//! Records one development. Prints the new id alone on stdout (scripts
//! capture it) and a confirmation on stderr. Every argument is checked before
//! anything is written. A development that repeats one recorded already
//! (same date, watch items and headline) is refused unless `--force`.
//! A development dated after today that is not `--scheduled` is logged as
//! told, with a warning: it cannot have happened yet.

use crate::cli::LogArgs;
use crate::commands::{dev_date_arg, warn_if_future};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{self, Development, Provenance, WatchLink};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: LogArgs) -> Result<()> {
    let date = dev_date_arg("DATE", &args.date, ctx.clock.today())?;
    let headline = model::headline(&args.headline).map_err(|e| e.context("HEADLINE"))?;
    let links = WatchLink::parse_list(args.watch.iter().map(String::as_str))
        .map_err(|e| e.context("--watch"))?;
    let kind = model::kind_name(args.kind.trim()).map_err(|e| e.context("--kind"))?;
    let actors =
        model::actors(args.actors.iter().map(String::as_str)).map_err(|e| e.context("--actor"))?;
    let sources = model::sources(args.sources.iter().map(String::as_str))
        .map_err(|e| e.context("--source"))?;
    let summary = model::optional_text(args.summary.as_deref());

    let store = ctx.store(Access::Write)?;
    let now = ctx.clock.now();
    let tx = store.begin_change("log", now, ctx.author())?;
    store.require_kind(&kind).map_err(|e| e.context("--kind"))?;
    let slugs: Vec<_> = links.iter().map(|l| l.slug.clone()).collect();
    store
        .require_watch_items(&slugs)
        .map_err(|e| e.context("--watch"))?;
    let dev = Development {
        id: store.fresh_id()?,
        date,
        kind,
        headline,
        summary,
        links,
        actors,
        sources,
        recorded_at: now,
        scheduled: args.scheduled,
        retracted: None,
        provenance: Provenance::recorded(ctx.author()),
    };
    limits::admit_development(&dev)?;
    if !args.force
        && let Some(id) = store.repeated_by(&dev)?
    {
        return Err(Error::data(format!(
            "{id} records this already: same date, watch items and headline"
        ))
        .with_hint(format!(
            "`lookout show {id}` shows it; pass --force to log it again anyway"
        )));
    }
    store.insert_development(&dev)?;
    tx.commit(&format!(
        "logged {} ({}): {}",
        dev.id, dev.date, dev.headline
    ))?;

    let mut out = ctx.output(None)?;
    writeln!(out.writer(), "{}", dev.id)?;
    out.finish()?;
    let watch: Vec<String> = dev.links.iter().map(|l| l.to_string()).collect();
    let against = if watch.is_empty() {
        String::new()
    } else {
        format!(" against {}", watch.join(", "))
    };
    let scheduled = if dev.scheduled { ", scheduled" } else { "" };
    ctx.note(format!(
        "logged {} ({}{scheduled}){against}",
        dev.id, dev.date
    ));
    if !dev.scheduled {
        warn_if_future(ctx, &dev.date);
    }
    Ok(())
}
