//! `lookout edit ID [--date D] [--headline T] [--summary T | --no-summary]
//! [--kind K] [--watch SLUG[=STATUS]]... [--unwatch SLUG]...
//! [--actor A]... [--no-actor] [--source URL]... [--no-source] [--occurred]`
//!
//! Changes a development in place, as one journal entry (`undo` reverts it).
//! Its id stays, and its time of recording unless `--occurred` records that a
//! scheduled development happened; a retracted development stays retracted.

use crate::cli::EditArgs;
use crate::commands::{dev_date_arg, warn_if_future};
use crate::ctx::Ctx;
use crate::dates::{DevDate, Timestamp, day_text};
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{self, DevId, Development, WatchLink, WatchSlug};
use crate::record::fields::{self, Text};
use crate::store::{Access, Store};

pub fn run(ctx: &mut Ctx, args: EditArgs) -> Result<()> {
    // Refused before the store is opened; resolved (any case, a prefix) in it.
    DevId::parse(&args.id.trim().to_ascii_lowercase()).map_err(|e| e.context("ID"))?;
    let edits = Edits::parse(&args, ctx.clock.today())?;
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("edit", ctx.clock.now(), ctx.author())?;
    let id = crate::commands::dev_id_arg(&store, &args.id)?;
    let before = store.require_development(&id)?;
    edits.check_in(&store)?;
    let now = ctx.clock.now();
    let mut dev = edits.apply(&before, now)?;
    if dev == before {
        ctx.note(format!("{id} already says that; nothing changed"));
        return Ok(());
    }
    limits::admit_development(&dev)?;
    dev.provenance.touch(ctx.author(), now);
    store.replace_development(&dev)?;
    tx.commit(&format!("edited {id}: {}", dev.headline))?;
    match dev.settled().filter(|_| edits.occurred) {
        Some(settled) => ctx.note(format!(
            "recorded that {id} happened; it counts from {}",
            day_text(settled)
        )),
        None => ctx.note(format!("edited {id}")),
    }
    if !dev.scheduled && (edits.occurred || edits.date.is_some()) {
        warn_if_future(ctx, &dev.date);
    }
    Ok(())
}

/// What the command line asks to change, checked as far as it can be
/// without the store.
struct Edits {
    date: Option<DevDate>,
    /// Record that a scheduled development happened.
    occurred: bool,
    headline: Option<String>,
    /// Free texts to set, each with its new text (None: remove it).
    texts: Vec<(&'static Text, Option<String>)>,
    kind: Option<String>,
    links: Vec<WatchLink>,
    unwatch: Vec<WatchSlug>,
    no_actor: bool,
    actors: Vec<String>,
    no_source: bool,
    sources: Vec<String>,
}

impl Edits {
    fn parse(args: &EditArgs, today: chrono::NaiveDate) -> Result<Edits> {
        let texts = args.texts.given().into_iter().filter_map(|(name, value)| {
            Some((
                fields::text(name)?,
                value.and_then(|v| model::optional_text(Some(v))),
            ))
        });
        Ok(Edits {
            date: args
                .date
                .as_deref()
                .map(|d| dev_date_arg("--date", d, today))
                .transpose()?,
            occurred: args.occurred,
            headline: args
                .headline
                .as_deref()
                .map(|h| model::headline(h).map_err(|e| e.context("--headline")))
                .transpose()?,
            texts: texts.collect(),
            kind: args
                .kind
                .as_deref()
                .map(|k| model::kind_name(k.trim()).map_err(|e| e.context("--kind")))
                .transpose()?,
            links: WatchLink::parse_list(args.watch.iter().map(String::as_str))
                .map_err(|e| e.context("--watch"))?,
            unwatch: args
                .unwatch
                .iter()
                .map(|s| WatchSlug::parse(s.trim()).map_err(|e| e.context("--unwatch")))
                .collect::<Result<_>>()?,
            no_actor: args.no_actor,
            actors: model::actors(args.actors.iter().map(String::as_str))
                .map_err(|e| e.context("--actor"))?,
            no_source: args.no_source,
            sources: model::sources(args.sources.iter().map(String::as_str))
                .map_err(|e| e.context("--source"))?,
        })
    }

    /// Refuses a kind or watch item the store does not know.
    fn check_in(&self, store: &Store) -> Result<()> {
        if let Some(kind) = &self.kind {
            store.require_kind(kind).map_err(|e| e.context("--kind"))?;
        }
        let slugs: Vec<WatchSlug> = self.links.iter().map(|l| l.slug.clone()).collect();
        store
            .require_watch_items(&slugs)
            .map_err(|e| e.context("--watch"))
    }

    /// The development with the edits applied, `now` being the time of the
    /// edit: unlinks first, then links (a plain SLUG already linked keeps its
    /// status), actors and sources cleared first when asked, then added.
    fn apply(&self, before: &Development, now: Timestamp) -> Result<Development> {
        let mut dev = before.clone();
        if self.occurred {
            if !before.scheduled {
                return Err(Error::data(format!(
                    "--occurred: {} is not scheduled; it is already recorded as having happened",
                    before.id
                ))
                .with_hint("`lookout timeline --scheduled` lists the developments that are due"));
            }
            dev.scheduled = false;
            // Its settled day comes from the day it was recorded as having
            // happened (docs/DESIGN.md, "Derivation"): that is now, so its time of
            // recording moves to now. Undo puts the old one back.
            dev.recorded_at = now;
        }
        if let Some(date) = self.date {
            dev.date = date;
        }
        if let Some(headline) = &self.headline {
            dev.headline = headline.clone();
        }
        for (text, value) in &self.texts {
            *(text.slot)(&mut dev.texts) = value.clone();
        }
        if let Some(kind) = &self.kind {
            dev.kind = kind.clone();
        }
        for slug in &self.unwatch {
            let Some(at) = dev.links.iter().position(|l| &l.slug == slug) else {
                let links = match before.links.as_slice() {
                    [] => "none".to_string(),
                    links => WatchLink::join(links, ", "),
                };
                return Err(Error::data(format!(
                    "--unwatch: {} is not linked to '{slug}'",
                    before.id
                ))
                .with_hint(format!("its links: {links}")));
            };
            dev.links.remove(at);
        }
        for link in &self.links {
            match dev.links.iter_mut().find(|l| l.slug == link.slug) {
                Some(existing) => existing.to = link.to.or(existing.to),
                None => dev.links.push(link.clone()),
            }
        }
        if self.no_actor {
            dev.actors.clear();
        }
        add_missing(&mut dev.actors, &self.actors);
        if self.no_source {
            dev.sources.clear();
        }
        add_missing(&mut dev.sources, &self.sources);
        Ok(dev)
    }
}

fn add_missing(list: &mut Vec<String>, more: &[String]) {
    for item in more {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
}
