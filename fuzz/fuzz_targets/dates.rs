//! The date parsers never panic, and what they accept is a real date whose
//! text reads back the same and whose interval is in order: a single date
//! (`PartialDate`, as watch items are opened) and a development's date
//! (`DevDate`: a single date, an interval `A/B` or an open start `../B`),
//! whose settled day always lies within its interval.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use lookout::dates::{DevDate, PartialDate};

fuzz_target!(|text: &str| {
    let today = NaiveDate::from_ymd_opt(2025, 8, 1).expect("a real day");
    if let Ok(date) = PartialDate::parse(text, today) {
        assert!(date.start() <= date.end(), "{text:?}");
        let written = date.to_string();
        let again: PartialDate = written.parse().expect("a written date parses");
        assert_eq!(again, date, "{text:?}");
    }
    if let Ok(date) = DevDate::parse(text, today) {
        assert!(date.start().is_none_or(|start| start <= date.end()), "{text:?}");
        let written = date.to_string();
        let again: DevDate = written.parse().expect("a written date parses");
        assert_eq!(again, date, "{text:?}");
        let settled = date.settled(today);
        assert!(settled <= date.end() && date.started_by(settled), "{text:?}");
    }
});
