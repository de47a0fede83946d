//! `lookout log DATE HEADLINE [--watch SLUG[=STATUS]]... [--kind K]
//! [--actor A]... [--source URL]... [--summary T] [--scheduled]`
//!
//! Records one development. Prints the new id alone on stdout (scripts
//! capture it) and a confirmation on stderr. Every argument is checked before
//! anything is written. A development that repeats one recorded already
//! (same date, watch items and headline) is refused unless `--force`.
//! A development dated after today that is not `--scheduled` is logged as
//! told, with a warning: it cannot have happened yet. So is one without
//! `--watch`, which no status or changes report would show.

use crate::cli::LogArgs;
use crate::commands::{dev_date_arg, texts_arg, warn_if_future};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{self, DevId, Development, Provenance, WatchLink};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: LogArgs) -> Result<()> {
    let mut dev = development(&args, ctx)?;
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("log", dev.recorded_at, ctx.author())?;
    store
        .require_kind(&dev.kind)
        .map_err(|e| e.context("--kind"))?;
    let slugs: Vec<_> = dev.links.iter().map(|l| l.slug.clone()).collect();
    store
        .require_watch_items(&slugs)
        .map_err(|e| e.context("--watch"))?;
    if store.development_exists(&dev.id)? {
        dev.id = store.fresh_id()?; // drawn before the store was open; taken since
    }
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
    confirm(ctx, &dev)
}

/// The development the arguments describe, checked as far as it can be
/// without the store.
fn development(args: &LogArgs, ctx: &Ctx) -> Result<Development> {
    let dev = Development {
        id: DevId::generate()?,
        date: dev_date_arg("DATE", &args.date, ctx.clock.today())?,
        kind: model::kind_name(args.kind.trim()).map_err(|e| e.context("--kind"))?,
        headline: model::headline(&args.headline).map_err(|e| e.context("HEADLINE"))?,
        texts: texts_arg(&args.texts.given()),
        links: WatchLink::parse_list(args.watch.iter().map(String::as_str))
            .map_err(|e| e.context("--watch"))?,
        actors: model::actors(args.actors.iter().map(String::as_str))
            .map_err(|e| e.context("--actor"))?,
        sources: model::sources(args.sources.iter().map(String::as_str))
            .map_err(|e| e.context("--source"))?,
        recorded_at: ctx.clock.now(),
        scheduled: args.scheduled,
        retracted: None,
        provenance: Provenance::recorded(ctx.author()),
    };
    limits::admit_development(&dev)?;
    Ok(dev)
}

/// The id alone on stdout (scripts capture it); words on stderr.
fn confirm(ctx: &Ctx, dev: &Development) -> Result<()> {
    let mut out = ctx.output(None)?;
    writeln!(out.writer(), "{}", dev.id)?;
    out.finish()?;
    let against = match dev.links.as_slice() {
        [] => String::new(),
        links => format!(" against {}", WatchLink::join(links, ", ")),
    };
    let scheduled = if dev.scheduled { ", scheduled" } else { "" };
    ctx.note(format!(
        "logged {} ({}{scheduled}){against}",
        dev.id, dev.date
    ));
    if !dev.scheduled {
        warn_if_future(ctx, &dev.date);
    }
    if dev.links.is_empty() {
        // Logged as told; but status and changes read developments through
        // their watch items, so this one would never show there.
        ctx.warn(format!(
            "{} bears on no watch item (no --watch), so status and changes will not show it; \
             link it with `lookout edit {} --watch SLUG`",
            dev.id, dev.id
        ));
    }
    Ok(())
}
