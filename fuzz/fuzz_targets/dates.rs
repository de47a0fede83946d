//! The date parser never panics, and what it accepts is a real date whose
//! text reads back the same and whose interval is in order.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use lookout::dates::PartialDate;

fuzz_target!(|text: &str| {
    let today = NaiveDate::from_ymd_opt(2025, 8, 1).expect("a real day");
    if let Ok(date) = PartialDate::parse(text, today) {
        assert!(date.start() <= date.end(), "{text:?}");
        let written = date.to_string();
        let again: PartialDate = written.parse().expect("a written date parses");
        assert_eq!(again, date, "{text:?}");
    }
});
