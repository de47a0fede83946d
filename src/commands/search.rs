//! `lookout search QUERY [--watch SLUG]... [--kind K]... [--actor A]...
//! [--from DATE] [--to DATE] [--limit N] [--format F]`
//!
//! Full-text search over headline, summary, actors and sources with SQLite
//! FTS5's query syntax, best match first (bm25, headline words weigh most).
//! Retracted developments are left out. No match is an empty result, exit 0;
//! a query FTS5 cannot parse is exit 65.

use crate::cli::{SearchArgs, TimelineFormat};
use crate::commands::{check_filter, parse_filter};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::report::json::SearchEntry;
use crate::report::{self, json, text};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: SearchArgs) -> Result<()> {
    if args.query.trim().is_empty() {
        return Err(Error::data("the search query is empty")
            .with_hint("give a word, a \"phrase\", or an FTS5 expression"));
    }
    let filter = parse_filter(&args.filter, ctx.clock.today())?;
    let store = ctx.store(Access::Read)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile.
    let _snapshot = store.begin_read()?;
    check_filter(&store, &filter)?;

    let mut hits = Vec::new();
    store.search(&args.query, &filter, args.limit, |dev, snippet| {
        hits.push((dev, snippet));
        Ok(())
    })?;
    let mut out = ctx.output(None)?;
    if args.format.is_csv() {
        ctx.begin_csv(&mut out)?;
    }
    match args.format {
        TimelineFormat::Text if hits.is_empty() => {
            ctx.note(format!("nothing matches {}", args.query));
        }
        TimelineFormat::Text => text::search(&hits, ctx.stdout_style(), out.writer())?,
        TimelineFormat::Json => {
            let entries: Vec<SearchEntry> = hits.iter().map(SearchEntry::from).collect();
            json::write_pretty(&entries, out.writer())?;
        }
        format => {
            let devs: Vec<_> = hits.into_iter().map(|(dev, _)| dev).collect();
            let title = format!("Search: {}", args.query);
            report::timeline(format, &title, &devs, ctx.stdout_style(), out.writer())?;
        }
    }
    out.finish()
}
