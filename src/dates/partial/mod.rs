//! One partial date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` with an optional
//! qualifier, as a watch item is opened and as each side of a development's
//! interval is written.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};

use super::{DATE_FORMS, DateError, Precision};

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
    pub(crate) fn from_day(day: NaiveDate) -> PartialDate {
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
        parse_one(input, input, Some(today), DATE_FORMS)
    }

    pub(crate) fn year(&self) -> i32 {
        self.year
    }

    pub(crate) fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub(crate) fn is_uncertain(&self) -> bool {
        self.uncertain
    }

    pub(crate) fn is_approximate(&self) -> bool {
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

/// Parses `text`, a date or one side of an interval, naming `input` in
/// errors; with `today`, the words `today` and `yesterday` resolve against
/// it, without, they are refused (stored dates never hold them).
pub(super) fn parse_one(
    input: &str,
    text: &str,
    today: Option<NaiveDate>,
    forms: &str,
) -> Result<PartialDate, DateError> {
    let text = text.trim();
    match (text, today) {
        ("today", Some(today)) => return Ok(PartialDate::from_day(today)),
        ("yesterday", Some(today)) => {
            let day = today
                .checked_sub_days(Days::new(1))
                .ok_or_else(|| DateError::new(input, "yesterday is before the calendar"))?;
            return Ok(PartialDate::from_day(day));
        }
        _ => {}
    }
    parse_edtf(input, text, forms).map_err(|e| match written_otherwise(text) {
        Some(reason) => DateError::new(input, reason),
        None => e,
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What to write instead of a date written as people write dates — `07/2025`,
/// `01/10/2026`, `July 2025`, `26 July 2025` — which lookout does not guess
/// at (is 01/10 the first of October or the tenth of January?). None when
/// the text is no such date.
pub(super) fn written_otherwise(text: &str) -> Option<String> {
    let instead = spreadsheet_rewriting(text)
        .or_else(|| edtf_beyond_days(text))
        .or_else(|| written_as_people_write(text))?;
    Some(format!("expected YYYY-MM-DD, YYYY-MM or YYYY: {instead}"))
}

/// The date to write for one written in numbers (`07/2025`, `01/10/2026`)
/// or with a month's name (`July 2025`).
fn written_as_people_write(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).map(str::trim).collect();
    match parts.as_slice() {
        [m, y] if text.contains('/') => {
            let (m, y) = (digits(m, 1..=2)?, digits(y, 4..=4)?);
            (1..=12)
                .contains(&m)
                .then(|| format!("{y}-{m:02} for that month"))
        }
        [a, b, y] => {
            let (a, b, y) = (digits(a, 1..=2)?, digits(b, 1..=2)?, digits(y, 4..=4)?);
            let mut read: Vec<String> = [iso_day(y, b, a), iso_day(y, a, b)]
                .into_iter()
                .flatten()
                .collect();
            read.dedup();
            match read.as_slice() {
                [] => None,
                [one] => Some(one.clone()),
                [dmy, mdy] => Some(format!(
                    "{dmy} if it is day/month/year, {mdy} if month/day/year"
                )),
                _ => None,
            }
        }
        _ => with_month_name(text),
    }
}

/// The date to write for one with a month's name: "July 2025", "26 July
/// 2025", "July 26, 2025".
fn with_month_name(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.starts_with(w.trim_end_matches('.')))
            .map(|i| i as u32 + 1)
    };
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [m, y] => {
            let (m, y) = (month(m)?, digits(y, 4..=4)?);
            Some(format!("{y}-{m:02}"))
        }
        [d, m, y] | [m, d, y] if month(m).is_some() => {
            let (m, d, y) = (month(m)?, digits(d, 1..=2)?, digits(y, 4..=4)?);
            iso_day(y, m, d)
        }
        _ => None,
    }
}

/// `s` as a number, when it is only ASCII digits and as many as `len` allows.
fn digits(s: &str, len: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse::<u32>().ok())
        .flatten()
}

/// A day as `YYYY-MM-DD`, when it is one on the calendar.
fn iso_day(y: u32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

/// What a spreadsheet makes of a date it opened as a number and saved
/// back: `2024%` shown as the percentage `2024.00%`, a day as its serial
/// number (days since 1899-12-30: `45864` for 2025-07-26). Said with the
/// date to write and how to keep the column as text.
fn spreadsheet_rewriting(text: &str) -> Option<String> {
    const KEEP: &str = "open the file with the date column as text (in LibreOffice's import dialog, or Excel's Data → From Text/CSV) so the spreadsheet leaves it as written";
    // `2024%` itself is a date (uncertain and approximate); the spreadsheet's
    // percentage has decimals.
    if let Some((whole, _)) = text.strip_suffix('%').and_then(|n| n.split_once('.')) {
        let number = &text[..text.len() - 1];
        let year_like = whole.len() == 4 && number.parse::<f64>().is_ok();
        return year_like.then(|| {
            format!("a spreadsheet turned {whole}% (some time around {whole}, perhaps) into the percentage {text}; write {whole}% and {KEEP}")
        });
    }
    let serial: u32 = (text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()?;
    let day = NaiveDate::from_ymd_opt(1899, 12, 30)?
        .checked_add_days(chrono::Days::new(u64::from(serial)))?;
    Some(format!(
        "{text} looks like a spreadsheet's number for the day {}; write {} and {KEEP}",
        day.format("%Y-%m-%d"),
        day.format("%Y-%m-%d")
    ))
}

/// EDTF that says more or other than a day, month or year: a date and
/// time (level 0), answered with its day; a season (level 1, `2025-21`),
/// answered with its months.
fn edtf_beyond_days(text: &str) -> Option<String> {
    if let Some((day, _time)) = text.split_once('T')
        && NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok()
    {
        return Some(format!(
            "{text} is a date and time; lookout keeps days: write {day}"
        ));
    }
    let (year, season) = text.split_once('-')?;
    let year: i32 = (year.len() == 4).then(|| year.parse().ok()).flatten()?;
    let (name, months) = match season {
        "21" => ("spring", format!("{year}-03/{year}-05")),
        "22" => ("summer", format!("{year}-06/{year}-08")),
        "23" => ("autumn", format!("{year}-09/{year}-11")),
        "24" => ("winter", format!("{year}-12/{}-02", year + 1)),
        _ => return None,
    };
    Some(format!(
        "{text} is the {name} of {year} (an EDTF season); lookout keeps months: write {months} (the northern {name}), or the months you mean"
    ))
}

fn parse_edtf(input: &str, text: &str, forms: &str) -> Result<PartialDate, DateError> {
    if text.is_empty() {
        return Err(DateError::new(input, format!("expected {forms}")));
    }
    let (body, uncertain, approximate) = match text.as_bytes()[text.len() - 1] {
        b'?' => (&text[..text.len() - 1], true, false),
        b'~' => (&text[..text.len() - 1], false, true),
        b'%' => (&text[..text.len() - 1], true, true),
        _ => (text, false, false),
    };
    let shape_error = || DateError::new(input, format!("expected {forms}"));
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
        parse_edtf(text, text, DATE_FORMS)
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

#[cfg(test)]
mod tests;
