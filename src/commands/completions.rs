//! `lookout completions bash|zsh|fish`: a shell completion script on stdout.

use clap::CommandFactory;
use clap_complete::{Shell as Generator, generate};

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::ctx::Ctx;
use crate::error::Result;

pub fn run(ctx: &mut Ctx, args: CompletionsArgs) -> Result<()> {
    let generator = match args.shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
    };
    let mut out = ctx.output(None)?;
    generate(generator, &mut Cli::command(), "lookout", out.writer());
    out.finish()
}
