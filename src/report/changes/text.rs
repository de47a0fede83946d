//! `changes` as text: the note an analyst pastes, in the order it is read —
//! items that moved, one line each; the developments that came to count,
//! by item, with their sources; news learnt late; items that went stale;
//! what is due; and, in one line, the items where nothing changed. User
//! text is neutralised (`text::clean_line`).

use std::io::Write;

use super::{ChangesReport, ItemChanges, Lists, date_allows, linked, with_order_notes};
use crate::error::Result;
use crate::model::{Development, Status};
use crate::report::text::clean_line;

/// Items where nothing changed are named up to this many, then counted.
pub const NAMED_QUIET_ITEMS: usize = 6;

pub fn write(report: &ChangesReport, lists: &mut Lists<'_>, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", heading(report))?;
    if report.items.is_empty() {
        writeln!(out, "\nNo watch items were open by {}.", report.until)?;
    }
    let moved: Vec<&ItemChanges> = report.items.iter().filter(|i| i.moved()).collect();
    if !moved.is_empty() {
        writeln!(out, "\nMoved")?;
        for item in moved {
            writeln!(out, "  {}", moved_line(item))?;
        }
    }
    if !report.corrections.is_empty() {
        writeln!(out, "\n{}", corrections_heading(report))?;
        for correction in &report.corrections {
            writeln!(out, "  {}", clean_line(&correction.line()))?;
        }
    }
    let arrived: Vec<&ItemChanges> = report.items.iter().filter(|i| i.arrived > 0).collect();
    if !arrived.is_empty() {
        writeln!(out, "\nNew developments")?;
        for item in arrived {
            writeln!(out, "  {} — {}", item.slug(), clean_line(&item.after.title))?;
            (lists.arrivals)(item.slug(), &mut |a| {
                let allows = date_allows(&a.dev.date, report.since);
                development(out, &a.dev, a.to, allows)
            })?;
        }
    }
    late(report, lists, out)?;
    stale(report, out)?;
    due(report, out)?;
    quiet(report, out)
}

/// Above the corrections: what they correct.
pub fn corrections_heading(report: &ChangesReport) -> String {
    format!("Corrected since the note of {}", report.since)
}

/// The note's first line: the window, both ends said.
pub fn heading(report: &ChangesReport) -> String {
    format!(
        "What changed after {}, up to {}",
        report.since, report.until
    )
}

/// `intl-ai-org: open → emerging on 2025-07-26 (jtce187y)`: the status
/// before, then each change with its date and development.
pub fn moved_line(item: &ItemChanges) -> String {
    let mut line = format!("{}: {}", item.slug(), item.before.status);
    for (change, order) in with_order_notes(&item.transitions) {
        line.push_str(&format!(
            " → {} on {} ({})",
            change.to, change.date, change.id
        ));
        if let Some(order) = order {
            line.push_str(&format!(" ({order})"));
        }
    }
    if let Some(p) = &item.after.provisional {
        line.push_str(&format!("; {}? if {} has happened", p.status, p.id));
    }
    line
}

/// A development under its item: date, id, headline (and the status its
/// link sets), then its sources, one a line.
fn development(
    out: &mut dyn Write,
    dev: &Development,
    to: Option<Status>,
    note: Option<String>,
) -> Result<()> {
    let date = dev.date.to_string();
    let status = to.map(|s| format!(" → {s}")).unwrap_or_default();
    let note = note.map(|n| format!("  ({n})")).unwrap_or_default();
    writeln!(
        out,
        "    {date:<10}  {}  {}{status}{note}",
        dev.id,
        clean_line(&dev.headline)
    )?;
    for source in &dev.sources {
        writeln!(out, "    {:<10}  {}", "", clean_line(source))?;
    }
    Ok(())
}

fn late(report: &ChangesReport, lists: &mut Lists<'_>, out: &mut dyn Write) -> Result<()> {
    if report.late == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "\nLearnt late (recorded after {} about what had happened by then)",
        report.since
    )?;
    (lists.late)(&mut |dev| {
        let note = format!("{}; recorded {}", linked(dev), dev.recorded_at.day());
        development(out, dev, None, Some(note))
    })
}

fn stale(report: &ChangesReport, out: &mut dyn Write) -> Result<()> {
    let stale: Vec<&ItemChanges> = report.items.iter().filter(|i| i.became_stale).collect();
    if stale.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nWent stale (more than {} quiet days)",
        report.stale_after
    )?;
    for item in stale {
        writeln!(
            out,
            "  {}: {}, quiet for {} days",
            item.slug(),
            item.after.status,
            item.after.quiet_days
        )?;
    }
    Ok(())
}

fn due(report: &ChangesReport, out: &mut dyn Write) -> Result<()> {
    if !report.upcoming.is_empty() {
        writeln!(
            out,
            "\nDue by {} (the next {} days)",
            horizon(report),
            report.ahead
        )?;
        for dev in &report.upcoming {
            development(out, dev, None, Some(linked(dev)))?;
        }
    }
    if !report.overdue.is_empty() {
        writeln!(
            out,
            "\nOverdue (due by {}, not recorded as having happened)",
            report.until
        )?;
        for dev in &report.overdue {
            development(out, dev, None, Some(linked(dev)))?;
        }
    }
    Ok(())
}

/// The last day an upcoming development may start.
pub fn horizon(report: &ChangesReport) -> String {
    report
        .until
        .checked_add_days(chrono::Days::new(u64::from(report.ahead)))
        .map_or_else(|| "the end of time".to_string(), |d| d.to_string())
}

/// The items where nothing changed, in one line.
fn quiet(report: &ChangesReport, out: &mut dyn Write) -> Result<()> {
    if let Some(line) = quiet_line(report) {
        writeln!(out, "\n{line}")?;
    }
    Ok(())
}

/// The items with no news — no change, no development, no late news, not
/// gone stale — in one line: named when few, counted when many.
pub fn quiet_line(report: &ChangesReport) -> Option<String> {
    let quiet: Vec<&str> = report
        .items
        .iter()
        .filter(|i| !i.is_news() && !report.late_items.contains(i.slug()))
        .map(ItemChanges::slug)
        .collect();
    let all = quiet.len() == report.items.len() && report.late == 0;
    Some(match quiet.len() {
        0 => return None,
        1 if all => "Nothing changed for the one watch item.".to_string(),
        n if all => format!("Nothing changed for any of the {n} watch items."),
        1 => format!("No change for 1 other item: {}.", quiet[0]),
        n if n <= NAMED_QUIET_ITEMS => {
            format!("No change for {n} other items: {}.", quiet.join(", "))
        }
        n => format!("No change for the {n} other items."),
    })
}
