//! The git transport of `lookout sync`: a local bare repository that caches
//! the shared tracker, and the few operations sync needs on it — fetch the
//! remote's `main`, list and read the files of a commit, make a commit from
//! changed files, push it, and ask about ancestry.
//!
//! It drives the `git` program on the PATH, one subprocess a call, so the
//! user's own credentials (SSH agent, credential helpers) do the
//! authentication and lookout links no git library. Every run gets a
//! controlled environment: the cache's `GIT_DIR`, no terminal prompts, the C
//! locale (so messages parse), no pager, no hooks, no colour; git's standard
//! error is captured and its first meaningful line becomes the error message,
//! so git never writes to the user's terminal.
//!
//! Crash safety comes from git's own ordering: objects are written before the
//! refs that name them, and the cache is created beside its final path and
//! renamed into place. Killing lookout at any moment leaves a cache the next
//! run can use.
//!
//! It knows nothing of records, the store or the merge: it moves files.

use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::str::FromStr;

use crate::error::{Error, Result};

/// The remote's branch that holds the shared tracker.
const REMOTE_BRANCH: &str = "refs/heads/main";
/// Where a fetch leaves the remote's `main` in the cache.
const TRACKING_REF: &str = "refs/remotes/origin/main";
/// The fetch refspec: forced, since another analyst's history is the truth.
const FETCH_REFSPEC: &str = "+refs/heads/main:refs/remotes/origin/main";
/// The one ref `commit` writes, so a commit stays reachable until it is pushed.
const PENDING_REF: &str = "refs/lookout/pending";
/// How much of git's message an error repeats.
const MAX_MESSAGE_CHARS: usize = 300;
/// What git prints when the remote has no `main` (an empty repository).
const NO_REMOTE_MAIN: &str = "couldn't find remote ref refs/heads/main";

/// Variables that would point git at another repository, index, identity or
/// date than the one lookout names (set when lookout runs inside a git hook,
/// or left over in a shell). Credential and SSH settings stay the user's.
const FOREIGN_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
    "GIT_SHALLOW_FILE",
    "GIT_GRAFT_FILE",
    "GIT_REPLACE_REF_BASE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
];

/// A git object id: 40 hex digits (SHA-1), or 64 in a SHA-256 repository.
/// Always lower case, so ids compare as strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(String);

impl Oid {
    /// The id as git prints it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Oid {
    type Err = Error;

    fn from_str(s: &str) -> Result<Oid> {
        if (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Oid(s.to_ascii_lowercase()))
        } else {
            Err(Error::data(format!(
                "{s:?} is not a git object id (40 or 64 hex digits)"
            )))
        }
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who makes a commit: its author and committer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The name, any Unicode but `<`, `>` and line breaks.
    pub name: String,
    /// The email address; may be empty.
    pub email: String,
}

impl fmt::Display for Identity {
    /// `Name <email>`, as git shows an author.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// One file of a commit's tree: its path from the root, `/`-separated, and its contents' id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// The path from the tree's root, `developments/ab.jsonl`.
    pub path: String,
    /// The id of the file's contents, for `read_blobs`.
    pub blob: Oid,
}

/// What became of a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// The remote's `main` is now the pushed commit.
    Pushed,
    /// Someone else pushed first (not a fast-forward): fetch, merge again, retry.
    Rejected,
}

/// A local bare repository that caches the shared tracker: lookout keeps one beside the store.
#[derive(Debug, Clone)]
pub struct GitRepo {
    git_dir: PathBuf,
    git: Git,
}

impl GitRepo {
    /// Opens the cache repository at `git_dir`, creating it (`git init
    /// --bare`, branch `main`) when absent. An empty directory there is
    /// used; anything else that is not a git repository is an error.
    pub fn open_or_init(git_dir: &Path) -> Result<GitRepo> {
        GitRepo::open_or_init_with(Git::system(), git_dir)
    }

    fn open_or_init_with(git: Git, git_dir: &Path) -> Result<GitRepo> {
        // Absolute, so that no later change of directory moves the cache.
        let git_dir =
            std::path::absolute(git_dir).map_err(|e| Error::from(e).context(git_dir.display()))?;
        let repo = GitRepo { git_dir, git };
        if looks_like_repository(&repo.git_dir) {
            return Ok(repo);
        }
        if repo.git_dir.exists() {
            // remove_dir removes only an empty directory: one made by hand
            // for the cache is fine to replace, anything else is not ours.
            if fs::remove_dir(&repo.git_dir).is_err() {
                return Err(Error::io(format!(
                    "{} exists but is not a git repository",
                    repo.git_dir.display()
                ))
                .with_hint("move it away; lookout makes a new sync cache there"));
            }
        }
        repo.init()?;
        Ok(repo)
    }

