//! The commit a sync pushes: the plan's files, the repairs that put the
//! remote's files in order, the appended conflicts, and the marks of a new
//! shared tracker; made as the analyst, and pushed.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::sync::git::{Content, EachFile, Files, GitRepo, Identity, Oid, PushOutcome};
use crate::sync::plan::Plan;
use crate::sync::spool::SpilledFiles;
use crate::sync::tree;

pub(super) enum Pushed {
    /// The remote already holds the merged tracker.
    Nothing,
    Commit(Oid),
    /// Someone pushed first.
    Refused,
}

/// Commits the plan's files, and the repairs that put the remote's files
/// in order, on top of `head` and pushes them.
pub(super) fn push(
    author: &str,
    when: i64,
    cache: &GitRepo,
    head: Option<&Oid>,
    plan: &Plan,
    repairs: &BTreeMap<String, Option<Vec<u8>>>,
) -> Result<Pushed> {
    let planned: std::collections::BTreeSet<&str> = plan.files.paths().into_iter().collect();
    let changes = Outgoing {
        files: &plan.files,
        // The plan's own version of a file is written over the repair's.
        repairs: repairs
            .iter()
            .filter(|(path, _)| !planned.contains(path.as_str()))
            .collect(),
        // A new shared tracker: the files that say what it is.
        marks: head.is_none(),
    };
    if changes.paths().is_empty() {
        return Ok(Pushed::Nothing);
    }
    let who = identity(author);
    let message = format!("{} (lookout sync)", plan.sent);
    let commit = cache.commit_files(head, &changes, &who, when, &message)?;
    Ok(match cache.push(&commit)? {
        PushOutcome::Pushed => Pushed::Commit(commit),
        PushOutcome::Rejected => Pushed::Refused,
    })
}

/// The plan's files, repairs, and the marker and README of a new shared tracker.
struct Outgoing<'a> {
    files: &'a SpilledFiles,
    repairs: Vec<(&'a String, &'a Option<Vec<u8>>)>,
    marks: bool,
}

impl Outgoing<'_> {
    fn marks(&self) -> &'static [(&'static str, &'static str)] {
        const MARKS: &[(&str, &str)] = &[
            (tree::MARKER_PATH, tree::MARKER),
            (tree::README_PATH, tree::README),
        ];
        if self.marks { MARKS } else { &[] }
    }
}

impl Files for Outgoing<'_> {
    fn paths(&self) -> Vec<&str> {
        let mut paths = self.files.paths();
        paths.extend(self.repairs.iter().map(|(path, _)| path.as_str()));
        paths.extend(self.marks().iter().map(|(path, _)| *path));
        paths
    }

    fn each(&self, each: &mut EachFile<'_>) -> std::io::Result<()> {
        self.files.each(each)?;
        for (path, text) in &self.repairs {
            match text {
                Some(text) => each(path, Content::Text(text))?,
                None => each(path, Content::Deleted)?,
            }
        }
        for (path, text) in self.marks() {
            each(path, Content::Text(text.as_bytes()))?;
        }
        Ok(())
    }
}

/// `Name <email>` as git's author; a bare name gets an empty email.
pub(super) fn identity(author: &str) -> Identity {
    let clean = |s: &str| s.replace(['<', '>', '\n'], "").trim().to_string();
    match author.rsplit_once('<') {
        Some((name, email)) if email.ends_with('>') && !name.trim().is_empty() => Identity {
            name: clean(name),
            email: clean(email),
        },
        _ => Identity {
            name: clean(author),
            email: String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_become_git_identities() {
        let who = identity("Ana Lima <ana@example.org>");
        assert_eq!(
            (who.name.as_str(), who.email.as_str()),
            ("Ana Lima", "ana@example.org")
        );
        let who = identity("ana");
        assert_eq!((who.name.as_str(), who.email.as_str()), ("ana", ""));
    }
}
