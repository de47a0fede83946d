//! The `html` format: one self-contained page (inline CSS and SVG, nothing
//! fetched from the network, no script) with the report as a table and an SVG
//! timeline — a lane per watch item, a date axis, and a mark per development
//! spanning the days its date covers, coloured by the status it set. Every
//! piece of user text goes through maud, which escapes it.

use std::io::Write;

use chrono::{Datelike, Months, NaiveDate};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::status::{StatusReport, Transition};
use crate::dates::Precision;
use crate::error::Result;
use crate::model::{Development, Status, WatchItem};

const CSS: &str = r#"
:root { --fg: #1d2330; --muted: #5b6270; --line: #d9dde4; --bg: #ffffff; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
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
.legend span { display: inline-flex; align-items: center; margin-right: 1rem; font-size: .85rem; }
.legend i { width: .8rem; height: .8rem; border-radius: .2rem; margin-right: .3rem; display: inline-block; }
@media (max-width: 40rem) { body { padding: .75rem; } th, td { padding: .3rem; } }
@media print { body { max-width: none; padding: 0; } .scroll { overflow: visible; }
               svg.timeline { page-break-inside: avoid; } a { color: inherit; } }
"#;

/// The colour a status is drawn in (and the mark of a link that sets none).
fn colour(status: Option<Status>) -> &'static str {
    match status {
        None => "#b8bcc4",
        Some(Status::Open) => "#8a8f98",
        Some(Status::Emerging) => "#1f9bd1",
        Some(Status::Developing) => "#2a5fdb",
        Some(Status::Stalled) => "#d99100",
        Some(Status::Realised) => "#2e9e44",
        Some(Status::Dropped) => "#5b6270",
    }
}

fn status_badge(status: Status) -> Markup {
    html! { span.status style={ "background:" (colour(Some(status))) } { (status.as_str()) } }
}