    /// Makes the repository beside its final path and renames it into place,
    /// so a run killed half-way leaves no half-made cache at `git_dir`.
    fn init(&self) -> Result<()> {
        let cannot = |e: io::Error| {
            Error::from(e).context(format!("cannot create {}", self.git_dir.display()))
        };
        let (parent, name) = match (self.git_dir.parent(), self.git_dir.file_name()) {
            (Some(parent), Some(name)) => (parent, name),
            _ => {
                return Err(Error::io(format!(
                    "{} cannot hold a sync cache",
                    self.git_dir.display()
                )));
            }
        };
        fs::create_dir_all(parent).map_err(cannot)?;
        let mut prefix = OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".init")
            .tempdir_in(parent)
            .map_err(cannot)?;
        let mut cmd = self.git.command();
        // No templates: they would copy the user's hooks into the cache.
        // Even init updates a ref (HEAD), and runs the user's hooks for it.
        no_hooks(&mut cmd, temp.path());
        cmd.args(["-c", "init.defaultBranch=main", "init", "--bare", "--quiet"])
            .arg("--template=")
            .arg(temp.path());
        let out = self.git.output(&mut cmd)?;
        if !out.status.success() {
            return Err(failure(&out).context(format!("creating {}", self.git_dir.display())));
        }
        match fs::rename(temp.path(), &self.git_dir) {
            Ok(()) => {
                // Renamed away: nothing is left for the guard to remove.
                let _renamed = temp.keep();
                Ok(())
            }
            // Another lookout made it first; theirs is as good as ours.
            Err(_) if looks_like_repository(&self.git_dir) => Ok(()),
            Err(e) => Err(cannot(e)),
        }
    }

    /// The cache repository's directory.
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// Sets (or changes) the remote `origin` to `url`: a git URL, an
    /// `host:path` SSH address, or a local path (made absolute here, since
    /// git would otherwise read it from wherever lookout runs next).
    pub fn set_remote(&self, url: &str) -> Result<()> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::from(e).context("reading the current directory"))?;
        let url = resolve_remote(url, &cwd)?;
        // The fetch refspec first: a run killed between the two leaves no
        // URL, and the caller sets the remote again.
        self.set_config("remote.origin.fetch", FETCH_REFSPEC)?;
        self.set_config("remote.origin.url", &url)
    }

    /// The URL (or path) of the remote `origin`; None before `set_remote`.
    pub fn remote_url(&self) -> Result<Option<String>> {
        self.config_get(&["--local"], "remote.origin.url")
    }

    /// Fetches the remote's `main`. None when the remote repository exists
    /// but has no `main` yet (an empty repository). An unreachable remote, a
    /// path that is not a repository, or failed authentication is an
    /// `Error::io` naming the remote, with git's own message.
    pub fn fetch(&self) -> Result<Option<Oid>> {
        let url = self.require_remote()?;
        let mut cmd = self.command();
        // Automatic maintenance runs in the foreground, so it neither
        // outlives lookout nor writes to the terminal; it keeps the packs
        // that every commit and fetch add from piling up.
        cmd.args([
            "-c",
            "gc.autoDetach=false",
            "-c",
            "maintenance.autoDetach=false",
        ])
        .args(["fetch", "--quiet", "--no-tags", "--no-recurse-submodules"])
        .args(["origin", FETCH_REFSPEC]);
        self.forbid_ssh_prompts(&mut cmd)?;
        let out = self.git.output(&mut cmd)?;
        if !out.status.success() {
            if String::from_utf8_lossy(&out.stderr).contains(NO_REMOTE_MAIN) {
                return Ok(None);
            }
            return Err(remote_failure("fetching from", &url, &out));
        }
        match self.resolve_commit(TRACKING_REF)? {
            Some(oid) => Ok(Some(oid)),
            None => Err(Error::io(format!(
                "fetching from {}: git fetched nothing into {TRACKING_REF}",
                anonymize_url(&url)
            ))),
        }
    }

    /// Every regular file of a commit's tree, recursively, sorted by path.
    /// Symbolic links and submodules are not files of a tracker and are left out.
    pub fn tree_files(&self, commit: &Oid) -> Result<Vec<TreeFile>> {
        let mut cmd = self.command();
        cmd.args(["ls-tree", "-r", "-z", "--full-tree", commit.as_str()]);
        let out = self.git.output(&mut cmd)?;
        if !out.status.success() {
            return Err(failure(&out).context(format!("listing the files of commit {commit}")));
        }
        let mut files = Vec::new();
        for entry in out.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            if let Some(file) = parse_tree_entry(entry)
                .map_err(|e| e.context(format!("listing the files of commit {commit}")))?
            {
                files.push(file);
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Streams blob contents through one `git cat-file --batch`, calling
    /// `each(index, bytes)` in the order of `blobs`. An error from `each`
    /// stops the stream and is returned as it is.
    pub fn read_blobs(
        &self,
        blobs: &[Oid],
        mut each: impl FnMut(usize, &[u8]) -> Result<()>,
    ) -> Result<()> {
        if blobs.is_empty() {
            return Ok(());
        }
        let mut cmd = self.command();
        cmd.args(["cat-file", "--batch", "--buffer"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| self.git.spawn_error(e))?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(Error::io("git cat-file started without its pipes"));
        };
        let (read, wrote) = std::thread::scope(|scope| {
            // A thread writes the requests while this one reads the answers:
            // writing them all first could fill both pipes and deadlock.
            let writer = scope.spawn(move || -> io::Result<()> {
                let mut requests = BufWriter::new(stdin);
                for oid in blobs {
                    writeln!(requests, "{oid}")?;
                }
                requests.flush()
            });
            // Until every answer is read, stopping early (an error, or a
            // panic in `each`) stops git, which unblocks the writer (broken
            // pipe) so the scope can end.
            let mut running = StopOnDrop(Some(&mut child));
            let read = read_batch(BufReader::with_capacity(1 << 16, stdout), blobs, &mut each);
            if read.is_ok() {
                running.0 = None;
            }
            drop(running);
            (read, writer.join())
        });
        let mut message = Vec::new();
        // Only fatal messages go to standard error, and they are short.
        let _ = stderr.read_to_end(&mut message);
        let status = child.wait().map_err(|e| self.git.spawn_error(e))?;
        match read {
            Err(BatchStop::Caller(e)) => return Err(e),
            Err(BatchStop::Stream(e)) if status.success() => return Err(e),
            Err(BatchStop::Stream(e)) => {
                return Err(first_meaningful_line(&message)
                    .map_or(e, |line| Error::io(format!("reading blobs: {line}"))));
            }
            Ok(()) => {}
        }
        if !status.success() {
            return Err(Error::io(format!(
                "reading blobs: git cat-file exited with {status}"
            )));
        }
        wrote
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            .map_err(|e| Error::from(e).context("writing to git cat-file"))
    }

    /// Makes a commit from `parent`'s tree (or an empty tree) with `changes`
    /// applied, in order: `Some(bytes)` writes the file at that path, `None`
    /// deletes it. Author and committer are `who`, at `when` (seconds since
    /// the epoch, UTC). Returns the commit's id; the only ref written is
    /// lookout's private `refs/lookout/pending`. No changes still make a
    /// commit: whether there is anything to share is the caller's question.
    ///
    /// One `git fast-import` does it all: only the changed files cross the
    /// pipe, no index or temporary files are written, objects are in place
    /// before the ref moves, and a stream cut short (no `done`) commits nothing.
    pub fn commit(
        &self,
        parent: Option<&Oid>,
        changes: &[(String, Option<Vec<u8>>)],
        who: &Identity,
        when: i64,
        message: &str,
    ) -> Result<Oid> {
        check_identity(who)?;
        if when < 0 {
            return Err(Error::data(format!(
                "commit time {when} is before 1970; git cannot record it"
            )));
        }
        for (path, _) in changes {
            check_path(path)?;
        }
        let mut cmd = self.command();
        // --force: the pending ref moves to an unrelated commit each time.
        cmd.args(["fast-import", "--quiet", "--force"]);
        let (out, pid) = self.git.output_with_input(&mut cmd, |stream| {
            write_import(stream, parent, changes, who, when, message)
        })?;
        if !out.status.success() {
            // fast-import leaves a crash report in the cache when it dies; the
            // error message carries what matters and the cache stays clean.
            let _ = fs::remove_file(self.git_dir.join(format!("fast_import_crash_{pid}")));
            return Err(failure(&out).context("making a commit"));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        text.trim().parse().map_err(|_| {
            Error::io(format!(
                "making a commit: git fast-import answered {text:?}"
            ))
        })
    }

    /// Pushes `commit` to the remote's `main`. `Rejected` (not an error)
    /// when the remote's `main` is not an ancestor of `commit` — someone
    /// pushed since the fetch; any other failure is an `Error::io`.
    pub fn push(&self, commit: &Oid) -> Result<PushOutcome> {
        let url = self.require_remote()?;
        let mut cmd = self.command();
        // --no-verify: the user's pre-push hooks are for their own work, not
        // for lookout's cache; signing would ask for a passphrase.
        cmd.args([
            "-c",
            "push.gpgSign=false",
            "push",
            "--porcelain",
            "--no-progress",
        ])
        .args(["--no-verify", "origin"])
        .arg(format!("{commit}:{REMOTE_BRANCH}"));
        self.forbid_ssh_prompts(&mut cmd)?;
        let out = self.git.output(&mut cmd)?;
        match push_status(&String::from_utf8_lossy(&out.stdout)) {
            Some(PushStatus::Updated) if out.status.success() => Ok(PushOutcome::Pushed),
            Some(PushStatus::NotFastForward) => Ok(PushOutcome::Rejected),
            // Two pushes at the same moment: both passed the fast-forward
            // check, and the remote's ref moved under the second one.
            Some(PushStatus::Refused(_)) if lost_ref_update_race(&out.stderr) => {
                Ok(PushOutcome::Rejected)
            }
            Some(PushStatus::Refused(summary)) => {
                let detail = first_meaningful_line(&out.stderr)
                    .filter(|line| !line.starts_with("failed to push some refs"));
                let message = match detail {
                    Some(detail) => format!("{summary}: {detail}"),
                    None => summary,
                };
                Err(Error::io(format!(
                    "pushing to {}: {message}",
                    anonymize_url(&url)
                )))
            }
            _ => Err(remote_failure("pushing to", &url, &out)),
        }
    }

    /// Whether `ancestor` is an ancestor of (or equal to) `commit`; false if
    /// either is not in the cache.
    pub fn is_ancestor(&self, ancestor: &Oid, commit: &Oid) -> Result<bool> {
        if !self.has_commit(ancestor)? || !self.has_commit(commit)? {
            return Ok(false);
        }
        let mut cmd = self.command();
        cmd.args([
            "merge-base",
            "--is-ancestor",
            ancestor.as_str(),
            commit.as_str(),
        ]);
        let out = self.git.output(&mut cmd)?;
        match out.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(failure(&out).context(format!("comparing commits {ancestor} and {commit}"))),
        }
    }

    /// Whether the commit is in the cache (a base recorded by an earlier sync, say).
    pub fn has_commit(&self, oid: &Oid) -> Result<bool> {
        Ok(self.resolve_commit(oid.as_str())?.is_some())
    }

    /// The commit a name (ref or id) stands for; None when there is none.
    fn resolve_commit(&self, name: &str) -> Result<Option<Oid>> {
        let mut cmd = self.command();
        cmd.args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{name}^{{commit}}"));
        let out = self.git.output(&mut cmd)?;
        match out.status.code() {
            Some(0) => String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .map(Some),
            Some(1) => Ok(None),
            _ => Err(failure(&out).context(format!("looking up {name}"))),
        }
    }

    /// A git command on the cache.
    fn command(&self) -> Command {
        let mut cmd = self.git.command();
        cmd.env("GIT_DIR", &self.git_dir);
        no_hooks(&mut cmd, &self.git_dir);
        cmd
    }

    fn require_remote(&self) -> Result<String> {
        self.remote_url()?.ok_or_else(|| {
            Error::io(format!("{}: no remote is set", self.git_dir.display()))
                .with_hint("name the shared repository once: lookout sync REMOTE")
        })
    }

    fn set_config(&self, key: &str, value: &str) -> Result<()> {
        let mut cmd = self.command();
        cmd.args(["config", "--local", "--replace-all", key, value]);
        let out = self.git.output(&mut cmd)?;
        if out.status.success() {
            Ok(())
        } else {
            Err(failure(&out).context(format!("setting {key}")))
        }
    }

    fn config_get(&self, scope: &[&str], key: &str) -> Result<Option<String>> {
        let mut cmd = self.command();
        cmd.arg("config").args(scope).args(["--get", key]);
        config_value(self.git.output(&mut cmd)?, key)
    }

    /// SSH would ask for a passphrase or a host key on the terminal, where
    /// nobody may be watching: batch mode makes it fail instead. A user who
    /// chose their own SSH command keeps it.
    fn forbid_ssh_prompts(&self, cmd: &mut Command) -> Result<()> {
        let chosen = ["GIT_SSH_COMMAND", "GIT_SSH"].iter().any(|var| {
            std::env::var_os(var).is_some() || self.git.env.iter().any(|(k, _)| k == var)
        });
        if !chosen && self.config_get(&[], "core.sshCommand")?.is_none() {
            cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        }
        Ok(())
    }
}

/// The identity git would use here: `user.name` and `user.email` from the
/// user's global git configuration (with its includes). None when
/// `user.name` is unset, or git is not installed (authorship falls back to
/// the login name, and only `sync` needs git); an unset `user.email` is empty.
pub fn configured_identity() -> Result<Option<Identity>> {
    configured_identity_with(&Git::system())
}

fn configured_identity_with(git: &Git) -> Result<Option<Identity>> {
    let query = |key: &str| {
        let mut cmd = git.command();
        cmd.args(["config", "--global", "--includes", "--get", key]);
        cmd.output()
    };
    let name = match query("user.name") {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(git.spawn_error(e)),
        Ok(out) => config_value(out, "user.name")?,
    };
    let Some(name) = name else {
        return Ok(None);
    };
    let email = query("user.email").map_err(|e| git.spawn_error(e))?;
    let email = config_value(email, "user.email")?.unwrap_or_default();
    Ok(Some(Identity { name, email }))
}

/// What `git config --get` said: the value, None when unset (exit 1), else an error.
fn config_value(out: Output, key: &str) -> Result<Option<String>> {
    match out.status.code() {
        Some(0) => {
            let value = String::from_utf8(out.stdout)
                .map_err(|_| Error::io(format!("git config {key} is not UTF-8")))?;
            Ok(Some(value.trim_end_matches(['\n', '\r']).to_owned()))
        }
        Some(1) => Ok(None),
        _ => Err(failure(&out).context(format!("reading git config {key}"))),
    }
}

/// How lookout runs git: the program, and extra environment (tests point
/// the global configuration at a file of their own).
#[derive(Debug, Clone)]
struct Git {
    program: OsString,
    env: Vec<(OsString, OsString)>,
}

impl Git {
    fn system() -> Git {
        Git {
            program: OsString::from("git"),
            env: Vec::new(),
        }
    }

    /// A git command that cannot prompt, page, colour, translate its
    /// messages or wander into another repository.
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        for var in FOREIGN_ENV {
            cmd.env_remove(var);
        }
        cmd.env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("GIT_PAGER", "cat")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args([
                "--no-pager",
                "-c",
                "core.autocrlf=false",
                "-c",
                "color.ui=false",
            ])
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `cmd` to the end, capturing both outputs.
    fn output(&self, cmd: &mut Command) -> Result<Output> {
        cmd.output().map_err(|e| self.spawn_error(e))
    }

    /// Runs `cmd` while `feed` writes its standard input from another
    /// thread, so git's output can never fill a pipe and stall both.
    /// Returns the output and git's process id.
    fn output_with_input(
        &self,
        cmd: &mut Command,
        feed: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send,
    ) -> Result<(Output, u32)> {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| self.spawn_error(e))?;
        let pid = child.id();
        let Some(stdin) = child.stdin.take() else {
            return Err(Error::io("git started without its standard input"));
        };
        let (fed, output) = std::thread::scope(|scope| {
            let feeder = scope.spawn(move || -> io::Result<()> {
                let mut input = BufWriter::with_capacity(1 << 16, stdin);
                feed(&mut input)?;
                input.flush()
            });
            let output = child.wait_with_output();
            (feeder.join(), output)
        });
        let fed = fed.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let output = output.map_err(|e| self.spawn_error(e))?;
        // When git failed, its message says why; the broken pipe it left
        // the writer with does not.
        if let (true, Err(e)) = (output.status.success(), fed) {
            return Err(Error::from(e).context("writing to git"));
        }
        Ok((output, pid))
    }

    fn spawn_error(&self, err: io::Error) -> Error {
        if err.kind() == io::ErrorKind::NotFound {
            Error::io(format!(
                "lookout sync needs git on the PATH: {} was not found",
                self.program.to_string_lossy()
            ))
            .with_hint("install git (https://git-scm.com/downloads) and run the command again")
        } else {
            Error::io(format!("running {}: {err}", self.program.to_string_lossy()))
        }
    }
}

