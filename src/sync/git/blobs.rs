//! Reading blobs from the cache, one at a time through one long-lived
//! `git cat-file --batch` (`BlobReader`).

use std::io::{BufReader, Write};
use std::process::Stdio;

use super::wire::*;
use super::{GitRepo, Oid};
use crate::error::{Error, Result};

impl GitRepo {
    /// A reader of blobs one at a time, through one `git cat-file --batch`
    /// for as long as it lives: a caller learns which blob it needs next
    /// only after reading the last.
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
        read_answer(&mut self.answers, blob)
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        // Closing its input ends cat-file.
        drop(self.requests.take());
        let _ = self.child.wait();
    }
}
