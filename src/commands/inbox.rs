//! `lookout inbox [--watch SLUG]... [--feed NAME]... [--format F]` lists the
//! entries fetched and still new, with the watch items each suggests;
//! `inbox accept ENTRY [log options]` logs one as a development (its title,
//! published day, link and summary, unless an option says otherwise) and
//! `inbox dismiss ENTRY... [--reason T]` sets entries aside. Both are
//! journal entries (`undo` reverts them); neither entry is offered again.

use serde_json::json;

use crate::cli::{InboxAcceptArgs, InboxArgs, InboxCommand, InboxDismissArgs};
use crate::commands::{dev_date_arg, warn_if_future, write_listing};
use crate::ctx::Ctx;
use crate::dates::DevDate;
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{self, DevId, Development, Provenance, WatchLink};
use crate::record::inbox::{EntryState, InboxEntry};
use crate::report::Listing;
use crate::screen::echo;
use crate::store::{Access, InboxFilter, Store};

pub fn run(ctx: &mut Ctx, args: InboxArgs) -> Result<()> {
    match args.command {
        Some(InboxCommand::Accept(accept)) => self::accept(ctx, accept),
        Some(InboxCommand::Dismiss(dismiss)) => self::dismiss(ctx, dismiss),
        None => list(ctx, args),
    }
}

fn list(ctx: &mut Ctx, args: InboxArgs) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let filter = InboxFilter {
        watch: args.watch.clone(),
        feeds: args.feeds.clone(),
    };
    let (entries, total) = store.new_inbox_entries(&filter, args.limit)?;
    let mut listing = Listing::new(&["entry", "feed", "day", "title", "suggests", "link"]);
    for entry in &entries {
        listing.push(vec![
            json!(entry.number),
            json!(entry.feed),
            json!(entry.day.as_deref().unwrap_or(match entry.published {
                Some(_) => "bad date",
                None => "no date",
            })),
            json!(entry.title),
            json!(entry.suggested.join(" ")),
            json!(entry.link),
        ]);
    }
    write_listing(ctx, &listing, args.format)?;
    let shown = entries.len() as u64;
    if total > shown {
        ctx.note(format!(
            "{shown} of {total} new entries shown, the oldest first; --limit N shows more"
        ));
    }
    Ok(())
}

fn accept(ctx: &mut Ctx, args: InboxAcceptArgs) -> Result<()> {
    let store = ctx.store(Access::Write)?;
    let now = ctx.clock.now();
    let tx = store.begin_change("inbox accept", now, ctx.author())?;
    let entry = new_entry(&store, args.entry)?;
    let dev = development(ctx, &store, &args, &entry)?;
    store
        .require_kind(&dev.kind)
        .map_err(|e| e.context("--kind"))?;
    let slugs: Vec<_> = dev.links.iter().map(|l| l.slug.clone()).collect();
    store
        .require_watch_items(&slugs)
        .map_err(|e| e.context("--watch"))?;
    if !args.force
        && let Some(id) = store.repeated_by(&dev)?
    {
        return Err(Error::data(format!(
            "{id} records this already: same date, watch items and headline"
        ))
        .with_hint(format!(
            "`lookout show {id}` shows it; `lookout inbox dismiss {}` sets the entry aside, \
             or pass --force to log it again anyway",
            entry.number
        )));
    }
    store.insert_development(&dev)?;
    // Another headline for the same news (a colleague's, synced): said, not refused.
    let likely = store.likely_duplicates(Some(std::slice::from_ref(&dev.id)))?;
    store.settle_inbox_entry(
        entry.number,
        EntryState::Accepted,
        Some(dev.id.as_str()),
        None,
    )?;
    tx.commit(&format!(
        "accepted inbox entry {} as {} ({}): {}",
        entry.number, dev.id, dev.date, dev.headline
    ))?;
    let mut out = ctx.output(None)?;
    writeln!(out.writer(), "{}", dev.id)?;
    out.finish()?;
    let against = match dev.links.as_slice() {
        [] => String::new(),
        links => format!(" against {}", WatchLink::join(links, ", ")),
    };
    ctx.note(format!(
        "logged {} ({}){against} from inbox entry {}",
        dev.id, dev.date, entry.number
    ));
    if !dev.scheduled {
        warn_if_future(ctx, &dev.date);
    }
    for line in likely.lines() {
        ctx.warn(format!("likely logged already: {line}"));
    }
    Ok(())
}

