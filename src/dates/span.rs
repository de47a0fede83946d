//! A development's date: one partial date, an interval `A/B`, or an open
//! start `../B`; its place in timeline order; and the day by which what it
//! dates had certainly happened (docs/DESIGN.md, "Derivation").

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use super::partial::parse_one;
use super::{DEV_DATE_FORMS, DateError, PartialDate, Precision};

/// When a development happened, as far as it is known: some day within the
/// interval its date covers. Built only through its constructors and the
/// parser, so an interval never starts after it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DevDate(Span);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Span {
    /// `2025-07-26`, `2025-07~`, `2025?`.
    Single(PartialDate),
    /// `A/B`: from the first day of A to the last day of B.
    Interval(PartialDate, PartialDate),
    /// `../B`: up to the last day of B; no first day is known.
    OpenStart(PartialDate),
}

impl From<PartialDate> for DevDate {
    fn from(date: PartialDate) -> DevDate {
        DevDate(Span::Single(date))
    }
}

impl DevDate {
    /// A day-precise date without qualifiers.
    #[cfg(test)]
    pub(crate) fn from_day(day: NaiveDate) -> DevDate {
        DevDate::from(PartialDate::from_day(day))
    }

    /// `A/B`, refused when A starts after B ends.
    pub(crate) fn interval(start: PartialDate, end: PartialDate) -> Result<DevDate, DateError> {
        if start.start() > end.end() {
            let input = format!("{start}/{end}");
            return Err(DateError::new(
                &input,
                format!("its start {start} is after its end {end}; write the earlier date first"),
            ));
        }
        Ok(DevDate(Span::Interval(start, end)))
    }

    /// `../B`: some time up to the end of B.
    pub(crate) fn open_start(end: PartialDate) -> DevDate {
        DevDate(Span::OpenStart(end))
    }

    /// Parses user input; `today` and `yesterday` resolve against `today`,
    /// alone or as a side of an interval. Surrounding whitespace is ignored.
    pub fn parse(input: &str, today: NaiveDate) -> Result<DevDate, DateError> {
        parse_span(input, Some(today))
    }

    /// The single partial date, unless the date is an interval.
    pub(crate) fn single(&self) -> Option<PartialDate> {
        match self.0 {
            Span::Single(date) => Some(date),
            _ => None,
        }
    }

    /// The date the interval starts with (the date itself, when single);
    /// None for an open start.
    pub(crate) fn first(&self) -> Option<PartialDate> {
        match self.0 {
            Span::Single(date) | Span::Interval(date, _) => Some(date),
            Span::OpenStart(_) => None,
        }
    }

    /// The date the interval ends with (the date itself, when single).
    pub(crate) fn last(&self) -> PartialDate {
        match self.0 {
            Span::Single(date) | Span::Interval(_, date) | Span::OpenStart(date) => date,
        }
    }

    /// Whether it is `../B`: some time up to B, with no first day.
    pub(crate) fn is_open_start(&self) -> bool {
        matches!(self.0, Span::OpenStart(_))
    }

    /// `day`, `month` or `year` for a single date; `interval` otherwise.
    pub(crate) fn precision(&self) -> Precision {
        match self.0 {
            Span::Single(date) => date.precision(),
            Span::Interval(..) | Span::OpenStart(_) => Precision::Interval,
        }
    }

    /// Whether either side is qualified `?` or `%`.
    pub(crate) fn is_uncertain(&self) -> bool {
        self.sides().any(|d| d.is_uncertain())
    }

    /// Whether either side is qualified `~` or `%`.
    pub(crate) fn is_approximate(&self) -> bool {
        self.sides().any(|d| d.is_approximate())
    }

    fn sides(&self) -> impl Iterator<Item = PartialDate> {
        let (first, second) = match self.0 {
            Span::Single(date) | Span::OpenStart(date) => (date, None),
            Span::Interval(a, b) => (a, Some(b)),
        };
        std::iter::once(first).chain(second)
    }

    /// The first day the date covers; None for an open start.
    pub fn start(&self) -> Option<NaiveDate> {
        match self.0 {
            Span::Single(date) | Span::Interval(date, _) => Some(date.start()),
            Span::OpenStart(_) => None,
        }
    }

    /// The last day the date covers.
    pub fn end(&self) -> NaiveDate {
        self.last().end()
    }

    /// Timeline order: by the interval's start (an open start first), then
    /// its end, so a day-precise date comes before a month-precise one
    /// starting that day.
    pub(crate) fn timeline_cmp(&self, other: &DevDate) -> Ordering {
        // None sorts before Some: an open start comes first.
        (self.start(), self.end()).cmp(&(other.start(), other.end()))
    }

