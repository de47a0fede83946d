//! Sharing a tracker through git: replicas (stores of their own, each an
//! analyst) syncing through a bare repository in a temporary directory, with
//! the real `git`.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::env::{SEED_IMPORTED, TestEnv, fixture, have, stderr_of};

/// A shared bare repository and the analysts who sync with it.
pub struct Team {
    _dir: TempDir,
    pub remote: PathBuf,
    pub members: Vec<TestEnv>,
}

pub const NAMES: [&str; 3] = [
    "Ana Lima <ana@example.org>",
    "Ben Okafor <ben@example.org>",
    "Chen Wei <chen@example.org>",
];

impl Team {
    /// `n` analysts (at most three) and an empty shared repository; None
    /// when git is missing outside CI.
    pub fn new(n: usize) -> Option<Team> {
        if !have("git") {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let remote = dir.path().join("shared tracker.git");
        git(
            dir.path(),
            &[
                "init",
                "--quiet",
                "--bare",
                "-b",
                "main",
                remote.to_str().unwrap(),
            ],
        );
        let members = NAMES[..n]
            .iter()
            .map(|name| TestEnv::new().author(name))
            .collect();
        Some(Team {
            _dir: dir,
            remote,
            members,
        })
    }

    pub fn remote(&self) -> &str {
        self.remote.to_str().unwrap()
    }

    /// Every analyst syncs, in turn, `rounds` times; returns their stderr.
    pub fn sync_all(&self, rounds: usize) -> String {
        let mut said = String::new();
        for _ in 0..rounds {
            for member in &self.members {
                said.push_str(&member.ok_stderr(&["sync"]));
            }
        }
        said
    }

    /// Every analyst's JSON Lines export, which must agree.
    pub fn exports(&self) -> Vec<String> {
        self.members.iter().map(|m| m.ok(&["export"])).collect()
    }

    pub fn assert_converged(&self) -> String {
        let exports = self.exports();
        for (n, export) in exports.iter().enumerate().skip(1) {
            assert_eq!(
                export, &exports[0],
                "{} and {} disagree",
                NAMES[0], NAMES[n]
            );
        }
        exports[0].clone()
    }

    /// How many commits the shared repository's main has.
    pub fn commits(&self) -> usize {
        git(&self.remote, &["rev-list", "--count", "main"])
            .trim()
            .parse()
            .unwrap()
    }
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A team whose first analyst shared the seed tracker and everyone synced.
pub fn seeded_team(n: usize) -> Option<Team> {
    let team = Team::new(n)?;
    let ana = &team.members[0];
    ana.ok_with(
        &[
            "import",
            &fixture("watch-items.csv"),
            &fixture("developments.csv"),
        ],
        SEED_IMPORTED,
    );
    let said = ana.ok_stderr(&["sync", team.remote()]);
    assert!(
        said.contains("sent 11 added, 0 changed, 0 removed"),
        "{said}"
    );
    for member in &team.members[1..] {
        let said = member.ok_stderr(&["sync", team.remote()]);
        assert!(
            said.contains("received 11 added, 0 changed, 0 removed; sent nothing"),
            "{said}"
        );
    }
    Some(team)
}

#[test]
fn the_first_sync_shares_a_tracker_and_the_next_analyst_receives_it() {
    let Some(team) = seeded_team(2) else { return };
    let export = team.assert_converged();
    assert_eq!(export.lines().count(), 11);
    // The shared repository holds the text form, authored by the analyst.
    let files = git(&team.remote, &["ls-tree", "-r", "--name-only", "main"]);
    assert!(files.lines().any(|f| f == "lookout.json"), "{files}");
    assert!(files.lines().any(|f| f == "watch.jsonl"), "{files}");
    assert!(
        files.lines().any(|f| f == "developments/jt.jsonl"),
        "{files}"
    );
    let author = git(&team.remote, &["log", "-1", "--format=%an <%ae>", "main"]);
    assert_eq!(author.trim(), "Ana Lima <ana@example.org>");
}

#[test]
fn adds_on_each_side_of_neighbouring_slugs_both_land() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.ok_with(
        &[
            "watch",
            "add",
            "eu-ai-act-a",
            "EU AI Act, first half",
            "--opened",
            "2025-08",
        ],
        "watching eu-ai-act-a (opened 2025-08)",
    );
    ben.ok_with(
        &[
            "watch",
            "add",
            "eu-ai-act-b",
            "EU AI Act, second half",
            "--opened",
            "2025-08",
        ],
        "watching eu-ai-act-b (opened 2025-08)",
    );
    ana.log_warned(
        &[
            "2025-08-02",
            "The EU responds",
            "--watch",
            "intl-response=emerging",
        ],
        &["is after today"],
    );
    ben.log_warned(
        &["2025-08-03", "India responds", "--watch", "intl-response"],
        &["is after today"],
    );
    team.sync_all(2);
    let export = team.assert_converged();
    for expected in [
        "eu-ai-act-a",
        "eu-ai-act-b",
        "The EU responds",
        "India responds",
    ] {
        assert!(export.contains(expected), "{expected} missing:\n{export}");
    }
}

#[test]
fn edits_of_different_fields_merge_and_one_field_edited_twice_is_a_named_conflict() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.ok_with(
        &[
            "edit",
            "jtce187y",
            "--headline",
            "Li Qiang proposes a global AI body",
        ],
        "edited jtce187y",
    );
    ben.ok_with(
        &[
            "edit",
            "jtce187y",
            "--summary",
            "Reported from WAIC.",
            "--actor",
            "UN",
        ],
        "edited jtce187y",
    );
    ben.ok_with(
        &["edit", "4h257h30", "--headline", "Ben's headline"],
        "edited 4h257h30",
    );
    ana.ok_with(
        &["edit", "4h257h30", "--headline", "Ana's headline"],
        "edited 4h257h30",
    );
    ana.ok_stderr(&["sync"]);
    let said = ben.ok_stderr(&["sync"]);
    assert!(
        said.contains("conflict: development 4h257h30 headline: kept \"Ana's headline\" (Ana Lima <ana@example.org>,")
            && said.contains("not \"Ben's headline\" (Ben Okafor <ben@example.org>,"),
        "{said}"
    );
    team.sync_all(2);
    let export = team.assert_converged();
    let line = |id: &str| export.lines().find(|l| l.contains(id)).unwrap().to_string();
    let jt = line("\"jtce187y\"");
    assert!(
        jt.contains("\"headline\":\"Li Qiang proposes a global AI body\""),
        "{jt}"
    );
    assert!(jt.contains("\"summary\":\"Reported from WAIC.\""), "{jt}");
    assert!(jt.contains("\"actors\":[\"China\",\"UN\"]"), "{jt}");
    assert!(line("\"4h257h30\"").contains("Ana's headline"));
    // The losing value is kept in the journal of the store that lost it.
    let history = ben.ok(&["history", "4h257h30"]);
    assert!(
        history.contains("\"Ben's headline\" → \"Ana's headline\""),
        "{history}"
    );
}

