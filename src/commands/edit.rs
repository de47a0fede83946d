//! `lookout edit ID [--date D] [--headline T] [--summary T | --no-summary]
//! [--kind K] [--watch SLUG[=STATUS]]... [--unwatch SLUG]...
//! [--actor A]... [--no-actor] [--source URL]... [--no-source]`
//!
//! Changes a development in place, as one journal entry (`undo` reverts it).
//! Its id and time of recording stay; a retracted development stays retracted.

use crate::cli::EditArgs;
use crate::commands::date_arg;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::model::{self, DevId, WatchLink, WatchSlug};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: EditArgs) -> Result<()> {
    let nothing_asked = args.date.is_none()
        && args.headline.is_none()
        && args.summary.is_none()
        && !args.no_summary
        && args.kind.is_none()
        && args.watch.is_empty()
        && args.unwatch.is_empty()
        && args.actors.is_empty()
        && !args.no_actor
        && args.sources.is_empty()
        && !args.no_source;
    if nothing_asked {
        return Err(Error::usage("nothing to change").with_hint(
            "pass --date, --headline, --summary, --kind, --watch, --unwatch, --actor or --source",
        ));
    }
    let id = DevId::parse(&args.id)?;
    let date = args
        .date
        .as_deref()
        .map(|d| date_arg("--date", d, ctx.clock.today()))
        .transpose()?;
    let headline = args
        .headline
        .as_deref()
        .map(|h| model::headline(h).map_err(|e| e.context("--headline")))
        .transpose()?;
    let kind = args
        .kind
        .as_deref()
        .map(|k| model::kind_name(k.trim()).map_err(|e| e.context("--kind")))
        .transpose()?;
    let links = WatchLink::parse_list(args.watch.iter().map(String::as_str))
        .map_err(|e| e.context("--watch"))?;
    let unwatch: Vec<WatchSlug> = args
        .unwatch
        .iter()
        .map(|s| WatchSlug::parse(s.trim()).map_err(|e| e.context("--unwatch")))
        .collect::<Result<_>>()?;
    let actors =
        model::actors(args.actors.iter().map(String::as_str)).map_err(|e| e.context("--actor"))?;
    let sources = model::sources(args.sources.iter().map(String::as_str))
        .map_err(|e| e.context("--source"))?;

    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("edit", ctx.clock.now())?;
    let mut dev = store.require_development(&id)?;
    let before = dev.clone();
    if let Some(date) = date {
        dev.date = date;
    }
    if let Some(headline) = headline {
        dev.headline = headline;
    }
    if args.no_summary {
        dev.summary = None;
    } else if let Some(summary) = &args.summary {
        dev.summary = model::optional_text(Some(summary));
    }
    if let Some(kind) = kind {
        store.require_kind(&kind).map_err(|e| e.context("--kind"))?;
        dev.kind = kind;
    }
    for slug in &unwatch {
        let Some(at) = dev.links.iter().position(|l| &l.slug == slug) else {
            return Err(
                Error::data(format!("--unwatch: {id} is not linked to '{slug}'"))
                    .with_hint(format!("its links: {}", links_text(&before))),
            );
        };
        dev.links.remove(at);
    }
    let slugs: Vec<WatchSlug> = links.iter().map(|l| l.slug.clone()).collect();
    store
        .require_watch_items(&slugs)
        .map_err(|e| e.context("--watch"))?;
    for link in links {
        match dev.links.iter_mut().find(|l| l.slug == link.slug) {
            Some(existing) => existing.to = link.to,
            None => dev.links.push(link),
        }
    }
    if args.no_actor {
        dev.actors.clear();
    }
    for actor in actors {
        if !dev.actors.contains(&actor) {
            dev.actors.push(actor);
        }
    }
    if args.no_source {
        dev.sources.clear();
    }
    for source in sources {
        if !dev.sources.contains(&source) {
            dev.sources.push(source);
        }
    }
    if dev == before {
        ctx.note(format!("{id} already says that; nothing changed"));
        return Ok(());
    }
    store.replace_development(&dev)?;
    tx.commit(&format!("edited {id}: {}", dev.headline))?;
    ctx.note(format!("edited {id}"));
    Ok(())
}

fn links_text(dev: &model::Development) -> String {
    if dev.links.is_empty() {
        return "none".to_string();
    }
    dev.links
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
