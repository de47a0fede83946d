//! `lookout search` in languages the word index alone misses (issue 23):
//! Chinese, Japanese and Korean found by any part of their text (the
//! trigram index, or the text itself for parts of one or two characters),
//! and Latin-script words found without their accents.

use serde_json::Value;

use crate::env::{CURRENT_VERSION, ITEMS_IMPORTED, TestEnv};

fn ids(env: &TestEnv, query: &str) -> Vec<String> {
    env.json_ids(&["search", query])
}

/// A store with three developments, in Chinese, Japanese and Korean.
fn asian() -> (TestEnv, [String; 3]) {
    let env = TestEnv::with_items();
    let zh = env.log(&[
        "2025-08-01",
        "国务院发布人工智能行动计划",
        "--watch",
        "intl-response",
        "--actor",
        "中国",
    ]);
    let ja = env.log_warned(
        &[
            "2025-08-02",
            "政府が人工知能の安全性に関する指針を公表",
            "--watch",
            "intl-response",
        ],
        &["is after today"],
    );
    let ko = env.log_warned(
        &[
            "2025-08-03",
            "과학기술정보통신부 인공지능기본법 시행령 발표",
            "--watch",
            "intl-response",
        ],
        &["is after today"],
    );
    (env, [zh, ja, ko])
}

