//! `lookout actors [--format text|csv|json]`: every actor with how many
//! developments (not retracted) name it, so that near-duplicate spellings show.

use serde_json::json;

use crate::cli::ListArgs;
use crate::commands::write_listing;
use crate::ctx::Ctx;
use crate::error::Result;
use crate::report::Listing;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: ListArgs) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let mut listing = Listing::new(&["actor", "developments"]);
    for actor in store.actors()? {
        listing.push(vec![json!(actor.name), json!(actor.developments)]);
    }
    write_listing(ctx, &listing, args.format)
}
