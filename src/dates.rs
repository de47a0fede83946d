//! Partial dates and recording times.
//!
//! A development's date follows EDTF (ISO 8601-2) level 0 — `YYYY-MM-DD`,
//! `YYYY-MM`, `YYYY` — with the level-1 qualifiers `?` (uncertain), `~`
//! (approximate) and `%` (both), plus the words `today` and `yesterday`, which
//! are resolved to a day when entered. A date is kept as entered and compared
//! through the interval of days it covers: `2025-07` is 1 to 31 July.
//!
//! This module is pure: "today" is always passed in (see `clock.rs`).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike, Utc};

use crate::screen::echo;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Day,
    Month,
    Year,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Option<Precision> {
        match text {
            "day" => Some(Precision::Day),
            "month" => Some(Precision::Month),
            "year" => Some(Precision::Year),
            _ => None,
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date known to the day, the month or the year, possibly
/// qualified as uncertain and/or approximate. Always a real calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    uncertain: bool,
    approximate: bool,
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

/// The forms a date may take, for error messages and help text.
pub const DATE_FORMS: &str = "YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ? (uncertain), \
                              ~ (approximate) or % (both); or 'today' or 'yesterday'";

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// A day-precise date without qualifiers.
    pub fn from_day(day: NaiveDate) -> PartialDate {
        PartialDate {
            year: day.year(),
            month: Some(day.month()),
            day: Some(day.day()),
            uncertain: false,
            approximate: false,
        }
    }

    /// Parses user input; `today` and `yesterday` resolve against `today`.
    /// Surrounding whitespace is ignored. Impossible dates are refused, never
    /// clamped.
    pub fn parse(input: &str, today: NaiveDate) -> Result<PartialDate, DateError> {
        let text = input.trim();
        match text {
            "today" => return Ok(PartialDate::from_day(today)),
            "yesterday" => {
                let day = today
                    .checked_sub_days(Days::new(1))
                    .ok_or_else(|| DateError::new(input, "yesterday is before the calendar"))?;
                return Ok(PartialDate::from_day(day));
            }
            _ => {}
        }
        parse_edtf(input, text)
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn is_uncertain(&self) -> bool {
        self.uncertain
    }

    pub fn is_approximate(&self) -> bool {
        self.approximate
    }

    /// The first day the date covers.
    pub fn start(&self) -> NaiveDate {
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        // Construction guarantees a valid date.
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(NaiveDate::MIN)
    }

    /// The last day the date covers (a month-precise date could be its last day).
    pub fn end(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(month), Some(day)) => {
                NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(NaiveDate::MAX)
            }
            (Some(month), None) => last_day_of_month(self.year, month),
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }

    /// Timeline order between two dates: by the interval's start, then its end,
    /// so a day-precise date comes before a month-precise one starting that day.
    pub fn timeline_cmp(&self, other: &PartialDate) -> Ordering {
        (self.start(), self.end()).cmp(&(other.start(), other.end()))
    }
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    first_of_next
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

fn parse_edtf(input: &str, text: &str) -> Result<PartialDate, DateError> {
    if text.is_empty() {
        return Err(DateError::new(input, format!("expected {DATE_FORMS}")));
    }
    let (body, uncertain, approximate) = match text.as_bytes()[text.len() - 1] {
        b'?' => (&text[..text.len() - 1], true, false),
        b'~' => (&text[..text.len() - 1], false, true),
        b'%' => (&text[..text.len() - 1], true, true),
        _ => (text, false, false),
    };
    let shape_error = || DateError::new(input, format!("expected {DATE_FORMS}"));
    let parts: Vec<&str> = body.split('-').collect();
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let (year, month, day) = match parts.as_slice() {
        [y] if digits(y, 4) => (y, None, None),
        [y, m] if digits(y, 4) && digits(m, 2) => (y, Some(m), None),
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => (y, Some(m), Some(d)),
        _ => return Err(shape_error()),
    };
    // Four ASCII digits always parse.
    let year: i32 = year.parse().map_err(|_| shape_error())?;
    let month: Option<u32> = match month {
        None => None,
        Some(m) => {
            let m: u32 = m.parse().map_err(|_| shape_error())?;
            if !(1..=12).contains(&m) {
                return Err(DateError::new(
                    input,
                    format!("there is no month {m:02}; months run from 01 to 12"),
                ));
            }
            Some(m)
        }
    };
    let day: Option<u32> = match (month, day) {
        (Some(m), Some(d)) => {
            let d: u32 = d.parse().map_err(|_| shape_error())?;
            let days_in_month = last_day_of_month(year, m).day();
            if d == 0 || d > days_in_month {
                return Err(DateError::new(
                    input,
                    format!(
                        "{} {year:04} has {days_in_month} days",
                        MONTH_NAMES[(m - 1) as usize]
                    ),
                ));
            }
            Some(d)
        }
        _ => None,
    };
    Ok(PartialDate {
        year,
        month,
        day,
        uncertain,
        approximate,
    })
}

/// Stored dates never hold `today` or `yesterday`; parsing them needs no clock.
impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<PartialDate, DateError> {
        parse_edtf(text, text)
    }
}

/// Writes the date as entered, in canonical form (`2025-07~`).
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        match (self.uncertain, self.approximate) {
            (true, true) => f.write_str("%"),
            (true, false) => f.write_str("?"),
            (false, true) => f.write_str("~"),
            (false, false) => Ok(()),
        }
    }
}