    /// Whether the two intervals share a day, so that their dates alone do
    /// not say which came first (an open start reaches back without end).
    pub(crate) fn overlaps(&self, other: &DevDate) -> bool {
        self.started_by(other.end()) && other.started_by(self.end())
    }

    /// Whether the interval has started by `day` (an open start always has).
    pub fn started_by(&self, day: NaiveDate) -> bool {
        self.start().is_none_or(|start| start <= day)
    }

    /// The day by which what the date dates had certainly happened, given
    /// the UTC day it was recorded as having happened: the end of the
    /// interval, or the day of recording when that is earlier but not before
    /// the interval starts (what was recorded had happened by then; a record
    /// made before the interval starts says only that it was expected).
    pub fn settled(&self, recorded: NaiveDate) -> NaiveDate {
        if recorded < self.end() && self.started_by(recorded) {
            recorded
        } else {
            self.end()
        }
    }
}

fn parse_span(input: &str, today: Option<NaiveDate>) -> Result<DevDate, DateError> {
    let text = input.trim();
    if let Some(reason) = super::partial::written_otherwise(text) {
        return Err(DateError::new(input, reason));
    }
    let Some((first, second)) = text.split_once('/') else {
        return parse_one(input, text, today, DEV_DATE_FORMS).map(DevDate::from);
    };
    let (first, second) = (first.trim(), second.trim());
    if second.is_empty() || second == ".." {
        return Err(DateError::new(
            input,
            "an interval needs an end: a development's date says by when it had happened",
        ));
    }
    let end = side(input, "end", second, today)?;
    match first {
        ".." => Ok(DevDate::open_start(end)),
        "" => Err(DateError::new(
            input,
            format!("an interval needs a start; write ../{second} for some time up to {second}"),
        )),
        first => {
            let start = side(input, "start", first, today)?;
            DevDate::interval(start, end).map_err(|e| DateError::new(input, e.reason))
        }
    }
}

/// One side of an interval; its errors name the side.
fn side(
    input: &str,
    which: &str,
    text: &str,
    today: Option<NaiveDate>,
) -> Result<PartialDate, DateError> {
    parse_one(text, text, today, DEV_DATE_FORMS)
        .map_err(|e| DateError::new(input, format!("its {which} '{text}': {}", e.reason)))
}

/// Stored dates never hold `today` or `yesterday`; parsing them needs no clock.
impl FromStr for DevDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<DevDate, DateError> {
        parse_span(text, None)
    }
}

