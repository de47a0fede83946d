//! Running a git that talks to a remote (fetch, push): given up when the
//! remote sends nothing for the timeout, and never outliving lookout.
//!
//! Such a git starts others — ssh, a remote helper, for a path remote the
//! other side's `upload-pack`/`receive-pack`, automatic maintenance — so it
//! runs in a process group of its own, which can be ended at once. The
//! group's leader is a guard: a shell that waits on a pipe from lookout,
//! which writes git's process id on it, then a line when the work is done,
//! and the guard leaves quietly. The pipe closing before that (lookout gave
//! up, or was killed, even by SIGKILL) makes it end the group, in steps:
//! - TERM to the git lookout started, alone. What it started on the other
//!   side of a path remote (`receive-pack`) then ends by itself as it reads
//!   the end of its input or writes to nobody, and removes the lock files it
//!   holds on the way: a lock left in the shared repository
//!   (`refs/heads/main.lock`) fails every analyst's push until someone
//!   deletes it. A signal sent to it from outside can arrive as a system
//!   call returns, between git creating a lock file and registering it for
//!   removal, which leaves the file
//!   (`a_sync_killed_at_random_moments_leaves_no_lock_in_the_shared_repository`
//!   found it in one run of four when the group had TERM at once);
//! - a second later, TERM to the whole group, for what did not end (ssh, a
//!   remote helper, maintenance);
//! - ten seconds later, KILL for what lingers.
//!
//! Being in a group of its own, git no longer receives the Ctrl-C typed at
//! the terminal: lookout does, dies, and the guard ends git.
//!
//! A remote "sends nothing" when git writes nothing: it runs with
//! `--progress`, which reports every change of its counts while data moves,
//! and its standard error is read as it comes.

use std::io::Read;
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::run::Git;
use crate::error::{Error, Result};

/// The guard (see the module's documentation). It reads git's process id,
/// then waits for the line that says the work is done. TERM is ignored so
/// that it outlives its own signal to the group and can follow it with
/// KILL; CONT wakes a git stopped by job control so that it sees the TERM.
/// KILL waits ten seconds: a git that gets TERM removes its locks and ends
/// at once, but on a loaded machine may not run for a while, and KILLed
/// first it would leave its lock in the shared repository for good.
const GUARD: &str = "trap '' TERM INT HUP; end() { \
        kill -s TERM -- -$$; kill -s CONT -- -$$; sleep 10; kill -s KILL -- -$$; exit; }; \
    read -r git || end; \
    read -r done || { kill -s TERM \"$git\"; kill -s CONT \"$git\"; sleep 1; end; }";

impl Git {
    /// Runs `cmd` to the end like `output`, in a process group of its own
    /// with a guard (see the module's documentation). None when git wrote
    /// nothing for `quiet`: every process of the group is then ended.
    pub(super) fn output_watched(
        &self,
        cmd: &mut Command,
        quiet: Duration,
    ) -> Result<Option<Output>> {
        let guard = Guard::start()?;
        guard.enrol(cmd);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| self.spawn_error(e))?;
        guard.tell(&format!("{}", child.id()));
        let (tx, rx) = mpsc::channel();
        if let Some(stdout) = child.stdout.take() {
            pump(stdout, tx.clone(), false);
        }
        if let Some(stderr) = child.stderr.take() {
            pump(stderr, tx, true);
        }
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let answered = loop {
            match rx.recv_timeout(quiet) {
                Ok((false, bytes)) => stdout.extend_from_slice(&bytes),
                Ok((true, bytes)) => stderr.extend_from_slice(&bytes),
                Err(mpsc::RecvTimeoutError::Disconnected) => break true,
                Err(mpsc::RecvTimeoutError::Timeout) => break false,
            }
        };
        if !answered {
            // The guard ends the group; git is reaped here, and the threads
            // reading its pipes end with them.
            drop(guard);
            let _ = child.wait();
            return Ok(None);
        }
        let status = child.wait().map_err(|e| self.spawn_error(e))?;
        guard.release();
        Ok(Some(Output {
            status,
            stdout,
            stderr,
        }))
    }
}

/// Reads `from` on a thread of its own, sending what comes (tagged: standard
/// error or not) until it ends. Not scoped: a process that escaped the group
/// could hold the pipe open, and lookout does not wait for it.
fn pump(mut from: impl Read + Send + 'static, to: mpsc::Sender<(bool, Vec<u8>)>, is_err: bool) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        loop {
            match from.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.send((is_err, buffer[..n].to_vec())).is_err() {
                        break;
                    }
                }
            }
        }
    });
}

/// The leader of git's process group; ends the group when dropped unreleased.
struct Guard {
    process: Child,
    pipe: Option<ChildStdin>,
}

impl Guard {
    fn start() -> Result<Guard> {
        use std::os::unix::process::CommandExt;
        let mut process = Command::new("sh")
            .args(["-c", GUARD, "lookout-git-guard"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| Error::io(format!("running sh to watch git: {e}")))?;
        let pipe = process.stdin.take();
        Ok(Guard { process, pipe })
    }

    /// Puts `cmd` in the guard's process group.
    fn enrol(&self, cmd: &mut Command) {
        use std::os::unix::process::CommandExt;
        // A pid fits in an i32: it is one (pid_t) to the kernel.
        let group = i32::try_from(self.process.id()).unwrap_or(0);
        cmd.process_group(group);
    }

    /// Writes a line to the guard: git's process id, or that the work is done.
    fn tell(&self, line: &str) {
        if let Some(mut pipe) = self.pipe.as_ref() {
            use std::io::Write;
            let _ = pipe.write_all(format!("{line}\n").as_bytes());
        }
    }

    /// The work is done: the guard leaves without ending anything.
    fn release(mut self) {
        self.tell("done");
        drop(self.pipe.take());
        let _ = self.process.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Closing the pipe unreleased makes the guard end the group; it is
        // not waited for (it lingers ten seconds to KILL what TERM missed).
        drop(self.pipe.take());
    }
}