/// Formats a calendar day as the store keeps it: `YYYY-MM-DD`.
pub fn day_text(day: NaiveDate) -> String {
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

/// The bound a `--from` date sets: the first day of its interval.
pub fn from_bound(date: &PartialDate) -> NaiveDate {
    date.start()
}

/// The bound a `--to` or `--as-of` date sets: the last day of its interval.
pub fn to_bound(date: &PartialDate) -> NaiveDate {
    date.end()
}

/// Whole days from `from` to `to`, never negative.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

/// A moment of recording, in UTC, written RFC 3339 with microseconds
/// (`2025-07-26T09:30:00.000000Z`) so that text order is time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    pub fn new(at: DateTime<Utc>) -> Timestamp {
        // Keep what the text keeps, so that a stored value reads back equal.
        let micros = at.timestamp_micros();
        Timestamp(DateTime::from_timestamp_micros(micros).unwrap_or(at))
    }

    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Accepts any RFC 3339 time and keeps it in UTC to the microsecond.
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        DateTime::parse_from_rfc3339(text.trim())
            .map(|t| Timestamp::new(t.with_timezone(&Utc)))
            .map_err(|e| {
                format!(
                    "invalid time '{text}': {e}; expected RFC 3339 such as 2025-07-26T09:30:00Z"
                )
            })
    }
}

