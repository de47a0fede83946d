//! The `md` format: GitHub-flavoured Markdown tables that paste cleanly into
//! a briefing, with each item's question under its title and each
//! development's sources. User text is escaped cell by cell: pipes,
//! backslashes and Markdown's inline marks, newlines as `<br>`, and `<`, `>`,
//! `&` as entities so a headline cannot open HTML in the rendered page; a
//! source becomes a link only when it is a web or mail address (`sources`).

use std::io::Write;

use super::Feed;
use super::sources::{Source, classify};
use super::status::{StatusReport, StatusRow, Transition, quiet_from_note};
use super::text::{clean_block, due_text};
use crate::error::Result;
use crate::model::{Development, WatchItem};
use crate::words::counted;

/// One table cell of user text.
pub fn cell(text: &str) -> String {
    let text = clean_block(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '*' | '_' | '`' | '[' | ']' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A development's sources: links named by host where they are web or mail
/// addresses (`[host](url)`, the address percent-encoded where Markdown
/// could misread it), escaped text otherwise; ` · ` between them.
pub fn sources(sources: &[String]) -> String {
    sources
        .iter()
        .map(|source| match classify(source) {
            Source::Link { href, name } => format!("[{}]({href})", cell(&name)),
            Source::Text(text) => cell(text),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A title with the question beneath it, for a table cell.
fn titled(title: &str, question: Option<&str>) -> String {
    match question {
        Some(question) => format!("{}<br>*{}*", cell(title), cell(question)),
        None => cell(title),
    }
}

fn or_dash(value: Option<&str>) -> String {
    value.map(cell).unwrap_or_else(|| "–".to_string())
}

fn row(out: &mut dyn Write, cells: &[String]) -> Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))?;
    Ok(())
}

pub fn status(report: &StatusReport, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "## Status as of {}\n", report.as_of)?;
    if report.items.is_empty() {
        writeln!(out, "No watch items were open by {}.", report.as_of)?;
        return Ok(());
    }
    // Only a tracker with scheduled developments needs the column.
    let due = report.items.iter().any(StatusRow::has_due);
    let (due_head, due_rule) = if due { (" Due |", "---|") } else { ("", "") };
    writeln!(
        out,
        "| Item | Status | Since | Developments | Last | Quiet days | Stale |{due_head} Title | Latest |"
    )?;
    writeln!(out, "|---|---|---|---:|---|---:|---|{due_rule}---|---|")?;
    for item in &report.items {
        let mut cells = status_cells(item);
        if due {
            cells.insert(7, cell(&due_text(item)));
        }
        row(out, &cells)?;
    }
    writeln!(
        out,
        "\nStale: no development for more than {} days, and neither realised nor dropped.",
        report.stale_after
    )?;
    if report.items.iter().any(|i| i.quiet_from_mark().is_some()) {
        writeln!(out, "{}", quiet_from_note("Last", "quiet days count"))?;
    }
    if report.items.iter().any(|i| i.provisional.is_some()) {
        writeln!(
            out,
            "A status followed by another with `?` (open emerging?) is the one that developments \
             which may have happened by {} would give, once they certainly have.",
            report.as_of
        )?;
    }
    Ok(())
}

/// The status, and a provisional one beside it: `**open** emerging?`.
fn status_words(item: &StatusRow) -> String {
    match &item.provisional {
        Some(p) => format!("**{}** {}? (`{}`)", item.status, p.status, p.id),
        None => format!("**{}**", item.status),
    }
}

fn status_cells(item: &StatusRow) -> Vec<String> {
    vec![
        format!("`{}`", item.slug),
        status_words(item),
        or_dash(item.since.as_deref()),
        item.developments.to_string(),
        or_dash(item.last_shown().as_deref()),
        item.quiet_days.to_string(),
        if item.stale {
            "stale".into()
        } else {
            String::new()
        },
        titled(&item.title, item.description.as_deref()),
        or_dash(item.last_headline.as_deref()),
    ]
}

/// The timeline as one table, written row by row; returns how many rows.
pub fn timeline(feed: &mut Feed<'_, Development>, out: &mut dyn Write) -> Result<usize> {
    timeline_head(out)?;
    let mut count = 0;
    feed(&mut |dev| {
        count += 1;
        timeline_row(dev, out)
    })?;
    Ok(count)
}

/// The status history, each change as it is read; its headings come with
/// the first.
fn history_table(history: &mut Feed<'_, Transition>, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "### Status history\n")?;
    // The headings come with the first change, as the developments' do.
    let mut steps = 0;
    history(&mut |t| {
        if steps == 0 {
            writeln!(out, "| Date | From | To | Development |")?;
            writeln!(out, "|---|---|---|---|")?;
        }
        steps += 1;
        row(
            out,
            &[
                cell(&t.date.to_string()),
                t.from.to_string(),
                format!("**{}**", t.to),
                match t.order_note() {
                    Some(note) => format!("`{}` {} ({})", t.id, cell(&t.headline), cell(&note)),
                    None => format!("`{}` {}", t.id, cell(&t.headline)),
                },
            ],
        )
    })?;
    if steps == 0 {
        writeln!(out, "No development has set a status yet.\n")?;
    } else {
        writeln!(out)?;
    }
    Ok(())
}

fn timeline_head(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "| Date | Id | Kind | Watch | Actors | Headline | Sources |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    Ok(())
}

fn timeline_row(dev: &Development, out: &mut dyn Write) -> Result<()> {
    let watch: Vec<String> = dev.links.iter().map(|l| l.to_string()).collect();
    let date = if dev.scheduled {
        format!("{} (scheduled)", dev.date)
    } else {
        dev.date.to_string()
    };
    row(
        out,
        &[
            cell(&date),
            format!("`{}`", dev.id),
            dev.kind.clone(),
            cell(&watch.join(", ")),
            cell(&dev.actors.join(", ")),
            cell(&dev.headline),
            sources(&dev.sources),
        ],
    )
}

/// `watch show --format md`: the question, the status history, every development.
pub fn dossier(
    item: &WatchItem,
    status: &StatusRow,
    history: &mut Feed<'_, Transition>,
    feed: &mut Feed<'_, Development>,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "## {}\n", cell(&item.title))?;
    if let Some(description) = &item.description {
        writeln!(out, "{}\n", cell(description))?;
    }
    let since = status
        .since
        .as_deref()
        .map(|s| format!(" since {}", cell(s)))
        .unwrap_or_default();
    let due = if status.has_due() {
        format!(" · {}", cell(&due_text(status)))
    } else {
        String::new()
    };
    writeln!(
        out,
        "`{}` · opened {} · {}{since} · {} · {}{}{due}\n",
        item.slug,
        item.opened,
        status_words(status),
        counted(status.developments, "development"),
        counted(status.quiet_days.unsigned_abs(), "quiet day"),
        if status.stale { " · stale" } else { "" }
    )?;
    history_table(history, out)?;
    writeln!(out, "### Developments\n")?;
    // The headings come with the first row: an item without developments
    // reads "None yet." instead, and its timeline is read once.
    let mut rows = 0;
    feed(&mut |dev| {
        if rows == 0 {
            timeline_head(out)?;
        }
        rows += 1;
        timeline_row(dev, out)
    })?;
    if rows == 0 {
        writeln!(out, "None yet.")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_open_html() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(cell("two\nlines"), "two<br>lines");
        assert_eq!(
            cell("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            cell("*bold* _x_ [link](y)"),
            "\\*bold\\* \\_x\\_ \\[link\\](y)"
        );
        assert_eq!(cell("C:\\path"), "C:\\\\path");
        assert_eq!(cell("AT&T"), "AT&amp;T");
    }
}
