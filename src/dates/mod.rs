//! Dates, their intervals, and recording times.
//!
//! A development's date follows EDTF (ISO 8601-2) level 0 — `YYYY-MM-DD`,
//! `YYYY-MM`, `YYYY` — with the level-1 qualifiers `?` (uncertain), `~`
//! (approximate) and `%` (both), EDTF intervals `A/B` and the open start
//! `../B`, plus the words `today` and `yesterday`, which are resolved to a day
//! when entered. A date is kept as entered and compared through the interval
//! of days it covers: `2025-07` is 1 to 31 July, `../2025-07` any day up to
//! 31 July (it has no first day).
//!
//! - `partial`: one partial date (`PartialDate`), as watch items are opened;
//! - `span`: a development's date (`DevDate`): a partial date or an interval,
//!   its timeline order, and the day by which it had certainly happened;
//! - `timestamp`: times of recording.
//!
//! This module is pure: "today" is always passed in (see `clock.rs`).

mod partial;
mod span;
mod timestamp;

use std::fmt;

use crate::screen::echo;
use chrono::{Datelike, NaiveDate};

pub use partial::PartialDate;
pub use span::DevDate;
pub(crate) use timestamp::Timestamp;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Precision {
    Day,
    Month,
    Year,
    /// An interval `A/B` or an open start `../B`.
    Interval,
}

