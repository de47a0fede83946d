//! Reports that stream: a text table measured in one pass and written in
//! the next reads as the table comfy-table laid out whole (the renderer of
//! every release before); search shows the best 20 and says how many more
//! match; an html lane with more developments than marks can show apart is
//! drawn as counts while the list below still has every row.

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::env::{TestEnv, ids_of, stderr_of, stdout_of};
use crate::reports::snapshot;

/// Developments whose text is hard to align: wide and combining
/// characters, long words, several watch items with and without a status,
/// several actors, a scheduled one. Dated a day apart from 2025-01-01.
fn awkward_csv(rows: usize) -> String {
    let mut csv = String::from("id,date,kind,watch,actors,headline,summary\n");
    let headlines = [
        "Premier Li Qiang proposes a new international AI cooperation organisation",
        "人工智能全球治理行动计划 published in Shanghai",
        "Cafe\u{301} talks: Côte d'Ivoire and the EU sign a compute partnership",
        "Supercalifragilisticexpialidocious-standards-body launches",
        "Short",
    ];
    let watch = [
        "intl-ai-org",
        "intl-ai-org=emerging;intl-response",
        "us-counter-moves=developing",
        "intl-response=stalled;us-counter-moves;intl-ai-org=realised",
    ];
    let actors = ["China", "US;EU", "Côte d'Ivoire;中国;African Union", ""];
    for n in 0..rows {
        let day = chrono_day(n);
        csv.push_str(&format!(
            "dev-{n:04},{day},statement,{},\"{}\",\"{} {n}\",zeppelin summary {n}\n",
            watch[n % watch.len()],
            actors[n % actors.len()],
            headlines[n % headlines.len()],
        ));
    }
    csv
}

/// 2025-01-01 plus `n` days, as text (no date library in the tests).
fn chrono_day(n: usize) -> String {
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut month, mut day) = (0, n);
    while day >= months[month % 12] {
        day -= months[month % 12];
        month += 1;
    }
    format!("{}-{:02}-{:02}", 2025 + month / 12, month % 12 + 1, day + 1)
}

fn awkward(rows: usize) -> TestEnv {
    let env = TestEnv::with_items();
    let file = env.file("awkward.csv", &awkward_csv(rows));
    env.ok_with(
        &["import", &file],
        &format!("imported 1 file: {rows} added, 0 updated, 0 unchanged, 0 rejected"),
    );
    env
}

