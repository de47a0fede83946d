//! The test environment: a temporary directory holding the store, a pinned
//! today, no colour, and helpers to run lookout and look inside the store.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;

/// The day the tests pin with LOOKOUT_TODAY, unless a test says otherwise.
pub const TODAY: &str = "2025-08-01";

/// `PRAGMA user_version` of a store this lookout made or upgraded, as
/// `TestEnv::query` shows it.
pub const CURRENT_VERSION: &str = "Integer(12)";

/// Who the tests' commands say they are (LOOKOUT_AUTHOR).
pub const AUTHOR: &str = "Test Analyst <analyst@example.org>";

/// What lookout says on stderr when it imports the seed tracker's two files.
pub const SEED_IMPORTED: &str = "imported 2 files: 11 added, 0 updated, 0 unchanged, 0 rejected \
                                 (3 watch items, 8 developments)";

/// What it says when it imports the seed tracker's watch items alone.
pub const ITEMS_IMPORTED: &str =
    "imported 1 file: 3 added, 0 updated, 0 unchanged, 0 rejected (3 watch items)";

/// How every warning lookout writes on stderr begins.
pub const WARNING: &str = "lookout: warning:";

pub struct TestEnv {
    dir: TempDir,
    db: PathBuf,
    today: String,
    author: String,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tracker.db");
        TestEnv {
            dir,
            db,
            today: TODAY.to_string(),
            author: AUTHOR.to_string(),
        }
    }

    /// A store holding the bundled seed tracker.
    #[track_caller]
    pub fn seeded() -> TestEnv {
        let env = TestEnv::new();
        env.ok_with(
            &[
                "import",
                &fixture("watch-items.csv"),
                &fixture("developments.csv"),
            ],
            SEED_IMPORTED,
        );
        env
    }

    /// The briefing scenario (tests/fixtures/briefing): five EU AI Act items
    /// and developments that say when they were recorded, today pinned to
    /// 14 September 2025. A week of it has every kind of news `changes` reports.
    #[track_caller]
    pub fn briefing() -> TestEnv {
        let env = TestEnv::new().today("2025-09-14");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/briefing");
        env.ok_with(
            &[
                "import",
                &format!("{dir}/watch-items.csv"),
                &format!("{dir}/developments.csv"),
            ],
            "imported 2 files: 15 added, 0 updated, 0 unchanged, 0 rejected \
             (5 watch items, 10 developments)\n",
        );
        env
    }

    /// A store with three watch items and nothing logged.
    #[track_caller]
    pub fn with_items() -> TestEnv {
        let env = TestEnv::new();
        env.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
        env
    }

    pub fn today(mut self, day: &str) -> TestEnv {
        self.today = day.to_string();
        self
    }

    /// Who this environment's commands say they are.
    pub fn author(mut self, author: &str) -> TestEnv {
        self.author = author.to_string();
        self
    }

    /// The store as one file: `lookout init` folds into it the write-ahead
    /// log lookout leaves between commands (up to a megabyte), so that the
    /// file alone holds every change, to copy or compare byte for byte.
    #[track_caller]
    pub fn folded_db(&self) -> &Path {
        self.ok_with(&["init"], "lookout store ready at ");
        &self.db
    }

    pub fn db(&self) -> &Path {
        &self.db
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `lookout --db <store>` with today pinned and colour off.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a std Command, for tests that need to spawn and pipe.
    pub fn std_cmd(&self) -> std::process::Command {
        self.std_cmd_on(&self.db)
    }

    /// The same on another store.
    pub fn std_cmd_on(&self, db: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("lookout"));
        cmd.arg("--db")
            .arg(db)
            .env("LOOKOUT_TODAY", &self.today)
            .env("NO_COLOR", "1")
            .env("LOOKOUT_AUTHOR", &self.author)
            .env_remove("LOOKOUT_DB")
            .env_remove("CLICOLOR_FORCE")
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs lookout and returns its output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs lookout with stdout on a terminal `columns` wide (a
    /// pseudo-terminal from util-linux `script`, `COLUMNS` giving its width),
    /// insists on success, and returns what the terminal showed, with `\r\n`
    /// read as `\n`. None where `script` is missing (and not in CI).
    pub fn on_terminal(&self, columns: u16, args: &[&str]) -> Option<String> {
        if !have("script") {
            return None;
        }
        let cmd = self.std_cmd();
        let quote =
            |arg: &std::ffi::OsStr| format!("'{}'", arg.to_str().unwrap().replace('\'', "'\\''"));
        let mut line = quote(cmd.get_program());
        for arg in cmd.get_args().chain(args.iter().map(std::ffi::OsStr::new)) {
            line.push(' ');
            line.push_str(&quote(arg));
        }
        let mut script = std::process::Command::new("script");
        script
            .args(["--quiet", "--return", "--command", &line, "/dev/null"])
            .current_dir(self.dir.path())
            .env("COLUMNS", columns.to_string())
            .stdin(std::process::Stdio::null());
        for (key, value) in cmd.get_envs() {
            match value {
                Some(value) => script.env(key, value),
                None => script.env_remove(key),
            };
        }
        let out = script.output().unwrap();
        let shown = String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n");
        assert!(
            out.status.success(),
            "lookout {args:?} on a terminal failed ({:?}):\n{shown}",
            out.status.code()
        );
        Some(shown)
    }

    /// Runs lookout, insists on success and a silent stderr, and returns
    /// stdout. A command that confirms or warns on stderr is run with
    /// `ok_with`, `ok_both` or `ok_stderr`, so the test says what it expects.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let (stdout, stderr) = self.ok_both(args);
        assert!(
            stderr.is_empty(),
            "lookout {args:?} wrote on stderr:\n{stderr}"
        );
        stdout
    }

    /// Runs lookout, insists on success and that stderr says `expected`
    /// (a part of it, which may span lines), and returns stdout. A warning
    /// on stderr fails it unless `expected` names a warning too.
    #[track_caller]
    pub fn ok_with(&self, args: &[&str], expected: &str) -> String {
        assert!(
            expected.len() >= 8,
            "say what stderr must say, not {expected:?}"
        );
        let (stdout, stderr) = self.ok_both(args);
        assert!(
            stderr.contains(expected),
            "lookout {args:?}: stderr lacks {expected:?}:\n{stderr}"
        );
        assert!(
            expected.contains(WARNING) || !stderr.contains(WARNING),
            "lookout {args:?}: a warning the test did not expect:\n{stderr}"
        );
        stdout
    }

    /// Runs lookout, insists on success, and returns stdout and stderr, for
    /// a test that checks both itself.
    #[track_caller]
    pub fn ok_both(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            out.status.success(),
            "lookout {args:?} failed ({:?}):\n{stderr}",
            out.status.code(),
        );
        (String::from_utf8(out.stdout).unwrap(), stderr)
    }

    /// Runs lookout, insists on success and an empty stdout, and returns
    /// stderr (its confirmations).
    #[track_caller]
    pub fn ok_stderr(&self, args: &[&str]) -> String {
        let (stdout, stderr) = self.ok_both(args);
        assert!(
            stdout.is_empty(),
            "lookout {args:?} wrote on stdout:\n{stdout}"
        );
        stderr
    }

    /// The ids in the JSON array a command prints with `--format json`, in order.
    #[track_caller]
    pub fn json_ids(&self, args: &[&str]) -> Vec<String> {
        let mut full = args.to_vec();
        full.extend_from_slice(&["--format", "json"]);
        ids_of(&self.ok(&full))
    }

    /// Logs a development and returns its id, insisting that lookout
    /// confirms it on stderr, in one line and with no warning.
    #[track_caller]
    pub fn log(&self, args: &[&str]) -> String {
        let (id, stderr) = self.log_both(args);
        assert_eq!(
            stderr.lines().count(),
            1,
            "log {args:?}: more than its confirmation on stderr:\n{stderr}"
        );
        id
    }

    /// Logs a development that lookout warns about, and returns its id:
    /// the confirmation, then one warning for each of `warnings`, in order,
    /// saying it.
    #[track_caller]
    pub fn log_warned(&self, args: &[&str], warnings: &[&str]) -> String {
        let (id, stderr) = self.log_both(args);
        let said: Vec<&str> = stderr.lines().skip(1).collect();
        assert!(
            said.len() == warnings.len()
                && said
                    .iter()
                    .zip(warnings)
                    .all(|(line, warning)| line.starts_with(WARNING) && line.contains(warning)),
            "log {args:?}: expected the warnings {warnings:?}:\n{stderr}"
        );
        id
    }

    /// Logs a development; returns its id and stderr, which starts with the
    /// confirmation.
    #[track_caller]
    fn log_both(&self, args: &[&str]) -> (String, String) {
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        let (stdout, stderr) = self.ok_both(&full);
        let id = stdout.trim().to_string();
        assert!(
            stderr.starts_with(&format!("logged {id} (")),
            "log {args:?}: no confirmation of {id} on stderr:\n{stderr}"
        );
        (id, stderr)
    }

    /// Runs a command that must be refused with `code`, leave the store as it
    /// was, and say `expected` on stderr. Returns stderr.
    pub fn refused(&self, args: &[&str], code: i32, expected: &str) -> String {
        assert!(
            expected.len() >= 8,
            "say what the refusal must say, not {expected:?}"
        );
        let before = self.fingerprint();
        let out = self.run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "lookout {args:?}: expected exit {code}; stderr:\n{stderr}"
        );
        assert!(
            stderr.contains(expected),
            "lookout {args:?}: stderr lacks {expected:?}:\n{stderr}"
        );
        assert!(out.stdout.is_empty(), "a refused command printed on stdout");
        assert_eq!(
            self.fingerprint(),
            before,
            "lookout {args:?} changed the store"
        );
        stderr
    }

    /// Writes a file in the test directory and returns its path as text.
    pub fn file(&self, name: &str, content: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// Everything the store holds, as text, for before/after comparisons:
    /// every row of every table in a fixed order, and the schema version.
    pub fn fingerprint(&self) -> String {
        if !self.db.exists() {
            return "<no store>".to_string();
        }
        let conn = Connection::open_with_flags(&self.db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut text = String::new();
        for pragma in ["user_version", "application_id"] {
            let value: i64 = conn
                .pragma_query_value(None, pragma, |r| r.get(0))
                .unwrap_or(-1);
            text.push_str(&format!("{pragma}={value}\n"));
        }
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for table in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let width = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..width)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            text.push_str(&format!("[{table}]\n{}\n", rows.join("\n")));
        }
        text
    }

    /// Sets a development's headline behind lookout's back, as a store an
    /// older lookout wrote (or a hand with `sqlite3`) may hold it.
    pub fn set_headline(&self, id: &str, headline: &str) {
        let conn = Connection::open(&self.db).unwrap();
        conn.execute(
            "UPDATE developments SET headline = ?1 WHERE id = ?2",
            [headline, id],
        )
        .unwrap();
    }

    /// One value from the store, for checks the CLI does not show.
    pub fn query(&self, sql: &str) -> String {
        let conn = Connection::open_with_flags(&self.db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        conn.query_row(sql, [], |r| {
            Ok(match r.get_ref(0)? {
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            })
        })
        .unwrap()
    }
}