impl fmt::Display for Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, what `to_rfc3339_opts(Micros, true)`
    /// writes, in plain integer formatting (this runs once per imported row).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let mut text = String::with_capacity(27);
        push_day(&mut text, t.year(), t.month(), t.day());
        text.push('T');
        push_digits(&mut text, t.hour(), 2);
        text.push(':');
        push_digits(&mut text, t.minute(), 2);
        text.push(':');
        push_digits(&mut text, t.second(), 2);
        text.push('.');
        push_digits(&mut text, t.timestamp_subsec_micros().min(999_999), 6);
        text.push('Z');
        f.write_str(&text)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(text: &str) -> Result<PartialDate, DateError> {
        PartialDate::parse(text, day(2025, 8, 1))
    }

    #[test]
    fn day_month_and_year_precision() {
        let d = parse("2025-07-26").unwrap();
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!((d.start(), d.end()), (day(2025, 7, 26), day(2025, 7, 26)));

        let m = parse("2025-07").unwrap();
        assert_eq!(m.precision(), Precision::Month);
        assert_eq!((m.start(), m.end()), (day(2025, 7, 1), day(2025, 7, 31)));

        let y = parse("2025").unwrap();
        assert_eq!(y.precision(), Precision::Year);
        assert_eq!((y.start(), y.end()), (day(2025, 1, 1), day(2025, 12, 31)));
    }

    #[test]
    fn month_intervals_know_their_length() {
        assert_eq!(parse("2024-02").unwrap().end(), day(2024, 2, 29));
        assert_eq!(parse("2025-02").unwrap().end(), day(2025, 2, 28));
        assert_eq!(parse("2025-12").unwrap().end(), day(2025, 12, 31));
        assert_eq!(parse("2025-04").unwrap().end(), day(2025, 4, 30));
    }

    #[test]
    fn qualifiers_are_kept_and_written_back() {
        for (text, uncertain, approximate) in [
            ("2025-07-26?", true, false),
            ("2025-07~", false, true),
            ("2025%", true, true),
            ("2025-07", false, false),
        ] {
            let d = parse(text).unwrap();
            assert_eq!(d.is_uncertain(), uncertain, "{text}");
            assert_eq!(d.is_approximate(), approximate, "{text}");
            assert_eq!(d.to_string(), text);
        }
    }

    #[test]
    fn qualifiers_do_not_change_the_interval() {
        let plain = parse("2025-07").unwrap();
        let approx = parse("2025-07~").unwrap();
        assert_eq!((plain.start(), plain.end()), (approx.start(), approx.end()));
    }

    #[test]
    fn relative_words_resolve_to_days() {
        assert_eq!(parse("today").unwrap().to_string(), "2025-08-01");
        assert_eq!(parse("yesterday").unwrap().to_string(), "2025-07-31");
        assert_eq!(parse(" today ").unwrap().precision(), Precision::Day);
    }

    #[test]
    fn stored_text_never_holds_relative_words() {
        assert!("today".parse::<PartialDate>().is_err());
        assert_eq!(
            "2025-07-26".parse::<PartialDate>().unwrap(),
            parse("2025-07-26").unwrap()
        );
    }

    #[test]
    fn impossible_dates_are_refused_not_clamped() {
        let err = parse("2025-02-30").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid date '2025-02-30': February 2025 has 28 days"
        );
        assert!(parse("2025-02-29").is_err());
        assert!(parse("2024-02-29").is_ok());
        assert!(parse("2025-04-31").is_err());
        assert!(parse("2025-07-00").is_err());
        let err = parse("2025-13").unwrap_err();
        assert!(err.to_string().contains("no month 13"), "{err}");
        assert!(parse("2025-00").is_err());
    }

    #[test]
    fn malformed_text_is_refused_with_the_expected_forms() {
        for text in [
            "",
            "   ",
            "2025-7-26",
            "25-07-26",
            "20255",
            "2025-07-26T10:00",
            "2025/07/26",
            "July 2025",
            "2025-07-26??",
            "?2025",
            "2025-XX",
            "-2025",
            "+2025",
            "2025-07-",
            "2025--07",
            "tomorrow",
            "２０２５",
        ] {
            let err = parse(text).unwrap_err();
            assert!(
                err.to_string().contains("expected YYYY-MM-DD"),
                "{text:?}: {err}"
            );
        }
    }

    #[test]
    fn timeline_order_is_start_then_end() {
        let mut dates: Vec<PartialDate> = ["2025-07", "2025", "2025-07-26", "2025-07-01", "2024"]
            .iter()
            .map(|t| parse(t).unwrap())
            .collect();
        dates.sort_by(|a, b| a.timeline_cmp(b));
        let order: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        // 2025 starts on 1 January; a day before the month it starts.
        assert_eq!(
            order,
            ["2024", "2025", "2025-07-01", "2025-07", "2025-07-26"]
        );
    }

    #[test]
    fn bounds_take_the_right_end_of_the_interval() {
        let july = parse("2025-07").unwrap();
        assert_eq!(from_bound(&july), day(2025, 7, 1));
        assert_eq!(to_bound(&july), day(2025, 7, 31));
    }

    #[test]
    fn days_between_is_never_negative() {
        assert_eq!(days_between(day(2025, 7, 26), day(2025, 8, 1)), 6);
        assert_eq!(days_between(day(2025, 8, 1), day(2025, 7, 26)), 0);
    }

    #[test]
    fn timestamp_text_is_rfc3339_with_microseconds() {
        for text in [
            "0001-01-01T00:00:00Z",
            "2025-07-26T09:30:00.5Z",
            "9999-12-31T23:59:59.999999Z",
        ] {
            let t = Timestamp::parse(text).unwrap();
            let chrono_text = t
                .as_datetime()
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            assert_eq!(t.to_string(), chrono_text);
        }
    }

    #[test]
    fn timestamps_keep_microseconds_in_utc() {
        let t = Timestamp::parse("2025-07-26T11:30:00.1234567+02:00").unwrap();
        assert_eq!(t.to_string(), "2025-07-26T09:30:00.123456Z");
        assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        assert!(Timestamp::parse("2025-07-26").is_err());
    }

    mod properties {
        use super::*;
        use crate::dates::arbitrary;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn the_parser_never_panics(text in any::<String>()) {
                let _ = parse(&text);
            }

            #[test]
            fn date_like_text_parses_or_is_refused_cleanly(text in "[0-9?~%-]{0,12}") {
                if let Ok(date) = parse(&text) {
                    prop_assert!(date.start() <= date.end());
                    prop_assert_eq!(date.to_string().parse::<PartialDate>().unwrap(), date);
                }
            }

            #[test]
            fn timeline_order_is_a_total_order(a in arbitrary(), b in arbitrary(), c in arbitrary()) {
                // Antisymmetric, transitive, and total over (start, end).
                prop_assert_eq!(a.timeline_cmp(&b), b.timeline_cmp(&a).reverse());
                if a.timeline_cmp(&b).is_le() && b.timeline_cmp(&c).is_le() {
                    prop_assert!(a.timeline_cmp(&c).is_le());
                }
                prop_assert_eq!(a.timeline_cmp(&a), Ordering::Equal);
            }

            #[test]
            fn timeline_order_agrees_with_the_intervals(a in arbitrary(), b in arbitrary()) {
                if a.start() < b.start() {
                    prop_assert_eq!(a.timeline_cmp(&b), Ordering::Less);
                }
                if a.end() < b.start() {
                    prop_assert_eq!(a.timeline_cmp(&b), Ordering::Less);
                }
                if a.start() == b.start() && a.end() < b.end() {
                    prop_assert_eq!(a.timeline_cmp(&b), Ordering::Less);
                }
            }
        }
    }
}
