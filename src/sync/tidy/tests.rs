//! Tidying trees held in memory.

use super::*;
use crate::dates::Timestamp;
use crate::model::Development;

fn line(dev: &Development) -> String {
    Record::Development(dev.clone()).to_line()
}

/// A tree of files given as lines, and its blobs.
struct Tree {
    files: BTreeMap<String, Oid>,
    blobs: HashMap<String, Vec<u8>>,
}

impl Tree {
    fn new(files: &[(&str, Vec<String>)]) -> Tree {
        let mut tree = Tree {
            files: BTreeMap::new(),
            blobs: HashMap::new(),
        };
        for (path, lines) in files {
            let text: Vec<u8> = lines
                .iter()
                .flat_map(|l| format!("{l}\n").into_bytes())
                .collect();
            let id = tree::blob_id(&text);
            tree.blobs.insert(id.clone(), text);
            tree.files.insert(path.to_string(), id.parse().unwrap());
        }
        tree
    }

    fn tidy(&self, base: Option<&BTreeMap<String, Oid>>) -> Tidied {
        tidy(&self.files, base, &|blob: &Oid| {
            Ok(self.blobs[blob.as_str()].clone())
        })
        .unwrap()
    }
}

fn records(tidied: &Tidied, path: &str) -> Vec<String> {
    let text = tidied.text(&tidied.files[path]).unwrap();
    std::str::from_utf8(text)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_tidy_tree_is_left_as_it_is() {
    let (a, b) = (
        Development::sample("ab01", "2025-07-01"),
        Development::sample("ab02", "2025-07-02"),
    );
    let tree = Tree::new(&[("developments/ab.jsonl", vec![line(&a), line(&b)])]);
    let tidied = tree.tidy(None);
    assert_eq!(tidied.files, tree.files);
    assert!(tidied.repairs.is_empty() && tidied.found.is_empty());
}

#[test]
fn lines_out_of_order_are_sorted_and_repaired() {
    let (a, b) = (
        Development::sample("ab01", "2025-07-01"),
        Development::sample("ab02", "2025-07-02"),
    );
    let tree = Tree::new(&[("developments/ab.jsonl", vec![line(&b), line(&a), line(&b)])]);
    let tidied = tree.tidy(None);
    assert_eq!(
        records(&tidied, "developments/ab.jsonl"),
        vec![line(&a), line(&b)]
    );
    assert!(tidied.repairs.contains_key("developments/ab.jsonl"));
    assert_eq!(
        tidied.found,
        vec![Found::Unsorted {
            path: "developments/ab.jsonl".into()
        }]
    );
}

#[test]
fn a_record_in_another_file_moves_to_its_own() {
    let a = Development::sample("ab01", "2025-07-01");
    let z = Development::sample("zz01", "2025-07-02");
    let z2 = Development::sample("zz02", "2025-07-03");
    let tree = Tree::new(&[
        ("developments/ab.jsonl", vec![line(&a), line(&z)]),
        ("developments/zz.jsonl", vec![line(&z2)]),
    ]);
    let tidied = tree.tidy(None);
    assert_eq!(records(&tidied, "developments/ab.jsonl"), vec![line(&a)]);
    assert_eq!(
        records(&tidied, "developments/zz.jsonl"),
        vec![line(&z), line(&z2)]
    );
    assert!(
        matches!(&tidied.found[0], Found::Misplaced { key, belongs_in, .. }
        if key == "zz01" && belongs_in == "developments/zz.jsonl")
    );
    // A file left with nothing is deleted.
    let tree = Tree::new(&[("developments/xx.jsonl", vec![line(&z)])]);
    let tidied = tree.tidy(None);
    assert_eq!(tidied.repairs.get("developments/xx.jsonl"), Some(&None));
    assert!(!tidied.files.contains_key("developments/xx.jsonl"));
    assert_eq!(records(&tidied, "developments/zz.jsonl"), vec![line(&z)]);
}

#[test]
fn one_id_in_two_files_keeps_the_copy_changed_later_and_says_so() {
    let z = Development::sample("zz01", "2025-07-01");
    let mut evil = z.clone();
    evil.headline = "changed by hand".into();
    evil.provenance.updated_at = Timestamp::parse("2025-09-01T00:00:00Z").ok();
    let tree = Tree::new(&[
        ("developments/ab.jsonl", vec![line(&evil)]),
        ("developments/zz.jsonl", vec![line(&z)]),
    ]);
    let tidied = tree.tidy(None);
    assert_eq!(records(&tidied, "developments/zz.jsonl"), vec![line(&evil)]);
    assert!(
        tidied
            .found
            .iter()
            .any(|f| matches!(f, Found::TwoCopies { key, .. } if key == "zz01")),
        "{:?}",
        tidied.found
    );
}

#[test]
fn only_files_the_remote_changed_are_looked_at() {
    let (a, b) = (
        Development::sample("ab01", "2025-07-01"),
        Development::sample("ab02", "2025-07-02"),
    );
    let tree = Tree::new(&[("developments/ab.jsonl", vec![line(&b), line(&a)])]);
    // The base agreed on this very file: nothing to tidy.
    let tidied = tree.tidy(Some(&tree.files));
    assert!(tidied.repairs.is_empty());
}

#[test]
fn a_newer_tracker_format_is_refused_by_version() {
    assert!(check_marker(tree::MARKER.as_bytes(), "r").is_ok());
    let err = check_marker(b"{\"format\":\"lookout tracker\",\"version\":99}", "r").unwrap_err();
    assert!(
        err.message().contains("format version 99"),
        "{}",
        err.message()
    );
    assert!(check_marker(b"not json", "r").is_err());
}

#[test]
fn keys_are_read_off_the_front_of_lines_lookout_wrote_and_parsed_otherwise() {
    let dev = Development::sample("ab01", "2025-07-01");
    let written = line(&dev);
    assert_eq!(
        key_as_written(written.as_bytes()),
        Some((RecordKind::Development, "ab01".into()))
    );
    assert_eq!(
        key_as_written(b"{\"type\":\"kind\",\"name\":\"court-ruling\"}"),
        Some((RecordKind::Kind, "court-ruling".into()))
    );
    // Written by hand, or with an escape in the key: parsed instead.
    assert_eq!(
        key_as_written(b"{ \"type\": \"development\", \"id\": \"ab01\"}"),
        None
    );
    assert_eq!(
        key_as_written(b"{\"type\":\"development\",\"id\":\"a\\u0062\"}"),
        None
    );
    let hand = format!(
        "{{\"id\":\"zz01\",{}",
        &written[1..].replace("\"id\":\"ab01\",", "")
    );
    assert!(!is_tidy("developments/ab.jsonl", hand.as_bytes()));
}
