//! `lookout retract ID --reason TEXT`: withdraws a development that turned
//! out false. It stays in the store with its reason — in `show`, `history`
//! and the JSON Lines export — and leaves status, timelines, counts and
//! search. One journal entry; `undo` or `unretract` brings it back.

use crate::cli::RetractArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::limits;
use crate::model::{DevId, Retraction};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: RetractArgs) -> Result<()> {
    // Refused before the store is opened; resolved (any case, a prefix) in it.
    DevId::parse(&args.id.trim().to_ascii_lowercase()).map_err(|e| e.context("ID"))?;
    if args.reason.trim().is_empty() {
        return Err(Error::data("--reason: the reason is empty")
            .with_hint("say why it is withdrawn, e.g. --reason 'denied by the ministry'"));
    }
    limits::within("reason", &args.reason, limits::REASON).map_err(|e| e.context("--reason"))?;
    let store = ctx.store(Access::Write)?;
    let now = ctx.clock.now();
    let tx = store.begin_change("retract", now, ctx.author())?;
    let id = crate::commands::dev_id_arg(&store, &args.id)?;
    let mut dev = store.require_development(&id)?;
    if let Some(r) = &dev.retracted {
        return Err(Error::data(format!(
            "{id} was retracted already, at {}: {}",
            r.at, r.reason
        ))
        .with_hint(format!("`lookout unretract {id}` withdraws the retraction")));
    }
    dev.retracted = Some(Retraction {
        at: now,
        reason: args.reason.clone(),
    });
    dev.provenance.touch(ctx.author(), now);
    store.replace_development(&dev)?;
    tx.commit(&format!("retracted {id}: {}", args.reason))?;
    ctx.note(format!("retracted {id}: {}", dev.headline));
    Ok(())
}
