//! One module per command. Each exposes `run(ctx, args)`: it checks its
//! arguments, asks the store, builds a report value and hands it to a renderer.

pub mod actors;
pub mod check;
pub mod completions;
pub mod export;
pub mod import;
pub mod init;
pub mod kinds;
pub mod log;
pub mod man;
pub mod show;
pub mod status;
pub mod timeline;
pub mod watch;

use crate::cli::ListFormat;
use crate::ctx::Ctx;
use crate::dates::PartialDate;
use crate::error::{Error, Result};
use crate::model::WatchSlug;
use crate::report::{self, Listing, json, text};

/// Parses a date argument, naming the flag in the error.
pub(crate) fn date_arg(flag: &str, text: &str, today: chrono::NaiveDate) -> Result<PartialDate> {
    PartialDate::parse(text, today).map_err(|e| Error::data(e.to_string()).context(flag))
}

/// Parses repeated `--watch SLUG` arguments.
pub(crate) fn slug_args(flag: &str, values: &[String]) -> Result<Vec<WatchSlug>> {
    values
        .iter()
        .map(|v| WatchSlug::parse(v.trim()).map_err(|e| e.context(flag)))
        .collect()
}

/// Writes a listing (`watch list`, `kinds`, `actors`) to stdout.
pub(crate) fn write_listing(ctx: &Ctx, listing: &Listing, format: ListFormat) -> Result<()> {
    let mut out = ctx.output(None)?;
    match format {
        ListFormat::Text => text::listing(listing, ctx.stdout_style(), out.writer())?,
        ListFormat::Csv => report::write_csv(listing, out.writer())?,
        ListFormat::Json => json::write_pretty(&listing.to_json(), out.writer())?,
    }
    out.finish()
}

/// `1 development`, `3 developments`: for confirmations.
pub(crate) fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
