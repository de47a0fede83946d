use super::*;
use crate::store::{Access, Store};

/// The groups `group_near` joins among `texts`, every one wanted, and
/// whether it compared them all.
fn grouped(texts: &[String]) -> (Vec<Vec<usize>>, bool) {
    let heads: Vec<Headline> = texts.iter().map(|t| Headline::new(t)).collect();
    let refs: Vec<&Headline> = heads.iter().collect();
    let mut joined = Joined::new(texts.len());
    let complete = group_near(&refs, &vec![true; texts.len()], |a, b| joined.join(a, b));
    (joined.groups(), complete)
}

/// Every pair `Headline::near` says is near, compared one by one.
fn all_pairs(texts: &[String]) -> Vec<Vec<usize>> {
    let heads: Vec<Headline> = texts.iter().map(|t| Headline::new(t)).collect();
    let mut joined = Joined::new(texts.len());
    for i in 0..heads.len() {
        for j in i + 1..heads.len() {
            if heads[i].near(&heads[j]) {
                joined.join(i, j);
            }
        }
    }
    joined.groups()
}

#[test]
fn equal_headlines_are_one_group_found_without_comparing_pairs() {
    let mut texts = vec!["Ministry publishes the plan".to_string(); 4000];
    texts.push("Something else entirely".to_string());
    texts.push("ministry publishes the plan!".to_string());
    let (groups, complete) = grouped(&texts);
    assert!(complete);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].len(), 4001);
    assert!(!groups[0].contains(&4000));
}

#[test]
fn the_pieces_find_what_comparing_every_pair_finds() {
    // Near pairs of every kind: a letter changed, added, dropped, words
    // run together, short and long texts, numbers that differ.
    let base = [
        "China releases AI plan",
        "Premier Li Qiang proposes a new international AI cooperation organisation",
        "Round 13 of talks begins",
        "EU AI Act enters into force",
        "aaaaaaaaaaaaaaaaaaaa",
        "ab",
        "x",
        "",
    ];
    let mut texts = Vec::new();
    for text in base {
        texts.push(text.to_string());
        texts.push(text.replacen('a', "e", 1));
        texts.push(text.replacen(' ', "", 1));
        texts.push(format!("{text}s"));
        texts.push(text.chars().skip(1).collect());
        texts.push(text.replace("13", "14"));
        texts.push(text.replacen('i', "", 2));
    }
    let (groups, complete) = grouped(&texts);
    assert!(complete);
    assert_eq!(groups, all_pairs(&texts));
    assert!(groups.len() > base.len() / 2, "{groups:?}");
}

#[test]
fn only_pairs_with_a_wanted_side_are_joined() {
    let texts = [
        "India responds to the plan",
        "India responds to the plan.",
        "India responds to the plans",
    ];
    let heads: Vec<Headline> = texts.iter().map(|t| Headline::new(t)).collect();
    let refs: Vec<&Headline> = heads.iter().collect();
    let mut joined = Joined::new(3);
    group_near(&refs, &[false, false, true], |a, b| joined.join(a, b));
    assert_eq!(joined.groups(), vec![vec![0, 1, 2]]);
    let mut joined = Joined::new(3);
    group_near(&refs, &[false, false, false], |a, b| joined.join(a, b));
    assert!(joined.groups().is_empty());
}

#[test]
fn many_near_headlines_are_compared_within_a_cap_that_is_said() {
    // Every headline a letter or two from many others: a comparison of
    // all pairs would be quadratic; the cap stops it.
    let letters: Vec<char> = ('a'..='z').collect();
    let texts: Vec<String> = (0..20_000usize)
        .map(|n| {
            let mut text: Vec<char> = "the same words over and over again here".chars().collect();
            text[4] = letters[n % 26];
            text[12] = letters[(n / 26) % 26];
            text[20] = letters[(n / 676) % 26];
            text.into_iter().collect()
        })
        .collect();
    let (_, complete) = grouped(&texts);
    assert!(!complete);
}

