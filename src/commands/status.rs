//! `lookout status [--as-of DATE] [--stale-after DAYS] [--watch SLUG]...
//! [--format text|json|csv]`
//!
//! Each watch item's status, derived from its dated developments as the
//! record stood at the end of the `--as-of` date (today by default).

use crate::cli::{StatusArgs, StatusFormat};
use crate::commands::{date_arg, slug_args};
use crate::ctx::Ctx;
use crate::dates::to_bound;
use crate::error::Result;
use crate::report::{self, json, status, text};
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: StatusArgs) -> Result<()> {
    let today = ctx.clock.today();
    let as_of = match &args.as_of {
        Some(text) => to_bound(&date_arg("--as-of", text, today)?),
        None => today,
    };
    let only = slug_args("--watch", &args.watch)?;
    let store = ctx.store(Access::Read)?;
    let facts = store.item_facts(as_of, &only).map_err(|e| {
        if only.is_empty() {
            e
        } else {
            e.context("--watch")
        }
    })?;
    let report = status::build(facts, as_of, args.stale_after);

    let mut out = ctx.output(None)?;
    match args.format {
        StatusFormat::Text => text::status(&report, ctx.stdout_style(), out.writer())?,
        StatusFormat::Json => json::status(&report, out.writer())?,
        StatusFormat::Csv => report::write_csv(&status::listing(&report), out.writer())?,
    }
    out.finish()
}
