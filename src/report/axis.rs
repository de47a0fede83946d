//! The date axis of the SVG timeline: ticks at a step that suits the span,
//! from days to centuries.

use chrono::{Datelike, Months, NaiveDate};

/// Days since the common era, for arithmetic on dates.
pub(super) fn day_number(day: NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce())
}

/// A tick on the date axis: where, and its label.
pub(super) struct Tick {
    pub day: NaiveDate,
    pub label: String,
}

/// Where a tick's label is written: from `x` on, or ending at `x` (`end`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct LabelPlace {
    pub x: f64,
    pub end: bool,
}

/// The width a label of `text` takes in the drawing's 11-unit font, a
/// little more than it needs (digits and hyphens are about 0.6 em).
pub(super) fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.0
}

/// Where each tick's label goes so that it stays inside `0..width`: just
/// right of its line, or, where that would run past the right edge, just
/// left of it; None where it would then overlap the label before it (the
/// tick's line still shows). Ticks come left to right.
pub(super) fn label_places<'a>(
    ticks: impl IntoIterator<Item = (f64, &'a str)>,
    width: f64,
) -> Vec<Option<LabelPlace>> {
    const GAP: f64 = 2.0;
    let mut previous_end = f64::MIN;
    let mut out = Vec::new();
    for (x, text) in ticks {
        let w = label_width(text);
        let place = if x + GAP + w <= width {
            Some((
                LabelPlace {
                    x: x + GAP,
                    end: false,
                },
                x + GAP,
            ))
        } else if x - GAP - w >= 0.0 {
            Some((
                LabelPlace {
                    x: x - GAP,
                    end: true,
                },
                x - GAP - w,
            ))
        } else {
            None
        };
        match place {
            Some((place, left)) if left >= previous_end + GAP => {
                previous_end = left + w;
                out.push(Some(place));
            }
            _ => out.push(None),
        }
    }
    out
}

/// At most this many ticks on the axis.
const MAX_TICKS: i64 = 12;

/// Ticks for the span `first..=last`: the finest step that gives at most a
/// dozen, from days to centuries.
pub(super) fn ticks(first: NaiveDate, last: NaiveDate) -> Vec<Tick> {
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

    /// Every label that is written lies inside the drawing, and no two overlap.
    fn assert_labels_fit(first: &str, last: &str) {
        let (left, width) = (170.0, 1000.0);
        let ticks = ticks(day(first), day(last));
        let span = (day_number(day(last)) - day_number(day(first)) + 1) as f64;
        let xs: Vec<(f64, &str)> = ticks
            .iter()
            .map(|t| {
                let x = left + (day_number(t.day) - day_number(day(first))) as f64 / span * 814.0;
                (x, t.label.as_str())
            })
            .collect();
        let places = label_places(xs.iter().copied(), width);
        let mut extents: Vec<(f64, f64)> = Vec::new();
        for ((_, text), place) in xs.iter().zip(&places) {
            let Some(place) = place else { continue };
            let w = label_width(text);
            let (from, to) = if place.end {
                (place.x - w, place.x)
            } else {
                (place.x, place.x + w)
            };
            assert!(
                from >= 0.0 && to <= width,
                "{first}..{last}: {text} at {from}..{to}"
            );
            extents.push((from, to));
        }
        assert!(
            extents.windows(2).all(|w| w[0].1 <= w[1].0),
            "{first}..{last}: labels overlap: {extents:?}"
        );
        // Only a label that cannot fit is left out, never the last of a few.
        assert!(places.iter().filter(|p| p.is_some()).count() + 1 >= places.len().min(2));
    }

    #[test]
    fn axis_labels_stay_inside_the_drawing() {
        // A span that ends just after a tick: the last label once ran off
        // the right edge and was cut ("202").
        for (first, last) in [
            ("2015-01-01", "2025-01-10"),
            ("2024-02-01", "2025-07-02"),
            ("2025-07-01", "2025-07-31"),
            ("2024-12-20", "2025-01-02"),
            ("2025-07-26", "2025-08-08"),
            ("0001-01-01", "9999-12-31"),
        ] {
            assert_labels_fit(first, last);
        }
        let places = label_places([(990.0, "2025")], 1000.0);
        assert_eq!(
            places,
            [Some(LabelPlace {
                x: 988.0,
                end: true
            })]
        );
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
