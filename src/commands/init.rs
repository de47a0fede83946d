//! `lookout init`: create the store, or confirm an existing one (idempotent).

use crate::ctx::Ctx;
use crate::error::Result;
use crate::store::Access;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Write)?;
    store.keep();
    ctx.note(format!("lookout store ready at {}", store.path().display()));
    Ok(())
}
