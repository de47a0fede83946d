//! Running the `git` program for the cache: the controlled environment (no
//! hooks, no remote helpers that run commands). Its failures are put into
//! words in `failure`, remotes in `remote`, git's plumbing formats in `wire`.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::process::{Command, Output, Stdio};

use super::*;
use crate::error::{Error, Result};

/// How lookout runs git: the program, and extra environment (tests point
/// the global configuration at a file of their own).
#[derive(Debug, Clone)]
pub(super) struct Git {
    pub(super) program: OsString,
    pub(super) env: Vec<(OsString, OsString)>,
}

impl Git {
    pub(super) fn system() -> Git {
        Git {
            program: OsString::from("git"),
            env: Vec::new(),
        }
    }

    /// A git command that cannot prompt, page, colour, translate its
    /// messages or wander into another repository.
    pub(super) fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        for var in FOREIGN_ENV {
            cmd.env_remove(var);
        }
        cmd.env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("GIT_PAGER", "cat")
            .env("GIT_ALLOW_PROTOCOL", allowed_protocols())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args([
                "--no-pager",
                "-c",
                "core.autocrlf=false",
                "-c",
                "color.ui=false",
                "-c",
                NO_HOOKS,
                // No transport that runs a command named in a URL, whatever
                // the user's own configuration allows.
                "-c",
                "protocol.ext.allow=never",
            ])
            .stdin(Stdio::null());
        cmd
    }

    /// The command git runs on the other side of a fetch (`upload-pack`)
    /// or push (`receive-pack`) from a path remote, for `--upload-pack` /
    /// `--receive-pack`: the same git, with no hooks. git does not pass
    /// `-c` settings to that side, and a bare repository on a file share
    /// is anyone's to fill with hooks, which would run as the pusher.
    /// git runs the value through the shell, so the program is quoted.
    pub(super) fn remote_side(&self, service: &str) -> OsString {
        let mut command = shell_quote(&self.program);
        command.push(" -c ");
        command.push(NO_HOOKS);
        // The remote's own config could name a command that lists the refs
        // of its alternates; `true` lists none and runs nothing of theirs.
        command.push(" -c core.alternateRefsCommand=true");
        command.push(" ");
        command.push(service);
        command
    }

    /// Runs `cmd` to the end, capturing both outputs.
    pub(super) fn output(&self, cmd: &mut Command) -> Result<Output> {
        cmd.output().map_err(|e| self.spawn_error(e))
    }

    /// Runs `cmd` while `feed` writes its standard input from another
    /// thread, so git's output can never fill a pipe and stall both.
    /// Returns what it gave, and how the feeding went.
    pub(super) fn output_with_input(
        &self,
        cmd: &mut Command,
        feed: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send,
    ) -> Result<Fed> {
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
        Ok(Fed { output, pid, fed })
    }

    pub(super) fn spawn_error(&self, err: io::Error) -> Error {
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

/// What `Git::output_with_input` ran: git's output and process id, and how
/// writing its input went.
pub(super) struct Fed {
    pub output: Output,
    pub pid: u32,
    pub fed: io::Result<()>,
}

impl Fed {
    /// Git's output, unless the writing failed: when git failed, its message
    /// says why (the broken pipe it left the writer with does not), but when
    /// the writer failed first (its input could not be read), git failed
    /// because of it.
    pub(super) fn output(self) -> Result<Output> {
        match (self.output.status.success(), self.fed) {
            (true, Err(e)) => Err(Error::from(e).context("writing to git")),
            (false, Err(e)) if e.kind() != io::ErrorKind::BrokenPipe => {
                Err(Error::from(e).context("feeding git"))
            }
            _ => Ok(self.output),
        }
    }
}

/// Runs no hooks, the cache's or the user's own (`core.hooksPath` in their
/// global configuration, written for their own work): git looks for a hook
/// under this path, and a path that is not a directory holds none. No
/// directory of hooks is needed that someone could fill (the cache's own
/// `hooks/` travels with a copied store).
pub(super) const NO_HOOKS: &str = "core.hooksPath=/dev/null";

/// The transports git may use: no `ext::` (which runs a command named in
/// the URL) or other remote helper. A stricter list of the user's own
/// (`GIT_ALLOW_PROTOCOL` in their environment) is kept.
pub(super) fn allowed_protocols() -> String {
    const ALLOWED: [&str; 5] = ["file", "git", "http", "https", "ssh"];
    let theirs = std::env::var("GIT_ALLOW_PROTOCOL").ok();
    let allowed: Vec<&str> = match &theirs {
        Some(theirs) => ALLOWED
            .into_iter()
            .filter(|p| theirs.split(':').any(|t| t == *p))
            .collect(),
        None => ALLOWED.to_vec(),
    };
    allowed.join(":")
}

/// `program` as one word of a POSIX shell command: in single quotes, each
/// `'` closed, escaped and reopened; plain names as they are.
pub(super) fn shell_quote(program: &OsStr) -> OsString {
    let text = program.to_string_lossy();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return program.to_owned();
    }
    OsString::from(format!("'{}'", text.replace('\'', r"'\''")))
}
