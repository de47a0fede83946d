//! lookout: a developments tracker over a SQLite store.
//!
//! Analysts keep the "what to watch next" list of a briefing as watch items,
//! record dated developments against them, and ask for status reports and
//! timelines. `run` dispatches a parsed command line to its command module.

// File modes, inodes, hard links and process groups: lookout relies on them
// all (README, "Working on lookout").
#[cfg(not(unix))]
compile_error!("lookout runs on Unix-like systems only (Linux, macOS, the BSDs)");

pub mod cli;
pub(crate) mod clock;
pub(crate) mod commands;
pub(crate) mod ctx;
pub mod dates;
pub(crate) mod error;
pub(crate) mod feeds;
pub(crate) mod files;
pub mod formats;
pub(crate) mod import;
pub(crate) mod interrupt;
#[cfg(test)]
mod layers_tests;
pub(crate) mod limits;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod progress;
pub mod record;
pub(crate) mod report;
#[cfg(test)]
mod roundtrip_tests;
pub mod screen;
pub(crate) mod share;
#[cfg(test)]
mod status_tests;
pub(crate) mod store;
pub(crate) mod style;
pub(crate) mod suggest;
pub(crate) mod sync;
pub(crate) mod words;

use cli::{Cli, Command};
use ctx::Ctx;
use error::Result;

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let mut ctx = Ctx::new(
        cli.db,
        cli.color.into(),
        cli.quiet,
        cli.author,
        commands::git_author,
    )?;
    ctx.bom = cli.bom;
    ctx.wide = cli.wide;
    // `init` names the store it made itself.
    let announce = !matches!(cli.command, Command::Init);
    // The command's store is closed when it returns: then a report held
    // back for it goes out.
    let result = dispatch(&mut ctx, cli.command).and_then(|()| ctx.release_held());
    if announce {
        ctx.announce_new_store();
    }
    result
}

fn dispatch(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::Init => commands::init::run(ctx),
        Command::Watch(command) => commands::watch::run(ctx, command),
        Command::Log(args) => commands::log::run(ctx, args),
        Command::Show(args) => commands::show::run(ctx, args),
        Command::Status(args) => commands::status::run(ctx, args),
        Command::Changes(args) => commands::changes::run(ctx, args),
        Command::Timeline(args) => commands::timeline::run(ctx, args),
        Command::Import(args) => commands::import::run(ctx, args),
        Command::Export(args) => commands::export::run(ctx, args),
        Command::Edit(args) => commands::edit::run(ctx, args),
        Command::Retract(args) => commands::retract::run(ctx, args),
        Command::Unretract(args) => commands::unretract::run(ctx, args),
        Command::History(args) => commands::history::run(ctx, args),
        Command::Undo(args) => commands::undo::run(ctx, args),
        Command::Search(args) => commands::search::run(ctx, args),
        Command::Feed(command) => commands::feed::run(ctx, command),
        Command::Fetch(args) => commands::fetch::run(ctx, args),
        Command::Inbox(args) => commands::inbox::run(ctx, args),
        Command::Kinds(args) => commands::kinds::run(ctx, args),
        Command::Actors(args) => commands::actors::run(ctx, args),
        Command::Backup(args) => commands::backup::run(ctx, args),
        Command::Sync(args) => commands::sync::run(ctx, args),
        Command::Check => commands::check::run(ctx),
        Command::Completions(args) => commands::completions::run(ctx, args),
        Command::Man(args) => commands::man::run(ctx, args),
    }
}
