//! The benchmark scripts run, at a tiny size, against this build: the
//! figures BENCHMARKS.md publishes stay reproducible, and a change to the
//! store or the command line that breaks a script fails here. Every
//! `scripts/bench*.py` must be listed, with the arguments of its smoke run.

use std::path::Path;

use crate::env::{have, stderr_of, stdout_of};

/// Each script and the arguments that make it small (a few hundred developments).
const SMOKE: &[(&str, &[&str])] = &[
    (
        "bench.py",
        &[
            "--sizes", "200", "--rounds", "2", "--items", "5", "--shape", "all",
        ],
    ),
    (
        "bench_changes.py",
        &["--developments", "200", "--items", "5", "--runs", "1"],
    ),
    (
        "bench_duplicates.py",
        &[
            "{LOOKOUT}",
            "--developments",
            "200",
            "--identical",
            "20",
            "--work",
            "{WORK}/dup",
        ],
    ),
    (
        "bench_import_ab.py",
        &[
            "--old",
            "{LOOKOUT}",
            "--sizes",
            "200",
            "--runs",
            "1",
            "--items",
            "5",
        ],
    ),
    (
        "bench_inbox.py",
        &["--feeds", "3", "--entries", "5", "--inbox", "1000"],
    ),
    (
        "bench_known_on.py",
        &["--developments", "200", "--entries", "3", "--rounds", "1"],
    ),
    (
        "bench_memory.py",
        &["--developments", "200", "--items", "5", "--big-items", "2"],
    ),
    (
        "bench_search_languages.py",
        &[
            "--old",
            "{LOOKOUT}",
            "--developments",
            "200",
            "--items",
            "5",
            "--rounds",
            "1",
        ],
    ),
    (
        "bench_sync.py",
        &[
            "--size",
            "200",
            "--items",
            "5",
            "--runs",
            "1",
            "--shape",
            "text",
            "--first-rounds",
            "1",
            "--compare",
            "{LOOKOUT}",
        ],
    ),
];

#[test]
fn every_benchmark_script_runs_at_a_tiny_size() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    let mut found: Vec<String> = std::fs::read_dir(&scripts)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("bench") && name.ends_with(".py"))
        .collect();
    found.sort();
    let listed: Vec<&str> = SMOKE.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        found, listed,
        "every scripts/bench*.py has a smoke run here"
    );
    if !(have("python3") && have("sqlite3") && have("git")) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let lookout = assert_cmd::cargo::cargo_bin!("lookout");
    for (script, args) in SMOKE {
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                a.replace("{LOOKOUT}", lookout.to_str().unwrap())
                    .replace("{WORK}", work.path().to_str().unwrap())
            })
            .collect();
        let out = std::process::Command::new("python3")
            .arg(scripts.join(script))
            .args(&args)
            .env("LOOKOUT_BIN", lookout)
            .env("LOOKOUT_BENCH_DIR", work.path())
            .env("LOOKOUT_AUTHOR", crate::env::AUTHOR)
            .env("GIT_AUTHOR_NAME", "Bench")
            .env("GIT_AUTHOR_EMAIL", "bench@example.org")
            .env("GIT_COMMITTER_NAME", "Bench")
            .env("GIT_COMMITTER_EMAIL", "bench@example.org")
            .env_remove("LOOKOUT_DB")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/{script} {}: exit {:?}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            out.status.code(),
            stdout_of(&out),
            stderr_of(&out)
        );
    }
}
