//! The SVG timeline of the html pages: a lane per watch item, a date axis,
//! and a mark per development spanning the days its date covers, coloured by
//! the status it set. An open start (`../2025-07`), which has no first day,
//! fades in from the left edge of the drawing up to its end; a scheduled
//! development, due and not done, is drawn hollow. Every piece of user text
//! goes through maud, which escapes it.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::axis::{day_number, label_places, ticks};
use crate::dates::Precision;
use crate::model::{Development, Status};

/// The colour a status is drawn in (and the mark of a link that sets none).
pub fn colour(status: Option<Status>) -> &'static str {
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

/// The name of a status's colour, for gradient ids.
fn colour_name(status: Option<Status>) -> &'static str {
    status.map_or("none", Status::as_str)
}

/// The legend under a drawing: the statuses' colours, then what hollow and
/// fading marks mean.
pub fn legend() -> Markup {
    html! {
        p.legend {
            @for status in Status::ALL {
                span { i style={ "background:" (colour(Some(status))) } {} (status.as_str()) }
            }
            span { i style={ "background:" (colour(None)) } {} "no status set" }
            span { i.hollow {} "scheduled (due, not done)" }
            span { i.fading {} "some time up to its end (../date)" }
        }
    }
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
    /// that a single day is not the whole width. An open start has no first
    /// day: its end counts, and the drawing begins a little before anything
    /// else (an eighth of the span, at least a week), so that its mark fades
    /// in from further left than any date with a first day.
    fn of(devs: &[Development], window: Option<&Window>) -> Scale {
        let earliest = devs
            .iter()
            .map(|d| d.date.start().unwrap_or_else(|| d.date.end()))
            .min()
            .unwrap_or(NaiveDate::MIN);
        let mut last = devs
            .iter()
            .map(|d| d.date.end())
            .max()
            .unwrap_or(NaiveDate::MAX);
        let mut first = earliest;
        if devs.iter().any(|d| d.date.is_open_start()) {
            let lead = ((day_number(last) - day_number(earliest)) / 8).max(7);
            first = earliest
                .checked_sub_days(chrono::Days::new(lead.unsigned_abs()))
                .unwrap_or(earliest);
        }
        // A window is drawn whole, with a day before it for its marker.
        if let Some(window) = window {
            first = first.min(window.since);
            last = last.max(window.until);
        }
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
    /// day is centred on its slot, however narrow the slot. An open start
    /// runs from the start of the drawing.
    fn place(&self, dev: &Development) -> (f64, f64) {
        let start = self.x(dev.date.start().unwrap_or(self.first));
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

/// A window of days a drawing marks: shaded from the day after `since` to
/// `until`, with a marker where it begins (`lookout changes`).
pub struct Window {
    pub since: NaiveDate,
    pub until: NaiveDate,
}

/// The SVG timeline: a lane per watch item (and one for developments linked
/// to none), a mark per development in each lane it is linked to, spanning
/// its interval, coloured by the status that link sets. Marks that would
/// overlap take rows of their own. Tooltips (`title`) give date and headline.
pub fn timeline(devs: &[Development], lanes: &[String]) -> Markup {
    drawing(devs, lanes, None)
}

/// The same drawing over at least the window, which it shades and marks.
pub fn window_timeline(devs: &[Development], lanes: &[String], window: &Window) -> Markup {
    drawing(devs, lanes, Some(window))
}

fn drawing(devs: &[Development], lanes: &[String], window: Option<&Window>) -> Markup {
    if devs.is_empty() {
        return html! { p.meta { "No developments to draw." } };
    }
    let scale = Scale::of(devs, window);
    let drawn = lay_out(devs, lanes, &scale);
    let bottom = drawn.last().map_or(TOP, |lane| lane.top + lane.height);
    // Room under the lanes for the window marker's label.
    let height = bottom + if window.is_some() { 22.0 } else { 6.0 };
    let view_box = format!("0 0 {WIDTH} {}", fmt(height));
    let described = format!(
        "Timeline of {} developments from {} to {}",
        devs.len(),
        scale.first,
        scale.last
    );
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox=(view_box) role="img" aria-label=(described) {
            (fades(&drawn))
            @if let Some(window) = window { (window_shade(window, &scale, bottom)) }
            (axis(&scale, bottom))
            @for lane in &drawn {
                (lane_markup(lane))
            }
            @if let Some(window) = window { (window_marker(window, &scale, bottom)) }
        }
    }
}

/// The date axis: a grid line per tick, and its label wherever it fits
/// inside the drawing (`axis::label_places`).
fn axis(scale: &Scale, bottom: f64) -> Markup {
    let ticks = ticks(scale.first, scale.last);
    let places = label_places(
        ticks.iter().map(|t| (scale.x(t.day), t.label.as_str())),
        WIDTH,
    );
    html! {
        @for (tick, place) in ticks.iter().zip(places) {
            line.grid x1=(fmt(scale.x(tick.day))) x2=(fmt(scale.x(tick.day))) y1=(fmt(TOP - 6.0)) y2=(fmt(bottom + 2.0)) {}
            @if let Some(place) = place {
                text x=(fmt(place.x)) y=(fmt(TOP - 10.0)) text-anchor=[place.end.then_some("end")] { (tick.label) }
            }
        }
    }
}

/// The window's days, shaded behind the marks.
fn window_shade(window: &Window, scale: &Scale, bottom: f64) -> Markup {
    let start = scale.x(window.since + chrono::Days::new(1));
    let end = scale.x(window.until + chrono::Days::new(1));
    html! {
        rect.window x=(fmt(start)) y=(fmt(TOP - 6.0)) width=(fmt((end - start).max(1.0))) height=(fmt(bottom - TOP + 8.0)) {}
    }
}

/// A line where the window begins, labelled with the day before it, the
/// label kept inside the drawing.
fn window_marker(window: &Window, scale: &Scale, bottom: f64) -> Markup {
    let x = scale.x(window.since + chrono::Days::new(1));
    let label = format!("since {}", window.since);
    let place = label_places([(x, label.as_str())], WIDTH)
        .into_iter()
        .next()
        .flatten();
    html! {
        line.since x1=(fmt(x)) x2=(fmt(x)) y1=(fmt(TOP - 6.0)) y2=(fmt(bottom + 6.0)) {}
        @if let Some(place) = place {
            text.since x=(fmt(place.x)) y=(fmt(bottom + 17.0)) text-anchor=[place.end.then_some("end")] { (label) }
        }
    }
}

/// A left-to-right fade into each colour that an open start is drawn in.
fn fades(drawn: &[Lane<'_>]) -> Markup {
    let mut used: Vec<Option<Status>> = drawn
        .iter()
        .flat_map(|lane| &lane.marks)
        .filter(|mark| mark.dev.date.is_open_start())
        .map(|mark| mark.to)
        .collect();
    used.sort_by_key(|to| colour_name(*to));
    used.dedup();
    if used.is_empty() {
        return html! {};
    }
    html! {
        defs {
            @for to in used {
                linearGradient id={ "fade-" (colour_name(to)) } x1="0" x2="1" y1="0" y2="0" {
                    stop offset="0" stop-color=(colour(to)) stop-opacity="0" {}
                    stop offset="0.7" stop-color=(colour(to)) stop-opacity="1" {}
                }
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
            (mark_markup(mark, lane.top))
        }
    }
}

/// One development's mark: filled in its status's colour, faded in for an
/// open start, hollow (outlined in that colour) while scheduled.
fn mark_markup(mark: &Placed<'_>, top: f64) -> Markup {
    let date = &mark.dev.date;
    let uncertain = date.is_uncertain() || date.is_approximate();
    let open_start = date.is_open_start();
    let scheduled = mark.dev.scheduled;
    let fill = match (scheduled, open_start) {
        (true, _) => "none".to_string(),
        (false, true) => format!("url(#fade-{})", colour_name(mark.to)),
        (false, false) => colour(mark.to).to_string(),
    };
    html! {
        rect.mark.uncertain[uncertain].open-start[open_start].scheduled[scheduled]
            data-id=(mark.dev.id.as_str())
            data-status=(mark.to.map(Status::as_str).unwrap_or("none"))
            x=(fmt(mark.x)) y=(fmt(top + PAD + mark.row as f64 * ROW + 2.0))
            width=(fmt(mark.width)) height=(fmt(ROW - 4.0))
            rx=(if date.precision() == Precision::Day { "2.5" } else { "1" })
            fill=(fill)
            stroke=[scheduled.then(|| colour(mark.to))] {
            title {
                (date.to_string())
                @if scheduled { " (scheduled)" }
                " · " (mark.dev.headline)
            }
        }
    }
}

/// Coordinates to two decimals: enough for any screen, and stable text.
fn fmt(value: f64) -> String {
    format!("{value:.2}")
}
