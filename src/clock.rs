//! The one clock of lookout.
//!
//! Every "today" and "now" comes from here, read once per command, so a report
//! never mixes two readings and tests can pin the day with `LOOKOUT_TODAY`.
//! Clippy's `disallowed-methods` (clippy.toml) keeps other modules off the
//! system clock.

use std::cell::Cell;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::dates::Timestamp;
use crate::error::{Error, Result};

/// The environment variable that pins today's date (`YYYY-MM-DD`).
pub const TODAY_VAR: &str = "LOOKOUT_TODAY";

/// The environment variable that pins the time of recording (RFC 3339), so
/// that tests can write a journal over days (`--known-on`, corrections).
pub const NOW_VAR: &str = "LOOKOUT_NOW";

#[derive(Debug)]
pub struct Clock {
    today: NaiveDate,
    /// `LOOKOUT_NOW`: the first time of recording; later ones a microsecond apart.
    pinned_now: Option<DateTime<Utc>>,
    last: Cell<Option<DateTime<Utc>>>,
}

impl Clock {
    /// The local calendar day, unless `LOOKOUT_TODAY` pins it.
    #[allow(clippy::disallowed_methods)] // the one place that reads the system clock
    pub fn from_env() -> Result<Clock> {
        let today = match std::env::var(TODAY_VAR) {
            Ok(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                Error::data(format!(
                    "{TODAY_VAR}='{}' is not a date; expected YYYY-MM-DD",
                    crate::screen::echo(&text)
                ))
                .with_hint(format!("unset {TODAY_VAR} to use the system date"))
            })?,
            Err(_) => chrono::Local::now().date_naive(),
        };
        let pinned_now = match std::env::var(NOW_VAR) {
            Ok(text) => Some(
                Timestamp::parse(&text)
                    .map_err(|e| {
                        Error::data(format!("{NOW_VAR}: {}", crate::screen::echo(&e)))
                            .with_hint(format!("unset {NOW_VAR} to use the system time"))
                    })?
                    .as_datetime(),
            ),
            Err(_) => None,
        };
        Ok(Clock {
            pinned_now,
            ..Clock::fixed(today)
        })
    }

    /// A clock whose today is `today`; times of recording still come from the system.
    pub fn fixed(today: NaiveDate) -> Clock {
        Clock {
            today,
            pinned_now: None,
            last: Cell::new(None),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The current UTC time, strictly increasing within this process, so that
    /// rows recorded in one run keep the order they were given in.
    #[allow(clippy::disallowed_methods)] // the one place that reads the system clock
    pub fn now(&self) -> Timestamp {
        let mut now = Timestamp::new(self.pinned_now.unwrap_or_else(Utc::now)).as_datetime();
        if let Some(last) = self.last.get()
            && now <= last
        {
            now = last + TimeDelta::microseconds(1);
        }
        self.last.set(Some(now));
        Timestamp::new(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_strictly_increasing() {
        let clock = Clock::fixed(NaiveDate::from_ymd_opt(2025, 8, 1).unwrap());
        let times: Vec<Timestamp> = (0..1000).map(|_| clock.now()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        // And the text sorts the same way as the times.
        let texts: Vec<String> = times.iter().map(|t| t.to_string()).collect();
        assert!(texts.windows(2).all(|w| w[0] < w[1]));
    }
}
