use std::collections::HashMap;

use chrono::NaiveDate;

use super::*;
use crate::clock::Clock;
use crate::dates::Timestamp;
use crate::formats::dialect::CsvSource;
use crate::formats::rejects::RejectsWriter;
use crate::import::summary::Tally;
use crate::import::{Loader, Summary};
use crate::model::{DevId, WatchItem};
use crate::store::Access;

#[test]
fn a_tag_gives_back_every_key_noted_under_it_oldest_first_as_the_table_grows() {
    let mut matches = RunMatches::new();
    let mut model: HashMap<u32, Vec<i64>> = HashMap::new();
    // Few tags, so that many keys share one and the probes run long.
    for key in 1..5_000i64 {
        let tag = (key as u32).wrapping_mul(2_654_435_761) % 701;
        assert!(matches.insert(key, tag));
        model.entry(tag).or_default().push(key);
    }
    assert!(matches.slots.len() >= 2 * 4_999);
    for (tag, keys) in &model {
        assert_eq!(&matches.keys_tagged(*tag), keys, "tag {tag}");
    }
    assert!(matches.keys_tagged(701).is_empty());
}

#[test]
fn keys_a_slot_cannot_hold_are_refused() {
    let mut matches = RunMatches::new();
    assert!(!matches.insert(0, 7));
    assert!(!matches.insert(-1, 7));
    assert!(!matches.insert(1 << 32, 7));
    assert!(matches.insert(u32::MAX.into(), 7));
    assert_eq!(matches.keys_tagged(7), [i64::from(u32::MAX)]);
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
    let now = Timestamp::parse("2025-08-01T00:00:00Z").unwrap();
    let tx = store.begin_change("watch add", now, "T").unwrap();
    for slug in ["a", "b", "c"] {
        store
            .insert_watch_item(&WatchItem::sample(slug), now)
            .unwrap();
    }
    tx.commit("added").unwrap();
    (dir, store)
}

fn dev(id: &str, date: &str, headline: &str, links: &[&str]) -> Development {
    Development {
        headline: headline.into(),
        links: WatchLink::parse_list(links.iter().copied()).unwrap(),
        ..Development::sample(id, date)
    }
}

#[test]
fn a_match_is_read_back_and_compared_so_a_shared_tag_never_matches_another() {
    let (_dir, store) = store();
    let now = Timestamp::parse("2025-08-02T00:00:00Z").unwrap();
    let _tx = store.begin_change("import", now, "T").unwrap();
    let one = dev("d1", "2025-07", "One", &["a", "b=emerging"]);
    let other = dev("d2", "2025-07", "Other", &["a"]);
    let mut matches = RunMatches::new();
    let (key_one, key_other) = (1, 2);
    store.insert_development(&one).unwrap();
    store.insert_development(&other).unwrap();
    // `other` under one's tag first, as if their match keys shared a tag.
    let tag = matches.tag_of(&one.date, &one.headline, &one.links);
    assert!(matches.insert(key_other, tag));
    assert!(matches.note(key_one, &one));
    assert!(matches.note(key_other, &other));
    let find = |matches: &mut RunMatches, date: &str, headline: &str, links: &[&str]| {
        let links = WatchLink::parse_list(links.iter().copied()).unwrap();
        let date = date.parse().unwrap();
        let found = matches.find(&store, &date, headline, &links).unwrap();
        found.map(|d| d.id.to_string())
    };
    // Slugs as a set, in any order, whatever status they set.
    let found = find(&mut matches, "2025-07", "One", &["b", "a=realised"]);
    assert_eq!(found.as_deref(), Some("d1"));
    assert_eq!(
        find(&mut matches, "2025-07", "Other", &["a"]).as_deref(),
        Some("d2")
    );
    // The date as entered, the whole headline, the whole set.
    assert_eq!(find(&mut matches, "2025-07?", "One", &["a", "b"]), None);
    assert_eq!(find(&mut matches, "2025-07", "one", &["a", "b"]), None);
    assert_eq!(find(&mut matches, "2025-07", "One", &["a"]), None);
    assert_eq!(find(&mut matches, "2025-07", "One", &["a", "b", "c"]), None);
}

