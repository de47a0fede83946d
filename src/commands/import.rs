//! `lookout import FILE...`: watch items and developments from CSV files.
//!
//! Every file is opened and its dialect told from its header before the store
//! is touched; then the whole run is one transaction, watch-item files first
//! whatever their order on the command line. The first bad row refuses the
//! run, naming `file:line` and the column, and nothing is stored.

use crate::cli::ImportArgs;
use crate::csv_io::{CsvSource, WATCH_ITEMS};
use crate::ctx::Ctx;
use crate::error::Result;
use crate::loader::Loader;
use crate::store::Access;

pub fn run(ctx: &mut Ctx, args: ImportArgs) -> Result<()> {
    let mut sources = args
        .files
        .iter()
        .map(|path| CsvSource::open(path))
        .collect::<Result<Vec<_>>>()?;
    // Stable: watch-item files first, each group in command-line order.
    sources.sort_by_key(|source| source.dialect() != &WATCH_ITEMS);

    let store = ctx.store(Access::Write)?;
    let tx = store.begin_write()?;
    let mut loader = Loader::new(&store, &ctx.clock);
    for source in &mut sources {
        loader.load(source)?;
    }
    let (items, devs) = (loader.watch_items, loader.developments);
    tx.commit()?;

    let files = sources.len();
    let mut parts = Vec::new();
    if items.total() > 0 {
        parts.push(format!("watch items: {items}"));
    }
    if devs.total() > 0 || items.total() == 0 {
        parts.push(format!("developments: {devs}"));
    }
    ctx.note(format!(
        "imported {files} file{}: {}",
        if files == 1 { "" } else { "s" },
        parts.join("; ")
    ));
    Ok(())
}