/// The entry, which must be new.
fn new_entry(store: &Store, number: i64) -> Result<InboxEntry> {
    let entry = store.inbox_entry(number)?.ok_or_else(|| {
        Error::data(format!("no inbox entry {number}"))
            .with_hint("`lookout inbox` lists the entries and their numbers")
    })?;
    match entry.state {
        EntryState::New => Ok(entry),
        EntryState::Accepted => Err(Error::data(format!(
            "inbox entry {number} was accepted already, as {}",
            entry.development.as_deref().unwrap_or("a development")
        ))),
        EntryState::Dismissed => Err(Error::data(format!("inbox entry {number} was dismissed"))
            .with_hint("`lookout undo` brings it back if that was the last change")),
    }
}

/// The day it happened: `--date`, else the entry's published day; an
/// entry without a usable date needs `--date`.
fn date_of(ctx: &Ctx, args: &InboxAcceptArgs, entry: &InboxEntry) -> Result<DevDate> {
    match (&args.date, &entry.day) {
        (Some(date), _) => dev_date_arg("--date", date, ctx.clock.today()),
        (None, Some(day)) => dev_date_arg("the entry's day", day, ctx.clock.today()),
        (None, None) => {
            let published = entry.published.as_deref().map_or_else(
                || "no date".to_string(),
                |p| format!("the date '{}', which lookout cannot use", echo(p)),
            );
            Err(
                Error::data(format!("inbox entry {} has {published}", entry.number))
                    .with_hint("say when it happened with --date (YYYY-MM-DD, YYYY-MM or YYYY)"),
            )
        }
    }
}

/// The watch items: `--watch`, else the entry's suggestions that still exist.
fn watch_of(store: &Store, args: &InboxAcceptArgs, entry: &InboxEntry) -> Result<Vec<String>> {
    if !args.watch.is_empty() {
        return Ok(args.watch.clone());
    }
    let mut kept = Vec::new();
    for slug in &entry.suggested {
        if store.watch_item(slug)?.is_some() {
            kept.push(slug.clone());
        }
    }
    Ok(kept)
}

/// The development the entry and the options describe.
fn development(
    ctx: &Ctx,
    store: &Store,
    args: &InboxAcceptArgs,
    entry: &InboxEntry,
) -> Result<Development> {
    let date = date_of(ctx, args, entry)?;
    let watch = watch_of(store, args, entry)?;
    let headline = args.headline.as_deref().unwrap_or(&entry.title);
    let summary = args.summary.as_deref().or(entry.summary.as_deref());
    let sources: Vec<&str> = if args.sources.is_empty() {
        entry.link.as_deref().into_iter().collect()
    } else {
        args.sources.iter().map(String::as_str).collect()
    };
    let dev = Development {
        id: DevId::generate()?,
        date,
        kind: model::kind_name(args.kind.trim()).map_err(|e| e.context("--kind"))?,
        headline: model::headline(headline).map_err(|e| e.context("--headline"))?,
        texts: super::texts_arg(&[("summary", summary)]),
        links: WatchLink::parse_list(watch.iter().map(String::as_str))
            .map_err(|e| e.context("--watch"))?,
        actors: model::actors(args.actors.iter().map(String::as_str))
            .map_err(|e| e.context("--actor"))?,
        sources: model::sources(sources).map_err(|e| e.context("--source"))?,
        recorded_at: ctx.clock.now(),
        scheduled: args.scheduled,
        retracted: None,
        provenance: Provenance::recorded(ctx.author()),
    };
    limits::admit_development(&dev)?;
    Ok(dev)
}

fn dismiss(ctx: &mut Ctx, args: InboxDismissArgs) -> Result<()> {
    let reason = model::optional_text(args.reason.as_deref());
    if let Some(reason) = &reason {
        limits::within("reason", reason, limits::REASON)?;
    }
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("inbox dismiss", ctx.clock.now(), ctx.author())?;
    for &number in &args.entries {
        new_entry(&store, number)?;
        store.settle_inbox_entry(number, EntryState::Dismissed, None, reason.as_deref())?;
    }
    let numbers: Vec<String> = args.entries.iter().map(i64::to_string).collect();
    tx.commit(&format!("dismissed inbox entries {}", numbers.join(", ")))?;
    ctx.note(format!(
        "dismissed inbox entr{} {}",
        if numbers.len() == 1 { "y" } else { "ies" },
        numbers.join(", ")
    ));
    Ok(())
}
