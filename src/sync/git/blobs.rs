//! Reading blobs from the cache: a list at once (`read_blobs`), or one at a
//! time through one long-lived `git cat-file --batch` (`BlobReader`).

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::Stdio;

use super::run::*;
use super::{GitRepo, Oid};
use crate::error::{Error, Result};

impl GitRepo {
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

    /// A reader of blobs one at a time, through one `git cat-file --batch`
    /// for as long as it lives: for a caller that learns which blob it needs
    /// next only after reading the last (`read_blobs` takes a list).
    pub fn blob_reader(&self) -> Result<BlobReader> {
        let mut cmd = self.command();
        cmd.args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().map_err(|e| self.git.spawn_error(e))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::io("git cat-file started without its pipes"));
        };
        Ok(BlobReader {
            child,
            requests: Some(stdin),
            answers: BufReader::with_capacity(1 << 16, stdout),
        })
    }
}

/// See `GitRepo::blob_reader`. Each request is answered before the next is
/// written (cat-file flushes after each object without `--buffer`), so the
/// pipes never fill both ways.
pub struct BlobReader {
    child: std::process::Child,
    requests: Option<std::process::ChildStdin>,
    answers: BufReader<std::process::ChildStdout>,
}

impl BlobReader {
    /// One blob's content.
    pub fn read(&mut self, blob: &Oid) -> Result<Vec<u8>> {
        let requests = self
            .requests
            .as_mut()
            .ok_or_else(|| Error::io("git cat-file is closed"))?;
        writeln!(requests, "{blob}")
            .and_then(|()| requests.flush())
            .map_err(|e| Error::from(e).context("writing to git cat-file"))?;
        let mut out = Vec::new();
        read_batch(
            &mut self.answers,
            std::slice::from_ref(blob),
            &mut |_, bytes| {
                out = bytes.to_vec();
                Ok(())
            },
        )
        .map_err(|stop| match stop {
            BatchStop::Caller(e) | BatchStop::Stream(e) => e,
        })?;
        Ok(out)
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        // Closing its input ends cat-file.
        drop(self.requests.take());
        let _ = self.child.wait();
    }
}
