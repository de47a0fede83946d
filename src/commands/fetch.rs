//! `lookout fetch [NAME]... [--timeout SECS]`: reads the feeds (all, or
//! those named) and keeps their new entries in the inbox.
//!
//! The feeds are read first, with the store closed (a slow server holds no
//! lock), then what they brought is written in one journal entry, which
//! `undo` reverts; a fetch that brought nothing new leaves none. Each feed's
//! outcome is one line on stdout (`plans: 12 new, 3 known`, `plans:
//! unchanged (304)`); a feed that cannot be read is named on stderr with
//! why, and the rest are still read: exit 75 then, 0 when all were read.

use std::time::Duration;

use crate::cli::FetchArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::feeds::{self, Read, Validators};
use crate::record::inbox::Feed;
use crate::screen::echo;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: FetchArgs) -> Result<()> {
    let feeds = chosen(ctx, &args.names)?;
    let timeout = Duration::from_secs(args.timeout);
    let mut read = Vec::new();
    let mut failed = 0;
    for feed in feeds {
        let validators = Validators {
            etag: feed.etag.clone(),
            last_modified: feed.last_modified.clone(),
        };
        match feeds::read(&feed.location, &validators, timeout) {
            Ok(outcome) => read.push((feed, outcome)),
            Err(e) => {
                failed += 1;
                ctx.warn(format!(
                    "feed '{}' ({}) was not read: {}",
                    feed.name,
                    echo(&feed.location),
                    e.message()
                ));
            }
        }
    }
    let lines = store(ctx, read)?;
    let mut out = ctx.output(None)?;
    for line in lines {
        writeln!(out.writer(), "{line}")?;
    }
    out.finish()?;
    if failed > 0 {
        return Err(Error::temp_fail(format!(
            "{failed} feed{} could not be read; the others were",
            if failed == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// The feeds to read: every one, or those named (each must exist).
fn chosen(ctx: &Ctx, names: &[String]) -> Result<Vec<Feed>> {
    let store = ctx.store(Access::Read)?;
    let all = store.feeds()?;
    if all.is_empty() {
        return Err(
            Error::data("no feed to read").with_hint("name one with `lookout feed add URL|PATH`")
        );
    }
    if names.is_empty() {
        return Ok(all);
    }
    let mut chosen = Vec::new();
    for name in names {
        match all.iter().find(|f| &f.name == name) {
            Some(feed) => chosen.push(feed.clone()),
            None => {
                return Err(Error::data(format!("no feed named '{}'", echo(name)))
                    .with_hint("`lookout feed list` lists the feeds"));
            }
        }
    }
    Ok(chosen)
}

/// Writes what the feeds brought, as one journal entry; the line each says.
fn store(ctx: &Ctx, read: Vec<(Feed, Read)>) -> Result<Vec<String>> {
    let now = ctx.clock.now();
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("fetch", now, ctx.author())?;
    let mut lines = Vec::new();
    let mut arrived = 0;
    for (feed, outcome) in read {
        // Removed meanwhile by another process: nothing to keep it for.
        let Some(mut current) = store.feed(&feed.name)? else {
            continue;
        };
        let (entries, validators) = match outcome {
            Read::Unchanged => {
                lines.push(format!("{}: unchanged (304)", feed.name));
                continue;
            }
            Read::Entries(entries, validators) => (entries, validators),
        };
        let new = store.add_inbox_entries(&current, &entries, &now.to_string())?;
        arrived += new;
        lines.push(format!(
            "{}: {new} new, {} known",
            feed.name,
            entries.len() - new
        ));
        current.etag = validators.etag;
        current.last_modified = validators.last_modified;
        current.fetched_at = Some(now.to_string());
        if new > 0 {
            // Journaled with its entries: undo puts back the validators
            // before them, so the next fetch reads the feed whole again.
            store.put_feed(&current)?;
        } else {
            store.set_feed_validators(&current)?;
        }
    }
    // A fetch that brought nothing leaves no journal entry.
    tx.commit(&format!(
        "fetched {arrived} new inbox entr{}",
        if arrived == 1 { "y" } else { "ies" }
    ))?;
    Ok(lines)
}
