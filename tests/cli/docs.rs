//! README and `--help` are tests: every command of README's opening block,
//! its short tour and its weekly briefing, and every example in every
//! `--help` (which the manual prints too), runs as written — through bash, in
//! a fresh directory holding the bundled fixtures, with `lookout` on the PATH
//! — and exits 0. Where README shows output, it is compared: a ```text block
//! whole, and `# ` lines under a command line by line, `...` standing for
//! any text. A line that shows a bare id (`# m603ndw2`) names the id the
//! command printed, and later commands and outputs are read with it.
//!
//! Not run, each for its reason:
//! - `cargo test --locked` in README's opening block: it is this test suite.
//! - In `lookout sync --help`, the remotes `git@example.org:team/tracker.git`
//!   and `/mnt/share/tracker.git` need a network or a file share: both are
//!   replaced by one local bare repository, which is what they stand for.
//! - `lookout import colleague.csv` in `lookout import --help` names a file a
//!   user brings: here it is a copy of the bundled developments.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use tempfile::TempDir;

use crate::env::{AUTHOR, stderr_of, stdout_of};

/// The day the examples run on: after every date README and the examples
/// log, so that nothing they record as having happened lies in the future.
const TODAY: &str = "2026-04-01";

const README: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));

/// Commands README shows that are not run, with why.
const NOT_RUN: &[(&str, &str)] = &[("cargo test --locked", "it is this test suite")];

/// What an example line may begin with; anything else is taken for the
/// tail of a line the terminal's width wrapped, which a paste would run.
const PROGRAMS: &[&str] = &["lookout", "mkdir", "cp", "git"];

/// Remotes the sync examples name, and what stands for them here.
const REMOTES: &[&str] = &["git@example.org:team/tracker.git", "/mnt/share/tracker.git"];

