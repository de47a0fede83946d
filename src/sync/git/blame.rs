//! Who wrote a line of the shared tracker: for naming the commit that brought
//! a record a sync refuses, and who changed a file outside lookout.

use super::failure::*;
use super::{GitRepo, Oid};
use crate::error::Result;

/// A commit that wrote something: its id, its author (`Name <email>`) and
/// its time (seconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authored {
    pub commit: Oid,
    pub author: String,
    pub time: i64,
    /// The commit message's first line.
    pub subject: String,
}

impl GitRepo {
    /// The commit that last wrote line `line` (from 1) of `path` as `head`
    /// has it; None when git cannot say (the line or file is not there).
    pub fn blame_line(&self, head: &Oid, path: &str, line: usize) -> Result<Option<Authored>> {
        let mut cmd = self.command();
        cmd.args(["blame", "--porcelain", "-L"])
            .arg(format!("{line},{line}"))
            .arg(head.as_str())
            .arg("--")
            .arg(path);
        let out = self.git.output(&mut cmd)?;
        if !out.status.success() {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let Some(commit) = lines
            .next()
            .and_then(|first| first.split(' ').next())
            .and_then(|id| id.parse::<Oid>().ok())
        else {
            return Ok(None);
        };
        let (mut name, mut email, mut time, mut subject) = (None, None, None, None);
        for line in lines {
            if let Some(v) = line.strip_prefix("author ") {
                name = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("author-mail ") {
                email = Some(v.trim_matches(['<', '>']).to_string());
            } else if let Some(v) = line.strip_prefix("author-time ") {
                time = v.parse().ok();
            } else if let Some(v) = line.strip_prefix("summary ") {
                subject = Some(v.to_string());
            } else if line.starts_with('\t') {
                break;
            }
        }
        Ok(name.map(|name| Authored {
            commit,
            author: match email.filter(|e| !e.is_empty()) {
                Some(email) => format!("{name} <{email}>"),
                None => name,
            },
            time: time.unwrap_or(0),
            subject: subject.unwrap_or_default(),
        }))
    }

    /// The latest commit after `base` (all of history when None) up to
    /// `head` that changed `path` and that lookout did not make (its
    /// subject does not end `(lookout sync)`); None when none did.
    pub fn last_hand_change(
        &self,
        base: Option<&Oid>,
        head: &Oid,
        path: &str,
    ) -> Result<Option<Authored>> {
        let mut cmd = self.command();
        cmd.args([
            "log",
            "-1",
            "--no-show-signature",
            "--invert-grep",
            "--extended-regexp",
            r"--grep=\(lookout sync\)$",
            "--format=%H%x00%an <%ae>%x00%at%x00%s",
        ]);
        match base {
            Some(base) => cmd.arg(format!("{base}..{head}")),
            None => cmd.arg(head.as_str()),
        };
        cmd.arg("--").arg(path);
        let out = self.git.output(&mut cmd)?;
        if !out.status.success() {
            return Err(failure(&out).context(format!("reading the history of {path}")));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut fields = text.trim_end_matches('\n').split('\0');
        let (Some(commit), Some(author), Some(time), Some(subject)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Ok(None);
        };
        Ok(Some(Authored {
            commit: commit.parse()?,
            author: author.replace(" <>", ""),
            time: time.parse().unwrap_or(0),
            subject: subject.to_string(),
        }))
    }
}
