//! Which lanes draw counts, and what the counts add up to.

use super::*;
use crate::model::WatchLink;
use crate::report::held;

fn dev(n: usize, date: &str, link: &str) -> Development {
    Development {
        headline: format!("Development {n}"),
        links: vec![WatchLink::parse(link).unwrap()],
        ..Development::sample(&format!("d{n}"), date)
    }
}

fn draw(devs: &[Development]) -> String {
    timeline(held(devs).as_mut(), None).unwrap().into_string()
}

#[test]
fn lanes_past_a_thousand_marks_or_five_thousand_in_all_draw_counts() {
    assert_eq!(counted_lanes(&[1_200, 10, 0]), [true, false, false]);
    assert_eq!(counted_lanes(&[1_000, 1_000]), [false, false]);
    // 5,400 marks: the largest lane goes first, and enough is enough.
    assert_eq!(
        counted_lanes(&[900, 950, 900, 900, 900, 850]),
        [false, true, false, false, false, false]
    );
}

#[test]
fn marks_that_overlap_beyond_reading_become_counts_that_add_up() {
    // 30 developments dated July 2025 on one item: 30 rows of month-long
    // marks, past the 24 a lane draws; and two days on another.
    let mut devs: Vec<Development> = (0..30)
        .map(|n| dev(n, "2025-07", "intl-ai-org=emerging"))
        .collect();
    devs.push(dev(30, "2025-07-03", "intl-response"));
    devs.push(dev(31, "2025-07-20", "intl-response=stalled"));
    let svg = draw(&devs);
    assert_eq!(svg.matches("<rect class=\"mark").count(), 2, "{svg}");
    // A stretch a day long: each of the 30 counts 1/31 in each of July's days.
    assert_eq!(svg.matches("<rect class=\"count\"").count(), 31);
    assert!(svg.contains("data-count=\"1\""), "{svg}");
    assert!(svg.contains(">30 developments,<"));
    // One element a line, to read.
    snapshot("svg_counts", &svg.replace("><", ">\n<"));
}

#[test]
fn a_few_marks_are_drawn_one_by_one() {
    let devs: Vec<Development> = (0..24).map(|n| dev(n, "2025-07", "intl-ai-org")).collect();
    let svg = draw(&devs);
    assert_eq!(svg.matches("<rect class=\"mark").count(), 24);
    assert!(!svg.contains("count"));
}

fn snapshot(name: &str, output: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, output));
}
