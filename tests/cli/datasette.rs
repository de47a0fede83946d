//! The store in Datasette, as an analyst's colleague may open it: its
//! `?_search=` reads lookout's word index (the one its detection finds), so
//! words are found without their accents and a Chinese word that stands
//! alone is found; a part of a Chinese sentence written without spaces is
//! lookout's own search's (the trigram index), not Datasette's.

use std::process::Command;

use serde_json::Value;

use crate::env::{TestEnv, skip_or_fail, stderr_of};

/// The ids Datasette's table page finds for `query` (`datasette --get`, no server).
fn datasette_search(env: &TestEnv, query: &str) -> Vec<String> {
    let stem = env.db().file_stem().unwrap().to_str().unwrap().to_string();
    let out = Command::new("python3")
        .args(["-m", "datasette"])
        .arg(env.db())
        .arg("--get")
        .arg(format!(
            "/{stem}/developments.json?_search={query}&_shape=array&_col=id"
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn datasette_finds_words_without_their_accents_and_chinese_words_that_stand_alone() {
    let installed = Command::new("python3")
        .args(["-m", "datasette", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        skip_or_fail("Datasette is not installed (python3 -m pip install datasette)");
        return;
    }
    // Logged days after the seed's today would each bring a warning.
    let env = TestEnv::seeded().today("2025-08-10");
    let accented = env.log(&[
        "2025-08-02",
        "Stratégie de sécurité à São Paulo",
        "--watch",
        "intl-response",
    ]);
    let spaced = env.log(&[
        "2025-08-03",
        "国务院 人工智能 行动计划",
        "--watch",
        "intl-ai-org",
    ]);
    let unspaced = env.log(&[
        "2025-08-04",
        "国务院发布人工智能行动计划",
        "--watch",
        "intl-ai-org",
    ]);
    assert_eq!(datasette_search(&env, "securite"), [accented.as_str()]);
    assert_eq!(datasette_search(&env, "Sao%20Paulo"), [accented.as_str()]);
    assert_eq!(datasette_search(&env, "人工智能"), [spaced.as_str()]);
    // lookout's own search finds the part of the sentence too.
    let mut found = env.json_ids(&["search", "人工智能"]);
    found.sort();
    let mut both = vec![spaced, unspaced];
    both.sort();
    assert_eq!(found, both);
    assert_eq!(datasette_search(&env, "luminaries"), ["4fd2sax0"]);
}
