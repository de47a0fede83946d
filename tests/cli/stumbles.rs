//! Everyday stumbles (issue 20, items 11–16): inputs that used to be taken
//! silently, or refused with a message that sent the user the wrong way.

use crate::env::{TestEnv, fixture, stderr_of, stdout_of};

// 11. A tag is one word.

#[test]
fn a_comma_in_a_tag_flag_is_refused_with_the_hint_to_repeat_it() {
    let env = TestEnv::with_items();
    let stderr = env.refused(
        &["watch", "add", "omnibus", "Omnibus", "--tag", "eu,omnibus"],
        65,
        "--tag: tag 'eu,omnibus' contains a comma",
    );
    assert!(stderr.contains("repeat --tag for each"), "{stderr}");
    env.refused(
        &["watch", "edit", "intl-response", "--tag", "eu ai"],
        65,
        "--tag: tag 'eu ai' contains a space",
    );
    env.refused(
        &["status", "--tag", "us,policy"],
        65,
        "--tag: tag 'us,policy' contains a comma",
    );
    // One tag a flag is taken.
    env.ok_with(
        &[
            "watch", "add", "omnibus", "Omnibus", "--tag", "eu", "--tag", "omnibus",
        ],
        "watching omnibus (opened 2025-08-01)",
    );
    assert_eq!(
        env.query(
            "SELECT group_concat(tag, '|') FROM (SELECT tag FROM watch_tags JOIN watch_items \
             ON watch_items.id = watch_tags.watch_id WHERE slug = 'omnibus' ORDER BY tag)"
        ),
        "eu|omnibus"
    );
}

#[test]
fn a_comma_in_a_tags_cell_is_refused_naming_the_line_and_the_separator() {
    let env = TestEnv::with_items();
    let file = env.file(
        "items.csv",
        "slug,title,description,opened,tags\nomnibus,Omnibus,,2025-01,\"eu, ai-act\"\n",
    );
    let stderr = env.refused(
        &["import", &file],
        65,
        "items.csv:2: column 'tags': tag 'eu, ai-act' contains a comma",
    );
    assert!(
        stderr.contains("separate tags with ';' in a CSV tags cell"),
        "{stderr}"
    );
    let file = env.file(
        "items.csv",
        "slug,title,description,opened,tags\nomnibus,Omnibus,,2025-01,eu; ai-act\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 watch item)",
    );
}

// 16. `--watch a,b` in a filter.

#[test]
fn a_comma_in_a_watch_filter_is_refused_with_the_hint_to_repeat_watch() {
    let env = TestEnv::seeded();
    let stderr = env.refused(
        &["timeline", "--watch", "intl-response,intl-ai-org"],
        65,
        "--watch 'intl-response,intl-ai-org' names more than one watch item",
    );
    assert!(
        stderr.contains("repeat --watch for each: --watch intl-response --watch intl-ai-org"),
        "{stderr}"
    );
    env.refused(&["status", "--watch", "a,b"], 65, "repeat --watch for each");
}

// 13. Rows naming watch items the store lacks.

/// A timeline CSV of `rows` rows, the n-th naming `slugs[n % slugs.len()]`.
fn rows_naming(slugs: &[&str], rows: usize) -> String {
    let mut csv = String::from("date,kind,watch,headline\n");
    for n in 0..rows {
        csv.push_str(&format!(
            "2025-01-{:02},other,{},Headline number {n}\n",
            n % 28 + 1,
            slugs[n % slugs.len()]
        ));
    }
    csv
}

