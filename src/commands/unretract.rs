//! `lookout unretract ID`: withdraws a retraction — the development was
//! true after all. It counts again in status, timelines and search. One
//! journal entry (`undo` retracts it again); the reason it was retracted
//! stays in `history`.

use crate::cli::UnretractArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::model::DevId;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: UnretractArgs) -> Result<()> {
    // Refused before the store is opened; resolved (any case, a prefix) in it.
    DevId::parse(&args.id.trim().to_ascii_lowercase()).map_err(|e| e.context("ID"))?;
    let store = ctx.store(Access::Write)?;
    let now = ctx.clock.now();
    let tx = store.begin_change("unretract", now, ctx.author())?;
    let id = crate::commands::dev_id_arg(&store, &args.id)?;
    let mut dev = store.require_development(&id)?;
    let Some(retraction) = dev.retracted.take() else {
        return Err(
            Error::data(format!("{id} is not retracted")).with_hint(format!(
                "`lookout show {id}` shows it; only a retracted development can be unretracted"
            )),
        );
    };
    dev.provenance.touch(ctx.author(), now);
    store.replace_development(&dev)?;
    tx.commit(&format!(
        "withdrew the retraction of {id} ({})",
        retraction.reason
    ))?;
    ctx.note(format!("{id} counts again: {}", dev.headline));
    Ok(())
}
