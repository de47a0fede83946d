//! git's failures as lookout's errors: the line of its standard error that
//! says what went wrong, lock files in the way, remotes that could not be
//! reached, pushes the remote refused.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use super::*;
use crate::error::Error;

/// git's failure as an error: the first meaningful line of its standard
/// error, with a hint for the failures whose fix is known. A lock file in
/// the way is named, with its age, whatever git's line said.
pub(super) fn failure(out: &Output) -> Error {
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Some(lock) = lock_in_the_way(&stderr) {
        return locked_now(&lock);
    }
    let message = first_meaningful_line(&out.stderr)
        .unwrap_or_else(|| format!("git exited with {}", out.status));
    match known_fix(&stderr) {
        Some(hint) => Error::io(message).with_hint(hint),
        None => Error::io(message),
    }
}

pub(super) fn known_fix(stderr: &str) -> Option<String> {
    if let Some(lock) = lock_in_the_way(stderr) {
        return Some(clear_lock_hint(&lock));
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

/// The lock file git could not create because it exists (`Unable to create
/// '<path>.lock': File exists`, on either side of a push): a git at work
/// there, or one killed before it could remove its lock. `.` parts (git
/// writes `repo.git/./refs/…`) are left out.
pub(super) fn lock_in_the_way(stderr: &str) -> Option<PathBuf> {
    const BEFORE: &str = "Unable to create '";
    const AFTER: &str = ".lock': File exists";
    let start = stderr.find(BEFORE)? + BEFORE.len();
    let len = stderr[start..].find(AFTER)? + ".lock".len();
    let path = &stderr[start..start + len];
    if path.contains(['\n', '\r']) {
        return None;
    }
    Some(Path::new(path).components().collect())
}

/// `locked` now.
#[allow(clippy::disallowed_methods)] // a file's age, on the clock that stamped it: no date lookout records
pub(super) fn locked_now(lock: &Path) -> Error {
    locked(lock, SystemTime::now())
}

/// A lock in the way as an error: the file, and how long it has been there
/// when it can be seen from here (a path remote, or the cache).
pub(super) fn locked(lock: &Path, now: SystemTime) -> Error {
    let made = std::fs::metadata(lock)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|made| now.duration_since(made).ok());
    let message = match made {
        Some(age) => format!(
            "{} is locked: {} was made {} ago",
            repository_of(lock).display(),
            lock.display(),
            age_in_words(age)
        ),
        None => format!(
            "{} is locked: {} exists",
            repository_of(lock).display(),
            lock.display()
        ),
    };
    Error::io(message).with_hint(clear_lock_hint(lock))
}

fn clear_lock_hint(lock: &Path) -> String {
    format!(
        "a git process is at work there, or one was killed before it could remove its lock; \
         if no sync (or other git command) is running on that repository, delete {}",
        lock.display()
    )
}

/// The repository a lock file belongs to: the directory above `refs/`,
/// `objects/` or the file itself.
fn repository_of(lock: &Path) -> &Path {
    let mut dir = lock.parent().unwrap_or(lock);
    for ancestor in lock.ancestors().skip(1) {
        if matches!(
            ancestor.file_name().and_then(|n| n.to_str()),
            Some("refs" | "objects")
        ) {
            dir = ancestor.parent().unwrap_or(ancestor);
        }
    }
    dir
}

/// A duration as a person says it: "40 seconds", "3 minutes", "5 hours", "2 days".
pub(super) fn age_in_words(age: Duration) -> String {
    let secs = age.as_secs();
    let (n, unit) = match secs {
        0..60 => (secs, "second"),
        60..3600 => (secs / 60, "minute"),
        3600..172_800 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Whether git failed to reach or be let into the remote (as opposed to a
/// failure here: a full disk, a damaged cache), so that how lookout talks
/// to remotes is worth a hint.
pub(super) fn is_transport_failure(stderr: &str) -> bool {
    const SIGNS: &[&str] = &[
        "could not read from remote repository",
        "connection refused",
        "connection timed out",
        "connection reset",
        "connection closed",
        "authentication failed",
        "permission denied",
        "host key verification failed",
        "could not resolve host",
        "could not resolve hostname",
        "unable to access",
        "unable to connect",
        "no route to host",
        "network is unreachable",
        "the remote end hung up",
        "does not appear to be a git repository",
        "repository not found",
        "the requested url returned error",
        "ssl",
        "certificate",
    ];
    let stderr = stderr.to_lowercase();
    SIGNS.iter().any(|sign| stderr.contains(sign))
}

/// A failed fetch or push: names the remote; when git could not reach it,
/// says how lookout talks to it.
pub(super) fn remote_failure(doing: &str, url: &str, out: &Output) -> Error {
    let error = failure(out).context(format!("{doing} {}", anonymize_url(url)));
    if error.hint().is_some() || !is_transport_failure(&String::from_utf8_lossy(&out.stderr)) {
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
pub(super) fn first_meaningful_line(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text.split(['\n', '\r']).map(str::trim).find(|line| {
        !line.is_empty()
            && !line.starts_with("hint:")
            && !line.starts_with("warning:")
            && !is_progress(line)
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

/// Whether a line of git's standard error is progress (`--progress`,
/// which fetch and push run with so that a silent remote can be told from
/// a slow one): `Counting objects: 50% (2/4)`, `Total 4 (delta 1), …`,
/// `Delta compression using up to 2 threads`, the same after `remote: `,
/// or an empty `remote:` line.
pub(super) fn is_progress(line: &str) -> bool {
    let line = line.strip_prefix("remote:").unwrap_or(line).trim();
    if line.is_empty() {
        return true;
    }
    if line.starts_with("Delta compression using")
        || line
            .strip_prefix("Total ")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    // `Title words: <digits>`: a capitalised title of plain words.
    let Some((title, rest)) = line.split_once(':') else {
        return false;
    };
    let mut words = title.split(' ');
    let capitalised = words.next().is_some_and(|first| {
        let mut chars = first.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_lowercase())
    });
    capitalised
        && words.all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
        && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// Whether the remote refused the update because its ref had moved since
/// the push began (`cannot lock ref 'refs/heads/main': is at X but expected Y`).
pub(super) fn lost_ref_update_race(stderr: &[u8]) -> bool {
    let stderr = String::from_utf8_lossy(stderr);
    stderr.contains(&format!("cannot lock ref '{REMOTE_BRANCH}'"))
        && stderr.contains("but expected")
}

/// What `git push --porcelain` said of the remote's `main`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum PushStatus {
    /// Created, fast-forwarded, forced or already there.
    Updated,
    /// `[rejected] (fetch first)` or `(non-fast-forward)`: someone pushed first.
    NotFastForward,
    /// Refused for another reason (a hook, a protected branch): the summary.
    Refused(String),
}

/// Reads the porcelain line for `refs/heads/main`:
/// `<flag>\t<from>:<to>\t<summary>`, flag `!` for a refused ref.
pub(super) fn push_status(porcelain: &str) -> Option<PushStatus> {
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
