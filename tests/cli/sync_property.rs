//! A team of three working on one tracker at random: logs, edits,
//! retractions, watch items added and removed, undos, and syncs in any
//! order. After everyone syncs twice, every store holds the same tracker,
//! and no change is lost: each one is there, or a later change that saw it
//! replaced it, or a sync named it as a conflict's losing value.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use tempfile::TempDir;

use crate::env::stderr_of;
use crate::sync::Team;

const SLUGS: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
const STATUSES: [&str; 3] = ["emerging", "developing", "stalled"];

#[derive(Debug, Clone)]
enum Op {
    Log {
        who: usize,
        slug: usize,
        status: Option<usize>,
    },
    EditHeadline {
        who: usize,
        dev: usize,
    },
    EditSummary {
        who: usize,
        dev: usize,
    },
    Retract {
        who: usize,
        dev: usize,
    },
    WatchAdd {
        who: usize,
        slug: usize,
    },
    WatchRemove {
        who: usize,
        slug: usize,
    },
    Undo {
        who: usize,
    },
    Sync {
        who: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..3;
    prop_oneof![
        3 => (who.clone(), 0..SLUGS.len(), proptest::option::of(0..STATUSES.len()))
            .prop_map(|(who, slug, status)| Op::Log { who, slug, status }),
        2 => (who.clone(), 0usize..8).prop_map(|(who, dev)| Op::EditHeadline { who, dev }),
        2 => (who.clone(), 0usize..8).prop_map(|(who, dev)| Op::EditSummary { who, dev }),
        1 => (who.clone(), 0usize..8).prop_map(|(who, dev)| Op::Retract { who, dev }),
        1 => (who.clone(), 0..SLUGS.len()).prop_map(|(who, slug)| Op::WatchAdd { who, slug }),
        1 => (who.clone(), 0..SLUGS.len()).prop_map(|(who, slug)| Op::WatchRemove { who, slug }),
        1 => who.clone().prop_map(|who| Op::Undo { who }),
        3 => who.prop_map(|who| Op::Sync { who }),
    ]
}

/// A change that must survive: a field of a development set to a value.
struct Edit {
    op: usize,
    dev: String,
    field: &'static str,
    value: String,
    /// The ops its analyst had seen when making it.
    seen: BTreeSet<usize>,
}

/// What the test knows of the team: which ops each analyst has seen.
#[derive(Default)]
struct Model {
    seen: [BTreeSet<usize>; 3],
    shared: BTreeSet<usize>,
    /// Each analyst's ops since their last sync, newest last (what undo takes).
    unsynced: [Vec<usize>; 3],
    undone: BTreeSet<usize>,
    /// Developments logged: the op, and the id.
    logs: Vec<(usize, String)>,
    edits: Vec<Edit>,
    removed: Vec<(usize, &'static str)>,
    added: Vec<(usize, &'static str, BTreeSet<usize>)>,
    /// Everything the syncs said.
    said: String,
}

impl Model {
    fn done(&mut self, who: usize, op: usize) {
        self.seen[who].insert(op);
        self.unsynced[who].push(op);
    }

    /// The developments an analyst has, by id.
    fn devs_of(&self, who: usize) -> Vec<String> {
        self.logs
            .iter()
            .filter(|(op, _)| self.seen[who].contains(op))
            .map(|(_, id)| id.clone())
            .collect()
    }
}

/// Where every case starts: two watch items, synced by all three analysts.
/// Made once for a runner and put back before each case, at the same paths,
/// from a copy of the shared repository and of each analyst's directory
/// (store and sync cache): making it anew took three of a case's dozen syncs.
struct SharedStart {
    team: Team,
    /// Each directory, and a copy of it as the start left it.
    saved: Vec<(PathBuf, TempDir)>,
}

impl SharedStart {
    /// None when git is missing outside CI.
    fn new() -> Option<SharedStart> {
        let team = Team::new(3)?;
        let ana = &team.members[0];
        for (slug, title) in [("alpha", "Alpha"), ("beta", "Beta")] {
            ana.ok_with(
                &["watch", "add", slug, title, "--opened", "2025-07"],
                &format!("watching {slug} (opened 2025-07)"),
            );
        }
        ana.ok_stderr(&["sync", team.remote()]);
        for member in &team.members[1..] {
            member.ok_stderr(&["sync", team.remote()]);
        }
        let mut dirs = vec![team.remote.clone()];
        dirs.extend(team.members.iter().map(|m| m.dir().to_path_buf()));
        let saved = dirs
            .into_iter()
            .map(|dir| {
                let copy = tempfile::tempdir().unwrap();
                copy_into(&dir, copy.path());
                (dir, copy)
            })
            .collect();
        Some(SharedStart { team, saved })
    }

    /// The team as the start left it, whatever the last case did.
    fn team(&self) -> &Team {
        for (dir, copy) in &self.saved {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    std::fs::remove_dir_all(entry.path()).unwrap();
                } else {
                    std::fs::remove_file(entry.path()).unwrap();
                }
            }
            copy_into(copy.path(), dir);
        }
        &self.team
    }
}

/// Copies what `from` holds into `to`, keeping modes (the sync cache is
/// private) and times: `cp -a`.
fn copy_into(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from.join("."))
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success(), "cp -a {from:?} {to:?}: {status}");
}

