//! `lookout init`: create the store, or confirm an existing one (idempotent),
//! folding its write-ahead log into the store file, which a write leaves
//! until the log passes a megabyte (`store::WAL_LIMIT`): after `init` the
//! store is its one file, to copy or to read where no log can be made.

use crate::ctx::Ctx;
use crate::error::Result;
use crate::store::Access;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Write)?;
    store.keep();
    store.fold_wal()?;
    ctx.note(format!("lookout store ready at {}", store.path().display()));
    Ok(())
}
