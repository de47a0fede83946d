//! The SVG timeline of the html pages: a lane per watch item, a date axis,
//! and a mark per development spanning the days its date covers, coloured by
//! the status it set. An open start (`../2025-07`), which has no first day,
//! fades in from the left edge of the drawing up to its end; a scheduled
//! development, due and not done, is drawn hollow. Every piece of user text
//! goes through maud, which escapes it.

mod lanes;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use maud::{Markup, html};

use self::lanes::{Lane, MAX_LANE_MARKS, MAX_MARKS};
use super::Feed;
use super::axis::{day_number, label_places, ticks};
use crate::dates::{DevDate, Precision};
use crate::error::Result;
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

/// The drawing's fixed measures, in SVG units.
const WIDTH: f64 = 1000.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 26.0;
const ROW: f64 = 16.0;
const PAD: f64 = 6.0;

/// The label of the lane of developments linked to no watch item.
const UNLINKED: &str = "(no watch item)";

/// What a first pass over the developments learns: how many, the span of
/// their dates, and how many each lane would draw.
#[derive(Debug, Default)]
pub struct Survey {
    count: usize,
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
    open_start: bool,
    /// Developments linked to each watch item, by slug.
    linked: BTreeMap<String, usize>,
    unlinked: usize,
}

impl Survey {
    pub fn add(&mut self, dev: &Development) {
        self.count += 1;
        let (start, end) = (dev.date.start().unwrap_or(dev.date.end()), dev.date.end());
        self.earliest = Some(self.earliest.map_or(start, |e| e.min(start)));
        self.latest = Some(self.latest.map_or(end, |l| l.max(end)));
        self.open_start |= dev.date.is_open_start();
        for link in &dev.links {
            *self.linked.entry(link.slug.to_string()).or_default() += 1;
        }
        if dev.links.is_empty() {
            self.unlinked += 1;
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// Whether a development surveyed is linked to this watch item.
    pub fn links_to(&self, slug: &str) -> bool {
        self.linked.contains_key(slug)
    }
}

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
    fn of(survey: &Survey, window: Option<&Window>) -> Scale {
        let earliest = survey.earliest.unwrap_or(NaiveDate::MIN);
        let mut last = survey.latest.unwrap_or(NaiveDate::MAX);
        let mut first = earliest;
        if survey.open_start {
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

    /// Days from the first to the last, both counted.
    fn days(&self) -> i64 {
        day_number(self.last) - day_number(self.first) + 1
    }

    fn x(&self, day: NaiveDate) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        LEFT + (day_number(day) - day_number(self.first)) as f64 / self.span * plot
    }

    /// A development's mark: its left edge and width, at least 5 units; a
    /// day is centred on its slot, however narrow the slot. An open start
    /// runs from the start of the drawing.
    fn place(&self, date: &DevDate) -> (f64, f64) {
        let start = self.x(date.start().unwrap_or(self.first));
        let end = self.x(date.end() + chrono::Days::new(1));
        let width = (end - start).max(5.0);
        let left = if date.precision() == Precision::Day {
            start + (end - start - width) / 2.0
        } else {
            start
        };
        (left, width)
    }
}

/// A window of days a drawing marks: shaded from the day after `since` to
/// `until`, with a marker where it begins (`lookout changes`).
pub struct Window {
    pub since: NaiveDate,
    pub until: NaiveDate,
}

/// The drawing as it fills, in a second pass over the developments the
/// survey counted: a lane per watch item (and one for developments linked
/// to none), a mark per development in each lane it is linked to, spanning
/// its interval, coloured by the status that link sets. Marks that would
/// overlap take rows of their own; a lane with more than marks can show
/// apart draws counts instead (`lanes`). Tooltips (`title`) give date and
/// headline, or the counts.
pub struct Drawing<'w> {
    scale: Scale,
    lanes: Vec<Lane>,
    slugs: Vec<String>,
    unlinked: Option<usize>,
    window: Option<&'w Window>,
    count: usize,
}

impl<'w> Drawing<'w> {
    /// The lanes: the given slugs in their order, or every watch item the
    /// developments are linked to (sorted); then the unlinked. None when
    /// there is nothing to draw.
    pub fn new(
        survey: &Survey,
        lanes: Option<&[String]>,
        window: Option<&'w Window>,
    ) -> Option<Drawing<'w>> {
        if survey.count == 0 {
            return None;
        }
        let scale = Scale::of(survey, window);
        let slugs: Vec<String> = match lanes {
            Some(lanes) => lanes.to_vec(),
            None => survey.linked.keys().cloned().collect(),
        };
        let mut sizes: Vec<usize> = slugs
            .iter()
            .map(|slug| survey.linked.get(slug).copied().unwrap_or(0))
            .collect();
        sizes.push(survey.unlinked);
        let counts = counted_lanes(&sizes);
        let mut drawn: Vec<Lane> = slugs
            .iter()
            .zip(&counts)
            .map(|(slug, counts)| Lane::new(slug.clone(), *counts, &scale))
            .collect();
        let unlinked = (survey.unlinked > 0).then(|| {
            drawn.push(Lane::new(UNLINKED.to_string(), counts[slugs.len()], &scale));
            slugs.len()
        });
        Some(Drawing {
            scale,
            lanes: drawn,
            slugs,
            unlinked,
            window,
            count: survey.count,
        })
    }

