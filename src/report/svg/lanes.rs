//! A lane of the drawing as it fills: its marks, packed into rows, or —
//! where marks would be too many to tell apart — a band of counts, a bar
//! per stretch of days as tall as the number of developments dated in it.

use chrono::{Days, NaiveDate};
use maud::{Markup, html};

use super::{PAD, ROW, Scale, WIDTH, colour, colour_name, fmt};
use crate::dates::{DevDate, Precision};
use crate::model::{Development, Status};

/// A lane draws its developments one by one up to this many.
pub(super) const MAX_LANE_MARKS: usize = 1_000;
/// A drawing draws at most this many marks; the lanes with most
/// developments become counts first.
pub(super) const MAX_MARKS: usize = 5_000;
/// Marks that need more rows than this overlap beyond reading: the lane
/// becomes counts.
pub(super) const MAX_ROWS: usize = 24;
/// Stretches of days a band of counts is divided into.
const BINS: i64 = 100;
/// A band's height, in rows.
const BAND_ROWS: f64 = 3.0;

/// What a mark shows of its development.
pub(super) struct Mark {
    pub id: String,
    pub date: DevDate,
    pub headline: String,
    pub scheduled: bool,
    pub to: Option<Status>,
    pub x: f64,
    pub width: f64,
    pub row: usize,
}

/// A lane's content.
pub(super) enum Content {
    /// Marks, packed in rows: each in the first row where it overlaps no
    /// other, so that a year-long mark does not hide the days within it.
    Marks {
        marks: Vec<Mark>,
        row_ends: Vec<f64>,
    },
    Counts(Band),
}

/// A lane: its label and content.
pub(super) struct Lane {
    pub label: String,
    pub content: Content,
}

impl Lane {
    /// A lane that draws marks, or counts from the start when it has too many.
    pub(super) fn new(label: String, counts: bool, scale: &Scale) -> Lane {
        let content = if counts {
            Content::Counts(Band::new(scale))
        } else {
            Content::Marks {
                marks: Vec::new(),
                row_ends: Vec::new(),
            }
        };
        Lane { label, content }
    }

    /// Adds a development, with the status its link to this lane sets.
    pub(super) fn add(&mut self, dev: &Development, to: Option<Status>, scale: &Scale) {
        match &mut self.content {
            Content::Counts(band) => band.add(&dev.date, dev.scheduled, to),
            Content::Marks { marks, row_ends } => {
                let (x, width) = scale.place(&dev.date);
                let row = match row_ends.iter().position(|end| *end + 2.0 <= x) {
                    Some(row) => row,
                    None => {
                        row_ends.push(f64::MIN);
                        row_ends.len() - 1
                    }
                };
                row_ends[row] = x + width;
                marks.push(Mark {
                    id: dev.id.to_string(),
                    date: dev.date,
                    headline: dev.headline.clone(),
                    scheduled: dev.scheduled,
                    to,
                    x,
                    width,
                    row,
                });
                if row_ends.len() > MAX_ROWS {
                    self.become_counts(scale);
                }
            }
        }
    }

    /// Turns the marks placed so far into counts.
    fn become_counts(&mut self, scale: &Scale) {
        let mut band = Band::new(scale);
        if let Content::Marks { marks, .. } = &self.content {
            for mark in marks {
                band.add(&mark.date, mark.scheduled, mark.to);
            }
        }
        self.content = Content::Counts(band);
    }

    /// Its height in the drawing.
    pub(super) fn height(&self) -> f64 {
        let rows = match &self.content {
            Content::Marks { row_ends, .. } => row_ends.len().max(1) as f64,
            Content::Counts(_) => BAND_ROWS,
        };
        rows * ROW + 2.0 * PAD
    }