impl Precision {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Interval => "interval",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Precision> {
        match text {
            "day" => Some(Precision::Day),
            "month" => Some(Precision::Month),
            "year" => Some(Precision::Year),
            "interval" => Some(Precision::Interval),
            _ => None,
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a date was refused. The message names the input and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    input: String,
    reason: String,
}

impl DateError {
    fn new(input: &str, reason: impl Into<String>) -> DateError {
        DateError {
            input: input.to_string(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid date '{}': {}", echo(&self.input), self.reason)
    }
}

impl std::error::Error for DateError {}

/// The forms a single date may take (a watch item's opened date), for
/// error messages and help text.
pub(crate) const DATE_FORMS: &str = "YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ? (uncertain), \
                              ~ (approximate) or % (both); or 'today' or 'yesterday'";

/// The forms a development's date may take.
pub(crate) const DEV_DATE_FORMS: &str = "YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ? \
                                  (uncertain), ~ (approximate) or % (both); an interval A/B of \
                                  two such dates; ../B for some time up to B; or 'today' or \
                                  'yesterday'";

/// Formats a calendar day as the store keeps it: `YYYY-MM-DD`.
pub(crate) fn day_text(day: NaiveDate) -> String {
    let mut text = String::with_capacity(10);
    push_day(&mut text, day.year(), day.month(), day.day());
    text
}

// Digit by digit: this runs several times per imported row, and both
// chrono's strftime and `format!` cost more than the SQLite insert itself.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u32.pow(place)) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

fn push_day(text: &mut String, year: i32, month: u32, day: u32) {
    push_digits(text, year.clamp(0, 9999) as u32, 4);
    text.push('-');
    push_digits(text, month, 2);
    text.push('-');
    push_digits(text, day, 2);
}

/// The bound a `--from` date sets: the first day of its interval; None for
/// an open start, which has no first day.
pub(crate) fn from_bound(date: &DevDate) -> Option<NaiveDate> {
    date.start()
}

/// The bound a `--to` or `--as-of` date sets: the last day of its interval.
pub(crate) fn to_bound(date: &DevDate) -> NaiveDate {
    date.end()
}

/// Whole days from `from` to `to`, never negative.
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

/// Any real partial date, qualifiers included, for property tests.
#[cfg(test)]
pub(crate) fn arbitrary() -> impl proptest::strategy::Strategy<Value = PartialDate> {
    use proptest::strategy::Strategy;
    (0i32..=9999, 0u32..=12, 0u32..=31, 0usize..4).prop_filter_map(
        "a real calendar date",
        |(year, month, day, qualifier)| {
            let mut text = format!("{year:04}");
            if month > 0 {
                text.push_str(&format!("-{month:02}"));
                if day > 0 {
                    text.push_str(&format!("-{day:02}"));
                }
            }
            text.push_str(["", "?", "~", "%"][qualifier]);
            text.parse().ok()
        },
    )
}

/// Any development date: a partial date, an interval whose start is not
/// after its end, or an open start; for property tests.
#[cfg(test)]
pub(crate) fn arbitrary_span() -> impl proptest::strategy::Strategy<Value = DevDate> {
    use proptest::prelude::*;
    prop_oneof![
        3 => arbitrary().prop_map(DevDate::from),
        1 => arbitrary().prop_map(DevDate::open_start),
        1 => (arbitrary(), arbitrary()).prop_map(|(a, b)| {
            let (a, b) = if a.start() <= b.end() { (a, b) } else { (b, a) };
            DevDate::interval(a, b).unwrap_or(DevDate::from(a))
        }),
    ]
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn bounds_take_the_right_end_of_the_interval() {
        let july: DevDate = "2025-07".parse().unwrap();
        assert_eq!(from_bound(&july), Some(day(2025, 7, 1)));
        assert_eq!(to_bound(&july), day(2025, 7, 31));
        let summer: DevDate = "2025-06/2025-08-15".parse().unwrap();
        assert_eq!(from_bound(&summer), Some(day(2025, 6, 1)));
        assert_eq!(to_bound(&summer), day(2025, 8, 15));
        let before: DevDate = "../2025-07".parse().unwrap();
        assert_eq!(from_bound(&before), None);
        assert_eq!(to_bound(&before), day(2025, 7, 31));
    }

    #[test]
    fn days_between_is_never_negative() {
        assert_eq!(days_between(day(2025, 7, 26), day(2025, 8, 1)), 6);
        assert_eq!(days_between(day(2025, 8, 1), day(2025, 7, 26)), 0);
    }

    #[test]
    fn precision_names_read_back() {
        for precision in [
            Precision::Day,
            Precision::Month,
            Precision::Year,
            Precision::Interval,
        ] {
            assert_eq!(Precision::parse(precision.as_str()), Some(precision));
        }
        assert_eq!(Precision::parse("week"), None);
    }

    proptest! {
        #[test]
        fn the_parsers_never_panic(text in any::<String>()) {
            let today = day(2025, 8, 1);
            let _ = PartialDate::parse(&text, today);
            let _ = DevDate::parse(&text, today);
        }

        #[test]
        fn date_like_text_parses_or_is_refused_cleanly(text in "[0-9?~%./-]{0,24}") {
            let today = day(2025, 8, 1);
            if let Ok(date) = PartialDate::parse(&text, today) {
                prop_assert!(date.start() <= date.end());
                prop_assert_eq!(date.to_string().parse::<PartialDate>().unwrap(), date);
            }
            if let Ok(date) = DevDate::parse(&text, today) {
                prop_assert!(date.start().is_none_or(|start| start <= date.end()));
                prop_assert_eq!(date.to_string().parse::<DevDate>().unwrap(), date);
            }
        }

        #[test]
        fn intervals_of_real_dates_parse_when_in_order(a in arbitrary(), b in arbitrary()) {
            let text = format!("{a}/{b}");
            match DevDate::parse(&text, day(2025, 8, 1)) {
                Ok(date) => {
                    prop_assert!(a.start() <= b.end());
                    prop_assert_eq!(date.to_string(), text);
                    prop_assert_eq!((date.start(), date.end()), (Some(a.start()), b.end()));
                }
                Err(e) => {
                    prop_assert!(a.start() > b.end());
                    prop_assert!(e.to_string().contains("is after"), "{}", e);
                }
            }
        }

        #[test]
        fn timeline_order_is_a_total_order(
            a in arbitrary_span(), b in arbitrary_span(), c in arbitrary_span()
        ) {
            // Antisymmetric, transitive, and total over (start, end).
            prop_assert_eq!(a.timeline_cmp(&b), b.timeline_cmp(&a).reverse());
            if a.timeline_cmp(&b).is_le() && b.timeline_cmp(&c).is_le() {
                prop_assert!(a.timeline_cmp(&c).is_le());
            }
            prop_assert_eq!(a.timeline_cmp(&a), Ordering::Equal);
        }

        #[test]
        fn timeline_order_agrees_with_the_intervals(a in arbitrary_span(), b in arbitrary_span()) {
            match (a.start(), b.start()) {
                (None, Some(_)) => prop_assert_eq!(a.timeline_cmp(&b), Ordering::Less),
                (Some(sa), Some(sb)) if sa < sb => {
                    prop_assert_eq!(a.timeline_cmp(&b), Ordering::Less)
                }
                _ => {}
            }
            if a.start() == b.start() && a.end() < b.end() {
                prop_assert_eq!(a.timeline_cmp(&b), Ordering::Less);
            }
        }

        #[test]
        fn the_settled_day_lies_within_the_interval(
            date in arbitrary_span(), recorded in (0i32..=3_652_058)
        ) {
            let recorded = NaiveDate::from_num_days_from_ce_opt(recorded + 1).unwrap();
            let settled = date.settled(recorded);
            prop_assert!(settled <= date.end());
            prop_assert!(date.start().is_none_or(|start| start <= settled));
            // Recorded by the end, it had happened by the day it was recorded.
            if recorded <= date.end() && date.start().is_none_or(|start| start <= recorded) {
                prop_assert_eq!(settled, recorded);
            } else {
                prop_assert_eq!(settled, date.end());
            }
        }
    }
}