    /// Adds a development to each lane it is linked to.
    pub fn add(&mut self, dev: &Development) {
        for (lane, slug) in self.lanes.iter_mut().zip(&self.slugs) {
            if let Some(link) = dev.links.iter().find(|l| l.slug.as_str() == slug) {
                lane.add(dev, link.to, &self.scale);
            }
        }
        if let Some(index) = self.unlinked
            && dev.links.is_empty()
        {
            self.lanes[index].add(dev, None, &self.scale);
        }
    }

    pub fn markup(&self) -> Markup {
        let scale = &self.scale;
        let mut tops = Vec::with_capacity(self.lanes.len());
        let mut bottom = TOP;
        for lane in &self.lanes {
            tops.push(bottom);
            bottom += lane.height();
        }
        // Room under the lanes for the window marker's label.
        let height = bottom + if self.window.is_some() { 22.0 } else { 6.0 };
        let view_box = format!("0 0 {WIDTH} {}", fmt(height));
        let described = format!(
            "Timeline of {} developments from {} to {}",
            self.count, scale.first, scale.last
        );
        let counts = self.lanes.iter().any(Lane::is_counts);
        html! {
            svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox=(view_box) role="img" aria-label=(described) {
                (fades(&self.lanes))
                @if let Some(window) = self.window { (window_shade(window, scale, bottom)) }
                (axis(scale, bottom))
                @for (lane, top) in self.lanes.iter().zip(&tops) {
                    (lane.markup(*top, scale))
                }
                @if let Some(window) = self.window { (window_marker(window, scale, bottom)) }
            }
            @if counts {
                p.meta {
                    "A lane with more developments than its marks can show apart is drawn as \
                     counts: a bar for each stretch of days, as tall as the number of its \
                     developments dated in it (one whose date is a month or a year counts in \
                     part in each stretch it covers). The tallest bar's count is under the \
                     lane's name; each bar's tooltip gives its counts and the statuses they set."
                }
            }
        }
    }
}

/// Which lanes (by how many developments each has) draw counts: those
/// with more than `MAX_LANE_MARKS`, and then, from the largest down, as
/// many as it takes to keep the drawing within `MAX_MARKS` marks.
fn counted_lanes(sizes: &[usize]) -> Vec<bool> {
    let mut counts: Vec<bool> = sizes.iter().map(|n| *n > MAX_LANE_MARKS).collect();
    let mut marks: usize = (0..sizes.len())
        .filter(|i| !counts[*i])
        .map(|i| sizes[i])
        .sum();
    let mut largest: Vec<usize> = (0..sizes.len()).filter(|i| !counts[*i]).collect();
    largest.sort_by_key(|i| std::cmp::Reverse(sizes[*i]));
    for index in largest {
        if marks <= MAX_MARKS {
            break;
        }
        counts[index] = true;
        marks -= sizes[index];
    }
    counts
}

/// The SVG timeline of a selection, read twice: once to survey it, once to
/// draw it. `lanes` as `Drawing::new` takes them.
pub fn timeline(feed: &mut Feed<'_, Development>, lanes: Option<&[String]>) -> Result<Markup> {
    drawing(feed, lanes, None)
}

fn drawing(
    feed: &mut Feed<'_, Development>,
    lanes: Option<&[String]>,
    window: Option<&Window>,
) -> Result<Markup> {
    let mut survey = Survey::default();
    feed(&mut |dev| {
        survey.add(dev);
        Ok(())
    })?;
    drawn(&survey, feed, lanes, window)
}

/// The drawing of a surveyed selection, which it reads once more.
pub fn drawn(
    survey: &Survey,
    feed: &mut Feed<'_, Development>,
    lanes: Option<&[String]>,
    window: Option<&Window>,
) -> Result<Markup> {
    let Some(mut drawing) = Drawing::new(survey, lanes, window) else {
        return Ok(html! { p.meta { "No developments to draw." } });
    };
    feed(&mut |dev| {
        drawing.add(dev);
        Ok(())
    })?;
    Ok(drawing.markup())
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
fn fades(lanes: &[Lane]) -> Markup {
    let mut used: Vec<Option<Status>> = lanes.iter().flat_map(Lane::fades).collect();
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

/// Coordinates to two decimals: enough for any screen, and stable text.
fn fmt(value: f64) -> String {
    format!("{value:.2}")
}

#[cfg(test)]
mod tests;
