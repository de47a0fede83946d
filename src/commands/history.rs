//! `lookout history [ID] [--since DATE] [--limit N] [--all] [--format text|json]`:
//! the change journal, newest first, in words; entries undone only with
//! `--all`, each saying when and by whom. With ID, only the entries
//! that touched that development (or watch item, or kind); with --since, only
//! those made (UTC day) on or after the start of that date.

use serde::Serialize;
use serde_json::Value;

use crate::cli::{DetailFormat, HistoryArgs};
use crate::commands::first_day_arg;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::model::DevId;
use crate::record::{Change, Entry, RecordKind};
use crate::report::history::describe;
use crate::report::json::write_pretty;
use crate::report::text::clean_line;
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
    match args.format {
        DetailFormat::Text => {
            let w = out.writer();
            if entries.is_empty() {
                match since {
                    Some(day) => writeln!(w, "No changes recorded on or after {day}.")?,
                    None => writeln!(w, "No changes recorded.")?,
                }
            }
            for entry in &entries {
                writeln!(
                    w,
                    "#{:<5} {}  {:<12} {}",
                    entry.id,
                    entry.at,
                    entry.command,
                    clean_line(&entry.summary)
                )?;
                if let Some(author) = &entry.author {
                    writeln!(w, "       by {}", clean_line(author))?;
                }
                if let Some(undone_at) = &entry.undone_at {
                    let by = entry
                        .undone_by
                        .as_deref()
                        .map(|b| format!(" by {}", clean_line(b)))
                        .unwrap_or_default();
                    writeln!(w, "       undone at {undone_at}{by}")?;
                }
                for change in &entry.changes {
                    writeln!(w, "       {}", clean_line(&describe(change)))?;
                }
                if entry.changes.is_empty() && entry.change_count > 0 {
                    writeln!(w, "       ({} records)", entry.change_count)?;
                }
            }
        }
        DetailFormat::Json => {
            let views: Vec<EntryView> = entries.iter().map(EntryView::from).collect();
            write_pretty(&views, out.writer())?;
        }
    }
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

#[derive(Serialize)]
struct EntryView<'a> {
    id: i64,
    at: &'a str,
    command: &'a str,
    author: Option<&'a str>,
    summary: &'a str,
    records: u64,
    changes: Vec<ChangeView<'a>>,
    /// Only with `--all`, on an undone entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    undone_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undone_by: Option<&'a str>,
}

#[derive(Serialize)]
struct ChangeView<'a> {
    record: &'static str,
    key: &'a str,
    words: String,
    before: Value,
    after: Value,
}

impl<'a> From<&'a Entry> for EntryView<'a> {
    fn from(entry: &'a Entry) -> EntryView<'a> {
        EntryView {
            id: entry.id,
            at: &entry.at,
            command: &entry.command,
            author: entry.author.as_deref(),
            summary: &entry.summary,
            records: entry.change_count,
            changes: entry.changes.iter().map(ChangeView::from).collect(),
            undone_at: entry.undone_at.as_deref(),
            undone_by: entry.undone_by.as_deref(),
        }
    }
}

impl<'a> From<&'a Change> for ChangeView<'a> {
    fn from(change: &'a Change) -> ChangeView<'a> {
        let parse = |line: &Option<String>| {
            line.as_deref()
                .and_then(|l| serde_json::from_str(l).ok())
                .unwrap_or(Value::Null)
        };
        ChangeView {
            record: change.record.as_str(),
            key: &change.key,
            words: describe(change),
            before: parse(&change.before),
            after: parse(&change.after),
        }
    }
}
