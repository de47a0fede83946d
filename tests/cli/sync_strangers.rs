//! The shared tracker is input from strangers (docs/DESIGN.md): whatever anyone
//! who can push writes into the repository — lines reordered, a record in
//! the wrong file, an id twice, a record past the limits, a newer format —
//! no record is lost, the team never splits, and what cannot enter a store
//! is refused naming the commit that brought it.

use std::path::{Path, PathBuf};

use crate::sync::{Team, git, seeded_team};

pub const MALLORY: &str = "Mallory Hand <mallory@example.org>";

/// A checkout of the shared repository where a colleague edits by hand.
pub struct Checkout {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Checkout {
    pub fn of(team: &Team) -> Checkout {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("work");
        git(
            dir.path(),
            &["clone", "--quiet", team.remote(), path.to_str().unwrap()],
        );
        Checkout { _dir: dir, path }
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path.join(file)).unwrap()
    }

    pub fn write(&self, file: &str, text: &str) {
        let path = self.path.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Commits everything as Mallory, by hand, and pushes it; returns the commit.
    pub fn push(&self, message: &str) -> String {
        git(&self.path, &["add", "-A"]);
        git(
            &self.path,
            &["commit", "--quiet", "--author", MALLORY, "-m", message],
        );
        git(&self.path, &["push", "--quiet", "origin", "HEAD:main"]);
        git(&self.path, &["rev-parse", "HEAD"]).trim().to_string()
    }
}

/// The line of a file that holds `key`.
fn line_with<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(&format!("\"{key}\"")))
        .unwrap()
}

fn in_remote(remote: &Path, file: &str) -> String {
    git(remote, &["show", &format!("main:{file}")])
}

#[test]
fn lines_out_of_order_in_a_shared_file_lose_no_record() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let hand = Checkout::of(&team);
    // Watch items reversed; a development added by hand before the one in its file.
    let watch = hand.read("watch.jsonl");
    assert_eq!(watch.lines().count(), 3);
    let reversed: String = watch.lines().rev().map(|l| format!("{l}\n")).collect();
    hand.write("watch.jsonl", &reversed);
    let kk = hand.read("developments/kk.jsonl");
    let added = line_with(&kk, "kkdhda1z").replace("kkdhda1z", "kkaaaaaa");
    hand.write("developments/kk.jsonl", &format!("{kk}{added}\n"));
    hand.push("Tidy up by hand");
    for member in [ben, ana] {
        let said = member.ok_stderr(&["sync"]);
        assert!(
            !said.contains("removed\n") || said.contains("0 removed"),
            "{said}"
        );
        assert!(
            said.contains("received 1 added, 0 changed, 0 removed"),
            "{said}"
        );
    }
    let export = team.assert_converged();
    assert_eq!(export.matches("\"type\":\"watch\"").count(), 3, "{export}");
    assert!(export.contains("\"kkaaaaaa\""), "{export}");
    // The shared files are back in order, and every sync after is in step.
    let watch = in_remote(&team.remote, "watch.jsonl");
    let mut sorted: Vec<&str> = watch.lines().collect();
    sorted.sort();
    assert_eq!(watch.lines().collect::<Vec<_>>(), sorted);
    let kk = in_remote(&team.remote, "developments/kk.jsonl");
    assert!(
        kk.find("kkaaaaaa").unwrap() < kk.find("kkdhda1z").unwrap(),
        "{kk}"
    );
    for said in [ana.ok_stderr(&["sync"]), ben.ok_stderr(&["sync"])] {
        assert!(said.contains("already in step"), "{said}");
    }
}

#[test]
fn a_record_in_a_file_its_id_does_not_name_reaches_every_store_once() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let hand = Checkout::of(&team);
    let jt = hand.read("developments/jt.jsonl");
    let q2 = hand.read("developments/2q.jsonl");
    // A line of jt.jsonl moved by hand into 2q.jsonl, and edited on the way.
    let moved = line_with(&jt, "jtce187y").replace("\"headline\":\"", "\"headline\":\"Moved: ");
    std::fs::remove_file(hand.path.join("developments/jt.jsonl")).unwrap();
    hand.write("developments/2q.jsonl", &format!("{moved}\n{q2}"));
    hand.push("Move a record by hand");
    let said = ben.ok_stderr(&["sync"]);
    assert!(
        said.contains("had development jtce187y in developments/2q.jsonl; this sync moves it to developments/jt.jsonl"),
        "{said}"
    );
    assert!(
        said.contains("received 0 added, 1 changed, 0 removed"),
        "{said}"
    );
    ana.ok_stderr(&["sync"]);
    let export = team.assert_converged();
    assert_eq!(export.matches("\"jtce187y\"").count(), 1, "{export}");
    assert!(export.contains("Moved: "), "{export}");
    assert!(in_remote(&team.remote, "developments/jt.jsonl").contains("jtce187y"));
    assert!(!in_remote(&team.remote, "developments/2q.jsonl").contains("jtce187y"));
    // An edit of it later is one development everywhere, never two.
    ana.ok_with(
        &["edit", "jtce187y", "--headline", "Edited after the move"],
        "edited jtce187y",
    );
    let said = team.sync_all(2);
    assert!(!said.contains("renamed"), "{said}");
    let export = team.assert_converged();
    assert_eq!(export.matches("\"jtce187y\"").count(), 1, "{export}");
    assert!(export.contains("Edited after the move"), "{export}");
}

