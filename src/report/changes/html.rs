//! `changes --format html`: the note as one page that stands alone (inline
//! CSS with a print style, no script, nothing from the network): the SVG
//! timeline of the window with a marker where it begins, then the sections
//! of the text form, each item's question under its title and sources as
//! links. Every piece of user text goes through maud, which escapes it.

use std::cell::RefCell;
use std::io::Write;

use maud::{Markup, PreEscaped, html};

use super::text::{corrections_heading, heading, horizon, quiet_line};
use super::{
    ArrivalFeed, ChangesReport, ItemChanges, Lists, date_allows, linked, timeline_order,
    with_order_notes,
};
use crate::error::Result;
use crate::model::{Development, Status};
use crate::report::Feed;
use crate::report::html::{Fill, Filler, page, provisional, sources, status_badge, write_around};
use crate::report::svg::{self, Survey, Window, legend};

/// Where an item's new developments go, and the late news, in the page
/// built around them (`html::write_around`).
fn arrivals_place(n: usize) -> String {
    format!("\u{0}arrivals {n}\u{0}")
}
const LATE: &str = "\u{0}late\u{0}";
const MOVED: &str = "\u{0}moved\u{0}";

/// The page: built with places for the lists, which are written into it as
/// they are read.
pub fn write_page(
    report: &ChangesReport,
    lists: &mut Lists<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let moved: Vec<&ItemChanges> = report.items.iter().filter(|i| i.moved()).collect();
    let arrived: Vec<&ItemChanges> = report.items.iter().filter(|i| i.arrived > 0).collect();
    let drawing = drawing(report, lists)?;
    let body = body(report, drawing, &moved, &arrived);
    let places: Vec<String> = (0..arrived.len()).map(arrivals_place).collect();
    let Lists { arrivals, late, .. } = lists;
    // Each item's list reads the one arrivals feed, item after item.
    let arrivals = RefCell::new(arrivals);
    let mut fillers: Vec<Box<Fill<'_>>> = arrived
        .iter()
        .map(|item| arrival_rows(item.slug(), report.since, &arrivals))
        .collect();
    let mut late_rows = |out: &mut dyn Write| late_rows(late.as_mut(), out);
    let mut moved_rows = |out: &mut dyn Write| {
        for item in &moved {
            out.write_all(moved_row(item).into_string().as_bytes())?;
        }
        Ok(moved.len())
    };
    let mut filled: Vec<(&str, Filler<'_>)> = Vec::new();
    if !moved.is_empty() {
        filled.push((MOVED, &mut moved_rows));
    }
    filled.extend(
        places
            .iter()
            .map(String::as_str)
            .zip(fillers.iter_mut().map(|f| f.as_mut() as Filler<'_>)),
    );
    if report.late > 0 {
        filled.push((LATE, &mut late_rows));
    }
    write_around(page(&heading(report), body), &mut filled, out).map(|_| ())
}

/// The page's body, with places for the moved table's rows, each item's new
/// developments and the late news.
fn body(
    report: &ChangesReport,
    drawing: Markup,
    moved: &[&ItemChanges],
    arrived: &[&ItemChanges],
) -> Markup {
    let stale: Vec<&ItemChanges> = report.items.iter().filter(|i| i.became_stale).collect();
    html! {
        h1 { (heading(report)) }
        p.meta {
            (report.items.len()) " watch items · a development counts from the day it had certainly happened · stale after "
            (report.stale_after) " quiet days"
        }
        (drawing)
        @if !moved.is_empty() {
            h2 { "Moved" }
            (moved_table())
        }
        @if !report.corrections.is_empty() {
            h2 { (corrections_heading(report)) }
            ul { @for correction in &report.corrections { li { (correction.line()) } } }
        }
        @if !arrived.is_empty() {
            h2 { "New developments" }
            @for (n, item) in arrived.iter().enumerate() {
                h3 { (item.after.title) " " code { (item.slug()) } }
                @if let Some(question) = &item.after.description { p.question { (question) } }
                ul.devs { (PreEscaped(arrivals_place(n))) }
            }
        }
        @if report.late > 0 {
            h2 { "Learnt late" }
            p.meta { "Recorded after " (report.since) " about what had happened by then." }
            ul.devs { (PreEscaped(LATE)) }
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
    }
}

/// Writes an item's new developments as list entries, from the shared feed.
fn arrival_rows<'a>(
    slug: &'a str,
    since: chrono::NaiveDate,
    arrivals: &'a RefCell<&mut Box<ArrivalFeed<'_>>>,
) -> Box<Fill<'a>> {
    Box::new(move |out: &mut dyn Write| {
        let mut count = 0;
        (arrivals.borrow_mut())(slug, &mut |a| {
            count += 1;
            let allows = date_allows(&a.dev.date, since);
            out.write_all(development(&a.dev, a.to, allows).into_string().as_bytes())?;
            Ok(())
        })?;
        Ok(count)
    })
}

/// Writes the late news as list entries.
fn late_rows(late: &mut Feed<'_, Development>, out: &mut dyn Write) -> Result<usize> {
    let mut count = 0;
    late(&mut |dev| {
        count += 1;
        let note = format!("{}; recorded {}", linked(dev), dev.recorded_at.day());
        out.write_all(development(dev, None, Some(note)).into_string().as_bytes())?;
        Ok(())
    })?;
    Ok(count)
}

/// The window drawn: what came to count in it and what is due, a lane per
/// item that has any, the window shaded and its start marked. Read twice
/// (survey, drawing).
fn drawing(report: &ChangesReport, lists: &mut Lists<'_>) -> Result<Markup> {
    // What came to count, and what is due, merged in timeline order.
    let upcoming = &report.upcoming;
    let arrived = lists.arrived.as_mut();
    let mut devs = |sink: &mut dyn FnMut(&Development) -> Result<()>| {
        let mut next = 0;
        arrived(&mut |dev| {
            while next < upcoming.len() && timeline_order(&upcoming[next], dev).is_lt() {
                sink(&upcoming[next])?;
                next += 1;
            }
            sink(dev)
        })?;
        upcoming[next..].iter().try_for_each(&mut *sink)
    };
    let mut survey = Survey::default();
    devs(&mut |dev| {
        survey.add(dev);
        Ok(())
    })?;
    if survey.count() == 0 {
        return Ok(html! { p.meta { "Nothing came to count in the window, and nothing is due." } });
    }
    let lanes: Vec<String> = report
        .items
        .iter()
        .filter(|i| survey.links_to(i.slug()))
        .map(|i| i.slug().to_string())
        .collect();
    let window = Window {
        since: report.since,
        until: report.until,
    };
    let drawn = svg::drawn(&survey, &mut devs, Some(&lanes), Some(&window))?;
    Ok(html! {
        (drawn)
        (legend())
    })
}

/// The table of items that moved, its rows to come at `MOVED` (a window
/// of years may hold a hundred thousand changes).
fn moved_table() -> Markup {
    html! {
        div.scroll { table {
            thead { tr { th { "Item" } th { "Before" } th { "After" } th { "Changes" } } }
            tbody { (PreEscaped(MOVED)) }
        } }
    }
}

fn moved_row(item: &ItemChanges) -> Markup {
    html! {
        tr {
            td { code { (item.slug()) } br; (item.after.title) }
            td { (status_badge(item.before.status)) }
            td { (status_badge(item.after.status)) (provisional(&item.after)) }
            td { @for (n, (change, order)) in with_order_notes(&item.transitions).enumerate() {
                @if n > 0 { br; }
                (change.from.as_str()) " → " (change.to.as_str()) " on "
                span.date { (change.date) } " " code { (change.id) }
                @if let Some(order) = order { " " span.provisional { "(" (order) ")" } }
            } }
        }
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
