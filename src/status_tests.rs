//! Property tests of the status derivation (docs/DESIGN.md, "Derivation"): for
//! any set of developments and any report date, the status the CLI computes
//! (the store's per-item queries folded by `report::status`) equals a
//! reference fold written here straight from the contract, and equals what
//! the `status_now` view's SQL answers on that date. Provisional is null
//! whenever every development has settled by the report date.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rusqlite::Connection;

use crate::dates::{DevDate, PartialDate, Timestamp, day_text, days_between};
use crate::model::{DevId, Development, Provenance, Retraction, Status, WatchItem, WatchLink};
use crate::model::{Texts, WatchSlug, headline};
use crate::report::status::{self, Due, Provisional, StatusRow};
use crate::store::{Access, Store};

/// Days from late 2024 to early 2026, so that dates, recordings and report
/// dates overlap often.
fn day() -> impl Strategy<Value = NaiveDate> {
    (0u64..520).prop_map(|n| NaiveDate::from_ymd_opt(2024, 11, 1).unwrap() + chrono::Days::new(n))
}

/// A partial date within those days, at any precision.
fn partial() -> impl Strategy<Value = PartialDate> {
    (day(), 0usize..3).prop_map(|(d, precision)| {
        let text = match precision {
            0 => day_text(d),
            1 => format!("{:04}-{:02}", d.year(), d.month()),
            _ => format!("{:04}", d.year()),
        };
        text.parse().unwrap()
    })
}

fn dev_date() -> impl Strategy<Value = DevDate> {
    prop_oneof![
        3 => partial().prop_map(DevDate::from),
        1 => partial().prop_map(DevDate::open_start),
        1 => (partial(), partial()).prop_filter_map("in order", |(a, b)| DevDate::interval(a, b).ok()),
    ]
}

/// A development of the one watch item `w`, numbered `n`.
fn development(n: usize) -> impl Strategy<Value = Development> {
    (
        dev_date(),
        day(),
        prop::option::of(0usize..6),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
    )
        .prop_map(move |(date, recorded, to, scheduled, retracted)| {
            let recorded_at =
                Timestamp::parse(&format!("{}T12:00:00Z", day_text(recorded))).unwrap();
            Development {
                id: DevId::parse(&format!("d{n:02}")).unwrap(),
                date,
                kind: "other".into(),
                headline: headline(&format!("development {n}")).unwrap(),
                texts: Texts::default(),
                links: vec![WatchLink {
                    slug: WatchSlug::parse("w").unwrap(),
                    to: to.map(|i| Status::ALL[i]),
                }],
                actors: Vec::new(),
                sources: Vec::new(),
                recorded_at,
                scheduled,
                retracted: retracted.then(|| Retraction {
                    at: recorded_at,
                    reason: "false report".into(),
                }),
                provenance: Provenance::default(),
            }
        })
}

fn developments() -> impl Strategy<Value = Vec<Development>> {
    (0usize..10).prop_flat_map(|count| (0..count).map(development).collect::<Vec<_>>())
}

fn opened() -> PartialDate {
    "2024-10".parse().unwrap()
}

/// The developments in timeline order: start (an open start first), end,
/// time of recording, id.
fn in_timeline_order(devs: &[Development]) -> Vec<&Development> {
    let mut sorted: Vec<&Development> = devs.iter().collect();
    sorted.sort_by(|a, b| {
        a.date
            .timeline_cmp(&b.date)
            .then(a.recorded_at.cmp(&b.recorded_at))
            .then(a.id.cmp(&b.id))
    });
    sorted
}

