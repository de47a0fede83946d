//! The change journal: edit, retract, undo and history, and the words each
//! change is confirmed in on stderr.

use crate::env::{AUTHOR, TestEnv, fixture, stderr_of};

/// Runs a mutation, which says `says` on stderr, then undo, and checks the
/// export is as before.
fn undo_restores(env: &TestEnv, args: &[&str], says: &str) {
    let before = env.ok(&["export"]);
    env.ok_with(args, says);
    assert_ne!(env.ok(&["export"]), before, "{args:?} changed nothing");
    let out = env.run(&["undo"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).starts_with("undid #"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        env.ok(&["export"]),
        before,
        "undo of {args:?} did not restore the store"
    );
    assert!(
        env.ok(&["check"]).starts_with("ok: "),
        "after undo of {args:?}"
    );
}

#[test]
fn every_mutation_is_undone_exactly() {
    let env = TestEnv::seeded();
    env.ok_with(
        &["kinds", "add", "court-ruling"],
        "added kind 'court-ruling'",
    );
    env.ok_with(
        &["retract", "2qwheqgw", "--reason", "to be withdrawn"],
        "retracted 2qwheqgw: DeepSeek launches a high-performance chatbot",
    );
    let extra = env.file(
        "extra.csv",
        "id,date,kind,watch,actors,headline\n\
         jtce187y,2025-07-26,statement,intl-ai-org=developing,China;UN,Premier Li Qiang proposes a new international AI cooperation organisation\n\
         ,2025-08,response,intl-response=emerging,EU,EU responds\n",
    );
    let jsonl = env.file(
        "extra.jsonl",
        "{\"type\":\"kind\",\"name\":\"treaty\"}\n{\"type\":\"watch\",\"slug\":\"new-item\",\"title\":\"New\"}\n\
         {\"type\":\"development\",\"date\":\"2025-09\",\"kind\":\"treaty\",\"headline\":\"x\",\"watch\":[{\"slug\":\"new-item\",\"to\":\"emerging\"}]}\n",
    );
    for (args, says) in [
        (
            vec![
                "log",
                "2025-08-02",
                "EU comments",
                "--watch",
                "intl-response=emerging",
                "--actor",
                "EU",
            ],
            "against intl-response=emerging\nlookout: warning: 2025-08-02 is after today",
        ),
        (
            vec!["edit", "jtce187y", "--date", "2025-07-27"],
            "edited jtce187y",
        ),
        (
            vec![
                "edit",
                "jtce187y",
                "--headline",
                "New words",
                "--no-summary",
                "--kind",
                "other",
            ],
            "edited jtce187y",
        ),
        (
            vec![
                "edit",
                "jtce187y",
                "--watch",
                "intl-response=stalled",
                "--unwatch",
                "intl-ai-org",
            ],
            "edited jtce187y",
        ),
        (
            vec![
                "edit",
                "kkdhda1z",
                "--no-actor",
                "--actor",
                "United States",
                "--source",
                "https://example.org/x",
            ],
            "edited kkdhda1z",
        ),
        (
            vec!["retract", "4fd2sax0", "--reason", "not a development"],
            "retracted 4fd2sax0: Over 800 companies",
        ),
        (
            vec!["unretract", "2qwheqgw"],
            "2qwheqgw counts again: DeepSeek",
        ),
        (
            vec!["watch", "add", "eu-office", "EU AI Office", "--tag", "eu"],
            "watching eu-office (opened 2025-08-01)",
        ),
        (
            vec![
                "watch",
                "edit",
                "intl-ai-org",
                "--title",
                "Global AI body",
                "--untag",
                "china",
            ],
            "updated intl-ai-org",
        ),
        (
            vec!["watch", "remove", "intl-ai-org", "--force"],
            "removed intl-ai-org and 4 links",
        ),
        (vec!["kinds", "add", "sanction"], "added kind 'sanction'"),
        (
            vec!["import", &extra],
            "imported 1 file: 1 added, 1 updated, 0 unchanged, 0 rejected (2 developments)",
        ),
        (
            vec!["import", &jsonl],
            "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (1 kind, \
                    1 watch item, 1 development)",
        ),
        (
            vec![
                "import",
                &fixture("watch-items.csv"),
                &fixture("developments.csv"),
                &extra,
            ],
            "imported 3 files: 1 added, 1 updated, 11 unchanged, 0 rejected (3 \
                    watch items, 10 developments); 1 record repeated an id or slug given \
                    earlier in the run, and the later one was kept",
        ),
    ] {
        undo_restores(&env, &args, says);
    }
}

#[test]
fn repeated_undo_goes_further_back_until_the_journal_is_empty() {
    let env = TestEnv::with_items();
    let empty = env.ok(&["export"]);
    env.log(&["2025-08", "first", "--watch", "intl-ai-org=emerging"]);
    let after_first = env.ok(&["export"]);
    env.log_warned(
        &["2025-09", "second", "--watch", "intl-ai-org=developing"],
        &["is after today"],
    );
    env.ok_with(&["undo"], "undid #3 (log, 1 record");
    assert_eq!(env.ok(&["export"]), after_first);
    env.ok_with(&["undo"], "undid #2 (log, 1 record");
    assert_eq!(env.ok(&["export"]), empty);
    env.ok_with(&["undo"], "undid #1 (import, 3 records"); // the import of the watch items
    assert_eq!(env.ok(&["export"]), "");
    let out = env.run(&["undo"]);
    assert!(out.status.success());
    assert!(stderr_of(&out).contains("nothing to undo"));
}

#[test]
fn undo_refuses_what_was_changed_outside_lookout() {
    let env = TestEnv::seeded();
    env.ok_with(
        &["edit", "jtce187y", "--headline", "Edited"],
        "edited jtce187y",
    );
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET summary = 'by hand' WHERE id = 'jtce187y'",
        [],
    )
    .unwrap();
    drop(conn);
    env.refused(
        &["undo"],
        65,
        "cannot undo #2 (edit): development 'jtce187y' has changed since",
    );
}

