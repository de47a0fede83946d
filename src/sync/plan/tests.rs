//! The plan on blobs held in memory.

use std::cell::RefCell;

use super::*;

/// Blobs by id, and which were read.
#[derive(Default)]
struct Blobs {
    by_id: BTreeMap<String, Vec<u8>>,
    read: RefCell<Vec<String>>,
}

impl Blobs {
    /// Stores a development file; returns its path and blob id.
    fn file(&mut self, devs: &[Development]) -> (String, Oid) {
        let records: Vec<Record> = devs.iter().cloned().map(Record::Development).collect();
        let text = tree::file_text(&records).unwrap();
        let id = tree::blob_id(&text);
        self.by_id.insert(id.clone(), text);
        let path = tree::path_of(RecordKind::Development, devs[0].id.as_str());
        (path, id.parse().unwrap())
    }
}

impl Repository for Blobs {
    fn read(&self, blob: &Oid) -> Result<Vec<u8>> {
        self.read.borrow_mut().push(blob.to_string());
        Ok(self.by_id[blob.as_str()].clone())
    }
    fn id_taken(&self, _: &DevId) -> Result<bool> {
        Ok(false)
    }
    fn development_using(
        &self,
        _: RecordKind,
        _: &str,
        _: &dyn Fn(&str) -> bool,
    ) -> Result<Option<DevId>> {
        Ok(None)
    }
}

#[test]
fn files_are_visited_in_the_order_ids_arrive() {
    // `a` comes before `a-b`, but its file after theirs.
    let mut blobs = Blobs::default();
    let a = Development::sample("a", "2025-07-01");
    let ab = Development::sample("a-b", "2025-07-02");
    let tree: BTreeMap<String, Oid> = [&a, &ab]
        .into_iter()
        .map(|d| blobs.file(std::slice::from_ref(d)))
        .collect();
    let mut planner = Planner::with_changed(&blobs, &tree, &tree, None);
    planner.vocabulary(Vec::new(), Vec::new()).unwrap();
    planner.development(a).unwrap();
    planner.development(ab).unwrap();
    let plan = planner.finish().unwrap();
    assert!(
        plan.files.is_empty(),
        "{:?}",
        crate::sync::git::Files::paths(&plan.files)
    );
    assert!(plan.changes_nothing());
}

#[test]
fn a_plan_of_what_changed_reads_only_the_changed_files() {
    let mut blobs = Blobs::default();
    let aa = Development::sample("aa1", "2025-07-01");
    let bb = Development::sample("bb1", "2025-07-02");
    let cc = Development::sample("cc1", "2025-07-03");
    let base: BTreeMap<String, Oid> = [&aa, &bb, &cc]
        .into_iter()
        .map(|d| blobs.file(std::slice::from_ref(d)))
        .collect();
    // The remote changed cc; this store changed bb.
    let cc_there = Development {
        headline: "changed there".into(),
        ..cc.clone()
    };
    let mut remote = base.clone();
    let (path, blob) = blobs.file(std::slice::from_ref(&cc_there));
    remote.insert(path, blob);
    let bb_here = Development {
        headline: "changed here".into(),
        ..bb.clone()
    };
    let changed = BTreeSet::from(["bb".to_string()]);
    let mut planner = Planner::with_changed(&blobs, &base, &remote, Some(&changed));
    assert_eq!(
        planner.to_read(),
        Some(vec![
            "developments/bb.jsonl".to_string(),
            "developments/cc.jsonl".to_string()
        ])
    );
    planner.vocabulary(Vec::new(), Vec::new()).unwrap();
    planner.development(bb_here.clone()).unwrap();
    planner.development(cc.clone()).unwrap();
    let mut plan = planner.finish().unwrap();
    assert_eq!(
        crate::sync::git::Files::paths(&plan.files),
        ["developments/bb.jsonl"]
    );
    let mut puts = Vec::new();
    plan.development_puts
        .each(|r| {
            puts.push(r);
            Ok(())
        })
        .unwrap();
    assert_eq!(puts, vec![Record::Development(cc_there)]);
    assert!(plan.vocabulary_puts.is_empty());
    assert_eq!((plan.sent.changed, plan.received.changed), (1, 1));
    let untouched = base["developments/aa.jsonl"].to_string();
    assert!(
        !blobs.read.borrow().contains(&untouched),
        "read a file neither side changed"
    );
    // With every shard marked (or none known), every file is visited.
    let planner = Planner::with_changed(&blobs, &base, &remote, None);
    assert_eq!(planner.to_read(), None);
}
