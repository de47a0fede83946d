//! The `text` format: aligned tables and key–value details for people at a
//! terminal. User text is neutralised (`crate::screen`: control characters,
//! bidi overrides and invisible characters made visible), so a headline
//! cannot rewrite the screen; the data formats keep text as stored.

use std::borrow::Cow;
use std::io::Write;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::status::{DUE_NAMED, StatusReport, StatusRow, Transition, quiet_from_note};
use super::table::{self, Cell, Colour, Columns, Paint, Pass};
use super::{Feed, HitFeed, HitPass, Listing};
use crate::error::Result;
use crate::model::{Development, Status, WatchItem};
use crate::record::fields;
pub(crate) use crate::screen::{clean_block, clean_line};
use crate::style::TextStyle;
use crate::words::counted;

mod status;

pub(crate) use status::status;
pub(super) use status::{due_text, status_words};

/// The colour a status is drawn in.
fn status_colour(status: Status) -> Colour {
    match status {
        Status::Open => Colour::Default,
        Status::Emerging => Colour::Cyan,
        Status::Developing => Colour::Blue,
        Status::Stalled => Colour::Yellow,
        Status::Realised => Colour::Green,
        Status::Dropped => Colour::DarkGrey,
    }
}

fn or_dash(value: Option<&str>) -> Cow<'_, str> {
    value.map(clean_line).unwrap_or(Cow::Borrowed("-"))
}

/// The timeline table: watch items, actors and the headline wrap.
const TIMELINE: Columns<'static> = Columns {
    header: &["DATE", "ID", "KIND", "WATCH", "ACTORS", "HEADLINE"],
    numeric: &[],
    words: &[3, 4, 5],
    optional: &[4, 2, 3],
};

/// The timeline as a table, read twice (`report::table`): once to measure
/// the columns, once to write. Writes nothing for an empty selection;
/// returns how many rows it wrote.
pub fn timeline(
    feed: &mut Feed<'_, Development>,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<usize> {
    table::write(
        TIMELINE,
        style,
        &mut |_, sink| feed(sink),
        &timeline_cells,
        out,
    )
}

fn timeline_cells(dev: &Development) -> Vec<Cell<'_>> {
    let watch: Vec<String> = dev.links.iter().map(|l| l.to_string()).collect();
    vec![
        Cell::plain(date_words(dev)),
        Cell::dim(dev.id.as_str()),
        Cell::plain(dev.kind.as_str()),
        Cell::plain(watch.join(" ")),
        Cell::plain(clean_line(&dev.actors.join(", ")).into_owned()),
        Cell::plain(clean_line(&dev.headline)),
    ]
}

/// A development's date as entered, marked when it is due, not done.
fn date_words(dev: &Development) -> String {
    if dev.scheduled {
        format!("{} (scheduled)", dev.date)
    } else {
        dev.date.to_string()
    }
}

/// The search table: the headline and where the query matched wrap.
const SEARCH: Columns<'static> = Columns {
    header: &["DATE", "ID", "KIND", "HEADLINE", "MATCH"],
    numeric: &[],
    words: &[3, 4],
    optional: &[2],
};

/// Search hits, best first: the development and where the query matched.
/// Measuring needs no ranking and, where the last column is not measured
/// (`table::measures_last`: off a terminal, without colour), no snippets.
pub fn search(feed: &mut HitFeed<'_>, style: TextStyle, out: &mut dyn Write) -> Result<usize> {
    let snippets_to_measure = table::measures_last(&SEARCH, style);
    table::write(
        SEARCH,
        style,
        &mut |pass, sink| {
            let wanted = match pass {
                Pass::Measure => HitPass {
                    ranked: false,
                    snippets: snippets_to_measure,
                },
                Pass::Write => HitPass {
                    ranked: true,
                    snippets: true,
                },
            };
            feed(wanted, sink)
        },
        &search_cells,
        out,
    )
}

fn search_cells((dev, snippet): &(Development, String)) -> Vec<Cell<'_>> {
    vec![
        Cell::plain(date_words(dev)),
        Cell::plain(dev.id.as_str()),
        Cell::plain(dev.kind.as_str()),
        Cell::plain(clean_line(&dev.headline)),
        Cell::plain(clean_line(snippet)),
    ]
}

/// Writes `label  value` lines, continuing multi-line values under the value.
/// One width for every detail view, so they read alike.
fn detail(out: &mut dyn Write, pairs: &[(&str, String)]) -> Result<()> {
    const WIDTH: usize = "description".len() + 2;
    let width = pairs
        .iter()
        .map(|(label, _)| label.len() + 2)
        .fold(WIDTH, usize::max);
    for (label, value) in pairs {
        let mut lines = value.split('\n');
        writeln!(out, "{label:<width$}{}", lines.next().unwrap_or(""))?;
        for line in lines {
            writeln!(out, "{:width$}{line}", "")?;
        }
    }
    Ok(())
}