/// A directory as a newcomer has it after `git clone`: the bundled fixtures,
/// `lookout` on the PATH, HOME inside it, today pinned.
struct Sandbox {
    dir: TempDir,
    vars: BTreeMap<String, String>,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["fixtures/ai-action-plans-2025", "fixtures/feeds"] {
            let fixtures = dir.path().join(folder);
            std::fs::create_dir_all(&fixtures).unwrap();
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
            for entry in std::fs::read_dir(source).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), fixtures.join(entry.file_name())).unwrap();
            }
        }
        let bin = dir.path().join(".bin");
        std::fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(
            assert_cmd::cargo::cargo_bin!("lookout"),
            bin.join("lookout"),
        )
        .unwrap();
        Sandbox {
            dir,
            vars: BTreeMap::new(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs one command line (or a script) through bash, as a user's shell would.
    fn sh(&self, script: &str) -> Output {
        let path = format!(
            "{}:{}",
            self.path().join(".bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = std::process::Command::new("bash");
        cmd.arg("-c")
            .arg(script)
            .current_dir(self.path())
            .env("PATH", path)
            .env("HOME", self.path())
            .env("LOOKOUT_TODAY", TODAY)
            .env("LOOKOUT_AUTHOR", AUTHOR)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test Analyst")
            .env("GIT_AUTHOR_EMAIL", "analyst@example.org")
            .env("GIT_COMMITTER_NAME", "Test Analyst")
            .env("GIT_COMMITTER_EMAIL", "analyst@example.org")
            .env_remove("LOOKOUT_DB")
            .env_remove("COLUMNS")
            .env_remove("CLICOLOR_FORCE");
        for (name, value) in &self.vars {
            cmd.env(name, value);
        }
        cmd.output().unwrap()
    }

    /// Runs `script`, failing the test with what it printed unless it exits 0.
    fn ok(&self, what: &str, script: &str) -> Output {
        let out = self.sh(script);
        assert!(
            out.status.success(),
            "{what}: `{script}` exited {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            stdout_of(&out),
            stderr_of(&out)
        );
        out
    }
}

/// One command of a README block, with the output shown under it.
#[derive(Debug)]
struct Step {
    command: String,
    shown: Vec<String>,
}

/// The first ```sh block after `heading` in README.
fn sh_block(heading: &str) -> &'static str {
    let at = README
        .find(heading)
        .unwrap_or_else(|| panic!("README has no {heading:?}"));
    let rest = &README[at..];
    let start = rest.find("```sh\n").unwrap() + "```sh\n".len();
    &rest[start..start + rest[start..].find("```").unwrap()]
}

/// The first ```text block after `heading` in README.
fn text_block(heading: &str) -> &'static str {
    let rest = &README[README.find(heading).unwrap()..];
    let start = rest.find("```text\n").unwrap() + "```text\n".len();
    &rest[start..start + rest[start..].find("```").unwrap()]
}

/// The steps of a shell block: lines joined at a trailing `\`; comment lines
/// right under a command (no blank line between) are its shown output;
/// other comments are prose.
fn steps(block: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut under_command = false;
    let mut pending = String::new();
    for line in block.lines() {
        if !pending.is_empty() {
            pending.push_str(line.trim_start());
        } else if line.trim().is_empty() {
            under_command = false;
            continue;
        } else if let Some(comment) = line.strip_prefix('#') {
            if under_command {
                let shown = comment.strip_prefix(' ').unwrap_or(comment);
                steps.last_mut().unwrap().shown.push(shown.to_string());
            }
            continue;
        } else {
            pending.push_str(line);
        }
        if let Some(head) = pending.strip_suffix('\\') {
            pending = format!("{} ", head.trim_end());
            continue;
        }
        steps.push(Step {
            command: std::mem::take(&mut pending),
            shown: Vec::new(),
        });
        under_command = true;
    }
    assert!(pending.is_empty(), "a block ends in a `\\`: {pending}");
    steps
}

/// Whether `actual` is what `shown` shows: `...` stands for any text.
fn line_matches(shown: &str, actual: &str) -> bool {
    let shown = shown.trim_end();
    let actual = actual.trim_end();
    let parts: Vec<&str> = shown.split("...").collect();
    if parts.len() == 1 {
        return shown == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !actual.starts_with(first) || !actual[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether the shown lines appear in `actual`, in order (lines between them
/// may be left out, as README leaves out a report's header).
fn shows(shown: &[String], actual: &str) -> bool {
    let mut lines = actual.lines();
    shown
        .iter()
        .all(|want| lines.any(|line| line_matches(want, line)))
}

fn is_id(text: &str) -> bool {
    text.len() == 8
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Reads a text with the ids README shows replaced by those printed here.
fn with_ids(text: &str, ids: &BTreeMap<String, String>) -> String {
    ids.iter().fold(text.to_string(), |text, (shown, real)| {
        text.replace(shown, real)
    })
}

/// Runs README's commands in order, in one sandbox, as a newcomer would.
fn run_readme_block(sandbox: &mut Sandbox, heading: &str, ids: &mut BTreeMap<String, String>) {
    for step in steps(sh_block(heading)) {
        let command = with_ids(&step.command, ids).replace("cargo run -q --", "lookout");
        if let Some((_, why)) = NOT_RUN.iter().find(|(c, _)| command.starts_with(c)) {
            eprintln!("not run: `{command}`: {why}");
            continue;
        }
        if let Some(assignment) = command.strip_prefix("export ") {
            let assignment = assignment.split('#').next().unwrap().trim();
            let (name, value) = assignment.split_once('=').unwrap();
            sandbox.vars.insert(name.to_string(), value.to_string());
            continue;
        }
        let out = sandbox.ok(&format!("README, {heading}"), &command);
        if step.shown.is_empty() {
            continue;
        }
        let mut actual = stdout_of(&out);
        if actual.is_empty() {
            // `--output FILE` writes the file, not stdout: what is shown is the file.
            let words: Vec<&str> = command.split_whitespace().collect();
            let file = words
                .windows(2)
                .find(|w| w[0] == "--output")
                .map(|w| w[1])
                .unwrap_or_else(|| panic!("`{command}` prints nothing, yet README shows output"));
            actual = std::fs::read_to_string(sandbox.path().join(file)).unwrap();
        }
        if let [shown] = step.shown.as_slice() {
            let printed = actual.trim();
            if is_id(shown) && is_id(printed) {
                ids.insert(shown.clone(), printed.to_string());
                continue;
            }
        }
        let shown: Vec<String> = step.shown.iter().map(|l| with_ids(l, ids)).collect();
        assert!(
            shows(&shown, &actual),
            "README, {heading}: `{command}` shows\n{}\nbut prints\n{actual}",
            shown.join("\n")
        );
    }
}

#[test]
fn readme_runs_as_written_and_prints_what_it_shows() {
    let mut sandbox = Sandbox::new();
    let mut ids = BTreeMap::new();
    // The opening block: the bundled tracker into seed.db, and its report.
    let opening = sh_block("# lookout");
    let command = steps(opening)[0]
        .command
        .replace("cargo run -q --", "lookout");
    let out = sandbox.ok("README's first command", &command);
    assert_eq!(stdout_of(&out), text_block("# lookout"));
    let again = sandbox.ok("README's first command, again", &command);
    assert_eq!(stdout_of(&again), text_block("# lookout"), "run twice");
    run_readme_block(&mut sandbox, "## A short tour", &mut ids);
    // The briefing, on the bundled tracker the first command imported.
    let mut briefing = Sandbox {
        dir: sandbox.dir,
        vars: BTreeMap::new(),
    };
    run_readme_block(&mut briefing, "### A weekly briefing", &mut ids);
    let first = steps(sh_block("### A weekly briefing"))
        .into_iter()
        .find(|s| s.command.starts_with("lookout changes"))
        .unwrap();
    let note = briefing.ok("the weekly note", &first.command);
    assert_eq!(stdout_of(&note), text_block("### A weekly briefing"));
}

/// Every command path (`["watch", "add"]`) that `lookout` has, from its help.
fn command_paths(sandbox: &Sandbox, path: &[String]) -> Vec<Vec<String>> {
    let help = stdout_of(&sandbox.ok("help", &format!("lookout {} --help", path.join(" "))));
    let mut found = vec![path.to_vec()];
    let Some(at) = help.find("\nCommands:\n") else {
        return found;
    };
    for line in help[at + "\nCommands:\n".len()..].lines() {
        if line.trim().is_empty() {
            break;
        }
        // A name starts two columns in; a wrapped description starts further in.
        if !line.starts_with("  ") || line.starts_with("   ") {
            continue;
        }
        let name = line.split_whitespace().next().unwrap();
        if name != "help" {
            let mut sub = path.to_vec();
            sub.push(name.to_string());
            found.extend(command_paths(sandbox, &sub));
        }
    }
    found
}

/// The examples a `--help` prints, each a command line (joined at `\`).
fn examples(help: &str) -> Vec<String> {
    let Some(at) = help
        .find("\nExamples:\n")
        .or_else(|| help.find("\nExample:\n"))
    else {
        return Vec::new();
    };
    let body = &help[at + 1..];
    let body = &body[body.find('\n').unwrap() + 1..];
    let mut found: Vec<String> = Vec::new();
    let mut continued = false;
    for line in body.lines() {
        if line.trim().is_empty() {
            break;
        }
        if continued {
            found.last_mut().unwrap().push_str(line.trim_start());
        } else {
            let first = line.split_whitespace().next().unwrap_or_default();
            assert!(
                line.starts_with("  ")
                    && (PROGRAMS.contains(&first) || first.contains("=$(lookout")),
                "an example line that starts with no command (an example wrapped without `\\`?): \
                 {line:?}"
            );
            found.push(line.trim_start().to_string());
        }
        continued = line.ends_with('\\');
        if continued {
            let last = found.last_mut().unwrap();
            last.pop();
        }
    }
    found
}

/// Every example of every `--help`, run as written: each command's examples
/// in order, as one script, in a fresh directory whose store holds the
/// bundled tracker (imported as README's first command imports it).
#[test]
fn every_help_example_runs_as_written() {
    let listing = Sandbox::new();
    let mut ran = 0;
    let mut without = Vec::new();
    for path in command_paths(&listing, &[]) {
        let name = format!("lookout {}", path.join(" "));
        let help = stdout_of(&listing.ok("help", &format!("{name} --help")));
        let mut lines = examples(&help);
        if lines.is_empty() {
            without.push(name);
            continue;
        }
        let mut sandbox = Sandbox::new();
        sandbox
            .vars
            .insert("LOOKOUT_DB".into(), "tracker.db".into());
        sandbox.ok(
            "the bundled tracker, and a colleague's file",
            "lookout import fixtures/ai-action-plans-2025/*.csv \
             && cp fixtures/ai-action-plans-2025/developments.csv colleague.csv",
        );
        if path.first().is_some_and(|c| c == "sync") {
            let remote = sandbox.path().join("shared.git");
            sandbox.ok(
                "a shared repository",
                &format!("git init -q --bare -b main {}", remote.display()),
            );
            for line in &mut lines {
                for stands_for in REMOTES {
                    *line = line.replace(stands_for, remote.to_str().unwrap());
                }
            }
        }
        // One script, so that a shell variable an example sets is there for
        // the next; each line says itself first, so a failure names its line.
        let script: String = lines
            .iter()
            .map(|line| {
                let quoted = line.replace('\'', r"'\''");
                format!("printf '%s\\n' '$ {quoted}' >&2\n{line}\n")
            })
            .collect();
        sandbox.ok(
            &format!("the examples of `{name} --help`"),
            &format!("set -e\n{script}"),
        );
        ran += lines.len();
    }
    // Command groups (`watch`) list their commands instead of examples.
    assert_eq!(
        without,
        ["lookout watch", "lookout feed"],
        "commands without examples"
    );
    assert!(ran > 60, "only {ran} examples found");
}

/// `examples` reads an example across its `\` and refuses one wrapped without it.
#[test]
fn examples_are_read_across_backslashes_and_a_wrapped_one_is_refused() {
    let help = "Usage: x\n\nExamples:\n  lookout a \\\n      --b\n  lookout c\n\nMore.\n";
    assert_eq!(examples(help), ["lookout a --b", "lookout c"]);
    let wrapped = "Examples:\n  lookout import a.csv\n  b.csv\n";
    assert!(std::panic::catch_unwind(|| examples(&format!("x\n{wrapped}"))).is_err());
    assert!(line_matches("# ITEM ...", "# ITEM  STATUS"));
    assert!(line_matches("a ... c", "a b c"));
    assert!(!line_matches("a ... d", "a b c"));
}

/// `lookout man` is the whole manual: every command with its options and
/// examples, citing no page that does not exist; `lookout man CMD` one page.
#[test]
fn the_manual_holds_every_command_and_its_options() {
    let sandbox = Sandbox::new();
    let manual = stdout_of(&sandbox.ok("the manual", "lookout man"));
    assert!(
        !manual.contains("lookout-log(1)"),
        "cites pages that do not exist"
    );
    for section in [
        ".SH \"LOOKOUT LOG\"",
        ".SH \"LOOKOUT WATCH ADD\"",
        ".SH \"GLOBAL OPTIONS\"",
    ] {
        assert!(manual.contains(section), "{section} missing");
    }
    for path in command_paths(&sandbox, &[]).into_iter().skip(1) {
        let name = format!("lookout {}", path.join(" ")).to_uppercase();
        let has_examples = !examples(&stdout_of(
            &sandbox.ok("help", &format!("lookout {} --help", path.join(" "))),
        ))
        .is_empty();
        assert!(
            !has_examples || manual.contains(&format!(".SH \"{name}\"")),
            "{name} has no section in the manual"
        );
    }
    assert!(manual.contains("\\-\\-scheduled"), "log's options");
    let page = stdout_of(&sandbox.ok("one page", "lookout man watch add"));
    assert!(
        page.starts_with(".ie") && page.contains(".TH lookout-watch-add"),
        "{page}"
    );
    assert!(page.contains("\\-\\-opened"), "{page}");
    let out = sandbox.sh("lookout man nonesuch");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

/// Every test README's table of promises names exists, in `tests/` or as a
/// unit test in `src/`: a renamed or deleted test cannot leave a promise
/// held by nothing.
#[test]
fn every_test_readmes_promises_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = String::new();
    let mut dirs = vec![root.join("src"), root.join("tests")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let table = README
        .split("| promise | how it is kept | the test that would catch its breaking |")
        .nth(1)
        .expect("README's table of promises")
        .split("\n\n")
        .next()
        .unwrap();
    let mut named = 0;
    let mut missing = Vec::new();
    for row in table.lines() {
        let Some(tests) = row.rsplit('|').nth(1) else {
            continue;
        };
        for quoted in tests.split('`').skip(1).step_by(2) {
            // A test's name: words joined by '_', nothing else.
            let name = quoted;
            // Not tests: a view the row names, and the tail of `_1` to `_4`.
            if name == "status_now" || name.starts_with('_') {
                continue;
            }
            if !name.contains('_')
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                continue;
            }
            named += 1;
            if !sources.contains(&format!("fn {name}(")) {
                missing.push(quoted.to_string());
            }
        }
    }
    assert!(
        named > 50,
        "only {named} tests named: is the table still there?"
    );
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "README names tests that do not exist"
    );
}

/// The contract lives in the repository, README links it, and nothing
/// cites a copy outside it.
#[test]
fn the_contract_is_in_the_repository_and_readme_links_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = std::fs::read_to_string(root.join("docs/DESIGN.md")).unwrap();
    assert!(design.starts_with('#'), "{}", &design[..80]);
    assert!(
        README.contains("](docs/DESIGN.md)"),
        "README does not link docs/DESIGN.md"
    );
    for (name, text) in [("README.md", README), ("docs/DESIGN.md", design.as_str())] {
        assert!(
            !text.contains("../shared/"),
            "{name} cites a path outside the repository"
        );
    }
}

/// `status --help` says what `--as-of` is, and what it is not.
#[test]
fn status_help_says_as_of_is_not_the_report_of_that_day() {
    let out = crate::env::TestEnv::new().run(&["status", "--help"]);
    let help = stdout_of(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(help.contains("by the developments' own dates"), "{help}");
    assert!(
        help.contains("this is not the report the record gave on that day"),
        "{help}"
    );
    assert!(help.contains("--known-on"), "{help}");
}

/// README's picture of the status page shows what lookout draws:
/// `scripts/screenshot.sh` keeps the page it photographed beside it, and
/// that page must be today's.
#[test]
fn the_status_page_readme_shows_is_the_one_lookout_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shown = std::fs::read_to_string(root.join("docs/seed-status.html")).unwrap();
    let env = crate::env::TestEnv::seeded();
    let drawn = env.ok(&["status", "--as-of", "2025-08-01", "--format", "html"]);
    assert!(
        drawn == shown,
        "the status page changed: run scripts/screenshot.sh to draw docs/seed-status.png again"
    );
}