/// Runs no hooks: the cache is made without any, and the user's global
/// `core.hooksPath` (hooks written for their own work) is pointed at that
/// empty place. A local remote's own hooks still run: git does not pass
/// `-c` settings on to the other side.
fn no_hooks(cmd: &mut Command, git_dir: &Path) {
    let mut hooks = OsString::from("core.hooksPath=");
    hooks.push(git_dir.join("hooks"));
    cmd.arg("-c").arg(hooks);
}

/// A directory git would take for a repository: what `is_git_directory` checks.
fn looks_like_repository(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

/// git's failure as an error: the first meaningful line of its standard
/// error, with a hint for the failures whose fix is known.
fn failure(out: &Output) -> Error {
    let message = first_meaningful_line(&out.stderr)
        .unwrap_or_else(|| format!("git exited with {}", out.status));
    match known_fix(&String::from_utf8_lossy(&out.stderr)) {
        Some(hint) => Error::io(message).with_hint(hint),
        None => Error::io(message),
    }
}

fn known_fix(stderr: &str) -> Option<String> {
    if stderr.contains(".lock': File exists") {
        return Some(
            "another lookout sync may be running; if none is, delete the .lock file named above"
                .to_owned(),
        );
    }
    // A shared repository on a file share is often owned by a colleague;
    // git names the command that trusts it.
    if stderr.contains("dubious ownership") {
        let trust = stderr
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("git config --global --add safe.directory"))?;
        return Some(format!(
            "git refuses a repository another user owns; if you trust it, run: {trust}"
        ));
    }
    None
}

/// A failed fetch or push: names the remote, says how lookout talks to it.
fn remote_failure(doing: &str, url: &str, out: &Output) -> Error {
    let error = failure(out).context(format!("{doing} {}", anonymize_url(url)));
    if error.hint().is_some() {
        return error;
    }
    error.with_hint(format!(
        "check that `git ls-remote {}` works in this terminal; lookout runs git without \
         prompts, so credentials must come from an SSH agent or a credential helper",
        anonymize_url(url)
    ))
}

/// The line of git's standard error that says what went wrong: the first
/// that is not blank, a hint or a warning, without `fatal: `/`error: `,
/// stripped of control characters (a remote's message could hold terminal
/// escapes) and capped in length.
fn first_meaningful_line(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text.split(['\n', '\r']).map(str::trim).find(|line| {
        !line.is_empty() && !line.starts_with("hint:") && !line.starts_with("warning:")
    })?;
    let line = ["fatal: ", "error: "]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .unwrap_or(line);
    let mut capped: String = line
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_MESSAGE_CHARS)
        .collect();
    if line.chars().filter(|c| !c.is_control()).count() > MAX_MESSAGE_CHARS {
        capped.push('…');
    }
    Some(capped)
}