#[test]
fn unknown_watch_items_are_named_once_each_with_a_count_and_where_each_first_appears() {
    let env = TestEnv::with_items();
    let file = env.file(
        "many.csv",
        &rows_naming(&["alpha", "beta", "gamma", "intl-ai-orgs"], 40_000),
    );
    let started = std::time::Instant::now();
    let stderr = env.refused(
        &["import", &file],
        65,
        "4 unknown watch items in 40,000 rows; nothing was stored:",
    );
    // A refusal reads at the pace of its checks, not of doomed writes.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert!(
        stderr.contains(
            "many.csv:2: column 'watch': unknown watch item 'alpha' (the first of 10,000 rows naming it)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("many.csv:5: column 'watch': unknown watch item 'intl-ai-orgs' (the first of 10,000 rows naming it; did you mean 'intl-ai-org'?)"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("'beta'").count(), 1, "{stderr}");
    assert!(stderr.contains("lookout watch add SLUG TITLE"), "{stderr}");
    assert!(stderr.lines().count() <= 8, "{stderr}");
}

#[test]
fn a_refused_import_still_lists_its_other_bad_rows_after_an_unknown_watch_item() {
    let env = TestEnv::with_items();
    let mut csv = rows_naming(&["intl-ai-org"], 3_000);
    csv.push_str("2025-02-30,other,intl-ai-org,Not a day\n");
    csv.push_str("2025-03,no-such-kind,intl-ai-org,Unknown kind\n");
    let csv = csv.replacen(
        "intl-ai-org,Headline number 5\n",
        "nope,Headline number 5\n",
        1,
    );
    let file = env.file("mixed.csv", &csv);
    let stderr = env.refused(
        &["import", &file],
        65,
        "1 unknown watch item in 1 row, and 2 other bad records besides; nothing was stored:",
    );
    assert!(
        stderr.contains("mixed.csv:7: column 'watch': unknown watch item 'nope'"),
        "{stderr}"
    );
    assert!(stderr.contains("mixed.csv:3002: column 'date'"), "{stderr}");
    assert!(stderr.contains("mixed.csv:3003: column 'kind'"), "{stderr}");
}

#[test]
fn skip_invalid_still_rejects_each_row_naming_an_unknown_watch_item() {
    let env = TestEnv::with_items();
    let file = env.file("some.csv", &rows_naming(&["intl-ai-org", "nope"], 10));
    let rejects = env.dir().join("rejects.csv");
    let out = env.run(&[
        "import",
        &file,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(65));
    let rejects = std::fs::read_to_string(rejects).unwrap();
    assert_eq!(
        rejects
            .matches("column 'watch': unknown watch item 'nope'")
            .count(),
        5,
        "{rejects}"
    );
    assert_eq!(env.query("SELECT count(*) FROM developments"), "Integer(5)");
}

// 14. backup's temporary files.

#[test]
fn a_backup_into_a_missing_directory_says_the_directory_does_not_exist() {
    let env = TestEnv::seeded();
    let dest = env.dir().join("no-such-dir").join("copy.db");
    let stderr = env.refused(
        &["backup", dest.to_str().unwrap()],
        74,
        &format!(
            "the directory {} does not exist",
            env.dir().join("no-such-dir").display()
        ),
    );
    assert!(!stderr.contains(".lookout-tmp-"), "{stderr}");
    assert!(!env.dir().join("no-such-dir").exists());
}

#[test]
fn a_killed_backup_s_journal_is_removed_by_the_next_backup_into_that_directory() {
    let env = TestEnv::seeded();
    let dir = env.dir().join("backups");
    std::fs::create_dir(&dir).unwrap();
    // What a backup killed mid-copy leaves: its copy and SQLite's journal.
    std::fs::write(dir.join(".lookout-tmp-backup-zog8XR"), "half a copy").unwrap();
    std::fs::write(dir.join(".lookout-tmp-backup-zog8XR-journal"), "x").unwrap();
    // A journal whose copy an earlier sweep took already.
    std::fs::write(dir.join(".lookout-tmp-backup-ab12CD-journal"), "x").unwrap();
    let dest = dir.join("copy.db");
    env.ok_with(
        &["backup", dest.to_str().unwrap()],
        &format!("backed up {} to {}", env.db().display(), dest.display()),
    );
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["copy.db"]);
}

// 15. Said, not silent.

#[test]
fn log_without_watch_warns_that_status_and_changes_will_not_show_it_and_still_logs_it() {
    let env = TestEnv::with_items();
    let out = env.run(&["log", "2025-07-20", "A development bearing on nothing"]);
    assert_eq!(out.status.code(), Some(0));
    let id = stdout_of(&out).trim().to_string();
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "lookout: warning: {id} bears on no watch item (no --watch), so status and changes will not show it; link it with `lookout edit {id} --watch SLUG`"
        )),
        "{stderr}"
    );
    assert_eq!(env.query("SELECT count(*) FROM developments"), "Integer(1)");
    // A warning, so -q does not hide it; with --watch there is none.
    let quiet = env.run(&["-q", "log", "2025-07-21", "Another bearing on nothing"]);
    assert!(stderr_of(&quiet).contains("bears on no watch item"));
    let linked = env.run(&["log", "2025-07-22", "Linked", "--watch", "intl-ai-org"]);
    assert!(
        !stderr_of(&linked).contains("warning"),
        "{}",
        stderr_of(&linked)
    );
}

/// lookout with no --db and no LOOKOUT_DB, its data directory under `home`.
fn on_default_store(env: &TestEnv, home: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("lookout"));
    cmd.env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("LOOKOUT_TODAY", crate::env::TODAY)
        .env("NO_COLOR", "1")
        .env("LOOKOUT_AUTHOR", crate::env::AUTHOR)
        .env_remove("LOOKOUT_DB")
        .current_dir(env.dir());
    cmd
}