/// Writes the date as entered, in canonical form (`2025-07~`,
/// `2025-06/2025-08-15`, `../2025-07`).
impl fmt::Display for DevDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Span::Single(date) => write!(f, "{date}"),
            Span::Interval(start, end) => write!(f, "{start}/{end}"),
            Span::OpenStart(end) => write!(f, "../{end}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn intervals_overlap_when_they_share_a_day() {
        let d = |t: &str| t.parse::<DevDate>().unwrap();
        assert!(d("2025-06").overlaps(&d("2025-06-12")));
        assert!(d("2025-06-12").overlaps(&d("2025-06")));
        assert!(d("../2025-07").overlaps(&d("2025-07-26")));
        assert!(d("2025-05/2025-06-01").overlaps(&d("2025-06")));
        assert!(!d("2025-06").overlaps(&d("2025-07-01")));
        assert!(!d("2025-06-11").overlaps(&d("2025-06-12")));
        assert!(!d("../2025-06").overlaps(&d("2025-07")));
    }

    fn parse(text: &str) -> Result<DevDate, DateError> {
        DevDate::parse(text, day("2025-08-01"))
    }

    #[test]
    fn intervals_cover_from_the_start_of_one_date_to_the_end_of_the_other() {
        let d = parse("2025-01/2025-03-15").unwrap();
        assert_eq!(d.precision(), Precision::Interval);
        assert_eq!(
            (d.start(), d.end()),
            (Some(day("2025-01-01")), day("2025-03-15"))
        );
        assert_eq!(d.to_string(), "2025-01/2025-03-15");
        // One date on both sides is an interval all the same.
        let same = parse("2025-07/2025-07").unwrap();
        assert_eq!(
            (same.start(), same.end()),
            (Some(day("2025-07-01")), day("2025-07-31"))
        );
        assert_eq!(same.precision(), Precision::Interval);
    }

    #[test]
    fn an_open_start_has_no_first_day() {
        let d = parse("../2025-07").unwrap();
        assert_eq!((d.start(), d.end()), (None, day("2025-07-31")));
        assert!(d.is_open_start());
        assert_eq!(d.to_string(), "../2025-07");
        assert_eq!(d.precision(), Precision::Interval);
    }

    #[test]
    fn sides_keep_their_qualifiers_and_resolve_words() {
        let d = parse(" 2025-06~ / 2025-08? ").unwrap();
        assert_eq!(d.to_string(), "2025-06~/2025-08?");
        assert!(d.is_uncertain() && d.is_approximate());
        assert_eq!(
            parse("2025-07/today").unwrap().to_string(),
            "2025-07/2025-08-01"
        );
        assert_eq!(parse("../yesterday").unwrap().to_string(), "../2025-07-31");
        assert!("../today".parse::<DevDate>().is_err());
    }

    #[test]
    fn a_single_date_is_still_a_partial_date() {
        let d = parse("2025-07-26?").unwrap();
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!(
            d.single().map(|p| p.to_string()),
            Some("2025-07-26?".into())
        );
        assert_eq!(d.to_string(), "2025-07-26?");
    }

    #[test]
    fn bad_intervals_are_refused_naming_what_is_wrong() {
        for (text, words) in [
            (
                "2025-08/2025-07",
                "its start 2025-08 is after its end 2025-07",
            ),
            ("2025-07-02/2025-07-01", "is after its end"),
            ("2025-07/", "an interval needs an end"),
            ("2025-07/..", "an interval needs an end"),
            ("/2025-07", "write ../2025-07"),
            ("2025-07/2025-13", "its end '2025-13': there is no month 13"),
            ("2025-7/2025-08", "its start '2025-7': expected YYYY-MM-DD"),
            ("2025/2026/2027", "its end '2026/2027'"),
            ("../..", "an interval needs an end"),
            ("..", "expected YYYY-MM-DD"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.starts_with(&format!("invalid date '{text}'")), "{err}");
            assert!(err.contains(words), "{text}: {err}");
        }
        let err = parse("2025-7-26").unwrap_err().to_string();
        assert!(err.contains("an interval A/B of two such dates"), "{err}");
    }

    #[test]
    fn timeline_order_puts_an_open_start_first_then_goes_by_start_and_end() {
        let mut dates: Vec<DevDate> = [
            "2025-07",
            "2025",
            "../2025-07",
            "2025-07-26",
            "2025-07-01",
            "2024",
            "2025-07-01/2025-07-10",
            "../2024",
        ]
        .iter()
        .map(|t| parse(t).unwrap())
        .collect();
        dates.sort_by(|a, b| a.timeline_cmp(b));
        let order: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            order,
            [
                "../2024",
                "../2025-07",
                "2024",
                "2025",
                "2025-07-01",
                "2025-07-01/2025-07-10",
                "2025-07",
                "2025-07-26"
            ]
        );
    }

    /// The settled day of `date` recorded on `recorded`.
    fn settled(date: &str, recorded: &str) -> String {
        parse(date).unwrap().settled(day(recorded)).to_string()
    }

    #[test]
    fn recorded_after_its_end_a_date_settles_at_its_end() {
        assert_eq!(settled("2025-07-26", "2025-08-05"), "2025-07-26");
        assert_eq!(settled("2025-07", "2025-08-05"), "2025-07-31");
        assert_eq!(settled("2025", "2026-01-02"), "2025-12-31");
        assert_eq!(settled("2025-06/2025-07-15", "2025-08-05"), "2025-07-15");
        assert_eq!(settled("../2025-07", "2025-08-05"), "2025-07-31");
        // On the last day itself, both say the same.
        assert_eq!(settled("2025-07", "2025-07-31"), "2025-07-31");
    }

    #[test]
    fn recorded_within_its_interval_a_date_settles_the_day_it_was_recorded() {
        assert_eq!(settled("2025-07-26", "2025-07-26"), "2025-07-26");
        assert_eq!(settled("2025-07", "2025-07-10"), "2025-07-10");
        assert_eq!(settled("2025?", "2025-03-01"), "2025-03-01");
        assert_eq!(settled("2025-06/2025-07-15", "2025-06-20"), "2025-06-20");
        // An open start has no first day: any day before its end will do.
        assert_eq!(settled("../2025-07", "2025-07-28"), "2025-07-28");
        assert_eq!(settled("../2025-07", "1999-01-01"), "1999-01-01");
    }

    #[test]
    fn recorded_before_its_interval_starts_a_date_settles_at_its_end() {
        // What was recorded before it could happen was expected, not seen.
        assert_eq!(settled("2025-07-26", "2025-07-20"), "2025-07-26");
        assert_eq!(settled("2025-09", "2025-08-01"), "2025-09-30");
        assert_eq!(settled("2026", "2025-08-01"), "2026-12-31");
        assert_eq!(settled("2025-09/2025-10", "2025-08-01"), "2025-10-31");
    }
}