#[test]
fn a_removed_watch_item_stays_removed_and_an_undone_development_never_arrives() {
    let Some(team) = seeded_team(3) else { return };
    let (ana, ben, chen) = (&team.members[0], &team.members[1], &team.members[2]);
    ana.ok_with(
        &["watch", "remove", "us-counter-moves", "--force"],
        "removed us-counter-moves and 2 links",
    );
    let oops = ben.log_warned(
        &["2025-08-04", "Logged by mistake", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    ben.ok_with(&["undo"], "undid #2 (log, 1 record");
    team.sync_all(2);
    let export = team.assert_converged();
    assert!(
        !export.contains("\"slug\":\"us-counter-moves\""),
        "{export}"
    );
    assert!(!export.contains(&oops), "{export}");
    // More syncs, more edits elsewhere: nothing removed comes back.
    chen.ok_with(
        &["edit", "kkdhda1z", "--summary", "Still here."],
        "edited kkdhda1z",
    );
    team.sync_all(2);
    let export = team.assert_converged();
    assert!(
        !export.contains("\"slug\":\"us-counter-moves\""),
        "{export}"
    );
    assert!(export.contains("Still here."));
}

#[test]
fn a_retraction_and_its_withdrawal_travel() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.ok_with(
        &["retract", "4fd2sax0", "--reason", "Not a development"],
        "retracted 4fd2sax0: Over 800 companies showcase thousands of AI innovations at WAIC",
    );
    team.sync_all(1);
    assert!(ben.ok(&["show", "4fd2sax0"]).contains("Not a development"));
    ana.ok_with(&["undo"], "undid #2 (retract, 1 record");
    team.sync_all(2);
    let export = team.assert_converged();
    let line = export.lines().find(|l| l.contains("\"4fd2sax0\"")).unwrap();
    assert!(line.ends_with("\"retracted\":null}"), "{line}");
}

#[test]
fn an_edit_beats_a_removal_and_says_so() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let id = ana.log_warned(
        &["2025-08-05", "Draft", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    team.sync_all(1);
    ana.ok_with(&["undo"], "undid #2 (log, 1 record");
    ben.ok_with(
        &["edit", &id, "--headline", "Confirmed"],
        &format!("edited {id}"),
    );
    let said = team.sync_all(2);
    assert!(
        said.contains(&format!(
            "kept development {id}: removed in the shared tracker, but edited here"
        )),
        "{said}"
    );
    assert!(team.assert_converged().contains("Confirmed"));
}

#[test]
fn nothing_to_do_changes_nothing_and_makes_no_commit() {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    let commits = team.commits();
    let before = ben.fingerprint();
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("already in step"), "{said}");
    assert_eq!(team.commits(), commits);
    assert_eq!(ben.fingerprint(), before);
}

#[test]
fn undoing_a_sync_reverts_the_store_and_the_next_sync_brings_it_back() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.log_warned(
        &["2025-08-06", "A new response", "--watch", "intl-response"],
        &["is after today"],
    );
    ana.ok_stderr(&["sync"]);
    let before = ben.ok(&["export"]);
    ben.ok_stderr(&["sync"]);
    let commits = team.commits();
    let said = ben.ok_stderr(&["undo"]);
    assert!(said.contains("(sync,"), "{said}");
    assert_eq!(ben.ok(&["export"]), before);
    // The shared tracker is untouched by an undo; the next sync brings it back.
    assert_eq!(team.commits(), commits);
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("received 1 added"), "{said}");
    team.assert_converged();
}

