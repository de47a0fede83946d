//! `lookout search`: FTS5 over headline, summary, actors and sources.

use serde_json::Value;

use crate::env::{TestEnv, ids_of, stderr_of, stdout_of};

fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    env.json_ids(&full)
}

#[test]
fn finds_any_word_of_a_development_ranked_headline_first() {
    let env = TestEnv::seeded();
    // "organisation" is in one headline, and in a summary and a title elsewhere.
    let hits = ids(&env, &["organisation"]);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("jtce187y"),
        "{hits:?}"
    );
    // Summary words, actor names and sources are searched too.
    assert_eq!(ids(&env, &["luminaries"]), ["4fd2sax0"]);
    assert_eq!(ids(&env, &["DeepSeek"]), ["2qwheqgw"]);
    assert_eq!(ids(&env, &["actors:\"Global South\""]), ["d2vehq94"]);
    assert_eq!(ids(&env, &["Taresh"]).len(), 8);
}

#[test]
fn fts5_syntax_works() {
    let env = TestEnv::seeded();
    // Every seed development cites the article "China releases AI action plan …".
    assert_eq!(ids(&env, &["\"AI action plan\""]).len(), 8);
    assert_eq!(ids(&env, &["\"three pillars\""]), ["kkdhda1z"]);
    assert_eq!(ids(&env, &["\"pillars three\""]), Vec::<String>::new());
    // A headline match ranks before a summary match.
    assert_eq!(ids(&env, &["governan*"]), ["d2vehq94", "jtce187y"]);
    assert_eq!(ids(&env, &["China AND funding"]), ["9s058k2n"]);
    assert_eq!(ids(&env, &["chatbot OR councils"]).len(), 2);
    assert!(!ids(&env, &["China NOT DeepSeek"]).contains(&"2qwheqgw".to_string()));
    // Case and accents aside.
    assert_eq!(ids(&env, &["DEEPSÉEK"]), ["2qwheqgw"]);
}

#[test]
fn timeline_filters_apply() {
    let env = TestEnv::seeded();
    assert_eq!(
        ids(&env, &["headline:China", "--watch", "us-counter-moves"]),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&env, &["headline:China", "--kind", "funding"]),
        ["9s058k2n"]
    );
    assert_eq!(
        ids(&env, &["headline:plan", "--from", "2025-07-24"]),
        ["4h257h30"]
    );
    assert_eq!(ids(&env, &["headline:plan", "--actor", "US"]), ["kkdhda1z"]);
    let two = env.ok_with(
        &["search", "China", "--limit", "2", "--format", "json"],
        "the best 2 shown; 6 more developments match",
    );
    assert_eq!(ids_of(&two).len(), 2);
}

