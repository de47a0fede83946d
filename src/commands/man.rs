//! `lookout man`: the manual page, in roff, generated from the command line
//! definition so it never drifts from `--help`.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::ctx::Ctx;
use crate::error::Result;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let mut out = ctx.output(None)?;
    clap_mangen::Man::new(Cli::command()).render(out.writer())?;
    out.finish()
}
