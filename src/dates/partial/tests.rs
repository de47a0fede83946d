use super::written_otherwise;

#[test]
fn dates_written_as_people_write_them_are_answered_in_iso() {
    let said = |text: &str| written_otherwise(text).unwrap_or_default();
    assert_eq!(
        said("07/2025"),
        "expected YYYY-MM-DD, YYYY-MM or YYYY: 2025-07 for that month"
    );
    assert_eq!(
        said("01/10/2026"),
        "expected YYYY-MM-DD, YYYY-MM or YYYY: 2026-10-01 if it is day/month/year, 2026-01-10 if month/day/year"
    );
    assert_eq!(
        said("26/07/2025"),
        "expected YYYY-MM-DD, YYYY-MM or YYYY: 2025-07-26"
    );
    assert_eq!(
        said("July 2025"),
        "expected YYYY-MM-DD, YYYY-MM or YYYY: 2025-07"
    );
    assert_eq!(
        said("26 July 2025"),
        "expected YYYY-MM-DD, YYYY-MM or YYYY: 2025-07-26"
    );
    assert_eq!(
        said("Jul 26, 2025"),
        "expected YYYY-MM-DD, YYYY-MM or YYYY: 2025-07-26"
    );
    for not_one in [
        "2025-07",
        "2025/2026",
        "2025-13-01",
        "13/2025",
        "soon",
        "May",
        "32/01/2025",
    ] {
        assert_eq!(written_otherwise(not_one), None, "{not_one}");
    }
    // EDTF beyond days: a date and time, a season.
    assert!(
        said("2025-07-26T10:30:00Z")
            .contains("a date and time; lookout keeps days: write 2025-07-26")
    );
    assert!(said("2025-21").contains(
        "the spring of 2025 (an EDTF season); lookout keeps months: write 2025-03/2025-05"
    ));
    assert!(said("2025-24").contains("write 2025-12/2026-02"));
    // What a spreadsheet saves back of a date it read as a number.
    assert!(
        said("2024.00%").contains("write 2024% and open the file with the date column as text")
    );
    assert!(said("45864").contains("the day 2025-07-26; write 2025-07-26"));
    for not_one in ["12.5%", "4586", "2024x%", "2024%"] {
        assert_eq!(written_otherwise(not_one), None, "{not_one}");
    }
}

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
