use super::*;

fn today() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 8, 1)
}

#[test]
fn precision_must_agree_with_the_date() {
    let date: DevDate = "2025-07".parse().unwrap();
    assert!(check_precision("", &date).is_ok());
    assert!(check_precision("month", &date).is_ok());
    let err = check_precision("day", &date).unwrap_err();
    assert_eq!(
        err.message(),
        "precision 'day' contradicts the date '2025-07', which is month-precise"
    );
    assert!(check_precision("week", &date).is_err());
    let interval: DevDate = "../2025-07".parse().unwrap();
    assert!(check_precision("interval", &interval).is_ok());
    let err = check_precision("month", &interval).unwrap_err();
    assert_eq!(
        err.message(),
        "precision 'month' contradicts the date '../2025-07', which is an interval"
    );
    let err = check_precision("interval", &date).unwrap_err();
    assert!(err.message().ends_with("which is month-precise"));
}

#[test]
fn start_and_end_must_be_the_dates_first_and_last_days() {
    let check = |date: &str, start: Option<&str>, end: Option<&str>| {
        let date: DevDate = date.parse().unwrap();
        check_interval(start, end, &date, Naming::Column).map_err(|e| e.message().to_string())
    };
    assert_eq!(
        check("2025-07", Some("2025-07-01"), Some("2025-07-31")),
        Ok(())
    );
    assert_eq!(check("2025-07", Some(""), Some(" ")), Ok(()));
    assert_eq!(check("../2025-07", Some(""), Some("2025-07-31")), Ok(()));
    assert_eq!(
        check("2025-07", Some("2025-07-02"), None),
        Err("column 'start': '2025-07-02' contradicts the date '2025-07', which starts on 2025-07-01".into())
    );
    assert_eq!(
        check("../2025-07", Some("2025-07-01"), None),
        Err("column 'start': '2025-07-01' contradicts the date '../2025-07', an open start, which has no first day".into())
    );
    assert_eq!(
        check("2025-06/2025-07", None, Some("2025-06-30")),
        Err("column 'end': '2025-06-30' contradicts the date '2025-06/2025-07', which ends on 2025-07-31".into())
    );
}

#[test]
fn scheduled_is_true_or_false() {
    assert_eq!(flag("true").ok(), Some(true));
    assert_eq!(flag(" false ").ok(), Some(false));
    assert_eq!(flag("").ok(), Some(false));
    let err = flag("yes").unwrap_err();
    assert_eq!(err.message(), "'yes' is neither true nor false");
}

#[test]
fn errors_name_the_column_or_field() {
    let input = RawDevelopment {
        date: "2025-07".into(),
        kind: "other".into(),
        headline: "x".into(),
        watch: vec!["intl-ai-org=finished".into()],
        ..RawDevelopment::default()
    };
    let err = input.check(Naming::Column, today()).unwrap_err();
    assert_eq!(err.message(), "column 'watch': unknown status 'finished'");
    let err = input.check(Naming::Field, today()).unwrap_err();
    assert_eq!(err.message(), "field 'watch': unknown status 'finished'");
    let blank = RawDevelopment {
        date: " ".into(),
        ..input
    };
    let err = blank.check(Naming::Column, today()).unwrap_err();
    assert_eq!(err.message(), "column 'date': is empty, and it is required");
}

#[test]
fn what_the_file_leaves_out_stays_unknown() {
    let input = RawDevelopment {
        date: "today".into(),
        kind: "other".into(),
        headline: "x".into(),
        ..RawDevelopment::default()
    };
    let draft = input.check(Naming::Column, today()).unwrap();
    assert_eq!(
        (draft.id, draft.recorded_at, draft.retracted),
        (None, None, None)
    );
    assert_eq!(draft.date.to_string(), "2025-08-01");
}