#[test]
fn undoing_a_sync_that_added_and_removed_puts_back_what_it_removed_before_what_uses_it() {
    // Ana's sync adds a development and removes a watch item together with
    // the development that used it; undoing it must bring the item back
    // before that development, and remove what it added.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ben.ok_with(
        &["watch", "add", "eu-response", "EU response"],
        "watching eu-response (opened 2025-08-01)",
    );
    ben.log_warned(
        &["2025-08-04", "The EU comments", "--watch", "eu-response"],
        &["is after today"],
    );
    ben.ok_stderr(&["sync"]);
    ana.ok_stderr(&["sync"]);
    let before = ana.ok(&["export"]);
    ben.ok_stderr(&["undo"]);
    ben.ok_stderr(&["undo"]);
    ben.log_warned(
        &["2025-08-05", "India answers", "--watch", "intl-response"],
        &["is after today"],
    );
    ben.ok_stderr(&["sync"]);
    let said = ana.ok_stderr(&["sync"]);
    assert!(
        said.contains("received 1 added, 0 changed, 2 removed"),
        "{said}"
    );
    let said = ana.ok_stderr(&["undo"]);
    assert!(said.contains("(sync,"), "{said}");
    assert_eq!(ana.ok(&["export"]), before);
    ana.ok(&["check"]);
    ana.ok_stderr(&["sync"]);
    team.sync_all(1);
    team.assert_converged();
}