fn run_case(start: &SharedStart, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let team = start.team();
    let mut model = Model::default();
    for (n, op) in ops.iter().enumerate() {
        apply(team, &mut model, n, op)?;
    }
    for _ in 0..2 {
        for member in &team.members {
            model.said.push_str(&member.ok_stderr(&["sync"]));
        }
    }
    check(team, &model)
}

fn apply(team: &Team, model: &mut Model, n: usize, op: &Op) -> Result<(), TestCaseError> {
    let member = |who: usize| &team.members[who];
    let pick = |model: &Model, who: usize, dev: usize| {
        let devs = model.devs_of(who);
        (!devs.is_empty()).then(|| devs[dev % devs.len()].clone())
    };
    match *op {
        Op::Log { who, slug, status } => {
            let link = match status {
                Some(s) => format!("{}={}", SLUGS[slug], STATUSES[s]),
                None => SLUGS[slug].to_string(),
            };
            let day = format!("2025-08-{:02}", 1 + n % 28);
            let out = member(who).run(&["log", &day, &format!("log-{n}"), "--watch", &link]);
            if out.status.success() {
                let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
                model.logs.push((n, id));
                model.done(who, n);
            }
        }
        Op::EditHeadline { who, dev } | Op::EditSummary { who, dev } | Op::Retract { who, dev } => {
            let Some(id) = pick(model, who, dev) else {
                return Ok(());
            };
            let value = format!("v-{n}");
            let (flag, field) = match op {
                Op::EditHeadline { .. } => ("--headline", "headline"),
                Op::EditSummary { .. } => ("--summary", "summary"),
                _ => ("--reason", "retracted"),
            };
            let verb = if field == "retracted" {
                "retract"
            } else {
                "edit"
            };
            let out = member(who).run(&[verb, &id, flag, &value]);
            if out.status.success() {
                let seen = model.seen[who].clone();
                model.edits.push(Edit {
                    op: n,
                    dev: id,
                    field,
                    value,
                    seen,
                });
                model.done(who, n);
            }
        }
        Op::WatchAdd { who, slug } => {
            let out = member(who).run(&[
                "watch",
                "add",
                SLUGS[slug],
                "An item",
                "--opened",
                "2025-07",
            ]);
            if out.status.success() {
                model.added.push((n, SLUGS[slug], model.seen[who].clone()));
                model.done(who, n);
            }
        }
        Op::WatchRemove { who, slug } => {
            let out = member(who).run(&["watch", "remove", SLUGS[slug], "--force"]);
            if out.status.success() {
                model.removed.push((n, SLUGS[slug]));
                model.done(who, n);
            }
        }
        Op::Undo { who } => {
            if let Some(last) = model.unsynced[who].pop() {
                let out = member(who).run(&["undo"]);
                prop_assert!(out.status.success(), "undo: {}", stderr_of(&out));
                model.undone.insert(last);
                model.seen[who].remove(&last);
            }
        }
        Op::Sync { who } => {
            let out = member(who).run(&["sync"]);
            prop_assert!(out.status.success(), "sync: {}", stderr_of(&out));
            model.said.push_str(&stderr_of(&out));
            let seen = std::mem::take(&mut model.seen[who]);
            model.shared.extend(seen);
            model.seen[who] = model.shared.clone();
            model.unsynced[who].clear();
        }
    }
    Ok(())
}

