//! `changes --format html`: the note as one page that stands alone (inline
//! CSS with a print style, no script, nothing from the network): the SVG
//! timeline of the window with a marker where it begins, then the sections
//! of the text form, each item's question under its title and sources as
//! links. Every piece of user text goes through maud, which escapes it.

use std::io::Write;

use maud::{Markup, html};

use super::text::{heading, horizon, quiet_line};
use super::{ChangesReport, ItemChanges, linked};
use crate::error::Result;
use crate::model::{Development, Status};
use crate::report::held;
use crate::report::html::{page, provisional, sources, status_badge, write};
use crate::report::svg::{self, Window, legend};

pub fn write_page(report: &ChangesReport, out: &mut dyn Write) -> Result<()> {
    let moved: Vec<&ItemChanges> = report.items.iter().filter(|i| i.moved()).collect();
    let arrived: Vec<&ItemChanges> = report
        .items
        .iter()
        .filter(|i| !i.arrivals.is_empty())
        .collect();
    let stale: Vec<&ItemChanges> = report.items.iter().filter(|i| i.became_stale).collect();
    let drawing = drawing(report)?;
    let body = html! {
        h1 { (heading(report)) }
        p.meta {
            (report.items.len()) " watch items · a development counts from the day it had certainly happened · stale after "
            (report.stale_after) " quiet days"
        }
        (drawing)
        @if !moved.is_empty() {
            h2 { "Moved" }
            (moved_table(&moved))
        }
        @if !arrived.is_empty() {
            h2 { "New developments" }
            @for item in &arrived {
                h3 { (item.after.title) " " code { (item.slug()) } }
                @if let Some(question) = &item.after.description { p.question { (question) } }
                ul.devs { @for (dev, to) in &item.arrivals { (development(dev, *to, None)) } }
            }
        }
        @if !report.late.is_empty() {
            h2 { "Learnt late" }
            p.meta { "Recorded after " (report.since) " about what had happened by then." }
            ul.devs { @for dev in &report.late {
                (development(dev, None, Some(format!("{}; recorded {}", linked(dev), dev.recorded_at.day()))))
            } }
        }
        @if !stale.is_empty() {
            h2 { "Went stale" }
            p.meta { "More than " (report.stale_after) " quiet days." }
            ul { @for item in &stale {
                li { code { (item.slug()) } " " (item.after.title) ": " (status_badge(item.after.status))
                     " quiet for " (item.after.quiet_days) " days" }
            } }
        }
        (due(report))
        @if let Some(line) = quiet_line(report) { p.meta { (line) } }
    };
    write(page(&heading(report), body), out)
}

/// The window drawn: what came to count in it and what is due, a lane per
/// item that has any, the window shaded and its start marked.
fn drawing(report: &ChangesReport) -> Result<Markup> {
    let mut devs: Vec<Development> = Vec::new();
    for (dev, _) in report.items.iter().flat_map(|i| &i.arrivals) {
        if !devs.iter().any(|d| d.id == dev.id) {
            devs.push(dev.clone());
        }
    }
    devs.extend(report.upcoming.iter().cloned());
    devs.sort_by(|a, b| {
        a.date
            .timeline_cmp(&b.date)
            .then(a.recorded_at.cmp(&b.recorded_at))
            .then(a.id.cmp(&b.id))
    });
    let lanes: Vec<String> = report
        .items
        .iter()
        .filter(|i| {
            devs.iter()
                .any(|d| d.links.iter().any(|l| l.slug.as_str() == i.slug()))
        })
        .map(|i| i.slug().to_string())
        .collect();
    let window = Window {
        since: report.since,
        until: report.until,
    };
    if devs.is_empty() {
        return Ok(html! { p.meta { "Nothing came to count in the window, and nothing is due." } });
    }
    let drawn = svg::window_timeline(held(&devs).as_mut(), &lanes, &window)?;
    Ok(html! {
        (drawn)
        (legend())
    })
}

fn moved_table(moved: &[&ItemChanges]) -> Markup {
    html! {
        div.scroll { table {
            thead { tr { th { "Item" } th { "Before" } th { "After" } th { "Changes" } } }
            tbody { @for item in moved { tr {
                td { code { (item.slug()) } br; (item.after.title) }
                td { (status_badge(item.before.status)) }
                td { (status_badge(item.after.status)) (provisional(&item.after)) }
                td { @for (n, change) in item.transitions.iter().enumerate() {
                    @if n > 0 { br; }
                    (change.from.as_str()) " → " (change.to.as_str()) " on "
                    span.date { (change.date) } " " code { (change.id) }
                } }
            } } }
        } }
    }
}

/// A development in a list: date, id, headline, the status its link sets,
/// a note, its sources.
fn development(dev: &Development, to: Option<Status>, note: Option<String>) -> Markup {
    html! {
        li {
            span.date { (dev.date.to_string()) } " " code { (dev.id) } " " (dev.headline)
            @if let Some(to) = to { " → " (status_badge(to)) }
            @if let Some(note) = note { " " span.provisional { "(" (note) ")" } }
            (sources(&dev.sources))
        }
    }
}

fn due(report: &ChangesReport) -> Markup {
    html! {
        @if !report.upcoming.is_empty() {
            h2 { "Due by " (horizon(report)) }
            p.meta { "Scheduled within the next " (report.ahead) " days, or under way." }
            ul.devs { @for dev in &report.upcoming { (development(dev, None, Some(linked(dev)))) } }
        }
        @if !report.overdue.is_empty() {
            h2 { "Overdue" }
            p.meta { "Due by " (report.until) ", not recorded as having happened." }
            ul.devs { @for dev in &report.overdue { (development(dev, None, Some(linked(dev)))) } }
        }
    }
}