#[test]
fn the_first_write_to_the_default_store_says_where_the_store_was_created_once() {
    let env = TestEnv::new();
    let home = env.dir().join("home");
    std::fs::create_dir(&home).unwrap();
    let store = home.join("data").join("lookout").join("lookout.db");
    let said = format!("created a new store at {}", store.display());
    // A refused first write creates nothing, and says nothing of a store.
    let refused = on_default_store(&env, &home)
        .args(["log", "2025-07-20", "x", "--watch", "nope"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(65));
    assert!(!stderr_of(&refused).contains("created a new store"));
    assert!(!store.exists());
    let first = on_default_store(&env, &home)
        .args(["watch", "add", "eu-ai-act", "The EU AI Act"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    assert_eq!(
        stderr_of(&first).matches(&said).count(),
        1,
        "{}",
        stderr_of(&first)
    );
    assert!(store.exists());
    let second = on_default_store(&env, &home)
        .args(["log", "2025-07-20", "Second", "--watch", "eu-ai-act"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(0));
    assert!(
        !stderr_of(&second).contains("created a new store"),
        "{}",
        stderr_of(&second)
    );
    // An explicit --db is where the user said: nothing to announce.
    let explicit = env.run(&["watch", "add", "eu-ai-act", "The EU AI Act"]);
    assert!(!stderr_of(&explicit).contains("created a new store"));
}

#[test]
fn a_first_import_into_the_default_store_says_where_it_is() {
    let env = TestEnv::new();
    let home = env.dir().join("home");
    std::fs::create_dir(&home).unwrap();
    let store = home.join("data").join("lookout").join("lookout.db");
    let out = on_default_store(&env, &home)
        .args(["import", &fixture("watch-items.csv")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains(&format!("created a new store at {}", store.display())),
        "{}",
        stderr_of(&out)
    );
}

// 16. Help, hints and ids.

#[test]
fn global_options_are_listed_apart_from_a_command_s_own() {
    let env = TestEnv::new();
    for command in [&["watch", "show"][..], &["status"], &["log"], &["import"]] {
        let mut args = command.to_vec();
        args.push("--help");
        let help = env.ok(&args);
        let (own, global) = help
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{command:?}: no Global options heading:\n{help}"));
        for flag in [
            "--db <PATH>",
            "--bom",
            "--author <NAME>",
            "--wide",
            "--quiet",
            "--color <WHEN>",
        ] {
            assert!(
                global.contains(flag),
                "{command:?}: {flag} not under the heading:\n{help}"
            );
            assert!(
                !own.contains(flag),
                "{command:?}: {flag} among the command's own:\n{help}"
            );
        }
    }
}

#[test]
fn watch_show_edit_and_remove_describe_their_slug() {
    let env = TestEnv::new();
    for command in ["show", "edit", "remove"] {
        let help = env.ok(&["watch", command, "--help"]);
        let arguments = help
            .split_once("Arguments:")
            .and_then(|(_, rest)| rest.split_once("Options:"))
            .map_or("", |(arguments, _)| arguments);
        assert!(
            arguments.contains("<SLUG>") && arguments.contains("The watch item"),
            "watch {command}:\n{help}"
        );
    }
}

#[test]
fn removing_a_missing_watch_item_hints_the_nearest_slug_not_watch_add() {
    let env = TestEnv::with_items();
    let stderr = env.refused(
        &["watch", "remove", "intl-ai-orgs", "--force"],
        65,
        "unknown watch item 'intl-ai-orgs'; nothing to remove",
    );
    assert!(stderr.contains("did you mean 'intl-ai-org'?"), "{stderr}");
    assert!(!stderr.contains("watch add"), "{stderr}");
    let stderr = env.refused(
        &["watch", "remove", "zzz", "--force"],
        65,
        "unknown watch item 'zzz'; nothing to remove",
    );
    assert!(
        stderr.contains("`lookout watch list` shows the watch items there are"),
        "{stderr}"
    );
    assert!(!stderr.contains("watch add"), "{stderr}");
}

#[test]
fn an_id_is_taken_in_any_case_and_by_a_unique_prefix_of_four_characters() {
    let env = TestEnv::with_items();
    let file = env.file(
        "ids.csv",
        "id,date,kind,watch,headline\n\
         2j11g5m4,2025-07-01,other,intl-ai-org,First\n\
         abcd1111,2025-07-02,other,intl-ai-org,Second\n\
         abcd2222,2025-07-03,other,intl-ai-org,Third\n",
    );
    env.ok_with(
        &["import", &file],
        "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 developments)",
    );
    let shown = env.ok(&["show", "2J11G5M4", "--format", "json"]);
    assert!(
        shown.contains(r#""id": "2j11g5m4""#) || shown.contains(r#""id":"2j11g5m4""#),
        "{shown}"
    );
    let shown = env.ok(&["show", "2j11", "--format", "json"]);
    assert!(shown.contains("2j11g5m4"), "{shown}");
    env.ok_with(
        &["edit", "ABCD1", "--headline", "Second, edited"],
        "edited abcd1111",
    );
    assert_eq!(
        env.query("SELECT headline FROM developments WHERE id = 'abcd1111'"),
        "Second, edited"
    );
    env.ok_with(
        &["retract", "abcd2", "--reason", "denied"],
        "retracted abcd2222: Third",
    );
    env.ok_with(&["unretract", "ABCD2222"], "abcd2222 counts again: Third");
    let stderr = env.refused(
        &["show", "abcd"],
        65,
        "ID: 'abcd' begins more than one development id: abcd1111, abcd2222",
    );
    assert!(stderr.contains("give more of the id"), "{stderr}");
    env.refused(
        &["retract", "ABCD", "--reason", "x"],
        65,
        "begins more than one development id",
    );
    let stderr = env.refused(&["show", "2j1"], 65, "ID: unknown development '2j1'");
    assert!(stderr.contains("at least 4 characters"), "{stderr}");
    env.refused(
        &["edit", "zzzz", "--headline", "x"],
        65,
        "ID: unknown development 'zzzz'",
    );
}

// 12. Ctrl-C during an import.

/// Runs `import FILE` on `db`, sends it SIGINT once it is under way (its
/// Ctrl-C handler's thread is running, so the signal finds it installed),
/// and returns its exit code and stderr.
fn interrupted_import(
    env: &TestEnv,
    db: &std::path::Path,
    files: &[&str],
) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = env
        .std_cmd_on(db)
        .arg("import")
        .args(files)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let tasks = std::path::PathBuf::from(format!("/proc/{}/task", child.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_dir(&tasks).map_or(0, Iterator::count) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never got under way"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was interrupted"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let stopped = std::time::Instant::now();
    let status = child.wait().unwrap();
    assert!(
        stopped.elapsed().as_secs() < 20,
        "took {:?} to stop",
        stopped.elapsed()
    );
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
}

/// The names in a directory, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn ctrl_c_during_an_import_into_a_new_store_says_so_and_leaves_nothing_behind() {
    let env = TestEnv::new();
    let data = env.dir().join("input");
    std::fs::create_dir(&data).unwrap();
    let mut csv = std::fs::read_to_string(fixture("watch-items.csv")).unwrap();
    std::fs::write(data.join("watch-items.csv"), &csv).unwrap();
    csv = rows_naming(
        &["intl-ai-org", "intl-response", "us-counter-moves"],
        200_000,
    );
    let file = data.join("developments.csv");
    std::fs::write(&file, csv).unwrap();
    let stores = env.dir().join("stores");
    std::fs::create_dir(&stores).unwrap();
    let db = stores.join("new.db");
    // Both files, as a first import of a colleague's tracker would be.
    let items = data.join("watch-items.csv");
    let (code, stderr) = interrupted_import(
        &env,
        &db,
        &[items.to_str().unwrap(), file.to_str().unwrap()],
    );
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: nothing imported"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // No empty store, no hidden temporary file, no log.
    assert_eq!(listing(&stores), Vec::<String>::new());
    // And the next command does not find half a store.
    let out = env.std_cmd_on(&db).args(["status"]).output().unwrap();
    assert!(
        !stderr_of(&out).contains("empty store"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn ctrl_c_during_an_import_into_a_store_leaves_it_as_it_was() {
    let env = TestEnv::seeded();
    let before = env.fingerprint();
    let files = listing(env.dir());
    let file = env.file(
        "developments.csv",
        &rows_naming(
            &["intl-ai-org", "intl-response", "us-counter-moves"],
            200_000,
        ),
    );
    let (code, stderr) = interrupted_import(&env, env.db(), &[&file]);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: nothing imported"), "{stderr}");
    assert_eq!(env.fingerprint(), before);
    let mut after = listing(env.dir());
    after.retain(|name| name != "developments.csv");
    assert_eq!(after, files);
    // The write-ahead log holds no more than lookout keeps between commands.
    let wal = env.dir().join("tracker.db-wal");
    let wal_size = std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert!(wal_size <= 1 << 20, "{wal_size} bytes of log left");
}