/// Imports `csv` in one run; its summary, and whether rows without id were
/// matched in memory.
fn import(store: &Store, csv: &str) -> (Summary, bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("developments.csv");
    std::fs::write(&path, csv).unwrap();
    let clock = Clock::fixed(NaiveDate::from_ymd_opt(2025, 8, 1).unwrap());
    let tx = store.begin_change("import", clock.now(), "T").unwrap();
    let rejects: Option<RejectsWriter<Vec<u8>>> = None;
    let mut loader = Loader::new(store, &clock, "T <t@example.org>", false, rejects).unwrap();
    let mut source = CsvSource::open(&path).unwrap();
    loader.load(&mut source, &mut |_| {}).unwrap();
    let in_memory = loader.matches.is_some();
    let summary = loader.finish().unwrap().summary;
    tx.commit("imported").unwrap();
    (summary, in_memory)
}

fn tally(added: u64, updated: u64, unchanged: u64) -> Tally {
    Tally {
        added,
        updated,
        unchanged,
    }
}

/// Rows without ids that repeat one another, one that repeats a row with id
/// before it (written before the first row without id), and one that a row
/// with id changed under it.
const MIXED: &str = "id,date,kind,watch,headline,summary\n\
    x1,2025-07-02,other,a,Known by id,\n\
    ,2025-07,other,a;b,Twice,\n\
    ,2025-07,other,b;a,Twice,\n\
    ,2025-07,other,a,Twice,\n\
    ,2025-07-02,other,a,Known by id,A summary\n\
    x1,2025-07-02,other,c,Renamed,\n\
    ,2025-07-02,other,a,Known by id,\n\
    ,2025-07-02,other,c,Renamed,Again\n";

#[test]
fn in_a_store_without_developments_rows_without_ids_match_what_the_run_wrote() {
    // Up to the row without id that repeats x1, written before the table
    // was begun: the table is begun with what the store holds.
    let (_dir, first) = store();
    let rows: Vec<&str> = MIXED.lines().take(6).collect();
    let (summary, in_memory) = import(&first, &(rows.join("\n") + "\n"));
    assert!(in_memory);
    assert_eq!(summary.developments, tally(3, 2, 0));
    let x1 = first
        .development(&DevId::parse("x1").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(x1.texts.summary.as_deref(), Some("A summary"));
    let (_dir, store) = store();
    let (summary, in_memory) = import(&store, MIXED);
    assert!(in_memory);
    // Added: x1, Twice (a;b), Twice (a), and Known by id (a) again once x1
    // had moved away from it. Updated: Twice, its links reordered (b;a); x1
    // given a summary by a row without id, renamed by its own row, and
    // given another summary.
    assert_eq!(summary.developments, tally(4, 4, 0));
    let x1 = store
        .development(&DevId::parse("x1").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(x1.headline, "Renamed");
    assert_eq!(x1.texts.summary.as_deref(), Some("Again"));
}

#[test]
fn a_store_that_held_developments_is_asked_and_answers_the_same() {
    let (_dir, store) = store();
    let (_, in_memory) = import(&store, "date,kind,watch,headline\n2020,other,c,Unrelated\n");
    assert!(in_memory);
    let (summary, in_memory) = import(&store, MIXED);
    assert!(!in_memory);
    assert_eq!(summary.developments, tally(4, 4, 0));
    // And again, each row now matching a development: Twice reordered
    // twice, x1 rewritten by four rows; Twice (a) and Known by id unchanged.
    let (summary, _) = import(&store, MIXED);
    assert_eq!(summary.developments, tally(0, 6, 2));
}
