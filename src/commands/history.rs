//! `lookout history [ID] [--since DATE] [--limit N] [--all] [--format text|json]`:
//! the change journal, newest first, in words; entries undone only with
//! `--all`, each saying when and by whom. With ID, only the entries
//! that touched that development (or watch item, or kind); with --since, only
//! those made (UTC day) on or after the start of that date.

use crate::cli::HistoryArgs;
use crate::commands::first_day_arg;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::model::DevId;
use crate::record::RecordKind;
use crate::report::history;
use crate::store::{Access, Store};

/// Entries with at most this many changes list each of them.
const DETAIL: u64 = 12;

pub fn run(ctx: &mut Ctx, args: HistoryArgs) -> Result<()> {
    let since = args
        .since
        .as_deref()
        .map(|t| first_day_arg("--since", t, ctx.clock.today()))
        .transpose()?;
    let store = ctx.store(Access::Read)?;
    // One snapshot: what it prints is one state of the store, whatever
    // other processes commit meanwhile.
    let _snapshot = store.begin_read()?;
    let about = match &args.id {
        None => None,
        Some(text) => Some(subject(&store, text.trim())?),
    };
    let entries = store.journal_entries(
        about.as_ref().map(|(record, key)| (*record, key.as_str())),
        since,
        usize::try_from(args.limit).unwrap_or(usize::MAX),
        DETAIL,
        args.all,
    )?;
    let mut out = ctx.output(None)?;
    history::render(args.format.into(), &entries, since, out.writer())?;
    out.finish()
}

/// What `history ID` is about: a development id, else a watch slug, else a kind.
fn subject(store: &Store, text: &str) -> Result<(RecordKind, String)> {
    if let Ok(id) = DevId::parse(text)
        && store.journal_mentions(RecordKind::Development, id.as_str())?
    {
        return Ok((RecordKind::Development, id.to_string()));
    }
    for record in [RecordKind::Watch, RecordKind::Kind] {
        if store.journal_mentions(record, text)? {
            return Ok((record, text.to_string()));
        }
    }
    Err(Error::data(format!(
        "no journal entry mentions '{}'",
        crate::screen::echo(text)
    ))
    .with_hint("give a development id, a watch item slug or a kind; `lookout history` lists all"))
}