fn page(title: &str, body: Markup) -> Markup {
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

fn write(markup: Markup, out: &mut dyn Write) -> Result<()> {
    out.write_all(markup.into_string().as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

fn legend() -> Markup {
    html! {
        p.legend {
            @for status in Status::ALL {
                span { i style={ "background:" (colour(Some(status))) } {} (status.as_str()) }
            }
            span { i style={ "background:" (colour(None)) } {} "no status set" }
        }
    }
}

/// `status --format html`: the report, and the timeline of what it counted.
pub fn status(report: &StatusReport, devs: &[Development], out: &mut dyn Write) -> Result<()> {
    let lanes: Vec<String> = report.items.iter().map(|i| i.slug.clone()).collect();
    let body = html! {
        h1 { "Status as of " (report.as_of) }
        p.meta { (report.items.len()) " watch items · stale after " (report.stale_after) " quiet days" }
        div.scroll {
            table {
                thead { tr {
                    th { "Item" } th { "Status" } th { "Since" } th { "Developments" } th { "Last" }
                    th { "Quiet days" } th { "Title" } th { "Latest" }
                } }
                tbody {
                    @for item in &report.items {
                        tr {
                            td { code { (item.slug) } }
                            td {
                                (status_badge(item.status))
                                @if item.stale { " " span.stale { "stale" } }
                            }
                            td.date { (item.since.as_deref().unwrap_or("–")) }
                            td.num { (item.developments) }
                            td.date { (item.last_date.as_deref().unwrap_or("–")) }
                            td.num { (item.quiet_days) }
                            td { (item.title) }
                            td { (item.last_headline.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            }
        }
        h2 { "Timeline" }
        (svg_timeline(devs, &lanes))
        (legend())
    };
    write(
        page(&format!("lookout status as of {}", report.as_of), body),
        out,
    )
}

/// `timeline --format html` (and `search`): the developments, drawn and listed.
pub fn timeline(title: &str, devs: &[Development], out: &mut dyn Write) -> Result<()> {
    let mut lanes: Vec<String> = devs
        .iter()
        .flat_map(|d| d.links.iter().map(|l| l.slug.to_string()))
        .collect();
    lanes.sort();
    lanes.dedup();
    let body = html! {
        h1 { (title) }
        p.meta { (devs.len()) " developments" }
        (svg_timeline(devs, &lanes))
        (legend())
        h2 { "Developments" }
        (development_table(devs))
    };
    write(page(title, body), out)
}

fn development_table(devs: &[Development]) -> Markup {
    html! {
        div.scroll {
            table {
                thead { tr { th { "Date" } th { "Id" } th { "Kind" } th { "Watch" } th { "Actors" } th { "Headline" } } }
                tbody {
                    @for dev in devs {
                        tr {
                            td.date { (dev.date.to_string()) }
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
                                @if let Some(summary) = &dev.summary { br; small { (summary) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `watch show --format html`: the question, its status history, every development.
pub fn dossier(
    item: &WatchItem,
    status: &super::status::StatusRow,
    history: &[Transition],
    devs: &[Development],
    out: &mut dyn Write,
) -> Result<()> {
    let lanes = vec![item.slug.to_string()];
    let body = html! {
        h1 { (item.title) }
        p.meta {
            code { (item.slug.as_str()) } " · opened " (item.opened.to_string()) " · "
            (status_badge(status.status))
            @if let Some(since) = &status.since { " since " (since) }
            " · " (status.developments) " developments · " (status.quiet_days) " quiet days"
            @if status.stale { " · " span.stale { "stale" } }
        }
        @if let Some(description) = &item.description { p { (description) } }
        h2 { "Status history" }
        @if history.is_empty() {
            p { "No development has set a status yet." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Date" } th { "From" } th { "To" } th { "Development" } } }
                tbody { @for t in history { tr {
                    td.date { (t.date.to_string()) }
                    td { (status_badge(t.from)) }
                    td { (status_badge(t.to)) }
                    td { code { (t.id) } " " (t.headline) }
                } } }
            } }
        }
        h2 { "Timeline" }
        (svg_timeline(devs, &lanes))
        (legend())
        h2 { "Developments" }
        (development_table(devs))
    };
    write(page(&format!("lookout: {}", item.slug), body), out)
}

/// Days since the common era, for arithmetic on dates.
fn day_number(day: NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce())
}

/// A tick on the date axis: where, and its label.
struct Tick {
    day: NaiveDate,
    label: String,
}

/// At most this many ticks on the axis.
const MAX_TICKS: i64 = 12;

/// Ticks for the span `first..=last`: the finest step that gives at most a
/// dozen, from days to centuries.
fn ticks(first: NaiveDate, last: NaiveDate) -> Vec<Tick> {
    let span = day_number(last) - day_number(first) + 1;
    day_ticks(first, last, span)
        .or_else(|| month_ticks(first, last, span))
        .unwrap_or_else(|| year_ticks(first, last))
}

/// Every day, every other day, weeks or fortnights (from a Monday).
fn day_ticks(first: NaiveDate, last: NaiveDate, span: i64) -> Option<Vec<Tick>> {
    let step = [1i64, 2, 7, 14]
        .into_iter()
        .find(|step| span / step <= MAX_TICKS)?;
    let same_year = first.year() == last.year();
    let mut day = first;
    if step >= 7 {
        while day.weekday() != chrono::Weekday::Mon {
            day = day.succ_opt().unwrap_or(day);
        }
    }
    let mut out = Vec::new();
    while day <= last {
        let label = if same_year {
            day.format("%m-%d").to_string()
        } else {
            day.format("%Y-%m-%d").to_string()
        };
        out.push(Tick { day, label });
        day = day + chrono::Days::new(step as u64);
    }
    Some(out)
}

/// Months, by one, two, three or six, on months that divide the year evenly.
fn month_ticks(first: NaiveDate, last: NaiveDate, span: i64) -> Option<Vec<Tick>> {
    let months = [1u32, 2, 3, 6]
        .into_iter()
        .find(|months| (span / 30) / i64::from(*months) <= MAX_TICKS)?;
    let mut day = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    while !(day.month() - 1).is_multiple_of(months) {
        day = day + Months::new(1);
    }
    if day < first {
        day = day + Months::new(months);
    }
    let mut out = Vec::new();
    while day <= last {
        out.push(Tick {
            day,
            label: day.format("%Y-%m").to_string(),
        });
        day = day + Months::new(months);
    }
    Some(out)
}

/// Years, by a round step: 1, 2, 5, 10, 20, 50, … 1000.
fn year_ticks(first: NaiveDate, last: NaiveDate) -> Vec<Tick> {
    let years = (last.year() - first.year() + 1).max(1);
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| i64::from(years / s) < MAX_TICKS)
        .unwrap_or(1000);
    let mut year = first.year() + (step - first.year().rem_euclid(step)) % step;
    if NaiveDate::from_ymd_opt(year, 1, 1).is_some_and(|d| d < first) {
        year += step;
    }
    let mut out = Vec::new();
    while let Some(day) = NaiveDate::from_ymd_opt(year, 1, 1) {
        if day > last {
            break;
        }
        out.push(Tick {
            day,
            label: year.to_string(),
        });
        year += step;
    }
    out
}

/// A lane's developments, each with the status its link to the lane sets.
type LaneMarks<'a> = Vec<(&'a Development, Option<Status>)>;

/// A mark placed on the drawing: its development, the status its link sets,
/// where it runs, and the row of its lane it sits in.
struct Placed<'a> {
    dev: &'a Development,
    to: Option<Status>,
    x: f64,
    width: f64,
    row: usize,
}

/// Puts each mark in the first row of its lane where it overlaps no other,
/// so that a year-long mark does not hide the days within it.
fn pack<'a>(marks: Vec<(&'a Development, Option<Status>, f64, f64)>) -> (Vec<Placed<'a>>, usize) {
    let mut row_ends: Vec<f64> = Vec::new();
    let mut placed = Vec::with_capacity(marks.len());
    for (dev, to, x, width) in marks {
        let row = match row_ends.iter().position(|end| *end + 2.0 <= x) {
            Some(row) => row,
            None => {
                row_ends.push(f64::MIN);
                row_ends.len() - 1
            }
        };
        row_ends[row] = x + width;
        placed.push(Placed {
            dev,
            to,
            x,
            width,
            row,
        });
    }
    (placed, row_ends.len().max(1))
}

/// The drawing's fixed measures, in SVG units.
const WIDTH: f64 = 1000.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 26.0;
const ROW: f64 = 16.0;
const PAD: f64 = 6.0;

/// Where days fall on the drawing: `first..=last` across the plot.
struct Scale {
    first: NaiveDate,
    last: NaiveDate,
    span: f64,
}

impl Scale {
    /// The span of the developments' intervals, at least a fortnight so
    /// that a single day is not the whole width.
    fn of(devs: &[Development]) -> Scale {
        let first = devs
            .iter()
            .map(|d| d.date.start())
            .min()
            .unwrap_or(NaiveDate::MIN);
        let mut last = devs
            .iter()
            .map(|d| d.date.end())
            .max()
            .unwrap_or(NaiveDate::MAX);
        if day_number(last) - day_number(first) < 13 {
            last = first + chrono::Days::new(13);
        }
        let span = (day_number(last) - day_number(first) + 1) as f64;
        Scale { first, last, span }
    }

    fn x(&self, day: NaiveDate) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        LEFT + (day_number(day) - day_number(self.first)) as f64 / self.span * plot
    }

    /// A development's mark: its left edge and width, at least 5 units; a
    /// day is centred on its slot, however narrow the slot.
    fn place(&self, dev: &Development) -> (f64, f64) {
        let start = self.x(dev.date.start());
        let end = self.x(dev.date.end() + chrono::Days::new(1));
        let width = (end - start).max(5.0);
        let left = if dev.date.precision() == Precision::Day {
            start + (end - start - width) / 2.0
        } else {
            start
        };
        (left, width)
    }
}

/// A lane as drawn: its label, top, height and marks.
struct Lane<'a> {
    label: String,
    top: f64,
    height: f64,
    marks: Vec<Placed<'a>>,
}

/// Each lane's developments, with the status their link to it sets; and a
/// lane for developments linked to none.
fn lane_marks<'a>(devs: &'a [Development], lanes: &[String]) -> Vec<(String, LaneMarks<'a>)> {
    let mut out: Vec<(String, LaneMarks<'a>)> = lanes
        .iter()
        .map(|slug| {
            let marks = devs
                .iter()
                .filter_map(|d| {
                    d.links
                        .iter()
                        .find(|l| l.slug.as_str() == slug)
                        .map(|l| (d, l.to))
                })
                .collect();
            (slug.clone(), marks)
        })
        .collect();
    if devs.iter().any(|d| d.links.is_empty()) {
        let marks = devs
            .iter()
            .filter(|d| d.links.is_empty())
            .map(|d| (d, None))
            .collect();
        out.push(("(no watch item)".to_string(), marks));
    }
    out
}

/// Packs each lane's marks into rows and stacks the lanes.
fn lay_out<'a>(devs: &'a [Development], lanes: &[String], scale: &Scale) -> Vec<Lane<'a>> {
    let mut top = TOP;
    let mut out = Vec::new();
    for (label, marks) in lane_marks(devs, lanes) {
        let (marks, rows) = pack(
            marks
                .into_iter()
                .map(|(dev, to)| {
                    let (left, width) = scale.place(dev);
                    (dev, to, left, width)
                })
                .collect(),
        );
        let height = rows as f64 * ROW + 2.0 * PAD;
        out.push(Lane {
            label,
            top,
            height,
            marks,
        });
        top += height;
    }
    out
}

/// The SVG timeline: a lane per watch item (and one for developments linked
/// to none), a mark per development in each lane it is linked to, spanning
/// its interval, coloured by the status that link sets. Marks that would
/// overlap take rows of their own. Tooltips (`title`) give date and headline.
fn svg_timeline(devs: &[Development], lanes: &[String]) -> Markup {
    if devs.is_empty() {
        return html! { p.meta { "No developments to draw." } };
    }
    let scale = Scale::of(devs);
    let drawn = lay_out(devs, lanes, &scale);
    let height = drawn.last().map_or(TOP, |lane| lane.top + lane.height) + 6.0;
    let view_box = format!("0 0 {WIDTH} {}", fmt(height));
    let described = format!(
        "Timeline of {} developments from {} to {}",
        devs.len(),
        scale.first,
        scale.last
    );
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox=(view_box) role="img" aria-label=(described) {
            @for tick in ticks(scale.first, scale.last) {
                line.grid x1=(fmt(scale.x(tick.day))) x2=(fmt(scale.x(tick.day))) y1=(fmt(TOP - 6.0)) y2=(fmt(height - 4.0)) {}
                text x=(fmt(scale.x(tick.day) + 2.0)) y=(fmt(TOP - 10.0)) { (tick.label) }
            }
            @for lane in &drawn {
                (lane_markup(lane))
            }
        }
    }
}

fn lane_markup(lane: &Lane<'_>) -> Markup {
    let bottom = lane.top + lane.height;
    html! {
        line.grid x1="0" x2=(fmt(WIDTH)) y1=(fmt(bottom)) y2=(fmt(bottom)) {}
        text.lane-label x="4" y=(fmt(lane.top + PAD + ROW / 2.0 + 4.0)) { (lane.label) }
        @for mark in &lane.marks {
            @let uncertain = mark.dev.date.is_uncertain() || mark.dev.date.is_approximate();
            rect.mark.uncertain[uncertain]
                data-id=(mark.dev.id.as_str())
                data-status=(mark.to.map(Status::as_str).unwrap_or("none"))
                x=(fmt(mark.x)) y=(fmt(lane.top + PAD + mark.row as f64 * ROW + 2.0))
                width=(fmt(mark.width)) height=(fmt(ROW - 4.0))
                rx=(if mark.dev.date.precision() == Precision::Day { "2.5" } else { "1" })
                fill=(colour(mark.to)) {
                title { (mark.dev.date.to_string()) " · " (mark.dev.headline) }
            }
        }
    }
}

/// Coordinates to two decimals: enough for any screen, and stable text.
fn fmt(value: f64) -> String {
    format!("{value:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn labels(first: &str, last: &str) -> Vec<String> {
        ticks(day(first), day(last))
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn ticks_suit_any_span() {
        assert_eq!(labels("2025-07-20", "2025-07-27").len(), 8);
        assert_eq!(
            labels("2025-07-01", "2025-07-31")
                .first()
                .map(String::as_str),
            Some("07-07")
        );
        assert_eq!(
            labels("2025-01-01", "2025-12-31"),
            [
                "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07",
                "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"
            ]
        );
        assert_eq!(
            labels("2015-03-01", "2025-12-31")
                .first()
                .map(String::as_str),
            Some("2016")
        );
        assert!(labels("1900-01-01", "2025-12-31").len() <= 12);
        for (first, last) in [
            ("2025-07-26", "2025-08-08"),
            ("2024-02-01", "2025-07-31"),
            ("0001-01-01", "9999-12-31"),
        ] {
            let ticks = ticks(day(first), day(last));
            assert!(
                !ticks.is_empty() && ticks.len() <= 13,
                "{first}..{last}: {}",
                ticks.len()
            );
        }
    }
}