pub fn development(dev: &Development, out: &mut dyn Write) -> Result<()> {
    let mut pairs = vec![
        ("id", dev.id.to_string()),
        ("date", format!("{} ({})", dev.date, dev.date.precision())),
        settled_pair(dev),
        ("kind", dev.kind.clone()),
        ("headline", clean_line(&dev.headline).into_owned()),
    ];
    for (field, text) in fields::texts() {
        if let Some(value) = (text.get)(&dev.texts) {
            pairs.push((field.name, clean_block(value).into_owned()));
        }
    }
    let watch: Vec<String> = dev.links.iter().map(|l| l.to_string()).collect();
    pairs.push(("watch", or_none(&watch.join(", "))));
    pairs.push(("actors", or_none(&clean_line(&dev.actors.join(", ")))));
    pairs.push(("sources", or_none(&clean_block(&dev.sources.join("\n")))));
    pairs.push(("recorded_at", dev.recorded_at.to_string()));
    // Who logged it and who changed it last: a team's first questions.
    if let Some(by) = &dev.provenance.recorded_by {
        pairs.push(("recorded_by", clean_line(by).into_owned()));
    }
    if let Some(at) = dev.provenance.updated_at {
        let by = dev.provenance.updated_by.as_deref().map(clean_line);
        let by = by.map(|b| format!(" by {b}")).unwrap_or_default();
        pairs.push(("changed", format!("{at}{by}")));
    }
    if let Some(r) = &dev.retracted {
        pairs.push(("retracted", format!("{}: {}", r.at, clean_line(&r.reason))));
    }
    detail(out, &pairs)
}

/// Since when a development counts, or that it is due and does not yet.
fn settled_pair(dev: &Development) -> (&'static str, String) {
    match dev.settled() {
        None => (
            "scheduled",
            "due, not done: it counts once `edit --occurred` records that it happened".to_string(),
        ),
        Some(settled) => (
            "settled",
            format!("{settled}: it had certainly happened by then"),
        ),
    }
}

fn or_none(text: &str) -> String {
    if text.is_empty() {
        "-".to_string()
    } else {
        text.to_string()
    }
}

/// `watch show`: the item, its status as of today, how it got there (each
/// change as it is read), then its developments (read twice, as `timeline`
/// reads them).
pub fn watch_item(
    item: &WatchItem,
    status: &StatusRow,
    history: &mut Feed<'_, Transition>,
    feed: &mut Feed<'_, Development>,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<()> {
    detail(out, &watch_item_details(item, status))?;
    writeln!(out, "\nStatus history")?;
    if status_history(history, out)? == 0 {
        writeln!(out, "  No development has set a status yet.")?;
    }
    writeln!(out)?;
    if timeline(feed, style, out)? == 0 {
        writeln!(out, "No developments yet.")?;
    }
    Ok(())
}

/// `watch show`'s details: the item as recorded, then its status.
fn watch_item_details(item: &WatchItem, status: &StatusRow) -> Vec<(&'static str, String)> {
    let mut pairs = vec![
        ("slug", item.slug.to_string()),
        ("title", clean_line(&item.title).into_owned()),
    ];
    if let Some(description) = &item.description {
        pairs.push(("description", clean_block(description).into_owned()));
    }
    pairs.push(("opened", item.opened.to_string()));
    pairs.push(("tags", or_none(&clean_line(&item.tags.join(", ")))));
    let since = status
        .since
        .as_deref()
        .map(|s| format!(" since {s}"))
        .unwrap_or_default();
    let stale = if status.stale { ", stale" } else { "" };
    pairs.push((
        "status",
        format!(
            "{}{since} ({}{stale})",
            status_words(status),
            counted(status.quiet_days.unsigned_abs(), "quiet day")
        ),
    ));
    if status.has_due() {
        pairs.push(("due", due_text(status)));
    }
    pairs
}

/// Writes each change of status, one a line; how many there were.
fn status_history(history: &mut Feed<'_, Transition>, out: &mut dyn Write) -> Result<usize> {
    let mut steps = 0;
    history(&mut |t| {
        steps += 1;
        write!(
            out,
            "  {:<12} {:<10} → {:<10} {}  {}",
            t.date.to_string(),
            t.from.as_str(),
            t.to.as_str(),
            t.id,
            clean_line(&t.headline)
        )?;
        match t.order_note() {
            Some(note) => writeln!(out, " ({note})")?,
            None => writeln!(out)?,
        }
        Ok(())
    })?;
    Ok(steps)
}

/// A listing as a table; null reads `-`, lists comma-separated. Numbers
/// keep their width; on a terminal, text columns after the first (the
/// name) wrap. With no rows it is its headings.
pub fn listing(listing: &Listing, style: TextStyle, out: &mut dyn Write) -> Result<()> {
    let header: Vec<String> = listing.columns.iter().map(|c| c.to_uppercase()).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let numeric: Vec<usize> = (0..listing.columns.len())
        .filter(|&i| listing.rows.iter().all(|r| r[i].is_number()) && !listing.rows.is_empty())
        .collect();
    let words: Vec<usize> = (1..listing.columns.len())
        .filter(|i| !numeric.contains(i))
        .collect();
    let rows: Vec<Vec<Cell<'_>>> = listing
        .rows
        .iter()
        .map(|row| row.iter().map(listing_cell).collect())
        .collect();
    let columns = Columns {
        header: &header,
        numeric: &numeric,
        words: &words,
        optional: &[],
    };
    table::write_held(columns, style, &rows, out)
}

fn listing_cell(value: &Value) -> Cell<'_> {
    match value {
        Value::Null => Cell::plain("-"),
        Value::String(s) => Cell::plain(clean_line(s)),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(super::cell_text).collect();
            Cell::plain(clean_line(&parts.join(", ")).into_owned())
        }
        other => Cell::plain(other.to_string()),
    }
}
