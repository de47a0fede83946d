//! Making commits in the cache: the one a sync pushes, and those kept for
//! undo, each through one `git fast-import`.

use std::fs;

use super::failure::*;
use super::wire::*;
use super::{Files, GitRepo, Identity, KEPT_REFS, Oid, PENDING_REF};
use crate::error::{Error, Result};

impl GitRepo {
    /// `commit_files` over files listed with their contents: `Some(bytes)`
    /// writes the file at that path, `None` deletes it (tests).
    #[cfg(test)]
    pub fn commit(
        &self,
        parent: Option<&Oid>,
        changes: &[(String, Option<Vec<u8>>)],
        who: &Identity,
        when: i64,
        message: &str,
    ) -> Result<Oid> {
        self.commit_files(parent, &super::files::Listed(changes), who, when, message)
    }

    /// Makes a commit from `parent`'s tree (or an empty tree) with `changes`
    /// applied, in order, each file read only as it is written. Author and
    /// committer are `who`, at `when` (seconds since the epoch, UTC). Returns
    /// the commit's id; the only ref written is lookout's private
    /// `refs/lookout/pending`. No changes still make a commit: whether there
    /// is anything to share is the caller's question.
    ///
    /// One `git fast-import` does it all: only the changed files cross the
    /// pipe, no index or temporary files are written, objects are in place
    /// before the ref moves, and a stream cut short (no `done`) commits nothing.
    pub fn commit_files(
        &self,
        parent: Option<&Oid>,
        changes: &dyn Files,
        who: &Identity,
        when: i64,
        message: &str,
    ) -> Result<Oid> {
        self.commit_to(PENDING_REF, parent, changes, who, when, message)
    }

    /// `commit_files`, to a ref of its own that keeps the commit for as long
    /// as the cache lives (git's garbage collection keeps what a ref names):
    /// for commits that are never pushed but may be read again.
    pub fn keep_commit(
        &self,
        parent: Option<&Oid>,
        changes: &dyn Files,
        who: &Identity,
        when: i64,
        message: &str,
    ) -> Result<Oid> {
        let mut random = [0u8; 10];
        getrandom::fill(&mut random)
            .map_err(|e| Error::io(format!("naming a kept commit: {e}")))?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("{KEPT_REFS}{name}");
        self.commit_to(&name, parent, changes, who, when, message)
    }

    fn commit_to(
        &self,
        ref_name: &str,
        parent: Option<&Oid>,
        changes: &dyn Files,
        who: &Identity,
        when: i64,
        message: &str,
    ) -> Result<Oid> {
        check_identity(who)?;
        if when < 0 {
            return Err(Error::data(format!(
                "commit time {when} is before 1970; git cannot record it"
            )));
        }
        for path in changes.paths() {
            check_path(path)?;
        }
        let mut cmd = self.command();
        // --force: the pending ref moves to an unrelated commit each time.
        cmd.args(["fast-import", "--quiet", "--force"]);
        let fed = self.git.output_with_input(&mut cmd, |stream| {
            write_import(stream, ref_name, parent, changes, who, when, message)
        })?;
        if !fed.output.status.success() {
            // fast-import leaves a crash report in the cache when it dies;
            // the error message carries what matters and the cache stays clean.
            let _ = fs::remove_file(self.git_dir.join(format!("fast_import_crash_{}", fed.pid)));
        }
        let out = fed.output()?;
        if !out.status.success() {
            return Err(failure(&out).context("making a commit"));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        text.trim().parse().map_err(|_| {
            Error::io(format!(
                "making a commit: git fast-import answered {text:?}"
            ))
        })
    }
}
