//! Reading blobs from the cache, one at a time through one long-lived
//! `git cat-file --batch` (`BlobReader`), or a known list of them in a
//! stream (`BlobStream`).

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use super::wire::*;
use super::{GitRepo, Oid};
use crate::error::{Error, Result};

impl GitRepo {
    /// A reader of blobs one at a time, through one `git cat-file --batch`
    /// for as long as it lives: a caller learns which blob it needs next
    /// only after reading the last.
    pub fn blob_reader(&self) -> Result<BlobReader> {
        let (child, stdin, stdout) = self.cat_file_batch()?;
        Ok(BlobReader {
            child,
            requests: Some(stdin),
            answers: BufReader::with_capacity(1 << 16, stdout),
        })
    }

    /// A `git cat-file --batch` started, with its two pipes.
    fn cat_file_batch(&self) -> Result<(Child, ChildStdin, ChildStdout)> {
        let mut cmd = self.command();
        cmd.args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().map_err(|e| self.git.spawn_error(e))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::io("git cat-file started without its pipes"));
        };
        Ok((child, stdin, stdout))
    }
}

impl GitRepo {
    /// The contents of `blobs`, in order, through one `git cat-file --batch`
    /// asked for all of them at once (by a thread of its own, so that
    /// neither pipe waits on the other): git reads and inflates the next
    /// blobs while the caller works on the last.
    pub fn blob_stream(&self, blobs: Vec<Oid>) -> Result<BlobStream> {
        let (child, mut stdin, stdout) = self.cat_file_batch()?;
        let ids: String = blobs.iter().map(|b| format!("{b}\n")).collect();
        // Ends when every id is written, or when cat-file is gone (the
        // stream dropped early): closing its input ends cat-file.
        let requests = std::thread::spawn(move || {
            let _ = stdin.write_all(ids.as_bytes());
        });
        Ok(BlobStream {
            child,
            requests: Some(requests),
            answers: Some(BufReader::with_capacity(1 << 16, stdout)),
            blobs: blobs.into(),
        })
    }
}

/// See `GitRepo::blob_stream`.
pub struct BlobStream {
    child: std::process::Child,
    requests: Option<std::thread::JoinHandle<()>>,
    answers: Option<BufReader<std::process::ChildStdout>>,
    blobs: std::collections::VecDeque<Oid>,
}

impl Iterator for BlobStream {
    type Item = Result<(Oid, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        let blob = self.blobs.pop_front()?;
        let answers = self.answers.as_mut()?;
        Some(read_answer(answers, &blob).map(|content| (blob, content)))
    }
}

impl Drop for BlobStream {
    fn drop(&mut self) {
        // Closing its output first ends a cat-file with more to say.
        drop(self.answers.take());
        let _ = self.child.wait();
        if let Some(requests) = self.requests.take() {
            let _ = requests.join();
        }
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
