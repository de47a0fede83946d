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
//!
//! Here: the cache (`GitRepo`) and its local operations. Beside it: the
//! exchanges with the remote (`exchange`), git run in its controlled
//! environment (`run`), its failures put into words (`failure`), remotes as
//! paths and URLs (`remote`), git's plumbing formats (`wire`), commits
//! (`commit`), blobs read (`blobs`), who last changed a line (`blame`), the
//! cache's own configuration (`config`) and the user's identity (`identity`).

use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;
use std::time::Duration;

use crate::error::{Error, Result};

/// The remote's branch that holds the shared tracker.
const REMOTE_BRANCH: &str = "refs/heads/main";
/// Where a fetch leaves the remote's `main` in the cache.
const TRACKING_REF: &str = "refs/remotes/origin/main";
/// The fetch refspec: forced, since another analyst's history is the truth.
const FETCH_REFSPEC: &str = "+refs/heads/main:refs/remotes/origin/main";
/// The one ref `commit` writes, so a commit stays reachable until it is pushed.
const PENDING_REF: &str = "refs/lookout/pending";

/// Where commits made to be kept, not pushed, are named (`keep_commit`).
const KEPT_REFS: &str = "refs/lookout/kept/";
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
    /// The id of the file's contents, for `BlobReader::read`.
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

/// How long a remote may send nothing before a fetch or push gives it up,
/// unless told otherwise (`with_timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A local bare repository that caches the shared tracker: lookout keeps one beside the store.
#[derive(Debug, Clone)]
pub struct GitRepo {
    git_dir: PathBuf,
    git: Git,
    /// How long a remote may send nothing (`watch`).
    timeout: Duration,
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
        let repo = GitRepo {
            git_dir,
            git,
            timeout: DEFAULT_TIMEOUT,
        };
        if looks_like_repository(&repo.git_dir) {
            config::make_private(&repo.git_dir)?;
            repo.own_config()?;
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
        config::make_private(&repo.git_dir)?;
        Ok(repo)
    }

    /// The same cache, giving up a remote that sends nothing for `timeout`
    /// (at least a second).
    pub fn with_timeout(mut self, timeout: Duration) -> GitRepo {
        self.timeout = timeout.max(Duration::from_secs(1));
        self
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
        self.write_remote(&url)
    }

    /// The URL (or path) of the remote `origin`; None before `set_remote`.
    pub fn remote_url(&self) -> Result<Option<String>> {
        self.config_get(&["--local"], "remote.origin.url")
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
        cmd
    }

    /// A git command on the cache that talks to the remote at `url`: an
    /// HTTP transfer slower than a byte a second for the timeout is given
    /// up by git itself (`watch` covers every transport).
    fn remote_command(&self) -> Command {
        let mut cmd = self.command();
        cmd.args(["-c", "http.lowSpeedLimit=1", "-c"])
            .arg(format!("http.lowSpeedTime={}", self.timeout.as_secs()));
        cmd
    }

    /// Runs a git that talks to the remote, giving the remote up when git
    /// hears nothing from it for the timeout (watch.rs).
    fn watch(&self, cmd: &mut Command, doing: &str, url: &str) -> Result<Output> {
        match self.git.output_watched(cmd, self.timeout)? {
            Some(out) => Ok(out),
            None => {
                let secs = self.timeout.as_secs();
                Err(Error::io(format!(
                    "{doing} {}: gave up after {secs} seconds without an answer (--timeout {secs})",
                    anonymize_url(url)
                ))
                .with_hint(
                    "check the network and that the remote is up; to wait longer, \
                     run `lookout sync --timeout SECS`",
                ))
            }
        }
    }

    fn require_remote(&self) -> Result<String> {
        self.remote_url()?.ok_or_else(|| {
            Error::io(format!("{}: no remote is set", self.git_dir.display()))
                .with_hint("name the shared repository once: lookout sync REMOTE")
        })
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

mod blame;
mod blobs;
mod commit;
mod config;
mod exchange;
mod failure;
mod files;
mod identity;
mod remote;
mod run;
#[cfg(test)]
mod tests;
mod watch;
mod wire;

pub(crate) use blame::Authored;
pub(crate) use blobs::{BlobReader, BlobStream};
use failure::*;
pub(crate) use files::{Content, EachFile, Files};
use identity::config_value;
pub use identity::configured_identity;
#[cfg(test)]
use identity::configured_identity_with;
use remote::*;
use run::*;
use wire::*;