    /// The statuses its open starts are drawn in (each needs a fade).
    pub(super) fn fades(&self) -> impl Iterator<Item = Option<Status>> + '_ {
        let marks = match &self.content {
            Content::Marks { marks, .. } => marks.as_slice(),
            Content::Counts(_) => &[],
        };
        marks
            .iter()
            .filter(|m| m.date.is_open_start())
            .map(|m| m.to)
    }

    pub(super) fn is_counts(&self) -> bool {
        matches!(self.content, Content::Counts(_))
    }

    pub(super) fn markup(&self, top: f64, scale: &Scale) -> Markup {
        let bottom = top + self.height();
        let label_y = top + PAD + ROW / 2.0 + 4.0;
        html! {
            line.grid x1="0" x2=(fmt(WIDTH)) y1=(fmt(bottom)) y2=(fmt(bottom)) {}
            text.lane-label x="4" y=(fmt(label_y)) { (self.label) }
            @match &self.content {
                Content::Marks { marks, .. } => {
                    @for mark in marks { (mark_markup(mark, top)) }
                }
                Content::Counts(band) => {
                    @for (n, line) in band.note().iter().enumerate() {
                        text x="4" y=(fmt(label_y + (n + 1) as f64 * ROW)) { (line) }
                    }
                    (band.markup(top, scale))
                }
            }
        }
    }
}

/// One development's mark: filled in its status's colour, faded in for an
/// open start, hollow (outlined in that colour) while scheduled.
fn mark_markup(mark: &Mark, top: f64) -> Markup {
    let date = &mark.date;
    let uncertain = date.is_uncertain() || date.is_approximate();
    let open_start = date.is_open_start();
    let scheduled = mark.scheduled;
    let fill = match (scheduled, open_start) {
        (true, _) => "none".to_string(),
        (false, true) => format!("url(#fade-{})", colour_name(mark.to)),
        (false, false) => colour(mark.to).to_string(),
    };
    html! {
        rect.mark.uncertain[uncertain].open-start[open_start].scheduled[scheduled]
            data-id=(mark.id)
            data-status=(mark.to.map(Status::as_str).unwrap_or("none"))
            x=(fmt(mark.x)) y=(fmt(top + PAD + mark.row as f64 * ROW + 2.0))
            width=(fmt(mark.width)) height=(fmt(ROW - 4.0))
            rx=(if date.precision() == Precision::Day { "2.5" } else { "1" })
            fill=(fill)
            stroke=[scheduled.then(|| colour(mark.to))] {
            title {
                (date.to_string())
                @if scheduled { " (scheduled)" }
                " · " (mark.headline)
            }
        }
    }
}

/// A lane's developments counted by stretch of days. A development dated
/// within a stretch counts one there; one whose date runs across several
/// (a month, a year) is shared among them by the days of it each holds, so
/// that the bars add up to the lane's developments and a coarse date does
/// not raise a year of bars. An open start, which has no first day, counts
/// at its end.
pub(super) struct Band {
    first: NaiveDate,
    /// Days a stretch covers.
    days: i64,
    bins: Vec<Bin>,
    total: u64,
}

#[derive(Clone, Default)]
struct Bin {
    /// Developments dated within the stretch.
    within: u32,
    /// Developments whose dates run across it and beyond.
    across: u32,
    /// What the bar shows: `within`, plus the share of each of `across`.
    share: f64,
    scheduled: u32,
    /// By status set: none, then `Status::ALL` in order.
    statuses: [u32; 7],
}

impl Band {
    fn new(scale: &Scale) -> Band {
        let span = scale.days();
        let days = ((span + BINS - 1) / BINS).max(1);
        let bins = ((span + days - 1) / days).max(1);
        Band {
            first: scale.first,
            days,
            bins: vec![Bin::default(); usize::try_from(bins).unwrap_or(1)],
            total: 0,
        }
    }

    fn bin_of(&self, day: NaiveDate) -> usize {
        let offset = (day - self.first).num_days().max(0) / self.days;
        usize::try_from(offset)
            .unwrap_or(0)
            .min(self.bins.len() - 1)
    }