#[test]
fn one_id_in_two_files_with_different_contents_is_a_named_conflict() {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    let hand = Checkout::of(&team);
    let jt = hand.read("developments/jt.jsonl");
    let q2 = hand.read("developments/2q.jsonl");
    let copy = line_with(&jt, "jtce187y")
        .replace("\"headline\":\"", "\"headline\":\"Second copy: ")
        .replace(
            "\"updated_at\":null",
            "\"updated_at\":\"2099-01-01T00:00:00Z\"",
        );
    hand.write("developments/2q.jsonl", &format!("{copy}\n{q2}"));
    hand.push("A second copy");
    let said = ben.ok_stderr(&["sync"]);
    assert!(
        said.contains("conflict: development jtce187y is in the shared tracker twice with different contents: kept the copy"),
        "{said}"
    );
    team.sync_all(2);
    let export = team.assert_converged();
    assert_eq!(export.matches("\"jtce187y\"").count(), 1, "{export}");
    assert!(export.contains("Second copy: "), "{export}");
}

#[test]
fn a_record_past_the_limits_is_refused_naming_the_commit_and_its_author() {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    let hand = Checkout::of(&team);
    let h4 = hand.read("developments/4h.jsonl");
    let long = "x".repeat(1_000_000);
    let line = line_with(&h4, "4h257h30");
    let summary_at = line.find("\"summary\":\"").unwrap() + "\"summary\":\"".len();
    let summary_end = summary_at + line[summary_at..].find('"').unwrap();
    let swollen = format!("{}{long}{}", &line[..summary_at], &line[summary_end..]);
    hand.write("developments/4h.jsonl", &format!("{swollen}\n"));
    let commit = hand.push("Paste the whole article");
    let said = ben.refused(
        &["sync"],
        65,
        "developments/4h.jsonl:1: development 4h257h30: the summary is 1000000 characters long",
    );
    assert!(said.contains(&commit[..12]), "{said}");
    assert!(
        said.contains("Mallory Hand <mallory@example.org>"),
        "{said}"
    );
    assert!(said.contains("revert or correct that commit"), "{said}");
    // An actor holding an escape character, the same way.
    let escaped = line.replace("\"actors\":[\"China\"]", "\"actors\":[\"Chi\\u001b[2Jna\"]");
    hand.write("developments/4h.jsonl", &format!("{escaped}\n"));
    let commit = hand.push("An actor with an escape");
    let said = ben.refused(
        &["sync"],
        65,
        "developments/4h.jsonl:1: development 4h257h30: actor",
    );
    assert!(said.contains(&commit[..12]), "{said}");
    assert!(!said.contains('\u{1b}'), "{said}");
    // A line that is not a record at all names its commit too.
    hand.write("developments/4h.jsonl", "{\"type\":\"development\"}\n");
    let commit = hand.push("Half a record");
    let said = ben.refused(&["sync"], 65, "developments/4h.jsonl:1: missing field");
    assert!(said.contains(&commit[..12]), "{said}");
}

#[test]
fn a_line_of_many_megabytes_is_refused_before_it_is_read() {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    let hand = Checkout::of(&team);
    let h4 = hand.read("developments/4h.jsonl");
    let line = line_with(&h4, "4h257h30").replace(
        "\"summary\":\"",
        &format!("\"summary\":\"{}", "y".repeat(5 << 20)),
    );
    hand.write("developments/4h.jsonl", &format!("{line}\n"));
    hand.push("A huge line");
    ben.refused(&["sync"], 65, "developments/4h.jsonl:1: a line of 5 MiB");
}

