//! The `html` format: one self-contained page (inline CSS and SVG, nothing
//! fetched from the network, no script) with the report as a table and an SVG
//! timeline (`svg`). Every piece of user text goes through maud, which
//! escapes it.

use std::io::Write;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Feed;
use super::sources::{Source, classify};
use super::status::{DUE_NAMED, Due, StatusReport, StatusRow, Transition, quiet_from_note};
use super::svg::{self, Survey, colour, legend};
use super::table;
use crate::error::{Error, Result};
use crate::model::{Development, Status, WatchItem};
use crate::words::counted;

const CSS: &str = r#"
:root { --fg: #1d2330; --muted: #5b6270; --line: #d9dde4; --bg: #ffffff; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
ul.devs { padding-left: 1.2rem; } ul.devs li { margin: .3rem 0; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.date, td.id { white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font: .85rem ui-monospace, "SF Mono", Menlo, monospace; white-space: nowrap; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; color: #fff; font-size: .8rem; }
.stale { color: #b3261e; font-weight: 600; }
svg.timeline { width: 100%; height: auto; display: block; margin: .5rem 0 1rem; }
svg.timeline text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg.timeline .lane-label { fill: var(--fg); font-weight: 600; }
svg.timeline .grid { stroke: var(--line); stroke-width: 1; }
svg.timeline .mark { stroke: #1d2330; stroke-width: .6; }
svg.timeline .mark.uncertain { fill-opacity: .55; stroke-dasharray: 3 2; }
svg.timeline .mark.open-start { stroke: none; }
svg.timeline .mark.scheduled { stroke-width: 1.5; fill-opacity: 1; }
svg.timeline .window { fill: #f3f5f9; }
svg.timeline .since { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.timeline text.since { fill: #b3261e; stroke: none; }
.provisional { color: var(--muted); font-size: .85rem; }
.question { display: block; color: var(--muted); font-size: .85rem; margin-top: .15rem; }
p.question { font-size: .95rem; margin: .25rem 0 1rem; }
.sources { display: block; color: var(--muted); font-size: .8rem; margin-top: .15rem; }
.sources a { color: inherit; }
.legend span { display: inline-flex; align-items: center; margin-right: 1rem; font-size: .85rem; }
.legend i { width: .8rem; height: .8rem; border-radius: .2rem; margin-right: .3rem; display: inline-block; }
.legend i.hollow { border: 1.5px solid var(--fg); }
.legend i.fading { background: linear-gradient(to right, transparent, var(--fg)); }
@media (max-width: 40rem) { body { padding: .75rem; } th, td { padding: .3rem; } }
@media (max-width: 40rem) {
  table.cards thead { display: none; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  table.cards td { border: 0; padding: .1rem 0 .1rem 7.5rem; position: relative; text-align: left;
                   white-space: normal; overflow-wrap: anywhere; }
  table.cards td::before { content: attr(data-label); position: absolute; left: 0; width: 7rem;
                           color: var(--muted); font-size: .8rem; font-weight: 600; }
  table.cards td.item { padding-left: 0; font-size: 1rem; font-weight: 600; }
  table.cards td.item code { font-size: .95rem; white-space: normal; overflow-wrap: anywhere; }
}
@media print { body { max-width: none; padding: 0; font-size: 11pt; } .scroll { overflow: visible; }
               svg.timeline, tr, li { page-break-inside: avoid; } h2, h3 { page-break-after: avoid; }
               a { color: inherit; text-decoration: none; }
               svg.timeline .window { fill: #eef0f4; } }
"#;

/// A development's sources: links named by host where they are web or mail
/// addresses, text otherwise (a citation, or an address of another scheme).
pub(crate) fn sources(sources: &[String]) -> Markup {
    html! {
        @if !sources.is_empty() {
            span.sources {
                "Sources: "
                @for (n, source) in sources.iter().enumerate() {
                    @if n > 0 { " · " }
                    @match classify(source) {
                        Source::Link { href, name } => {
                            a href=(href) rel="noreferrer noopener" { (name) }
                        }
                        Source::Text(text) => { (text) }
                    }
                }
            }
        }
    }
}

pub(crate) fn status_badge(status: Status) -> Markup {
    html! { span.status style={ "background:" (colour(Some(status))) } { (status.as_str()) } }
}

pub(crate) fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="lookout";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
}

pub(crate) fn write(markup: Markup, out: &mut dyn Write) -> Result<()> {
    out.write_all(markup.into_string().as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

/// `status --format html`: the report, and the timeline of what it counted
/// (read twice: `svg::timeline`).
pub fn status(
    report: &StatusReport,
    feed: &mut Feed<'_, Development>,
    out: &mut dyn Write,
) -> Result<()> {
    let lanes: Vec<String> = report.items.iter().map(|i| i.slug.clone()).collect();
    let drawing = svg::timeline(feed, Some(&lanes))?;
    // Only a tracker with scheduled developments needs the column.
    let due_column = report.items.iter().any(StatusRow::has_due);
    let body = html! {
        h1 { "Status as of " (report.as_of) }
        p.meta { (report.items.len()) " watch items · stale after " (report.stale_after) " quiet days" }
        div.scroll {
            // On a narrow screen each row reads as a card of labelled
            // values (`table.cards` in CSS); the labels are the headings.
            table.cards {
                thead { tr {
                    th { "Item" } th { "Status" } th { "Since" } th { "Developments" } th { "Last" }
                    th { "Quiet days" } th { "Title" } th { "Latest" }
                    @if due_column { th { "Due" } }
                } }
                tbody {
                    @for item in &report.items {
                        tr {
                            td.item { code { (item.slug) } }
                            td data-label="Status" {
                                (status_badge(item.status))
                                (provisional(item))
                                @if item.stale { " " span.stale { "stale" } }
                            }
                            td.date data-label="Since" { (item.since.as_deref().unwrap_or("–")) }
                            td.num data-label="Developments" { (item.developments) }
                            td.date data-label="Last" { (item.last_shown().as_deref().unwrap_or("–")) }
                            td.num data-label="Quiet days" { (item.quiet_days) }
                            td data-label="Title" {
                                (item.title)
                                @if let Some(question) = &item.description {
                                    span.question { (question) }
                                }
                            }
                            td data-label="Latest" { (item.last_headline.as_deref().unwrap_or("–")) }
                            @if due_column { td data-label="Due" { (due(item)) } }
                        }
                    }
                }
            }
        }
        @if report.items.iter().any(|i| i.quiet_from_mark().is_some()) {
            p.meta { (quiet_from_note("Last", "quiet days count")) }
        }
        h2 { "Timeline" }
        (drawing)
        (legend())
    };
    write(
        page(&format!("lookout status as of {}", report.as_of), body),
        out,
    )
}

/// A provisional status beside the status: `stalled?`, with the
/// development that would set it in a tooltip.
pub(crate) fn provisional(item: &StatusRow) -> Markup {
    html! {
        @if let Some(p) = &item.provisional {
            " "
            span.provisional title={ "if " (p.id) " has happened by now" } {
                (p.status.as_str()) "?"
            }
        }
    }
}

/// What is due: the next scheduled development, and the overdue ones —
/// the first few by headline (shortened; whole in a tooltip) and id, the
/// rest counted.
fn due(item: &StatusRow) -> Markup {
    let overdue = item.overdue.len();
    html! {
        @if let Some(next) = &item.next_scheduled {
            "next " span.date { (next.date) } ": " (due_headline(next)) " " code { (next.id) }
        }
        @for (n, due) in item.overdue.iter().take(DUE_NAMED).enumerate() {
            @if n > 0 || item.next_scheduled.is_some() { br; }
            span.stale { "overdue" } ": " (due_headline(due)) " " code { (due.id) }
        }
        @if overdue > DUE_NAMED {
            br; "and " (overdue - DUE_NAMED) " more overdue"
        }
        @if item.next_scheduled.is_none() && item.overdue.is_empty() { "–" }
    }
}

/// A due development's headline, shortened, with the whole in a tooltip.
fn due_headline(due: &Due) -> Markup {
    let short = table::shorten(&due.headline, 40);
    html! {
        @if short == due.headline { (short) } @else { span title=(due.headline) { (short) } }
    }
}

/// Where the rows of the development list go in a page built around them.
const ROWS: &str = "\u{0}rows\u{0}";
/// Where a dossier's status history goes.
const HISTORY: &str = "\u{0}history\u{0}";

/// Writes what one place of a page holds, straight to the output; returns
/// how many rows.
pub(crate) type Fill<'a> = dyn FnMut(&mut dyn Write) -> Result<usize> + 'a;
pub(crate) type Filler<'a> = &'a mut Fill<'a>;

/// Writes a page built with places (`ROWS`, `HISTORY`) for rows that are
/// written as they are read: the page up to the first place, what fills it,
/// and so on. Returns how many rows the last place took.
pub(crate) fn write_around(
    page: Markup,
    places: &mut [(&str, Filler<'_>)],
    out: &mut dyn Write,
) -> Result<usize> {
    let page = page.into_string();
    let mut rest = page.as_str();
    let mut count = 0;
    for (place, fill) in places.iter_mut() {
        let (head, tail) = rest
            .split_once(*place)
            .ok_or_else(|| Error::io("an html page lost the place of its rows"))?;
        out.write_all(head.as_bytes())?;
        count = fill(out)?;
        rest = tail;
    }
    out.write_all(rest.as_bytes())?;
    out.write_all(b"\n")?;
    Ok(count)
}

/// Writes each development as a row of the list.
fn development_rows(feed: &mut Feed<'_, Development>, out: &mut dyn Write) -> Result<usize> {
    let mut count = 0;
    feed(&mut |dev| {
        count += 1;
        out.write_all(development_row(dev).into_string().as_bytes())?;
        Ok(())
    })?;
    Ok(count)
}

/// `timeline --format html` (and `search`): the developments, drawn and
/// listed; read three times (survey, drawing, list). Returns how many.
pub fn timeline(
    title: &str,
    feed: &mut Feed<'_, Development>,
    out: &mut dyn Write,
) -> Result<usize> {
    let mut survey = Survey::default();
    feed(&mut |dev| {
        survey.add(dev);
        Ok(())
    })?;
    let drawing = svg::drawn(&survey, feed, None, None)?;
    let body = html! {
        h1 { (title) }
        p.meta { (survey.count()) " developments" }
        (drawing)
        (legend())
        h2 { "Developments" }
        (development_table())
    };
    write_around(
        page(title, body),
        &mut [(ROWS, &mut |out| development_rows(feed, out))],
        out,
    )
}

/// The list of developments, its rows to come where `ROWS` is.
fn development_table() -> Markup {
    html! {
        div.scroll {
            table {
                thead { tr { th { "Date" } th { "Id" } th { "Kind" } th { "Watch" } th { "Actors" } th { "Headline" } } }
                tbody { (PreEscaped(ROWS)) }
            }
        }
    }
}

fn development_row(dev: &Development) -> Markup {
    html! {
        tr {
            td.date {
                (dev.date.to_string())
                @if dev.scheduled { br; small { "scheduled" } }
            }
            td.id { code { (dev.id) } }
            td { (dev.kind) }
            td { @for (n, link) in dev.links.iter().enumerate() {
                @if n > 0 { ", " }
                (link.slug.as_str())
                @if let Some(to) = link.to { " → " (status_badge(to)) }
            } }
            td { (dev.actors.join(", ")) }
            td {
                (dev.headline)
                @if let Some(summary) = &dev.texts.summary { br; small { (summary) } }
                (sources(&dev.sources))
            }
        }
    }
}

/// `watch show --format html`: the question, its status history, every
/// development, drawn and listed (read three times).
pub fn dossier(
    item: &WatchItem,
    status: &StatusRow,
    history: &mut Feed<'_, Transition>,
    feed: &mut Feed<'_, Development>,
    out: &mut dyn Write,
) -> Result<()> {
    let lanes = vec![item.slug.to_string()];
    let drawing = svg::timeline(feed, Some(&lanes))?;
    let body = html! {
        h1 { (item.title) }
        @if let Some(description) = &item.description { p.question { (description) } }
        (dossier_meta(item, status))
        h2 { "Status history" }
        (PreEscaped(HISTORY))
        h2 { "Timeline" }
        (drawing)
        (legend())
        h2 { "Developments" }
        (development_table())
    };
    let mut history = |out: &mut dyn Write| history_table(history, out);
    let mut rows = |out: &mut dyn Write| development_rows(feed, out);
    let page = page(&format!("lookout: {}", item.slug), body);
    write_around(page, &mut [(HISTORY, &mut history), (ROWS, &mut rows)], out).map(|_| ())
}

/// A dossier's line under its question: slug, opened, status and counts.
fn dossier_meta(item: &WatchItem, status: &StatusRow) -> Markup {
    html! {
        p.meta {
            code { (item.slug.as_str()) } " · opened " (item.opened.to_string()) " · "
            (status_badge(status.status))
            (provisional(status))
            @if let Some(since) = &status.since { " since " (since) }
            " · " (counted(status.developments, "development"))
            " · " (counted(status.quiet_days.unsigned_abs(), "quiet day"))
            @if status.has_due() { " · " (due(status)) }
            @if status.stale { " · " span.stale { "stale" } }
        }
    }
}

/// Writes the status history as a table, each change as it is read: the
/// table's head comes with the first row, and without one the history says
/// so instead, so the history is read once.
fn history_table(history: &mut Feed<'_, Transition>, out: &mut dyn Write) -> Result<usize> {
    let table = html! {
        div.scroll { table {
            thead { tr { th { "Date" } th { "From" } th { "To" } th { "Development" } } }
            tbody { (PreEscaped(ROWS)) }
        } }
    }
    .into_string();
    let (head, tail) = table
        .split_once(ROWS)
        .ok_or_else(|| Error::io("an html table lost the place of its rows"))?;
    let mut count = 0;
    history(&mut |t| {
        if count == 0 {
            out.write_all(head.as_bytes())?;
        }
        count += 1;
        let row = html! { tr {
            td.date { (t.date.to_string()) }
            td { (status_badge(t.from)) }
            td { (status_badge(t.to)) }
            td { code { (t.id) } " " (t.headline)
                @if let Some(note) = t.order_note() { " " span.provisional { "(" (note) ")" } } }
        } };
        out.write_all(row.into_string().as_bytes())?;
        Ok(())
    })?;
    let end = if count == 0 {
        html! { p { "No development has set a status yet." } }.into_string()
    } else {
        tail.to_string()
    };
    out.write_all(end.as_bytes())?;
    Ok(count)
}
