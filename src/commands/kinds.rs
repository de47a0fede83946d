//! `lookout kinds [--format F]` lists the development kinds with their use;
//! `lookout kinds add NAME` extends the vocabulary.

use serde_json::json;

use crate::cli::{KindsArgs, KindsCommand, ListFormat};
use crate::commands::write_listing;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::model;
use crate::report::Listing;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: KindsArgs) -> Result<()> {
    match args.command {
        Some(KindsCommand::Add { name }) => add(ctx, &name),
        None => list(ctx, args.format),
    }
}

fn add(ctx: &mut Ctx, name: &str) -> Result<()> {
    let name = model::kind_name(name.trim())?;
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("kinds add", ctx.clock.now(), ctx.author())?;
    let added = store.add_kind(&name)?;
    tx.commit(&format!("added kind '{name}'"))?;
    if added {
        ctx.note(format!("added kind '{name}'"));
    } else {
        ctx.note(format!("kind '{name}' exists already; nothing changed"));
    }
    Ok(())
}

fn list(ctx: &mut Ctx, format: ListFormat) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let mut listing = Listing::new(&["kind", "builtin", "developments"]);
    for kind in store.kinds()? {
        listing.push(vec![
            json!(kind.name),
            json!(kind.builtin),
            json!(kind.developments),
        ]);
    }
    write_listing(ctx, &listing, format)
}
