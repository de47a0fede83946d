use super::*;
use serde_json::json;

fn dev(fields: Value) -> Record {
    let mut line = json!({
        "type": "development", "id": "abcd1234", "date": "2025-07-26", "kind": "statement",
        "watch": [{"slug": "intl-ai-org", "to": "emerging"}], "actors": ["China"],
        "headline": "Li proposes an organisation", "summary": null, "sources": [],
        "recorded_at": "2025-07-26T09:00:00Z", "recorded_by": "Ana",
        "updated_at": "2025-07-26T09:00:00Z", "updated_by": "Ana", "retracted": null
    });
    for (k, v) in fields.as_object().unwrap() {
        line[k] = v.clone();
    }
    Record::from_line(&line.to_string()).unwrap()
}

fn field(record: &Option<Record>, name: &str) -> Value {
    fields(&record.as_ref().unwrap().to_line()).unwrap()[name].clone()
}

#[test]
fn one_sided_changes_are_taken_whole() {
    let base = dev(json!({}));
    let edited = dev(json!({"headline": "New", "updated_at": "2025-08-01T00:00:00Z"}));
    for (l, r) in [(&base, &edited), (&edited, &base)] {
        let merged = merge(Some(&base), Some(l), Some(r)).unwrap();
        assert_eq!(merged.record.as_ref(), Some(&edited));
        assert!(merged.notes.is_empty());
    }
}

#[test]
fn different_fields_changed_on_each_side_both_land() {
    let base = dev(json!({}));
    let local = dev(
        json!({"headline": "New headline", "updated_at": "2025-08-01T00:00:00Z", "updated_by": "Ana"}),
    );
    let remote = dev(
        json!({"summary": "A summary", "updated_at": "2025-08-02T00:00:00Z", "updated_by": "Ben"}),
    );
    let merged = merge(Some(&base), Some(&local), Some(&remote)).unwrap();
    assert_eq!(field(&merged.record, "headline"), "New headline");
    assert_eq!(field(&merged.record, "summary"), "A summary");
    // It holds Ana's headline beside Ben's later summary: Ana's, at Ben's time.
    assert_eq!(field(&merged.record, "updated_by"), "Ana");
    assert_eq!(
        field(&merged.record, "updated_at"),
        "2025-08-02T00:00:00.000000Z"
    );
    assert!(merged.notes.is_empty());
    // Ben's own copy, merged with the shared one holding nothing of his, is his.
    let shared = merge(Some(&base), Some(&remote), Some(&local)).unwrap();
    assert_eq!(field(&shared.record, "updated_by"), "Ben");
}

#[test]
fn a_value_kept_beside_a_later_shared_copy_is_never_taken_for_the_other_analysts() {
    // Ben's store merges: Ana's later summary (shared) beside Ben's headline.
    let base = dev(json!({"headline": "v-1"}));
    let bens =
        dev(json!({"headline": "v-2", "updated_at": "2025-08-01T00:00:00Z", "updated_by": "Ben"}));
    let anas = dev(json!({"headline": "v-1", "summary": "s-3",
        "updated_at": "2025-08-02T00:00:00Z", "updated_by": "Ana"}));
    let shared = merge(Some(&base), Some(&bens), Some(&anas)).unwrap();
    let shared = shared.record.unwrap();
    // Ana, who had not seen v-2, sets the headline again: Ben's v-2 loses,
    // and is named, not taken for Ana's own earlier edit.
    let anas_base = anas.clone();
    let anas_again = dev(json!({"headline": "v-4", "summary": "s-3",
        "updated_at": "2025-08-03T00:00:00Z", "updated_by": "Ana"}));
    let merged = merge(Some(&anas_base), Some(&anas_again), Some(&shared)).unwrap();
    assert_eq!(field(&merged.record, "headline"), "v-4");
    let [Note::Conflict(c)] = merged.notes.as_slice() else {
        panic!("{:?}", merged.notes)
    };
    assert_eq!((&c.kept, &c.lost), (&json!("v-4"), &json!("v-2")));
    assert_eq!(c.lost_stamp.by.as_deref(), Some("Ben"));
}

#[test]
fn the_later_change_of_one_field_wins_and_the_other_is_named() {
    let base = dev(json!({}));
    let local = dev(
        json!({"headline": "Ana's", "updated_at": "2025-08-03T00:00:00Z", "updated_by": "Ana"}),
    );
    let remote = dev(
        json!({"headline": "Ben's", "updated_at": "2025-08-02T00:00:00Z", "updated_by": "Ben"}),
    );
    let merged = merge(Some(&base), Some(&local), Some(&remote)).unwrap();
    assert_eq!(field(&merged.record, "headline"), "Ana's");
    let [Note::Conflict(c)] = merged.notes.as_slice() else {
        panic!("{:?}", merged.notes)
    };
    assert_eq!(
        (c.field.as_str(), &c.kept, &c.lost),
        ("headline", &json!("Ana's"), &json!("Ben's"))
    );
    assert_eq!(c.kept_side, Side::Local);
    // The other replica, merging the same versions the other way round, agrees.
    let other = merge(Some(&base), Some(&remote), Some(&local)).unwrap();
    assert_eq!(other.record, merged.record);
}