    fn add(&mut self, date: &DevDate, scheduled: bool, to: Option<Status>) {
        self.total += 1;
        let end = date.end();
        let start = date.start().unwrap_or(end).max(self.first);
        let (first, last) = (self.bin_of(start), self.bin_of(end));
        let length = ((end - start).num_days() + 1).max(1) as f64;
        let status = to.map_or(0, |s| {
            1 + Status::ALL.iter().position(|a| *a == s).unwrap_or(0)
        });
        for n in first..=last {
            let (from, to) = self.days_of(n);
            let held = (end.min(to) - start.max(from)).num_days() + 1;
            let bin = &mut self.bins[n];
            if first == last {
                bin.within = bin.within.saturating_add(1);
            } else {
                bin.across = bin.across.saturating_add(1);
            }
            bin.share += held.max(0) as f64 / length;
            bin.scheduled = bin.scheduled.saturating_add(u32::from(scheduled));
            bin.statuses[status] = bin.statuses[status].saturating_add(1);
        }
    }

    fn tallest(&self) -> f64 {
        self.bins.iter().map(|b| b.share).fold(0.0, f64::max)
    }

    /// Under the lane's label: how many, and what the tallest bar stands for.
    fn note(&self) -> [String; 2] {
        [
            format!("{} developments,", self.total),
            format!("counted: tallest {}", round(self.tallest())),
        ]
    }

    /// A bar per stretch with developments, its height its count against
    /// the lane's tallest; the tooltip gives the counts and what they set.
    fn markup(&self, top: f64, scale: &Scale) -> Markup {
        let tallest = self.tallest().max(1.0);
        let room = BAND_ROWS * ROW - 2.0;
        let bottom = top + PAD + BAND_ROWS * ROW;
        html! {
            @for (n, bin) in self.bins.iter().enumerate().filter(|(_, b)| b.within + b.across > 0) {
                @let (from, to) = self.days_of(n);
                @let x = scale.x(from);
                @let width = (scale.x(to + Days::new(1)) - x).max(1.0);
                @let height = (bin.share / tallest * room).max(1.0);
                rect.count x=(fmt(x)) y=(fmt(bottom - height)) width=(fmt(width)) height=(fmt(height))
                    data-count=(round(bin.share)) fill=(colour(None)) {
                    title {
                        (from) @if to > from { " to " (to) }
                        ": " (bin.words())
                    }
                }
            }
        }
    }

    /// The first and last day of a stretch.
    fn days_of(&self, n: usize) -> (NaiveDate, NaiveDate) {
        let days = self.days.unsigned_abs();
        let from = self.first + Days::new(n as u64 * days);
        (from, from + Days::new(days - 1))
    }
}

/// A share to a tenth, without a trailing `.0`.
fn round(share: f64) -> String {
    let tenths = (share * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

impl Bin {
    /// `12 developments dated within it, 30 across it and beyond (the bar
    /// counts 14.2: …); 5 set a status (2 emerging, 3 developing); 1 scheduled`.
    fn words(&self) -> String {
        let mut parts = Vec::new();
        if self.within > 0 {
            parts.push(format!("{} dated within it", self.within));
        }
        if self.across > 0 {
            parts.push(format!("{} dated across it and beyond", self.across));
        }
        let mut text = format!(
            "{} developments: {}",
            self.within + self.across,
            parts.join(", ")
        );
        if self.across > 0 {
            text.push_str(&format!(
                " (the bar counts {}: each of those for the part of its date that falls here)",
                round(self.share)
            ));
        }
        let set: u32 = self.statuses[1..].iter().sum();
        if set > 0 {
            let statuses: Vec<String> = Status::ALL
                .iter()
                .zip(&self.statuses[1..])
                .filter(|(_, n)| **n > 0)
                .map(|(status, n)| format!("{n} {}", status.as_str()))
                .collect();
            text.push_str(&format!("; {set} set a status ({})", statuses.join(", ")));
        }
        if self.scheduled > 0 {
            text.push_str(&format!("; {} scheduled", self.scheduled));
        }
        text
    }
}