/// The item's row as of `as_of`, straight from docs/DESIGN.md's words.
fn reference(devs: &[Development], as_of: NaiveDate) -> StatusRow {
    let ordered = in_timeline_order(devs);
    let counted: Vec<&Development> = ordered
        .iter()
        .copied()
        .filter(|d| d.counts_at(as_of))
        .collect();
    let setting = |d: &&Development| d.links[0].to.map(|to| (to, d.date));
    let (status, since) = counted
        .iter()
        .filter_map(setting)
        .fold(
            None,
            |run: Option<(Status, DevDate)>, (to, date)| match run {
                Some((current, since)) if current == to => Some((current, since)),
                _ => Some((to, date)),
            },
        )
        .map_or((Status::Open, None), |(to, since)| {
            (to, Some(since.to_string()))
        });
    let possible = ordered.iter().rev().find(|d| {
        d.retracted.is_none() && !d.scheduled && d.date.started_by(as_of) && d.links[0].to.is_some()
    });
    let provisional = possible
        .filter(|d| !d.counts_at(as_of) && d.links[0].to != Some(status))
        .map(|d| Provisional {
            status: d.links[0].to.unwrap_or(Status::Open),
            id: d.id.clone(),
        });
    let latest = counted.iter().filter_map(|d| d.settled()).max();
    let quiet_days = days_between(latest.unwrap_or_else(|| opened().end()), as_of);
    let (next_scheduled, overdue) = reference_due(&ordered, as_of);
    StatusRow {
        slug: "w".into(),
        title: "W".into(),
        description: None,
        status,
        since,
        developments: counted.len() as u64,
        last_date: counted.last().map(|d| d.date.to_string()),
        last_headline: counted.last().map(|d| d.headline.clone()),
        quiet_days,
        quiet_from: latest,
        stale: !status.is_terminal() && quiet_days > 30,
        provisional,
        next_scheduled,
        overdue,
    }
}

/// The first scheduled development whose date ends after `as_of`, and the
/// ids of those whose date has ended.
fn reference_due(ordered: &[&Development], as_of: NaiveDate) -> (Option<Due>, Vec<Due>) {
    let due: Vec<&Development> = ordered
        .iter()
        .copied()
        .filter(|d| d.scheduled && d.retracted.is_none())
        .collect();
    let as_due = |d: &&Development| Due {
        id: d.id.clone(),
        date: d.date.to_string(),
        headline: d.headline.clone(),
    };
    let next = due.iter().find(|d| d.date.end() > as_of).map(as_due);
    let overdue = due
        .iter()
        .filter(|d| d.date.end() <= as_of)
        .map(as_due)
        .collect();
    (next, overdue)
}

/// A store holding the item and the developments.
fn store_of(dir: &tempfile::TempDir, devs: &[Development]) -> Store {
    let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
    let now = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let tx = store.begin_change("test", now, "Tester").unwrap();
    let item = WatchItem {
        slug: WatchSlug::parse("w").unwrap(),
        title: "W".into(),
        description: None,
        opened: opened(),
        tags: Vec::new(),
        provenance: Provenance::default(),
    };
    store.insert_watch_item(&item, now).unwrap();
    for dev in devs {
        store.insert_development(dev).unwrap();
    }
    tx.commit("test").unwrap();
    store
}

/// The `status_now` view's query with `as_of` for today, read by a
/// connection of its own (the view is for sqlite3 and Datasette).
fn view_row(store: &Store, as_of: NaiveDate) -> Vec<String> {
    let conn = Connection::open(store.path()).unwrap();
    let view: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'status_now'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let query = view.replace("CREATE VIEW status_now AS", "").replace(
        "SELECT date('now', 'localtime')",
        &format!("SELECT '{}'", day_text(as_of)),
    );
    let mut stmt = conn.prepare(&query).unwrap();
    let width = stmt.column_count();
    stmt.query_row([], |r| {
        (0..width)
            .map(|i| {
                Ok(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => String::new(),
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    other => other.as_str().unwrap_or_default().to_string(),
                })
            })
            .collect()
    })
    .unwrap()
}

/// The row as the status CSV writes it, cell by cell.
fn csv_cells(row: &StatusRow) -> Vec<String> {
    let report = status::StatusReport {
        as_of: String::new(),
        stale_after: status::DEFAULT_STALE_AFTER,
        items: vec![row.clone()],
    };
    let listing = status::listing(&report);
    listing.rows[0]
        .iter()
        .map(|cell| match cell {
            serde_json::Value::Bool(b) => i64::from(*b).to_string(),
            other => crate::report::cell_text(other),
        })
        .collect()
}