/// Ana and Ben each import a development with the id `samed000`: two
/// different events, "Ana's event" and "Ben's event".
fn same_id_for_different_events(ana: &TestEnv, ben: &TestEnv) {
    let header = "id,date,kind,watch,headline\n";
    let a = ana.file(
        "a.csv",
        &format!("{header}samed000,2025-08-07,other,intl-ai-org,Ana's event\n"),
    );
    let b = ben.file(
        "b.csv",
        &format!("{header}samed000,2025-08-08,other,intl-ai-org,Ben's event\n"),
    );
    ana.ok_with(
        &["import", &a],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
    );
    ben.ok_with(
        &["import", &b],
        "imported 1 file: 1 added, 0 updated, 0 unchanged, 0 rejected (1 development)",
    );
}

#[test]
fn a_local_development_whose_id_was_taken_gets_a_new_one() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    same_id_for_different_events(ana, ben);
    ana.ok_stderr(&["sync"]);
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("renamed development samed000 to "), "{said}");
    team.sync_all(1);
    let export = team.assert_converged();
    assert!(
        export.contains("Ana's event") && export.contains("Ben's event"),
        "{export}"
    );
    let ana_line = export.lines().find(|l| l.contains("\"samed000\"")).unwrap();
    assert!(ana_line.contains("Ana's event"), "{ana_line}");
}

#[test]
fn likely_duplicates_are_listed_by_sync_and_by_check() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let a = ana.log_warned(
        &[
            "2025-08-09",
            "India responds to China's plan",
            "--watch",
            "intl-response",
        ],
        &["is after today"],
    );
    let b = ben.log_warned(
        &[
            "2025-08-09",
            "India responds to China’s plan.",
            "--watch",
            "intl-response",
        ],
        &["is after today"],
    );
    ana.ok_stderr(&["sync"]);
    let said = ben.ok_stderr(&["sync"]);
    let (first, second) = if a < b { (&a, &b) } else { (&b, &a) };
    let expected = format!("likely duplicate: {first} and {second}");
    assert!(said.contains(&expected), "{said}");
    let check = ben.ok(&["check"]);
    assert!(check.contains(&expected), "{check}");
}

#[test]
fn a_checkout_of_the_shared_tracker_imports_as_a_store() {
    let Some(team) = seeded_team(1) else { return };
    let checkout = team.members[0].dir().join("checkout");
    git(
        team.members[0].dir(),
        &[
            "clone",
            "--quiet",
            team.remote(),
            checkout.to_str().unwrap(),
        ],
    );
    let fresh = TestEnv::new();
    fresh.ok_with(
        &["import", checkout.to_str().unwrap()],
        "imported 1 file: 11 added, 0 updated, 0 unchanged, 0 rejected (3 \
            watch items, 8 developments)",
    );
    assert_eq!(fresh.ok(&["export"]), team.members[0].ok(&["export"]));
}

#[test]
fn an_unreachable_remote_or_a_repository_that_is_no_tracker_is_refused() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    let missing = ana.dir().join("nowhere.git");
    let fresh = TestEnv::with_items();
    fresh.refused(&["sync", missing.to_str().unwrap()], 74, "nowhere.git");
    // A repository with history that lookout did not write.
    let other = ana.dir().join("other");
    git(
        ana.dir(),
        &["init", "--quiet", "-b", "main", other.to_str().unwrap()],
    );
    std::fs::write(other.join("notes.txt"), "hello\n").unwrap();
    git(&other, &["add", "notes.txt"]);
    git(&other, &["commit", "--quiet", "-m", "notes"]);
    fresh.refused(
        &["sync", other.to_str().unwrap()],
        74,
        "is not a lookout tracker",
    );
    // A store that never synced, and no remote named.
    fresh.refused(&["sync"], 65, "this store does not sync yet");
    // Another remote than the one this store syncs with.
    ana.refused(
        &["sync", other.to_str().unwrap()],
        65,
        "this store syncs with",
    );
}

