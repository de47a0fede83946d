//! `lookout feed add URL|PATH [--name NAME] [--watch SLUG]... [--match SLUG=WORD]...`,
//! `feed list`, `feed remove NAME`: the feeds `fetch` reads. Adding and
//! removing are journal entries (`undo` reverts them).

use serde_json::json;

use crate::cli::{FeedAddArgs, FeedCommand, FeedListArgs};
use crate::commands::write_listing;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::model::WatchSlug;
use crate::record::inbox::Feed;
use crate::report::Listing;
use crate::screen::echo;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, command: FeedCommand) -> Result<()> {
    match command {
        FeedCommand::Add(args) => add(ctx, args),
        FeedCommand::List(args) => list(ctx, args),
        FeedCommand::Remove(args) => remove(ctx, &args.name),
    }
}

fn add(ctx: &mut Ctx, args: FeedAddArgs) -> Result<()> {
    let location = args.location.trim().to_string();
    if location.is_empty() {
        return Err(Error::data("the feed's location is empty").context("URL|PATH"));
    }
    let name = match &args.name {
        Some(name) => name.trim().to_string(),
        None => default_name(&location),
    };
    let name = feed_name(&name)?;
    let watch = slugs(args.watch.iter().map(String::as_str), "--watch")?;
    let mut matches = Vec::new();
    for rule in &args.matches {
        let Some((slug, word)) = rule.split_once('=').filter(|(_, w)| !w.trim().is_empty()) else {
            return Err(Error::data(format!("'{}' is not SLUG=WORD", echo(rule)))
                .context("--match")
                .with_hint("e.g. --match intl-ai-org=organisation"));
        };
        let slug = slugs(std::iter::once(slug), "--match")?.remove(0);
        matches.push(format!("{slug}={}", word.trim()));
    }
    let now = ctx.clock.now();
    let feed = Feed {
        name: name.clone(),
        location,
        watch,
        matches,
        added_at: now.to_string(),
        etag: None,
        last_modified: None,
        fetched_at: None,
    };
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("feed add", now, ctx.author())?;
    if store.feed(&name)?.is_some() {
        return Err(Error::data(format!("a feed named '{name}' exists already"))
            .with_hint("give another --name, or `lookout feed remove` it first"));
    }
    let mut used: Vec<WatchSlug> = Vec::new();
    for slug in feed.watch.iter().chain(feed.matches.iter()) {
        let slug = slug.split('=').next().unwrap_or_default();
        used.push(WatchSlug::parse(slug)?);
    }
    store
        .require_watch_items(&used)
        .map_err(|e| e.context("--watch"))?;
    store.put_feed(&feed)?;
    tx.commit(&format!("added feed '{name}': {}", feed.location))?;
    ctx.note(format!(
        "added feed '{name}'; `lookout fetch {name}` reads it"
    ));
    Ok(())
}

/// A feed's name: lower-case letters, digits and hyphens, as a slug.
fn feed_name(name: &str) -> Result<String> {
    WatchSlug::parse(name)
        .map(|s| s.as_str().to_string())
        .map_err(|_| {
            Error::data(format!("'{}' is not a feed name", echo(name)))
                .context("--name")
                .with_hint("use lower-case letters, digits and hyphens, e.g. --name state-council")
        })
}

/// A name from the location: its host (`www.` aside), else its file's stem.
fn default_name(location: &str) -> String {
    let rest = location.split_once("://").map_or(location, |(_, r)| r);
    let base = if location.starts_with("http") {
        rest.split(['/', ':', '?']).next().unwrap_or(rest)
    } else {
        let file = rest.rsplit('/').next().unwrap_or(rest);
        file.split('.').next().unwrap_or(file)
    };
    let base = base
        .strip_prefix("www.")
        .unwrap_or(base)
        .to_ascii_lowercase();
    let name: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    name.trim_matches('-').chars().take(64).collect()
}

fn slugs<'a>(values: impl Iterator<Item = &'a str>, flag: &str) -> Result<Vec<String>> {
    values
        .map(|v| {
            WatchSlug::parse(v.trim())
                .map(|s| s.as_str().to_string())
                .map_err(|e| e.context(flag))
        })
        .collect()
}

fn list(ctx: &mut Ctx, args: FeedListArgs) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let mut listing = Listing::new(&["name", "location", "watch", "match", "fetched_at"]);
    for feed in store.feeds()? {
        listing.push(vec![
            json!(feed.name),
            json!(feed.location),
            json!(feed.watch.join(" ")),
            json!(feed.matches.join(" ")),
            json!(feed.fetched_at),
        ]);
    }
    write_listing(ctx, &listing, args.format)
}

fn remove(ctx: &mut Ctx, name: &str) -> Result<()> {
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("feed remove", ctx.clock.now(), ctx.author())?;
    if store.feed(name)?.is_none() {
        return Err(Error::data(format!("no feed named '{}'", echo(name)))
            .with_hint("`lookout feed list` lists the feeds"));
    }
    store.remove_feed(name)?;
    tx.commit(&format!("removed feed '{name}'"))?;
    ctx.note(format!("removed feed '{name}'"));
    Ok(())
}
