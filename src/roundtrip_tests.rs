//! Property tests: any development survives the timeline CSV and JSON Lines
//! round trips byte for byte — any Unicode, commas, quotes, newlines, and
//! cells that begin with `=`, `+`, `-`, `@`, `'`, tab or CR.

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;

use crate::csv_io::{CsvSource, TimelineWriter};
use crate::dates::{PartialDate, Timestamp};
use crate::input::{Item, Record};
use crate::jsonl::{JsonlSource, JsonlWriter, Pass};
use crate::model::{DevId, Development, Retraction, Status, WatchLink, WatchSlug};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 8, 1).unwrap()
}

/// Text as users type it, leaning on the characters that break naive CSV.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+@'\t\r-]?[a-z ,\"\n;é中文]{0,12}",
        Just("'=1+1".to_string()),
        Just("\"\"".to_string()),
    ]
}

fn non_blank() -> impl Strategy<Value = String> {
    text().prop_filter("not blank", |t| !t.trim().is_empty())
}

/// Names as `model::actors` keeps them: trimmed, no `;`, distinct.
fn names() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..4).prop_map(|names| {
        let mut out: Vec<String> = Vec::new();
        for name in names {
            let name = name.replace(';', ",").trim().to_string();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    })
}

fn date() -> impl Strategy<Value = PartialDate> {
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

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_102_444_800_000_000)
        .prop_map(|micros| Timestamp::new(DateTime::from_timestamp_micros(micros).unwrap()))
}

fn development(with_retraction: bool) -> impl Strategy<Value = Development> {
    let links =
        prop::collection::btree_map("[a-z0-9][a-z0-9-]{0,10}", prop::option::of(0usize..6), 0..3)
            .prop_map(|map| {
                map.into_iter()
                    .map(|(slug, to)| WatchLink {
                        slug: WatchSlug::parse(&slug).unwrap(),
                        to: to.map(|i| Status::ALL[i]),
                    })
                    .collect::<Vec<_>>()
            });
    let retracted = if with_retraction {
        prop::option::of((timestamp(), non_blank())).boxed()
    } else {
        Just(None).boxed()
    };
    (
        (
            "[a-z0-9][a-z0-9-]{0,31}",
            date(),
            "[a-z0-9][a-z0-9-]{0,15}",
            non_blank(),
        ),
        (
            prop::option::of(non_blank()),
            links,
            names(),
            names(),
            timestamp(),
            retracted,
        ),
    )
        .prop_map(
            |(
                (id, date, kind, headline),
                (summary, links, actors, sources, recorded_at, retracted),
            )| Development {
                id: DevId::parse(&id).unwrap(),
                date,
                kind,
                headline,
                summary,
                links,
                actors,
                sources,
                recorded_at,
                retracted: retracted.map(|(at, reason)| Retraction { at, reason }),
            },
        )
}

fn read_back(items: Vec<Item>) -> Vec<Development> {
    items
        .into_iter()
        .map(|item| match item.record {
            Record::Development(input) => {
                let now = Timestamp::parse("2000-01-01T00:00:00Z").unwrap();
                input.check(today(), now).unwrap().development
            }
            other => panic!("line {}: {other:?}", item.line),
        })
        .collect()
}

proptest! {
    #[test]
    fn timeline_csv_round_trips_byte_for_byte(devs in prop::collection::vec(development(false), 1..6)) {
        let mut first = Vec::new();
        let mut writer = TimelineWriter::new(&mut first).unwrap();
        for dev in &devs {
            writer.write(dev).unwrap();
        }
        writer.finish().unwrap();

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, &first).unwrap();
        let mut source = CsvSource::open(&path).unwrap();
        let mut items = Vec::new();
        while let Some(item) = source.next_item().unwrap() {
            items.push(item);
        }
        let back = read_back(items);
        prop_assert_eq!(&back, &devs);

        let mut second = Vec::new();
        let mut writer = TimelineWriter::new(&mut second).unwrap();
        for dev in &back {
            writer.write(dev).unwrap();
        }
        writer.finish().unwrap();
        prop_assert_eq!(first, second);
    }

    #[test]
    fn json_lines_round_trip_byte_for_byte(devs in prop::collection::vec(development(true), 1..6)) {
        let mut first = Vec::new();
        let mut writer = JsonlWriter::new(&mut first);
        for dev in &devs {
            writer.development(dev).unwrap();
        }
        writer.finish().unwrap();
        prop_assert_eq!(first.iter().filter(|b| **b == b'\n').count(), devs.len());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, &first).unwrap();
        let mut source = JsonlSource::open(&path, Pass::Developments).unwrap();
        let mut items = Vec::new();
        while let Some(item) = source.next_item().unwrap() {
            items.push(item);
        }
        let back = read_back(items);
        prop_assert_eq!(&back, &devs);

        let mut second = Vec::new();
        let mut writer = JsonlWriter::new(&mut second);
        for dev in &back {
            writer.development(dev).unwrap();
        }
        writer.finish().unwrap();
        prop_assert_eq!(first, second);
    }
}
