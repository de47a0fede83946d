//! `lookout search QUERY [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--limit N | --all] [--format F]`
//!
//! Full-text search over headline, summary, actors and sources with SQLite
//! FTS5's query syntax, best match first (bm25, headline words weigh most).
//! Retracted developments are left out. The best 20 unless `--limit` says
//! another count or `--all` asks for every match; stderr says how many more
//! match. Every format streams, and snippets are made only for the rows
//! shown. No match is an empty result, exit 0; a query FTS5 cannot parse is
//! exit 65.

use crate::cli::{SearchArgs, TimelineFormat};
use crate::commands::{check_filter, parse_filter, reading_store};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::report::{self, HitFeed, HitPass, timeline};
use crate::store::{KnownReads, SearchPass};

/// How many hits `search` shows without `--limit` or `--all`.
pub const DEFAULT_LIMIT: u64 = 20;

pub fn run(ctx: &mut Ctx, args: SearchArgs) -> Result<()> {
    if args.query.trim().is_empty() {
        return Err(Error::data("the search query is empty")
            .with_hint("give a word, a \"phrase\", or an FTS5 expression"));
    }
    let filter = parse_filter(&args.filter, ctx.clock.today())?;
    let store = reading_store(ctx, &args.known, KnownReads::Anything)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile, however often it is read.
    let _snapshot = store.begin_read()?;
    check_filter(&store, &filter)?;

    let limit = if args.all {
        None
    } else {
        Some(args.limit.unwrap_or(DEFAULT_LIMIT))
    };
    let mut hits = |wanted: HitPass, sink: &mut dyn FnMut(&(_, String)) -> Result<()>| {
        let pass = SearchPass {
            limit,
            ranked: wanted.ranked,
            snippets: wanted.snippets,
        };
        store.search(&args.query, &filter, pass, |dev, snippet| {
            sink(&(dev, snippet))
        })
    };
    let shown = write_hits(ctx, &args, &mut hits)?;
    if shown == 0 && limit != Some(0) && args.format == TimelineFormat::Text {
        ctx.note(format!("nothing matches {}", args.query));
    }
    // Counting every match costs a pass over them: only when some may be left out.
    if let Some(limit) = limit
        && shown as u64 == limit
    {
        let more = store
            .search_count(&args.query, &filter)?
            .saturating_sub(limit);
        say_how_many_more(ctx, limit, more);
    }
    Ok(())
}

/// Writes the hits in the format asked for; returns how many.
fn write_hits(ctx: &Ctx, args: &SearchArgs, hits: &mut HitFeed<'_>) -> Result<usize> {
    let format = timeline::Format::from(args.format);
    let mut out = ctx.output(None)?;
    if format.is_csv() {
        ctx.begin_csv(&mut out)?;
    }
    let style = ctx.stdout_style();
    let shown = report::search::render(format, &args.query, hits, style, out.writer())?;
    out.finish()?;
    Ok(shown)
}

/// On stderr: how many more match than the limit let through, if any.
fn say_how_many_more(ctx: &Ctx, limit: u64, more: u64) {
    if more == 0 {
        return;
    }
    let (noun, verb) = if more == 1 {
        ("development matches", "it")
    } else {
        ("developments match", "them")
    };
    ctx.note(format!(
        "the best {limit} shown; {more} more {noun} (--limit N for another count, --all to see \
         {verb})"
    ));
}