#[test]
fn an_analysts_later_change_over_their_own_earlier_one_is_no_conflict() {
    let base = dev(json!({}));
    let earlier = dev(json!({"headline": "First", "updated_at": "2025-08-01T00:00:00Z"}));
    let later = dev(json!({"headline": "Second", "updated_at": "2025-08-02T00:00:00Z"}));
    let merged = merge(Some(&base), Some(&later), Some(&earlier)).unwrap();
    assert_eq!(field(&merged.record, "headline"), json!("Second"));
    assert!(merged.notes.is_empty(), "{:?}", merged.notes);
}

#[test]
fn lists_merge_as_sets_and_links_by_slug() {
    let base = dev(json!({"actors": ["China", "UN"]}));
    let local = dev(
        json!({"actors": ["China", "UN", "EU"], "watch": [{"slug": "intl-ai-org", "to": "developing"}]}),
    );
    let remote = dev(
        json!({"actors": ["China", "India"], "watch": [{"slug": "intl-ai-org", "to": "emerging"}, {"slug": "intl-response", "to": null}], "updated_at": "2025-08-01T00:00:00Z"}),
    );
    let merged = merge(Some(&base), Some(&local), Some(&remote)).unwrap();
    assert_eq!(
        field(&merged.record, "actors"),
        json!(["China", "India", "EU"])
    );
    assert_eq!(
        field(&merged.record, "watch"),
        json!([{"slug": "intl-ai-org", "to": "developing"}, {"slug": "intl-response", "to": null}])
    );
    assert!(merged.notes.is_empty());
}

#[test]
fn removals_propagate_unless_the_other_side_edited() {
    let base = dev(json!({}));
    let gone = merge(Some(&base), None, Some(&base)).unwrap();
    assert_eq!(
        gone,
        Merged {
            record: None,
            notes: vec![]
        }
    );
    let edited = dev(json!({"summary": "more"}));
    let kept = merge(Some(&base), Some(&edited), None).unwrap();
    assert_eq!(kept.record, Some(edited));
    assert!(matches!(
        kept.notes[0],
        Note::KeptEdited {
            removed_on: Side::Remote,
            ..
        }
    ));
}

#[test]
fn the_same_record_added_on_both_sides_merges_as_if_from_nothing() {
    let local = dev(json!({"actors": ["China"]}));
    let remote = dev(json!({"actors": ["UN"], "updated_at": "2025-08-01T00:00:00Z"}));
    let merged = merge(None, Some(&local), Some(&remote)).unwrap();
    assert_eq!(field(&merged.record, "actors"), json!(["UN", "China"]));
}

#[test]
fn a_record_added_on_both_sides_keeps_the_shared_copy_and_names_what_lost() {
    // This store's copy is the later one, but the shared tracker's was
    // there first: it stands, and who recorded it is not a conflict.
    let local = dev(json!({
        "headline": "Mine", "recorded_by": "Dan", "updated_at": "2025-09-01T00:00:00Z",
        "updated_by": "Dan"
    }));
    let remote = dev(json!({"headline": "Theirs", "recorded_by": "Ana"}));
    let merged = merge(None, Some(&local), Some(&remote)).unwrap();
    assert_eq!(field(&merged.record, "headline"), json!("Theirs"));
    assert_eq!(field(&merged.record, "recorded_by"), json!("Ana"));
    let fields_lost: Vec<String> = merged
        .notes
        .iter()
        .filter_map(|n| match n {
            Note::Conflict(c) => Some(format!("{}={}", c.field, c.lost)),
            Note::KeptEdited { .. } => None,
        })
        .collect();
    assert_eq!(fields_lost, ["headline=\"Mine\""]);
}

#[test]
fn set_merge_keeps_order_and_every_sides_removals() {
    let s = |items: &[&str]| items.iter().map(|i| i.to_string()).collect::<Vec<_>>();
    assert_eq!(
        merge_keys(
            &s(&["a", "b", "c"]),
            &s(&["a", "c", "d"]),
            &s(&["b", "c", "e"])
        ),
        s(&["c", "e", "d"])
    );
    // The shared order stands; this store's addition comes after it.
    assert_eq!(
        merge_keys(&s(&["a"]), &s(&["c", "a"]), &s(&["a", "b"])),
        s(&["a", "b", "c"])
    );
}