#[test]
fn at_most_twenty_groups_are_listed_then_a_count() {
    let id = |n: usize| DevId::parse(&format!("id{n:05}")).unwrap();
    let found = LikelyDuplicates {
        groups: (0..25).map(|n| vec![id(2 * n), id(2 * n + 1)]).collect(),
        capped: vec![],
    };
    let lines = found.lines();
    assert_eq!(lines.len(), LISTED + 1);
    assert_eq!(
        lines[0],
        "likely duplicate: id00000 and id00001 (same date, a shared watch item, near-identical headlines)"
    );
    assert_eq!(lines[LISTED], "… and 5 more likely duplicates");

    let found = LikelyDuplicates {
        groups: vec![(0..4000).map(id).collect(), (5000..5003).map(id).collect()],
        capped: vec![
            "2025 under intl-ai-org".to_string(),
            "2024 under x".to_string(),
        ],
    };
    assert_eq!(
        found.lines(),
        [
            "likely duplicates: id00000, id00001, id00002, id00003, id00004 and 3995 others \
             (same date, a shared watch item, near-identical headlines)",
            "likely duplicates: id05000, id05001 and id05002 \
             (same date, a shared watch item, near-identical headlines)",
            "likely duplicates: too many similar headlines dated 2025 under intl-ai-org and 1 \
             more to compare them all; more likely duplicates may be there",
        ]
    );
}

#[test]
fn the_repeat_log_refuses_is_found_through_the_timeline_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
    let plan = store
        .query_plan(
            "SELECT d.id FROM developments d
              WHERE d.date_start = ?2 AND d.date_end = ?3 AND d.date = ?1
                AND d.retracted_at IS NULL ORDER BY d.id",
        )
        .unwrap();
    assert!(plan.contains("USING INDEX developments_timeline"), "{plan}");
}

#[test]
fn the_duplicates_found_as_developments_arrive_are_those_the_store_finds() {
    use crate::dates::Timestamp;
    use crate::model::{Development, Retraction, WatchItem, WatchLink};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
    let now = Timestamp::parse("2025-08-01T00:00:00Z").unwrap();
    let tx = store.begin_change("import", now, "T").unwrap();
    for slug in ["a", "b", "c"] {
        store
            .insert_watch_item(&WatchItem::sample(slug), now)
            .unwrap();
    }
    // Near and equal headlines on shared and unshared items and dates,
    // a retracted one, a development with no item and one with two,
    // a busy date whose comparisons are capped, in no order of ids.
    let headlines = [
        "Ministry publishes the plan",
        "ministry publishes the plan.",
        "Ministry publishes the plans",
        "Round 12 of talks begins",
        "Round 13 of talks begins",
        "Something else entirely",
    ];
    let dates = ["2025-07-01", "2025-07", "2025", "../2025-07", "2025-07-01"];
    let links = [&["a"][..], &["b"], &["a", "b"], &[], &["c", "a"]];
    let mut arrived = ArrivedDuplicates::default();
    for n in 0..300usize {
        let mut dev = Development::sample(&format!("{:02}x{n:03}", (n * 37) % 97), dates[n % 5]);
        dev.headline = headlines[(n / 5) % 6].to_string();
        dev.links = links[(n / 3) % 5]
            .iter()
            .map(|s| WatchLink::parse(s).unwrap())
            .collect();
        if n % 11 == 0 {
            dev.retracted = Some(Retraction {
                at: now,
                reason: "r".into(),
            });
        }
        store.insert_development(&dev).unwrap();
        arrived.add(&dev);
    }
    // One busy date and item: every headline a letter apart from others.
    for n in 0..2000usize {
        let mut dev = Development::sample(&format!("zz{n:04}"), "2024");
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        dev.headline = format!(
            "Report {} {} {} is out",
            letters[n % 26] as char,
            letters[(n / 26) % 26] as char,
            letters[(n / 676) % 26] as char
        );
        dev.links = vec![WatchLink::parse("c").unwrap()];
        store.insert_development(&dev).unwrap();
        arrived.add(&dev);
    }
    tx.commit("loaded").unwrap();
    let found = store.likely_duplicates(None).unwrap();
    assert!(
        found.groups.len() > 5 && !found.capped.is_empty(),
        "{found:?}"
    );
    assert_eq!(arrived.finish(), Some(found));
}