#[test]
fn retract_leaves_reports_and_search_and_undo_brings_it_back() {
    let env = TestEnv::seeded();
    let status = |env: &TestEnv| env.ok(&["status", "--as-of", "2025-08-01", "--format", "csv"]);
    let before = status(&env);
    env.ok_with(
        &[
            "retract",
            "jtce187y",
            "--reason",
            "The premier said no such thing",
        ],
        "retracted jtce187y: Premier Li Qiang proposes a new international AI \
            cooperation organisation",
    );
    assert!(status(&env).contains(
        "intl-ai-org,Launch of China's proposed international AI cooperation organisation,open,,3,"
    ));
    assert!(!env.ok(&["timeline"]).contains("jtce187y"));
    assert!(
        !env.ok(&["search", "premier", "--format", "csv"])
            .contains("jtce187y")
    );
    let shown = env.ok(&["show", "jtce187y"]);
    assert!(shown.contains("The premier said no such thing"), "{shown}");
    assert!(
        env.ok(&["export"])
            .contains("The premier said no such thing")
    );
    env.refused(
        &["retract", "jtce187y", "--reason", "again"],
        65,
        "was retracted already",
    );
    env.ok_with(&["undo"], "undid #2 (retract, 1 record");
    assert_eq!(status(&env), before);
    assert!(
        env.ok(&["search", "premier", "--format", "csv"])
            .contains("jtce187y")
    );
}