fn check(devs: &[Development], as_of: NaiveDate) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, devs);
    let facts = store.item_facts(as_of, &Default::default()).unwrap();
    let report = status::build(facts, as_of, status::DEFAULT_STALE_AFTER);
    prop_assert_eq!(report.items.len(), 1);
    let row = &report.items[0];
    prop_assert_eq!(row, &reference(devs, as_of));
    prop_assert_eq!(view_row(&store, as_of), csv_cells(row));
    let all_settled = devs
        .iter()
        .filter(|d| d.retracted.is_none() && !d.scheduled)
        .all(|d| d.settled().is_some_and(|s| s <= as_of));
    if all_settled {
        prop_assert_eq!(&row.provisional, &None);
    }
    Ok(())
}

/// What `changes` reads of a window when it streams (a window too large to
/// hold) is what it derives from the arrivals it holds otherwise: the
/// settings and their count, and the developments to draw.
fn check_window(
    devs: &[Development],
    since: NaiveDate,
    until: NaiveDate,
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, devs);
    let slug = WatchSlug::parse("w").unwrap();
    let mut arrivals = Vec::new();
    store
        .window_arrivals(&slug, since, until, |a| {
            arrivals.push(a);
            Ok(())
        })
        .unwrap();
    let mut settings = Vec::new();
    let count = store
        .window_settings(&slug, since, until, |s| {
            settings.push(s);
            Ok(())
        })
        .unwrap();
    prop_assert_eq!(count, arrivals.len() as u64);
    let held: Vec<_> = arrivals
        .iter()
        .filter_map(|a| {
            a.to.map(|to| crate::model::WindowSetting {
                to,
                date: a.dev.date,
                id: a.dev.id.clone(),
                after_settled_status: a.after_settled_status,
            })
        })
        .collect();
    prop_assert_eq!(settings, held);
    let mut drawn = Vec::new();
    let all = crate::store::ItemFilter::default();
    store
        .window_developments(since, until, &all, |d| {
            drawn.push(d.id);
            Ok(())
        })
        .unwrap();
    let arrived: Vec<DevId> = arrivals.iter().map(|a| a.dev.id.clone()).collect();
    prop_assert_eq!(drawn, arrived);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn the_cli_fold_agrees_with_the_contract_and_the_view(devs in developments(), as_of in day()) {
        check(&devs, as_of)?;
    }

    #[test]
    fn a_window_streamed_reads_as_a_window_held(devs in developments(), a in day(), b in day()) {
        check_window(&devs, a.min(b), a.max(b))?;
    }
}

#[test]
fn a_development_that_may_have_happened_leaves_the_status_and_is_named() {
    let devs = vec![
        Development {
            date: "2025-07-26".parse().unwrap(),
            ..development_at("d00", Some(Status::Emerging), "2025-07-26")
        },
        Development {
            date: "2025-08".parse().unwrap(),
            ..development_at("d01", Some(Status::Stalled), "2025-09-02")
        },
    ];
    let as_of = NaiveDate::from_ymd_opt(2025, 8, 10).unwrap();
    check(&devs, as_of).unwrap();
    let row = reference(&devs, as_of);
    assert_eq!(row.status, Status::Emerging);
    assert_eq!(
        row.provisional,
        Some(Provisional {
            status: Status::Stalled,
            id: DevId::parse("d01").unwrap()
        })
    );
}

fn development_at(id: &str, to: Option<Status>, recorded: &str) -> Development {
    let recorded_at = Timestamp::parse(&format!("{recorded}T12:00:00Z")).unwrap();
    Development {
        id: DevId::parse(id).unwrap(),
        date: DevDate::from_day(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
        kind: "other".into(),
        headline: format!("{id} happened"),
        texts: Texts::default(),
        links: vec![WatchLink {
            slug: WatchSlug::parse("w").unwrap(),
            to,
        }],
        actors: Vec::new(),
        sources: Vec::new(),
        recorded_at,
        scheduled: false,
        retracted: None,
        provenance: Provenance::default(),
    }
}