/// A remote as messages show it: without the user and password an HTTP URL
/// may carry (git's own messages leave them out too).
fn anonymize_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// The remote as git should keep it: URLs and `host:path` addresses as
/// given, a relative local path joined to `cwd`. A leading `-` could be
/// taken for an option by git or ssh, so it is refused.
fn resolve_remote(url: &str, cwd: &Path) -> Result<String> {
    if url.is_empty() {
        return Err(Error::data("the remote is empty").with_hint("give a git URL or a path"));
    }
    if url.starts_with('-') {
        return Err(Error::data(format!(
            "a remote cannot start with '-': {url}"
        )));
    }
    let path = Path::new(url);
    if path.is_absolute() || !is_local_path(url) {
        return Ok(url.to_owned());
    }
    match cwd.join(path).to_str() {
        Some(joined) => Ok(joined.to_owned()),
        None => Err(
            Error::data(format!("{url}: the current directory's name is not UTF-8"))
                .with_hint("give the remote as an absolute path"),
        ),
    }
}

/// git's own rule (`url_is_local_not_ssh`): a path when there is no colon,
/// or a slash comes before the first colon; `host:path` otherwise.
fn is_local_path(url: &str) -> bool {
    if url.contains("://") {
        return false;
    }
    match (url.find(':'), url.find('/')) {
        (None, _) => true,
        (Some(colon), Some(slash)) => slash < colon,
        (Some(_), None) => false,
    }
}

/// One `ls-tree -z` entry, `<mode> <type> <oid>\t<path>`: a file, or None for
/// what is not a regular file.
fn parse_tree_entry(entry: &[u8]) -> Result<Option<TreeFile>> {
    let bad = || {
        Error::io(format!(
            "unexpected ls-tree output {:?}",
            String::from_utf8_lossy(entry)
        ))
    };
    let tab = entry.iter().position(|&b| b == b'\t').ok_or_else(bad)?;
    let meta = std::str::from_utf8(&entry[..tab]).map_err(|_| bad())?;
    let mut fields = meta.split(' ');
    let (Some(mode), Some(kind), Some(oid), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(bad());
    };
    if kind != "blob" || !(mode == "100644" || mode == "100755") {
        return Ok(None);
    }
    let path = std::str::from_utf8(&entry[tab + 1..]).map_err(|_| {
        Error::io(format!(
            "file name {:?} is not UTF-8",
            String::from_utf8_lossy(&entry[tab + 1..])
        ))
    })?;
    Ok(Some(TreeFile {
        path: path.to_owned(),
        blob: oid.parse().map_err(|_| bad())?,
    }))
}

/// Kills the child it holds when dropped.
struct StopOnDrop<'a>(Option<&'a mut std::process::Child>);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(child) = self.0.take() {
            let _ = child.kill();
        }
    }
}

/// Why a `cat-file --batch` read stopped: the caller's own error, or the stream.
enum BatchStop {
    Caller(Error),
    Stream(Error),
}

/// Reads `cat-file --batch` answers: `<oid> blob <size>\n<bytes>\n` each.
fn read_batch(
    mut answers: impl BufRead,
    blobs: &[Oid],
    each: &mut impl FnMut(usize, &[u8]) -> Result<()>,
) -> Result<(), BatchStop> {
    let stream = |e: io::Error| BatchStop::Stream(Error::from(e).context("reading blobs from git"));
    let mut header = Vec::new();
    let mut contents = Vec::new();
    for (index, oid) in blobs.iter().enumerate() {
        header.clear();
        answers.read_until(b'\n', &mut header).map_err(stream)?;
        let line = String::from_utf8_lossy(&header);
        let line = line.trim_end();
        let size = match line.split(' ').collect::<Vec<_>>()[..] {
            [id, "blob", size] if id == oid.as_str() => size.parse::<usize>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            let what = if line.is_empty() {
                "git stopped answering".to_owned()
            } else if line.ends_with(" missing") {
                "not in the sync cache".to_owned()
            } else {
                format!("git answered {line:?}")
            };
            return Err(BatchStop::Stream(Error::io(format!(
                "reading blob {oid}: {what}"
            ))));
        };
        contents.resize(size, 0);
        answers.read_exact(&mut contents).map_err(stream)?;
        let mut newline = [0u8];
        answers.read_exact(&mut newline).map_err(stream)?;
        each(index, &contents).map_err(BatchStop::Caller)?;
    }
    Ok(())
}

/// The author and committer line fields cannot hold `<`, `>` or line breaks.
fn check_identity(who: &Identity) -> Result<()> {
    let bad = |s: &str| s.contains(['<', '>', '\n', '\r', '\0']);
    if who.name.trim().is_empty() {
        return Err(Error::data("a commit needs an author name"));
    }
    if bad(&who.name) || bad(&who.email) {
        return Err(Error::data(format!(
            "author name {:?} and email {:?}: neither can hold <, > or a line break",
            who.name, who.email
        )));
    }
    Ok(())
}

/// A path git will store as given and every git host accepts: relative,
/// `/`-separated, no empty, `.`, `..` or `.git` part, no control characters.
fn check_path(path: &str) -> Result<()> {
    let bad_part = |part: &str| {
        part.is_empty() || part == "." || part == ".." || part.eq_ignore_ascii_case(".git")
    };
    if path.chars().any(char::is_control) || path.split('/').any(bad_part) {
        return Err(Error::data(format!(
            "{path:?} cannot be a file of the shared tracker: it must be a relative, \
             /-separated path with no empty, `.`, `..` or `.git` part"
        )));
    }
    Ok(())
}

/// The fast-import stream for one commit on `refs/lookout/pending`, ending
/// with `get-mark` (git prints the new commit's id) and `done`.
fn write_import(
    out: &mut dyn Write,
    parent: Option<&Oid>,
    changes: &[(String, Option<Vec<u8>>)],
    who: &Identity,
    when: i64,
    message: &str,
) -> io::Result<()> {
    // `feature done`: input that ends before `done` (a writer that died)
    // is an error, never a commit of half the changes.
    writeln!(out, "feature done")?;
    writeln!(out, "reset {PENDING_REF}")?;
    writeln!(out, "commit {PENDING_REF}")?;
    writeln!(out, "mark :1")?;
    writeln!(out, "author {} <{}> {when} +0000", who.name, who.email)?;
    writeln!(out, "committer {} <{}> {when} +0000", who.name, who.email)?;
    write_data(out, message.as_bytes())?;
    if let Some(parent) = parent {
        writeln!(out, "from {parent}")?;
    }
    for (path, contents) in changes {
        match contents {
            Some(bytes) => {
                writeln!(out, "M 100644 inline {}", quote_path(path))?;
                write_data(out, bytes)?;
            }
            None => writeln!(out, "D {}", quote_path(path))?,
        }
    }
    writeln!(out)?;
    writeln!(out, "get-mark :1")?;
    writeln!(out, "done")
}

fn write_data(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    writeln!(out, "data {}", bytes.len())?;
    out.write_all(bytes)?;
    writeln!(out)
}