/// The path of a file of the bundled seed tracker.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ai-action-plans-2025")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// The ids in a JSON array of developments, in order.
pub fn ids_of(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

pub fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Whether a program a test needs is here. In CI (`CI` set, and `.ci/run`
/// installs it) its absence is a failure; elsewhere the test says it skips.
pub fn have(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing, and CI is set"
        );
        skipped(&format!("{program} is missing"));
    }
    found
}

/// Says on the terminal, past the test harness's capture, that a test ran
/// nothing, so a skip is seen and not taken for a pass.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED: {why} (set CI to make this a failure)"
    );
}

/// Whether the tests run as root, whom file permissions do not bind.
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Whether the tests run in CI, where a test that needs a program or a
/// privilege fails rather than skips.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// Skips a test outside CI (saying so), fails it in CI.
pub fn skip_or_fail(why: &str) {
    assert!(!in_ci(), "in CI this must not be skipped: {why}");
    skipped(why);
}

/// A way to run lookout as a user whom file permissions bind: this user
/// when not root; as root, the user `nobody` through setpriv, running a
/// copy of the binary in `bin_dir` (which nobody may read: the build's own
/// directory may be under /root). None when that cannot be done here.
pub fn unprivileged(bin_dir: &Path) -> Option<Vec<String>> {
    let binary = assert_cmd::cargo::cargo_bin!("lookout");
    if !is_root() {
        return Some(vec![binary.to_str().unwrap().to_string()]);
    }
    let has_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_setpriv {
        skip_or_fail("running as root, and setpriv is missing to run lookout as nobody");
        return None;
    }
    use std::os::unix::fs::PermissionsExt;
    let copy = bin_dir.join("lookout");
    std::fs::copy(binary, &copy).unwrap();
    std::fs::set_permissions(bin_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    Some(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            copy.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec(),
    )
}
