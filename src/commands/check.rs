//! `lookout check`: SQLite's integrity and foreign-key checks, then lookout's
//! own invariants (dates match their intervals, links in step with their
//! developments). Prints what it found; exits 65 when anything is wrong.
//! Likely duplicates (two analysts logging one event) are listed too, as
//! notes: they are for a person to judge, not faults of the store.

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::store::Access;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Read)?;
    let findings = store.check()?;
    let duplicates = store.likely_duplicates(None)?;
    let mut out = ctx.output(None)?;
    let notes = |out: &mut dyn std::io::Write| -> Result<()> {
        for (a, b) in &duplicates {
            writeln!(
                out,
                "note: likely duplicate: {a} and {b} (same date, a shared watch item, near-identical headlines)"
            )?;
        }
        Ok(())
    };
    if findings.is_empty() {
        writeln!(
            out.writer(),
            "ok: {} passes integrity, foreign-key, date, link, totals and search-index checks",
            store.path().display()
        )?;
        notes(out.writer())?;
        return out.finish();
    }
    notes(out.writer())?;
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
