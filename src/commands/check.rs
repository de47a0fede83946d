//! `lookout check`: the store's schema against lookout's, SQLite's integrity
//! and foreign-key checks, the search index against the developments, every
//! text cell and journal line, then lookout's own invariants (dates match
//! their intervals, links in step with their developments). Read-only, on
//! one snapshot. Prints what it found; exits 65 when anything is wrong, 74
//! when the store cannot be read (busy: try again).

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::screen::clean_line;
use crate::store::Access;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Check)?;
    let report = store.check()?;
    let mut out = ctx.output(None)?;
    // Details quote what the store holds, which anyone may have written.
    for allowed in &report.allowed {
        writeln!(out.writer(), "allowed: {}", clean_line(allowed))?;
    }
    if report.findings.is_empty() {
        writeln!(
            out.writer(),
            "ok: {} passes schema, integrity, foreign-key, text, journal, name, search-index, \
             date, link and totals checks",
            clean_line(&store.path().display().to_string())
        )?;
        return out.finish();
    }
    for finding in &report.findings {
        writeln!(
            out.writer(),
            "{}: {}",
            finding.check,
            clean_line(&finding.detail)
        )?;
    }
    out.finish()?;
    Err(Error::data(format!(
        "{} found in {}",
        crate::words::counted(report.findings.len() as u64, "problem"),
        store.path().display()
    )))
}
