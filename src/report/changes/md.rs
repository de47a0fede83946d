//! `changes --format md`: the note as Markdown to paste into a briefing, in
//! the order of the text form, each item's question under its title and
//! each development's sources as links. User text goes through `md::cell`,
//! addresses through `sources::safe_href`.

use std::io::Write;

use super::text::{corrections_heading, heading, horizon, quiet_line};
use super::{ChangesReport, ItemChanges, Lists, date_allows, linked, with_order_notes};
use crate::error::Result;
use crate::model::{Development, Status};
use crate::report::md::{cell, sources};

pub fn write(report: &ChangesReport, lists: &mut Lists<'_>, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "## {}", heading(report))?;
    if report.items.is_empty() {
        writeln!(out, "\nNo watch items were open by {}.", report.until)?;
    }
    let moved: Vec<&ItemChanges> = report.items.iter().filter(|i| i.moved()).collect();
    if !moved.is_empty() {
        writeln!(out, "\n### Moved\n")?;
        for item in moved {
            writeln!(out, "- {}", moved_line(item))?;
        }
    }
    if !report.corrections.is_empty() {
        writeln!(out, "\n### {}\n", corrections_heading(report))?;
        for correction in &report.corrections {
            writeln!(out, "- {}", cell(&correction.line()))?;
        }
    }
    let arrived: Vec<&ItemChanges> = report.items.iter().filter(|i| i.arrived > 0).collect();
    if !arrived.is_empty() {
        writeln!(out, "\n### New developments")?;
        for item in arrived {
            writeln!(
                out,
                "\n#### {} (`{}`)\n",
                cell(&item.after.title),
                item.slug()
            )?;
            if let Some(question) = &item.after.description {
                writeln!(out, "*{}*\n", cell(question))?;
            }
            (lists.arrivals)(item.slug(), &mut |a| {
                let allows = date_allows(&a.dev.date, report.since);
                writeln!(out, "{}", development(&a.dev, a.to, allows))?;
                Ok(())
            })?;
        }
    }
    late_and_due(report, lists, out)?;
    if let Some(line) = quiet_line(report) {
        writeln!(out, "\n{}", cell(&line))?;
    }
    Ok(())
}

/// Late news, stale items, what is due.
fn late_and_due(report: &ChangesReport, lists: &mut Lists<'_>, out: &mut dyn Write) -> Result<()> {
    if report.late > 0 {
        writeln!(
            out,
            "\n### Learnt late\n\nRecorded after {} about what had happened by then.\n",
            report.since
        )?;
        (lists.late)(&mut |dev| {
            let note = format!("{}; recorded {}", linked(dev), dev.recorded_at.day());
            writeln!(out, "{}", development(dev, None, Some(note)))?;
            Ok(())
        })?;
    }
    let stale: Vec<&ItemChanges> = report.items.iter().filter(|i| i.became_stale).collect();
    if !stale.is_empty() {
        writeln!(
            out,
            "\n### Went stale\n\nMore than {} quiet days.\n",
            report.stale_after
        )?;
        for item in stale {
            writeln!(
                out,
                "- `{}` {}: {}, quiet for {} days",
                item.slug(),
                cell(&item.after.title),
                item.after.status,
                item.after.quiet_days
            )?;
        }
    }
    if !report.upcoming.is_empty() {
        writeln!(
            out,
            "\n### Due by {} (the next {} days)\n",
            horizon(report),
            report.ahead
        )?;
        for dev in &report.upcoming {
            writeln!(out, "{}", development(dev, None, Some(linked(dev))))?;
        }
    }
    if !report.overdue.is_empty() {
        writeln!(
            out,
            "\n### Overdue\n\nDue by {}, not recorded as having happened.\n",
            report.until
        )?;
        for dev in &report.overdue {
            writeln!(out, "{}", development(dev, None, Some(linked(dev))))?;
        }
    }
    Ok(())
}

/// `**intl-ai-org**: open → **emerging** on 2025-07-26 (`jtce187y`)`.
fn moved_line(item: &ItemChanges) -> String {
    let mut line = format!("**{}**: {}", item.slug(), item.before.status);
    for (change, order) in with_order_notes(&item.transitions) {
        line.push_str(&format!(
            " → **{}** on {} (`{}`)",
            change.to,
            cell(&change.date),
            change.id
        ));
        if let Some(order) = order {
            line.push_str(&format!(" ({})", cell(&order)));
        }
    }
    if let Some(p) = &item.after.provisional {
        line.push_str(&format!("; {}? if `{}` has happened", p.status, p.id));
    }
    line
}

/// A list entry: date, id, headline and the status its link sets, a note,
/// and its sources on a line of their own.
fn development(dev: &Development, to: Option<Status>, note: Option<String>) -> String {
    let status = to.map(|s| format!(" → **{s}**")).unwrap_or_default();
    let note = note.map(|n| format!(" ({})", cell(&n))).unwrap_or_default();
    let mut entry = format!(
        "- {} · `{}` · {}{status}{note}",
        cell(&dev.date.to_string()),
        dev.id,
        cell(&dev.headline)
    );
    if !dev.sources.is_empty() {
        entry.push_str(&format!("  \n  Sources: {}", sources(&dev.sources)));
    }
    entry
}