#[test]
fn editing_a_date_moves_the_development_and_its_status() {
    let env = TestEnv::seeded();
    env.log_warned(
        &[
            "2025-08-10",
            "talks stall",
            "--watch",
            "intl-ai-org=stalled",
        ],
        &["is after today"],
    );
    let status = |as_of: &str| env.ok(&["status", "--as-of", as_of, "--format", "csv"]);
    assert!(status("2025-08-31").contains(",stalled,2025-08-10,"));
    // The proposal turns out to have come after the stall.
    env.ok_with(
        &["edit", "jtce187y", "--date", "2025-08-20"],
        "edited jtce187y\nlookout: warning: 2025-08-20 is after today",
    );
    assert!(
        status("2025-08-31").contains(",emerging,2025-08-20,"),
        "{}",
        status("2025-08-31")
    );
    assert!(status("2025-08-15").contains(",stalled,2025-08-10,"));
    let timeline = env.ok(&["timeline", "--format", "csv", "--watch", "intl-ai-org"]);
    let last = timeline.trim_end().lines().last().unwrap();
    assert!(last.starts_with("jtce187y,2025-08-20,day,"), "{timeline}");
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn history_says_what_changed_newest_first() {
    let env = TestEnv::seeded();
    env.ok_with(
        &[
            "edit",
            "jtce187y",
            "--date",
            "2025-07-27",
            "--watch",
            "intl-ai-org=developing",
        ],
        "edited jtce187y",
    );
    env.ok_with(
        &["retract", "4fd2sax0", "--reason", "not a development"],
        "retracted 4fd2sax0: Over 800 companies showcase thousands of AI innovations at WAIC",
    );
    let text = env.ok(&["history"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("#3 ") && lines[0].contains("retract"),
        "{text}"
    );
    assert_eq!(lines[1], format!("       by {AUTHOR}"), "{text}");
    assert!(
        lines[2].contains("development 4fd2sax0: retracted (\"not a development\")"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("#2 ") && lines[3].contains("edit"),
        "{text}"
    );
    assert!(lines[5].contains("date \"2025-07-26\" → \"2025-07-27\"; watch intl-ai-org=emerging → intl-ai-org=developing"), "{text}");
    assert!(text.contains("import"));
    let about: serde_json::Value =
        serde_json::from_str(&env.ok(&["history", "jtce187y", "--format", "json"])).unwrap();
    let entries = about.as_array().unwrap();
    assert_eq!(entries.len(), 2, "the edit and the import");
    assert_eq!(entries[0]["command"], "edit");
    assert_eq!(entries[0]["author"], AUTHOR);
    assert_eq!(entries[0]["changes"][0]["before"]["date"], "2025-07-26");
    assert_eq!(entries[0]["changes"][0]["after"]["date"], "2025-07-27");
    assert_eq!(
        entries[1]["changes"].as_array().unwrap().len(),
        1,
        "only the change about jtce187y"
    );
    assert_eq!(
        env.ok(&["history", "--limit", "1"])
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .nth(2),
        Some("retract")
    );
    env.refused(
        &["history", "nothing-like-it"],
        65,
        "no journal entry mentions 'nothing-like-it'",
    );
}

#[test]
fn commands_that_change_nothing_leave_no_entry() {
    let env = TestEnv::seeded();
    let before = env.ok(&["history"]);
    env.ok_with(
        &["import", &fixture("developments.csv")],
        "imported 1 file: 0 added, 0 updated, 8 unchanged, 0 rejected (8 developments)",
    );
    env.ok_with(
        &["edit", "jtce187y", "--kind", "statement"],
        "jtce187y already says that; nothing changed",
    );
    env.ok_with(
        &["kinds", "add", "statement"],
        "kind 'statement' exists already; nothing changed",
    );
    assert_eq!(env.ok(&["history"]), before);
}

#[test]
fn edit_refusals() {
    let env = TestEnv::seeded();
    env.refused(
        &["edit", "jtce187y"],
        2,
        "the following required arguments were not provided",
    );
    env.refused(
        &["edit", "nope1234", "--headline", "x"],
        65,
        "unknown development 'nope1234'",
    );
    env.refused(
        &["edit", "jtce187y", "--date", "2025-02-30"],
        65,
        "--date: invalid date '2025-02-30'",
    );
    env.refused(
        &["edit", "jtce187y", "--kind", "statment"],
        65,
        "did you mean 'statement'?",
    );
    env.refused(
        &["edit", "jtce187y", "--watch", "intl-org"],
        65,
        "unknown watch item 'intl-org'",
    );
    env.refused(
        &["edit", "jtce187y", "--unwatch", "us-counter-moves"],
        65,
        "is not linked to 'us-counter-moves'",
    );
    env.refused(
        &["edit", "jtce187y", "--headline", " "],
        65,
        "--headline: the headline is empty",
    );
    env.refused(
        &["retract", "jtce187y", "--reason", " "],
        65,
        "--reason: the reason is empty",
    );
    env.refused(&["retract", "jtce187y"], 2, "--reason");
}

#[test]
fn undo_of_an_import_checks_what_it_added() {
    let env = TestEnv::with_items();
    let file = env.file(
        "one.csv",
        "id,date,kind,watch,headline\nabc1,2025-08,other,intl-ai-org,Added by import\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
    );
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET headline = 'changed by hand' WHERE id = 'abc1'",
        [],
    )
    .unwrap();
    drop(conn);
    env.refused(&["undo"], 65, "development 'abc1' has changed since");
}

#[test]
fn unretract_withdraws_a_retraction_and_says_why_it_cannot() {
    let env = TestEnv::seeded();
    let counted = |env: &TestEnv| env.json_ids(&["timeline"]).len();
    let all = counted(&env);
    env.ok_with(
        &["retract", "4fd2sax0", "--reason", "Not a development"],
        "retracted 4fd2sax0: Over 800 companies showcase thousands of AI innovations at WAIC",
    );
    assert_eq!(counted(&env), all - 1);
    let out = env.run(&["unretract", "4fd2sax0"]);
    assert!(out.status.success());
    assert_eq!(
        stderr_of(&out),
        "4fd2sax0 counts again: Over 800 companies showcase thousands of AI innovations at WAIC\n"
    );
    assert_eq!(counted(&env), all);
    let history = env.ok(&["history", "4fd2sax0"]);
    assert!(
        history.contains("unretract") && history.contains("retraction withdrawn"),
        "{history}"
    );
    assert!(
        history.contains("withdrew the retraction of 4fd2sax0 (Not a development)"),
        "{history}"
    );
    env.refused(&["unretract", "4fd2sax0"], 65, "4fd2sax0 is not retracted");
    env.refused(
        &["unretract", "nope1234"],
        65,
        "unknown development 'nope1234'",
    );
    // undo retracts it again.
    env.ok_with(&["undo"], "undid #3 (unretract, 1 record");
    assert_eq!(counted(&env), all - 1);
}

#[test]
fn undo_dry_run_shows_what_it_would_revert_and_changes_nothing() {
    let env = TestEnv::seeded();
    env.ok_with(
        &[
            "edit",
            "jtce187y",
            "--headline",
            "Li proposes a global AI body",
        ],
        "edited jtce187y",
    );
    let before = env.fingerprint();
    let out = env.run(&["undo", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("would undo #2 (edit, 1 record at ")
            && lines[0].contains(&format!(" by {AUTHOR}): edited jtce187y")),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "  revert: development jtce187y: headline \"Premier Li Qiang proposes a new international AI cooperation organisation\" → \"Li proposes a global AI body\""
    );
    assert_eq!(env.fingerprint(), before);
    // When undo would be refused, the dry run says so the same way.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET headline = 'changed by hand' WHERE id = 'jtce187y'",
        [],
    )
    .unwrap();
    drop(conn);
    env.refused(
        &["undo", "--dry-run"],
        65,
        "cannot undo #2 (edit): development 'jtce187y' has changed since",
    );
}

#[test]
fn journal_numbers_are_never_given_twice() {
    let env = TestEnv::seeded();
    env.log(&["2025-07-30", "First", "--watch", "intl-ai-org"]);
    let undone = env.ok_stderr(&["undo"]);
    assert!(undone.starts_with("undid #2 (log,"), "{undone}");
    env.log(&["2025-07-30", "Second", "--watch", "intl-ai-org"]);
    let history = env.ok(&["history", "--limit", "1"]);
    assert!(history.starts_with("#3 "), "{history}");
}

#[test]
fn an_import_journals_what_it_added_as_one_range_and_undo_checks_every_one() {
    let env = TestEnv::with_items();
    let file = env.file(
        "three.csv",
        "id,date,kind,watch,headline\n\
         abc1,2025-08,other,intl-ai-org,First\n\
         abc2,2025-08,other,intl-ai-org,Second\n\
         abc3,2025-08,other,intl-ai-org,Third\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 developments)",
    );
    assert_eq!(
        env.query(
            "SELECT added_last - added_after FROM journal WHERE id = (SELECT max(id) FROM journal)"
        ),
        "Integer(3)"
    );
    assert_eq!(
        env.query(
            "SELECT count(*) FROM journal_changes WHERE entry = (SELECT max(id) FROM journal)"
        ),
        "Integer(0)"
    );
    let history = env.ok(&["history", "abc2"]);
    assert!(history.contains("import"), "{history}");
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE developments SET summary = 'by hand' WHERE id = 'abc2'",
        [],
    )
    .unwrap();
    env.refused(
        &["undo"],
        65,
        "one of the 3 developments it added has changed since",
    );
    conn.execute(
        "UPDATE developments SET summary = NULL WHERE id = 'abc2'",
        [],
    )
    .unwrap();
    drop(conn);
    let before_import = {
        env.ok_with(&["undo"], "undid #2 (import, 3 records");
        env.ok(&["export"])
    };
    assert!(!before_import.contains("abc2"), "{before_import}");
}

#[test]
fn an_import_with_rejected_rows_between_good_ones_is_undone_exactly() {
    let env = TestEnv::seeded();
    let file = env.file(
        "mixed.csv",
        "id,date,kind,watch,headline\n\
         good1,2025-08,other,intl-ai-org,Good one\n\
         bad1,2025-02-30,other,intl-ai-org,Bad date\n\
         good2,2025-08,other,intl-ai-org,Good two\n\
         bad2,2025-08,no-such-kind,intl-ai-org,Bad kind\n\
         jtce187y,2025-07-26,statement,intl-ai-org=developing,Updated by the file\n\
         good3,2025-09,other,intl-response,Good three\n",
    );
    let before = env.ok(&["export"]);
    let out = env.run(&["import", "--skip-invalid", &file]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    let export = env.ok(&["export"]);
    for id in ["good1", "good2", "good3"] {
        assert!(export.contains(id), "{id} missing");
    }
    assert!(!export.contains("bad1") && !export.contains("bad2"));
    env.ok_with(&["undo"], "undid #2 (import, 4 records");
    assert_eq!(env.ok(&["export"]), before);
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn developments_an_import_added_then_changed_and_put_back_by_undo_still_undo_with_it() {
    let env = TestEnv::with_items();
    let before = env.ok(&["export"]);
    let file = env.file(
        "three.csv",
        "id,date,kind,watch,actors,headline,summary,sources\n\
         abc1,2025-08,other,intl-ai-org=emerging,EU;India,First,\"two\nlines\",https://example.org/1\n\
         abc2,2025-07~,statement,intl-ai-org;intl-response,UN,Second,,\n\
         abc3,../2025-06,other,intl-response=developing,,Third,x,https://example.org/3;https://example.org/4\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 developments)",
    );
    env.ok_with(
        &["edit", "abc2", "--headline", "Edited", "--actor", "China"],
        "edited abc2",
    );
    env.ok_with(
        &["retract", "abc3", "--reason", "wrong"],
        "retracted abc3: Third",
    );
    env.ok_with(
        &[
            "edit",
            "abc1",
            "--date",
            "2025-09",
            "--unwatch",
            "intl-ai-org",
            "--watch",
            "intl-response",
        ],
        "edited abc1\nlookout: warning: 2025-09 is after today",
    );
    for undone in ["undid #5 (edit", "undid #4 (retract", "undid #3 (edit"] {
        env.ok_with(&["undo"], undone);
    }
    let out = env.run(&["undo"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(env.ok(&["export"]), before);
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn every_change_is_confirmed_on_stderr_in_words() {
    let env = TestEnv::new();
    let items = crate::env::fixture("watch-items.csv");
    let confirmed = |args: &[&str], expected: &str| {
        assert_eq!(env.ok_stderr(args), expected, "lookout {args:?}");
    };
    confirmed(
        &["import", &items],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 watch items)\n",
    );
    confirmed(
        &[
            "watch",
            "add",
            "eu-office",
            "EU AI Office",
            "--opened",
            "2025-08",
        ],
        "watching eu-office (opened 2025-08)\n",
    );
    let out = env.run(&[
        "log",
        "2025-07-30",
        "EU comments",
        "--watch",
        "eu-office=emerging",
    ]);
    let id = String::from_utf8(out.stdout.clone())
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(
        stderr_of(&out),
        format!("logged {id} (2025-07-30) against eu-office=emerging\n")
    );
    confirmed(
        &["edit", &id, "--headline", "EU comments again"],
        &format!("edited {id}\n"),
    );
    confirmed(
        &["retract", &id, "--reason", "wrong"],
        &format!("retracted {id}: EU comments again\n"),
    );
    confirmed(
        &["unretract", &id],
        &format!("{id} counts again: EU comments again\n"),
    );
    confirmed(
        &["kinds", "add", "court-ruling"],
        "added kind 'court-ruling'\n",
    );
    confirmed(
        &["watch", "edit", "eu-office", "--tag", "eu"],
        "updated eu-office\n",
    );
    confirmed(
        &["watch", "remove", "eu-office", "--force"],
        "removed eu-office and 1 link\n",
    );
    let undone = env.ok_stderr(&["undo"]);
    assert!(
        undone.starts_with("undid #9 (watch remove, 2 records at ")
            && undone.ends_with("): removed watch item eu-office and 1 link\n"),
        "{undone}"
    );
}
