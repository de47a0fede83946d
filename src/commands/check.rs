//! `lookout check`: SQLite's integrity and foreign-key checks, then lookout's
//! own invariants (dates match their intervals, links in step with their
//! developments). Prints what it found; exits 65 when anything is wrong.

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::store::Access;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let findings = store.check()?;
    let mut out = ctx.output(None)?;
    if findings.is_empty() {
        writeln!(
            out.writer(),
            "ok: {} passes integrity, foreign-key, date, link, totals and search-index checks",
            store.path().display()
        )?;
        return out.finish();
    }
    for finding in &findings {
        writeln!(out.writer(), "{}: {}", finding.check, finding.detail)?;
    }
    out.finish()?;
    Err(Error::data(format!(
        "{} found in {}",
        crate::words::counted(findings.len() as u64, "problem"),
        store.path().display()
    )))
}