#[test]
fn conflict_markers_in_an_imported_file_are_named() {
    let env = TestEnv::with_items();
    let file = env.file(
        "merged.jsonl",
        "<<<<<<< HEAD\n{\"type\":\"kind\",\"name\":\"a\"}\n=======\n{\"type\":\"kind\",\"name\":\"b\"}\n>>>>>>> theirs\n",
    );
    env.refused(
        &["import", &file],
        65,
        "merged.jsonl:1: a git conflict marker",
    );
}

#[test]
fn two_syncs_at_the_same_moment_both_succeed_and_converge() {
    let Some(team) = seeded_team(3) else { return };
    for (n, member) in team.members.iter().enumerate() {
        member.log_warned(
            &[
                "2025-08-10",
                &format!("Development number {n}"),
                "--watch",
                "intl-ai-org",
            ],
            &["is after today"],
        );
    }
    let children: Vec<_> = team
        .members
        .iter()
        .map(|m| {
            m.std_cmd()
                .arg("sync")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    team.sync_all(2);
    let export = team.assert_converged();
    for n in 0..3 {
        assert!(export.contains(&format!("Development number {n}")));
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_sync_killed_after_pushing_a_renamed_development_keeps_one_copy_of_it() {
    // Ana's development takes a new id (Ben's has hers) and her sync pushes
    // it, then dies before her store takes it. The next sync must take the
    // copy it pushed, not rename her development a second time.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    same_id_for_different_events(ana, ben);
    ben.ok_stderr(&["sync"]);
    // A git that kills the pushing lookout once its push landed (the
    // shared repository's own hooks no longer run).
    let wrapper = ana.dir().join("killing git");
    let path = crate::sync_hostile_git::git_that_kills_lookout_after_its_push(&wrapper);
    let out = ana
        .std_cmd()
        .arg("sync")
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "killed: {out:?}");
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("renamed development samed000 to "), "{said}");
    assert!(said.contains("sent nothing"), "{said}");
    team.sync_all(1);
    let export = team.assert_converged();
    assert_eq!(export.matches("Ana's event").count(), 1, "{export}");
    assert_eq!(export.matches("Ben's event").count(), 1, "{export}");
}

#[test]
fn a_sync_killed_at_any_moment_is_completed_by_the_next() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    for (round, delay) in [0u64, 2, 5, 10, 20, 35, 60].into_iter().enumerate() {
        ana.log_warned(
            &[
                "2025-08-11",
                &format!("Ana's round {round}"),
                "--watch",
                "intl-ai-org",
            ],
            &["is after today"],
        );
        ben.log_warned(
            &[
                "2025-08-12",
                &format!("Ben's round {round}"),
                "--watch",
                "intl-response",
            ],
            &["is after today"],
        );
        ben.ok_stderr(&["sync"]);
        let mut child = ana
            .std_cmd()
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // The cache may hold a lock git left behind; the next sync says so or
        // goes on. Either way the store is whole.
        assert!(ana.ok(&["check"]).starts_with("ok: "), "round {round}");
        team.sync_all(2);
        let export = team.assert_converged();
        assert!(
            export.contains(&format!("Ana's round {round}")),
            "round {round}"
        );
        assert!(
            export.contains(&format!("Ben's round {round}")),
            "round {round}"
        );
    }
}

#[test]
fn locks_left_by_a_killed_sync_do_not_stop_the_next() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    // The shared tracker moves on, so Ana's fetch must update her refs.
    ben.log_warned(
        &["2025-08-13", "Meanwhile", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    ben.ok_stderr(&["sync"]);
    let cache = crate::sync_hostile_git::cache_of(ana);
    std::fs::write(cache.join("refs/remotes/origin/main.lock"), "").unwrap();
    std::fs::write(cache.join("packed-refs.lock"), "").unwrap();
    std::fs::write(cache.join("refs/lookout/pending.lock"), "").unwrap();
    ana.log_warned(
        &["2025-08-13", "After a crash", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    let said = ana.ok_stderr(&["sync"]);
    assert!(
        said.contains("received 1 added") && said.contains("sent 1 added"),
        "{said}"
    );
}

#[test]
fn a_shared_development_of_a_kind_no_side_holds_is_refused_by_a_first_sync_and_a_later_one() {
    // Someone edited the shared files by hand: a development of a kind that
    // kinds.jsonl does not hold. A new analyst's first sync (its store built
    // aside) refuses it as an existing store's sync does, and leaves no store.
    let Some(team) = seeded_team(2) else { return };
    let ana = &team.members[0];
    let id = ana.log_warned(
        &["2025-08-06", "A new response", "--watch", "intl-response"],
        &["is after today"],
    );
    ana.ok_stderr(&["sync"]);
    crate::sync_marks::push_edit(&team, &format!("developments/{}.jsonl", &id[..2]), |text| {
        text.replace("\"kind\":\"other\"", "\"kind\":\"no-such-kind\"")
    });
    let newcomer = TestEnv::new().author(NAMES[2]);
    let out = newcomer.run(&["sync", team.remote()]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.contains(&format!("development {id}: unknown kind 'no-such-kind'"))
            && stderr.contains("an edit by hand"),
        "{stderr}"
    );
    assert!(!newcomer.db().exists(), "a refused first sync left a store");
    let ben = &team.members[1];
    let before = ben.ok(&["export"]);
    let out = ben.run(&["sync"]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("unknown kind 'no-such-kind'"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(ben.ok(&["export"]), before);
}

#[test]
fn a_development_undone_after_undoing_the_sync_that_shared_it_stays_undone() {
    // Ana's sync sends her new development and brings Ben's; she undoes the
    // sync, then her development. The undone sync agreed on what she had
    // sent, so her undo is a removal for everyone; Ben's development, which
    // the undo took from her store, comes back.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let mistake = ana.log_warned(
        &["2025-08-04", "Logged by mistake", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    ben.log_warned(
        &["2025-08-05", "Ben's news", "--watch", "intl-response"],
        &["is after today"],
    );
    ben.ok_stderr(&["sync"]);
    let said = ana.ok_stderr(&["sync"]);
    assert!(
        said.contains("received 1 added") && said.contains("sent 1 added"),
        "{said}"
    );
    let said = ana.ok_stderr(&["undo"]);
    assert!(said.contains("(sync,"), "{said}");
    let said = ana.ok_stderr(&["undo"]);
    assert!(said.contains("(log,"), "{said}");
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("received 1 added"), "{said}");
    assert!(
        said.contains("sent 0 added, 0 changed, 1 removed"),
        "{said}"
    );
    team.sync_all(2);
    let export = team.assert_converged();
    assert!(!export.contains(&mistake), "{export}");
    assert!(export.contains("Ben's news"), "{export}");
}

#[test]
fn the_analyst_whose_removal_was_overturned_is_told() {
    // Ben removes a watch item and shares that; Ana, not yet synced, logs a
    // development against it. Her sync keeps the item (and says so); Ben's
    // next sync brings it back to him, and says so too.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ben.ok_with(
        &["watch", "remove", "us-counter-moves", "--force"],
        "removed us-counter-moves and 2 links",
    );
    ben.ok_stderr(&["sync"]);
    ana.log_warned(
        &[
            "2025-08-06",
            "A US counter-move",
            "--watch",
            "us-counter-moves",
        ],
        &["is after today"],
    );
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("kept watch us-counter-moves"), "{said}");
    let said = ben.ok_stderr(&["sync"]);
    assert!(
        said.contains("watch item us-counter-moves, removed here, is back from the shared tracker"),
        "{said}"
    );
    // Said once: the next sync has nothing to say of it.
    let said = ben.ok_stderr(&["sync"]);
    assert!(!said.contains("us-counter-moves"), "{said}");
    team.assert_converged();
}

#[test]
fn a_shared_repository_reset_behind_a_stores_last_sync_is_refused_and_nothing_is_removed() {
    // Someone resets the shared main one commit back with a force push: the
    // commit Ben agreed on is gone from its history. Merged against it, Ana's
    // development in the lost commit would read as removed by everyone.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let id = ana.log_warned(
        &[
            "2025-08-06",
            "Soon lost upstream",
            "--watch",
            "intl-response",
        ],
        &["is after today"],
    );
    ana.ok_stderr(&["sync"]);
    ben.ok_stderr(&["sync"]);
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    git(
        dir.path(),
        &["clone", "--quiet", team.remote(), work.to_str().unwrap()],
    );
    git(&work, &["reset", "--quiet", "--hard", "HEAD~1"]);
    git(&work, &["push", "--quiet", "--force", "origin", "main"]);
    let before = ben.fingerprint();
    let out = ben.run(&["sync"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(
        stderr.contains("is not in") && stderr.contains("history"),
        "{stderr}"
    );
    assert_eq!(ben.fingerprint(), before);
    assert!(ben.ok(&["export"]).contains(&id));
}

#[test]
fn syncs_undone_one_after_another_still_sync() {
    // Each undo of a sync puts back a base kept for it; a sync made after
    // such an undo keeps its own on top of that one. The shared history
    // holds them through their first real ancestor.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    for round in 0..2 {
        ana.log_warned(
            &[
                "2025-08-06",
                &format!("Ana's round {round}"),
                "--watch",
                "intl-ai-org",
            ],
            &["is after today"],
        );
        ben.log_warned(
            &[
                "2025-08-07",
                &format!("Ben's round {round}"),
                "--watch",
                "intl-response",
            ],
            &["is after today"],
        );
        ben.ok_stderr(&["sync"]);
        // Ben's development of this round, and of the round before, which
        // that round's undo took back out of Ana's store.
        let said = ana.ok_stderr(&["sync"]);
        assert!(
            said.contains(&format!("received {} added", round + 1)),
            "{said}"
        );
        let said = ana.ok_stderr(&["undo"]);
        assert!(said.contains("(sync,"), "{said}");
    }
    ana.ok_stderr(&["sync"]);
    team.sync_all(2);
    let export = team.assert_converged();
    for round in 0..2 {
        assert!(export.contains(&format!("Ana's round {round}")), "{export}");
        assert!(export.contains(&format!("Ben's round {round}")), "{export}");
    }
    ana.ok(&["check"]);
}

/// Ana and Ben each log a development; Ben syncs, then Ana, who undoes her
/// sync: her store's base is now a commit kept in her sync cache alone.
pub fn undo_a_sync_of_anas(team: &Team) {
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.log_warned(
        &["2025-08-06", "Ana's", "--watch", "intl-ai-org"],
        &["is after today"],
    );
    ben.log_warned(
        &["2025-08-07", "Ben's", "--watch", "intl-response"],
        &["is after today"],
    );
    ben.ok_stderr(&["sync"]);
    ana.ok_stderr(&["sync"]);
    ana.ok_stderr(&["undo"]);
}

#[test]
fn a_store_copied_without_its_sync_cache_after_an_undone_sync_is_told_what_to_copy() {
    // After an undo of a sync the store's base is a commit kept in its sync
    // cache alone: a copy of the store without that cache cannot merge, and
    // says why rather than calling the shared repository rewritten.
    let Some(team) = seeded_team(2) else { return };
    let ana = &team.members[0];
    undo_a_sync_of_anas(&team);
    let copy = ana.dir().join("copy.db");
    ana.ok_with(
        &["backup", copy.to_str().unwrap()],
        &format!("backed up {} to {}", ana.db().display(), copy.display()),
    );
    let out = ana.std_cmd_on(&copy).arg("sync").output().unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(
        stderr.contains("is neither in") && stderr.contains("sync cache"),
        "{stderr}"
    );
    assert!(stderr.contains("copy that folder beside it"), "{stderr}");
    // The store itself, with its cache, syncs on.
    ana.ok_stderr(&["sync"]);
    team.sync_all(1);
    team.assert_converged();
}
