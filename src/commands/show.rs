//! `lookout show ID [--format text|json]`: one development in full,
//! retracted or not.

use crate::cli::ShowArgs;
use crate::commands::reading_store;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::model::DevId;
use crate::report::development;
use crate::store::KnownReads;

pub fn run(ctx: &mut Ctx, args: ShowArgs) -> Result<()> {
    // Refused before the store is opened; resolved (any case, a prefix) in it.
    DevId::parse(&args.id.trim().to_ascii_lowercase()).map_err(|e| e.context("ID"))?;
    let store = reading_store(ctx, &args.known, KnownReads::Overlay)?;
    let id = crate::commands::dev_id_arg(&store, &args.id)?;
    let dev = store.require_development(&id)?;
    let mut out = ctx.output(None)?;
    development::render(args.format.into(), &dev, out.writer())?;
    out.finish()
}
