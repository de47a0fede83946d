//! Property tests: any development survives the timeline CSV and JSON Lines
//! round trips byte for byte — any Unicode, commas, quotes, newlines, and
//! cells that begin with `=`, `+`, `-`, `@`, `'`, tab or CR.

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::dates::{self, Timestamp};
use crate::formats::dialect::CsvSource;
use crate::formats::jsonl::{JsonlSource, JsonlWriter, Pass};
use crate::formats::timeline_csv::TimelineCsvWriter;
use crate::formats::{Row, Source};
use crate::model::{
    DevId, Development, Provenance, Retraction, Status, Texts, WatchLink, WatchSlug,
};
use crate::record::draft::{Draft, Naming, RawRecord};
use crate::record::{FlatDevelopment, Record};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 8, 1).unwrap()
}

/// Text as users type it, leaning on the characters that break naive CSV.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Control characters other than tabs and line ends never enter.
        any::<String>().prop_map(|s| s
            .chars()
            .filter(|c| !c.is_ascii_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect()),
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

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_102_444_800_000_000)
        .prop_map(|micros| Timestamp::new(DateTime::from_timestamp_micros(micros).unwrap()))
}

/// Who recorded and changed it; only JSON Lines carries this.
fn provenance() -> impl Strategy<Value = Provenance> {
    let author =
        || prop::option::of("[A-Za-zé][A-Za-z <>@.é]{0,20}".prop_map(|a| a.trim().to_string()));
    (author(), prop::option::of(timestamp()), author()).prop_map(
        |(recorded_by, updated_at, updated_by)| Provenance {
            recorded_by,
            updated_at,
            updated_by,
        },
    )
}

/// Who recorded it: what the timeline CSV carries of its provenance.
fn recorder() -> impl Strategy<Value = Provenance> {
    prop::option::of("[A-Za-zé][A-Za-z <>@.é]{0,20}".prop_map(|a| a.trim().to_string())).prop_map(
        |recorded_by| Provenance {
            recorded_by,
            ..Provenance::default()
        },
    )
}

/// A development; with `full`, one only JSON Lines can hold (retracted,
/// updated by someone).
fn development(full: bool) -> impl Strategy<Value = Development> {
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
    let (retracted, provenance) = if full {
        (
            prop::option::of((timestamp(), non_blank())).boxed(),
            provenance().boxed(),
        )
    } else {
        (Just(None).boxed(), recorder().boxed())
    };
    (
        (
            "[a-z0-9][a-z0-9-]{0,31}",
            dates::arbitrary_span(),
            "[a-z0-9][a-z0-9-]{0,15}",
            non_blank(),
            any::<bool>(),
        ),
        (
            prop::option::of(non_blank()),
            links,
            names(),
            names(),
            timestamp(),
            retracted,
            provenance,
        ),
    )
        .prop_map(
            |(
                (id, date, kind, headline, scheduled),
                (summary, links, actors, sources, recorded_at, retracted, provenance),
            )| Development {
                id: DevId::parse(&id).unwrap(),
                date,
                kind,
                headline,
                texts: Texts { summary },
                links,
                actors,
                sources,
                recorded_at,
                scheduled,
                retracted: retracted.map(|(at, reason)| Retraction { at, reason }),
                provenance,
            },
        )
}

fn read_back(rows: Vec<Row>) -> Vec<Development> {
    rows.into_iter()
        .map(|row| match row.record {
            Ok(raw @ RawRecord::Development(_)) => {
                let Draft::Development(draft) = raw.check(Naming::Column, Some(today())).unwrap()
                else {
                    unreachable!()
                };
                let now = Timestamp::parse("2000-01-01T00:00:00Z").unwrap();
                let id = draft.id.clone().unwrap();
                draft.into_development(id, now)
            }
            other => panic!("line {}: {other:?}", row.line),
        })
        .collect()
}

/// Writes `devs` with `write`, reads them back from a file with `read`,
/// checks they come back equal, and that writing them again gives the same bytes.
fn round_trip(
    devs: &[Development],
    extension: &str,
    write: impl Fn(&[Development]) -> Vec<u8>,
    read: impl Fn(&std::path::Path) -> Vec<Row>,
) -> Result<(), TestCaseError> {
    let first = write(devs);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("t.{extension}"));
    std::fs::write(&path, &first).unwrap();
    let back = read_back(read(&path));
    prop_assert_eq!(&back, &devs.to_vec());
    prop_assert_eq!(first, write(&back));
    Ok(())
}

fn write_csv(devs: &[Development]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = TimelineCsvWriter::new(&mut out).unwrap();
    for dev in devs {
        writer.write(&FlatDevelopment::of(dev)).unwrap();
    }
    writer.finish().unwrap();
    out
}

fn read_all(source: &mut dyn Source) -> Vec<Row> {
    let mut rows = Vec::new();
    while let Some(row) = source.next_row().unwrap() {
        rows.push(row);
    }
    rows
}

fn read_csv(path: &std::path::Path) -> Vec<Row> {
    read_all(&mut CsvSource::open(path).unwrap())
}

fn write_jsonl(devs: &[Development]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = JsonlWriter::new(&mut out);
    for dev in devs {
        writer.write(&Record::Development(dev.clone())).unwrap();
    }
    writer.finish().unwrap();
    out
}

fn read_jsonl(path: &std::path::Path) -> Vec<Row> {
    read_all(&mut JsonlSource::open(path, Pass::Developments).unwrap())
}

proptest! {
    #[test]
    fn timeline_csv_round_trips_byte_for_byte(devs in prop::collection::vec(development(false), 1..6)) {
        round_trip(&devs, "csv", write_csv, read_csv)?;
    }

    #[test]
    fn json_lines_round_trip_byte_for_byte(devs in prop::collection::vec(development(true), 1..6)) {
        // One record a line, whatever newlines the text holds.
        let bytes = write_jsonl(&devs);
        prop_assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), devs.len());
        round_trip(&devs, "jsonl", write_jsonl, read_jsonl)?;
    }
}
