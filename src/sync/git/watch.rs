//! Running a git that talks to a remote (fetch, push): given up when the
//! remote sends nothing for the timeout, and never outliving lookout.
//!
//! Such a git starts others — ssh, a remote helper, for a path remote the
//! other side's `upload-pack`/`receive-pack`, automatic maintenance — so it
//! runs in a process group of its own, which can be ended at once. The
//! group's leader is a guard: a shell that waits on a pipe from lookout. A
//! line on the pipe means the work is done and the guard leaves quietly;
//! the pipe closing without one (lookout gave up, or was killed, even by
//! SIGKILL) makes it end the group: TERM first, so git removes the lock
//! files it holds (a receive-pack killed outright leaves `refs/heads/main.lock`
//! in the shared repository, and every analyst's push fails until someone
//! deletes it), then KILL for what lingers.
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

/// The guard (see the module's documentation). TERM is ignored so that it
/// outlives its own signal to the group and can follow it with KILL; CONT
/// wakes a git stopped by job control so that it sees the TERM. KILL waits
/// ten seconds: a git that gets TERM removes its locks and ends at once, but
/// on a loaded machine may not run for a while, and KILLed first it would
/// leave its lock in the shared repository for good.
const GUARD: &str = "trap '' TERM INT HUP; \
    read -r done || { kill -s TERM -- -$$; kill -s CONT -- -$$; sleep 10; kill -s KILL -- -$$; }";

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

    /// The work is done: the guard leaves without ending anything.
    fn release(mut self) {
        if let Some(mut pipe) = self.pipe.take() {
            use std::io::Write;
            let _ = pipe.write_all(b"done\n");
        }
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