/// comfy-table's layout of a table off a terminal, as `report::text` set it
/// up, written out here: no borders, each column as wide as its widest cell
/// in terminal columns (at least 1), two spaces after each column but the
/// last, trailing spaces trimmed.
fn comfy(header: &[&str], rows: &[Vec<String>]) -> String {
    let lines: Vec<Vec<&str>> = std::iter::once(header.to_vec())
        .chain(
            rows.iter()
                .map(|row| row.iter().map(String::as_str).collect()),
        )
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| lines.iter().map(|l| l[c].width()).max().unwrap_or(0).max(1))
        .collect();
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (c, cell) in line.iter().enumerate() {
            assert!(!cell.contains('\n'), "one line a cell: {cell:?}");
            text.push_str(cell);
            if c + 1 < widths.len() {
                text.push_str(&" ".repeat(widths[c] - cell.width() + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// The cells the timeline table shows of each development in the JSON.
fn timeline_cells(json: &str) -> Vec<Vec<String>> {
    let devs: Value = serde_json::from_str(json).unwrap();
    devs.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or("").to_string();
            let list = |key: &str, gap: &str| {
                let items: Vec<&str> = d[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                items.join(gap)
            };
            let watch: Vec<String> = d["watch"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| match l["to"].as_str() {
                    Some(to) => format!("{}={to}", l["slug"].as_str().unwrap()),
                    None => l["slug"].as_str().unwrap().to_string(),
                })
                .collect();
            let mut date = text("date");
            if d["scheduled"].as_bool().unwrap() {
                date.push_str(" (scheduled)");
            }
            vec![
                date,
                text("id"),
                text("kind"),
                watch.join(" "),
                list("actors", ", "),
                text("headline"),
            ]
        })
        .collect()
}

const TIMELINE: [&str; 6] = ["DATE", "ID", "KIND", "WATCH", "ACTORS", "HEADLINE"];

#[test]
fn a_text_table_of_any_length_reads_as_the_whole_table_laid_out_at_once() {
    let env = awkward(40);
    env.log(&[
        "2025-03-01",
        "A follow-up summit is due",
        "--scheduled",
        "--watch",
        "intl-ai-org",
    ]);
    for filter in [
        &["--to", "2025-01-01"][..],
        &["--to", "2025-01-07"],
        &["--watch", "us-counter-moves"],
        &[],
    ] {
        let mut text = vec!["timeline"];
        text.extend_from_slice(filter);
        let mut json = text.clone();
        json.extend_from_slice(&["--format", "json"]);
        let rows = timeline_cells(&env.ok(&json));
        assert!(!rows.is_empty());
        assert_eq!(env.ok(&text), comfy(&TIMELINE, &rows), "{filter:?}");
    }
    // The dossier's list of developments is the same table.
    let dossier = env.ok(&["watch", "show", "us-counter-moves"]);
    let rows = timeline_cells(&env.ok(&[
        "timeline",
        "--watch",
        "us-counter-moves",
        "--format",
        "json",
    ]));
    assert!(
        dossier.ends_with(&format!("\n\n{}", comfy(&TIMELINE, &rows))),
        "{dossier}"
    );
}

#[test]
fn search_shows_the_best_20_and_says_how_many_more_match() {
    let env = awkward(26);
    let all = env.json_ids(&["search", "zeppelin", "--all"]);
    assert_eq!(all.len(), 26);

    let out = env.run(&["search", "zeppelin"]);
    assert!(out.status.success());
    let table = stdout_of(&out);
    assert_eq!(table.lines().count(), 21, "{table}");
    assert_eq!(
        stderr_of(&out),
        "the best 20 shown; 6 more developments match (--limit N for another count, --all to \
         see them)\n"
    );
    snapshot(
        "search_default_limit",
        &format!("{table}\n{}", stderr_of(&out)),
    );
    // The best 20 are the first 20 of every match, in the same order.
    let best = env.ok_with(
        &["search", "zeppelin", "--format", "json"],
        "the best 20 shown; 6 more developments match",
    );
    assert_eq!(ids_of(&best), all[..20]);

    let out = env.run(&["search", "zeppelin", "--limit", "25", "--format", "csv"]);
    assert_eq!(stdout_of(&out).lines().count(), 26);
    assert!(
        stderr_of(&out).contains(
            "; 1 more development matches (--limit N for another count, --all to see it)"
        ),
        "{}",
        stderr_of(&out)
    );
    // Every match shown, or exactly as many as the limit: nothing more to say.
    for args in [&["--all"][..], &["--limit", "26"], &["--limit", "30"]] {
        let mut full = vec!["search", "zeppelin"];
        full.extend_from_slice(args);
        let out = env.run(&full);
        assert!(out.status.success());
        assert_eq!(stdout_of(&out).lines().count(), 27, "{args:?}");
        assert_eq!(stderr_of(&out), "", "{args:?}");
    }
    // --all in every format, in the order of the ranked JSON.
    let ranked_md: Vec<String> = env
        .ok(&["search", "zeppelin", "--all", "--format", "md"])
        .lines()
        .skip(2)
        .map(|l| l.split('`').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(ranked_md, all);
    env.refused(
        &["search", "zeppelin", "--all", "--limit", "3"],
        2,
        "cannot be used with",
    );
}

#[test]
fn search_text_reads_as_the_whole_table_laid_out_at_once() {
    let env = awkward(24);
    let hits: Value =
        serde_json::from_str(&env.ok(&["search", "zeppelin", "--all", "--format", "json"]))
            .unwrap();
    let rows: Vec<Vec<String>> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            ["date", "id", "kind", "headline", "snippet"]
                .iter()
                .map(|k| h[*k].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        env.ok(&["search", "zeppelin", "--all"]),
        comfy(&["DATE", "ID", "KIND", "HEADLINE", "MATCH"], &rows)
    );
}

#[test]
fn an_html_lane_with_more_than_marks_can_show_apart_is_drawn_as_counts() {
    // 1,100 developments on one item, past the 1,000 a lane draws one by
    // one; ten on another.
    let env = TestEnv::with_items();
    let mut csv = String::from("date,kind,watch,headline\n");
    for n in 0..1_110 {
        let item = if n < 1_100 {
            "intl-ai-org"
        } else {
            "intl-response"
        };
        csv.push_str(&format!(
            "{},other,{item},Development {n}\n",
            chrono_day(n % 400)
        ));
    }
    env.ok_with(
        &["import", &env.file("many.csv", &csv)],
        "imported 1 file: 1110 added, 0 updated, 0 unchanged, 0 rejected (1110 developments)",
    );
    let page = env.ok(&["timeline", "--format", "html"]);
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
    assert!(svg.contains("<rect class=\"count\""), "no counts drawn");
    assert!(svg.contains(">1100 developments,<"), "{svg}");
    assert!(page.contains("is drawn as counts"));
    // The other lane keeps its marks.
    assert_eq!(svg.matches("<rect class=\"mark").count(), 10);
    // Every development is still listed, and the page is one document.
    assert_eq!(page.matches("<td class=\"id\">").count(), 1_110);
    assert!(page.ends_with("</html>\n"));
}
