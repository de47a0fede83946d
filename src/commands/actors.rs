//! `lookout actors [--format text|csv|json]`: every actor with how many
//! developments (not retracted) name it, so that near-duplicate spellings
//! show; `lookout actors rename OLD NEW` mends one everywhere, merging it
//! into NEW when NEW is named already. A rename is one journal entry.

use serde_json::json;

use crate::cli::{ActorsArgs, ActorsCommand, ListFormat};
use crate::commands::write_listing;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::model;
use crate::report::Listing;
use crate::store::Access;
use crate::words::counted;

pub fn run(ctx: &mut Ctx, args: ActorsArgs) -> Result<()> {
    match args.command {
        Some(ActorsCommand::Rename { old, new }) => rename(ctx, &old, &new),
        None => list(ctx, args.format),
    }
}

fn list(ctx: &mut Ctx, format: ListFormat) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let mut listing = Listing::new(&["actor", "developments"]);
    for actor in store.actors()? {
        listing.push(vec![json!(actor.name), json!(actor.developments)]);
    }
    write_listing(ctx, &listing, format)
}

fn rename(ctx: &mut Ctx, old: &str, new: &str) -> Result<()> {
    let old = one_actor(old).map_err(|e| e.context("OLD"))?;
    let new = one_actor(new).map_err(|e| e.context("NEW"))?;
    if old == new {
        return Err(Error::data(format!("OLD and NEW are both '{old}'"))
            .with_hint("give the name it should have as NEW"));
    }
    let store = ctx.store(Access::Write)?;
    let now = ctx.clock.now();
    let tx = store.begin_change("actors rename", now, ctx.author())?;
    store
        .require_actors(std::slice::from_ref(&old))
        .map_err(|e| e.context("OLD"))?;
    let merging = store.actors()?.iter().any(|a| a.name == new);
    let renamed = store.rename_actor(&old, &new, ctx.author(), now)?;
    let developments = counted(renamed as u64, "development");
    tx.commit(&format!(
        "renamed actor '{old}' to '{new}' in {developments}"
    ))?;
    let merged = if merging {
        ", merged into the existing one"
    } else {
        ""
    };
    ctx.note(format!(
        "renamed '{old}' to '{new}' in {developments}{merged}"
    ));
    Ok(())
}

fn one_actor(name: &str) -> Result<String> {
    model::actors([name])?
        .pop()
        .ok_or_else(|| Error::data("an empty actor name"))
}