/// A path in C-style quotes, which fast-import always accepts, so spaces
/// and a leading `"` need no special case (control characters are refused earlier).
fn quote_path(path: &str) -> String {
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Whether the remote refused the update because its ref had moved since
/// the push began (`cannot lock ref 'refs/heads/main': is at X but expected Y`).
fn lost_ref_update_race(stderr: &[u8]) -> bool {
    let stderr = String::from_utf8_lossy(stderr);
    stderr.contains(&format!("cannot lock ref '{REMOTE_BRANCH}'"))
        && stderr.contains("but expected")
}

/// What `git push --porcelain` said of the remote's `main`.
#[derive(Debug, PartialEq, Eq)]
enum PushStatus {
    /// Created, fast-forwarded, forced or already there.
    Updated,
    /// `[rejected] (fetch first)` or `(non-fast-forward)`: someone pushed first.
    NotFastForward,
    /// Refused for another reason (a hook, a protected branch): the summary.
    Refused(String),
}

/// Reads the porcelain line for `refs/heads/main`:
/// `<flag>\t<from>:<to>\t<summary>`, flag `!` for a refused ref.
fn push_status(porcelain: &str) -> Option<PushStatus> {
    porcelain.lines().find_map(|line| {
        let mut fields = line.split('\t');
        let (Some(flag), Some(refs), Some(summary)) = (fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        if refs.rsplit_once(':').map(|(_, to)| to) != Some(REMOTE_BRANCH) {
            return None;
        }
        Some(match flag {
            " " | "*" | "+" | "=" => PushStatus::Updated,
            "!" if summary.starts_with("[rejected]")
                && (summary.contains("(fetch first)")
                    || summary.contains("(non-fast-forward)")) =>
            {
                PushStatus::NotFastForward
            }
            _ => PushStatus::Refused(format!("{REMOTE_BRANCH} {summary}")),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// Whether git is here; in CI its absence is a failure, elsewhere a skip.
    fn git_present() -> bool {
        let found = Command::new("git")
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "git is missing, and CI is set"
            );
            eprintln!("git is missing; skipping (set CI to make this a failure)");
        }
        found
    }

    macro_rules! require_git {
        () => {
            if !git_present() {
                return;
            }
        };
    }

    /// A shared remote and analysts' caches, in a directory whose name has
    /// a space and a non-ASCII letter.
    struct Team {
        dir: tempfile::TempDir,
        remote: PathBuf,
    }

    impl Team {
        fn new() -> Team {
            let dir = tempfile::tempdir().unwrap();
            let remote = dir.path().join("shared tracker é.git");
            let out = Command::new("git")
                .env_remove("GIT_DIR")
                .args(["init", "--bare", "--quiet"])
                .arg(&remote)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Team { dir, remote }
        }

        /// An analyst's cache, set up to sync with the remote.
        fn analyst(&self, name: &str) -> GitRepo {
            self.analyst_with(Git::system(), name)
        }

        /// An analyst's cache whose git runs with `git`'s settings.
        fn analyst_with(&self, git: Git, name: &str) -> GitRepo {
            let path = self.dir.path().join(format!("{name} ü/sync.git"));
            let repo = GitRepo::open_or_init_with(git, &path).unwrap();
            repo.set_remote(self.remote.to_str().unwrap()).unwrap();
            repo
        }
    }

    /// Writes an executable shell script.
    #[cfg(unix)]
    fn script(path: &Path, body: &str) {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn ana() -> Identity {
        Identity {
            name: "Ana".into(),
            email: "ana@example.org".into(),
        }
    }

    fn put(path: &str, text: &str) -> (String, Option<Vec<u8>>) {
        (path.to_owned(), Some(text.as_bytes().to_vec()))
    }

    fn delete(path: &str) -> (String, Option<Vec<u8>>) {
        (path.to_owned(), None)
    }

    /// Every file of a commit with its contents, as text.
    fn contents(repo: &GitRepo, commit: &Oid) -> Vec<(String, String)> {
        let files = repo.tree_files(commit).unwrap();
        let blobs: Vec<Oid> = files.iter().map(|f| f.blob.clone()).collect();
        let mut texts = Vec::new();
        repo.read_blobs(&blobs, |i, bytes| {
            assert_eq!(i, texts.len());
            texts.push(String::from_utf8(bytes.to_vec()).unwrap());
            Ok(())
        })
        .unwrap();
        files.into_iter().map(|f| f.path).zip(texts).collect()
    }

    /// Runs git on a cache directly, for what the module does not expose.
    fn raw_git(repo: &GitRepo, args: &[&str]) -> String {
        let out = Command::new("git")
            .env("GIT_DIR", repo.git_dir())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn object_ids_are_40_or_64_hex_digits_kept_in_lower_case() {
        let oid: Oid = "0123456789ABCDEF0123456789abcdef01234567".parse().unwrap();
        assert_eq!(oid.to_string(), "0123456789abcdef0123456789abcdef01234567");
        assert!(format!("{:0>64}", "a").parse::<Oid>().is_ok());
        for bad in [
            "",
            "main",
            "0123456789abcdef",
            &"g".repeat(40),
            &"a".repeat(41),
        ] {
            let err = bad.parse::<Oid>().unwrap_err();
            assert_eq!(err.code(), crate::error::Code::Data, "{bad}");
        }
    }

    #[test]
    fn git_messages_become_one_short_line() {
        let stderr = b"hint: try again\nwarning: redirecting\n\nfatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n";
        assert_eq!(
            first_meaningful_line(stderr).unwrap(),
            "'/x' does not appear to be a git repository"
        );
        assert_eq!(
            first_meaningful_line(b"remote: \x1b[31mdenied\x1b[0m\r\n").unwrap(),
            "remote: [31mdenied[0m"
        );
        let long = format!("error: {}", "é".repeat(400));
        let line = first_meaningful_line(long.as_bytes()).unwrap();
        assert_eq!(line.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(line.ends_with('…'));
        assert_eq!(first_meaningful_line(b"hint: only\n\n"), None);
    }

    #[test]
    fn known_failures_come_with_their_fix() {
        let stderr = "fatal: detected dubious ownership in repository at '/srv/t.git'\n\
            To add an exception for this directory, call:\n\
            \n\
            \tgit config --global --add safe.directory /srv/t.git\n";
        assert_eq!(
            first_meaningful_line(stderr.as_bytes()).unwrap(),
            "detected dubious ownership in repository at '/srv/t.git'"
        );
        assert_eq!(
            known_fix(stderr).unwrap(),
            "git refuses a repository another user owns; if you trust it, \
             run: git config --global --add safe.directory /srv/t.git"
        );
        let lock =
            "fatal: Unable to create '/c/sync.git/refs/remotes/origin/main.lock': File exists.\n";
        assert!(
            known_fix(lock)
                .unwrap()
                .starts_with("another lookout sync may be running")
        );
        assert_eq!(known_fix("fatal: other\n"), None);
    }

    #[test]
    fn push_porcelain_tells_a_lost_race_from_a_refusal() {
        let line = |flag: &str, summary: &str| {
            format!("To /r.git\n{flag}\tabc:refs/heads/main\t{summary}\nDone\n")
        };
        assert_eq!(
            push_status(&line("*", "[new branch]")),
            Some(PushStatus::Updated)
        );
        assert_eq!(
            push_status(&line(" ", "4bde430..2788895")),
            Some(PushStatus::Updated)
        );
        assert_eq!(
            push_status(&line("=", "[up to date]")),
            Some(PushStatus::Updated)
        );
        assert_eq!(
            push_status(&line("!", "[rejected] (fetch first)")),
            Some(PushStatus::NotFastForward)
        );
        assert_eq!(
            push_status(&line("!", "[rejected] (non-fast-forward)")),
            Some(PushStatus::NotFastForward)
        );
        assert_eq!(
            push_status(&line("!", "[remote rejected] (pre-receive hook declined)")),
            Some(PushStatus::Refused(
                "refs/heads/main [remote rejected] (pre-receive hook declined)".into()
            ))
        );
        assert_eq!(
            push_status("To /r.git\n!\tabc:refs/heads/other\t[rejected] (fetch first)\n"),
            None
        );
        assert_eq!(push_status(""), None);
    }

    #[test]
    #[cfg(unix)]
    fn remotes_keep_urls_and_make_local_paths_absolute() {
        let cwd = Path::new("/home/ana/work");
        for url in [
            "https://example.org/team/tracker.git",
            "ssh://git@example.org/tracker.git",
            "git@example.org:team/tracker.git",
            "/srv/shared/tracker.git",
        ] {
            assert_eq!(resolve_remote(url, cwd).unwrap(), url);
        }
        assert_eq!(
            resolve_remote("../shared tracker.git", cwd).unwrap(),
            "/home/ana/work/../shared tracker.git"
        );
        assert_eq!(
            resolve_remote("./a:b", cwd).unwrap(),
            "/home/ana/work/./a:b"
        );
        assert!(resolve_remote("-oProxyCommand=x", cwd).is_err());
        assert!(resolve_remote("", cwd).is_err());
    }

    #[test]
    fn messages_never_show_a_password() {
        assert_eq!(
            anonymize_url("https://ana:s3cret@example.org/t.git"),
            "https://example.org/t.git"
        );
        assert_eq!(
            anonymize_url("https://example.org/a@b"),
            "https://example.org/a@b"
        );
        assert_eq!(
            anonymize_url("git@example.org:t.git"),
            "git@example.org:t.git"
        );
    }

    #[test]
    fn paths_are_checked_and_quoted_for_fast_import() {
        for good in [
            "tracker.jsonl",
            "developments/ab.jsonl",
            "a b/ü \"q\"\\.jsonl",
        ] {
            check_path(good).unwrap();
        }
        for bad in [
            "",
            "/abs",
            "a//b",
            "a/",
            "./a",
            "a/../b",
            ".git/config",
            "x/.GIT",
            "a\nb",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        assert_eq!(quote_path("a \"b\"\\c"), "\"a \\\"b\\\"\\\\c\"");
    }

    #[test]
    fn missing_git_is_an_io_error_with_a_hint() {
        let git = Git {
            program: OsString::from("lookout-test-no-such-git"),
            env: Vec::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let err = GitRepo::open_or_init_with(git, &dir.path().join("c.git")).unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Io);
        assert!(
            err.message()
                .starts_with("lookout sync needs git on the PATH: lookout-test-no-such-git"),
            "{err}"
        );
        assert!(err.hint().unwrap().contains("install git"));
    }

    #[test]
    fn a_cache_is_made_once_and_reopened() {
        require_git!();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a b ü/sync.git");
        let repo = GitRepo::open_or_init(&path).unwrap();
        assert!(looks_like_repository(&path));
        assert_eq!(repo.remote_url().unwrap(), None);
        repo.set_remote("https://example.org/t.git").unwrap();
        // No temporary directory is left beside it, and no hooks inside it.
        let beside: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(beside.len(), 1);
        assert!(!path.join("hooks").exists());

        let again = GitRepo::open_or_init(&path).unwrap();
        assert_eq!(
            again.remote_url().unwrap().as_deref(),
            Some("https://example.org/t.git")
        );
        again.set_remote("git@example.org:team/t.git").unwrap();
        assert_eq!(
            again.remote_url().unwrap().as_deref(),
            Some("git@example.org:team/t.git")
        );

        // An empty directory is taken; a directory with something else in it is not.
        let empty = dir.path().join("empty.git");
        fs::create_dir(&empty).unwrap();
        GitRepo::open_or_init(&empty).unwrap();
        assert!(looks_like_repository(&empty));
        let full = dir.path().join("full.git");
        fs::create_dir(&full).unwrap();
        fs::write(full.join("notes.txt"), "mine").unwrap();
        let err = GitRepo::open_or_init(&full).unwrap_err();
        assert!(
            err.message()
                .ends_with("full.git exists but is not a git repository"),
            "{err}"
        );
    }

    #[test]
    fn fetching_an_empty_remote_finds_no_main() {
        require_git!();
        let team = Team::new();
        assert_eq!(team.analyst("ana").fetch().unwrap(), None);
    }

    #[test]
    fn what_one_analyst_pushes_the_other_fetches_and_reads() {
        require_git!();
        let team = Team::new();
        let (ana_cache, ben_cache) = (team.analyst("ana"), team.analyst("ben"));

        let first = ana_cache
            .commit(
                None,
                &[
                    put("tracker.jsonl", "{\"type\":\"kind\"}\n"),
                    put("developments/ab.jsonl", "one\n"),
                    put("developments/cd.jsonl", "two\n"),
                    put("odd names/ü \"q\" \\.jsonl", "three\n"),
                ],
                &ana(),
                1_754_000_000,
                "lookout sync: first",
            )
            .unwrap();
        assert_eq!(ana_cache.push(&first).unwrap(), PushOutcome::Pushed);

        assert_eq!(ben_cache.fetch().unwrap(), Some(first.clone()));
        assert_eq!(
            contents(&ben_cache, &first),
            [
                ("developments/ab.jsonl".to_owned(), "one\n".to_owned()),
                ("developments/cd.jsonl".to_owned(), "two\n".to_owned()),
                (
                    "odd names/ü \"q\" \\.jsonl".to_owned(),
                    "three\n".to_owned()
                ),
                (
                    "tracker.jsonl".to_owned(),
                    "{\"type\":\"kind\"}\n".to_owned()
                ),
            ]
        );

        // A change on the fetched commit: one file rewritten, one deleted, one added.
        let second = ben_cache
            .commit(
                Some(&first),
                &[
                    put("developments/ab.jsonl", "one, edited\n"),
                    delete("developments/cd.jsonl"),
                    put("developments/ef.jsonl", ""),
                ],
                &ana(),
                1_754_000_100,
                "lookout sync: second",
            )
            .unwrap();
        assert_eq!(ben_cache.push(&second).unwrap(), PushOutcome::Pushed);
        assert_eq!(ana_cache.fetch().unwrap(), Some(second.clone()));
        let files: Vec<_> = contents(&ana_cache, &second);
        assert_eq!(
            files,
            [
                (
                    "developments/ab.jsonl".to_owned(),
                    "one, edited\n".to_owned()
                ),
                ("developments/ef.jsonl".to_owned(), String::new()),
                (
                    "odd names/ü \"q\" \\.jsonl".to_owned(),
                    "three\n".to_owned()
                ),
                (
                    "tracker.jsonl".to_owned(),
                    "{\"type\":\"kind\"}\n".to_owned()
                ),
            ]
        );
        assert_eq!(
            raw_git(
                &ana_cache,
                &["log", "--format=%P|%s", "-1", second.as_str()]
            ),
            format!("{first}|lookout sync: second\n")
        );
        // The commit touches no ref but lookout's own, and the remote's tracking ref.
        assert_eq!(
            raw_git(&ben_cache, &["for-each-ref", "--format=%(refname)"]),
            "refs/lookout/pending\nrefs/remotes/origin/main\n"
        );
    }

    #[test]
    fn a_push_from_a_stale_parent_is_rejected_until_it_builds_on_the_new_head() {
        require_git!();
        let team = Team::new();
        let (ana_cache, ben_cache) = (team.analyst("ana"), team.analyst("ben"));
        let base = ana_cache
            .commit(
                None,
                &[put("developments/ab.jsonl", "base\n")],
                &ana(),
                1,
                "base",
            )
            .unwrap();
        assert_eq!(ana_cache.push(&base).unwrap(), PushOutcome::Pushed);
        assert_eq!(ben_cache.fetch().unwrap(), Some(base.clone()));

        let ana_next = ana_cache
            .commit(
                Some(&base),
                &[put("developments/ab.jsonl", "ana\n")],
                &ana(),
                2,
                "ana",
            )
            .unwrap();
        assert_eq!(ana_cache.push(&ana_next).unwrap(), PushOutcome::Pushed);

        // Ben has not seen Ana's commit: "(fetch first)".
        let ben_stale = ben_cache
            .commit(
                Some(&base),
                &[put("developments/cd.jsonl", "ben\n")],
                &ana(),
                3,
                "ben",
            )
            .unwrap();
        assert_eq!(ben_cache.push(&ben_stale).unwrap(), PushOutcome::Rejected);
        // He has now, but his commit still does not build on it: "(non-fast-forward)".
        assert_eq!(ben_cache.fetch().unwrap(), Some(ana_next.clone()));
        assert_eq!(ben_cache.push(&ben_stale).unwrap(), PushOutcome::Rejected);

        let ben_merged = ben_cache
            .commit(
                Some(&ana_next),
                &[put("developments/cd.jsonl", "ben\n")],
                &ana(),
                4,
                "ben",
            )
            .unwrap();
        assert_eq!(ben_cache.push(&ben_merged).unwrap(), PushOutcome::Pushed);

        assert_eq!(ana_cache.fetch().unwrap(), Some(ben_merged.clone()));
        assert!(ana_cache.is_ancestor(&base, &ben_merged).unwrap());
        assert!(ana_cache.is_ancestor(&ana_next, &ben_merged).unwrap());
        assert!(ana_cache.is_ancestor(&ben_merged, &ben_merged).unwrap());
        assert!(!ana_cache.is_ancestor(&ben_merged, &base).unwrap());
        // Ben's stale commit never reached the remote, so Ana's cache has never seen it.
        assert!(ben_cache.has_commit(&ben_stale).unwrap());
        assert!(!ana_cache.has_commit(&ben_stale).unwrap());
        assert!(!ana_cache.is_ancestor(&ben_stale, &ben_merged).unwrap());
        assert!(!ben_cache.is_ancestor(&ben_stale, &ben_merged).unwrap());
        // A tree is not a commit.
        let tree: Oid = raw_git(&ana_cache, &["rev-parse", &format!("{base}^{{tree}}")])
            .trim()
            .parse()
            .unwrap();
        assert!(!ana_cache.has_commit(&tree).unwrap());
    }

    #[test]
    fn an_unreachable_remote_is_an_io_error_naming_it() {
        require_git!();
        let dir = tempfile::tempdir().unwrap();
        let repo = GitRepo::open_or_init(&dir.path().join("sync.git")).unwrap();
        let missing = dir.path().join("no such remote.git");
        repo.set_remote(missing.to_str().unwrap()).unwrap();
        let err = repo.fetch().unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Io);
        let shown = missing.display().to_string();
        assert!(
            err.message()
                .starts_with(&format!("fetching from {shown}: ")),
            "{err}"
        );
        assert!(
            err.message()
                .contains("does not appear to be a git repository"),
            "{err}"
        );
        assert!(err.hint().unwrap().contains("git ls-remote"));

        let commit = repo.commit(None, &[put("a", "a")], &ana(), 1, "m").unwrap();
        let err = repo.push(&commit).unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Io);
        assert!(
            err.message().starts_with(&format!("pushing to {shown}: ")),
            "{err}"
        );

        // A directory that exists but is not a repository.
        let plain = dir.path().join("plain");
        fs::create_dir(&plain).unwrap();
        repo.set_remote(plain.to_str().unwrap()).unwrap();
        let err = repo.fetch().unwrap_err();
        assert!(
            err.message()
                .contains("does not appear to be a git repository"),
            "{err}"
        );
    }

    #[test]
    fn fetch_and_push_need_a_remote() {
        require_git!();
        let dir = tempfile::tempdir().unwrap();
        let repo = GitRepo::open_or_init(&dir.path().join("sync.git")).unwrap();
        let err = repo.fetch().unwrap_err();
        assert!(
            err.message().ends_with("sync.git: no remote is set"),
            "{err}"
        );
        assert!(err.hint().unwrap().contains("lookout sync REMOTE"));
    }

    #[test]
    fn the_author_is_kept_as_given_even_when_not_ascii() {
        require_git!();
        let team = Team::new();
        let cache = team.analyst("zoë");
        let who = Identity {
            name: "Zoë Ångström-李".into(),
            email: "zoë@exämple.org".into(),
        };
        let commit = cache
            .commit(
                None,
                &[put("a.jsonl", "x\n")],
                &who,
                1_754_006_400,
                "Zusammenführung ✓",
            )
            .unwrap();
        assert_eq!(
            raw_git(
                &cache,
                &[
                    "log",
                    "-1",
                    "--format=%an|%ae|%at|%cn|%ce|%ct|%s",
                    commit.as_str()
                ]
            ),
            "Zoë Ångström-李|zoë@exämple.org|1754006400|Zoë Ångström-李|zoë@exämple.org|1754006400|Zusammenführung ✓\n"
        );
        let bad = Identity {
            name: "Ana <x>".into(),
            email: "a@b".into(),
        };
        let err = cache.commit(None, &[], &bad, 1, "m").unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Data);
        assert!(
            cache
                .commit(None, &[put("../a", "x")], &ana(), 1, "m")
                .is_err()
        );
        assert!(cache.commit(None, &[], &ana(), -1, "m").is_err());
        // A parent the cache does not have.
        let unknown: Oid = "1".repeat(40).parse().unwrap();
        let err = cache
            .commit(Some(&unknown), &[], &ana(), 1, "m")
            .unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Io);
        assert_eq!(
            err.message(),
            format!("making a commit: Not a valid commit: {unknown}")
        );
        let litter: Vec<_> = fs::read_dir(cache.git_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with("fast_import_crash"))
            .collect();
        assert_eq!(litter, Vec::<String>::new());
    }

    #[test]
    fn without_git_there_is_no_configured_identity() {
        let git = Git {
            program: OsString::from("lookout-test-no-such-git"),
            env: Vec::new(),
        };
        assert_eq!(configured_identity_with(&git).unwrap(), None);
    }

    #[test]
    fn the_configured_identity_comes_from_the_global_git_config() {
        require_git!();
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("gitconfig");
        let with_config = Git {
            program: OsString::from("git"),
            env: vec![("GIT_CONFIG_GLOBAL".into(), config.clone().into())],
        };
        fs::write(&config, "").unwrap();
        assert_eq!(configured_identity_with(&with_config).unwrap(), None);

        // Identity is often kept in an included file.
        let included = dir.path().join("identity");
        fs::write(
            &included,
            "[user]\n\tname = Zoë Ångström\n\temail = zoe@example.org\n",
        )
        .unwrap();
        fs::write(
            &config,
            format!("[include]\n\tpath = {}\n", included.display()),
        )
        .unwrap();
        assert_eq!(
            configured_identity_with(&with_config).unwrap(),
            Some(Identity {
                name: "Zoë Ångström".into(),
                email: "zoe@example.org".into(),
            })
        );
    }

    #[test]
    fn reading_blobs_stops_at_the_callers_error_and_at_a_missing_blob() {
        require_git!();
        let team = Team::new();
        let cache = team.analyst("ana");
        let changes: Vec<_> = (0..200)
            .map(|i| {
                put(
                    &format!("developments/{i:03}.jsonl"),
                    &"x".repeat(10_000 + i),
                )
            })
            .collect();
        let commit = cache.commit(None, &changes, &ana(), 1, "m").unwrap();
        let blobs: Vec<Oid> = cache
            .tree_files(&commit)
            .unwrap()
            .into_iter()
            .map(|f| f.blob)
            .collect();

        let mut seen = 0;
        let err = cache
            .read_blobs(&blobs, |i, _| {
                seen += 1;
                if i == 3 {
                    Err(Error::data("enough"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert_eq!((err.message(), seen), ("enough", 4));

        let missing: Oid = "1".repeat(40).parse().unwrap();
        let err = cache
            .read_blobs(&[blobs[0].clone(), missing.clone()], |_, _| Ok(()))
            .unwrap_err();
        assert_eq!(
            err.message(),
            format!("reading blob {missing}: not in the sync cache")
        );
        cache
            .read_blobs(&[], |_, _| panic!("nothing to read"))
            .unwrap();

        // A panic in the caller's function ends the read too, rather than
        // leaving git and the writer blocked on full pipes.
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cache.read_blobs(&blobs, |i, _| {
                assert!(i < 3, "a bug in the caller");
                Ok(())
            })
        }));
        assert!(panicked.is_err());
    }

    #[test]
    #[cfg(unix)]
    fn a_push_that_loses_the_race_on_the_remote_is_rejected_too() {
        require_git!();
        let team = Team::new();
        let cache = team.analyst("ana");
        let base = cache
            .commit(None, &[put("a", "base")], &ana(), 1, "base")
            .unwrap();
        assert_eq!(cache.push(&base).unwrap(), PushOutcome::Pushed);
        let theirs = cache
            .commit(Some(&base), &[put("a", "theirs")], &ana(), 2, "theirs")
            .unwrap();
        let remote = team.remote.to_str().unwrap();
        raw_git(
            &cache,
            &["push", "-q", remote, &format!("{theirs}:refs/heads/other")],
        );
        // Another push lands while ours is being received: the remote's main
        // moves after our push passed the fast-forward check.
        let hook = team.remote.join("hooks/pre-receive");
        script(
            &hook,
            "unset GIT_QUARANTINE_PATH\ngit update-ref refs/heads/main refs/heads/other",
        );
        let ours = cache
            .commit(Some(&base), &[put("a", "ours")], &ana(), 3, "ours")
            .unwrap();
        assert_eq!(cache.push(&ours).unwrap(), PushOutcome::Rejected);

        // A hook that refuses outright is an error, with the remote's words.
        script(&hook, "echo 'main is frozen' >&2\nexit 1");
        assert_eq!(cache.fetch().unwrap(), Some(theirs.clone()));
        let next = cache
            .commit(Some(&theirs), &[put("a", "next")], &ana(), 4, "next")
            .unwrap();
        let err = cache.push(&next).unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Io);
        assert_eq!(
            err.message(),
            format!(
                "pushing to {remote}: refs/heads/main [remote rejected] \
                 (pre-receive hook declined): remote: main is frozen"
            )
        );

        fs::remove_file(&hook).unwrap();
        assert_eq!(cache.push(&next).unwrap(), PushOutcome::Pushed);
    }

    #[test]
    #[cfg(unix)]
    fn the_users_global_git_config_changes_nothing() {
        require_git!();
        let team = Team::new();
        let dir = tempfile::tempdir().unwrap();
        // Hooks that fail in a cache: in the hooks path, and in the templates
        // a new repository copies. (The remote's receive-pack runs as the
        // user, with their global hooks: that is the remote's business.)
        let hooks = dir.path().join("hooks");
        let templates = dir.path().join("templates");
        let fail_in_cache = "case \"$GIT_DIR\" in *sync.git) exit 1;; esac";
        for hook in ["pre-push", "reference-transaction", "post-checkout"] {
            script(&hooks.join(hook), fail_in_cache);
        }
        script(
            &templates.join("hooks/reference-transaction"),
            fail_in_cache,
        );
        let config = dir.path().join("gitconfig");
        fs::write(
            &config,
            format!(
                "[core]\n\thooksPath = {}\n\tautocrlf = true\n\
                 [init]\n\tdefaultBranch = master\n\ttemplateDir = {}\n\
                 [safe]\n\tbareRepository = explicit\n\
                 [commit]\n\tgpgSign = true\n\
                 [push]\n\tgpgSign = true\n\tfollowTags = true\n\
                 [color]\n\tui = always\n\
                 [transfer]\n\tfsckObjects = true\n\
                 [fetch]\n\tprune = true\n\trecurseSubmodules = true\n\
                 [gc]\n\tauto = 1\n\tautoPackLimit = 1\n",
                hooks.display(),
                templates.display()
            ),
        )
        .unwrap();
        let git = Git {
            program: OsString::from("git"),
            env: vec![("GIT_CONFIG_GLOBAL".into(), config.into())],
        };
        let (ana_cache, ben_cache) = (
            team.analyst_with(git.clone(), "ana"),
            team.analyst_with(git, "ben"),
        );
        assert!(!ana_cache.git_dir().join("hooks").exists());
        assert_eq!(
            raw_git(&ana_cache, &["symbolic-ref", "HEAD"]),
            "refs/heads/main\n"
        );

        let crlf = "{\"a\":1}\r\n{\"b\":2}\n";
        let first = ana_cache
            .commit(
                None,
                &[put("developments/ab.jsonl", crlf)],
                &ana(),
                1,
                "first",
            )
            .unwrap();
        assert_eq!(ana_cache.push(&first).unwrap(), PushOutcome::Pushed);
        assert_eq!(ben_cache.fetch().unwrap(), Some(first.clone()));
        let second = ben_cache
            .commit(
                Some(&first),
                &[put("developments/cd.jsonl", "x\n")],
                &ana(),
                2,
                "second",
            )
            .unwrap();
        assert_eq!(ben_cache.push(&second).unwrap(), PushOutcome::Pushed);
        assert_eq!(ana_cache.fetch().unwrap(), Some(second.clone()));
        assert_eq!(
            contents(&ana_cache, &second),
            [
                ("developments/ab.jsonl".to_owned(), crlf.to_owned()),
                ("developments/cd.jsonl".to_owned(), "x\n".to_owned()),
            ]
        );
        let stale = ana_cache
            .commit(Some(&first), &[], &ana(), 3, "stale")
            .unwrap();
        assert_eq!(ana_cache.push(&stale).unwrap(), PushOutcome::Rejected);
    }

    #[test]
    fn a_commit_stream_cut_short_commits_nothing() {
        require_git!();
        let team = Team::new();
        let cache = team.analyst("ana");
        let first = cache
            .commit(None, &[put("a", "a")], &ana(), 1, "m")
            .unwrap();
        // What a writer that died half-way would leave: no `done`.
        let mut stream = Vec::new();
        write_import(&mut stream, Some(&first), &[put("b", "b")], &ana(), 2, "m").unwrap();
        stream.truncate(stream.len() - "done\n".len());
        let mut cmd = cache.command();
        cmd.args(["fast-import", "--quiet", "--force"]);
        let (out, pid) = cache
            .git
            .output_with_input(&mut cmd, |w| w.write_all(&stream))
            .unwrap();
        assert!(!out.status.success());
        let _ = fs::remove_file(cache.git_dir().join(format!("fast_import_crash_{pid}")));
        assert_eq!(
            raw_git(&cache, &["rev-parse", PENDING_REF]).trim(),
            first.as_str()
        );
        // And the cache goes on working.
        let second = cache
            .commit(Some(&first), &[put("b", "b")], &ana(), 2, "m")
            .unwrap();
        assert_eq!(cache.push(&second).unwrap(), PushOutcome::Pushed);
        raw_git(&cache, &["fsck", "--no-progress"]);
    }

    #[test]
    fn a_thousand_file_tree_takes_hundreds_of_changes_at_once() {
        require_git!();
        let team = Team::new();
        let cache = team.analyst("ana");
        // About 20 kB a file, as a split developments file of a busy tracker.
        let file = |i: usize, version: &str| {
            let line = format!(
                "{{\"type\":\"development\",\"id\":\"{i:08x}\",\"headline\":\"{version} something happened\"}}\n"
            );
            line.repeat(20_000 / line.len())
        };
        let all: Vec<_> = (0..1024)
            .map(|i| put(&format!("developments/{i:03x}.jsonl"), &file(i, "v1")))
            .collect();
        let started = Instant::now();
        let base = cache.commit(None, &all, &ana(), 1, "base").unwrap();
        eprintln!("commit of 1024 new files: {:?}", started.elapsed());

        let mut changes: Vec<_> = (0..250)
            .map(|i| put(&format!("developments/{:03x}.jsonl", i * 4), &file(i, "v2")))
            .collect();
        changes.extend((0..25).map(|i| delete(&format!("developments/{:03x}.jsonl", i * 4 + 1))));
        changes.extend((0..25).map(|i| put(&format!("developments/new-{i:02}.jsonl"), "n\n")));
        let started = Instant::now();
        let next = cache
            .commit(Some(&base), &changes, &ana(), 2, "300 changes")
            .unwrap();
        eprintln!(
            "commit of 300 changes onto 1024 files: {:?}",
            started.elapsed()
        );

        let started = Instant::now();
        let files = cache.tree_files(&next).unwrap();
        eprintln!(
            "tree_files of {} files: {:?}",
            files.len(),
            started.elapsed()
        );
        assert_eq!(files.len(), 1024 - 25 + 25);

        let blobs: Vec<Oid> = files.iter().map(|f| f.blob.clone()).collect();
        let (mut bytes, mut v2) = (0, 0);
        let started = Instant::now();
        cache
            .read_blobs(&blobs, |_, contents| {
                bytes += contents.len();
                // The version sits in the first record, right after the 8-digit id.
                v2 += usize::from(contents.get(50..52) == Some(b"v2".as_slice()));
                Ok(())
            })
            .unwrap();
        eprintln!(
            "read_blobs of {} blobs ({bytes} bytes): {:?}",
            blobs.len(),
            started.elapsed()
        );
        assert_eq!(v2, 250);

        let started = Instant::now();
        assert_eq!(cache.push(&next).unwrap(), PushOutcome::Pushed);
        eprintln!("push of both commits: {:?}", started.elapsed());
    }
}