#[test]
fn snippets_mark_the_match() {
    let env = TestEnv::seeded();
    let value: Value =
        serde_json::from_str(&env.ok(&["search", "luminaries", "--format", "json"])).unwrap();
    assert!(
        value[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("[luminaries]"),
        "{value}"
    );
    assert_eq!(
        value[0]["headline"],
        "Over 800 companies showcase thousands of AI innovations at WAIC"
    );
    let text = env.ok(&["search", "luminaries"]);
    assert!(text.contains("[luminaries]"), "{text}");
}

#[test]
fn csv_results_can_be_imported_again() {
    let env = TestEnv::seeded();
    let csv = env.ok(&["search", "China", "--format", "csv"]);
    assert!(csv.starts_with(
        "id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at,start,end,\
         scheduled,recorded_by\r\n"
    ));
    let file = env.file("hits.csv", &csv);
    let out = env.run(&["import", &file]);
    assert!(
        stderr_of(&out).contains(" 0 added, 0 updated,"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn no_match_is_an_empty_result() {
    let env = TestEnv::seeded();
    let out = env.run(&["search", "zeppelin"]);
    assert!(out.status.success());
    assert_eq!(stdout_of(&out), "");
    assert_eq!(env.ok(&["search", "zeppelin", "--format", "json"]), "[]\n");
}

#[test]
fn malformed_queries_are_bad_data_not_crashes() {
    let env = TestEnv::seeded();
    for query in [
        "\"unclosed",
        "AND",
        "(China",
        "nosuchcolumn:word",
        "China NOT",
        "*",
    ] {
        let stderr = env.refused(&["search", query], 65, "cannot search for");
        assert!(stderr.contains("FTS5 query syntax"), "{query}: {stderr}");
    }
    env.refused(&["search", "  "], 65, "the search query is empty");
}

#[test]
fn the_index_follows_log_edit_retract_undo_and_import() {
    let env = TestEnv::seeded();
    let id = env.log_warned(
        &[
            "2025-08",
            "Zeppelin summit announced",
            "--actor",
            "Ruritania",
        ],
        &["bears on no watch item"],
    );
    assert_eq!(ids(&env, &["zeppelin"]), [id.as_str()]);
    assert_eq!(ids(&env, &["Ruritania"]), [id.as_str()]);
    env.ok_with(
        &["edit", &id, "--headline", "Airship summit announced"],
        &format!("edited {id}"),
    );
    assert_eq!(ids(&env, &["zeppelin"]), Vec::<String>::new());
    assert_eq!(ids(&env, &["airship"]), [id.as_str()]);
    env.ok_with(&["undo"], "undid #3 (edit, 1 record");
    assert_eq!(ids(&env, &["zeppelin"]), [id.as_str()]);
    env.ok_with(
        &["retract", &id, "--reason", "hoax"],
        &format!("retracted {id}: Zeppelin summit announced"),
    );
    assert_eq!(ids(&env, &["zeppelin"]), Vec::<String>::new());
    env.ok_with(&["undo"], "undid #4 (retract, 1 record");
    env.ok_with(&["undo"], "undid #2 (log, 1 record");
    assert_eq!(ids(&env, &["zeppelin"]), Vec::<String>::new());
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn words_with_hyphens_slashes_and_dots_are_found_as_typed() {
    let env = TestEnv::with_items();
    let id = env.log_warned(
        &[
            "2025-08-02",
            "Commission guidance on high-risk systems under Regulation 2024/1689",
            "--watch",
            "intl-response",
            "--summary",
            "CEN-CENELEC standards are late; a stop-the-clock delay is discussed.",
            "--source",
            "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        ],
        &["is after today"],
    );
    for query in [
        "high-risk",
        "CEN-CENELEC",
        "stop-the-clock",
        "2024/1689",
        "eur-lex",
        "summary:stop-the-clock",
        "\"high-risk systems\" AND guidance",
        "high-ri*",
    ] {
        assert_eq!(
            env.json_ids(&["search", query]),
            vec![id.clone()],
            "{query}"
        );
    }
    assert!(
        env.json_ids(&["search", "high-risk NOT guidance"])
            .is_empty()
    );
}

#[test]
fn datasette_and_sqlite_utils_find_the_full_text_index() {
    let env = TestEnv::seeded();
    // Datasette's own detection query (datasette/utils: detect_fts_sql).
    let found = env.query(
        "SELECT name FROM sqlite_master WHERE rootpage = 0
           AND (sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"developments\"%'
                OR sql LIKE '%VIRTUAL TABLE%USING FTS%content=[developments]%')",
    );
    assert_eq!(found, "developments_fts");
    // And the real sqlite-utils, which CI installs.
    let installed = std::process::Command::new("python3")
        .args(["-m", "sqlite_utils", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        crate::env::skip_or_fail(
            "sqlite-utils is not installed (python3 -m pip install sqlite-utils)",
        );
        return;
    }
    let out = std::process::Command::new("python3")
        .args(["-m", "sqlite_utils", "search", env.db().to_str().unwrap()])
        .args(["developments", "luminaries", "-c", "id"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("4fd2sax0"));
}
