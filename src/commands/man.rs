//! `lookout man [COMMAND]...`: the manual in roff, generated from the command
//! line definition so it never drifts from `--help`. Without a command it is
//! the whole manual: lookout's page, then a section for every command with
//! its synopsis, description, options and examples. With one (`man log`,
//! `man watch add`), that command's page alone.

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, roman};

use crate::cli::{Cli, ManArgs};
use crate::ctx::Ctx;
use crate::error::{Error, Result};

/// The page footer's source: the program and its version, on every page.
const SOURCE: &str = concat!("lookout ", env!("CARGO_PKG_VERSION"));

pub fn run(ctx: &mut Ctx, args: ManArgs) -> Result<()> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut page = Vec::new();
    if args.command.is_empty() {
        whole_manual(&root, &mut page)?;
    } else {
        let cmd = find(&root, &args.command)?;
        command_page(cmd, &mut page)?;
    }
    let mut out = ctx.output(None)?;
    out.writer().write_all(&page)?;
    out.finish()
}

/// The command a path of names leads to, or a usage error naming the commands there are.
fn find<'a>(root: &'a clap::Command, path: &[String]) -> Result<&'a clap::Command> {
    let mut cmd = root;
    for name in path {
        cmd = cmd.find_subcommand(name).ok_or_else(|| {
            let known: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            Error::usage(format!("man: no command '{name}'"))
                .with_hint(format!("commands: {}", known.join(", ")))
        })?;
    }
    Ok(cmd)
}

/// One command's page, as `man lookout-log` would show it.
fn command_page(cmd: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let man = Man::new(cmd.clone()).source(SOURCE);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    if cmd.has_subcommands() {
        commands_list(cmd, w)?;
    }
    examples(cmd, "SH", w)?;
    Ok(())
}

/// lookout's page, then every command's: the whole manual in one page.
fn whole_manual(root: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let man = Man::new(root.clone()).source(SOURCE);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    // The global options, once: each command's section lists its own.
    let mut global = Vec::new();
    man.render_options_section(&mut global)?;
    w.extend(
        String::from_utf8_lossy(&global)
            .replacen(".SH OPTIONS", ".SH \"GLOBAL OPTIONS\"", 1)
            .bytes(),
    );
    commands_list(root, w)?;
    examples(root, "SH", w)?;
    for cmd in leaves(root) {
        command_section(cmd, w)?;
    }
    Ok(())
}

/// Every command that runs something, depth first (`watch add`, not `watch`).
fn leaves(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut found = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.has_subcommands() && sub.get_after_help().is_none() {
            found.extend(leaves(sub));
        } else {
            found.push(sub);
            found.extend(leaves(sub));
        }
    }
    found
}

/// The list of commands under `cmd`, each with its one-line description.
fn commands_list(cmd: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let mut roff = Roff::default();
    roff.control("SH", ["COMMANDS"]);
    for sub in leaves(cmd) {
        roff.control("TP", []);
        roff.text([roman(sub.get_bin_name().unwrap_or(sub.get_name()))]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(about.to_string())]);
        }
    }
    roff.to_writer(w)?;
    Ok(())
}

/// A command's section of the whole manual: its page, its headings one level down,
/// without the global options (listed once, at the top).
fn command_section(cmd: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let mut own = cmd.clone();
    let global: Vec<clap::Id> = own
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();
    for id in global {
        own = own.mut_arg(id, |a| a.hide(true));
    }
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_uppercase();
    let mut roff = Roff::default();
    roff.control("SH", [name.as_str()]);
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        for line in about.to_string().lines() {
            if line.trim().is_empty() {
                roff.control("PP", []);
            } else {
                roff.text([roman(line)]);
            }
        }
    }
    roff.to_writer(w)?;
    let man = Man::new(own);
    let mut parts = Vec::new();
    man.render_synopsis_section(&mut parts)?;
    man.render_options_section(&mut parts)?;
    w.extend(
        String::from_utf8_lossy(&parts)
            .replace(".SH SYNOPSIS", ".SS Synopsis")
            .replace(".SH OPTIONS", ".SS Options")
            .bytes(),
    );
    examples(cmd, "SS", w)
}

/// A command's examples and the notes after them, as printed by `--help`:
/// lines kept as they are (a filled paragraph would run the commands together).
fn examples(cmd: &clap::Command, heading: &str, w: &mut Vec<u8>) -> Result<()> {
    let Some(after) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) else {
        return Ok(());
    };
    let title = if heading == "SH" {
        "EXAMPLES"
    } else {
        "Examples"
    };
    let mut roff = Roff::default();
    roff.control(heading, [title]);
    roff.control("nf", []);
    for line in after.to_string().lines() {
        if line == "Examples:" || line == "Example:" {
            continue;
        }
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    roff.to_writer(w)?;
    Ok(())
}