#[test]
fn a_tracker_of_a_newer_format_is_refused_by_its_version() {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    let hand = Checkout::of(&team);
    hand.write(
        "lookout.json",
        "{\"format\":\"lookout tracker\",\"version\":99}\n",
    );
    hand.push("From the future");
    ben.refused(
        &["sync"],
        74,
        "holds a tracker of format version 99; this lookout reads version 1",
    );
}

#[test]
fn a_conflict_reaches_the_analyst_whose_value_lost_at_their_next_sync() {
    let Some(team) = seeded_team(3) else { return };
    let (ana, ben, chen) = (&team.members[0], &team.members[1], &team.members[2]);
    ana.ok_with(
        &["edit", "4h257h30", "--headline", "Ana's headline"],
        "edited 4h257h30",
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    ben.ok_with(
        &["edit", "4h257h30", "--headline", "Ben's headline"],
        "edited 4h257h30",
    );
    // Ana shares first; Ben's later change wins at his sync, which says so.
    ana.ok_stderr(&["sync"]);
    let said = ben.ok_stderr(&["sync"]);
    let kept = said
        .lines()
        .find(|l| l.contains("conflict: development 4h257h30 headline"))
        .unwrap_or_else(|| panic!("{said}"))
        .to_string();
    // Later, and by tie-break too (Ben after Ana): Ben's stands, Ana's lost.
    assert!(kept.contains("kept \"Ben's headline\""), "{kept}");
    // The time of each change, not only the day.
    assert!(kept.contains(" UTC)"), "{kept}");
    // The file of the shared tracker holds it.
    let file = in_remote(&team.remote, "conflicts.jsonl");
    assert_eq!(file.lines().count(), 1, "{file}");
    assert!(file.contains("\"field\":\"headline\""), "{file}");
    // The loser hears of it at their next sync (Ben's own sync already told
    // him when he lost); nobody else does, and nobody twice.
    {
        let said = ana.ok_stderr(&["sync"]);
        assert!(
            said.contains("conflict lost: development 4h257h30 headline: your \"Ana's headline\" (Ana Lima <ana@example.org>,"),
            "{said}"
        );
        assert!(said.contains("lost to \"Ben's headline\""), "{said}");
        assert!(
            said.contains("resolved by the sync of Ben Okafor"),
            "{said}"
        );
        let history = ana.ok(&["history"]);
        assert!(
            history
                .contains("conflicts lost here, resolved by others: development 4h257h30 headline"),
            "{history}"
        );
        assert!(!ana.ok_stderr(&["sync"]).contains("conflict lost"));
    }
    let said = chen.ok_stderr(&["sync"]);
    assert!(!said.contains("conflict lost"), "{said}");
    assert!(!ben.ok_stderr(&["sync"]).contains("conflict lost"));
    team.assert_converged();
}

#[test]
fn a_retraction_conflict_is_said_in_words() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.ok_with(
        &["retract", "4fd2sax0", "--reason", "Ana's reason"],
        "retracted 4fd2sax0: Over 800 companies showcase thousands of AI innovations at WAIC",
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    ben.ok_with(
        &["retract", "4fd2sax0", "--reason", "Ben's reason"],
        "retracted 4fd2sax0: Over 800 companies showcase thousands of AI innovations at WAIC",
    );
    ana.ok_stderr(&["sync"]);
    let said = ben.ok_stderr(&["sync"]);
    let line = said
        .lines()
        .find(|l| l.contains("conflict: development 4fd2sax0 retracted"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("kept retracted on "), "{line}");
    assert!(
        line.contains("(\"Ben's reason\")") && line.contains("(\"Ana's reason\")"),
        "{line}"
    );
    assert!(!line.contains("{\""), "{line}");
}

#[test]
fn rejoining_after_a_force_reset_keeps_every_record_and_never_reverts_a_newer_change() {
    let Some(team) = seeded_team(3) else { return };
    let (ana, ben, chen) = (&team.members[0], &team.members[1], &team.members[2]);
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
    // The shared main is reset one commit back, by force.
    let hand = Checkout::of(&team);
    git(&hand.path, &["reset", "--quiet", "--hard", "HEAD~1"]);
    git(
        &hand.path,
        &["push", "--quiet", "--force", "origin", "main"],
    );
    // Chen, whose base survived, edits after the reset and shares it; Ben
    // edits the same headline later still, and another field.
    chen.ok_with(
        &["edit", "4h257h30", "--headline", "Chen's older edit"],
        "edited 4h257h30",
    );
    chen.ok_stderr(&["sync"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    ben.ok_with(
        &["edit", "4h257h30", "--headline", "Ben's newer edit"],
        "edited 4h257h30",
    );
    chen.ok_with(
        &["edit", "jtce187y", "--summary", "Chen's summary"],
        "edited jtce187y",
    );
    chen.ok_stderr(&["sync"]);
    // Ben's store is refused, and told how to rejoin.
    let said = ben.refused(&["sync"], 74, "is not in");
    assert!(said.contains("lookout sync --rejoin"), "{said}");
    let said = ben.ok_stderr(&["sync", "--rejoin"]);
    assert!(
        said.contains("conflict: development 4h257h30 headline: kept \"Ben's newer edit\""),
        "{said}"
    );
    ana.ok_stderr(&["sync", "--rejoin"]);
    team.sync_all(2);
    let export = team.assert_converged();
    // The record the reset lost is back; the newer headline stands; Chen's
    // summary, changed on one side only, is kept.
    assert!(export.contains(&id), "{export}");
    assert!(export.contains("Ben's newer edit"), "{export}");
    assert!(!export.contains("Chen's older edit"), "{export}");
    assert!(export.contains("Chen's summary"), "{export}");
    ben.ok(&["check"]);
}

#[test]
fn a_store_whose_sync_cache_was_deleted_after_an_undone_sync_rejoins() {
    let Some(team) = seeded_team(2) else { return };
    let ana = &team.members[0];
    crate::sync::undo_a_sync_of_anas(&team);
    std::fs::remove_dir_all(crate::sync_hostile_git::cache_of(ana)).unwrap();
    let said = ana.refused(&["sync"], 74, "sync cache");
    assert!(said.contains("lookout sync --rejoin"), "{said}");
    ana.ok_stderr(&["sync", "--rejoin"]);
    team.sync_all(2);
    let export = team.assert_converged();
    assert!(
        export.contains("Ana's") && export.contains("Ben's"),
        "{export}"
    );
}

#[test]
fn a_first_sync_that_fails_leaves_no_sync_cache() {
    let Some(team) = Team::new(1) else { return };
    let ana = &team.members[0];
    ana.ok_with(
        &["watch", "add", "x-item", "An item", "--opened", "2025-08"],
        "watching x-item (opened 2025-08)",
    );
    let missing = ana.dir().join("no such repository");
    let out = ana.run(&["sync", missing.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(74),
        "{}",
        crate::env::stderr_of(&out)
    );
    let cache = crate::sync_hostile_git::cache_of(ana);
    assert!(!cache.exists(), "a failed first sync left {cache:?}");
}

#[test]
fn a_hand_edit_is_credited_to_the_commits_author_and_a_hand_removal_is_named() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    // Ana edits it with lookout first: she is its last lookout editor.
    ana.ok_with(
        &["edit", "4h257h30", "--summary", "Ana's summary"],
        "edited 4h257h30",
    );
    ana.ok_stderr(&["sync"]);
    ben.ok_stderr(&["sync"]);
    let hand = Checkout::of(&team);
    let h4 = hand.read("developments/4h.jsonl");
    hand.write(
        "developments/4h.jsonl",
        &h4.replace("Ana's summary", "Edited in an editor"),
    );
    std::fs::remove_file(hand.path.join("developments/jt.jsonl")).unwrap();
    let commit = hand.push("Fix a summary, drop a record");
    let said = ben.ok_stderr(&["sync"]);
    assert!(
        said.contains(&format!(
            "development 4h257h30 was changed in the shared repository outside lookout; credited to {MALLORY}, commit {}",
            &commit[..12]
        )),
        "{said}"
    );
    let removed = format!(
        "development jtce187y was removed from the shared tracker; its file was last changed outside lookout by {MALLORY}"
    );
    assert!(said.contains(&removed), "{said}");
    let shown = ben.ok(&["show", "4h257h30"]);
    assert!(shown.contains("Mallory Hand"), "{shown}");
    // Every sync that applies the removal names it; the credit reached the tracker.
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains(&removed), "{said}");
    let line = in_remote(&team.remote, "developments/4h.jsonl");
    assert!(
        line.contains(&format!("\"updated_by\":\"{MALLORY}\"")),
        "{line}"
    );
    let export = team.assert_converged();
    assert!(!export.contains("jtce187y"), "{export}");
}

#[test]
fn an_unknown_watch_item_in_a_store_that_syncs_suggests_a_sync_first() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    ana.ok_with(
        &[
            "watch",
            "add",
            "eu-response",
            "The EU's response",
            "--opened",
            "2025-08",
        ],
        "watching eu-response (opened 2025-08)",
    );
    ana.ok_stderr(&["sync"]);
    let said = ben.refused(
        &[
            "log",
            "2025-08-02",
            "The EU responds",
            "--watch",
            "eu-response",
        ],
        65,
        "unknown watch item 'eu-response'",
    );
    assert!(
        said.contains("if a colleague added it, `lookout sync` brings it"),
        "{said}"
    );
    ben.ok_stderr(&["sync"]);
    ben.log_warned(
        &["2025-08-02", "The EU responds", "--watch", "eu-response"],
        &["is after today"],
    );
}

#[test]
fn a_development_naming_a_kind_or_watch_item_the_tracker_lacks_is_refused_before_anything_is_pushed()
 {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    ben.ok_with(
        &["edit", "kkdhda1z", "--summary", "Ben's unshared edit"],
        "edited kkdhda1z",
    );
    let hand = Checkout::of(&team);
    let jt = hand.read("developments/jt.jsonl");
    let stray = line_with(&jt, "jtce187y")
        .replace("jtce187y", "jtzzzzzz")
        .replace("\"slug\":\"intl-ai-org\"", "\"slug\":\"no-such-item\"");
    hand.write("developments/jt.jsonl", &format!("{jt}{stray}\n"));
    let commit = hand.push("A development of an item nobody added");
    let commits = team.commits();
    let said = ben.refused(
        &["sync"],
        65,
        "developments/jt.jsonl:2: development jtzzzzzz: linked to watch item 'no-such-item', which the shared tracker does not hold",
    );
    assert!(said.contains(&commit[..12]), "{said}");
    assert_eq!(team.commits(), commits, "a refused sync pushed");
    hand.write(
        "developments/jt.jsonl",
        &format!(
            "{jt}{}\n",
            stray
                .replace("no-such-item", "intl-ai-org")
                .replace("\"kind\":\"statement\"", "\"kind\":\"made-up\"")
        ),
    );
    hand.push("A development of a kind nobody added");
    ben.refused(
        &["sync"],
        65,
        "development jtzzzzzz: unknown kind 'made-up'",
    );
    assert_eq!(team.commits(), commits + 1, "a refused sync pushed");
}

#[test]
fn a_conflict_line_never_writes_the_shared_trackers_escapes_to_the_terminal() {
    let Some(team) = seeded_team(2) else { return };
    let ben = &team.members[1];
    // A headline written by hand with an OSC 52 clipboard write in it; Ben's
    // later edit wins, and the conflict line names the value that lost. (The
    // hand edit is credited to its commit's time: Ben edits after it.)
    let hand = Checkout::of(&team);
    let h4 = hand.read("developments/4h.jsonl");
    let at = h4.find("\"headline\":\"").unwrap() + "\"headline\":\"".len();
    let end = at + h4[at..].find('"').unwrap();
    let evil = format!(
        "{}Hi\\u001b]52;c;ZWNobyBwd25lZA==\\u0007 there{}",
        &h4[..at],
        &h4[end..]
    );
    hand.write("developments/4h.jsonl", &evil);
    hand.push("A headline with an escape");
    ben.ok_with(
        &["edit", "4h257h30", "--headline", "Ben's headline"],
        "edited 4h257h30",
    );
    let out = ben.run(&["sync"]);
    let stderr = crate::env::stderr_of(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("conflict: development 4h257h30 headline: kept \"Ben's headline\""),
        "{stderr}"
    );
    assert!(stderr.contains("\\u{1b}]52"), "{stderr}");
    // Had the escape won, it could not have entered a store: a control
    // character no command lets in.
    let hand = Checkout::of(&team);
    let line = hand.read("developments/4h.jsonl");
    let at = line.find("\"headline\":\"").unwrap() + "\"headline\":\"".len();
    let end = at + line[at..].find('"').unwrap();
    let stamp = &line[line.find("\"updated_at\":").unwrap()..line.find(",\"updated_by\"").unwrap()];
    let evil = format!(
        "{}Hi\\u001b]52;c;ZWNobyBwd25lZA==\\u0007 there{}",
        &line[..at],
        &line[end..]
    )
    .replace(stamp, "\"updated_at\":\"2099-01-01T00:00:00Z\"");
    hand.write("developments/4h.jsonl", &evil);
    hand.push("The escape again, dated later");
    let stderr = ben.refused(
        &["sync"],
        65,
        "the headline contains U+001B, a control character",
    );
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}
