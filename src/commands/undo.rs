//! `lookout undo [--dry-run]`: reverts the newest journal entry — a whole
//! import run, an edit, a log, a sync — and marks it undone (it stays, so
//! that `--known-on` can answer for the time it stood; `history --all` shows
//! it), so a second `undo` goes further back. There is no redo. Refused, with nothing changed, when
//! a record the entry touched has been changed since by other means.
//! `--dry-run` undoes inside a transaction it then rolls back: it shows
//! exactly what undo would do, or why it would refuse.

use crate::cli::UndoArgs;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::report::history::describe;
use crate::report::text::clean_line;
use crate::store::Access;
use crate::words::counted;

/// Entries with at most this many changes are shown change by change.
const DETAIL: u64 = 20;

pub fn run(ctx: &mut Ctx, args: UndoArgs) -> Result<()> {
    let store = ctx.store(Access::Write)?;
    let newest = store
        .journal_entries(None, None, 1, DETAIL, false)?
        .into_iter()
        .next();
    let tx = store.begin_write()?;
    let Some(undone) = store.undo_latest(ctx.clock.now(), ctx.author())? else {
        if store.journal_entries(None, None, 1, 0, true)?.is_empty() {
            ctx.note("nothing to undo: the journal is empty");
        } else {
            ctx.note(
                "nothing to undo: every journal entry is undone already \
                 (`lookout history --all` lists them)",
            );
        }
        return Ok(());
    };
    let entry = undone.entry;
    let records = counted(entry.change_count, "record");
    let by = entry
        .author
        .as_deref()
        .map(|a| format!(" by {}", clean_line(a)))
        .unwrap_or_default();
    let what = format!(
        "#{} ({}, {records} at {}{by}): {}",
        entry.id,
        entry.command,
        entry.at,
        clean_line(&entry.summary)
    );
    if !args.dry_run {
        tx.commit("")?;
        ctx.note(format!("undid {what}"));
        return Ok(());
    }
    drop(tx); // a dry run changes nothing
    let mut out = ctx.output(None)?;
    writeln!(out.writer(), "would undo {what}")?;
    for change in newest.iter().flat_map(|e| &e.changes) {
        writeln!(out.writer(), "  revert: {}", clean_line(&describe(change)))?;
    }
    out.finish()
}
