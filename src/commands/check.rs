//! `lookout check`: the store's schema against lookout's, SQLite's integrity
//! and foreign-key checks, the search index against the developments, every
//! text cell and journal line, then lookout's own invariants (dates match
//! their intervals, links in step with their developments). Read-only, on
//! one snapshot. Prints what it found; exits 65 when anything is wrong, 74
//! when the store cannot be read (busy: try again). Likely duplicates (two
//! analysts logging one event) are listed too, as notes: they are for a
//! person to judge, not faults of the store. With `--quiet`, a sound store
//! prints nothing but those notes.

use std::io::Write;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::screen::clean_line;
use crate::store::{Access, LikelyDuplicates};

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let store = ctx.store(Access::Check)?;
    let report = store.check()?;
    // Duplicates are read through the records, which a damaged store may
    // not give back: they wait until the store is sound.
    let duplicates = if report.findings.is_empty() {
        store.likely_duplicates(None)?
    } else {
        LikelyDuplicates::default()
    };
    let mut out = ctx.output(None)?;
    // With --quiet a sound store says nothing: the exit status is the answer.
    // Likely duplicates still print: like sync's, they wait on a person.
    let quiet = ctx.is_quiet() && report.findings.is_empty();
    // Details quote what the store holds, which anyone may have written.
    for allowed in report.allowed.iter().filter(|_| !quiet) {
        writeln!(out.writer(), "allowed: {}", clean_line(allowed))?;
    }
    if quiet {
        notes(out.writer(), &duplicates)?;
        return out.finish();
    }
    if report.findings.is_empty() {
        writeln!(
            out.writer(),
            "ok: {} passes schema, integrity, foreign-key, text, journal, name, search-index, \
             date, link and totals checks",
            clean_line(&store.path().display().to_string())
        )?;
        notes(out.writer(), &duplicates)?;
        return out.finish();
    }
    notes(out.writer(), &duplicates)?;
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

/// The likely duplicates, a group a line, at most `LISTED` of them.
fn notes(out: &mut dyn Write, duplicates: &LikelyDuplicates) -> Result<()> {
    for line in duplicates.lines() {
        writeln!(out, "note: {}", clean_line(&line))?;
    }
    Ok(())
}
