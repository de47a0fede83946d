//! Times of recording: UTC, to the microsecond.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::{push_day, push_digits};

/// A moment of recording, in UTC, written RFC 3339 with microseconds
/// (`2025-07-26T09:30:00.000000Z`) so that text order is time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// 1970-01-01T00:00:00Z, for a time nobody recorded.
    pub const EPOCH: Timestamp = Timestamp(DateTime::<Utc>::UNIX_EPOCH);

    pub fn new(at: DateTime<Utc>) -> Timestamp {
        // Keep what the text keeps, so that a stored value reads back equal.
        let micros = at.timestamp_micros();
        Timestamp(DateTime::from_timestamp_micros(micros).unwrap_or(at))
    }

    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// The UTC calendar day of the moment: the day it was recorded.
    pub fn day(&self) -> NaiveDate {
        self.0.date_naive()
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_day_of_recording_is_the_utc_day() {
        let t = Timestamp::parse("2025-07-26T23:30:00-02:00").unwrap();
        assert_eq!(t.day(), NaiveDate::from_ymd_opt(2025, 7, 27).unwrap());
    }
}