fn check(team: &Team, model: &Model) -> Result<(), TestCaseError> {
    let exports = team.exports();
    prop_assert!(
        exports.iter().all(|e| *e == exports[0]),
        "the stores disagree"
    );
    let export = &exports[0];
    let line_of = |id: &str| {
        export
            .lines()
            .find(|l| l.contains(&format!("\"id\":\"{id}\"")))
            .map(str::to_string)
    };
    for (op, id) in &model.logs {
        if !model.undone.contains(op) {
            prop_assert!(line_of(id).is_some(), "development {id} (op {op}) is lost");
        }
    }
    for edit in model.edits.iter().filter(|e| !model.undone.contains(&e.op)) {
        // A later change that saw this one may replace it.
        let replaced = model.edits.iter().any(|later| {
            later.dev == edit.dev
                && later.field == edit.field
                && !model.undone.contains(&later.op)
                && later.seen.contains(&edit.op)
        });
        if replaced {
            continue;
        }
        let Some(line) = line_of(&edit.dev) else {
            continue; // its development was undone where it was logged
        };
        let kept = line.contains(&format!("\"{}\"", edit.value));
        // A conflict names the losing value quoted: `not "v-3"`, or for a
        // retraction `not retracted on DAY ("v-3")`.
        let quoted = format!("\"{}\"", edit.value);
        let named = model
            .said
            .lines()
            .any(|l| l.contains("conflict") && l.contains(&quoted))
            || model
                .said
                .contains(&format!("\"reason\":\"{}\"", edit.value));
        prop_assert!(
            kept || named,
            "op {}: {} of {} set to {} is neither there nor named\n{line}\n{}",
            edit.op,
            edit.field,
            edit.dev,
            edit.value,
            model.said
        );
    }
    for (op, slug) in &model.removed {
        let re_added = model
            .added
            .iter()
            .any(|(add, s, seen)| s == slug && !model.undone.contains(add) && !seen.contains(op));
        let kept = model.said.contains(&format!("kept watch {slug}"));
        let present = export.contains(&format!("\"type\":\"watch\",\"slug\":\"{slug}\""));
        if !model.undone.contains(op) && !re_added && !kept {
            let later_add = model.added.iter().any(|(add, s, seen)| {
                s == slug && !model.undone.contains(add) && seen.contains(op)
            });
            prop_assert!(
                !present || later_add,
                "watch item {slug} came back after op {op}"
            );
        }
    }
    Ok(())
}

/// The contract's 100 cases in CI (25 on a laptop), run as four tests of a
/// quarter each with their own random seeds, each said when it fails. One test of 100 cases took
/// minutes and, starting late in the alphabet, ran alone at the end of the
/// run; quarters run side by side with each other and the rest.
fn a_quarter_of_the_cases() {
    let cases = if std::env::var_os("CI").is_some() {
        100
    } else {
        25
    };
    let Some(start) = SharedStart::new() else {
        return;
    };
    // Drawn here, not inside proptest, so that a failure can say it:
    // PROPTEST_RNG_SEED=N draws the same cases again.
    let seed = match Config::default().rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => getrandom::u64().expect("a random seed"),
    };
    let mut runner = TestRunner::new(Config {
        cases: cases / 4,
        max_shrink_iters: 200,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    if let Err(failure) = runner.run(&proptest::collection::vec(op(), 6..18), |ops| {
        run_case(&start, ops)
    }) {
        panic!(
            "{failure}\nthe same cases again: PROPTEST_RNG_SEED={seed} cargo test --test cli \
             a_team_working_at_random"
        );
    }
}

#[test]
fn a_team_working_at_random_converges_and_loses_no_change_1() {
    a_quarter_of_the_cases();
}

#[test]
fn a_team_working_at_random_converges_and_loses_no_change_2() {
    a_quarter_of_the_cases();
}

#[test]
fn a_team_working_at_random_converges_and_loses_no_change_3() {
    a_quarter_of_the_cases();
}

#[test]
fn a_team_working_at_random_converges_and_loses_no_change_4() {
    a_quarter_of_the_cases();
}

/// A sequence the random test once drew, kept: Ben's merge kept his headline
/// beside Ana's later summary, stamped with Ana's name; Ana then set the
/// headline again, and Ben's value was lost with no conflict said, taken for
/// Ana's own earlier edit.
#[test]
fn a_headline_kept_beside_a_colleagues_later_edit_is_named_when_it_loses() {
    let Some(start) = SharedStart::new() else {
        return;
    };
    let ops = vec![
        Op::Log {
            who: 0,
            slug: 0,
            status: None,
        },
        Op::Sync { who: 0 },
        Op::Sync { who: 1 },
        Op::EditHeadline { who: 1, dev: 0 },
        Op::EditSummary { who: 0, dev: 0 },
        Op::Sync { who: 0 },
        Op::Sync { who: 1 },
        Op::EditHeadline { who: 0, dev: 0 },
    ];
    run_case(&start, ops).unwrap();
}
