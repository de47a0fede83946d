//! `lookout undo`: reverts the newest journal entry — a whole import run, an
//! edit, a log — and removes it, so a second `undo` goes further back. There
//! is no redo. Refused, with nothing changed, when a record the entry touched
//! has been changed since by other means.

use crate::ctx::Ctx;
use crate::error::Result;
use crate::store::Access;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_write()?;
    let undone = store.undo_latest()?;
    let Some(undone) = undone else {
        ctx.note("nothing to undo: the journal is empty");
        return Ok(());
    };
    tx.commit("")?;
    let entry = undone.entry;
    let records = crate::words::counted(entry.change_count, "record");
    ctx.note(format!(
        "undid #{} ({}, {} at {}): {}",
        entry.id, entry.command, records, entry.at, entry.summary
    ));
    Ok(())
}