#[test]
fn chinese_japanese_and_korean_are_found_by_any_part() {
    let (env, [zh, ja, ko]) = asian();
    // Four characters and more: the trigram index.
    assert_eq!(ids(&env, "人工智能"), [zh.as_str()]);
    assert_eq!(ids(&env, "行动计划"), [zh.as_str()]);
    assert_eq!(ids(&env, "人工知能"), [ja.as_str()]);
    assert_eq!(ids(&env, "安全性"), [ja.as_str()]);
    assert_eq!(ids(&env, "인공지능"), [ko.as_str()]);
    // One or two characters: the text itself.
    assert_eq!(ids(&env, "智能"), [zh.as_str()]);
    assert_eq!(ids(&env, "指針"), [ja.as_str()]);
    assert_eq!(ids(&env, "발표"), [ko.as_str()]);
    let mut both = ids(&env, "人工");
    both.sort();
    let mut expected = vec![zh.clone(), ja.clone()];
    expected.sort();
    assert_eq!(both, expected);
    // Every part must appear; an actor's name is searched too.
    assert_eq!(ids(&env, "人工 計画"), Vec::<String>::new());
    assert_eq!(ids(&env, "中国"), [zh.as_str()]);
    assert_eq!(ids(&env, "nothing 智能"), Vec::<String>::new());
    // Operators with a part of three characters or more keep working.
    assert_eq!(ids(&env, "人工智能 OR 人工知能").len(), 2);
    assert_eq!(ids(&env, "headline:인공지능"), [ko.as_str()]);
    assert_eq!(ids(&env, "人工智能 NOT 国务院"), Vec::<String>::new());
    // Filters apply, and the count says how many more.
    assert_eq!(
        env.json_ids(&["search", "人工", "--from", "2025-08-02"]),
        [ja.as_str()]
    );
    // Without snippets (CSV), and counting what a limit leaves out.
    let csv = env.ok(&["search", "智能", "--format", "csv"]);
    assert!(csv.contains(&zh) && csv.lines().count() == 2, "{csv}");
    let out = env.run(&["search", "人工", "--limit", "1", "--format", "json"]);
    assert!(out.status.success());
    assert!(
        crate::env::stderr_of(&out).contains("1 more"),
        "{}",
        crate::env::stderr_of(&out)
    );
    let out = env.run(&["search", "人工智能 OR 人工知能", "--limit", "1"]);
    assert!(
        crate::env::stderr_of(&out).contains("1 more"),
        "{}",
        crate::env::stderr_of(&out)
    );
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn short_parts_with_operators_are_refused_with_a_hint() {
    let (env, _) = asian();
    let stderr = env.refused(&["search", "智能 OR 指針"], 65, "cannot search for");
    assert!(stderr.contains("plain text"), "{stderr}");
    // The trigram index holds only text with such characters, so a part in
    // another language under OR or NOT would miss what lies elsewhere.
    for query in ["plan OR 人工智能", "plan NOT 人工智能"] {
        let stderr = env.refused(&["search", query], 65, "cannot search for");
        assert!(stderr.contains("under OR, NOT or parentheses"), "{stderr}");
        assert!(stderr.contains("a search of their own"), "{stderr}");
    }
    // Every match holds the Chinese part: answered.
    assert_eq!(ids(&env, "人工智能 NOT plan").len(), 1);
}

/// How many developments the trigram index holds.
fn in_trigram_index(env: &TestEnv) -> String {
    env.query("SELECT count(*) FROM developments_trigram_docsize")
}

#[test]
fn the_trigram_index_holds_only_developments_with_cjk_text() {
    // A tracker in English pays nothing for it.
    let env = TestEnv::seeded();
    assert_eq!(in_trigram_index(&env), "Integer(0)");
    let (env, [zh, ja, ko]) = asian();
    let en = env.log(&["2025-07-30", "Plan released", "--watch", "intl-response"]);
    assert_eq!(in_trigram_index(&env), "Integer(3)");
    // Latin words with Chinese ones read the trigram index: every part must
    // be found, so only text holding Chinese can match.
    assert_eq!(ids(&env, "released 人工智能"), Vec::<String>::new());
    // Edited into Chinese, it enters the index; out of it, it leaves.
    env.ok_with(
        &["edit", &en, "--summary", "美国发布人工智能行动计划"],
        &format!("edited {en}"),
    );
    assert_eq!(in_trigram_index(&env), "Integer(4)");
    assert_eq!(ids(&env, "released 人工智能"), [en.as_str()]);
    assert!(env.ok(&["check"]).starts_with("ok: "));
    env.ok_with(
        &[
            "edit",
            &zh,
            "--headline",
            "State Council plan",
            "--no-actor",
            "--actor",
            "China",
        ],
        &format!("edited {zh}"),
    );
    assert_eq!(in_trigram_index(&env), "Integer(3)");
    assert_eq!(ids(&env, "行动计划"), [en.as_str()]);
    assert!(env.ok(&["check"]).starts_with("ok: "));
    // Undone, both come back as they were.
    env.ok_with(&["undo"], "undid #7 (edit, 1 record");
    env.ok_with(&["undo"], "undid #6 (edit, 1 record");
    assert_eq!(in_trigram_index(&env), "Integer(3)");
    assert_eq!(ids(&env, "行动计划"), [zh.as_str()]);
    assert_eq!(ids(&env, "人工知能"), [ja.as_str()]);
    assert_eq!(ids(&env, "인공지능"), [ko.as_str()]);
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn cjk_snippets_mark_the_match() {
    let (env, _) = asian();
    for query in ["人工智能", "智能"] {
        let value: Value =
            serde_json::from_str(&env.ok(&["search", query, "--format", "json"])).unwrap();
        let snippet = value[0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains('[') && snippet.contains(']'),
            "{query}: {snippet}"
        );
        assert!(snippet.contains("智能"), "{query}: {snippet}");
    }
}

#[test]
fn latin_words_are_found_without_their_accents() {
    let env = TestEnv::with_items();
    let fr = env.log(&[
        "2025-08-01",
        "La France publie sa stratégie de sécurité de l'IA",
        "--watch",
        "intl-response",
    ]);
    let br = env.log_warned(
        &[
            "2025-08-02",
            "Cúpula em São Paulo discute governança",
            "--watch",
            "intl-response",
        ],
        &["is after today"],
    );
    assert_eq!(ids(&env, "securite"), [fr.as_str()]);
    assert_eq!(ids(&env, "SÉCURITÉ"), [fr.as_str()]);
    assert_eq!(ids(&env, "Sao Paulo"), [br.as_str()]);
    assert_eq!(ids(&env, "\"sao paulo\""), [br.as_str()]);
    assert_eq!(ids(&env, "governanca"), [br.as_str()]);
}

#[test]
fn the_trigram_index_follows_edit_undo_retract_and_import() {
    let (env, [zh, _, _]) = asian();
    env.ok_with(
        &["edit", &zh, "--headline", "国务院发布数据安全条例"],
        &format!("edited {zh}"),
    );
    assert_eq!(ids(&env, "人工智能"), Vec::<String>::new());
    assert_eq!(ids(&env, "数据安全"), [zh.as_str()]);
    assert!(env.ok(&["check"]).starts_with("ok: "));
    env.ok_with(&["undo"], "undid #5 (edit, 1 record");
    assert_eq!(ids(&env, "人工智能"), [zh.as_str()]);
    assert_eq!(ids(&env, "数据安全"), Vec::<String>::new());
    env.ok_with(
        &["retract", &zh, "--reason", "duplicate"],
        &format!("retracted {zh}: 国务院发布人工智能行动计划"),
    );
    assert_eq!(ids(&env, "人工智能"), Vec::<String>::new());
    assert_eq!(ids(&env, "智能"), Vec::<String>::new());
    env.ok_with(&["undo"], "undid #6 (retract, 1 record");
    assert!(env.ok(&["check"]).starts_with("ok: "));
    // A first import takes the bulk path, which rebuilds both indexes.
    let csv = env.ok(&["timeline", "--format", "csv"]);
    let fresh = TestEnv::new();
    fresh.ok_with(
        &["import", &crate::env::fixture("watch-items.csv")],
        ITEMS_IMPORTED,
    );
    let file = fresh.file("asian.csv", &csv);
    fresh.ok_with(
        &["import", &file],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 developments)",
    );
    assert_eq!(ids(&fresh, "人工智能"), [zh.as_str()]);
    assert_eq!(ids(&fresh, "智能"), [zh.as_str()]);
    assert!(fresh.ok(&["check"]).starts_with("ok: "));
    // And undoing that import empties them again.
    fresh.ok_with(&["undo"], "undid #2 (import, 3 records");
    assert_eq!(ids(&fresh, "人工智能"), Vec::<String>::new());
    assert!(fresh.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn a_seeded_store_imported_in_bulk_passes_check_and_ranks_as_before() {
    let env = TestEnv::seeded();
    assert!(env.ok(&["check"]).starts_with("ok: "));
    // Ordinary queries still read the word index: whole words, ranked.
    assert_eq!(
        env.json_ids(&["search", "governan*"]),
        ["d2vehq94", "jtce187y"]
    );
    assert_eq!(ids(&env, "luminari"), Vec::<String>::new());
}

#[test]
fn the_trigram_index_is_not_what_datasette_finds() {
    let env = TestEnv::new();
    env.ok_with(&["init"], "lookout store ready at ");
    // Datasette's and sqlite-utils' detection query finds the word index only.
    let found = env.query(
        "SELECT group_concat(name) FROM sqlite_master WHERE rootpage = 0
           AND (sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"developments\"%'
                OR sql LIKE '%VIRTUAL TABLE%USING FTS%content=[developments]%'
                OR (tbl_name = 'developments' AND sql LIKE '%VIRTUAL TABLE%USING FTS%'))",
    );
    assert_eq!(found, "developments_fts");
}

#[test]
fn an_upgraded_store_finds_cjk_and_unaccented_words() {
    for fixture in ["store-v1.db", "store-v5.db"] {
        let env = TestEnv::new();
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture),
            env.db(),
        )
        .unwrap();
        // Written before the upgrade, by the old schema's triggers.
        env.set_headline("kkdhda1z", "美国发布人工智能行动计划");
        env.set_headline("4h257h30", "Stratégie de sécurité à São Paulo");
        assert_eq!(ids(&env, "人工智能"), ["kkdhda1z"], "{fixture}");
        assert_eq!(env.query("PRAGMA user_version"), CURRENT_VERSION);
        assert_eq!(ids(&env, "行动"), ["kkdhda1z"], "{fixture}");
        assert_eq!(ids(&env, "securite"), ["4h257h30"], "{fixture}");
        assert_eq!(ids(&env, "Sao Paulo"), ["4h257h30"], "{fixture}");
        assert_eq!(in_trigram_index(&env), "Integer(1)", "{fixture}");
        assert!(env.ok(&["check"]).starts_with("ok: "), "{fixture}");
    }
}

#[test]
fn check_finds_a_trigram_index_out_of_step() {
    let (env, [zh, _, _]) = asian();
    // The trigram index no longer holds the Chinese development.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "INSERT INTO developments_trigram (developments_trigram, rowid, headline, summary, actors, sources)
         SELECT 'delete', key, headline, summary, actors, sources FROM developments WHERE id = ?1",
        [&zh],
    )
    .unwrap();
    drop(conn);
    let out = env.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(65),
        "{}",
        crate::env::stderr_of(&out)
    );
    let stdout = crate::env::stdout_of(&out);
    assert!(
        stdout.contains("search index of trigrams: it does not match the developments"),
        "{stdout}"
    );
}
